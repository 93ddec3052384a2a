package iot

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	"strconv"
	"time"
	"unicode/utf8"

	"github.com/sillage/sillage"
	"github.com/sillage/sillage/iot/epc"
	"github.com/sillage/sillage/iot/epcis"
)

// Message is one MQTT message as the ingest received it.
type Message struct {
	Topic      string
	Payload    []byte
	ReceivedAt time.Time
}

// MessageKey is the identity of a message for deduplication: the first 16
// bytes of SHA-256 over the topic, a NUL and the payload, in hex. A QoS 1
// redelivery carries the same topic and payload, hence the same key.
func MessageKey(topic string, payload []byte) string {
	h := sha256.New()
	h.Write([]byte(topic))
	h.Write([]byte{0})
	h.Write(payload)
	var sum [sha256.Size]byte
	return hex.EncodeToString(h.Sum(sum[:0])[:16])
}

// DefaultRetention is how long the ingest keeps a deduplication key
// after it was seen and after the event time it protects (sillage ingest
// --seen-retention): 30 days, more than the broker keeps the session of
// an ingest that is down (iot/mosquitto sets persistent_client_expiration
// to 14 days, DefaultSessionExpiry), so that every redelivery the broker
// can still make finds its key.
const DefaultRetention = 30 * 24 * time.Hour

// DefaultSessionExpiry is how long the broker keeps the persistent
// session (and the queued messages) of a client that is disconnected:
// persistent_client_expiration of the configuration iot/mosquitto
// writes. A retention shorter than it could forget keys the broker can
// still redeliver; sillage ingest refuses one.
const DefaultSessionExpiry = 14 * 24 * time.Hour

// PruneMargin is kept beyond the retention when pruning, for the clock
// skew between the hosts of several ingests.
const PruneMargin = time.Hour

// PruneSeenCutoff is the cutoff of store.Store.PruneSeen at now: the
// retention and PruneMargin before it. Keys seen and protecting event
// times before it are deleted, and it becomes the deduplication
// watermark: from then on, a quantity-level event or a snapshot older than
// it is dead-lettered, since its key may be gone.
func PruneSeenCutoff(now time.Time, retention time.Duration) time.Time {
	if retention <= 0 {
		retention = DefaultRetention
	}
	return now.Add(-retention - PruneMargin)
}

// DefaultMaxFutureSkew is how far in the future an eventTime may be, by the
// ingest's clock, before the event is rejected: an event dated far ahead
// would make every real later event look stale.
const DefaultMaxFutureSkew = 24 * time.Hour

// countUOMs are the units of measure read as a count of units: none, EA
// (each), C62 (one) and H87 (piece).
var countUOMs = map[string]bool{"": true, "EA": true, "C62": true, "H87": true}

// removingBizSteps and removingDispositions end an item's presence at its
// site (besides action DELETE).
var (
	removingBizSteps     = map[string]bool{"retail_selling": true, "destroying": true, "decommissioning": true}
	removingDispositions = map[string]bool{"retail_sold": true, "destroyed": true, "disposed": true, "stolen": true}
	shippingBizSteps     = map[string]bool{"shipping": true, "departing": true}
	arrivingBizSteps     = map[string]bool{"receiving": true, "arriving": true, "accepting": true}
)

// opKind is what an event does to the objects it lists.
type opKind int

const (
	opNone   opKind = iota // observed only: nothing moves
	opPlace                // present at loc from now on
	opRemove               // no longer in stock (sold, destroyed, deleted)
	opShip                 // left origin, in transit to dest (or out of the network)
)

type qtyRef struct {
	sku   string
	units float64
}

// resolvedEvent is an event with its sites and products resolved and its
// effect decided; only the item states are left to read in the store.
type resolvedEvent struct {
	id        string
	t         time.Time
	loc       string // site of bizLocation, "" when absent
	origin    string // site a removal or shipment happens at
	dest      string // destination site of a shipment, "" when outside the network
	itemOp    opKind
	items     []epc.Item // every GTIN known to the catalog
	qtyOp     opKind
	qtys      []qtyRef
	inItems   []epc.Item // TransformationEvent inputs, removed
	inQtys    []qtyRef
	arriving  bool // a receiving step: class quantities leave in-transit
	receiving bool // bizStep receiving: reported as a goods receipt
	sale      bool // a retail_selling step or retail_sold disposition: units leaving count as sold
	bizTx     []epcis.BizTransaction
	reads     int                  // EPCs listed
	skipped   []string             // reasons of the identifiers stock does not track (see SkipReason)
	hist      *sillage.EventRecord // the event for the item history (history.go)
	selling   bool                 // bizStep retail_selling: removed units are sales
}

