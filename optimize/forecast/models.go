package forecast

import "math"

// model is an exponential-smoothing model with its state.
type model interface {
	// reset sets the initial state from the first weeks of y and returns
	// the first week the model forecasts (the weeks before it made the
	// initial state).
	reset(y []float64) int
	// predict forecasts h >= 1 weeks ahead of the state.
	predict(h int) float64
	// update moves the state past one observed week.
	update(v float64)
	params() Params
}

// Parameter grids. Small on purpose: enough to adapt to slow or fast
// series, cheap enough for a hundred thousand series per plan.
var (
	gridAlpha        = []float64{0.05, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1}
	gridHoltAlpha    = []float64{0.1, 0.3, 0.5, 0.8}
	gridHoltBeta     = []float64{0.02, 0.1, 0.3}
	gridHWAlpha      = []float64{0.05, 0.1, 0.2, 0.4}
	gridHWBeta       = []float64{0, 0.02, 0.1}
	gridHWGamma      = []float64{0.01, 0.05, 0.2}
	gridCrostonAlpha = []float64{0.05, 0.1, 0.15, 0.2}
)

// fit returns the model of method whose parameters, on its grid, minimise
// the sum of squared one-step errors over y (from the model's first
// forecast week); ok is false when y is too short for the method or, for
// Croston and SBA, has no sale. The grid loops run on concrete types (no
// interface call per week) and Holt–Winters computes its initial state
// once for the whole grid.
func fit(method Method, y []float64, m int) (mod model, ok bool) {
	bestSSE := math.Inf(1)
	keep := func(c model, sse float64) {
		if sse < bestSSE {
			mod, bestSSE = c, sse
		}
	}
	switch method {
	case Zero:
		return &zeroModel{}, true
	case Naive:
		if len(y) == 0 {
			return nil, false
		}
		return &naiveModel{}, true
	case SES:
		if len(y) < 2 {
			return nil, false
		}
		for _, a := range gridAlpha {
			c := &sesModel{alpha: a}
			keep(c, c.sse(y, 0))
		}
	case Holt:
		if len(y) < 3 {
			return nil, false
		}
		for _, a := range gridHoltAlpha {
			for _, b := range gridHoltBeta {
				c := &holtModel{alpha: a, beta: b}
				keep(c, c.sse(y, 0))
			}
		}
	case HoltWinters:
		if m < 2 {
			return nil, false
		}
		proto := &hwModel{m: m}
		start := proto.reset(y)
		if start >= len(y) {
			return nil, false
		}
		for _, a := range gridHWAlpha {
			for _, b := range gridHWBeta {
				for _, g := range gridHWGamma {
					c := &hwModel{alpha: a, beta: b, gamma: g, m: m}
					c.copyState(proto)
					keep(c, c.run(y, start, 0))
				}
			}
		}
	case Croston, SBA:
		for _, a := range gridCrostonAlpha {
			c := &crostonModel{alpha: a, sba: method == SBA}
			if c.reset(y) >= len(y) {
				return nil, false
			}
			keep(c, c.sse(y, 0))
		}
	default:
		return nil, false
	}
	return mod, mod != nil
}

// runThrough resets mod on y and updates it with every week after its
// initial ones, leaving the state at the end of y.
func runThrough(mod model, y []float64) {
	for t := mod.reset(y); t < len(y); t++ {
		mod.update(y[t])
	}
}

// sseFrom resets mod on y, runs it through y and returns the sum of
// squared one-step errors of the weeks t >= from.
func sseFrom(mod model, y []float64, from int) float64 {
	switch c := mod.(type) {
	case *sesModel:
		return c.sse(y, from)
	case *holtModel:
		return c.sse(y, from)
	case *hwModel:
		return c.run(y, c.reset(y), from)
	case *crostonModel:
		return c.sse(y, from)
	}
	var sse float64
	for t := mod.reset(y); t < len(y); t++ {
		if t >= from {
			e := y[t] - mod.predict(1)
			sse += e * e
		}
		mod.update(y[t])
	}
	return sse
}

// zeroModel forecasts 0.
type zeroModel struct{}

func (*zeroModel) reset([]float64) int { return 0 }
func (*zeroModel) predict(int) float64 { return 0 }
func (*zeroModel) update(float64)      {}
func (*zeroModel) params() Params      { return Params{} }

// naiveModel forecasts the last week.
type naiveModel struct{ last float64 }

func (n *naiveModel) reset(y []float64) int {
	if len(y) == 0 {
		return 0
	}
	n.last = y[0]
	return 1
}
func (n *naiveModel) predict(int) float64 { return n.last }
func (n *naiveModel) update(v float64)    { n.last = v }
func (*naiveModel) params() Params        { return Params{} }

