package store

import (
	"context"
	"fmt"

	"github.com/jmoiron/sqlx"

	"github.com/sillage/sillage"
)

type positionRow struct {
	Site      string  `db:"site"`
	SKU       string  `db:"sku"`
	OnHand    float64 `db:"on_hand"`
	InTransit float64 `db:"in_transit"`
	Reserved  float64 `db:"reserved"`
}

// positions reads the stock positions of network, of one site when site is
// not empty, in the order of the network file (positions created later
// come after).
func positions(ctx context.Context, q sqlx.QueryerContext, network, site string) ([]sillage.Position, error) {
	query := `SELECT site, sku, on_hand, in_transit, reserved FROM stock_positions WHERE network = ?`
	args := []any{network}
	if site != "" {
		query += ` AND site = ?`
		args = append(args, site)
	}
	query += ` ORDER BY seq, site, sku`
	var rows []positionRow
	if err := sqlx.SelectContext(ctx, q, &rows, sqlx.Rebind(sqlx.BindType(driverOf(q)), query), args...); err != nil {
		return nil, fmt.Errorf("stock positions: %w", err)
	}
	var out []sillage.Position
	for _, r := range rows {
		out = append(out, sillage.Position(r))
	}
	return out, nil
}

// driverOf returns the driver name of a sqlx handle, for Rebind.
func driverOf(q sqlx.QueryerContext) string {
	switch x := q.(type) {
	case *sqlx.Tx:
		return x.DriverName()
	case *sqlx.DB:
		return x.DriverName()
	}
	return ""
}

// Positions returns the stock positions of a network, of one site when
// site is not empty. A network or site without positions gives an empty
// list, not an error.
func (s *Store) Positions(ctx context.Context, network, site string) ([]sillage.Position, error) {
	ps, err := positions(ctx, s.read, network, site)
	if err != nil {
		return nil, fmt.Errorf("network %q: %w", network, err)
	}
	return ps, nil
}

// GetPosition returns one stock position; the error wraps
// sillage.ErrNotFound when the network has none for that site and sku.
func (s *Store) GetPosition(ctx context.Context, network, site, sku string) (sillage.Position, error) {
	var r positionRow
	if err := getOne(ctx, s.read, fmt.Sprintf("stock of %q at %q in network %q", sku, site, network), &r,
		`SELECT site, sku, on_hand, in_transit, reserved FROM stock_positions WHERE network = ? AND site = ? AND sku = ?`,
		network, site, sku); err != nil {
		return sillage.Position{}, err
	}
	return sillage.Position(r), nil
}

// SetPosition sets a stock position to p, creating it if needed. The site
// and the product must exist in the network; otherwise the error wraps
// sillage.ErrNotFound.
func (s *Store) SetPosition(ctx context.Context, network string, p sillage.Position) error {
	what := fmt.Sprintf("set stock of %q at %q in network %q", p.SKU, p.Site, network)
	return s.withTx(ctx, what, func(tx *sqlx.Tx) error {
		_, err := tx.ExecContext(ctx, tx.Rebind(`INSERT INTO stock_positions (network, site, sku, seq, on_hand, in_transit, reserved)
			VALUES (?, ?, ?, (SELECT COALESCE(MAX(seq) + 1, 0) FROM stock_positions WHERE network = ?), ?, ?, ?)
			ON CONFLICT (network, site, sku) DO UPDATE SET
				on_hand = excluded.on_hand, in_transit = excluded.in_transit, reserved = excluded.reserved`),
			network, p.Site, p.SKU, network, p.OnHand, p.InTransit, p.Reserved)
		return positionErr(what, err)
	})
}

// positionErr wraps an error of a position write; a foreign key violation
// means an unknown site or product.
func positionErr(what string, err error) error {
	switch {
	case err == nil:
		return nil
	case isForeignKeyViolation(err):
		return fmt.Errorf("%s: %w: no such site or product in the network", what, sillage.ErrNotFound)
	default:
		return fmt.Errorf("%s: %w", what, err)
	}
}

// AdjustPosition adds d to a stock position atomically and returns the
// position after the change. A missing position is created from zero. The
// site and the product must exist in the network; otherwise the error wraps
// sillage.ErrNotFound. Results may be negative: the store records what it
// is told, and callers that must not oversell check the result.
func (s *Store) AdjustPosition(ctx context.Context, network, site, sku string, d sillage.PositionDelta) (sillage.Position, error) {
	what := fmt.Sprintf("adjust stock of %q at %q in network %q", sku, site, network)
	var r positionRow
	err := s.withTx(ctx, what, func(tx *sqlx.Tx) error {
		return positionErr(what, tx.GetContext(ctx, &r, tx.Rebind(`INSERT INTO stock_positions AS p (network, site, sku, seq, on_hand, in_transit, reserved)
			VALUES (?, ?, ?, (SELECT COALESCE(MAX(seq) + 1, 0) FROM stock_positions WHERE network = ?), ?, ?, ?)
			ON CONFLICT (network, site, sku) DO UPDATE SET
				on_hand = p.on_hand + excluded.on_hand,
				in_transit = p.in_transit + excluded.in_transit,
				reserved = p.reserved + excluded.reserved
			RETURNING site, sku, on_hand, in_transit, reserved`),
			network, site, sku, network, d.OnHand, d.InTransit, d.Reserved))
	})
	if err != nil {
		return sillage.Position{}, err
	}
	return sillage.Position(r), nil
}
