package clp

import (
	"math"
	"testing"
)

// solutionCheck measures how well a solution satisfies the optimality
// conditions of its problem.
type solutionCheck struct {
	primalInf   float64 // largest violation of a row or column bound
	activityErr float64 // largest |RowActivity − A x|
	reducedErr  float64 // largest |ReducedCost − (c − Aᵀy)|
	dualInf     float64 // largest dual or reduced cost on the side of an infinite bound
	primalObj   float64 // cᵀx
	dualObj     float64 // Σ bound·dual over rows and columns
}

// checkSolution computes a solutionCheck. sense is +1 for a minimisation,
// −1 for a maximisation; duals are in the user's sense (see the package
// documentation): a dual with sense·dual > 0 prices the lower bound.
func checkSolution(p Problem, sense float64, x, act, y, d []float64) solutionCheck {
	var s solutionCheck
	lower := func(v []float64, i int) float64 {
		if v == nil {
			return 0
		}
		return v[i]
	}
	at := func(v []float64, i int, def float64) float64 {
		if v == nil {
			return def
		}
		return v[i]
	}
	inf := math.Inf(1)
	ax := make([]float64, p.NumRows)
	aty := make([]float64, p.NumCols)
	for j := 0; j < p.NumCols; j++ {
		for k := p.ColStart[j]; k < p.ColStart[j+1]; k++ {
			i := p.RowIndex[k]
			ax[i] += p.Values[k] * x[j]
			aty[j] += p.Values[k] * y[i]
		}
	}
	// price adds the dual term of one bounded item to dualObj.
	price := func(dual, lo, up float64) {
		switch {
		case sense*dual > 0:
			if math.IsInf(lo, 0) {
				s.dualInf = math.Max(s.dualInf, math.Abs(dual))
			} else {
				s.dualObj += dual * lo
			}
		case sense*dual < 0:
			if math.IsInf(up, 0) {
				s.dualInf = math.Max(s.dualInf, math.Abs(dual))
			} else {
				s.dualObj += dual * up
			}
		}
	}
	for i := 0; i < p.NumRows; i++ {
		lo, up := toInf(at(p.RowLower, i, -inf)), toInf(at(p.RowUpper, i, inf))
		s.primalInf = math.Max(s.primalInf, math.Max(lo-ax[i], ax[i]-up))
		s.activityErr = math.Max(s.activityErr, math.Abs(act[i]-ax[i]))
		price(y[i], lo, up)
	}
	for j := 0; j < p.NumCols; j++ {
		lo, up := toInf(lower(p.ColLower, j)), toInf(at(p.ColUpper, j, inf))
		s.primalInf = math.Max(s.primalInf, math.Max(lo-x[j], x[j]-up))
		c := at(p.Objective, j, 0)
		s.primalObj += c * x[j]
		s.reducedErr = math.Max(s.reducedErr, math.Abs(d[j]-(c-aty[j])))
		price(d[j], lo, up)
	}
	return s
}

// toInf maps magnitudes of 1e20 or more to ±Inf, as CLP does.
func toInf(v float64) float64 { return FromCOIN(v) }

// solutionOf reads the solution vectors of a solved model and checks them.
func solutionOf(t *testing.T, p Problem, m *Model) solutionCheck {
	t.Helper()
	sense := 1.0
	if m.Maximize() {
		sense = -1
	}
	x, act, y, d := m.Primal(), m.RowActivity(), m.Dual(), m.ReducedCost()
	if len(x) != p.NumCols || len(d) != p.NumCols || len(act) != p.NumRows || len(y) != p.NumRows {
		t.Fatalf("solution lengths x %d d %d act %d y %d, want %d cols %d rows", len(x), len(d), len(act), len(y), p.NumCols, p.NumRows)
	}
	return checkSolution(p, sense, x, act, y, d)
}
