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

// TestSolveKeepsSignals: CBC's solver would install its own SIGINT
// handler (to stop a solve on Ctrl-C; optimize/clp's signals.c keeps it
// from it). After a solve, the process's interrupt must still reach Go: a
// worker that has solved a plan must still stop on SIGINT (found by the
// worker-kill fault test, whose last worker never stopped). The test interrupts itself after a solve and waits for the
// context that signal.NotifyContext cancels.
func TestSolveKeepsSignals(t *testing.T) {
	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGINT)
	defer stop()
	solveKnapsack(t, knapsack(40))
	testkit.InterruptSelf(t, ctx, "a CBC solve", "CBC")
}

// knapsack returns a knapsack of n items that needs branch and bound, so
// that CBC's own solver loop runs (a tiny model is solved before it).
func knapsack(n int) cbc.Problem {
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
	return p
}

// solveKnapsack solves p in a new model and fails t when it is not
// proved optimal.
func solveKnapsack(t *testing.T, p cbc.Problem) {
	m := cbc.New()
	defer m.Close()
	if err := m.LoadProblem(p); err != nil {
		t.Error(err)
		return
	}
	if err := m.Solve(); err != nil {
		t.Error(err)
	}
}

// TestInterruptDuringSolvesReachesProgram: a SIGINT that arrives while
// CBC solves (and CLP solves beside it) must reach the program, not stop
// a solve in COIN-OR's handler and vanish. Two goroutines solve the
// knapsack and one its LP relaxation (which Solve hands to CLP) until the
// program sees the interrupt.
func TestInterruptDuringSolvesReachesProgram(t *testing.T) {
	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGINT)
	defer stop()
	mip := knapsack(40)
	lp := mip
	lp.Integer = nil
	solveMIP := func() { solveKnapsack(t, mip) }
	testkit.InterruptDuringSolves(t, ctx, "CBC", 5, 500, solveMIP, solveMIP, func() { solveKnapsack(t, lp) })
}
