package forecast

import (
	"math"
	"testing"
)

// Every method with fixed parameters against values computed by hand
// (the arithmetic is in the comments).
func TestMethodsByHand(t *testing.T) {
	tests := []struct {
		name string
		mod  model
		y    []float64
		want []float64 // forecasts 1, 2, … weeks ahead of the end of y
	}{
		{"zero", &zeroModel{}, []float64{4, 0, 2, 6}, []float64{0, 0}},
		{"naive", &naiveModel{}, []float64{4, 0, 2, 6}, []float64{6, 6}},
		// Level from the mean of the 4 weeks, 3; then 3.5, 1.75, 1.875,
		// 3.9375.
		{"ses α=0.5", &sesModel{alpha: 0.5}, []float64{4, 0, 2, 6}, []float64{3.9375, 3.9375}},
		// First sale in week 2 (1-based): z=3, p=2; the sale of 6 three
		// weeks later: z = 3 + 0.5·3 = 4.5, p = 2 + 0.5·(3−2) = 2.5;
		// forecast 4.5/2.5 = 1.8, SBA × (1 − 0.25) = 1.35.
		{"croston α=0.5", &crostonModel{alpha: 0.5}, []float64{0, 3, 0, 0, 6}, []float64{1.8, 1.8}},
		{"sba α=0.5", &crostonModel{alpha: 0.5, sba: true}, []float64{0, 3, 0, 0, 6}, []float64{1.35, 1.35}},
		// π0 = 2/5 = 0.4, z0 = 4.5. Week 0 (no sale): π = 0.32; week 1
		// (3): π = 0.32 + 0.2·0.68 = 0.456, z = 3.75; weeks 2, 3: π =
		// 0.3648, 0.29184; week 4 (6): π = 0.433472, z = 4.875. Forecast
		// 0.433472 · 4.875 = 2.113176.
		{"tsb α=0.5 β=0.2", &tsbModel{alpha: 0.5, beta: 0.2}, []float64{0, 3, 0, 0, 6}, []float64{2.113176, 2.113176}},
		// Least-squares line through 1, 3, 5, 4: slope 5.5/5 = 1.1,
		// intercept 1.6: level 0.5 at week −1, trend 1.1. Then (level,
		// trend): (1.245, 0.8675), (2.512875, 1.0243125), (4.217378125,
		// 1.3131921875), (4.699625546875, 0.8320601953125). Forecasts
		// level + 0.9·trend and level + (0.9 + 0.81)·trend.
		{"holt α=0.5 β=0.5 φ=0.9", &holtModel{alpha: 0.5, beta: 0.5, phi: 0.9}, []float64{1, 3, 5, 4},
			[]float64{4.699625546875 + 0.9*0.8320601953125, 4.699625546875 + 1.71*0.8320601953125}},
		// m=2, three seasons: season means 4 and 6, trend b = 1, line
		// 4 + (t − 0.5); indices ((2−3.5)+(4−5.5))/2 = −1.5 and
		// ((6−4.5)+(8−6.5))/2 = 1.5; level 6.5 at week 3. Week 4 (6):
		// level 0.5·(6+1.5) + 0.5·(6.5+0.9) = 7.45, trend 0.9 (β=0),
		// index 0.5·(6−7.45) + 0.5·(−1.5) = −1.475. Week 5 (10): level
		// 0.5·8.5 + 0.5·8.26 = 8.38, trend 0.81, index 0.81 + 0.75 = 1.56.
		// Forecasts 8.38 + 0.729 − 1.475 and 8.38 + 1.71·0.81 + 1.56.
		{"holt-winters m=2", &hwModel{alpha: 0.5, beta: 0, gamma: 0.5, phi: 0.9, m: 2}, []float64{2, 6, 4, 8, 6, 10},
			[]float64{8.38 + 0.729 - 1.475, 8.38 + 1.71*0.81 + 1.56}},
	}
	for _, tc := range tests {
		runThrough(tc.mod, tc.y)
		for h, want := range tc.want {
			if got := tc.mod.predict(h + 1); math.Abs(got-want) > 1e-9 {
				t.Errorf("%s: forecast %d weeks ahead %.9f, want %.9f", tc.name, h+1, got, want)
			}
		}
		// The fitting loop (sse) must leave the same state as the
		// generic one and add up the same one-step errors.
		if f, ok := tc.mod.(fitter); ok {
			var sse float64
			for t := tc.mod.reset(tc.y); t < len(tc.y); t++ {
				e := tc.y[t] - tc.mod.predict(1)
				sse += e * e
				tc.mod.update(tc.y[t])
			}
			if got := f.sse(tc.y); math.Abs(got-sse) > 1e-9 {
				t.Errorf("%s: sse %.9f, want %.9f", tc.name, got, sse)
			}
			if got := tc.mod.predict(1); math.Abs(got-tc.want[0]) > 1e-9 {
				t.Errorf("%s: state after sse forecasts %.9f, want %.9f", tc.name, got, tc.want[0])
			}
		}
	}
}

