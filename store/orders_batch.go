package store

import (
	"cmp"
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strings"

	"github.com/jmoiron/sqlx"

	"github.com/sillage/sillage"
)

// This file writes many orders at once (sillage.OrderBatchStore): the
// orders of a plan and their stock holds in one transaction per batch,
// with multi-row statements, so that a plan of 10,000 orders takes a few
// dozen transactions instead of 20,000 and the per-order workflows find
// their order stored and held.

var _ sillage.OrderBatchStore = (*Store)(nil)

// Rows per multi-row statement: far below SQLite's 32,766 and
// PostgreSQL's 65,535 bind parameters for the widest table (11 columns).
const batchRows = 500

// WriteSlots is how many store-writing activities a worker process
// should run at once on this store: SQLite has a single writer (the
// store's write pool holds one connection), so 2 (one writing, one
// ready); PostgreSQL takes 8, half its pool, leaving the rest to reads.
// More would only queue on the pool, where a waiting activity's
// start-to-close timeout runs.
func (s *Store) WriteSlots() int {
	if s.engine == SQLite {
		return 2
	}
	return 8
}

// SaveOrderBatch stores orders and applies effects in one transaction
// (see sillage.OrderBatchStore). Orders already stored are compared with
// the given ones as SaveOrder does; effects already applied change
// nothing. The position changes of the effects applied are summed per
// position and written with one upsert per position. Errors wrap
// sillage.ErrInvalid for an empty or repeated order id or effect,
// sillage.ErrConflict for an id stored with other content, and
// sillage.ErrNotFound for a change of an unknown site or product.
// Complexity: O(orders + lines + changes) rows in O((orders + lines +
// changes) / 500) statements.
func (s *Store) SaveOrderBatch(ctx context.Context, orders []sillage.Order, effects []sillage.OrderEffect) (sillage.OrderBatchCounts, error) {
	var counts sillage.OrderBatchCounts
	what := fmt.Sprintf("save a batch of %d orders and %d effects", len(orders), len(effects))
	ids := make([]string, len(orders))
	seen := make(map[string]bool, len(orders))
	for i, o := range orders {
		if o.ID == "" || seen[o.ID] {
			return counts, fmt.Errorf("%s: %w: order %d has an empty or repeated id %q", what, sillage.ErrInvalid, i, o.ID)
		}
		seen[o.ID] = true
		ids[i] = o.ID
	}
	effSeen := make(map[[2]string]bool, len(effects))
	for i, e := range effects {
		k := [2]string{e.OrderID, e.Name}
		if e.OrderID == "" || e.Name == "" || effSeen[k] {
			return counts, fmt.Errorf("%s: %w: effect %d has an empty or repeated order id and name (%q, %q)", what, sillage.ErrInvalid, i, e.OrderID, e.Name)
		}
		effSeen[k] = true
	}
	now := s.now()
	at := formatTime(now)
	err := s.withTx(ctx, what, func(tx *sqlx.Tx) error {
		counts = sillage.OrderBatchCounts{}
		stored, err := ordersByID(ctx, tx, ids)
		if err != nil {
			return fmt.Errorf("%s: read stored orders: %w", what, err)
		}
		var fresh []sillage.Order
		for _, o := range orders {
			old, ok := stored[o.ID]
			if !ok {
				fresh = append(fresh, o)
				continue
			}
			if diff := orderContentDiff(old, o); diff != "" {
				return fmt.Errorf("%s: order %q: %w: an order with this id exists with another %s", what, o.ID, sillage.ErrConflict, diff)
			}
		}
		if err := insertOrders(ctx, tx, fresh, at); err != nil {
			return fmt.Errorf("%s: %w", what, err)
		}
		counts.Inserted = len(fresh)
		applied, err := insertEffects(ctx, tx, effects, at)
		if err != nil {
			return fmt.Errorf("%s: %w", what, err)
		}
		counts.Applied = len(applied)
		if err := addPositions(ctx, tx, applied); err != nil {
			return positionErr(what, err)
		}
		for _, e := range applied {
			if e.Status == "" {
				continue
			}
			res, err := tx.ExecContext(ctx, tx.Rebind(`UPDATE orders SET status = ?, reason = ?, updated_at = ? WHERE id = ?`),
				string(e.Status), e.Reason, at, e.OrderID)
			if err != nil {
				return fmt.Errorf("%s: set status of %q: %w", what, e.OrderID, err)
			}
			if n, err := res.RowsAffected(); err != nil {
				return fmt.Errorf("%s: set status of %q: %w", what, e.OrderID, err)
			} else if n == 0 {
				return fmt.Errorf("%s: effect %q of order %q: %w: no such order", what, e.Name, e.OrderID, sillage.ErrNotFound)
			}
		}
		return nil
	})
	return counts, err
}

