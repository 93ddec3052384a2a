package twin

import (
	"fmt"
	"math"
	"math/rand/v2"
	"strconv"
	"strings"

	"github.com/sillage/sillage"
)

// Kinds of demand process.
const (
	KindNone         = "none"         // no sale in the history: no demand
	KindIntermittent = "intermittent" // Bernoulli occurrence × lognormal size
	KindSmooth       = "smooth"       // negative binomial (Poisson when under-dispersed) with seasonality
	KindConstant     = "constant"     // a history without variance: the same units every week
)

// Parameters of the fit (see the package documentation).
const (
	// intermittentADI: a series whose average inter-demand interval
	// (weeks per week with a sale) exceeds it is intermittent (Syntetos,
	// Boylan and Croston 2005, the cut-off optimize/forecast uses too).
	intermittentADI = 1.32
	// seasonWeeks is the length of a season; a seasonal profile needs two
	// full seasons of life.
	seasonWeeks = 52
	// seasonSmooth: the seasonal indices are averaged over ±seasonSmooth
	// weeks (circularly), so that one noisy week does not become a season.
	seasonSmooth = 2
	// levelWeeks: the level and the dispersion are fitted on the last
	// levelWeeks weeks of life.
	levelWeeks = 52
)

// DemandProcess is the stochastic demand of one product at one boutique,
// fitted to its weekly history. Policies never see it: they see realised
// sales.
type DemandProcess struct {
	Site string `json:"site"`
	SKU  string `json:"sku"`
	Kind string `json:"kind"`
	// Intermittent: a sale occurs in a week with probability Occurrence;
	// its size is exp(N(LogMean, LogSD²)) rounded, at least 1 unit.
	Occurrence float64 `json:"occurrence,omitempty"`
	LogMean    float64 `json:"log_mean,omitempty"`
	LogSD      float64 `json:"log_sd,omitempty"`
	// Smooth and constant: week w's mean is Level × Season[(Offset+w) mod
	// 52] units (Season nil: 1); Dispersion is variance / mean of the
	// deseasonalised history (> 1: negative binomial, <= 1: Poisson).
	Level      float64   `json:"level,omitempty"`
	Dispersion float64   `json:"dispersion,omitempty"`
	Season     []float64 `json:"season,omitempty"`
	Offset     int       `json:"offset"` // weeks of history: the first simulated week follows them
}

// Fit fits the demand process of one series to its weekly history, in
// units, oldest first. The history before the first sale is taken as
// before the product's launch and ignored. O(len(weekly)).
func Fit(site, sku string, weekly []float64) DemandProcess {
	p := DemandProcess{Site: site, SKU: sku, Kind: KindNone, Offset: len(weekly)}
	first := -1
	nonzero := 0
	for i, v := range weekly {
		if v > 0 {
			if first < 0 {
				first = i
			}
			nonzero++
		}
	}
	if first < 0 {
		return p
	}
	life := weekly[first:]
	if float64(len(life))/float64(nonzero) > intermittentADI {
		p.Kind = KindIntermittent
		p.Occurrence = float64(nonzero) / float64(len(life))
		var s, ss float64
		for _, v := range life {
			if v > 0 {
				l := math.Log(v)
				s += l
				ss += l * l
			}
		}
		n := float64(nonzero)
		p.LogMean = s / n
		p.LogSD = math.Sqrt(math.Max(0, ss/n-p.LogMean*p.LogMean))
		return p
	}
	p.Kind = KindSmooth
	if len(life) >= 2*seasonWeeks {
		p.Season = seasonIndices(weekly, first)
	}
	tail := life[max(0, len(life)-levelWeeks):]
	start := len(weekly) - len(tail)
	var s, ss float64
	for i, v := range tail {
		z := v / p.seasonAt(start+i-len(weekly))
		s += z
		ss += z * z
	}
	n := float64(len(tail))
	p.Level = s / n
	variance := math.Max(0, ss/n-p.Level*p.Level)
	if p.Level > 0 {
		p.Dispersion = variance / p.Level
	}
	if variance < 1e-9 {
		p.Kind = KindConstant
	}
	return p
}

