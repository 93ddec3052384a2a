package forecast

import (
	"fmt"
	"math"
	"strings"

	"github.com/sillage/sillage"
)

// Method is a forecasting method.
type Method string

// Methods.
const (
	Zero        Method = "zero"         // forecast 0
	Naive       Method = "naive"        // repeat the last week
	SES         Method = "ses"          // simple exponential smoothing
	Croston     Method = "croston"      // Croston's method for intermittent demand
	SBA         Method = "sba"          // Syntetos–Boylan approximation (Croston corrected for bias)
	TSB         Method = "tsb"          // Teunter–Syntetos–Babai: smoothed probability of a sale times size
	Holt        Method = "holt"         // Holt's linear trend, damped
	HoltWinters Method = "holt-winters" // additive Holt–Winters, damped trend and season
)

// Methods lists every method, in the order the choice prefers them on
// equal validation error for a smooth or erratic series.
var Methods = []Method{SES, Holt, HoltWinters, TSB, SBA, Croston, Naive, Zero}

// DemandClass is the demand class of a series after Syntetos, Boylan and
// Croston.
type DemandClass string

// Demand classes.
const (
	ClassNone         DemandClass = "none"         // no sale
	ClassSmooth       DemandClass = "smooth"       // ADI <= 1.32, CV² <= 0.49
	ClassErratic      DemandClass = "erratic"      // ADI <= 1.32, CV² > 0.49
	ClassIntermittent DemandClass = "intermittent" // ADI > 1.32, CV² <= 0.49
	ClassLumpy        DemandClass = "lumpy"        // ADI > 1.32, CV² > 0.49
)

// Cut-off values of the Syntetos–Boylan–Croston classification.
const (
	ADICutoff = 1.32 // average inter-demand interval, weeks
	CV2Cutoff = 0.49 // squared coefficient of variation of non-zero demand
)

// DefaultSeasonWeeks is the season length used when Options.SeasonWeeks is
// 0: one year of weeks.
const DefaultSeasonWeeks = 52

// MaxHoldoutWeeks is the longest holdout of the backtest.
const MaxHoldoutWeeks = 13

// Scale says which denominator scaled the backtest errors.
type Scale string

// Scales of MASE (see the package documentation).
const (
	ScaleNaive Scale = "naive-mae"  // in-sample naive one-step MAE (the MASE definition)
	ScaleLevel Scale = "mean-level" // mean |y| of the training part, when the naive MAE is 0
	ScaleUnit  Scale = "unit"       // 1 unit, when the training part is all zeros
)

// MinChoiceWeeks is the shortest history whose method is chosen by
// backtest; a shorter one gets the method of its demand class.
const MinChoiceWeeks = 16

// Options configures Forecast.
type Options struct {
	HorizonWeeks int    // weeks to forecast, >= 1
	SeasonWeeks  int    // season length in weeks; 0 means DefaultSeasonWeeks, 1 disables seasonality
	Method       Method // force a method; "" chooses per series
}

// Params holds the smoothing parameters of a fitted model (those the
// method does not use are 0).
type Params struct {
	Alpha float64 `json:"alpha,omitempty"` // level; size (TSB); size and interval (Croston, SBA)
	Beta  float64 `json:"beta,omitempty"`  // trend; probability of a sale (TSB)
	Gamma float64 `json:"gamma,omitempty"` // season
	Phi   float64 `json:"phi,omitempty"`   // damping of the trend
}

// Result is the forecast of one series.
type Result struct {
	Method Method      `json:"method"`
	Class  DemandClass `json:"class"`
	ADI    float64     `json:"adi"` // average inter-demand interval, weeks; 0 for a series with no sale
	CV2    float64     `json:"cv2"` // squared coefficient of variation of the non-zero weeks
	Params Params      `json:"params"`
	// OnBound names the fitted parameters that sit on a bound of their
	// admissible range ("alpha at its lower bound 0.01"): the best fit
	// may lie beyond the range.
	OnBound     []string  `json:"on_bound,omitempty"`
	SeasonWeeks int       `json:"season_weeks"` // season length the forecast used, weeks
	Weekly      []float64 `json:"weekly"`       // forecast units for each of the next HorizonWeeks weeks
	// MASE is the mean absolute scaled error of the rolling-origin test
	// (see the package documentation); 0 when not Backtested.
	MASE       float64 `json:"mase"`
	Backtested bool    `json:"backtested"`
	Holdout    int     `json:"holdout_weeks"` // weeks of the test window, H
	Scale      Scale   `json:"scale,omitempty"`
	// ValidationWeeks is the length of the validation window (0 when the
	// method was not chosen by backtest) and ValidationRMSE the root mean
	// squared error, in units, that chose the method: over the rolling
	// origins of the validation and test windows.
	ValidationWeeks int     `json:"validation_weeks"`
	ValidationRMSE  float64 `json:"validation_rmse"`
	// Sigma is the root mean squared one-step error out of sample, in
	// units per week: the spread that DemandOver scales to a lead time.
	Sigma float64 `json:"sigma"`
	// ErrorRMS is the root mean squared error of the backtest over every
	// horizon (units per week; equal to ValidationRMSE when the method
	// was chosen), and ErrorCovariance the mean product of two errors of
	// the same origin at different horizons (units², at least 0): what
	// makes the errors of a lead time add up more than independent ones
	// would (a level estimated too high stays too high for weeks).
	ErrorRMS        float64 `json:"error_rms"`
	ErrorCovariance float64 `json:"error_covariance"`
}

