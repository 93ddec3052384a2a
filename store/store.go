package store

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"strings"
	"time"

	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jmoiron/sqlx"

	"github.com/sillage/sillage"

	// Database drivers: "pgx" for PostgreSQL, "sqlite3" for SQLite (cgo).
	_ "github.com/jackc/pgx/v5/stdlib"
	_ "github.com/mattn/go-sqlite3"
)

// Store implements the root package's service interfaces.
var (
	_ sillage.NetworkStore = (*Store)(nil)
	_ sillage.PlanStore    = (*Store)(nil)
	_ sillage.OrderStore   = (*Store)(nil)
	_ sillage.ItemStore    = (*Store)(nil)
	_ sillage.CommandStore = (*Store)(nil)
)

// Engine names the database engine behind a Store.
type Engine string

// Supported engines.
const (
	SQLite   Engine = "sqlite"
	Postgres Engine = "postgres"
)

// DefaultURL is the database the binary uses when none is given: a SQLite
// file in the working directory.
const DefaultURL = "sqlite://sillage.db"

// SQLiteBusyTimeout is how long a SQLite connection waits for the write
// lock held by another connection or process before it fails with
// "database is locked".
const SQLiteBusyTimeout = 10 * time.Second

// ErrBadURL marks a database URL that cannot be used: an unknown scheme, a
// malformed URL or an empty path.
var ErrBadURL = errors.New("bad database URL")

// Store is the system of record for networks, stock, plans, orders and
// footprints, on SQLite or PostgreSQL. It is safe for concurrent use.
type Store struct {
	engine Engine
	// read runs queries. On a SQLite file it is a pool of read-only
	// connections (WAL lets them run beside the writer); elsewhere it is
	// the same pool as write.
	read *sqlx.DB
	// write runs every statement that changes data. On a SQLite file it
	// holds a single connection whose transactions begin IMMEDIATE, so that
	// writers of this process queue in Go and writers of other processes
	// wait on the busy timeout instead of failing or deadlocking.
	write *sqlx.DB
	// now is the clock used for updated_at columns; tests may replace it.
	now func() time.Time
	// iot is the ingest's in-memory item state (iot_log.go).
	iot iotState
}

// Target is a parsed database URL.
type Target struct {
	Engine Engine
	// Path is the SQLite file, or ":memory:" for a private in-memory
	// database. Empty for PostgreSQL.
	Path string
	// DSN is what the driver is opened with.
	DSN string
}

// ParseURL parses a database URL:
//
//	sqlite://PATH           a SQLite file (relative or, with a third slash, absolute)
//	sqlite://:memory:       a private in-memory SQLite database (one connection)
//	postgres://USER@HOST:PORT/DB?sslmode=disable   (also postgresql://)
//
// Errors wrap ErrBadURL.
func ParseURL(raw string) (Target, error) {
	scheme, rest, ok := strings.Cut(raw, "://")
	if !ok || scheme == "" {
		return Target{}, fmt.Errorf("%w %q: want sqlite://PATH or postgres://USER@HOST:PORT/DB", ErrBadURL, sillage.RedactURL(raw))
	}
	switch strings.ToLower(scheme) {
	case "sqlite", "sqlite3":
		if strings.ContainsAny(rest, "?#") {
			return Target{}, fmt.Errorf("%w %q: a SQLite path takes no query or fragment (the store sets its own options)", ErrBadURL, raw)
		}
		if rest == "" {
			return Target{}, fmt.Errorf("%w %q: empty SQLite path; want sqlite://PATH", ErrBadURL, raw)
		}
		return Target{Engine: SQLite, Path: rest}, nil
	case "postgres", "postgresql":
		u, err := url.Parse(raw)
		if err != nil {
			// Not err itself: it quotes the URL with its password.
			var ue *url.Error
			if errors.As(err, &ue) {
				err = ue.Err
			}
			return Target{}, fmt.Errorf("%w %q: %v", ErrBadURL, sillage.RedactURL(raw), err)
		}
		if u.Host == "" && u.Query().Get("host") == "" {
			return Target{}, fmt.Errorf("%w %q: no host; want postgres://USER@HOST:PORT/DB", ErrBadURL, sillage.RedactURL(raw))
		}
		if _, err := pgconn.ParseConfig(raw); err != nil {
			return Target{}, fmt.Errorf("%w: %v", ErrBadURL, err)
		}
		return Target{Engine: Postgres, DSN: raw}, nil
	default:
		return Target{}, fmt.Errorf("%w %q: unknown scheme %q (known: sqlite, postgres, postgresql)", ErrBadURL, sillage.RedactURL(raw), scheme)
	}
}

// Open parses rawURL (see ParseURL), connects, applies the pending
// migrations and returns the store. Close it when done.
func Open(ctx context.Context, rawURL string) (*Store, error) {
	t, err := ParseURL(rawURL)
	if err != nil {
		return nil, err
	}
	var s *Store
	switch t.Engine {
	case SQLite:
		s, err = openSQLite(ctx, t.Path)
	case Postgres:
		s, err = openPostgres(ctx, t.DSN)
	}
	if err != nil {
		return nil, err
	}
	if err := s.migrate(ctx); err != nil {
		s.Close()
		return nil, err
	}
	return s, nil
}

