package twin

import (
	"cmp"
	"fmt"
	"maps"
	"math"
	"slices"

	"github.com/sillage/sillage"
)

// release carries out the orders of a review on day d, in their order:
// each is cut to what its source can give (a distribution centre's on
// hand, a supplier's capacity left in the period), to the capacity left
// on each capacity-limited lane of its path in the period and to the
// storage left at its site; a distribution centre ships at once, a
// supplier ships the share it fills after its lead time. It counts the
// orders (one per source and site) and those above the approval
// threshold, and returns the log lines.
func (w *world) release(s *state, d int, orders []Order) ([]LogLine, error) {
	type group struct{ src, site int }
	value := map[group]float64{}
	lines := make([]LogLine, 0, len(orders))
	period := d / w.review
	for i, o := range orders {
		src, site, sku, lanes, err := w.check(o)
		if err != nil {
			return nil, fmt.Errorf("order %d (%s to %s, %s): %w", i, o.Source, o.Site, o.SKU, err)
		}
		ln := LogLine{Day: d, Source: o.Source, Site: o.Site, SKU: o.SKU, Asked: o.Units, Departs: -1, Arrives: -1}
		u := math.Ceil(o.Units - 1e-6)
		j := site*w.nP + sku
		srcJ := src*w.nP + sku
		if w.kind[src] == sillage.KindDC {
			u = math.Min(u, math.Floor(s.onHand[srcJ]+1e-9))
		} else {
			u = math.Min(u, math.Floor(s.capLeft[srcJ]+1e-9))
		}
		for _, l := range lanes {
			if c := w.net.Lanes[l].CapacityKG; c > 0 && w.mass[sku] > 0 {
				u = math.Min(u, math.Floor((c-s.laneUsed[l])/w.mass[sku]+1e-9))
			}
		}
		if c := w.net.Sites[site].CapacityUnits; c > 0 {
			u = math.Min(u, math.Floor(c-s.siteUnits[site]+1e-9))
		}
		u = math.Max(0, u)
		ln.Released = u
		s.k.cut += math.Max(0, o.Units-u)
		if u == 0 {
			lines = append(lines, ln)
			continue
		}
		for _, l := range lanes {
			s.laneUsed[l] += u * w.mass[sku]
		}
		value[group{src, site}] += u * w.cost[sku]
		dep := d
		shipped := u
		if w.kind[src] == sillage.KindDC {
			s.onHand[srcJ] -= u
			s.siteUnits[src] -= u
			s.inTransit[j] += u
		} else {
			s.capLeft[srcJ] -= u
			shipped = math.Floor(u*w.sup.fillShare(w.cfg.Seed, src, sku, period) + 1e-9)
			s.k.unfilled += u - shipped
			dep = d + w.sup.LeadDays
			if shipped > 0 {
				s.onOrder[j] += shipped
				if dep == d {
					s.onOrder[j] -= shipped
					s.inTransit[j] += shipped
					s.supplied += shipped
				} else {
					s.events[dep] = append(s.events[dep], event{site: site, sku: sku, units: shipped})
				}
			}
		}
		ln.Shipped = shipped
		if shipped > 0 {
			s.siteUnits[site] += shipped
			arr := w.arrival(dep, lanes)
			ln.Departs, ln.Arrives = dep, arr
			s.events[arr] = append(s.events[arr], event{arrive: true, site: site, sku: sku, units: shipped, expect: w.plannedArrival(dep, lanes)})
			if dep < w.days {
				w.account(s, dep, lanes, shipped*w.mass[sku])
			}
		}
		lines = append(lines, ln)
	}
	keys := slices.SortedFunc(maps.Keys(value), func(x, y group) int {
		return cmp.Or(cmp.Compare(x.src, y.src), cmp.Compare(x.site, y.site))
	})
	threshold := w.net.Policy.ApprovalThresholdEUR
	for _, g := range keys {
		s.k.orders++
		if threshold > 0 && value[g] > threshold {
			s.k.over++
		}
	}
	return lines, nil
}

