package cbc

import (
	"errors"
	"math"
	"math/rand/v2"
	"testing"

	"github.com/sillage/sillage/optimize/internal/testkit"
)

// multiKnapsack is a maximisation knapsack with n binary items and m
// capacity rows, weights in [1, 100] and values correlated with them, each
// capacity half the row's total weight: CBC finds good solutions at once,
// but proving one optimal takes far longer than a fraction of a second.
func multiKnapsack(rng *rand.Rand, m, n int) Problem {
	a := make([][]float64, m)
	ru := make([]float64, m)
	rl := make([]float64, m)
	for i := range a {
		a[i] = make([]float64, n)
		total := 0.0
		for j := range a[i] {
			a[i][j] = float64(1 + rng.IntN(100))
			total += a[i][j]
		}
		rl[i], ru[i] = math.Inf(-1), math.Floor(total/2)
	}
	c, cu := make([]float64, n), make([]float64, n)
	for j := range c {
		w := 0.0
		for i := range a {
			w += a[i][j]
		}
		c[j] = math.Round(w/float64(m)) + float64(rng.IntN(20))
		cu[j] = 1
	}
	return dense(a, nil, cu, c, rl, ru, all(n, true))
}

// marketSplit is a feasibility problem of Cornuéjols and Dawande: m
// equality rows over n = 10(m−1) binaries, weights in [0, 99], each
// right-hand side half the row's total. Branch and bound needs a huge
// tree to find a point or prove there is none.
func marketSplit(rng *rand.Rand, m int) Problem {
	n := 10 * (m - 1)
	a := make([][]float64, m)
	rhs := make([]float64, m)
	for i := range a {
		a[i] = make([]float64, n)
		total := 0.0
		for j := range a[i] {
			a[i][j] = float64(rng.IntN(100))
			total += a[i][j]
		}
		rhs[i] = math.Floor(total / 2)
	}
	cu := make([]float64, n)
	for j := range cu {
		cu[j] = 1
	}
	return dense(a, nil, cu, make([]float64, n), rhs, rhs, all(n, true))
}

// TestTimeLimit stops hard instances after a fraction of a second: the
// knapsack with a feasible solution and a gap, the market split without a
// solution. Neither panics, and what each reports holds together.
func TestTimeLimit(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 5))

	t.Run("feasible", func(t *testing.T) {
		p := multiKnapsack(rng, 10, 100)
		m := testkit.Loaded(t, New(), p)
		m.SetMaximize(true)
		m.SetTimeLimit(0.2)
		if err := m.SetGap(0); err != nil {
			t.Fatal(err)
		}
		err := m.Solve()
		if !errors.Is(err, ErrTimeLimit) || m.Status() != TimeLimitFeasible || m.SecondaryStatus() != 4 {
			t.Fatalf("Solve: %v, status %v, secondary %d; want ErrTimeLimit, time limit, 4", err, m.Status(), m.SecondaryStatus())
		}
		x := m.Primal()
		obj, bound, gap := m.ObjectiveValue(), m.BestBound(), m.Gap()
		if x == nil || !(bound > obj) || !(gap > 0) || math.Abs(gap-(bound-obj)/bound) > 1e-12 {
			t.Errorf("objective %v, bound %v, gap %v: want a solution below its bound and their relative gap", obj, bound, gap)
		}
		a := make([][]float64, p.NumRows)
		for i := range a {
			a[i] = make([]float64, p.NumCols)
		}
		for j := 0; j < p.NumCols; j++ {
			for k := p.ColStart[j]; k < p.ColStart[j+1]; k++ {
				a[p.RowIndex[k]][j] = p.Values[k]
			}
		}
		full := p
		full.ColLower, full.RowLower = make([]float64, p.NumCols), p.RowLower
		if why := checkFeasible(full, a, x, 1e-9); why != "" {
			t.Errorf("solution at the time limit: %s", why)
		}
		t.Logf("after %.2f s: value %v, bound %v, gap %.1f%%, %d nodes", m.Seconds(), obj, bound, 100*gap, m.Nodes())
	})

	t.Run("no solution", func(t *testing.T) {
		m := testkit.Loaded(t, New(), marketSplit(rng, 6))
		m.SetTimeLimit(0.1)
		err := m.Solve()
		if !errors.Is(err, ErrNoSolution) || m.Status() != TimeLimitNoSolution {
			t.Fatalf("Solve: %v, status %v; want ErrNoSolution", err, m.Status())
		}
		if m.Primal() != nil || m.RowActivity() != nil || !math.IsNaN(m.ObjectiveValue()) || !math.IsNaN(m.Gap()) {
			t.Errorf("without a solution: primal %v, objective %v, gap %v", m.Primal(), m.ObjectiveValue(), m.Gap())
		}
		if b := m.BestBound(); b > 0 || math.IsNaN(b) {
			t.Errorf("bound %v, want at most the zero objective", b)
		}
		t.Logf("after %.2f s: bound %v, %d nodes", m.Seconds(), m.BestBound(), m.Nodes())
	})
}

// TestMIPStartUnderTimeLimit plants a solution in a market-split problem
// and gives it to CBC as a MIP start under a 0.1 s limit: CBC returns a
// solution of the equalities (Optimal: every solution has the objective 0,
// the bound). The same solve without the start is logged for comparison
// (it usually ends without a solution).
func TestMIPStartUnderTimeLimit(t *testing.T) {
	rng := rand.New(rand.NewPCG(9, 9))
	p := marketSplit(rng, 6)
	planted := make([]float64, p.NumCols)
	for j := range planted {
		planted[j] = float64(rng.IntN(2))
	}
	act := make([]float64, p.NumRows)
	for j := 0; j < p.NumCols; j++ {
		for k := p.ColStart[j]; k < p.ColStart[j+1]; k++ {
			act[p.RowIndex[k]] += p.Values[k] * planted[j]
		}
	}
	p.RowLower, p.RowUpper = act, act
	for _, withStart := range []bool{false, true} {
		m := New()
		if err := m.LoadProblem(p); err != nil {
			t.Fatal(err)
		}
		m.SetTimeLimit(0.1)
		if withStart {
			if err := m.SetMIPStart(planted); err != nil {
				t.Fatal(err)
			}
		}
		err := m.Solve()
		t.Logf("MIP start %v: %v, %v", withStart, m.Status(), err)
		if withStart {
			if err != nil {
				t.Fatalf("with the planted solution as MIP start: %v", err)
			}
			got := m.RowActivity()
			for i := range act {
				if got[i] != act[i] {
					t.Errorf("row %d = %v, want %v", i, got[i], act[i])
				}
			}
		}
		m.Close()
	}
}