// resolvedSnapshot is a snapshot with skus resolved.
type resolvedSnapshot struct {
	snap      *Snapshot
	positions map[string]float64 // sku -> on hand
	items     []epc.Item         // the EPCs counted, when the snapshot lists them
}

// prepared is a message decoded and resolved, ready for the store.
type prepared struct {
	msg    Message
	key    string
	site   string
	kind   string
	events []resolvedEvent
	snap   *resolvedSnapshot
	ack    *sillage.Ack
	reject string // non-empty: a dead letter with this reason
	dup    bool   // known duplicate (in-memory cache): no store work
}

// Processor turns messages into store changes with the stock semantics of
// the package (see the package comment). Prepare is pure and safe for
// concurrent use; apply runs inside one store transaction.
type Processor struct {
	Catalog  *Catalog
	Listener Listener // nil: no triggers
	// MaxFutureSkew bounds eventTime ahead of the clock; 0 means
	// DefaultMaxFutureSkew.
	MaxFutureSkew time.Duration
	Now           func() time.Time // nil: time.Now
	Log           *slog.Logger     // nil: slog.Default()
	// NoHistory leaves the item history out (history.go): the ingest
	// then writes no event documents and no per-EPC rows. Weekly sales
	// are recorded either way.
	NoHistory bool
}

func (p *Processor) now() time.Time { return nowOr(p.Now) }

func (p *Processor) log() *slog.Logger { return logOr(p.Log) }

// prepare decodes and resolves one message. It never fails: what cannot be
// applied becomes a dead letter with its reason.
func (p *Processor) prepare(m Message) *prepared {
	return p.prepareKeyed(m, MessageKey(m.Topic, m.Payload))
}

// prepareKeyed is prepare for a message whose key is known.
func (p *Processor) prepareKeyed(m Message, key string) *prepared {
	pr := &prepared{msg: m, key: key}
	site, kind, err := ParseTopic(m.Topic)
	if err != nil {
		pr.reject = err.Error()
		return pr
	}
	pr.site, pr.kind = site, kind
	if !p.Catalog.HasSite(site) {
		pr.reject = fmt.Sprintf("topic site %q is not a site of network %q", site, p.Catalog.Network)
		return pr
	}
	switch kind {
	case KindEPCIS:
		pr.events, pr.reject = p.prepareEPCIS(site, m.Payload, m.ReceivedAt)
	case KindStock:
		pr.snap, pr.reject = p.prepareSnapshot(site, m.Payload)
	case KindAcks:
		a, err := DecodeAck(m.Payload)
		if err != nil {
			pr.reject = err.Error()
		}
		pr.ack = a
	default:
		pr.reject = fmt.Sprintf("the ingest does not accept messages on %s topics", kind)
	}
	return pr
}

func (p *Processor) prepareSnapshot(site string, payload []byte) (*resolvedSnapshot, string) {
	s, err := DecodeSnapshot(payload)
	if err != nil {
		return nil, err.Error()
	}

	if s.Site != "" && s.Site != site {
		return nil, fmt.Sprintf("snapshot of site %q published on the topic of site %q", s.Site, site)
	}
	rs := &resolvedSnapshot{snap: s, positions: make(map[string]float64, len(s.Positions))}
	for i, x := range s.Positions {
		sku := x.SKU
		if sku == "" {
			var ok bool
			if sku, ok = p.Catalog.SKUByGTIN(x.GTIN); !ok {
				return nil, fmt.Sprintf("snapshot positions[%d]: unknown GTIN %s in network %q", i, x.GTIN, p.Catalog.Network)
			}
		} else if _, ok := p.Catalog.GTINBySKU(sku); !ok {
			return nil, fmt.Sprintf("snapshot positions[%d]: unknown sku %q in network %q", i, sku, p.Catalog.Network)
		}
		if _, dup := rs.positions[sku]; dup {
			return nil, fmt.Sprintf("snapshot positions[%d]: sku %q listed twice", i, sku)
		}
		rs.positions[sku] = x.OnHand
	}
	for i, u := range s.EPCs {
		it, err := epc.ParseItem(u)
		if err != nil {
			return nil, fmt.Sprintf("snapshot epcs[%d]: %v", i, err)
		}
		if _, ok := p.Catalog.SKUByGTIN(it.GTIN); !ok {
			return nil, fmt.Sprintf("snapshot epcs[%d]: unknown GTIN %s in network %q", i, it.GTIN, p.Catalog.Network)
		}
		rs.items = append(rs.items, it)
	}
	return rs, ""
}