// SES errors by hand: level 3 (mean), errors 1, −3.5, 0.25, 4.125.
func TestSESSumOfSquaresByHand(t *testing.T) {
	s := &sesModel{alpha: 0.5}
	if got, want := s.sse([]float64{4, 0, 2, 6}), 1+12.25+0.0625+17.015625; math.Abs(got-want) > 1e-12 {
		t.Errorf("sse %g, want %g", got, want)
	}
}

// The fit finds the least-squares α of SES over the whole range, to the
// precision of the golden-section search, and says when it sits on a
// bound. The SSE of SES is a polynomial in α on a short series, so a fine
// scan of [0.01, 1] is an independent minimiser.
func TestFitReachesTheOptimumAndBounds(t *testing.T) {
	for _, tc := range []struct {
		y       []float64
		onBound bool
	}{
		{[]float64{10, 12, 9, 14, 11, 15, 13, 16, 12, 18, 14, 17}, false},
		{[]float64{1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12}, true},       // a ramp: α = 1
		{[]float64{5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 50}, true},         // a level and a spike: α = 0.01
		{[]float64{0, 0, 3, 0, 0, 0, 4, 0, 2, 0, 0, 5, 0, 1, 0}, true}, // intermittent, no pattern: α = 0.01
	} {
		best, bestA := math.Inf(1), 0.0
		for a := 0.01; a <= 1+1e-12; a += 0.0001 {
			if s := (&sesModel{alpha: a}).sse(tc.y); s < best {
				best, bestA = s, a
			}
		}
		mod, ok := fit(SES, tc.y, 1)
		if !ok {
			t.Fatalf("%v: no fit", tc.y)
		}
		got := mod.params().Alpha
		if s := (&sesModel{alpha: got}).sse(tc.y); s > best*(1+1e-3)+1e-9 {
			t.Errorf("%v: α %.4f gives SSE %.6f, scan's α %.4f gives %.6f", tc.y, got, s, bestA, best)
		}
		if b := onBound(SES, mod.params()); (len(b) > 0) != tc.onBound {
			t.Errorf("%v: α %.4f, on bound %v, want on bound: %v", tc.y, got, b, tc.onBound)
		}
	}
}

// TSB on an item that goes obsolete: after the last sale its forecast
// decays geometrically, π·(1−β)^k·z, towards 0; SBA's stays flat.
func TestTSBDecaysOnObsoleteItem(t *testing.T) {
	var y []float64
	for t := 0; t < 40; t++ {
		v := 0.0
		if t%2 == 0 {
			v = 3
		}
		y = append(y, v)
	}
	y = append(y, make([]float64, 40)...) // the collection ends
	tsb, err := Forecast(y, Options{HorizonWeeks: 4, Method: TSB})
	if err != nil {
		t.Fatal(err)
	}
	sba, err := Forecast(y, Options{HorizonWeeks: 4, Method: SBA})
	if err != nil {
		t.Fatal(err)
	}
	// Forty weeks without a sale: the forecast is below 5% of the rate
	// before (1.5 units/week) for any β >= 0.075.
	if tsb.Weekly[0] > 0.05*1.5 || tsb.Params.Beta < 0.075 {
		t.Errorf("TSB forecast %.4f units/week with β %.3f, want below %.3f", tsb.Weekly[0], tsb.Params.Beta, 0.05*1.5)
	}
	if sba.Weekly[0] < 0.5 {
		t.Errorf("SBA forecast %.4f: the comparison is void", sba.Weekly[0])
	}
	// Step by step with the fitted parameters: each week without a sale
	// multiplies the forecast by 1 − β.
	m := &tsbModel{alpha: tsb.Params.Alpha, beta: tsb.Params.Beta}
	runThrough(m, y)
	f60 := m.predict(1)
	for range 20 {
		m.update(0)
	}
	if want := f60 * math.Pow(1-tsb.Params.Beta, 20); math.Abs(m.predict(1)-want) > 1e-12 {
		t.Errorf("20 more weeks without a sale: %g, want %g", m.predict(1), want)
	}
	auto, err := Forecast(y, Options{HorizonWeeks: 4})
	if err != nil {
		t.Fatal(err)
	}
	if auto.Weekly[0] > 0.05*1.5 {
		t.Errorf("automatic choice %s forecasts %.4f units/week for a dead item", auto.Method, auto.Weekly[0])
	}
}
