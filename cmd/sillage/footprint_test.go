package main

import (
	"context"
	"encoding/json"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/sillage/sillage"
)

// On tiny.yaml the stand-in plan serves every boutique from the Paris DC
// by road (the DC holds both products; its paths are the cheapest at 100
// EUR/t). Hand-computed: BAG-01 to London = 2 kg × 500 km × (0.10163 +
// 0.02359) / 1000 (DESNZ 2025 HGV average laden, TTW + WTT), plus storage
// 0.01 × 7 × 0.056 at DC-PAR, plus handling at DC-PAR: unit mass in t ×
// 0.6 kgCO2e/t (GLEC transhipment, ambient). No flow of the routed plan
// feeds DC-PAR: its inbound legs are unknown, and the output says so.
func TestFootprintJSONTiny(t *testing.T) {
	out, _ := runCLIOK(t, "footprint", "--network", tinyNetwork, "--json", "--plan", "routed")
	var fps []map[string]json.RawMessage
	if err := json.Unmarshal([]byte(out), &fps); err != nil {
		t.Fatalf("output is not a JSON array: %v\n%s", err, out)
	}
	if len(fps) != 4 {
		t.Fatalf("%d footprints, want 4 (2 boutiques × 2 products)", len(fps))
	}
	keys := []string{"site", "sku", "cradle_to_gate_kgco2e", "transport_kgco2e", "storage_kgco2e", "total_kgco2e", "legs",
		"cradle_to_gate_basis", "outbound_legs_kgco2e", "inbound_legs_kgco2e", "hub_kgco2e", "inbound_missing"}
	for _, fp := range fps {
		if len(fp) != len(keys) {
			t.Errorf("keys %v, want exactly %v", fp, keys)
		}
		for _, k := range keys {
			if _, ok := fp[k]; !ok {
				t.Errorf("missing key %q", k)
			}
		}
	}
	var typed []sillage.Footprint
	_ = json.Unmarshal([]byte(out), &typed)
	hgv := 0.10163 + 0.02359
	storage := 0.01 * 7 * 0.056
	want := map[string]float64{
		"BTQ-LON/BAG-01": 40 + 0.002*500*hgv + storage + 0.0012,
		"BTQ-LON/EDP-01": 3 + 0.0005*500*hgv + storage + 0.0003,
		"BTQ-PAR/BAG-01": 40 + 0.002*30*hgv + storage + 0.0012,
		"BTQ-PAR/EDP-01": 3 + 0.0005*30*hgv + storage + 0.0003,
	}
	for _, f := range typed {
		w, ok := want[f.Site+"/"+f.SKU]
		if !ok {
			t.Errorf("unexpected footprint %s %s", f.Site, f.SKU)
			continue
		}
		if math.Abs(f.TotalKgCO2e-w) > 1e-9*w {
			t.Errorf("%s %s total = %.12g, want %.12g", f.Site, f.SKU, f.TotalKgCO2e, w)
		}
		if len(f.Legs) != 1 || f.Legs[0].From != "DC-PAR" {
			t.Errorf("%s %s legs = %+v", f.Site, f.SKU, f.Legs)
		}
	}
}

// With the replenishment LP, every plan line's pair has a footprint and the
// outbound legs of the footprints add up to the plan's transport emissions
// (the LP prices emissions with the same factors).
func TestFootprintLP(t *testing.T) {
	out, _ := runCLIOK(t, "plan", "--one-period", "--network", tinyNetwork, "--json")
	var plan struct {
		KgCO2e float64            `json:"kgco2e"`
		Lines  []sillage.PlanLine `json:"lines"`
	}
	if err := json.Unmarshal([]byte(out), &plan); err != nil {
		t.Fatalf("plan JSON: %v", err)
	}
	out, _ = runCLIOK(t, "footprint", "--network", tinyNetwork, "--json")
	var fps []struct {
		sillage.Footprint
		Outbound float64 `json:"outbound_legs_kgco2e"`
	}
	if err := json.Unmarshal([]byte(out), &fps); err != nil {
		t.Fatal(err)
	}
	units := map[string]float64{}
	for _, l := range plan.Lines {
		units[l.Site+"/"+l.SKU] += l.Quantity
	}
	if len(fps) != len(units) {
		t.Fatalf("%d footprints for %d planned pairs", len(fps), len(units))
	}
	var transport float64
	for _, f := range fps {
		u, ok := units[f.Site+"/"+f.SKU]
		if !ok {
			t.Errorf("footprint %s %s is not in the plan", f.Site, f.SKU)
		}
		transport += f.Outbound * u // the legs; inbound legs and hubs are beside them
		if f.TotalKgCO2e < f.CradleToGateKgCO2e || f.StorageKgCO2e <= 0 {
			t.Errorf("%s %s: %+v", f.Site, f.SKU, f)
		}
	}
	if math.Abs(transport-plan.KgCO2e) > 1e-6*math.Max(1, plan.KgCO2e) {
		t.Errorf("footprints carry %.9g kgCO2e of transport, the plan %.9g", transport, plan.KgCO2e)
	}
}

