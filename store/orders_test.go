package store

import (
	"context"
	"errors"
	"reflect"
	"sync"
	"testing"
	"time"

	"github.com/sillage/sillage"
)

var t0 = time.Date(2026, 3, 2, 8, 30, 0, 123456789, time.UTC)

func samplePlan() *sillage.Plan {
	legs := []sillage.Leg{
		{From: "SUP-FLR", To: "DC-PAR", Mode: sillage.ModeRail, DistanceKM: 1300, CostEURPerKG: 0.2, KgCO2ePerKG: 0.0361, TransitDays: 4},
		{From: "DC-PAR", To: "BTQ-LON", Mode: sillage.ModeRoad, DistanceKM: 500, CostEURPerKG: 0.25, KgCO2ePerKG: 0.0508, TransitDays: 2},
	}
	return &sillage.Plan{
		ID: "plan-1", Network: "tiny", CreatedAt: t0.In(time.FixedZone("CET", 3600)), Status: sillage.PlanOptimal,
		CarbonPriceEURPerT: 100, CostEUR: 1234.5, KgCO2e: 67.25, ShortfallUnits: 3,
		Lines: []sillage.PlanLine{
			{Source: "SUP-FLR", Site: "BTQ-LON", SKU: "BAG-01", Quantity: 4, CostEUR: 3.6, KgCO2e: 0.69, Legs: legs},
			{Source: "DC-PAR", Site: "BTQ-PAR", SKU: "EDP-01", Quantity: 40, CostEUR: 1, KgCO2e: 0.06, Legs: legs[1:]},
		},
		Shortfalls: []sillage.Shortfall{{Site: "BTQ-LON", SKU: "BAG-01", Units: 3}},
		Binding:    []sillage.Binding{{Constraint: "lane DC-PAR->BTQ-LON road", ShadowPrice: 12.5}},
	}
}

