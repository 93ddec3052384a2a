package forecast

import "math"

// Margin is the share by which a candidate's validation RMSE must be
// below that of the choice so far (the candidates are taken in order of
// preference) to replace it: differences of a few percent over a few
// dozen errors are noise, and the simpler or the class's method is then
// kept.
const Margin = 0.02

// score is the rolling-origin backtest of one method: errors of the model
// fitted on the training part, over the validation window (index 0) and
// the test window (index 1).
type score struct {
	method Method
	sse    [2]float64 // squared errors at horizons 1..hs, units²
	cnt    [2]int
	abs1   float64 // absolute one-step errors over the test window
	// vsum is Σ v_k over the errors of sse, v_k = 1 + Σ_{j<k} ψ_j² the
	// variance of a k-step error in one-step variances (see DemandOver).
	vsum float64
	// cross is the sum of the products e_j·e_k (j < k) of the errors of
	// one origin, over the origins; pairs counts them.
	cross float64
	pairs int
	// wsse and wcnt weigh the squared errors of both windows by recency
	// (halved every RecencyHalfLifeWeeks before the last week).
	wsse, wcnt float64
}

// RecencyHalfLifeWeeks is the age, in weeks, at which an error weighs half
// as much as one of the last week in the choice of the method: an item
// whose sales change (a collection that ends) is judged on its recent
// weeks.
const RecencyHalfLifeWeeks = 13

// recencyWeights[a] is the weight of an error a weeks before the last
// week, 2^(−a/RecencyHalfLifeWeeks), for the ages the windows span.
var recencyWeights = func() []float64 {
	w := make([]float64, 2*MaxHoldoutWeeks+DefaultSeasonWeeks)
	for a := range w {
		w[a] = math.Exp2(-float64(a) / RecencyHalfLifeWeeks)
	}
	return w
}()

// recency is the weight of an error age weeks before the last week.
func recency(age int) float64 {
	if age < len(recencyWeights) {
		return recencyWeights[age]
	}
	return math.Exp2(-float64(age) / RecencyHalfLifeWeeks)
}

// wrmse is the recency-weighted RMSE over both windows.
func (s *score) wrmse() float64 {
	if s.wcnt == 0 {
		return math.Inf(1)
	}
	return math.Sqrt(s.wsse / s.wcnt)
}

func (s *score) rmse(w ...int) float64 {
	var sse float64
	var n int
	for _, i := range w {
		sse += s.sse[i]
		n += s.cnt[i]
	}
	if n == 0 {
		return math.Inf(1)
	}
	return math.Sqrt(sse / float64(n))
}

// forecast fills every field of r but the class (see the package
// documentation for the procedure). Cost O(C·E·n).
func (r *Result) forecast(y []float64, forced Method, horizon, m int) {
	n := len(y)
	h := 0
	if n >= 4 {
		h = min(MaxHoldoutWeeks, n/4)
	}
	var cands []Method
	switch {
	case forced != "":
		cands = []Method{forced}
	case n < MinChoiceWeeks:
		cands = []Method{classMethod(r.Class, n)}
	default:
		cands = preferred(r.Class)
	}
	hv := 0
	if len(cands) > 1 {
		hv = h
		// A whole season of validation where the training part can keep
		// enough weeks to fit Holt–Winters: a 13-week window cannot tell
		// a seasonal peak from noise.
		if seasonal := n - h - minSeasonalTrain(m); m >= 2 && seasonal > h {
			hv = min(m, seasonal)
		}
	}
	aEnd, vEnd := n-h-hv, n-h
	hs := min(horizon, max(h, 1))

	// Backtest every eligible candidate; choose on the validation window
	// alone (the error reported) and on both windows (the forecast).
	var test, final *score
	if h > 0 {
		scores := make([]score, 0, len(cands))
		for _, c := range cands {
			if len(cands) > 1 && !eligible(c, y[:aEnd], m) {
				continue
			}
			scores = append(scores, backtest(c, y, aEnd, vEnd, hs, m))
		}
		test, final = &scores[0], &scores[0]
		for i := range scores {
			s := &scores[i]
			if hv > 0 && s.rmse(0) < (1-Margin)*test.rmse(0) {
				test = s
			}
			if s.wrmse() < (1-Margin)*final.wrmse() {
				final = s
			}
		}
		r.Method = final.method
		r.ValidationWeeks = hv
		r.ValidationRMSE = final.rmse(0, 1)
		// Spread from few errors: scaled to the variance of a Student t
		// with ν = origins − 1 degrees of freedom, ν/(ν−2).
		t := 1.0
		if nu := float64(n-aEnd) - 1; nu > 2 {
			t = nu / (nu - 2)
		}
		r.Sigma = math.Sqrt(t * (final.sse[0] + final.sse[1]) / final.vsum)
		r.ErrorRMS = math.Sqrt(t) * final.rmse(0, 1)
		if final.pairs > 0 {
			r.ErrorCovariance = t * math.Max(0, final.cross/float64(final.pairs))
		}
		if hv > 0 {
			// The error reported: the method the validation window chose,
			// refitted on the weeks before the test window.
			s := backtest(test.method, y, vEnd, vEnd, hs, m)
			test = &s
		}
		r.setMASE(y[:vEnd], test.abs1/float64(h), h)
	} else {
		r.Method = cands[0]
	}

	// Fit the chosen method on the whole history and forecast.
	r.Weekly = make([]float64, horizon)
	mod, ok := fit(r.Method, y, m)
	if !ok {
		return // Croston, SBA or TSB without a sale: forecast 0
	}
	r.Params = mod.params()
	r.OnBound = onBound(r.Method, r.Params)
	if hw, isHW := mod.(*hwModel); isHW {
		hw.forecasting = true
		runThrough(mod, y)
	}
	if final == nil {
		r.Sigma = inSampleRMSE(r.Method, y, m)
	}
	for k := range r.Weekly {
		r.Weekly[k] = math.Max(0, mod.predict(k+1))
	}
}

