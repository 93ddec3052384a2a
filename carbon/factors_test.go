package carbon

import (
	"errors"
	"math"
	"testing"

	"github.com/sillage/sillage"
)

func TestDefaultReferenceValues(t *testing.T) {
	tab := Default()
	cases := []struct {
		mode    sillage.Mode
		vehicle string
		ttw     float64
	}{
		{sillage.ModeRoad, VehicleHGVAverage, 0.10163},
		{sillage.ModeRail, VehicleRailFreight, 0.02779},
		{sillage.ModeSea, VehicleContainerShip, 0.01612},
		{sillage.ModeAir, VehicleAirLongHaul, 0.5313},
		{sillage.ModeAir, VehicleAirLongHaulRF, 0.89939},
	}
	for _, c := range cases {
		f, err := tab.Factor(c.mode, c.vehicle)
		if err != nil {
			t.Fatalf("%s/%s: %v", c.mode, c.vehicle, err)
		}
		if f.TTW != c.ttw {
			t.Errorf("%s/%s TTW = %v, want %v", c.mode, c.vehicle, f.TTW, c.ttw)
		}
		if f.WTT <= 0 || f.Source == "" || f.Year == 0 {
			t.Errorf("%s/%s: WTT %v source %q year %d", c.mode, c.vehicle, f.WTT, f.Source, f.Year)
		}
		if math.Abs(f.WTW()-(f.TTW+f.WTT)) > 0 {
			t.Errorf("WTW != TTW+WTT")
		}
	}
}

func TestLaneFactorDefaultsAndOverride(t *testing.T) {
	tab := Default()
	cases := []struct {
		lane    sillage.Lane
		vehicle string
	}{
		{sillage.Lane{From: "A", To: "B", Mode: sillage.ModeRoad, DistanceKM: 500}, VehicleHGVAverage},
		{sillage.Lane{From: "A", To: "B", Mode: sillage.ModeAir, DistanceKM: 440}, VehicleAirShortHaul},
		{sillage.Lane{From: "A", To: "B", Mode: sillage.ModeAir, DistanceKM: 3700}, VehicleAirShortHaul},
		{sillage.Lane{From: "A", To: "B", Mode: sillage.ModeAir, DistanceKM: 9000}, VehicleAirLongHaul},
		{sillage.Lane{From: "A", To: "B", Mode: sillage.ModeSea, DistanceKM: 9000}, VehicleContainerShip},
		{sillage.Lane{From: "A", To: "B", Mode: sillage.ModeRail, DistanceKM: 9000}, VehicleRailFreight},
		{sillage.Lane{From: "A", To: "B", Mode: sillage.ModeBarge, DistanceKM: 90}, VehicleInlandWaterway},
	}
	for _, c := range cases {
		f, err := tab.LaneFactor(c.lane)
		if err != nil {
			t.Fatal(err)
		}
		if f.Vehicle != c.vehicle {
			t.Errorf("%s %v km: vehicle %s, want %s", c.lane.Mode, c.lane.DistanceKM, f.Vehicle, c.vehicle)
		}
	}
	v := 0.05
	f, err := tab.LaneFactor(sillage.Lane{From: "A", To: "B", Mode: sillage.ModeRoad, DistanceKM: 100, IntensityKgCO2ePerTKM: &v})
	if err != nil {
		t.Fatal(err)
	}
	if f.WTW() != 0.05 || !f.Primary || f.Vehicle != VehicleLaneOverride {
		t.Errorf("override factor = %+v", f)
	}
	neg := -0.1
	if _, err := tab.LaneFactor(sillage.Lane{Mode: sillage.ModeRoad, IntensityKgCO2ePerTKM: &neg}); !errors.Is(err, ErrNegativeIntensity) || !errors.Is(err, sillage.ErrInvalid) {
		t.Errorf("negative override: err = %v", err)
	}
	if _, err := tab.LaneFactor(sillage.Lane{Mode: "hovercraft"}); !errors.Is(err, ErrUnknownMode) {
		t.Errorf("unknown mode: err = %v", err)
	}
}

func TestLegKgCO2ePerKG(t *testing.T) {
	tab := Default()
	l := sillage.Lane{From: "DC-PAR", To: "BTQ-LON", Mode: sillage.ModeRoad, DistanceKM: 500}
	f, err := tab.LaneFactor(l)
	if err != nil {
		t.Fatal(err)
	}
	got := LegKgCO2ePerKG(l, f)
	want := 500 * (0.10163 + 0.10163*desnzDieselWTTPerL/desnzDieselTTWPerL) / 1000
	if math.Abs(got-want) > 1e-12*want {
		t.Errorf("LegKgCO2ePerKG = %v, want %v", got, want)
	}
	// 2 t over 500 km = 2000 kg × per-kg figure.
	if e := LegKgCO2e(2000, 500, f); math.Abs(e-2000*want) > 1e-9*e {
		t.Errorf("LegKgCO2e = %v, want %v", e, 2000*want)
	}
}
