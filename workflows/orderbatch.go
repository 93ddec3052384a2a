package workflows

import (
	"fmt"
	"strconv"

	enumspb "go.temporal.io/api/enums/v1"
	"go.temporal.io/sdk/temporal"
	"go.temporal.io/sdk/workflow"

	"github.com/sillage/sillage"
)

// This file holds the batched fan-out of a plan's orders (PlanWorkflow
// from version orderBatchChange on):
//
//	PlanWorkflow ── CreatePlanOrders: every order stored and held, in
//	│               one transaction per OrderHoldBatch orders
//	├── OrderBatchWorkflow 1 ── ListPlanOrders, StartOrderWorkflows ──▶ ProcurementWorkflow / TransferWorkflow × ≤ OrderBatchSize
//	├── OrderBatchWorkflow 2 ── ...            (started by activity; they signal their batch back)
//	└── ...
//
// The plan's history grows with the number of batches (about 10 events
// each), not with the number of orders: 10,000 orders make 20 batches and
// about 300 events; 10,000 events are reached near 500,000 orders. Each
// batch's history holds about 2 to 4 events per order (signals and the
// workflow tasks they wake). Order ids are deterministic as before, and
// batch ids are too (OrderBatchWorkflowID), so a retry never starts an
// order twice. Batches recorded before orderStartChange started their
// orders as children (run, below).

// Batch sizes.
const (
	// OrderBatchSize is how many order workflows one OrderBatchWorkflow
	// starts and watches.
	OrderBatchSize = 500
	// OrderHoldBatch is how many orders CreatePlanOrders writes, with
	// their stock holds, per transaction.
	OrderHoldBatch = 250
	// MaxListedOrders bounds PlanSummary.Orders in a batched plan: the
	// first orders by id, with their statuses; OrderCount has the total.
	MaxListedOrders = 100
)

// orderBatchChange is the change id (workflow.GetVersion) of the batched
// fan-out; histories recorded before it replay the one-child-per-order
// path.
const orderBatchChange = "order-batches"

// OrderBatchWorkflowName is the batch workflow's type name.
const OrderBatchWorkflowName = "OrderBatchWorkflow"

// SignalOrderBatchProgress carries an OrderBatchProgress from an
// OrderBatchWorkflow to its PlanWorkflow.
const SignalOrderBatchProgress = "order_batch_progress"

// Activity names of the batched fan-out.
const (
	ActCreatePlanOrders = "CreatePlanOrders"
	ActListPlanOrders   = "ListPlanOrders"
)

// OrderBatchWorkflowID is the id of the n-th (from 1) order batch of plan
// planID: orders:<plan id>:<n>.
func OrderBatchWorkflowID(planID string, n int) string {
	return "orders:" + planID + ":" + strconv.Itoa(n)
}

// CreatePlanOrdersInput asks for every order of a stored plan to be
// stored and held.
type CreatePlanOrdersInput struct {
	PlanID  string `json:"plan_id"`
	Network string `json:"network"`
	// BatchSize is the number of orders per transaction; 0 means
	// OrderHoldBatch.
	BatchSize int `json:"batch_size,omitempty"`
}

// CreatePlanOrdersResult says what the plan's orders are and what this
// call wrote.
type CreatePlanOrdersResult struct {
	Orders      int     `json:"orders"` // all stored and held now
	Purchases   int     `json:"purchases"`
	Transfers   int     `json:"transfers"`
	PurchaseEUR float64 `json:"purchase_eur"`
	TransferEUR float64 `json:"transfer_eur"`
	Inserted    int     `json:"inserted"` // orders this call inserted
	Held        int     `json:"held"`     // holds this call applied
	Batches     int     `json:"batches"`  // transactions
	// ApprovalThresholdEUR is the network policy's threshold, for the
	// order workflows.
	ApprovalThresholdEUR float64 `json:"approval_threshold_eur"`
}

// Count adds one order of kind kind worth valueEUR to the purchase
// figures (a purchase order) or to the transfer figures (any other kind).
func (r *CreatePlanOrdersResult) Count(kind sillage.OrderKind, valueEUR float64) {
	if kind == sillage.OrderPurchase {
		r.Purchases++
		r.PurchaseEUR += valueEUR
	} else {
		r.Transfers++
		r.TransferEUR += valueEUR
	}
}

