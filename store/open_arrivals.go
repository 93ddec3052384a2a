package store

import (
	"cmp"
	"context"
	"encoding/json"
	"fmt"
	"math"
	"slices"
	"sort"
	"time"

	"github.com/jmoiron/sqlx"

	"github.com/sillage/sillage"
)

var _ sillage.OpenArrivalStore = (*Store)(nil)

// openOrders selects the ids of the open orders of a network (two
// parameters: the network, twice). An order belongs to the network of
// its stored plan; an order whose plan is not stored belongs to every
// network that has its site.
const openOrders = `SELECT o.id FROM orders o LEFT JOIN plans p ON p.id = o.plan_id
	WHERE o.status NOT IN ('closed', 'received', 'cancelled', 'rejected', 'expired')
	AND (p.network = ? OR (p.id IS NULL AND EXISTS (SELECT 1 FROM sites s WHERE s.network = ? AND s.id = o.site)))`

type openOrderRow struct {
	ID     string `db:"id"`
	PlanID string `db:"plan_id"`
	Source string `db:"source"`
	Site   string `db:"site"`
	PlanAt string `db:"plan_at"`
}

type openEffectRow struct {
	OrderID string `db:"order_id"`
	Changes string `db:"changes_json"`
}

type releaseLineRow struct {
	PlanID     string  `db:"plan_id"`
	Source     string  `db:"source"`
	Site       string  `db:"site"`
	SKU        string  `db:"sku"`
	ArriveWeek int64   `db:"arrive_week"`
	Quantity   float64 `db:"quantity"`
}

