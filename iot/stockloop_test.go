package iot_test

import (
	"context"
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/sillage/sillage"
	"github.com/sillage/sillage/iot"
	"github.com/sillage/sillage/iot/epcis"
	"github.com/sillage/sillage/store/storetest"
)

// snapshotMsg builds a stock snapshot message of a site.
func snapshotMsg(site, body string) iot.Message {
	return iot.Message{Topic: iot.SiteTopic(site, iot.KindStock), Payload: []byte(body)}
}

// TestSnapshotRespectsTime is the case of issue 12: a snapshot counted
// before an RFID receipt must not set on hand back from 6 to 3.
func TestSnapshotRespectsTime(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, url string) {
		f := newFixture(t, url)
		cet := f.t0.Location()
		at := func(h, m int) time.Time { return time.Date(2026, 3, 1, h, m, 0, 0, cet) }
		f.wantStock("BTQ-PAR", "BAG-01", 3, 2)
		// 10:00: three bags received by RFID: 6 on hand.
		f.process(f.msg("BTQ-PAR", iot.ObjectEvent{ID: "urn:uuid:rx", Time: at(10, 0), Action: epcis.ActionAdd, BizStep: "receiving",
			BizLocation: glnBTQPar, EPCs: bags(1, 2, 3)}))
		f.wantStock("BTQ-PAR", "BAG-01", 6, 2)
		// 09:00 count, published late: 3 bags, which is what the system
		// held at 09:00. Nothing changes.
		f.process(snapshotMsg("BTQ-PAR", `{"snapshot_id":"s-0900","kind":"delta","time":"2026-03-01T09:00:00+01:00","positions":[{"sku":"BAG-01","on_hand":3}]}`))
		f.wantStock("BTQ-PAR", "BAG-01", 6, 2)
		if cs, _ := f.st.ClassStocks(f.ctx, "tiny"); cs[[2]string{"BTQ-PAR", "BAG-01"}].OnHand != 0 {
			t.Errorf("class stock %+v, want 0", cs[[2]string{"BTQ-PAR", "BAG-01"}])
		}
		if ds, _ := f.st.Discrepancies(f.ctx, "tiny"); len(ds) != 0 {
			t.Errorf("stale snapshot recorded discrepancies %+v", ds)
		}
		// 09:30 count of 2: one bag was missing at 09:30 (system 3 then);
		// the receipt at 10:00 stands: 6 − 1 = 5.
		f.process(snapshotMsg("BTQ-PAR", `{"snapshot_id":"s-0930","kind":"delta","time":"2026-03-01T09:30:00+01:00","positions":[{"sku":"BAG-01","on_hand":2}]}`))
		f.wantStock("BTQ-PAR", "BAG-01", 5, 2)
		ds, _ := f.st.Discrepancies(f.ctx, "tiny")
		if len(ds) != 1 || ds[0].SystemOnHand != 3 || ds[0].ReportedOnHand != 2 || ds[0].SnapshotID != "s-0930" {
			t.Errorf("discrepancies %+v, want one of 3 → 2", ds)
		}
		// 11:00 count of 7: two more than the 5 held since.
		f.process(snapshotMsg("BTQ-PAR", `{"snapshot_id":"s-1100","kind":"delta","time":"2026-03-01T11:00:00+01:00","positions":[{"sku":"BAG-01","on_hand":7}]}`))
		f.wantStock("BTQ-PAR", "BAG-01", 7, 2)
		// An older count arriving after it (10:30, 1 bag) changes nothing.
		f.process(snapshotMsg("BTQ-PAR", `{"snapshot_id":"s-1030","kind":"delta","time":"2026-03-01T10:30:00+01:00","positions":[{"sku":"BAG-01","on_hand":1}]}`))
		f.wantStock("BTQ-PAR", "BAG-01", 7, 2)
		if ds, _ := f.st.Discrepancies(f.ctx, "tiny"); len(ds) != 2 {
			t.Errorf("%d discrepancies, want 2 (09:30 and 11:00)", len(ds))
		}
	})
}

