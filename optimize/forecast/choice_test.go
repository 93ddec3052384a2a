package forecast

import (
	"math"
	"math/rand/v2"
	"testing"
)

// The backtest-based choice on series generated from each model: the
// generating method (or one that forecasts the same, named in accept)
// must be chosen for at least min of 40 series. Where near-equivalent
// models compete (damped Holt with a trend near 0 is SES; SES with α
// near 1 is Naive) the minimum is 80% rather than 90%; the measured
// shares are logged (go test -v). Each generator is the
// model's own data-generating process (innovations form) or its
// textbook case.
func TestChoicePicksTheGeneratingModel(t *testing.T) {
	const seeds = 40
	sine := func(t int) float64 { return math.Sin(2 * math.Pi * float64(t) / 52) }
	tests := []struct {
		name   string
		n      int
		gen    func(rng *rand.Rand, n int) []float64
		accept []Method
		min    int
	}{
		{"zero", 60, func(_ *rand.Rand, n int) []float64 { return make([]float64, n) }, []Method{Zero}, seeds},
		// A random walk: Naive, or SES with α near 1 (same forecast).
		{"random walk", 80, func(rng *rand.Rand, n int) []float64 {
			y, v := make([]float64, n), 500.0
			for t := range y {
				v += 10 * rng.NormFloat64()
				y[t] = v
			}
			return y
		}, []Method{Naive, SES}, 32},
		// Local level, α = 0.3: y = ℓ + ε, ℓ ← ℓ + 0.3·ε.
		{"local level", 104, func(rng *rand.Rand, n int) []float64 {
			y, l := make([]float64, n), 100.0
			for t := range y {
				e := 5 * rng.NormFloat64()
				y[t] = l + e
				l += 0.3 * e
			}
			return y
		}, []Method{SES}, 30},
		{"linear trend", 80, func(rng *rand.Rand, n int) []float64 {
			return series(n, func(t int) float64 { return 10 + 3*float64(t) + 2*rng.NormFloat64() })
		}, []Method{Holt}, 36},
		{"season", 156, func(rng *rand.Rand, n int) []float64 {
			return series(n, func(t int) float64 { return 50 + 25*sine(t) + 2*rng.NormFloat64() })
		}, []Method{HoltWinters}, 38},
		{"season two years", 104, func(rng *rand.Rand, n int) []float64 {
			return series(n, func(t int) float64 { return 50 + 25*sine(t) + 2*rng.NormFloat64() })
		}, []Method{HoltWinters}, 36},
		// Croston's process: a sale with probability 0.3, of 1 + Poisson(2).
		{"intermittent", 104, func(rng *rand.Rand, n int) []float64 {
			return series(n, func(int) float64 {
				if rng.Float64() < 0.3 {
					return 1 + float64(poissonTest(rng, 2))
				}
				return 0
			})
		}, []Method{SBA, Croston, TSB}, 32},
		// TSB's case: sales every other week, then a probability that
		// decays from week 60 with a time constant of 5 weeks.
		{"obsolescent", 104, func(rng *rand.Rand, n int) []float64 {
			return series(n, func(t int) float64 {
				p := 0.5
				if t > 60 {
					p *= math.Exp(-float64(t-60) / 5)
				}
				if rng.Float64() < p {
					return 2
				}
				return 0
			})
		}, []Method{TSB, Zero}, 36},
	}
	for i, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			counts := map[Method]int{}
			ok := 0
			for seed := range seeds {
				rng := rand.New(rand.NewPCG(uint64(i), uint64(seed)))
				r, err := Forecast(tc.gen(rng, tc.n), Options{HorizonWeeks: 8})
				if err != nil {
					t.Fatal(err)
				}
				counts[r.Method]++
				for _, m := range tc.accept {
					if r.Method == m {
						ok++
					}
				}
			}
			t.Logf("chosen: %v", counts)
			if ok < tc.min {
				t.Errorf("%v chosen for %d of %d series, want at least %d (chosen: %v)", tc.accept, ok, seeds, tc.min, counts)
			}
		})
	}
}

func poissonTest(rng *rand.Rand, lambda float64) int {
	limit, p, k := math.Exp(-lambda), rng.Float64(), 0
	for p > limit {
		p *= rng.Float64()
		k++
	}
	return k
}
