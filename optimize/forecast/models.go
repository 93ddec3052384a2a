package forecast

// model is a forecasting model with its state.
type model interface {
	// reset sets the initial state from y and returns the first week the
	// model forecasts (the weeks before it only made the initial state);
	// a value above len(y) means y cannot start the model.
	reset(y []float64) int
	// predict forecasts h >= 1 weeks ahead of the state, in units (not
	// clipped).
	predict(h int) float64
	// update moves the state past one observed week.
	update(v float64)
	params() Params
}

// fitter is a model whose smoothing parameters are fitted (fit.go).
type fitter interface {
	model
	// set sets the smoothing parameters, in the order of the method's
	// parameter space (see spaceOf).
	set(x []float64)
	// sse resets the model on y, runs it through y and returns the sum
	// of squared one-step errors from its first forecast week; the state
	// is left at the end of y. Cost O(len(y)), no interface call per week.
	sse(y []float64) float64
}

// initWeeks is the number of first weeks whose mean (SES) or least-squares
// line (Holt) starts the level.
const initWeeks = 8

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
		return 1
	}
	n.last = y[0]
	return 1
}
func (n *naiveModel) predict(int) float64 { return n.last }
func (n *naiveModel) update(v float64)    { n.last = v }
func (*naiveModel) params() Params        { return Params{} }

// sesModel is simple exponential smoothing: level ← α·y + (1−α)·level; the
// forecast at every horizon is the level. The level starts at the mean of
// the first min(n, 8) weeks and the model forecasts from week 0.
type sesModel struct{ alpha, level float64 }

func (s *sesModel) reset(y []float64) int {
	if len(y) == 0 {
		return 1
	}
	k := min(len(y), initWeeks)
	var sum float64
	for _, v := range y[:k] {
		sum += v
	}
	s.level = sum / float64(k)
	return 0
}
func (s *sesModel) predict(int) float64 { return s.level }
func (s *sesModel) update(v float64)    { s.level += s.alpha * (v - s.level) }
func (s *sesModel) params() Params      { return Params{Alpha: s.alpha} }
func (s *sesModel) set(x []float64)     { s.alpha = x[0] }

func (s *sesModel) sse(y []float64) float64 {
	start := s.reset(y)
	lv, a := s.level, s.alpha
	var sse float64
	for _, v := range y[min(start, len(y)):] {
		e := v - lv
		sse += e * e
		lv += a * e
	}
	s.level = lv
	return sse
}

// crostonModel is Croston's method (sba false) or the Syntetos–Boylan
// approximation (sba true). It smooths, with the same α, the size z of the
// non-zero weeks and the interval p between them, updating only in weeks
// with a sale; the forecast is z/p, times (1 − α/2) for SBA. The state
// starts at the first sale: z = its size, p = its week number (1-based);
// the model forecasts from the week after it.
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
		s.z += s.alpha * (v - s.z)
		s.p += s.alpha * (s.q - s.p)
		s.q = 0
	}
}
func (s *crostonModel) params() Params  { return Params{Alpha: s.alpha} }
func (s *crostonModel) set(x []float64) { s.alpha = x[0] }

func (s *crostonModel) sse(y []float64) float64 {
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
	for _, v := range y[start:] {
		e := v - k*z/p
		sse += e * e
		q++
		if v > 0 {
			z += a * (v - z)
			p += a * (q - p)
			q = 0
		}
	}
	s.z, s.p, s.q = z, p, q
	return sse
}

// tsbModel is the method of Teunter, Syntetos and Babai (2011). It smooths
// the probability π that a week has a sale every week, π ← π + β·(1{y>0} −
// π), and the size z of the non-zero weeks in weeks with a sale, z ← z +
// α·(y − z); the forecast is π·z. Unlike Croston's, its forecast decays
// towards 0 while no sale comes, which suits items going obsolete. The
// state starts at π = the share of weeks with a sale in y and z = their
// mean size; the model forecasts from week 0.
type tsbModel struct {
	alpha, beta float64
	z, pi       float64
}

func (s *tsbModel) reset(y []float64) int {
	var k int
	var sum float64
	for _, v := range y {
		if v > 0 {
			k++
			sum += v
		}
	}
	if k == 0 {
		return len(y) + 1
	}
	s.pi, s.z = float64(k)/float64(len(y)), sum/float64(k)
	return 0
}
func (s *tsbModel) predict(int) float64 { return s.pi * s.z }
func (s *tsbModel) update(v float64) {
	if v > 0 {
		s.pi += s.beta * (1 - s.pi)
		s.z += s.alpha * (v - s.z)
	} else {
		s.pi -= s.beta * s.pi
	}
}
func (s *tsbModel) params() Params  { return Params{Alpha: s.alpha, Beta: s.beta} }
func (s *tsbModel) set(x []float64) { s.alpha, s.beta = x[0], x[1] }

func (s *tsbModel) sse(y []float64) float64 {
	start := s.reset(y)
	if start > len(y) {
		return 0
	}
	a, b, z, pi := s.alpha, s.beta, s.z, s.pi
	var sse float64
	for _, v := range y {
		e := v - pi*z
		sse += e * e
		if v > 0 {
			pi += b * (1 - pi)
			z += a * (v - z)
		} else {
			pi -= b * pi
		}
	}
	s.z, s.pi = z, pi
	return sse
}

// runThrough resets mod on y and updates it with every week after its
// initial ones, leaving the state at the end of y.
func runThrough(mod model, y []float64) {
	for t := mod.reset(y); t < len(y); t++ {
		mod.update(y[t])
	}
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
