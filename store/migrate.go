package store

import (
	"bufio"
	"context"
	"embed"
	"fmt"
	"io/fs"
	"path"
	"sort"
	"strconv"
	"strings"

	"github.com/jmoiron/sqlx"
)

//go:embed migrations/*.sql
var migrationFiles embed.FS

// migrationLockKey is the PostgreSQL advisory lock that serialises
// migrations between processes ("sillage" in ASCII).
const migrationLockKey int64 = 0x73696c6c616765

// migration is one file of migrations/, split into statements for one
// engine.
type migration struct {
	version int64    // NNNN of NNNN_name.sql
	name    string   // the file name
	stmts   []string // statements for the engine, in order
}

// loadMigrations reads the embedded migration files in version order and
// keeps, of each, the statements for engine e (see doc.go for the format).
func loadMigrations(e Engine) ([]migration, error) {
	names, err := fs.Glob(migrationFiles, "migrations/*.sql")
	if err != nil {
		return nil, fmt.Errorf("list migrations: %w", err)
	}
	var out []migration
	seen := map[int64]string{}
	for _, p := range names {
		base := path.Base(p)
		num, _, ok := strings.Cut(base, "_")
		v, err := strconv.ParseInt(num, 10, 64)
		if !ok || err != nil || len(num) != 4 || v <= 0 {
			return nil, fmt.Errorf("migration %s: name must be NNNN_name.sql with NNNN > 0000", base)
		}
		if other, dup := seen[v]; dup {
			return nil, fmt.Errorf("migration %s: version %04d is also used by %s", base, v, other)
		}
		seen[v] = base
		data, err := migrationFiles.ReadFile(p)
		if err != nil {
			return nil, fmt.Errorf("read migration %s: %w", base, err)
		}
		stmts, err := splitStatements(string(data), e)
		if err != nil {
			return nil, fmt.Errorf("migration %s: %w", base, err)
		}
		out = append(out, migration{version: v, name: base, stmts: stmts})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].version < out[j].version })
	return out, nil
}

// splitStatements returns the statements of a migration file that apply to
// engine e. A line "-- engine: sqlite", "-- engine: postgres" or
// "-- engine: all" selects the engine of the lines that follow it (all by
// default). Other lines starting with "--" and blank lines are dropped. A
// statement ends with a line whose last character is ";".
func splitStatements(text string, e Engine) ([]string, error) {
	var (
		stmts []string
		cur   strings.Builder
		scope = "all"
		line  = 0
	)
	sc := bufio.NewScanner(strings.NewReader(text))
	sc.Buffer(make([]byte, 64*1024), 1<<20)
	for sc.Scan() {
		line++
		raw := sc.Text()
		t := strings.TrimSpace(raw)
		if strings.HasPrefix(t, "--") {
			c := strings.TrimSpace(strings.TrimPrefix(t, "--"))
			if rest, ok := strings.CutPrefix(c, "engine:"); ok {
				if cur.Len() > 0 {
					return nil, fmt.Errorf("line %d: engine marker inside an unfinished statement", line)
				}
				switch scope = strings.TrimSpace(rest); scope {
				case "all", string(SQLite), string(Postgres):
				default:
					return nil, fmt.Errorf("line %d: unknown engine %q (known: all, sqlite, postgres)", line, scope)
				}
			}
			continue
		}
		if t == "" || (scope != "all" && scope != string(e)) {
			continue
		}
		cur.WriteString(raw)
		cur.WriteByte('\n')
		if strings.HasSuffix(t, ";") {
			stmts = append(stmts, strings.TrimSpace(cur.String()))
			cur.Reset()
		}
	}
	if err := sc.Err(); err != nil {
		return nil, err
	}
	if strings.TrimSpace(cur.String()) != "" {
		return nil, fmt.Errorf("the last statement does not end with \";\"")
	}
	return stmts, nil
}

// migrate applies the pending migrations in version order, each in its own
// transaction that also records it in schema_migrations. Processes that
// start at once serialise on the migration lock (PostgreSQL: an advisory
// transaction lock; SQLite: the write lock of BEGIN IMMEDIATE), and each
// re-reads schema_migrations once it holds the lock, so every migration is
// applied exactly once.
func (s *Store) migrate(ctx context.Context) error {
	ms, err := loadMigrations(s.engine)
	if err != nil {
		return err
	}
	err = s.withTx(ctx, "migrate: create schema_migrations", func(tx *sqlx.Tx) error {
		if err := s.lockMigrations(ctx, tx); err != nil {
			return err
		}
		_, err := tx.ExecContext(ctx, `CREATE TABLE IF NOT EXISTS schema_migrations (
			version BIGINT PRIMARY KEY,
			name TEXT NOT NULL,
			applied_at TEXT NOT NULL)`)
		if err != nil {
			return fmt.Errorf("migrate: create schema_migrations: %w", err)
		}
		if len(ms) == 0 {
			return nil
		}
		var newest int64
		if err := tx.GetContext(ctx, &newest, `SELECT COALESCE(MAX(version), 0) FROM schema_migrations`); err != nil {
			return fmt.Errorf("migrate: read schema version: %w", err)
		}
		if known := ms[len(ms)-1].version; newest > known {
			return fmt.Errorf("migrate: the database is at schema version %d, newer than this binary knows (%d); upgrade sillage", newest, known)
		}
		return nil
	})
	if err != nil {
		return err
	}
	for _, m := range ms {
		what := "migrate " + m.name
		err := s.withTx(ctx, what, func(tx *sqlx.Tx) error {
			if err := s.lockMigrations(ctx, tx); err != nil {
				return err
			}
			var n int
			if err := tx.GetContext(ctx, &n, tx.Rebind(`SELECT COUNT(*) FROM schema_migrations WHERE version = ?`), m.version); err != nil {
				return fmt.Errorf("%s: %w", what, err)
			}
			if n > 0 {
				return nil
			}
			for i, st := range m.stmts {
				if _, err := tx.ExecContext(ctx, st); err != nil {
					return fmt.Errorf("%s: statement %d: %w\n%s", what, i+1, err, st)
				}
			}
			_, err := tx.ExecContext(ctx, tx.Rebind(`INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)`),
				m.version, m.name, formatTime(s.now()))
			if err != nil {
				return fmt.Errorf("%s: record: %w", what, err)
			}
			return nil
		})
		if err != nil {
			return err
		}
	}
	return nil
}

// lockMigrations takes the migration lock for the rest of tx. On SQLite the
// IMMEDIATE transaction already holds the database's write lock.
func (s *Store) lockMigrations(ctx context.Context, tx *sqlx.Tx) error {
	if s.engine != Postgres {
		return nil
	}
	if _, err := tx.ExecContext(ctx, `SELECT pg_advisory_xact_lock($1)`, migrationLockKey); err != nil {
		return fmt.Errorf("migrate: take advisory lock: %w", err)
	}
	return nil
}

// SchemaVersion returns the highest migration version applied to the
// database, 0 when none.
func (s *Store) SchemaVersion(ctx context.Context) (int64, error) {
	var v int64
	if err := s.read.GetContext(ctx, &v, `SELECT COALESCE(MAX(version), 0) FROM schema_migrations`); err != nil {
		return 0, fmt.Errorf("read schema version: %w", err)
	}
	return v, nil
}
