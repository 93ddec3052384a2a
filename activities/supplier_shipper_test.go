package activities

import (
	"context"
	"testing"
	"time"

	"github.com/sillage/sillage"
	"github.com/sillage/sillage/iot"
)

// TestSupplierShipperDeliversThroughTheIngest runs the simulated
// supplier's dispatch against the real ingest on SQLite: a confirmed
// order of 9 BAG-01 and 1 EDP-01 from SUP-FLR to DC-PAR is commissioned
// and shipped after the lead time (DC-PAR in transit +9 and +1), and
// received with the same EPCs after the transit (DC-PAR on hand +9 and
// +1, in transit back). Expected stock is tiny.yaml's plus these units,
// counted by hand.
func TestSupplierShipperDeliversThroughTheIngest(t *testing.T) {
	st, n := seeded(t)
	n.Name = "tiny"
	ctx := context.Background()
	t0 := time.Date(2026, 3, 1, 8, 0, 0, 0, time.UTC)
	clock := t0
	proc := &iot.Processor{Catalog: iot.NewCatalog(n), Now: func() time.Time { return clock }}
	var topics []string
	o := po
	o.Status = sillage.OrderConfirmed
	listed := []sillage.Order{o}
	sup := &SimulatedSupplier{Seed: 3, ConfirmShare: 1, Configured: true} // confirms all, ships in full, on time
	sh := &SupplierShipper{Supplier: sup, Network: n, LeadTime: time.Hour, Transit: 2 * time.Hour,
		Orders: func(context.Context) ([]sillage.Order, error) { return listed, nil },
		Publish: func(ctx context.Context, site string, payload []byte) error {
			topics = append(topics, iot.SiteTopic(site, iot.KindEPCIS))
			_, err := proc.Process(ctx, st, []iot.Message{{Topic: iot.SiteTopic(site, iot.KindEPCIS), Payload: payload, ReceivedAt: clock}})
			return err
		}}
	before := map[string]sillage.Position{}
	for _, sku := range []string{"BAG-01", "EDP-01"} {
		before[sku] = position(t, st, "DC-PAR", sku)
	}
	step := func(at time.Duration) {
		t.Helper()
		clock = t0.Add(at)
		if err := sh.Step(ctx, clock); err != nil {
			t.Fatal(err)
		}
	}
	want := func(sku string, onHand, inTransit float64) {
		t.Helper()
		p := position(t, st, "DC-PAR", sku)
		if p.OnHand-before[sku].OnHand != onHand || p.InTransit-before[sku].InTransit != inTransit {
			t.Errorf("DC-PAR %s: on hand %+g, in transit %+g; want %+g, %+g", sku, p.OnHand-before[sku].OnHand,
				p.InTransit-before[sku].InTransit, onHand, inTransit)
		}
	}
	step(0) // first seen: ships at +1h
	if len(topics) != 0 {
		t.Fatalf("published %v before the lead time", topics)
	}
	step(time.Hour)
	want("BAG-01", 0, 9)
	want("EDP-01", 0, 1)
	if sup := position(t, st, "SUP-FLR", "BAG-01"); sup.OnHand != 0 {
		t.Errorf("SUP-FLR keeps %g BAG-01 after shipping, want 0", sup.OnHand)
	}
	listed = nil // the order is shipped now: no longer confirmed
	step(2 * time.Hour)
	want("BAG-01", 0, 9)
	step(3*time.Hour + time.Minute)
	want("BAG-01", 9, 0)
	want("EDP-01", 1, 0)
	step(4 * time.Hour) // nothing more
	if s := sh.Stats(); s.Shipped != 1 || s.Received != 1 || len(topics) != 2 ||
		topics[0] != "sillage/v1/sites/SUP-FLR/epcis" || topics[1] != "sillage/v1/sites/DC-PAR/epcis" {
		t.Errorf("stats %+v, topics %v", s, topics)
	}
}

func TestSupplierShipperSkipsOrdersItsSeedRejects(t *testing.T) {
	_, n := seeded(t)
	o := po
	sh := &SupplierShipper{Supplier: &SimulatedSupplier{Seed: 3, Configured: true}, Network: n, // rejects everything
		Orders:  func(context.Context) ([]sillage.Order, error) { return []sillage.Order{o}, nil },
		Publish: func(context.Context, string, []byte) error { t.Error("published"); return nil }}
	if err := sh.Step(context.Background(), time.Now()); err != nil {
		t.Fatal(err)
	}
	if s := sh.Stats(); s.Skipped != 1 {
		t.Errorf("stats %+v, want one skipped", s)
	}
}
