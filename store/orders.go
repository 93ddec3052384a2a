package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"

	"github.com/jmoiron/sqlx"

	"github.com/sillage/sillage"
)

type orderRow struct {
	ID        string  `db:"id"`
	PlanID    string  `db:"plan_id"`
	Kind      string  `db:"kind"`
	Source    string  `db:"source"`
	Site      string  `db:"site"`
	Status    string  `db:"status"`
	ValueEUR  float64 `db:"value_eur"`
	KgCO2e    float64 `db:"kgco2e"`
	Reason    string  `db:"reason"`
	UpdatedAt string  `db:"updated_at"`
}

type orderLineRow struct {
	OrderID  string  `db:"order_id"`
	SKU      string  `db:"sku"`
	Quantity float64 `db:"quantity"`
	ValueEUR float64 `db:"value_eur"`
}

const orderColumns = `id, plan_id, kind, source, site, status, value_eur, kgco2e, reason, updated_at`

// SaveOrder inserts order o unless an order with its id exists: order ids
// are deterministic, so a retried insert must not create a second order.
// It reports whether it inserted. When the stored order has the same
// content (plan, kind, source, site, value, emissions and lines; status,
// reason and time may have moved on since) SaveOrder does nothing and
// returns false; when the content differs it returns an error wrapping
// sillage.ErrConflict. An empty Status is stored as "created"; a zero
// UpdatedAt as the current time.
func (s *Store) SaveOrder(ctx context.Context, o sillage.Order) (inserted bool, err error) {
	if o.ID == "" {
		return false, fmt.Errorf("save order: %w: empty order id", sillage.ErrInvalid)
	}
	what := fmt.Sprintf("save order %q", o.ID)
	if o.Status == "" {
		o.Status = sillage.OrderCreated
	}
	if o.UpdatedAt.IsZero() {
		o.UpdatedAt = s.now()
	}
	at := formatTime(o.UpdatedAt)
	err = s.withTx(ctx, what, func(tx *sqlx.Tx) error {
		n, err := rowsAffected(tx.ExecContext(ctx, tx.Rebind(`INSERT INTO orders (`+orderColumns+`, created_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (id) DO NOTHING`),
			o.ID, o.PlanID, string(o.Kind), o.Source, o.Site, string(o.Status), o.ValueEUR, o.KgCO2e, o.Reason, at, at))
		if err != nil {
			return fmt.Errorf("%s: %w", what, err)
		}
		if n == 0 {
			old, err := getOrder(ctx, tx, o.ID)
			if err != nil {
				return fmt.Errorf("%s: %w", what, err)
			}
			if diff := orderContentDiff(old, o); diff != "" {
				return fmt.Errorf("%s: %w: an order with this id exists with another %s", what, sillage.ErrConflict, diff)
			}
			return nil
		}
		insert := tx.Rebind(`INSERT INTO order_lines (order_id, line_no, sku, quantity, value_eur) VALUES (?, ?, ?, ?, ?)`)
		for i, l := range o.Lines {
			if _, err := tx.ExecContext(ctx, insert, o.ID, int64(i), l.SKU, l.Quantity, l.ValueEUR); err != nil {
				return fmt.Errorf("%s: line %d: %w", what, i, err)
			}
		}
		inserted = true
		return nil
	})
	return inserted, err
}

// orderContentDiff names the first field of the content of an order that
// differs between a and b, or returns "" when they agree.
func orderContentDiff(a, b sillage.Order) string {
	switch {
	case a.PlanID != b.PlanID:
		return "plan"
	case a.Kind != b.Kind:
		return "kind"
	case a.Source != b.Source:
		return "source"
	case a.Site != b.Site:
		return "site"
	case a.ValueEUR != b.ValueEUR:
		return "value"
	case a.KgCO2e != b.KgCO2e:
		return "kgco2e"
	case len(a.Lines) != len(b.Lines):
		return "number of lines"
	}
	for i := range a.Lines {
		if a.Lines[i] != b.Lines[i] {
			return fmt.Sprintf("line %d", i)
		}
	}
	return ""
}

// UpdateOrderStatus sets the status of an order, with the reason (for a
// rejection or a cancellation; may be empty), and stamps updated_at with
// the current time. It does not check the transition: the workflows own the
// order life cycle. The error wraps sillage.ErrNotFound when there is no
// such order.
func (s *Store) UpdateOrderStatus(ctx context.Context, id string, status sillage.OrderStatus, reason string) error {
	what := fmt.Sprintf("set status of order %q to %s", id, status)
	return s.withTx(ctx, what, func(tx *sqlx.Tx) error {
		n, err := rowsAffected(tx.ExecContext(ctx, tx.Rebind(`UPDATE orders SET status = ?, reason = ?, updated_at = ? WHERE id = ?`),
			string(status), reason, formatTime(s.now()), id))
		if err != nil {
			return fmt.Errorf("%s: %w", what, err)
		}
		if n == 0 {
			return fmt.Errorf("%s: %w", what, sillage.ErrNotFound)
		}
		return nil
	})
}

