package synth

import (
	"fmt"
	"math"
	"math/rand/v2"
	"strings"

	"github.com/sillage/sillage"
	"github.com/sillage/sillage/optimize/forecast"
)

// Kind is a kind of synthetic demand. U(a, b) is a uniform draw per series;
// Poisson(λ) a weekly count.
type Kind string

// Kinds of demand.
const (
	// Smooth: Poisson(λ_t), λ_0 ~ U(5, 40) units/week, ln λ a random
	// walk with steps of standard deviation 0.02 per week.
	Smooth Kind = "smooth"
	// Intermittent: a sale in a week with probability p ~ U(0.15, 0.45),
	// of 1 + Poisson(s − 1) units, s ~ U(1, 3) (CV² of sizes below 0.49).
	Intermittent Kind = "intermittent"
	// Lumpy: a sale with probability p ~ U(0.1, 0.35), of ⌈Exp(mean s)⌉
	// units, s ~ U(3, 12) (CV² of sizes near 1).
	Lumpy Kind = "lumpy"
	// Obsolescent: intermittent with p0 ~ U(0.3, 0.6) and sizes as
	// Intermittent, until week T = U(0.5, 0.85)·weeks; from then on the
	// probability decays as p0·exp(−(t − T)/τ), τ ~ U(4, 12) weeks: a
	// collection that ends.
	Obsolescent Kind = "obsolescent"
	// Seasonal: Poisson(L·(1 + A·sin(2π(t + φ)/52))), L ~ U(8, 40),
	// A ~ U(0.4, 0.9), φ ~ U(0, 52) weeks.
	Seasonal Kind = "seasonal"
	// Trending: Poisson(L·(1 + g·t/weeks)), L ~ U(5, 20); the growth g over
	// the history is U(0.5, 2), or U(−0.7, −0.3) (declining) for 30% of
	// the series.
	Trending Kind = "trending"
)

// Kinds lists every kind.
var Kinds = []Kind{Smooth, Intermittent, Lumpy, Obsolescent, Seasonal, Trending}

// ParseKinds parses a comma-separated list of kinds ("all" for every
// kind). It returns an error wrapping sillage.ErrInvalid for an unknown
// kind.
func ParseKinds(s string) ([]Kind, error) {
	if s == "all" || s == "" {
		return Kinds, nil
	}
	var out []Kind
	for _, f := range strings.Split(s, ",") {
		k := Kind(strings.TrimSpace(f))
		known := false
		for _, c := range Kinds {
			known = known || c == k
		}
		if !known {
			return nil, fmt.Errorf("%w: unknown kind %q of synthetic demand, want one of %v", sillage.ErrInvalid, k, Kinds)
		}
		out = append(out, k)
	}
	return out, nil
}

// Generate returns perKind series of each kind, weeks weeks long, named
// "<kind>-<i>"; series i of a kind is drawn from a generator seeded by
// (seed, its index in the output), so a series does not depend on how
// many are drawn after it. Cost O(series·weeks).
func Generate(kinds []Kind, perKind, weeks int, seed uint64) []forecast.Series {
	out := make([]forecast.Series, 0, len(kinds)*perKind)
	for _, k := range kinds {
		for i := range perKind {
			rng := rand.New(rand.NewPCG(seed, uint64(len(out))))
			out = append(out, forecast.Series{ID: fmt.Sprintf("%s-%d", k, i), Kind: string(k), Weekly: One(k, weeks, rng)})
		}
	}
	return out
}

// One draws one series of kind k, weeks weeks long (see the kinds).
func One(k Kind, weeks int, rng *rand.Rand) []float64 {
	y := make([]float64, weeks)
	u := func(a, b float64) float64 { return a + (b-a)*rng.Float64() }
	switch k {
	case Smooth:
		lnl := math.Log(u(5, 40))
		for t := range y {
			y[t] = poisson(rng, math.Exp(lnl))
			lnl += 0.02 * rng.NormFloat64()
		}
	case Intermittent, Obsolescent:
		p0, s := u(0.15, 0.45), u(1, 3)
		end, tau := float64(weeks+1), 1.0
		if k == Obsolescent {
			p0, end, tau = u(0.3, 0.6), u(0.5, 0.85)*float64(weeks), u(4, 12)
		}
		for t := range y {
			p := p0
			if float64(t) > end {
				p *= math.Exp(-(float64(t) - end) / tau)
			}
			if rng.Float64() < p {
				y[t] = 1 + poisson(rng, s-1)
			}
		}
	case Lumpy:
		p, s := u(0.1, 0.35), u(3, 12)
		for t := range y {
			if rng.Float64() < p {
				y[t] = math.Max(1, math.Ceil(s*rng.ExpFloat64()))
			}
		}
	case Seasonal:
		l, a, phi := u(8, 40), u(0.4, 0.9), u(0, 52)
		for t := range y {
			y[t] = poisson(rng, l*(1+a*math.Sin(2*math.Pi*(float64(t)+phi)/52)))
		}
	case Trending:
		l, g := u(5, 20), u(0.5, 2)
		if rng.Float64() < 0.3 {
			g = u(-0.7, -0.3)
		}
		for t := range y {
			y[t] = poisson(rng, l*(1+g*float64(t)/float64(weeks)))
		}
	}
	return y
}

// poisson draws a Poisson count of mean λ: by Knuth's product of uniforms
// up to λ = 30, by the normal approximation rounded to a count beyond.
func poisson(rng *rand.Rand, lambda float64) float64 {
	if lambda <= 0 {
		return 0
	}
	if lambda > 30 {
		return math.Max(0, math.Round(lambda+math.Sqrt(lambda)*rng.NormFloat64()))
	}
	limit, p, k := math.Exp(-lambda), rng.Float64(), 0.0
	for p > limit {
		p *= rng.Float64()
		k++
	}
	return k
}
