package twin

import (
	"cmp"
	"context"
	"maps"
	"slices"

	"github.com/sillage/sillage"
)

// ReplenishmentPolicy decides the replenishment orders of a network at
// every review (sillage.Policy is something else: a network's planning
// parameters, which a policy may read). A new policy is one file: a type
// with these two methods.
type ReplenishmentPolicy interface {
	// Name names the policy in results, e.g. "minmax".
	Name() string
	// Review returns the orders to release now, given what a planner
	// sees on the review day. It may keep state between reviews of one
	// run (Run calls it in day order) but must not modify what v gives.
	Review(ctx context.Context, v *View) ([]Order, error)
}

// Order asks for Units units of a product to be moved from a supplier or
// distribution centre to a site over a path of lanes. The twin releases
// it at once: a distribution centre ships from its on-hand stock now, a
// supplier confirms it against its capacity of the review period and
// ships what it fills after its lead time. Quantities beyond the source's
// stock or capacity, a lane's capacity of the period or the site's
// storage are cut.
type Order struct {
	Source string        `json:"source"`
	Site   string        `json:"site"`
	SKU    string        `json:"sku"`
	Units  float64       `json:"units"` // whole units > 0
	Legs   []sillage.Leg `json:"legs"`  // the path, from Source to Site; each leg names a lane (from, to, mode)
}

// View is what a policy sees at a review: the network's master data, the
// stock of every site, and the sales history of every boutique as
// realised — never the demand process, nor the demand that was lost.
type View struct {
	Day     int              // the review day, from 0
	Network *sillage.Network // master data, lanes, supply, policy; Stock and Demand are those of day 0
	w       *world
	s       *state
}

// Stock returns the position of every product at every distribution
// centre and boutique that has stock, goods in transit or goods ordered
// from a supplier: OnHand, and InTransit including the units suppliers
// have confirmed but not shipped yet. Reserved is 0.
func (v *View) Stock() []sillage.Position {
	w, s := v.w, v.s
	var out []sillage.Position
	for site := 0; site < w.nS; site++ {
		if w.kind[site] == sillage.KindSupplier {
			continue
		}
		for sku := 0; sku < w.nP; sku++ {
			i := site*w.nP + sku
			if s.onHand[i] > 0 || s.inTransit[i] > 0 || s.onOrder[i] > 0 {
				out = append(out, sillage.Position{Site: w.net.Sites[site].ID, SKU: w.net.Products[sku].SKU,
					OnHand: s.onHand[i], InTransit: s.inTransit[i] + s.onOrder[i]})
			}
		}
	}
	return out
}

// Position returns the position of the product with index sku (in
// Network.Products) at the site with index site (in Network.Sites), as
// Stock gives it.
func (v *View) Position(site, sku int) sillage.Position {
	i := site*v.w.nP + sku
	return sillage.Position{Site: v.w.net.Sites[site].ID, SKU: v.w.net.Products[sku].SKU,
		OnHand: v.s.onHand[i], InTransit: v.s.inTransit[i] + v.s.onOrder[i]}
}

// Sales returns the weekly sales history of every demand series of a
// boutique: the network's history followed by the weeks realised so far
// (units sold, not demanded). The slices are shared: do not modify them.
func (v *View) Sales() []sillage.Demand {
	out := make([]sillage.Demand, len(v.w.series))
	for i, se := range v.w.series {
		out[i] = sillage.Demand{Site: v.w.net.Sites[se.site].ID, SKU: v.w.net.Products[se.sku].SKU, Weekly: v.s.sales[i]}
	}
	return out
}

// Due is goods a site expects: in transit, or confirmed by a supplier and
// not shipped yet, with the day they are due by plan (the lanes' planned
// transit, without the delays the twin draws; a planner does not know
// those). Day is never before the review day + 1: goods due earlier that
// have not arrived are late, and expected at once.
type Due struct {
	Site  string
	SKU   string
	Day   int
	Units float64
}

// Due returns the goods every site expects, in day, site and product
// order.
func (v *View) Due() []Due {
	type key struct{ day, site, sku int }
	sum := map[key]float64{}
	for _, evs := range v.s.events {
		for _, e := range evs {
			if e.arrive && e.units > 0 {
				sum[key{max(e.expect, v.Day+1), e.site, e.sku}] += e.units
			}
		}
	}
	keys := slices.SortedFunc(maps.Keys(sum), func(x, y key) int {
		return cmp.Or(cmp.Compare(x.day, y.day), cmp.Compare(x.site, y.site), cmp.Compare(x.sku, y.sku))
	})
	out := make([]Due, len(keys))
	for i, k := range keys {
		out[i] = Due{Site: v.w.net.Sites[k.site].ID, SKU: v.w.net.Products[k.sku].SKU, Day: k.day, Units: sum[k]}
	}
	return out
}
