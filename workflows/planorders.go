package workflows

import (
	"fmt"

	enumspb "go.temporal.io/api/enums/v1"
	"go.temporal.io/sdk/workflow"
)

// runOrderBatches is the batched fan-out of a PlanWorkflow (see
// orderbatch.go): CreatePlanOrders stores and holds every order of the
// plan, the lease is given back (the next plan may read the stock), then
// one OrderBatchWorkflow per OrderBatchSize orders (or
// opts.OrderBatchSize) starts and watches
// them. The plan's details and query show the progress: orders held,
// started, reported and finished, out of the total.
func (p *planRun) runOrderBatches(ctx workflow.Context, opts PlanOptions) error {
	p.stage(ctx, StageOrders)
	res, err := call[CreatePlanOrdersResult](ctx, stepOptions, ActCreatePlanOrders,
		CreatePlanOrdersInput{PlanID: p.sum.PlanID, Network: p.sum.Network})
	if err != nil {
		return err
	}
	s := &p.sum
	s.OrderCount, s.OrdersHeld = res.Orders, res.Orders
	s.PurchaseEUR, s.TransferEUR = res.PurchaseEUR, res.TransferEUR
	size := opts.OrderBatchSize
	if size <= 0 {
		size = OrderBatchSize
	}
	s.OrderBatches = (res.Orders + size - 1) / size
	p.publish(ctx, PlanStatusOrdering)
	p.releaseLease(ctx)

	progress := make([]OrderBatchProgress, s.OrderBatches)
	finished := make([]bool, s.OrderBatches)
	listed := make([][]OrderSummary, s.OrderBatches)
	sel := workflow.NewSelector(ctx)
	sel.AddReceive(workflow.GetSignalChannel(ctx, SignalOrderBatchProgress), func(c workflow.ReceiveChannel, _ bool) {
		var r OrderBatchProgress
		c.Receive(ctx, &r)
		if r.Batch >= 1 && r.Batch <= len(progress) && !finished[r.Batch-1] {
			progress[r.Batch-1] = r
		}
	})
	for b := range s.OrderBatches {
		in := OrderBatchInput{PlanID: s.PlanID, Network: s.Network, Batch: b + 1, Offset: b * size,
			Count: min(size, res.Orders-b*size), ApprovalThresholdEUR: res.ApprovalThresholdEUR,
			Timings: opts.Timings, WaitForOrders: opts.WaitForOrders}
		in.List = max(0, min(in.Count, MaxListedOrders-in.Offset))
		cctx := workflow.WithChildOptions(ctx, workflow.ChildWorkflowOptions{
			WorkflowID:            OrderBatchWorkflowID(s.PlanID, in.Batch),
			TaskQueue:             TaskQueue,
			WorkflowIDReusePolicy: enumspb.WORKFLOW_ID_REUSE_POLICY_REJECT_DUPLICATE,
			StaticSummary:         fmt.Sprintf("orders %d–%d of %d of plan %s", in.Offset+1, in.Offset+in.Count, res.Orders, s.PlanID),
		})
		sel.AddFuture(workflow.ExecuteChildWorkflow(cctx, OrderBatchWorkflowName, in), func(f workflow.Future) {
			var r OrderBatchResult
			if err := f.Get(ctx, &r); err != nil {
				// The batch's orders are stored and held; what did not
				// start is reported here and in the log.
				workflow.GetLogger(ctx).Error("order batch failed", "plan", s.PlanID, "batch", in.Batch, "error", err)
				r.OrderBatchProgress = OrderBatchProgress{Batch: in.Batch, Orders: in.Count, Started: progress[b].Started,
					Reported: progress[b].Reported, Done: in.Count, Failed: in.Count - progress[b].Started}
				if s.Error == "" {
					s.Error = fmt.Sprintf("order batch %d: %s", in.Batch, rootMessage(err))
				}
			}
			finished[b] = true
			progress[b] = r.OrderBatchProgress
			listed[b] = r.Listed
		})
	}
	for p.tally(progress, finished) {
		sel.Select(ctx)
		p.render(ctx)
	}
	for _, l := range listed {
		s.Orders = append(s.Orders, l...)
	}
	p.render(ctx)
	return nil
}

// tally adds up the batches' progress into the summary and tells whether a batch is still running.
func (p *planRun) tally(progress []OrderBatchProgress, finished []bool) (running bool) {
	s := &p.sum
	s.OrdersStarted, s.OrdersReported, s.OrdersDone, s.OrdersFailed = 0, 0, 0, 0
	for i, b := range progress {
		s.OrdersStarted += b.Started
		s.OrdersReported += b.Reported
		s.OrdersDone += b.Done
		s.OrdersFailed += b.Failed
		running = running || !finished[i]
	}
	return running
}

// orderProgress describes the batched fan-out's progress in one line.
func orderProgress(s *PlanSummary) string {
	return fmt.Sprintf("%d held, %d started, %d reported, %d finished, %d failed, of %d (%d batches)",
		s.OrdersHeld, s.OrdersStarted, s.OrdersReported, s.OrdersDone, s.OrdersFailed, s.OrderCount, s.OrderBatches)
}
