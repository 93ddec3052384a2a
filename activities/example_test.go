package activities_test

import (
	"fmt"
	"log"

	"github.com/sillage/sillage"
	"github.com/sillage/sillage/activities"
	"github.com/sillage/sillage/network"
)

// A plan's lines become one purchase order per supplier and site and one
// transfer per distribution centre and site, in whole units.
func ExampleOrdersFromPlan() {
	n, err := network.Load("../testdata/networks/tiny.yaml")
	if err != nil {
		log.Fatal(err)
	}
	p := &sillage.Plan{ID: "tiny:20260301T060000", Lines: []sillage.PlanLine{
		{Source: "SUP-FLR", Site: "DC-PAR", SKU: "BAG-01", Quantity: 12.4, KgCO2e: 5},
		{Source: "DC-PAR", Site: "BTQ-LON", SKU: "EDP-01", Quantity: 30, KgCO2e: 1},
	}}
	orders, err := activities.OrdersFromPlan(n, p)
	if err != nil {
		log.Fatal(err)
	}
	for _, o := range orders {
		fmt.Printf("%s %s %v %.0f EUR\n", o.ID, o.Kind, o.Lines, o.ValueEUR)
	}
	// Output:
	// to:tiny:20260301T060000:DC-PAR:BTQ-LON transfer [{EDP-01 30 1800}] 1800 EUR
	// po:tiny:20260301T060000:SUP-FLR:1 purchase [{BAG-01 13 10400}] 10400 EUR
}

// The simulated supplier's answer depends only on its seed and the order
// id: every worker, and every restart, gets the same.
func ExampleSimulatedSupplier() {
	s := &activities.SimulatedSupplier{Seed: 1}
	a, b := s.Outcome("po:tiny:1:SUP-FLR:1"), s.Outcome("po:tiny:1:SUP-FLR:1")
	fmt.Println(a == b)
	// Output: true
}
