package cbc

import (
	"errors"
	"fmt"
)

// Sentinel errors. Solve wraps one of the first five; test with errors.Is.
var (
	// ErrInfeasible: CBC proved that no point satisfies the rows, bounds
	// and integrality.
	ErrInfeasible = errors.New("cbc: problem is infeasible")
	// ErrUnbounded: the LP relaxation is unbounded. The MIP itself is then
	// unbounded too, unless it has no integer point at all, which CBC does
	// not decide.
	ErrUnbounded = errors.New("cbc: problem is unbounded")
	// ErrTimeLimit: the time limit stopped the search with a feasible
	// solution whose gap is above the one asked for; Primal holds it.
	ErrTimeLimit = errors.New("cbc: stopped on the time limit with a feasible solution")
	// ErrNoSolution: the time limit stopped the search before any
	// feasible solution was found.
	ErrNoSolution = errors.New("cbc: stopped on the time limit without a feasible solution")
	// ErrNumerical: CBC abandoned the search on numerical difficulties, or
	// ended in a state this binding does not know.
	ErrNumerical = errors.New("cbc: stopped on numerical difficulties")

	// ErrInvalid: a problem, index or argument was rejected before reaching
	// CBC.
	ErrInvalid = errors.New("cbc: invalid input")
	// ErrClosed: the Model was used after Close.
	ErrClosed = errors.New("cbc: model is closed")
	// ErrMPS: an MPS file could not be read or written.
	ErrMPS = errors.New("cbc: MPS file error")
)

// Status is the outcome of a Solve.
type Status int

const (
	// NotSolved: no Solve since the problem was loaded.
	NotSolved Status = iota
	// Optimal: a solution proven optimal within the relative gap asked
	// for (SetGap); Gap reports the gap reached.
	Optimal
	// Infeasible: proven infeasible.
	Infeasible
	// Unbounded: the LP relaxation is unbounded (see ErrUnbounded).
	Unbounded
	// TimeLimitFeasible: stopped on the time limit with a feasible
	// solution, not proven within the gap.
	TimeLimitFeasible
	// TimeLimitNoSolution: stopped on the time limit without a feasible
	// solution.
	TimeLimitNoSolution
	// Abandoned: CBC gave up on numerical difficulties.
	Abandoned
)

// String returns "not solved", "optimal", "infeasible", "unbounded",
// "time limit" (with a solution), "no solution" (time limit without one)
// or "abandoned".
func (s Status) String() string {
	switch s {
	case NotSolved:
		return "not solved"
	case Optimal:
		return "optimal"
	case Infeasible:
		return "infeasible"
	case Unbounded:
		return "unbounded"
	case TimeLimitFeasible:
		return "time limit"
	case TimeLimitNoSolution:
		return "no solution"
	case Abandoned:
		return "abandoned"
	}
	return fmt.Sprintf("status %d", int(s))
}

// HasSolution reports whether the status comes with a feasible solution
// (Optimal or TimeLimitFeasible).
func (s Status) HasSolution() bool { return s == Optimal || s == TimeLimitFeasible }

// Err returns the sentinel error for s: nil for Optimal, ErrInfeasible,
// ErrUnbounded, ErrTimeLimit, ErrNoSolution, and ErrNumerical for
// Abandoned, NotSolved and unknown values.
func (s Status) Err() error {
	switch s {
	case Optimal:
		return nil
	case Infeasible:
		return ErrInfeasible
	case Unbounded:
		return ErrUnbounded
	case TimeLimitFeasible:
		return ErrTimeLimit
	case TimeLimitNoSolution:
		return ErrNoSolution
	}
	return ErrNumerical
}

// SecondaryStatusText describes CBC's secondary status code
// (CbcModel::secondaryStatus), which [Model.SecondaryStatus] returns.
func SecondaryStatusText(code int) string {
	switch code {
	case -1:
		return "unset"
	case 0:
		return "search completed with solution"
	case 1:
		return "linear relaxation not feasible (or worse than cutoff)"
	case 2:
		return "stopped on gap"
	case 3:
		return "stopped on nodes"
	case 4:
		return "stopped on time"
	case 5:
		return "stopped on user event"
	case 6:
		return "stopped on solutions"
	case 7:
		return "linear relaxation unbounded"
	case 8:
		return "stopped on iteration limit"
	}
	return fmt.Sprintf("secondary status %d", code)
}

// classify maps CBC's raw outcome to a Status: status is
// CbcModel::status (0 finished, 1 stopped on a limit, 2 abandoned, 5
// user interruption), secondary its refinement, hasSolution whether CBC
// holds an integer feasible solution, and unbounded whether it found the
// LP relaxation unbounded.
func classify(status, secondary int, hasSolution, unbounded bool) Status {
	switch {
	case unbounded || secondary == 7:
		return Unbounded
	case status == 0 && hasSolution:
		return Optimal
	case status == 0:
		return Infeasible
	case status == 1 && hasSolution:
		return TimeLimitFeasible
	case status == 1:
		return TimeLimitNoSolution
	}
	return Abandoned
}