// backtest fits method on y[:aEnd] and runs the fitted model through the
// rest of y, forecasting from every origin t >= aEnd the weeks t..t+hs−1
// that lie in the same window as t: [aEnd, vEnd) (validation) or
// [vEnd, len(y)) (test). The parameters stay those of the fit; the state
// takes in each week as it passes. A method that cannot start on y[:aEnd]
// forecasts 0. Forecasts are clipped at 0. Cost O(E·aEnd + hs·(n−aEnd)).
func backtest(method Method, y []float64, aEnd, vEnd, hs, m int) score {
	s := score{method: method}
	mod, ok := fit(method, y[:aEnd], m)
	if !ok {
		mod = &zeroModel{}
	}
	if hw, isHW := mod.(*hwModel); isHW {
		hw.forecasting = true
		runThrough(mod, y[:aEnd])
	}
	v := make([]float64, hs+1)
	model := Result{Method: method, Params: mod.params(), SeasonWeeks: m}
	v[1] = 1
	for k := 2; k <= hs; k++ {
		psi := model.psi(k - 1)
		v[k] = v[k-1] + psi*psi
	}
	n := len(y)
	for t := aEnd; t < n; t++ {
		w, end := 0, vEnd
		if t >= vEnd {
			w, end = 1, n
		}
		var sum float64
		for k := 1; k <= hs && t+k-1 < end; k++ {
			e := y[t+k-1] - math.Max(0, mod.predict(k))
			s.cross += e * sum
			s.pairs += k - 1
			sum += e
			s.sse[w] += e * e
			s.cnt[w]++
			rw := recency(n - (t + k))
			s.wsse += rw * e * e
			s.wcnt += rw
			s.vsum += v[k]
			if k == 1 {
				if w == 1 {
					s.abs1 += math.Abs(e)
				}
			}
		}
		mod.update(y[t])
	}
	return s
}

// setMASE sets MASE, Backtested, Holdout and Scale from the mean absolute
// test error mae and the training part before the test window.
func (r *Result) setMASE(train []float64, mae float64, h int) {
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

// inSampleRMSE is the root mean squared one-step error of method fitted
// on y over y itself: the spread of histories too short to backtest (under
// 4 weeks). With a single week, or none, it is √(mean): Poisson's.
func inSampleRMSE(method Method, y []float64, m int) float64 {
	mod, ok := fit(method, y, m)
	var sse float64
	var k int
	if ok && len(y) > 1 {
		start := mod.reset(y)
		for t := start; t < len(y); t++ {
			if t > 0 {
				e := y[t] - math.Max(0, mod.predict(1))
				sse += e * e
				k++
			}
			mod.update(y[t])
		}
	}
	if k == 0 {
		var mean float64
		for _, v := range y {
			mean += v / float64(len(y))
		}
		return math.Sqrt(mean)
	}
	return math.Sqrt(sse / float64(k))
}

// classMethod is the method of the demand class, for histories too short
// to choose by backtest.
func classMethod(c DemandClass, n int) Method {
	switch {
	case c == ClassNone:
		return Zero
	case n == 1:
		return Naive
	case c == ClassIntermittent || c == ClassLumpy:
		return SBA
	}
	return SES
}

// preferred lists the candidates of a series with at least MinChoiceWeeks
// weeks, the method of its class first: on equal validation error the
// earlier one is kept.
func preferred(c DemandClass) []Method {
	switch c {
	case ClassNone:
		return []Method{Zero, Naive, SES, SBA, TSB, Croston, Holt, HoltWinters}
	case ClassIntermittent, ClassLumpy:
		return []Method{SBA, TSB, Croston, SES, Zero, Naive, Holt, HoltWinters}
	}
	return Methods
}

// minSeasonalTrain is the shortest training part on which Holt–Winters
// competes: a season plus a quarter of one, at least 4 weeks.
func minSeasonalTrain(m int) int { return m + max(4, m/4) }

// eligible reports whether method may compete on training part a: SES
// needs 2 weeks, Holt 4, Croston, SBA and TSB a week with a sale and one
// without, Holt–Winters a season plus a quarter of one (at least 4
// weeks) to fit its parameters.
func eligible(method Method, a []float64, m int) bool {
	switch method {
	case SES:
		return len(a) >= 2
	case Holt:
		return len(a) >= 4
	case HoltWinters:
		return m >= 2 && len(a) >= minSeasonalTrain(m)
	case Croston, SBA, TSB:
		// They need a sale to start, and a week without one to differ
		// from SES (Croston and TSB are SES then; SBA is SES biased low).
		sale, none := false, false
		for _, v := range a {
			sale = sale || v > 0
			none = none || v == 0
		}
		return sale && none
	}
	return len(a) >= 1
}
