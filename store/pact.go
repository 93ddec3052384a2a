package store

import (
	"context"
	"fmt"
	"strings"

	"github.com/jmoiron/sqlx"

	"github.com/sillage/sillage"
)

type pactRow struct {
	ID         string `db:"id"`
	Lineage    string `db:"lineage"`
	Version    int    `db:"version"`
	Created    string `db:"created"`
	Status     string `db:"status"`
	ProductIDs string `db:"product_ids"`
	Document   string `db:"document"`
}

func (r pactRow) record() (sillage.PACTRecord, error) {
	c, err := parseTime(r.Created)
	if err != nil {
		return sillage.PACTRecord{}, fmt.Errorf("PACT footprint %s: %w", r.ID, err)
	}
	return sillage.PACTRecord{ID: r.ID, Lineage: r.Lineage, Version: r.Version, Created: c, Status: r.Status,
		ProductIDs: strings.Fields(r.ProductIDs), Document: []byte(r.Document)}, nil
}

const pactColumns = `id, lineage, version, created, status, product_ids, document`

// SavePACTFootprint stores rec, a new version of its lineage, and, when
// replaced is not nil, rewrites that earlier record (its status and
// document) in the same transaction. A second record with rec's id, or
// with rec's lineage and version, is refused with an error wrapping
// sillage.ErrConflict (two processes that published one lineage at once);
// a record without id, lineage or document wraps sillage.ErrInvalid.
func (s *Store) SavePACTFootprint(ctx context.Context, rec sillage.PACTRecord, replaced *sillage.PACTRecord) error {
	what := fmt.Sprintf("save PACT footprint %q", rec.ID)
	if rec.ID == "" || rec.Lineage == "" || len(rec.Document) == 0 || rec.Version < 1 {
		return fmt.Errorf("%s: %w: id, lineage, version >= 1 and document are required", what, sillage.ErrInvalid)
	}
	return s.withTx(ctx, what, func(tx *sqlx.Tx) error {
		_, err := tx.ExecContext(ctx, tx.Rebind(`INSERT INTO pact_footprints (`+pactColumns+`) VALUES (?, ?, ?, ?, ?, ?, ?)`),
			rec.ID, rec.Lineage, rec.Version, formatTime(rec.Created), rec.Status, strings.Join(rec.ProductIDs, " "), string(rec.Document))
		if isUniqueViolation(err) {
			return fmt.Errorf("%s: %w: id %s or version %d of %q is already stored", what, sillage.ErrConflict, rec.ID, rec.Version, rec.Lineage)
		}
		if err != nil {
			return fmt.Errorf("%s: %w", what, err)
		}
		if replaced == nil {
			return nil
		}
		res, err := tx.ExecContext(ctx, tx.Rebind(`UPDATE pact_footprints SET status = ?, document = ? WHERE id = ?`),
			replaced.Status, string(replaced.Document), replaced.ID)
		if err != nil {
			return fmt.Errorf("%s: update %s: %w", what, replaced.ID, err)
		}
		if n, _ := res.RowsAffected(); n != 1 {
			return fmt.Errorf("%s: %w: the replaced footprint %s is not stored", what, sillage.ErrNotFound, replaced.ID)
		}
		return nil
	})
}

// LatestPACTFootprint returns the highest version of a lineage; the error
// wraps sillage.ErrNotFound when the lineage has none.
func (s *Store) LatestPACTFootprint(ctx context.Context, lineage string) (sillage.PACTRecord, error) {
	var r pactRow
	if err := getOne(ctx, s.read, fmt.Sprintf("latest PACT footprint of %q", lineage), &r, `SELECT `+pactColumns+` FROM pact_footprints
		WHERE lineage = ? ORDER BY version DESC LIMIT 1`, lineage); err != nil {
		return sillage.PACTRecord{}, err
	}
	return r.record()
}

// ListPACTFootprints returns every stored PACT footprint, every version,
// ordered by created time then id.
func (s *Store) ListPACTFootprints(ctx context.Context) ([]sillage.PACTRecord, error) {
	var rows []pactRow
	if err := s.read.SelectContext(ctx, &rows, `SELECT `+pactColumns+` FROM pact_footprints ORDER BY created, id`); err != nil {
		return nil, fmt.Errorf("list PACT footprints: %w", err)
	}
	out := make([]sillage.PACTRecord, 0, len(rows))
	for _, r := range rows {
		rec, err := r.record()
		if err != nil {
			return nil, fmt.Errorf("list PACT footprints: %w", err)
		}
		out = append(out, rec)
	}
	return out, nil
}

// SharePACT lets client read the footprints of the given product ids
// (URNs, or sillage.PACTShareAll for every footprint). Sharing twice is
// harmless.
func (s *Store) SharePACT(ctx context.Context, client string, productIDs []string) error {
	what := fmt.Sprintf("share PACT footprints with %q", client)
	if client == "" {
		return fmt.Errorf("%s: %w: no client id", what, sillage.ErrInvalid)
	}
	return s.withTx(ctx, what, func(tx *sqlx.Tx) error {
		for _, p := range productIDs {
			if p == "" {
				return fmt.Errorf("%s: %w: empty product id", what, sillage.ErrInvalid)
			}
			_, err := tx.ExecContext(ctx, tx.Rebind(`INSERT INTO pact_shares (client_id, product_id) VALUES (?, ?)
				ON CONFLICT (client_id, product_id) DO NOTHING`), client, p)
			if err != nil {
				return fmt.Errorf("%s: %s: %w", what, p, err)
			}
		}
		return nil
	})
}

// PACTShares returns, per client, the product ids shared with it.
func (s *Store) PACTShares(ctx context.Context) (map[string][]string, error) {
	var rows []struct {
		Client  string `db:"client_id"`
		Product string `db:"product_id"`
	}
	if err := s.read.SelectContext(ctx, &rows, `SELECT client_id, product_id FROM pact_shares ORDER BY client_id, product_id`); err != nil {
		return nil, fmt.Errorf("list PACT shares: %w", err)
	}
	out := map[string][]string{}
	for _, r := range rows {
		out[r.Client] = append(out[r.Client], r.Product)
	}
	return out, nil
}
