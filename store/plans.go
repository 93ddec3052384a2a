package store

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/jmoiron/sqlx"

	"github.com/sillage/sillage"
)

// SavePlan stores plan p with its lines, replacing any plan stored under
// the same id, in one transaction: saving a plan twice leaves one copy,
// the last. p.ID and p.Network must not be empty (the error wraps
// sillage.ErrInvalid).
func (s *Store) SavePlan(ctx context.Context, p *sillage.Plan) error {
	if p == nil || p.ID == "" || p.Network == "" {
		return fmt.Errorf("save plan: %w: a plan needs an id and a network", sillage.ErrInvalid)
	}
	what := fmt.Sprintf("save plan %q", p.ID)
	shortfalls, err := json.Marshal(emptyIfNil(p.Shortfalls))
	if err != nil {
		return fmt.Errorf("%s: encode shortfalls: %w", what, err)
	}
	binding, err := json.Marshal(emptyIfNil(p.Binding))
	if err != nil {
		return fmt.Errorf("%s: encode binding constraints: %w", what, err)
	}
	return s.withTx(ctx, what, func(tx *sqlx.Tx) error {
		_, err := tx.ExecContext(ctx, tx.Rebind(`INSERT INTO plans (id, network, created_at, status, carbon_price_eur_per_t,
				cost_eur, kgco2e, shortfall_units, shortfalls_json, binding_json)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
			ON CONFLICT (id) DO UPDATE SET network = excluded.network, created_at = excluded.created_at,
				status = excluded.status, carbon_price_eur_per_t = excluded.carbon_price_eur_per_t,
				cost_eur = excluded.cost_eur, kgco2e = excluded.kgco2e, shortfall_units = excluded.shortfall_units,
				shortfalls_json = excluded.shortfalls_json, binding_json = excluded.binding_json`),
			p.ID, p.Network, formatTime(p.CreatedAt), string(p.Status), p.CarbonPriceEURPerT, p.CostEUR, p.KgCO2e,
			p.ShortfallUnits, string(shortfalls), string(binding))
		if err != nil {
			return fmt.Errorf("%s: %w", what, err)
		}
		if _, err := tx.ExecContext(ctx, tx.Rebind(`DELETE FROM plan_lines WHERE plan_id = ?`), p.ID); err != nil {
			return fmt.Errorf("%s: replace lines: %w", what, err)
		}
		insert := tx.Rebind(`INSERT INTO plan_lines (plan_id, line_no, source, site, sku, quantity, cost_eur, kgco2e, legs_json)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`)
		for i, l := range p.Lines {
			legs, err := json.Marshal(emptyIfNil(l.Legs))
			if err != nil {
				return fmt.Errorf("%s: line %d: encode legs: %w", what, i, err)
			}
			if _, err := tx.ExecContext(ctx, insert, p.ID, int64(i), l.Source, l.Site, l.SKU, l.Quantity, l.CostEUR,
				l.KgCO2e, string(legs)); err != nil {
				return fmt.Errorf("%s: line %d: %w", what, i, err)
			}
		}
		return nil
	})
}

// emptyIfNil makes a nil slice encode as [] rather than null.
func emptyIfNil[T any](v []T) []T {
	if v == nil {
		return []T{}
	}
	return v
}

type planRow struct {
	ID          string  `db:"id"`
	Network     string  `db:"network"`
	CreatedAt   string  `db:"created_at"`
	Status      string  `db:"status"`
	CarbonPrice float64 `db:"carbon_price_eur_per_t"`
	CostEUR     float64 `db:"cost_eur"`
	KgCO2e      float64 `db:"kgco2e"`
	Shortfall   float64 `db:"shortfall_units"`
	Shortfalls  string  `db:"shortfalls_json"`
	Binding     string  `db:"binding_json"`
}

type planLineRow struct {
	Source   string  `db:"source"`
	Site     string  `db:"site"`
	SKU      string  `db:"sku"`
	Quantity float64 `db:"quantity"`
	CostEUR  float64 `db:"cost_eur"`
	KgCO2e   float64 `db:"kgco2e"`
	Legs     string  `db:"legs_json"`
}

// LoadPlan returns the plan stored under id with its lines in their saved
// order; CreatedAt is in UTC. Empty lists of shortfalls and bindings are
// nil. The error wraps sillage.ErrNotFound when there is no such plan.
func (s *Store) LoadPlan(ctx context.Context, id string) (*sillage.Plan, error) {
	what := fmt.Sprintf("load plan %q", id)
	var p *sillage.Plan
	err := s.readTx(ctx, what, func(tx *sqlx.Tx) error {
		var r planRow
		if err := getOne(ctx, tx, what, &r, `SELECT id, network, created_at, status, carbon_price_eur_per_t, cost_eur,
			kgco2e, shortfall_units, shortfalls_json, binding_json FROM plans WHERE id = ?`, id); err != nil {
			return err
		}
		created, err := parseTime(r.CreatedAt)
		if err != nil {
			return fmt.Errorf("%s: %w", what, err)
		}
		p = &sillage.Plan{ID: r.ID, Network: r.Network, CreatedAt: created, Status: sillage.PlanStatus(r.Status),
			CarbonPriceEURPerT: r.CarbonPrice, CostEUR: r.CostEUR, KgCO2e: r.KgCO2e, ShortfallUnits: r.Shortfall}
		if err := json.Unmarshal([]byte(r.Shortfalls), &p.Shortfalls); err != nil {
			return fmt.Errorf("%s: shortfalls: %w", what, err)
		}
		if err := json.Unmarshal([]byte(r.Binding), &p.Binding); err != nil {
			return fmt.Errorf("%s: binding constraints: %w", what, err)
		}
		p.Shortfalls, p.Binding = nilIfEmpty(p.Shortfalls), nilIfEmpty(p.Binding)
		var lines []planLineRow
		if err := tx.SelectContext(ctx, &lines, tx.Rebind(`SELECT source, site, sku, quantity, cost_eur, kgco2e, legs_json
			FROM plan_lines WHERE plan_id = ? ORDER BY line_no`), id); err != nil {
			return fmt.Errorf("%s: lines: %w", what, err)
		}
		for i, l := range lines {
			pl := sillage.PlanLine{Source: l.Source, Site: l.Site, SKU: l.SKU, Quantity: l.Quantity, CostEUR: l.CostEUR, KgCO2e: l.KgCO2e}
			if err := json.Unmarshal([]byte(l.Legs), &pl.Legs); err != nil {
				return fmt.Errorf("%s: line %d: legs: %w", what, i, err)
			}
			p.Lines = append(p.Lines, pl)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return p, nil
}

func nilIfEmpty[T any](v []T) []T {
	if len(v) == 0 {
		return nil
	}
	return v
}

// PlansCreatedBetween returns the ids of the plans of network created in
// [from, to), oldest first (ties by id). Reports use it to find the plans
// of a month. Timestamps are stored as fixed-width UTC text, so the range
// is a text comparison on the (network, created_at) index.
func (s *Store) PlansCreatedBetween(ctx context.Context, network string, from, to time.Time) ([]string, error) {
	var ids []string
	if err := s.read.SelectContext(ctx, &ids, s.read.Rebind(`SELECT id FROM plans
		WHERE network = ? AND created_at >= ? AND created_at < ? ORDER BY created_at, id`),
		network, formatTime(from), formatTime(to)); err != nil {
		return nil, fmt.Errorf("list plans of %q created in [%s, %s): %w", network, formatTime(from), formatTime(to), err)
	}
	return ids, nil
}
