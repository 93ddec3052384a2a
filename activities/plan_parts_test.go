package activities

import (
	"context"
	"errors"
	"log/slog"
	"math"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/mock"
	"go.temporal.io/sdk/activity"
	"go.temporal.io/sdk/client"
	"go.temporal.io/sdk/converter"
	tlog "go.temporal.io/sdk/log"
	"go.temporal.io/sdk/temporal"
	"go.temporal.io/sdk/testsuite"
	"go.temporal.io/sdk/workflow"

	"github.com/sillage/sillage"
	"github.com/sillage/sillage/optimize/timephased"
	"github.com/sillage/sillage/workflows"
)

// TestHorizonPartsMatchMonolithic runs the PlanWorkflow with the real plan
// activities over SQLite on the tiny network with one product per part
// (PlanPartProducts 1: two parts, BAG-01 and EDP-01), the order
// workflows mocked, and checks what it stored against two independent
// computations on the same input (HorizonInput at the plan's time):
//
//   - timephased.PlanSplit, the parts as goroutines in this process:
//     the stored horizon has exactly its lines;
//   - timephased.Plan, one monolithic solve: the stored plan's cost is
//     within 1 % of it (the parts share tiny's storage and lane
//     capacities, apportioned; the MIP's default gap is 1 %), and never
//     below the monolithic LP bound. With the capacities removed the
//     parts share nothing (Part.Shared 0): the cost and the LP bound are
//     the monolithic plan's, and so are the units delivered and lost at
//     every site, product by product.
//
// The workflow ran SplitHorizon once, SolveHorizonPart once per part and
// MergeHorizon once, not SolveHorizon; the parts' rows are deleted after
// the merge.
func TestHorizonPartsMatchMonolithic(t *testing.T) {
	for _, free := range []bool{false, true} {
		name := map[bool]string{false: "shared capacities", true: "no capacity"}[free]
		t.Run(name, func(t *testing.T) {
			st, n := seeded(t)
			ctx := context.Background()
			network := "tiny"
			if free {
				network = "tiny-free"
				for i := range n.Sites {
					n.Sites[i].CapacityUnits = 0
				}
				for i := range n.Lanes {
					n.Lanes[i].CapacityKG = 0
				}
				n.Name = network
				if _, err := st.SaveNetwork(ctx, network, n); err != nil {
					t.Fatal(err)
				}
			}
			at := time.Date(2026, 3, 2, 6, 0, 0, 0, time.UTC)
			// The same input, planned in this process, read before the plan
			// (its orders hold stock and are open arrivals).
			nn, err := newActivities(st).loadNetwork(ctx, network)
			if err != nil {
				t.Fatal(err)
			}
			open, err := st.OpenArrivals(ctx, network)
			if err != nil {
				t.Fatal(err)
			}
			tin, err := HorizonInput(ctx, nn, nn.Policy.CarbonPriceEURPerT, open, at)
			if err != nil {
				t.Fatal(err)
			}
			a := newActivities(st)
			a.PlanPartProducts = 1
			a.now = func() time.Time { return at }
			calls := map[string]int{}
			var mu sync.Mutex
			var suite testsuite.WorkflowTestSuite
			suite.SetLogger(tlog.NewStructuredLogger(slog.New(slog.DiscardHandler)))
			env := suite.NewTestWorkflowEnvironment()
			workflows.Register(env)
			workflows.RegisterActivities(env, a)
			env.SetOnActivityStartedListener(func(info *activity.Info, _ context.Context, _ converter.EncodedValues) {
				mu.Lock()
				calls[info.ActivityType.Name]++
				mu.Unlock()
			})
			for _, wf := range []string{workflows.ProcurementWorkflowName, workflows.TransferWorkflowName} {
				env.OnWorkflow(wf, mock.Anything, mock.Anything).Return(func(_ workflow.Context, in workflows.OrderInput) (workflows.OrderResult, error) {
					return workflows.OrderResult{OrderID: in.OrderID, Status: sillage.OrderCreated}, nil
				})
			}
			planID := network + ":20260302T060000"
			env.SetStartWorkflowOptions(client.StartWorkflowOptions{ID: workflows.PlanWorkflowID(planID)})
			env.ExecuteWorkflow(workflows.PlanWorkflowName, workflows.PlanInput{Network: network})
			var sum workflows.PlanSummary
			if err := env.GetWorkflowResult(&sum); err != nil {
				t.Fatal(err)
			}
			for act, want := range map[string]int{workflows.ActSplitHorizon: 1, workflows.ActSolveHorizonPart: 2,
				workflows.ActMergeHorizon: 1, workflows.ActSolveHorizon: 0} {
				if calls[act] != want {
					t.Errorf("%s ran %d times, want %d", act, calls[act], want)
				}
			}
			if sum.Parts != 2 || sum.PartsSolved != 2 {
				t.Errorf("summary: %d parts, %d solved; want 2, 2", sum.Parts, sum.PartsSolved)
			}
			h, err := st.LoadPlanHorizon(ctx, planID)
			if err != nil {
				t.Fatal(err)
			}
			p, err := st.LoadPlan(ctx, planID)
			if err != nil {
				t.Fatal(err)
			}
			if _, err := st.LoadPlanSplit(ctx, planID); err == nil {
				t.Error("the parts are still stored after the merge")
			}

			split, parts, err := timephased.PlanSplit(tin, timephased.Options{}, timephased.SplitOptions{Parts: 2})
			if err != nil {
				t.Fatal(err)
			}
			mono, err := timephased.Plan(tin, timephased.Options{})
			if err != nil {
				t.Fatal(err)
			}
			want := split.Horizon()
			if !slices.Equal(h.Lines, want.Lines) {
				t.Errorf("stored lines differ from PlanSplit's:\n got %+v\nwant %+v", h.Lines, want.Lines)
			}
			if math.Abs(p.CostEUR-split.Totals.ObjectiveEUR) > 1e-6 {
				t.Errorf("stored cost %.4f EUR, PlanSplit %.4f", p.CostEUR, split.Totals.ObjectiveEUR)
			}
			shared := 0
			for _, pt := range parts {
				shared += pt.Shared
			}
			if free != (shared == 0) {
				t.Fatalf("%d apportioned capacities over %d parts", shared, len(parts))
			}
			if gap := (p.CostEUR - mono.Totals.ObjectiveEUR) / mono.Totals.ObjectiveEUR; math.Abs(gap) > 0.01 || p.CostEUR < mono.LPObjectiveEUR-1e-6 {
				t.Errorf("split plan %.2f EUR, monolithic %.2f (gap %+.3f %%), monolithic LP bound %.2f",
					p.CostEUR, mono.Totals.ObjectiveEUR, 100*gap, mono.LPObjectiveEUR)
			}
			t.Logf("%s: split %.2f EUR, monolithic %.2f EUR, %d shared capacities", name, p.CostEUR, mono.Totals.ObjectiveEUR, shared)
			if free {
				// The parts share nothing: the same LP optimum; solved to
				// a proven integer optimum (gap 0; the stored plans stop
				// within the 1 % default gap, so two of them may differ by
				// that much), the same integer optimum, and for every
				// product and site the same units delivered and lost over
				// the horizon (the lines may differ between optima of equal
				// cost, such as when a DC's stock moves to a boutique).
				if rel := math.Abs(split.LPObjectiveEUR-mono.LPObjectiveEUR) / mono.LPObjectiveEUR; rel > 1e-6 {
					t.Errorf("exact split: LP %.6f EUR, monolithic LP %.6f", split.LPObjectiveEUR, mono.LPObjectiveEUR)
				}
				exact := timephased.Options{Gap: -1}
				splitX, _, err := timephased.PlanSplit(tin, exact, timephased.SplitOptions{Parts: 2})
				if err != nil {
					t.Fatal(err)
				}
				monoX, err := timephased.Plan(tin, exact)
				if err != nil {
					t.Fatal(err)
				}
				if rel := math.Abs(splitX.Totals.ObjectiveEUR-monoX.Totals.ObjectiveEUR) / monoX.Totals.ObjectiveEUR; rel > 1e-6 {
					t.Errorf("exact split: %.6f EUR, monolithic %.6f (gap 0)", splitX.Totals.ObjectiveEUR, monoX.Totals.ObjectiveEUR)
				}
				// Deliveries are not compared: the later weeks are
				// continuous, and a fraction of a unit can go to a DC in
				// one optimum and not in another of the same cost.
				hx := splitX.Horizon()
				got, want := flows(hx.Lines, hx.Projected), flows(monoX.Horizon().Lines, monoX.Horizon().Projected)
				for k := range mergeKeys(got, want) {
					if g, w := got[k][1], want[k][1]; math.Abs(g-w) > 1e-4 {
						t.Errorf("%v: split loses %.4f units, monolithic %.4f", k, g, w)
					}
				}
			}
		})
	}
}

