package iot_test

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/sillage/sillage"
	"github.com/sillage/sillage/iot"
	"github.com/sillage/sillage/iot/epcis"
	"github.com/sillage/sillage/store"
	"github.com/sillage/sillage/store/storetest"
)

// tiny.yaml keys.
const (
	glnDC     = "3760123450010"
	glnBTQPar = "3760123450027"
	glnBTQLon = "3760123450034"
	gtinBag   = "03760123400015"
	gtinEDP   = "03760123400022"
)

// recorder is a Listener that records every call.
type recorder struct {
	mu        sync.Mutex
	crossings []iot.ReorderCrossing
	receipts  []iot.Receipt
	acks      []iot.CommandAck
	shipments []iot.Shipment
}

// record appends x to the list of r that holds it, under r's lock.
func record[T any](r *recorder, list *[]T, x T) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	*list = append(*list, x)
	return nil
}

func (r *recorder) ReorderPointCrossed(_ context.Context, c iot.ReorderCrossing) error {
	return record(r, &r.crossings, c)
}

func (r *recorder) GoodsReceived(_ context.Context, x iot.Receipt) error {
	return record(r, &r.receipts, x)
}

func (r *recorder) CommandAcked(_ context.Context, a iot.CommandAck) error {
	return record(r, &r.acks, a)
}

func (r *recorder) GoodsShipped(_ context.Context, s iot.Shipment) error {
	return record(r, &r.shipments, s)
}

// fixture is a seeded tiny network in a fresh store with a processor.
type fixture struct {
	t    *testing.T
	ctx  context.Context
	st   *store.Store
	net  *sillage.Network
	proc *iot.Processor
	trig *recorder
	t0   time.Time
}

func newFixture(t *testing.T, url string) *fixture {
	t.Helper()
	ctx := context.Background()
	st, n := seedTinyNetwork(t, url, nil)
	trig := &recorder{}
	t0 := time.Date(2026, 3, 1, 8, 0, 0, 0, time.FixedZone("CET", 3600))
	return &fixture{t: t, ctx: ctx, st: st, net: n, trig: trig, t0: t0,
		proc: &iot.Processor{Catalog: iot.NewCatalog(n), Listener: trig, Now: func() time.Time { return t0.Add(time.Hour) }}}
}

func (f *fixture) process(msgs ...iot.Message) sillage.IngestStats {
	f.t.Helper()
	st, err := f.proc.Process(f.ctx, f.st, msgs)
	if err != nil {
		f.t.Fatal(err)
	}
	return st
}

func (f *fixture) onHand(site, sku string) (onHand, inTransit float64) {
	f.t.Helper()
	p, err := f.st.GetPosition(f.ctx, "tiny", site, sku)
	if err != nil {
		return 0, 0
	}
	return p.OnHand, p.InTransit
}

func (f *fixture) wantStock(site, sku string, onHand, inTransit float64) {
	f.t.Helper()
	oh, it := f.onHand(site, sku)
	if oh != onHand || it != inTransit {
		f.t.Errorf("%s %s: on hand %v in transit %v, want %v and %v", site, sku, oh, it, onHand, inTransit)
	}
}

// msg builds an EPCIS message on a site's topic.
func (f *fixture) msg(site string, evs ...iot.ObjectEvent) iot.Message {
	f.t.Helper()
	b, err := iot.EncodeEvents(f.t0, evs...)
	if err != nil {
		f.t.Fatal(err)
	}
	return iot.Message{Topic: iot.SiteTopic(site, iot.KindEPCIS), Payload: b, ReceivedAt: f.t0.Add(time.Hour)}
}

func bags(serials ...int) []string {
	var out []string
	for _, s := range serials {
		out = append(out, iot.SGTINURI(gtinBag, 7, fmt.Sprint(s)))
	}
	return out
}

