package iot

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"strconv"
	"sync"
	"time"

	"github.com/sillage/sillage"
)

// The transactional outbox. What a batch means for the workflows (goods
// receipts, command acks, reorder-point crossings) is written to the
// outbox in the batch's transaction, with the stock change that caused it
// (enqueueEffects); a Relay delivers it to a Listener afterwards, retries
// until the Listener accepts it, and marks it delivered. So an effect is
// never lost: killed between the commit and the delivery, or during it,
// the relay delivers it when it runs again. It may be delivered twice (a
// kill after the delivery, before the mark): every message carries an id
// that the receiver deduplicates on (Receipt.ID becomes the order
// workflow's receipt EventID, a crossing's id the planner trigger's ID,
// and a transfer acts on the first ack of its command only).

// Outbox message kinds.
const (
	OutboxReceipt  = "receipt"
	OutboxAck      = "ack"
	OutboxReorder  = "reorder"
	OutboxShipment = "shipment" // a shipping event that names an order (shipping.go)
)

// enqueueEffects writes the batch's receipts, acks and reorder-point
// crossings to the outbox.
func (b *batchState) enqueueEffects() error {
	eff := b.eff
	for _, k := range eff.order {
		pc := eff.positions[k]
		rop, ok := b.p.Catalog.ReorderPoint(k.site, k.sku)
		if ok && pc.before.Available() >= rop && pc.after.Available() < rop {
			eff.crossings = append(eff.crossings, ReorderCrossing{Network: b.p.Catalog.Network, Position: pc.after, ReorderPoint: rop, At: b.now})
		}
	}
	var ms []sillage.OutboxMessage
	put := func(kind, id string, v any) error {
		data, err := json.Marshal(v)
		if err != nil {
			return fmt.Errorf("outbox %s %s: %w", kind, id, err)
		}
		ms = append(ms, sillage.OutboxMessage{ID: kind + ":" + id, Kind: kind, Payload: data, CreatedAt: b.now})
		return nil
	}
	for _, c := range eff.crossings {
		if err := put(OutboxReorder, c.ID(), c); err != nil {
			return err
		}
	}
	for _, r := range eff.receipts {
		if err := put(OutboxReceipt, r.ID, r); err != nil {
			return err
		}
	}
	for _, a := range eff.acks {
		if err := put(OutboxAck, a.CommandID+":"+a.Key, a); err != nil {
			return err
		}
	}
	for _, sh := range eff.shipments {
		if err := put(OutboxShipment, sh.ID(), sh); err != nil {
			return err
		}
	}
	eff.outbox = len(ms)
	return b.loop.Enqueue(ms)
}

// ID identifies a crossing: its position and time.
func (c ReorderCrossing) ID() string {
	return c.Position.Site + ":" + c.Position.SKU + ":" + strconv.FormatInt(c.At.UnixNano(), 10)
}

// Relay defaults.
const (
	DefaultRelayInterval = time.Second     // between rounds when not woken
	DefaultRelayBatch    = 100             // messages read per query
	MaxRelayBackoff      = 5 * time.Minute // longest wait before a retry
)

// Relay delivers a network's outbox to a Listener: in rounds, every
// Interval or when woken (Wake), oldest message first; a message the
// Listener accepts is marked delivered, one it refuses is tried again
// after a backoff that doubles from one second up to MaxRelayBackoff.
// Nothing is dropped: a message that cannot even be decoded stays in the
// outbox with its error (store.Store.OutboxCounts counts what waits).
//
// It runs inside the ingest process (sillage ingest starts one per
// network). Several relays of one network (ingests of a share group) may
// deliver a message twice; the receivers deduplicate by id.
type Relay struct {
	Network  string
	Store    sillage.OutboxStore
	Listener Listener
	Interval time.Duration    // 0: DefaultRelayInterval
	Batch    int              // 0: DefaultRelayBatch
	Now      func() time.Time // nil: time.Now
	Log      *slog.Logger     // nil: slog.Default()

	once sync.Once
	wake chan struct{}
}

