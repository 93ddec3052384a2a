package sillage

import "context"

// OrderBatchStore creates many orders at once: the orders of a plan and
// their stock holds go into the store in a few transactions, one per
// batch of a few hundred orders, instead of one (or two) per order.
// Package store implements it for SQLite and PostgreSQL.
type OrderBatchStore interface {
	// SaveOrderBatch stores, in one transaction, each order unless its id
	// is stored already (the same id with other content is an error
	// wrapping ErrConflict, and nothing is written), then applies each
	// effect once, as ApplyOrderEffect does. It reports how many orders it
	// inserted and how many effects it applied; a batch saved before
	// inserts and applies nothing.
	SaveOrderBatch(ctx context.Context, orders []Order, effects []OrderEffect) (OrderBatchCounts, error)
	// OrderEffectApplied reports whether the effect name of an order has
	// been applied. It only reads.
	OrderEffectApplied(ctx context.Context, orderID, name string) (bool, error)
	// PlanOrders returns the orders of a plan with their lines, in id
	// order, skipping the first offset and returning at most limit.
	PlanOrders(ctx context.Context, planID string, offset, limit int) ([]Order, error)
}

// OrderBatchCounts is what one SaveOrderBatch call wrote.
type OrderBatchCounts struct {
	Inserted int // orders inserted (the others were stored already)
	Applied  int // effects applied (the others were applied already)
}