// sesModel is simple exponential smoothing: level ← α·y + (1−α)·level,
// starting from the first week; the forecast is the level.
type sesModel struct{ alpha, level float64 }

func (s *sesModel) reset(y []float64) int {
	if len(y) == 0 {
		return 0
	}
	s.level = y[0]
	return 1
}
func (s *sesModel) predict(int) float64 { return s.level }
func (s *sesModel) update(v float64)    { s.level = s.alpha*v + (1-s.alpha)*s.level }
func (s *sesModel) params() Params      { return Params{Alpha: s.alpha} }

// sse is sseFrom for SES, without interface calls.
func (s *sesModel) sse(y []float64, from int) float64 {
	start := s.reset(y)
	lv, a := s.level, s.alpha
	var sse float64
	for t := start; t < len(y); t++ {
		v := y[t]
		if t >= from {
			e := v - lv
			sse += e * e
		}
		lv = a*v + (1-a)*lv
	}
	s.level = lv
	return sse
}

// holtModel is Holt's linear trend method, started at level y1 and trend
// y1 − y0; the forecast h weeks ahead is level + h·trend.
type holtModel struct{ alpha, beta, level, trend float64 }

func (s *holtModel) reset(y []float64) int {
	if len(y) < 2 {
		return len(y) + 1
	}
	s.level, s.trend = y[1], y[1]-y[0]
	return 2
}
func (s *holtModel) predict(h int) float64 { return s.level + float64(h)*s.trend }
func (s *holtModel) update(v float64) {
	prev := s.level
	s.level = s.alpha*v + (1-s.alpha)*(s.level+s.trend)
	s.trend = s.beta*(s.level-prev) + (1-s.beta)*s.trend
}
func (s *holtModel) params() Params { return Params{Alpha: s.alpha, Beta: s.beta} }

// sse is sseFrom for Holt, without interface calls.
func (s *holtModel) sse(y []float64, from int) float64 {
	start := s.reset(y)
	if start > len(y) {
		return 0
	}
	lv, tr, a, b := s.level, s.trend, s.alpha, s.beta
	var sse float64
	for t := start; t < len(y); t++ {
		v := y[t]
		if t >= from {
			e := v - (lv + tr)
			sse += e * e
		}
		prev := lv
		lv = a*v + (1-a)*(lv+tr)
		tr = b*(lv-prev) + (1-b)*tr
	}
	s.level, s.trend = lv, tr
	return sse
}

// hwModel is additive Holt–Winters with a season of m weeks; the forecast
// h weeks ahead is level + h·trend + the season index of that week. The
// initial state is a classical decomposition of the first seasons, chosen
// so that the weeks the model is scored on (from the week it returns from
// reset) did not make the season indices:
//
//   - three seasons or more: trend b = (mean of season 2 − mean of season
//     1)/m, a line of slope b through the season means, season index j =
//     the mean over seasons 1 and 2 of y minus the line; forecasts from
//     week 2m, the level starting on the line at week 2m−1;
//   - two seasons: the same b and line, index j = y_j minus the line
//     (season 1 only); forecasts from week m. With forecasting set (the
//     state is only used to forecast beyond y, not scored on y's weeks),
//     two seasons are treated as three are;
//   - one season (a short training part in the backtest): b = 0, the line
//     is the season's mean; forecasts from week m.
//
// The initial season indices are smoothed by a centred, circular running
// median of 3 weeks, which removes much of the noise of single weeks
// (variance × 0.45 for Gaussian noise) while keeping smooth seasons and
// peaks two weeks wide or more intact; they are then centred on 0.
type hwModel struct {
	alpha, beta, gamma float64
	m                  int
	level, trend       float64
	season             []float64
	next               int  // index of the next week
	forecasting        bool // see above
}

func (s *hwModel) reset(y []float64) int {
	m := s.m
	if len(y) < m {
		return len(y) + 1
	}
	if cap(s.season) < m {
		s.season = make([]float64, m)
	}
	s.season = s.season[:m]
	var a1, a2 float64
	for _, v := range y[:m] {
		a1 += v
	}
	a1 /= float64(m)
	b := 0.0
	if len(y) >= 2*m {
		for _, v := range y[m : 2*m] {
			a2 += v
		}
		a2 /= float64(m)
		b = (a2 - a1) / float64(m)
	}
	three := len(y) >= 3*m || s.forecasting && len(y) >= 2*m
	line := func(t int) float64 { return a1 + b*(float64(t)-float64(m-1)/2) }
	for j := 0; j < m; j++ {
		s.season[j] = y[j] - line(j)
		if three {
			s.season[j] = (s.season[j] + y[j+m] - line(j+m)) / 2
		}
	}
	if m >= 3 {
		first, prev := s.season[0], s.season[m-1]
		for j := 0; j < m; j++ {
			next := first
			if j+1 < m {
				next = s.season[j+1]
			}
			cur := s.season[j]
			s.season[j] = median3(prev, cur, next)
			prev = cur
		}
	}
	var mean float64
	for _, v := range s.season {
		mean += v
	}
	mean /= float64(m)
	for j := range s.season {
		s.season[j] -= mean
	}
	start := m
	if three {
		start = 2 * m
	}
	s.level, s.trend, s.next = line(start-1), b, start
	return start
}

