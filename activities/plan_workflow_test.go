package activities

import (
	"context"
	"log/slog"
	"math"
	"testing"

	"go.temporal.io/sdk/client"
	tlog "go.temporal.io/sdk/log"
	"go.temporal.io/sdk/testsuite"

	"github.com/sillage/sillage/optimize/timephased"
	"github.com/sillage/sillage/store"
	"github.com/sillage/sillage/workflows"
)

// TestPlanWorkflowOrdersWeekZeroOnly runs the PlanWorkflow in the SDK's
// test environment with the real plan activities over SQLite and the tiny
// network (the order workflows' starts are faked): the whole horizon is stored,
// and the orders are exactly the week-0 releases of the stored horizon,
// summed by source, site and product, in whole units; the lines released
// later (on tiny, purchases from SUP-FLR from week 3 on) make no order.
func TestPlanWorkflowOrdersWeekZeroOnly(t *testing.T) {
	st, _ := seeded(t)
	a := newActivities(st)
	var suite testsuite.WorkflowTestSuite
	suite.SetLogger(tlog.NewStructuredLogger(slog.New(slog.DiscardHandler)))
	env := suite.NewTestWorkflowEnvironment()
	workflows.Register(env)
	workflows.RegisterActivities(env, a)
	starter := &envStarter{env: env} // orders_start_test.go
	a.Starter = starter
	const planID = "tiny:20260302T060000"
	env.SetStartWorkflowOptions(client.StartWorkflowOptions{ID: workflows.PlanWorkflowID(planID)})
	env.ExecuteWorkflow(workflows.PlanWorkflowName, workflows.PlanInput{Network: "tiny", Reason: "test"})
	var sum workflows.PlanSummary
	if err := env.GetWorkflowResult(&sum); err != nil {
		t.Fatal(err)
	}

	ctx := context.Background()
	h, err := st.LoadPlanHorizon(ctx, planID)
	if err != nil {
		t.Fatal(err)
	}
	// What the orders must be, from the stored horizon alone.
	type key struct{ source, site, sku string }
	want := map[key]float64{}
	later := 0
	for _, l := range h.Lines {
		if l.ReleaseWeek > 0 {
			later++
			continue
		}
		if !l.Integer || l.Quantity != math.Trunc(l.Quantity) {
			t.Errorf("week-0 line %+v is not a whole integer quantity", l)
		}
		want[key{l.Source, l.Site, l.SKU}] += l.Quantity
	}
	if h.Weeks != 13 || later == 0 || len(want) == 0 || len(h.Projected) == 0 || len(h.ServeCost) == 0 {
		t.Fatalf("stored horizon: %d weeks, %d later lines, %d week-0 keys, %d projected, %d serve costs",
			h.Weeks, later, len(want), len(h.Projected), len(h.ServeCost))
	}
	orders, err := st.ListOrders(ctx, store.OrderFilter{PlanID: planID})
	if err != nil {
		t.Fatal(err)
	}
	got := map[key]float64{}
	for _, o := range orders {
		for _, l := range o.Lines {
			if l.Quantity != math.Trunc(l.Quantity) {
				t.Errorf("order %s line %+v: not a whole quantity", o.ID, l)
			}
			got[key{o.Source, o.Site, l.SKU}] += l.Quantity
		}
	}
	if len(got) != len(want) {
		t.Errorf("orders cover %v, want the week-0 releases %v", got, want)
	}
	for k, q := range want {
		if got[k] != q {
			t.Errorf("%v: ordered %v, week-0 releases %v", k, got[k], q)
		}
	}
	if started := starter.started; len(started) != len(orders) || len(sum.Orders) != len(orders) {
		t.Errorf("%d order workflows started, %d in the summary, %d orders stored", len(started), len(sum.Orders), len(orders))
	}
	if sum.Weeks != 13 || sum.Lines != len(h.Lines) || sum.Horizon == nil || sum.Horizon.LaterLines != later || sum.MIP == nil {
		t.Errorf("summary: weeks %d, lines %d of %d, horizon %+v", sum.Weeks, sum.Lines, len(h.Lines), sum.Horizon)
	}
	// The digest's DC stock is the stored projection summed by class.
	class := map[string]string{"BAG-01": "leather", "EDP-01": "fragrance"}
	for _, c := range sum.Horizon.Stock {
		for w := range h.Weeks {
			total := 0.0
			for _, p := range h.Projected {
				if p.Site == c.Site && class[p.SKU] == c.Class && p.Week == w {
					total += p.OnHand
				}
			}
			if math.Abs(total-c.OnHand[w]) > 1e-9 {
				t.Errorf("%s %s week %d: digest %v, stored %v", c.Site, c.Class, w, c.OnHand[w], total)
			}
		}
	}
}

