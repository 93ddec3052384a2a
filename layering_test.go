package sillage_test

import (
	"go/parser"
	"go/token"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// Technology packages, by the import path prefixes of their packages.
var (
	mqttPkgs     = []string{"github.com/eclipse/paho.mqtt.golang", "github.com/mochi-mqtt/server"}
	temporalPkgs = []string{"go.temporal.io/"}
	sqlPkgs      = []string{"database/sql", "github.com/jmoiron/sqlx", "github.com/jackc/pgx", "github.com/mattn/go-sqlite3", "github.com/lib/pq", "modernc.org/sqlite"}
)

// deps returns the import paths of every package the patterns build
// with, as `go list -deps` prints them (tests excluded).
func deps(t *testing.T, patterns ...string) []string {
	t.Helper()
	if _, err := exec.LookPath("go"); err != nil {
		t.Skip("no go command:", err)
	}
	out, err := exec.Command("go", append([]string{"list", "-deps"}, patterns...)...).Output()
	if err != nil {
		msg := ""
		if ee, ok := err.(*exec.ExitError); ok {
			msg = string(ee.Stderr)
		}
		t.Fatalf("go list -deps %s: %v\n%s", strings.Join(patterns, " "), err, msg)
	}
	return strings.Fields(string(out))
}

// matching returns the paths that equal one of prefixes or start with
// it followed by a slash (or that start with a prefix ending in a slash).
func matching(paths, prefixes []string) []string {
	var out []string
	for _, p := range paths {
		for _, pre := range prefixes {
			if p == pre || strings.HasPrefix(p, strings.TrimSuffix(pre, "/")+"/") {
				out = append(out, p)
				break
			}
		}
	}
	return out
}

// TestLayering checks that the layers point the right way: the store
// and the observability package know nothing of MQTT or Temporal, and
// the algorithms (optimize, carbon, network) nothing of Temporal, MQTT or
// SQL. The last rows check that the test sees such dependencies where
// they belong, so that a broken `go list` cannot pass it.
func TestLayering(t *testing.T) {
	for _, tc := range []struct {
		patterns []string
		what     string
		prefixes [][]string
		want     bool // true: the packages must depend on one of them
	}{
		{[]string{"./store/...", "./internal/obs"}, "MQTT", [][]string{mqttPkgs}, false},
		{[]string{"./store/...", "./internal/obs"}, "Temporal", [][]string{temporalPkgs}, false},
		{[]string{"./optimize/...", "./carbon/...", "./network/..."}, "Temporal, MQTT or SQL", [][]string{temporalPkgs, mqttPkgs, sqlPkgs}, false},
		{[]string{"./iot"}, "MQTT", [][]string{mqttPkgs}, true},
		{[]string{"./store"}, "SQL", [][]string{sqlPkgs}, true},
		{[]string{"./workflows"}, "Temporal", [][]string{temporalPkgs}, true},
	} {
		name := strings.Join(tc.patterns, " ")
		ds := deps(t, tc.patterns...)
		var found []string
		for _, pre := range tc.prefixes {
			found = append(found, matching(ds, pre)...)
		}
		switch {
		case tc.want && len(found) == 0:
			t.Errorf("%s: depends on no %s package; does the check still see them?", name, tc.what)
		case !tc.want && len(found) > 0:
			t.Errorf("%s: depends on %s packages: %s", name, tc.what, strings.Join(found, ", "))
		}
	}
}

// TestRootIsStandardLibraryOnly checks that the root package, the
// domain model and the contract between the layers, imports nothing but
// the standard library.
func TestRootIsStandardLibraryOnly(t *testing.T) {
	if _, err := exec.LookPath("go"); err != nil {
		t.Skip("no go command:", err)
	}
	out, err := exec.Command("go", "list", "-deps", "-f", "{{if not .Standard}}{{.ImportPath}}{{end}}", ".").Output()
	if err != nil {
		t.Fatalf("go list: %v", err)
	}
	for _, p := range strings.Fields(string(out)) {
		if p != "github.com/sillage/sillage" {
			t.Errorf("the root package depends on %s, outside the standard library", p)
		}
	}
}

// TestEveryPackageHasDocGo checks the convention that every package,
// commands and test helpers included, keeps its package comment in a
// doc.go of its own (CONTRIBUTING.md): the file is parsed, and must name
// the package and carry a comment before the package clause.
func TestEveryPackageHasDocGo(t *testing.T) {
	if _, err := exec.LookPath("go"); err != nil {
		t.Skip("no go command:", err)
	}
	out, err := exec.Command("go", "list", "-f", "{{.Dir}} {{.Name}}", "./...").Output()
	if err != nil {
		t.Fatalf("go list ./...: %v", err)
	}
	lines := strings.Split(strings.TrimSpace(string(out)), "\n")
	if len(lines) < 30 {
		t.Fatalf("go list ./... found %d packages; does it still see the tree?", len(lines))
	}
	for _, line := range lines {
		dir, name, _ := strings.Cut(line, " ")
		path := filepath.Join(dir, "doc.go")
		f, err := parser.ParseFile(token.NewFileSet(), path, nil, parser.PackageClauseOnly|parser.ParseComments)
		switch {
		case err != nil:
			t.Errorf("package %s in %s: no readable doc.go: %v", name, dir, err)
		case f.Name.Name != name:
			t.Errorf("%s: declares package %s, the directory's package is %s", path, f.Name.Name, name)
		case f.Doc == nil || strings.TrimSpace(f.Doc.Text()) == "":
			t.Errorf("%s: no package comment", path)
		}
	}
}
