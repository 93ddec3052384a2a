package netgen

import (
	"math"
	"math/rand/v2"
)

// rng draws deterministic random numbers. Only the PCG stream is taken
// from the standard library; every distribution is computed here.
type rng struct{ src *rand.PCG }

func newRNG(seed uint64, stream uint64) *rng {
	return &rng{src: rand.NewPCG(seed, 0x5111a9e0000000+stream)}
}

// float returns a uniform number in [0, 1).
func (r *rng) float() float64 { return float64(r.src.Uint64()>>11) / (1 << 53) }

// uniform returns a uniform number in [lo, hi).
func (r *rng) uniform(lo, hi float64) float64 { return lo + (hi-lo)*r.float() }

// intn returns a uniform integer in [0, n); n must be positive.
func (r *rng) intn(n int) int {
	// Rejection keeps the draw unbiased.
	limit := math.MaxUint64 - math.MaxUint64%uint64(n)
	for {
		if v := r.src.Uint64(); v < limit {
			return int(v % uint64(n))
		}
	}
}

// chance reports true with probability p.
func (r *rng) chance(p float64) bool { return r.float() < p }

// normal returns a standard normal number (Box-Muller).
func (r *rng) normal() float64 {
	u1 := 1 - r.float() // in (0, 1]
	u2 := r.float()
	return math.Sqrt(-2*math.Log(u1)) * math.Cos(2*math.Pi*u2)
}

// lognormalFactor returns a multiplier with mean 1 and log-standard
// deviation sigma.
func (r *rng) lognormalFactor(sigma float64) float64 {
	return math.Exp(sigma*r.normal() - sigma*sigma/2)
}

// poisson returns a Poisson-distributed count with mean lambda: Knuth's
// multiplication method below 30, the rounded normal approximation above.
func (r *rng) poisson(lambda float64) float64 {
	switch {
	case lambda <= 0:
		return 0
	case lambda < 30:
		l := math.Exp(-lambda)
		k, p := 0.0, 1.0
		for {
			p *= r.float()
			if p <= l {
				return k
			}
			k++
		}
	default:
		return math.Max(0, math.Round(lambda+math.Sqrt(lambda)*r.normal()))
	}
}

// round rounds x to the given number of decimals.
func round(x float64, decimals int) float64 {
	p := math.Pow(10, float64(decimals))
	return math.Round(x*p) / p
}
