package clp

import (
	"errors"
	"fmt"
)

// Sentinel errors. Solve wraps one of the first four; test with errors.Is.
var (
	// ErrInfeasible: CLP proved the problem primal infeasible (status 1).
	ErrInfeasible = errors.New("clp: problem is infeasible")
	// ErrUnbounded: CLP proved the problem dual infeasible (status 2), that
	// is, primal unbounded when it is feasible. A problem that is both
	// primal and dual infeasible may be reported with either error.
	ErrUnbounded = errors.New("clp: problem is unbounded")
	// ErrLimit: the solve stopped on the time or iteration limit (status 3)
	// before proving anything. SecondaryStatus is 9 when time ran out.
	ErrLimit = errors.New("clp: stopped on a time or iteration limit")
	// ErrNumerical: CLP stopped on errors, usually numerical difficulties
	// (status 4), or reported a status this binding does not know.
	ErrNumerical = errors.New("clp: stopped on numerical difficulties")

	// ErrInvalid: a problem, index or argument was rejected before reaching
	// CLP.
	ErrInvalid = errors.New("clp: invalid input")
	// ErrClosed: the Model was used after Close.
	ErrClosed = errors.New("clp: model is closed")
	// ErrMPS: CLP could not read or write an MPS file.
	ErrMPS = errors.New("clp: MPS file error")
)

// Status is CLP's problem status after a solve.
type Status int

// The values are CLP's own codes (ClpModel::status).
const (
	NotSolved  Status = -1 // no solve yet since the problem was loaded
	Optimal    Status = 0  // proven optimal
	Infeasible Status = 1  // primal infeasible
	Unbounded  Status = 2  // dual infeasible (primal unbounded)
	Limit      Status = 3  // stopped on iterations or time
	Error      Status = 4  // stopped due to errors
	Stopped    Status = 5  // stopped by its event handler: SolveContext's context was done
)

// String returns "not solved", "optimal", "infeasible", "unbounded",
// "limit", "error", or "status N" for a code CLP does not document.
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
	case Limit:
		return "limit"
	case Error:
		return "error"
	case Stopped:
		return "stopped"
	}
	return fmt.Sprintf("status %d", int(s))
}

// Err returns the sentinel error for s: nil for Optimal, ErrInfeasible,
// ErrUnbounded, ErrLimit, and ErrNumerical for Error, Stopped (which
// SolveContext turns into its context's error) and unknown codes.
// NotSolved also maps to ErrNumerical: a solve that leaves it means CLP did
// not run.
func (s Status) Err() error {
	switch s {
	case Optimal:
		return nil
	case Infeasible:
		return ErrInfeasible
	case Unbounded:
		return ErrUnbounded
	case Limit:
		return ErrLimit
	}
	return ErrNumerical
}

// SecondaryStatusText describes CLP's secondary status code
// (ClpModel::secondaryStatus), which refines Status.
func SecondaryStatusText(code int) string {
	switch code {
	case 0:
		return "none"
	case 1:
		return "primal infeasible because dual limit reached, or probably infeasible but not proven"
	case 2:
		return "scaled problem optimal, unscaled problem has primal infeasibilities"
	case 3:
		return "scaled problem optimal, unscaled problem has dual infeasibilities"
	case 4:
		return "scaled problem optimal, unscaled problem has primal and dual infeasibilities"
	case 5:
		return "giving up in primal with flagged variables"
	case 6:
		return "failed due to empty problem check"
	case 7:
		return "postsolve says not optimal"
	case 8:
		return "failed due to bad element check"
	case 9:
		return "stopped on time"
	case 10:
		return "stopped as primal feasible"
	}
	if code >= 100 {
		return fmt.Sprintf("stopped by event handler (%d)", code)
	}
	return fmt.Sprintf("secondary status %d", code)
}

// Method selects CLP's algorithm for Solve.
type Method int

const (
	// DualSimplex is CLP's dual simplex, the default. Use it after bound
	// or right-hand side changes.
	DualSimplex Method = iota
	// PrimalSimplex is CLP's primal simplex. Use it after cost changes.
	PrimalSimplex
	// Barrier is CLP's interior point method followed by crossover to a
	// basic solution (Clp_initialBarrierSolve), so duals, reduced costs
	// and a basis for later warm starts are available. It always starts
	// from scratch, with presolve.
	Barrier
)

// methodNames are the names String gives the methods and ParseMethod
// parses, indexed by Method.
var methodNames = [...]string{DualSimplex: "dual", PrimalSimplex: "primal", Barrier: "barrier"}

// String returns "dual", "primal" or "barrier".
func (m Method) String() string {
	if m >= 0 && int(m) < len(methodNames) {
		return methodNames[m]
	}
	return fmt.Sprintf("method %d", int(m))
}

// ParseMethod parses "dual", "primal" or "barrier".
func ParseMethod(s string) (Method, error) {
	for m, name := range methodNames {
		if s == name {
			return Method(m), nil
		}
	}
	return 0, fmt.Errorf("%w: unknown method %q (want dual, primal or barrier)", ErrInvalid, s)
}
