package store

import (
	"context"
	"reflect"
	"testing"
	"time"

	"github.com/sillage/sillage"
)

// TestOpenArrivals checks what open orders still expect, and when,
// against hand-made numbers: a purchase of a plan with a stored horizon
// (partly received, partly cut by the supplier), cancelled, closed and
// rejected orders, an order of a plan without a horizon, one of a plan
// that was never stored and one of another network.
func TestOpenArrivals(t *testing.T) {
	forEachTinyEngine(t, func(t *testing.T, ctx context.Context, s *Store) {
		at := time.Date(2026, 3, 2, 6, 0, 0, 0, time.UTC)
		for _, p := range []sillage.Plan{
			{ID: "p1", Network: "tiny", CreatedAt: at, Status: sillage.PlanOptimal},
			{ID: "p0", Network: "tiny", CreatedAt: at.Add(-48 * time.Hour), Status: sillage.PlanOptimal},
			{ID: "q1", Network: "other", CreatedAt: at, Status: sillage.PlanOptimal},
		} {
			if err := s.SavePlan(ctx, &p); err != nil {
				t.Fatal(err)
			}
		}
		// Week-0 releases of p1: BAG-01 to DC-PAR in two shipments (6
		// units in week 2, 4 by the slow lane in week 5), EDP-01 in week
		// 1, a transfer to BTQ-LON in week 0; a week-1 release that made
		// no order.
		h := &sillage.PlanHorizon{Weeks: 8, Lines: []sillage.HorizonLine{
			{Kind: sillage.LinePurchase, Source: "SUP-FLR", Site: "DC-PAR", SKU: "BAG-01", ReleaseWeek: 0, ArriveWeek: 2, Quantity: 6, Integer: true},
			{Kind: sillage.LinePurchase, Source: "SUP-FLR", Site: "DC-PAR", SKU: "BAG-01", ReleaseWeek: 0, ArriveWeek: 5, Quantity: 4, Integer: true},
			{Kind: sillage.LinePurchase, Source: "SUP-FLR", Site: "DC-PAR", SKU: "EDP-01", ReleaseWeek: 0, ArriveWeek: 1, Quantity: 100, Integer: true},
			{Kind: sillage.LineTransfer, Source: "DC-PAR", Site: "BTQ-LON", SKU: "BAG-01", ReleaseWeek: 0, ArriveWeek: 0, Quantity: 3, Integer: true},
			{Kind: sillage.LinePurchase, Source: "SUP-FLR", Site: "DC-PAR", SKU: "BAG-01", ReleaseWeek: 1, ArriveWeek: 3, Quantity: 50},
		}}
		if err := s.SavePlanHorizon(ctx, "p1", h); err != nil {
			t.Fatal(err)
		}
		line := func(sku string, q float64) sillage.OrderLine { return sillage.OrderLine{SKU: sku, Quantity: q} }
		orders := []sillage.Order{
			{ID: "po:p1:SUP-FLR:1", PlanID: "p1", Kind: sillage.OrderPurchase, Source: "SUP-FLR", Site: "DC-PAR", Status: sillage.OrderShipped,
				Lines: []sillage.OrderLine{line("BAG-01", 10), line("EDP-01", 100)}},
			{ID: "to:p1:DC-PAR:BTQ-LON", PlanID: "p1", Kind: sillage.OrderTransfer, Source: "DC-PAR", Site: "BTQ-LON", Lines: []sillage.OrderLine{line("BAG-01", 3)}},
			{ID: "to:p1:DC-PAR:BTQ-PAR", PlanID: "p1", Kind: sillage.OrderTransfer, Source: "DC-PAR", Site: "BTQ-PAR", Status: sillage.OrderClosed,
				Lines: []sillage.OrderLine{line("EDP-01", 7)}},
			{ID: "po:p1:SUP-FLR:2", PlanID: "p1", Kind: sillage.OrderPurchase, Source: "SUP-FLR", Site: "BTQ-PAR", Status: sillage.OrderRejected,
				Lines: []sillage.OrderLine{line("BAG-01", 1)}},
			{ID: "to:p0:DC-PAR:BTQ-PAR", PlanID: "p0", Kind: sillage.OrderTransfer, Source: "DC-PAR", Site: "BTQ-PAR", Status: sillage.OrderApproved,
				Lines: []sillage.OrderLine{line("EDP-01", 5)}},
			{ID: "to:px:DC-PAR:BTQ-LON", PlanID: "px", Kind: sillage.OrderTransfer, Source: "DC-PAR", Site: "BTQ-LON", Lines: []sillage.OrderLine{line("EDP-01", 2)}},
			{ID: "to:q1:DC-PAR:BTQ-LON", PlanID: "q1", Kind: sillage.OrderTransfer, Source: "DC-PAR", Site: "BTQ-LON", Lines: []sillage.OrderLine{line("EDP-01", 9)}},
		}
		for _, o := range orders {
			if _, err := s.SaveOrder(ctx, o); err != nil {
				t.Fatal(err)
			}
			hold := sillage.OrderEffect{OrderID: o.ID, Name: "hold", Network: "tiny"}
			for _, l := range o.Lines {
				hold.Changes = append(hold.Changes, sillage.PositionChange{Site: o.Site, SKU: l.SKU, Delta: sillage.PositionDelta{InTransit: l.Quantity}})
			}
			if _, err := s.ApplyOrderEffect(ctx, hold); err != nil {
				t.Fatal(err)
			}
		}
		effects := []sillage.OrderEffect{
			// 4 of the 10 bags arrived; the supplier cut EDP-01 to 80.
			{OrderID: "po:p1:SUP-FLR:1", Name: "receipt:1", Changes: []sillage.PositionChange{{Site: "DC-PAR", SKU: "BAG-01", Delta: sillage.PositionDelta{InTransit: -4}}}},
			{OrderID: "po:p1:SUP-FLR:1", Name: "release:partially_confirmed", Changes: []sillage.PositionChange{{Site: "DC-PAR", SKU: "EDP-01", Delta: sillage.PositionDelta{InTransit: -20}}}},
			// The transfer to London was cancelled.
			{OrderID: "to:p1:DC-PAR:BTQ-LON", Name: "release:cancelled", Status: sillage.OrderCancelled, Changes: []sillage.PositionChange{
				{Site: "BTQ-LON", SKU: "BAG-01", Delta: sillage.PositionDelta{InTransit: -3}}, {Site: "DC-PAR", SKU: "BAG-01", Delta: sillage.PositionDelta{Reserved: -3}}}},
		}
		for _, e := range effects {
			e.Network = "tiny"
			if _, err := s.ApplyOrderEffect(ctx, e); err != nil {
				t.Fatal(err)
			}
		}
		got, err := s.OpenArrivals(ctx, "tiny")
		if err != nil {
			t.Fatal(err)
		}
		day := 24 * time.Hour
		po := sillage.OpenArrival{OrderID: "po:p1:SUP-FLR:1", PlanID: "p1", Source: "SUP-FLR", Site: "DC-PAR"}
		want := []sillage.OpenArrival{
			// The 4 received bags come off the earliest shipment (6 in week 2).
			with(po, "BAG-01", 2, at.Add(14*day)),
			with(po, "BAG-01", 4, at.Add(35*day)),
			with(po, "EDP-01", 80, at.Add(7*day)),
			// p0 has no horizon, px is not stored: due now.
			{OrderID: "to:p0:DC-PAR:BTQ-PAR", PlanID: "p0", Source: "DC-PAR", Site: "BTQ-PAR", SKU: "EDP-01", Units: 5},
			{OrderID: "to:px:DC-PAR:BTQ-LON", PlanID: "px", Source: "DC-PAR", Site: "BTQ-LON", SKU: "EDP-01", Units: 2},
		}
		if !reflect.DeepEqual(got, want) {
			t.Errorf("open arrivals of tiny\n got %+v\nwant %+v", got, want)
		}
		// The final receipt leaves nothing expected of the purchase.
		if _, err := s.ApplyOrderEffect(ctx, sillage.OrderEffect{OrderID: "po:p1:SUP-FLR:1", Name: "final", Network: "tiny", Status: sillage.OrderReceived}); err != nil {
			t.Fatal(err)
		}
		if got, err = s.OpenArrivals(ctx, "tiny"); err != nil {
			t.Fatal(err)
		} else if len(got) != 2 || got[0].OrderID != "to:p0:DC-PAR:BTQ-PAR" {
			t.Errorf("after the final receipt: %+v, want the two orders due now", got)
		}
		if got, err = s.OpenArrivals(ctx, "none"); err != nil || len(got) != 0 {
			t.Errorf("unknown network: %+v, %v; want nothing", got, err)
		}
	})
}

// with is a with SKU, units and due time set.
func with(a sillage.OpenArrival, sku string, units float64, due time.Time) sillage.OpenArrival {
	a.SKU, a.Units, a.DueAt = sku, units, due
	return a
}