// TestEPCReconciliation checks the two per-EPC lists on a hand-made case.
func TestEPCReconciliation(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, url string) {
		f := newFixture(t, url)
		at := func(min int) time.Time { return f.t0.Add(time.Duration(min) * time.Minute) }
		// Bags 1-4 at the DC (08:00), bag 5 in London (08:00), bag 6 sold in
		// Paris, bag 7 arrives at the DC after the count (09:30).
		f.process(f.msg("DC-PAR", iot.ObjectEvent{Time: at(0), Action: epcis.ActionAdd, BizStep: "receiving", BizLocation: glnDC, EPCs: bags(1, 2, 3, 4)}))
		f.process(f.msg("BTQ-LON", iot.ObjectEvent{Time: at(0), Action: epcis.ActionAdd, BizLocation: glnBTQLon, EPCs: bags(5)}))
		f.process(f.msg("BTQ-PAR", iot.ObjectEvent{Time: at(0), Action: epcis.ActionAdd, BizLocation: glnBTQPar, EPCs: bags(6)}))
		f.process(f.msg("BTQ-PAR", iot.ObjectEvent{Time: at(1), Action: epcis.ActionObserve, BizStep: "retail_selling", BizLocation: glnBTQPar, EPCs: bags(6)}))
		f.process(f.msg("DC-PAR", iot.ObjectEvent{Time: at(90), Action: epcis.ActionAdd, BizStep: "receiving", BizLocation: glnDC, EPCs: bags(7)}))
		// The DC counts at 09:00 (t0+60): bags 2, 3, 5, 6, 8 (never seen).
		snap := fmt.Sprintf(`{"kind":"delta","time":%q,"positions":[],"epcs":[%q,%q,%q,%q,%q]}`, at(60).Format(time.RFC3339),
			bags(2)[0], bags(3)[0], bags(5)[0], bags(6)[0], bags(8)[0])
		if s := f.process(snapshotMsg("DC-PAR", snap)); s.DeadLetters != 0 || s.Snapshots != 1 {
			t.Fatalf("snapshot: %+v", s)
		}
		got, err := f.st.EPCDiscrepancies(f.ctx, "tiny", "DC-PAR")
		if err != nil {
			t.Fatal(err)
		}
		key := func(n int) string { return gtinBag + "." + fmt.Sprint(n) }
		want := []sillage.EPCDiscrepancy{
			{Site: "DC-PAR", EPC: key(1), SKU: "BAG-01", Kind: sillage.EPCMissing},
			{Site: "DC-PAR", EPC: key(4), SKU: "BAG-01", Kind: sillage.EPCMissing},
			{Site: "DC-PAR", EPC: key(5), SKU: "BAG-01", Kind: sillage.EPCUnexpected, SystemSite: "BTQ-LON", SystemStatus: sillage.ItemPresent},
			{Site: "DC-PAR", EPC: key(6), SKU: "BAG-01", Kind: sillage.EPCUnexpected, SystemSite: "BTQ-PAR", SystemStatus: sillage.ItemGone},
			{Site: "DC-PAR", EPC: key(8), SKU: "BAG-01", Kind: sillage.EPCUnexpected},
		}
		if len(got) != len(want) {
			t.Fatalf("got %d discrepancies %+v, want %d", len(got), got, len(want))
		}
		for i, w := range want {
			g := got[i]
			if g.Site != w.Site || g.EPC != w.EPC || g.SKU != w.SKU || g.Kind != w.Kind || g.SystemSite != w.SystemSite || g.SystemStatus != w.SystemStatus {
				t.Errorf("discrepancy %d: %+v, want %+v", i, g, w)
			}
		}
		// Stock is not changed by the lists (no positions listed).
		f.wantStock("DC-PAR", "BAG-01", 25, 0)
	})
}

