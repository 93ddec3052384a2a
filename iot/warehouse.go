package iot

import (
	"context"
	"encoding/json"
	"fmt"
	"hash/fnv"
	"log/slog"
	"math"
	"strconv"
	"sync"
	"time"

	mqtt "github.com/eclipse/paho.mqtt.golang"

	"github.com/sillage/sillage"
	"github.com/sillage/sillage/iot/epcis"
)

// DefaultReceiptDelay is how long a simulated transfer travels before the
// Warehouse publishes its receipt at the destination.
const DefaultReceiptDelay = 20 * time.Second

// ShutdownGrace is how long a Warehouse lets a publish that had started
// (an ack, a receipt) wait for the broker's PUBACK after its context is
// done, so that a stop does not drop a message the broker has already
// delivered.
const ShutdownGrace = 5 * time.Second

// Warehouse simulates the warehouse systems of a network's distribution
// centres and sites: it subscribes to sillage/v1/sites/{site}/commands of
// each of them, acks every command it receives on
// sillage/v1/sites/{site}/acks ("accepted", then "done", with the command
// id), and, ReceiptDelay after it first applied a transfer order, publishes
// the RFID receipt at the destination on the destination's epcis topic:
// one EPCIS ObjectEvent, action OBSERVE, bizStep receiving, bizLocation
// the destination's GLN, with one SGTIN per unit of the command's lines
// and a bizTransactionList entry urn:sillage:order:{command id}, which
// the ingest reports to the order's TransferWorkflow.
//
// A command id is applied once: a resent command is acked again, nothing
// more. The event id and the EPC serials derive from the command id, so
// even a command redelivered after a restart publishes the same receipt,
// which the ingest counts once.
type Warehouse struct {
	Network *sillage.Network
	// ClientFor returns a connected client of a site (sites may need their
	// own credentials under the ACL). It is called once per site; the
	// same client may serve several sites.
	ClientFor func(ctx context.Context, site string) (mqtt.Client, error)
	// ReceiptDelay is the time from a transfer order to its receipt at the
	// destination; 0: DefaultReceiptDelay.
	ReceiptDelay time.Duration
	// Items, when set, makes the warehouse ship real stock: it picks the
	// EPCs of a transfer among the items present at the source, publishes
	// a shipping event there (warehouse_ship.go), and receives the same
	// EPCs at the destination. Without it the receipt lists serials made
	// up from the command id (ReceiptSerial) and no shipping event is sent.
	Items ItemSource
	Log   *slog.Logger // nil: slog.Default()

	mu      sync.Mutex
	applied map[string]bool
	picked  map[sillage.ItemKey]bool // items shipped by this warehouse
	stats   WarehouseStats
	wg      sync.WaitGroup
}

// WarehouseStats counts what a Warehouse did.
type WarehouseStats struct {
	Deliveries int // commands received, resends included
	Acks       int // acks published
	Applied    int // distinct command ids applied
	Receipts   int // receipts published
	Shipments  int // shipping events published (with Items)
	Rejected   int // malformed commands (not acked: they carry no usable id)
}

// Stats returns the counts so far.
func (w *Warehouse) Stats() WarehouseStats {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.stats
}

func (w *Warehouse) log() *slog.Logger { return logOr(w.Log) }

// Sites returns the ids of the sites a Warehouse serves: the distribution
// centres and sites of the network with a GLN and a valid id.
func (w *Warehouse) Sites() []string {
	var out []string
	for _, s := range w.Network.Sites {
		if s.GLN != "" && ValidSiteID(s.ID) && (s.Kind == sillage.KindDC || s.Kind == sillage.KindBoutique) {
			out = append(out, s.ID)
		}
	}
	return out
}

// Run serves the commands of every site until ctx is done: Start, then
// Wait.
func (w *Warehouse) Run(ctx context.Context) error {
	if err := w.Start(ctx); err != nil {
		return err
	}
	w.Wait()
	return nil
}

// Wait waits until a started Warehouse has stopped, after ctx of Start is
// done; receipts still travelling then are not published, publishes in
// flight get ShutdownGrace to finish.
func (w *Warehouse) Wait() { w.wg.Wait() }

