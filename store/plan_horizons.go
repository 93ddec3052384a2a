package store

import (
	"context"
	"fmt"
	"strings"

	"github.com/jmoiron/sqlx"

	"github.com/sillage/sillage"
)

var _ sillage.PlanHorizonStore = (*Store)(nil)

// planHorizonTables are the tables of a plan's horizon, children first.
var planHorizonTables = []string{"plan_horizon_lines", "plan_projected", "plan_serve_costs", "plan_horizon_bindings", "plan_horizons"}

// SavePlanHorizon stores h as the horizon of the stored plan planID,
// replacing any horizon saved before, in one transaction. The error wraps
// sillage.ErrNotFound when there is no such plan and sillage.ErrInvalid
// for a nil horizon. O(lines + projected + serve costs + bindings) rows.
func (s *Store) SavePlanHorizon(ctx context.Context, planID string, h *sillage.PlanHorizon) error {
	what := fmt.Sprintf("save horizon of plan %q", planID)
	if h == nil {
		return fmt.Errorf("%s: %w: no horizon", what, sillage.ErrInvalid)
	}
	return s.withTx(ctx, what, func(tx *sqlx.Tx) error {
		var n int
		if err := tx.GetContext(ctx, &n, tx.Rebind(`SELECT COUNT(*) FROM plans WHERE id = ?`), planID); err != nil {
			return fmt.Errorf("%s: %w", what, err)
		}
		if n == 0 {
			return fmt.Errorf("%s: %w: no such plan", what, sillage.ErrNotFound)
		}
		for _, table := range planHorizonTables {
			if _, err := tx.ExecContext(ctx, tx.Rebind(`DELETE FROM `+table+` WHERE plan_id = ?`), planID); err != nil {
				return fmt.Errorf("%s: replace %s: %w", what, table, err)
			}
		}
		m := h.MIP
		if _, err := tx.ExecContext(ctx, tx.Rebind(`INSERT INTO plan_horizons (plan_id, weeks, service_level, mip_status, mip_method,
				mip_gap, mip_seconds, mip_objective_eur, mip_bound_eur, mip_integers) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`),
			planID, int64(h.Weeks), h.ServiceLevel, m.Status, m.Method, m.Gap, m.Seconds, m.ObjectiveEUR, m.BoundEUR, int64(m.Integers)); err != nil {
			return fmt.Errorf("%s: %w", what, err)
		}
		if err := insertRows(ctx, tx, what+": lines", `INSERT INTO plan_horizon_lines (plan_id, line_no, kind, source, site, sku, path,
				release_week, depart_week, arrive_week, quantity, transit_days, cost_eur, kgco2e, is_integer)`, len(h.Lines), func(i int) []any {
			l := h.Lines[i]
			return []any{planID, int64(i), l.Kind, l.Source, l.Site, l.SKU, l.Path, int64(l.ReleaseWeek), int64(l.DepartWeek),
				int64(l.ArriveWeek), l.Quantity, l.TransitDays, l.CostEUR, l.KgCO2e, boolInt(l.Integer)}
		}); err != nil {
			return err
		}
		if err := insertRows(ctx, tx, what+": projected stock", `INSERT INTO plan_projected (plan_id, seq, site, sku, week, on_hand,
				arrivals, in_transit, outbound, demand, lost, safety)`, len(h.Projected), func(i int) []any {
			p := h.Projected[i]
			return []any{planID, int64(i), p.Site, p.SKU, int64(p.Week), p.OnHand, p.Arrivals, p.InTransit, p.Outbound, p.Demand, p.Lost, p.Safety}
		}); err != nil {
			return err
		}
		if err := insertRows(ctx, tx, what+": serve costs", `INSERT INTO plan_serve_costs (plan_id, seq, site, sku, week, eur_per_unit)`, len(h.ServeCost), func(i int) []any {
			c := h.ServeCost[i]
			return []any{planID, int64(i), c.Site, c.SKU, int64(c.Week), c.EURPerUnit}
		}); err != nil {
			return err
		}
		return insertRows(ctx, tx, what+": binding capacities", `INSERT INTO plan_horizon_bindings (plan_id, seq, kind, id, sku, week,
				value, unit)`, len(h.Binding), func(i int) []any {
			b := h.Binding[i]
			return []any{planID, int64(i), b.Kind, b.ID, b.SKU, int64(b.Week), b.Value, b.Unit}
		})
	})
}

