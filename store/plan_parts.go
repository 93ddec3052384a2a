package store

import (
	"context"
	"encoding/json"
	"fmt"

	"github.com/jmoiron/sqlx"

	"github.com/sillage/sillage"
)

var _ sillage.PlanPartStore = (*Store)(nil)

// SavePlanSplit stores the product groups of plan planID's parts (group i
// is part i), replacing the split and part results stored before, in one
// transaction. The error wraps sillage.ErrInvalid for no group or an
// empty one. O(groups) rows.
func (s *Store) SavePlanSplit(ctx context.Context, planID string, groups [][]string) error {
	what := fmt.Sprintf("save the split of plan %q", planID)
	if planID == "" || len(groups) == 0 {
		return fmt.Errorf("%s: %w: no plan id or no part", what, sillage.ErrInvalid)
	}
	skus := make([]string, len(groups))
	for i, g := range groups {
		if len(g) == 0 {
			return fmt.Errorf("%s: %w: part %d has no product", what, sillage.ErrInvalid, i)
		}
		b, err := json.Marshal(g)
		if err != nil {
			return fmt.Errorf("%s: part %d: %w", what, i, err)
		}
		skus[i] = string(b)
	}
	return s.withTx(ctx, what, func(tx *sqlx.Tx) error {
		if _, err := tx.ExecContext(ctx, tx.Rebind(`DELETE FROM plan_parts WHERE plan_id = ?`), planID); err != nil {
			return fmt.Errorf("%s: replace: %w", what, err)
		}
		return insertRows(ctx, tx, what, `INSERT INTO plan_parts (plan_id, part, skus)`, len(skus), func(i int) []any {
			return []any{planID, int64(i), skus[i]}
		})
	})
}

// LoadPlanSplit returns the product groups of plan planID's parts in part
// order; the error wraps sillage.ErrNotFound when the plan has none.
func (s *Store) LoadPlanSplit(ctx context.Context, planID string) ([][]string, error) {
	what := fmt.Sprintf("load the split of plan %q", planID)
	var rows []struct {
		Part int64  `db:"part"`
		SKUs string `db:"skus"`
	}
	if err := s.read.SelectContext(ctx, &rows, s.read.Rebind(`SELECT part, skus FROM plan_parts WHERE plan_id = ? ORDER BY part`), planID); err != nil {
		return nil, fmt.Errorf("%s: %w", what, err)
	}
	if len(rows) == 0 {
		return nil, fmt.Errorf("%s: %w", what, sillage.ErrNotFound)
	}
	groups := make([][]string, len(rows))
	for i, r := range rows {
		if r.Part != int64(i) {
			return nil, fmt.Errorf("%s: part %d stored where part %d should be", what, r.Part, i)
		}
		if err := json.Unmarshal([]byte(r.SKUs), &groups[i]); err != nil {
			return nil, fmt.Errorf("%s: part %d: %w", what, i, err)
		}
	}
	return groups, nil
}

// SavePlanPartResult stores the result of part `part` of plan planID,
// replacing the one saved before; the error wraps sillage.ErrNotFound when
// the plan's split has no such part.
func (s *Store) SavePlanPartResult(ctx context.Context, planID string, part int, result []byte) error {
	what := fmt.Sprintf("save the result of part %d of plan %q", part, planID)
	if result == nil {
		result = []byte{}
	}
	n, err := rowsAffected(s.write.ExecContext(ctx, s.write.Rebind(`UPDATE plan_parts SET result = ? WHERE plan_id = ? AND part = ?`),
		result, planID, int64(part)))
	if err != nil {
		return fmt.Errorf("%s: %w", what, err)
	}
	if n == 0 {
		return fmt.Errorf("%s: %w: the plan's split has no such part", what, sillage.ErrNotFound)
	}
	return nil
}

// LoadPlanPartResult returns the result saved for part `part` of plan
// planID; the error wraps sillage.ErrNotFound when the part has none.
func (s *Store) LoadPlanPartResult(ctx context.Context, planID string, part int) ([]byte, error) {
	what := fmt.Sprintf("load the result of part %d of plan %q", part, planID)
	var b []byte
	if err := getOne(ctx, s.read, what, &b, `SELECT result FROM plan_parts WHERE plan_id = ? AND part = ? AND result IS NOT NULL`,
		planID, int64(part)); err != nil {
		return nil, err
	}
	return b, nil
}

// DeletePlanSplit deletes plan planID's split and part results.
func (s *Store) DeletePlanSplit(ctx context.Context, planID string) error {
	if _, err := s.write.ExecContext(ctx, s.write.Rebind(`DELETE FROM plan_parts WHERE plan_id = ?`), planID); err != nil {
		return fmt.Errorf("delete the split of plan %q: %w", planID, err)
	}
	return nil
}
