package workflows

import (
	"errors"
	"fmt"
	"math"
	"strings"

	"go.temporal.io/sdk/temporal"
	"go.temporal.io/sdk/workflow"

	"github.com/sillage/sillage"
)

// orderRun is the state the order workflows (procurement and transfer)
// share: the order, its status and an event log shown in the details.
type orderRun struct {
	in       OrderInput
	t        OrderTimings
	status   sillage.OrderStatus
	reason   string
	decision *Decision
	approved bool // the decision approves (valid when decision != nil)
	lines    []sillage.OrderLine
	expected float64 // units expected at receipt
	// expectedLines are the lines expected at receipt: the order's, or
	// the confirmed ones after a partial confirmation.
	expectedLines []sillage.OrderLine
	receipts      int // receipts counted
	received      []sillage.OrderLine
	recvd         float64 // units received so far
	seen          []string
	sends         int
	events        []string
	replan        bool
	reported      bool
	wake          workflow.Channel // an update handler made a decision
	// Approvals with identities (approval.go): the version in force, the
	// approvals taken so far, the refused decisions, and the approve and
	// reject signals received.
	approvalVersion workflow.Version
	approvers       []Approver
	refusals        []string
	signalsSeen     map[string]int
	// closing is the receiving state of awaitClose (closing.go).
	closing *closeState
}

const maxEvents = 40

func newOrderRun(ctx workflow.Context, in OrderInput) *orderRun {
	return &orderRun{
		in:     in,
		t:      in.Timings.WithDefaults(),
		status: sillage.OrderCreated,
		wake:   workflow.NewBufferedChannel(ctx, 1),
	}
}

// view is the answer to the order query.
func (o *orderRun) view() OrderView {
	return OrderView{
		OrderRef:  o.in.OrderRef,
		Status:    o.status,
		Reason:    o.reason,
		Decision:  o.decision,
		Approvals: o.approvers,
		Refusals:  o.refusals,
		Lines:     o.lines,
		Received:  o.recvd,
		Sends:     o.sends,
		Events:    o.events,
	}
}

// result is the workflow's result.
func (o *orderRun) result() OrderResult {
	return OrderResult{
		OrderID:       o.in.OrderID,
		Status:        o.status,
		Reason:        o.reason,
		OrderedUnits:  o.in.Units,
		ReceivedUnits: o.recvd,
		Replanned:     o.replan,
	}
}

// event appends a line to the event log and refreshes the details.
func (o *orderRun) event(ctx workflow.Context, format string, args ...any) {
	o.events = append(o.events, stamp(workflow.Now(ctx))+" — "+fmt.Sprintf(format, args...))
	if len(o.events) > maxEvents {
		o.events = append(o.events[:1], o.events[len(o.events)-maxEvents+1:]...)
	}
	o.render(ctx)
}

// attrs are the order's search attributes.
func orderAttrs(ref OrderRef, status sillage.OrderStatus) []temporal.SearchAttributeUpdate {
	supplier := ""
	if ref.Kind == sillage.OrderPurchase {
		supplier = ref.Source
	}
	return []temporal.SearchAttributeUpdate{
		AttrNetwork.ValueSet(ref.Network),
		AttrSite.ValueSet(ref.Site),
		AttrSupplier.ValueSet(supplier),
		AttrStatus.ValueSet(string(status)),
		AttrCostEUR.ValueSet(ref.ValueEUR),
		AttrKgCO2e.ValueSet(ref.KgCO2e),
	}
}

// setStatus records a status in the store, then in the search attributes
// and details.
func (o *orderRun) setStatus(ctx workflow.Context, s sillage.OrderStatus, reason, by string) error {
	if err := callNoResult(ctx, storeOptions, ActSetOrderStatus, StatusChange{OrderID: o.in.OrderID, Status: s, Reason: reason, By: by}); err != nil {
		return fmt.Errorf("order %s: set status %s: %w", o.in.OrderID, s, err)
	}
	o.status, o.reason = s, reason
	o.publish(ctx)
	return nil
}

