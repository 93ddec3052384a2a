package carbon

import (
	"fmt"
	"sort"
	"time"

	"github.com/sillage/sillage"
)

// Movement is goods that actually moved: Units units of SKU from Source to
// Site along Legs, at At. It is the input of actual emissions, as plan
// lines are of planned ones.
type Movement struct {
	OrderID string
	PlanID  string
	Source  string
	Site    string
	SKU     string
	Units   float64
	Legs    []sillage.Leg
	At      time.Time // when the goods left (or were released, see Basis)
	Basis   string    // MovementReleased, or MovementShipped once shipping events are recorded
}

// Movement bases.
const (
	// MovementReleased: an order line as released to the supplier or the
	// DC, on its plan's path, dated by its plan. It stands in for the
	// shipping and receiving events the closed loop will record.
	MovementReleased = "order line as released"
	// MovementShipped: recorded by a shipping event.
	MovementShipped = "shipping event"
)

// Released reports whether an order in status s has been released: sent
// to the supplier or the DC and not withdrawn. Orders still waiting
// (created, awaiting approval, approved but not submitted) and orders
// that will not move (rejected, cancelled, expired) are not released.
func Released(s sillage.OrderStatus) bool {
	switch s {
	case sillage.OrderSubmitted, sillage.OrderConfirmed, sillage.OrderPartial,
		sillage.OrderShipped, sillage.OrderReceived, sillage.OrderClosed:
		return true
	}
	return false
}

// ReleasedMovements turns the released orders among orders into
// movements. An order line's units travel on the path of its plan's lines
// of the same source, site and product; when the plan sent the product
// over several paths, the units are split in proportion to the plan
// lines' quantities. A movement is dated by its plan's creation time (the
// plan's orders are its week-0 departures). Orders of plans not in plans
// are an error wrapping sillage.ErrInvalid; an order line its plan has no
// path for is left out and named in the notes, and so is a partially
// confirmed order, counted at its full quantity. The result is sorted by
// order id, then line. O(orders × lines + plan lines).
func ReleasedMovements(plans []*sillage.Plan, orders []sillage.Order) ([]Movement, []string, error) {
	type key struct{ plan, source, site, sku string }
	paths := map[key][]sillage.PlanLine{}
	created := map[string]time.Time{}
	for _, p := range plans {
		created[p.ID] = p.CreatedAt
		for _, l := range p.Lines {
			if l.Quantity > 0 {
				k := key{p.ID, l.Source, l.Site, l.SKU}
				paths[k] = append(paths[k], l)
			}
		}
	}
	os := append([]sillage.Order(nil), orders...)
	sort.Slice(os, func(i, j int) bool { return os[i].ID < os[j].ID })
	var out []Movement
	var notes []string
	for _, o := range os {
		if !Released(o.Status) {
			continue
		}
		at, ok := created[o.PlanID]
		if !ok {
			return nil, nil, fmt.Errorf("order %s: %w: its plan %q is not among the plans given", o.ID, sillage.ErrInvalid, o.PlanID)
		}
		if o.Status == sillage.OrderPartial {
			notes = append(notes, fmt.Sprintf("order %s is partially confirmed: its full ordered quantity is counted (the store keeps the order's lines as ordered until receipts are recorded)", o.ID))
		}
		for _, ol := range o.Lines {
			if ol.Quantity <= 0 {
				continue
			}
			ls := paths[key{o.PlanID, o.Source, o.Site, ol.SKU}]
			var total float64
			for _, l := range ls {
				total += l.Quantity
			}
			if total == 0 {
				notes = append(notes, fmt.Sprintf("order %s: %g units of %s from %s to %s have no path in plan %s and are left out",
					o.ID, ol.Quantity, ol.SKU, o.Source, o.Site, o.PlanID))
				continue
			}
			for _, l := range ls {
				out = append(out, Movement{OrderID: o.ID, PlanID: o.PlanID, Source: o.Source, Site: o.Site, SKU: ol.SKU,
					Units: ol.Quantity * l.Quantity / total, Legs: l.Legs, At: at, Basis: MovementReleased})
			}
		}
	}
	return out, notes, nil
}

// MovementLines returns movements as plan lines, for Calculator.Footprints:
// the footprints and transport chain elements of what moved.
func MovementLines(ms []Movement) []sillage.PlanLine {
	out := make([]sillage.PlanLine, len(ms))
	for i, m := range ms {
		out[i] = sillage.PlanLine{Source: m.Source, Site: m.Site, SKU: m.SKU, Quantity: m.Units, Legs: m.Legs}
	}
	return out
}
