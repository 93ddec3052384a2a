package optimize

import (
	"context"
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"testing"

	"github.com/sillage/sillage"
)

// Properties of a sweep: as the price rises the money cost never falls and
// the emissions never rise; every optimal point is on the frontier and no
// frontier point is dominated; the marginal abatement cost between two
// neighbouring points lies between their prices (each point is optimal at
// its own price); and each point equals a cold plan at its price over the
// same columns.
func TestParetoProperties(t *testing.T) {
	ctx := context.Background()
	rng := rand.New(rand.NewPCG(8, 9))
	prices := []float64{0, 25, 50, 100, 200, 400, 800, 5000}
	moved := 0
	for trial := 0; trial < 60; trial++ {
		n := randomPlanNetwork(rng, trial%2 == 0)
		// Air made cheap in money, so that carbon has something to trade.
		for i := range n.Lanes {
			if n.Lanes[i].Mode == sillage.ModeAir {
				n.Lanes[i].CostEURPerKG *= 0.3
			}
		}
		res, err := Pareto(ctx, n, prices, Options{})
		if err != nil {
			t.Fatal(err)
		}
		pts := res.Points
		if len(pts) != len(prices) {
			t.Fatalf("%d points", len(pts))
		}
		tol := func(v float64) float64 { return 1e-7 * math.Max(1, math.Abs(v)) }
		for i, p := range pts {
			where := fmt.Sprintf("trial %d price %g", trial, p.CarbonPriceEURPerT)
			if p.Status != sillage.PlanOptimal || !p.OnFrontier {
				t.Fatalf("%s: %+v", where, p)
			}
			if i == 0 {
				continue
			}
			q := pts[i-1]
			if p.CostEUR < q.CostEUR-tol(q.CostEUR) || p.KgCO2e > q.KgCO2e+tol(q.KgCO2e) {
				t.Fatalf("%s: cost %g kg %g after cost %g kg %g at %g", where, p.CostEUR, p.KgCO2e, q.CostEUR, q.KgCO2e, q.CarbonPriceEURPerT)
			}
			if p.KgCO2e < q.KgCO2e-1e-6 {
				moved++
			}
		}
		for _, a := range res.Abatement {
			if a.EURPerTCO2e < a.FromPrice-1e-4*math.Max(1, a.FromPrice) || a.EURPerTCO2e > a.ToPrice+1e-4*math.Max(1, a.ToPrice) || a.SavedKgCO2e <= 0 {
				t.Fatalf("trial %d: abatement %+v outside its prices", trial, a)
			}
		}
		// Spot-check one price against a cold plan with the same columns.
		p := prices[trial%len(prices)]
		cold, err := Plan(ctx, n, Options{CarbonPriceEURPerT: &p, PathPrices: prices})
		if err != nil {
			t.Fatal(err)
		}
		pt := pts[trial%len(prices)]
		if got := cold.TransportEUR + cold.HoldingEUR + cold.PenaltyEUR + cold.CarbonEUR; !closeTo(pt.CostEUR+p*pt.KgCO2e/1000, got) {
			t.Fatalf("trial %d price %g: sweep objective %g, cold %g", trial, p, pt.CostEUR+p*pt.KgCO2e/1000, got)
		}
	}
	if moved < 10 {
		t.Errorf("emissions fell between neighbouring prices only %d times", moved)
	}
}

func TestFrontierMarksDominated(t *testing.T) {
	pts := []ParetoPoint{
		{CarbonPriceEURPerT: 0, CostEUR: 100, KgCO2e: 50},
		{CarbonPriceEURPerT: 50, CostEUR: 110, KgCO2e: 50}, // dominated by the first
		{CarbonPriceEURPerT: 100, CostEUR: 120, KgCO2e: 30},
		{CarbonPriceEURPerT: 200, CostEUR: 120, KgCO2e: 30}, // equal: both on the frontier
		{CarbonPriceEURPerT: 400, CostEUR: 150, KgCO2e: 20},
	}
	ab := Frontier(pts)
	want := []bool{true, false, true, true, true}
	for i, p := range pts {
		if p.OnFrontier != want[i] {
			t.Errorf("point %d on frontier %v, want %v", i, p.OnFrontier, want[i])
		}
	}
	// 0 -> 100: 20 EUR for 20 kg = 1000 EUR/t; 200 -> 400: 30 EUR for 10 kg.
	if len(ab) != 2 || ab[0].EURPerTCO2e != 1000 || ab[1].EURPerTCO2e != 3000 || ab[1].FromPrice != 200 {
		t.Errorf("abatement %+v", ab)
	}
}

func TestParetoErrors(t *testing.T) {
	n := handNetwork(10, 100)
	for _, prices := range [][]float64{nil, {10, -1}, {math.Inf(1)}} {
		if _, err := Pareto(context.Background(), n, prices, Options{}); !errors.Is(err, sillage.ErrInvalid) {
			t.Errorf("prices %v: error %v, want ErrInvalid", prices, err)
		}
	}
}
