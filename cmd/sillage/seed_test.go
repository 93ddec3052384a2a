package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/sillage/sillage/store"
	"github.com/sillage/sillage/store/storetest"
)

// seedTwice seeds file into the database at url twice and checks that the
// second run changes nothing. It returns the row counts.
func seedTwice(t *testing.T, file, url string) map[string]int64 {
	t.Helper()
	ctx := context.Background()
	var counts [2]map[string]int64
	for i := range 2 {
		var out, errb bytes.Buffer
		if code := run(ctx, []string{"seed", "--network", file, "--db", url}, &out, &errb); code != 0 {
			t.Fatalf("seed run %d: exit %d\n%s%s", i+1, code, out.String(), errb.String())
		}
		wantWord := []string{"seeded:", "unchanged:"}[i]
		if !strings.Contains(out.String(), wantWord) {
			t.Fatalf("seed run %d: output lacks %q:\n%s", i+1, wantWord, out.String())
		}
		s, err := store.Open(ctx, url)
		if err != nil {
			t.Fatal(err)
		}
		counts[i], err = s.Counts(ctx)
		s.Close()
		if err != nil {
			t.Fatal(err)
		}
		if i == 1 {
			t.Logf("second run:\n%s", out.String())
		}
	}
	if len(counts[0]) != len(counts[1]) {
		t.Fatalf("tables differ between runs: %v, %v", counts[0], counts[1])
	}
	for table, n := range counts[0] {
		if counts[1][table] != n {
			t.Errorf("table %s: %d rows after the first run, %d after the second", table, n, counts[1][table])
		}
	}
	return counts[0]
}

func TestSeedTiny(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, url string) {
		c := seedTwice(t, "../../testdata/networks/tiny.yaml", url)
		want := map[string]int64{"networks": 1, "policies": 1, "sites": 4, "products": 2, "lanes": 5,
			"stock_positions": 4, "demand_history": 4, "supply": 2}
		for table, n := range want {
			if c[table] != n {
				t.Errorf("%s: %d rows, want %d", table, c[table], n)
			}
		}
	})
}

func TestSeedMaison(t *testing.T) {
	const file = "../../testdata/networks/maison.yaml"
	if _, err := os.Stat(file); err != nil {
		t.Skipf("%s not available yet: %v", file, err)
	}
	storetest.ForEach(t, func(t *testing.T, url string) {
		c := seedTwice(t, file, url)
		for _, table := range []string{"sites", "products", "lanes", "stock_positions", "demand_history", "supply"} {
			if c[table] == 0 {
				t.Errorf("%s: no rows", table)
			}
		}
		t.Logf("row counts: %v", c)
	})
}

// TestSeedName checks where the network's name comes from.
func TestSeedName(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	data, err := os.ReadFile("../../testdata/networks/tiny.yaml")
	if err != nil {
		t.Fatal(err)
	}
	unnamed := filepath.Join(dir, "small-net.yaml")
	if err := os.WriteFile(unnamed, bytes.Replace(data, []byte("\nname: tiny\n"), []byte("\n"), 1), 0o644); err != nil {
		t.Fatal(err)
	}
	url := storetest.SQLiteURL(t)
	for _, args := range [][]string{
		{"--network", "../../testdata/networks/tiny.yaml"}, // name key: tiny
		{"--network", "../../testdata/networks/tiny.yaml", "--name", "copy"},
		{"--network", unnamed}, // file name: small-net
	} {
		var out, errb bytes.Buffer
		if code := run(ctx, append([]string{"seed", "--db", url}, args...), &out, &errb); code != 0 {
			t.Fatalf("seed %q: exit %d\n%s", args, code, errb.String())
		}
	}
	s := openTestStore(t, url)
	names, err := s.ListNetworks(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if strings.Join(names, ",") != "copy,small-net,tiny" {
		t.Fatalf("networks %q, want copy, small-net, tiny", names)
	}
}

func TestSeedErrors(t *testing.T) {
	dir := t.TempDir()
	bad := filepath.Join(dir, "bad.yaml")
	data, err := os.ReadFile("../../testdata/networks/tiny.yaml")
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(bad, bytes.Replace(data, []byte("to: BTQ-PAR"), []byte("to: PAR-9"), 1), 0o644); err != nil {
		t.Fatal(err)
	}
	db := "sqlite://" + filepath.Join(dir, "s.db")
	tests := []struct {
		name   string
		args   []string
		code   int
		stderr string
	}{
		{"no network", []string{"seed", "--db", db}, 2, "--network is required"},
		{"extra argument", []string{"seed", "--network", bad, "--db", db, "more"}, 2, `unexpected argument "more"`},
		{"unknown scheme", []string{"seed", "--network", bad, "--db", "mysql://x/y"}, 2, `unknown scheme "mysql"`},
		{"no scheme", []string{"seed", "--network", bad, "--db", "sillage.db"}, 2, "want sqlite://PATH"},
		{"missing file", []string{"seed", "--network", filepath.Join(dir, "none.yaml"), "--db", db}, 1, "none.yaml"},
		{"bad file", []string{"seed", "--network", bad, "--db", db}, 1, `: lanes[2].to: unknown site "PAR-9"`},
		{"unreachable postgres", []string{"seed", "--network", "../../testdata/networks/tiny.yaml", "--db",
			"postgres://u:secret@127.0.0.1:1/db?sslmode=disable&connect_timeout=2"}, 1, "connect to postgres"},
		{"sqlite in a missing directory", []string{"seed", "--network", "../../testdata/networks/tiny.yaml", "--db",
			"sqlite://" + filepath.Join(dir, "no", "such", "dir", "s.db")}, 1, "open sqlite"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var out, errb bytes.Buffer
			code := run(context.Background(), tc.args, &out, &errb)
			if code != tc.code {
				t.Fatalf("exit %d, want %d\nstdout: %s\nstderr: %s", code, tc.code, out.String(), errb.String())
			}
			if !strings.Contains(errb.String(), tc.stderr) {
				t.Fatalf("stderr lacks %q:\n%s", tc.stderr, errb.String())
			}
			if tc.name == "bad file" && !regexp.MustCompile(`bad\.yaml:\d+: lanes`).MatchString(errb.String()) {
				t.Fatalf("stderr lacks the file and line:\n%s", errb.String())
			}
			if strings.Contains(errb.String(), "secret") {
				t.Fatalf("stderr shows the password:\n%s", errb.String())
			}
		})
	}
	if _, err := os.Stat(filepath.Join(dir, "s.db")); err == nil {
		t.Fatal("a failed seed created the database file")
	}
}

func TestSeedHelp(t *testing.T) {
	var out, errb bytes.Buffer
	if code := run(context.Background(), []string{"seed", "-h"}, &out, &errb); code != 0 {
		t.Fatalf("seed -h: exit %d", code)
	}
	for _, s := range []string{"Usage: sillage seed --network FILE", "-db URL", "sqlite://sillage.db", "SILLAGE_DB", "unchanged"} {
		if !strings.Contains(out.String(), s) {
			t.Errorf("help lacks %q:\n%s", s, out.String())
		}
	}
}
