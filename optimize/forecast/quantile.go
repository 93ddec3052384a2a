package forecast

import (
	"fmt"
	"math"

	"github.com/sillage/sillage"
)

// Family is the shape of a demand distribution.
type Family string

// Families of Distribution.
const (
	// Point: no spread (no error was ever seen); every quantile is the mean.
	Point Family = "point"
	// NegativeBinomial: discrete, with mass at zero, for a variance above
	// the mean (over-dispersed counts, intermittent demand).
	NegativeBinomial Family = "negative-binomial"
	// Normal, clipped at 0 (the mass below 0 sits at 0), for a variance
	// at or below the mean.
	Normal Family = "normal"
)

// Distribution is the distribution of demand over a window of days, in
// units.
type Distribution struct {
	Mean     float64 `json:"mean"`     // units
	Variance float64 `json:"variance"` // units²
	Family   Family  `json:"family"`
}

// DemandOver returns the distribution of the demand over the next days
// days (lead time + review period), in units.
//
// Its mean is the forecast over the window, each week's units spread
// evenly over its 7 days, the last week repeating past the horizon. Its
// variance is that of the sum of the forecast errors of the window under
// the method's innovations model (Hyndman et al. 2008, ch. 6): with
// weights w_s (1 for whole weeks, the share of days of a partial last
// week) and ψ_j the weight of a one-step error in the forecast j weeks
// later,
//
//	Var = σ² · Σ_s (w_s + Σ_{j>=1} w_{s+j}·ψ_j)²
//
// with σ = Sigma, the out-of-sample one-step error. ψ_j is α for SES,
// Croston, SBA and TSB (the larger of its α and β), 1 for Naive, 0 for
// Zero, α + αβ(φ + … + φ^j) for Holt, plus (1−α)γ when j is a multiple of
// the season for Holt–Winters. The family is negative binomial when the
// variance exceeds the mean (it has mass at zero: intermittent demand),
// normal clipped at 0 otherwise. Cost O(K²) for a window of K weeks.
func (r *Result) DemandOver(days float64) Distribution {
	if days <= 0 || len(r.Weekly) == 0 {
		return Distribution{Family: Point}
	}
	k := int(math.Ceil(days / 7))
	w := make([]float64, k)
	var mean float64
	for s := range w {
		w[s] = math.Min(1, days/7-float64(s))
		mean += w[s] * r.Weekly[min(s, len(r.Weekly)-1)]
	}
	var v float64
	for s := range w {
		c := w[s]
		for j := 1; s+j < k; j++ {
			c += w[s+j] * r.psi(j)
		}
		v += c * c
	}
	v *= r.Sigma * r.Sigma
	var sw, sw2 float64
	for _, x := range w {
		sw += x
		sw2 += x * x
	}
	emp := r.ErrorRMS*r.ErrorRMS*sw2 + r.ErrorCovariance*(sw*sw-sw2)
	return newDistribution(mean, math.Max(v, emp))
}

// newDistribution returns the distribution of that mean and variance in
// the family the rule of DemandOver gives.
func newDistribution(mean, variance float64) Distribution {
	d := Distribution{Mean: mean, Variance: variance}
	switch {
	case variance <= 0:
		d.Family, d.Variance = Point, 0
	case variance > mean && mean > 0:
		d.Family = NegativeBinomial
	default:
		d.Family = Normal
	}
	return d
}

// psi is the weight ψ_j of a one-step error in the forecast j >= 1 weeks
// later (see DemandOver).
func (r *Result) psi(j int) float64 {
	p := r.Params
	switch r.Method {
	case Zero:
		return 0
	case Naive:
		return 1
	case TSB:
		return math.Max(p.Alpha, p.Beta)
	case Holt:
		return p.Alpha + p.Alpha*p.Beta*dampedSum(p.Phi, j)
	case HoltWinters:
		psi := p.Alpha + p.Alpha*p.Beta*dampedSum(p.Phi, j)
		if r.SeasonWeeks > 0 && j%r.SeasonWeeks == 0 {
			psi += (1 - p.Alpha) * p.Gamma
		}
		return psi
	}
	return p.Alpha
}