// countingOptimizer counts the time-phased solves.
type countingOptimizer struct {
	LocalOptimizer
	solves *int
}

func (c countingOptimizer) SolveHorizon(ctx context.Context, in *timephased.Input) (*timephased.Result, error) {
	*c.solves++
	return c.LocalOptimizer.SolveHorizon(ctx, in)
}

// TestPlanStepsOnOtherWorkers: each step runs on its own worker (a fresh
// Activities over the same store), the solve step twice (a retry after a
// lost completion). The plan is solved once; the retry is summarised from
// the store with the same figures, and the later steps find the plan there.
func TestPlanStepsOnOtherWorkers(t *testing.T) {
	st, _ := seeded(t)
	ctx := context.Background()
	solves := 0
	worker := func() *Activities {
		a := newActivities(st)
		a.Optimizer = countingOptimizer{solves: &solves}
		return a
	}
	in := workflows.PlanRef{PlanID: "tiny:w", Network: "tiny"}
	first, err := worker().SolveHorizon(ctx, workflows.SolveHorizonInput{PlanRef: in})
	if err != nil {
		t.Fatal(err)
	}
	again, err := worker().SolveHorizon(ctx, workflows.SolveHorizonInput{PlanRef: in})
	if err != nil {
		t.Fatal(err)
	}
	if solves != 1 {
		t.Errorf("solved %d times, want once", solves)
	}
	if again.CostEUR != first.CostEUR || again.Lines != first.Lines || again.OrderLines != first.OrderLines ||
		math.Abs(again.KgCO2e-first.KgCO2e) > 1e-9 || again.Horizon.LaterLines != first.Horizon.LaterLines {
		t.Errorf("retry summary %+v, first %+v", again.PlanFigures, first.PlanFigures)
	}
	fp, err := worker().Footprints(ctx, workflows.FootprintsInput{PlanRef: in})
	if err != nil || fp.Footprints == 0 {
		t.Fatalf("footprints on another worker: %+v, %v", fp, err)
	}
	res, err := worker().PersistPlan(ctx, workflows.PersistPlanInput{PlanRef: in})
	if err != nil || len(res.Orders) == 0 {
		t.Fatalf("persist on another worker: %+v, %v", res, err)
	}
	if solves != 1 {
		t.Errorf("solved %d times after the later steps, want once", solves)
	}
}

// TestOnePeriodPlanSteps: a PlanWorkflow from before the time-phased
// model runs Solve (one-period LP), which stores the plan; the later steps
// take it from the store. A plan whose Solve ran on a worker that kept it
// in memory (none stored) is solved again by the persist step.
func TestOnePeriodPlanSteps(t *testing.T) {
	st, _ := seeded(t)
	ctx := context.Background()
	in := workflows.PlanRef{PlanID: "tiny:old", Network: "tiny"}
	sol, err := newActivities(st).Solve(ctx, workflows.SolveInput{PlanRef: in})
	if err != nil || sol.Weeks != 0 || sol.MIP != nil || sol.Lines == 0 {
		t.Fatalf("one-period solve %+v, %v", sol.PlanFigures, err)
	}
	p, err := st.LoadPlan(ctx, in.PlanID)
	if err != nil || len(p.Lines) != sol.Lines {
		t.Fatalf("stored plan: %v lines, %v; want %d", len(p.Lines), err, sol.Lines)
	}
	if _, err := st.LoadPlanHorizon(ctx, in.PlanID); err == nil {
		t.Error("a one-period plan has a stored horizon")
	}
	res, err := newActivities(st).PersistPlan(ctx, workflows.PersistPlanInput{PlanRef: in})
	if err != nil || len(res.Orders) == 0 {
		t.Fatalf("persist: %+v, %v", res, err)
	}
	lost := workflows.PlanRef{PlanID: "tiny:lost", Network: "tiny"}
	res, err = newActivities(st).PersistPlan(ctx, workflows.PersistPlanInput{PlanRef: lost})
	if err != nil || len(res.Orders) == 0 {
		t.Fatalf("persist of a plan solved in memory: %+v, %v", res, err)
	}
}
