package network

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"regexp"
	"runtime"
	"strconv"
	"strings"
	"testing"

	"github.com/sillage/sillage"
)

// badDir holds the malformed network files; "# ERROR" at the end of a line
// marks the line the error must name.
const badDir = "../testdata/networks/bad"

// markedLine returns the line ending in "# ERROR" in file, or 0.
func markedLine(t *testing.T, data []byte) int {
	t.Helper()
	for i, l := range strings.Split(string(data), "\n") {
		if strings.HasSuffix(strings.TrimSpace(l), "# ERROR") {
			return i + 1
		}
	}
	return 0
}

func TestMalformedFiles(t *testing.T) {
	tests := []struct {
		file string
		path string // the record and field the error names; "" for a failure of the whole file
		msg  string // a part of the message
		line int    // expected line when the file has no marker; -1 for none at all
	}{
		{file: "unknown-site-in-lane.yaml", path: "lanes[1].to", msg: `unknown site "PAR-9"`},
		{file: "negative-mass.yaml", path: "products[1].mass_kg", msg: "must be greater than zero, is -0.5"},
		{file: "duplicate-sku.yaml", path: "products[1].sku", msg: `duplicate sku "BAG-01"`},
		{file: "gtin-check-digit.yaml", path: "products[1].gtin", msg: `GTIN-14 "03760123400023" has check digit 3, want 2`},
		{file: "gln-check-digit.yaml", path: "sites[1].gln", msg: `GLN "3760123450011" has check digit 1, want 0`},
		{file: "lane-to-itself.yaml", path: "lanes[1].to", msg: `lane goes from "DC-PAR" to itself`},
		{file: "unknown-mode.yaml", path: "lanes[0].mode", msg: `unknown mode "truck" (want road, rail, sea, air or barge)`},
		{file: "broken-yaml.yaml", msg: "YAML syntax: did not find expected ',' or ']'"},
		{file: "missing-field.yaml", path: "products[1].mass_kg", msg: "missing required field"},
		{file: "missing-top-key.yaml", path: "policy", msg: "missing required top-level key", line: 5},
		{file: "stock-unknown-product.yaml", path: "stock[1].sku", msg: `unknown product "EDP-99"`},
		{file: "nan.yaml", path: "products[1].unit_cost_eur", msg: "must be a finite number, is NaN"},
		{file: "infinite.yaml", path: "lanes[0].distance_km", msg: "must be a finite number, is +Inf"},
		{file: "empty.yaml", msg: "the file is empty", line: -1},
		{file: "comments-only.yaml", msg: "the file holds no YAML document", line: -1},
		{file: "wrong-type.yaml", path: "sites[2].latitude", msg: `want a number, got string "north"`},
		{file: "unknown-top-key.yaml", path: "warehouses", msg: `unknown top-level key "warehouses"`},
		{file: "duplicate-gln.yaml", path: "sites[2].gln", msg: "GLN 3760123450010 already used by sites[1]"},
		{file: "unknown-field.yaml", path: "products[0].mass", msg: `unknown field "mass"; did you mean "mass_kg"?`},
		{file: "unquoted-gln.yaml", path: "sites[0].gln", msg: `want a string, got number 3760123450003; quote it: gln: "3760123450003"`},
		{file: "duplicate-field.yaml", path: "products[0].unit_cost_eur", msg: "duplicate field (first at line 15)"},
		{file: "supply-from-dc.yaml", path: "supply[1].supplier", msg: `site "DC-PAR" is a dc, not a supplier`},
		{file: "no-cradle-to-gate.yaml", path: "products[1].cradle_to_gate_kgco2e", msg: "missing field: give cradle_to_gate_kgco2e or materials"},
		{file: "materials-without-share.yaml", path: "products[1].manufacturing_share", msg: "is required with materials"},
		{file: "material-zero-mass.yaml", path: "products[1].materials[1].mass_kg", msg: "must be greater than zero, is 0"},
		{file: "materials-not-a-list.yaml", path: "products[1].materials", msg: "want a list of material records"},
		{file: "negative-demand.yaml", path: "demand[0].weekly[2]", msg: "must not be negative, is -3"},
		{file: "demand-not-a-number.yaml", path: "demand[1].weekly[2]", msg: `want a number, got string "n/a"`},
		{file: "bad-country.yaml", path: "sites[0].country", msg: `"Italy" is not an ISO 3166-1 alpha-2 code`},
		{file: "latitude-out-of-range.yaml", path: "sites[1].latitude", msg: "must be between -90 and 90, is 94.0097"},
		{file: "record-not-mapping.yaml", path: "lanes[1]", msg: `want a mapping of fields (from, to, mode, distance_km, cost_eur_per_kg, transit_days, capacity_kg, intensity_kgco2e_per_tkm), got string "DC-PAR to BTQ-PAR by road"`},
		{file: "two-documents.yaml", msg: "a second YAML document starts here"},
		{file: "case-pack-fraction.yaml", path: "supply[0].case_pack_units", msg: "must be a whole number of units ≥ 1 (0 or absent: 1), is 2.5"},
		{file: "service-level-above-one.yaml", path: "policy.service_level", msg: "must be a probability strictly between 0 and 1, such as 0.97, is 97"},
		{file: "service-level-duplicate-class.yaml", path: "policy.service_levels[1].class", msg: `duplicate class "leather" (see policy.service_levels[0])`},
		{file: "top-level-list.yaml", msg: "the top level must be a mapping with the keys name, sites, products, lanes, stock, demand, supply, policy, not a list"},
	}
	seen := map[string]bool{}
	for _, tt := range tests {
		seen[tt.file] = true
		t.Run(strings.TrimSuffix(tt.file, ".yaml"), func(t *testing.T) {
			path := filepath.Join(badDir, tt.file)
			data, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			line := tt.line
			if line == 0 {
				line = markedLine(t, data)
				if line == 0 {
					t.Fatalf("%s has no line marked # ERROR and the test gives none", path)
				}
			}
			for _, mode := range []fastMode{fastNever, fastAlways} {
				n, err := parse(path, data, mode)
				if err == nil {
					t.Fatalf("mode %d: loaded %s without error: %d sites", mode, path, len(n.Sites))
				}
				if !errors.Is(err, sillage.ErrInvalid) {
					t.Errorf("mode %d: error does not match sillage.ErrInvalid: %v", mode, err)
				}
				want := path + ":"
				if line > 0 {
					want += strconv.Itoa(line) + ":"
				}
				want += " "
				if tt.path != "" {
					want += tt.path + ": "
				}
				want += tt.msg
				if !strings.Contains(err.Error(), want) {
					t.Errorf("mode %d: error\n%v\ndoes not contain\n%s", mode, err, want)
				}
				if tt.path != "" {
					var fe *sillage.FieldError
					if !errors.As(err, &fe) {
						t.Errorf("mode %d: no *sillage.FieldError in %v", mode, err)
					}
				}
			}
			// Load reads the file the same way.
			if _, err := Load(path); err == nil || !strings.Contains(err.Error(), tt.msg) {
				t.Errorf("Load: %v, want an error containing %q", err, tt.msg)
			}
		})
	}
	// Every file in the folder is in the table, but the valid base.
	files, _ := filepath.Glob(filepath.Join(badDir, "*.yaml"))
	for _, f := range files {
		if b := filepath.Base(f); !seen[b] && b != "valid-base.yaml" {
			t.Errorf("%s is not in the table", f)
		}
	}
	if len(tests) < 12 {
		t.Errorf("only %d malformed files", len(tests))
	}
}