func openSQLite(ctx context.Context, path string) (*Store, error) {
	busy := fmt.Sprintf("_busy_timeout=%d", SQLiteBusyTimeout.Milliseconds())
	if path == ":memory:" {
		// Every connection to :memory: is a database of its own: keep one.
		db, err := sqlx.Open("sqlite3", ":memory:?"+busy+"&_foreign_keys=on&_txlock=immediate")
		if err != nil {
			return nil, fmt.Errorf("open sqlite in memory: %w", err)
		}
		db.SetMaxOpenConns(1)
		db.SetMaxIdleConns(1)
		db.SetConnMaxLifetime(0)
		db.SetConnMaxIdleTime(0)
		if err := db.PingContext(ctx); err != nil {
			db.Close()
			return nil, fmt.Errorf("open sqlite in memory: %w", err)
		}
		return &Store{engine: SQLite, read: db, write: db, now: time.Now}, nil
	}
	w, err := sqlx.Open("sqlite3", path+"?"+busy+"&_journal_mode=WAL&_synchronous=NORMAL&_foreign_keys=on&_txlock=immediate")
	if err != nil {
		return nil, fmt.Errorf("open sqlite %s: %w", path, err)
	}
	w.SetMaxOpenConns(1)
	w.SetMaxIdleConns(1)
	w.SetConnMaxLifetime(0)
	if err := pingBusy(ctx, w.DB); err != nil { // creates the file and switches it to WAL
		w.Close()
		return nil, fmt.Errorf("open sqlite %s: %w", path, err)
	}
	r, err := sqlx.Open("sqlite3", path+"?"+busy+"&_foreign_keys=on&_txlock=deferred&_query_only=1")
	if err != nil {
		w.Close()
		return nil, fmt.Errorf("open sqlite %s for reading: %w", path, err)
	}
	r.SetMaxOpenConns(8)
	r.SetMaxIdleConns(8)
	return &Store{engine: SQLite, read: r, write: w, now: time.Now}, nil
}

func openPostgres(ctx context.Context, dsn string) (*Store, error) {
	db, err := sqlx.Open("pgx", dsn)
	if err != nil {
		return nil, fmt.Errorf("open postgres %s: %w", sillage.RedactURL(dsn), err)
	}
	db.SetMaxOpenConns(16)
	db.SetMaxIdleConns(4)
	db.SetConnMaxIdleTime(5 * time.Minute)
	if err := db.PingContext(ctx); err != nil {
		db.Close()
		return nil, fmt.Errorf("connect to postgres %s: %w", sillage.RedactURL(dsn), err)
	}
	return &Store{engine: Postgres, read: db, write: db, now: time.Now}, nil
}

// Engine reports the database engine of the store.
func (s *Store) Engine() Engine { return s.engine }

// Close folds the item logs of the networks this store ingested into
// iot_items (see CheckpointItems) and closes the store's connections.
func (s *Store) Close() error {
	err := s.closeIoT()
	err = errors.Join(err, s.write.Close())
	if s.read != s.write {
		err = errors.Join(err, s.read.Close())
	}
	return err
}

// withTx runs fn in a write transaction and commits it when fn returns nil;
// otherwise it rolls back and returns fn's error. On SQLite the transaction
// begins IMMEDIATE (it holds the write lock from the start). Inside fn use
// only tx: the SQLite write pool has a single connection, so a call on
// s.write from inside fn would wait for ever.
func (s *Store) withTx(ctx context.Context, what string, fn func(tx *sqlx.Tx) error) error {
	tx, err := s.write.BeginTxx(ctx, nil)
	if err != nil {
		return fmt.Errorf("%s: begin: %w", what, err)
	}
	if err := fn(tx); err != nil {
		_ = tx.Rollback()
		return err
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("%s: commit: %w", what, err)
	}
	return nil
}

// Counts returns the number of rows of every table of the schema, by table
// name, including schema_migrations and the tables later migrations add.
func (s *Store) Counts(ctx context.Context) (map[string]int64, error) {
	var q string
	switch s.engine {
	case SQLite:
		q = `SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'`
	default:
		q = `SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema() AND table_type = 'BASE TABLE'`
	}
	var tables []string
	if err := s.read.SelectContext(ctx, &tables, q); err != nil {
		return nil, fmt.Errorf("count rows: list tables: %w", err)
	}
	out := make(map[string]int64, len(tables))
	for _, t := range tables {
		var n int64
		// Table names come from the catalogue, not from input; quote anyway.
		if err := s.read.GetContext(ctx, &n, `SELECT COUNT(*) FROM "`+strings.ReplaceAll(t, `"`, `""`)+`"`); err != nil {
			return nil, fmt.Errorf("count rows of %s: %w", t, err)
		}
		out[t] = n
	}
	return out, nil
}
