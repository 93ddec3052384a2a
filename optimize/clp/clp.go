package clp

/*
#cgo pkg-config: clp
#include <stdio.h>
#include <stdlib.h>
#include <coin/Clp_C_Interface.h>
#include "warm.h"
#include "stop.h"

// sillage_flush_stdout flushes C's stdout, where CLP writes its log.
static void sillage_flush_stdout(void) { fflush(stdout); }

*/
import "C"

import (
	"fmt"
	"math"
	"runtime"
	"sync/atomic"
	"unsafe"
)

// liveModels counts CLP models allocated and not yet freed (tests use it to
// check that Close and the finalizer free every model).
var liveModels atomic.Int64

// Model is one CLP problem with its solver state (a Clp_Simplex).
//
// A Model is not safe for concurrent use; distinct Models are. Call Close
// to free its C memory.
type Model struct {
	p       unsafe.Pointer // Clp_Simplex*; nil after Close
	stop    *C.int         // SolveContext's stop flag, read by stop.cpp's event handler; C memory
	cleanup runtime.Cleanup

	timeLimit  float64 // CPU seconds per Solve; 0 means none
	logLevel   int
	solved     bool // a Solve ran since the last load
	iterations int  // of the last Solve, over all the runs it made
	warm       bool // the next simplex Solve starts from the kept basis
}

// New returns an empty, silent (log level 0) minimisation model with no
// limits, set up like the clp command (perturbation on).
func New() *Model {
	p := C.Clp_newModel()
	C.Clp_setLogLevel(p, -1) // CLP's level -1 hides even its error messages
	// Perturbation always on (50), as the clp command sets it: on Netlib it
	// saves iterations on degenerate problems (pilot87: 7772 instead of
	// 10406) and ends with a more accurate optimum.
	C.Clp_setPerturbation(p, 50)
	stop := (*C.int)(C.calloc(1, C.size_t(unsafe.Sizeof(C.int(0)))))
	// The handler only replaces CLP's default one, which does nothing; an
	// exception here would be out of memory, which Go reports anyway.
	_ = C.sillage_clp_set_stop(p, stop)
	liveModels.Add(1)
	m := &Model{p: p, stop: stop}
	m.cleanup = runtime.AddCleanup(m, freeModel, cMemory{p, stop})
	return m
}

// cMemory is the C memory of a Model.
type cMemory struct {
	p    unsafe.Pointer // Clp_Simplex*
	stop *C.int
}

// freeModel deletes a Clp_Simplex and its stop flag; it runs from Close or
// from the cleanup.
func freeModel(c cMemory) {
	C.Clp_deleteModel(c.p)
	C.free(unsafe.Pointer(c.stop))
	liveModels.Add(-1)
}

// Close frees the model's C memory. It is idempotent; after Close the Model
// must not be used (methods return ErrClosed or zero values).
func (m *Model) Close() {
	if m == nil || m.p == nil {
		return
	}
	m.cleanup.Stop()
	freeModel(cMemory{m.p, m.stop})
	m.p, m.stop = nil, nil
}

// Closed reports whether Close was called.
func (m *Model) Closed() bool { return m == nil || m.p == nil }

// LoadProblem replaces the model's problem with a copy of p (CLP copies it;
// p may be reused afterwards). It validates p first and returns an error
// wrapping ErrInvalid without touching the model if p is malformed. The
// objective direction and the limits are kept; the basis is discarded.
// It takes O(NumRows + NumCols + NumElements) time.
func (m *Model) LoadProblem(p Problem) error {
	if m.Closed() {
		return ErrClosed
	}
	defer runtime.KeepAlive(m)
	if err := p.Validate(); err != nil {
		return err
	}
	start := make([]C.CoinBigIndex, p.NumCols+1)
	for j := 1; j <= p.NumCols; j++ {
		start[j] = C.CoinBigIndex(p.ColStart[j])
	}
	index := make([]C.int, len(p.RowIndex)+1) // +1: never a zero-length slice
	for k, i := range p.RowIndex {
		index[k] = C.int(i)
	}
	values := make([]C.double, len(p.Values)+1)
	for k, v := range p.Values {
		values[k] = C.double(v)
	}
	m.release()
	C.Clp_loadProblem(m.p, C.int(p.NumCols), C.int(p.NumRows),
		&start[0], &index[0], &values[0],
		boundsPtr(p.ColLower), boundsPtr(p.ColUpper), valuesPtr(p.Objective),
		boundsPtr(p.RowLower), boundsPtr(p.RowUpper))
	m.solved, m.warm = false, false
	return nil
}

