package workflows_test

import (
	"errors"
	"slices"
	"strings"
	"testing"
	"time"

	sdk "go.temporal.io/api/sdk/v1"
	"go.temporal.io/sdk/client"
	"go.temporal.io/sdk/temporal"
	"go.temporal.io/sdk/testsuite"
	"go.temporal.io/sdk/workflow"

	"github.com/sillage/sillage"
	"github.com/sillage/sillage/workflows"
)

// planOrders are the orders the fake's persist step returns: a purchase
// order above the threshold, one below, and a transfer.
func planOrders(planID string) []workflows.OrderRef {
	return []workflows.OrderRef{
		{OrderID: workflows.PurchaseOrderID(planID, "SUP-FLR", 1), PlanID: planID, Network: "tiny", Kind: sillage.OrderPurchase,
			Source: "SUP-FLR", Site: "DC-PAR", ValueEUR: 52000, KgCO2e: 40, Lines: 2, Units: 50, ApprovalThresholdEUR: 10000},
		{OrderID: workflows.PurchaseOrderID(planID, "SUP-FLR", 2), PlanID: planID, Network: "tiny", Kind: sillage.OrderPurchase,
			Source: "SUP-FLR", Site: "BTQ-PAR", ValueEUR: 900, KgCO2e: 2, Lines: 1, Units: 15, ApprovalThresholdEUR: 10000},
		{OrderID: workflows.TransferOrderID(planID, "DC-PAR", "BTQ-LON"), PlanID: planID, Network: "tiny", Kind: sillage.OrderTransfer,
			Source: "DC-PAR", Site: "BTQ-LON", ValueEUR: 2400, KgCO2e: 5, Lines: 1, Units: 40, ApprovalThresholdEUR: 10000},
	}
}

func TestPlanWorkflowRunsStepsAndStartsOrders(t *testing.T) {
	var s testsuite.WorkflowTestSuite
	f := newFake()
	const planID = "tiny:20260301T060000"
	f.orders = planOrders(planID)
	env := newEnv(&s, f)
	env.SetDetachedChildWait(false) // the order workflows go on after the plan
	env.SetStartWorkflowOptions(client.StartWorkflowOptions{ID: workflows.PlanWorkflowID(planID)})
	env.ExecuteWorkflow(workflows.PlanWorkflowName, workflows.PlanInput{Network: "tiny", Reason: "test"})
	if err := env.GetWorkflowError(); err != nil {
		t.Fatal(err)
	}
	var sum workflows.PlanSummary
	if err := env.GetWorkflowResult(&sum); err != nil {
		t.Fatal(err)
	}
	for _, step := range []string{workflows.ActSnapshotStock, workflows.ActForecast, workflows.ActRoute, workflows.ActSolveHorizon,
		workflows.ActFootprints, workflows.ActPersistPlan} {
		if n := f.count(step); n != 1 {
			t.Errorf("%s ran %d times, want 1", step, n)
		}
	}
	if n := f.count(workflows.ActSolve); n != 0 {
		t.Errorf("the one-period Solve ran %d times in a new plan", n)
	}
	if sum.PlanID != planID || sum.Stage != workflows.StageDone || sum.Status != sillage.PlanOptimal || sum.CostEUR != 2345.5 ||
		sum.Weeks != 3 || sum.OrderLines != 2 || sum.Horizon == nil || sum.Horizon.LaterLines != 3 {
		t.Errorf("summary %+v", sum)
	}
	var started []string // by the batch's StartOrderWorkflows
	for id := range f.startsOf() {
		started = append(started, id)
	}
	slices.Sort(started)
	wantIDs := []string{f.orders[0].OrderID, f.orders[1].OrderID, f.orders[2].OrderID}
	slices.Sort(wantIDs)
	if !slices.Equal(started, wantIDs) {
		t.Errorf("order workflows started %v, want %v", started, wantIDs)
	}
	if len(sum.Orders) != 3 {
		t.Fatalf("summary has %d orders, want 3", len(sum.Orders))
	}
	// Each order reported its first status before the plan finished.
	want := []sillage.OrderStatus{sillage.OrderAwaitingApproval, sillage.OrderCreated, sillage.OrderCreated}
	for i, o := range sum.Orders {
		if o.Status != want[i] {
			t.Errorf("order %s: status %s, want %s", o.OrderID, o.Status, want[i])
		}
	}
	if sum.PurchaseEUR != 52900 || sum.TransferEUR != 2400 {
		t.Errorf("purchases %v, transfers %v", sum.PurchaseEUR, sum.TransferEUR)
	}
	var q workflows.PlanSummary
	if err := query(env, workflows.QueryPlan, &q); err != nil {
		t.Fatal(err)
	}
	if q.PlanID != planID || len(q.Orders) != 3 {
		t.Errorf("plan query: %+v", q)
	}
	// The plan held its network's lease from before the snapshot until its
	// orders were created.
	if want := []string{"acquire " + planID, "release " + planID}; !slices.Equal(f.leaseLog, want) {
		t.Errorf("lease calls %v, want %v", f.leaseLog, want)
	}
	if i, j := slices.Index(f.calls, workflows.ActAcquirePlanLease), slices.Index(f.calls, workflows.ActSnapshotStock); i < 0 || i > j {
		t.Errorf("lease acquired at call %d, snapshot at %d: want the lease first", i, j)
	}
	// The orders were created and held in a batch before the lease went
	// back.
	if i, j := slices.Index(f.calls, workflows.ActReleasePlanLease), lastIndex(f.calls, workflows.ActCreatePlanOrders); j < 0 || i < j {
		t.Errorf("lease released at call %d, orders created and held at %d: want the orders first", i, j)
	}
	if sum.OrderCount != 3 || sum.OrdersHeld != 3 || sum.OrdersStarted != 3 || sum.OrdersReported != 3 || sum.OrderBatches != 1 {
		t.Errorf("order progress: %d orders, %d held, %d started, %d reported, %d batches; want 3, 3, 3, 3, 1",
			sum.OrderCount, sum.OrdersHeld, sum.OrdersStarted, sum.OrdersReported, sum.OrderBatches)
	}
}

