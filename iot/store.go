package iot

import (
	"context"
	"time"

	"github.com/sillage/sillage"
)

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

// CommandStatus is the state of an outbound command.
type CommandStatus string

// Command statuses. Accepted, done, rejected and expired end the resends.
const (
	CommandPending  CommandStatus = "pending"  // stored, not yet published
	CommandSent     CommandStatus = "sent"     // published, ack due by Deadline
	CommandAccepted CommandStatus = "accepted" // acked "accepted"
	CommandDone     CommandStatus = "done"     // acked "done"
	CommandRejected CommandStatus = "rejected" // acked "rejected"
	CommandExpired  CommandStatus = "expired"  // MaxAttempts sends without an ack
)

// Final reports whether no more sends will happen.
func (s CommandStatus) Final() bool {
	return s == CommandAccepted || s == CommandDone || s == CommandRejected || s == CommandExpired
}

// CommandRecord is a command with its delivery state.
type CommandRecord struct {
	Command   Command // as last published (Attempt and Deadline of the last send)
	Status    CommandStatus
	Attempts  int       // sends so far
	Deadline  time.Time // ack due by then (zero while pending)
	AckReason string    // reason given by a rejecting ack
	UpdatedAt time.Time
}

// Tx is one write transaction of the ingest, bound to one network. Its
// methods must be called from one goroutine. Every write is committed or
// rolled back together with the others of the batch.
type Tx interface {
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
	AdjustStock(deltas []StockDelta) ([]sillage.Position, error)
	// Class returns the class-level stock of a position (zero when none).
	Class(site, sku string) (ClassStock, error)
	// AdjustClass adds each delta to the class-level stock.
	AdjustClass(deltas []StockDelta) error
	// Positions returns the stock positions of one site.
	Positions(site string) ([]sillage.Position, error)
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

// ItemPrefetcher is implemented by a Tx whose Item is faster when told
// the items it will be asked for next: store.Store's item index loads
// their slots into the CPU cache all at once, instead of one cache miss
// after the other. The ingest calls it with the items of each event.
type ItemPrefetcher interface {
	PrefetchItems(keys []ItemKey)
}

// Store is what the ingest needs from the system of record; store.Store
// implements it for SQLite and PostgreSQL (store/iot.go).
type Store interface {
	// IoTBatch runs fn in one write transaction of network and commits it
	// when fn returns nil; otherwise it rolls back and returns fn's error.
	IoTBatch(ctx context.Context, network string, fn func(tx Tx) error) error
}

// CommandStore keeps outbound commands; store.Store implements it.
type CommandStore interface {
	// PutCommand stores a new command record. When the id exists with the
	// same content it returns the stored record unchanged; with other
	// content the error wraps sillage.ErrConflict.
	PutCommand(ctx context.Context, network string, rec CommandRecord) (CommandRecord, error)
	// MarkCommandSent records a send: attempts, the command as published,
	// status sent (unless already final) and the new deadline.
	MarkCommandSent(ctx context.Context, network string, c Command) error
	// ExpireCommand sets a command that is still sent to expired.
	ExpireCommand(ctx context.Context, network, id string) error
	// Command returns one command; the error wraps sillage.ErrNotFound.
	Command(ctx context.Context, network, id string) (CommandRecord, error)
	// CommandsDue returns up to limit commands that are pending, or sent
	// with a deadline before now, oldest deadline first.
	CommandsDue(ctx context.Context, network string, now time.Time, limit int) ([]CommandRecord, error)
}