// publish upserts the search attributes and refreshes the details.
func (o *orderRun) publish(ctx workflow.Context) {
	if err := workflow.UpsertTypedSearchAttributes(ctx, orderAttrs(o.in.OrderRef, o.status)...); err != nil {
		workflow.GetLogger(ctx).Warn("upsert search attributes", "order", o.in.OrderID, "error", err)
	}
	o.render(ctx)
}

// create inserts the order (idempotently) and adopts what the store holds.
func (o *orderRun) create(ctx workflow.Context) error {
	// An order its plan held in a batch is only read back: no store
	// write, so no need to queue for the store's writers.
	opts := storeOptions
	if o.in.Held {
		opts = readOptions
	}
	st, err := call[OrderState](ctx, opts, ActCreateOrder, o.in.OrderRef)
	if err != nil {
		return fmt.Errorf("order %s: create: %w", o.in.OrderID, err)
	}
	o.lines = st.Lines
	if st.ValueEUR > 0 {
		o.in.ValueEUR = st.ValueEUR
	}
	if st.KgCO2e > 0 {
		o.in.KgCO2e = st.KgCO2e
	}
	if u := st.Units(); u > 0 {
		o.in.Units = u
	}
	o.in.Lines = len(st.Lines)
	o.expected = o.in.Units
	o.expectedLines = st.Lines
	if st.Status != "" {
		o.status, o.reason = st.Status, st.Reason
	}
	switch {
	case st.Created:
		o.event(ctx, "order created: %d lines, %s units, %s", len(st.Lines), units(o.in.Units), eur(o.in.ValueEUR))
	case o.in.Held && st.Status == sillage.OrderCreated:
		o.event(ctx, "order created and its stock held with its plan: %d lines, %s units, %s", len(st.Lines), units(o.in.Units), eur(o.in.ValueEUR))
	default:
		o.event(ctx, "order already stored with status %s; continuing from there", st.Status)
	}
	o.publish(ctx)
	return nil
}

// reportToPlan tells the workflow that started this order (its batch:
// ReportTo, or its parent) its status, once. One that has already
// finished ignores it.
func (o *orderRun) reportToPlan(ctx workflow.Context) {
	if o.reported {
		return
	}
	o.reported = true
	to := o.in.ReportTo
	if parent := workflow.GetInfo(ctx).ParentWorkflowExecution; to == "" && parent != nil {
		to = parent.ID
	}
	if to == "" {
		return
	}
	// The future is not waited for: a plan that has finished cannot be
	// signalled, and that is fine.
	workflow.SignalExternalWorkflow(ctx, to, "", SignalOrderStatus,
		OrderStatusReport{OrderID: o.in.OrderID, Status: o.status, Reason: o.reason})
}

// notify sends a notice; a failure is logged in the events, never fatal.
func (o *orderRun) notify(ctx workflow.Context, kind NoticeKind, msg string) {
	if err := callNoResult(ctx, messageOptions, ActNotify, Notice{OrderID: o.in.OrderID, Kind: kind, Message: msg}); err != nil {
		o.event(ctx, "notice %s not sent: %v", kind, rootMessage(err))
	}
}

// compensate releases what the order holds beyond keep, records status
// and reason, and asks the planner for a new plan.
func (o *orderRun) compensate(ctx workflow.Context, s sillage.OrderStatus, reason string, keep []sillage.OrderLine) error {
	return o.release(ctx, s, reason, keep, true)
}

