package sillage_test

import (
	"math"
	"testing"

	"github.com/sillage/sillage"
)

func TestGreatCircleKM(t *testing.T) {
	tests := []struct {
		name                   string
		lat1, lon1, lat2, lon2 float64
		want, tol              float64 // km
	}{
		{"same point", 48.8566, 2.3522, 48.8566, 2.3522, 0, 1e-9},
		// Paris–London is about 343.5 km great-circle.
		{"Paris-London", 48.8566, 2.3522, 51.5074, -0.1278, 343.5, 1.0},
		// A quarter of a meridian: pole to equator = π/2 × R.
		{"pole to equator", 90, 0, 0, 0, math.Pi / 2 * sillage.EarthRadiusKM, 1e-6},
		// Antipodes: half the circumference.
		{"antipodes", 0, 0, 0, 180, math.Pi * sillage.EarthRadiusKM, 1e-6},
	}
	for _, tt := range tests {
		got := sillage.GreatCircleKM(tt.lat1, tt.lon1, tt.lat2, tt.lon2)
		if math.Abs(got-tt.want) > tt.tol {
			t.Errorf("%s: GreatCircleKM = %.4f, want %.4f ± %g", tt.name, got, tt.want, tt.tol)
		}
	}
}

func TestEstimatedDistanceKM(t *testing.T) {
	gc := sillage.GreatCircleKM(48.8566, 2.3522, 51.5074, -0.1278)
	if got := sillage.EstimatedDistanceKM(sillage.ModeAir, 48.8566, 2.3522, 51.5074, -0.1278); math.Abs(got-(gc+95)) > 1e-9 {
		t.Errorf("air: got %v, want great-circle + 95 km = %v", got, gc+95)
	}
	for _, m := range []sillage.Mode{sillage.ModeRoad, sillage.ModeRail, sillage.ModeSea, sillage.ModeBarge} {
		got := sillage.EstimatedDistanceKM(m, 48.8566, 2.3522, 51.5074, -0.1278)
		if want := gc * sillage.DistanceFactor(m); math.Abs(got-want) > 1e-9 || sillage.DistanceFactor(m) <= 1 {
			t.Errorf("%s: got %v, want %v (factor %v > 1)", m, got, want, sillage.DistanceFactor(m))
		}
	}
}
