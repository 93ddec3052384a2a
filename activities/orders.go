package activities

import (
	"context"
	"errors"
	"fmt"
	"math"
	"sort"
	"strconv"
	"strings"

	"go.temporal.io/sdk/temporal"

	"github.com/sillage/sillage"
	"github.com/sillage/sillage/workflows"
)

// unitTol: plan quantities within this of a whole number (units) are that
// number; lines that round to zero are dropped.
const unitTol = 1e-6

// OrdersFromPlan groups the lines of a plan into orders:
//
//   - one purchase order per supplier and destination site, with id
//     po:<plan>:<supplier>:<n>, n counting from 1 per supplier in site
//     order;
//   - one transfer per distribution centre and destination site, with id
//     to:<plan>:<source>:<site>.
//
// The LP's quantities are continuous: each line is rounded up to whole
// units (a quantity within 1e-6 of a whole number is that number), its
// value is units × the product's unit cost (EUR) and its emissions scale
// with the rounding. Lines are sorted by sku. The result depends only on
// the plan and the network, so every call gives the same orders. Errors
// wrap sillage.ErrInvalid for a line from an unknown source or of an
// unknown product.
func OrdersFromPlan(n *sillage.Network, p *sillage.Plan) ([]sillage.Order, error) {
	type key struct{ source, site string }
	type acc struct {
		lines map[string]*sillage.OrderLine
		kg    float64
	}
	groups := map[key]*acc{}
	for i, l := range p.Lines {
		src, ok := n.Site(l.Source)
		if !ok || (src.Kind != sillage.KindSupplier && src.Kind != sillage.KindDC) {
			return nil, fmt.Errorf("%w: plan %s line %d: source %q is not a supplier or distribution centre of network %s", sillage.ErrInvalid, p.ID, i, l.Source, n.Name)
		}
		prod, ok := n.Product(l.SKU)
		if !ok {
			return nil, fmt.Errorf("%w: plan %s line %d: unknown product %q", sillage.ErrInvalid, p.ID, i, l.SKU)
		}
		q := math.Ceil(l.Quantity - unitTol)
		if q <= 0 || math.IsNaN(q) || math.IsInf(q, 0) {
			continue
		}
		k := key{l.Source, l.Site}
		g := groups[k]
		if g == nil {
			g = &acc{lines: map[string]*sillage.OrderLine{}}
			groups[k] = g
		}
		ol := g.lines[l.SKU]
		if ol == nil {
			ol = &sillage.OrderLine{SKU: l.SKU}
			g.lines[l.SKU] = ol
		}
		ol.Quantity += q
		ol.ValueEUR += q * prod.UnitCostEUR
		if l.Quantity > 0 {
			g.kg += l.KgCO2e * q / l.Quantity
		}
	}
	keys := make([]key, 0, len(groups))
	for k := range groups {
		keys = append(keys, k)
	}
	sort.Slice(keys, func(i, j int) bool {
		if keys[i].source != keys[j].source {
			return keys[i].source < keys[j].source
		}
		return keys[i].site < keys[j].site
	})
	out := make([]sillage.Order, 0, len(keys))
	perSupplier := map[string]int{}
	for _, k := range keys {
		g := groups[k]
		src, _ := n.Site(k.source)
		o := sillage.Order{PlanID: p.ID, Source: k.source, Site: k.site, Status: sillage.OrderCreated, KgCO2e: g.kg}
		if src.Kind == sillage.KindSupplier {
			perSupplier[k.source]++
			o.Kind, o.ID = sillage.OrderPurchase, workflows.PurchaseOrderID(p.ID, k.source, perSupplier[k.source])
		} else {
			o.Kind, o.ID = sillage.OrderTransfer, workflows.TransferOrderID(p.ID, k.source, k.site)
		}
		skus := make([]string, 0, len(g.lines))
		for s := range g.lines {
			skus = append(skus, s)
		}
		sort.Strings(skus)
		for _, s := range skus {
			o.Lines = append(o.Lines, *g.lines[s])
			o.ValueEUR += g.lines[s].ValueEUR
		}
		out = append(out, o)
	}
	return out, nil
}

// holdChanges are the stock changes of creating an order: its units are
// in transit to its site and, for a transfer, reserved at its source.
func holdChanges(o sillage.Order, lines []sillage.OrderLine, sign float64) []sillage.PositionChange {
	var out []sillage.PositionChange
	for _, l := range lines {
		q := sign * l.Quantity
		if q == 0 {
			continue
		}
		out = append(out, sillage.PositionChange{Site: o.Site, SKU: l.SKU, Delta: sillage.PositionDelta{InTransit: q}})
		if o.Kind == sillage.OrderTransfer {
			out = append(out, sillage.PositionChange{Site: o.Source, SKU: l.SKU, Delta: sillage.PositionDelta{Reserved: q}})
		}
	}
	return out
}

