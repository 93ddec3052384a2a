package store

import (
	"context"
	"errors"
	"strings"
	"sync"
	"testing"

	"github.com/sillage/sillage/internal/testnet"
	"github.com/sillage/sillage/store/storetest"
)

// forEachEngine runs fn on a freshly opened store on each engine: a SQLite
// file in t.TempDir() and a new PostgreSQL database when
// SILLAGE_TEST_POSTGRES is set.
func forEachEngine(t *testing.T, fn func(t *testing.T, ctx context.Context, s *Store)) {
	t.Helper()
	storetest.ForEach(t, func(t *testing.T, url string) {
		fn(t, context.Background(), openT(t, url))
	})
}

// forEachTinyEngine is forEachEngine on a store that holds
// testdata/networks/tiny.yaml as network "tiny".
func forEachTinyEngine(t *testing.T, fn func(t *testing.T, ctx context.Context, s *Store)) {
	t.Helper()
	forEachEngine(t, func(t *testing.T, ctx context.Context, s *Store) {
		if _, err := s.SaveNetwork(ctx, "tiny", testnet.Load(t, "tiny")); err != nil {
			t.Fatal(err)
		}
		fn(t, ctx, s)
	})
}

// openT opens url and closes the store when t ends.
func openT(t *testing.T, url string) *Store {
	t.Helper()
	s, err := Open(context.Background(), url)
	if err != nil {
		t.Fatalf("Open(%s): %v", url, err)
	}
	t.Cleanup(func() {
		if err := s.Close(); err != nil {
			t.Errorf("Close: %v", err)
		}
	})
	return s
}

func TestParseURL(t *testing.T) {
	tests := []struct {
		url    string
		engine Engine
		path   string
		errHas string
	}{
		{url: "sqlite://sillage.db", engine: SQLite, path: "sillage.db"},
		{url: "sqlite:///tmp/x.db", engine: SQLite, path: "/tmp/x.db"},
		{url: "sqlite://./data/x.db", engine: SQLite, path: "./data/x.db"},
		{url: "sqlite://:memory:", engine: SQLite, path: ":memory:"},
		{url: "postgres://u@127.0.0.1:5432/db?sslmode=disable", engine: Postgres},
		{url: "postgresql://u:secret@localhost/db", engine: Postgres},
		{url: "sqlite://", errHas: "empty SQLite path"},
		{url: "sqlite://x.db?mode=ro", errHas: "no query"},
		{url: "mysql://u@h/db", errHas: `unknown scheme "mysql"`},
		{url: "sillage.db", errHas: "want sqlite://PATH"},
		{url: "", errHas: "want sqlite://PATH"},
		{url: "postgres://", errHas: "no host"},
		{url: "postgres://u:p@h:99999999999/db", errHas: "bad database URL"},
		{url: "oracle://u:topsecret@h/db", errHas: "u:xxxxx@h"},
	}
	for _, tc := range tests {
		t.Run(tc.url, func(t *testing.T) {
			got, err := ParseURL(tc.url)
			if tc.errHas != "" {
				if err == nil {
					t.Fatalf("ParseURL(%q) = %+v, want an error containing %q", tc.url, got, tc.errHas)
				}
				if !errors.Is(err, ErrBadURL) || !strings.Contains(err.Error(), tc.errHas) {
					t.Fatalf("ParseURL(%q) error = %v, want ErrBadURL containing %q", tc.url, err, tc.errHas)
				}
				if strings.Contains(err.Error(), "topsecret") {
					t.Fatalf("error shows the password: %v", err)
				}
				return
			}
			if err != nil {
				t.Fatalf("ParseURL(%q): %v", tc.url, err)
			}
			if got.Engine != tc.engine || got.Path != tc.path {
				t.Fatalf("ParseURL(%q) = %+v, want engine %s path %q", tc.url, got, tc.engine, tc.path)
			}
		})
	}
}

func TestOpenBadURL(t *testing.T) {
	_, err := Open(context.Background(), "ftp://x")
	if !errors.Is(err, ErrBadURL) {
		t.Fatalf("Open(ftp://x) error = %v, want ErrBadURL", err)
	}
}

