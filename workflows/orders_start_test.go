package workflows_test

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/mock"
	"go.temporal.io/sdk/client"
	tlog "go.temporal.io/sdk/log"
	"go.temporal.io/sdk/temporal"
	"go.temporal.io/sdk/testsuite"

	"github.com/sillage/sillage"
	"github.com/sillage/sillage/workflows"
)

// StartOrderWorkflows stands for the order workflows a batch starts: it
// records each start and has each order report to the batch what an
// order workflow reports first (TestOrderReportsToItsBatch checks the
// real workflows): awaiting approval for a purchase above its threshold,
// created for the others; with f.orderEnd, each then ends with that
// status.
func (f *fakeActivities) StartOrderWorkflows(ctx context.Context, in workflows.StartOrdersInput) (workflows.StartOrdersResult, error) {
	f.record(workflows.ActStartOrderWorkflows)
	f.mu.Lock()
	lo := min(in.Offset, len(f.orders))
	page := f.orders[lo:min(lo+in.Limit, len(f.orders))]
	var reports []workflows.OrderStatusReport
	var ends []workflows.OrderDoneReport
	for _, o := range page {
		f.starts = append(f.starts, workflows.OrderInput{OrderRef: o, Timings: in.Timings, Held: true, ReportTo: in.ReportTo})
		r := workflows.OrderStatusReport{OrderID: o.OrderID, Status: sillage.OrderCreated}
		if o.NeedsApproval() {
			r.Status = sillage.OrderAwaitingApproval
		}
		reports = append(reports, r)
		if f.orderEnd != "" {
			ends = append(ends, workflows.OrderDoneReport{OrderID: o.OrderID, Status: f.orderEnd})
		}
	}
	f.mu.Unlock()
	if f.env != nil {
		// In the test environment's main loop, as a signal must be sent.
		f.env.RegisterDelayedCallback(func() {
			for _, r := range reports {
				_ = f.env.SignalWorkflowByID(in.ReportTo, workflows.SignalOrderStatus, r)
			}
			for _, r := range ends {
				_ = f.env.SignalWorkflowByID(in.ReportTo, workflows.SignalOrderDone, r)
			}
		}, 0)
	}
	return workflows.StartOrdersResult{Started: len(page)}, nil
}

// startsOf counts the order workflows the fake started, by order id.
func (f *fakeActivities) startsOf() map[string]int {
	f.mu.Lock()
	defer f.mu.Unlock()
	n := map[string]int{}
	for _, s := range f.starts {
		n[s.OrderID]++
	}
	return n
}

// quietStarter starts the batch's orders with fixed outcomes and has none
// report: the test sends the reports.
type quietStarter struct {
	*fakeActivities
	res workflows.StartOrdersResult
	in  []workflows.StartOrdersInput
}

func (q *quietStarter) StartOrderWorkflows(ctx context.Context, in workflows.StartOrdersInput) (workflows.StartOrdersResult, error) {
	q.record(workflows.ActStartOrderWorkflows)
	q.in = append(q.in, in)
	return q.res, nil
}

