package activities

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strings"

	enumspb "go.temporal.io/api/enums/v1"
	"go.temporal.io/api/serviceerror"
	"go.temporal.io/sdk/client"
	"go.temporal.io/sdk/temporal"

	"github.com/sillage/sillage"
	"github.com/sillage/sillage/iot"
	"github.com/sillage/sillage/iot/epcis"
	"github.com/sillage/sillage/workflows"
)

// Temporal connects the rest of sillage to the workflows through a
// Temporal client:
//
//   - as a Replanner, it signals a network's NetworkPlanner with a trigger,
//     starting the planner if it is not running (SignalWithStart);
//   - as a PlanChecker, it tells whether a plan's workflow still runs;
//   - as an iot.Listener, it turns what the ingest notices into signals: a
//     reorder-point crossing becomes a planner trigger, a goods receipt the
//     goods_receipt signal of the order its business transaction names, an
//     ack the ack signal of the transfer whose command it acknowledges.
type Temporal struct {
	Client client.Client
	// Planner is the input a planner starts with (Network is set per
	// call): debounce window, plan options.
	Planner workflows.PlannerInput
	Log     *slog.Logger
}

var (
	_ Replanner    = (*Temporal)(nil)
	_ PlanChecker  = (*Temporal)(nil)
	_ iot.Listener = (*Temporal)(nil)
)

func (t *Temporal) log() *slog.Logger {
	if t.Log == nil {
		return slog.Default()
	}
	return t.Log
}

// PlannerStartOptions are the options a NetworkPlanner is started with.
func PlannerStartOptions(network string) client.StartWorkflowOptions {
	return client.StartWorkflowOptions{
		ID:                    workflows.PlannerWorkflowID(network),
		TaskQueue:             workflows.TaskQueue,
		TypedSearchAttributes: temporal.NewSearchAttributes(workflows.AttrNetwork.ValueSet(network), workflows.AttrStatus.ValueSet("planner")),
		StaticSummary:         "Planner of network " + network,
	}
}

// Replan sends a trigger to the network's planner, starting it if needed.
func (t *Temporal) Replan(ctx context.Context, network string, tr workflows.Trigger) error {
	in := t.Planner
	in.Network = network
	_, err := t.Client.SignalWithStartWorkflow(ctx, workflows.PlannerWorkflowID(network), workflows.SignalTrigger, tr,
		PlannerStartOptions(network), workflows.NetworkPlannerName, in)
	if err != nil {
		return fmt.Errorf("signal planner of %s: %w", network, err)
	}
	return nil
}

// ReorderPointCrossed triggers the network's planner.
func (t *Temporal) ReorderPointCrossed(ctx context.Context, c iot.ReorderCrossing) error {
	return t.Replan(ctx, c.Network, workflows.Trigger{
		ID:     "rop:" + c.ID(),
		Kind:   workflows.TriggerReorderPoint,
		Site:   c.Position.Site,
		SKU:    c.Position.SKU,
		Reason: fmt.Sprintf("%g units available, reorder point %g", c.Position.Available(), c.ReorderPoint),
		At:     c.At,
	})
}

// OrderIDFromBizTransaction returns the order id a business transaction
// names: the id itself (po:... or to:...), or a URI that ends with ":"
// and the order id, such as urn:sillage:order:po:tiny:20260301T060000:SUP-FLR:1.
func OrderIDFromBizTransaction(id string) (string, bool) {
	if workflows.IsOrderWorkflowID(id) {
		return id, true
	}
	for _, p := range []string{":po:", ":to:"} {
		if i := strings.Index(id, p); i >= 0 {
			return id[i+1:], true
		}
	}
	return "", false
}