// OpenArrivals returns what the open orders of network still expect, per
// order, product and due time (sillage.OpenArrival), ordered by order id,
// product and due time.
//
// Units: an order line expects its ordered units minus what the order's
// stock effects other than its hold gave back from its site's in transit
// (receipts, the final receipt, releases of a rejection, cancellation or
// partial confirmation), at least 0 and at most the ordered units.
//
// Due time: the orders of a plan are its horizon lines released in week 0
// (sillage.PlanHorizon), grouped by source and site. The line's units are
// split over the arrival weeks of the plan's week-0 horizon lines of the
// same source, site and product, in proportion to their quantities, and
// what was received is taken from the earliest weeks first. A week's
// units are due at the plan's creation time + 7 days × its arrival week:
// the stored arrival week is what the model counted them in (departure +
// transit rounded up to whole weeks, after a supplier's lead time), where
// plan time + transit days would drop the lead time and the rounding.
// Without such horizon lines the units are due now (zero DueAt).
//
// O(open orders + their lines, effects and week-0 horizon lines), in one
// read transaction.
func (s *Store) OpenArrivals(ctx context.Context, network string) ([]sillage.OpenArrival, error) {
	what := fmt.Sprintf("open arrivals of network %q", network)
	var (
		orders  []openOrderRow
		lines   []orderLineRow
		effects []openEffectRow
		release []releaseLineRow
	)
	err := s.readTx(ctx, what, func(tx *sqlx.Tx) error {
		if err := tx.SelectContext(ctx, &orders, tx.Rebind(`SELECT o.id, o.plan_id, o.source, o.site, COALESCE(p.created_at, '') AS plan_at
			FROM orders o LEFT JOIN plans p ON p.id = o.plan_id WHERE o.id IN (`+openOrders+`) ORDER BY o.id`), network, network); err != nil {
			return fmt.Errorf("%s: orders: %w", what, err)
		}
		if err := tx.SelectContext(ctx, &lines, tx.Rebind(`SELECT order_id, sku, quantity, value_eur FROM order_lines
			WHERE order_id IN (`+openOrders+`) ORDER BY order_id, line_no`), network, network); err != nil {
			return fmt.Errorf("%s: order lines: %w", what, err)
		}
		if err := tx.SelectContext(ctx, &effects, tx.Rebind(`SELECT order_id, changes_json FROM order_effects
			WHERE effect <> 'hold' AND order_id IN (`+openOrders+`) ORDER BY order_id, applied_at, effect`), network, network); err != nil {
			return fmt.Errorf("%s: order effects: %w", what, err)
		}
		if err := tx.SelectContext(ctx, &release, tx.Rebind(`SELECT plan_id, source, site, sku, arrive_week, quantity
			FROM plan_horizon_lines WHERE release_week = 0 AND quantity > 0
			AND plan_id IN (SELECT plan_id FROM orders WHERE id IN (`+openOrders+`)) ORDER BY plan_id, line_no`), network, network); err != nil {
			return fmt.Errorf("%s: horizon lines: %w", what, err)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}

	byID := make(map[string]openOrderRow, len(orders))
	for _, o := range orders {
		byID[o.ID] = o
	}
	// givenBack[order][sku]: units the order's effects took off its
	// site's in transit (a positive number).
	givenBack := map[string]map[string]float64{}
	for _, e := range effects {
		var changes []sillage.PositionChange
		if err := json.Unmarshal([]byte(e.Changes), &changes); err != nil {
			return nil, fmt.Errorf("%s: effects of order %q: %w", what, e.OrderID, err)
		}
		site := byID[e.OrderID].Site
		for _, c := range changes {
			if c.Site != site || c.Delta.InTransit == 0 {
				continue
			}
			if givenBack[e.OrderID] == nil {
				givenBack[e.OrderID] = map[string]float64{}
			}
			givenBack[e.OrderID][c.SKU] -= c.Delta.InTransit
		}
	}
	type lineKey struct{ plan, source, site, sku string }
	weeks := map[lineKey]map[int64]float64{}
	for _, l := range release {
		k := lineKey{l.PlanID, l.Source, l.Site, l.SKU}
		if weeks[k] == nil {
			weeks[k] = map[int64]float64{}
		}
		weeks[k][l.ArriveWeek] += l.Quantity
	}

	var out []sillage.OpenArrival
	for _, l := range lines {
		o := byID[l.OrderID]
		expect := math.Min(l.Quantity, math.Max(0, l.Quantity-givenBack[o.ID][l.SKU]))
		if expect <= 0 {
			continue
		}
		base := sillage.OpenArrival{OrderID: o.ID, PlanID: o.PlanID, Source: o.Source, Site: o.Site, SKU: l.SKU}
		planAt, err := parseTime(o.PlanAt)
		if err != nil {
			return nil, fmt.Errorf("%s: plan of order %q: %w", what, o.ID, err)
		}
		ws := weeks[lineKey{o.PlanID, o.Source, o.Site, l.SKU}]
		if planAt.IsZero() || len(ws) == 0 {
			a := base
			a.Units = expect
			out = append(out, a)
			continue
		}
		for _, d := range splitByWeek(ws, l.Quantity, expect) {
			a := base
			a.Units = d.units
			a.DueAt = planAt.Add(time.Duration(d.week) * 7 * 24 * time.Hour)
			out = append(out, a)
		}
	}
	slices.SortStableFunc(out, func(a, b sillage.OpenArrival) int {
		return cmp.Or(cmp.Compare(a.OrderID, b.OrderID), cmp.Compare(a.SKU, b.SKU), a.DueAt.Compare(b.DueAt))
	})
	return out, nil
}

// weekUnits are units due in one arrival week.
type weekUnits struct {
	week  int64
	units float64
}

// splitByWeek splits the expected units of an order line of ordered
// units over the arrival weeks ws (week → planned units): the planned
// units are scaled to the ordered ones (the order's units are the plan's,
// rounded) and the received ordered − expected units are taken from the
// earliest weeks. Weeks left with nothing are dropped. O(W log W).
func splitByWeek(ws map[int64]float64, ordered, expect float64) []weekUnits {
	planned := 0.0
	var out []weekUnits
	for w, q := range ws {
		planned += q
		out = append(out, weekUnits{w, q})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].week < out[j].week })
	received := ordered - expect
	kept := out[:0]
	for _, d := range out {
		d.units *= ordered / planned
		take := math.Min(received, d.units)
		d.units -= take
		received -= take
		if d.units > 1e-9 {
			kept = append(kept, d)
		}
	}
	return kept
}
