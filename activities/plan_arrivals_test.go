package activities

import (
	"context"
	"math"
	"path/filepath"
	"reflect"
	"testing"
	"time"

	"github.com/sillage/sillage"
	"github.com/sillage/sillage/optimize/timephased"
	"github.com/sillage/sillage/store"
)

// seaDC: one supplier and one distribution centre with demand, joined by
// a sea lane (28 days = 4 weeks, 1 EUR/kg) and an air lane (3 days = 1
// week, 10 EUR/kg). One product of 1 kg costing 100 EUR and selling at
// 300 EUR. Horizon 8 weeks, carbon price 0, holding 20 %/year. The DC has
// 10 units on hand and 45 in transit.
func seaDC() *sillage.Network {
	n := &sillage.Network{
		Name: "sea-dc",
		Sites: []sillage.Site{
			{ID: "SUP", Name: "SUP", Kind: sillage.KindSupplier, GLN: "3760123450003", Latitude: 43.7, Longitude: 11.2, Country: "IT"},
			{ID: "DC", Name: "DC", Kind: sillage.KindDC, GLN: "3760123450010", Latitude: 49, Longitude: 2.5, Country: "FR"},
		},
		Products: []sillage.Product{{SKU: "P", GTIN: "03760123400015", Name: "P", Class: "leather", MassKG: 1, UnitCostEUR: 100, UnitPriceEUR: 300}},
		Lanes: []sillage.Lane{
			{From: "SUP", To: "DC", Mode: sillage.ModeSea, DistanceKM: 10000, CostEURPerKG: 1, TransitDays: 28},
			{From: "SUP", To: "DC", Mode: sillage.ModeAir, DistanceKM: 1000, CostEURPerKG: 10, TransitDays: 3},
		},
		Stock:  []sillage.Position{{Site: "DC", SKU: "P", OnHand: 10, InTransit: 45}},
		Demand: []sillage.Demand{{Site: "DC", SKU: "P", Weekly: []float64{10, 10, 10, 10, 10, 10, 10, 10}}},
		Supply: []sillage.Supply{{Supplier: "SUP", SKU: "P", CapacityUnits: 1000}},
		Policy: sillage.Policy{HoldingRatePerYear: 0.2, ReviewPeriodDays: 7, ShortfallPenaltyEUR: 1, HorizonWeeks: 8},
	}
	n.ApplyDefaults()
	return n
}

// TestArrivalsOf: each open arrival in the week it is due, counted from
// the plan's time, the rest of in_transit in week 0, and a surplus of
// the orders over in_transit taken off the earliest weeks.
func TestArrivalsOf(t *testing.T) {
	at := time.Date(2026, 3, 9, 6, 0, 0, 0, time.UTC)
	day := 24 * time.Hour
	n := &sillage.Network{Stock: []sillage.Position{
		{Site: "DC", SKU: "P", InTransit: 45}, {Site: "B", SKU: "P", InTransit: 6}, {Site: "B", SKU: "Q", OnHand: 3}, {Site: "C", SKU: "P", InTransit: 2},
	}}
	open := []sillage.OpenArrival{
		{Site: "DC", SKU: "P", Units: 30, DueAt: at.Add(29 * day)}, // week 4
		{Site: "DC", SKU: "P", Units: 4, DueAt: at.Add(-3 * day)},  // overdue: week 0
		{Site: "DC", SKU: "P", Units: 6, DueAt: at.Add(90 * day)},  // past the horizon: its last week
		{Site: "B", SKU: "P", Units: 5, DueAt: at.Add(8 * day)},    // week 1
		{Site: "B", SKU: "P", Units: 3, DueAt: at.Add(20 * day)},   // week 2
		{Site: "B", SKU: "Q", Units: 9, DueAt: at.Add(8 * day)},    // no in_transit: nothing
		{Site: "C", SKU: "P", Units: 1},                            // due now
		{Site: "X", SKU: "P", Units: 7, DueAt: at.Add(8 * day)},    // not a position
	}
	want := []timephased.Arrival{
		{Site: "DC", SKU: "P", Week: 0, Units: 4 + 5}, // the overdue order and the 5 units no order explains
		{Site: "DC", SKU: "P", Week: 4, Units: 30},
		{Site: "DC", SKU: "P", Week: 7, Units: 6},
		{Site: "B", SKU: "P", Week: 1, Units: 3}, // 8 expected, 6 in transit: 2 off week 1
		{Site: "B", SKU: "P", Week: 2, Units: 3},
		{Site: "C", SKU: "P", Week: 0, Units: 2},
	}
	if got := ArrivalsOf(n, open, at, 8); !reflect.DeepEqual(got, want) {
		t.Errorf("arrivals\n got %+v\nwant %+v", got, want)
	}
	if got := ArrivalsOf(&sillage.Network{}, open, at, 8); got == nil || len(got) != 0 {
		t.Errorf("no positions: %#v, want an empty list", got)
	}
}