// byKey returns the quantities of lines by sku.
func byKey(lines []sillage.OrderLine) map[string]float64 {
	m := make(map[string]float64, len(lines))
	for _, l := range lines {
		m[l.SKU] += l.Quantity
	}
	return m
}

// getOrder reads an order, as a non-retryable error when it is unknown.
func (a *Activities) getOrder(ctx context.Context, id string) (sillage.Order, error) {
	o, err := a.Store.GetOrder(ctx, id)
	if err != nil {
		return sillage.Order{}, classify(err)
	}
	return o, nil
}

// CreateOrder makes sure the order is stored (rebuilding it from its
// stored plan when the persist step did not store it) and holds its stock
// once: units in transit at its site and, for a transfer, reserved at its
// distribution centre. Created reports whether this call applied the hold.
// An order held already (by CreatePlanOrders for a batched plan, or by an
// earlier attempt) is only read: no write transaction.
func (a *Activities) CreateOrder(ctx context.Context, ref workflows.OrderRef) (workflows.OrderState, error) {
	o, err := a.Store.GetOrder(ctx, ref.OrderID)
	if errors.Is(err, sillage.ErrNotFound) {
		o, err = a.rebuildOrder(ctx, ref)
	}
	if err != nil {
		return workflows.OrderState{}, classify(err)
	}
	// Held already (by CreatePlanOrders, or an earlier call): only read,
	// so that the plan's order workflows do not queue for the writer.
	held, err := a.Store.OrderEffectApplied(ctx, o.ID, "hold")
	if err != nil {
		return workflows.OrderState{}, classify(err)
	}
	if held {
		return workflows.OrderState{ID: o.ID, Status: o.Status, ValueEUR: o.ValueEUR, KgCO2e: o.KgCO2e, Lines: o.Lines, Reason: o.Reason}, nil
	}
	applied, err := a.Store.ApplyOrderEffect(ctx, holdEffect(ref.Network, o))
	if err != nil {
		return workflows.OrderState{}, classify(fmt.Errorf("hold stock for order %s: %w", o.ID, err))
	}
	return workflows.OrderState{ID: o.ID, Status: o.Status, ValueEUR: o.ValueEUR, KgCO2e: o.KgCO2e, Lines: o.Lines,
		Reason: o.Reason, Created: applied}, nil
}

// rebuildOrder derives an order from its stored plan and stores it.
func (a *Activities) rebuildOrder(ctx context.Context, ref workflows.OrderRef) (sillage.Order, error) {
	p, err := a.Store.LoadPlan(ctx, ref.PlanID)
	if err != nil {
		return sillage.Order{}, fmt.Errorf("order %s: %w", ref.OrderID, err)
	}
	n, err := a.network(ctx, ref.Network)
	if err != nil {
		return sillage.Order{}, err
	}
	orders, err := OrdersFromPlan(n, p)
	if err != nil {
		return sillage.Order{}, err
	}
	for _, o := range orders {
		if o.ID == ref.OrderID {
			if _, err := a.Store.SaveOrder(ctx, o); err != nil {
				return sillage.Order{}, err
			}
			return a.Store.GetOrder(ctx, o.ID)
		}
	}
	return sillage.Order{}, fmt.Errorf("%w: plan %s has no order %s", sillage.ErrNotFound, ref.PlanID, ref.OrderID)
}

// SetOrderStatus records a status, with "by NAME" before the reason when
// someone decided.
func (a *Activities) SetOrderStatus(ctx context.Context, c workflows.StatusChange) error {
	reason := c.Reason
	if c.By != "" {
		reason = strings.TrimSuffix("by "+c.By+": "+reason, ": ")
	}
	return classify(a.Store.UpdateOrderStatus(ctx, c.OrderID, c.Status, reason))
}

// ReleaseOrder gives back what the order holds beyond Keep (all of it when
// Keep is empty) and sets its status, once per status.
func (a *Activities) ReleaseOrder(ctx context.Context, r workflows.Release) (workflows.ReleaseResult, error) {
	o, err := a.getOrder(ctx, r.OrderID)
	if err != nil {
		return workflows.ReleaseResult{}, err
	}
	keep := byKey(r.Keep)
	var rel []sillage.OrderLine
	units := 0.0
	for _, l := range o.Lines {
		q := math.Max(0, l.Quantity-keep[l.SKU])
		if q > 0 {
			rel = append(rel, sillage.OrderLine{SKU: l.SKU, Quantity: q})
			units += q
		}
	}
	_, err = a.Store.ApplyOrderEffect(ctx, sillage.OrderEffect{
		OrderID: o.ID, Name: "release:" + string(r.Status), Network: r.Network,
		Changes: holdChanges(o, rel, -1), Status: r.Status, Reason: r.Reason,
	})
	if err != nil {
		return workflows.ReleaseResult{}, classify(fmt.Errorf("release order %s: %w", o.ID, err))
	}
	a.log().InfoContext(ctx, "order released", "order", o.ID, "status", r.Status, "units", units, "reason", r.Reason)
	return workflows.ReleaseResult{Units: units}, nil
}

