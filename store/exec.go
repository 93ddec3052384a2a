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
