package twin

import (
	"context"
	"math"
	"reflect"
	"testing"

	"github.com/sillage/sillage"
	"github.com/sillage/sillage/internal/testnet"
	"github.com/sillage/sillage/optimize/timephased"
)

// tinyView returns a view of the tiny network on day 14 whose state holds
// hand-made goods due: the opening in-transit stock of BTQ-PAR has been
// replaced by these events.
func tinyView(t *testing.T) (*View, *sillage.Network) {
	t.Helper()
	n := testnet.Load(t, "tiny")
	w, err := newWorld(n, Config{Weeks: 8, Seed: 1})
	if err != nil {
		t.Fatal(err)
	}
	s := w.newState()
	clear(s.events)
	par, lon, dc := w.siteIdx["BTQ-PAR"], w.siteIdx["BTQ-LON"], w.siteIdx["DC-PAR"]
	bag, edp := w.skuIdx["BAG-01"], w.skuIdx["EDP-01"]
	s.events[15] = []event{{arrive: true, site: par, sku: bag, units: 2, expect: 12}} // late: due at once
	s.events[17] = []event{{arrive: true, site: par, sku: bag, units: 3, expect: 17}, // day 17: 3 days on, this week
		{arrive: true, site: lon, sku: edp, units: 5, expect: 18}} // day 18: 4 days on, next week
	s.events[20] = []event{{site: dc, sku: bag, units: 40}, // a supplier's departure, not an arrival
		{arrive: true, site: dc, sku: bag, units: 40, expect: 24}}
	s.events[30] = []event{{arrive: true, site: par, sku: bag, units: 1, expect: 26}} // delayed: planned day 26
	s.events[200] = []event{{arrive: true, site: dc, sku: edp, units: 7, expect: 200}}
	return &View{Day: 14, Network: w.net, w: w, s: s}, n
}

// TestDue checks the goods due against the hand-made events: arrivals
// only, by planned day (not the delayed one), late goods due tomorrow,
// summed per day, site and product.
func TestDue(t *testing.T) {
	v, _ := tinyView(t)
	want := []Due{
		{Site: "BTQ-PAR", SKU: "BAG-01", Day: 15, Units: 2},
		{Site: "BTQ-PAR", SKU: "BAG-01", Day: 17, Units: 3},
		{Site: "BTQ-LON", SKU: "EDP-01", Day: 18, Units: 5},
		{Site: "DC-PAR", SKU: "BAG-01", Day: 24, Units: 40},
		{Site: "BTQ-PAR", SKU: "BAG-01", Day: 26, Units: 1},
		{Site: "DC-PAR", SKU: "EDP-01", Day: 200, Units: 7},
	}
	// Due orders by day, then site index, then product index; the tiny
	// network lists DC-PAR, BTQ-PAR, BTQ-LON in that order.
	if got := v.Due(); !reflect.DeepEqual(got, want) {
		t.Errorf("Due:\n got %+v\nwant %+v", got, want)
	}
}

