package optimize_test

import (
	"context"
	"fmt"
	"log"

	"github.com/sillage/sillage/network"
	"github.com/sillage/sillage/optimize"
)

// The cheapest path from the Florence tannery to the London boutique, at
// the network's carbon price, first without and then with a transit limit.
func ExampleRouter_Route() {
	n, err := network.Load("../testdata/networks/tiny.yaml")
	if err != nil {
		log.Fatal(err)
	}
	r, err := optimize.NewRouter(n, optimize.RouterOptions{CarbonPriceEURPerT: n.Policy.CarbonPriceEURPerT})
	if err != nil {
		log.Fatal(err)
	}
	for _, maxDays := range []float64{0, 3} {
		rt, err := r.Route("SUP-FLR", "BTQ-LON", maxDays)
		if err != nil {
			log.Fatal(err)
		}
		for _, l := range rt.Legs {
			fmt.Printf("%s -> %s by %s; ", l.From, l.To, l.Mode)
		}
		fmt.Printf("%.2f EUR/kg, %g days\n", rt.CostEURPerKG, rt.TransitDays)
	}
	_, err = r.Route("SUP-FLR", "BTQ-LON", 2)
	fmt.Println(err)
	// Output:
	// SUP-FLR -> DC-PAR by rail; DC-PAR -> BTQ-LON by road; 0.45 EUR/kg, 6 days
	// SUP-FLR -> DC-PAR by road; DC-PAR -> BTQ-LON by air; 1.80 EUR/kg, 3 days
	// SUP-FLR -> BTQ-LON: no path within the transit limit of 2 days (the fastest path takes 3 days)
}

// Plan the tiny network and list what moves where.
func ExamplePlan() {
	n, err := network.Load("../testdata/networks/tiny.yaml")
	if err != nil {
		log.Fatal(err)
	}
	res, err := optimize.Plan(context.Background(), n, optimize.Options{})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(res.Plan.Status, "shortfall", res.Plan.ShortfallUnits)
	for _, l := range res.Plan.Lines {
		fmt.Printf("%s -> %s %s: %.1f units by %s\n", l.Source, l.Site, l.SKU, l.Quantity, l.Legs[0].Mode)
	}
	// Output:
	// optimal shortfall 0
	// DC-PAR -> BTQ-PAR BAG-01: 4.9 units by road
	// DC-PAR -> BTQ-PAR EDP-01: 46.1 units by road
	// DC-PAR -> BTQ-LON BAG-01: 2.0 units by road
	// DC-PAR -> BTQ-LON EDP-01: 24.4 units by road
}

// Sweep the carbon price over one warm-started model.
func ExamplePareto() {
	n, err := network.Load("../testdata/networks/tiny.yaml")
	if err != nil {
		log.Fatal(err)
	}
	res, err := optimize.Pareto(context.Background(), n, []float64{0, 100, 800}, optimize.Options{})
	if err != nil {
		log.Fatal(err)
	}
	for _, p := range res.Points {
		fmt.Printf("%g EUR/t: %.2f EUR, frontier %v\n", p.CarbonPriceEURPerT, p.CostEUR, p.OnFrontier)
	}
	// Output:
	// 0 EUR/t: 12.70 EUR, frontier true
	// 100 EUR/t: 12.70 EUR, frontier true
	// 800 EUR/t: 12.70 EUR, frontier true
}

// Every route from the Paris distribution centre, built in one pass.
func ExampleTree_Routes() {
	n, err := network.Load("../testdata/networks/tiny.yaml")
	if err != nil {
		log.Fatal(err)
	}
	r, err := optimize.NewRouter(n, optimize.RouterOptions{CarbonPriceEURPerT: 100})
	if err != nil {
		log.Fatal(err)
	}
	tree, err := r.From("DC-PAR", 0)
	if err != nil {
		log.Fatal(err)
	}
	for i, rt := range tree.Routes() {
		if rt == nil {
			fmt.Printf("%s: no route\n", n.Sites[i].ID)
			continue
		}
		fmt.Printf("%s: %d legs, %.2f EUR/kg, %g days\n", rt.To, len(rt.Legs), rt.CostEURPerKG, rt.TransitDays)
	}
	// Output:
	// SUP-FLR: no route
	// DC-PAR: 0 legs, 0.00 EUR/kg, 0 days
	// BTQ-PAR: 1 legs, 0.05 EUR/kg, 1 days
	// BTQ-LON: 1 legs, 0.25 EUR/kg, 2 days
}
