package timephased

import (
	"fmt"
	"math"
	"testing"
)

// TestCutsKeepTheOptimum checks the rounding cuts against a second
// computation: on seeded random instances with fractional demand, CBC's
// proven optimum of the week-0 integer model is the same with and without
// the cuts (a cut that removed an integer point could raise it), and the
// relaxation with cuts lies between the pure relaxation and that optimum.
func TestCutsKeepTheOptimum(t *testing.T) {
	const h = 5
	tighter := 0
	for seed := range uint64(30) {
		t.Run(fmt.Sprint("seed", seed), func(t *testing.T) {
			in := randomInstance(seed, h)
			for i := range in.Demand {
				for w := range in.Demand[i].Units {
					in.Demand[i].Units[w] *= 0.37 // fractional demand
				}
			}
			ready(t, in.Network)
			opt := Options{Gap: -1, Rounding: false, MaxIntegers: 1 << 20, TimeLimitSeconds: 60}
			pure := lpCost(t, in)
			with, err := Plan(in, opt)
			if err != nil {
				t.Fatal(err)
			}
			roundingCuts = false
			without, err := Plan(in, opt)
			roundingCuts = true
			if err != nil {
				t.Fatal(err)
			}
			if with.MIP.Gap > 1e-9 || without.MIP.Gap > 1e-9 {
				t.Skipf("not proven optimal: gaps %v and %v", with.MIP.Gap, without.MIP.Gap)
			}
			if !near(with.MIP.ObjectiveEUR, without.MIP.ObjectiveEUR, 1e-6) {
				t.Errorf("optimum %.6f with the cuts, %.6f without", with.MIP.ObjectiveEUR, without.MIP.ObjectiveEUR)
			}
			tol := 1e-7 * math.Max(1, math.Abs(pure))
			if with.LPObjectiveEUR < pure-tol || with.LPObjectiveEUR > with.MIP.ObjectiveEUR+tol {
				t.Errorf("relaxation with cuts %.6f outside [pure %.6f, optimum %.6f]", with.LPObjectiveEUR, pure, with.MIP.ObjectiveEUR)
			}
			if with.LPObjectiveEUR > pure+tol {
				tighter++
			}
		})
	}
	t.Logf("the cuts tightened the relaxation on %d of 30 instances", tighter)
	if tighter == 0 {
		t.Error("the cuts never tightened the relaxation")
	}
}

// TestServeCostsWithCuts re-solves the relaxation with its rounding cuts
// (the source of the plan's duals when week 0 is integer) with one unit
// more and one unit less of demand, on seeded random instances with
// fractional demand: the serve cost lies between the two differences. A
// whole unit keeps the fractional part of every balance's right-hand
// side, so the cuts stay the same.
func TestServeCostsWithCuts(t *testing.T) {
	const h = 5
	checked := 0
	for seed := range uint64(12) {
		in := randomInstance(seed, h)
		for i := range in.Demand {
			for w := range in.Demand[i].Units {
				in.Demand[i].Units[w] *= 0.37
			}
		}
		ready(t, in.Network)
		bound := func(c *Input) float64 {
			res, err := Plan(c, Options{Rounding: true})
			if err != nil {
				t.Fatal(err)
			}
			return res.LPObjectiveEUR
		}
		res, err := Plan(in, Options{Rounding: true})
		if err != nil {
			t.Fatal(err)
		}
		checked += checkServeCosts(t, fmt.Sprintf("seed %d: ", seed), in, res, 4, int(seed%4), bound)
	}
	if checked < 20 {
		t.Errorf("%d serve costs checked, want ≥ 20", checked)
	}
}
