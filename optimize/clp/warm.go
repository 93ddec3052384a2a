package clp

/*
#cgo CXXFLAGS: -std=c++11
#include "warm.h"
*/
import "C"

import (
	"fmt"
	"runtime"
	"unsafe"
)

// This file binds warm.cpp, the package's C++ shim: warm re-solves that
// keep CLP's work areas and factorization from one Solve to the next, and
// setters that change bounds and costs one element at a time so that the
// kept work areas stay valid. See "Warm start" in the package
// documentation.

// shimErr turns a shim's return code into an error.
func shimErr(what string, rc C.int) error {
	if rc != 0 {
		return fmt.Errorf("%w: CLP threw an exception in %s", ErrNumerical, what)
	}
	return nil
}

// release frees the work areas kept by a warm solve, before anything that
// rebuilds the model from scratch (a load, an initial or barrier solve).
func (m *Model) release() {
	// The solution and statuses are kept; nothing can fail but an
	// exception out of CLP's clean-up, after which the next solve starts
	// afresh anyway.
	_ = C.sillage_clp_release(m.p)
}

// keptWorkAreas reports whether CLP holds work areas from a warm solve.
func (m *Model) keptWorkAreas() bool {
	if m.Closed() {
		return false
	}
	defer runtime.KeepAlive(m)
	return C.sillage_clp_kept(m.p) != 0
}

// PrepareWarm makes the next warm Solve start at once: it factorizes the
// basis of the last Solve and keeps CLP's work areas (the scaled problem
// and the factorization), which a warm Solve otherwise builds first —
// about one factorization and two passes over the matrix. Call it after a
// Solve that ended optimal when a re-solve is likely; Status,
// SecondaryStatus and Iterations are left as they were, and the solution
// too up to rounding (it is computed again from the new factorization). It
// returns ErrClosed after Close, and an error wrapping ErrInvalid when the
// last Solve did not end optimal (there is no basis worth keeping).
func (m *Model) PrepareWarm() error {
	if m.Closed() {
		return ErrClosed
	}
	defer runtime.KeepAlive(m)
	if !m.solved || C.Clp_status(m.p) != 0 {
		return fmt.Errorf("%w: PrepareWarm needs a Solve that ended optimal", ErrInvalid)
	}
	if m.keptWorkAreas() {
		return nil
	}
	iterations := C.Clp_numberIterations(m.p)
	// From an optimal basis the dual simplex finds nothing to do: it sets
	// up, factorizes, checks the solution and keeps it all.
	C.Clp_setMaximumSeconds(m.p, -1)
	err := shimErr("PrepareWarm", C.sillage_clp_warm_dual(m.p))
	m.flushLog()
	C.Clp_setNumberIterations(m.p, iterations)
	if err != nil {
		return err
	}
	if st := Status(C.Clp_status(m.p)); st != Optimal {
		return fmt.Errorf("%w: the optimal basis was found %s when set up again", ErrNumerical, st)
	}
	return nil
}

// setShimBounds sets the bounds of rows (what is "row") or columns (what
// is "column") idx through the shim (CLP's form of infinity).
func (m *Model) setShimBounds(what string, idx []C.int, lo, up []C.double) error {
	if len(idx) == 0 {
		return nil
	}
	rows := C.int(0)
	if what == "row" {
		rows = 1
	}
	return shimErr(what+" bounds", C.sillage_clp_set_bounds(m.p, rows, C.int(len(idx)), &idx[0], &lo[0], &up[0]))
}

// setCosts sets the objective coefficients of columns idx through the
// shim.
func (m *Model) setCosts(idx []C.int, c []C.double) error {
	if len(idx) == 0 {
		return nil
	}
	return shimErr("objective", C.sillage_clp_set_objective(m.p, C.int(len(idx)), &idx[0], &c[0]))
}

// boundChanges compares new bounds (nil: unchanged) with the model's
// current ones (n of them, at curLo and curUp, in CLP's form) and returns
// the elements that differ with their new bounds in CLP's form. It takes
// O(n) time and allocates only for the changes.
func boundChanges(n int, curLo, curUp *C.double, lower, upper []float64) (idx []C.int, lo, up []C.double) {
	if n == 0 || (lower == nil && upper == nil) {
		return nil, nil, nil
	}
	cl := unsafe.Slice((*float64)(unsafe.Pointer(curLo)), n)
	cu := unsafe.Slice((*float64)(unsafe.Pointer(curUp)), n)
	for i := range n {
		l, u := cl[i], cu[i]
		if lower != nil {
			l = ToCOIN(lower[i])
		}
		if upper != nil {
			u = ToCOIN(upper[i])
		}
		if l != cl[i] || u != cu[i] {
			idx = append(idx, C.int(i))
			lo = append(lo, C.double(l))
			up = append(up, C.double(u))
		}
	}
	return idx, lo, up
}
