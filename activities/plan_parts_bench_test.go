package activities

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/sillage/sillage/workflows"
)

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