func lastIndex(s []string, v string) int {
	for i := len(s) - 1; i >= 0; i-- {
		if s[i] == v {
			return i
		}
	}
	return -1
}

// TestPlanWorkflowWaitsForTheLease: while another plan of the network
// holds the lease, the plan waits (stage waiting, the holder named), then
// runs; after LeaseWaitMax it gives up with ErrTypePlanBusy.
func TestPlanWorkflowWaitsForTheLease(t *testing.T) {
	var s testsuite.WorkflowTestSuite
	f := newFake()
	f.leaseBusy = 3
	env := newEnv(&s, f)
	var during workflows.PlanSummary
	env.RegisterDelayedCallback(func() {
		if err := query(env, workflows.QueryPlan, &during); err != nil {
			t.Errorf("plan query while waiting: %v", err)
		}
	}, 2*time.Second)
	env.ExecuteWorkflow(workflows.PlanWorkflowName, workflows.PlanInput{Network: "tiny", PlanID: "tiny:w"})
	var sum workflows.PlanSummary
	if err := env.GetWorkflowResult(&sum); err != nil {
		t.Fatal(err)
	}
	if during.Stage != workflows.StageWaiting || during.WaitedFor != "other-plan" || f.count(workflows.ActSnapshotStock) != 1 {
		t.Errorf("while waiting: stage %s, waiting for %q", during.Stage, during.WaitedFor)
	}
	if n := f.count(workflows.ActAcquirePlanLease); n != 4 || sum.Stage != workflows.StageDone || sum.WaitedFor != "other-plan" {
		t.Errorf("%d lease requests, summary stage %s waited for %q: want 4, done, other-plan", n, sum.Stage, sum.WaitedFor)
	}

	f = newFake()
	f.leaseBusy = 1 << 20
	env = newEnv(&s, f)
	env.ExecuteWorkflow(workflows.PlanWorkflowName, workflows.PlanInput{Network: "tiny", PlanID: "tiny:w2"})
	var app *temporal.ApplicationError
	if err := env.GetWorkflowError(); !errors.As(err, &app) || app.Type() != workflows.ErrTypePlanBusy || !strings.Contains(app.Message(), "other-plan") {
		t.Fatalf("error %v, want %s naming the plan it waited for", err, workflows.ErrTypePlanBusy)
	}
	if n := f.count(workflows.ActSnapshotStock); n != 0 {
		t.Errorf("a plan that never got the lease read the stock")
	}
}

