package timephased

import (
	"errors"
	"fmt"
	"math"
	"slices"
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

// Plan builds and solves the time-phased model of in. It solves the LP
// relaxation with CLP (the source of the duals), then the week-0 integer
// orders with CBC, or with the rounding heuristic when there are more than
// Options.MaxIntegers integer columns, when Options.Rounding asks for it,
// or when CBC finds no integer solution within its time limit. Errors wrap
// sillage.ErrInvalid for bad input, ErrInfeasible, ErrRounding, or the
// solvers' errors.
func Plan(in *Input, opt Options) (*Result, error) {
	start := time.Now()
	opt = opt.withDefaults()
	h := in.Weeks
	if h == 0 {
		h = DefaultWeeks
	}
	if err := in.check(h); err != nil {
		return nil, err
	}
	m, err := build(in, h, opt)
	if err != nil {
		return nil, err
	}
	built := time.Since(start)

	lp := clp.New()
	defer lp.Close()
	if err := lp.LoadProblem(m.prob.Problem); err != nil {
		return nil, fmt.Errorf("time-phased plan: load LP: %w", err)
	}
	if err := lp.Solve(clp.DualSimplex); err != nil || lp.Status() != clp.Optimal {
		if lp.Status() == clp.Infeasible {
			return nil, fmt.Errorf("%w: %d rows, %d columns", ErrInfeasible, m.prob.NumRows, m.prob.NumCols)
		}
		return nil, fmt.Errorf("time-phased plan: LP relaxation: status %v: %w", lp.Status(), err)
	}
	sol := solution{x: lp.Primal(), lpx: lp.Primal(), lpObjective: lp.ObjectiveValue(), duals: lp.Dual()}
	sol.mip = MIP{Status: "optimal", Method: MethodNone, ObjectiveEUR: sol.lpObjective, BoundEUR: sol.lpObjective, Integers: m.prob.NumIntegers()}

	if sol.mip.Integers > 0 {
		t0 := time.Now()
		useRounding := opt.Rounding || sol.mip.Integers > opt.MaxIntegers
		if !useRounding {
			x, obj, bound, status, err := solveMIP(m, opt, sol.x)
			switch {
			case errors.Is(err, cbc.ErrNoSolution):
				useRounding = true
				sol.notes = append(sol.notes, "CBC found no integer solution within the time limit; week-0 orders rounded")
			case err != nil && !errors.Is(err, cbc.ErrTimeLimit):
				return nil, fmt.Errorf("time-phased plan: week-0 orders: %w", err)
			default:
				sol.x = x
				sol.mip = MIP{Status: status, Method: MethodCBC, ObjectiveEUR: obj, BoundEUR: bound, Integers: sol.mip.Integers}
			}
		}
		if useRounding {
			x, obj, err := roundWeek0(m, sol.x)
			if err != nil {
				return nil, err
			}
			sol.x = x
			sol.mip = MIP{Status: "heuristic", Method: MethodRounding, ObjectiveEUR: obj, BoundEUR: sol.lpObjective, Integers: sol.mip.Integers}
		}
		sol.mip.Seconds = time.Since(t0).Seconds()
		sol.mip.Gap = relGap(sol.mip.ObjectiveEUR, sol.mip.BoundEUR)
	}
	res := m.read(&sol)
	res.BuildSeconds = built.Seconds()
	res.Seconds = time.Since(start).Seconds()
	res.ServiceLevel = in.ServiceLevel
	if res.ServiceLevel == 0 {
		res.ServiceLevel = DefaultServiceLevel
	}
	return res, nil
}

// solution is the solvers' raw output.
type solution struct {
	x           []float64
	lpx         []float64 // the LP relaxation's point
	duals       []float64 // of the LP relaxation
	lpObjective float64
	mip         MIP
	notes       []string
}

// solveMIP solves the model with CBC from the rounded LP solution as a
// start. It returns the solution, its objective, CBC's best bound and a
// status: "optimal" (within the gap) or "time-limit".
func solveMIP(m *model, opt Options, lpx []float64) (x []float64, obj, bound float64, status string, err error) {
	mm := cbc.New()
	defer mm.Close()
	if err = mm.LoadProblem(m.prob); err != nil {
		return nil, 0, 0, "", err
	}
	mm.SetTimeLimit(opt.TimeLimitSeconds)
	if err = mm.SetGap(opt.Gap); err != nil {
		return nil, 0, 0, "", err
	}
	mm.SetThreads(opt.Threads)
	if start, serr := roundedStart(m, lpx); serr == nil {
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
	return mm.Primal(), mm.ObjectiveValue(), mm.BestBound(), status, err
}

// roundedStart is the rounding heuristic's point without the LP re-solve
// of the continuous part: a MIP start for CBC.
func roundedStart(m *model, lpx []float64) ([]float64, error) {
	x := slices.Clone(lpx)
	roundIntegers(m, x)
	return x, nil
}

// roundIntegers rounds the integer columns of x in place: each week-0
// line down to whole packs, and to zero when that falls below its MOQ;
// the line's 0/1 column follows.
func roundIntegers(m *model, x []float64) {
	for j, c := range m.cols {
		if c.kind != colShip || !m.prob.Integer[j] {
			continue
		}
		packs := math.Floor(x[j] + 1e-6)
		if c.moq > 0 && packs*c.pack < c.moq-1e-9 {
			packs = 0
		}
		x[j] = packs
	}
	for j, c := range m.cols {
		if c.kind == colOpen {
			x[j] = 0
			if x[c.pair] > 0 {
				x[j] = 1
			}
		}
	}
}

// roundWeek0 is the rounding heuristic: round the LP relaxation's week-0
// lines down to whole packs (to zero below the MOQ), fix them, and re-solve
// the LP of the later weeks, which stay continuous. Rounding down never
// breaks a capacity, and a unit less in week 0 can only become a lost sale
// later, so the fixed model stays feasible when every lane takes at least
// one day. It returns the point and its objective, whose gap to the LP
// bound Plan reports. One LP re-solve: the cost of a CLP solve.
func roundWeek0(m *model, lpx []float64) ([]float64, float64, error) {
	x := slices.Clone(lpx)
	roundIntegers(m, x)
	p := m.prob.Problem
	p.ColLower, p.ColUpper = slices.Clone(p.ColLower), slices.Clone(p.ColUpper)
	for j := range m.cols {
		if m.prob.Integer[j] {
			p.ColLower[j], p.ColUpper[j] = x[j], x[j]
		}
	}
	lp := clp.New()
	defer lp.Close()
	if err := lp.LoadProblem(p); err != nil {
		return nil, 0, fmt.Errorf("time-phased plan: rounding: %w", err)
	}
	if err := lp.Solve(clp.DualSimplex); err != nil || lp.Status() != clp.Optimal {
		return nil, 0, fmt.Errorf("%w (status %v)", ErrRounding, lp.Status())
	}
	return lp.Primal(), lp.ObjectiveValue(), nil
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