func TestStockSemantics(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, url string) {
		f := newFixture(t, url)
		at := func(min int) time.Time { return f.t0.Add(time.Duration(min) * time.Minute) }
		// Initial stock from tiny.yaml.
		f.wantStock("DC-PAR", "BAG-01", 20, 0)
		f.wantStock("BTQ-PAR", "BAG-01", 3, 2)

		// Receipt of three bags at the DC.
		recv := iot.ObjectEvent{ID: "urn:uuid:r1", Time: at(0), Action: epcis.ActionAdd, BizStep: "receiving", Disposition: "in_progress",
			BizLocation: glnDC, ReadPoint: glnDC, EPCs: bags(1, 2, 3),
			BizTransactions: []epcis.BizTransaction{{Type: "po", ID: "urn:sillage:po:plan-1:SUP-FLR:1"}}}
		m1 := f.msg("DC-PAR", recv)
		s := f.process(m1)
		if s.Events != 1 || s.ItemChanges != 3 || s.DeadLetters != 0 {
			t.Fatalf("receipt: %+v", s)
		}
		f.wantStock("DC-PAR", "BAG-01", 23, 0)
		if len(f.trig.receipts) != 1 || f.trig.receipts[0].Site != "DC-PAR" || f.trig.receipts[0].Lines[0] != (iot.ReceiptLine{SKU: "BAG-01", Units: 3}) ||
			f.trig.receipts[0].BizTransactions[0].Type != "po" {
			t.Errorf("receipts %+v", f.trig.receipts)
		}

		// MQTT redelivery: same topic and payload.
		if s := f.process(m1); s.Duplicates != 1 || s.Events != 0 {
			t.Errorf("redelivery: %+v", s)
		}
		// The same event in another document: same eventID.
		recv2 := recv
		m1b := f.msg("DC-PAR", recv2, iot.ObjectEvent{Time: at(1), Action: epcis.ActionObserve, BizLocation: glnDC, EPCs: bags(1, 2)})
		if s := f.process(m1b); s.DupEvents != 1 || s.StaleReads != 0 || s.ItemChanges != 0 {
			t.Errorf("repeated event id: %+v", s)
		}
		// Duplicate reads without an event id, at the same time.
		dupRead := iot.ObjectEvent{Time: at(1), Action: epcis.ActionObserve, BizLocation: glnDC, EPCs: bags(1, 2, 3)}
		if s := f.process(f.msg("DC-PAR", dupRead, dupRead)); s.StaleReads != 5 || s.ItemChanges != 0 {
			t.Errorf("duplicate reads: %+v", s)
		}
		f.wantStock("DC-PAR", "BAG-01", 23, 0)
		if len(f.trig.receipts) != 1 {
			t.Errorf("duplicates reported receipts: %+v", f.trig.receipts)
		}

		// Ship bag 1 to the Paris boutique, then receive it there.
		ship := iot.ObjectEvent{Time: at(10), Action: epcis.ActionObserve, BizStep: "shipping", Disposition: "in_transit",
			ReadPoint: glnDC, Destination: glnBTQPar, EPCs: bags(1)}
		f.process(f.msg("DC-PAR", ship))
		f.wantStock("DC-PAR", "BAG-01", 22, 0)
		f.wantStock("BTQ-PAR", "BAG-01", 3, 3)
		arrive := iot.ObjectEvent{ID: "urn:uuid:r2", Time: at(60), Action: epcis.ActionObserve, BizStep: "receiving", BizLocation: glnBTQPar, EPCs: bags(1)}
		f.process(f.msg("BTQ-PAR", arrive))
		f.wantStock("BTQ-PAR", "BAG-01", 4, 2)
		// An older read of bag 1 at the DC arrives late: ignored.
		late := iot.ObjectEvent{Time: at(5), Action: epcis.ActionObserve, BizLocation: glnDC, EPCs: bags(1)}
		if s := f.process(f.msg("DC-PAR", late)); s.StaleReads != 1 {
			t.Errorf("late read: %+v", s)
		}
		f.wantStock("DC-PAR", "BAG-01", 22, 0)
		f.wantStock("BTQ-PAR", "BAG-01", 4, 2)

		// A direct move: bag 2 seen in London (no shipping event).
		f.process(f.msg("BTQ-LON", iot.ObjectEvent{Time: at(70), Action: epcis.ActionObserve, BizLocation: glnBTQLon, EPCs: bags(2)}))
		f.wantStock("DC-PAR", "BAG-01", 21, 0)
		f.wantStock("BTQ-LON", "BAG-01", 1, 0)

		// Sales: bag 1 in Paris by bizStep, bag 2 in London by DELETE.
		f.process(f.msg("BTQ-PAR", iot.ObjectEvent{Time: at(80), Action: epcis.ActionObserve, BizStep: "retail_selling", Disposition: "retail_sold", BizLocation: glnBTQPar, EPCs: bags(1)}))
		f.process(f.msg("BTQ-LON", iot.ObjectEvent{Time: at(81), Action: epcis.ActionDelete, BizLocation: glnBTQLon, EPCs: bags(2)}))
		f.wantStock("BTQ-PAR", "BAG-01", 3, 2)
		f.wantStock("BTQ-LON", "BAG-01", 0, 0)
		// A sold item read again at the same time changes nothing; a later
		// read puts it back (a return).
		f.process(f.msg("BTQ-PAR", iot.ObjectEvent{Time: at(80), Action: epcis.ActionObserve, BizLocation: glnBTQPar, EPCs: bags(1)}))
		f.wantStock("BTQ-PAR", "BAG-01", 3, 2)

		// Class-level quantities: 10 units of a perfume lot added in London,
		// 4 removed.
		lot := iot.LGTINURI(gtinEDP, 7, "L42")
		f.process(f.msg("BTQ-LON",
			iot.ObjectEvent{ID: "urn:uuid:q1", Time: at(90), Action: epcis.ActionAdd, BizStep: "receiving", BizLocation: glnBTQLon, Quantities: []iot.QuantityElement{{EPCClass: lot, Quantity: 10, UOM: "EA"}}},
			iot.ObjectEvent{ID: "urn:uuid:q2", Time: at(91), Action: epcis.ActionDelete, BizLocation: glnBTQLon, Quantities: []iot.QuantityElement{{EPCClass: lot, Quantity: 4}}}))
		f.wantStock("BTQ-LON", "EDP-01", 16, 0)
		// The same quantity events again (same ids, new document): no change.
		f.process(f.msg("BTQ-LON",
			iot.ObjectEvent{ID: "urn:uuid:q1", Time: at(90), Action: epcis.ActionAdd, BizStep: "receiving", BizLocation: glnBTQLon, Quantities: []iot.QuantityElement{{EPCClass: lot, Quantity: 10, UOM: "EA"}}}))
		f.wantStock("BTQ-LON", "EDP-01", 16, 0)

		counts, err := f.st.ItemCounts(f.ctx, "tiny")
		if err != nil {
			t.Fatal(err)
		}
		want := []store.ItemCount{{Site: "DC-PAR", SKU: "BAG-01", Present: 1}}
		if fmt.Sprint(counts) != fmt.Sprint(want) {
			t.Errorf("item counts %v, want %v", counts, want)
		}
		if dl, _ := f.st.DeadLetters(f.ctx, "tiny", 0); len(dl) != 0 {
			t.Errorf("dead letters: %+v", dl)
		}
	})
}

