package workflows

import (
	"errors"
	"fmt"
	"time"

	enumspb "go.temporal.io/api/enums/v1"
	"go.temporal.io/sdk/client"
	"go.temporal.io/sdk/temporal"
	"go.temporal.io/sdk/workflow"

	"github.com/sillage/sillage"
)

// This file holds how an OrderBatchWorkflow starts its order workflows
// from version orderStartChange on: through one activity,
// StartOrderWorkflows, which starts them with the Temporal client, not as
// child workflows.
//
// Why: the server records each child's start in its parent's history
// under the parent's lock. Hundreds of children of one parent queue for
// that lock (the history service's StartChildExecution tasks fail with
// "BusyWorkflow" and are retried with backoff), so a batch started 2 to
// 9 order workflows a second on the dev server, whatever the worker and
// the store did (measured: 500 children in 57 to 92 s with no order
// workflow running at all; 500 client starts in 11 s). A started order
// workflow has no parent: it reports to its batch by signals instead,
// its first status (SignalOrderStatus, as before) and its end
// (SignalOrderDone, which a parent used to learn from the child's
// completion).

// orderStartChange is the change id (workflow.GetVersion) of starting
// order workflows by activity; batches recorded before it replay their
// child workflows.
const orderStartChange = "order-start-activity"

// ActStartOrderWorkflows starts the order workflows of a batch.
const ActStartOrderWorkflows = "StartOrderWorkflows"

// SignalOrderDone carries an OrderDoneReport from an order workflow to the
// OrderBatchWorkflow that started it (OrderInput.ReportTo), as it ends.
const SignalOrderDone = "order_done"

// MemoStartedBy is the memo key, on an order workflow started by
// StartOrderWorkflows, of the batch run that started it
// (OrderStartedBy).
const MemoStartedBy = "started_by"

// startOptions: StartOrderWorkflows, which starts up to a batch of order
// workflows (tens a second) and heartbeats as it goes; a retry starts
// only those not started yet.
var startOptions = workflow.ActivityOptions{
	TaskQueue:           TaskQueue,
	StartToCloseTimeout: 15 * time.Minute,
	HeartbeatTimeout:    time.Minute,
	RetryPolicy:         databaseRetry,
}

// StartOrdersInput asks for the order workflows of a page of a plan's
// stored orders (the same page as ListPlanOrders with the same offset and
// limit) to be started, each reporting to the batch ReportTo.
type StartOrdersInput struct {
	PlanID               string       `json:"plan_id"`
	Network              string       `json:"network"`
	Offset               int          `json:"offset"`
	Limit                int          `json:"limit"`
	ApprovalThresholdEUR float64      `json:"approval_threshold_eur"`
	Timings              OrderTimings `json:"timings"`
	// ReportTo is the workflow id of the batch the orders report to;
	// StartedBy identifies the batch's run (OrderStartedBy), recorded in
	// each order's memo.
	ReportTo  string `json:"report_to"`
	StartedBy string `json:"started_by"`
}

// StartOrdersResult says what became of each order of the page.
type StartOrdersResult struct {
	// Started counts the order workflows this batch run started (in
	// this attempt of the activity or an earlier one); they report to
	// it.
	Started int `json:"started"`
	// Existing are orders whose workflow was already there, started by
	// something else than this batch run: that workflow owns the order
	// and does not report here.
	Existing []string `json:"existing,omitempty"`
	// Failed are orders whose workflow could not be started, with why.
	Failed []OrderStartFailure `json:"failed,omitempty"`
}

// OrderStartFailure is an order whose workflow could not be started.
type OrderStartFailure struct {
	OrderID string `json:"order_id"`
	Reason  string `json:"reason"`
}

// OrderDoneReport is what an order workflow started by a batch tells it
// as it ends: its status, or the error it failed with.
type OrderDoneReport struct {
	OrderID string              `json:"order_id"`
	Status  sillage.OrderStatus `json:"status"`
	Reason  string              `json:"reason,omitempty"`
	Error   string              `json:"error,omitempty"`
}

// OrderStartedBy identifies a batch run as the starter of its order
// workflows: "<workflow id>/<run id>".
func OrderStartedBy(batchWorkflowID, runID string) string {
	return batchWorkflowID + "/" + runID
}

// OrderWorkflowType is the workflow type that runs an order of kind k.
func OrderWorkflowType(k sillage.OrderKind) string { return orderWorkflowName(k) }

// OrderWorkflowOptions are the options StartOrderWorkflows starts the
// workflow of order o with: the order id as workflow id (never reused),
// the order's search attributes and one-line summary, as a batch's child
// had, and startedBy in the memo (MemoStartedBy).
func OrderWorkflowOptions(o OrderRef, startedBy string) client.StartWorkflowOptions {
	return client.StartWorkflowOptions{
		ID:                    o.OrderID,
		TaskQueue:             TaskQueue,
		WorkflowIDReusePolicy: enumspb.WORKFLOW_ID_REUSE_POLICY_REJECT_DUPLICATE,
		// An order workflow that exists is an error, not a handle on it:
		// the starter must tell whether it is its own.
		WorkflowExecutionErrorWhenAlreadyStarted: true,
		TypedSearchAttributes:                    temporal.NewSearchAttributes(orderAttrs(o, sillage.OrderCreated)...),
		StaticSummary:                            orderSummary(o),
		Memo:                                     map[string]any{MemoStartedBy: startedBy},
	}
}

