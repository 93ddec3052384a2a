package netgen

import "github.com/sillage/sillage"

// Hub returns a copy of a generated network cut down to one hub: its
// first distribution centre and, for each product, the first supplier
// that makes it (with all that supplier makes). The other centres and
// suppliers go with their stock, demand and supply; their lanes are moved
// to the hub (a boutique's lanes from its own centre, a kept supplier's
// lanes to any centre; each site pair and mode once, the first one kept),
// so that every boutique is still reached. The hub takes over the stock
// and storage of every centre (summed per product; unlimited when one
// was), so that it can serve them all. The boutiques start with no stock,
// so that each with demand in the first weeks needs an order at once.
//
// A hub network makes about one transfer order per boutique from a
// time-phased model with two or three sources instead of one per 20 or
// 25 sites: it is for measuring what happens to a plan's orders (the
// store, the order workflows) at thousands of orders without the minutes
// of solving that a full generated network of that size takes. n is not
// changed. A network without a distribution centre is returned as a copy
// with its boutiques emptied.
func Hub(n *sillage.Network) *sillage.Network {
	var hub string
	keep := map[string]bool{}
	kind := map[string]sillage.SiteKind{}
	storage, unlimited := 0.0, false // of all centres, units
	for _, s := range n.Sites {
		kind[s.ID] = s.Kind
		if s.Kind == sillage.KindDC {
			if hub == "" {
				hub = s.ID
				keep[hub] = true
			}
			storage += s.CapacityUnits
			unlimited = unlimited || s.CapacityUnits == 0
		}
	}
	supplied := map[string]bool{} // SKU -> a supplier kept
	for _, s := range n.Supply {
		if !supplied[s.SKU] {
			supplied[s.SKU] = true
			keep[s.Supplier] = true
		}
	}
	out := *n
	out.Sites, out.Lanes, out.Stock, out.Demand, out.Supply = nil, nil, nil, nil, nil
	for _, s := range n.Sites {
		if s.ID == hub {
			s.CapacityUnits = storage
			if unlimited {
				s.CapacityUnits = 0
			}
		}
		if s.Kind == sillage.KindBoutique || keep[s.ID] {
			out.Sites = append(out.Sites, s)
			keep[s.ID] = true
		}
	}
	for _, s := range n.Supply {
		if keep[s.Supplier] {
			out.Supply = append(out.Supply, s)
		}
	}
	type laneKey struct {
		from, to string
		mode     sillage.Mode
	}
	seen := map[laneKey]bool{}
	for _, l := range n.Lanes {
		if hub != "" && kind[l.From] == sillage.KindDC {
			l.From = hub
		}
		if hub != "" && kind[l.To] == sillage.KindDC {
			l.To = hub
		}
		k := laneKey{l.From, l.To, l.Mode}
		if l.From == l.To || seen[k] || !keep[l.From] || !keep[l.To] {
			continue
		}
		seen[k] = true
		out.Lanes = append(out.Lanes, l)
	}
	hubStock := map[string]int{} // SKU -> index in out.Stock
	for _, p := range n.Stock {
		switch {
		case hub != "" && kind[p.Site] == sillage.KindDC:
			if i, ok := hubStock[p.SKU]; ok {
				q := &out.Stock[i]
				q.OnHand += p.OnHand
				q.InTransit += p.InTransit
				q.Reserved += p.Reserved
				continue
			}
			p.Site = hub
			hubStock[p.SKU] = len(out.Stock)
			out.Stock = append(out.Stock, p)
		case keep[p.Site] && kind[p.Site] != sillage.KindBoutique:
			out.Stock = append(out.Stock, p)
		}
	}
	for _, d := range n.Demand {
		if keep[d.Site] {
			out.Demand = append(out.Demand, d)
		}
	}
	return &out
}
