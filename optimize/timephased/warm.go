package timephased

import (
	"context"
	"errors"
	"fmt"
	"math"
	"slices"
	"time"

	"github.com/sillage/sillage"
	"github.com/sillage/sillage/optimize/clp"
)

// ErrNotInModel is returned by Session.SetStock for a site and product
// that have no inventory balance in the model (no demand, no safety
// target, not a DC that can hold the product): a stock change there
// cannot change the plan until the model is built again.
var ErrNotInModel = errors.New("time-phased plan: site and product not in the model")

// Session keeps a solved time-phased model and CLP's basis, so that a
// re-plan after a stock change starts from the previous optimum (a warm
// dual simplex: a stock change moves the right-hand side of one balance
// row, and the previous basis stays dual feasible). The integer week-0
// orders of a Session come from the rounding heuristic, solved warm too
// on a second CLP model that keeps the rounded plan (its week-0 lines
// fixed by their bounds); CBC is not run. The session holds the model
// twice in CLP. A Session is not safe for concurrent use;
// Close frees its CLP model.
type Session struct {
	m   *model
	lp  *clp.Model // the LP relaxation
	fix *clp.Model // the rounded plan: week-0 lines fixed (nil until the first rounding)
	opt Options
	in  *Input
}

// NewSession is NewSessionContext with a context that is never done.
func NewSession(in *Input, opt Options) (*Session, *Result, error) {
	return NewSessionContext(context.Background(), in, opt)
}

// NewSessionContext builds and solves the model of in cold, like
// PlanContext, and keeps it for re-plans. It stops when ctx is done, as
// PlanContext does (CLP's solves stop within an iteration). Errors are
// PlanContext's.
func NewSessionContext(ctx context.Context, in *Input, opt Options) (*Session, *Result, error) {
	start := time.Now()
	opt = opt.withDefaults()
	h, err := in.horizon()
	if err != nil {
		return nil, nil, err
	}
	m, err := build(in, h, opt)
	if err != nil {
		return nil, nil, err
	}
	built := time.Since(start)
	s := &Session{m: m, lp: clp.New(), opt: opt, in: in}
	if err := s.lp.LoadProblem(m.prob.Problem); err != nil {
		s.Close()
		return nil, nil, fmt.Errorf("time-phased plan: load LP: %w", err)
	}
	if err := ctx.Err(); err != nil {
		s.Close()
		return nil, nil, fmt.Errorf("time-phased plan: stopped after the build: %w", err)
	}
	res, err := s.solve(ctx, start)
	if err != nil {
		s.Close()
		return nil, nil, err
	}
	res.BuildSeconds = built.Seconds()
	return s, res, nil
}

// Close frees the session's CLP models; the session is unusable after.
func (s *Session) Close() {
	s.lp.Close()
	if s.fix != nil {
		s.fix.Close()
	}
}

// SetStock sets the stock on hand and reserved of a site and product at
// the start of the plan (units), as a new stock reading would. It returns
// an error wrapping sillage.ErrInvalid for an unknown site or product or
// a negative or non-finite quantity, and ErrNotInModel when the pair has
// no balance in the model. O(1) but for the name look-ups.
func (s *Session) SetStock(site, sku string, onHand, reserved float64) error {
	n := s.m.n
	i, ok := n.SiteIndex()[site]
	if !ok {
		return fmt.Errorf("%w: set stock: unknown site %q", sillage.ErrInvalid, site)
	}
	k, ok := n.ProductIndex()[sku]
	if !ok {
		return fmt.Errorf("%w: set stock: unknown product %q", sillage.ErrInvalid, sku)
	}
	if !finiteNonNeg(onHand) || !finiteNonNeg(reserved) {
		return fmt.Errorf("%w: set stock of %s at %s: on hand %v, reserved %v; want finite numbers ≥ 0", sillage.ErrInvalid, sku, site, onHand, reserved)
	}
	q, ok := s.m.red.pairOf[[2]int{i, k}]
	if !ok {
		return fmt.Errorf("%w: %s at %s", ErrNotInModel, sku, site)
	}
	pr := &s.m.red.pairs[q]
	pr.open = max(0, onHand-reserved)
	r := q * s.m.h
	rhs := pr.demand[0] - pr.inTransit[0] - pr.open
	s.m.prob.RowLower[r], s.m.prob.RowUpper[r] = rhs, rhs
	if err := s.lp.SetRowBounds(r, rhs, rhs); err != nil {
		return fmt.Errorf("time-phased plan: set stock: %w", err)
	}
	if s.fix != nil {
		if err := s.fix.SetRowBounds(r, rhs, rhs); err != nil {
			return fmt.Errorf("time-phased plan: set stock: %w", err)
		}
	}
	return nil
}

// Replan is ReplanContext with a context that is never done.
func (s *Session) Replan() (*Result, error) { return s.ReplanContext(context.Background()) }

