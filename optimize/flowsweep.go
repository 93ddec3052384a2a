package optimize

import (
	"errors"
	"math"
	"sort"

	"github.com/sillage/sillage"
	"github.com/sillage/sillage/carbon"
)

// SweepPrices are the carbon prices of SweepFlows, EUR per tCO2e.
var SweepPrices = []float64{0, 25, 50, 100, 150, 200, 300, 500}

// FlowPoint is the transport cost (EUR) and emissions (kgCO2e) of a set of
// flows routed at one carbon price (EUR per tCO2e); Chosen marks the
// price of the plans.
type FlowPoint struct {
	CarbonPriceEURPerT float64
	CostEUR            float64
	KgCO2e             float64
	Chosen             bool
}

// SweepFlows routes every flow of lines (source, site, product, quantity)
// over its cheapest path within the product's transit limit at each
// carbon price of SweepPrices and at chosen, and returns the points
// (transport cost, emissions) by rising price with the chosen price
// marked, the emissions at price 0 (the cost-only comparison) and at the
// chosen price, both -1 when a flow has no path. Both are solved on the
// same flows: only the paths differ. A price at which some flow has no
// path within its limit gives no point. tab nil means carbon.Default().
//
// It routes every flow at every price: O(P·F·(V+E) log V) for P prices
// and F flows.
func SweepFlows(n *sillage.Network, tab *carbon.Table, lines []sillage.PlanLine, chosen float64) ([]FlowPoint, float64, float64, error) {
	r, err := NewRouter(n, RouterOptions{Factors: tab})
	if err != nil {
		return nil, 0, 0, err
	}
	products := n.ProductIndex()
	prices := append([]float64(nil), SweepPrices...)
	if chosen >= 0 && !math.IsNaN(chosen) && !math.IsInf(chosen, 0) {
		prices = append(prices, chosen)
	}
	sort.Float64s(prices)
	var points []FlowPoint
	costOnly, planKg := -1.0, -1.0
	for i, price := range prices {
		if i > 0 && price == prices[i-1] {
			continue
		}
		rp, err := r.WithCarbonPrice(price)
		if err != nil {
			return nil, 0, 0, err
		}
		var cost, kg float64
		ok := true
		for _, l := range lines {
			pi, found := products[l.SKU]
			if !found || l.Quantity <= 0 {
				continue
			}
			p := n.Products[pi]
			rt, err := rp.Route(l.Source, l.Site, p.MaxTransitDays)
			if errors.Is(err, ErrTooSlow) || errors.Is(err, ErrNoPath) {
				ok = false
				break
			}
			if err != nil {
				return nil, 0, 0, err
			}
			mass := l.Quantity * p.MassKG
			cost += mass * rt.CostEURPerKG
			kg += mass * rt.KgCO2ePerKG
		}
		if !ok {
			continue
		}
		points = append(points, FlowPoint{CarbonPriceEURPerT: price, CostEUR: cost, KgCO2e: kg, Chosen: price == chosen})
		if price == 0 {
			costOnly = kg
		}
		if price == chosen {
			planKg = kg
		}
	}
	if planKg < 0 {
		costOnly = -1 // no comparison without both
	}
	return points, costOnly, planKg, nil
}
