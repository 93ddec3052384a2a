package workflows

import (
	"fmt"
	"math"
	"strings"
	"time"

	"go.temporal.io/sdk/workflow"

	"github.com/sillage/sillage"
)

// This file closes orders (issue 12): an order closes when its receipts
// cover what it expects, line by line; a short delivery closes once the
// grace period after its first receipt has passed, with the remainder
// cancelled and re-planned once; over-deliveries and wrong items are
// recorded in the details; a shipping event converts the order's hold into
// stock in transit. A transfer never acked is re-planned once, then
// flagged for a planner.

// Change ids for workflow.GetVersion. Histories recorded before these
// changes replay on the old paths (awaitReceipt, compensate).
const (
	// receiptCloseChange: receipts and shipments counted per product,
	// grace period, short close with one re-plan.
	receiptCloseChange = "receipt-close"
	// unackedReplanChange: a transfer never acked re-plans once, then is
	// flagged for a planner.
	unackedReplanChange = "unacked-replan-once"
)

// SignalGoodsShipped carries an OrderShipment reported by the ingest from
// an EPCIS shipping event that names the order.
const SignalGoodsShipped = "goods_shipped"

// NoticeFlagged is the notice of an order a planner must look at: the
// system stopped acting on it by itself.
const NoticeFlagged NoticeKind = "flagged"

// OrderShipment is goods shipped against an order, reported by the ingest
// from an EPCIS ObjectEvent with bizStep shipping at the source (iot.Shipment,
// matched to the order by activities.Temporal).
type OrderShipment struct {
	OrderID string              `json:"order_id"`
	Source  string              `json:"source"`             // the site that shipped
	Site    string              `json:"site"`               // the destination
	EventID string              `json:"event_id,omitempty"` // the EPCIS event, for deduplication
	Lines   []sillage.OrderLine `json:"lines,omitempty"`    // units shipped per sku
	Units   float64             `json:"units"`              // total of Lines
	At      time.Time           `json:"at"`                 // eventTime
}

// DefaultReceiptGraceDays is the grace period of a short delivery when
// neither the order nor the policy sets one: sillage.DefaultReceiptGraceDays.
const DefaultReceiptGraceDays = sillage.DefaultReceiptGraceDays

// closeState is what awaitClose tracks per order. Quantities are units.
type closeState struct {
	shipped  []sillage.OrderLine // per sku, from shipping events
	counted  []sillage.OrderLine // per sku of the expected lines, received
	covered  []sillage.OrderLine // per sku: max(shipped, counted), what the hold has been consumed for
	over     []sillage.OrderLine // per sku: received beyond the expected quantity
	wrong    []sillage.OrderLine // per sku not on the order: received anyway
	graceEnd time.Time           // zero until the first receipt
	short    float64             // units cancelled at a short close
	final    bool                // the final ReceiveOrder has run
}

// qtyOf returns the quantity of sku in lines.
func qtyOf(lines []sillage.OrderLine, sku string) float64 {
	for _, l := range lines {
		if l.SKU == sku {
			return l.Quantity
		}
	}
	return 0
}

// setQty sets the quantity of sku in lines, appending it when absent.
func setQty(lines []sillage.OrderLine, sku string, q float64) []sillage.OrderLine {
	for i := range lines {
		if lines[i].SKU == sku {
			lines[i].Quantity = q
			return lines
		}
	}
	return append(lines, sillage.OrderLine{SKU: sku, Quantity: q})
}

// graceDuration is the order's grace period for a short delivery.
func (o *orderRun) graceDuration() time.Duration {
	days := o.in.ReceiptGraceDays
	if days <= 0 {
		days = DefaultReceiptGraceDays
	}
	return time.Duration(days * float64(24*time.Hour))
}

// awaitGoods waits for the goods and closes the order: on the path of
// receiptCloseChange for new runs, on the old one for recorded histories.
func (o *orderRun) awaitGoods(ctx workflow.Context) error {
	if workflow.GetVersion(ctx, receiptCloseChange, workflow.DefaultVersion, 1) == workflow.DefaultVersion {
		return o.awaitReceipt(ctx)
	}
	return o.awaitClose(ctx)
}

// covers reports whether the counted receipts cover every expected line.
func (c *closeState) covers(expected []sillage.OrderLine) bool {
	for _, l := range expected {
		if qtyOf(c.counted, l.SKU)+1e-9 < l.Quantity {
			return false
		}
	}
	return true
}