// TestHorizonInputOpenOrder: a purchase by sea to a DC, made by last
// week's plan and due 5 weeks after it, is open with 40 units; the DC's
// in_transit is 45. HorizonInput puts the 40 units in week 4 and the other
// 5 in week 0, and the plan of that input flies what weeks 1–3 need and
// orders nothing for weeks 4–7, which the open order covers.
func TestHorizonInputOpenOrder(t *testing.T) {
	ctx := context.Background()
	s, err := store.Open(ctx, "sqlite://"+filepath.Join(t.TempDir(), "s.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	n := seaDC()
	n.Stock[0].InTransit = 5 // the open order's hold adds its 40
	if _, err := s.SaveNetwork(ctx, "sea-dc", n); err != nil {
		t.Fatal(err)
	}
	at := time.Date(2026, 3, 9, 6, 0, 0, 0, time.UTC)
	last := &sillage.Plan{ID: "p0", Network: "sea-dc", CreatedAt: at.Add(-7 * 24 * time.Hour), Status: sillage.PlanOptimal}
	if err := s.SavePlan(ctx, last); err != nil {
		t.Fatal(err)
	}
	if err := s.SavePlanHorizon(ctx, "p0", &sillage.PlanHorizon{Weeks: 8, Lines: []sillage.HorizonLine{
		{Kind: sillage.LinePurchase, Source: "SUP", Site: "DC", SKU: "P", Path: "SUP>DC:sea", ReleaseWeek: 0, DepartWeek: 1, ArriveWeek: 5, Quantity: 40, TransitDays: 28, Integer: true},
	}}); err != nil {
		t.Fatal(err)
	}
	o := sillage.Order{ID: "po:p0:SUP:1", PlanID: "p0", Kind: sillage.OrderPurchase, Source: "SUP", Site: "DC", Status: sillage.OrderConfirmed,
		Lines: []sillage.OrderLine{{SKU: "P", Quantity: 40, ValueEUR: 4000}}}
	if _, err := s.SaveOrder(ctx, o); err != nil {
		t.Fatal(err)
	}
	if _, err := s.ApplyOrderEffect(ctx, holdEffect("sea-dc", o)); err != nil {
		t.Fatal(err)
	}
	stored, err := s.LoadNetwork(ctx, "sea-dc")
	if err != nil {
		t.Fatal(err)
	}
	if p := stored.Stock[0]; p.InTransit != 45 {
		t.Fatalf("DC in transit %v, want 45", p.InTransit)
	}
	open, err := s.OpenArrivals(ctx, "sea-dc")
	if err != nil {
		t.Fatal(err)
	}
	in, err := HorizonInput(ctx, stored, 0, open, at)
	if err != nil {
		t.Fatal(err)
	}
	want := []timephased.Arrival{{Site: "DC", SKU: "P", Week: 0, Units: 5}, {Site: "DC", SKU: "P", Week: 4, Units: 40}}
	if !reflect.DeepEqual(in.InTransit, want) {
		t.Fatalf("in transit %+v, want %+v", in.InTransit, want)
	}

	// Solve with a known demand (10 a week) and no safety stock. By hand:
	// week 0 sells 10 of the 10 + 5 units; week 1 needs 5 more, weeks 2
	// and 3 need 10 each, which only air (1 week) reaches in time; the
	// 40 units of week 4 serve weeks 4–7. Nothing is lost and nothing
	// goes by sea.
	in.Demand = []timephased.Series{{Site: "DC", SKU: "P", Units: []float64{10, 10, 10, 10, 10, 10, 10, 10}}}
	in.Safety = nil
	res, err := timephased.Plan(in, timephased.Options{})
	if err != nil {
		t.Fatal(err)
	}
	arrive := func(r *timephased.Result) (air, sea [8]float64) {
		for _, l := range r.Lines {
			if l.Modes[0] == "air" {
				air[l.ArriveWeek] += l.Quantity
			} else {
				sea[l.ArriveWeek] += l.Quantity
			}
		}
		return air, sea
	}
	air, sea := arrive(res)
	if want := [8]float64{0, 5, 10, 10}; !close8(air, want) || sea != [8]float64{} {
		t.Errorf("arrivals by air %v, by sea %v; want %v by air and nothing by sea", air, sea, want)
	}
	if res.Totals.LostUnits > 1e-6 {
		t.Errorf("lost %v units, want none", res.Totals.LostUnits)
	}
	// The same network with every unit in transit counted in week 0 (the
	// input before open orders had a due week): 55 units cover weeks 0–4
	// and the plan orders again by sea what week 4's order brings.
	in.InTransit = nil
	old, err := timephased.Plan(in, timephased.Options{})
	if err != nil {
		t.Fatal(err)
	}
	air, sea = arrive(old)
	if want := [8]float64{0, 0, 0, 0, 0, 5, 10, 10}; air != [8]float64{} || !close8(sea, want) {
		t.Errorf("week-0 in transit: arrivals by air %v, by sea %v; want nothing by air and %v by sea", air, sea, want)
	}
}

// close8 reports whether a and b differ by at most 1e-6 in every week.
func close8(a, b [8]float64) bool {
	for i := range a {
		if math.Abs(a[i]-b[i]) > 1e-6 {
			return false
		}
	}
	return true
}