func TestFootprintTextPACTAndStore(t *testing.T) {
	dir := t.TempDir()
	db := "sqlite://" + filepath.Join(dir, "s.db")
	out, _ := runCLIOK(t, "footprint", "--network", tinyNetwork, "--pact", filepath.Join(dir, "pact"), "--db", db, "--period", "2025-06")
	for _, want := range []string{"BTQ-LON", "hgv-average", "UK DESNZ", "routed distance from the network file", "DC-PAR (FR)", "Ember"} {
		if !strings.Contains(out, want) {
			t.Errorf("text output lacks %q:\n%s", want, out)
		}
	}
	for _, f := range []string{"bag-01.json", "edp-01.json"} {
		data, err := os.ReadFile(filepath.Join(dir, "pact", f))
		if err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(string(data), `"referencePeriodStart": "2025-06-01T00:00:00Z"`) || !strings.Contains(string(data), `"specVersion": "2.3.0"`) {
			t.Errorf("%s:\n%s", f, data)
		}
	}
	ctx := context.Background()
	s := openTestStore(t, db)
	c, err := s.Counts(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if c["plans"] != 1 || c["footprints"] != 4 {
		t.Errorf("stored %d plans and %d footprints, want 1 and 4", c["plans"], c["footprints"])
	}
}

func TestFootprintFactorFileAndErrors(t *testing.T) {
	dir := t.TempDir()
	good := filepath.Join(dir, "good.yaml")
	os.WriteFile(good, []byte("name: carrier\nfactors:\n  - {mode: road, vehicle: ev-truck, wtw_kgco2e_per_tkm: 0.02, source: Carrier X 2025, year: 2025, default: true}\n"), 0o644)
	out, _ := runCLIOK(t, "footprint", "--network", tinyNetwork, "--json", "--plan", "routed", "--factors", good)
	var fps []sillage.Footprint
	_ = json.Unmarshal([]byte(out), &fps)
	for _, f := range fps {
		if f.Site == "BTQ-LON" && f.SKU == "BAG-01" {
			if want := 40 + 0.002*500*0.02 + 0.01*7*0.056 + 0.002*0.6; math.Abs(f.TotalKgCO2e-want) > 1e-9*want {
				t.Errorf("with the company factor, total = %v, want %v", f.TotalKgCO2e, want)
			}
		}
	}

	bad := filepath.Join(dir, "bad.yaml")
	os.WriteFile(bad, []byte("factors:\n  - {mode: teleport, vehicle: x, wtw_kgco2e_per_tkm: 0.02, source: s}\n"), 0o644)
	neg := filepath.Join(dir, "neg.yaml")
	os.WriteFile(neg, []byte("factors:\n  - {mode: rail, vehicle: x, wtw_kgco2e_per_tkm: -1, source: s}\n"), 0o644)
	cases := []struct {
		args []string
		code int
		want string
	}{
		{[]string{"footprint"}, 2, "--network is required"},
		{[]string{"footprint", "--network", tinyNetwork, "--carbon-price", "-5"}, 2, "--carbon-price"},
		{[]string{"footprint", "--network", tinyNetwork, "--factors", bad}, 1, `bad.yaml:2: factors[0].mode: invalid input: unknown transport mode "teleport"`},
		{[]string{"footprint", "--network", tinyNetwork, "--factors", neg}, 1, "neg.yaml:2: factors[0].wtw_kgco2e_per_tkm: -1: invalid input: intensity must be a finite number >= 0"},
		{[]string{"footprint", "--network", tinyNetwork, "--pact", dir, "--period", "June"}, 2, "--period"},
		{[]string{"footprint", "--network", tinyNetwork, "--cpc", "leather"}, 2, "CLASS=CODE"},
		{[]string{"footprint", "--network", tinyNetwork, "--plan", "magic"}, 2, "--plan must be lp or routed"},
	}
	for _, c := range cases {
		code, _, errs := runCLI(t, c.args...)
		if code != c.code || !strings.Contains(errs, c.want) {
			t.Errorf("%v: exit %d, stderr %q; want exit %d and %q", c.args, code, errs, c.code, c.want)
		}
	}
}
