package cbc

import (
	"math"
	"slices"

	"github.com/sillage/sillage/optimize/clp"
)

// solveLP solves a problem without integer columns with CLP's dual simplex
// and maps CLP's status to this package's.
func (m *Model) solveLP() result {
	lp := clp.New()
	defer lp.Close()
	r := result{status: Abandoned, secondary: -1, objective: math.NaN(), bound: math.NaN()}
	if err := lp.LoadProblem(m.p.Problem); err != nil {
		return r // cannot happen: the problem was validated on load
	}
	lp.SetMaximize(m.maximize)
	lp.SetTimeLimit(m.timeLimit)
	lp.SetLogLevel(m.logLevel)
	_ = lp.Solve(clp.DualSimplex) // the status says it all
	r.iterations = lp.Iterations()
	switch lp.Status() {
	case clp.Optimal:
		r.status, r.secondary = Optimal, 0
		r.x = lp.Primal()
		r.objective = lp.ObjectiveValue() + m.p.ObjectiveConstant
		r.bound = r.objective
	case clp.Infeasible:
		r.status, r.secondary = Infeasible, 1
	case clp.Unbounded:
		r.status, r.secondary = Unbounded, 7
		r.objective = math.Inf(1)
		if !m.maximize {
			r.objective = math.Inf(-1)
		}
	case clp.Limit:
		r.status, r.secondary = TimeLimitNoSolution, 4
		if lp.PrimalFeasible() {
			r.status = TimeLimitFeasible
			r.x = lp.Primal()
			r.objective = lp.ObjectiveValue() + m.p.ObjectiveConstant
		}
	}
	return r
}

// last returns what the last Solve left: for a nil or closed Model, the
// result of no solve (NotSolved, secondary status −1, NaN objective and
// bound, no solution, zero counts).
func (m *Model) last() *result {
	if m.Closed() {
		r := notSolved()
		return &r
	}
	return &m.res
}

// Status returns the outcome of the last Solve, NotSolved before the first
// Solve after a load.
func (m *Model) Status() Status { return m.last().status }

// SecondaryStatus returns CBC's secondary status after the last Solve (see
// SecondaryStatusText), −1 before. For a problem without integer columns,
// solved by CLP, it is 0 (optimal), 1 (infeasible), 7 (unbounded) or 4
// (time limit).
func (m *Model) SecondaryStatus() int { return m.last().secondary }

// ObjectiveValue returns the objective value of the best solution found,
// ObjectiveConstant included, in the user's sense (not negated for
// maximisation). It is NaN when the last Solve found no solution, and
// −Inf (+Inf for a maximisation) when it found the problem unbounded.
func (m *Model) ObjectiveValue() float64 { return m.last().objective }

// BestBound returns the best bound on the optimal objective that the
// search proved: a lower bound for a minimisation, an upper bound for a
// maximisation, ObjectiveConstant included. It is NaN when the problem is
// infeasible or unbounded or was not solved, and may be ±Inf when the time
// limit stopped CBC before it solved the LP relaxation.
func (m *Model) BestBound() float64 { return m.last().bound }

// Gap returns the relative gap reached: |ObjectiveValue − BestBound| /
// max(|ObjectiveValue|, |BestBound|), 0 when both are equal, +Inf when the
// bound is infinite, NaN without a solution or a bound. It is at most the gap set with
// SetGap when the status is Optimal.
func (m *Model) Gap() float64 {
	r := m.last()
	return relativeGap(r.objective, r.bound)
}

// relativeGap is CBC's measure of the distance between a solution's value
// and a bound.
func relativeGap(obj, bound float64) float64 {
	switch {
	case math.IsNaN(obj) || math.IsNaN(bound):
		return math.NaN()
	case obj == bound:
		return 0
	case math.IsInf(obj, 0) || math.IsInf(bound, 0):
		return math.Inf(1)
	}
	return math.Abs(obj-bound) / math.Max(math.Abs(obj), math.Abs(bound))
}

// Primal returns a copy of the best solution found (length NumCols), with
// integer columns rounded to the nearest integer (CBC's values lie within
// its integer tolerance, 1e-7, of one). It is nil when the last Solve found
// no feasible solution.
func (m *Model) Primal() []float64 { return slices.Clone(m.last().x) }

// RowActivity returns A x for the solution Primal returns (length
// NumRows), computed in O(NumElements); nil without a solution.
func (m *Model) RowActivity() []float64 {
	if m.Closed() || m.res.x == nil {
		return nil
	}
	p := &m.p
	act := make([]float64, p.NumRows)
	for j := 0; j < p.NumCols; j++ {
		for k := p.ColStart[j]; k < p.ColStart[j+1]; k++ {
			act[p.RowIndex[k]] += p.Values[k] * m.res.x[j]
		}
	}
	return act
}

// Nodes returns the number of branch-and-bound nodes of the last Solve.
func (m *Model) Nodes() int { return m.last().nodes }

// Iterations returns the number of simplex iterations of the last Solve.
func (m *Model) Iterations() int { return m.last().iterations }

// Seconds returns the wall-clock seconds of the last Solve, building the
// C model included, waiting for another Model's solve (see Concurrency in
// the package documentation) excluded.
func (m *Model) Seconds() float64 { return m.last().seconds }
