package timephased

import (
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"

	"github.com/sillage/sillage"
)

// randomInstance draws a small network and input: 1–2 suppliers, 1–2 DCs,
// 2–3 boutiques, 2 products, parallel lanes of different modes (some with
// capacities), stock with reservations and stock in transit, storage
// limits, safety targets, supplier terms, over h weeks.
func randomInstance(seed uint64, h int) *Input {
	r := rand.New(rand.NewPCG(seed, 7))
	n := &sillage.Network{Name: fmt.Sprint("random-", seed), Policy: sillage.Policy{HoldingRatePerYear: 0.2, ReviewPeriodDays: 7, CarbonPriceEURPerT: float64(r.IntN(200)), ShortfallPenaltyEUR: 1}}
	var sups, dcs, btqs []string
	id := 0
	add := func(prefix string, kind sillage.SiteKind, count int, capUnits func() float64) []string {
		var ids []string
		for i := range count {
			id++
			s := site(id, fmt.Sprint(prefix, i), kind, capUnits())
			n.Sites = append(n.Sites, s)
			ids = append(ids, s.ID)
		}
		return ids
	}
	none := func() float64 { return 0 }
	sups = add("SUP", sillage.KindSupplier, 1+r.IntN(2), none)
	dcs = add("DC", sillage.KindDC, 1+r.IntN(2), none)
	btqs = add("BTQ", sillage.KindBoutique, 2+r.IntN(2), func() float64 {
		if r.IntN(2) == 0 {
			return 0
		}
		return float64(20 + r.IntN(30))
	})
	modes := []sillage.Mode{sillage.ModeRoad, sillage.ModeSea, sillage.ModeAir, sillage.ModeRail}
	lanes := func(from, to string) {
		perm := r.Perm(len(modes))
		for _, m := range perm[:1+r.IntN(2)] {
			l := sillage.Lane{From: from, To: to, Mode: modes[m], DistanceKM: float64(100 + r.IntN(5000)), CostEURPerKG: 0.1 + 5*r.Float64(), TransitDays: float64(1 + r.IntN(30))}
			if r.IntN(5) < 2 {
				l.CapacityKG = float64(5 + r.IntN(40))
			}
			n.Lanes = append(n.Lanes, l)
		}
	}
	for _, s := range sups {
		for _, d := range dcs {
			lanes(s, d)
		}
		for _, b := range btqs {
			if r.IntN(10) < 3 {
				lanes(s, b)
			}
		}
	}
	for _, d := range dcs {
		for _, b := range btqs {
			lanes(d, b)
		}
		for _, e := range dcs {
			if d != e && r.IntN(10) < 3 {
				lanes(d, e)
			}
		}
	}
	in := &Input{Network: n, Weeks: h}
	for k := range 2 {
		sku := fmt.Sprint("P", k)
		limit := []float64{0, 10, 20}[r.IntN(3)]
		n.Products = append(n.Products, sillage.Product{SKU: sku, GTIN: gtin(k + 1), Name: sku, Class: "leather", MassKG: 0.5 + 2.5*r.Float64(), UnitCostEUR: float64(50 + r.IntN(450)), MaxTransitDays: limit})
		for _, s := range sups {
			if r.IntN(5) < 4 {
				n.Supply = append(n.Supply, sillage.Supply{Supplier: s, SKU: sku, CapacityUnits: float64(5 + r.IntN(25))})
				if r.IntN(2) == 0 {
					in.Terms = append(in.Terms, sillage2Terms(s, sku, r))
				}
			}
		}
		for _, d := range dcs {
			n.Stock = append(n.Stock, sillage.Position{Site: d, SKU: sku, OnHand: float64(r.IntN(40)), InTransit: float64(r.IntN(6)), Reserved: float64(r.IntN(3))})
		}
		for _, b := range btqs {
			n.Stock = append(n.Stock, sillage.Position{Site: b, SKU: sku, OnHand: float64(r.IntN(10)), Reserved: float64(r.IntN(2))})
			d := make([]float64, h)
			for t := range d {
				d[t] = float64(r.IntN(13))
			}
			in.Demand = append(in.Demand, Series{Site: b, SKU: sku, Units: d})
			if r.IntN(2) == 0 {
				in.Safety = append(in.Safety, Series{Site: b, SKU: sku, Units: flat(h, float64(r.IntN(4)))})
			}
		}
	}
	return in
}