// boundsPtr returns a C copy of a bound vector with infinities in CLP's
// form, or nil for a nil or empty vector (CLP's default).
func boundsPtr(v []float64) *C.double {
	if len(v) == 0 {
		return nil
	}
	c := make([]C.double, len(v))
	for i, x := range v {
		c[i] = C.double(ToCOIN(x))
	}
	return &c[0]
}

// valuesPtr returns a copy of v as C doubles, or nil for an empty v.
func valuesPtr(v []float64) *C.double {
	if len(v) == 0 {
		return nil
	}
	c := make([]C.double, len(v))
	for i, x := range v {
		c[i] = C.double(x)
	}
	return &c[0]
}

// NumRows returns the number of rows (constraints).
func (m *Model) NumRows() int {
	if m.Closed() {
		return 0
	}
	defer runtime.KeepAlive(m)
	return int(C.Clp_numberRows(m.p))
}

// NumCols returns the number of columns (variables).
func (m *Model) NumCols() int {
	if m.Closed() {
		return 0
	}
	defer runtime.KeepAlive(m)
	return int(C.Clp_numberColumns(m.p))
}

// SetMaximize sets the objective direction: maximise when max is true,
// minimise (the default) otherwise.
func (m *Model) SetMaximize(max bool) {
	if m.Closed() {
		return
	}
	defer runtime.KeepAlive(m)
	dir := 1.0
	if max {
		dir = -1
	}
	C.Clp_setOptimizationDirection(m.p, C.double(dir))
}

// Maximize reports whether the model maximises its objective.
func (m *Model) Maximize() bool {
	if m.Closed() {
		return false
	}
	defer runtime.KeepAlive(m)
	return C.Clp_optimizationDirection(m.p) < 0
}

// SetTimeLimit limits each later Solve to seconds of process CPU time (see
// the package documentation); 0, a negative value, NaN or +Inf removes the
// limit. A solve that runs out returns an error wrapping ErrLimit, with
// SecondaryStatus 9.
func (m *Model) SetTimeLimit(seconds float64) {
	if math.IsNaN(seconds) || math.IsInf(seconds, 1) || seconds <= 0 {
		seconds = 0
	}
	m.timeLimit = seconds
}

// SetIterationLimit limits each later Solve to n iterations; n ≤ 0 removes
// the limit. A solve that runs out returns an error wrapping ErrLimit.
func (m *Model) SetIterationLimit(n int) {
	if m.Closed() {
		return
	}
	defer runtime.KeepAlive(m)
	if n <= 0 || n > math.MaxInt32 {
		n = math.MaxInt32
	}
	C.Clp_setMaximumIterations(m.p, C.int(n))
}

// SetLogLevel sets how much CLP writes to standard output: 0 nothing at
// all (the default; the binding reports errors itself), 1 the final result
// and CLP's warnings and errors, 2 factorizations, 3 a bit more, 4 verbose.
// Values are clamped to [0, 4].
func (m *Model) SetLogLevel(level int) {
	if m.Closed() {
		return
	}
	defer runtime.KeepAlive(m)
	level = min(max(level, 0), 4)
	m.logLevel = level
	clpLevel := level
	if level == 0 {
		clpLevel = -1 // CLP's 0 still prints errors
	}
	C.Clp_setLogLevel(m.p, C.int(clpLevel))
}

// flushLog flushes CLP's log when logging is on.
func (m *Model) flushLog() {
	if m.logLevel > 0 {
		C.sillage_flush_stdout()
	}
}

