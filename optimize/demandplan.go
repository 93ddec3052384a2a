package optimize

import (
	"context"
	"fmt"
	"sort"
	"time"

	"github.com/sillage/sillage"
	"github.com/sillage/sillage/carbon"
)

// RoutedDemandPlan is a stand-in plan without the linear program: for each
// boutique and product with demand, the quantity is the mean weekly demand
// × the policy's forecast horizon in weeks, sent from the source — a
// supplier with supply of the product or a distribution centre with stock
// of it — whose path is cheapest at the carbon price (EUR per tCO2e;
// generalised cost: EUR per kg + price × kgCO2e per kg / 1000) within the
// product's transit limit. Pairs without a path are left out and named in
// the notes. The plan's id is "footprint:NETWORK:TIME" with now as its
// creation time. tab nil means carbon.Default().
//
// It routes once per demand and candidate source: O(D·S·(V+E) log V) for
// D demands and S sources of a product.
func RoutedDemandPlan(ctx context.Context, n *sillage.Network, price float64, tab *carbon.Table, now time.Time) (*sillage.Plan, []string, error) {
	r, err := NewRouter(n, RouterOptions{CarbonPriceEURPerT: price, Factors: tab})
	if err != nil {
		return nil, nil, err
	}
	sites := n.SiteIndex()
	products := n.ProductIndex()
	sources := map[string][]string{} // sku -> candidate sources
	seen := map[[2]string]bool{}
	add := func(sku, src string) {
		if !seen[[2]string{sku, src}] {
			seen[[2]string{sku, src}] = true
			sources[sku] = append(sources[sku], src)
		}
	}
	for _, s := range n.Supply {
		if s.CapacityUnits > 0 {
			add(s.SKU, s.Supplier)
		}
	}
	for _, p := range n.Stock {
		if i, ok := sites[p.Site]; ok && n.Sites[i].Kind == sillage.KindDC && p.OnHand-p.Reserved > 0 {
			add(p.SKU, p.Site)
		}
	}
	for _, v := range sources {
		sort.Strings(v)
	}
	weeks := float64(n.Policy.ForecastHorizonWeeks)
	plan := &sillage.Plan{
		ID:                 fmt.Sprintf("footprint:%s:%s", n.Name, now.Format("20060102T150405Z")),
		Network:            n.Name,
		CreatedAt:          now,
		Status:             sillage.PlanOptimal,
		CarbonPriceEURPerT: price,
		Lines:              []sillage.PlanLine{},
	}
	var notes []string
	for _, d := range n.Demand {
		if err := ctx.Err(); err != nil {
			return nil, nil, err
		}
		si, ok := sites[d.Site]
		if !ok || n.Sites[si].Kind != sillage.KindBoutique {
			continue
		}
		pi, ok := products[d.SKU]
		if !ok || len(d.Weekly) == 0 {
			continue
		}
		var sum float64
		for _, w := range d.Weekly {
			sum += w
		}
		qty := sum / float64(len(d.Weekly)) * weeks
		if qty <= 0 {
			continue
		}
		p := n.Products[pi]
		var best *Route
		bestSrc := ""
		var lastErr error
		for _, src := range sources[d.SKU] {
			rt, err := r.Route(src, d.Site, p.MaxTransitDays)
			if err != nil {
				lastErr = err
				continue
			}
			if best == nil || rt.WeightEURPerKG < best.WeightEURPerKG {
				best, bestSrc = rt, src
			}
		}
		if best == nil {
			why := "no supplier or distribution centre has it"
			if lastErr != nil {
				why = lastErr.Error()
			}
			notes = append(notes, fmt.Sprintf("%s at %s: no path (%s); left out", d.SKU, d.Site, why))
			continue
		}
		kg := qty * p.MassKG
		plan.Lines = append(plan.Lines, sillage.PlanLine{
			Source: bestSrc, Site: d.Site, SKU: d.SKU, Quantity: qty,
			CostEUR: kg * best.CostEURPerKG, KgCO2e: kg * best.KgCO2ePerKG, Legs: best.Legs,
		})
		plan.CostEUR += kg * best.CostEURPerKG
		plan.KgCO2e += kg * best.KgCO2ePerKG
	}
	return plan, notes, nil
}