// check resolves an order's source, site, product and lanes.
func (w *world) check(o Order) (src, site, sku int, lanes []int, err error) {
	var ok bool
	if src, ok = w.siteIdx[o.Source]; !ok {
		return 0, 0, 0, nil, fmt.Errorf("%w: unknown source %q", ErrBadOrder, o.Source)
	}
	if k := w.kind[src]; k != sillage.KindSupplier && k != sillage.KindDC {
		return 0, 0, 0, nil, fmt.Errorf("%w: source %q is a %s, not a supplier or distribution centre", ErrBadOrder, o.Source, k)
	}
	if site, ok = w.siteIdx[o.Site]; !ok {
		return 0, 0, 0, nil, fmt.Errorf("%w: unknown site %q", ErrBadOrder, o.Site)
	}
	if w.kind[site] == sillage.KindSupplier || site == src {
		return 0, 0, 0, nil, fmt.Errorf("%w: site %q cannot receive from %q", ErrBadOrder, o.Site, o.Source)
	}
	if sku, ok = w.skuIdx[o.SKU]; !ok {
		return 0, 0, 0, nil, fmt.Errorf("%w: unknown product %q", ErrBadOrder, o.SKU)
	}
	if !(o.Units > 0) || math.IsInf(o.Units, 0) {
		return 0, 0, 0, nil, fmt.Errorf("%w: quantity %v must be a finite number > 0", ErrBadOrder, o.Units)
	}
	if len(o.Legs) == 0 {
		return 0, 0, 0, nil, fmt.Errorf("%w: no path", ErrBadOrder)
	}
	at := o.Source
	for k, leg := range o.Legs {
		l, ok := w.laneIdx[laneKey{leg.From, leg.To, leg.Mode}]
		if !ok || leg.From != at {
			return 0, 0, 0, nil, fmt.Errorf("%w: leg %d (%s to %s by %s) is not a lane from %s", ErrBadOrder, k, leg.From, leg.To, leg.Mode, at)
		}
		lanes = append(lanes, l)
		at = leg.To
	}
	if at != o.Site {
		return 0, 0, 0, nil, fmt.Errorf("%w: the path ends at %s", ErrBadOrder, at)
	}
	return src, site, sku, lanes, nil
}

// arrival returns the day goods leaving on day dep arrive over lanes: on
// each lane, its planned transit rounded up to whole days plus the delay
// of that lane's departures on the day they take it; at least one day.
func (w *world) arrival(dep int, lanes []int) int {
	t := dep
	for _, l := range lanes {
		lane := &w.net.Lanes[l]
		t += int(math.Ceil(lane.TransitDays-1e-9)) + w.sup.delayDays(w.cfg.Seed, l, lane.Mode, lane.TransitDays, t)
	}
	return max(t, dep+1)
}

// plannedArrival returns the day goods leaving on day dep over lanes are
// due without delays: each lane's planned transit rounded up to whole
// days; at least one day.
func (w *world) plannedArrival(dep int, lanes []int) int {
	t := dep
	for _, l := range lanes {
		t += int(math.Ceil(w.net.Lanes[l].TransitDays - 1e-9))
	}
	return max(t, dep+1)
}

// account adds the transport cost, emissions and tonne-km of kg carried
// over lanes, departing on day dep.
func (w *world) account(s *state, dep int, lanes []int, kg float64) {
	for _, l := range lanes {
		lane := &w.net.Lanes[l]
		s.k.transport += lane.CostEURPerKG * kg
		e := w.laneKgCO2e[l] * kg
		s.k.kg += e
		tkm := lane.DistanceKM * kg / 1000
		s.k.tkm += tkm
		if lane.Mode == sillage.ModeAir {
			s.k.air += tkm
		}
		s.k.weekKg[dep/7] += e
	}
}
