package carbon

import (
	"errors"
	"math"
	"testing"
	"time"

	"github.com/sillage/sillage"
)

func TestReleasedMovements(t *testing.T) {
	created := time.Date(2025, 6, 2, 2, 0, 0, 0, time.UTC)
	road := []sillage.Leg{{From: "SUP-FLR", To: "DC-PAR", Mode: sillage.ModeRoad, DistanceKM: 1200}}
	rail := []sillage.Leg{{From: "SUP-FLR", To: "DC-PAR", Mode: sillage.ModeRail, DistanceKM: 1300}}
	plan := &sillage.Plan{ID: "p1", CreatedAt: created, Lines: []sillage.PlanLine{
		// The plan splits 30 bags over two paths: 20 by road, 10 by rail.
		{Source: "SUP-FLR", Site: "DC-PAR", SKU: "BAG-01", Quantity: 19.6, Legs: road},
		{Source: "SUP-FLR", Site: "DC-PAR", SKU: "BAG-01", Quantity: 9.8, Legs: rail},
	}}
	orders := []sillage.Order{
		// Rounded up to 30 units by OrdersFromPlan; confirmed: it moves.
		{ID: "po:p1:SUP-FLR:1", PlanID: "p1", Source: "SUP-FLR", Site: "DC-PAR", Status: sillage.OrderConfirmed,
			Lines: []sillage.OrderLine{{SKU: "BAG-01", Quantity: 30}, {SKU: "EDP-01", Quantity: 5}}},
		{ID: "po:p1:SUP-FLR:2", PlanID: "p1", Source: "SUP-FLR", Site: "DC-PAR", Status: sillage.OrderCancelled,
			Lines: []sillage.OrderLine{{SKU: "BAG-01", Quantity: 7}}},
		{ID: "po:p1:SUP-FLR:3", PlanID: "p1", Source: "SUP-FLR", Site: "DC-PAR", Status: sillage.OrderAwaitingApproval,
			Lines: []sillage.OrderLine{{SKU: "BAG-01", Quantity: 7}}},
	}
	ms, notes, err := ReleasedMovements([]*sillage.Plan{plan}, orders)
	if err != nil {
		t.Fatal(err)
	}
	// 30 units split 19.6 : 9.8 = 2 : 1, so 20 by road and 10 by rail.
	if len(ms) != 2 || math.Abs(ms[0].Units-20) > 1e-9 || math.Abs(ms[1].Units-10) > 1e-9 ||
		ms[0].Legs[0].Mode != sillage.ModeRoad || ms[1].Legs[0].Mode != sillage.ModeRail {
		t.Fatalf("movements = %+v", ms)
	}
	if !ms[0].At.Equal(created) || ms[0].Basis != MovementReleased || ms[0].OrderID != "po:p1:SUP-FLR:1" {
		t.Errorf("movement = %+v", ms[0])
	}
	// EDP-01 has no path in the plan: left out, and said.
	if len(notes) != 1 {
		t.Errorf("notes = %q, want one about EDP-01", notes)
	}
	if _, _, err := ReleasedMovements(nil, orders[:1]); !errors.Is(err, sillage.ErrInvalid) {
		t.Errorf("order of an unknown plan: err = %v", err)
	}
	lines := MovementLines(ms)
	if len(lines) != 2 || lines[1].Quantity != 10 || lines[1].Source != "SUP-FLR" || lines[1].Legs[0].Mode != sillage.ModeRail {
		t.Errorf("lines = %+v", lines)
	}
}

func TestReleased(t *testing.T) {
	for s, want := range map[sillage.OrderStatus]bool{
		sillage.OrderCreated: false, sillage.OrderAwaitingApproval: false, sillage.OrderApproved: false, sillage.OrderRejected: false,
		sillage.OrderSubmitted: true, sillage.OrderConfirmed: true, sillage.OrderPartial: true, sillage.OrderShipped: true,
		sillage.OrderReceived: true, sillage.OrderClosed: true, sillage.OrderCancelled: false, sillage.OrderExpired: false,
	} {
		if Released(s) != want {
			t.Errorf("Released(%s) = %v, want %v", s, !want, want)
		}
	}
}
