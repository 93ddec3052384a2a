package sillage

import (
	"context"
	"time"
)

// This file holds what the workflows' activities need from the system of
// record (package store implements every interface for SQLite and
// PostgreSQL): networks, plans and their lease, orders and the stock
// changes an order makes once.

// NetworkStore loads networks.
type NetworkStore interface {
	// LoadNetwork returns the network stored under name; the error wraps
	// ErrNotFound when there is none.
	LoadNetwork(ctx context.Context, name string) (*Network, error)
}

// PlanStore keeps plans, their footprints and the plan lease of each
// network.
type PlanStore interface {
	// SavePlan stores p with its lines, replacing any plan stored under
	// the same id. p.ID and p.Network must not be empty (the error wraps
	// ErrInvalid).
	SavePlan(ctx context.Context, p *Plan) error
	// LoadPlan returns the plan stored under id; the error wraps
	// ErrNotFound when there is none.
	LoadPlan(ctx context.Context, id string) (*Plan, error)
	// SaveFootprints replaces the footprints of a stored plan with fs.
	SaveFootprints(ctx context.Context, planID string, fs []Footprint) error
	// AcquirePlanLease gives network's lease to planID until now+ttl when
	// it is free, expired at now, or already held by planID (then it is
	// extended). It returns the lease as it stands after the call and
	// whether planID holds it.
	AcquirePlanLease(ctx context.Context, network, planID string, now time.Time, ttl time.Duration) (PlanLease, bool, error)
	// ReleasePlanLease gives back network's lease if planID holds it and
	// reports whether it did.
	ReleasePlanLease(ctx context.Context, network, planID string) (bool, error)
}

// OrderStore keeps orders and applies their stock effects.
type OrderStore interface {
	// SaveOrder inserts o unless an order with its id exists, and reports
	// whether it inserted; the same id with other content is an error
	// wrapping ErrConflict.
	SaveOrder(ctx context.Context, o Order) (inserted bool, err error)
	// GetOrder returns the order stored under id; the error wraps
	// ErrNotFound when there is none.
	GetOrder(ctx context.Context, id string) (Order, error)
	// UpdateOrderStatus sets the status of an order, with the reason (may
	// be empty). The error wraps ErrNotFound when there is no such order.
	UpdateOrderStatus(ctx context.Context, id string, status OrderStatus, reason string) error
	// ApplyOrderEffect applies e once, in one transaction, and reports
	// whether it applied; false means an earlier call did and nothing
	// changed.
	ApplyOrderEffect(ctx context.Context, e OrderEffect) (applied bool, err error)
}

// PlanLease is a network's planning held by one plan: while a plan holds
// it, no other plan of the network reads the stock, so two plans never
// order the same units.
type PlanLease struct {
	Network    string
	PlanID     string
	AcquiredAt time.Time
	ExpiresAt  time.Time
}

// PositionDelta is a change of a stock position, in units; each field is
// added to the stored value.
type PositionDelta struct {
	OnHand    float64
	InTransit float64
	Reserved  float64
}

// PositionChange is a change of one stock position, in units.
type PositionChange struct {
	Site  string        `json:"site"`
	SKU   string        `json:"sku"`
	Delta PositionDelta `json:"delta"`
}

// OrderEffect is a named change an order makes once: position changes in
// a network and, optionally, a new status and reason for the order.
type OrderEffect struct {
	OrderID string
	Name    string // unique per order, e.g. "hold", "release:rejected", "receipt:2"
	Network string
	Changes []PositionChange
	Status  OrderStatus // empty: leave the status alone
	Reason  string      // with Status
}
