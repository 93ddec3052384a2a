package store

import (
	"context"
	"errors"
	"slices"
	"sync"
	"testing"

	"github.com/sillage/sillage"
)

func TestApplyOrderEffectOnce(t *testing.T) {
	forEachTinyEngine(t, func(t *testing.T, ctx context.Context, s *Store) {
		o := sillage.Order{ID: "to:p:DC-PAR:BTQ-LON", PlanID: "p", Kind: sillage.OrderTransfer, Source: "DC-PAR", Site: "BTQ-LON",
			Lines: []sillage.OrderLine{{SKU: "BAG-01", Quantity: 4, ValueEUR: 3200}}}
		if _, err := s.SaveOrder(ctx, o); err != nil {
			t.Fatal(err)
		}
		hold := sillage.OrderEffect{OrderID: o.ID, Name: "hold", Network: "tiny", Changes: []sillage.PositionChange{
			{Site: "BTQ-LON", SKU: "BAG-01", Delta: sillage.PositionDelta{InTransit: 4}},
			{Site: "DC-PAR", SKU: "BAG-01", Delta: sillage.PositionDelta{Reserved: 4}},
		}}
		// Concurrent retries of the same effect apply it once.
		var wg sync.WaitGroup
		applied := make([]bool, 4)
		errs := make([]error, 4)
		for i := range applied {
			wg.Add(1)
			go func() {
				defer wg.Done()
				applied[i], errs[i] = s.ApplyOrderEffect(ctx, hold)
			}()
		}
		wg.Wait()
		n := 0
		for i := range applied {
			if errs[i] != nil {
				t.Fatal(errs[i])
			}
			if applied[i] {
				n++
			}
		}
		if n != 1 {
			t.Fatalf("the effect applied %d times, want 1", n)
		}
		p, err := s.GetPosition(ctx, "tiny", "BTQ-LON", "BAG-01")
		if err != nil || p.InTransit != 4 {
			t.Fatalf("BTQ-LON BAG-01 %+v, %v; want 4 in transit", p, err)
		}
		dc, err := s.GetPosition(ctx, "tiny", "DC-PAR", "BAG-01")
		if err != nil || dc.Reserved != 4 || dc.OnHand != 20 {
			t.Fatalf("DC-PAR BAG-01 %+v, %v; want 20 on hand, 4 reserved", dc, err)
		}

		rel := sillage.OrderEffect{OrderID: o.ID, Name: "release:rejected", Network: "tiny", Status: sillage.OrderRejected, Reason: "dock closed",
			Changes: []sillage.PositionChange{{Site: "BTQ-LON", SKU: "BAG-01", Delta: sillage.PositionDelta{InTransit: -4}}, {Site: "DC-PAR", SKU: "BAG-01", Delta: sillage.PositionDelta{Reserved: -4}}}}
		for range 2 {
			if _, err := s.ApplyOrderEffect(ctx, rel); err != nil {
				t.Fatal(err)
			}
		}
		got, err := s.GetOrder(ctx, o.ID)
		if err != nil || got.Status != sillage.OrderRejected || got.Reason != "dock closed" {
			t.Fatalf("order %+v, %v; want rejected with the reason", got, err)
		}
		if p, _ := s.GetPosition(ctx, "tiny", "BTQ-LON", "BAG-01"); p.InTransit != 0 {
			t.Errorf("in transit %v after the release, want 0", p.InTransit)
		}
		names, err := s.OrderEffects(ctx, o.ID)
		if err != nil || !slices.Equal(names, []string{"hold", "release:rejected"}) {
			t.Errorf("effects %v, %v", names, err)
		}

		// Errors: unknown order with a status, unknown product, empty name.
		_, err = s.ApplyOrderEffect(ctx, sillage.OrderEffect{OrderID: "po:none", Name: "x", Network: "tiny", Status: sillage.OrderClosed})
		if !errors.Is(err, sillage.ErrNotFound) {
			t.Errorf("unknown order: %v, want ErrNotFound", err)
		}
		_, err = s.ApplyOrderEffect(ctx, sillage.OrderEffect{OrderID: o.ID, Name: "y", Network: "tiny",
			Changes: []sillage.PositionChange{{Site: "BTQ-LON", SKU: "NOPE", Delta: sillage.PositionDelta{InTransit: 1}}}})
		if !errors.Is(err, sillage.ErrNotFound) {
			t.Errorf("unknown product: %v, want ErrNotFound", err)
		}
		if names, _ := s.OrderEffects(ctx, o.ID); len(names) != 2 {
			t.Errorf("a failed effect was recorded: %v", names)
		}
		if _, err := s.ApplyOrderEffect(ctx, sillage.OrderEffect{OrderID: o.ID}); !errors.Is(err, sillage.ErrInvalid) {
			t.Errorf("empty name: %v, want ErrInvalid", err)
		}
	})
}
