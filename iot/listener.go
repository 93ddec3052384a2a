package iot

import (
	"context"
	"log/slog"
	"sync"
	"time"

	"github.com/sillage/sillage"
	"github.com/sillage/sillage/iot/epcis"
)

// Listener receives what the ingest notices, after the store has
// committed it: a position falling below its reorder point, a goods
// receipt, an ack of a command. activities.Temporal implements it by
// signalling Temporal workflows (the NetworkPlanner for reorder points,
// the TransferWorkflow of a command or the order of a receipt);
// LogListener only logs.
//
// The ingest writes each of them to the outbox in the batch's
// transaction, and a Relay calls the Listener (Processor.Process also
// calls it at once after the commit when Processor.Listener is set). A
// call that returns an error is retried later, with backoff, until it
// succeeds; a call may repeat (a kill after the call, before the relay
// marked it delivered), so receivers deduplicate on Receipt.ID,
// ReorderCrossing.ID and the command id of a CommandAck. An
// implementation must return quickly (signal, enqueue).
type Listener interface {
	// ReorderPointCrossed reports a position whose available stock (on hand
	// + in transit − reserved) went from at or above its reorder point to
	// below it. Wrap a Listener in Debounce to receive at most one call per
	// position and window.
	ReorderPointCrossed(ctx context.Context, c ReorderCrossing) error
	// GoodsReceived reports a receiving event (bizStep receiving) that
	// placed stock at a site: the units it added per product, with the
	// event's business transactions (po, desadv, ...) that name the order.
	GoodsReceived(ctx context.Context, r Receipt) error
	// CommandAcked reports an ack that changed a command's status.
	CommandAcked(ctx context.Context, a CommandAck) error
}

// ReorderCrossing is a position that fell below its reorder point.
type ReorderCrossing struct {
	Network      string
	Position     sillage.Position // after the change
	ReorderPoint float64          // units
	At           time.Time        // commit time
}

// Receipt is a goods receipt recorded by RFID.
type Receipt struct {
	Network         string
	Site            string
	ID              string // unique: the event id, else the message key, "/" and the event's index
	EventID         string // may be empty
	EventTime       time.Time
	BizTransactions []epcis.BizTransaction
	Lines           []ReceiptLine
}

// ReceiptLine is the quantity of one product a receipt added.
type ReceiptLine struct {
	SKU   string
	Units float64
}

// CommandAck is an ack that changed the status of a command.
type CommandAck struct {
	Network   string
	Site      string
	CommandID string
	Status    sillage.CommandStatus
	Reason    string
	At        time.Time
	Key       string // the message key of the ack
}

// LogListener is a Listener that logs each call; it is the default when no
// orchestrator is wired.
type LogListener struct{ Log *slog.Logger }

func (l LogListener) logger() *slog.Logger {
	if l.Log == nil {
		return slog.Default()
	}
	return l.Log
}

// ReorderPointCrossed logs the crossing.
func (l LogListener) ReorderPointCrossed(ctx context.Context, c ReorderCrossing) error {
	l.logger().InfoContext(ctx, "reorder point crossed", "network", c.Network, "site", c.Position.Site, "sku", c.Position.SKU,
		"available", c.Position.Available(), "reorder_point", c.ReorderPoint)
	return nil
}

// GoodsReceived logs the receipt.
func (l LogListener) GoodsReceived(ctx context.Context, r Receipt) error {
	units := 0.0
	for _, x := range r.Lines {
		units += x.Units
	}
	l.logger().InfoContext(ctx, "goods received", "network", r.Network, "site", r.Site, "event", r.EventID, "lines", len(r.Lines), "units", units, "transactions", len(r.BizTransactions))
	return nil
}

// CommandAcked logs the ack.
func (l LogListener) CommandAcked(ctx context.Context, a CommandAck) error {
	l.logger().InfoContext(ctx, "command acked", "network", a.Network, "site", a.Site, "command", a.CommandID, "status", a.Status, "reason", a.Reason)
	return nil
}

// Debounced wraps a Listener so that each position's reorder crossing
// reaches it at most once per window: the first crossing at once, later
// ones of the same window folded into one call at the end of the window
// with the latest position (only if that is still below the reorder
// point). Other calls pass straight through. Close stops the timers.
type Debounced struct {
	next   Listener
	window time.Duration
	mu     sync.Mutex
	keys   map[posKey]*debounceSlot
	closed bool
}

type debounceSlot struct {
	pending *ReorderCrossing
	timer   *time.Timer
}

// Debounce returns t debounced over window.
func Debounce(t Listener, window time.Duration) *Debounced {
	return &Debounced{next: t, window: window, keys: map[posKey]*debounceSlot{}}
}

// ReorderPointCrossed forwards the first crossing of a window and folds the
// others.
func (d *Debounced) ReorderPointCrossed(ctx context.Context, c ReorderCrossing) error {
	k := posKey{c.Position.Site, c.Position.SKU}
	d.mu.Lock()
	if d.closed {
		d.mu.Unlock()
		return nil
	}
	if slot, ok := d.keys[k]; ok {
		cc := c
		slot.pending = &cc
		d.mu.Unlock()
		return nil
	}
	slot := &debounceSlot{}
	d.keys[k] = slot
	slot.timer = time.AfterFunc(d.window, func() { d.flush(k) })
	d.mu.Unlock()
	return d.next.ReorderPointCrossed(ctx, c)
}

// flush ends the window of k, forwarding the folded crossing if any; a
// forwarded crossing opens a new window.
func (d *Debounced) flush(k posKey) {
	d.mu.Lock()
	slot := d.keys[k]
	if slot == nil || d.closed {
		d.mu.Unlock()
		return
	}
	p := slot.pending
	if p == nil {
		delete(d.keys, k)
		d.mu.Unlock()
		return
	}
	slot.pending = nil
	slot.timer = time.AfterFunc(d.window, func() { d.flush(k) })
	d.mu.Unlock()
	if p.Position.Available() < p.ReorderPoint {
		if err := d.next.ReorderPointCrossed(context.Background(), *p); err != nil {
			slog.Warn("debounced reorder trigger failed", "site", k.site, "sku", k.sku, "err", err)
		}
	}
}

// GoodsReceived passes through.
func (d *Debounced) GoodsReceived(ctx context.Context, r Receipt) error {
	return d.next.GoodsReceived(ctx, r)
}

// CommandAcked passes through.
func (d *Debounced) CommandAcked(ctx context.Context, a CommandAck) error {
	return d.next.CommandAcked(ctx, a)
}

// Close stops pending timers; folded crossings not yet forwarded are
// dropped (the planner re-reads the stock anyway).
func (d *Debounced) Close() {
	d.mu.Lock()
	defer d.mu.Unlock()
	d.closed = true
	for k, s := range d.keys {
		s.timer.Stop()
		delete(d.keys, k)
	}
}
