package iot

import (
	"fmt"
	"time"

	"github.com/sillage/sillage"
)

// The ledger side of apply: every change of the stock at the network's
// sites (suppliers are outside) is explained by a flow, so that per
// product on hand + in transit = opening + receipts − sales − write-offs
// (see sillage.LedgerEntry). Item by item, a flow is the change of
// "inside the network" of the item: not inside before and inside after is
// a receipt (first seen, or shipped by a supplier towards a network
// site); inside before and not after is a sale (a retail_selling step or
// retail_sold disposition) or else a write-off (destroyed, stolen,
// deleted, shipped out of the network). Class-level quantities follow
// the same rule per event; a snapshot's difference is a write-off (a
// negative one when the count found more). The flows are computed from
// the item states and the events, the stock changes from the deltas
// applied to stock_positions: store.Store.Ledger checks that they agree.

// pendingDelta is a stock delta of a batch with the on-hand change the
// current event made to it (for stock_moves).
type pendingDelta struct {
	sillage.StockDelta
	evOnHand float64 // on-hand change of the current event
	evSeq    int     // the event evOnHand belongs to
}

type moveKey struct {
	site, sku string
	ns        int64
}

// ledgerState collects a batch's ledger entries and on-hand moves.
type ledgerState struct {
	entries map[string]*sillage.LedgerEntry
	order   []string
	last    *sillage.LedgerEntry

	evSeq   int       // current event, from 1; 0 outside events
	evTime  time.Time // its event time
	touched []*pendingDelta
	moves   map[moveKey]float64
	morder  []moveKey
}

func (l *ledgerState) entry(sku string) *sillage.LedgerEntry {
	if l.last != nil && l.last.SKU == sku {
		return l.last
	}
	e := l.entries[sku]
	if e == nil {
		if l.entries == nil {
			l.entries = map[string]*sillage.LedgerEntry{}
		}
		e = &sillage.LedgerEntry{SKU: sku}
		l.entries[sku] = e
		l.order = append(l.order, sku)
	}
	l.last = e
	return e
}

// stock adds a change of the stock at network sites.
func (l *ledgerState) stock(sku string, onHand, inTransit float64) {
	e := l.entry(sku)
	e.OnHand += onHand
	e.InTransit += inTransit
}

// flow books units entering (positive) or leaving (negative) the
// network: receipts, or sales when sale, else write-offs.
func (l *ledgerState) flow(sku string, units float64, sale bool) {
	switch {
	case units > 0:
		l.entry(sku).Receipts += units
	case units < 0 && sale:
		l.entry(sku).Sales -= units
	case units < 0:
		l.entry(sku).WriteOffs -= units
	}
}

// adjust books a snapshot's difference (reported − system) as a
// write-off of its opposite.
func (l *ledgerState) adjust(sku string, diff float64) { l.entry(sku).WriteOffs -= diff }

// startEvent starts collecting the on-hand changes of an event at t.
func (l *ledgerState) startEvent(t time.Time) {
	l.endEvent()
	l.evSeq++
	l.evTime = t
}

// touch adds an on-hand change of the current event to d.
func (l *ledgerState) touch(d *pendingDelta, onHand float64) {
	if l.evTime.IsZero() {
		return // not an event: the caller records its move itself
	}
	if d.evSeq != l.evSeq {
		d.evSeq, d.evOnHand = l.evSeq, 0
		l.touched = append(l.touched, d)
	}
	d.evOnHand += onHand
}

// endEvent turns the on-hand changes of the current event into moves.
func (l *ledgerState) endEvent() {
	for _, d := range l.touched {
		if d.evOnHand != 0 {
			l.move(d.Site, d.SKU, l.evTime, d.evOnHand)
		}
		d.evSeq = 0
	}
	l.touched = l.touched[:0]
	l.evTime = time.Time{}
}

// move records an on-hand change at an event time.
func (l *ledgerState) move(site, sku string, t time.Time, onHand float64) {
	k := moveKey{site, sku, t.UnixNano()}
	if _, ok := l.moves[k]; !ok {
		if l.moves == nil {
			l.moves = map[moveKey]float64{}
		}
		l.morder = append(l.morder, k)
	}
	l.moves[k] += onHand
}

