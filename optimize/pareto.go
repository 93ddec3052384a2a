package optimize

import (
	"context"
	"fmt"
	"math"
	"sort"
	"time"

	"github.com/sillage/sillage"
)

// ParetoPoint is the plan at one carbon price, seen as a (cost, emissions)
// pair.
type ParetoPoint struct {
	CarbonPriceEURPerT float64 `json:"carbon_price"`
	// CostEUR is what the plan costs in money: transport + holding +
	// shortfall penalty, without the carbon charge (which is a price
	// signal, not a payment), in EUR.
	CostEUR float64 `json:"cost_eur"`
	// KgCO2e is the plan's transport emissions, well-to-wheel.
	KgCO2e float64 `json:"kgco2e"`
	// OnFrontier is false when another point costs no more and emits no
	// more, and is better on one of the two.
	OnFrontier     bool               `json:"on_frontier"`
	ShortfallUnits float64            `json:"shortfall_units"`
	Status         sillage.PlanStatus `json:"status"`
	Iterations     int                `json:"iterations"`
	SolveSeconds   float64            `json:"solve_seconds"`
}

// Abatement is the marginal abatement cost between two neighbouring
// frontier points: the extra cost of the cleaner plan per tonne CO2e it
// saves, EUR per tCO2e. In an exact parametric LP it lies between the two
// carbon prices.
type Abatement struct {
	FromPrice   float64 `json:"from_price"` // EUR per tCO2e
	ToPrice     float64 `json:"to_price"`
	EURPerTCO2e float64 `json:"eur_per_tco2e"`
	SavedKgCO2e float64 `json:"saved_kgco2e"`
	ExtraEUR    float64 `json:"extra_eur"`
}

// ParetoResult is a sweep of carbon prices.
type ParetoResult struct {
	Points       []ParetoPoint `json:"points"`             // by rising price
	Abatement    []Abatement   `json:"marginal_abatement"` // between neighbouring frontier points
	Variables    int           `json:"variables"`          // of the one model
	Constraints  int           `json:"constraints"`        // of the one model
	BuildSeconds float64       `json:"build_seconds"`      // routing, forecasting and the matrix, once
	Notes        []string      `json:"notes,omitempty"`    // of the model and of each solve
	Requirements []Requirement `json:"requirements,omitempty"`
}

// Pareto plans network n at each carbon price of prices (EUR per tCO2e)
// and returns the (cost, emissions) points, the frontier and the marginal
// abatement costs.
//
// One model serves every price: its columns are the cheapest paths at
// each of the prices (Options.PathPrices are added), so a price change
// only changes objective coefficients, and every solve after the first
// warm-starts from the previous basis with the primal simplex. Prices are
// solved in rising order. Because the carbon price is the weight of the
// emissions in the objective, the cost is non-decreasing and the emissions
// non-increasing as the price rises (for optimal solves).
//
// Errors: those of Plan, and sillage.ErrInvalid for an empty list or a
// negative or non-finite price.
func Pareto(ctx context.Context, n *sillage.Network, prices []float64, opt Options) (*ParetoResult, error) {
	if len(prices) == 0 {
		return nil, fmt.Errorf("%w: pareto: no carbon price given", sillage.ErrInvalid)
	}
	ps := append([]float64(nil), prices...)
	for _, p := range ps {
		if !finiteNonNeg(p) {
			return nil, fmt.Errorf("%w: pareto: carbon price %v EUR/t must be a finite number >= 0", sillage.ErrInvalid, p)
		}
	}
	sort.Float64s(ps)
	ps = dedupe(ps)
	opt.PathPrices = append(append([]float64(nil), ps...), opt.PathPrices...)
	first := ps[0]
	opt.CarbonPriceEURPerT = &first
	planner, err := NewLP(ctx, n, opt)
	if err != nil {
		return nil, err
	}
	defer planner.Close()
	out := &ParetoResult{Requirements: planner.Requirements()}
	out.Variables, out.Constraints, _ = planner.Size()
	for i, p := range ps {
		if i > 0 {
			if err := planner.SetCarbonPrice(p); err != nil {
				return nil, err
			}
		}
		start := time.Now()
		res, err := planner.Solve(ctx)
		if err != nil {
			return nil, fmt.Errorf("pareto at %g EUR/t: %w", p, err)
		}
		if i == 0 {
			out.BuildSeconds = res.BuildSeconds
			out.Notes = append(out.Notes, res.Notes...)
		} else if res.Plan.Status != sillage.PlanOptimal {
			for _, note := range res.Notes {
				out.Notes = append(out.Notes, fmt.Sprintf("at %g EUR/t: %s", p, note))
			}
		}
		out.Points = append(out.Points, ParetoPoint{
			CarbonPriceEURPerT: p,
			CostEUR:            res.TransportEUR + res.HoldingEUR + res.PenaltyEUR,
			KgCO2e:             res.Plan.KgCO2e,
			ShortfallUnits:     res.Plan.ShortfallUnits,
			Status:             res.Plan.Status,
			Iterations:         res.Iterations,
			SolveSeconds:       time.Since(start).Seconds(),
		})
	}
	out.Abatement = Frontier(out.Points)
	return out, nil
}

func dedupe(sorted []float64) []float64 {
	out := sorted[:0]
	for i, v := range sorted {
		if i == 0 || v != sorted[i-1] {
			out = append(out, v)
		}
	}
	return out
}

// Frontier marks the non-dominated points of a sweep by rising price (with
// a relative tolerance of 1e-9) and returns the marginal abatement costs
// between neighbouring frontier points whose emissions differ, in order of
// price. O(P²) for P points.
func Frontier(pts []ParetoPoint) []Abatement {
	le := func(a, b float64) bool { return a <= b+1e-9*math.Max(1, math.Abs(b)) }
	lt := func(a, b float64) bool { return a < b-1e-9*math.Max(1, math.Abs(b)) }
	for i := range pts {
		pts[i].OnFrontier = true
		for j := range pts {
			a, b := pts[j], pts[i]
			if le(a.CostEUR, b.CostEUR) && le(a.KgCO2e, b.KgCO2e) && (lt(a.CostEUR, b.CostEUR) || lt(a.KgCO2e, b.KgCO2e)) {
				pts[i].OnFrontier = false
				break
			}
		}
	}
	var out []Abatement
	prev := -1
	for i, p := range pts {
		if !p.OnFrontier {
			continue
		}
		if prev >= 0 {
			a := pts[prev]
			if saved := a.KgCO2e - p.KgCO2e; lt(p.KgCO2e, a.KgCO2e) {
				extra := p.CostEUR - a.CostEUR
				out = append(out, Abatement{
					FromPrice: a.CarbonPriceEURPerT, ToPrice: p.CarbonPriceEURPerT,
					EURPerTCO2e: extra / (saved / 1000), SavedKgCO2e: saved, ExtraEUR: extra,
				})
			}
		}
		prev = i
	}
	return out
}