// TestTimePhasedInput checks what the policy gives the model on the
// hand-made view: on hand only in the stock, goods due in week
// round(days ahead / 7) and dropped beyond the horizon, supplier lead
// times of the twin, prices at the markup, and a forecast demand for
// every boutique series over the horizon.
func TestTimePhasedInput(t *testing.T) {
	v, n := tinyView(t)
	p := NewCostOnly(7)
	p.Weeks = 4
	in, err := p.input(context.Background(), v)
	if err != nil {
		t.Fatal(err)
	}
	wantDue := []timephased.Arrival{
		{Site: "BTQ-PAR", SKU: "BAG-01", Week: 0, Units: 2}, // 1 day ahead
		{Site: "BTQ-PAR", SKU: "BAG-01", Week: 0, Units: 3}, // 3 days
		{Site: "BTQ-LON", SKU: "EDP-01", Week: 1, Units: 5}, // 4 days
		{Site: "DC-PAR", SKU: "BAG-01", Week: 1, Units: 40}, // 10 days
		{Site: "BTQ-PAR", SKU: "BAG-01", Week: 2, Units: 1}, // 12 days; day 200 is beyond 4 weeks
	}
	if !reflect.DeepEqual(in.InTransit, wantDue) {
		t.Errorf("InTransit:\n got %+v\nwant %+v", in.InTransit, wantDue)
	}
	if in.Weeks != 4 || in.Network.Policy.CarbonPriceEURPerT != 0 {
		t.Errorf("weeks %d, carbon price %v: want 4 and 0 (cost-only)", in.Weeks, in.Network.Policy.CarbonPriceEURPerT)
	}
	if n.Policy.CarbonPriceEURPerT == 0 {
		t.Fatal("the tiny network's carbon price is 0: the test cannot tell cost-only apart")
	}
	if v.Network.Policy.CarbonPriceEURPerT != n.Policy.CarbonPriceEURPerT {
		t.Error("the policy changed the view's network")
	}
	// Stock: on hand of the opening positions (the tiny network's DC and
	// boutiques), without their in-transit part.
	for _, pos := range in.Network.Stock {
		if pos.InTransit != 0 || pos.OnHand <= 0 {
			t.Errorf("stock position %+v: want on hand only", pos)
		}
	}
	if len(in.Network.Stock) != 4 {
		t.Errorf("%d stock positions, want the tiny network's 4", len(in.Network.Stock))
	}
	for _, tr := range in.Terms {
		if tr.LeadTimeDays != 7 {
			t.Errorf("terms %+v: want a lead time of 7 days", tr)
		}
	}
	if len(in.Demand) != 4 {
		t.Errorf("%d demand series, want the tiny network's 4 boutique histories", len(in.Demand))
	}
	for _, d := range in.Demand {
		if len(d.Units) != 4 {
			t.Errorf("demand %s/%s: %d weeks, want 4", d.Site, d.SKU, len(d.Units))
		}
	}
	if len(in.Terms) != len(n.Supply) {
		t.Errorf("%d terms for %d supply rows", len(in.Terms), len(n.Supply))
	}
	for _, pr := range n.Products {
		if got, want := in.UnitPriceEUR[pr.SKU], DefaultMarkup*pr.UnitCostEUR; math.Abs(got-want) > 1e-9 {
			t.Errorf("%s: price %v, want %v", pr.SKU, got, want)
		}
	}
}

// TestTimePhasedReleasesWeekZero runs the tiny network for four weeks
// under the time-phased planner and checks every order it released
// against the log: whole units, a path the network has (Run fails on a
// bad order), and, with the DC's stock of totes too small for the weeks
// ahead, purchases from the supplier into the DC.
func TestTimePhasedReleasesWeekZero(t *testing.T) {
	n := testnet.Load(t, "tiny")
	for i := range n.Stock {
		if n.Stock[i].Site == "DC-PAR" && n.Stock[i].SKU == "BAG-01" {
			n.Stock[i].OnHand = 2
		}
	}
	p := NewSillage(7)
	res, err := Run(context.Background(), n, []ReplenishmentPolicy{p}, Config{Weeks: 4, Seed: 3, KeepLog: true})
	if err != nil {
		t.Fatal(err)
	}
	if p.Plans != 4 {
		t.Errorf("%d plans, want one per weekly review (4)", p.Plans)
	}
	var purchased float64
	for _, l := range res.Policies[0].Log {
		if l.Asked != math.Round(l.Asked) || l.Asked <= 0 {
			t.Errorf("order %+v: not a whole number of units", l)
		}
		if l.Source == "SUP-FLR" && l.Site == "DC-PAR" && l.SKU == "BAG-01" {
			purchased += l.Asked
		}
	}
	if purchased == 0 {
		t.Error("the DC, left with 2 totes, bought none from the supplier")
	}
}