func (s *hwModel) predict(h int) float64 {
	return s.level + float64(h)*s.trend + s.season[(s.next+h-1)%s.m]
}
func (s *hwModel) update(v float64) {
	i := s.next % s.m
	prev := s.level
	s.level = s.alpha*(v-s.season[i]) + (1-s.alpha)*(s.level+s.trend)
	s.trend = s.beta*(s.level-prev) + (1-s.beta)*s.trend
	s.season[i] = s.gamma*(v-s.level) + (1-s.gamma)*s.season[i]
	s.next++
}
func (s *hwModel) params() Params { return Params{Alpha: s.alpha, Beta: s.beta, Gamma: s.gamma} }

// copyState copies the state of o (same season length).
func (s *hwModel) copyState(o *hwModel) {
	s.level, s.trend, s.next = o.level, o.trend, o.next
	s.season = append(s.season[:0], o.season...)
	s.forecasting = o.forecasting
}

// run updates the state with the weeks from start on (the state must be
// the initial one for start) and returns the sum of squared one-step
// errors of the weeks t >= from, without interface calls.
func (s *hwModel) run(y []float64, start, from int) float64 {
	if start > len(y) {
		return 0
	}
	lv, tr, a, b, g := s.level, s.trend, s.alpha, s.beta, s.gamma
	season, m := s.season, s.m
	i := start % m
	var sse float64
	for t := start; t < len(y); t++ {
		v := y[t]
		si := season[i]
		if t >= from {
			e := v - (lv + tr + si)
			sse += e * e
		}
		prev := lv
		lv = a*(v-si) + (1-a)*(lv+tr)
		tr = b*(lv-prev) + (1-b)*tr
		season[i] = g*(v-lv) + (1-g)*si
		if i++; i == m {
			i = 0
		}
	}
	s.level, s.trend, s.next = lv, tr, len(y)
	return sse
}

// crostonModel is Croston's method (sba false) or the Syntetos–Boylan
// approximation (sba true). It smooths, with the same α, the size z of the
// non-zero weeks and the interval p between them, updating only in weeks
// with a sale; the forecast is z/p, times (1 − α/2) for SBA. The state
// starts at the first sale: z = its size, p = its week number (1-based).
type crostonModel struct {
	alpha float64
	sba   bool
	z, p  float64
	q     float64 // weeks since the last sale
}

func (s *crostonModel) reset(y []float64) int {
	for i, v := range y {
		if v > 0 {
			s.z, s.p, s.q = v, float64(i+1), 0
			return i + 1
		}
	}
	return len(y) + 1
}
func (s *crostonModel) predict(int) float64 {
	f := s.z / s.p
	if s.sba {
		f *= 1 - s.alpha/2
	}
	return f
}
func (s *crostonModel) update(v float64) {
	s.q++
	if v > 0 {
		s.z = s.alpha*v + (1-s.alpha)*s.z
		s.p = s.alpha*s.q + (1-s.alpha)*s.p
		s.q = 0
	}
}
func (s *crostonModel) params() Params { return Params{Alpha: s.alpha} }

// sse is sseFrom for Croston and SBA, without interface calls.
func (s *crostonModel) sse(y []float64, from int) float64 {
	start := s.reset(y)
	if start > len(y) {
		return 0
	}
	a := s.alpha
	k := 1.0
	if s.sba {
		k = 1 - a/2
	}
	z, p, q := s.z, s.p, s.q
	var sse float64
	for t := start; t < len(y); t++ {
		v := y[t]
		if t >= from {
			e := v - k*z/p
			sse += e * e
		}
		q++
		if v > 0 {
			z = a*v + (1-a)*z
			p = a*q + (1-a)*p
			q = 0
		}
	}
	s.z, s.p, s.q = z, p, q
	return sse
}

// median3 returns the median of three numbers.
func median3(a, b, c float64) float64 {
	if a > b {
		a, b = b, a
	}
	if b > c {
		b = c
	}
	return max(a, b)
}