// Solve solves the loaded problem with method and returns nil when CLP
// proves it optimal (status 0). Otherwise it returns an error wrapping
// ErrInfeasible, ErrUnbounded, ErrLimit or ErrNumerical; the solution
// accessors then return CLP's last iterate, which is of use only after
// ErrLimit and only when PrimalFeasible reports true. It returns ErrClosed
// after Close and an error wrapping ErrInvalid for an unknown method.
//
// The first solve after a load runs CLP's initial solve (with presolve).
// Later simplex solves start from the basis kept in the model (warm start).
// Barrier always starts from scratch and crosses over to a basis.
func (m *Model) Solve(method Method) error {
	if m.Closed() {
		return ErrClosed
	}
	defer runtime.KeepAlive(m)
	if method != DualSimplex && method != PrimalSimplex && method != Barrier {
		return fmt.Errorf("%w: unknown method %d", ErrInvalid, int(method))
	}
	limit := -1.0
	if m.timeLimit > 0 {
		limit = m.timeLimit
	}
	// CLP stores the limit as a deadline on its CPU clock: arm it now.
	C.Clp_setMaximumSeconds(m.p, C.double(limit))
	if rays := m.freeRayColumns(); len(rays) > 0 {
		m.iterations = m.solveWithoutRays(method, rays)
	} else {
		m.iterations = m.confirmedRun(method)
	}
	m.flushLog()
	m.solved, m.warm = true, true
	st := Status(C.Clp_status(m.p))
	sec := int(C.Clp_secondaryStatus(m.p))
	if err := st.Err(); err != nil {
		return fmt.Errorf("%w (%s, status %d, secondary status %d: %s)", err, method, int(st), sec, SecondaryStatusText(sec))
	}
	return nil
}

// confirmedRun runs method and returns the number of iterations. When a
// dual simplex or barrier run ends infeasible or unbounded, the primal
// simplex confirms the status from the basis it left: CLP 1.17's dual
// simplex can report an unbounded problem as primal infeasible (seen on
// random LPs with a free column on the unbounded ray), while the primal
// simplex decides both cases directly.
func (m *Model) confirmedRun(method Method) (iters int) {
	iters = m.run(method)
	if st := C.Clp_status(m.p); (st == 1 || st == 2) && method != PrimalSimplex {
		if m.keptWorkAreas() {
			if C.sillage_clp_warm_primal(m.p) != 0 {
				m.exceptionStatus()
			}
		} else {
			C.Clp_primal(m.p, 0)
		}
		iters += int(C.Clp_numberIterations(m.p))
	}
	return iters
}

// run calls CLP's algorithm for method, the initial solve (with presolve)
// on a cold model and the simplex from the kept basis on a warm one, and
// returns the number of iterations. Warm simplex runs keep CLP's work
// areas and factorization for the next one (warm.cpp); initial and
// barrier solves free them first.
func (m *Model) run(method Method) int {
	if method == Barrier || !m.warm {
		m.release()
	}
	switch {
	case method == Barrier:
		C.Clp_initialBarrierSolve(m.p)
	case method == DualSimplex && m.warm:
		if C.sillage_clp_warm_dual(m.p) != 0 {
			m.exceptionStatus()
		}
	case method == DualSimplex:
		C.Clp_initialDualSolve(m.p)
	case m.warm:
		if C.sillage_clp_warm_primal(m.p) != 0 {
			m.exceptionStatus()
		}
	default:
		C.Clp_initialPrimalSolve(m.p)
	}
	return int(C.Clp_numberIterations(m.p))
}

// exceptionStatus records a C++ exception out of a warm solve as CLP's
// status 4 (errors), and frees what the solve kept.
func (m *Model) exceptionStatus() {
	C.Clp_setProblemStatus(m.p, 4)
	C.Clp_setSecondaryStatus(m.p, 0)
	m.release()
}

