package forecast

import (
	"errors"
	"math"
	"testing"

	"github.com/sillage/sillage"
)

func series(n int, f func(t int) float64) []float64 {
	y := make([]float64, n)
	for t := range y {
		y[t] = math.Max(0, f(t))
	}
	return y
}

// MASE on hand-computed cases, including the zero-denominator rules.
func TestMASEHandCases(t *testing.T) {
	tests := []struct {
		name   string
		y      []float64
		method Method
		mase   float64
		scale  Scale
	}{
		// n=8, H=2, training 1..6 (naive MAE 1); the naive forecasts 6 and
		// 7 miss 7 and 8 by 1 each: MASE 1.
		{"naive on a ramp", []float64{1, 2, 3, 4, 5, 6, 7, 8}, Naive, 1, ScaleNaive},
		// Training 0,2,0,2,0,2 (naive MAE 2); zero forecasts miss 0 and 2:
		// mean error 1, MASE 0.5.
		{"zero on alternation", []float64{0, 2, 0, 2, 0, 2, 0, 2}, Zero, 0.5, ScaleNaive},
		// Constant training (naive MAE 0), errors 0 and 4: scaled by the
		// mean level 5: 2/5.
		{"level scale", []float64{5, 5, 5, 5, 5, 5, 5, 9}, Naive, 0.4, ScaleLevel},
		// All-zero training, a sale of 4 in the holdout: scaled by 1 unit.
		{"unit scale", []float64{0, 0, 0, 0, 0, 0, 0, 4}, Zero, 2, ScaleUnit},
		// Constant throughout: no error, MASE 0.
		{"exact", []float64{3, 3, 3, 3, 3, 3, 3, 3}, Naive, 0, ScaleNaive},
	}
	for _, tc := range tests {
		r, err := Forecast(tc.y, Options{HorizonWeeks: 1, Method: tc.method})
		if err != nil {
			t.Fatalf("%s: %v", tc.name, err)
		}
		if r.Holdout != 2 || math.Abs(r.MASE-tc.mase) > 1e-12 || r.Scale != tc.scale {
			t.Errorf("%s: holdout %d MASE %g scale %s, want 2 %g %s", tc.name, r.Holdout, r.MASE, r.Scale, tc.mase, tc.scale)
		}
	}
}

func TestShortHistories(t *testing.T) {
	for _, tc := range []struct {
		y          []float64
		method     Method
		backtested bool
	}{
		{[]float64{7}, Naive, false},
		{[]float64{7, 9, 8}, SES, false},
		{[]float64{7, 9, 8, 10}, SES, true},
		{nil, Zero, false},
	} {
		r, err := Forecast(tc.y, Options{HorizonWeeks: 2})
		if err != nil {
			t.Fatal(err)
		}
		if r.Method != tc.method || r.Backtested != tc.backtested {
			t.Errorf("%v: method %s backtested %v, want %s %v", tc.y, r.Method, r.Backtested, tc.method, tc.backtested)
		}
		for _, f := range r.Weekly {
			if f < 0 || math.IsNaN(f) {
				t.Errorf("%v: forecast %v", tc.y, r.Weekly)
			}
		}
	}
}

func TestForecastInvalid(t *testing.T) {
	for _, tc := range []struct {
		y   []float64
		opt Options
	}{
		{[]float64{1, -2, 3}, Options{HorizonWeeks: 1}},
		{[]float64{1, math.NaN()}, Options{HorizonWeeks: 1}},
		{[]float64{1, 2}, Options{HorizonWeeks: 0}},
		{[]float64{1, 2}, Options{HorizonWeeks: 1, SeasonWeeks: -1}},
		{[]float64{1, 2}, Options{HorizonWeeks: 1, Method: "arima"}},
		{[]float64{1, 2}, Options{HorizonWeeks: 1, Method: HoltWinters}},
	} {
		if _, err := Forecast(tc.y, tc.opt); !errors.Is(err, sillage.ErrInvalid) {
			t.Errorf("Forecast(%v, %+v): error %v, want ErrInvalid", tc.y, tc.opt, err)
		}
	}
}
