package cbc_test

import (
	"context"
	"math"
	"os/signal"
	"syscall"
	"testing"

	"github.com/sillage/sillage/optimize/cbc"
	"github.com/sillage/sillage/optimize/clp"
	"github.com/sillage/sillage/optimize/internal/testkit"
)

// TestSolveKeepsSignals: CBC's solver installs its own SIGINT handler
// (to stop a solve on Ctrl-C). After a solve, the process's interrupt
// must still reach Go: a worker that has solved a plan must still stop on
// SIGINT (found by the worker-kill fault test, whose last worker never
// stopped). The test interrupts itself after a solve and waits for the
// context that signal.NotifyContext cancels.
func TestSolveKeepsSignals(t *testing.T) {
	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGINT)
	defer stop()
	// A knapsack of 40 items that needs branch and bound: CBC's own
	// solver loop runs (a tiny model is solved before it).
	const n = 40
	p := cbc.Problem{Problem: clp.Problem{NumRows: 1, NumCols: n, RowLower: []float64{math.Inf(-1)}, RowUpper: []float64{1000}},
		Integer: make([]bool, n)}
	for j := range n {
		w := float64(37*j%101 + 20)
		p.ColStart = append(p.ColStart, j)
		p.RowIndex = append(p.RowIndex, 0)
		p.Values = append(p.Values, w)
		p.ColUpper = append(p.ColUpper, 1)
		p.Objective = append(p.Objective, -(w + float64(53*j%17)))
		p.Integer[j] = true
	}
	p.ColStart = append(p.ColStart, n)
	m := cbc.New()
	defer m.Close()
	if err := m.LoadProblem(p); err != nil {
		t.Fatal(err)
	}
	if err := m.Solve(); err != nil {
		t.Fatal(err)
	}
	testkit.InterruptSelf(t, ctx, "a CBC solve", "CBC")
}