func TestDeadLetters(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, url string) {
		f := newFixture(t, url)
		unknownGTIN := iot.SGTINURI("04012345123456", 7, "1")
		tests := []struct {
			name string
			msg  iot.Message
			want string
		}{
			{"unknown GTIN", f.msg("DC-PAR", iot.ObjectEvent{Time: f.t0, Action: epcis.ActionAdd, BizLocation: glnDC, EPCs: append(bags(7), unknownGTIN)}), "unknown GTIN 04012345123456"},
			{"unknown GLN", f.msg("DC-PAR", iot.ObjectEvent{Time: f.t0, Action: epcis.ActionAdd, BizLocation: "4012345002256", EPCs: bags(7)}), "bizLocation GLN 4012345002256 is not a site"},
			{"other site's bizLocation", f.msg("BTQ-PAR", iot.ObjectEvent{Time: f.t0, Action: epcis.ActionAdd, BizLocation: glnDC, EPCs: bags(7)}), `is site "DC-PAR", not the topic's site "BTQ-PAR"`},
			{"future event", f.msg("DC-PAR", iot.ObjectEvent{Time: f.t0.Add(100 * time.Hour), Action: epcis.ActionAdd, BizLocation: glnDC, EPCs: bags(7)}), "after reception"},
			{"kilograms", f.msg("DC-PAR", iot.ObjectEvent{Time: f.t0, Action: epcis.ActionAdd, BizLocation: glnDC, Quantities: []iot.QuantityElement{{EPCClass: iot.LGTINURI(gtinBag, 7, "1"), Quantity: 2, UOM: "KGM"}}}), "not a count of units"},
			{"not JSON", iot.Message{Topic: iot.SiteTopic("DC-PAR", iot.KindEPCIS), Payload: []byte("\xff\x00garbage")}, "not JSON"},
			{"schema", iot.Message{Topic: iot.SiteTopic("DC-PAR", iot.KindEPCIS), Payload: []byte(`{"type":"ObjectEvent","action":"MOVE"}`)}, "EPCIS schema"},
			{"unknown site topic", iot.Message{Topic: iot.SiteTopic("NOPE", iot.KindStock), Payload: []byte(`{}`)}, `topic site "NOPE"`},
			{"bad snapshot", iot.Message{Topic: iot.SiteTopic("DC-PAR", iot.KindStock), Payload: []byte(`{"kind":"full","time":"2026-03-01T00:00:00Z","positions":[{"sku":"BAG-01","onhand":3}]}`)}, "unknown field"},
			{"snapshot unknown sku", iot.Message{Topic: iot.SiteTopic("DC-PAR", iot.KindStock), Payload: []byte(`{"kind":"delta","time":"2026-03-01T00:00:00Z","positions":[{"sku":"HAT-9","on_hand":3}]}`)}, `unknown sku "HAT-9"`},
			{"NUL byte", iot.Message{Topic: iot.SiteTopic("DC-PAR", iot.KindEPCIS), Payload: []byte("{\"type\":\"x\x00\"}")}, "not JSON"},
			{"event before 1970", f.msg("DC-PAR", iot.ObjectEvent{Time: time.Date(1969, 1, 1, 0, 0, 0, 0, time.UTC), Action: epcis.ActionAdd, BizLocation: glnDC, EPCs: bags(7)}), "before 1970"},
			{"ack of unknown command", iot.Message{Topic: iot.SiteTopic("DC-PAR", iot.KindAcks), Payload: []byte(`{"command_id":"x","status":"done"}`)}, "not found"},
		}
		for _, tt := range tests {
			s := f.process(tt.msg)
			if s.DeadLetters != 1 {
				t.Errorf("%s: %+v, want a dead letter", tt.name, s)
			}
		}
		dl, err := f.st.DeadLetters(f.ctx, "tiny", 0)
		if err != nil {
			t.Fatal(err)
		}
		if len(dl) != len(tests) {
			t.Fatalf("%d dead letters, want %d", len(dl), len(tests))
		}
		reasons := map[string]sillage.DeadLetter{}
		for _, d := range dl {
			reasons[d.Key] = d
		}
		for _, tt := range tests {
			d, ok := reasons[iot.MessageKey(tt.msg.Topic, tt.msg.Payload)]
			if !ok {
				t.Errorf("%s: no dead letter", tt.name)
				continue
			}
			if !strings.Contains(d.Reason, tt.want) || d.Topic != tt.msg.Topic {
				t.Errorf("%s: dead letter %q on %s, want reason with %q", tt.name, d.Reason, d.Topic, tt.want)
			}
		}
		if d := reasons[iot.MessageKey(tests[5].msg.Topic, tests[5].msg.Payload)]; !strings.HasPrefix(d.Payload, "base64:") {
			t.Errorf("binary payload stored as %q", d.Payload)
		}
		// Nothing moved; a redelivered bad message is not stored twice.
		f.wantStock("DC-PAR", "BAG-01", 20, 0)
		if s := f.process(tests[0].msg); s.Duplicates != 1 || s.DeadLetters != 0 {
			t.Errorf("redelivered dead letter: %+v", s)
		}
	})
}