// freeRayColumns returns the columns that alone make the problem unbounded
// whenever it is feasible: columns whose every nonzero lies in a free row
// (or that have none), with an objective coefficient that improves in a
// direction where the column has no bound. It takes O(NumRows + NumCols +
// NumElements) time.
//
// CLP 1.17's simplex misreports such problems: with an improving empty
// column and a feasible rest, both the primal and the dual simplex can end
// with status 1 (primal infeasible) instead of 2, and barrier can abort.
func (m *Model) freeRayColumns() []int {
	nr, nc := m.NumRows(), m.NumCols()
	if nc == 0 {
		return nil
	}
	dir := float64(C.Clp_optimizationDirection(m.p)) // 1 minimise, −1 maximise
	obj := unsafe.Slice(C.Clp_getObjCoefficients(m.p), nc)
	cl := unsafe.Slice(C.Clp_getColLower(m.p), nc)
	cu := unsafe.Slice(C.Clp_getColUpper(m.p), nc)
	var freeRow []bool // nil until needed
	var starts []C.CoinBigIndex
	var lengths []C.int
	var index []C.int
	var elements []C.double
	var rays []int
	for j := 0; j < nc; j++ {
		c := dir * float64(obj[j]) // cost in the minimisation sense
		if !(c < 0 && float64(cu[j]) >= infinity) && !(c > 0 && float64(cl[j]) <= -infinity) {
			continue
		}
		if freeRow == nil {
			freeRow = make([]bool, nr)
			rl := unsafe.Slice(C.Clp_getRowLower(m.p), nr)
			ru := unsafe.Slice(C.Clp_getRowUpper(m.p), nr)
			for i := range nr {
				freeRow[i] = float64(rl[i]) <= -infinity && float64(ru[i]) >= infinity
			}
			starts = unsafe.Slice(C.Clp_getVectorStarts(m.p), nc)
			lengths = unsafe.Slice(C.Clp_getVectorLengths(m.p), nc)
			end := 0
			for k := range nc {
				end = max(end, int(starts[k])+int(lengths[k]))
			}
			if end > 0 {
				index = unsafe.Slice(C.Clp_getIndices(m.p), end)
				elements = unsafe.Slice(C.Clp_getElements(m.p), end)
			}
		}
		ray := true
		for k := int(starts[j]); k < int(starts[j])+int(lengths[j]); k++ {
			if elements[k] != 0 && !freeRow[index[k]] {
				ray = false
				break
			}
		}
		if ray {
			rays = append(rays, j)
		}
	}
	return rays
}

// solveWithoutRays solves with the objective coefficients of the free ray
// columns set to zero: the problem is then unbounded exactly when this
// solve finds it feasible, and that is what the status then says. The
// coefficients are restored. It returns the number of iterations.
func (m *Model) solveWithoutRays(method Method, rays []int) int {
	nc := m.NumCols()
	obj := unsafe.Slice(C.Clp_objective(m.p), nc)
	idx := make([]C.int, len(rays))
	saved := make([]C.double, len(rays))
	zero := make([]C.double, len(rays))
	for k, j := range rays {
		idx[k], saved[k] = C.int(j), obj[j]
	}
	// Errors are CLP exceptions, which a set-up cannot throw; the solve
	// reports any trouble by its status.
	_ = m.setCosts(idx, zero)
	iters := m.confirmedRun(method)
	_ = m.setCosts(idx, saved)
	if C.Clp_status(m.p) == 0 {
		C.Clp_setProblemStatus(m.p, 2)
		C.Clp_setSecondaryStatus(m.p, 0)
	}
	return iters
}

// Status returns CLP's status after the last Solve, NotSolved before the
// first Solve after a load.
func (m *Model) Status() Status {
	if m.Closed() || !m.solved {
		return NotSolved
	}
	defer runtime.KeepAlive(m)
	return Status(C.Clp_status(m.p))
}

// SecondaryStatus returns CLP's secondary status after the last Solve (see
// SecondaryStatusText), 0 before.
func (m *Model) SecondaryStatus() int {
	if m.Closed() || !m.solved {
		return 0
	}
	defer runtime.KeepAlive(m)
	return int(C.Clp_secondaryStatus(m.p))
}

// PrimalFeasible reports whether the current solution satisfies all bounds
// within CLP's primal tolerance (1e-7), as CLP measured it at the end of the
// last Solve. After ErrLimit it tells whether Primal is a usable, if not
// optimal, point: the primal simplex keeps feasibility once it has found
// it, the dual simplex reaches it only at the optimum.
func (m *Model) PrimalFeasible() bool {
	if m.Closed() || !m.solved {
		return false
	}
	defer runtime.KeepAlive(m)
	return C.Clp_primalFeasible(m.p) != 0
}