// siteOf maps a decoded location to a site that must be the topic's site.
func (p *Processor) siteOf(what string, glnp *string, topicSite string) (string, string) {
	if glnp == nil {
		return "", ""
	}
	s, ok := p.Catalog.SiteByGLN(*glnp)
	if !ok {
		return "", fmt.Sprintf("%s GLN %s is not a site of network %q", what, *glnp, p.Catalog.Network)
	}
	if s != topicSite {
		return "", fmt.Sprintf("%s GLN %s is site %q, not the topic's site %q", what, *glnp, s, topicSite)
	}
	return s, ""
}

func (p *Processor) prepareEPCIS(site string, payload []byte, received time.Time) ([]resolvedEvent, string) {
	doc, err := epcis.Decode(payload)
	if err != nil {
		return nil, err.Error()
	}
	skew := p.MaxFutureSkew
	if skew == 0 {
		skew = DefaultMaxFutureSkew
	}
	if received.IsZero() {
		received = p.now()
	}
	out := make([]resolvedEvent, 0, len(doc.Events))
	for i, ev := range doc.Events {
		where := fmt.Sprintf("event %d", i)
		if ev.ID != "" {
			where += " (" + ev.ID + ")"
		}
		if ev.Time.Year() < 1970 {
			return nil, fmt.Sprintf("%s: eventTime %s is before 1970", where, ev.Time.Format(time.RFC3339))
		}
		if ev.Time.After(received.Add(skew)) {
			return nil, fmt.Sprintf("%s: eventTime %s is more than %s after reception", where, ev.Time.Format(time.RFC3339), skew)
		}

		re := resolvedEvent{id: ev.ID, t: ev.Time, bizTx: ev.BizTransactions}
		var reason string
		var rpSite string
		if ev.BizLocation != nil {
			if re.loc, reason = p.siteOf("bizLocation", &ev.BizLocation.GLN, site); reason != "" {
				return nil, where + ": " + reason
			}
		}
		if ev.ReadPoint != nil {
			if rpSite, reason = p.siteOf("readPoint", &ev.ReadPoint.GLN, site); reason != "" {
				return nil, where + ": " + reason
			}
		}
		re.origin = re.loc
		if re.origin == "" {
			re.origin = rpSite
		}
		if re.origin == "" {
			re.origin = site
		}
		for _, d := range ev.Destinations {
			if d.Type == "location" && d.Location != nil {
				if s, ok := p.Catalog.SiteByGLN(d.Location.GLN); ok {
					re.dest = s
				}
			}
		}
		if re.items, reason = p.knownItems(ev.EPCs); reason != "" {
			return nil, where + ": " + reason
		}
		if re.inItems, reason = p.knownItems(ev.InputEPCs); reason != "" {
			return nil, where + ": inputs: " + reason
		}
		if re.qtys, reason = p.qtyRefs(ev.Quantities); reason != "" {
			return nil, where + ": " + reason
		}
		if re.inQtys, reason = p.qtyRefs(ev.InputQuantities); reason != "" {
			return nil, where + ": inputs: " + reason
		}
		re.reads = len(ev.EPCs) + len(ev.InputEPCs)
		for _, o := range ev.Others {
			re.skipped = append(re.skipped, SkipReason(o))
		}
		re.arriving = arrivingBizSteps[ev.BizStep]
		re.receiving = ev.BizStep == "receiving" && re.loc != ""
		re.sale = ev.BizStep == "retail_selling" || ev.Disposition == "retail_sold"
		removal := ev.Action == epcis.ActionDelete || removingBizSteps[ev.BizStep] || removingDispositions[ev.Disposition]
		shipping := !removal && (shippingBizSteps[ev.BizStep] || ev.Disposition == "in_transit")
		switch ev.Type {
		case "ObjectEvent":
			switch {
			case removal:
				re.itemOp, re.qtyOp = opRemove, opRemove
			case shipping:
				re.itemOp, re.qtyOp = opShip, opShip
			case re.loc != "" && ev.Action == epcis.ActionAdd:
				re.itemOp, re.qtyOp = opPlace, opPlace
			case re.loc != "" && ev.Action == epcis.ActionObserve:
				re.itemOp = opPlace
				if re.arriving {
					re.qtyOp = opPlace
				}
			}
		case "AggregationEvent", "TransactionEvent":
			// Packing and business associations move nothing by
			// themselves; the listed items are seen at bizLocation.
			if re.loc != "" && ev.Action != epcis.ActionDelete {
				re.itemOp = opPlace
			}
			re.qtys = nil
		case "TransformationEvent":
			if re.loc == "" && (len(re.items) > 0 || len(re.qtys) > 0) {
				return nil, where + ": a TransformationEvent with outputs needs a bizLocation"
			}
			re.itemOp, re.qtyOp = opPlace, opPlace
		default:
			// AssociationEvent and extension types do not change stock.
			re.items, re.qtys, re.inItems, re.inQtys = nil, nil, nil, nil
		}
		if re.qtyOp == opNone {
			re.qtys = nil
		}
		re.selling = ev.BizStep == "retail_selling"
		if !p.NoHistory {
			re.hist = HistoryRecord(doc, i, re.origin, re.dest)
		}
		out = append(out, re)
	}
	return out, ""
}