func TestSnapshotAndReorderTrigger(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, url string) {
		f := newFixture(t, url)
		rop, ok := f.proc.Catalog.ReorderPoint("BTQ-PAR", "BAG-01")
		if !ok || rop != 6 {
			t.Fatalf("reorder point of BTQ-PAR BAG-01 = %v, %v; want 6 (4.625/7 units a day × (1 day transit + 7 days safety))", rop, ok)
		}
		at := func(min int) time.Time { return f.t0.Add(time.Duration(min) * time.Minute) }
		// 3 on hand + 2 in transit = 5 < 6. Receiving 3 lifts it to 8.
		f.process(f.msg("BTQ-PAR", iot.ObjectEvent{Time: at(0), Action: epcis.ActionAdd, BizStep: "receiving", BizLocation: glnBTQPar, EPCs: bags(1, 2, 3)}))
		if len(f.trig.crossings) != 0 {
			t.Fatalf("crossing going up: %+v", f.trig.crossings)
		}
		// Selling 1 keeps 7 ≥ 6; selling 2 more falls to 5: one crossing.
		f.process(f.msg("BTQ-PAR", iot.ObjectEvent{Time: at(1), Action: epcis.ActionObserve, BizStep: "retail_selling", BizLocation: glnBTQPar, EPCs: bags(1)}))
		if len(f.trig.crossings) != 0 {
			t.Fatalf("crossing above the reorder point: %+v", f.trig.crossings)
		}
		f.process(f.msg("BTQ-PAR", iot.ObjectEvent{Time: at(2), Action: epcis.ActionObserve, BizStep: "retail_selling", BizLocation: glnBTQPar, EPCs: bags(2, 3)}))
		if len(f.trig.crossings) != 1 || f.trig.crossings[0].Position.OnHand != 3 || f.trig.crossings[0].ReorderPoint != 6 {
			t.Fatalf("crossings %+v", f.trig.crossings)
		}

		// A full snapshot of the Paris boutique: 5 bags counted (system: 3),
		// and no perfume (absent from a full snapshot means zero).
		f.wantStock("BTQ-PAR", "EDP-01", 0, 0)
		snap := `{"snapshot_id":"BTQ-PAR-1","kind":"full","time":"2026-03-01T12:00:00+01:00","positions":[{"gtin":"03760123400015","on_hand":5}]}`
		m := iot.Message{Topic: iot.SiteTopic("BTQ-PAR", iot.KindStock), Payload: []byte(snap)}
		if s := f.process(m); s.Snapshots != 1 {
			t.Fatalf("snapshot: %+v", s)
		}
		f.wantStock("BTQ-PAR", "BAG-01", 5, 2)
		ds, err := f.st.Discrepancies(f.ctx, "tiny")
		if err != nil {
			t.Fatal(err)
		}
		if len(ds) != 1 || ds[0].SKU != "BAG-01" || ds[0].SystemOnHand != 3 || ds[0].ReportedOnHand != 5 || ds[0].Difference() != 2 || ds[0].SnapshotID != "BTQ-PAR-1" {
			t.Errorf("discrepancies %+v", ds)
		}
		// Redelivered: nothing more.
		f.process(m)
		if ds, _ := f.st.Discrepancies(f.ctx, "tiny"); len(ds) != 1 {
			t.Errorf("redelivered snapshot recorded %d discrepancies", len(ds))
		}
		// The difference is class-level stock: on hand = stock seeded from
		// the network file (3) + items present (0) + class-level units (2).
		cs, _ := f.st.ClassStocks(f.ctx, "tiny")
		if c := cs[[2]string{"BTQ-PAR", "BAG-01"}]; c.OnHand != 2 {
			t.Errorf("class stock %+v, want 2", c)
		}
		// A delta snapshot leaves unlisted products alone.
		delta := `{"kind":"delta","time":"2026-03-01T13:00:00Z","site":"DC-PAR","positions":[{"sku":"EDP-01","on_hand":290}]}`
		f.process(iot.Message{Topic: iot.SiteTopic("DC-PAR", iot.KindStock), Payload: []byte(delta)})
		f.wantStock("DC-PAR", "EDP-01", 290, 0)
		f.wantStock("DC-PAR", "BAG-01", 20, 0)
	})
}

