package timephased

import (
	"context"
	"errors"
	"fmt"
	"math"
	"time"

	"github.com/sillage/sillage/optimize/cbc"
	"github.com/sillage/sillage/optimize/clp"
)

// MIP methods.
const (
	MethodNone     = "none"     // no integer columns (or Options.RelaxationOnly)
	MethodCBC      = "cbc"      // branch and bound with CBC
	MethodRounding = "rounding" // the rounding heuristic
)

// Plan is PlanContext with a context that is never done.
func Plan(in *Input, opt Options) (*Result, error) {
	return PlanContext(context.Background(), in, opt)
}

// PlanContext builds and solves the time-phased model of in. It solves
// the LP relaxation with CLP (the source of the duals), then the week-0
// integer orders (see integerOrders). Errors wrap sillage.ErrInvalid for
// bad input, ErrInfeasible, ErrRounding, or the solvers' errors.
//
// It stops when ctx is done: CLP's simplex solves stop within an
// iteration (clp.Model.SolveContext), and ctx is checked after the build,
// between the rounds of the dive and before CBC; the error then wraps
// ctx.Err() and names the stage. CBC cannot be stopped through its C
// interface: a CBC search under way runs to its end, within
// Options.TimeLimitSeconds (10 s by default, and only with at most
// Options.MaxIntegers integer columns); its limit is cut to ctx's deadline
// when ctx has one.
func PlanContext(ctx context.Context, in *Input, opt Options) (*Result, error) {
	start := time.Now()
	opt = opt.withDefaults()
	h, err := in.horizon()
	if err != nil {
		return nil, err
	}
	m, err := build(in, h, opt)
	if err != nil {
		return nil, err
	}
	built := time.Since(start)
	if err := ctx.Err(); err != nil {
		return nil, fmt.Errorf("time-phased plan: stopped after the build: %w", err)
	}

	lp := clp.New()
	defer lp.Close()
	if err := lp.LoadProblem(m.prob.Problem); err != nil {
		return nil, fmt.Errorf("time-phased plan: load LP: %w", err)
	}
	if err := m.solveRelaxation(ctx, lp); err != nil {
		return nil, err
	}
	sol := solution{x: lp.Primal(), lpx: lp.Primal(), lpObjective: m.objective(lp.ObjectiveValue()), duals: lp.Dual()}
	sol.lpSeconds = time.Since(start).Seconds() - built.Seconds()
	sol.mip = MIP{Status: "optimal", Method: MethodNone, ObjectiveEUR: sol.lpObjective, BoundEUR: sol.lpObjective, Integers: m.prob.NumIntegers()}

	if sol.mip.Integers > 0 {
		if err := m.integerOrders(ctx, &sol, opt, lp); err != nil {
			return nil, err
		}
	}
	res := m.read(&sol)
	res.BuildSeconds = built.Seconds()
	res.LPSeconds = sol.lpSeconds
	res.Seconds = time.Since(start).Seconds()
	res.ServiceLevel = in.ServiceLevel
	if res.ServiceLevel == 0 {
		res.ServiceLevel = DefaultServiceLevel
	}
	res.Safety = SafetyReport{Method: in.SafetyMethod, ServiceLevel: res.ServiceLevel, Targets: in.SafetyBasis}
	switch {
	case res.Safety.Method == "" && len(in.Safety) > 0:
		res.Safety.Method = "given"
	case res.Safety.Method == "":
		res.Safety.Method = "none"
	}
	return res, nil
}

// solution is the solvers' raw output.
type solution struct {
	x           []float64
	lpx         []float64 // the LP relaxation's point
	lpSeconds   float64
	duals       []float64 // of the LP relaxation
	lpObjective float64
	mip         MIP
	notes       []string
}

// solveMIP solves the model with CBC from start (the rounding
// heuristic's point; nil: none). It returns the solution, its objective, CBC's best bound and a
// status: "optimal" (within the gap) or "time-limit". CBC's C interface
// has no way to stop a search: ctx is checked before it starts, and its
// time limit is cut to ctx's deadline.
func solveMIP(ctx context.Context, m *model, opt Options, start []float64) (x []float64, obj, bound float64, status string, err error) {
	if err := ctx.Err(); err != nil {
		return nil, 0, 0, "", err
	}
	mm := cbc.New()
	defer mm.Close()
	if err = mm.LoadProblem(m.prob); err != nil {
		return nil, 0, 0, "", err
	}
	limit := opt.TimeLimitSeconds
	if d, ok := ctx.Deadline(); ok {
		limit = min(limit, max(time.Until(d).Seconds(), 0.001))
	}
	mm.SetTimeLimit(limit)
	if err = mm.SetGap(opt.Gap); err != nil {
		return nil, 0, 0, "", err
	}
	mm.SetThreads(opt.Threads)
	if start != nil {
		_ = mm.SetMIPStart(start) // a hint only
	}
	err = mm.Solve()
	status = "optimal"
	if errors.Is(err, cbc.ErrTimeLimit) {
		status = "time-limit"
	}
	if err != nil && !errors.Is(err, cbc.ErrTimeLimit) {
		return nil, 0, 0, "", err
	}
	return mm.Primal(), m.objective(mm.ObjectiveValue()), m.objective(mm.BestBound()), status, err
}

// relGap is CBC's relative gap: (objective − bound) / max(|objective|,
// |bound|), 0 when both are 0.
func relGap(obj, bound float64) float64 {
	d := math.Max(math.Abs(obj), math.Abs(bound))
	if d == 0 {
		return 0
	}
	return math.Max(0, obj-bound) / d
}

// solveRelaxation solves the LP relaxation of m, loaded in lp, with the
// dual simplex (warm when lp keeps a basis). It returns an error wrapping
// ctx's error when ctx ended the solve, ErrInfeasible when the relaxation
// is infeasible, and an error with CLP's status for any other outcome
// than optimal.
func (m *model) solveRelaxation(ctx context.Context, lp *clp.Model) error {
	if err := lp.SolveContext(ctx, clp.DualSimplex); err != nil || lp.Status() != clp.Optimal {
		if ctx.Err() != nil {
			return fmt.Errorf("time-phased plan: LP relaxation: %w", ctx.Err())
		}
		if lp.Status() == clp.Infeasible {
			return fmt.Errorf("%w: %d rows, %d columns", ErrInfeasible, m.prob.NumRows, m.prob.NumCols)
		}
		return fmt.Errorf("time-phased plan: LP relaxation: status %v: %w", lp.Status(), err)
	}
	return nil
}