// knownItems returns items when the catalog knows every GTIN, else the
// reason to reject the message.
func (p *Processor) knownItems(items []epc.Item) ([]epc.Item, string) {
	last := ""
	for _, it := range items {
		if it.GTIN == last {
			continue // the items of a list mostly share their GTIN
		}
		if _, ok := p.Catalog.SKUByGTIN(it.GTIN); !ok {
			return nil, fmt.Sprintf("EPC %s: unknown GTIN %s in network %q", it.URI(), it.GTIN, p.Catalog.Network)
		}
		last = it.GTIN
	}
	return items, ""
}

func (p *Processor) qtyRefs(qs []epcis.Quantity) ([]qtyRef, string) {
	if len(qs) == 0 {
		return nil, ""
	}
	out := make([]qtyRef, len(qs))
	for i, q := range qs {
		sku, ok := p.Catalog.SKUByGTIN(q.Class.GTIN)
		if !ok {
			return nil, fmt.Sprintf("quantity %d: unknown GTIN %s in network %q", i, q.Class.GTIN, p.Catalog.Network)
		}
		if !q.Known {
			return nil, fmt.Sprintf("quantity %d (GTIN %s): no quantity given", i, q.Class.GTIN)
		}
		if !countUOMs[q.UOM] {
			return nil, fmt.Sprintf("quantity %d (GTIN %s): unit %s is not a count of units (none, EA, C62, H87)", i, q.Class.GTIN, q.UOM)
		}
		out[i] = qtyRef{sku: sku, units: q.Quantity}
	}
	return out, ""
}

// SkipReason is the reason an identifier of another scheme is skipped:
// "<scheme> not tracked" (for example "sscc not tracked") for a valid
// one, "<scheme> malformed" for one that does not decode ("unknown
// malformed" when not even its scheme is known).
func SkipReason(o epcis.Other) string {
	sch := string(o.Scheme)
	if sch == "" {
		sch = "unknown"
	}
	if o.Err != nil {
		return sch + " malformed"
	}
	return sch + " not tracked"
}

// posChange tracks a position across the flushes of one batch.
type posChange struct {
	before, after sillage.Position
}

// effects is what a batch did, for triggers and the dead-letter topic
// after the commit.
type effects struct {
	stats       sillage.IngestStats
	positions   map[posKey]*posChange
	order       []posKey
	receipts    []Receipt
	shipments   []Shipment // shipping events that name an order (shipping.go)
	acks        []CommandAck
	crossings   []ReorderCrossing
	outbox      int // messages written to the outbox
	deadLetters []sillage.DeadLetter
	seenKeys    []string // message keys applied or rejected in this batch
}