// placeholders returns "(?, ?, ...), (?, ...)" for rows rows of cols
// columns.
func placeholders(rows, cols int) string {
	row := "(" + strings.TrimSuffix(strings.Repeat("?, ", cols), ", ") + ")"
	return strings.TrimSuffix(strings.Repeat(row+", ", rows), ", ")
}

// chunks calls fn with the bounds [lo, hi) of each run of at most size
// of n items.
func chunks(n, size int, fn func(lo, hi int) error) error {
	for lo := 0; lo < n; lo += size {
		if err := fn(lo, min(lo+size, n)); err != nil {
			return err
		}
	}
	return nil
}

// ordersByID reads the stored orders among ids, with their lines.
func ordersByID(ctx context.Context, tx *sqlx.Tx, ids []string) (map[string]sillage.Order, error) {
	out := map[string]sillage.Order{}
	err := chunks(len(ids), batchRows, func(lo, hi int) error {
		in := placeholders(1, hi-lo)
		args := make([]any, 0, hi-lo)
		for _, id := range ids[lo:hi] {
			args = append(args, id)
		}
		orders, err := ordersWhere(ctx, tx, " WHERE id IN "+in, args)
		for _, o := range orders {
			out[o.ID] = o
		}
		return err
	})
	return out, err
}

// insertOrders inserts orders (none of them stored) and their lines.
func insertOrders(ctx context.Context, tx *sqlx.Tx, orders []sillage.Order, at string) error {
	err := chunks(len(orders), batchRows, func(lo, hi int) error {
		args := make([]any, 0, 11*(hi-lo))
		for _, o := range orders[lo:hi] {
			status := o.Status
			if status == "" {
				status = sillage.OrderCreated
			}
			updated := at
			if !o.UpdatedAt.IsZero() {
				updated = formatTime(o.UpdatedAt)
			}
			args = append(args, o.ID, o.PlanID, string(o.Kind), o.Source, o.Site, string(status), o.ValueEUR, o.KgCO2e, o.Reason, updated, at)
		}
		_, err := tx.ExecContext(ctx, tx.Rebind(`INSERT INTO orders (`+orderColumns+`, created_at) VALUES `+placeholders(hi-lo, 11)), args...)
		return err
	})
	if err != nil {
		return fmt.Errorf("insert orders: %w", err)
	}
	type line struct {
		order string
		no    int
		l     sillage.OrderLine
	}
	var lines []line
	for _, o := range orders {
		for i, l := range o.Lines {
			lines = append(lines, line{o.ID, i, l})
		}
	}
	err = chunks(len(lines), batchRows, func(lo, hi int) error {
		args := make([]any, 0, 5*(hi-lo))
		for _, l := range lines[lo:hi] {
			args = append(args, l.order, int64(l.no), l.l.SKU, l.l.Quantity, l.l.ValueEUR)
		}
		_, err := tx.ExecContext(ctx, tx.Rebind(`INSERT INTO order_lines (order_id, line_no, sku, quantity, value_eur) VALUES `+placeholders(hi-lo, 5)), args...)
		return err
	})
	if err != nil {
		return fmt.Errorf("insert order lines: %w", err)
	}
	return nil
}

