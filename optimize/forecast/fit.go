package forecast

import (
	"fmt"
	"math"
)

// space is the admissible range of a method's smoothing parameters, with
// the coarse grid that starts their fit.
type space struct {
	names  []string
	lo, hi []float64
	grid   [][]float64
}

// Parameter spaces: α in [0.01, 1] everywhere (level, size, or size and
// interval), β in [0, 1] for trends and [0.01, 1] for TSB's probability,
// γ in [0, 1], and the damping φ in [0.8, 0.98] (the range of Hyndman et
// al. 2008: below 0.8 the trend vanishes within days, above 0.98 it is
// hardly damped).
var (
	spaceAlpha = space{names: []string{"alpha"}, lo: []float64{0.01}, hi: []float64{1},
		grid: [][]float64{{0.01, 0.05, 0.1, 0.2, 0.3, 0.5, 0.7, 1}}}
	spaceTSB = space{names: []string{"alpha", "beta"}, lo: []float64{0.01, 0.01}, hi: []float64{1, 1},
		grid: [][]float64{{0.05, 0.2, 0.5, 1}, {0.01, 0.05, 0.2, 0.5}}}
	spaceHolt = space{names: []string{"alpha", "beta", "phi"}, lo: []float64{0.01, 0, 0.8}, hi: []float64{1, 1, 0.98},
		grid: [][]float64{{0.05, 0.2, 0.5, 0.9}, {0, 0.05, 0.2}, {0.85, 0.98}}}
	spaceHW = space{names: []string{"alpha", "beta", "gamma", "phi"}, lo: []float64{0.01, 0, 0, 0.8}, hi: []float64{1, 1, 1, 0.98},
		grid: [][]float64{{0.05, 0.2, 0.5}, {0, 0.1}, {0.01, 0.1, 0.3}, {0.9, 0.98}}}
)

// Refinement: rounds of coordinate-wise golden-section search after the
// grid, each with goldenSteps shrinking steps (a bracket shrinks to
// 0.618^6 ≈ 6% of its width; the second round's bracket is half the
// first's).
const (
	refineRounds = 2
	goldenSteps  = 6
)

// newModel returns an unfitted model of method, and its parameter space
// (nil when it has no parameter). ok is false for an unknown method.
func newModel(method Method, m int) (mod model, sp *space, ok bool) {
	switch method {
	case Zero:
		return &zeroModel{}, nil, true
	case Naive:
		return &naiveModel{}, nil, true
	case SES:
		return &sesModel{}, &spaceAlpha, true
	case Croston, SBA:
		return &crostonModel{sba: method == SBA}, &spaceAlpha, true
	case TSB:
		return &tsbModel{}, &spaceTSB, true
	case Holt:
		return &holtModel{}, &spaceHolt, true
	case HoltWinters:
		return &hwModel{m: m}, &spaceHW, true
	}
	return nil, nil, false
}

// fit returns the model of method whose smoothing parameters minimise the
// sum of squared one-step errors over y (from the model's first forecast
// week) (onBound says which sit on a bound of their range); ok is
// false when y cannot start the method (too short, or no sale for
// Croston, SBA and TSB). The state of the model is left at the end of y.
//
// The fit evaluates the coarse grid of the method's space, then refines
// the best point by refineRounds rounds of golden-section search along
// each parameter, within a bracket around it that halves every round and
// includes the bounds it reaches. Cost O(E·n), E ≈ 10 + 20·d evaluations
// for d parameters beyond a grid of at most 36 points (HoltWinters).
func fit(method Method, y []float64, m int) (mod model, ok bool) {
	mod, sp, ok := newModel(method, m)
	if !ok || mod.reset(y) > len(y) {
		return nil, false
	}
	if sp == nil {
		runThrough(mod, y)
		return mod, true
	}
	if hw, isHW := mod.(*hwModel); isHW {
		// The initial state depends on y only: compute it once.
		hw.init = &hwModel{m: m}
		hw.init.next = hw.init.reset(y)
		defer func() { hw.init = nil }()
	}
	f := mod.(fitter)
	d := len(sp.names)
	var xbuf, bbuf [4]float64
	x, best := xbuf[:d], bbuf[:d]
	eval := func() float64 {
		f.set(x)
		return f.sse(y)
	}
	// Grid: the Cartesian product, enumerated by a mixed-radix counter.
	var idx [4]int
	bestSSE := math.Inf(1)
	for {
		for i := range d {
			x[i] = sp.grid[i][idx[i]]
		}
		if s := eval(); s < bestSSE {
			bestSSE = s
			copy(best, x)
		}
		i := 0
		for ; i < d; i++ {
			if idx[i]++; idx[i] < len(sp.grid[i]) {
				break
			}
			idx[i] = 0
		}
		if i == d {
			break
		}
	}
	// Refinement.
	copy(x, best)
	for r := range refineRounds {
		for i := range d {
			w := (sp.hi[i] - sp.lo[i]) / float64(len(sp.grid[i])) / float64(int(1)<<r)
			lo, hi := math.Max(sp.lo[i], best[i]-w), math.Min(sp.hi[i], best[i]+w)
			if hi <= lo {
				continue
			}
			try := func(v float64) float64 {
				x[i] = v
				s := eval()
				if s < bestSSE {
					bestSSE, best[i] = s, v
				}
				return s
			}
			golden(lo, hi, try)
			if lo == sp.lo[i] {
				try(lo)
			}
			if hi == sp.hi[i] {
				try(hi)
			}
			x[i] = best[i]
		}
	}
	f.set(best)
	f.sse(y)
	return mod, true
}

// onBound names the parameters of a model of method fitted to p that sit
// on a bound of their range ("alpha at its lower bound 0.01").
func onBound(method Method, p Params) []string {
	_, sp, ok := newModel(method, 2)
	if !ok || sp == nil {
		return nil
	}
	var out []string
	for i, name := range sp.names {
		v := map[string]float64{"alpha": p.Alpha, "beta": p.Beta, "gamma": p.Gamma, "phi": p.Phi}[name]
		switch {
		case sp.lo[i] == sp.hi[i]:
		case v == sp.lo[i]:
			out = append(out, fmt.Sprintf("%s at its lower bound %g", name, v))
		case v == sp.hi[i]:
			out = append(out, fmt.Sprintf("%s at its upper bound %g", name, v))
		}
	}
	return out
}

// golden runs goldenSteps steps of golden-section search for a minimum of
// f on [a, b]; f records the best point itself.
func golden(a, b float64, f func(float64) float64) {
	const r = 0.6180339887498949 // (√5 − 1)/2
	c, d := b-r*(b-a), a+r*(b-a)
	fc, fd := f(c), f(d)
	for range goldenSteps {
		if fc <= fd {
			b, d, fd = d, c, fc
			c = b - r*(b-a)
			fc = f(c)
		} else {
			a, c, fc = c, d, fd
			d = a + r*(b-a)
			fd = f(d)
		}
	}
}
