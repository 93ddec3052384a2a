package timephased

import (
	"context"
	"testing"

	"github.com/sillage/sillage"
	"github.com/sillage/sillage/optimize/forecast"
)

// TestFromNetwork: a boutique reached from its DC in 2 days (one weekly
// bucket) and from its supplier by sea in 30 days plus 14 days of
// production (2 + 5 buckets): its lead time is 7 days, its window 7 + 7
// days of review. The safety target is the forecast's 0.99 quantile (the
// watch class's level, not the policy's 0.95) over that window minus the
// mean, computed here directly with optimize/forecast; demand is the
// forecast over the policy's 6-week horizon; supplier terms and the
// selling price come from the network.
func TestFromNetwork(t *testing.T) {
	history := []float64{3, 0, 5, 2, 4, 1, 0, 6, 2, 3, 5, 1, 2, 4, 0, 3, 2, 5, 1, 4}
	n := ready(t, &sillage.Network{
		Name:     "from-network",
		Sites:    []sillage.Site{site(1, "SUP", sillage.KindSupplier, 0), site(2, "DC", sillage.KindDC, 0), site(3, "BTQ", sillage.KindBoutique, 0)},
		Products: []sillage.Product{{SKU: "W", GTIN: gtin(1), Name: "W", Class: "watch", MassKG: 1, UnitCostEUR: 1000, UnitPriceEUR: 4000}},
		Lanes: []sillage.Lane{
			{From: "SUP", To: "BTQ", Mode: sillage.ModeSea, DistanceKM: 9000, CostEURPerKG: 1, TransitDays: 30},
			{From: "SUP", To: "DC", Mode: sillage.ModeRoad, DistanceKM: 900, CostEURPerKG: 1, TransitDays: 3},
			{From: "DC", To: "BTQ", Mode: sillage.ModeRoad, DistanceKM: 200, CostEURPerKG: 1, TransitDays: 2},
		},
		Stock:  []sillage.Position{{Site: "DC", SKU: "W", OnHand: 5}},
		Demand: []sillage.Demand{{Site: "BTQ", SKU: "W", Weekly: history}},
		Supply: []sillage.Supply{{Supplier: "SUP", SKU: "W", CapacityUnits: 40, LeadTimeDays: 14, MOQUnits: 4, CasePackUnits: 2}},
		Policy: sillage.Policy{ReviewPeriodDays: 7, HorizonWeeks: 6, ServiceLevel: 0.95, ServiceLevels: []sillage.ClassServiceLevel{{Class: "watch", Level: 0.99}}},
	})
	in, err := FromNetwork(context.Background(), n, 0)
	if err != nil {
		t.Fatal(err)
	}
	f, err := forecast.Forecast(history, forecast.Options{HorizonWeeks: 6})
	if err != nil {
		t.Fatal(err)
	}
	safety, err := f.SafetyUnits(14, 0.99)
	if err != nil {
		t.Fatal(err)
	}
	if in.Weeks != 6 || len(in.Demand) != 1 || len(in.Demand[0].Units) != 6 {
		t.Fatalf("input: %d weeks, demand %+v", in.Weeks, in.Demand)
	}
	for w, u := range in.Demand[0].Units {
		if u != f.Weekly[w] {
			t.Errorf("demand week %d: %v, want the forecast's %v", w, u, f.Weekly[w])
		}
	}
	if len(in.SafetyBasis) != 1 || len(in.Safety) != 1 || safety <= 0 {
		t.Fatalf("safety %+v, basis %+v; want one target of %v", in.Safety, in.SafetyBasis, safety)
	}
	b := in.SafetyBasis[0]
	if b.LeadTimeDays != 7 || b.WindowDays != 14 || b.ServiceLevel != 0.99 || b.SafetyUnits != safety || b.Method != SafetyMethodForecastQuantile || b.Forecast != f.Method {
		t.Errorf("basis %+v; want lead 7 days, window 14, level 0.99, safety %v, method %s", b, safety, f.Method)
	}
	for w, u := range in.Safety[0].Units {
		if u != safety {
			t.Errorf("safety week %d: %v, want %v", w, u, safety)
		}
	}
	want := Terms{Supplier: "SUP", SKU: "W", LeadTimeDays: 14, MOQUnits: 4, CasePackUnits: 2}
	if len(in.Terms) != 1 || in.Terms[0] != want || in.UnitPriceEUR["W"] != 4000 {
		t.Errorf("terms %+v, prices %v; want %+v and 4000", in.Terms, in.UnitPriceEUR, want)
	}
	res, err := Plan(in, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if res.Safety.Method != SafetyMethodForecastQuantile || len(res.Safety.Targets) != 1 || res.Safety.ServiceLevel != 0.95 {
		t.Errorf("plan's safety report %+v", res.Safety)
	}
	checkPlan(t, in, res)
}
