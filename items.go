package sillage

import (
	"context"
	"time"
)

// This file holds the contract between the RFID ingest (package iot) and
// the system of record (package store): the state of serialised items,
// the stock changes the ingest makes, and the transaction it makes them in.

// ItemStatus is where a serialised item is, as far as the events tell.
type ItemStatus string

// Item statuses.
const (
	ItemPresent   ItemStatus = "present"    // on hand at Site
	ItemInTransit ItemStatus = "in_transit" // shipped towards Site
	ItemGone      ItemStatus = "gone"       // sold, destroyed, or shipped out of the network; Site is the last site
)

// ItemKey identifies one serialised item (one EPC) whatever form it was
// read in (URI, SGTIN-96, Digital Link): its GTIN-14 and its unescaped
// serial.
type ItemKey struct {
	GTIN   string // GTIN-14 with its check digit
	Serial string // 1 to 20 characters of GS1 character set 82
}

// String returns the key as stored in iot_items.epc: the GTIN-14, a dot
// and the serial (epc.Item.Key).
func (k ItemKey) String() string { return k.GTIN + "." + k.Serial }

// ItemState is the recorded state of one serialised item (one EPC).
type ItemState struct {
	Key       ItemKey
	SKU       string
	Site      string
	Status    ItemStatus
	EventTime time.Time // eventTime of the last event applied to the item
}

// StockDelta is a change of the stock of one product at one site, in
// units, added to the stored values.
type StockDelta struct {
	Site, SKU string
	OnHand    float64
	InTransit float64
}

// ClassStock is the class-level part of a position: the units counted
// without a serial (quantity lists, snapshot adjustments).
type ClassStock struct {
	OnHand    float64
	InTransit float64
}

// Discrepancy is the difference between the stock the system held and the
// stock a snapshot reported, for one position.
type Discrepancy struct {
	Site, SKU      string
	SnapshotKey    string // the message key of the snapshot
	SnapshotID     string // its snapshot_id, may be empty
	SnapshotTime   time.Time
	RecordedAt     time.Time
	SystemOnHand   float64 // units before the snapshot
	ReportedOnHand float64 // units after it
}

// Difference is ReportedOnHand − SystemOnHand in units: positive when the
// site has more than the system thought.
func (d Discrepancy) Difference() float64 { return d.ReportedOnHand - d.SystemOnHand }

// DeadLetter is a rejected message with the reason, as stored and as
// published on sillage/v1/deadletter.
type DeadLetter struct {
	Key        string    `json:"key"` // the message key (see iot.MessageKey)
	Topic      string    `json:"topic"`
	Reason     string    `json:"reason"`
	ReceivedAt time.Time `json:"received_at"`
	// Payload is the message as received when it is valid UTF-8 without
	// NUL bytes, else "base64:" and its base64 encoding; cut to
	// iot.MaxDeadLetterPayload bytes.
	Payload string `json:"payload"`
}

// IngestTx is one write transaction of the ingest (package iot), bound to
// one network. Its methods must be called from one goroutine. Every write
// is committed or rolled back together with the others of the batch.
type IngestTx interface {
	// MarkSeen records a message or event key and reports whether it was
	// new (false: already recorded, skip it).
	MarkSeen(key string, at time.Time) (fresh bool, err error)
	// Item returns the recorded state of one item, with the changes made
	// earlier in this transaction; ok is false for an item never seen.
	Item(key ItemKey) (st ItemState, ok bool, err error)
	// SetItem records the state of an item, replacing the previous one.
	// The states set in a transaction become visible to other
	// transactions when it commits, and are forgotten when it rolls back.
	SetItem(st ItemState) error
	// AdjustStock adds each delta to stock_positions (creating missing
	// positions at zero) and returns the positions after the change, in the
	// order of deltas.
	AdjustStock(deltas []StockDelta) ([]Position, error)
	// Class returns the class-level stock of a position (zero when none).
	Class(site, sku string) (ClassStock, error)
	// AdjustClass adds each delta to the class-level stock.
	AdjustClass(deltas []StockDelta) error
	// Positions returns the stock positions of one site.
	Positions(site string) ([]Position, error)
	// RecordDiscrepancies stores snapshot discrepancies.
	RecordDiscrepancies(ds []Discrepancy) error
	// DeadLetter stores a rejected message; a second one with the same key
	// is ignored.
	DeadLetter(d DeadLetter) error
	// AckCommand applies an ack from site to its command and returns the
	// record after the change. The error wraps sillage.ErrNotFound for an
	// unknown command id and sillage.ErrConflict when the command belongs
	// to another site.
	AckCommand(site string, a Ack, at time.Time) (CommandRecord, error)
}

// ItemPrefetcher is implemented by an IngestTx whose Item is faster when told
// the items it will be asked for next: store.Store's item index loads
// their slots into the CPU cache all at once, instead of one cache miss
// after the other. The ingest calls it with the items of each event.
type ItemPrefetcher interface {
	PrefetchItems(keys []ItemKey)
}

// ItemStore is what the ingest needs from the system of record;
// store.Store implements it for SQLite and PostgreSQL (store/iot.go).
type ItemStore interface {
	// IoTBatch runs fn in one write transaction of network and commits it
	// when fn returns nil; otherwise it rolls back and returns fn's error.
	IoTBatch(ctx context.Context, network string, fn func(tx IngestTx) error) error
}

// IngestStats counts what a batch of the ingest did.
type IngestStats struct {
	Messages    int // messages in the batch
	Duplicates  int // messages already applied (redeliveries, repeats)
	DeadLetters int // messages rejected
	Events      int // EPCIS events applied
	DupEvents   int // events skipped because their eventID was applied before
	Reads       int // EPCs listed in applied events
	ItemChanges int // items whose state changed
	StaleReads  int // EPCs skipped: their event is not newer than the recorded one
	Snapshots   int
	Acks        int
	// Skipped counts the identifiers of applied events that stock does not
	// track (SSCC, GRAI, GIAI, ...), by reason ("sscc not tracked", "grai
	// malformed"; see iot.SkipReason). Nil when there are none.
	Skipped map[string]int
}

// Add adds o to s.
func (s *IngestStats) Add(o IngestStats) {
	s.Messages += o.Messages
	s.Duplicates += o.Duplicates
	s.DeadLetters += o.DeadLetters
	s.Events += o.Events
	s.DupEvents += o.DupEvents
	s.Reads += o.Reads
	s.ItemChanges += o.ItemChanges
	s.StaleReads += o.StaleReads
	s.Snapshots += o.Snapshots
	s.Acks += o.Acks
	for r, n := range o.Skipped {
		if s.Skipped == nil {
			s.Skipped = map[string]int{}
		}
		s.Skipped[r] += n
	}
}
