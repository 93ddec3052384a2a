package cbc

/*
#cgo pkg-config: cbc
#include <stdio.h>
#include <stdlib.h>
#include <coin/Cbc_C_Interface.h>

// sillage_cbc_flush_stdout flushes C's stdout, where CBC writes its log.
static void sillage_cbc_flush_stdout(void) { fflush(stdout); }
*/
import "C"

import (
	"fmt"
	"math"
	"strconv"
	"sync"
	"sync/atomic"
	"time"
	"unsafe"

	"github.com/sillage/sillage/optimize/clp"
)

// liveModels counts CBC models allocated and not yet freed (tests use it to
// check that every call frees what it allocates).
var liveModels atomic.Int64

// cbcMain serialises CBC's solves in the process: Cbc_solve runs CBC's
// command-line driver (CbcMain0 and CbcMain1), which keeps its parameters
// and input state in globals. Two solves at once corrupted each other in
// TestConcurrentModels (one returned "numerical difficulties" on a MIP
// solved alone in a millisecond).
var cbcMain sync.Mutex

// DefaultGap is the relative gap of a new Model: 1 %.
const DefaultGap = 0.01

// Model is one mixed-integer program with its solver settings and the
// result of its last Solve. It holds the problem in Go memory; CBC's C
// memory lives only during Solve (see the package documentation).
//
// A Model is not safe for concurrent use; distinct Models are.
type Model struct {
	closed bool
	p      Problem
	names  *names // row and column names for WriteMPS; nil for none

	maximize  bool
	timeLimit float64 // wall-clock seconds per Solve; 0 means none
	gap       float64 // relative gap at which the search stops
	threads   int     // CBC threads; ≤ 1 means CBC's default (none)
	logLevel  int

	startIdx []int     // MIP start: integer columns and their values
	startVal []float64 //

	res result // of the last Solve
}

// names are the row and column names of a problem.
type names struct{ rows, cols []string }

// result is what a Solve leaves, copied out of CBC.
type result struct {
	status     Status
	secondary  int
	objective  float64 // including the constant; NaN without a solution
	bound      float64 // best bound, including the constant; NaN if none
	x          []float64
	nodes      int
	iterations int
	seconds    float64
}

// New returns an empty, silent (log level 0) minimisation model with no
// time limit, a relative gap of DefaultGap (1 %) and CBC's default of one
// thread.
func New() *Model {
	return &Model{gap: DefaultGap, res: notSolved()}
}

func notSolved() result {
	return result{status: NotSolved, secondary: -1, objective: math.NaN(), bound: math.NaN()}
}

// Close releases the model's problem and solution. It is idempotent; after
// Close the methods that return an error return ErrClosed, the others
// zero values. (The model holds no C memory between calls: Close only lets
// the Go memory go sooner.)
func (m *Model) Close() {
	if m == nil {
		return
	}
	*m = Model{closed: true, res: notSolved()}
}

// Closed reports whether Close was called.
func (m *Model) Closed() bool { return m == nil || m.closed }

// LoadProblem replaces the model's problem with a copy of p. It validates p
// first and returns an error wrapping ErrInvalid without touching the
// model if p is malformed. The direction, limits and gap are kept; the
// names, the MIP start and the last solution are dropped. It takes
// O(NumRows + NumCols + NumElements) time.
func (m *Model) LoadProblem(p Problem) error {
	if m.Closed() {
		return ErrClosed
	}
	if err := p.Validate(); err != nil {
		return err
	}
	m.p = p.clone()
	m.names, m.startIdx, m.startVal = nil, nil, nil
	m.res = notSolved()
	return nil
}

// Problem returns a copy of the loaded problem.
func (m *Model) Problem() Problem {
	if m.Closed() {
		return Problem{}
	}
	return m.p.clone()
}

// loaded returns the loaded problem, not a copy: the zero Problem for a
// nil or closed Model.
func (m *Model) loaded() *Problem {
	if m.Closed() {
		return &Problem{}
	}
	return &m.p
}

// NumRows returns the number of rows (constraints).
func (m *Model) NumRows() int { return m.loaded().NumRows }

// NumCols returns the number of columns (variables).
func (m *Model) NumCols() int { return m.loaded().NumCols }

// NumIntegers returns the number of integer columns.
func (m *Model) NumIntegers() int { return m.loaded().NumIntegers() }

// SetMaximize sets the objective direction: maximise when max is true,
// minimise (the default) otherwise.
func (m *Model) SetMaximize(max bool) {
	if !m.Closed() {
		m.maximize = max
	}
}

// Maximize reports whether the model maximises its objective.
func (m *Model) Maximize() bool { return !m.Closed() && m.maximize }

// SetTimeLimit limits each later Solve to seconds of wall-clock time (CBC's
// timeMode elapsed); 0, a negative value, NaN or +Inf removes the limit. A
// problem without integer columns is solved by CLP, whose limit counts CPU
// seconds of the process instead.
func (m *Model) SetTimeLimit(seconds float64) {
	if m.Closed() {
		return
	}
	if math.IsNaN(seconds) || math.IsInf(seconds, 1) || seconds <= 0 {
		seconds = 0
	}
	m.timeLimit = seconds
}