func sillage2Terms(s, sku string, r *rand.Rand) Terms {
	return Terms{Supplier: s, SKU: sku, LeadTimeDays: float64(r.IntN(15)), MOQUnits: float64(r.IntN(3) * 6), CasePackUnits: float64(1 + r.IntN(3))}
}

// TestRandomInstances checks, on seeded random instances, properties
// recomputed independently of the model: the inventory balance of every
// site, product and week from the lines, the stock and the demand; no
// arrival after the horizon and arrival − departure = ⌈transit / 7⌉;
// supplier and lane capacities per week from the lines and the lanes'
// transit days; integer week-0 lines with packs and MOQs; the LP
// relaxation's objective ≤ the MIP's, which equals the totals summed from
// the lines.
func TestRandomInstances(t *testing.T) {
	const h = 6
	for seed := range uint64(20) {
		t.Run(fmt.Sprint("seed", seed), func(t *testing.T) {
			in := randomInstance(seed, h)
			ready(t, in.Network)
			res, err := Plan(in, Options{})
			if err != nil {
				t.Fatal(err)
			}
			checkPlan(t, in, res)
			if res.LPObjectiveEUR > res.MIP.ObjectiveEUR+1e-6*math.Max(1, res.MIP.ObjectiveEUR) {
				t.Errorf("LP relaxation %.6f > MIP %.6f", res.LPObjectiveEUR, res.MIP.ObjectiveEUR)
			}
			if !near(res.Totals.ObjectiveEUR, res.MIP.ObjectiveEUR, 1e-6) {
				t.Errorf("totals from the lines %.6f, solver objective %.6f", res.Totals.ObjectiveEUR, res.MIP.ObjectiveEUR)
			}
		})
	}
}