// GetOrder returns the order stored under id with its lines. The error
// wraps sillage.ErrNotFound when there is no such order.
func (s *Store) GetOrder(ctx context.Context, id string) (sillage.Order, error) {
	var o sillage.Order
	err := s.readTx(ctx, "get order", func(tx *sqlx.Tx) error {
		var err error
		o, err = getOrder(ctx, tx, id)
		return err
	})
	if err != nil {
		return sillage.Order{}, fmt.Errorf("get order %q: %w", id, err)
	}
	return o, nil
}

func getOrder(ctx context.Context, tx *sqlx.Tx, id string) (sillage.Order, error) {
	var r orderRow
	err := tx.GetContext(ctx, &r, tx.Rebind(`SELECT `+orderColumns+` FROM orders WHERE id = ?`), id)
	if errors.Is(err, sql.ErrNoRows) {
		return sillage.Order{}, sillage.ErrNotFound
	}
	if err != nil {
		return sillage.Order{}, err
	}
	var lines []orderLineRow
	if err := tx.SelectContext(ctx, &lines, tx.Rebind(`SELECT order_id, sku, quantity, value_eur FROM order_lines
		WHERE order_id = ? ORDER BY line_no`), id); err != nil {
		return sillage.Order{}, fmt.Errorf("lines: %w", err)
	}
	return orderFromRows(r, lines)
}

func orderFromRows(r orderRow, lines []orderLineRow) (sillage.Order, error) {
	at, err := parseTime(r.UpdatedAt)
	if err != nil {
		return sillage.Order{}, err
	}
	o := sillage.Order{ID: r.ID, PlanID: r.PlanID, Kind: sillage.OrderKind(r.Kind), Source: r.Source, Site: r.Site,
		Status: sillage.OrderStatus(r.Status), ValueEUR: r.ValueEUR, KgCO2e: r.KgCO2e, Reason: r.Reason, UpdatedAt: at}
	for _, l := range lines {
		o.Lines = append(o.Lines, sillage.OrderLine{SKU: l.SKU, Quantity: l.Quantity, ValueEUR: l.ValueEUR})
	}
	return o, nil
}

// ordersWhere reads the orders that match where (" WHERE " and a
// condition on table orders with its args, or "" for all), with their
// lines, in id order.
func ordersWhere(ctx context.Context, tx *sqlx.Tx, where string, args []any) ([]sillage.Order, error) {
	var rows []orderRow
	if err := tx.SelectContext(ctx, &rows, tx.Rebind(`SELECT `+orderColumns+` FROM orders`+where+` ORDER BY id`), args...); err != nil {
		return nil, err
	}
	if len(rows) == 0 {
		return nil, nil
	}
	var lines []orderLineRow
	if err := tx.SelectContext(ctx, &lines, tx.Rebind(`SELECT order_id, sku, quantity, value_eur FROM order_lines
		WHERE order_id IN (SELECT id FROM orders`+where+`) ORDER BY order_id, line_no`), args...); err != nil {
		return nil, fmt.Errorf("lines: %w", err)
	}
	byOrder := map[string][]orderLineRow{}
	for _, l := range lines {
		byOrder[l.OrderID] = append(byOrder[l.OrderID], l)
	}
	out := make([]sillage.Order, 0, len(rows))
	for _, r := range rows {
		o, err := orderFromRows(r, byOrder[r.ID])
		if err != nil {
			return nil, fmt.Errorf("order %q: %w", r.ID, err)
		}
		out = append(out, o)
	}
	return out, nil
}

// OrderFilter selects orders; empty fields match every order.
type OrderFilter struct {
	PlanID string
	Status sillage.OrderStatus
}

// ListOrders returns the orders that match f, with their lines, in id
// order.
func (s *Store) ListOrders(ctx context.Context, f OrderFilter) ([]sillage.Order, error) {
	var (
		conds []string
		args  []any
	)
	if f.PlanID != "" {
		conds = append(conds, "plan_id = ?")
		args = append(args, f.PlanID)
	}
	if f.Status != "" {
		conds = append(conds, "status = ?")
		args = append(args, string(f.Status))
	}
	where := ""
	if len(conds) > 0 {
		where = " WHERE " + strings.Join(conds, " AND ")
	}
	var out []sillage.Order
	err := s.readTx(ctx, "list orders", func(tx *sqlx.Tx) error {
		var err error
		out, err = ordersWhere(ctx, tx, where, args)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("list orders (plan %q, status %q): %w", f.PlanID, f.Status, err)
	}
	return out, nil
}
