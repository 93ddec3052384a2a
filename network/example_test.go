package network_test

import (
	"errors"
	"fmt"
	"log"
	"os"

	"github.com/sillage/sillage"
	"github.com/sillage/sillage/network"
)

func ExampleLoad() {
	n, err := network.Load("../testdata/networks/tiny.yaml")
	if err != nil {
		log.Fatal(err)
	}
	fmt.Printf("%s: %d sites, %d products, %d lanes\n", n.Name, len(n.Sites), len(n.Products), len(n.Lanes))
	for _, l := range n.Lanes[3:] {
		fmt.Printf("%s -> %s by %s: %.0f km, estimated: %v\n", l.From, l.To, l.Mode, l.DistanceKM, l.DistanceEstimated)
	}
	// Output:
	// tiny: 4 sites, 2 products, 5 lanes
	// DC-PAR -> BTQ-LON by road: 500 km, estimated: false
	// DC-PAR -> BTQ-LON by air: 433 km, estimated: true
}

// A bad file fails with the file, the line, the record and the field.
func ExampleLoad_error() {
	_, err := network.Load("../testdata/networks/bad/unknown-site-in-lane.yaml")
	fmt.Println(err)
	var fe *sillage.FieldError
	if errors.As(err, &fe) {
		fmt.Println("field:", fe.Path)
	}
	fmt.Println("invalid input:", errors.Is(err, sillage.ErrInvalid))
	// Output:
	// ../testdata/networks/bad/unknown-site-in-lane.yaml:26: lanes[1].to: unknown site "PAR-9"
	// field: lanes[1].to
	// invalid input: true
}

func ExampleWrite() {
	n := &sillage.Network{
		Name: "two sites",
		Sites: []sillage.Site{
			{ID: "SUP-GRASSE", Name: "Perfume house, Grasse", Kind: sillage.KindSupplier, GLN: "9520100000034", Latitude: 43.6584, Longitude: 6.9225, Country: "FR"},
			{ID: "BTQ-PAR", Name: "Boutique, Paris", Kind: sillage.KindBoutique, GLN: "9520100000119", Latitude: 48.8663, Longitude: 2.3045, Country: "FR"},
		},
		Products: []sillage.Product{{SKU: "FR-EDP-100", GTIN: "09520100000157", Name: "Eau de parfum 100 ml", Class: "fragrance",
			MassKG: 0.62, UnitCostEUR: 26, CradleToGateKgCO2e: 3.1}},
		Lanes:  []sillage.Lane{{From: "SUP-GRASSE", To: "BTQ-PAR", Mode: sillage.ModeRoad, DistanceKM: 930, CostEURPerKG: 0.26, TransitDays: 2}},
		Demand: []sillage.Demand{{Site: "BTQ-PAR", SKU: "FR-EDP-100", Weekly: []float64{20, 22, 18}}},
		Policy: sillage.Policy{CarbonPriceEURPerT: 100},
	}
	if err := network.Write(os.Stdout, n, &network.WriteOptions{Header: "A network of two sites."}); err != nil {
		log.Fatal(err)
	}
	// Output:
	// # A network of two sites.
	//
	// name: two sites
	//
	// sites:
	//   - id: SUP-GRASSE
	//     name: Perfume house, Grasse
	//     kind: supplier
	//     gln: "9520100000034"
	//     latitude: 43.6584
	//     longitude: 6.9225
	//     country: FR
	//   - id: BTQ-PAR
	//     name: Boutique, Paris
	//     kind: boutique
	//     gln: "9520100000119"
	//     latitude: 48.8663
	//     longitude: 2.3045
	//     country: FR
	//
	// products:
	//   - sku: FR-EDP-100
	//     gtin: "09520100000157"
	//     name: Eau de parfum 100 ml
	//     class: fragrance
	//     mass_kg: 0.62
	//     unit_cost_eur: 26
	//     cradle_to_gate_kgco2e: 3.1
	//
	// lanes:
	//   - {from: SUP-GRASSE, to: BTQ-PAR, mode: road, distance_km: 930, cost_eur_per_kg: 0.26, transit_days: 2}
	//
	// demand:
	//   - {site: BTQ-PAR, sku: FR-EDP-100, weekly: [20, 22, 18]}
	//
	// policy:
	//   carbon_price_eur_per_t: 100
}