// TestLedgerConserves runs a hand-made day through the ingest and checks
// the ledger against numbers worked out by hand.
func TestLedgerConserves(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, url string) {
		f := newFixture(t, url)
		at := func(min int) time.Time { return f.t0.Add(time.Duration(min) * time.Minute) }
		glnSup := "3760123450003"
		lot := iot.LGTINURI(gtinEDP, 7, "L1")
		// Opening (tiny.yaml, supplier excluded): BAG-01 20 + 3 + 2 = 25,
		// EDP-01 300 + 10 = 310.
		f.process(
			// The supplier commissions 4 bags (outside the network) and ships
			// them to the DC: 4 received, in transit.
			f.msg("SUP-FLR", iot.ObjectEvent{Time: at(0), Action: epcis.ActionAdd, BizStep: "commissioning", BizLocation: glnSup, EPCs: bags(1, 2, 3, 4)}),
			f.msg("SUP-FLR", iot.ObjectEvent{Time: at(1), Action: epcis.ActionObserve, BizStep: "shipping", Disposition: "in_transit", ReadPoint: glnSup, Destination: glnDC, EPCs: bags(1, 2, 3, 4)}),
		)
		f.process(
			// Received at the DC: on hand, nothing enters again.
			f.msg("DC-PAR", iot.ObjectEvent{Time: at(10), Action: epcis.ActionObserve, BizStep: "receiving", BizLocation: glnDC, EPCs: bags(1, 2, 3, 4)}),
			// Two new bags tagged at the DC: received.
			f.msg("DC-PAR", iot.ObjectEvent{Time: at(11), Action: epcis.ActionAdd, BizStep: "receiving", BizLocation: glnDC, EPCs: bags(5, 6)}),
			// Bags 1-3 shipped to Paris: in transit, inside.
			f.msg("DC-PAR", iot.ObjectEvent{Time: at(12), Action: epcis.ActionObserve, BizStep: "shipping", Disposition: "in_transit", ReadPoint: glnDC, Destination: glnBTQPar, EPCs: bags(1, 2, 3)}),
		)
		f.process(
			// Bags 1-2 arrive; bag 1 sold, bag 2 stolen; bag 4 destroyed.
			f.msg("BTQ-PAR", iot.ObjectEvent{Time: at(20), Action: epcis.ActionObserve, BizStep: "receiving", BizLocation: glnBTQPar, EPCs: bags(1, 2)}),
			f.msg("BTQ-PAR", iot.ObjectEvent{Time: at(21), Action: epcis.ActionObserve, BizStep: "retail_selling", Disposition: "retail_sold", BizLocation: glnBTQPar, EPCs: bags(1)}),
			f.msg("BTQ-PAR", iot.ObjectEvent{Time: at(22), Action: epcis.ActionObserve, Disposition: "stolen", BizLocation: glnBTQPar, EPCs: bags(2)}),
			f.msg("DC-PAR", iot.ObjectEvent{Time: at(23), Action: epcis.ActionObserve, BizStep: "destroying", BizLocation: glnDC, EPCs: bags(4)}),
			// Perfume: 50 received in London, 7 sold, 5 shipped to the DC
			// (inside), 3 shipped out of the network.
			f.msg("BTQ-LON",
				iot.ObjectEvent{ID: "urn:uuid:e1", Time: at(24), Action: epcis.ActionAdd, BizStep: "receiving", BizLocation: glnBTQLon, Quantities: []iot.QuantityElement{{EPCClass: lot, Quantity: 50}}},
				iot.ObjectEvent{ID: "urn:uuid:e2", Time: at(25), Action: epcis.ActionObserve, BizStep: "retail_selling", BizLocation: glnBTQLon, Quantities: []iot.QuantityElement{{EPCClass: lot, Quantity: 7}}},
				iot.ObjectEvent{ID: "urn:uuid:e3", Time: at(26), Action: epcis.ActionObserve, BizStep: "shipping", ReadPoint: glnBTQLon, Destination: glnDC, Quantities: []iot.QuantityElement{{EPCClass: lot, Quantity: 5}}},
				iot.ObjectEvent{ID: "urn:uuid:e4", Time: at(27), Action: epcis.ActionObserve, BizStep: "shipping", ReadPoint: glnBTQLon, Quantities: []iot.QuantityElement{{EPCClass: lot, Quantity: 3}}}),
		)
		// A count at the DC finds 2 perfumes fewer than the 300 held.
		f.process(snapshotMsg("DC-PAR", fmt.Sprintf(`{"kind":"delta","time":%q,"positions":[{"sku":"EDP-01","on_hand":298}]}`, at(30).Format(time.RFC3339))))
		// A redelivery of everything changes nothing.
		lines, _, err := f.st.Ledger(f.ctx, "tiny", time.Time{})
		if err != nil {
			t.Fatal(err)
		}
		// BAG-01: receipts 4 + 2, sold 1, written off 2 (stolen, destroyed).
		// Stock: DC 20 + 2 (5, 6) = 22; Paris 3 + 1 (bag 3 in transit) and
		// the opening 2 in transit: on hand 22 + 3 = 25, in transit 2 + 1.
		// EDP-01: receipts 50, sold 7, written off 3 (shipped out) + 2
		// (counted missing). On hand: DC 298, London 10 + 50 − 7 − 5 − 3 =
		// 45; in transit 5 (to the DC).
		want := []sillage.LedgerLine{
			{SKU: "BAG-01", Opening: 25, Receipts: 6, Sales: 1, WriteOffs: 2, OnHand: 25, InTransit: 3},
			{SKU: "EDP-01", Opening: 310, Receipts: 50, Sales: 7, WriteOffs: 5, OnHand: 343, InTransit: 5},
		}
		if fmt.Sprint(lines) != fmt.Sprint(want) {
			t.Errorf("ledger\n got %+v\nwant %+v", lines, want)
		}
		for _, l := range lines {
			if !l.Holds() {
				t.Errorf("%s: identity does not hold: imbalance %v", l.SKU, l.Imbalance())
			}
		}
		// Since the last ingest batch: opening is the stock then, no flows.
		since, _, err := f.st.Ledger(f.ctx, "tiny", time.Now().Add(time.Hour))
		if err != nil {
			t.Fatal(err)
		}
		for _, l := range since {
			if l.Receipts != 0 || l.Sales != 0 || l.WriteOffs != 0 || l.Opening != l.OnHand+l.InTransit {
				t.Errorf("ledger since now: %+v", l)
			}
		}
	})
}