// SetGap sets the relative gap at which the search stops and reports
// Optimal: (best objective − best bound) / max(|best objective|, |best
// bound|), as CBC's ratioGap measures it. The default is DefaultGap
// (0.01, 1 %); 0 asks for a proven optimum. It returns an error wrapping
// ErrInvalid for a negative, NaN or infinite gap.
func (m *Model) SetGap(relative float64) error {
	if m.Closed() {
		return ErrClosed
	}
	if math.IsNaN(relative) || math.IsInf(relative, 0) || relative < 0 {
		return fmt.Errorf("%w: gap %v, want a finite value ≥ 0", ErrInvalid, relative)
	}
	m.gap = relative
	return nil
}

// SetThreads sets how many threads CBC's branch and bound uses; n ≤ 1 (the
// default) runs it on the calling thread. Debian's CBC is built with
// threads. With several threads the search order, and so the solution
// among equally good ones and the time to reach the gap, can differ from
// one run to the next.
func (m *Model) SetThreads(n int) {
	if !m.Closed() {
		m.threads = max(n, 1)
	}
}

// SetLogLevel sets how much CBC writes to standard output: 0 nothing (the
// default), 1 CBC's normal log, up to 3 for more. Values are clamped to
// [0, 3].
func (m *Model) SetLogLevel(level int) {
	if !m.Closed() {
		m.logLevel = min(max(level, 0), 3)
	}
}

// SetMIPStart gives CBC a starting solution, for instance the plan of the
// previous run: x has one value per column (length NumCols); CBC takes the
// values of the integer columns, computes the continuous ones with the
// integer columns fixed, and starts from the result if it is feasible
// (otherwise it ignores it). Values of integer columns must be integers
// within 1e-6. A nil x removes the start. It is kept until the next load
// and returns an error wrapping ErrInvalid for a wrong length or value.
func (m *Model) SetMIPStart(x []float64) error {
	if m.Closed() {
		return ErrClosed
	}
	if x == nil {
		m.startIdx, m.startVal = nil, nil
		return nil
	}
	if len(x) != m.p.NumCols {
		return fmt.Errorf("%w: MIP start has %d values for %d columns", ErrInvalid, len(x), m.p.NumCols)
	}
	var idx []int
	var val []float64
	for j, isInt := range m.p.Integer {
		if !isInt {
			continue
		}
		v := x[j]
		if math.IsNaN(v) || math.IsInf(v, 0) || math.Abs(v-math.Round(v)) > 1e-6 {
			return fmt.Errorf("%w: MIP start value %v of integer column %d is not an integer", ErrInvalid, v, j)
		}
		idx = append(idx, j)
		val = append(val, math.Round(v))
	}
	m.startIdx, m.startVal = idx, val
	return nil
}

// Solve solves the loaded problem and returns nil when CBC finds a solution
// proven optimal within the gap (Optimal). Otherwise it returns an error
// wrapping ErrInfeasible, ErrUnbounded, ErrTimeLimit (a feasible solution
// is available: Primal, ObjectiveValue, Gap), ErrNoSolution or
// ErrNumerical; ErrClosed after Close. It can be called again, after a
// change of limits, gap or MIP start: every Solve starts from the problem
// as loaded.
//
// A problem without integer columns is an LP: Solve hands it to CLP's dual
// simplex (optimize/clp), which tells infeasible from unbounded where
// CBC's C interface cannot.
func (m *Model) Solve() error {
	if m.Closed() {
		return ErrClosed
	}
	if m.p.NumIntegers() == 0 {
		start := time.Now()
		m.res = m.solveLP()
		m.res.seconds = time.Since(start).Seconds()
	} else {
		cbcMain.Lock()
		start := time.Now() // not counting the wait for another solve
		m.res = m.solveMIP()
		m.res.seconds = time.Since(start).Seconds()
		cbcMain.Unlock()
	}
	if err := m.res.status.Err(); err != nil {
		return fmt.Errorf("%w (CBC secondary status %d: %s; %d nodes, %.3f s)",
			err, m.res.secondary, SecondaryStatusText(m.res.secondary), m.res.nodes, m.res.seconds)
	}
	return nil
}

