package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/jmoiron/sqlx"

	"github.com/sillage/sillage"
)

// SaveFootprints replaces the footprints of a plan with fs, in one
// transaction. The plan must be stored (the error wraps
// sillage.ErrNotFound otherwise); two footprints for one site and sku are
// refused with an error wrapping sillage.ErrInvalid.
func (s *Store) SaveFootprints(ctx context.Context, planID string, fs []sillage.Footprint) error {
	what := fmt.Sprintf("save footprints of plan %q", planID)
	return s.withTx(ctx, what, func(tx *sqlx.Tx) error {
		// Lock the plan's row so that concurrent saves of its footprints
		// run one after the other (SQLite: the write lock does).
		q := `SELECT id FROM plans WHERE id = ?`
		if s.engine == Postgres {
			q += ` FOR UPDATE`
		}
		var id string
		err := tx.GetContext(ctx, &id, tx.Rebind(q), planID)
		if errors.Is(err, sql.ErrNoRows) {
			return fmt.Errorf("%s: %w: no such plan", what, sillage.ErrNotFound)
		}
		if err != nil {
			return fmt.Errorf("%s: %w", what, err)
		}
		if _, err := tx.ExecContext(ctx, tx.Rebind(`DELETE FROM footprints WHERE plan_id = ?`), planID); err != nil {
			return fmt.Errorf("%s: %w", what, err)
		}
		insert := tx.Rebind(`INSERT INTO footprints (plan_id, site, sku, seq, cradle_to_gate_kgco2e, transport_kgco2e,
			storage_kgco2e, total_kgco2e, legs_json) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`)
		for i, f := range fs {
			legs, err := json.Marshal(emptyIfNil(f.Legs))
			if err != nil {
				return fmt.Errorf("%s: footprint %d: encode legs: %w", what, i, err)
			}
			_, err = tx.ExecContext(ctx, insert, planID, f.Site, f.SKU, int64(i), f.CradleToGateKgCO2e, f.TransportKgCO2e,
				f.StorageKgCO2e, f.TotalKgCO2e, string(legs))
			if isUniqueViolation(err) {
				return fmt.Errorf("%s: footprint %d: %w: a second footprint of %q at %q", what, i, sillage.ErrInvalid, f.SKU, f.Site)
			}
			if err != nil {
				return fmt.Errorf("%s: footprint %d: %w", what, i, err)
			}
		}
		return nil
	})
}

type footprintRow struct {
	Site      string  `db:"site"`
	SKU       string  `db:"sku"`
	Cradle    float64 `db:"cradle_to_gate_kgco2e"`
	Transport float64 `db:"transport_kgco2e"`
	Storage   float64 `db:"storage_kgco2e"`
	Total     float64 `db:"total_kgco2e"`
	Legs      string  `db:"legs_json"`
}

// ListFootprints returns the footprints of a plan in the order they were
// saved; a plan without footprints (or an unknown plan) gives an empty
// list.
func (s *Store) ListFootprints(ctx context.Context, planID string) ([]sillage.Footprint, error) {
	var rows []footprintRow
	if err := s.read.SelectContext(ctx, &rows, s.read.Rebind(`SELECT site, sku, cradle_to_gate_kgco2e, transport_kgco2e,
		storage_kgco2e, total_kgco2e, legs_json FROM footprints WHERE plan_id = ? ORDER BY seq`), planID); err != nil {
		return nil, fmt.Errorf("list footprints of plan %q: %w", planID, err)
	}
	var out []sillage.Footprint
	for _, r := range rows {
		f := sillage.Footprint{Site: r.Site, SKU: r.SKU, CradleToGateKgCO2e: r.Cradle, TransportKgCO2e: r.Transport,
			StorageKgCO2e: r.Storage, TotalKgCO2e: r.Total}
		if err := json.Unmarshal([]byte(r.Legs), &f.Legs); err != nil {
			return nil, fmt.Errorf("list footprints of plan %q: %s at %s: legs: %w", planID, r.SKU, r.Site, err)
		}
		out = append(out, f)
	}
	return out, nil
}