func TestPlanWorkflowWaitsForOrdersWhenAsked(t *testing.T) {
	var s testsuite.WorkflowTestSuite
	f := newFake()
	const planID = "tiny:20260301T070000"
	f.orders = planOrders(planID)[2:] // the transfer only
	f.orders[0].OrderID = workflows.TransferOrderID(planID, "DC-PAR", "BTQ-LON")
	f.orderEnd = sillage.OrderCancelled // after its first report
	env := newEnv(&s, f)
	env.ExecuteWorkflow(workflows.PlanWorkflowName, workflows.PlanInput{Network: "tiny", PlanID: planID,
		Options: workflows.PlanOptions{WaitForOrders: true, Timings: workflows.OrderTimings{MaxSends: 2}}})
	var sum workflows.PlanSummary
	if err := env.GetWorkflowResult(&sum); err != nil {
		t.Fatal(err)
	}
	// The transfer ends cancelled, and the plan, which waited for it,
	// reports that.
	if len(sum.Orders) != 1 || !sum.Orders[0].Done || sum.Orders[0].Status != sillage.OrderCancelled {
		t.Errorf("orders %+v, want the transfer done and cancelled", sum.Orders)
	}
	// The lease went back once the transfer held its units, before its
	// workflow started.
	if i, j := slices.Index(f.calls, workflows.ActReleasePlanLease), slices.Index(f.calls, workflows.ActStartOrderWorkflows); i < 0 || j < 0 || i > j {
		t.Errorf("lease released at call %d, the transfer's workflow started at %d: want the lease first", i, j)
	}
}

func TestPlanWorkflowInfeasibleIsNonRetryable(t *testing.T) {
	var s testsuite.WorkflowTestSuite
	f := newFake()
	f.solveErr = infeasible
	env := newEnv(&s, f)
	env.ExecuteWorkflow(workflows.PlanWorkflowName, workflows.PlanInput{Network: "tiny", PlanID: "tiny:x"})
	err := env.GetWorkflowError()
	var app *temporal.ApplicationError
	if !errors.As(err, &app) || app.Type() != workflows.ErrTypeInfeasible || !app.NonRetryable() {
		t.Fatalf("error %v, want a non-retryable %s application error", err, workflows.ErrTypeInfeasible)
	}
	if !strings.Contains(app.Message(), "supplier SUP-FLR can make 50 units") || !strings.Contains(app.Message(), "solve step") {
		t.Errorf("message %q does not say what failed and why", app.Message())
	}
	if n := f.count(workflows.ActSolveHorizon); n != 1 {
		t.Errorf("solve ran %d times, want 1 (non-retryable)", n)
	}
	if n := f.count(workflows.ActPersistPlan); n != 0 {
		t.Errorf("an infeasible plan was persisted")
	}
	if want := []string{"acquire tiny:x", "release tiny:x"}; !slices.Equal(f.leaseLog, want) {
		t.Errorf("lease calls %v, want %v: a failed plan gives its lease back", f.leaseLog, want)
	}
}

