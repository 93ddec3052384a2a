package forecast

import (
	"errors"
	"math"
	"math/rand/v2"
	"testing"

	"github.com/sillage/sillage"
)

// nbPMF is the negative binomial probability of k by its closed form with
// log-gamma functions: a second implementation, independent of the
// recurrence of Distribution.
func nbPMF(k int, r, p float64) float64 {
	lg := func(x float64) float64 { v, _ := math.Lgamma(x); return v }
	return math.Exp(lg(float64(k)+r) - lg(r) - lg(float64(k)+1) + r*math.Log(p) + float64(k)*math.Log(1-p))
}

// Quantiles and CDF on known distributions.
func TestQuantilesOfKnownDistributions(t *testing.T) {
	// Negative binomial r = 2, p = 0.5: mean 2, variance 4; P(0..3) =
	// 0.25, 0.25, 0.1875, 0.125, so the CDF is 0.25, 0.5, 0.6875, 0.8125.
	nb := newDistribution(2, 4)
	if nb.Family != NegativeBinomial {
		t.Fatalf("family %s, want negative binomial", nb.Family)
	}
	for _, tc := range []struct{ q, want float64 }{{0.2, 0}, {0.25, 0}, {0.3, 1}, {0.5, 1}, {0.6, 2}, {0.8, 3}, {0.81, 3}, {0.82, 4}} {
		if got, err := nb.Quantile(tc.q); err != nil || got != tc.want {
			t.Errorf("negative binomial: quantile %g = %g (%v), want %g", tc.q, got, err, tc.want)
		}
	}
	if got := nb.CDF(3); math.Abs(got-0.8125) > 1e-12 {
		t.Errorf("CDF(3) = %g, want 0.8125", got)
	}
	if got := nb.ProbZero(); math.Abs(got-0.25) > 1e-12 {
		t.Errorf("mass at zero %g, want 0.25", got)
	}
	// A wide intermittent one (mean 3, variance 30) against the
	// log-gamma closed form, at many levels.
	wide := newDistribution(3, 30)
	r, p := 3*0.1/(1-0.1), 0.1
	cdf, k := 0.0, 0
	for _, q := range []float64{0.5, 0.9, 0.97, 0.995} {
		for cdf += nbPMF(k, r, p); cdf < q; cdf += nbPMF(k, r, p) {
			k++
		}
		if got, _ := wide.Quantile(q); got != float64(k) {
			t.Errorf("NB(3, 30): quantile %g = %g, want %d", q, got, k)
		}
		cdf -= nbPMF(k, r, p) // the loop adds week k again
	}
	// Normal, mean 10, variance 4: the 0.975 quantile is 10 + 2·1.959964.
	n := newDistribution(10, 4)
	if got, _ := n.Quantile(0.975); n.Family != Normal || math.Abs(got-13.919928) > 1e-5 {
		t.Errorf("normal: family %s, quantile 0.975 = %g, want 13.919928", n.Family, got)
	}
	// Clipped at 0: mean 1, variance 4 has mass Φ(−0.5) = 0.308538 at 0.
	z := Distribution{Mean: 1, Variance: 4, Family: Normal}
	if got := z.ProbZero(); math.Abs(got-0.308538) > 1e-6 {
		t.Errorf("clipped normal: mass at zero %g, want 0.308538", got)
	}
	if got, _ := z.Quantile(0.2); got != 0 {
		t.Errorf("clipped normal: quantile 0.2 = %g, want 0", got)
	}
	// No spread: every quantile is the mean.
	if got, _ := newDistribution(5, 0).Quantile(0.99); got != 5 {
		t.Errorf("point: quantile %g, want 5", got)
	}
	for _, q := range []float64{0, 1, -0.5, math.NaN()} {
		if _, err := nb.Quantile(q); !errors.Is(err, sillage.ErrInvalid) {
			t.Errorf("quantile %g: error %v, want ErrInvalid", q, err)
		}
	}
}

// DemandOver by hand: SES with α = 0.5 (ψ_j = 0.5), σ = 2, forecast 3
// units a week.
func TestDemandOverByHand(t *testing.T) {
	r := Result{Method: SES, Params: Params{Alpha: 0.5}, Weekly: []float64{3, 3}, Sigma: 2}
	for _, tc := range []struct {
		name       string
		days       float64
		rms, cov   float64
		mean, vari float64
	}{
		// Two weeks: weights (1, 1); c_1 = 1 + 0.5, c_2 = 1; variance
		// 4·(2.25 + 1) = 13.
		{"two weeks", 14, 0, 0, 6, 13},
		// A week and a half: weights (1, 0.5); c_1 = 1 + 0.5·0.5, c_2 =
		// 0.5; variance 4·(1.5625 + 0.25) = 7.25.
		{"ten days and a half", 10.5, 0, 0, 4.5, 7.25},
		// Empirical errors larger: RMS 3, covariance 1: 9·2 + 1·(4 − 2)
		// = 20 > 13.
		{"empirical", 14, 3, 1, 6, 20},
		// Past the forecast's end the last week repeats: 4 weeks, mean 12.
		{"beyond the horizon", 28, 0, 0, 12, 4 * (2.5*2.5 + 2*2 + 1.5*1.5 + 1)},
	} {
		r.ErrorRMS, r.ErrorCovariance = tc.rms, tc.cov
		d := r.DemandOver(tc.days)
		if math.Abs(d.Mean-tc.mean) > 1e-12 || math.Abs(d.Variance-tc.vari) > 1e-12 {
			t.Errorf("%s: mean %g variance %g, want %g %g", tc.name, d.Mean, d.Variance, tc.mean, tc.vari)
		}
	}
	// The safety stock at 84.13% (one standard deviation, for the
	// normal) of a smooth forecast whose variance is below its mean.
	s := Result{Method: SES, Params: Params{Alpha: 0.5}, Weekly: []float64{30, 30}, Sigma: 2}
	got, err := s.SafetyUnits(14, 0.841344746)
	if err != nil || math.Abs(got-math.Sqrt(13)) > 1e-6 {
		t.Errorf("safety units %g (%v), want √13 = %g", got, err, math.Sqrt(13))
	}
}

// Coverage is q on average over calibrated discrete forecasts: for
// NB(2, 4) every outcome k weighed by its probability.
func TestCoverageOfDiscreteQuantile(t *testing.T) {
	d := newDistribution(2, 4)
	for _, q := range []float64{0.3, 0.5, 0.9, 0.97} {
		x, _ := d.Quantile(q)
		var mean float64
		for k := 0; k < 200; k++ {
			mean += nbPMF(k, 2, 0.5) * d.Coverage(float64(k), x, q)
		}
		if math.Abs(mean-q) > 1e-9 {
			t.Errorf("q = %g: expected coverage %g", q, mean)
		}
	}
}

// An intermittent series (a sale of 2 units in 30% of the weeks): its
// one-week demand has a mass at zero near 0.7, its four-week demand near
// 0.7⁴ = 0.24.
func TestIntermittentMassAtZero(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 3))
	y := make([]float64, 104)
	for t := range y {
		if rng.Float64() < 0.3 {
			y[t] = 2
		}
	}
	r, err := Forecast(y, Options{HorizonWeeks: 4})
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct{ days, lo, hi float64 }{{7, 0.55, 0.85}, {28, 0.1, 0.4}} {
		d := r.DemandOver(tc.days)
		if p := d.ProbZero(); p < tc.lo || p > tc.hi {
			t.Errorf("%s over %g days: %+v has mass %.3f at zero, want in [%g, %g]", r.Method, tc.days, d, p, tc.lo, tc.hi)
		}
	}
}
