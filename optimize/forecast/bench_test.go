package forecast

import (
	"math"
	"math/rand/v2"
	"testing"
)

// BenchmarkForecast forecasts two years of weekly history of a smooth
// seasonal series (Holt–Winters eligible, the costliest case) and of an
// intermittent one.
func BenchmarkForecast(b *testing.B) {
	rng := rand.New(rand.NewPCG(1, 1))
	for _, tc := range []struct {
		name string
		y    []float64
	}{
		{"seasonal-104w", series(104, func(t int) float64 {
			return 50 + 20*math.Sin(2*math.Pi*float64(t)/52) + 2*rng.NormFloat64()
		})},
		{"intermittent-104w", series(104, func(int) float64 {
			if rng.Float64() < 0.2 {
				return 3
			}
			return 0
		})},
	} {
		b.Run(tc.name, func(b *testing.B) {
			for b.Loop() {
				if _, err := Forecast(tc.y, Options{HorizonWeeks: 4}); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
