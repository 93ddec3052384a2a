package carbon_test

import (
	"fmt"

	"github.com/sillage/sillage"
	"github.com/sillage/sillage/carbon"
)

// The emissions of 2 t carried 500 km by road with the shipped DESNZ 2025
// factor for an average laden HGV.
func ExampleTable_LaneFactor() {
	tab := carbon.Default()
	lane := sillage.Lane{From: "DC-PAR", To: "BTQ-LON", Mode: sillage.ModeRoad, DistanceKM: 500}
	f, err := tab.LaneFactor(lane)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Printf("%s: TTW %.5f + WTT %.5f kgCO2e/t·km (%s %d)\n", f.Vehicle, f.TTW, f.WTT, "DESNZ", f.Year)
	fmt.Printf("per kg: %.6f kgCO2e\n", carbon.LegKgCO2ePerKG(lane, f))
	fmt.Printf("2 t: %.3f kgCO2e\n", carbon.LegKgCO2e(2000, lane.DistanceKM, f))
	// Output:
	// hgv-average: TTW 0.10163 + WTT 0.02359 kgCO2e/t·km (DESNZ 2025)
	// per kg: 0.062610 kgCO2e
	// 2 t: 125.220 kgCO2e
}

// Allocating a shared road leg between two products by tonne-km.
func ExampleShipment_Allocate() {
	tab := carbon.Default()
	lane := sillage.Lane{From: "SUP-FLR", To: "DC-PAR", Mode: sillage.ModeRoad, DistanceKM: 1200}
	f, _ := tab.LaneFactor(lane)
	s := carbon.Shipment{
		ID:   "s1",
		Legs: []carbon.ShipmentLeg{{Lane: lane, Factor: f}},
		Consignments: []carbon.Consignment{
			{Key: "bags", SKU: "BAG-01", Units: 10, MassKG: 20},
			{Key: "perfume", SKU: "EDP-01", Units: 40, MassKG: 20},
		},
	}
	as, _ := s.Allocate()
	for _, a := range as {
		fmt.Printf("%s: %.3f kgCO2e, %.4f per unit\n", a.SKU, a.KgCO2e, a.KgCO2ePerUnit)
	}
	fmt.Printf("shipment: %.3f kgCO2e\n", s.KgCO2e())
	// Output:
	// BAG-01: 3.005 kgCO2e, 0.3005 per unit
	// EDP-01: 3.005 kgCO2e, 0.0751 per unit
	// shipment: 6.011 kgCO2e
}

// A company factor file (primary data) replaces the road default.
func ExampleParseFactorFile() {
	tab, grid := carbon.Default(), carbon.DefaultGrid()
	file := []byte(`name: Carrier X 2025
factors:
  - mode: road
    vehicle: carrier-x-hvo
    ttw_kgco2e_per_tkm: 0.012
    wtt_kgco2e_per_tkm: 0.018
    source: Carrier X fleet data (HVO), 2025
    year: 2025
    default: true
grid:
  - {country: IT, kgco2e_per_kwh: 0.3, source: company supplier mix 2024, year: 2024}
`)
	if err := carbon.ParseFactorFile("carrier.yaml", file, tab, grid); err != nil {
		fmt.Println(err)
		return
	}
	f, _ := tab.LaneFactor(sillage.Lane{Mode: sillage.ModeRoad, DistanceKM: 100})
	fmt.Printf("%s %.3f kgCO2e/t·km, primary %v\n", f.Vehicle, f.WTW(), f.Primary)
	fmt.Println(grid.Intensity("IT").KgPerKWh, grid.Intensity("MC").Fallback)

	bad := []byte("factors:\n  - {mode: hovercraft, vehicle: h, wtw_kgco2e_per_tkm: 1, source: s}\n")
	fmt.Println(carbon.ParseFactorFile("bad.yaml", bad, tab, grid))
	// Output:
	// carrier-x-hvo 0.030 kgCO2e/t·km, primary true
	// 0.3 true
	// bad.yaml:2: factors[0].mode: invalid input: unknown transport mode "hovercraft" (want one of road, rail, sea, air, barge)
}