// batchState is the working state of apply.
type batchState struct {
	p       *Processor
	ctx     context.Context
	tx      sillage.IngestTx
	now     time.Time
	deltas  map[posKey]*pendingDelta
	classes map[posKey]*sillage.StockDelta
	dorder  []posKey
	corder  []posKey
	eff     *effects
	last    *pendingDelta       // the delta changed last: most items of an event share it
	loop    sillage.StockLoopTx // tx's stock loop
	flows   ledgerState         // ledger entries and on-hand moves of the batch (ledger.go)
	wm      time.Time           // the deduplication watermark, once read
	wmRead  bool
	pf      sillage.ItemPrefetcher // tx, when it implements it
	keys    []sillage.ItemKey      // buffer for pf
	gtin    string                 // the GTIN skuOf looked up last, and its sku
	sku     string
	sales   salesBuf // units sold in the batch (history.go)
}

// skuOf returns the sku of a GTIN that prepare found in the catalog.
func (b *batchState) skuOf(gtin string) string {
	if gtin != b.gtin || b.gtin == "" {
		b.sku, _ = b.p.Catalog.SKUByGTIN(gtin)
		b.gtin = gtin
	}
	return b.sku
}

func (b *batchState) delta(site, sku string, onHand, inTransit float64) {
	d := b.last
	if d == nil || d.Site != site || d.SKU != sku {
		k := posKey{site, sku}
		d = b.deltas[k]
		if d == nil {
			d = &pendingDelta{StockDelta: sillage.StockDelta{Site: site, SKU: sku}}
			b.deltas[k] = d
			b.dorder = append(b.dorder, k)
		}
		b.last = d
	}
	d.OnHand += onHand
	d.InTransit += inTransit
	if onHand != 0 {
		b.flows.touch(d, onHand)
	}
}

func (b *batchState) classDelta(site, sku string, onHand, inTransit float64) {
	b.delta(site, sku, onHand, inTransit)
	k := posKey{site, sku}
	d := b.classes[k]
	if d == nil {
		d = &sillage.StockDelta{Site: site, SKU: sku}
		b.classes[k] = d
		b.corder = append(b.corder, k)
	}
	d.OnHand += onHand
	d.InTransit += inTransit
}

// flush writes the pending stock and class deltas.
func (b *batchState) flush() error {
	if len(b.dorder) > 0 {
		b.flows.endEvent()
		ds := make([]sillage.StockDelta, 0, len(b.dorder))
		for _, k := range b.dorder {
			if d := b.deltas[k]; d.OnHand != 0 || d.InTransit != 0 {
				ds = append(ds, d.StockDelta)
				if b.p.Catalog.Inside(d.Site) {
					b.flows.stock(d.SKU, d.OnHand, d.InTransit)
				}
			}
		}
		after, err := b.tx.AdjustStock(ds)
		if err != nil {
			return err
		}
		for i, pos := range after {
			k := posKey{ds[i].Site, ds[i].SKU}
			pc := b.eff.positions[k]
			if pc == nil {
				before := pos
				before.OnHand -= ds[i].OnHand
				before.InTransit -= ds[i].InTransit
				pc = &posChange{before: before}
				b.eff.positions[k] = pc
				b.eff.order = append(b.eff.order, k)
			}
			pc.after = pos
		}
		b.deltas = map[posKey]*pendingDelta{}
		b.dorder = b.dorder[:0]
		b.last = nil
	}
	if err := b.flows.flushMoves(b.loop); err != nil {
		return err
	}
	if len(b.corder) > 0 {
		ds := make([]sillage.StockDelta, 0, len(b.corder))
		for _, k := range b.corder {
			if d := b.classes[k]; d.OnHand != 0 || d.InTransit != 0 {
				ds = append(ds, *d)
			}
		}
		if err := b.tx.AdjustClass(ds); err != nil {
			return err
		}
		b.classes = map[posKey]*sillage.StockDelta{}
		b.corder = b.corder[:0]
	}
	return nil
}

