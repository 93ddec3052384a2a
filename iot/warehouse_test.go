package iot_test

import (
	"context"
	"encoding/json"
	"fmt"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	mqtt "github.com/eclipse/paho.mqtt.golang"

	"github.com/sillage/sillage"
	"github.com/sillage/sillage/internal/testnet"
	"github.com/sillage/sillage/iot"
	"github.com/sillage/sillage/iot/broker"
	"github.com/sillage/sillage/iot/epcis"
	"github.com/sillage/sillage/store/storetest"
)

// tinyNetwork loads testdata/networks/tiny.yaml, named tiny.
func tinyNetwork(t *testing.T) *sillage.Network {
	t.Helper()
	n := testnet.Load(t, "tiny")
	n.Name = "tiny"
	return n
}

// transferCommand is a transfer of 2 BAG-01 and 3 EDP-01 from DC-PAR to
// BTQ-LON, as PublishTransfer sends it.
func transferCommand(attempt int) sillage.Command {
	return sillage.Command{ID: "to:plan-7:DC-PAR:BTQ-LON", Kind: sillage.CommandTransferOrder, Site: "DC-PAR", From: "DC-PAR", To: "BTQ-LON",
		Lines:     []sillage.CommandLine{{SKU: "BAG-01", GTIN: "03760123400015", Quantity: 2}, {SKU: "EDP-01", Quantity: 3}},
		Reference: "plan-7", IssuedAt: time.Now().UTC(), Deadline: time.Now().Add(time.Minute).UTC(), Attempt: attempt}
}

// wantReceiptItems are the item keys (GTIN.serial) of transferCommand's
// receipt.
func wantReceiptItems(id string) []string {
	var out []string
	for k := 0; k < 2; k++ {
		out = append(out, "03760123400015."+iot.ReceiptSerial(id, 0, k))
	}
	for k := 0; k < 3; k++ {
		out = append(out, "03760123400022."+iot.ReceiptSerial(id, 1, k))
	}
	sort.Strings(out)
	return out
}