// SafetyUnits returns the safety stock, in units, that covers the demand
// of the next days days with probability serviceLevel: the serviceLevel
// quantile of DemandOver(days) minus its mean, at least 0. It returns an
// error wrapping sillage.ErrInvalid for a service level outside (0, 1).
func (r *Result) SafetyUnits(days, serviceLevel float64) (float64, error) {
	d := r.DemandOver(days)
	q, err := d.Quantile(serviceLevel)
	if err != nil {
		return 0, err
	}
	return math.Max(0, q-d.Mean), nil
}

// ProbZero is the probability of no demand at all.
func (d Distribution) ProbZero() float64 {
	return d.CDF(0)
}

// CDF is the probability that demand is at most x units.
func (d Distribution) CDF(x float64) float64 {
	switch {
	case x < 0:
		return 0
	case d.Family == Point:
		if x >= d.Mean {
			return 1
		}
		return 0
	case d.Family == Normal:
		return 0.5 * math.Erfc(-(x-d.Mean)/math.Sqrt(2*d.Variance))
	}
	if d.normalApprox() {
		return 0.5 * math.Erfc(-(math.Floor(x)+0.5-d.Mean)/math.Sqrt(2*d.Variance))
	}
	r, p := d.nb()
	var cdf float64
	pmf := math.Exp(r * math.Log(p))
	for k := 0; float64(k) <= x && cdf < 1; k++ {
		cdf += pmf
		pmf *= (float64(k) + r) / float64(k+1) * (1 - p)
	}
	return math.Min(1, cdf)
}

// CDFBelow is the probability that demand is strictly below x units.
func (d Distribution) CDFBelow(x float64) float64 {
	switch {
	case x <= 0:
		return 0
	case d.Family == Point:
		if x > d.Mean {
			return 1
		}
		return 0
	case d.Family == Normal:
		return d.CDF(x)
	}
	return d.CDF(math.Ceil(x) - 1)
}

// Coverage scores one actual demand y against the q-quantile x of d: 1
// when y < x, 0 when y > x, and (q − P(D < x))/P(D = x) when y = x. Its
// mean over many forecasts is q when they are calibrated, also for
// discrete demand, whose q-quantile is reached with a jump (the
// non-randomised PIT of Czado, Gneiting and Held 2009). The plain share
// of actuals at or below the quantile exceeds q there by up to P(D = x).
func (d Distribution) Coverage(y, x, q float64) float64 {
	switch {
	case y < x:
		return 1
	case y > x:
		return 0
	}
	below, at := d.CDFBelow(x), d.CDF(x)
	if at <= below {
		return 1
	}
	return math.Min(1, math.Max(0, (q-below)/(at-below)))
}

// Quantile returns the smallest demand x (units) with CDF(x) >= q, for q
// in (0, 1): an integer for the negative binomial, at least 0 for the
// normal. Cost O(x) for the negative binomial up to a mean of 10⁴ units,
// O(1) beyond (normal approximation, rounded up).
func (d Distribution) Quantile(q float64) (float64, error) {
	if !(q > 0 && q < 1) {
		return 0, fmt.Errorf("%w: quantile level %v, want a number strictly between 0 and 1", sillage.ErrInvalid, q)
	}
	switch {
	case d.Family == Point:
		return d.Mean, nil
	case d.Family == Normal || d.normalApprox():
		x := math.Max(0, d.Mean+math.Sqrt(d.Variance)*math.Sqrt2*math.Erfinv(2*q-1))
		if d.Family == NegativeBinomial {
			x = math.Ceil(x)
		}
		return x, nil
	}
	r, p := d.nb()
	pmf := math.Exp(r * math.Log(p))
	cdf := pmf
	k, last := 0, int(d.Mean+100*math.Sqrt(d.Variance))+1000 // far beyond any quantile asked
	for cdf < q && k < last {
		pmf *= (float64(k) + r) / float64(k+1) * (1 - p)
		k++
		cdf += pmf
	}
	return float64(k), nil
}

// normalApprox reports whether a negative binomial is computed by its
// normal approximation: a mean above 10⁴ units, or a probability of zero
// below e^−700 (the sums would start under the smallest float64).
func (d Distribution) normalApprox() bool {
	if d.Family != NegativeBinomial {
		return false
	}
	r, p := d.nb()
	return d.Mean > 1e4 || r*math.Log(p) < -700
}

// nb returns the size r and the success probability p of the negative
// binomial of the distribution's mean and variance: mean = r(1−p)/p,
// variance = mean/p.
func (d Distribution) nb() (r, p float64) {
	p = d.Mean / d.Variance
	return d.Mean * p / (1 - p), p
}
