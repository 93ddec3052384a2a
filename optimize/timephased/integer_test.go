package timephased

import (
	"math"
	"testing"
)

// TestWeek0OrdersRespectMOQAndPacks: the sea/air case with a case pack of
// 6 units and an MOQ of 24. The relaxation orders 10 units by sea and 10
// by air in week 0. By hand, the best integer week 0 orders 24 on each
// (the smallest order allowed) and holds the 14 extra units one week and 4
// of them a second week: 2 × 18 unit-weeks more holding than the
// relaxation. Ordering nothing would lose week 1's 10 sales (200 EUR each)
// and fly week 4's 10 units instead of shipping them by sea.
func TestWeek0OrdersRespectMOQAndPacks(t *testing.T) {
	in := seaAirMOQ(t)
	sea := 1 + hold(100, 28)
	air := 10 + hold(100, 3)
	lp := 10*200 + 30*air + 40*sea
	for _, tc := range []struct {
		name   string
		opt    Options
		method string
		want   float64
		gap    float64 // CBC's own (0: proven optimum); the rounding's against the LP bound
		week0  map[string]float64
	}{
		{"cbc", Options{Gap: -1}, MethodCBC, lp + 36*hold(100, 7), 0, map[string]float64{"sea": 24, "air": 24}},
		{"rounding", Options{Rounding: true}, MethodRounding, lp + 10*(200-air) + 10*(air-sea), (10*(200-air) + 10*(air-sea)) / (lp + 10*(200-air) + 10*(air-sea)), map[string]float64{}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			res, err := Plan(in, tc.opt)
			if err != nil {
				t.Fatal(err)
			}
			if res.MIP.Method != tc.method || !near(res.MIP.ObjectiveEUR, tc.want, 1e-9) || !near(res.Totals.ObjectiveEUR, tc.want, 1e-9) {
				t.Errorf("mip %+v, totals %.6f; want method %s, objective %.6f", res.MIP, res.Totals.ObjectiveEUR, tc.method, tc.want)
			}
			if !near(res.LPObjectiveEUR, lp, 1e-9) || math.Abs(res.MIP.Gap-tc.gap) > 1e-9 {
				t.Errorf("LP %.6f, gap %.9f; want %.6f and %.9f", res.LPObjectiveEUR, res.MIP.Gap, lp, tc.gap)
			}
			got := map[string]float64{}
			for _, l := range res.Lines {
				if l.ReleaseWeek != 0 {
					continue
				}
				if !l.Integer || math.Mod(l.Quantity, 6) != 0 || l.Quantity < 24 {
					t.Errorf("week-0 line %s: %v units, want a whole number of 6-packs ≥ 24", l.Path, l.Quantity)
				}
				got[l.Modes[0]] += l.Quantity
			}
			if len(got) != len(tc.week0) || got["sea"] != tc.week0["sea"] || got["air"] != tc.week0["air"] {
				t.Errorf("week-0 orders %v, want %v", got, tc.week0)
			}
		})
	}
}
