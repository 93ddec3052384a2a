package twin

import (
	"context"
	"errors"
	"fmt"
	"math"

	"github.com/sillage/sillage"
	"github.com/sillage/sillage/carbon"
	"github.com/sillage/sillage/optimize"
)

// DefaultWindowWeeks is the number of recent weeks of sales MinMax
// averages for its daily demand.
const DefaultWindowWeeks = 13

// MinMax is the reorder rule of an ERP (Odoo's "min/max" replenishment,
// ERPNext's reorder level, SAP's reorder point with maximum stock),
// computed per site and product at every review:
//
//	min = average daily demand × lead time + safety stock
//	max = min + average daily demand × review period
//
// When the inventory position (on hand + in transit + ordered) is below
// min, it orders max − position, rounded up to whole units, from the
// usual source over its cheapest path within the product's transit limit
// (sillage.Product.MaxTransitDays, applied to each path): for a boutique,
// the distribution centre it is cheapest to ship from (per kg, no carbon
// price); for a distribution centre, the supplier of the product it is
// cheapest to ship from. Average daily demand: at a boutique, its sales over the last
// WindowWeeks weeks / days; at a distribution centre, the sum of those of
// the boutiques it is the usual source of. Lead time: the transit days of
// the path, plus the suppliers' lead time for a supplier. Safety stock:
// the network's policy.safety_stock_days × average daily demand. A
// boutique no distribution centre reaches orders from its cheapest
// supplier instead.
type MinMax struct {
	// WindowWeeks: weeks of sales averaged; 0 means DefaultWindowWeeks.
	WindowWeeks int
	// SupplierLeadDays is added to the lead time of supplier paths;
	// set it to the twin's SupplyNoise.LeadDays.
	SupplierLeadDays int
	// Factors gives emission intensities for the paths' legs; nil means
	// carbon.Default().
	Factors *carbon.Table

	rules []rule // built at the first review
}

// rule is the reorder rule of one site and product.
type rule struct {
	site, sku int
	source    string
	legs      []sillage.Leg
	leadDays  float64
	feeds     []int // series (boutiques) whose demand it covers
}

// Name returns "minmax".
func (m *MinMax) Name() string { return "minmax" }

// Review returns the orders of the sites below their minimum.
func (m *MinMax) Review(ctx context.Context, v *View) ([]Order, error) {
	if m.rules == nil {
		if err := m.build(v); err != nil {
			return nil, err
		}
	}
	window := m.WindowWeeks
	if window <= 0 {
		window = DefaultWindowWeeks
	}
	sales := v.Sales()
	daily := make([]float64, len(sales))
	for i, d := range sales {
		h := d.Weekly[max(0, len(d.Weekly)-window):]
		var s float64
		for _, x := range h {
			s += x
		}
		if len(h) > 0 {
			daily[i] = s / float64(7*len(h))
		}
	}
	pol := &v.Network.Policy
	var out []Order
	for _, r := range m.rules {
		var avg float64
		for _, i := range r.feeds {
			avg += daily[i]
		}
		if avg <= 0 {
			continue
		}
		lo := avg*r.leadDays + pol.SafetyStockDays*avg
		hi := lo + avg*pol.ReviewPeriodDays
		pos := v.Position(r.site, r.sku)
		have := pos.OnHand + pos.InTransit
		if have >= lo {
			continue
		}
		q := math.Ceil(hi - have - 1e-6)
		if q <= 0 {
			continue
		}
		out = append(out, Order{Source: r.source, Site: pos.Site, SKU: pos.SKU, Units: q, Legs: r.legs})
	}
	return out, nil
}

// build finds the usual source of every boutique and distribution centre
// for every product with demand. Rules of distribution centres come
// first, then boutiques, each in network order.
func (m *MinMax) build(v *View) error {
	n := v.Network
	r, err := optimize.NewRouter(n, optimize.RouterOptions{CarbonPriceEURPerT: 0, Factors: m.Factors})
	if err != nil {
		return fmt.Errorf("minmax: %w", err)
	}
	type treeKey struct {
		source string
		limit  float64
	}
	trees := map[treeKey]*optimize.Tree{}
	tree := func(id string, limit float64) (*optimize.Tree, error) {
		k := treeKey{id, limit}
		if t, ok := trees[k]; ok {
			return t, nil
		}
		t, err := r.From(id, limit)
		trees[k] = t
		return t, err
	}
	skuIdx := n.ProductIndex()
	siteIdx := n.SiteIndex()
	suppliers := make([][]string, len(n.Products)) // suppliers with capacity, per product
	for _, s := range n.Supply {
		if s.CapacityUnits > 0 {
			k := skuIdx[s.SKU]
			suppliers[k] = append(suppliers[k], s.Supplier)
		}
	}
	var dcs []string
	for _, s := range n.Sites {
		if s.Kind == sillage.KindDC {
			dcs = append(dcs, s.ID)
		}
	}
	// cheapest returns the cheapest path to site from the candidates
	// within a transit limit (days, 0: none).
	cheapest := func(cands []string, site string, limit float64) (*optimize.Route, error) {
		var best *optimize.Route
		for _, c := range cands {
			t, err := tree(c, limit)
			if err != nil {
				return nil, err
			}
			rt, err := t.To(site)
			if errors.Is(err, optimize.ErrNoPath) || errors.Is(err, optimize.ErrTooSlow) {
				continue
			}
			if err != nil {
				return nil, err
			}
			if best == nil || rt.CostEURPerKG < best.CostEURPerKG-1e-12 ||
				(math.Abs(rt.CostEURPerKG-best.CostEURPerKG) <= 1e-12 && rt.TransitDays < best.TransitDays) {
				best = rt
			}
		}
		return best, nil
	}
	type key struct{ site, sku int }
	dcRules := map[key]int{}
	var bRules []rule
	for i, d := range v.Sales() {
		site, sku := siteIdx[d.Site], skuIdx[d.SKU]
		limit := n.Products[sku].MaxTransitDays
		rt, err := cheapest(dcs, d.Site, limit)
		if err != nil {
			return fmt.Errorf("minmax: %w", err)
		}
		lead := 0.0
		if rt == nil {
			if rt, err = cheapest(suppliers[sku], d.Site, limit); err != nil {
				return fmt.Errorf("minmax: %w", err)
			}
			if rt == nil {
				continue // nothing reaches the boutique: it is never replenished
			}
			lead = float64(m.SupplierLeadDays)
		} else {
			dc := siteIdx[rt.From]
			k := key{dc, sku}
			if j, ok := dcRules[k]; ok {
				m.rules[j].feeds = append(m.rules[j].feeds, i)
			} else {
				up, err := cheapest(suppliers[sku], rt.From, limit)
				if err != nil {
					return fmt.Errorf("minmax: %w", err)
				}
				if up != nil {
					dcRules[k] = len(m.rules)
					m.rules = append(m.rules, rule{site: dc, sku: sku, source: up.From, legs: up.Legs,
						leadDays: up.TransitDays + float64(m.SupplierLeadDays), feeds: []int{i}})
				}
			}
		}
		bRules = append(bRules, rule{site: site, sku: sku, source: rt.From, legs: rt.Legs, leadDays: rt.TransitDays + lead, feeds: []int{i}})
	}
	m.rules = append(m.rules, bRules...)
	if m.rules == nil {
		m.rules = []rule{}
	}
	return nil
}