// seasonIndices returns the 52 seasonal indices of a history whose life
// starts at week first: the mean of each week of the year over the mean
// of all, smoothed over ±seasonSmooth weeks and scaled to mean 1. Index i
// is the week of the year of history week i (mod 52).
func seasonIndices(weekly []float64, first int) []float64 {
	var sum [seasonWeeks]float64
	var cnt [seasonWeeks]float64
	var all float64
	for t := first; t < len(weekly); t++ {
		sum[t%seasonWeeks] += weekly[t]
		cnt[t%seasonWeeks]++
		all += weekly[t]
	}
	mean := all / float64(len(weekly)-first)
	raw := make([]float64, seasonWeeks)
	for i := range raw {
		raw[i] = sum[i] / cnt[i] / mean
	}
	out := make([]float64, seasonWeeks)
	var tot float64
	for i := range out {
		var s float64
		for k := -seasonSmooth; k <= seasonSmooth; k++ {
			s += raw[(i+k+seasonWeeks)%seasonWeeks]
		}
		out[i] = s / (2*seasonSmooth + 1)
		tot += out[i]
	}
	for i := range out {
		out[i] *= seasonWeeks / tot
	}
	return out
}

// seasonAt returns the seasonal index of simulated week w (w < 0: history
// weeks counted back from its end).
func (p *DemandProcess) seasonAt(w int) float64 {
	if p.Season == nil {
		return 1
	}
	i := (p.Offset + w) % seasonWeeks
	if i < 0 {
		i += seasonWeeks
	}
	return p.Season[i]
}

// Mean returns the expected demand of simulated week w (from 0), in
// units.
func (p *DemandProcess) Mean(w int) float64 {
	switch p.Kind {
	case KindIntermittent:
		return p.Occurrence * math.Exp(p.LogMean+p.LogSD*p.LogSD/2)
	case KindSmooth, KindConstant:
		return p.Level * p.seasonAt(w)
	}
	return 0
}

// Draw draws the demand of simulated week w, in whole units, from r.
func (p *DemandProcess) Draw(r *rand.Rand, w int) float64 {
	switch p.Kind {
	case KindIntermittent:
		if r.Float64() >= p.Occurrence {
			return 0
		}
		return math.Max(1, math.Round(math.Exp(p.LogMean+p.LogSD*r.NormFloat64())))
	case KindConstant:
		return math.Round(p.Mean(w))
	case KindSmooth:
		m := p.Mean(w)
		if p.Dispersion <= 1 {
			return poisson(r, m)
		}
		// Negative binomial of mean m and variance m·Dispersion as a
		// gamma–Poisson mixture.
		shape := m / (p.Dispersion - 1)
		return poisson(r, gamma(r, shape)*(p.Dispersion-1))
	}
	return 0
}

// dailyShare spreads a week's units evenly over its 7 days: day i gets
// floor((i+1)·u/7) − floor(i·u/7) units.
func dailyShare(units float64, day int) float64 {
	return math.Floor(float64(day+1)*units/7) - math.Floor(float64(day)*units/7)
}

// Shock multiplies the demand of one product at one boutique in one week:
// a launch, a celebrity effect.
type Shock struct {
	Site   string  `json:"site"`
	SKU    string  `json:"sku"`
	Week   int     `json:"week"`   // simulated week, from 1
	Factor float64 `json:"factor"` // multiplies the week's drawn units (rounded)
}

// ParseShock parses "site:sku:week:factor", e.g. "BTQ-PAR:FR-EDP-50:10:3".
// Errors wrap sillage.ErrInvalid and say which part is wrong.
func ParseShock(s string) (Shock, error) {
	parts := strings.Split(s, ":")
	if len(parts) != 4 {
		return Shock{}, fmt.Errorf("%w: shock %q: want site:sku:week:factor", sillage.ErrInvalid, s)
	}
	if parts[0] == "" || parts[1] == "" {
		return Shock{}, fmt.Errorf("%w: shock %q: site and sku must not be empty", sillage.ErrInvalid, s)
	}
	w, err := strconv.Atoi(parts[2])
	if err != nil || w < 1 {
		return Shock{}, fmt.Errorf("%w: shock %q: week %q must be a whole number from 1", sillage.ErrInvalid, s, parts[2])
	}
	f, err := strconv.ParseFloat(parts[3], 64)
	if err != nil || f < 0 || math.IsInf(f, 0) || math.IsNaN(f) {
		return Shock{}, fmt.Errorf("%w: shock %q: factor %q must be a number >= 0", sillage.ErrInvalid, s, parts[3])
	}
	return Shock{Site: parts[0], SKU: parts[1], Week: w, Factor: f}, nil
}