// insertBatch is the number of rows insertRows sends in one statement:
// at most 15 columns × 400 rows = 6,000 parameters, well within SQLite's
// and PostgreSQL's limits.
const insertBatch = 400

// insertRows inserts n rows with head ("INSERT INTO t (a, b, ...)") and
// the values args(i) of row i (one per column), insertBatch rows per
// statement, so that a horizon of 50,000 rows holds the write lock for
// 125 statements rather than 50,000.
func insertRows(ctx context.Context, tx *sqlx.Tx, what, head string, n int, args func(i int) []any) error {
	for lo := 0; lo < n; lo += insertBatch {
		hi := min(n, lo+insertBatch)
		var q strings.Builder
		q.WriteString(head)
		q.WriteString(" VALUES ")
		vals := make([]any, 0, (hi-lo)*16)
		for i := lo; i < hi; i++ {
			a := args(i)
			if i > lo {
				q.WriteString(", ")
			}
			q.WriteString("(" + strings.TrimSuffix(strings.Repeat("?, ", len(a)), ", ") + ")")
			vals = append(vals, a...)
		}
		if _, err := tx.ExecContext(ctx, tx.Rebind(q.String()), vals...); err != nil {
			return fmt.Errorf("%s: rows %d-%d: %w", what, lo, hi-1, err)
		}
	}
	return nil
}

type horizonRow struct {
	Weeks        int64   `db:"weeks"`
	ServiceLevel float64 `db:"service_level"`
	Status       string  `db:"mip_status"`
	Method       string  `db:"mip_method"`
	Gap          float64 `db:"mip_gap"`
	Seconds      float64 `db:"mip_seconds"`
	Objective    float64 `db:"mip_objective_eur"`
	Bound        float64 `db:"mip_bound_eur"`
	Integers     int64   `db:"mip_integers"`
}

type horizonLineRow struct {
	Kind        string  `db:"kind"`
	Source      string  `db:"source"`
	Site        string  `db:"site"`
	SKU         string  `db:"sku"`
	Path        string  `db:"path"`
	ReleaseWeek int64   `db:"release_week"`
	DepartWeek  int64   `db:"depart_week"`
	ArriveWeek  int64   `db:"arrive_week"`
	Quantity    float64 `db:"quantity"`
	TransitDays float64 `db:"transit_days"`
	CostEUR     float64 `db:"cost_eur"`
	KgCO2e      float64 `db:"kgco2e"`
	Integer     int64   `db:"is_integer"`
}

type projectedRow struct {
	Site      string  `db:"site"`
	SKU       string  `db:"sku"`
	Week      int64   `db:"week"`
	OnHand    float64 `db:"on_hand"`
	Arrivals  float64 `db:"arrivals"`
	InTransit float64 `db:"in_transit"`
	Outbound  float64 `db:"outbound"`
	Demand    float64 `db:"demand"`
	Lost      float64 `db:"lost"`
	Safety    float64 `db:"safety"`
}

type serveCostRow struct {
	Site  string  `db:"site"`
	SKU   string  `db:"sku"`
	Week  int64   `db:"week"`
	Value float64 `db:"eur_per_unit"`
}

type horizonBindingRow struct {
	Kind  string  `db:"kind"`
	ID    string  `db:"id"`
	SKU   string  `db:"sku"`
	Week  int64   `db:"week"`
	Value float64 `db:"value"`
	Unit  string  `db:"unit"`
}