// ObjectiveValue returns the objective value of the current solution, in
// the user's sense (not negated for maximisation), including any objective
// constant read from an MPS file.
func (m *Model) ObjectiveValue() float64 {
	if m.Closed() {
		return 0
	}
	defer runtime.KeepAlive(m)
	return float64(C.Clp_objectiveValue(m.p))
}

// Iterations returns the number of iterations of the last Solve (0 before
// the first), summed over the CLP runs it made.
func (m *Model) Iterations() int {
	if m.Closed() || !m.solved {
		return 0
	}
	return m.iterations
}

// copyDoubles copies n doubles from a C array; nil when p is NULL.
func copyDoubles(p *C.double, n int, convertInf bool) []float64 {
	if p == nil || n <= 0 {
		return nil
	}
	src := unsafe.Slice((*float64)(unsafe.Pointer(p)), n)
	out := make([]float64, n)
	copy(out, src)
	if convertInf {
		for i, x := range out {
			out[i] = FromCOIN(x)
		}
	}
	return out
}

// vectorKind names one of the model's arrays that vector copies.
type vectorKind int

const (
	colSolution vectorKind = iota
	rowActivity
	rowPrice
	reducedCost
	colLower
	colUpper
	rowLower
	rowUpper
	objCoefficients
)

// vector returns a copy of one of the model's arrays (nil once closed),
// with infinite bounds as ±Inf where the array holds bounds.
func (m *Model) vector(k vectorKind) []float64 {
	if m.Closed() {
		return nil
	}
	defer runtime.KeepAlive(m)
	switch k {
	case colSolution:
		return copyDoubles(C.Clp_getColSolution(m.p), m.NumCols(), false)
	case rowActivity:
		return copyDoubles(C.Clp_getRowActivity(m.p), m.NumRows(), false)
	case rowPrice:
		return copyDoubles(C.Clp_getRowPrice(m.p), m.NumRows(), false)
	case reducedCost:
		return copyDoubles(C.Clp_getReducedCost(m.p), m.NumCols(), false)
	case colLower:
		return copyDoubles(C.Clp_getColLower(m.p), m.NumCols(), true)
	case colUpper:
		return copyDoubles(C.Clp_getColUpper(m.p), m.NumCols(), true)
	case rowLower:
		return copyDoubles(C.Clp_getRowLower(m.p), m.NumRows(), true)
	case rowUpper:
		return copyDoubles(C.Clp_getRowUpper(m.p), m.NumRows(), true)
	case objCoefficients:
		return copyDoubles(C.Clp_getObjCoefficients(m.p), m.NumCols(), false)
	}
	return nil // no other kind
}

// Primal returns a copy of the column values x (length NumCols).
func (m *Model) Primal() []float64 { return m.vector(colSolution) }

// PrimalTo copies the column values x into dst, reallocated only when its
// capacity is below NumCols, and returns it (length NumCols): Primal
// without an allocation per solve, for callers that re-solve.
func (m *Model) PrimalTo(dst []float64) []float64 {
	if m.Closed() {
		return dst[:0]
	}
	defer runtime.KeepAlive(m)
	n := m.NumCols()
	p := C.Clp_getColSolution(m.p)
	if p == nil || n == 0 {
		return dst[:0]
	}
	if cap(dst) < n {
		dst = make([]float64, n)
	}
	dst = dst[:n]
	copy(dst, unsafe.Slice((*float64)(unsafe.Pointer(p)), n))
	return dst
}

// RowActivity returns a copy of the row activities A x (length NumRows).
func (m *Model) RowActivity() []float64 { return m.vector(rowActivity) }

// Dual returns a copy of the row duals (shadow prices, length NumRows); see
// the package documentation for signs.
func (m *Model) Dual() []float64 { return m.vector(rowPrice) }

// ReducedCost returns a copy of the reduced costs (length NumCols):
// Objective[j] − Σᵢ Dual[i]·A[i][j].
func (m *Model) ReducedCost() []float64 { return m.vector(reducedCost) }