// release releases what the order holds beyond keep and records status
// and reason; with replan it asks the planner for a new plan. An order
// that failed because the system cannot reach the supplier or the broker
// does not re-plan: the new plan would make the same order and fail alike,
// over and over; the notice tells the planners instead.
func (o *orderRun) release(ctx workflow.Context, s sillage.OrderStatus, reason string, keep []sillage.OrderLine, replan bool) error {
	rel, err := call[ReleaseResult](ctx, storeOptions, ActReleaseOrder, Release{OrderID: o.in.OrderID, Network: o.in.Network, Keep: keep, Status: s, Reason: reason})
	if err != nil {
		return fmt.Errorf("order %s: release: %w", o.in.OrderID, err)
	}
	o.status, o.reason = s, reason
	o.event(ctx, "%s: %s — released %s units", s, reason, units(rel.Units))
	o.publish(ctx)
	if !replan {
		o.notify(ctx, NoticeCompensated, fmt.Sprintf("%s %s: %s; %s units released; no re-plan (fix the cause, then plan again)", o.in.OrderID, s, reason, units(rel.Units)))
		return nil
	}
	req := ReplanRequest{Network: o.in.Network, Trigger: Trigger{
		ID:     o.in.OrderID + ":" + string(s),
		Kind:   TriggerReplan,
		Site:   o.in.Site,
		Reason: fmt.Sprintf("%s %s: %s", o.in.OrderID, s, reason),
		At:     workflow.Now(ctx),
		// The new plan's orders keep this order's timings.
		Timings: &o.in.Timings,
	}}
	if err := callNoResult(ctx, messageOptions, ActRequestReplan, req); err != nil {
		o.event(ctx, "re-plan request failed: %v", rootMessage(err))
	} else {
		o.replan = true
		o.event(ctx, "re-plan requested from %s", PlannerWorkflowID(o.in.Network))
	}
	o.notify(ctx, NoticeCompensated, fmt.Sprintf("%s %s: %s; %s units released, re-plan requested", o.in.OrderID, s, reason, units(rel.Units)))
	return nil
}

// receiveBefore waits until a value of type T comes on ch or timer fires,
// whichever is first (ch is added to the selector before timer). It
// returns the value and true, or the zero T and false when the timer fired
// first. It does not cancel the timer.
func receiveBefore[T any](ctx workflow.Context, ch workflow.ReceiveChannel, timer workflow.Future) (T, bool) {
	var v T
	received := false
	sel := workflow.NewSelector(ctx)
	sel.AddReceive(ch, func(c workflow.ReceiveChannel, _ bool) {
		c.Receive(ctx, &v)
		received = true
	})
	sel.AddFuture(timer, func(workflow.Future) {})
	sel.Select(ctx)
	return v, received
}

// awaitReceipt waits for goods receipts until the expected units have
// arrived or a receipt says the receiving is complete, sending an overdue
// notice every ReceiptReminder meanwhile. Then the order is received and
// closed.
func (o *orderRun) awaitReceipt(ctx workflow.Context) error {
	ch := workflow.GetSignalChannel(ctx, SignalGoodsReceipt)
	complete := false
	for !complete && o.recvd+1e-9 < o.expected {
		tctx, cancel := workflow.WithCancel(ctx)
		timer := workflow.NewTimerWithOptions(tctx, o.t.ReceiptReminder, workflow.TimerOptions{Summary: "goods receipt overdue"})
		receipt, received := receiveBefore[OrderReceipt](ctx, ch, timer)
		cancel()
		if !received {
			msg := fmt.Sprintf("%s: goods receipt at %s overdue: %s of %s units received", o.in.OrderID, o.in.Site, units(o.recvd), units(o.expected))
			o.event(ctx, "receipt overdue (%s of %s units)", units(o.recvd), units(o.expected))
			o.notify(ctx, NoticeOverdue, msg)
			continue
		}
		r := &receipt
		if !o.acceptReceipt(ctx, r) {
			continue
		}
		complete = r.Complete
		final := complete || o.recvd+1e-9 >= o.expected
		o.receipts++
		p := ReceiptProgress{OrderID: o.in.OrderID, Network: o.in.Network, Site: o.in.Site, Seq: o.receipts, Lines: r.Lines, Units: r.Units,
			TotalUnits: o.recvd, Received: o.received, Expected: o.expectedLines, Final: final}
		if err := callNoResult(ctx, storeOptions, ActReceiveOrder, p); err != nil {
			return fmt.Errorf("order %s: record receipt: %w", o.in.OrderID, err)
		}
		o.event(ctx, "goods received at %s: %s units (%s of %s)", o.in.Site, units(r.Units), units(o.recvd), units(o.expected))
	}
	o.status = sillage.OrderReceived
	o.publish(ctx)
	return o.setStatus(ctx, sillage.OrderClosed, "", "")
}