// TestOrderBatchCountsReportsAndEnds runs one batch of 5 orders with
// WaitForOrders: order 3 already had a workflow started by something
// else, order 4 could not be started; 0, 1 and 2 report, 0 and 2 end
// (2 with an error) and 1 ends later. The batch waits for every end and
// counts by hand: 3 started, 3 reported, 5 done, 2 failed.
func TestOrderBatchCountsReportsAndEnds(t *testing.T) {
	var s testsuite.WorkflowTestSuite
	f := newFake()
	const planID = "tiny:20260301T060000"
	for i := range 5 {
		f.orders = append(f.orders, workflows.OrderRef{OrderID: workflows.TransferOrderID(planID, "DC-PAR", fmt.Sprintf("BTQ-%d", i)),
			PlanID: planID, Network: "tiny", Kind: sillage.OrderTransfer, Source: "DC-PAR", Site: fmt.Sprintf("BTQ-%d", i), ValueEUR: 10})
	}
	id := func(i int) string { return f.orders[i].OrderID }
	q := &quietStarter{fakeActivities: f, res: workflows.StartOrdersResult{Started: 3, Existing: []string{id(3)},
		Failed: []workflows.OrderStartFailure{{OrderID: id(4), Reason: "bad argument"}}}}
	s.SetLogger(tlog.NewStructuredLogger(slog.New(slog.DiscardHandler)))
	env := s.NewTestWorkflowEnvironment()
	workflows.Register(env)
	workflows.RegisterActivities(env, q)
	env.RegisterDelayedCallback(func() {
		env.SignalWorkflow(workflows.SignalOrderStatus, workflows.OrderStatusReport{OrderID: id(0), Status: sillage.OrderCreated})
		env.SignalWorkflow(workflows.SignalOrderStatus, workflows.OrderStatusReport{OrderID: id(1), Status: sillage.OrderCreated})
		env.SignalWorkflow(workflows.SignalOrderStatus, workflows.OrderStatusReport{OrderID: "to:unknown", Status: sillage.OrderCreated})
		env.SignalWorkflow(workflows.SignalOrderDone, workflows.OrderDoneReport{OrderID: id(0), Status: sillage.OrderClosed})
		env.SignalWorkflow(workflows.SignalOrderStatus, workflows.OrderStatusReport{OrderID: id(2), Status: sillage.OrderCreated})
		env.SignalWorkflow(workflows.SignalOrderDone, workflows.OrderDoneReport{OrderID: id(2), Error: "store down"})
	}, time.Minute)
	env.RegisterDelayedCallback(func() {
		// Order 1 has not ended: the batch still waits.
		if env.IsWorkflowCompleted() {
			t.Error("the batch finished before order 1 ended")
		}
		env.SignalWorkflow(workflows.SignalOrderDone, workflows.OrderDoneReport{OrderID: id(1), Status: sillage.OrderCancelled, Reason: "never acked"})
	}, time.Hour)
	batchID := workflows.OrderBatchWorkflowID(planID, 1)
	env.SetStartWorkflowOptions(client.StartWorkflowOptions{ID: batchID})
	env.ExecuteWorkflow(workflows.OrderBatchWorkflowName, workflows.OrderBatchInput{PlanID: planID, Network: "tiny", Batch: 1,
		Count: 5, WaitForOrders: true, List: 5})
	if err := env.GetWorkflowError(); err != nil {
		t.Fatal(err)
	}
	var res workflows.OrderBatchResult
	if err := env.GetWorkflowResult(&res); err != nil {
		t.Fatal(err)
	}
	if res.Orders != 5 || res.Started != 3 || res.Reported != 3 || res.Done != 5 || res.Failed != 2 {
		t.Errorf("progress %+v, want 5 orders, 3 started, 3 reported, 5 done, 2 failed", res.OrderBatchProgress)
	}
	want := []struct {
		status sillage.OrderStatus
		reason string
	}{{sillage.OrderClosed, ""}, {sillage.OrderCancelled, "never acked"}, {"failed", "store down"}, {sillage.OrderCreated, "order workflow already exists"}, {"failed", "bad argument"}}
	if len(res.Listed) != 5 {
		t.Fatalf("listed %d orders, want 5", len(res.Listed))
	}
	for i, w := range want {
		if o := res.Listed[i]; o.Status != w.status || o.Reason != w.reason || !o.Done {
			t.Errorf("order %d: %s %q done %v, want %s %q done", i, o.Status, o.Reason, o.Done, w.status, w.reason)
		}
	}
	if len(q.in) != 1 || q.in[0].ReportTo != batchID || q.in[0].Offset != 0 || q.in[0].Limit != 5 ||
		!strings.HasPrefix(q.in[0].StartedBy, batchID+"/") || len(q.in[0].StartedBy) == len(batchID)+1 {
		t.Errorf("StartOrderWorkflows inputs %+v", q.in)
	}
	if f.count(workflows.ActCreateOrder) != 0 {
		t.Error("the batch itself ran CreateOrder")
	}
}