// solveMIP builds a CBC model from the problem, solves it and copies the
// result out; the C model is freed before it returns. Building takes
// O(NumRows + NumCols + NumElements) time.
// The caller holds cbcMain.
func (m *Model) solveMIP() result {
	c := newCModel()
	defer c.free()
	p := &m.p
	start := make([]C.CoinBigIndex, p.NumCols+1)
	for j := 1; j <= p.NumCols; j++ {
		start[j] = C.CoinBigIndex(p.ColStart[j])
	}
	C.Cbc_loadProblem(c.p, C.int(p.NumCols), C.int(p.NumRows),
		&start[0], intsPtr(p.RowIndex), doublesPtr(p.Values, false),
		doublesPtr(p.ColLower, true), doublesPtr(p.ColUpper, true), doublesPtr(p.Objective, false),
		doublesPtr(p.RowLower, true), doublesPtr(p.RowUpper, true))
	for j, isInt := range p.Integer {
		if isInt {
			C.Cbc_setInteger(c.p, C.int(j))
		}
	}
	sense := 1.0
	if m.maximize {
		sense = -1
	}
	C.Cbc_setObjSense(c.p, C.double(sense))

	c.param("log", strconv.Itoa(m.logLevel))
	c.param("slog", strconv.Itoa(m.logLevel))
	c.param("ratioGap", strconv.FormatFloat(m.gap, 'g', -1, 64))
	if m.timeLimit > 0 {
		c.param("timeMode", "elapsed")
		c.param("seconds", strconv.FormatFloat(m.timeLimit, 'g', -1, 64))
	}
	if m.threads > 1 {
		c.param("threads", strconv.Itoa(m.threads))
	}
	if len(m.startIdx) > 0 {
		C.Cbc_setMIPStartI(c.p, C.int(len(m.startIdx)), intsPtr(m.startIdx), doublesPtr(m.startVal, false))
	}

	C.Cbc_solve(c.p)
	if m.logLevel > 0 {
		C.sillage_cbc_flush_stdout()
	}

	best := C.Cbc_bestSolution(c.p)
	r := result{
		secondary:  int(C.Cbc_secondaryStatus(c.p)),
		nodes:      int(C.Cbc_getNodeCount(c.p)),
		iterations: int(C.Cbc_getIterationCount(c.p)),
		objective:  math.NaN(),
		bound:      math.NaN(),
	}
	r.status = classify(int(C.Cbc_status(c.p)), r.secondary, best != nil, C.Cbc_isContinuousUnbounded(c.p) != 0)
	switch r.status {
	case Optimal, TimeLimitFeasible:
		r.x = copyDoubles(best, p.NumCols)
		for j, isInt := range p.Integer {
			if isInt {
				r.x[j] = math.Round(r.x[j])
			}
		}
		// CBC's own objective value can be stale (see objectiveOf): report
		// the solution's, and shift the bound by the same amount, which
		// keeps the distance CBC proved between its solution and bound.
		r.objective = objectiveOf(p, r.x)
		stale := float64(C.Cbc_getObjValue(c.p)) + p.ObjectiveConstant
		r.bound = clp.FromCOIN(float64(C.Cbc_getBestPossibleObjValue(c.p))) + p.ObjectiveConstant + (r.objective - stale)
	case TimeLimitNoSolution:
		r.bound = clp.FromCOIN(float64(C.Cbc_getBestPossibleObjValue(c.p))) + p.ObjectiveConstant
	case Unbounded:
		r.objective = math.Inf(-int(sense))
	}
	return r
}

// objectiveOf returns cᵀx + constant. Solve reports it rather than CBC's
// own value, which CBC 2.10.8 can leave stale when its postprocessing
// changes the solution (message Cgl0014I "Postprocessing changed
// objective", seen on 5 of 3,000 random MIPs, where the solution's value
// was the true optimum).
func objectiveOf(p *Problem, x []float64) float64 {
	v := p.ObjectiveConstant
	for j, c := range p.Objective {
		v += c * x[j]
	}
	return v
}

// Version returns the version of the CBC library in use, such as "2.10.8".
func Version() string { return C.GoString(C.Cbc_getVersion()) }

// cModel is a Cbc_Model* that exists for the length of one call.
type cModel struct{ p unsafe.Pointer } // Cbc_Model*, a void* in the C header

func newCModel() cModel {
	liveModels.Add(1)
	return cModel{C.Cbc_newModel()}
}

func (c cModel) free() {
	C.Cbc_deleteModel(c.p)
	liveModels.Add(-1)
}

// param sets one of CBC's command-line parameters ("-name value").
func (c cModel) param(name, value string) {
	cn, cv := C.CString(name), C.CString(value)
	defer C.free(unsafe.Pointer(cn))
	defer C.free(unsafe.Pointer(cv))
	C.Cbc_setParameter(c.p, cn, cv)
}

// intsPtr returns a C copy of v, never NULL (a one-element array for an
// empty v); Go memory, valid for the call it is passed to.
func intsPtr(v []int) *C.int {
	c := make([]C.int, len(v)+1)
	for k, x := range v {
		c[k] = C.int(x)
	}
	return &c[0]
}

// doublesPtr returns a C copy of v, with ±Inf in COIN-OR's form when
// bounds is set, or nil for a nil or empty v (COIN-OR's default).
func doublesPtr(v []float64, bounds bool) *C.double {
	if len(v) == 0 {
		return nil
	}
	c := make([]C.double, len(v))
	for k, x := range v {
		if bounds {
			x = clp.ToCOIN(x)
		}
		c[k] = C.double(x)
	}
	return &c[0]
}

// copyDoubles copies n doubles from a C array; nil when p is NULL. It is
// the one accessor of C vectors in this package.
func copyDoubles(p *C.double, n int) []float64 {
	if p == nil || n <= 0 {
		return nil
	}
	out := make([]float64, n)
	copy(out, unsafe.Slice((*float64)(unsafe.Pointer(p)), n))
	return out
}
