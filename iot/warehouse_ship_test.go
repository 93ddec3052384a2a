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
// bags present at the DC, never one it shipped before, and ships short
// when the DC has fewer than ordered.
func TestWarehousePicksRealEPCs(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, url string) {
		f := newFixture(t, url)
		f.process(f.msg("DC-PAR", iot.ObjectEvent{ID: "urn:uuid:in", Time: f.t0, Action: epcis.ActionAdd, BizStep: "receiving",
			BizLocation: glnDC, EPCs: bags(21, 22, 23)}))
		w := &iot.Warehouse{Network: f.net, Items: f.st}
		cmd := sillage.Command{ID: "to:tiny:p1:DC-PAR:BTQ-LON", Kind: sillage.CommandTransferOrder, Site: "DC-PAR", From: "DC-PAR", To: "BTQ-LON",
			Lines: []sillage.CommandLine{{SKU: "BAG-01", Quantity: 2}}}
		epcs, err := w.PickEPCs(f.ctx, cmd)
		if err != nil {
			t.Fatal(err)
		}
		if fmt.Sprint(epcs) != fmt.Sprint(bags(21, 22)) {
			t.Fatalf("picked %v, want %v", epcs, bags(21, 22))
		}
		ev, err := w.ShippingEvent(cmd, epcs, f.t0.Add(time.Minute))
		if err != nil {
			t.Fatal(err)
		}
		if ev.BizStep != "shipping" || ev.Disposition != "in_transit" || ev.BizLocation != glnDC || ev.Destination != glnBTQLon ||
			ev.BizTransactions[0].ID != "urn:sillage:order:"+cmd.ID {
			t.Errorf("shipping event %+v", ev)
		}
		// Before the shipping event is applied, a second order of 2 gets
		// the one bag not yet picked: a short shipment.
		cmd2 := cmd
		cmd2.ID = "to:tiny:p2:DC-PAR:BTQ-PAR"
		cmd2.To = "BTQ-PAR"
		epcs2, err := w.PickEPCs(f.ctx, cmd2)
		if err != nil {
			t.Fatal(err)
		}
		if fmt.Sprint(epcs2) != fmt.Sprint(bags(23)) {
			t.Errorf("second pick %v, want %v", epcs2, bags(23))
		}
		f.process(f.msg("DC-PAR", ev))
		f.wantStock("DC-PAR", "BAG-01", 21, 0)
		f.wantStock("BTQ-LON", "BAG-01", 0, 2)
	})
}