// TestPlanWorkflowDetailsShowTheHorizon: a time-phased plan's details
// show the projected inventory of each distribution centre and product
// class by week, the binding capacities and the serve costs, all as the
// solve step gave them.
func TestPlanWorkflowDetailsShowTheHorizon(t *testing.T) {
	var s testsuite.WorkflowTestSuite
	f := newFake()
	env := newEnv(&s, f)
	env.ExecuteWorkflow(workflows.PlanWorkflowName, workflows.PlanInput{Network: "tiny", PlanID: "tiny:x"})
	if err := env.GetWorkflowError(); err != nil {
		t.Fatal(err)
	}
	var meta sdk.WorkflowMetadata
	if err := query(env, "__temporal_workflow_metadata", &meta); err != nil {
		t.Fatal(err)
	}
	details := meta.GetCurrentDetails()
	for _, want := range []string{
		"week-0 integers optimal by cbc, gap 0.40 %",
		"lost margin 2,000.00 EUR",
		"5 over the horizon, 2 released this week (orders)",
		"### Projected inventory at distribution centres",
		"| DC | Class | W0 | W1 | W2 |",
		"| DC-PAR | leather | 40 | 25 | 12 |",
		"| lane | `SUP-FLR>DC-PAR:air` |  | W1 | 1.25 EUR/kg |",
		"| BTQ-LON | BAG-01 | W0 | 1,200.00 EUR/unit |",
		"3 lines released after this week are stored with the plan",
	} {
		if !strings.Contains(details, want) {
			t.Errorf("details lack %q:\n%s", want, details)
		}
	}
}

// TestPlanWorkflowBeforeTheTimePhasedModel: a plan that started before
// the time-phased model (GetVersion's default) goes on with the
// one-period Solve.
func TestPlanWorkflowBeforeTheTimePhasedModel(t *testing.T) {
	var s testsuite.WorkflowTestSuite
	f := newFake()
	env := newEnv(&s, f)
	env.OnGetVersion("time-phased-plan", workflow.DefaultVersion, 1).Return(workflow.DefaultVersion)
	env.ExecuteWorkflow(workflows.PlanWorkflowName, workflows.PlanInput{Network: "tiny", PlanID: "tiny:x"})
	var sum workflows.PlanSummary
	if err := env.GetWorkflowResult(&sum); err != nil {
		t.Fatal(err)
	}
	if f.count(workflows.ActSolve) != 1 || f.count(workflows.ActSolveHorizon) != 0 {
		t.Errorf("calls %v: want Solve, not SolveHorizon", f.calls)
	}
	if sum.CostEUR != 1234.5 || sum.Weeks != 0 || sum.Horizon != nil || len(sum.Binding) != 1 {
		t.Errorf("summary %+v", sum)
	}
}

func TestPlanWorkflowNeedsNetwork(t *testing.T) {
	var s testsuite.WorkflowTestSuite
	env := newEnv(&s, newFake())
	env.ExecuteWorkflow(workflows.PlanWorkflowName, workflows.PlanInput{})
	var app *temporal.ApplicationError
	if err := env.GetWorkflowError(); !errors.As(err, &app) || app.Type() != workflows.ErrTypeInvalid {
		t.Fatalf("error %v, want an Invalid application error", err)
	}
}

func TestReportWorkflowDefaultsToLastMonth(t *testing.T) {
	var s testsuite.WorkflowTestSuite
	f := newFake()
	env := newEnv(&s, f)
	env.SetStartTime(mustTime("2026-04-01T03:00:00Z"))
	env.ExecuteWorkflow(workflows.ReportWorkflowName, workflows.ReportInput{Network: "tiny"})
	var res workflows.ReportResult
	if err := env.GetWorkflowResult(&res); err != nil {
		t.Fatal(err)
	}
	if res.Period != "2026-03" {
		t.Errorf("period %q, want 2026-03", res.Period)
	}
}

func TestReportWorkflowBadPeriod(t *testing.T) {
	var s testsuite.WorkflowTestSuite
	env := newEnv(&s, newFake())
	env.ExecuteWorkflow(workflows.ReportWorkflowName, workflows.ReportInput{Network: "tiny", Period: "March"})
	if err := env.GetWorkflowError(); err == nil || !strings.Contains(err.Error(), "want YYYY-MM") {
		t.Fatalf("error %v, want a readable period error", err)
	}
}
