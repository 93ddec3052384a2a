package clp_test

import (
	"context"
	"os/signal"
	"sync"
	"syscall"
	"testing"

	"github.com/sillage/sillage/optimize/clp"
	"github.com/sillage/sillage/optimize/internal/testkit"
)

// transport returns a transportation LP with n sources and n sinks.
func transport(n int) clp.Problem {
	p := clp.Problem{NumRows: 2 * n, NumCols: n * n}
	for i := range n {
		for j := range n {
			p.ColStart = append(p.ColStart, len(p.RowIndex))
			p.RowIndex = append(p.RowIndex, i, n+j)
			p.Values = append(p.Values, 1, 1)
			p.Objective = append(p.Objective, float64((i*31+j*17)%23+1))
		}
	}
	p.ColStart = append(p.ColStart, len(p.RowIndex))
	for i := range n {
		p.RowLower = append(p.RowLower, -1e30)
		p.RowUpper = append(p.RowUpper, float64(10+i%7))
	}
	for j := range n {
		p.RowLower = append(p.RowLower, float64(5+j%5))
		p.RowUpper = append(p.RowUpper, 1e30)
	}
	return p
}

// TestSolvesKeepSignals: CLP's initial solve would install its own SIGINT
// handler and restore the one before when it returns (signals.c keeps it
// from it); solves on several threads at once interleaved those and could
// leave CLP's handler in place, after which Ctrl-C never reached the
// program (a worker of the fault test never stopped). After many
// overlapping solves, the test interrupts itself and waits for the
// context signal.NotifyContext cancels.
func TestSolvesKeepSignals(t *testing.T) {
	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGINT)
	defer stop()
	p := transport(40)
	var wg sync.WaitGroup
	for range 6 {
		wg.Go(func() {
			for range 15 {
				solveTransport(t, p)
			}
		})
	}
	wg.Wait()
	testkit.InterruptSelf(t, ctx, "overlapping CLP solves", "CLP")
}

// solveTransport solves p with the dual simplex in a new model, with
// Solve and not SolveContext (an interrupt must reach the program without
// the solve's help, and must not stop the solve), and fails t when it is
// not proved optimal.
func solveTransport(t *testing.T, p clp.Problem) {
	m := clp.New()
	defer m.Close()
	if err := m.LoadProblem(p); err != nil {
		t.Error(err)
		return
	}
	if err := m.Solve(clp.DualSimplex); err != nil {
		t.Error(err)
	}
}

// TestInterruptDuringSolvesReachesProgram: a SIGINT that arrives while
// solves run on several threads must reach the program. CLP's initial
// solve points a static "current model" at its model and installs its own
// handler; with solves overlapping, the handler in place at the moment of
// the interrupt could belong to a solve that had already returned, and the
// interrupt was lost (sillage dev went on running for 90 s after Ctrl-C
// while a plan was solving). The test keeps 4 goroutines solving, then
// interrupts itself and waits for the context signal.NotifyContext
// cancels.
func TestInterruptDuringSolvesReachesProgram(t *testing.T) {
	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGINT)
	defer stop()
	p := transport(60)
	solve := func() { solveTransport(t, p) }
	testkit.InterruptDuringSolves(t, ctx, "CLP", 20, 2000, solve, solve, solve, solve)
}