// TestPruneSeen checks that pruned message keys are forgotten and that a
// redelivery after the pruning still does not move item-level stock.
func TestPruneSeen(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, url string) {
		f := newFixture(t, url)
		m := f.msg("DC-PAR", iot.ObjectEvent{Time: f.t0, Action: epcis.ActionAdd, BizLocation: glnDC, EPCs: bags(1, 2)})
		f.process(m)
		if n, _ := f.st.SeenCount(f.ctx, "tiny"); n != 1 {
			t.Fatalf("seen %d, want 1", n)
		}
		if n, err := f.st.PruneSeen(f.ctx, "tiny", f.t0.Add(-time.Hour)); err != nil || n != 0 {
			t.Fatalf("prune before the message: %d, %v", n, err)
		}
		if n, err := f.st.PruneSeen(f.ctx, "tiny", f.t0.Add(2*time.Hour)); err != nil || n != 1 {
			t.Fatalf("prune after the message: %d, %v", n, err)
		}
		if s := f.process(m); s.Duplicates != 0 || s.StaleReads != 2 {
			t.Errorf("redelivery after pruning: %+v", s)
		}
		f.wantStock("DC-PAR", "BAG-01", 22, 0)
	})
}

// TestShippingThenReceivingSameEPCs follows three tagged bags: received at
// the DC, two of them shipped to London under a transfer order (on hand
// at the DC → in transit to London), then received in London with the
// same EPCs (in transit → on hand). Expected figures are counted by hand
// from tiny.yaml (DC-PAR 20 BAG-01 on hand, BTQ-LON none).
func TestShippingThenReceivingSameEPCs(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, url string) {
		f := newFixture(t, url)
		rec := f.trig
		at := func(min int) time.Time { return f.t0.Add(time.Duration(min) * time.Minute) }
		order := []epcis.BizTransaction{{Type: "po", ID: "urn:sillage:order:to:tiny:20260301T060000:DC-PAR:BTQ-LON"}}

		f.process(f.msg("DC-PAR", iot.ObjectEvent{ID: "urn:uuid:in", Time: at(0), Action: epcis.ActionAdd, BizStep: "receiving",
			BizLocation: glnDC, ReadPoint: glnDC, EPCs: bags(11, 12, 13)}))
		f.wantStock("DC-PAR", "BAG-01", 23, 0)

		ship := iot.ObjectEvent{ID: "urn:uuid:ship", Time: at(10), Action: epcis.ActionObserve, BizStep: "shipping", Disposition: "in_transit",
			BizLocation: glnDC, ReadPoint: glnDC, Destination: glnBTQLon, EPCs: bags(11, 12), BizTransactions: order}
		if s := f.process(f.msg("DC-PAR", ship)); s.ItemChanges != 2 {
			t.Fatalf("shipping: %+v, want 2 item changes", s)
		}
		f.wantStock("DC-PAR", "BAG-01", 21, 0)
		f.wantStock("BTQ-LON", "BAG-01", 0, 2)
		if len(rec.shipments) != 1 {
			t.Fatalf("shipments %+v, want one", rec.shipments)
		}
		sh := rec.shipments[0]
		if sh.Source != "DC-PAR" || sh.Site != "BTQ-LON" || sh.EventID != "urn:uuid:ship" || sh.Network != "tiny" ||
			fmt.Sprint(sh.Lines) != fmt.Sprint([]iot.ReceiptLine{{SKU: "BAG-01", Units: 2}}) || sh.BizTransactions[0].ID != order[0].ID {
			t.Errorf("shipment %+v", sh)
		}
		// The store keeps where the units go and under which order.
		recs, err := f.st.Shipments(f.ctx, "tiny", "to:tiny:20260301T060000:DC-PAR:BTQ-LON")
		if err != nil {
			t.Fatal(err)
		}
		wantItems := []sillage.ItemKey{{GTIN: gtinBag, Serial: "11"}, {GTIN: gtinBag, Serial: "12"}}
		if len(recs) != 1 || recs[0].Source != "DC-PAR" || recs[0].Dest != "BTQ-LON" || recs[0].EventRef != "urn:uuid:ship" ||
			fmt.Sprint(recs[0].Items) != fmt.Sprint(wantItems) || fmt.Sprint(recs[0].Lines) != "[{BAG-01 2}]" || !recs[0].ShippedAt.Equal(at(10)) {
			t.Errorf("stored shipments %+v", recs)
		}
		// The same event again, in another document: counted once.
		f.process(f.msg("DC-PAR", ship, iot.ObjectEvent{Time: at(11), Action: epcis.ActionObserve, BizLocation: glnDC, EPCs: bags(13)}))
		f.wantStock("DC-PAR", "BAG-01", 21, 0)
		f.wantStock("BTQ-LON", "BAG-01", 0, 2)
		if len(rec.shipments) != 1 {
			t.Errorf("a repeated shipping event was reported again: %+v", rec.shipments)
		}
		counts, err := f.st.ItemCounts(f.ctx, "tiny")
		if err != nil {
			t.Fatal(err)
		}
		want := []store.ItemCount{{Site: "BTQ-LON", SKU: "BAG-01", InTransit: 2}, {Site: "DC-PAR", SKU: "BAG-01", Present: 1}}
		if fmt.Sprint(counts) != fmt.Sprint(want) {
			t.Errorf("item counts in transit %v, want %v", counts, want)
		}

		recv := iot.ObjectEvent{ID: "urn:uuid:recv", Time: at(600), Action: epcis.ActionObserve, BizStep: "receiving", Disposition: "in_progress",
			BizLocation: glnBTQLon, ReadPoint: glnBTQLon, EPCs: bags(11, 12), BizTransactions: order}
		f.process(f.msg("BTQ-LON", recv))
		f.wantStock("BTQ-LON", "BAG-01", 2, 0)
		f.wantStock("DC-PAR", "BAG-01", 21, 0)
		if len(rec.receipts) != 2 || fmt.Sprint(rec.receipts[1].Lines) != fmt.Sprint([]iot.ReceiptLine{{SKU: "BAG-01", Units: 2}}) ||
			rec.receipts[1].Site != "BTQ-LON" {
			t.Errorf("receipts %+v, want the London receipt of 2 bags", rec.receipts)
		}
		counts, err = f.st.ItemCounts(f.ctx, "tiny")
		if err != nil {
			t.Fatal(err)
		}
		want = []store.ItemCount{{Site: "BTQ-LON", SKU: "BAG-01", Present: 2}, {Site: "DC-PAR", SKU: "BAG-01", Present: 1}}
		if fmt.Sprint(counts) != fmt.Sprint(want) {
			t.Errorf("item counts after receipt %v, want %v", counts, want)
		}
		// A shipping event without a business transaction moves stock
		// but reports no shipment.
		f.process(f.msg("DC-PAR", iot.ObjectEvent{ID: "urn:uuid:ship2", Time: at(700), Action: epcis.ActionObserve, BizStep: "shipping",
			BizLocation: glnDC, Destination: glnBTQPar, EPCs: bags(13)}))
		f.wantStock("DC-PAR", "BAG-01", 20, 0)
		if len(rec.shipments) != 1 {
			t.Errorf("shipments %+v, want still one", rec.shipments)
		}
		if all, err := f.st.Shipments(f.ctx, "tiny", ""); err != nil || len(all) != 1 {
			t.Errorf("all stored shipments %+v, %v: want the one with an order", all, err)
		}
	})
}
