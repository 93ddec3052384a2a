package forecast

// dampedSum returns φ + φ² + … + φ^h, the trend multiplier of a damped
// forecast h weeks ahead. Cost O(h).
func dampedSum(phi float64, h int) float64 {
	var s, p float64 = 0, 1
	for range h {
		p *= phi
		s += p
	}
	return s
}

// holtModel is Holt's linear trend with a damped trend (Gardner and
// McKenzie 1985):
//
//	level ← α·y + (1−α)·(level + φ·trend)
//	trend ← β·(level − previous level) + (1−β)·φ·trend
//
// and the forecast h weeks ahead is level + (φ + … + φ^h)·trend, which
// flattens out instead of running away (φ < 1). The state starts on the
// least-squares line through the first min(n, 8) weeks (level at week −1,
// its slope as trend); the model forecasts from week 0.
type holtModel struct{ alpha, beta, phi, level, trend float64 }

func (s *holtModel) reset(y []float64) int {
	if len(y) < 2 {
		return len(y) + 1
	}
	a, b := lsLine(y[:min(len(y), initWeeks)])
	s.level, s.trend = a-b, b
	return 0
}
func (s *holtModel) predict(h int) float64 { return s.level + dampedSum(s.phi, h)*s.trend }
func (s *holtModel) update(v float64) {
	prev := s.level
	s.level = s.alpha*v + (1-s.alpha)*(s.level+s.phi*s.trend)
	s.trend = s.beta*(s.level-prev) + (1-s.beta)*s.phi*s.trend
}
func (s *holtModel) params() Params {
	return Params{Alpha: s.alpha, Beta: s.beta, Phi: s.phi}
}
func (s *holtModel) set(x []float64) { s.alpha, s.beta, s.phi = x[0], x[1], x[2] }

func (s *holtModel) sse(y []float64) float64 {
	start := s.reset(y)
	if start > len(y) {
		return 0
	}
	lv, tr, a, b, phi := s.level, s.trend, s.alpha, s.beta, s.phi
	var sse float64
	for _, v := range y {
		dt := phi * tr
		e := v - (lv + dt)
		sse += e * e
		prev := lv
		lv = a*v + (1-a)*(lv+dt)
		tr = b*(lv-prev) + (1-b)*dt
	}
	s.level, s.trend = lv, tr
	return sse
}

// lsLine returns the intercept a (at week 0) and slope b of the
// least-squares line through y (2 points or more).
func lsLine(y []float64) (a, b float64) {
	k := float64(len(y))
	tm := (k - 1) / 2
	var ym float64
	for _, v := range y {
		ym += v
	}
	ym /= k
	var num, den float64
	for t, v := range y {
		d := float64(t) - tm
		num += d * (v - ym)
		den += d * d
	}
	b = num / den
	return ym - b*tm, b
}

// hwModel is additive Holt–Winters with a damped trend and a season of m
// weeks:
//
//	level  ← α·(y − s) + (1−α)·(level + φ·trend)
//	trend  ← β·(level − previous level) + (1−β)·φ·trend
//	s      ← γ·(y − level) + (1−γ)·s     (the season index of the week)
//
// and the forecast h weeks ahead is level + (φ + … + φ^h)·trend + the
// season index of that week. β = 0 with a zero initial trend is the
// seasonal model without trend. The initial state is a classical
// decomposition of the first seasons, chosen so that the weeks the model
// is scored on (from the week reset returns) did not make the season
// indices:
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
// median of 3 weeks, which removes much of the noise of single weeks while
// keeping smooth seasons and peaks two weeks wide or more intact; they are
// then centred on 0.
type hwModel struct {
	alpha, beta, gamma, phi float64
	m                       int
	level, trend            float64
	season                  []float64
	next                    int  // index of the next week
	forecasting             bool // see above
	// init, when not nil, is the initial state that sse starts from
	// instead of calling reset: fit computes it once for all the
	// parameters it tries.
	init *hwModel
}

func (s *hwModel) reset(y []float64) int {
	m := s.m
	if m < 2 || len(y) < m {
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
	return s.level + dampedSum(s.phi, h)*s.trend + s.season[(s.next+h-1)%s.m]
}
func (s *hwModel) update(v float64) {
	i := s.next % s.m
	prev := s.level
	s.level = s.alpha*(v-s.season[i]) + (1-s.alpha)*(s.level+s.phi*s.trend)
	s.trend = s.beta*(s.level-prev) + (1-s.beta)*s.phi*s.trend
	s.season[i] = s.gamma*(v-s.level) + (1-s.gamma)*s.season[i]
	s.next++
}
func (s *hwModel) params() Params {
	return Params{Alpha: s.alpha, Beta: s.beta, Gamma: s.gamma, Phi: s.phi}
}
func (s *hwModel) set(x []float64) { s.alpha, s.beta, s.gamma, s.phi = x[0], x[1], x[2], x[3] }

func (s *hwModel) sse(y []float64) float64 {
	var start int
	if s.init != nil {
		s.level, s.trend, start = s.init.level, s.init.trend, s.init.next
		s.season = append(s.season[:0], s.init.season...)
	} else {
		start = s.reset(y)
	}
	if start > len(y) {
		return 0
	}
	lv, tr, a, b, g, phi := s.level, s.trend, s.alpha, s.beta, s.gamma, s.phi
	season, m := s.season, s.m
	i := start % m
	var sse float64
	for _, v := range y[start:] {
		si := season[i]
		dt := phi * tr
		e := v - (lv + dt + si)
		sse += e * e
		prev := lv
		lv = a*(v-si) + (1-a)*(lv+dt)
		tr = b*(lv-prev) + (1-b)*dt
		season[i] = g*(v-lv) + (1-g)*si
		if i++; i == m {
			i = 0
		}
	}
	s.level, s.trend, s.next = lv, tr, len(y)
	return sse
}