// TestSimulateWarehouseAcksAndReceipt runs a Warehouse against the embedded broker
// with one user per site, as under the shipped ACL: a transfer command
// delivered twice (a resend, same id) is acked accepted then done on each
// delivery, applied once, and its receipt is published once at the
// destination with the expected EPCs and the order in its business
// transactions.
func TestSimulateWarehouseAcksAndReceipt(t *testing.T) {
	n := tinyNetwork(t)
	users := map[string]string{broker.UserOps: "ops", broker.UserPlanner: "planner"}
	for _, s := range []string{"DC-PAR", "BTQ-PAR", "BTQ-LON"} {
		users[s] = "dev-" + s
	}
	b, err := broker.Start(broker.Config{Addr: "127.0.0.1:0", Users: users})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { b.Close() })
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	dial := func(ctx context.Context, user, id string) mqtt.Client {
		t.Helper()
		_, c, err := iot.Dial(ctx, iot.ClientConfig{Broker: b.URL(false), ClientID: id, Username: user, Password: users[user], CleanSession: true})
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { c.Disconnect(0) })
		return c
	}

	// An observer of the acks and the receipts.
	type msg struct{ topic, payload string }
	var mu sync.Mutex
	var got []msg
	arrived := make(chan struct{}, 100)
	ops := dial(ctx, broker.UserOps, "wh-ops")
	tok := ops.SubscribeMultiple(map[string]byte{"sillage/v1/sites/+/acks": 1, "sillage/v1/sites/+/epcis": 1}, func(_ mqtt.Client, m mqtt.Message) {
		mu.Lock()
		got = append(got, msg{m.Topic(), string(m.Payload())})
		mu.Unlock()
		arrived <- struct{}{}
	})
	if !tok.WaitTimeout(30*time.Second) || tok.Error() != nil {
		t.Fatalf("subscribe: %v", tok.Error())
	}
	await := func(n int) {
		t.Helper()
		for i := 0; i < n; i++ {
			select {
			case <-arrived:
			case <-time.After(time.Minute):
				t.Fatalf("message %d of %d never arrived", i+1, n)
			}
		}
	}

	wctx, stop := context.WithCancel(ctx)
	defer stop()
	var clientSites []string
	w := &iot.Warehouse{Network: n, ReceiptDelay: 10 * time.Millisecond,
		ClientFor: func(ctx context.Context, site string) (mqtt.Client, error) {
			clientSites = append(clientSites, site)
			return dial(ctx, site, "wh-"+site), nil
		}}
	if err := w.Start(wctx); err != nil {
		t.Fatal(err)
	}
	if want := []string{"DC-PAR", "BTQ-PAR", "BTQ-LON"}; strings.Join(clientSites, ",") != strings.Join(want, ",") {
		t.Errorf("clients for %v, want %v", clientSites, want)
	}

	planner := iot.MQTTPublisher{Client: dial(ctx, broker.UserPlanner, "wh-planner")}
	send := func(cmd sillage.Command) {
		t.Helper()
		payload, err := json.Marshal(cmd)
		if err != nil {
			t.Fatal(err)
		}
		if err := planner.Publish(ctx, iot.SiteTopic(cmd.Site, iot.KindCommands), payload); err != nil {
			t.Fatal(err)
		}
	}
	send(transferCommand(1))
	await(3) // accepted, done, receipt
	send(transferCommand(2))
	await(2) // accepted, done again
	stop()
	w.Wait()

	st := w.Stats()
	if want := (iot.WarehouseStats{Deliveries: 2, Acks: 4, Applied: 1, Receipts: 1}); st != want {
		t.Errorf("stats %+v, want %+v", st, want)
	}
	mu.Lock()
	defer mu.Unlock()
	var acks []string
	var receipts []string
	for _, m := range got {
		switch m.topic {
		case iot.SiteTopic("DC-PAR", iot.KindAcks):
			a, err := iot.DecodeAck([]byte(m.payload))
			if err != nil {
				t.Fatal(err)
			}
			if a.CommandID != "to:plan-7:DC-PAR:BTQ-LON" {
				t.Errorf("ack of %q", a.CommandID)
			}
			acks = append(acks, string(a.Status))
		case iot.SiteTopic("BTQ-LON", iot.KindEPCIS):
			receipts = append(receipts, m.payload)
		default:
			t.Errorf("unexpected message on %s: %s", m.topic, m.payload)
		}
	}
	if strings.Join(acks, ",") != "accepted,done,accepted,done" {
		t.Errorf("acks %v, want accepted and done for each delivery", acks)
	}
	if len(receipts) != 1 {
		t.Fatalf("%d receipts, want 1", len(receipts))
	}
	doc, err := epcis.Decode([]byte(receipts[0]))
	if err != nil {
		t.Fatal(err)
	}
	if len(doc.Events) != 1 {
		t.Fatalf("%d events, want 1", len(doc.Events))
	}
	ev := doc.Events[0]
	if ev.Type != "ObjectEvent" || ev.BizStep != "receiving" || ev.BizLocation == nil || ev.BizLocation.GLN != "3760123450034" {
		t.Errorf("event %s bizStep %q at %+v, want an ObjectEvent receiving at BTQ-LON's GLN", ev.Type, ev.BizStep, ev.BizLocation)
	}
	if len(ev.BizTransactions) != 1 || ev.BizTransactions[0].ID != "urn:sillage:order:to:plan-7:DC-PAR:BTQ-LON" {
		t.Errorf("bizTransactions %+v, want the order", ev.BizTransactions)
	}
	var items []string
	for _, it := range ev.EPCs {
		items = append(items, it.Key())
	}
	sort.Strings(items)
	if want := wantReceiptItems("to:plan-7:DC-PAR:BTQ-LON"); strings.Join(items, " ") != strings.Join(want, " ") {
		t.Errorf("EPCs %v, want %v", items, want)
	}
}

// TestSimulateWarehouseReceiptIngested applies the receipt of a transfer through
// the ingest's processor twice, as after a restart of the warehouse: the
// first adds the items at the destination and reports a receipt naming the
// order; the second, built again from the same command, changes nothing.
func TestSimulateWarehouseReceiptIngested(t *testing.T) {
	f := newFixture(t, "sqlite://"+t.TempDir()+"/wh.db")
	w := &iot.Warehouse{Network: f.net}
	bag0, _ := f.onHand("BTQ-LON", "BAG-01")
	edp0, _ := f.onHand("BTQ-LON", "EDP-01")
	for i := 0; i < 2; i++ {
		at := f.t0.Add(time.Duration(i+1) * time.Minute)
		ev, err := w.ReceiptEvent(transferCommand(i+1), at)
		if err != nil {
			t.Fatal(err)
		}
		payload, err := iot.EncodeEvents(at, ev)
		if err != nil {
			t.Fatal(err)
		}
		f.process(iot.Message{Topic: iot.SiteTopic("BTQ-LON", iot.KindEPCIS), Payload: payload, ReceivedAt: at})
	}
	f.wantStock("BTQ-LON", "BAG-01", bag0+2, 0)
	f.wantStock("BTQ-LON", "EDP-01", edp0+3, 0)
	if len(f.trig.receipts) != 1 {
		t.Fatalf("%d receipts reported, want 1", len(f.trig.receipts))
	}
	r := f.trig.receipts[0]
	if r.Site != "BTQ-LON" || len(r.BizTransactions) != 1 || !strings.HasSuffix(r.BizTransactions[0].ID, ":to:plan-7:DC-PAR:BTQ-LON") {
		t.Errorf("receipt %+v does not name the order at BTQ-LON", r)
	}
	if len(r.Lines) != 2 || r.Lines[0] != (iot.ReceiptLine{SKU: "BAG-01", Units: 2}) || r.Lines[1] != (iot.ReceiptLine{SKU: "EDP-01", Units: 3}) {
		t.Errorf("receipt lines %+v, want 2 BAG-01 and 3 EDP-01", r.Lines)
	}
}