func TestPlans(t *testing.T) {
	forEachEngine(t, func(t *testing.T, ctx context.Context, s *Store) {
		p := samplePlan()
		if err := s.SavePlan(ctx, p); err != nil {
			t.Fatal(err)
		}
		if err := s.SavePlan(ctx, p); err != nil { // a retry
			t.Fatal(err)
		}
		got, err := s.LoadPlan(ctx, "plan-1")
		if err != nil {
			t.Fatal(err)
		}
		want := *p
		want.CreatedAt = t0 // same instant, in UTC
		if !reflect.DeepEqual(got, &want) {
			t.Fatalf("LoadPlan\n got: %+v\nwant: %+v", got, &want)
		}
		c, err := s.Counts(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if c["plans"] != 1 || c["plan_lines"] != 2 {
			t.Fatalf("after saving a plan twice: %d plans, %d lines; want 1 and 2", c["plans"], c["plan_lines"])
		}

		// A new version of the plan replaces the old one.
		p.Status, p.Lines, p.Shortfalls, p.Binding = sillage.PlanLimit, p.Lines[:1], nil, nil
		if err := s.SavePlan(ctx, p); err != nil {
			t.Fatal(err)
		}
		got, err = s.LoadPlan(ctx, "plan-1")
		if err != nil {
			t.Fatal(err)
		}
		if got.Status != sillage.PlanLimit || len(got.Lines) != 1 || got.Shortfalls != nil || got.Binding != nil {
			t.Fatalf("replaced plan: %+v", got)
		}

		if _, err := s.LoadPlan(ctx, "nope"); !errors.Is(err, sillage.ErrNotFound) {
			t.Fatalf("LoadPlan(nope) error %v, want ErrNotFound", err)
		}
		if err := s.SavePlan(ctx, &sillage.Plan{Network: "tiny"}); !errors.Is(err, sillage.ErrInvalid) {
			t.Fatalf("SavePlan without id: error %v, want ErrInvalid", err)
		}
	})
}

func sampleOrder() sillage.Order {
	return sillage.Order{
		ID: "po:plan-1:SUP-FLR:1", PlanID: "plan-1", Kind: sillage.OrderPurchase, Source: "SUP-FLR", Site: "DC-PAR",
		ValueEUR: 4800, KgCO2e: 2.5, UpdatedAt: t0,
		Lines: []sillage.OrderLine{{SKU: "BAG-01", Quantity: 6, ValueEUR: 4800}, {SKU: "EDP-01", Quantity: 0, ValueEUR: 0}},
	}
}

func TestSaveOrder(t *testing.T) {
	tests := []struct {
		name       string
		edit       func(o *sillage.Order)
		inserted   bool
		errIs      error
		wantStatus sillage.OrderStatus
	}{
		{name: "same order again", edit: func(o *sillage.Order) {}},
		{name: "status and time moved on", edit: func(o *sillage.Order) {
			o.Status, o.UpdatedAt, o.Reason = sillage.OrderApproved, t0.Add(time.Hour), "ok"
		}},
		{name: "other value", edit: func(o *sillage.Order) { o.ValueEUR++ }, errIs: sillage.ErrConflict},
		{name: "other site", edit: func(o *sillage.Order) { o.Site = "BTQ-PAR" }, errIs: sillage.ErrConflict},
		{name: "other line quantity", edit: func(o *sillage.Order) { o.Lines[1].Quantity = 1 }, errIs: sillage.ErrConflict},
		{name: "one line fewer", edit: func(o *sillage.Order) { o.Lines = o.Lines[:1] }, errIs: sillage.ErrConflict},
		{name: "another id", edit: func(o *sillage.Order) { o.ID = "po:plan-1:SUP-FLR:2"; o.ValueEUR = 1 }, inserted: true},
		{name: "empty id", edit: func(o *sillage.Order) { o.ID = "" }, errIs: sillage.ErrInvalid},
	}
	forEachEngine(t, func(t *testing.T, ctx context.Context, s *Store) {
		for _, tc := range tests {
			t.Run(tc.name, func(t *testing.T) {
				if _, err := s.write.ExecContext(ctx, `DELETE FROM orders`); err != nil {
					t.Fatal(err)
				}
				ins, err := s.SaveOrder(ctx, sampleOrder())
				if err != nil || !ins {
					t.Fatalf("first SaveOrder: inserted=%v err=%v", ins, err)
				}
				o := sampleOrder()
				o.Lines = append([]sillage.OrderLine(nil), o.Lines...)
				tc.edit(&o)
				ins, err = s.SaveOrder(ctx, o)
				if tc.errIs != nil {
					if !errors.Is(err, tc.errIs) {
						t.Fatalf("error %v, want %v", err, tc.errIs)
					}
				} else if err != nil {
					t.Fatal(err)
				}
				if ins != tc.inserted {
					t.Fatalf("inserted = %v, want %v", ins, tc.inserted)
				}
				// The stored first order is untouched.
				got, err := s.GetOrder(ctx, sampleOrder().ID)
				if err != nil {
					t.Fatal(err)
				}
				want := sampleOrder()
				want.Status = sillage.OrderCreated
				if !reflect.DeepEqual(got, want) {
					t.Fatalf("stored order\n got: %+v\nwant: %+v", got, want)
				}
			})
		}
	})
}

// TestSaveOrderConcurrent saves one order from many goroutines at once, as
// retried activities might: exactly one inserts.
func TestSaveOrderConcurrent(t *testing.T) {
	forEachEngine(t, func(t *testing.T, ctx context.Context, s *Store) {
		const n = 8
		var wg sync.WaitGroup
		inserted := make(chan bool, n)
		errs := make(chan error, n)
		for range n {
			wg.Go(func() {
				ins, err := s.SaveOrder(ctx, sampleOrder())
				inserted <- ins
				errs <- err
			})
		}
		wg.Wait()
		close(inserted)
		close(errs)
		for err := range errs {
			if err != nil {
				t.Fatal(err)
			}
		}
		count := 0
		for ins := range inserted {
			if ins {
				count++
			}
		}
		if count != 1 {
			t.Fatalf("%d goroutines inserted the order, want exactly 1", count)
		}
		c, err := s.Counts(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if c["orders"] != 1 || c["order_lines"] != 2 {
			t.Fatalf("%d orders and %d lines, want 1 and 2", c["orders"], c["order_lines"])
		}
	})
}

func TestOrderStatusAndList(t *testing.T) {
	forEachEngine(t, func(t *testing.T, ctx context.Context, s *Store) {
		later := t0.Add(2 * time.Hour)
		s.now = func() time.Time { return later }
		orders := []sillage.Order{
			{ID: "po:p1:SUP-FLR:1", PlanID: "p1", Kind: sillage.OrderPurchase, Source: "SUP-FLR", Site: "DC-PAR", ValueEUR: 10,
				Lines: []sillage.OrderLine{{SKU: "BAG-01", Quantity: 1, ValueEUR: 10}}},
			{ID: "to:p1:DC-PAR:BTQ-LON", PlanID: "p1", Kind: sillage.OrderTransfer, Source: "DC-PAR", Site: "BTQ-LON"},
			{ID: "to:p2:DC-PAR:BTQ-PAR", PlanID: "p2", Kind: sillage.OrderTransfer, Source: "DC-PAR", Site: "BTQ-PAR",
				Lines: []sillage.OrderLine{{SKU: "EDP-01", Quantity: 3, ValueEUR: 180}, {SKU: "BAG-01", Quantity: 1, ValueEUR: 800}}},
		}
		for _, o := range orders {
			if _, err := s.SaveOrder(ctx, o); err != nil {
				t.Fatal(err)
			}
		}
		if err := s.UpdateOrderStatus(ctx, "to:p1:DC-PAR:BTQ-LON", sillage.OrderRejected, "too expensive"); err != nil {
			t.Fatal(err)
		}
		if err := s.UpdateOrderStatus(ctx, "nope", sillage.OrderApproved, ""); !errors.Is(err, sillage.ErrNotFound) {
			t.Fatalf("UpdateOrderStatus(nope) error %v, want ErrNotFound", err)
		}
		if _, err := s.GetOrder(ctx, "nope"); !errors.Is(err, sillage.ErrNotFound) {
			t.Fatalf("GetOrder(nope) error %v, want ErrNotFound", err)
		}
		got, err := s.GetOrder(ctx, "to:p1:DC-PAR:BTQ-LON")
		if err != nil {
			t.Fatal(err)
		}
		if got.Status != sillage.OrderRejected || got.Reason != "too expensive" || !got.UpdatedAt.Equal(later) {
			t.Fatalf("after rejection: %+v", got)
		}
		tests := []struct {
			f    OrderFilter
			want []string
		}{
			{OrderFilter{}, []string{"po:p1:SUP-FLR:1", "to:p1:DC-PAR:BTQ-LON", "to:p2:DC-PAR:BTQ-PAR"}},
			{OrderFilter{PlanID: "p1"}, []string{"po:p1:SUP-FLR:1", "to:p1:DC-PAR:BTQ-LON"}},
			{OrderFilter{Status: sillage.OrderCreated}, []string{"po:p1:SUP-FLR:1", "to:p2:DC-PAR:BTQ-PAR"}},
			{OrderFilter{PlanID: "p1", Status: sillage.OrderRejected}, []string{"to:p1:DC-PAR:BTQ-LON"}},
			{OrderFilter{PlanID: "p3"}, nil},
		}
		for _, tc := range tests {
			list, err := s.ListOrders(ctx, tc.f)
			if err != nil {
				t.Fatal(err)
			}
			var ids []string
			for _, o := range list {
				ids = append(ids, o.ID)
				var want sillage.Order
				for _, w := range orders {
					if w.ID == o.ID {
						want = w
					}
				}
				if !reflect.DeepEqual(o.Lines, want.Lines) {
					t.Errorf("%+v: lines of %s = %+v, want %+v", tc.f, o.ID, o.Lines, want.Lines)
				}
			}
			if !reflect.DeepEqual(ids, tc.want) {
				t.Errorf("ListOrders(%+v) = %q, want %q", tc.f, ids, tc.want)
			}
		}
	})
}

func TestFootprints(t *testing.T) {
	forEachEngine(t, func(t *testing.T, ctx context.Context, s *Store) {
		p := samplePlan()
		if err := s.SavePlan(ctx, p); err != nil {
			t.Fatal(err)
		}
		fs := []sillage.Footprint{
			{Site: "BTQ-LON", SKU: "BAG-01", CradleToGateKgCO2e: 40, TransportKgCO2e: 0.17, StorageKgCO2e: 0.01, TotalKgCO2e: 40.18, Legs: p.Lines[0].Legs},
			{Site: "BTQ-PAR", SKU: "EDP-01", CradleToGateKgCO2e: 3, TransportKgCO2e: 0.0015, TotalKgCO2e: 3.0015, Legs: p.Lines[1].Legs},
		}
		for range 2 {
			if err := s.SaveFootprints(ctx, p.ID, fs); err != nil {
				t.Fatal(err)
			}
		}
		var wg sync.WaitGroup // concurrent saves, as retried activities might do
		errs := make(chan error, 4)
		for range 4 {
			wg.Go(func() { errs <- s.SaveFootprints(ctx, p.ID, fs) })
		}
		wg.Wait()
		close(errs)
		for err := range errs {
			if err != nil {
				t.Fatal(err)
			}
		}
		got, err := s.ListFootprints(ctx, p.ID)
		if err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(got, fs) {
			t.Fatalf("ListFootprints\n got: %+v\nwant: %+v", got, fs)
		}
		if err := s.SaveFootprints(ctx, p.ID, fs[1:]); err != nil {
			t.Fatal(err)
		}
		if got, _ := s.ListFootprints(ctx, p.ID); len(got) != 1 || got[0].Site != "BTQ-PAR" {
			t.Fatalf("after replacing: %+v", got)
		}
		if err := s.SaveFootprints(ctx, p.ID, []sillage.Footprint{fs[0], fs[0]}); !errors.Is(err, sillage.ErrInvalid) {
			t.Fatalf("duplicate footprint: error %v, want ErrInvalid", err)
		}
		if got, _ := s.ListFootprints(ctx, p.ID); len(got) != 1 {
			t.Fatalf("a refused save changed the footprints: %+v", got)
		}
		if err := s.SaveFootprints(ctx, "nope", fs); !errors.Is(err, sillage.ErrNotFound) {
			t.Fatalf("footprints of an unknown plan: error %v, want ErrNotFound", err)
		}
		if got, err := s.ListFootprints(ctx, "nope"); err != nil || len(got) != 0 {
			t.Fatalf("ListFootprints(nope) = %v, %v; want empty", got, err)
		}
	})
}
