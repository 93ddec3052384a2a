package iot_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/sillage/sillage"
	"github.com/sillage/sillage/iot"
	"github.com/sillage/sillage/iot/epcis"
	"github.com/sillage/sillage/store"
	"github.com/sillage/sillage/store/storetest"
)

// shipRecorder is a recorder that is also told about shipments.
type shipRecorder struct {
	recorder
	shipments []iot.Shipment
}

func (r *shipRecorder) GoodsShipped(_ context.Context, s iot.Shipment) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.shipments = append(r.shipments, s)
	return nil
}

// TestShippingThenReceivingSameEPCs follows three tagged bags: received at
// the DC, two of them shipped to London under a transfer order (on hand
// at the DC → in transit to London), then received in London with the
// same EPCs (in transit → on hand). Expected figures are counted by hand
// from tiny.yaml (DC-PAR 20 BAG-01 on hand, BTQ-LON none).
func TestShippingThenReceivingSameEPCs(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, url string) {
		f := newFixture(t, url)
		rec := &shipRecorder{}
		f.proc.Listener = rec
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