// awaitClose waits for shipments and receipts until the receipts cover the
// expected lines (close), the grace period after the first receipt ends or
// a receipt says the receiving is complete (short close: the remainder is
// cancelled and re-planned once). Meanwhile an overdue notice goes out
// every ReceiptReminder. Each receipt or shipment that covers more of the
// order consumes that much of its hold (ReceiveOrder), once.
func (o *orderRun) awaitClose(ctx workflow.Context) error {
	c := &closeState{}
	o.closing = c
	receipts := workflow.GetSignalChannel(ctx, SignalGoodsReceipt)
	shipments := workflow.GetSignalChannel(ctx, SignalGoodsShipped)
	gctx, cancelGrace := workflow.WithCancel(ctx)
	defer cancelGrace()
	var grace workflow.Future
	complete, graceOver := false, false
	for !complete && !graceOver && !c.covers(o.expectedLines) {
		tctx, cancel := workflow.WithCancel(ctx)
		reminder := workflow.NewTimerWithOptions(tctx, o.t.ReceiptReminder, workflow.TimerOptions{Summary: "goods receipt overdue"})
		var r *OrderReceipt
		var s *OrderShipment
		overdue := false
		sel := workflow.NewSelector(ctx)
		sel.AddReceive(receipts, func(ch workflow.ReceiveChannel, _ bool) {
			var x OrderReceipt
			ch.Receive(ctx, &x)
			r = &x
		})
		sel.AddReceive(shipments, func(ch workflow.ReceiveChannel, _ bool) {
			var x OrderShipment
			ch.Receive(ctx, &x)
			s = &x
		})
		sel.AddFuture(reminder, func(workflow.Future) { overdue = true })
		if grace != nil {
			sel.AddFuture(grace, func(workflow.Future) { graceOver = true })
		}
		sel.Select(ctx)
		cancel()
		switch {
		case graceOver:
		case overdue:
			o.event(ctx, "receipt overdue (%s of %s units)", units(sumUnits(c.counted)), units(o.expected))
			o.notify(ctx, NoticeOverdue, fmt.Sprintf("%s: goods receipt at %s overdue: %s of %s units received",
				o.in.OrderID, o.in.Site, units(sumUnits(c.counted)), units(o.expected)))
		case s != nil:
			if err := o.countShipment(ctx, c, s); err != nil {
				return err
			}
		case r != nil:
			if !o.acceptReceipt(ctx, r) {
				continue
			}
			o.countReceipt(ctx, c, r)
			complete = r.Complete
			// The receipt that completes the order is its final progress.
			if err := o.consume(ctx, c, complete || c.covers(o.expectedLines)); err != nil {
				return err
			}
			if grace == nil && !c.covers(o.expectedLines) && !complete {
				d := o.graceDuration()
				c.graceEnd = workflow.Now(ctx).Add(d)
				grace = workflow.NewTimerWithOptions(gctx, d, workflow.TimerOptions{Summary: "receipt grace period"})
				o.event(ctx, "first goods received; the rest is due within the grace period of %s (until %s)", duration(d), stamp(c.graceEnd))
			}
		}
	}
	cancelGrace()
	return o.closeOrder(ctx, c, graceOver, complete)
}

// countShipment adds a shipment to what the order has shipped.
func (o *orderRun) countShipment(ctx workflow.Context, c *closeState, s *OrderShipment) error {
	if s.OrderID != "" && s.OrderID != o.in.OrderID {
		o.event(ctx, "shipment for %s ignored", s.OrderID)
		return nil
	}
	if s.EventID != "" && o.seenBefore(s.EventID) {
		return nil
	}
	var lines []sillage.OrderLine
	for _, l := range s.Lines {
		if l.Quantity > 0 && !math.IsInf(l.Quantity, 0) {
			lines = append(lines, l)
		}
	}
	for _, l := range lines {
		c.shipped = setQty(c.shipped, l.SKU, qtyOf(c.shipped, l.SKU)+l.Quantity)
	}
	from := orDefault(s.Source, o.in.Source)
	o.event(ctx, "shipped from %s: %s units (%s shipped so far)", from, units(sumUnits(lines)), units(sumUnits(c.shipped)))
	if o.status != sillage.OrderShipped {
		if err := o.setStatus(ctx, sillage.OrderShipped, "", ""); err != nil {
			return err
		}
	}
	return o.consume(ctx, c, false)
}

// countReceipt splits an accepted receipt into what the order expects,
// what is beyond it (over-delivery) and what it does not list (wrong
// items).
func (o *orderRun) countReceipt(ctx workflow.Context, c *closeState, r *OrderReceipt) {
	lines := r.Lines
	if len(lines) == 0 {
		lines = o.spreadUnits(c, r.Units)
	}
	for _, l := range lines {
		want := qtyOf(o.expectedLines, l.SKU)
		if want == 0 && qtyOf(o.lines, l.SKU) == 0 {
			c.wrong = setQty(c.wrong, l.SKU, qtyOf(c.wrong, l.SKU)+l.Quantity)
			o.event(ctx, "wrong item received at %s: %s units of %s, which the order does not list", o.in.Site, units(l.Quantity), l.SKU)
			continue
		}
		had := qtyOf(c.counted, l.SKU)
		in := math.Min(l.Quantity, math.Max(0, want-had))
		if extra := l.Quantity - in; extra > 0 {
			c.over = setQty(c.over, l.SKU, qtyOf(c.over, l.SKU)+extra)
			o.event(ctx, "over-delivery at %s: %s units of %s beyond the %s expected", o.in.Site, units(extra), l.SKU, units(want))
		}
		c.counted = setQty(c.counted, l.SKU, had+in)
	}
	o.event(ctx, "goods received at %s: %s units (%s of %s expected)", o.in.Site, units(r.Units), units(sumUnits(c.counted)), units(o.expected))
}

