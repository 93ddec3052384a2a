package forecast

import (
	"fmt"
	"math"

	"github.com/sillage/sillage"
)

// Method is a forecasting method.
type Method string

// Methods.
const (
	Zero        Method = "zero"         // no sale in the history: forecast 0
	Naive       Method = "naive"        // one week of history: repeat it
	SES         Method = "ses"          // simple exponential smoothing
	Holt        Method = "holt"         // Holt's linear trend
	HoltWinters Method = "holt-winters" // additive Holt–Winters, trend and season
	Croston     Method = "croston"      // Croston's method for intermittent demand
	SBA         Method = "sba"          // Syntetos–Boylan approximation
)

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

// Options configures Forecast.
type Options struct {
	HorizonWeeks int    // weeks to forecast, >= 1
	SeasonWeeks  int    // season length in weeks; 0 means DefaultSeasonWeeks, 1 disables seasonality
	Method       Method // force a method; "" chooses per series
}

// Params holds the smoothing parameters of a fitted model (those the
// method does not use are 0).
type Params struct {
	Alpha float64 `json:"alpha,omitempty"` // level (or size and interval, Croston and SBA)
	Beta  float64 `json:"beta,omitempty"`  // trend
	Gamma float64 `json:"gamma,omitempty"` // season
}

// Result is the forecast of one series.
type Result struct {
	Method Method      `json:"method"`
	Class  DemandClass `json:"class"`
	ADI    float64     `json:"adi"`    // average inter-demand interval, weeks; +Inf is reported as 0 for a series with no sale
	CV2    float64     `json:"cv2"`    // squared coefficient of variation of the non-zero weeks
	Params Params      `json:"params"` // fitted on the whole history
	Weekly []float64   `json:"weekly"` // forecast units for each of the next HorizonWeeks weeks
	// MASE is the mean absolute scaled error of the rolling-origin
	// backtest (see the package documentation); 0 when not Backtested.
	MASE       float64 `json:"mase"`
	Backtested bool    `json:"backtested"`
	Holdout    int     `json:"holdout_weeks"` // weeks held out, H
	Scale      Scale   `json:"scale,omitempty"`
}

// Forecast forecasts the next opt.HorizonWeeks weeks of a weekly history
// (units, oldest first). It returns an error wrapping sillage.ErrInvalid for
// a negative or non-finite value, a horizon below 1, a negative season or
// an unknown or unusable forced method. Cost: O(G·n) for n weeks and a
// parameter grid of G points (at most 80).
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
	var res Result
	res.ADI, res.CV2, res.Class = classify(history)
	method := opt.Method
	var mod model
	ok := false
	if method == "" {
		method, mod = choose(history, res.Class, m)
		ok = mod != nil
	} else if err := usable(method, history, m); err != nil {
		return Result{}, err
	}
	if !ok {
		mod, ok = fit(method, history, m)
	}
	res.Method = method
	res.Weekly = make([]float64, opt.HorizonWeeks)
	if ok {
		res.Params = mod.params()
		forecasting(mod)
		runThrough(mod, history)
		for h := range res.Weekly {
			res.Weekly[h] = math.Max(0, mod.predict(h+1))
		}
	}
	res.backtest(history, method, m)
	return res, nil
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

// choose picks the method of a series (see the package documentation) and
// returns its fitted model when it fitted one on the way (nil otherwise).
func choose(y []float64, c DemandClass, m int) (Method, model) {
	switch {
	case c == ClassNone:
		return Zero, nil
	case c == ClassIntermittent || c == ClassLumpy:
		return SBA, nil
	case len(y) == 1:
		return Naive, nil
	}
	type cand struct {
		method Method
		k      int // smoothing parameters
	}
	cands := []cand{{SES, 1}}
	window := 1
	if len(y) >= 4 {
		cands = append(cands, cand{Holt, 2})
		window = 2
	}
	if m >= 2 && len(y) >= 2*m {
		cands = append(cands, cand{HoltWinters, 3})
		window = m
		if len(y) >= 3*m {
			window = 2 * m // where Holt–Winters starts (see hwModel)
		}
	}
	best, bestScore := SES, math.Inf(1)
	var bestMod model
	nw := float64(len(y) - window)
	for _, c := range cands {
		mod, ok := fit(c.method, y, m)
		if !ok {
			continue
		}
		sse := sseFrom(mod, y, window)
		// Floor the error so that exact fits compare by the penalty alone.
		score := nw*math.Log(math.Max(sse/nw, 1e-12)) + 2*float64(c.k)
		if score < bestScore {
			best, bestScore, bestMod = c.method, score, mod
		}
	}
	return best, bestMod
}

// usable checks that a forced method exists and fits the history length.
func usable(method Method, y []float64, m int) error {
	need := 0
	switch method {
	case Zero:
	case Naive, Croston, SBA:
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

// backtest fills MASE, Backtested, Holdout and Scale.
func (r *Result) backtest(y []float64, method Method, m int) {
	n := len(y)
	h := min(MaxHoldoutWeeks, n/4)
	if n < 4 || h < 1 {
		return
	}
	train := y[:n-h]
	mod, ok := fit(method, train, m)
	if !ok {
		// The training part is too short or, for Croston and SBA, has
		// no sale yet: those forecast 0 until the first sale.
		mod = nil
	}
	if mod != nil {
		forecasting(mod)
		runThrough(mod, train)
	}
	var absErr float64
	for t := n - h; t < n; t++ {
		pred := 0.0
		if mod != nil {
			pred = math.Max(0, mod.predict(1))
		}
		absErr += math.Abs(y[t] - pred)
		if mod != nil {
			mod.update(y[t])
		}
	}
	mae := absErr / float64(h)
	var q, level float64
	for i := 1; i < len(train); i++ {
		q += math.Abs(train[i] - train[i-1])
	}
	q /= float64(len(train) - 1)
	for _, v := range train {
		level += v
	}
	level /= float64(len(train))
	r.Backtested, r.Holdout = true, h
	switch {
	case q > 0:
		r.Scale, r.MASE = ScaleNaive, mae/q
	case mae == 0:
		r.Scale, r.MASE = ScaleNaive, 0
	case level > 0:
		r.Scale, r.MASE = ScaleLevel, mae/level
	default:
		r.Scale, r.MASE = ScaleUnit, mae
	}
}

// forecasting switches a fitted model to the initial state it uses to
// forecast beyond the data it is run through (see hwModel).
func forecasting(mod model) {
	if hw, ok := mod.(*hwModel); ok {
		hw.forecasting = true
	}
}