// Start subscribes to the commands of every site and serves them in the
// background until ctx is done. Commands published after Start returns
// are received.
func (w *Warehouse) Start(ctx context.Context) error {
	if w.Network == nil || w.ClientFor == nil {
		return fmt.Errorf("%w: warehouse needs a network and ClientFor", sillage.ErrInvalid)
	}
	sites := w.Sites()
	if len(sites) == 0 {
		return fmt.Errorf("%w: network %q has no site with a GLN for the warehouse", sillage.ErrInvalid, w.Network.Name)
	}
	w.mu.Lock()
	if w.applied == nil {
		w.applied = map[string]bool{}
	}
	if w.picked == nil {
		w.picked = map[sillage.ItemKey]bool{}
	}
	w.mu.Unlock()
	clients := map[string]mqtt.Client{}
	for _, site := range sites {
		c, err := w.ClientFor(ctx, site)
		if err != nil {
			return fmt.Errorf("warehouse: client of %s: %w", site, err)
		}
		clients[site] = c
	}
	// Handlers only queue: paho calls them in order on its own goroutine,
	// which must not wait for the PUBACKs of the acks.
	type delivery struct {
		site    string
		payload []byte
	}
	queue := make(chan delivery, 1024)
	for _, site := range sites {
		c, site := clients[site], site
		topic := SiteTopic(site, KindCommands)
		handler := func(_ mqtt.Client, m mqtt.Message) {
			select {
			case queue <- delivery{site, m.Payload()}:
			case <-ctx.Done():
			}
		}
		if err := wait(ctx, c.Subscribe(topic, 1, handler)); err != nil {
			return fmt.Errorf("warehouse: subscribe to %s: %w", topic, err)
		}
	}
	w.log().Info("warehouse: serving commands", "network", w.Network.Name, "sites", len(sites))
	w.wg.Add(1)
	go func() {
		defer w.wg.Done()
		for {
			select {
			case d := <-queue:
				w.handle(ctx, clients, d.site, d.payload)
			case <-ctx.Done():
				return
			}
		}
	}()
	return nil
}

// handle acks one delivered command and applies it the first time.
func (w *Warehouse) handle(ctx context.Context, clients map[string]mqtt.Client, site string, payload []byte) {
	var cmd sillage.Command
	if err := json.Unmarshal(payload, &cmd); err != nil || validateCommand(cmd) != nil || cmd.Site != site {
		w.mu.Lock()
		w.stats.Rejected++
		w.mu.Unlock()
		w.log().Warn("warehouse: malformed command ignored", "site", site, "bytes", len(payload))
		return
	}
	w.mu.Lock()
	w.stats.Deliveries++
	first := !w.applied[cmd.ID]
	if first {
		w.applied[cmd.ID] = true
		w.stats.Applied++
	}
	w.mu.Unlock()
	pub := MQTTPublisher{clients[site]}
	pctx, done := graceful(ctx)
	defer done()
	for _, st := range []sillage.AckStatus{sillage.AckAccepted, sillage.AckDone} {
		b, err := jsonMarshal(sillage.Ack{CommandID: cmd.ID, Status: st, Time: time.Now().UTC()})
		if err == nil {
			err = pub.Publish(pctx, SiteTopic(site, KindAcks), b)
		}
		if err != nil {
			w.log().Warn("warehouse: ack not published", "command", cmd.ID, "status", st, "err", err)
			return
		}
		w.mu.Lock()
		w.stats.Acks++
		w.mu.Unlock()
	}
	w.log().Info("warehouse: command acked", "command", cmd.ID, "site", site, "attempt", cmd.Attempt, "first", first)
	if !first || cmd.Kind != sillage.CommandTransferOrder {
		return
	}
	dest, ok := clients[cmd.To]
	if !ok {
		w.log().Warn("warehouse: transfer to a site it does not serve: no receipt", "command", cmd.ID, "to", cmd.To)
		return
	}
	delay := w.ReceiptDelay
	if delay <= 0 {
		delay = DefaultReceiptDelay
	}
	if w.Items != nil {
		w.wg.Add(1)
		go func() {
			defer w.wg.Done()
			w.shipAndReceive(ctx, pub, MQTTPublisher{dest}, cmd, delay)
		}()
		return
	}
	w.wg.Add(1)
	go func() {
		defer w.wg.Done()
		select {
		case <-time.After(delay):
		case <-ctx.Done():
			return
		}
		pctx, done := graceful(ctx)
		defer done()
		if err := w.publishReceipt(pctx, MQTTPublisher{dest}, cmd); err != nil {
			w.log().Warn("warehouse: receipt not published", "command", cmd.ID, "to", cmd.To, "err", err)
		}
	}()
}

