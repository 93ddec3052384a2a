package iot_test

import (
	"fmt"
	"testing"
	"time"

	"github.com/sillage/sillage"
	"github.com/sillage/sillage/iot"
	"github.com/sillage/sillage/iot/epcis"
	"github.com/sillage/sillage/store/storetest"
)

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
