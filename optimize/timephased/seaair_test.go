package timephased

import (
	"testing"

	"github.com/sillage/sillage"
)

// seaAir: one supplier and one boutique, joined by a sea lane (28 days =
// 4 weeks, 1 EUR/kg) and an air lane (3 days = 1 week, 10 EUR/kg). One
// product of 1 kg costing costEUR. Carbon price 0, holding 20 %/year.
func seaAir(costEUR, airCapKG float64) *sillage.Network {
	return &sillage.Network{
		Name:     "sea-air",
		Sites:    []sillage.Site{site(1, "SUP", sillage.KindSupplier, 0), site(2, "BTQ", sillage.KindBoutique, 0)},
		Products: []sillage.Product{{SKU: "P", GTIN: gtin(1), Name: "P", Class: "leather", MassKG: 1, UnitCostEUR: costEUR}},
		Lanes: []sillage.Lane{
			{From: "SUP", To: "BTQ", Mode: sillage.ModeSea, DistanceKM: 10000, CostEURPerKG: 1, TransitDays: 28},
			{From: "SUP", To: "BTQ", Mode: sillage.ModeAir, DistanceKM: 1000, CostEURPerKG: 10, TransitDays: 3, CapacityKG: airCapKG},
		},
		Supply: []sillage.Supply{{Supplier: "SUP", SKU: "P", CapacityUnits: 1000}},
		Policy: sillage.Policy{HoldingRatePerYear: 0.2, ReviewPeriodDays: 7, ShortfallPenaltyEUR: 1},
	}
}

// seaAirMOQ is the sea/air case with MOQs: seaAir(100, 0) over 8 weeks,
// 10 units sold a week at 300 EUR each, and the supplier's terms of a case
// pack of 6 units and an MOQ of 24.
func seaAirMOQ(t testing.TB) *Input {
	n := ready(t, seaAir(100, 0))
	return &Input{Network: n, Weeks: 8, Demand: []Series{{Site: "BTQ", SKU: "P", Units: flat(8, 10)}}, UnitPriceEUR: map[string]float64{"P": 300},
		Terms: []Terms{{Supplier: "SUP", SKU: "P", MOQUnits: 24, CasePackUnits: 6}}}
}

// TestSeaCarriesWhatItCanReach: 10 units a week over 8 weeks, nothing in
// stock. Sea (4 weeks) can reach weeks 4–7, air (1 week) weeks 1–3, and
// week 0 is lost. By hand: sea costs 1 + hold(100, 28) EUR a unit, air
// 10 + hold(100, 3), a lost sale 300 − 100 = 200.
func TestSeaCarriesWhatItCanReach(t *testing.T) {
	n := ready(t, seaAir(100, 0))
	in := &Input{Network: n, Weeks: 8, Demand: []Series{{Site: "BTQ", SKU: "P", Units: flat(8, 10)}}, UnitPriceEUR: map[string]float64{"P": 300}}
	res, err := Plan(in, Options{})
	if err != nil {
		t.Fatal(err)
	}
	sea := 1 + hold(100, 28) // 2.534247 EUR
	air := 10 + hold(100, 3) // 10.164384 EUR
	want := 10*200 + 30*air + 40*sea
	if !near(res.Totals.ObjectiveEUR, want, 1e-9) || !near(res.MIP.ObjectiveEUR, want, 1e-9) {
		t.Errorf("objective %.6f (solver %.6f), want %.6f", res.Totals.ObjectiveEUR, res.MIP.ObjectiveEUR, want)
	}
	got := map[string][8]float64{}
	for _, l := range res.Lines {
		if l.Kind != KindPurchase || l.ReleaseWeek != l.DepartWeek {
			t.Errorf("line %+v: want a purchase released when it departs", l)
		}
		a := got[l.Modes[0]]
		a[l.ArriveWeek] += l.Quantity
		got[l.Modes[0]] = a
	}
	wantSea := [8]float64{0, 0, 0, 0, 10, 10, 10, 10}
	wantAir := [8]float64{0, 10, 10, 10, 0, 0, 0, 0}
	if got["sea"] != wantSea || got["air"] != wantAir {
		t.Errorf("arrivals by sea %v, by air %v; want %v and %v", got["sea"], got["air"], wantSea, wantAir)
	}
	if res.Totals.LostUnits != 10 {
		t.Errorf("lost %v units, want 10 (week 0)", res.Totals.LostUnits)
	}
	// Serve costs: week 0 loses the unit, weeks 1–3 fly it, 4–7 ship it.
	for _, sc := range res.ServeCost {
		want := sea
		switch {
		case sc.Week == 0:
			want = 200
		case sc.Week <= 3:
			want = air
		}
		if !near(sc.EURPerUnit, want, 1e-9) {
			t.Errorf("serve cost week %d: %.6f EUR/unit, want %.6f", sc.Week, sc.EURPerUnit, want)
		}
	}
	// The relaxation's week-0 lines are whole already: the rounding keeps
	// them and proves a zero gap, so CBC is not needed.
	if res.MIP.Status != "optimal" || res.MIP.Gap != 0 || res.MIP.Integers == 0 {
		t.Errorf("mip %+v: want week-0 integers proven optimal", res.MIP)
	}
}
