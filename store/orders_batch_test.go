package store

import (
	"context"
	"errors"
	"testing"

	"github.com/sillage/sillage"
)

// TestSaveOrderBatch saves three orders with their holds in one batch,
// then the same batch again, and checks the positions against sums made
// by hand: the second save changes nothing.
func TestSaveOrderBatch(t *testing.T) {
	forEachTinyEngine(t, func(t *testing.T, ctx context.Context, s *Store) {
		orders := []sillage.Order{
			{ID: "po:p:SUP-FLR:1", PlanID: "p", Kind: sillage.OrderPurchase, Source: "SUP-FLR", Site: "BTQ-PAR", ValueEUR: 1600,
				Lines: []sillage.OrderLine{{SKU: "BAG-01", Quantity: 2, ValueEUR: 1600}}},
			{ID: "po:p:SUP-FLR:2", PlanID: "p", Kind: sillage.OrderPurchase, Source: "SUP-FLR", Site: "DC-PAR", ValueEUR: 8060,
				Lines: []sillage.OrderLine{{SKU: "BAG-01", Quantity: 10, ValueEUR: 8000}, {SKU: "EDP-01", Quantity: 1, ValueEUR: 60}}},
			{ID: "to:p:DC-PAR:BTQ-PAR", PlanID: "p", Kind: sillage.OrderTransfer, Source: "DC-PAR", Site: "BTQ-PAR", ValueEUR: 2400,
				Lines: []sillage.OrderLine{{SKU: "BAG-01", Quantity: 3, ValueEUR: 2400}}},
		}
		hold := func(o sillage.Order) sillage.OrderEffect {
			e := sillage.OrderEffect{OrderID: o.ID, Name: "hold", Network: "tiny"}
			for _, l := range o.Lines {
				e.Changes = append(e.Changes, sillage.PositionChange{Site: o.Site, SKU: l.SKU, Delta: sillage.PositionDelta{InTransit: l.Quantity}})
				if o.Kind == sillage.OrderTransfer {
					e.Changes = append(e.Changes, sillage.PositionChange{Site: o.Source, SKU: l.SKU, Delta: sillage.PositionDelta{Reserved: l.Quantity}})
				}
			}
			return e
		}
		effects := []sillage.OrderEffect{hold(orders[0]), hold(orders[1]), hold(orders[2])}
		// One order stored before, by the per-order path, without its hold.
		if _, err := s.SaveOrder(ctx, orders[1]); err != nil {
			t.Fatal(err)
		}
		for round, want := range []sillage.OrderBatchCounts{{Inserted: 2, Applied: 3}, {}} {
			got, err := s.SaveOrderBatch(ctx, orders, effects)
			if err != nil {
				t.Fatal(err)
			}
			if got != want {
				t.Errorf("round %d: %+v, want %+v", round+1, got, want)
			}
		}
		// tiny.yaml: BTQ-PAR BAG-01 3 on hand, 2 in transit; DC-PAR BAG-01
		// 20 on hand; DC-PAR EDP-01 300 on hand; no BTQ-PAR EDP-01 yet.
		for _, tc := range []struct {
			site, sku string
			want      sillage.PositionDelta
		}{
			{"BTQ-PAR", "BAG-01", sillage.PositionDelta{OnHand: 3, InTransit: 2 + 2 + 3}},
			{"DC-PAR", "BAG-01", sillage.PositionDelta{OnHand: 20, InTransit: 10, Reserved: 3}},
			{"DC-PAR", "EDP-01", sillage.PositionDelta{OnHand: 300, InTransit: 1}},
		} {
			p, err := s.GetPosition(ctx, "tiny", tc.site, tc.sku)
			if err != nil {
				t.Fatal(err)
			}
			if got := (sillage.PositionDelta{OnHand: p.OnHand, InTransit: p.InTransit, Reserved: p.Reserved}); got != tc.want {
				t.Errorf("%s %s: %+v, want %+v", tc.site, tc.sku, got, tc.want)
			}
		}
		for _, o := range orders {
			ok, err := s.OrderEffectApplied(ctx, o.ID, "hold")
			if err != nil || !ok {
				t.Errorf("hold of %s applied %v, %v", o.ID, ok, err)
			}
			got, err := s.GetOrder(ctx, o.ID)
			if err != nil || orderContentDiff(got, o) != "" || got.Status != sillage.OrderCreated {
				t.Errorf("stored %s: %+v, %v", o.ID, got, err)
			}
		}
		if ok, err := s.OrderEffectApplied(ctx, orders[0].ID, "final"); err != nil || ok {
			t.Errorf("final of %s applied %v, %v", orders[0].ID, ok, err)
		}

		// Pages of the plan's orders, in id order.
		for _, tc := range []struct {
			offset, limit int
			want          []string
		}{
			{0, 2, []string{"po:p:SUP-FLR:1", "po:p:SUP-FLR:2"}},
			{2, 2, []string{"to:p:DC-PAR:BTQ-PAR"}},
			{1, 0, []string{"po:p:SUP-FLR:2", "to:p:DC-PAR:BTQ-PAR"}},
			{3, 5, nil},
		} {
			got, err := s.PlanOrders(ctx, "p", tc.offset, tc.limit)
			if err != nil {
				t.Fatal(err)
			}
			var ids []string
			for _, o := range got {
				ids = append(ids, o.ID)
			}
			if len(ids) != len(tc.want) || (len(ids) > 0 && ids[len(ids)-1] != tc.want[len(tc.want)-1]) || (len(ids) > 0 && ids[0] != tc.want[0]) {
				t.Errorf("PlanOrders(%d, %d) = %v, want %v", tc.offset, tc.limit, ids, tc.want)
			}
			for _, o := range got {
				if len(o.Lines) == 0 {
					t.Errorf("PlanOrders: %s without lines", o.ID)
				}
			}
		}

		// Bad batches write nothing.
		other := orders[0]
		other.ValueEUR = 1
		for _, tc := range []struct {
			name    string
			orders  []sillage.Order
			effects []sillage.OrderEffect
			want    error
		}{
			{"conflict", []sillage.Order{{ID: "po:p:SUP-FLR:9", PlanID: "p", Kind: sillage.OrderPurchase, Source: "SUP-FLR", Site: "BTQ-PAR"}, other}, nil, sillage.ErrConflict},
			{"repeated id", []sillage.Order{orders[0], orders[0]}, nil, sillage.ErrInvalid},
			{"empty effect", nil, []sillage.OrderEffect{{OrderID: "x"}}, sillage.ErrInvalid},
			{"unknown site", nil, []sillage.OrderEffect{{OrderID: "x", Name: "hold", Network: "tiny",
				Changes: []sillage.PositionChange{{Site: "NOWHERE", SKU: "BAG-01", Delta: sillage.PositionDelta{InTransit: 1}}}}}, sillage.ErrNotFound},
		} {
			if _, err := s.SaveOrderBatch(ctx, tc.orders, tc.effects); !errors.Is(err, tc.want) {
				t.Errorf("%s: error %v, want %v", tc.name, err, tc.want)
			}
		}
		if _, err := s.GetOrder(ctx, "po:p:SUP-FLR:9"); !errors.Is(err, sillage.ErrNotFound) {
			t.Errorf("an order of a failed batch was stored: %v", err)
		}
		if ok, _ := s.OrderEffectApplied(ctx, "x", "hold"); ok {
			t.Error("an effect of a failed batch was recorded")
		}
	})
}