// checkPlan recomputes the balance and the capacities from the lines.
func checkPlan(t *testing.T, in *Input, res *Result) {
	t.Helper()
	n, h := in.Network, in.Weeks
	type key struct{ site, sku string }
	open := map[key]float64{}
	arr := map[key][]float64{}
	out := map[key][]float64{}
	week := func(m map[key][]float64, k key) []float64 {
		if m[k] == nil {
			m[k] = make([]float64, h)
		}
		return m[k]
	}
	dc := map[string]bool{}
	for _, s := range n.Sites {
		dc[s.ID] = s.Kind == sillage.KindDC
	}
	for _, p := range n.Stock {
		open[key{p.Site, p.SKU}] += max(0, p.OnHand-p.Reserved)
		// A DC's week-0 arrivals ship from week 1: its week-0 transfers
		// are released now, from what it holds now.
		w := 0
		if dc[p.Site] && h > 1 {
			w = 1
		}
		// Units reserved beyond what the site holds come out of what
		// arrives.
		week(arr, key{p.Site, p.SKU})[w] += max(0, p.InTransit-max(0, p.Reserved-p.OnHand))
	}
	terms := map[key]Terms{}
	for _, tm := range in.Terms {
		terms[key{tm.Supplier, tm.SKU}] = tm
	}
	supplied := map[string]float64{}
	laneKG := map[string]float64{}
	days := map[string]float64{}
	for _, l := range n.Lanes {
		days[l.From+">"+l.To+":"+string(l.Mode)] = l.TransitDays
	}
	mass := map[string]float64{}
	for _, p := range n.Products {
		mass[p.SKU] = p.MassKG
	}
	for _, l := range res.Lines {
		if l.ArriveWeek > h-1 || l.ArriveWeek-l.DepartWeek != int(math.Ceil(l.TransitDays/7)) || l.DepartWeek < l.ReleaseWeek || l.Quantity <= 0 {
			t.Errorf("line %+v: arrival after the horizon, or not ⌈transit/7⌉ weeks after departure", l)
		}
		week(arr, key{l.To, l.SKU})[l.ArriveWeek] += l.Quantity
		week(out, key{l.From, l.SKU})[l.DepartWeek] += l.Quantity
		if l.Kind == KindPurchase {
			supplied[fmt.Sprint(l.From, l.SKU, l.DepartWeek)] += l.Quantity
			tm := terms[key{l.From, l.SKU}]
			if l.DepartWeek-l.ReleaseWeek != int(math.Ceil(tm.LeadTimeDays/7)) {
				t.Errorf("line %+v: departs %d weeks after release, supplier lead time %v days", l, l.DepartWeek-l.ReleaseWeek, tm.LeadTimeDays)
			}
			if l.ReleaseWeek == 0 && (l.Quantity != math.Round(l.Quantity) || math.Mod(l.Quantity, max(1, tm.CasePackUnits)) != 0 || l.Quantity < tm.MOQUnits) {
				t.Errorf("week-0 purchase %+v breaks pack %v or MOQ %v", l, tm.CasePackUnits, tm.MOQUnits)
			}
		}
		if l.ReleaseWeek == 0 && l.Quantity != math.Round(l.Quantity) {
			t.Errorf("week-0 line %+v: not a whole number of units", l)
		}
		before := 0.0
		for _, lane := range strings.Split(l.Path, ",") {
			laneKG[fmt.Sprint(lane, "@", l.DepartWeek+int(math.Floor(before/7)))] += l.Quantity * mass[l.SKU]
			before += days[lane]
		}
	}
	for _, s := range n.Supply {
		for w := range h {
			if v := supplied[fmt.Sprint(s.Supplier, s.SKU, w)]; v > s.CapacityUnits+1e-6 {
				t.Errorf("supplier %s %s week %d: %v units > capacity %v", s.Supplier, s.SKU, w, v, s.CapacityUnits)
			}
		}
	}
	for _, l := range n.Lanes {
		for w := range h {
			if v := laneKG[fmt.Sprint(l.From, ">", l.To, ":", l.Mode, "@", w)]; l.CapacityKG > 0 && v > l.CapacityKG+1e-6 {
				t.Errorf("lane %s>%s:%s week %d: %v kg > capacity %v", l.From, l.To, l.Mode, w, v, l.CapacityKG)
			}
		}
	}
	demand := map[key][]float64{}
	for _, d := range in.Demand {
		demand[key{d.Site, d.SKU}] = d.Units
	}
	proj := map[key][]Projected{}
	for _, p := range res.Projected {
		k := key{p.Site, p.SKU}
		if proj[k] == nil {
			proj[k] = make([]Projected, h)
		}
		proj[k][p.Week] = p
	}
	var keys []key
	for k := range proj {
		keys = append(keys, k)
	}
	for k := range out {
		if n.Sites[n.SiteIndex()[k.site]].Kind != sillage.KindSupplier && proj[k] == nil {
			t.Errorf("%v: departures but no projection", k)
		}
	}
	slices.SortFunc(keys, func(a, b key) int { return strings.Compare(a.site+a.sku, b.site+b.sku) })
	for k, o := range out {
		if dc[k.site] && o[0] > open[k]+1e-6 {
			t.Errorf("%v: week-0 transfers of %v units, above the %v the DC holds free now", k, o[0], open[k])
		}
	}
	for _, k := range keys {
		prev := open[k]
		d := demand[k]
		if d == nil {
			d = make([]float64, h)
		}
		for w := range h {
			p := proj[k][w]
			want := prev + week(arr, k)[w] - week(out, k)[w] - d[w] + p.Lost
			if math.Abs(p.OnHand-want) > 1e-6 || p.OnHand < -1e-9 || p.Lost < -1e-9 || p.Lost > d[w]+1e-9 {
				t.Errorf("%v week %d: on hand %v, want %v + %v − %v − %v + lost %v = %v", k, w, p.OnHand, prev, arr[k][w], out[k][w], d[w], p.Lost, want)
			}
			if sc := n.Sites[n.SiteIndex()[k.site]].CapacityUnits; sc > 0 && p.OnHand > sc+1e-6 {
				t.Errorf("%v week %d: on hand %v above the site's storage %v", k, w, p.OnHand, sc)
			}
			prev = p.OnHand
		}
	}
}
