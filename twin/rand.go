package twin

import (
	"math"
	"math/rand/v2"
)

// Random streams. Every random draw of the twin comes from a stream named
// by what it draws and for whom, seeded from (seed, kind, a, b, c) alone:
// the demand of series a in week b, the delay of lane a on day b, the fill
// of supplier a for product b in review period c. No draw depends on what
// a policy did before, so every policy sees the same realised demand and
// the same noise for a seed (common random numbers).
const (
	streamDemand  uint64 = 1
	streamTransit uint64 = 2
	streamFill    uint64 = 3
)

// mix is the finaliser of SplitMix64: a bijection of 64-bit words that
// spreads every input bit over the output.
func mix(x uint64) uint64 {
	x ^= x >> 30
	x *= 0xbf58476d1ce4e5b9
	x ^= x >> 27
	x *= 0x94d049bb133111eb
	x ^= x >> 31
	return x
}

// stream returns the generator of one stream (PCG, math/rand/v2).
func stream(seed, kind uint64, a, b, c int) *rand.Rand {
	h := mix(seed ^ 0x9e3779b97f4a7c15)
	h = mix(h ^ kind)
	h = mix(h ^ uint64(int64(a)))
	h = mix(h ^ uint64(int64(b)))
	h = mix(h ^ uint64(int64(c)))
	return rand.New(rand.NewPCG(h, mix(h^0x2545f4914f6cdd1d)))
}

// gamma draws from a gamma distribution of shape k > 0 and scale 1
// (Marsaglia and Tsang 2000; for k < 1 the boost of Stuart 1962).
func gamma(r *rand.Rand, k float64) float64 {
	if k < 1 {
		u := r.Float64()
		for u == 0 {
			u = r.Float64()
		}
		return gamma(r, k+1) * math.Pow(u, 1/k)
	}
	d := k - 1.0/3
	c := 1 / math.Sqrt(9*d)
	for {
		x := r.NormFloat64()
		v := 1 + c*x
		if v <= 0 {
			continue
		}
		v = v * v * v
		u := r.Float64()
		if u < 1-0.0331*x*x*x*x {
			return d * v
		}
		if u > 0 && math.Log(u) < 0.5*x*x+d*(1-v+math.Log(v)) {
			return d * v
		}
	}
}

// poisson draws from a Poisson distribution of mean lam >= 0: by
// multiplying uniforms below 30 (Knuth), by the transformed rejection
// method PTRS of Hörmann (1993) above.
func poisson(r *rand.Rand, lam float64) float64 {
	switch {
	case !(lam > 0):
		return 0
	case lam < 30:
		l, k, p := math.Exp(-lam), 0.0, 1.0
		for {
			p *= r.Float64()
			if p <= l {
				return k
			}
			k++
		}
	}
	slam, loglam := math.Sqrt(lam), math.Log(lam)
	b := 0.931 + 2.53*slam
	a := -0.059 + 0.02483*b
	invAlpha := 1.1239 + 1.1328/(b-3.4)
	vr := 0.9277 - 3.6224/(b-2)
	for {
		u := r.Float64() - 0.5
		v := r.Float64()
		us := 0.5 - math.Abs(u)
		k := math.Floor((2*a/us+b)*u + lam + 0.43)
		if us >= 0.07 && v <= vr {
			return k
		}
		if k < 0 || (us < 0.013 && v > us) {
			continue
		}
		lg, _ := math.Lgamma(k + 1)
		if math.Log(v)+math.Log(invAlpha)-math.Log(a/(us*us)+b) <= -lam+k*loglam-lg {
			return k
		}
	}
}
