package main

import (
	"encoding/json"
	"math"
	"strings"
	"testing"
)

// TestPlanTimePhased runs `sillage plan` on the tiny network over 6
// weeks: the JSON keeps the one-period plan's totals and has the
// time-phased fields; every line arrives within the horizon, ⌈transit/7⌉
// weeks after it departs, and week-0 lines are whole units; the text
// output shows the week-0 orders; bad flags are usage errors.
func TestPlanTimePhased(t *testing.T) {
	out, _ := runCLIOK(t, "plan", "--network", tinyNetwork, "--weeks", "6", "--json")
	var got map[string]json.RawMessage
	if err := json.Unmarshal([]byte(out), &got); err != nil {
		t.Fatal(err)
	}
	for _, k := range []string{"status", "cost_eur", "transport_eur", "carbon_eur", "holding_eur", "penalty_eur", "kgco2e", "shortfall_units",
		"lines", "shortfalls", "binding", "variables", "constraints", "build_seconds", "solve_seconds", "notes", "projected", "serve_cost", "mip", "safety"} {
		if _, ok := got[k]; !ok {
			t.Errorf("JSON lacks %q", k)
		}
	}
	var pl struct {
		Weeks int `json:"weeks"`
		Lines []struct {
			Kind              string `json:"kind"`
			Source, Site, SKU string
			Quantity          float64 `json:"quantity"`
			DepartWeek        int     `json:"depart_week"`
			ArriveWeek        int     `json:"arrive_week"`
			ReleaseWeek       int     `json:"release_week"`
			TransitDays       float64 `json:"transit_days"`
			Legs              []json.RawMessage
		}
		Projected []map[string]any `json:"projected"`
		ServeCost []map[string]any `json:"serve_cost"`
		MIP       map[string]any   `json:"mip"`
		Safety    struct {
			Method  string           `json:"method"`
			Targets []map[string]any `json:"targets"`
		} `json:"safety"`
	}
	if err := json.Unmarshal([]byte(out), &pl); err != nil {
		t.Fatal(err)
	}
	if pl.Weeks != 6 || len(pl.Lines) == 0 || len(pl.Projected) == 0 || len(pl.ServeCost) == 0 || pl.Safety.Method != "forecast-error-quantile" || len(pl.Safety.Targets) == 0 {
		t.Fatalf("plan: %d weeks, %d lines, %d projected, %d serve costs, safety %+v", pl.Weeks, len(pl.Lines), len(pl.Projected), len(pl.ServeCost), pl.Safety)
	}
	for _, k := range []string{"status", "gap", "seconds"} {
		if _, ok := pl.MIP[k]; !ok {
			t.Errorf("mip lacks %q: %v", k, pl.MIP)
		}
	}
	for _, k := range []string{"site", "sku", "week", "on_hand", "arrivals", "demand", "lost", "safety"} {
		if _, ok := pl.Projected[0][k]; !ok {
			t.Errorf("projected lacks %q: %v", k, pl.Projected[0])
		}
	}
	for _, l := range pl.Lines {
		if (l.Kind != "purchase" && l.Kind != "transfer") || l.Source == "" || l.Site == "" || len(l.Legs) == 0 ||
			l.ArriveWeek > 5 || l.ArriveWeek-l.DepartWeek != int(math.Ceil(l.TransitDays/7)) {
			t.Errorf("line %+v", l)
		}
		if l.ReleaseWeek == 0 && l.Quantity != math.Round(l.Quantity) {
			t.Errorf("week-0 line %+v: not a whole number of units", l)
		}
	}

	code, out, errs := runCLI(t, "plan", "--network", tinyNetwork, "--weeks", "6")
	if code != 0 || !strings.Contains(out, "orders released this week (week 0)") || !strings.Contains(out, "safety      forecast-error-quantile") {
		t.Errorf("text plan: exit %d, %s\n%s", code, errs, out)
	}
	for _, tc := range []struct {
		args []string
		msg  string
	}{
		{[]string{"--weeks", "-1"}, "--weeks must be between 1 and 520"},
		{[]string{"--gap", "1.5"}, "--gap must be at least 0 and below 1"},
		{[]string{"--requirements"}, "--requirements goes with --one-period"},
		{[]string{"--one-period", "--weeks", "4"}, "--weeks goes with the time-phased plan"},
	} {
		code, _, errs = runCLI(t, append([]string{"plan", "--network", tinyNetwork}, tc.args...)...)
		if code != 2 || !strings.Contains(errs, tc.msg) {
			t.Errorf("%v: exit %d, stderr %q; want 2 and %q", tc.args, code, errs, tc.msg)
		}
	}
}