// failing is a Listener that refuses everything until ok is set.
type failing struct {
	recorder
	ok bool
}

var errRefused = errors.New("temporal unavailable")

func (l *failing) GoodsReceived(ctx context.Context, r iot.Receipt) error {
	if !l.ok {
		return errRefused
	}
	return l.recorder.GoodsReceived(ctx, r)
}

// TestOutboxDeliversOnce checks that a receipt whose delivery fails stays
// in the outbox and is delivered by the relay later, once, and that a
// redelivered message does not write it again.
func TestOutboxDeliversOnce(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, url string) {
		f := newFixture(t, url)
		l := &failing{}
		f.proc.Listener = l
		recv := iot.ObjectEvent{Time: f.t0, Action: epcis.ActionAdd, BizStep: "receiving", BizLocation: glnDC, EPCs: bags(1, 2)}
		m := f.msg("DC-PAR", recv)
		f.process(m)
		if d, p, _ := f.st.OutboxCounts(f.ctx, "tiny"); d != 0 || p != 1 {
			t.Fatalf("outbox: %d delivered, %d pending; want 0 and 1", d, p)
		}
		f.process(m) // redelivered: a duplicate, no second message
		relay := &iot.Relay{Network: "tiny", Store: f.st, Listener: l, Now: func() time.Time { return time.Now().Add(time.Hour) }}
		l.ok = true
		n, err := relay.DeliverDue(f.ctx)
		if err != nil || n != 1 {
			t.Fatalf("relay delivered %d, %v; want 1", n, err)
		}
		if n, _ := relay.DeliverDue(f.ctx); n != 0 {
			t.Errorf("second round delivered %d", n)
		}
		if len(l.receipts) != 1 || l.receipts[0].ID == "" || l.receipts[0].Lines[0].Units != 2 {
			t.Errorf("receipts %+v", l.receipts)
		}
		if d, p, _ := f.st.OutboxCounts(f.ctx, "tiny"); d != 1 || p != 0 {
			t.Errorf("outbox: %d delivered, %d pending; want 1 and 0", d, p)
		}
	})
}

// TestDedupAfterOldRetention redelivers a quantity-level event 200 hours
// after it was applied (past the 168 h the ingest used to keep keys): it
// is still a duplicate. After pruning past its event time, a redelivery
// is dead-lettered instead of counted again.
func TestDedupAfterOldRetention(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, url string) {
		f := newFixture(t, url)
		lot := iot.LGTINURI(gtinEDP, 7, "L9")
		m := f.msg("BTQ-LON", iot.ObjectEvent{Time: f.t0, Action: epcis.ActionAdd, BizLocation: glnBTQLon, Quantities: []iot.QuantityElement{{EPCClass: lot, Quantity: 10}}})
		f.process(m)
		f.wantStock("BTQ-LON", "EDP-01", 20, 0)
		later := f.t0.Add(200 * time.Hour)
		if _, err := f.st.PruneSeen(f.ctx, "tiny", iot.PruneSeenCutoff(later, 0)); err != nil {
			t.Fatal(err)
		}
		m.ReceivedAt = later
		if s := f.process(m); s.Duplicates != 1 {
			t.Errorf("redelivery after 200 h: %+v, want a duplicate", s)
		}
		f.wantStock("BTQ-LON", "EDP-01", 20, 0)
		// 40 days on, the key is pruned: the redelivery is refused.
		much := f.t0.Add(40 * 24 * time.Hour)
		if n, err := f.st.PruneSeen(f.ctx, "tiny", iot.PruneSeenCutoff(much, 0)); err != nil || n != 1 {
			t.Fatalf("pruned %d, %v; want 1", n, err)
		}
		m.ReceivedAt = much
		if s := f.process(m); s.DeadLetters != 1 {
			t.Errorf("redelivery after the retention: %+v, want a dead letter", s)
		}
		f.wantStock("BTQ-LON", "EDP-01", 20, 0)
		// Item-level events need no key: an old one still applies (stale).
		if s := f.process(f.msg("DC-PAR", iot.ObjectEvent{Time: f.t0, Action: epcis.ActionAdd, BizLocation: glnDC, EPCs: bags(1)})); s.DeadLetters != 0 || s.ItemChanges != 1 {
			t.Errorf("old item-level event: %+v", s)
		}
	})
}