// ListPlanOrdersInput asks for a page of a plan's stored orders, in id
// order.
type ListPlanOrdersInput struct {
	PlanID               string  `json:"plan_id"`
	Network              string  `json:"network"`
	Offset               int     `json:"offset"`
	Limit                int     `json:"limit"`
	ApprovalThresholdEUR float64 `json:"approval_threshold_eur"`
}

// ListPlanOrdersResult is a page of a plan's orders.
type ListPlanOrdersResult struct {
	Orders []OrderRef `json:"orders"`
}

// OrderBatchInput starts an OrderBatchWorkflow: the orders of plan PlanID
// from Offset (in id order), Count of them.
type OrderBatchInput struct {
	PlanID               string       `json:"plan_id"`
	Network              string       `json:"network"`
	Batch                int          `json:"batch"` // from 1
	Offset               int          `json:"offset"`
	Count                int          `json:"count"`
	ApprovalThresholdEUR float64      `json:"approval_threshold_eur"`
	Timings              OrderTimings `json:"timings"`
	// WaitForOrders makes the batch wait until every order workflow has
	// finished, instead of until each has reported its first status.
	WaitForOrders bool `json:"wait_for_orders,omitempty"`
	// List is how many of the batch's first orders to return with their
	// statuses (for PlanSummary.Orders).
	List int `json:"list,omitempty"`
}

// OrderBatchProgress is what a batch tells its plan: when all its orders
// have started, and when all have reported (or finished).
type OrderBatchProgress struct {
	Batch    int `json:"batch"`
	Orders   int `json:"orders"`
	Started  int `json:"started"`
	Reported int `json:"reported"`
	Done     int `json:"done"`
	Failed   int `json:"failed"`
}

// OrderBatchResult is an OrderBatchWorkflow's result.
type OrderBatchResult struct {
	OrderBatchProgress
	Listed []OrderSummary `json:"listed,omitempty"`
}

// OrderBatchWorkflow starts the order workflows of one batch of a plan's
// orders, which CreatePlanOrders has stored and held, and waits until
// each has reported its first status, or with WaitForOrders until each
// has finished. It signals its parent PlanWorkflow its progress when all
// have started and when it is done. It starts them with one activity,
// StartOrderWorkflows (orders_start.go); batches recorded before that
// started them as their children (abandoned when the batch closes, so
// that they live on).
func OrderBatchWorkflow(ctx workflow.Context, in OrderBatchInput) (OrderBatchResult, error) {
	if in.PlanID == "" || in.Network == "" || in.Count <= 0 {
		return OrderBatchResult{}, temporal.NewNonRetryableApplicationError("order batch needs a plan, a network and a count", ErrTypeInvalid, nil)
	}
	page, err := call[ListPlanOrdersResult](ctx, readOptions, ActListPlanOrders, ListPlanOrdersInput{
		PlanID: in.PlanID, Network: in.Network, Offset: in.Offset, Limit: in.Count, ApprovalThresholdEUR: in.ApprovalThresholdEUR})
	if err != nil {
		return OrderBatchResult{}, fmt.Errorf("order batch %d of plan %s: %w", in.Batch, in.PlanID, err)
	}
	b := &orderBatch{in: in, orders: make([]OrderSummary, len(page.Orders))}
	b.res.Batch, b.res.Orders = in.Batch, len(page.Orders)
	for i, o := range page.Orders {
		b.orders[i] = OrderSummary{OrderRef: o, Status: sillage.OrderCreated}
	}
	if workflow.GetVersion(ctx, orderStartChange, workflow.DefaultVersion, 1) == 1 {
		b.startOrders(ctx) // orders_start.go
	} else {
		b.run(ctx)
	}
	b.res.Listed = b.orders[:min(max(in.List, 0), len(b.orders))]
	ignoreLateSignals(ctx) // orders that end while the batch ends
	return b.res, nil
}

// orderBatch is an OrderBatchWorkflow's state.
type orderBatch struct {
	in       OrderBatchInput
	orders   []OrderSummary
	started  []bool
	reported []bool
	res      OrderBatchResult
}

