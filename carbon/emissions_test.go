package carbon

import (
	"errors"
	"math"
	"testing"

	"github.com/sillage/sillage"
)

// TestAllocationSharedConsignmentsByMass compares the project with a
// computation done by hand: three products share a truck from the tannery
// to the DC (1200 km of road), and two of them a second truck from the DC
// to the boutique (30 km); the third stays at the DC. On each leg the
// vehicle's emissions are split by the mass each product has on board.
//
// HGV average laden, WTW 0.10163 + 0.02359 = 0.12522 kgCO2e per t·km.
//
//	leg 1: bags 10 × 2 kg = 20 kg, bottles 40 × 0.5 kg = 20 kg,
//	       belts 100 × 0.4 kg = 40 kg; 80 kg in all
//	       vehicle: 0.08 t × 1200 km × 0.12522 = 12.02112 kgCO2e
//	       bags 20/80 = 3.00528, bottles 20/80 = 3.00528, belts 40/80 = 6.01056
//	leg 2: bags 20 kg, bottles 20 kg; 40 kg in all
//	       vehicle: 0.04 t × 30 km × 0.12522 = 0.150264 kgCO2e
//	       bags 20/40 = 0.075132, bottles 20/40 = 0.075132
//	per unit: bags (3.00528 + 0.075132) / 10 = 0.3080412
//	          bottles (3.00528 + 0.075132) / 40 = 0.0770103
//	          belts 6.01056 / 100 = 0.0601056
func TestAllocationSharedConsignmentsByMass(t *testing.T) {
	n := loadTiny(t)
	n.Products = append(n.Products, sillage.Product{SKU: "BELT-01", GTIN: "03760123400039", Name: "Belt", Class: "leather", MassKG: 0.4, CradleToGateKgCO2e: 5})
	road := func(from, to string, km float64) sillage.Leg {
		return sillage.Leg{From: from, To: to, Mode: sillage.ModeRoad, DistanceKM: km}
	}
	toBTQ := []sillage.Leg{road("SUP-FLR", "DC-PAR", 1200), road("DC-PAR", "BTQ-PAR", 30)}
	lines := []sillage.PlanLine{
		{Source: "SUP-FLR", Site: "BTQ-PAR", SKU: "BAG-01", Quantity: 10, Legs: toBTQ},
		{Source: "SUP-FLR", Site: "BTQ-PAR", SKU: "EDP-01", Quantity: 40, Legs: toBTQ},
		{Source: "SUP-FLR", Site: "DC-PAR", SKU: "BELT-01", Quantity: 100, Legs: toBTQ[:1]},
	}
	res, err := Calculator{Network: n}.Footprints(lines)
	if err != nil {
		t.Fatal(err)
	}
	wantLine := []float64{3.00528 + 0.075132, 3.00528 + 0.075132, 6.01056}
	for i, w := range wantLine {
		if got := res.LineTransportKgCO2e[i]; math.Abs(got-w) > 1e-9 {
			t.Errorf("line %d (%s): %.12g kgCO2e, want %.12g", i, lines[i].SKU, got, w)
		}
	}
	wantLeg := map[string]float64{"SUP-FLR→DC-PAR": 12.02112, "DC-PAR→BTQ-PAR": 0.150264}
	for _, e := range res.Elements {
		k := e.Lane.From + "→" + e.Lane.To
		if math.Abs(e.KgCO2e-wantLeg[k]) > 1e-9 {
			t.Errorf("leg %s: %.12g kgCO2e, want %.12g", k, e.KgCO2e, wantLeg[k])
		}
	}
	wantUnit := map[string]float64{"BAG-01": 0.3080412, "EDP-01": 0.0770103, "BELT-01": 0.0601056}
	for _, d := range res.Details {
		if math.Abs(d.OutboundLegsKgCO2e-wantUnit[d.SKU]) > 1e-9 {
			t.Errorf("%s at %s: %.12g kgCO2e per unit of legs, want %.12g", d.SKU, d.Site, d.OutboundLegsKgCO2e, wantUnit[d.SKU])
		}
	}
}

func TestAllocateByTonneKM(t *testing.T) {
	cs := []Consignment{
		{Key: "a", SKU: "BAG-01", Units: 10, MassKG: 20, DistanceKM: 100}, // 2 t·km
		{Key: "b", SKU: "EDP-01", Units: 40, MassKG: 20, DistanceKM: 300}, // 6 t·km
	}
	as, err := AllocateByTonneKM(80, cs)
	if err != nil {
		t.Fatal(err)
	}
	if !relEq(as[0].KgCO2e, 20) || !relEq(as[1].KgCO2e, 60) || !relEq(as[1].KgCO2ePerUnit, 1.5) {
		t.Errorf("allocations = %+v", as)
	}
	for _, bad := range []struct {
		total float64
		c     Consignment
	}{{-1, cs[0]}, {math.NaN(), cs[0]}, {1, Consignment{MassKG: -1}}, {1, Consignment{Units: math.Inf(1)}}} {
		if _, err := AllocateByTonneKM(bad.total, []Consignment{bad.c}); !errors.Is(err, sillage.ErrInvalid) {
			t.Errorf("AllocateByTonneKM(%v, %+v): err = %v", bad.total, bad.c, err)
		}
	}
	// Nothing carried: nothing allocated.
	as, err = AllocateByTonneKM(0, []Consignment{{Key: "x"}})
	if err != nil || as[0].KgCO2e != 0 {
		t.Errorf("empty: %+v %v", as, err)
	}
}
