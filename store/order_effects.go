package store

import (
	"context"
	"encoding/json"
	"fmt"

	"github.com/jmoiron/sqlx"

	"github.com/sillage/sillage"
)

// This file (with migration 0050_order_effects) is an addition for the
// Temporal order workflows (package activities): stock changes caused by
// an order, applied exactly once however often an activity is retried.

// ApplyOrderEffect applies e in one transaction: it records (order, name)
// and, when that pair was not recorded before, adds every change to its
// position (creating missing positions at zero) and sets the status. It
// reports whether it applied; false means an earlier call did, and nothing
// changed. The error wraps sillage.ErrInvalid for an empty order id or
// name, and sillage.ErrNotFound for an unknown order (when a status is
// set) or an unknown site or product.
func (s *Store) ApplyOrderEffect(ctx context.Context, e sillage.OrderEffect) (applied bool, err error) {
	if e.OrderID == "" || e.Name == "" {
		return false, fmt.Errorf("apply order effect: %w: empty order id or effect name", sillage.ErrInvalid)
	}
	what := fmt.Sprintf("apply effect %q of order %q", e.Name, e.OrderID)
	changes, err := json.Marshal(emptyIfNil(e.Changes))
	if err != nil {
		return false, fmt.Errorf("%s: encode changes: %w", what, err)
	}
	now := formatTime(s.now())
	err = s.withTx(ctx, what, func(tx *sqlx.Tx) error {
		n, err := rowsAffected(tx.ExecContext(ctx, tx.Rebind(`INSERT INTO order_effects (order_id, effect, applied_at, changes_json)
			VALUES (?, ?, ?, ?) ON CONFLICT (order_id, effect) DO NOTHING`), e.OrderID, e.Name, now, string(changes)))
		if err != nil {
			return fmt.Errorf("%s: %w", what, err)
		}
		if n == 0 {
			return nil
		}
		adjust := tx.Rebind(`INSERT INTO stock_positions AS p (network, site, sku, seq, on_hand, in_transit, reserved)
			VALUES (?, ?, ?, (SELECT COALESCE(MAX(seq) + 1, 0) FROM stock_positions WHERE network = ?), ?, ?, ?)
			ON CONFLICT (network, site, sku) DO UPDATE SET
				on_hand = p.on_hand + excluded.on_hand,
				in_transit = p.in_transit + excluded.in_transit,
				reserved = p.reserved + excluded.reserved`)
		for _, c := range e.Changes {
			if _, err := tx.ExecContext(ctx, adjust, e.Network, c.Site, c.SKU, e.Network,
				c.Delta.OnHand, c.Delta.InTransit, c.Delta.Reserved); err != nil {
				return positionErr(fmt.Sprintf("%s: stock of %q at %q", what, c.SKU, c.Site), err)
			}
		}
		if e.Status != "" {
			n, err := rowsAffected(tx.ExecContext(ctx, tx.Rebind(`UPDATE orders SET status = ?, reason = ?, updated_at = ? WHERE id = ?`),
				string(e.Status), e.Reason, now, e.OrderID))
			if err != nil {
				return fmt.Errorf("%s: set status: %w", what, err)
			}
			if n == 0 {
				return fmt.Errorf("%s: %w: no such order", what, sillage.ErrNotFound)
			}
		}
		applied = true
		return nil
	})
	return applied, err
}

// OrderEffects returns the names of the effects applied to an order, in
// the order they were applied.
func (s *Store) OrderEffects(ctx context.Context, orderID string) ([]string, error) {
	var names []string
	if err := s.read.SelectContext(ctx, &names, s.read.Rebind(`SELECT effect FROM order_effects
		WHERE order_id = ? ORDER BY applied_at, effect`), orderID); err != nil {
		return nil, fmt.Errorf("effects of order %q: %w", orderID, err)
	}
	return names, nil
}
