package forecast_test

import (
	"context"
	"math"
	"math/rand/v2"
	"testing"

	"github.com/sillage/sillage/optimize/forecast"
	"github.com/sillage/sillage/optimize/forecast/synth"
)

// BenchmarkForecast forecasts two years of weekly history of a smooth
// seasonal series (Holt–Winters competes, the costliest case) and of an
// intermittent one: choice by backtest, fit and forecast.
func BenchmarkForecast(b *testing.B) {
	rng := rand.New(rand.NewPCG(1, 1))
	seasonal := make([]float64, 104)
	intermittent := make([]float64, 104)
	for t := range seasonal {
		seasonal[t] = math.Max(0, 50+20*math.Sin(2*math.Pi*float64(t)/52)+2*rng.NormFloat64())
		if rng.Float64() < 0.2 {
			intermittent[t] = 3
		}
	}
	for _, tc := range []struct {
		name string
		y    []float64
	}{{"seasonal-104w", seasonal}, {"intermittent-104w", intermittent}} {
		b.Run(tc.name, func(b *testing.B) {
			for b.Loop() {
				if _, err := forecast.Forecast(tc.y, forecast.Options{HorizonWeeks: 13}); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkForecastAll re-fits 100,000 weekly series of 104 weeks, an
// equal share of each synthetic kind, with a 13-week horizon: choice of
// the method by rolling-origin backtest, fit, forecast, test error, on
// every CPU. The target is 20 s per run (ns/op) on the project's 2-core
// machine. Run it alone:
//
//	go test ./optimize/forecast/ -run '^$' -bench ForecastAll -benchtime 1x
func BenchmarkForecastAll(b *testing.B) {
	const n = 100_000
	series := synth.Generate(synth.Kinds, n/len(synth.Kinds)+1, 104, 1)[:n]
	hist := make([][]float64, n)
	for i, s := range series {
		hist[i] = s.Weekly
	}
	b.ResetTimer()
	for b.Loop() {
		if _, err := forecast.ForecastAll(context.Background(), hist, forecast.Options{HorizonWeeks: 13}); err != nil {
			b.Fatal(err)
		}
	}
}