// acceptReceipt checks a receipt and adds it to what was received. It
// returns false for a receipt of another order, another site, or one
// already counted.
func (o *orderRun) acceptReceipt(ctx workflow.Context, r *OrderReceipt) bool {
	if r.OrderID != "" && r.OrderID != o.in.OrderID {
		o.event(ctx, "receipt for %s ignored", r.OrderID)
		return false
	}
	if r.Site != "" && r.Site != o.in.Site {
		o.event(ctx, "receipt at %s ignored: the order ships to %s", r.Site, o.in.Site)
		return false
	}
	if r.EventID != "" {
		for _, id := range o.seen {
			if id == r.EventID {
				return false
			}
		}
		o.seen = append(o.seen, r.EventID)
		if len(o.seen) > maxSeenIDs {
			o.seen = o.seen[1:]
		}
	}
	if r.Units == 0 {
		r.Units = sumUnits(r.Lines)
	}
	if r.Units < 0 || math.IsNaN(r.Units) || math.IsInf(r.Units, 0) {
		o.event(ctx, "receipt with %v units ignored", r.Units)
		return false
	}
	o.received = addLines(o.received, r.Lines)
	o.recvd += r.Units
	return true
}

// addLines adds the quantities of more to lines, by sku, keeping order.
func addLines(lines, more []sillage.OrderLine) []sillage.OrderLine {
	out := append([]sillage.OrderLine(nil), lines...)
	for _, m := range more {
		found := false
		for i := range out {
			if out[i].SKU == m.SKU {
				out[i].Quantity += m.Quantity
				out[i].ValueEUR += m.ValueEUR
				found = true
				break
			}
		}
		if !found {
			out = append(out, m)
		}
	}
	return out
}

// ReceiptProgress records one goods receipt against an order. The
// ReceiveOrder activity applies each (order, Seq) once, so a retry changes
// nothing; with Final it also releases what the order still held beyond
// what arrived and marks the order received.
type ReceiptProgress struct {
	OrderID    string              `json:"order_id"`
	Network    string              `json:"network"`
	Site       string              `json:"site"`
	Seq        int                 `json:"seq"`                // 1 for the first receipt counted
	Lines      []sillage.OrderLine `json:"lines,omitempty"`    // this receipt per sku; empty when it gave units only
	Units      float64             `json:"units"`              // this receipt
	TotalUnits float64             `json:"total_units"`        // received so far, this receipt included
	Received   []sillage.OrderLine `json:"received,omitempty"` // received so far per sku
	Expected   []sillage.OrderLine `json:"expected,omitempty"` // what the order expects: ordered or confirmed lines
	Final      bool                `json:"final"`
}

// terminal reports whether an order in status s is finished.
func terminal(s sillage.OrderStatus) bool {
	switch s {
	case sillage.OrderClosed, sillage.OrderRejected, sillage.OrderCancelled, sillage.OrderExpired, sillage.OrderReceived:
		return true
	}
	return false
}

// rootMessage is the message of the innermost application error in err,
// or err's own message: what a planner should read.
func rootMessage(err error) string {
	var app *temporal.ApplicationError
	if errors.As(err, &app) {
		return app.Message()
	}
	var ce *temporal.CanceledError
	if errors.As(err, &ce) {
		return "canceled"
	}
	var te *temporal.TimeoutError
	if errors.As(err, &te) {
		return "timed out (" + strings.ToLower(te.TimeoutType().String()) + ")"
	}
	return err.Error()
}