// spreadUnits turns a receipt of units without products into lines,
// filling the expected lines in order with what they still miss.
func (o *orderRun) spreadUnits(c *closeState, total float64) []sillage.OrderLine {
	var out []sillage.OrderLine
	for _, l := range o.expectedLines {
		q := math.Max(0, math.Min(total, l.Quantity-qtyOf(c.counted, l.SKU)))
		if q > 0 {
			out = append(out, sillage.OrderLine{SKU: l.SKU, Quantity: q})
			total -= q
		}
	}
	if total > 0 && len(o.expectedLines) > 0 {
		// Beyond every line: an over-delivery of the first.
		out = append(out, sillage.OrderLine{SKU: o.expectedLines[0].SKU, Quantity: total})
	}
	return out
}

// consume records the hold consumed by what has shipped or been received
// (per sku the larger, at most the expected quantity) through
// ReceiveOrder, when that grew or when final. With final, ReceiveOrder
// also releases what the order still holds and marks it received.
func (o *orderRun) consume(ctx workflow.Context, c *closeState, final bool) error {
	var grew []sillage.OrderLine
	for _, l := range o.expectedLines {
		now := math.Min(l.Quantity, math.Max(qtyOf(c.shipped, l.SKU), qtyOf(c.counted, l.SKU)))
		if d := now - qtyOf(c.covered, l.SKU); d > 1e-9 {
			grew = append(grew, sillage.OrderLine{SKU: l.SKU, Quantity: d})
			c.covered = setQty(c.covered, l.SKU, now)
		}
	}
	if c.final || (len(grew) == 0 && !final) {
		return nil
	}
	if len(grew) == 0 && len(o.expectedLines) > 0 {
		// ReceiveOrder reads Received per sku only when Lines is not
		// empty: a final progress without new units lists one line at 0.
		grew = []sillage.OrderLine{{SKU: o.expectedLines[0].SKU}}
	}
	o.receipts++
	p := ReceiptProgress{OrderID: o.in.OrderID, Network: o.in.Network, Site: o.in.Site, Seq: o.receipts, Lines: grew,
		Units: sumUnits(grew), TotalUnits: sumUnits(c.covered), Received: c.covered, Expected: o.expectedLines, Final: final}
	if err := callNoResult(ctx, storeOptions, ActReceiveOrder, p); err != nil {
		return fmt.Errorf("order %s: record receipt: %w", o.in.OrderID, err)
	}
	c.final = final
	return nil
}

// closeOrder closes the order: received in full, or short (after the
// grace period or a receipt that says the receiving is complete) with the
// remainder cancelled and one re-plan requested.
func (o *orderRun) closeOrder(ctx workflow.Context, c *closeState, graceOver, complete bool) error {
	o.recvd = sumUnits(c.counted) + sumUnits(c.over) + sumUnits(c.wrong)
	if err := o.consume(ctx, c, true); err != nil {
		return err
	}
	o.status = sillage.OrderReceived
	o.publish(ctx)
	var rest []sillage.OrderLine
	for _, l := range o.expectedLines {
		if q := l.Quantity - qtyOf(c.counted, l.SKU); q > 1e-9 {
			rest = append(rest, sillage.OrderLine{SKU: l.SKU, Quantity: q})
		}
	}
	if len(rest) == 0 {
		return o.setStatus(ctx, sillage.OrderClosed, o.exceptionSummary(c), "")
	}
	c.short = sumUnits(rest)
	why := fmt.Sprintf("nothing more within the grace period of %s", duration(o.graceDuration()))
	if complete && !graceOver {
		why = "the receiving was reported complete"
	}
	reason := fmt.Sprintf("short delivery: %s of %s units received, %s; the remainder of %s units is cancelled",
		units(sumUnits(c.counted)), units(o.expected), why, units(c.short))
	if s := o.exceptionSummary(c); s != "" {
		reason += "; " + s
	}
	if err := o.setStatus(ctx, sillage.OrderClosed, reason, ""); err != nil {
		return err
	}
	o.event(ctx, "closed short: %s units of %s cancelled", units(c.short), lineList(rest))
	o.replanOnce(ctx, "short", fmt.Sprintf("%s closed short: %s units of %s not delivered", o.in.OrderID, units(c.short), lineList(rest)))
	o.notify(ctx, NoticeCompensated, fmt.Sprintf("%s closed short: %s; re-plan requested", o.in.OrderID, reason))
	return nil
}

