package sillage

import (
	"context"
	"math"
	"time"
)

// This file holds the contract of the stock loop between the ingest
// (package iot) and the system of record (package store): the
// conservation ledger, the event times of on-hand changes that snapshots
// are reconciled against, the per-EPC reconciliation lists, the
// transactional outbox and deduplication keys with event times.

// LedgerEntry is what one batch of the ingest did to one product across
// the network's sites (suppliers are outside the network), in units.
// OnHand and InTransit are the changes of the stock; Receipts, Sales and
// WriteOffs the flows that explain them, so that
// OnHand + InTransit = Receipts − Sales − WriteOffs.
type LedgerEntry struct {
	SKU       string
	OnHand    float64 // change of units on hand at network sites
	InTransit float64 // change of units physically in transit towards network sites
	Receipts  float64 // units that entered the network (from a supplier, or first seen)
	Sales     float64 // units sold
	WriteOffs float64 // units destroyed, stolen, deleted, shipped out of the network, or counted missing (less units counted found)
}

// LedgerLine is the ledger of one product of a network since a time, in
// units: Opening is the stock (on hand + in transit at the network's
// sites) then, OnHand and InTransit the stock now.
type LedgerLine struct {
	SKU       string  `json:"sku"`
	Opening   float64 `json:"opening"`
	Receipts  float64 `json:"receipts"`
	Sales     float64 `json:"sales"`
	WriteOffs float64 `json:"write_offs"`
	OnHand    float64 `json:"on_hand"`
	InTransit float64 `json:"in_transit"`
}

// LedgerTolerance is the difference, in units, below which the two sides
// of the conservation identity are equal: the counters are sums of whole
// units in floating point, exact far beyond any stock.
const LedgerTolerance = 1e-6

// Imbalance is (on hand + in transit) − (opening + receipts − sales −
// write-offs), in units: zero when the product's stock is conserved.
func (l LedgerLine) Imbalance() float64 {
	return l.OnHand + l.InTransit - (l.Opening + l.Receipts - l.Sales - l.WriteOffs)
}

// Holds reports whether the conservation identity holds for the line.
func (l LedgerLine) Holds() bool { return math.Abs(l.Imbalance()) <= LedgerTolerance }

// StockMove is a change of on hand at one position at an event time.
type StockMove struct {
	Site, SKU string
	EventTime time.Time
	OnHand    float64 // units
}

// EPCDiscrepancy kinds.
const (
	EPCMissing    = "missing"    // present by RFID, not in the count
	EPCUnexpected = "unexpected" // in the count, not present there by RFID
)

// EPCDiscrepancy is one item of a per-EPC reconciliation of a count.
type EPCDiscrepancy struct {
	Site         string     `json:"site"`
	EPC          string     `json:"epc"` // the item key, GTIN-14 "." serial
	SKU          string     `json:"sku"`
	Kind         string     `json:"kind"`                    // EPCMissing or EPCUnexpected
	SystemSite   string     `json:"system_site,omitempty"`   // unexpected: where the system had the item ("" unknown)
	SystemStatus ItemStatus `json:"system_status,omitempty"` // unexpected: its status there
	SnapshotKey  string     `json:"snapshot_key"`
	SnapshotTime time.Time  `json:"snapshot_time"`
	RecordedAt   time.Time  `json:"recorded_at"`
}

// OutboxMessage is an effect on the workflows, written to the outbox in
// the transaction of the stock change that caused it and delivered by a
// relay (iot.Relay).
type OutboxMessage struct {
	ID        string // unique per network: the receiver's idempotency key
	Kind      string // "receipt", "ack", "reorder"
	Payload   []byte // JSON
	CreatedAt time.Time
	Attempts  int    // failed deliveries so far
	LastError string // of the last failed delivery
}

// StockLoopTx is implemented by an IngestTx that keeps the stock loop in
// the batch's transaction (store.Store's does). The ingest requires it.
type StockLoopTx interface {
	// MarkSeenAt is MarkSeen with the event time the key protects: keys
	// are pruned by event time.
	MarkSeenAt(key string, at, eventTime time.Time) (fresh bool, err error)
	// DedupWatermark returns the event time before which keys may have
	// been pruned (zero when none were): quantity-level events and
	// snapshots older than it cannot be deduplicated.
	DedupWatermark() (time.Time, error)
	// RecordLedger adds the entries of a batch to the network's ledger.
	RecordLedger(at time.Time, entries []LedgerEntry) error
	// RecordMoves adds on-hand changes at their event times.
	RecordMoves(moves []StockMove) error
	// MovesAfter returns the sum of the on-hand changes of a position
	// with an event time after t, in units.
	MovesAfter(site, sku string, t time.Time) (float64, error)
	// LastCount returns the time of the last snapshot applied to a
	// position; ok is false when none was.
	LastCount(site, sku string) (t time.Time, ok bool, err error)
	// SetCount records t as the time of the last snapshot of a position.
	SetCount(site, sku string, t time.Time) error
	// ItemsAt returns the items present or in transit at site, with the
	// changes of this transaction.
	ItemsAt(site string) ([]ItemState, error)
	// ReplaceEPCDiscrepancies replaces the per-EPC reconciliation of a
	// site with ds.
	ReplaceEPCDiscrepancies(site string, ds []EPCDiscrepancy) error
	// Enqueue writes messages to the outbox, in order; one whose id is
	// there already is ignored.
	Enqueue(ms []OutboxMessage) error
}

// OutboxStore is what the relay needs from the system of record.
type OutboxStore interface {
	// DueOutbox returns up to limit undelivered messages of network whose
	// next attempt is due at now, oldest first.
	DueOutbox(ctx context.Context, network string, now time.Time, limit int) ([]OutboxMessage, error)
	// MarkDelivered records the delivery of messages, in one transaction.
	MarkDelivered(ctx context.Context, network string, ids []string, at time.Time) error
	// MarkFailed records a failed delivery and when to try again.
	MarkFailed(ctx context.Context, network, id, reason string, next time.Time) error
}
