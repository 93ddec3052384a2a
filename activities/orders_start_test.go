package activities

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"sync"
	"testing"
	"time"

	"go.temporal.io/api/serviceerror"
	"go.temporal.io/sdk/testsuite"

	"github.com/sillage/sillage"
	"github.com/sillage/sillage/internal/temporaltest"
	"github.com/sillage/sillage/workflows"
)

// fakeStarter answers StartOrderWorkflow from a table by order id
// (default: started now) and records every call.
type fakeStarter struct {
	mu       sync.Mutex
	outcomes map[string]OrderStart
	errs     map[string]error
	calls    []workflows.OrderInput
	by       []string
}

func (f *fakeStarter) StartOrderWorkflow(ctx context.Context, in workflows.OrderInput, startedBy string) (OrderStart, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.calls = append(f.calls, in)
	f.by = append(f.by, startedBy)
	return f.outcomes[in.OrderID], f.errs[in.OrderID]
}

// storePlanOrders stores n transfers of plan p (DC-PAR to BTQ-000..),
// as CreatePlanOrders would, and returns their ids in id order.
func storePlanOrders(t *testing.T, a *Activities, p string, n int) []string {
	t.Helper()
	var orders []sillage.Order
	var ids []string
	for i := range n {
		id := workflows.TransferOrderID(p, "DC-PAR", fmt.Sprintf("BTQ-%03d", i))
		orders = append(orders, sillage.Order{ID: id, PlanID: p, Kind: sillage.OrderTransfer, Source: "DC-PAR",
			Site: fmt.Sprintf("BTQ-%03d", i), Status: sillage.OrderCreated, ValueEUR: 100,
			Lines: []sillage.OrderLine{{SKU: "BAG-01", Quantity: 1, ValueEUR: 100}}})
		ids = append(ids, id)
	}
	if _, err := a.Store.SaveOrderBatch(context.Background(), orders, nil); err != nil {
		t.Fatal(err)
	}
	slices.Sort(ids)
	return ids
}

// TestStartOrderWorkflows: of a page of 4 of a plan's 10 stored orders,
// one was started before by the same batch run, one by something else,
// one is refused by the server; the result counts 2 started, 1 existing,
// 1 failed, and every start carries the order, held, reporting to the
// batch. A transient error fails the whole attempt (to be retried).
func TestStartOrderWorkflows(t *testing.T) {
	s, _ := seeded(t)
	a := newActivities(s)
	const plan = "tiny:20260301T060000"
	ids := storePlanOrders(t, a, plan, 10)
	page := ids[3:7]
	f := &fakeStarter{
		outcomes: map[string]OrderStart{page[1]: OrderStartedBefore, page[2]: OrderStartedElsewhere},
		errs:     map[string]error{page[3]: serviceerror.NewInvalidArgument("bad search attribute")},
	}
	a.Starter = f
	in := workflows.StartOrdersInput{PlanID: plan, Network: "tiny", Offset: 3, Limit: 4, ApprovalThresholdEUR: 5000,
		Timings: workflows.OrderTimings{MaxSends: 2}, ReportTo: "orders:" + plan + ":1", StartedBy: "orders:" + plan + ":1/run"}
	res, err := a.StartOrderWorkflows(context.Background(), in)
	if err != nil {
		t.Fatal(err)
	}
	if res.Started != 2 || !slices.Equal(res.Existing, []string{page[2]}) || len(res.Failed) != 1 || res.Failed[0].OrderID != page[3] {
		t.Errorf("result %+v, want 2 started, %s existing, %s failed", res, page[2], page[3])
	}
	var started []string
	for i, c := range f.calls {
		started = append(started, c.OrderID)
		if !c.Held || c.ReportTo != in.ReportTo || c.Timings != in.Timings || c.Kind != sillage.OrderTransfer ||
			c.ApprovalThresholdEUR != 5000 || c.Units != 1 || f.by[i] != in.StartedBy {
			t.Errorf("start of %s: %+v by %q", c.OrderID, c, f.by[i])
		}
	}
	slices.Sort(started)
	if !slices.Equal(started, page) {
		t.Errorf("started %v, want the page %v", started, page)
	}

	f.errs = map[string]error{page[0]: errors.New("frontend unavailable")}
	if _, err := a.StartOrderWorkflows(context.Background(), in); err == nil {
		t.Error("a transient start error did not fail the attempt")
	}
	a.Starter = nil
	if _, err := a.StartOrderWorkflows(context.Background(), in); err == nil {
		t.Error("no starter: no error")
	}
}

// TestTemporalStartOrderWorkflow starts an order workflow on a dev server
// (no worker runs it), then again with the same starter and with
// another: started now, started before, started elsewhere.
func TestTemporalStartOrderWorkflow(t *testing.T) {
	srv := temporaltest.Start(t)
	c := temporaltest.Client(t, srv)
	tc := &Temporal{Client: c}
	in := workflows.OrderInput{OrderRef: workflows.OrderRef{OrderID: workflows.TransferOrderID("tiny:20260301T060000", "DC-PAR", "BTQ-LON"),
		PlanID: "tiny:20260301T060000", Network: "tiny", Kind: sillage.OrderTransfer, Source: "DC-PAR", Site: "BTQ-LON", ValueEUR: 10},
		Held: true, ReportTo: "orders:tiny:20260301T060000:1"}
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	for _, step := range []struct {
		by   string
		want OrderStart
	}{{"batch/run-1", OrderStartedNow}, {"batch/run-1", OrderStartedBefore}, {"batch/run-2", OrderStartedElsewhere}} {
		got, err := tc.StartOrderWorkflow(ctx, in, step.by)
		if err != nil {
			t.Fatal(err)
		}
		if got != step.want {
			t.Errorf("start by %s: outcome %d, want %d", step.by, got, step.want)
		}
	}
	d, err := c.DescribeWorkflowExecution(ctx, in.OrderID, "")
	if err != nil {
		t.Fatal(err)
	}
	if tq := d.GetExecutionConfig().GetTaskQueue().GetName(); tq != workflows.TaskQueue || d.GetWorkflowExecutionInfo().GetType().GetName() != workflows.TransferWorkflowName {
		t.Errorf("started %s on %s", d.GetWorkflowExecutionInfo().GetType().GetName(), tq)
	}
}

// envStarter stands for the Temporal client in the SDK's test
// environment: it records each order workflow started and has it report
// "created" to its batch, as a started order does first.
type envStarter struct {
	env     *testsuite.TestWorkflowEnvironment
	mu      sync.Mutex
	started []string
}

func (s *envStarter) StartOrderWorkflow(ctx context.Context, in workflows.OrderInput, startedBy string) (OrderStart, error) {
	s.mu.Lock()
	s.started = append(s.started, in.OrderID)
	s.mu.Unlock()
	// In the environment's main loop, where signals are sent.
	s.env.RegisterDelayedCallback(func() {
		_ = s.env.SignalWorkflowByID(in.ReportTo, workflows.SignalOrderStatus,
			workflows.OrderStatusReport{OrderID: in.OrderID, Status: sillage.OrderCreated})
	}, 0)
	return OrderStartedNow, nil
}
