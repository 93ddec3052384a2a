package activities

import (
	"math"
	"sort"
	"time"

	"github.com/sillage/sillage"
	"github.com/sillage/sillage/optimize/timephased"
)

// week is one week, the time-phased plan's bucket.
const week = 7 * 24 * time.Hour

// ArrivalsOf returns the stock in transit of network n as the arrivals of
// a time-phased plan of h weeks made at time at (timephased.Input's
// InTransit), from what the open orders still expect (open, from the
// store's OpenArrivals).
//
// Each open arrival counts in week floor((DueAt − at) / 7 days), clamped
// to [0, h−1]: an overdue order, or one due now (zero DueAt), counts in
// week 0; one due past the horizon counts in its last week, so the plan
// does not order again what is already on order (it then believes those
// units on hand one to a few weeks early, in the last week only).
//
// A position's in_transit stays the quantity: the open orders only say
// when its units come. The units of a position's in_transit that its
// open orders do not explain (units shipped without an order, rounding)
// arrive in week 0; when its open orders expect more than its in_transit
// (units already counted on hand, a receipt not yet recorded against its
// order), the surplus is taken off the earliest weeks. So the arrivals of
// a position always add up to its in_transit, and a position without
// in_transit has none. Open arrivals of a site or product the network
// does not have are ignored. The result is never nil.
//
// O(P + A log A) for P positions and A open arrivals.
func ArrivalsOf(n *sillage.Network, open []sillage.OpenArrival, at time.Time, h int) []timephased.Arrival {
	type key struct{ site, sku string }
	byPos := map[key]map[int]float64{}
	for _, a := range open {
		if !(a.Units > 0) {
			continue
		}
		w := 0
		if !a.DueAt.IsZero() {
			w = int(math.Floor(float64(a.DueAt.Sub(at)) / float64(week)))
			w = min(max(w, 0), h-1)
		}
		k := key{a.Site, a.SKU}
		if byPos[k] == nil {
			byPos[k] = map[int]float64{}
		}
		byPos[k][w] += a.Units
	}
	out := []timephased.Arrival{}
	for _, p := range n.Stock {
		if !(p.InTransit > 0) {
			continue
		}
		weeks := byPos[key{p.Site, p.SKU}]
		ws := make([]int, 0, len(weeks)+1)
		explained := 0.0
		for w, u := range weeks {
			ws = append(ws, w)
			explained += u
		}
		sort.Ints(ws)
		units := make(map[int]float64, len(weeks)+1)
		surplus := max(0, explained-p.InTransit)
		for _, w := range ws {
			take := min(surplus, weeks[w])
			surplus -= take
			units[w] = weeks[w] - take
		}
		if rest := p.InTransit - min(explained, p.InTransit); rest > 0 {
			if _, ok := units[0]; !ok {
				ws = append([]int{0}, ws...)
			}
			units[0] += rest
		}
		for _, w := range ws {
			if units[w] > 0 {
				out = append(out, timephased.Arrival{Site: p.Site, SKU: p.SKU, Week: w, Units: units[w]})
			}
		}
	}
	return out
}