// Forecast forecasts the next opt.HorizonWeeks weeks of a weekly history
// (units, oldest first), choosing the method by rolling-origin backtest
// unless opt.Method forces one. It returns an error wrapping
// sillage.ErrInvalid for a negative or non-finite value, a horizon below
// 1, a negative season or an unknown or unusable forced method. Cost:
// O(C·E·n) for n weeks, C candidate methods and E ≈ 100 evaluations per
// fit (see fit); about 0.1 ms for two years of weekly history.
//
// Forecast is the entry point for re-fitting from sales: give it the
// latest weekly sales of a product at a site; it keeps no state between
// calls.
func Forecast(history []float64, opt Options) (Result, error) {
	if opt.HorizonWeeks < 1 {
		return Result{}, fmt.Errorf("%w: forecast horizon %d weeks, want at least 1", sillage.ErrInvalid, opt.HorizonWeeks)
	}
	m := opt.SeasonWeeks
	switch {
	case m < 0:
		return Result{}, fmt.Errorf("%w: season of %d weeks must not be negative", sillage.ErrInvalid, m)
	case m == 0:
		m = DefaultSeasonWeeks
	}
	for i, v := range history {
		if v < 0 || math.IsNaN(v) || math.IsInf(v, 0) {
			return Result{}, fmt.Errorf("%w: week %d of the history is %v, want a finite number >= 0", sillage.ErrInvalid, i, v)
		}
	}
	if opt.Method != "" {
		if err := usable(opt.Method, history, m); err != nil {
			return Result{}, err
		}
	}
	var res Result
	res.ADI, res.CV2, res.Class = classify(history)
	res.SeasonWeeks = m
	res.forecast(history, opt.Method, opt.HorizonWeeks, m)
	return res, nil
}

// usable checks that a forced method exists and fits the history length.
func usable(method Method, y []float64, m int) error {
	need := 0
	switch method {
	case Zero:
	case Naive, Croston, SBA, TSB:
		need = 1
	case SES:
		need = 2
	case Holt:
		need = 3
	case HoltWinters:
		if m < 2 {
			return fmt.Errorf("%w: method %s needs a season of at least 2 weeks", sillage.ErrInvalid, method)
		}
		need = m + 1
	default:
		return fmt.Errorf("%w: unknown forecast method %q", sillage.ErrInvalid, method)
	}
	if len(y) < need {
		return fmt.Errorf("%w: method %s needs at least %d weeks of history, has %d", sillage.ErrInvalid, method, need, len(y))
	}
	return nil
}

// classify returns ADI, CV² and the class of a series. ADI is the number of
// weeks over the number of weeks with a sale; CV² the squared coefficient
// of variation (population) of the non-zero weeks.
func classify(y []float64) (adi, cv2 float64, c DemandClass) {
	var k int
	var sum, sum2 float64
	for _, v := range y {
		if v > 0 {
			k++
			sum += v
			sum2 += v * v
		}
	}
	if k == 0 {
		return 0, 0, ClassNone
	}
	adi = float64(len(y)) / float64(k)
	mean := sum / float64(k)
	cv2 = math.Max(0, sum2/float64(k)-mean*mean) / (mean * mean)
	switch {
	case adi > ADICutoff && cv2 > CV2Cutoff:
		c = ClassLumpy
	case adi > ADICutoff:
		c = ClassIntermittent
	case cv2 > CV2Cutoff:
		c = ClassErratic
	default:
		c = ClassSmooth
	}
	return adi, cv2, c
}

// String writes the parameters the method uses, as "α=0.12 β=0.05
// φ=0.98", or "–" when it has none.
func (p Params) String() string {
	var parts []string
	for _, f := range []struct {
		name string
		v    float64
	}{{"α", p.Alpha}, {"β", p.Beta}, {"γ", p.Gamma}, {"φ", p.Phi}} {
		if f.v != 0 {
			parts = append(parts, fmt.Sprintf("%s=%.3g", f.name, f.v))
		}
	}
	if len(parts) == 0 {
		return "–"
	}
	return strings.Join(parts, " ")
}
