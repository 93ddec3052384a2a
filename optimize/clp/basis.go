package clp

/*
#include <coin/Clp_C_Interface.h>
*/
import "C"

import (
	"fmt"
	"runtime"
	"slices"
	"unsafe"
)

// Basis is a simplex basis of a model: the status of every column and
// row (basic, nonbasic at a bound, free or superbasic) and the column
// values, as CLP keeps them after a solve. It lets a second model of the
// same size start where the first one ended: a copy of a problem whose
// bounds were then changed re-solves from the first one's optimum with
// a warm dual simplex instead of from scratch.
type Basis struct {
	rows, cols int
	status     []byte    // cols + rows, CLP's status codes
	values     []float64 // column values
}

// Basis returns the model's basis after a Solve. It returns ErrClosed
// after Close, and an error wrapping ErrInvalid before any Solve since
// the last load (there is no basis yet). O(rows + columns).
func (m *Model) Basis() (Basis, error) {
	if m.Closed() {
		return Basis{}, ErrClosed
	}
	defer runtime.KeepAlive(m)
	if !m.solved || C.Clp_statusExists(m.p) == 0 {
		return Basis{}, fmt.Errorf("%w: Basis needs a Solve since the last load", ErrInvalid)
	}
	rows, cols := m.NumRows(), m.NumCols()
	b := Basis{rows: rows, cols: cols, status: make([]byte, rows+cols)}
	if n := rows + cols; n > 0 {
		copy(b.status, unsafe.Slice((*byte)(unsafe.Pointer(C.Clp_statusArray(m.p))), n))
	}
	b.values = copyDoubles(C.Clp_getColSolution(m.p), cols, false)
	return b, nil
}

// Size returns the number of rows and columns of the model the basis
// came from.
func (b Basis) Size() (rows, cols int) { return b.rows, b.cols }

// SetBasis makes the next simplex Solve start from b, taken from a model
// of the same size (usually a copy of this one's problem, with other
// bounds): a warm dual or primal simplex, without CLP's initial solve and
// its presolve. Work areas kept by an earlier warm solve are freed, since
// they belong to the old basis. It returns ErrClosed after Close, and an
// error wrapping ErrInvalid when b is empty or of another size.
// O(rows + columns).
func (m *Model) SetBasis(b Basis) error {
	if m.Closed() {
		return ErrClosed
	}
	defer runtime.KeepAlive(m)
	rows, cols := m.NumRows(), m.NumCols()
	if b.status == nil {
		return fmt.Errorf("%w: SetBasis: an empty basis", ErrInvalid)
	}
	if b.rows != rows || b.cols != cols {
		return fmt.Errorf("%w: SetBasis: a basis of %d rows and %d columns for a model of %d rows and %d columns", ErrInvalid, b.rows, b.cols, rows, cols)
	}
	m.release()
	status := slices.Clone(b.status)
	status = append(status, 0) // never a zero-length array
	C.Clp_copyinStatus(m.p, (*C.uchar)(unsafe.Pointer(&status[0])))
	if cols > 0 {
		dst := unsafe.Slice((*float64)(unsafe.Pointer(C.Clp_primalColumnSolution(m.p))), cols)
		copy(dst, b.values)
	}
	m.warm = true
	return nil
}