// TestOrderReportsToItsBatch runs the real order workflows with ReportTo
// and checks what they tell their batch: a purchase above the threshold
// reports awaiting approval, then, rejected, its end; a transfer never
// acked reports created, then its end, cancelled. Each is signalled
// once.
func TestOrderReportsToItsBatch(t *testing.T) {
	const batch = "orders:tiny:20260301T060000:1"
	for _, tc := range []struct {
		name        string
		wf          string
		in          workflows.OrderInput
		reject      bool
		first, last sillage.OrderStatus
	}{
		{"purchase rejected", workflows.ProcurementWorkflowName, purchase(25000), true, sillage.OrderAwaitingApproval, sillage.OrderRejected},
		{"transfer never acked", workflows.TransferWorkflowName, transfer(), false, sillage.OrderCreated, sillage.OrderCancelled},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var s testsuite.WorkflowTestSuite
			f := newFake()
			env := newEnv(&s, f)
			in := tc.in
			in.ReportTo, in.Held = batch, true
			var mu sync.Mutex
			got := map[string]int{}
			env.OnSignalExternalWorkflow(mock.Anything, batch, "", workflows.SignalOrderStatus, mock.Anything).Return(
				func(_, _, _, _ string, arg any) error {
					r := arg.(workflows.OrderStatusReport)
					mu.Lock()
					defer mu.Unlock()
					got["status "+r.OrderID+" "+string(r.Status)]++
					return nil
				})
			env.OnSignalExternalWorkflow(mock.Anything, batch, "", workflows.SignalOrderDone, mock.Anything).Return(
				func(_, _, _, _ string, arg any) error {
					r := arg.(workflows.OrderDoneReport)
					mu.Lock()
					defer mu.Unlock()
					got["done "+r.OrderID+" "+string(r.Status)+" "+r.Error]++
					return nil
				})
			if tc.reject {
				env.RegisterDelayedCallback(func() { env.SignalWorkflow(workflows.SignalReject, "no budget") }, time.Hour)
			}
			res := runOrder(t, env, tc.wf, in)
			if res.Status != tc.last {
				t.Fatalf("result %+v, want %s", res, tc.last)
			}
			want := map[string]int{"status " + in.OrderID + " " + string(tc.first): 1, "done " + in.OrderID + " " + string(tc.last) + " ": 1}
			mu.Lock()
			defer mu.Unlock()
			if fmt.Sprint(got) != fmt.Sprint(want) {
				t.Errorf("signals to the batch %v, want %v", got, want)
			}
		})
	}
}

// TestOrderEndToAClosedBatchIsNoWarning: a batch that waited for its
// orders' first statuses only has closed when they end, so the end report
// finds no workflow; that is logged at debug level. Any other failure to
// report is a warning.
func TestOrderEndToAClosedBatchIsNoWarning(t *testing.T) {
	const batch = "orders:tiny:20260301T060000:1"
	for _, tc := range []struct {
		name      string
		err       error
		wantLevel string
		wantMsg   string
	}{
		{"batch closed", &temporal.UnknownExternalWorkflowExecutionError{}, "DEBUG", "order end not reported: its batch has closed"},
		{"other failure", errors.New("frontend unavailable"), "WARN", "order end not reported to its batch"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var s testsuite.WorkflowTestSuite
			logs := &logLines{}
			env := newEnvLogging(&s, newFake(), logs)
			in := transfer()
			in.ReportTo, in.Held = batch, true
			env.OnSignalExternalWorkflow(mock.Anything, batch, "", workflows.SignalOrderStatus, mock.Anything).Return(nil)
			env.OnSignalExternalWorkflow(mock.Anything, batch, "", workflows.SignalOrderDone, mock.Anything).Return(tc.err)
			signalAfter(env, time.Minute, workflows.SignalAck, workflows.TransferAck{CommandID: in.OrderID, Status: workflows.TransferAckAccepted})
			signalAfter(env, time.Hour, workflows.SignalGoodsReceipt, workflows.OrderReceipt{OrderID: in.OrderID, Site: "BTQ-LON", Units: 50})
			if res := runOrder(t, env, workflows.TransferWorkflowName, in); res.Status != sillage.OrderClosed {
				t.Fatalf("result %+v, want closed", res)
			}
			got := logs.with("order end not reported")
			if len(got) != 1 || !strings.HasPrefix(got[0], tc.wantLevel+" "+tc.wantMsg) || !strings.Contains(got[0], "batch="+batch) {
				t.Errorf("logged %q, want one %s line %q naming the batch", got, tc.wantLevel, tc.wantMsg)
			}
		})
	}
}