// insertEffects records the effects not recorded yet and returns them.
func insertEffects(ctx context.Context, tx *sqlx.Tx, effects []sillage.OrderEffect, at string) ([]sillage.OrderEffect, error) {
	// The recorded ones, by name, then by order id.
	names := map[string][]string{}
	var nameOrder []string
	for _, e := range effects {
		if _, ok := names[e.Name]; !ok {
			nameOrder = append(nameOrder, e.Name)
		}
		names[e.Name] = append(names[e.Name], e.OrderID)
	}
	recorded := map[[2]string]bool{}
	for _, name := range nameOrder {
		ids := names[name]
		err := chunks(len(ids), batchRows, func(lo, hi int) error {
			args := []any{name}
			for _, id := range ids[lo:hi] {
				args = append(args, id)
			}
			var got []string
			if err := tx.SelectContext(ctx, &got, tx.Rebind(`SELECT order_id FROM order_effects WHERE effect = ? AND order_id IN `+
				placeholders(1, hi-lo)), args...); err != nil {
				return err
			}
			for _, id := range got {
				recorded[[2]string{id, name}] = true
			}
			return nil
		})
		if err != nil {
			return nil, fmt.Errorf("read applied effects: %w", err)
		}
	}
	var fresh []sillage.OrderEffect
	for _, e := range effects {
		if !recorded[[2]string{e.OrderID, e.Name}] {
			fresh = append(fresh, e)
		}
	}
	err := chunks(len(fresh), batchRows, func(lo, hi int) error {
		args := make([]any, 0, 4*(hi-lo))
		for _, e := range fresh[lo:hi] {
			changes, err := json.Marshal(emptyIfNil(e.Changes))
			if err != nil {
				return fmt.Errorf("encode changes of effect %q of order %q: %w", e.Name, e.OrderID, err)
			}
			args = append(args, e.OrderID, e.Name, at, string(changes))
		}
		_, err := tx.ExecContext(ctx, tx.Rebind(`INSERT INTO order_effects (order_id, effect, applied_at, changes_json) VALUES `+
			placeholders(hi-lo, 4)), args...)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("record effects: %w", err)
	}
	return fresh, nil
}

// addPositions adds the changes of effects to their positions: summed per
// (network, site, sku), one upsert row each, in network, site and sku
// order. A position created here takes the network's next seq, as
// AdjustPosition's do.
func addPositions(ctx context.Context, tx *sqlx.Tx, effects []sillage.OrderEffect) error {
	type key struct{ network, site, sku string }
	sum := map[key]*sillage.PositionDelta{}
	var keys []key
	for _, e := range effects {
		for _, c := range e.Changes {
			k := key{e.Network, c.Site, c.SKU}
			d := sum[k]
			if d == nil {
				d = &sillage.PositionDelta{}
				sum[k] = d
				keys = append(keys, k)
			}
			d.OnHand += c.Delta.OnHand
			d.InTransit += c.Delta.InTransit
			d.Reserved += c.Delta.Reserved
		}
	}
	slices.SortFunc(keys, func(a, b key) int {
		return cmp.Or(cmp.Compare(a.network, b.network), cmp.Compare(a.site, b.site), cmp.Compare(a.sku, b.sku))
	})
	next := map[string]int64{}
	return chunks(len(keys), batchRows, func(lo, hi int) error {
		args := make([]any, 0, 7*(hi-lo))
		for _, k := range keys[lo:hi] {
			seq, ok := next[k.network]
			if !ok {
				if err := tx.GetContext(ctx, &seq, tx.Rebind(`SELECT COALESCE(MAX(seq) + 1, 0) FROM stock_positions WHERE network = ?`), k.network); err != nil {
					return fmt.Errorf("next position of network %q: %w", k.network, err)
				}
			}
			next[k.network] = seq + 1
			d := sum[k]
			args = append(args, k.network, k.site, k.sku, seq, d.OnHand, d.InTransit, d.Reserved)
		}
		_, err := tx.ExecContext(ctx, tx.Rebind(`INSERT INTO stock_positions AS p (network, site, sku, seq, on_hand, in_transit, reserved)
			VALUES `+placeholders(hi-lo, 7)+`
			ON CONFLICT (network, site, sku) DO UPDATE SET
				on_hand = p.on_hand + excluded.on_hand,
				in_transit = p.in_transit + excluded.in_transit,
				reserved = p.reserved + excluded.reserved`), args...)
		if err != nil {
			return fmt.Errorf("stock of %d positions: %w", hi-lo, err)
		}
		return nil
	})
}

// OrderEffectApplied reports whether the effect name of order orderID has
// been applied.
func (s *Store) OrderEffectApplied(ctx context.Context, orderID, name string) (bool, error) {
	var n int
	if err := s.read.GetContext(ctx, &n, s.read.Rebind(`SELECT COUNT(*) FROM order_effects WHERE order_id = ? AND effect = ?`), orderID, name); err != nil {
		return false, fmt.Errorf("effect %q of order %q: %w", name, orderID, err)
	}
	return n > 0, nil
}

// PlanOrders returns the orders of plan planID with their lines, in id
// order, skipping offset and returning at most limit (limit <= 0: all).
func (s *Store) PlanOrders(ctx context.Context, planID string, offset, limit int) ([]sillage.Order, error) {
	if limit <= 0 {
		limit = -1
	}
	var out []sillage.Order
	err := s.readTx(ctx, "plan orders", func(tx *sqlx.Tx) error {
		var ids []string
		q := `SELECT id FROM orders WHERE plan_id = ? ORDER BY id LIMIT ? OFFSET ?`
		if limit < 0 && s.engine == Postgres {
			q = `SELECT id FROM orders WHERE plan_id = ? ORDER BY id LIMIT ALL OFFSET ?`
		}
		args := []any{planID, limit, max(offset, 0)}
		if limit < 0 && s.engine == Postgres {
			args = []any{planID, max(offset, 0)}
		}
		if err := tx.SelectContext(ctx, &ids, tx.Rebind(q), args...); err != nil {
			return err
		}
		byID, err := ordersByID(ctx, tx, ids)
		if err != nil {
			return err
		}
		for _, id := range ids {
			out = append(out, byID[id])
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("orders of plan %q from %d: %w", planID, offset, err)
	}
	return out, nil
}