// The footprint of a leather tote sent from a Paris DC to a London boutique.
func ExampleCalculator_Footprints() {
	n := &sillage.Network{
		Name: "mini",
		Sites: []sillage.Site{
			{ID: "DC-PAR", Kind: sillage.KindDC, Country: "FR"},
			{ID: "BTQ-LON", Kind: sillage.KindBoutique, Country: "GB"},
		},
		Products: []sillage.Product{{SKU: "BAG-01", MassKG: 2, CradleToGateKgCO2e: 40}},
		Lanes:    []sillage.Lane{{From: "DC-PAR", To: "BTQ-LON", Mode: sillage.ModeRoad, DistanceKM: 500}},
	}
	n.ApplyDefaults() // storage: 0.01 kWh per unit-day, 7 days per hub
	lines := []sillage.PlanLine{{Source: "DC-PAR", Site: "BTQ-LON", SKU: "BAG-01", Quantity: 10,
		Legs: []sillage.Leg{{From: "DC-PAR", To: "BTQ-LON", Mode: sillage.ModeRoad, DistanceKM: 500}}}}
	res, err := carbon.Calculator{Network: n}.Footprints(lines)
	if err != nil {
		fmt.Println(err)
		return
	}
	d := res.Details[0]
	fmt.Printf("%s at %s: %.2f + %.4f + %.5f = %.4f kgCO2e per unit\n", d.SKU, d.Site,
		d.CradleToGateKgCO2e, d.TransportKgCO2e, d.StorageKgCO2e, d.TotalKgCO2e)
	// Output:
	// BAG-01 at BTQ-LON: 40.00 + 0.1264 + 0.00392 = 40.1303 kgCO2e per unit
}

// A bottle's cradle-to-gate from its bill of materials: glass 0.3 kg ×
// 1.40277 + paper-board 0.1 kg × 0.82123 = 0.502954 kgCO2e, plus 20 % for
// manufacturing.
func ExampleProductCradleToGate() {
	share := 0.2
	p := sillage.Product{SKU: "EDP-01", MassKG: 0.5, ManufacturingShare: &share,
		Materials: []sillage.MaterialMass{{Material: "glass", MassKG: 0.3}, {Material: "paper-board", MassKG: 0.1}}}
	cg, err := carbon.ProductCradleToGate(p, nil) // nil: the shipped material table
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, m := range cg.Materials {
		fmt.Printf("%s %.6f kgCO2e (%d)\n", m.Material, m.KgCO2e, m.Year)
	}
	fmt.Printf("manufacturing %.6f, total %.6f (%s)\n", cg.ManufacturingKgCO2e, cg.KgCO2e, cg.Basis)
	// Output:
	// glass 0.420831 kgCO2e (2021)
	// paper-board 0.082123 kgCO2e (2021)
	// manufacturing 0.100591, total 0.603545 (bill of materials)
}

// Released orders become movements on their plan's paths; a cancelled
// order does not move.
func ExampleReleasedMovements() {
	plan := &sillage.Plan{ID: "p", Lines: []sillage.PlanLine{
		{Source: "DC-PAR", Site: "BTQ-LON", SKU: "BAG-01", Quantity: 10,
			Legs: []sillage.Leg{{From: "DC-PAR", To: "BTQ-LON", Mode: sillage.ModeRoad, DistanceKM: 500}}},
	}}
	orders := []sillage.Order{
		{ID: "to:p:DC-PAR:BTQ-LON", PlanID: "p", Source: "DC-PAR", Site: "BTQ-LON", Status: sillage.OrderShipped,
			Lines: []sillage.OrderLine{{SKU: "BAG-01", Quantity: 10}}},
		{ID: "to:q:DC-PAR:BTQ-LON", PlanID: "p", Source: "DC-PAR", Site: "BTQ-LON", Status: sillage.OrderCancelled,
			Lines: []sillage.OrderLine{{SKU: "BAG-01", Quantity: 4}}},
	}
	ms, _, err := carbon.ReleasedMovements([]*sillage.Plan{plan}, orders)
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, m := range ms {
		fmt.Printf("%s: %g × %s %s→%s by %s (%s)\n", m.OrderID, m.Units, m.SKU, m.Source, m.Site, m.Legs[0].Mode, m.Basis)
	}
	// Output:
	// to:p:DC-PAR:BTQ-LON: 10 × BAG-01 DC-PAR→BTQ-LON by road (order line as released)
}
