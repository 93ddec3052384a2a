package main

import (
	"bytes"
	"encoding/json"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestRouteCommand(t *testing.T) {
	out, _ := runCLIOK(t, "route", "--network", tinyNetwork, "--from", "SUP-FLR", "--to", "BTQ-LON", "--max-days", "5", "--json")
	var got map[string]json.RawMessage
	if err := json.Unmarshal([]byte(out), &got); err != nil {
		t.Fatal(err)
	}
	for _, k := range []string{"legs", "cost_eur_per_kg", "kgco2e_per_kg", "transit_days"} {
		if _, ok := got[k]; !ok {
			t.Errorf("JSON lacks %q: %s", k, out)
		}
	}
	var rt struct {
		Legs []struct {
			From, To, Mode string
			DistanceKM     float64 `json:"distance_km"`
			CostEURPerKG   float64 `json:"cost_eur_per_kg"`
			KgCO2ePerKG    float64 `json:"kgco2e_per_kg"`
			TransitDays    float64 `json:"transit_days"`
		}
		CostEURPerKG float64 `json:"cost_eur_per_kg"`
		TransitDays  float64 `json:"transit_days"`
	}
	if err := json.Unmarshal([]byte(out), &rt); err != nil {
		t.Fatal(err)
	}
	// Within 5 days: road to the DC (2 days) then road to London (2 days).
	if len(rt.Legs) != 2 || rt.Legs[0].Mode != "road" || rt.Legs[1].Mode != "road" || rt.Legs[1].DistanceKM != 500 ||
		math.Abs(rt.CostEURPerKG-0.55) > 1e-12 || rt.TransitDays != 4 || rt.Legs[0].KgCO2ePerKG <= 0 {
		t.Errorf("route %s", out)
	}

	code, out, _ := runCLI(t, "route", "--network", tinyNetwork, "--from", "SUP-FLR", "--to", "BTQ-PAR")
	if code != 0 || !strings.Contains(out, "rail") || !strings.Contains(out, "5 days") {
		t.Errorf("text route: exit %d\n%s", code, out)
	}

	for _, tc := range []struct {
		args []string
		code int
		msg  string
	}{
		{[]string{"--from", "NOPE", "--to", "BTQ-PAR"}, 1, `unknown site "NOPE"`},
		{[]string{"--from", "BTQ-PAR", "--to", "SUP-FLR"}, 1, "BTQ-PAR -> SUP-FLR: no path"},
		{[]string{"--from", "SUP-FLR", "--to", "BTQ-PAR", "--max-days", "2"}, 1, "no path within the transit limit of 2 days (the fastest path takes 3 days)"},
		{[]string{"--from", "SUP-FLR"}, 2, "--network, --from and --to are required"},
		{[]string{"--from", "SUP-FLR", "--to", "BTQ-PAR", "--max-days", "-1"}, 2, "--max-days must not be negative"},
	} {
		args := append([]string{"route"}, tc.args...)
		if tc.code != 2 || len(tc.args) > 1 {
			args = append(args, "--network", tinyNetwork)
		}
		code, _, errs := runCLI(t, args...)
		if code != tc.code || !strings.Contains(errs, tc.msg) {
			t.Errorf("%v: exit %d, stderr %q; want %d and %q", tc.args, code, errs, tc.code, tc.msg)
		}
	}
}

func TestPlanCommand(t *testing.T) {
	mps := filepath.Join(t.TempDir(), "tiny.mps")
	out, _ := runCLIOK(t, "plan", "--one-period", "--network", tinyNetwork, "--json", "--export-mps", mps, "--carbon-price", "50")
	var got map[string]json.RawMessage
	if err := json.Unmarshal([]byte(out), &got); err != nil {
		t.Fatal(err)
	}
	for _, k := range []string{"status", "cost_eur", "kgco2e", "shortfall_units", "lines", "binding", "variables", "constraints", "build_seconds", "solve_seconds"} {
		if _, ok := got[k]; !ok {
			t.Errorf("JSON lacks %q", k)
		}
	}
	var pl struct {
		Status      string  `json:"status"`
		CarbonPrice float64 `json:"carbon_price"`
		Lines       []struct {
			Source, Site, SKU string
			Quantity          float64
			Legs              []json.RawMessage
		}
		Variables int `json:"variables"`
	}
	if err := json.Unmarshal([]byte(out), &pl); err != nil {
		t.Fatal(err)
	}
	if pl.Status != "optimal" || pl.CarbonPrice != 50 || len(pl.Lines) == 0 || pl.Variables == 0 {
		t.Errorf("plan %s", out)
	}
	for _, l := range pl.Lines {
		if l.Quantity <= 0 || len(l.Legs) == 0 || l.Source == "" {
			t.Errorf("line %+v", l)
		}
	}
	if b, err := os.ReadFile(mps); err != nil || !bytes.Contains(b, []byte("ROWS")) {
		t.Errorf("MPS export: %v", err)
	}

	code, out, _ := runCLI(t, "plan", "--one-period", "--network", tinyNetwork)
	if code != 0 || !strings.Contains(out, "optimal") || !strings.Contains(out, "lines:") {
		t.Errorf("text plan: exit %d\n%s", code, out)
	}

	// Bad input is a clear error.
	data, err := os.ReadFile(tinyNetwork)
	if err != nil {
		t.Fatal(err)
	}
	bad := filepath.Join(t.TempDir(), "bad.yaml")
	if err := os.WriteFile(bad, bytes.Replace(data, []byte("{site: DC-PAR, sku: BAG-01, on_hand: 20}"), []byte("{site: DC-PAR, sku: BAG-01, on_hand: -20}"), 1), 0o644); err != nil {
		t.Fatal(err)
	}
	code, _, errs := runCLI(t, "plan", "--network", bad)
	if code != 1 || !strings.Contains(errs, "stock[0].on_hand: must not be negative") {
		t.Errorf("negative stock: exit %d, stderr %q", code, errs)
	}
	for _, args := range [][]string{
		{"--remote", "--export-mps", "x.mps"},
		{"--remote", "--requirements"},
		{"--name", "tiny"},
	} {
		code, _, errs = runCLI(t, append([]string{"plan", "--network", tinyNetwork}, args...)...)
		if code != 2 || !strings.Contains(errs, "--remote") {
			t.Errorf("%v: exit %d, stderr %q", args, code, errs)
		}
	}
	code, _, errs = runCLI(t, "plan", "--one-period", "--network", tinyNetwork, "--method", "simplex")
	if code != 2 || !strings.Contains(errs, "unknown method") {
		t.Errorf("bad method: exit %d, stderr %q", code, errs)
	}
}

func TestParetoCommand(t *testing.T) {
	out, _ := runCLIOK(t, "pareto", "--network", tinyNetwork, "--prices", "0,100,800", "--json")
	var res struct {
		Points []struct {
			CarbonPrice *float64 `json:"carbon_price"`
			CostEUR     *float64 `json:"cost_eur"`
			KgCO2e      *float64 `json:"kgco2e"`
			OnFrontier  *bool    `json:"on_frontier"`
		}
		Abatement []json.RawMessage `json:"marginal_abatement"`
	}
	if err := json.Unmarshal([]byte(out), &res); err != nil {
		t.Fatal(err)
	}
	if len(res.Points) != 3 || res.Abatement == nil {
		t.Fatalf("pareto %s", out)
	}
	for i, p := range res.Points {
		if p.CarbonPrice == nil || p.CostEUR == nil || p.KgCO2e == nil || p.OnFrontier == nil {
			t.Fatalf("point %d lacks a field: %s", i, out)
		}
		if want := []float64{0, 100, 800}[i]; *p.CarbonPrice != want {
			t.Errorf("point %d at %g, want %g", i, *p.CarbonPrice, want)
		}
	}
	code, _, errs := runCLI(t, "pareto", "--network", tinyNetwork, "--prices", "10,-5")
	if code != 2 || !strings.Contains(errs, `"-5" is not a carbon price`) {
		t.Errorf("bad prices: exit %d, stderr %q", code, errs)
	}
}
