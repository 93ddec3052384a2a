package twin

import (
	"context"
	"fmt"
	"math"

	"github.com/sillage/sillage"
	"github.com/sillage/sillage/carbon"
	"github.com/sillage/sillage/optimize"
)

// PlanPolicy ("one-period") is the policy of sillage's one-period
// planner, before the time-phased model (TimePhased): at every review it
// calls optimize.Plan — the entry point of the PlanWorkflow's solve step
// (activities.OptimizePlanner.Solve) — on the network as the twin knows
// it that day: master data, lanes, supply and policy unchanged; the stock
// of every site as View.Stock gives it; as demand history, the realised
// sales (View.Sales). Its week-0 lines are released as orders, each
// quantity rounded up to whole units as activities.OrdersFromPlan does
// (a quantity within 1e-6 of a whole number is that number).
type PlanPolicy struct {
	// PolicyName names the policy: "one-period".
	PolicyName string
	// CarbonPriceEURPerT overrides the network's carbon price when not
	// nil (cost-only sets 0).
	CarbonPriceEURPerT *float64
	// Factors gives the emission intensities; nil means carbon.Default().
	Factors *carbon.Table
	// Plans counts the plans solved; Shortfall sums their shortfall
	// units (need the plan could not cover).
	Plans     int
	Shortfall float64
}

// NewOnePeriod returns the one-period planner at the network's carbon
// price, kept to measure what the time-phased model gains.
func NewOnePeriod(f *carbon.Table) *PlanPolicy {
	return &PlanPolicy{PolicyName: "one-period", Factors: f}
}

// Name returns PolicyName.
func (p *PlanPolicy) Name() string { return p.PolicyName }

// Review plans and returns the plan's lines as orders.
func (p *PlanPolicy) Review(ctx context.Context, v *View) ([]Order, error) {
	n := *v.Network
	n.Stock = v.Stock()
	n.Demand = v.Sales()
	res, err := optimize.Plan(ctx, &n, optimize.Options{CarbonPriceEURPerT: p.CarbonPriceEURPerT, Factors: p.Factors})
	if err != nil {
		return nil, fmt.Errorf("plan: %w", err)
	}
	if res.Plan.Status == sillage.PlanInfeasible {
		return nil, fmt.Errorf("plan: infeasible")
	}
	p.Plans++
	p.Shortfall += res.Plan.ShortfallUnits
	out := make([]Order, 0, len(res.Plan.Lines))
	for _, l := range res.Plan.Lines {
		q := math.Ceil(l.Quantity - 1e-6)
		if !(q > 0) || math.IsInf(q, 0) {
			continue
		}
		out = append(out, Order{Source: l.Source, Site: l.Site, SKU: l.SKU, Units: q, Legs: l.Legs})
	}
	return out, nil
}