// SubmitOrder sends a purchase order to its supplier.
func (a *Activities) SubmitOrder(ctx context.Context, ref workflows.OrderRef) (workflows.Submission, error) {
	if a.Supplier == nil {
		return workflows.Submission{}, notConfigured("supplier")
	}
	o, err := a.getOrder(ctx, ref.OrderID)
	if err != nil {
		return workflows.Submission{}, err
	}
	sub, err := a.Supplier.Submit(ctx, o)
	if err != nil {
		return workflows.Submission{}, classify(fmt.Errorf("submit %s to %s: %w", o.ID, o.Source, err))
	}
	sub.OrderID = o.ID
	return sub, nil
}

// AwaitConfirmation asks the supplier once for its answer. While there is
// none it fails with the retryable, benign error type
// workflows.ErrTypePending: the workflow's retry policy for it polls every
// Poll without holding a worker slot in between. It returns ConfirmCallback when the supplier
// cannot be polled, so that the workflow waits for the callback signal.
func (a *Activities) AwaitConfirmation(ctx context.Context, in workflows.AwaitConfirmationInput) (workflows.Confirmation, error) {
	if a.Supplier == nil {
		return workflows.Confirmation{}, notConfigured("supplier")
	}
	o, err := a.getOrder(ctx, in.Submission.OrderID)
	if err != nil {
		return workflows.Confirmation{}, err
	}
	c, err := a.Supplier.Status(ctx, o, in.Submission)
	switch {
	case errors.Is(err, ErrCallbackOnly):
		return workflows.Confirmation{OrderID: o.ID, Status: workflows.ConfirmCallback}, nil
	case err != nil:
		// A supplier that is down is asked again at the next poll; the
		// workflow's timeout decides when to give up.
		return workflows.Confirmation{}, fmt.Errorf("status of %s at %s: %w", o.ID, o.Source, err)
	case c.Status == workflows.ConfirmPending || c.Status == "":
		// Benign: no answer yet is the normal state of a poll, so the
		// worker logs each attempt at debug level instead of as an
		// activity error, and does not count it as a failure.
		return workflows.Confirmation{}, temporal.NewApplicationErrorWithOptions(
			fmt.Sprintf("%s has not answered %s yet", o.Source, o.ID), workflows.ErrTypePending,
			temporal.ApplicationErrorOptions{Category: temporal.ApplicationErrorCategoryBenign})
	}
	c.OrderID = o.ID
	return c, nil
}

// CancelSupplierOrder cancels a purchase order at its supplier.
func (a *Activities) CancelSupplierOrder(ctx context.Context, c workflows.SupplierCancel) error {
	if a.Supplier == nil {
		return notConfigured("supplier")
	}
	o, err := a.getOrder(ctx, c.OrderID)
	if err != nil {
		return err
	}
	return classify(a.Supplier.Cancel(ctx, o, c.Reason))
}

// ApplyConfirmation records the supplier's answer as the order's status.
func (a *Activities) ApplyConfirmation(ctx context.Context, c workflows.Confirmation) error {
	status := sillage.OrderConfirmed
	reason := c.Reason
	if c.Status == workflows.ConfirmPartial {
		status = sillage.OrderPartial
		o, err := a.getOrder(ctx, c.OrderID)
		if err != nil {
			return err
		}
		ordered, confirmed := 0.0, 0.0
		for _, l := range o.Lines {
			ordered += l.Quantity
		}
		for _, l := range c.Lines {
			confirmed += l.Quantity
		}
		reason = strings.TrimSuffix(fmt.Sprintf("confirmed %g of %g units: %s", confirmed, ordered, c.Reason), ": ")
	}
	if c.SupplierRef != "" {
		reason = strings.TrimPrefix(reason+" (supplier ref "+c.SupplierRef+")", " ")
	}
	return classify(a.Store.UpdateOrderStatus(ctx, c.OrderID, status, reason))
}

