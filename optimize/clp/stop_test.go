package clp_test

import (
	"context"
	"errors"
	"math"
	"testing"

	"github.com/sillage/sillage/optimize/clp"
)

// TestSolveContextStops: a context done before the solve stops it before
// CLP runs; one cancelled once the solve is under way (by the test hook,
// after the context is watched) stops it with the context's error, status
// Stopped and fewer iterations than the full solve takes; the model then solves
// to the same optimum as a fresh one, and an unused context changes
// nothing. Cold (initial solve, with presolve) and warm solves both stop.
func TestSolveContextStops(t *testing.T) {
	p := transport(120)
	full := clp.New()
	defer full.Close()
	if err := full.LoadProblem(p); err != nil {
		t.Fatal(err)
	}
	if err := full.SolveContext(context.Background(), clp.DualSimplex); err != nil {
		t.Fatal(err)
	}
	iters := full.Iterations()

	m := clp.New()
	defer m.Close()
	if err := m.LoadProblem(p); err != nil {
		t.Fatal(err)
	}
	done, cancelDone := context.WithCancel(context.Background())
	cancelDone()
	if err := m.SolveContext(done, clp.DualSimplex); !errors.Is(err, context.Canceled) || m.Status() != clp.NotSolved {
		t.Fatalf("done context: %v, status %v; want context.Canceled before any solve", err, m.Status())
	}

	for _, warm := range []bool{false, true} {
		if warm {
			// From the optimum, a new right-hand side: a warm dual simplex.
			for i := range 120 {
				if err := m.SetRowBounds(120+i, float64(6+i%5), 1e30); err != nil {
					t.Fatal(err)
				}
			}
		}
		ctx, cancel := context.WithCancel(context.Background())
		clp.OnSolveStarting(func(m *clp.Model) {
			cancel()
			clp.AwaitStopRequested(m)
		})
		err := m.SolveContext(ctx, clp.DualSimplex)
		clp.OnSolveStarting(nil)
		if !errors.Is(err, context.Canceled) || m.Status() != clp.Stopped || m.Iterations() >= iters {
			t.Fatalf("warm %v: cancelled solve: %v, status %v, %d iterations (full solve: %d); want context.Canceled, stopped, fewer",
				warm, err, m.Status(), m.Iterations(), iters)
		}
	}
	if err := m.SolveContext(context.Background(), clp.DualSimplex); err != nil {
		t.Fatal(err)
	}
	fresh := clp.New()
	defer fresh.Close()
	if err := fresh.LoadProblem(m.Problem()); err != nil {
		t.Fatal(err)
	}
	if err := fresh.Solve(clp.DualSimplex); err != nil {
		t.Fatal(err)
	}
	if got, want := m.ObjectiveValue(), fresh.ObjectiveValue(); math.Abs(got-want) > 1e-9*math.Abs(want) {
		t.Errorf("after the stops: objective %v, a fresh solve %v", got, want)
	}
}
