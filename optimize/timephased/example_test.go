package timephased_test

import (
	"context"
	"fmt"
	"math"

	"github.com/sillage/sillage"
	"github.com/sillage/sillage/network"
	"github.com/sillage/sillage/optimize/timephased"
)

// A supplier ships to a boutique by sea (4 weeks, cheap) or by air (1
// week, dear). Over 6 weeks of 5 units a week, week 0 is lost, air serves
// weeks 1–3 and sea weeks 4–5.
func ExamplePlan() {
	n := &sillage.Network{
		Sites: []sillage.Site{
			{ID: "SUP", Name: "Supplier", Kind: sillage.KindSupplier, GLN: "3760120000010", Latitude: 45, Longitude: 5, Country: "FR"},
			{ID: "BTQ", Name: "Boutique", Kind: sillage.KindBoutique, GLN: "3760120000027", Latitude: 48, Longitude: 2, Country: "FR"},
		},
		Products: []sillage.Product{{SKU: "BAG", GTIN: "03760120000010", Name: "Bag", Class: "leather", MassKG: 1, UnitCostEUR: 100}},
		Lanes: []sillage.Lane{
			{From: "SUP", To: "BTQ", Mode: sillage.ModeSea, DistanceKM: 10000, CostEURPerKG: 1, TransitDays: 28},
			{From: "SUP", To: "BTQ", Mode: sillage.ModeAir, DistanceKM: 1000, CostEURPerKG: 10, TransitDays: 3},
		},
		Supply: []sillage.Supply{{Supplier: "SUP", SKU: "BAG", CapacityUnits: 100}},
	}
	n.ApplyDefaults()
	if err := n.Validate(); err != nil {
		fmt.Println(err)
		return
	}
	res, err := timephased.Plan(&timephased.Input{Network: n, Weeks: 6,
		Demand: []timephased.Series{{Site: "BTQ", SKU: "BAG", Units: []float64{5, 5, 5, 5, 5, 5}}}}, timephased.Options{})
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, l := range res.Lines {
		fmt.Printf("%s %s week %d → %d: %.0f units\n", l.Kind, l.Modes[0], l.DepartWeek, l.ArriveWeek, l.Quantity)
	}
	fmt.Printf("lost %.0f units; week-0 orders %s\n", res.Totals.LostUnits, res.MIP.Status)
	// Output:
	// purchase sea week 0 → 4: 5 units
	// purchase sea week 1 → 5: 5 units
	// purchase air week 0 → 1: 5 units
	// purchase air week 1 → 2: 5 units
	// purchase air week 2 → 3: 5 units
	// lost 5 units; week-0 orders optimal
}

// FromNetwork turns a network file into the plan's input, as `sillage
// plan` does: the horizon from the policy (or the argument), the forecast
// demand of every history, safety stock at the service level and the
// supplier terms.
func ExampleFromNetwork() {
	n, err := network.Load("../../testdata/networks/tiny.yaml")
	if err != nil {
		fmt.Println(err)
		return
	}
	in, err := timephased.FromNetwork(context.Background(), n, 6)
	if err != nil {
		fmt.Println(err)
		return
	}
	res, err := timephased.Plan(in, timephased.Options{})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Printf("%d weeks, %d demand series, %d safety targets by %s at %g\n", in.Weeks, len(in.Demand), len(in.Safety), res.Safety.Method, res.Safety.ServiceLevel)
	week0 := 0
	for _, l := range res.Lines {
		if l.ReleaseWeek == 0 && l.Quantity == math.Round(l.Quantity) {
			week0++
		}
	}
	fmt.Printf("week-0 orders: %d whole lines; gap within 1 %%: %v\n", week0, res.MIP.Gap <= 0.01)
	// Output:
	// 6 weeks, 4 demand series, 4 safety targets by forecast-error-quantile at 0.97
	// week-0 orders: 4 whole lines; gap within 1 %: true
}