// LoadPlanHorizon returns the horizon of plan planID, every list in its
// saved order. The error wraps sillage.ErrNotFound when the
// plan has no horizon (a one-period plan, or no plan).
func (s *Store) LoadPlanHorizon(ctx context.Context, planID string) (*sillage.PlanHorizon, error) {
	what := fmt.Sprintf("load horizon of plan %q", planID)
	var h *sillage.PlanHorizon
	err := s.readTx(ctx, what, func(tx *sqlx.Tx) error {
		var r horizonRow
		if err := getOne(ctx, tx, what, &r, `SELECT weeks, service_level, mip_status, mip_method, mip_gap, mip_seconds,
			mip_objective_eur, mip_bound_eur, mip_integers FROM plan_horizons WHERE plan_id = ?`, planID); err != nil {
			return err
		}
		h = &sillage.PlanHorizon{Weeks: int(r.Weeks), ServiceLevel: r.ServiceLevel, MIP: sillage.PlanMIP{
			Status: r.Status, Method: r.Method, Gap: r.Gap, Seconds: r.Seconds, ObjectiveEUR: r.Objective, BoundEUR: r.Bound, Integers: int(r.Integers)}}
		var lines []horizonLineRow
		if err := tx.SelectContext(ctx, &lines, tx.Rebind(`SELECT kind, source, site, sku, path, release_week, depart_week, arrive_week,
			quantity, transit_days, cost_eur, kgco2e, is_integer FROM plan_horizon_lines WHERE plan_id = ? ORDER BY line_no`), planID); err != nil {
			return fmt.Errorf("%s: lines: %w", what, err)
		}
		h.Lines = make([]sillage.HorizonLine, 0, len(lines))
		for _, l := range lines {
			h.Lines = append(h.Lines, sillage.HorizonLine{Kind: l.Kind, Source: l.Source, Site: l.Site, SKU: l.SKU, Path: l.Path,
				ReleaseWeek: int(l.ReleaseWeek), DepartWeek: int(l.DepartWeek), ArriveWeek: int(l.ArriveWeek), Quantity: l.Quantity,
				TransitDays: l.TransitDays, CostEUR: l.CostEUR, KgCO2e: l.KgCO2e, Integer: l.Integer != 0})
		}
		var proj []projectedRow
		if err := tx.SelectContext(ctx, &proj, tx.Rebind(`SELECT site, sku, week, on_hand, arrivals, in_transit, outbound, demand, lost,
			safety FROM plan_projected WHERE plan_id = ? ORDER BY seq`), planID); err != nil {
			return fmt.Errorf("%s: projected stock: %w", what, err)
		}
		h.Projected = make([]sillage.ProjectedStock, 0, len(proj))
		for _, p := range proj {
			h.Projected = append(h.Projected, sillage.ProjectedStock{Site: p.Site, SKU: p.SKU, Week: int(p.Week), OnHand: p.OnHand,
				Arrivals: p.Arrivals, InTransit: p.InTransit, Outbound: p.Outbound, Demand: p.Demand, Lost: p.Lost, Safety: p.Safety})
		}
		var costs []serveCostRow
		if err := tx.SelectContext(ctx, &costs, tx.Rebind(`SELECT site, sku, week, eur_per_unit FROM plan_serve_costs
			WHERE plan_id = ? ORDER BY seq`), planID); err != nil {
			return fmt.Errorf("%s: serve costs: %w", what, err)
		}
		h.ServeCost = make([]sillage.ServeCost, 0, len(costs))
		for _, c := range costs {
			h.ServeCost = append(h.ServeCost, sillage.ServeCost{Site: c.Site, SKU: c.SKU, Week: int(c.Week), EURPerUnit: c.Value})
		}
		var bind []horizonBindingRow
		if err := tx.SelectContext(ctx, &bind, tx.Rebind(`SELECT kind, id, sku, week, value, unit FROM plan_horizon_bindings
			WHERE plan_id = ? ORDER BY seq`), planID); err != nil {
			return fmt.Errorf("%s: binding capacities: %w", what, err)
		}
		h.Binding = make([]sillage.HorizonBinding, 0, len(bind))
		for _, b := range bind {
			h.Binding = append(h.Binding, sillage.HorizonBinding{Kind: b.Kind, ID: b.ID, SKU: b.SKU, Week: int(b.Week), Value: b.Value, Unit: b.Unit})
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return h, nil
}