// flushMoves writes the collected moves.
func (l *ledgerState) flushMoves(tx sillage.StockLoopTx) error {
	l.endEvent()
	if len(l.morder) == 0 {
		return nil
	}
	ms := make([]sillage.StockMove, 0, len(l.morder))
	for _, k := range l.morder {
		if v := l.moves[k]; v != 0 {
			ms = append(ms, sillage.StockMove{Site: k.site, SKU: k.sku, EventTime: time.Unix(0, k.ns).UTC(), OnHand: v})
		}
	}
	l.moves, l.morder = nil, l.morder[:0]
	return tx.RecordMoves(ms)
}

// flushLedger writes the batch's ledger entries.
func (l *ledgerState) flushLedger(tx sillage.StockLoopTx, at time.Time) error {
	es := make([]sillage.LedgerEntry, 0, len(l.order))
	for _, sku := range l.order {
		e := l.entries[sku]
		if *e != (sillage.LedgerEntry{SKU: sku}) {
			es = append(es, *e)
		}
	}
	l.entries, l.order, l.last = nil, nil, nil
	return tx.RecordLedger(at, es)
}

// in is 1 when site is inside the network, else 0.
func (b *batchState) in(site string) float64 {
	if b.p.Catalog.Inside(site) {
		return 1
	}
	return 0
}

// inside reports whether an item state holds a unit of the network.
func (b *batchState) inside(st sillage.ItemState) bool {
	return (st.Status == sillage.ItemPresent || st.Status == sillage.ItemInTransit) && b.p.Catalog.Inside(st.Site)
}

// itemFlow books the flow of one item going from state st (known: it
// had one) to next.
func (b *batchState) itemFlow(known bool, st, next sillage.ItemState, ev *resolvedEvent) {
	was := known && b.inside(st)
	is := b.inside(next)
	if was {
		if is && st.SKU == next.SKU {
			return
		}
		b.flows.flow(st.SKU, -1, ev.sale)
	}
	if is {
		b.flows.flow(next.SKU, 1, ev.sale)
	}
}

// classFlow books class-level units entering (positive) or leaving the
// network.
func (b *batchState) classFlow(sku string, units float64, ev *resolvedEvent) {
	b.flows.flow(sku, units, ev.sale)
}

// belowWatermark returns the reason to dead-letter a message that the
// ingest can no longer deduplicate: quantity-level events, or a snapshot,
// older than the deduplication watermark (the event time up to which
// keys were pruned, see store.Store.PruneSeen). Its key may have been
// pruned, so it cannot be told from a redelivery; item-level reads need
// no key (an item's event time protects it).
func (b *batchState) belowWatermark(pr *prepared) (string, error) {
	if !b.wmRead {
		w, err := b.loop.DedupWatermark()
		if err != nil {
			return "", err
		}
		b.wm, b.wmRead = w, true
	}
	if b.wm.IsZero() {
		return "", nil
	}
	if pr.snap != nil && pr.snap.snap.Time.Before(b.wm) {
		return fmt.Sprintf("snapshot time %s is older than the deduplication watermark %s: it cannot be told from a redelivery",
			pr.snap.snap.Time.Format(time.RFC3339), b.wm.Format(time.RFC3339)), nil
	}
	for i := range pr.events {
		ev := &pr.events[i]
		if len(ev.qtys)+len(ev.inQtys) > 0 && ev.t.Before(b.wm) {
			return fmt.Sprintf("event %d: eventTime %s is older than the deduplication watermark %s: a quantity-level event that old cannot be told from a redelivery",
				i, ev.t.Format(time.RFC3339), b.wm.Format(time.RFC3339)), nil
		}
	}
	return "", nil
}

// keyTime is the event time a message's deduplication key protects: the
// oldest eventTime of its events (a redelivery of it older than the
// retention is dead-lettered when it carries quantities), the time of a
// snapshot, else the reception.
func keyTime(pr *prepared) time.Time {
	var t time.Time
	for i := range pr.events {
		if t.IsZero() || pr.events[i].t.Before(t) {
			t = pr.events[i].t
		}
	}
	if pr.snap != nil {
		t = pr.snap.snap.Time
	}
	if t.IsZero() {
		t = pr.msg.ReceivedAt
	}
	return t
}