// run starts the batch's order workflows and waits for them. One selector
// serves the whole batch: each future is added once (a child's
// completion once it has started), so a batch of n orders costs O(n)
// selector cases, not O(n) per event.
func (b *orderBatch) run(ctx workflow.Context) {
	n := len(b.orders)
	index := make(map[string]int, n)
	b.started, b.reported = make([]bool, n), make([]bool, n)
	sel := workflow.NewSelector(ctx)
	statusCh := workflow.GetSignalChannel(ctx, SignalOrderStatus)
	sel.AddReceive(statusCh, func(c workflow.ReceiveChannel, _ bool) {
		var r OrderStatusReport
		c.Receive(ctx, &r)
		b.report(index, r)
	})
	for i, o := range b.orders {
		index[o.OrderID] = i
		child := workflow.ExecuteChildWorkflow(orderChildContext(ctx, o.OrderRef), orderWorkflowName(o.Kind),
			OrderInput{OrderRef: o.OrderRef, Timings: b.in.Timings, Held: true})
		sel.AddFuture(child.GetChildWorkflowExecution(), func(f workflow.Future) {
			b.started[i] = true
			if err := f.Get(ctx, nil); err != nil {
				b.failed(ctx, i, err)
				return
			}
			b.res.Started++
			sel.AddFuture(child, func(f workflow.Future) {
				var r OrderResult
				err := f.Get(ctx, &r)
				if !b.orders[i].Done {
					b.orders[i].Done = true
					b.res.Done++
				}
				if err != nil {
					b.failed(ctx, i, err)
					return
				}
				b.orders[i].Status, b.orders[i].Reason = r.Status, r.Reason
			})
		})
	}
	allStarted := false
	for b.waiting() {
		sel.Select(ctx)
		if !allStarted && b.res.Started+b.res.Failed == n {
			allStarted = true
			b.progress(ctx)
		}
	}
	b.progress(ctx)
}

// waiting tells whether an order is still awaited: not finished and, by
// default, not reported; with WaitForOrders, not finished.
func (b *orderBatch) waiting() bool {
	for i := range b.orders {
		if b.orders[i].Done {
			continue
		}
		if b.in.WaitForOrders || !b.reported[i] {
			return true
		}
	}
	return false
}

// failed records an order workflow that could not start or failed. One
// already started (the batch ran before with the same ids) counts as
// done: that workflow owns the order.
func (b *orderBatch) failed(ctx workflow.Context, i int, err error) {
	if !b.orders[i].Done {
		b.orders[i].Done = true
		b.res.Done++
	}
	if temporal.IsWorkflowExecutionAlreadyStartedError(err) {
		b.orders[i].Reason = "order workflow already exists"
		return
	}
	b.res.Failed++
	b.orders[i].Status = "failed"
	b.orders[i].Reason = rootMessage(err)
	workflow.GetLogger(ctx).Error("order workflow failed", "order", b.orders[i].OrderID, "error", err)
}

// progress signals the batch's counts to its parent plan, if any. The
// signal is not waited for: a plan that has finished cannot be signalled.
func (b *orderBatch) progress(ctx workflow.Context) {
	parent := workflow.GetInfo(ctx).ParentWorkflowExecution
	if parent == nil {
		return
	}
	workflow.SignalExternalWorkflow(ctx, parent.ID, "", SignalOrderBatchProgress, b.res.OrderBatchProgress)
}

// orderWorkflowName is the workflow type that runs an order of kind k.
func orderWorkflowName(k sillage.OrderKind) string {
	if k == sillage.OrderTransfer {
		return TransferWorkflowName
	}
	return ProcurementWorkflowName
}

// orderChildContext gives an order workflow its options: the order id as
// workflow id (never reused), abandoned when its starter closes, with the
// order's search attributes and a one-line summary.
func orderChildContext(ctx workflow.Context, o OrderRef) workflow.Context {
	return workflow.WithChildOptions(ctx, workflow.ChildWorkflowOptions{
		WorkflowID:            o.OrderID,
		TaskQueue:             TaskQueue,
		ParentClosePolicy:     enumspb.PARENT_CLOSE_POLICY_ABANDON,
		WorkflowIDReusePolicy: enumspb.WORKFLOW_ID_REUSE_POLICY_REJECT_DUPLICATE,
		TypedSearchAttributes: temporal.NewSearchAttributes(orderAttrs(o, sillage.OrderCreated)...),
		StaticSummary:         orderSummary(o),
	})
}