// ReplanContext re-solves the model from the previous basis after
// SetStock calls, and returns the plan (Result.BuildSeconds is 0: nothing
// is built). It stops when ctx is done; the session stays usable (its
// next solve starts from the basis the stopped one reached). Errors are
// PlanContext's.
func (s *Session) ReplanContext(ctx context.Context) (*Result, error) {
	return s.solve(ctx, time.Now())
}

// solve solves the LP relaxation (cold the first time, warm after), then
// the week-0 integer orders by warm rounding, and reads the result.
func (s *Session) solve(ctx context.Context, start time.Time) (*Result, error) {
	m, lp := s.m, s.lp
	t0 := time.Now()
	if err := m.solveRelaxation(ctx, lp); err != nil {
		return nil, err
	}
	sol := solution{x: lp.Primal(), lpObjective: s.m.objective(lp.ObjectiveValue()), duals: lp.Dual()}
	sol.lpx = sol.x
	sol.lpSeconds = time.Since(t0).Seconds()
	sol.mip = MIP{Status: "optimal", Method: MethodNone, ObjectiveEUR: sol.lpObjective, BoundEUR: sol.lpObjective}
	if err := lp.PrepareWarm(); err != nil {
		return nil, fmt.Errorf("time-phased plan: %w", err)
	}
	if n := m.prob.NumIntegers(); n > 0 && !s.opt.RelaxationOnly {
		t1 := time.Now()
		x, obj, err := s.roundWarm(ctx, sol.lpx)
		if err != nil {
			return nil, err
		}
		sol.x = x
		sol.mip = MIP{Status: "heuristic", Method: MethodRounding, ObjectiveEUR: obj, BoundEUR: sol.lpObjective, Integers: n,
			Seconds: time.Since(t1).Seconds(), Gap: relGap(obj, sol.lpObjective)}
		if sol.mip.Gap <= s.opt.Gap {
			sol.mip.Status = "optimal"
		}
		sol.notes = append(sol.notes, fmt.Sprintf("rounding heuristic (warm): %.2f EUR, %.3f %% above the LP bound", obj, 100*sol.mip.Gap))
	}
	res := m.read(&sol)
	res.LPSeconds = sol.lpSeconds
	res.Seconds = time.Since(start).Seconds()
	res.ServiceLevel = s.in.ServiceLevel
	if res.ServiceLevel == 0 {
		res.ServiceLevel = DefaultServiceLevel
	}
	return res, nil
}

// roundWarm is roundWeek0 on a second CLP model that the session keeps
// for the rounded plan: the week-0 lines rounded (up where the capacities
// allow, else all down) are fixed by their bounds and CLP re-solves the
// later weeks. The first time this model solves cold; after a stock
// change it starts from the previous rounded plan's basis, with only the
// changed bounds passed (the LP relaxation's own model and basis are not
// touched). At most two warm solves, which stop when ctx is done.
func (s *Session) roundWarm(ctx context.Context, lpx []float64) ([]float64, float64, error) {
	m := s.m
	if s.fix == nil {
		s.fix = clp.New()
		if err := s.fix.LoadProblem(m.prob.Problem); err != nil {
			return nil, 0, fmt.Errorf("time-phased plan: rounding: %w", err)
		}
		// Start from the relaxation's optimum: the rounded point is near
		// it, and a warm dual simplex after the bound changes takes a
		// fraction of a cold solve.
		b, err := s.lp.Basis()
		if err == nil {
			err = s.fix.SetBasis(b)
		}
		if err != nil {
			return nil, 0, fmt.Errorf("time-phased plan: rounding: %w", err)
		}
	}
	lp := s.fix
	try := func(up bool) ([]float64, float64, error) {
		x := slices.Clone(lpx)
		roundIntegers(m, x, up)
		lo, hi := slices.Clone(m.prob.ColLower), slices.Clone(m.prob.ColUpper)
		for j := range m.cols {
			if m.prob.Integer[j] {
				lo[j], hi[j] = x[j], x[j]
			}
		}
		m.capOverflow(hi, lpx)
		if err := lp.SetColumnBoundSlices(lo, hi); err != nil {
			return nil, 0, fmt.Errorf("time-phased plan: rounding: %w", err)
		}
		if err := lp.SolveContext(ctx, clp.DualSimplex); err != nil || lp.Status() != clp.Optimal {
			if ctx.Err() != nil {
				return nil, 0, fmt.Errorf("time-phased plan: rounding (warm): %w", ctx.Err())
			}
			return nil, 0, fmt.Errorf("%w (status %v)", ErrRounding, lp.Status())
		}
		if err := lp.PrepareWarm(); err != nil {
			return nil, 0, fmt.Errorf("time-phased plan: rounding: %w", err)
		}
		return lp.Primal(), s.m.objective(lp.ObjectiveValue()), nil
	}
	x, obj, err := try(true)
	if err != nil && ctx.Err() == nil {
		x, obj, err = try(false)
	}
	if err != nil {
		return nil, 0, err
	}
	if math.IsNaN(obj) {
		return nil, 0, fmt.Errorf("%w: objective is not a number", ErrRounding)
	}
	return x, obj, nil
}