// replanOnce asks the network's planner for a new plan with a trigger id
// made of the order id and what: the workflow asks once, and the planner
// drops a repeated id, so a retried or reset workflow re-plans once too.
func (o *orderRun) replanOnce(ctx workflow.Context, what, reason string) {
	req := ReplanRequest{Network: o.in.Network, Trigger: Trigger{
		ID: o.in.OrderID + ":" + what, Kind: TriggerReplan, Site: o.in.Site, Reason: reason, At: workflow.Now(ctx),
		Timings: &o.in.Timings,
	}}
	if err := callNoResult(ctx, messageOptions, ActRequestReplan, req); err != nil {
		o.event(ctx, "re-plan request failed: %v", rootMessage(err))
		return
	}
	o.replan = true
	o.event(ctx, "re-plan requested from %s (trigger %s)", PlannerWorkflowID(o.in.Network), req.Trigger.ID)
}

// exceptionSummary names the over-deliveries and wrong items, or "".
func (o *orderRun) exceptionSummary(c *closeState) string {
	var parts []string
	if len(c.over) > 0 {
		parts = append(parts, "over-delivered "+lineList(c.over))
	}
	if len(c.wrong) > 0 {
		parts = append(parts, "wrong items "+lineList(c.wrong))
	}
	return strings.Join(parts, "; ")
}

// lineList formats lines as "3 BAG-01, 2 EDP-01".
func lineList(lines []sillage.OrderLine) string {
	parts := make([]string, len(lines))
	for i, l := range lines {
		parts[i] = units(l.Quantity) + " " + l.SKU
	}
	return strings.Join(parts, ", ")
}

// seenBefore reports whether an event id was counted already, and
// remembers it.
func (o *orderRun) seenBefore(id string) bool {
	for _, s := range o.seen {
		if s == id {
			return true
		}
	}
	o.seen = append(o.seen, id)
	if len(o.seen) > maxSeenIDs {
		o.seen = o.seen[1:]
	}
	return false
}

// renderClosing writes the receiving section of the details: shipped,
// received, over-delivered and wrong items per sku.
func (o *orderRun) renderClosing(b *strings.Builder) {
	c := o.closing
	if c == nil || (len(c.shipped) == 0 && len(c.counted) == 0 && len(c.over) == 0 && len(c.wrong) == 0) {
		return
	}
	b.WriteString("\n### Receiving\n\n")
	var rows [][]string
	for _, l := range o.expectedLines {
		rows = append(rows, []string{l.SKU, units(l.Quantity), units(qtyOf(c.shipped, l.SKU)), units(qtyOf(c.counted, l.SKU)),
			units(qtyOf(c.over, l.SKU)), ""})
	}
	for _, l := range c.wrong {
		rows = append(rows, []string{l.SKU, "0", units(qtyOf(c.shipped, l.SKU)), "0", "0", units(l.Quantity) + " (wrong item)"})
	}
	table(b, []string{"SKU", "Expected", "Shipped", "Received", "Over-delivered", "Not ordered"}, rows)
	if !c.graceEnd.IsZero() {
		printf(b, "\nGrace period for the rest ends %s.\n", stamp(c.graceEnd))
	}
	if c.short > 0 {
		printf(b, "\nClosed short: %s units cancelled and re-planned once.\n", units(c.short))
	}
}

// unacked ends a transfer whose command was never acked. The first time
// it releases the order and re-plans, marking the new plan's orders (their
// timings) as a re-plan of an unacked transfer; a transfer of such a plan
// that is never acked either is released without a re-plan and flagged for
// a planner. So an unreachable warehouse costs one re-plan, not a loop.
func (o *orderRun) unacked(ctx workflow.Context, reason string) error {
	if workflow.GetVersion(ctx, unackedReplanChange, workflow.DefaultVersion, 1) == workflow.DefaultVersion {
		return o.compensate(ctx, sillage.OrderCancelled, reason, nil)
	}
	if o.in.Timings.UnackedReplan {
		reason += "; already re-planned once for an unacked transfer: flagged for a planner"
		if err := o.release(ctx, sillage.OrderCancelled, reason, nil, false); err != nil {
			return err
		}
		o.notify(ctx, NoticeFlagged, fmt.Sprintf("%s: %s never acked a re-planned transfer to %s; check the warehouse, then plan again",
			o.in.OrderID, o.in.Source, o.in.Site))
		o.event(ctx, "flagged for a planner: no further re-plan")
		return nil
	}
	o.in.Timings.UnackedReplan = true
	return o.compensate(ctx, sillage.OrderCancelled, reason, nil)
}