// orderSummary is an order workflow's one-line summary.
func orderSummary(o OrderRef) string {
	kind := "PO"
	if o.Kind == sillage.OrderTransfer {
		kind = "Transfer"
	}
	return fmt.Sprintf("%s %s → %s, %s, %s", kind, o.Source, o.Site, eur(o.ValueEUR), kgCO2e(o.KgCO2e))
}

// startOrders starts the batch's order workflows by activity and waits
// until each has reported its first status, or with WaitForOrders until
// each has finished. Reports that arrive while the activity runs wait in
// their signal channels. Complexity: O(n) events in the batch's history
// for n orders (a report and an end signal each), O(1) activities.
func (b *orderBatch) startOrders(ctx workflow.Context) {
	n := len(b.orders)
	index := make(map[string]int, n)
	for i, o := range b.orders {
		index[o.OrderID] = i
	}
	b.reported = make([]bool, n)
	info := workflow.GetInfo(ctx)
	res, err := call[StartOrdersResult](ctx, startOptions, ActStartOrderWorkflows, StartOrdersInput{
		PlanID: b.in.PlanID, Network: b.in.Network, Offset: b.in.Offset, Limit: n,
		ApprovalThresholdEUR: b.in.ApprovalThresholdEUR, Timings: b.in.Timings,
		ReportTo: info.WorkflowExecution.ID, StartedBy: OrderStartedBy(info.WorkflowExecution.ID, info.WorkflowExecution.RunID)})
	if err != nil {
		// The orders stay stored and held; none is known to run.
		workflow.GetLogger(ctx).Error("starting the order workflows failed", "batch", info.WorkflowExecution.ID, "error", err)
		for i := range b.orders {
			b.fail(i, "could not start the order workflow: "+rootMessage(err))
		}
		b.progress(ctx)
		return
	}
	b.res.Started = res.Started
	for _, id := range res.Existing {
		if i, ok := index[id]; ok && !b.orders[i].Done {
			b.orders[i].Done = true
			b.orders[i].Reason = "order workflow already exists"
			b.res.Done++
		}
	}
	for _, f := range res.Failed {
		if i, ok := index[f.OrderID]; ok {
			b.fail(i, f.Reason)
		}
	}
	b.progress(ctx)

	sel := workflow.NewSelector(ctx)
	sel.AddReceive(workflow.GetSignalChannel(ctx, SignalOrderStatus), func(c workflow.ReceiveChannel, _ bool) {
		var r OrderStatusReport
		c.Receive(ctx, &r)
		b.report(index, r)
	})
	sel.AddReceive(workflow.GetSignalChannel(ctx, SignalOrderDone), func(c workflow.ReceiveChannel, _ bool) {
		var r OrderDoneReport
		c.Receive(ctx, &r)
		i, ok := index[r.OrderID]
		if !ok || b.orders[i].Done {
			return
		}
		if r.Error != "" {
			b.fail(i, r.Error)
			return
		}
		b.orders[i].Done = true
		b.res.Done++
		b.orders[i].Status, b.orders[i].Reason = r.Status, r.Reason
	})
	for b.waiting() {
		sel.Select(ctx)
	}
	b.progress(ctx)
}

// report records an order's first status report.
func (b *orderBatch) report(index map[string]int, r OrderStatusReport) {
	i, ok := index[r.OrderID]
	if !ok || b.reported[i] {
		return
	}
	b.reported[i] = true
	b.res.Reported++
	if !b.orders[i].Done {
		b.orders[i].Status, b.orders[i].Reason = r.Status, r.Reason
	}
}

// fail records order i as finished with a failure, once.
func (b *orderBatch) fail(i int, reason string) {
	if b.orders[i].Done {
		return
	}
	b.orders[i].Done = true
	b.res.Done++
	b.res.Failed++
	b.orders[i].Status, b.orders[i].Reason = "failed", reason
}

// reportDone tells the batch that started the order workflow
// (in.ReportTo) that it ends, with its result or error, and waits until
// the signal is delivered: the server drops a signal whose sender has
// closed. An order started as a child (no ReportTo) sends nothing: its
// parent sees it close.
func reportDone(ctx workflow.Context, in OrderInput, res OrderResult, err error) {
	if in.ReportTo == "" {
		return
	}
	r := OrderDoneReport{OrderID: in.OrderID, Status: res.Status, Reason: res.Reason}
	if err != nil {
		r.Error = rootMessage(err)
	}
	// Disconnected: a cancelled order still tells its batch.
	dctx, cancel := workflow.NewDisconnectedContext(ctx)
	defer cancel()
	serr := workflow.SignalExternalWorkflow(dctx, in.ReportTo, "", SignalOrderDone, r).Get(dctx, nil)
	var closed *temporal.UnknownExternalWorkflowExecutionError
	switch {
	case serr == nil:
	case errors.As(serr, &closed):
		// The batch has closed: it waited for its orders' first statuses
		// only (OrderBatchInput.WaitForOrders false), or it was ended by
		// hand. Nothing waits for this report, so there is nothing to warn
		// of.
		workflow.GetLogger(ctx).Debug("order end not reported: its batch has closed", "order", in.OrderID, "batch", in.ReportTo)
	default:
		workflow.GetLogger(ctx).Warn("order end not reported to its batch", "order", in.OrderID, "batch", in.ReportTo, "error", serr)
	}
}
