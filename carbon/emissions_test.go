package carbon

import (
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"testing"

	"github.com/sillage/sillage"
)

// TestAllocationConservesTotal checks on random shipments that the
// allocations to the consignments add up to the shipment's emissions:
// nothing is lost or counted twice.
func TestAllocationConservesTotal(t *testing.T) {
	rng := rand.New(rand.NewPCG(14083, 2023))
	tab := Default()
	for trial := 0; trial < 500; trial++ {
		var s Shipment
		s.ID = fmt.Sprint(trial)
		for i, nl := 0, 1+rng.IntN(5); i < nl; i++ {
			m := sillage.Modes[rng.IntN(len(sillage.Modes))]
			l := sillage.Lane{From: fmt.Sprint(i), To: fmt.Sprint(i + 1), Mode: m, DistanceKM: rng.Float64() * 12000}
			f, err := tab.LaneFactor(l)
			if err != nil {
				t.Fatal(err)
			}
			s.Legs = append(s.Legs, ShipmentLeg{Lane: l, Factor: f})
		}
		for i, nc := 0, 1+rng.IntN(20); i < nc; i++ {
			units := float64(rng.IntN(500))
			mass := units * rng.Float64() * 5
			if rng.IntN(10) == 0 {
				mass = 0 // weightless consignments take no share
			}
			s.Consignments = append(s.Consignments, Consignment{Key: fmt.Sprint(i), SKU: fmt.Sprint("P", i%4), Units: units, MassKG: mass})
		}
		as, err := s.Allocate()
		if err != nil {
			t.Fatal(err)
		}
		var sum, sumTKM, wantTKM float64
		for i, a := range as {
			if a.KgCO2e < 0 {
				t.Fatalf("trial %d: negative allocation %+v", trial, a)
			}
			if s.Consignments[i].MassKG == 0 && a.KgCO2e != 0 {
				t.Fatalf("trial %d: weightless consignment got %v kgCO2e", trial, a.KgCO2e)
			}
			if a.Units > 0 && !relEq(a.KgCO2ePerUnit*a.Units, a.KgCO2e) {
				t.Fatalf("trial %d: per unit %v × %v != %v", trial, a.KgCO2ePerUnit, a.Units, a.KgCO2e)
			}
			sum += a.KgCO2e
			sumTKM += a.TonneKM
		}
		total := s.KgCO2e()
		for _, l := range s.Legs {
			for _, c := range s.Consignments {
				wantTKM += c.MassKG / 1000 * l.Lane.DistanceKM
			}
		}
		if math.Abs(sum-total) > 1e-9*math.Max(1, total) {
			t.Fatalf("trial %d: allocations sum to %.12g, shipment emits %.12g", trial, sum, total)
		}
		if math.Abs(sumTKM-wantTKM) > 1e-9*math.Max(1, wantTKM) {
			t.Fatalf("trial %d: t·km %.12g, want %.12g", trial, sumTKM, wantTKM)
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