// flows sums, per site and product, the units the lines deliver and the
// units lost over the horizon.
func flows(lines []sillage.HorizonLine, proj []sillage.ProjectedStock) map[[2]string][2]float64 {
	out := map[[2]string][2]float64{}
	for _, l := range lines {
		k := [2]string{l.Site, l.SKU}
		v := out[k]
		v[0] += l.Quantity
		out[k] = v
	}
	for _, p := range proj {
		k := [2]string{p.Site, p.SKU}
		v := out[k]
		v[1] += p.Lost
		out[k] = v
	}
	return out
}

// TestHorizonPartsOnOtherWorkers: each step of a split plan runs on its
// own worker (a fresh Activities over the same store), and each part and
// the merge twice (retries after a lost completion). Each part is solved
// once: the retry is summarised from its stored result. The merge stores
// the plan and deletes the parts; its retry summarises the stored plan
// with the same figures. A part asked for outside the split, or of a plan
// never split, fails without retries.
func TestHorizonPartsOnOtherWorkers(t *testing.T) {
	st, _ := seeded(t)
	ctx := context.Background()
	at := time.Date(2026, 3, 2, 6, 0, 0, 0, time.UTC)
	solves := 0
	worker := func() *Activities {
		a := newActivities(st)
		a.Optimizer = countingOptimizer{solves: &solves}
		a.PlanPartProducts = 1
		a.now = func() time.Time { return at }
		return a
	}
	ref := workflows.PlanRef{PlanID: "tiny:w", Network: "tiny"}
	split, err := worker().SplitHorizon(ctx, workflows.SplitHorizonInput{PlanRef: ref})
	if err != nil {
		t.Fatal(err)
	}
	if !split.At.Equal(at) || len(split.Parts) != 2 || split.Parts[0].Products != 1 || split.Parts[1].Products != 1 ||
		split.Parts[0].Shared == 0 {
		t.Fatalf("split %+v: want two parts of one product at %s, sharing tiny's capacities", split, at)
	}
	n := len(split.Parts)
	for k := range n {
		in := workflows.SolveHorizonPartInput{PlanRef: ref, At: split.At, Part: k, Parts: n}
		first, err := worker().SolveHorizonPart(ctx, in)
		if err != nil {
			t.Fatal(err)
		}
		again, err := worker().SolveHorizonPart(ctx, in)
		if err != nil {
			t.Fatal(err)
		}
		if first != again || first.Part != k || first.Lines == 0 {
			t.Errorf("part %d: first %+v, retry %+v", k, first, again)
		}
	}
	if solves != n {
		t.Errorf("solved %d times for %d parts, want once each", solves, n)
	}
	merge := workflows.MergeHorizonInput{PlanRef: ref, At: split.At, Parts: n}
	first, err := worker().MergeHorizon(ctx, merge)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := st.LoadPlanSplit(ctx, ref.PlanID); err == nil {
		t.Error("parts still stored after the merge")
	}
	again, err := worker().MergeHorizon(ctx, merge)
	if err != nil {
		t.Fatal(err)
	}
	if again.CostEUR != first.CostEUR || again.Lines != first.Lines || again.OrderLines != first.OrderLines || first.Lines == 0 ||
		math.Abs(again.KgCO2e-first.KgCO2e) > 1e-9 || again.Horizon.LaterLines != first.Horizon.LaterLines {
		t.Errorf("merge retry %+v, first %+v", again.PlanFigures, first.PlanFigures)
	}
	if p, err := st.LoadPlan(ctx, ref.PlanID); err != nil || !p.CreatedAt.Equal(at) {
		t.Errorf("stored plan: %v; want it made at %s", err, at)
	}
	// Once the horizon is stored, a new split says "whole".
	if s, err := worker().SplitHorizon(ctx, workflows.SplitHorizonInput{PlanRef: ref}); err != nil || len(s.Parts) != 1 {
		t.Errorf("split of a stored plan: %+v, %v; want one part", s, err)
	}
	for _, in := range []workflows.SolveHorizonPartInput{
		{PlanRef: ref, At: at, Part: 2, Parts: 2},
		{PlanRef: workflows.PlanRef{PlanID: "tiny:never-split", Network: "tiny"}, At: at, Part: 0, Parts: 2},
	} {
		_, err := worker().SolveHorizonPart(ctx, in)
		var app *temporal.ApplicationError
		if !errors.As(err, &app) || !app.NonRetryable() {
			t.Errorf("part %+v: %v, want a non-retryable error", in, err)
		}
	}
	if solves != n {
		t.Errorf("solved %d times in all, want %d", solves, n)
	}
}

// mergeKeys returns the keys of a and b.
func mergeKeys[V any](a, b map[[2]string]V) map[[2]string]bool {
	out := map[[2]string]bool{}
	for k := range a {
		out[k] = true
	}
	for k := range b {
		out[k] = true
	}
	return out
}
