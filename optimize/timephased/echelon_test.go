package timephased

import (
	"testing"

	"github.com/sillage/sillage"
)

// TestDCBuysAndTransfers: the supplier reaches the boutique only through
// the DC (road, 7 days = 1 week, 0.5 EUR/kg; then road, 2 days = 1 week,
// 0.2 EUR/kg). It makes 10 units a week; the boutique sells 30 in week 6
// and 30 in week 7 and stores at most 10. The six weeks 0–5 of production
// are all needed, so the units made in weeks 0–2 wait: at most 10 at the
// boutique, the rest (≥ 20) at the DC at the end of week 4.
//
// By hand: every unit costs 0.7 EUR of transport, 9 days in transit and 7
// days of holding per end of week it waits; a unit made in week t and
// sold in week c waits c − t − 2 weeks. Σc = 6·30 + 7·30 = 390, Σt =
// 10·(0+…+5) = 150, so 60·9 + 7·(390 − 150 − 120) = 1380 unit-days.
func TestDCBuysAndTransfers(t *testing.T) {
	demand := []float64{0, 0, 0, 0, 0, 0, 30, 30}
	n := ready(t, &sillage.Network{
		Name:     "echelons",
		Sites:    []sillage.Site{site(1, "SUP", sillage.KindSupplier, 0), site(2, "DC", sillage.KindDC, 0), site(3, "BTQ", sillage.KindBoutique, 10)},
		Products: []sillage.Product{{SKU: "P", GTIN: gtin(1), Name: "P", Class: "leather", MassKG: 1, UnitCostEUR: 100}},
		Lanes: []sillage.Lane{
			{From: "SUP", To: "DC", Mode: sillage.ModeRoad, DistanceKM: 700, CostEURPerKG: 0.5, TransitDays: 7},
			{From: "DC", To: "BTQ", Mode: sillage.ModeRoad, DistanceKM: 200, CostEURPerKG: 0.2, TransitDays: 2},
		},
		Supply: []sillage.Supply{{Supplier: "SUP", SKU: "P", CapacityUnits: 10}},
		Policy: sillage.Policy{HoldingRatePerYear: 0.2, ReviewPeriodDays: 7, ShortfallPenaltyEUR: 1},
	})
	res, err := Plan(&Input{Network: n, Weeks: 8, Demand: []Series{{Site: "BTQ", SKU: "P", Units: demand}}}, Options{Gap: -1})
	if err != nil {
		t.Fatal(err)
	}
	want := 60*0.7 + hold(100, 1380)
	if !near(res.Totals.ObjectiveEUR, want, 1e-9) {
		t.Errorf("objective %.6f, want %.6f", res.Totals.ObjectiveEUR, want)
	}
	if res.Totals.LostUnits > 1e-9 {
		t.Errorf("lost %v units, want none", res.Totals.LostUnits)
	}
	var intoDC, outOfDC float64
	for _, l := range res.Lines {
		switch {
		case l.Kind == KindPurchase && l.To == "DC":
			intoDC += l.Quantity
		case l.Kind == KindTransfer && l.From == "DC" && l.To == "BTQ":
			outOfDC += l.Quantity
		}
	}
	if intoDC < 20 || outOfDC < 20 {
		t.Errorf("%v units bought into the DC and %v transferred on; want ≥ 20 each", intoDC, outOfDC)
	}
	for _, p := range res.Projected {
		if p.Site == "DC" && p.Week == 4 && p.OnHand < 20-1e-9 {
			t.Errorf("DC on hand at the end of week 4: %v, want ≥ 20", p.OnHand)
		}
		if p.Site == "BTQ" && p.OnHand > 10+1e-9 {
			t.Errorf("boutique on hand %v in week %d, above its 10 units of storage", p.OnHand, p.Week)
		}
	}
}

// TestAirCapacityShipsSeaEarlier: a 50,000 EUR watch (1 kg) with 60 units
// to sell in week 5. Holding makes air (1 week) cheaper than sea (4
// weeks): air costs 10 + hold(3 days) and then 7 days of holding per week
// it arrives early; sea costs 1 + hold(28 days). Air takes 10 kg a week.
// By hand: air departing in weeks 4, 3, 2, 1 (ten each) costs less than
// sea; air in week 0 (four weeks early) costs more, so the last 20 go by
// sea departing in week 1. No sale is lost. The air lane's shadow price in
// week d is sea − air(d), in EUR per kg.
func TestAirCapacityShipsSeaEarlier(t *testing.T) {
	const v = 50000.0
	n := ready(t, seaAir(v, 10))
	demand := []float64{0, 0, 0, 0, 0, 60, 0, 0}
	res, err := Plan(&Input{Network: n, Weeks: 8, Demand: []Series{{Site: "BTQ", SKU: "P", Units: demand}}}, Options{Gap: -1})
	if err != nil {
		t.Fatal(err)
	}
	sea := 1 + hold(v, 28)
	air := func(d int) float64 { return 10 + hold(v, 3) + hold(v, 7*float64(4-d)) } // departs d, arrives d+1, waits until 5
	want := 20 * sea
	for d := 1; d <= 4; d++ {
		want += 10 * air(d)
	}
	if !near(res.Totals.ObjectiveEUR, want, 1e-9) {
		t.Errorf("objective %.4f, want %.4f", res.Totals.ObjectiveEUR, want)
	}
	if res.Totals.LostUnits > 1e-9 {
		t.Errorf("lost %v units, want none", res.Totals.LostUnits)
	}
	for _, l := range res.Lines {
		ok := (l.Modes[0] == "sea" && l.DepartWeek == 1 && l.Quantity == 20) ||
			(l.Modes[0] == "air" && l.DepartWeek >= 1 && l.DepartWeek <= 4 && l.Quantity == 10)
		if !ok {
			t.Errorf("unexpected line %s departing week %d: %v units", l.Path, l.DepartWeek, l.Quantity)
		}
	}
	if len(res.Lines) != 5 {
		t.Errorf("%d lines, want 5", len(res.Lines))
	}
	price := map[int]float64{}
	for _, b := range res.Bindings {
		if b.Kind == BindLane && b.Unit == "EUR/kg" {
			price[b.Week] = b.Value
		}
	}
	for d := 1; d <= 4; d++ {
		if !near(price[d], sea-air(d), 1e-9) {
			t.Errorf("air lane shadow price in week %d: %.4f EUR/kg, want %.4f", d, price[d], sea-air(d))
		}
	}
}