func TestValidBaseLoads(t *testing.T) {
	n, err := Load(filepath.Join(badDir, "valid-base.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	if len(n.Sites) != 3 || len(n.Products) != 2 || len(n.Lanes) != 2 {
		t.Errorf("got %d sites, %d products, %d lanes; want 3, 2, 2", len(n.Sites), len(n.Products), len(n.Lanes))
	}
}

// TestTooLarge writes a 100 MB file and checks that Load refuses it from its
// size alone: a clear error, nothing read into memory.
func TestTooLarge(t *testing.T) {
	path := filepath.Join(t.TempDir(), "huge.yaml")
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	chunk := bytes.Repeat([]byte("  - {site: BTQ-PAR, sku: BAG-01, weekly: [4, 5, 3, 6, 4, 5, 4, 6]}\n"), (1<<20)/64)
	if _, err := f.WriteString("demand:\n"); err != nil {
		t.Fatal(err)
	}
	for written := 0; written < 100<<20; written += len(chunk) {
		if _, err := f.Write(chunk); err != nil {
			t.Fatal(err)
		}
	}
	if err := f.Truncate(100 << 20); err != nil {
		t.Fatal(err)
	}
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}

	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	n, err := Load(path)
	runtime.ReadMemStats(&after)
	if err == nil {
		t.Fatalf("loaded a 100 MB file: %d sites", len(n.Sites))
	}
	if !errors.Is(err, ErrTooLarge) || !errors.Is(err, sillage.ErrInvalid) {
		t.Errorf("error %v does not match ErrTooLarge and sillage.ErrInvalid", err)
	}
	if want := path + ": too large: 104857600 bytes (100.0 MiB); "; !strings.HasPrefix(err.Error(), want) || !strings.Contains(err.Error(), "at most 67108864 bytes (64 MiB)") {
		t.Errorf("error %q, want it to start with %q and give the limit", err, want)
	}
	if alloc := after.TotalAlloc - before.TotalAlloc; alloc > 1<<20 {
		t.Errorf("Load allocated %d bytes to refuse the file; want it refused before reading", alloc)
	}
}