func TestMigrationsIdempotent(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, url string) {
		ctx := context.Background()
		ms, err := loadMigrations(SQLite)
		if err != nil {
			t.Fatal(err)
		}
		want := ms[len(ms)-1].version
		var first map[string]int64
		for i := range 3 {
			s := openT(t, url)
			v, err := s.SchemaVersion(ctx)
			if err != nil {
				t.Fatal(err)
			}
			if v != want {
				t.Fatalf("open %d: schema version %d, want %d", i+1, v, want)
			}
			c, err := s.Counts(ctx)
			if err != nil {
				t.Fatal(err)
			}
			if c["schema_migrations"] != int64(len(ms)) {
				t.Fatalf("open %d: %d rows in schema_migrations, want %d", i+1, c["schema_migrations"], len(ms))
			}
			if i == 0 {
				first = c
				continue
			}
			if !equalCounts(first, c) {
				t.Fatalf("open %d: counts %v, want %v", i+1, c, first)
			}
		}
		for _, table := range []string{"networks", "sites", "products", "lanes", "stock_positions", "demand_history",
			"supply", "policies", "plans", "plan_lines", "orders", "order_lines", "footprints"} {
			if _, ok := first[table]; !ok {
				t.Errorf("table %s missing; have %v", table, first)
			}
		}
	})
}

// TestMigrationsConcurrentOpen opens the same fresh database from several
// goroutines at once: each migration must be applied exactly once.
func TestMigrationsConcurrentOpen(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, url string) {
		ctx := context.Background()
		const n = 4
		var wg sync.WaitGroup
		errs := make(chan error, n)
		stores := make(chan *Store, n)
		for range n {
			wg.Go(func() {
				s, err := Open(ctx, url)
				if err != nil {
					errs <- err
					return
				}
				stores <- s
			})
		}
		wg.Wait()
		close(errs)
		close(stores)
		for err := range errs {
			t.Errorf("concurrent Open: %v", err)
		}
		for s := range stores {
			t.Cleanup(func() { s.Close() })
		}
		s := openT(t, url)
		var rows []struct {
			Version int64 `db:"version"`
			N       int64 `db:"n"`
		}
		if err := s.read.SelectContext(ctx, &rows, `SELECT version, COUNT(*) AS n FROM schema_migrations GROUP BY version`); err != nil {
			t.Fatal(err)
		}
		ms, _ := loadMigrations(s.engine)
		if len(rows) != len(ms) {
			t.Fatalf("schema_migrations has %d versions, want %d", len(rows), len(ms))
		}
		for _, r := range rows {
			if r.N != 1 {
				t.Errorf("version %d recorded %d times", r.Version, r.N)
			}
		}
	})
}

func TestSplitStatements(t *testing.T) {
	src := `-- a comment
CREATE TABLE a (x BIGINT);
CREATE TABLE b (
    y TEXT
);
-- engine: sqlite
CREATE INDEX i ON a (x);
-- engine: postgres
CREATE INDEX CONCURRENTLY i ON a (x);
-- engine: all
DROP TABLE b;
`
	tests := []struct {
		engine Engine
		want   []string
	}{
		{SQLite, []string{"CREATE TABLE a (x BIGINT);", "CREATE TABLE b (\n    y TEXT\n);", "CREATE INDEX i ON a (x);", "DROP TABLE b;"}},
		{Postgres, []string{"CREATE TABLE a (x BIGINT);", "CREATE TABLE b (\n    y TEXT\n);", "CREATE INDEX CONCURRENTLY i ON a (x);", "DROP TABLE b;"}},
	}
	for _, tc := range tests {
		got, err := splitStatements(src, tc.engine)
		if err != nil {
			t.Fatal(err)
		}
		if strings.Join(got, "|") != strings.Join(tc.want, "|") {
			t.Errorf("%s: got %q, want %q", tc.engine, got, tc.want)
		}
	}
	for _, bad := range []string{"CREATE TABLE a (x BIGINT)", "-- engine: mysql\nSELECT 1;", "CREATE TABLE a (\n-- engine: sqlite\nx BIGINT);"} {
		if _, err := splitStatements(bad, SQLite); err == nil {
			t.Errorf("splitStatements(%q) succeeded, want an error", bad)
		}
	}
}

func equalCounts(a, b map[string]int64) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		if w, ok := b[k]; !ok || w != v {
			return false
		}
	}
	return true
}
