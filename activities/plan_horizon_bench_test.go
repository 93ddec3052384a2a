package activities

import (
	"context"
	"path/filepath"
	"testing"
	"time"

	"github.com/sillage/sillage/optimize/timephased"
	"github.com/sillage/sillage/store"
	"github.com/sillage/sillage/workflows"
)

// BenchmarkSolveHorizonMaison runs the SolveHorizon step on the sample
// network over SQLite (rounding heuristic, no CBC): load, solve, store the
// plan and its horizon. It reports the seconds of storing the horizon
// again (store-s) and its rows.
//
//	go test -run '^$' -bench SolveHorizonMaison -benchtime 1x ./activities
func BenchmarkSolveHorizonMaison(b *testing.B) {
	ctx := context.Background()
	s := maisonStore(b)
	a := &Activities{Store: s, Optimizer: LocalOptimizer{Horizon: timephased.Options{Rounding: true}}, Carbon: CarbonFootprints{}}
	var stored time.Duration
	rows := 0
	for i := 0; b.Loop(); i++ {
		ref := workflows.PlanRef{PlanID: "maison:" + string(rune('a'+i%26)) + time.Now().Format("150405.000000"), Network: "maison"}
		if _, err := a.SolveHorizon(ctx, workflows.SolveHorizonInput{PlanRef: ref}); err != nil {
			b.Fatal(err)
		}
		h, err := s.LoadPlanHorizon(ctx, ref.PlanID)
		if err != nil {
			b.Fatal(err)
		}
		start := time.Now()
		if err := s.SavePlanHorizon(ctx, ref.PlanID, h); err != nil {
			b.Fatal(err)
		}
		stored += time.Since(start)
		rows = len(h.Lines) + len(h.Projected) + len(h.ServeCost) + len(h.Binding)
	}
	b.ReportMetric(stored.Seconds()/float64(b.N), "store-s")
	b.ReportMetric(float64(rows), "rows")
}

// maisonStore opens a SQLite store in a temporary directory (closed when
// b ends) with the sample network saved as "maison".
func maisonStore(b *testing.B) *store.Store {
	b.Helper()
	s, _ := storeWithNetwork(b, filepath.Join("..", "testdata", "networks", "maison.yaml"), "maison")
	return s
}