// GoodsReceived signals the order named by each of the receipt's
// business transactions, once per order. A receipt that names no order is logged: it
// changed the stock, which the next plan reads.
func (t *Temporal) GoodsReceived(ctx context.Context, r iot.Receipt) error {
	rec := workflows.OrderReceipt{Site: r.Site, EventID: r.EventID, At: r.EventTime}
	if r.ID != "" {
		rec.EventID = r.ID // unique also for an event without an id: the workflow counts it once
	}
	for _, l := range r.Lines {
		rec.Lines = append(rec.Lines, sillageLine(l))
		rec.Units += l.Units
	}
	found, err := t.signalOrders(ctx, r.BizTransactions, workflows.SignalGoodsReceipt, "goods receipt", func(id string) any {
		rec.OrderID = id
		return rec
	}, "site", r.Site, "event", r.EventID)
	if !found {
		t.log().InfoContext(ctx, "goods receipt names no order", "site", r.Site, "event", r.EventID, "units", rec.Units)
	}
	return err
}

// signalOrders sends signal to the workflow of each order that bts name
// (OrderIDFromBizTransaction; once per order), with the payload that
// forOrder makes for it. An order with no running workflow is logged as
// a warning about what (the event, "shipment" or "goods receipt", with
// logAttrs), not returned: its workflow has ended, or the order was never
// sillage's. It reports whether bts named any order, and joins the other
// signal errors. O(len(bts)).
func (t *Temporal) signalOrders(ctx context.Context, bts []epcis.BizTransaction, signal, what string, forOrder func(id string) any, logAttrs ...any) (bool, error) {
	var errs []error
	signalled := map[string]bool{}
	for _, bt := range bts {
		id, ok := OrderIDFromBizTransaction(bt.ID)
		if !ok || signalled[id] {
			continue
		}
		signalled[id] = true
		err := t.Client.SignalWorkflow(ctx, id, "", signal, forOrder(id))
		switch {
		case IsNotFound(err):
			t.log().WarnContext(ctx, what+" for an order with no running workflow", append([]any{"order", id}, logAttrs...)...)
		case err != nil:
			errs = append(errs, fmt.Errorf("signal %s to %s: %w", what, id, err))
		}
	}
	return len(signalled) > 0, errors.Join(errs...)
}

// CommandAcked signals the transfer whose command was acked.
func (t *Temporal) CommandAcked(ctx context.Context, a iot.CommandAck) error {
	if !workflows.IsOrderWorkflowID(a.CommandID) {
		t.log().InfoContext(ctx, "ack of a command that is no order", "command", a.CommandID)
		return nil
	}
	status := workflows.TransferAckAccepted
	switch a.Status {
	case sillage.CommandRejected:
		status = workflows.TransferAckRejected
	case sillage.CommandAccepted, sillage.CommandDone:
	default:
		return nil // expired and pending are not answers of the warehouse
	}
	err := t.Client.SignalWorkflow(ctx, a.CommandID, "", workflows.SignalAck, workflows.TransferAck{
		CommandID: a.CommandID, OrderID: a.CommandID, Site: a.Site, Status: status, Reason: a.Reason, At: a.At,
	})
	if IsNotFound(err) {
		t.log().WarnContext(ctx, "ack for an order with no running workflow", "command", a.CommandID)
		return nil
	}
	if err != nil {
		return fmt.Errorf("signal ack to %s: %w", a.CommandID, err)
	}
	return nil
}

// IsNotFound reports whether err says the workflow does not exist or has
// finished.
func IsNotFound(err error) bool {
	var nf *serviceerror.NotFound
	return errors.As(err, &nf)
}

// PlanRunning tells whether the PlanWorkflow of a plan is still running;
// a plan without a workflow (never started, or its history gone) is not.
func (t *Temporal) PlanRunning(ctx context.Context, planID string) (bool, error) {
	d, err := t.Client.DescribeWorkflowExecution(ctx, workflows.PlanWorkflowID(planID), "")
	if IsNotFound(err) {
		return false, nil
	}
	if err != nil {
		return false, fmt.Errorf("describe the workflow of plan %s: %w", planID, err)
	}
	return d.GetWorkflowExecutionInfo().GetStatus() == enumspb.WORKFLOW_EXECUTION_STATUS_RUNNING, nil
}

// sillageLine converts a receipt line of the ingest.
func sillageLine(l iot.ReceiptLine) sillage.OrderLine {
	return sillage.OrderLine{SKU: l.SKU, Quantity: l.Units}
}