// graceful returns a context for a publish that has started: it is done
// ShutdownGrace after ctx is done, not at once. Call done when the publish
// has returned.
func graceful(ctx context.Context) (c context.Context, done func()) {
	c, cancel := context.WithCancel(context.WithoutCancel(ctx))
	stop := context.AfterFunc(ctx, func() { time.AfterFunc(ShutdownGrace, cancel) })
	return c, func() {
		stop()
		cancel()
	}
}

// publishReceipt publishes the receipt of a transfer at its destination.
func (w *Warehouse) publishReceipt(ctx context.Context, pub Publisher, cmd sillage.Command) error {
	ev, err := w.ReceiptEvent(cmd, time.Now().UTC().Truncate(time.Millisecond))
	if err != nil {
		return err
	}
	b, err := EncodeEvents(ev.Time, ev)
	if err != nil {
		return err
	}
	if err := pub.Publish(ctx, SiteTopic(cmd.To, KindEPCIS), b); err != nil {
		return err
	}
	w.mu.Lock()
	w.stats.Receipts++
	w.mu.Unlock()
	w.log().Info("warehouse: receipt published", "command", cmd.ID, "to", cmd.To, "epcs", len(ev.EPCs))
	return nil
}

// ReceiptEvent returns the receipt of a transfer order at its destination,
// stamped t: the same event id and EPCs for the same command id. Units are
// rounded up to whole items; a line of a product without a GTIN is an error.
func (w *Warehouse) ReceiptEvent(cmd sillage.Command, t time.Time) (ObjectEvent, error) {
	site, ok := w.Network.Site(cmd.To)
	if !ok || site.GLN == "" {
		return ObjectEvent{}, fmt.Errorf("%w: command %q: destination %q is no site with a GLN", sillage.ErrInvalid, cmd.ID, cmd.To)
	}
	a, b := commandHash(cmd.ID), commandHash("receipt:"+cmd.ID)
	ev := ObjectEvent{
		ID:   fmt.Sprintf("urn:uuid:%08x-%04x-4%03x-8%03x-%012x", a>>32, a>>16&0xffff, a&0xfff, b>>52&0xfff, b&0xffffffffffff),
		Time: t, Action: epcis.ActionObserve, BizStep: "receiving", Disposition: "in_progress",
		BizLocation: site.GLN, ReadPoint: site.GLN,
		BizTransactions: []epcis.BizTransaction{{Type: "desadv", ID: "urn:sillage:order:" + cmd.ID}},
	}
	for i, l := range cmd.Lines {
		gtin := l.GTIN
		if gtin == "" {
			if p, ok := w.Network.Product(l.SKU); ok {
				gtin = p.GTIN
			}
		}
		if sillage.ValidateGTIN14(gtin) != nil {
			return ObjectEvent{}, fmt.Errorf("%w: command %q: lines[%d]: sku %q has no valid GTIN", sillage.ErrInvalid, cmd.ID, i, l.SKU)
		}
		n := int(math.Ceil(l.Quantity))
		if i >= maxReceiptLines || n > maxReceiptUnits {
			return ObjectEvent{}, fmt.Errorf("%w: command %q: lines[%d]: more than %d lines or %d units", sillage.ErrInvalid, cmd.ID, i, maxReceiptLines, maxReceiptUnits)
		}
		for k := 0; k < n; k++ {
			ev.EPCs = append(ev.EPCs, SGTINURI(gtin, DefaultCompanyPrefixLen, ReceiptSerial(cmd.ID, i, k)))
		}
	}
	return ev, nil
}

// Bounds of a receipt, so that its serials fit in 20 characters.
const (
	maxReceiptLines = 1000
	maxReceiptUnits = 1000000
)

// ReceiptSerial is the SGTIN serial of the k-th unit (from 0) of line i of
// the receipt of command id: "W", 9 hex digits of a hash of the id, the
// line, "L" and the unit; at most 20 characters for up to 1000 lines of a
// million units.
func ReceiptSerial(id string, line, k int) string {
	return fmt.Sprintf("W%09x", commandHash(id)>>28) + strconv.Itoa(line) + "L" + strconv.Itoa(k)
}

// commandHash is the 64-bit FNV-1a hash of s.
func commandHash(s string) uint64 {
	h := fnv.New64a()
	_, _ = h.Write([]byte(s))
	return h.Sum64()
}