// render writes the order's details as markdown.
func (o *orderRun) render(ctx workflow.Context) {
	var b strings.Builder
	kind := "Purchase order"
	if o.in.Kind == sillage.OrderTransfer {
		kind = "Transfer"
	}
	printf(&b, "## %s `%s`\n\n", kind, o.in.OrderID)
	printf(&b, "**Status: %s**", strings.ReplaceAll(string(o.status), "_", " "))
	if o.reason != "" {
		printf(&b, " — %s", o.reason)
	}
	b.WriteString("\n\n")
	if o.status == sillage.OrderAwaitingApproval {
		printf(&b, "This order is worth %s, above the approval threshold of %s. ", eur(o.in.ValueEUR), eur(o.in.ApprovalThresholdEUR))
		printf(&b, "Approve or reject it: in the UI, send the signal (or update) `approve` with `{\"by\":\"your name\"}`, "+
			"or `reject` with `{\"by\":\"your name\",\"reason\":\"why\"}`; or run `sillage approve %s` / `sillage reject %s --reason \"...\"`. The approver is the Temporal identity that sends it; \"by\" is a label. ", o.in.OrderID, o.in.OrderID)
		printf(&b, "Reminder after %s, escalation after %s, expiry after %s.\n\n",
			duration(o.t.ApprovalReminder), duration(o.t.ApprovalEscalation), duration(o.t.ApprovalExpiry))
	}
	source := "Supplier"
	if o.in.Kind == sillage.OrderTransfer {
		source = "From"
	}
	kv(&b,
		"Plan", fmt.Sprintf("`%s` (workflow `%s`)", o.in.PlanID, PlanWorkflowID(o.in.PlanID)),
		"Network", o.in.Network,
		source, o.in.Source,
		"Ship to", o.in.Site,
		"Value", eur(o.in.ValueEUR),
		"Transport carbon", kgCO2e(o.in.KgCO2e),
		"Units", fmt.Sprintf("%s ordered, %s expected, %s received", units(o.in.Units), units(o.expected), units(o.recvd)),
	)
	if o.decision != nil {
		verb := "Rejected"
		if o.approved {
			verb = "Approved"
		}
		printf(&b, "\n%s by %s", verb, orDefault(o.decision.By, "a planner"))
		if o.decision.Reason != "" {
			printf(&b, ": %s", o.decision.Reason)
		}
		b.WriteString("\n")
	} else if len(o.approvers) > 0 {
		printf(&b, "\nApproved so far by %s; a second, different approver is needed.\n", o.approvers[0])
	}
	if len(o.refusals) > 0 {
		b.WriteString("\n### Refused approvals\n\n")
		for _, r := range o.refusals {
			b.WriteString("- " + r + "\n")
		}
	}
	if len(o.lines) > 0 {
		b.WriteString("\n### Lines\n\n")
		rows := make([][]string, 0, len(o.lines))
		for i, l := range o.lines {
			if i == 25 {
				rows = append(rows, []string{fmt.Sprintf("… %d more", len(o.lines)-25), "", ""})
				break
			}
			rows = append(rows, []string{l.SKU, units(l.Quantity), eur(l.ValueEUR)})
		}
		table(&b, []string{"SKU", "Units", "Value"}, rows)
	}
	o.renderClosing(&b)
	if len(o.events) > 0 {
		b.WriteString("\n### Events\n\n")
		for _, e := range o.events {
			b.WriteString("- " + e + "\n")
		}
	}
	workflow.SetCurrentDetails(ctx, b.String())
}

func orDefault(s, def string) string {
	if strings.TrimSpace(s) == "" {
		return def
	}
	return s
}

// abandon returns the workflow's result after a compensation that ends
// the order, with the compensation's error. (A plain
// "return o.result(), o.compensate(...)" would read the result before the
// compensation changed it.)
func (o *orderRun) abandon(err error) (OrderResult, error) { return o.result(), err }