// endless is a reader that never ends, such as a pipe from a runaway
// program.
type endless struct{}

func (endless) Read(p []byte) (int, error) {
	for i := range p {
		p[i] = '#'
	}
	return len(p), nil
}

func TestReadTooLarge(t *testing.T) {
	_, err := Read("stdin", endless{})
	if !errors.Is(err, ErrTooLarge) {
		t.Fatalf("Read of an endless stream: %v, want ErrTooLarge", err)
	}
	if want := "stdin: too large: more than 67108864 bytes"; !strings.HasPrefix(err.Error(), want) {
		t.Errorf("error %q, want prefix %q", err, want)
	}
	// Parse refuses oversized data too.
	if _, err := Parse("big", make([]byte, MaxFileBytes+1)); !errors.Is(err, ErrTooLarge) {
		t.Errorf("Parse of %d bytes: %v, want ErrTooLarge", MaxFileBytes+1, err)
	}
}

func TestLoadMissingFile(t *testing.T) {
	_, err := Load(filepath.Join(t.TempDir(), "none.yaml"))
	if !errors.Is(err, os.ErrNotExist) || errors.Is(err, sillage.ErrInvalid) {
		t.Errorf("Load of a missing file: %v, want os.ErrNotExist and not ErrInvalid", err)
	}
}

// TestErrorsListEveryProblem checks that one pass reports all problems of a
// file, each located, and that the list is capped in the message.
func TestErrorsListEveryProblem(t *testing.T) {
	data, err := os.ReadFile(filepath.Join(badDir, "valid-base.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	bad := strings.NewReplacer("mass_kg: 2", "mass_kg: -2", "mode: road", "mode: hovercraft", `country: FR}`, `country: fr}`).Replace(string(data))
	_, err = Parse("many.yaml", []byte(bad))
	var es Errors
	if !errors.As(err, &es) {
		t.Fatalf("want Errors, got %T: %v", err, err)
	}
	if len(es) != 1+2+2 {
		t.Errorf("got %d errors, want 5:\n%v", len(es), err)
	}
	line := regexp.MustCompile(`^many\.yaml:\d+: `)
	for _, e := range es {
		if !line.MatchString(e.Error()) {
			t.Errorf("error %q has no line", e)
		}
	}
}

func TestYAMLTypeErrorsCarryPath(t *testing.T) {
	data, err := os.ReadFile(filepath.Join(badDir, "valid-base.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	cases := map[string]string{
		"carbon_price_eur_per_t: 100": "policy.carbon_price_eur_per_t: want a number, got string \"cheap\"",
		"transit_days: 2}":            "lanes[0].transit_days: want a number, got boolean true",
		"on_hand: 20}":                "stock[0].on_hand: want a number, got a list",
		"class: leather":              "products[0].class: want a string, got a mapping",
	}
	repl := map[string]string{
		"carbon_price_eur_per_t: 100": "carbon_price_eur_per_t: cheap",
		"transit_days: 2}":            "transit_days: true}",
		"on_hand: 20}":                "on_hand: [20]}",
		"class: leather":              "class: {name: leather}",
	}
	for old, want := range cases {
		_, err := Parse("t.yaml", []byte(strings.Replace(string(data), old, repl[old], 1)))
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("replacing %q: %v, want %q", old, err, want)
		}
	}
	// forecast_horizon_weeks is a whole number.
	_, err = Parse("t.yaml", []byte(string(data)+"  forecast_horizon_weeks: 2.5\n"))
	if err == nil || !strings.Contains(err.Error(), "policy.forecast_horizon_weeks: want a whole number, got number 2.5") {
		t.Errorf("fractional weeks: %v", err)
	}
}