// TestSimulateWarehouseReceiptSerial checks that serials are deterministic, distinct per
// command, line and unit, and fit the 20 characters of an SGTIN serial.
func TestSimulateWarehouseReceiptSerial(t *testing.T) {
	seen := map[string]bool{}
	for _, id := range []string{"to:a:DC-PAR:BTQ-LON", "to:b:DC-PAR:BTQ-LON"} {
		for line := 0; line < 12; line++ {
			for k := 0; k < 12; k++ {
				s := iot.ReceiptSerial(id, line, k)
				if s != iot.ReceiptSerial(id, line, k) {
					t.Fatalf("%s: not deterministic", s)
				}
				if seen[s] {
					t.Fatalf("%s %d %d: serial %s used twice", id, line, k, s)
				}
				seen[s] = true
			}
		}
	}
	if s := iot.ReceiptSerial("x", 999, 999999); len(s) > 20 {
		t.Errorf("serial %s has %d characters", s, len(s))
	}
}

// TestWarehousePicksRealEPCs: the simulated warehouse ships the tagged
// bags present at the DC, never one it shipped before, then untagged units
// as a quantity, and ships short when the DC has fewer than ordered.
// DC-PAR holds 20 untagged BAG-01 (tiny.yaml) and receives 3 tagged ones.
func TestWarehousePicksRealEPCs(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, url string) {
		f := newFixture(t, url)
		f.process(f.msg("DC-PAR", iot.ObjectEvent{ID: "urn:uuid:in", Time: f.t0, Action: epcis.ActionAdd, BizStep: "receiving",
			BizLocation: glnDC, EPCs: bags(21, 22, 23)}))
		w := &iot.Warehouse{Network: f.net, Items: f.st}
		cmd := sillage.Command{ID: "to:tiny:p1:DC-PAR:BTQ-LON", Kind: sillage.CommandTransferOrder, Site: "DC-PAR", From: "DC-PAR", To: "BTQ-LON",
			Lines: []sillage.CommandLine{{SKU: "BAG-01", Quantity: 2}}}
		p, err := w.PickOrder(f.ctx, cmd)
		if err != nil {
			t.Fatal(err)
		}
		if fmt.Sprint(p.EPCs) != fmt.Sprint(bags(21, 22)) || len(p.Quantities) != 0 {
			t.Fatalf("picked %+v, want %v and nothing untagged", p, bags(21, 22))
		}
		ev, err := w.ShippingEvent(cmd, p, f.t0.Add(time.Minute))
		if err != nil {
			t.Fatal(err)
		}
		if ev.BizStep != "shipping" || ev.Disposition != "in_transit" || ev.BizLocation != glnDC || ev.Destination != glnBTQLon ||
			ev.BizTransactions[0].ID != "urn:sillage:order:"+cmd.ID {
			t.Errorf("shipping event %+v", ev)
		}
		// Before that event is applied, a second order of 2 gets the one
		// tagged bag not yet picked and one untagged unit.
		cmd2 := cmd
		cmd2.ID, cmd2.To = "to:tiny:p2:DC-PAR:BTQ-PAR", "BTQ-PAR"
		p2, err := w.PickOrder(f.ctx, cmd2)
		if err != nil {
			t.Fatal(err)
		}
		class := iot.ClassURI(gtinBag, 7)
		if fmt.Sprint(p2.EPCs) != fmt.Sprint(bags(23)) || fmt.Sprint(p2.Quantities) != fmt.Sprint([]iot.QuantityElement{{EPCClass: class, Quantity: 1, UOM: "EA"}}) {
			t.Errorf("second pick %+v, want %v and 1 unit of %s", p2, bags(23), class)
		}
		ev2, err := w.ShippingEvent(cmd2, p2, f.t0.Add(2*time.Minute))
		if err != nil {
			t.Fatal(err)
		}
		f.process(f.msg("DC-PAR", ev, ev2))
		f.wantStock("DC-PAR", "BAG-01", 19, 0)
		f.wantStock("BTQ-LON", "BAG-01", 0, 2)
		f.wantStock("BTQ-PAR", "BAG-01", 3, 4)
		// An order of 30 now finds no tag and the 19 untagged units: short.
		cmd3 := cmd
		cmd3.ID = "to:tiny:p3:DC-PAR:BTQ-LON"
		cmd3.Lines = []sillage.CommandLine{{SKU: "BAG-01", Quantity: 30}}
		p3, err := w.PickOrder(f.ctx, cmd3)
		if err != nil {
			t.Fatal(err)
		}
		if len(p3.EPCs) != 0 || p3.Units() != 19 {
			t.Errorf("third pick %+v, want 19 untagged units", p3)
		}
	})
}