// ColLower returns a copy of the column lower bounds (−Inf when infinite).
func (m *Model) ColLower() []float64 { return m.vector(colLower) }

// ColUpper returns a copy of the column upper bounds (+Inf when infinite).
func (m *Model) ColUpper() []float64 { return m.vector(colUpper) }

// RowLower returns a copy of the row lower bounds (−Inf when infinite).
func (m *Model) RowLower() []float64 { return m.vector(rowLower) }

// RowUpper returns a copy of the row upper bounds (+Inf when infinite).
func (m *Model) RowUpper() []float64 { return m.vector(rowUpper) }

// ObjectiveCoefficients returns a copy of the objective vector c (length
// NumCols), as loaded (not negated for maximisation).
func (m *Model) ObjectiveCoefficients() []float64 { return m.vector(objCoefficients) }

// Problem returns a copy of the loaded problem, with its matrix in gap-free
// CSC form and infinite bounds as ±Inf. Useful after ReadMPS.
func (m *Model) Problem() Problem {
	if m.Closed() {
		return Problem{}
	}
	defer runtime.KeepAlive(m)
	nr, nc := m.NumRows(), m.NumCols()
	p := Problem{
		NumRows: nr, NumCols: nc,
		ColStart:  make([]int, nc+1),
		ColLower:  m.ColLower(),
		ColUpper:  m.ColUpper(),
		Objective: m.ObjectiveCoefficients(),
		RowLower:  m.RowLower(),
		RowUpper:  m.RowUpper(),
	}
	if nc == 0 {
		return p
	}
	starts := unsafe.Slice(C.Clp_getVectorStarts(m.p), nc)
	lengths := unsafe.Slice(C.Clp_getVectorLengths(m.p), nc)
	total := 0
	for j := range nc {
		total += int(lengths[j])
	}
	p.RowIndex = make([]int, 0, total)
	p.Values = make([]float64, 0, total)
	if total > 0 {
		// The stored arrays may have gaps: read each column's span.
		end := 0
		for j := range nc {
			end = max(end, int(starts[j])+int(lengths[j]))
		}
		index := unsafe.Slice(C.Clp_getIndices(m.p), end)
		elements := unsafe.Slice(C.Clp_getElements(m.p), end)
		for j := range nc {
			s := int(starts[j])
			for k := s; k < s+int(lengths[j]); k++ {
				p.RowIndex = append(p.RowIndex, int(index[k]))
				p.Values = append(p.Values, float64(elements[k]))
			}
			p.ColStart[j+1] = len(p.RowIndex)
		}
	}
	return p
}

// checkIndex returns an error wrapping ErrInvalid unless 0 ≤ i < n.
func checkIndex(what string, i, n int) error {
	if i < 0 || i >= n {
		return fmt.Errorf("%w: %s %d out of range [0, %d)", ErrInvalid, what, i, n)
	}
	return nil
}

// checkBounds returns an error wrapping ErrInvalid for a NaN, a lower bound
// of +Inf or an upper bound of −Inf.
func checkBounds(what string, lower, upper float64) error {
	if err := checkValue(lower, lowerBound); err != nil {
		return fmt.Errorf("%w: %s lower bound %v: %s", ErrInvalid, what, lower, err.Error())
	}
	if err := checkValue(upper, upperBound); err != nil {
		return fmt.Errorf("%w: %s upper bound %v: %s", ErrInvalid, what, upper, err.Error())
	}
	return nil
}

// SetColumnBounds sets the bounds of column j (±Inf for none), keeping the
// basis (and the work areas of a warm solve) for a warm re-solve. It takes
// O(1) time.
func (m *Model) SetColumnBounds(j int, lower, upper float64) error {
	return m.setBounds("column", j, lower, upper)
}

// SetRowBounds sets the bounds of row i (±Inf for none), keeping the basis
// (and the work areas of a warm solve) for a warm re-solve. It takes O(1)
// time.
func (m *Model) SetRowBounds(i int, lower, upper float64) error {
	return m.setBounds("row", i, lower, upper)
}

