package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

// TestTwinJSON runs the three policies on the tiny network and checks the
// JSON keys of the issue, the files of --out and the progress lines.
func TestTwinJSON(t *testing.T) {
	dir := t.TempDir()
	out, errs := runCLIOK(t, "twin", "--network", "../../testdata/networks/tiny.yaml", "--weeks", "4", "--seed", "3", "--json", "--out", dir,
		"--shock", "BTQ-PAR:EDP-01:2:3")
	var res map[string]any
	if err := json.Unmarshal([]byte(out), &res); err != nil {
		t.Fatalf("decode %q: %v", out, err)
	}
	if got, want := keys(res), []string{"policies", "seconds", "seed", "weeks"}; !reflect.DeepEqual(got, want) {
		t.Errorf("top-level keys %v, want %v", got, want)
	}
	pols := res["policies"].([]any)
	if len(pols) != 3 {
		t.Fatalf("%d policies, want 3", len(pols))
	}
	wantKeys := []string{"air_share_tkm", "avg_inventory_eur", "avg_inventory_units", "cycle_service_level", "fill_rate", "holding_eur",
		"kgco2e", "kgco2e_per_unit_sold", "lost_eur", "lost_units", "orders", "orders_over_threshold", "policy", "transport_eur", "turns", "weekly"}
	for i, name := range []string{"sillage", "cost-only", "minmax"} {
		p := pols[i].(map[string]any)
		if got := keys(p); !reflect.DeepEqual(got, wantKeys) {
			t.Errorf("policy %d keys %v, want %v", i, got, wantKeys)
		}
		if p["policy"] != name {
			t.Errorf("policy %d is %v, want %s", i, p["policy"], name)
		}
		if w := p["weekly"].([]any); len(w) != 4 {
			t.Errorf("%s: %d weeks in the series, want 4", name, len(w))
		}
	}
	for _, f := range []string{"twin.html", "kpis.csv", "weekly.csv", "service.csv", "processes.csv"} {
		if st, err := os.Stat(filepath.Join(dir, f)); err != nil || st.Size() == 0 {
			t.Errorf("%s not written: %v", f, err)
		}
	}
	if !strings.Contains(errs, "twin: minmax    week   4 of 4") {
		t.Errorf("no progress on stderr: %q", errs)
	}
}

func TestTwinBadInput(t *testing.T) {
	tiny := "../../testdata/networks/tiny.yaml"
	cases := []struct {
		args []string
		code int
		msg  string
	}{
		{[]string{}, 2, "--network is required"},
		{[]string{"--network", tiny, "--weeks", "0"}, 2, "--weeks must be within 1 to 520"},
		{[]string{"--network", tiny, "--policy", "magic"}, 2, `unknown policy "magic"`},
		{[]string{"--network", tiny, "--shock", "BTQ-PAR:EDP-01:x:2"}, 2, `week "x" must be a whole number`},
		{[]string{"--network", tiny, "--supplier-lead-days", "-1"}, 2, "must not be negative"},
		{[]string{"--network", tiny, "extra"}, 2, "unexpected arguments"},
		{[]string{"--network", tiny, "--shock", "BTQ-NOWHERE:EDP-01:1:2"}, 1, `"BTQ-NOWHERE" is not a boutique`},
		{[]string{"--network", tiny, "--shock", "BTQ-PAR:NOPE:1:2"}, 1, `unknown product "NOPE"`},
		{[]string{"--network", tiny, "--weeks", "2", "--shock", "BTQ-PAR:EDP-01:3:2"}, 1, "week must be within 1 to 2"},
		{[]string{"--network", "no-such-file.yaml"}, 1, "no-such-file.yaml"},
	}
	for _, c := range cases {
		code, _, errs := runCLI(t, append([]string{"twin"}, c.args...)...)
		if code != c.code || !strings.Contains(errs, c.msg) {
			t.Errorf("twin %v: exit %d, stderr %q; want exit %d and %q", c.args, code, errs, c.code, c.msg)
		}
	}
}
