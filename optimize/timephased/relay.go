package timephased

// relayPaths is the relay reduction (Options.Relay), applied to the paths
// from a DC: it drops from ps the paths of product k that pass through
// another DC with a balance of k (a pair), keeping the others in order. Such a path is a cross-dock through the
// DC; the model can do the same as two shipments, into the DC's stock and
// out of it, on the same lanes at the same cost per kg. What the relay
// loses is at most the rounding of one bucket per DC passed (the first
// leg arrives ⌈d₁/7⌉ weeks after departure and the second ⌈d₂/7⌉ after
// that, instead of ⌈(d₁+d₂)/7⌉ for the cross-dock), a week of holding at
// the DC and room in its storage. Supplier paths are kept: dropping
// supplier → DC → boutique cross-docks too cost 11.8 % on a generated
// network of 60 sites × 50 products (the lost bucket delays every first
// replenishment), against 0.03 % for DC → DC → boutique paths, which it
// removes (21 % of the columns there). bench-optimize measures its cost
// against the full model. O(Σ
// lanes of ps).
func (m *model) relayPaths(ps []path, k int) []path {
	if m.laneTail == nil {
		sites := m.n.SiteIndex()
		for _, l := range m.n.Lanes {
			m.laneTail = append(m.laneTail, sites[l.From])
		}
	}
	out := ps[:0:0]
	for _, p := range ps {
		through := false
		for _, li := range p.lanes[1:] {
			if q, ok := m.red.pairOf[[2]int{m.laneTail[li], k}]; ok && m.red.pairs[q].dc {
				through = true
				break
			}
		}
		if !through {
			out = append(out, p)
		}
	}
	return out
}
