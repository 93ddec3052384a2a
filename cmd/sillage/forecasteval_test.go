package main

import (
	"encoding/json"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// forecast-gen writes a file that forecast-eval reads; the JSON report has
// a group per kind with a row per method, auto first.
func TestForecastGenAndEval(t *testing.T) {
	file := filepath.Join(t.TempDir(), "gen.csv")
	runCLIOK(t, "forecast-gen", "--kinds", "smooth,intermittent", "--series", "5", "--weeks", "40", "--out", file)
	out, _ := runCLIOK(t, "forecast-eval", "--history", file, "--horizon", "6", "--season", "1", "--json")
	var rep struct {
		Groups []struct {
			Kind   string
			Series int
			Rows   []struct {
				Method   string
				Series   int
				Coverage []float64
			}
		}
	}
	if err := json.Unmarshal([]byte(out), &rep); err != nil {
		t.Fatal(err)
	}
	if len(rep.Groups) != 3 || rep.Groups[0].Kind != "all" || rep.Groups[0].Series != 10 || rep.Groups[1].Kind != "smooth" {
		t.Fatalf("groups %+v, want all (10 series), smooth, intermittent", rep.Groups)
	}
	if r := rep.Groups[0].Rows; len(r) != 9 || r[0].Method != "auto" || len(r[0].Coverage) != 3 {
		t.Errorf("rows %+v, want auto and 8 methods with 3 coverages", r)
	}
	code, out, _ := runCLI(t, "forecast-eval", "--history", file, "--horizon", "6")
	if code != 0 || !strings.Contains(out, "auto chose:") || !strings.Contains(out, "cov 0.97") {
		t.Errorf("text report: exit %d\n%s", code, out)
	}
	bad := filepath.Join(t.TempDir(), "bad.csv")
	if err := os.WriteFile(bad, []byte("series,w1,w2\na,1,x\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		args []string
		code int
		says string
	}{
		{[]string{"forecast-eval", "--history", file}, 2, "--horizon"},
		{[]string{"forecast-eval", "--history", file, "--horizon", "3", "--season", "0"}, 2, "--season"},
		{[]string{"forecast-eval", "--history", bad, "--horizon", "1"}, 1, "line 2, column 3"},
		{[]string{"forecast-gen", "--kinds", "weekly"}, 2, "unknown kind"},
	} {
		code, _, errs := runCLI(t, tc.args...)
		if code != tc.code || !strings.Contains(errs, tc.says) {
			t.Errorf("%v: exit %d, stderr %q; want %d saying %q", tc.args, code, errs, tc.code, tc.says)
		}
	}
}

// plan --requirements names the method, its parameters, its validation
// error and the quantile its safety stock covers; with --service-level
// that quantile is at the level asked.
func TestPlanRequirementsServiceLevel(t *testing.T) {
	out, _ := runCLIOK(t, "plan", "--one-period", "--network", tinyNetwork, "--json", "--requirements", "--service-level", "0.9")
	var pl struct {
		Requirements []struct {
			Method         string             `json:"method"`
			Params         map[string]float64 `json:"params"`
			DemandUnits    float64            `json:"demand_units"`
			SafetyUnits    float64            `json:"safety_units"`
			ValidationRMSE *float64           `json:"validation_rmse"`
			ServiceLevel   float64            `json:"service_level"`
			QuantileUnits  float64            `json:"quantile_units"`
		} `json:"requirements"`
	}
	if err := json.Unmarshal([]byte(out), &pl); err != nil {
		t.Fatal(err)
	}
	if len(pl.Requirements) == 0 {
		t.Fatal("no requirement")
	}
	for _, q := range pl.Requirements {
		if q.Method == "" || q.ValidationRMSE == nil || q.ServiceLevel != 0.9 ||
			math.Abs(q.QuantileUnits-(q.DemandUnits+q.SafetyUnits)) > 1e-9 {
			t.Errorf("requirement %+v: want a method, a validation RMSE, level 0.9 and quantile = demand + safety", q)
		}
	}
	if code, _, errs := runCLI(t, "plan", "--one-period", "--network", tinyNetwork, "--service-level", "1"); code != 2 || !strings.Contains(errs, "--service-level") {
		t.Errorf("--service-level 1: exit %d, stderr %q", code, errs)
	}
}
