package activities

import (
	"context"
	"fmt"
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

// BenchmarkHorizonPartsMaison plans the sample network over SQLite with
// the workflow's default options, whole (SolveHorizon) and split into
// parts of at most 10 products (SplitHorizon, each SolveHorizonPart in
// turn, MergeHorizon), each step as a worker runs it: load, build, solve,
// store. It reports the split's parts, the seconds of the split step, of
// the longest part and of the merge, their sum (path-s: the wall time
// with one worker per part), and the split plan's cost gap to the whole
// plan (gap-%).
//
//	go test -run '^$' -bench HorizonPartsMaison -benchtime 1x ./activities
func BenchmarkHorizonPartsMaison(b *testing.B) {
	ctx := context.Background()
	s := maisonStore(b)
	at := time.Date(2026, 3, 2, 6, 0, 0, 0, time.UTC)
	a := newActivities(s)
	a.now = func() time.Time { return at }
	plan := 0
	ref := func() workflows.PlanRef {
		plan++
		return workflows.PlanRef{PlanID: fmt.Sprintf("maison:bench-%d", plan), Network: "maison"}
	}
	whole := 0.0
	b.Run("whole", func(b *testing.B) {
		for b.Loop() {
			r, err := a.SolveHorizon(ctx, workflows.SolveHorizonInput{PlanRef: ref()})
			if err != nil {
				b.Fatal(err)
			}
			whole = r.CostEUR
		}
	})
	b.Run("parts-of-10", func(b *testing.B) {
		a.PlanPartProducts = 10
		defer func() { a.PlanPartProducts = 0 }()
		var splitS, longestS, mergeS, cost float64
		parts := 0
		for b.Loop() {
			p := ref()
			start := time.Now()
			sp, err := a.SplitHorizon(ctx, workflows.SplitHorizonInput{PlanRef: p})
			if err != nil {
				b.Fatal(err)
			}
			splitS, parts, longestS = time.Since(start).Seconds(), len(sp.Parts), 0
			for k := range sp.Parts {
				start = time.Now()
				if _, err := a.SolveHorizonPart(ctx, workflows.SolveHorizonPartInput{PlanRef: p, At: sp.At, Part: k, Parts: parts}); err != nil {
					b.Fatal(err)
				}
				longestS = max(longestS, time.Since(start).Seconds())
			}
			start = time.Now()
			m, err := a.MergeHorizon(ctx, workflows.MergeHorizonInput{PlanRef: p, At: sp.At, Parts: parts})
			if err != nil {
				b.Fatal(err)
			}
			mergeS, cost = time.Since(start).Seconds(), m.CostEUR
		}
		b.ReportMetric(float64(parts), "parts")
		b.ReportMetric(splitS, "split-s")
		b.ReportMetric(longestS, "longest-part-s")
		b.ReportMetric(mergeS, "merge-s")
		b.ReportMetric(splitS+longestS+mergeS, "path-s")
		if whole > 0 {
			b.ReportMetric(100*(cost-whole)/whole, "gap-%")
		}
	})
}

// maisonStore opens a SQLite store in a temporary directory (closed when
// b ends) with the sample network saved as "maison".
func maisonStore(b *testing.B) *store.Store {
	b.Helper()
	s, _ := storeWithNetwork(b, filepath.Join("..", "testdata", "networks", "maison.yaml"), "maison")
	return s
}
