package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"github.com/jmoiron/sqlx"

	"github.com/sillage/sillage"
)

// rowsAffected returns the number of rows an Exec changed, taking the
// Exec's result and error as they come: rowsAffected(tx.ExecContext(...)).
func rowsAffected(res sql.Result, err error) (int64, error) {
	if err != nil {
		return 0, err
	}
	return res.RowsAffected()
}

// readAll runs query, written with ? placeholders, on the read pool and
// returns what scan makes of each row (nil when there are none). The
// error of the query starts with what; scan's errors come as they are.
func readAll[T any](ctx context.Context, s *Store, what, query string, args []any, scan func(*sqlx.Rows) (T, error)) ([]T, error) {
	rows, err := s.read.QueryxContext(ctx, s.read.Rebind(query), args...)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", what, err)
	}
	defer rows.Close()
	var out []T
	for rows.Next() {
		v, err := scan(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, v)
	}
	return out, rows.Err()
}

// getOne scans the first row of query, written with ? placeholders, into
// dest. The error starts with what; it wraps sillage.ErrNotFound when no
// row matches.
func getOne(ctx context.Context, q sqlx.ExtContext, what string, dest any, query string, args ...any) error {
	err := sqlx.GetContext(ctx, q, dest, q.Rebind(query), args...)
	if errors.Is(err, sql.ErrNoRows) {
		return fmt.Errorf("%s: %w", what, sillage.ErrNotFound)
	}
	if err != nil {
		return fmt.Errorf("%s: %w", what, err)
	}
	return nil
}