// setBounds sets the bounds of one column or row (what is "column" or
// "row"), for SetColumnBounds and SetRowBounds.
func (m *Model) setBounds(what string, i int, lower, upper float64) error {
	if m.Closed() {
		return ErrClosed
	}
	defer runtime.KeepAlive(m)
	n := m.NumCols()
	if what == "row" {
		n = m.NumRows()
	}
	if err := checkIndex(what, i, n); err != nil {
		return err
	}
	if err := checkBounds(fmt.Sprintf("%s %d", what, i), lower, upper); err != nil {
		return err
	}
	return m.setShimBounds(what, []C.int{C.int(i)}, []C.double{C.double(ToCOIN(lower))}, []C.double{C.double(ToCOIN(upper))})
}

// SetObjective sets the objective coefficient of column j (finite), keeping
// the basis (and the work areas of a warm solve) for a warm re-solve. It
// takes O(1) time.
func (m *Model) SetObjective(j int, c float64) error {
	if m.Closed() {
		return ErrClosed
	}
	defer runtime.KeepAlive(m)
	n := m.NumCols()
	if err := checkIndex("column", j, n); err != nil {
		return err
	}
	if err := checkValue(c, finiteValue); err != nil {
		return fmt.Errorf("%w: objective coefficient %v of column %d: %s", ErrInvalid, c, j, err.Error())
	}
	return m.setCosts([]C.int{C.int(j)}, []C.double{C.double(c)})
}

// SetColumnBoundSlices replaces all column bounds, keeping the basis for a
// warm re-solve. A nil slice leaves that side unchanged; otherwise the
// length must be NumCols. It compares the new bounds with the model's in
// O(NumCols) time and hands CLP only those that differ, so that a warm
// Solve keeps its work areas.
func (m *Model) SetColumnBoundSlices(lower, upper []float64) error {
	return m.setBoundSlices("column", lower, upper)
}

// SetRowBoundSlices replaces all row bounds (right-hand sides), keeping the
// basis for a warm re-solve. A nil slice leaves that side unchanged;
// otherwise the length must be NumRows. It compares the new bounds with
// the model's in O(NumRows) time and hands CLP only those that differ, so
// that a warm Solve keeps its work areas.
func (m *Model) SetRowBoundSlices(lower, upper []float64) error {
	return m.setBoundSlices("row", lower, upper)
}

// setBoundSlices replaces all column or row bounds (what is "column" or
// "row"), for SetColumnBoundSlices and SetRowBoundSlices.
func (m *Model) setBoundSlices(what string, lower, upper []float64) error {
	if m.Closed() {
		return ErrClosed
	}
	defer runtime.KeepAlive(m)
	n := m.NumCols()
	oldLower, oldUpper := C.Clp_getColLower(m.p), C.Clp_getColUpper(m.p)
	if what == "row" {
		n = m.NumRows()
		oldLower, oldUpper = C.Clp_getRowLower(m.p), C.Clp_getRowUpper(m.p)
	}
	if err := checkVector(what+" lower bounds", lower, n, lowerBound); err != nil {
		return err
	}
	if err := checkVector(what+" upper bounds", upper, n, upperBound); err != nil {
		return err
	}
	idx, lo, up := boundChanges(n, oldLower, oldUpper, lower, upper)
	return m.setShimBounds(what, idx, lo, up)
}

// SetObjectiveSlice replaces the objective vector (length NumCols, finite
// values), keeping the basis for a warm re-solve. Like SetRowBoundSlices it
// hands CLP only the coefficients that differ.
func (m *Model) SetObjectiveSlice(c []float64) error {
	if m.Closed() {
		return ErrClosed
	}
	defer runtime.KeepAlive(m)
	n := m.NumCols()
	if c == nil {
		return fmt.Errorf("%w: nil objective", ErrInvalid)
	}
	if err := checkVector("objective", c, n, finiteValue); err != nil {
		return err
	}
	if n == 0 {
		return nil
	}
	cur := unsafe.Slice((*float64)(unsafe.Pointer(C.Clp_getObjCoefficients(m.p))), n)
	var idx []C.int
	var val []C.double
	for j, x := range c {
		if x != cur[j] {
			idx = append(idx, C.int(j))
			val = append(val, C.double(x))
		}
	}
	return m.setCosts(idx, val)
}