func (b *batchState) deadLetter(pr *prepared, reason string) error {
	d := sillage.DeadLetter{Key: pr.key, Topic: pr.msg.Topic, Reason: reason, ReceivedAt: pr.msg.ReceivedAt, Payload: payloadText(pr.msg.Payload)}
	if d.ReceivedAt.IsZero() {
		d.ReceivedAt = b.now
	}
	if err := b.tx.DeadLetter(d); err != nil {
		return err
	}
	b.eff.deadLetters = append(b.eff.deadLetters, d)
	b.eff.stats.DeadLetters++
	return nil
}

// payloadText renders a payload for a dead letter (see DeadLetter.Payload):
// as text when it is UTF-8 without NUL bytes (which PostgreSQL text cannot
// hold), else in base64.
func payloadText(b []byte) string {
	if len(b) > MaxDeadLetterPayload {
		b = b[:MaxDeadLetterPayload]
	}
	if utf8.Valid(b) && bytes.IndexByte(b, 0) < 0 {
		return string(b)
	}
	return "base64:" + base64.StdEncoding.EncodeToString(b)
}

// apply runs a batch of prepared messages inside tx.
func (p *Processor) apply(ctx context.Context, tx sillage.IngestTx, batch []*prepared) (*effects, error) {
	eff := &effects{positions: map[posKey]*posChange{}}
	b := &batchState{p: p, ctx: ctx, tx: tx, now: p.now(),
		deltas: map[posKey]*pendingDelta{}, classes: map[posKey]*sillage.StockDelta{}, eff: eff}
	b.pf, _ = tx.(sillage.ItemPrefetcher)
	var ok bool
	if b.loop, ok = tx.(sillage.StockLoopTx); !ok {
		return nil, errors.New("iot: the store's transaction keeps no ledger and no outbox (sillage.StockLoopTx)")
	}
	eff.stats.Messages = len(batch)
	fresh := make([]bool, len(batch))
	for i, pr := range batch {
		if pr.dup {
			eff.stats.Duplicates++
			continue
		}
		ok, err := b.loop.MarkSeenAt(pr.key, pr.msg.ReceivedAt, keyTime(pr))
		if err != nil {
			return nil, err
		}
		if !ok {
			eff.stats.Duplicates++
			continue
		}
		fresh[i] = true
		eff.seenKeys = append(eff.seenKeys, pr.key)
		if pr.reject == "" {
			if pr.reject, err = b.belowWatermark(pr); err != nil {
				return nil, err
			}
		}
	}
	for i, pr := range batch {
		if !fresh[i] {
			continue
		}
		if pr.reject != "" {
			if err := b.deadLetter(pr, pr.reject); err != nil {
				return nil, err
			}
			continue
		}
		switch {
		case pr.snap != nil:
			if err := b.applySnapshot(pr); err != nil {
				return nil, err
			}
		case pr.ack != nil:
			if err := b.applyAck(pr); err != nil {
				return nil, err
			}
		default:
			for ei := range pr.events {
				if err := b.applyEvent(pr, ei); err != nil {
					return nil, err
				}
				if err := b.recordEvent(pr.key, ei, &pr.events[ei]); err != nil {
					return nil, err
				}
			}
		}
	}
	if err := b.flush(); err != nil {
		return nil, err
	}
	if err := b.flushSales(); err != nil {
		return nil, err
	}
	if err := b.flows.flushLedger(b.loop, b.now); err != nil {
		return nil, err
	}
	if err := b.enqueueEffects(); err != nil {
		return nil, err
	}
	return eff, nil
}

