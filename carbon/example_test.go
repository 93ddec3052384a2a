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
	// hgv-average: TTW 0.10163 + WTT 0.02415 kgCO2e/t·km (DESNZ 2025)
	// per kg: 0.062892 kgCO2e
	// 2 t: 125.785 kgCO2e
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
	// BAG-01: 3.019 kgCO2e, 0.3019 per unit
	// EDP-01: 3.019 kgCO2e, 0.0755 per unit
	// shipment: 6.038 kgCO2e
}
