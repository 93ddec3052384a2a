package carbon

import (
	"errors"
	"math"
	"strings"
	"testing"

	"github.com/sillage/sillage"
)

// The tank-to-wheel values are the DESIGN.md reference values; the
// well-to-tank values are those DESNZ publishes on its sheet "WTT- delivery
// vehs & freight" for the same rows.
func TestDefaultReferenceValues(t *testing.T) {
	tab := Default()
	cases := []struct {
		mode     sillage.Mode
		vehicle  string
		ttw, wtt float64
	}{
		{sillage.ModeRoad, VehicleHGVAverage, 0.10163, 0.02359},
		{sillage.ModeRail, VehicleRailFreight, 0.02779, 0.00691},
		{sillage.ModeSea, VehicleContainerShip, 0.01612, 0.00365},
		{sillage.ModeAir, VehicleAirShortHaul, 0.75539, 0.20515},
		{sillage.ModeAir, VehicleAirLongHaul, 0.5313, 0.13516},
		{sillage.ModeAir, VehicleAirLongHaulRF, 0.89939, 0.13516},
	}
	for _, c := range cases {
		f, err := tab.Factor(c.mode, c.vehicle)
		if err != nil {
			t.Fatalf("%s/%s: %v", c.mode, c.vehicle, err)
		}
		if f.TTW != c.ttw || f.WTT != c.wtt {
			t.Errorf("%s/%s TTW, WTT = %v, %v, want %v, %v", c.mode, c.vehicle, f.TTW, f.WTT, c.ttw, c.wtt)
		}
		if f.Source != SourceDESNZ2025 || f.Year != 2025 {
			t.Errorf("%s/%s: source %q year %d", c.mode, c.vehicle, f.Source, f.Year)
		}
		if f.WTW() != f.TTW+f.WTT {
			t.Errorf("WTW != TTW+WTT")
		}
	}
}

// Every shipped factor has a source, a year and a note that says whether its
// WTT is published or derived; only the inland-waterway WTT is derived.
func TestShippedFactorNotes(t *testing.T) {
	for _, f := range Default().Factors() {
		if f.Source == "" || f.Year == 0 || f.TTW <= 0 || f.WTT <= 0 {
			t.Errorf("%s/%s: %+v", f.Mode, f.Vehicle, f)
		}
		derived := strings.Contains(f.Note, "WTT derived")
		published := strings.Contains(f.Note, "as published by DESNZ 2025")
		if derived == published {
			t.Errorf("%s/%s note %q: want exactly one of published or derived", f.Mode, f.Vehicle, f.Note)
		}
		if derived != (f.Vehicle == VehicleInlandWaterway) {
			t.Errorf("%s/%s: derived WTT = %v", f.Mode, f.Vehicle, derived)
		}
		if f.RadiativeForcing {
			noRF := strings.TrimSuffix(f.Vehicle, "-rf")
			g, err := Default().Factor(f.Mode, noRF)
			if err != nil || g.WTT != f.WTT || g.TTW >= f.TTW {
				t.Errorf("%s: RF factor %+v against %s %+v (%v)", f.Vehicle, f, noRF, g, err)
			}
		}
	}
	iww, err := Default().Factor(sillage.ModeBarge, VehicleInlandWaterway)
	if err != nil {
		t.Fatal(err)
	}
	if want := 0.0386 * 0.61101 / 2.57082; math.Abs(iww.WTT-want) > 1e-15 {
		t.Errorf("inland waterway WTT = %v, want %v", iww.WTT, want)
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
	want := 500 * (0.10163 + 0.02359) / 1000
	if math.Abs(got-want) > 1e-12*want {
		t.Errorf("LegKgCO2ePerKG = %v, want %v", got, want)
	}
	// 2 t over 500 km = 2000 kg × per-kg figure.
	if e := LegKgCO2e(2000, 500, f); math.Abs(e-2000*want) > 1e-9*e {
		t.Errorf("LegKgCO2e = %v, want %v", e, 2000*want)
	}
}