// applyItem applies one event to one item; it reports whether the item's
// state changed (placed at a site where it was not, removed, shipped).
func (b *batchState) applyItem(item epc.Item, op opKind, ev *resolvedEvent, at string) (bool, error) {
	key, sku := sillage.ItemKey{GTIN: item.GTIN, Serial: item.Serial}, b.skuOf(item.GTIN)
	st, known, err := b.tx.Item(key)
	if err != nil {
		return false, err
	}
	if known && !ev.t.After(st.EventTime) {
		b.eff.stats.StaleReads++
		return false, nil
	}
	if op == opNone {
		return false, nil
	}
	// Take the item out of where it was.
	leave := func() {
		if !known {
			return
		}
		switch st.Status {
		case sillage.ItemPresent:
			b.delta(st.Site, st.SKU, -1, 0)
		case sillage.ItemInTransit:
			b.delta(st.Site, st.SKU, 0, -1)
		}
	}
	next := sillage.ItemState{Key: key, SKU: sku, EventTime: ev.t}
	moved := true
	switch op {
	case opPlace:
		if known && st.Status == sillage.ItemPresent && st.Site == at && st.SKU == sku {
			moved = false
		} else {
			leave()
			b.delta(at, sku, 1, 0)
		}
		next.Site, next.Status = at, sillage.ItemPresent
	case opRemove:
		leave()
		next.Site, next.Status = at, sillage.ItemGone
		if known && at == "" {
			next.Site = st.Site
		}
		moved = !known || st.Status != sillage.ItemGone
	case opShip:
		leave()
		if ev.dest != "" {
			b.delta(ev.dest, sku, 0, 1)
			next.Site, next.Status = ev.dest, sillage.ItemInTransit
		} else {
			next.Site, next.Status = ev.origin, sillage.ItemGone
		}
	}
	b.itemFlow(known, st, next, ev)
	if err := b.tx.SetItem(next); err != nil {
		return false, err
	}
	if moved {
		b.eff.stats.ItemChanges++
	}
	return moved, nil
}

func (b *batchState) applyEvent(pr *prepared, index int) error {
	ev := &pr.events[index]
	b.flows.startEvent(ev.t)
	defer b.flows.endEvent()
	if ev.id != "" {
		ok, err := b.loop.MarkSeenAt("event:"+ev.id, b.now, ev.t)
		if err != nil {
			return err
		}
		if !ok {
			b.eff.stats.DupEvents++
			return nil
		}
	}
	b.eff.stats.Events++
	b.eff.stats.Reads += ev.reads
	for _, r := range ev.skipped {
		if b.eff.stats.Skipped == nil {
			b.eff.stats.Skipped = map[string]int{}
		}
		b.eff.stats.Skipped[r]++
	}
	received := map[string]float64{}
	var order []string
	add := func(sku string, units float64) {
		if _, ok := received[sku]; !ok {
			order = append(order, sku)
		}
		received[sku] += units
	}
	for _, it := range ev.inItems {
		if _, err := b.applyItem(it, opRemove, ev, ev.origin); err != nil {
			return err
		}
	}
	for _, q := range ev.inQtys {
		b.classDelta(ev.origin, q.sku, -q.units, 0)
		b.classFlow(q.sku, -b.in(ev.origin)*q.units, ev)
	}

	at := ev.loc
	if ev.itemOp != opPlace {
		at = ev.origin
	}
	if b.pf != nil && len(ev.items) >= 16 {
		b.keys = b.keys[:0]
		for _, it := range ev.items {
			b.keys = append(b.keys, sillage.ItemKey{GTIN: it.GTIN, Serial: it.Serial})
		}
		b.pf.PrefetchItems(b.keys)
	}
	ship := newShipmentOf(ev)
	for _, it := range ev.items {
		moved, err := b.applyItem(it, ev.itemOp, ev, at)
		if err != nil {
			return err
		}
		if moved && ev.itemOp == opPlace {
			add(b.skuOf(it.GTIN), 1)
		}
		if moved && ev.itemOp == opRemove {
			b.sold(ev, b.skuOf(it.GTIN), 1)
		}
		if moved && ship != nil {
			ship.addItem(it, b.skuOf(it.GTIN))
		}
	}
	for _, q := range ev.qtys {
		switch ev.qtyOp {
		case opPlace:
			b.classDelta(ev.loc, q.sku, q.units, 0)
			off := 0.0 // units that were in transit to loc
			if ev.arriving {
				// Units arriving leave the in-transit count of the site, as
				// far as it holds class-level units.
				cs, err := b.tx.Class(ev.loc, q.sku)
				if err != nil {
					return err
				}
				pending := 0.0
				if d := b.classes[posKey{ev.loc, q.sku}]; d != nil {
					pending = d.InTransit
				}
				if off = min(q.units, cs.InTransit+pending); off > 0 {
					b.classDelta(ev.loc, q.sku, 0, -off)
				} else {
					off = 0
				}
			}
			b.classFlow(q.sku, b.in(ev.loc)*(q.units-off), ev)
			add(q.sku, q.units)
		case opRemove:
			b.classDelta(ev.origin, q.sku, -q.units, 0)
			b.sold(ev, q.sku, q.units)
			b.classFlow(q.sku, -b.in(ev.origin)*q.units, ev)
		case opShip:
			b.classDelta(ev.origin, q.sku, -q.units, 0)
			if ev.dest != "" {
				b.classDelta(ev.dest, q.sku, 0, q.units)
				b.classFlow(q.sku, (b.in(ev.dest)-b.in(ev.origin))*q.units, ev)
			} else {
				b.classFlow(q.sku, -b.in(ev.origin)*q.units, ev)
			}
			if ship != nil {
				ship.add(q.sku, q.units)
			}
		}
	}
	if ship != nil && len(ship.Lines) > 0 {
		if err := b.recordShipment(ship); err != nil {
			return err
		}
	}
	if ev.receiving && len(order) > 0 {
		r := Receipt{Network: b.p.Catalog.Network, Site: ev.loc, ID: ev.id, EventID: ev.id, EventTime: ev.t, BizTransactions: ev.bizTx}
		if r.ID == "" {
			r.ID = pr.key + "/" + strconv.Itoa(index)
		}
		for _, sku := range order {
			r.Lines = append(r.Lines, ReceiptLine{SKU: sku, Units: received[sku]})
		}
		b.eff.receipts = append(b.eff.receipts, r)
	}
	return nil
}

