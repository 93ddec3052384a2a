package activities

import (
	"context"
	"errors"
	"fmt"
	"sync"

	"go.temporal.io/api/serviceerror"
	"go.temporal.io/sdk/activity"
	"go.temporal.io/sdk/converter"
	"go.temporal.io/sdk/temporal"

	"github.com/sillage/sillage/workflows"
)

// OrderStartConcurrency is how many order workflows StartOrderWorkflows
// starts at once: each start is one round trip to the Temporal frontend.
const OrderStartConcurrency = 8

// OrderStart is what starting an order workflow came to.
type OrderStart int

// Outcomes of OrderStarter.StartOrderWorkflow.
const (
	// OrderStartedNow: this call started it.
	OrderStartedNow OrderStart = iota
	// OrderStartedBefore: it already ran, started by the same batch run
	// (an earlier attempt of the activity).
	OrderStartedBefore
	// OrderStartedElsewhere: it already ran (or ran), started by
	// something else.
	OrderStartedElsewhere
)

// OrderStarter starts order workflows with a Temporal client
// (StartOrderWorkflows). Temporal implements it.
type OrderStarter interface {
	// StartOrderWorkflow starts the workflow of order in (its id is the
	// order id), recording startedBy in its memo. A workflow of that id
	// that already exists is not started again: the outcome says whether
	// the same startedBy started it.
	StartOrderWorkflow(ctx context.Context, in workflows.OrderInput, startedBy string) (OrderStart, error)
}

var _ OrderStarter = (*Temporal)(nil)

// StartOrderWorkflow starts the workflow of order in; see OrderStarter.
func (t *Temporal) StartOrderWorkflow(ctx context.Context, in workflows.OrderInput, startedBy string) (OrderStart, error) {
	_, err := t.Client.ExecuteWorkflow(ctx, workflows.OrderWorkflowOptions(in.OrderRef, startedBy), workflows.OrderWorkflowType(in.Kind), in)
	if err == nil {
		return OrderStartedNow, nil
	}
	if !temporal.IsWorkflowExecutionAlreadyStartedError(err) {
		return 0, fmt.Errorf("start order workflow %s: %w", in.OrderID, err)
	}
	d, err := t.Client.DescribeWorkflowExecution(ctx, in.OrderID, "")
	if err != nil {
		return 0, fmt.Errorf("order workflow %s already exists; describe it: %w", in.OrderID, err)
	}
	var by string
	if p := d.GetWorkflowExecutionInfo().GetMemo().GetFields()[workflows.MemoStartedBy]; p != nil {
		_ = converter.GetDefaultDataConverter().FromPayload(p, &by)
	}
	if by == startedBy {
		return OrderStartedBefore, nil
	}
	return OrderStartedElsewhere, nil
}

// StartOrderWorkflows starts the order workflow of each order of the page
// in.Offset, in.Limit of the plan's stored orders (the page ListPlanOrders
// returns), each with Held set and reporting to in.ReportTo,
// OrderStartConcurrency at a time, heartbeating the number done. A retry
// starts only what is not started yet: an order workflow this batch run
// started before counts as started, one started by anything else as
// existing. An order the server refuses as invalid is listed as failed;
// any other error fails the attempt (a retry starts the rest). Complexity:
// O(orders) start calls, OrderStartConcurrency at a time.
func (a *Activities) StartOrderWorkflows(ctx context.Context, in workflows.StartOrdersInput) (workflows.StartOrdersResult, error) {
	if in.PlanID == "" || in.Network == "" || in.Limit <= 0 || in.ReportTo == "" {
		return workflows.StartOrdersResult{}, temporal.NewNonRetryableApplicationError("starting order workflows needs a plan id, a network, a limit and the batch to report to", workflows.ErrTypeInvalid, nil)
	}
	if a.Starter == nil {
		return workflows.StartOrdersResult{}, temporal.NewNonRetryableApplicationError("this worker has no Temporal client to start order workflows with", workflows.ErrTypeInvalid, nil)
	}
	page, err := a.ListPlanOrders(ctx, workflows.ListPlanOrdersInput{PlanID: in.PlanID, Network: in.Network,
		Offset: in.Offset, Limit: in.Limit, ApprovalThresholdEUR: in.ApprovalThresholdEUR})
	if err != nil {
		return workflows.StartOrdersResult{}, err
	}
	outcomes := make([]OrderStart, len(page.Orders))
	errs := make([]error, len(page.Orders))
	var (
		mu   sync.Mutex
		done int
		wg   sync.WaitGroup
	)
	sem := make(chan struct{}, OrderStartConcurrency)
	for i, o := range page.Orders {
		if ctx.Err() != nil {
			break
		}
		sem <- struct{}{}
		wg.Add(1)
		go func() {
			defer wg.Done()
			defer func() { <-sem }()
			outcomes[i], errs[i] = a.Starter.StartOrderWorkflow(ctx, workflows.OrderInput{OrderRef: o, Timings: in.Timings, Held: true, ReportTo: in.ReportTo}, in.StartedBy)
			mu.Lock()
			done++
			if activity.IsActivity(ctx) && done%50 == 0 {
				activity.RecordHeartbeat(ctx, done)
			}
			mu.Unlock()
		}()
	}
	wg.Wait()
	if err := ctx.Err(); err != nil {
		return workflows.StartOrdersResult{}, fmt.Errorf("start the order workflows of plan %s from %d: %w", in.PlanID, in.Offset, err)
	}
	// An order the server refuses (a bad argument) is listed as failed;
	// any other error fails the attempt, and the retry starts the rest.
	var res workflows.StartOrdersResult
	for i := range page.Orders {
		var bad *serviceerror.InvalidArgument
		if errs[i] != nil && !errors.As(errs[i], &bad) {
			return workflows.StartOrdersResult{}, fmt.Errorf("start the order workflows of plan %s from %d: %w", in.PlanID, in.Offset, errs[i])
		}
	}
	for i, o := range page.Orders {
		switch {
		case errs[i] != nil:
			res.Failed = append(res.Failed, workflows.OrderStartFailure{OrderID: o.OrderID, Reason: errs[i].Error()})
		case outcomes[i] == OrderStartedElsewhere:
			res.Existing = append(res.Existing, o.OrderID)
		default:
			res.Started++
		}
	}
	a.log().InfoContext(ctx, "order workflows started", "plan", in.PlanID, "batch", in.ReportTo,
		"started", res.Started, "existing", len(res.Existing), "failed", len(res.Failed))
	return res, nil
}