func (r *Relay) now() time.Time { return nowOr(r.Now) }

func (r *Relay) log() *slog.Logger { return logOr(r.Log) }

func (r *Relay) init() { r.once.Do(func() { r.wake = make(chan struct{}, 1) }) }

// Wake asks for a round now (after a batch committed); it never blocks.
func (r *Relay) Wake() {
	r.init()
	select {
	case r.wake <- struct{}{}:
	default:
	}
}

// Run delivers rounds until ctx is done.
func (r *Relay) Run(ctx context.Context) {
	r.init()
	iv := r.Interval
	if iv <= 0 {
		iv = DefaultRelayInterval
	}
	t := time.NewTicker(iv)
	defer t.Stop()
	for {
		if _, err := r.DeliverDue(ctx); err != nil && ctx.Err() == nil {
			r.log().Warn("outbox relay: store error; next round retries", "network", r.Network, "err", err)
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		case <-r.wake:
		}
	}
}

// DeliverDue delivers the messages due now and returns how many were
// delivered; the error is the store's (a refused delivery is recorded
// and retried, not returned).
func (r *Relay) DeliverDue(ctx context.Context) (int, error) {
	if r.Store == nil || r.Listener == nil {
		return 0, errors.New("outbox relay: store and listener required")
	}
	limit := r.Batch
	if limit <= 0 {
		limit = DefaultRelayBatch
	}
	delivered := 0
	for {
		ms, err := r.Store.DueOutbox(ctx, r.Network, r.now(), limit)
		if err != nil {
			return delivered, err
		}
		// Deliveries are marked per round, in one transaction: a kill
		// before the mark repeats the round's deliveries (same ids).
		var done []string
		for _, m := range ms {
			if err := r.deliver(ctx, m); err != nil {
				wait := min(time.Second<<min(m.Attempts, 20), MaxRelayBackoff)
				r.log().Warn("outbox delivery failed; retrying", "network", r.Network, "id", m.ID, "attempt", m.Attempts+1, "retry_in", wait, "err", err)
				if err := r.Store.MarkFailed(ctx, r.Network, m.ID, err.Error(), r.now().Add(wait)); err != nil {
					return delivered, err
				}
				continue
			}
			done = append(done, m.ID)
		}
		if err := r.Store.MarkDelivered(ctx, r.Network, done, r.now()); err != nil {
			return delivered, err
		}
		delivered += len(done)
		if len(ms) < limit || ctx.Err() != nil {
			return delivered, ctx.Err()
		}
	}
}

// deliver decodes a message and hands it to the listener.
func (r *Relay) deliver(ctx context.Context, m sillage.OutboxMessage) error {
	switch m.Kind {
	case OutboxReceipt:
		return deliverAs(ctx, m.Payload, "receipt", r.Listener.GoodsReceived)
	case OutboxAck:
		return deliverAs(ctx, m.Payload, "ack", r.Listener.CommandAcked)
	case OutboxReorder:
		return deliverAs(ctx, m.Payload, "reorder crossing", r.Listener.ReorderPointCrossed)
	case OutboxShipment:
		tell := func(context.Context, Shipment) error { return nil } // no one to tell: delivered
		if sl, ok := r.Listener.(ShipmentListener); ok {
			tell = sl.GoodsShipped
		}
		return deliverAs(ctx, m.Payload, "shipment", tell)
	}
	return fmt.Errorf("unknown outbox kind %q", m.Kind)
}

// deliverAs decodes payload, a JSON T (named what in errors), and hands
// it to tell.
func deliverAs[T any](ctx context.Context, payload []byte, what string, tell func(context.Context, T) error) error {
	var x T
	if err := json.Unmarshal(payload, &x); err != nil {
		return fmt.Errorf("decode %s: %w", what, err)
	}
	return tell(ctx, x)
}