// ReceiveOrder consumes what a goods receipt brought from what the order
// holds (at most what it holds of each product), once per receipt; with
// Final it releases what the order still held and marks it received.
func (a *Activities) ReceiveOrder(ctx context.Context, p workflows.ReceiptProgress) error {
	o, err := a.getOrder(ctx, p.OrderID)
	if err != nil {
		return err
	}
	expected := p.Expected
	if len(expected) == 0 {
		expected = o.Lines
	}
	exp := byKey(expected)
	after := byKey(p.Received)
	this := byKey(p.Lines)
	if len(p.Lines) == 0 {
		// Units without products: count them against the expected lines
		// in order.
		after = spread(p.TotalUnits, expected)
		before := spread(p.TotalUnits-p.Units, expected)
		this = map[string]float64{}
		for sku, q := range after {
			this[sku] = q - before[sku]
		}
	}
	var consumed []sillage.OrderLine
	for _, l := range expected {
		now := math.Min(after[l.SKU], exp[l.SKU])
		was := math.Min(math.Max(0, after[l.SKU]-this[l.SKU]), exp[l.SKU])
		if q := now - was; q > 0 {
			consumed = append(consumed, sillage.OrderLine{SKU: l.SKU, Quantity: q})
		}
	}
	if _, err := a.Store.ApplyOrderEffect(ctx, sillage.OrderEffect{
		OrderID: o.ID, Name: "receipt:" + strconv.Itoa(p.Seq), Network: p.Network, Changes: holdChanges(o, consumed, -1),
	}); err != nil {
		return classify(fmt.Errorf("receipt %d of order %s: %w", p.Seq, o.ID, err))
	}
	if !p.Final {
		return nil
	}
	var rest []sillage.OrderLine
	for _, l := range expected {
		if q := exp[l.SKU] - math.Min(after[l.SKU], exp[l.SKU]); q > 0 {
			rest = append(rest, sillage.OrderLine{SKU: l.SKU, Quantity: q})
		}
	}
	reason := fmt.Sprintf("received %g units", p.TotalUnits)
	if _, err := a.Store.ApplyOrderEffect(ctx, sillage.OrderEffect{
		OrderID: o.ID, Name: "final", Network: p.Network, Changes: holdChanges(o, rest, -1),
		Status: sillage.OrderReceived, Reason: reason,
	}); err != nil {
		return classify(fmt.Errorf("final receipt of order %s: %w", o.ID, err))
	}
	return nil
}

// PublishTransfer publishes a transfer order to its distribution centre's
// command topic, with the same command id on every send.
func (a *Activities) PublishTransfer(ctx context.Context, c workflows.TransferCommand) error {
	if a.Commands == nil {
		return notConfigured("MQTT command publisher")
	}
	o, err := a.getOrder(ctx, c.OrderID)
	if err != nil {
		return err
	}
	n, err := a.network(ctx, c.Network)
	if err != nil {
		return classify(err)
	}
	cmd := sillage.Command{
		ID: c.CommandID, Kind: sillage.CommandTransferOrder, Site: o.Source, From: o.Source, To: o.Site,
		Reference: o.PlanID, IssuedAt: a.clock().UTC(), Deadline: c.Deadline.UTC(), Attempt: c.Attempt,
	}
	for _, l := range o.Lines {
		gtin := ""
		if p, ok := n.Product(l.SKU); ok {
			gtin = p.GTIN
		}
		cmd.Lines = append(cmd.Lines, sillage.CommandLine{SKU: l.SKU, GTIN: gtin, Quantity: l.Quantity})
	}
	if err := a.Commands.Publish(ctx, c.Network, cmd); err != nil {
		return classify(fmt.Errorf("publish transfer %s to %s: %w", o.ID, o.Source, err))
	}
	return nil
}

// Notify tells the planners; without a Notifier it logs.
func (a *Activities) Notify(ctx context.Context, n workflows.Notice) error {
	if a.Notifier == nil {
		return LogNotifier{Log: a.log()}.Notify(ctx, n)
	}
	return a.Notifier.Notify(ctx, n)
}

// RequestReplan asks the network's planner for a new plan.
func (a *Activities) RequestReplan(ctx context.Context, r workflows.ReplanRequest) error {
	if a.Replanner == nil {
		return notConfigured("Temporal client for re-plans")
	}
	if r.Network == "" {
		return temporal.NewNonRetryableApplicationError("re-plan request without a network", workflows.ErrTypeInvalid, nil)
	}
	return a.Replanner.Replan(ctx, r.Network, r.Trigger)
}

// WriteReport writes the network's report for a month.
func (a *Activities) WriteReport(ctx context.Context, in workflows.ReportInput) (workflows.ReportResult, error) {
	if a.Reporter == nil {
		return workflows.ReportResult{}, notConfigured("report writer")
	}
	stop := a.heartbeat(ctx, "report")
	defer stop()
	res, err := a.Reporter.WriteReport(ctx, in)
	return res, classify(err)
}

// spread fills the expected lines in order with total units and returns
// the units per sku.
func spread(total float64, expected []sillage.OrderLine) map[string]float64 {
	out := map[string]float64{}
	for _, l := range expected {
		q := math.Max(0, math.Min(total, l.Quantity))
		out[l.SKU] += q
		total -= q
	}
	return out
}
