package clp

/*
#include <coin/Clp_C_Interface.h>
*/
import "C"

import (
	"fmt"
	"runtime"
	"unsafe"
)

// This file gives access to two parts of an MPS file that CLP keeps but
// does not use: the integrality markers and the objective constant. CLP's
// solves ignore both (the model is the LP relaxation, and ObjectiveValue
// already includes the constant); optimize/cbc reads and writes MIPs
// through them.

// IntegerColumns returns a copy of the integrality markers of the columns
// (true for an integer column, length NumCols): those read by ReadMPS
// (MARKER INTORG or UI/BV bounds) or set by SetIntegerColumns. It returns
// nil when there are none; LoadProblem drops them.
func (m *Model) IntegerColumns() []bool {
	if m.Closed() {
		return nil
	}
	defer runtime.KeepAlive(m)
	info := C.Clp_integerInformation(m.p)
	n := m.NumCols()
	if info == nil || n == 0 {
		return nil
	}
	src := unsafe.Slice((*byte)(unsafe.Pointer(info)), n)
	out := make([]bool, n)
	any := false
	for j, c := range src {
		out[j] = c != 0
		any = any || out[j]
	}
	if !any {
		return nil
	}
	return out
}

// SetIntegerColumns sets the integrality markers that WriteMPS writes (as
// UI bounds): integer[j] marks column j integer. A nil or all-false slice
// drops them; otherwise its length must be NumCols (ErrInvalid). CLP's
// solves still treat every column as continuous.
func (m *Model) SetIntegerColumns(integer []bool) error {
	if m.Closed() {
		return ErrClosed
	}
	defer runtime.KeepAlive(m)
	n := m.NumCols()
	if integer != nil && len(integer) != n {
		return fmt.Errorf("%w: %d integrality markers for %d columns", ErrInvalid, len(integer), n)
	}
	info := make([]C.char, n+1) // +1: never a zero-length slice
	any := false
	for j, isInt := range integer {
		if isInt {
			info[j], any = 1, true
		}
	}
	if !any {
		C.Clp_deleteIntegerInformation(m.p)
		return nil
	}
	C.Clp_copyInIntegerInformation(m.p, &info[0])
	return nil
}

// ObjectiveConstant returns the constant term of the objective, in the
// user's sense: the optimal value is Objectiveᵀx plus this constant. An
// MPS file sets it as the negated right-hand side of the objective row.
func (m *Model) ObjectiveConstant() float64 {
	if m.Closed() {
		return 0
	}
	defer runtime.KeepAlive(m)
	return -float64(C.Clp_objectiveOffset(m.p))
}

// SetObjectiveConstant sets the constant term of the objective (see
// ObjectiveConstant), which WriteMPS writes as the right-hand side of the
// objective row. It must be finite (ErrInvalid).
func (m *Model) SetObjectiveConstant(c float64) error {
	if m.Closed() {
		return ErrClosed
	}
	defer runtime.KeepAlive(m)
	if err := checkValue(c, finiteValue); err != nil {
		return fmt.Errorf("%w: objective constant %v: %s", ErrInvalid, c, err.Error())
	}
	C.Clp_setObjectiveOffset(m.p, C.double(-c))
	return nil
}
