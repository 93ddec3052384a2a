package timephased

import (
	"fmt"

	"github.com/sillage/sillage"
	"github.com/sillage/sillage/optimize"
)

// CountCandidates returns the number of columns the model of in would have
// without reduction: a balance (on hand and lost sales per week) for
// every site that is not a supplier and every product, and a shipment
// column for every product, source (its suppliers with capacity and every
// DC), site, candidate path and release week that arrives within the
// horizon. Result.Columns is the same count after reduction (reduce.go)
// and, with Options.Relay, the relay reduction. O(products · sources ·
// sites) plus one path search per source, site and transit limit.
func CountCandidates(in *Input) (int, error) {
	h, err := in.horizon()
	if err != nil {
		return 0, err
	}
	n := in.Network
	sites, products := n.SiteIndex(), n.ProductIndex()
	cheap, err := optimize.NewRouter(n, optimize.RouterOptions{CarbonPriceEURPerT: n.Policy.CarbonPriceEURPerT})
	if err != nil {
		return 0, fmt.Errorf("time-phased plan: %w", err)
	}
	green, err := cheap.WithCarbonPrice(lowCarbonPriceEURPerT)
	if err != nil {
		return 0, fmt.Errorf("time-phased plan: %w", err)
	}
	pf := &pathFinder{cheap: cheap, green: green, h: h, cache: map[pathKey][]path{}, lanes: func(i int) (string, string, string, float64) {
		l := n.Lanes[i]
		return l.From, l.To, string(l.Mode), l.TransitDays
	}}
	lead := map[[2]int]float64{}
	for _, t := range in.Terms {
		lead[[2]int{sites[t.Supplier], products[t.SKU]}] = t.LeadTimeDays
	}
	suppliers := make([][]int, len(n.Products))
	for _, s := range n.Supply {
		if s.CapacityUnits > 0 {
			k := products[s.SKU]
			suppliers[k] = append(suppliers[k], sites[s.Supplier])
		}
	}
	var dcs, dests []int
	for i, s := range n.Sites {
		if s.Kind == sillage.KindDC {
			dcs = append(dcs, i)
		}
		if s.Kind != sillage.KindSupplier {
			dests = append(dests, i)
		}
	}
	count := 2 * h * len(dests) * len(n.Products) // on hand and lost sales
	for k, prod := range n.Products {
		for _, src := range append(append([]int(nil), suppliers[k]...), dcs...) {
			leadW := weeksOf(lead[[2]int{src, k}])
			for _, dst := range dests {
				if dst == src {
					continue
				}
				ps, err := pf.candidates(n.Sites[src].ID, n.Sites[dst].ID, prod.MaxTransitDays)
				if err != nil {
					return 0, err
				}
				for _, p := range ps {
					count += max(0, h-leadW-p.weeks)
				}
			}
		}
	}
	return count, nil
}