func (b *batchState) applyAck(pr *prepared) error {
	rec, err := b.tx.AckCommand(pr.site, *pr.ack, b.now)
	switch {
	case errors.Is(err, sillage.ErrNotFound), errors.Is(err, sillage.ErrConflict):
		return b.deadLetter(pr, err.Error())
	case err != nil:
		return err
	}
	b.eff.stats.Acks++
	b.eff.acks = append(b.eff.acks, CommandAck{Network: b.p.Catalog.Network, Site: pr.site, CommandID: rec.Command.ID,
		Status: rec.Status, Reason: rec.AckReason, At: b.now, Key: pr.key})
	return nil
}

// after logs the dead letters of a committed batch, once each, and
// delivers what it wrote to the outbox (see Relay): at once, so that the
// workflows hear of it without waiting for the relay's next round; what
// fails now is delivered by the relay later.
func (p *Processor) after(ctx context.Context, st sillage.ItemStore, eff *effects) {
	for _, d := range eff.deadLetters {
		p.log().Warn("dead letter", "network", p.Catalog.Network, "topic", d.Topic, "key", d.Key, "reason", d.Reason)
	}
	if p.Listener == nil || eff.outbox == 0 {
		return
	}
	os, ok := st.(sillage.OutboxStore)
	if !ok {
		return
	}
	r := &Relay{Network: p.Catalog.Network, Store: os, Listener: p.Listener, Now: p.Now, Log: p.Log}
	if _, err := r.DeliverDue(ctx); err != nil {
		p.log().Warn("outbox delivery failed; the relay tries again", "network", p.Catalog.Network, "err", err)
	}
}

// Process applies messages as one batch in one transaction of st and then
// runs the triggers. It is the whole ingest without MQTT: the subscriber
// calls it for each batch, tests and tools may call it directly.
func (p *Processor) Process(ctx context.Context, st sillage.ItemStore, msgs []Message) (sillage.IngestStats, error) {
	if p.Catalog == nil {
		return sillage.IngestStats{}, errors.New("iot: processor without a catalog")
	}
	batch := make([]*prepared, len(msgs))
	for i, m := range msgs {
		batch[i] = p.prepare(m)
	}
	eff, err := p.commit(ctx, st, batch)
	if err != nil {
		return sillage.IngestStats{}, err
	}
	p.after(ctx, st, eff)
	return eff.stats, nil
}

// commit applies a prepared batch in one transaction.
func (p *Processor) commit(ctx context.Context, st sillage.ItemStore, batch []*prepared) (*effects, error) {
	var eff *effects
	err := st.IoTBatch(ctx, p.Catalog.Network, func(tx sillage.IngestTx) error {
		var err error
		eff, err = p.apply(ctx, tx, batch)
		return err
	})
	if err != nil {
		return nil, err
	}
	return eff, nil
}
