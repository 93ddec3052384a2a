package store

import (
	"context"
	"database/sql"
	"errors"
	"slices"
	"time"

	"github.com/jackc/pgx/v5/pgconn"
	"github.com/mattn/go-sqlite3"
)

// isUniqueViolation reports whether err is a unique or primary key
// violation on either engine.
func isUniqueViolation(err error) bool {
	return isViolation(err, "23505", sqlite3.ErrConstraintUnique, sqlite3.ErrConstraintPrimaryKey)
}

// isForeignKeyViolation reports whether err is a foreign key violation on
// either engine: a row refers to a site, product, plan or order that does
// not exist, or a row still referred to was deleted.
func isForeignKeyViolation(err error) bool {
	return isViolation(err, "23503", sqlite3.ErrConstraintForeignKey)
}

// isViolation reports whether err is a SQLite error with one of the
// extended codes sqliteCodes or a PostgreSQL error with SQLSTATE pgCode.
func isViolation(err error, pgCode string, sqliteCodes ...sqlite3.ErrNoExtended) bool {
	var se sqlite3.Error
	if errors.As(err, &se) {
		return slices.Contains(sqliteCodes, se.ExtendedCode)
	}
	var pe *pgconn.PgError
	if errors.As(err, &pe) {
		return pe.Code == pgCode
	}
	return false
}

// isBusy reports whether err is SQLite's "database is locked" (SQLITE_BUSY
// or SQLITE_LOCKED).
func isBusy(err error) bool {
	var se sqlite3.Error
	return errors.As(err, &se) && (se.Code == sqlite3.ErrBusy || se.Code == sqlite3.ErrLocked)
}

// pingBusy opens the first connection of a SQLite file pool, retrying
// while the file is locked, for up to SQLiteBusyTimeout. Switching a file
// to WAL takes an exclusive lock, and SQLite answers a second connection
// that switches it at the same moment with "database is locked" at once,
// without waiting on its busy timeout: processes that open a fresh
// database together (a worker and an ingest starting side by side) would
// fail. O(tries) pings, 10 to 200 ms apart.
func pingBusy(ctx context.Context, db *sql.DB) error {
	deadline := time.Now().Add(SQLiteBusyTimeout)
	wait := 10 * time.Millisecond
	for {
		err := db.PingContext(ctx)
		if err == nil || !isBusy(err) || time.Now().After(deadline) {
			return err
		}
		select {
		case <-ctx.Done():
			return errors.Join(err, ctx.Err())
		case <-time.After(wait):
		}
		wait = min(2*wait, 200*time.Millisecond)
	}
}
