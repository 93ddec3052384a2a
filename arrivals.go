package sillage

import (
	"context"
	"time"
)

// OpenArrival is what an open order still expects at its site for one
// product, and when: the units of one order line not yet received nor
// given back (rejected, cancelled, cut by a partial confirmation).
type OpenArrival struct {
	OrderID string  `json:"order_id"`
	PlanID  string  `json:"plan_id"`
	Source  string  `json:"source"` // supplier or distribution centre
	Site    string  `json:"site"`
	SKU     string  `json:"sku"`
	Units   float64 `json:"units"`
	// DueAt is when the units are expected at the site: the creation time
	// of the order's plan plus 7 days × the arrival week of the plan's
	// horizon line (the week the time-phased model counted them in). It
	// is zero when the plan has no stored horizon line for the order (a
	// one-period plan, an order made outside a plan): due now.
	DueAt time.Time `json:"due_at,omitzero"`
}

// OpenArrivalStore tells what the open orders of a network still expect.
type OpenArrivalStore interface {
	// OpenArrivals returns the open arrivals of network's orders (an order
	// belongs to the network of its stored plan), by order, product and
	// due time. Closed, received, cancelled, rejected and expired orders
	// expect nothing.
	OpenArrivals(ctx context.Context, network string) ([]OpenArrival, error)
}
