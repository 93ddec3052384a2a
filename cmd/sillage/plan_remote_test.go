package main

import (
	"context"
	"encoding/json"
	"fmt"
	"math"
	"slices"
	"strings"
	"testing"

	"github.com/sillage/sillage"
)

// planLineKey is what a line of a local and a remote plan must share.
type planLineKey struct {
	Kind                                string
	Source, Site, SKU, Path             string
	ReleaseWeek, DepartWeek, ArriveWeek int
}

// testRemoteTimePhased (a step of TestTemporalCommands, whose worker
// plans on the database dbURL) plans the tiny network remotely, stored
// under its own name so that no earlier plan's orders are in its way,
// and locally from the same file: the remote --json has the local
// time-phased plan's lines (kind, source, site, product, path, weeks,
// quantity), projection, serve costs, bindings, MIP and cost, with the
// plan's and workflow's ids and without the supplier premium, which the
// store does not keep; the text output is the time-phased one. Without a
// database --remote is a usage error.
func testRemoteTimePhased(t *testing.T, ctx context.Context, runOK func(...string) string, tiny, dbURL string, tflags []string) {
	remote := append([]string{"plan", "--remote", "--network", tiny, "--name", "tiny-tp", "--db", dbURL, "--json"}, tflags...)
	var got, want map[string]json.RawMessage
	if err := json.Unmarshal([]byte(runOK(remote...)), &got); err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal([]byte(runOK("plan", "--network", tiny, "--json")), &want); err != nil {
		t.Fatal(err)
	}
	for _, k := range []string{"plan_id", "workflow_id", "lines", "projected", "serve_cost", "bindings", "mip", "safety", "weeks"} {
		if _, ok := got[k]; !ok {
			t.Errorf("remote JSON lacks %q", k)
		}
	}
	if _, ok := got["purchase_premium_eur"]; ok {
		t.Error("remote JSON has purchase_premium_eur, which the store does not keep")
	}
	type line struct {
		planLineKey
		Quantity float64 `json:"quantity"`
		Integer  bool    `json:"integer"`
	}
	lines := func(m map[string]json.RawMessage) []line {
		var raw []sillage.HorizonLine // the fields of a line both plans print
		if err := json.Unmarshal(m["lines"], &raw); err != nil {
			t.Fatal(err)
		}
		out := make([]line, len(raw))
		for i, r := range raw {
			out[i] = line{planLineKey{r.Kind, r.Source, r.Site, r.SKU, r.Path, r.ReleaseWeek, r.DepartWeek, r.ArriveWeek}, r.Quantity, r.Integer}
		}
		slices.SortFunc(out, func(a, b line) int { return strings.Compare(keyString(a.planLineKey), keyString(b.planLineKey)) })
		return out
	}
	gl, wl := lines(got), lines(want)
	if len(gl) == 0 || len(gl) != len(wl) {
		t.Fatalf("remote plan: %d lines, local: %d", len(gl), len(wl))
	}
	for i := range gl {
		g, w := gl[i], wl[i]
		if g.planLineKey != w.planLineKey || g.Integer != w.Integer || math.Abs(g.Quantity-w.Quantity) > 1e-6*math.Max(1, w.Quantity) ||
			(g.Integer && g.Quantity != math.Round(g.Quantity)) {
			t.Errorf("line %d: remote %+v, local %+v", i, g, w)
		}
	}
	for _, k := range []string{"projected", "serve_cost", "bindings", "weeks"} {
		var g, w any
		_ = json.Unmarshal(got[k], &g)
		_ = json.Unmarshal(want[k], &w)
		if !sameJSON(g, w) {
			t.Errorf("%s: remote %s\nlocal %s", k, got[k], want[k])
		}
	}
	var gm, wm struct {
		Status       string  `json:"status"`
		Method       string  `json:"method"`
		ObjectiveEUR float64 `json:"objective_eur"`
	}
	_ = json.Unmarshal(got["mip"], &gm)
	_ = json.Unmarshal(want["mip"], &wm)
	var gc, wc float64
	_ = json.Unmarshal(got["cost_eur"], &gc)
	_ = json.Unmarshal(want["cost_eur"], &wc)
	if gm.Status != wm.Status || gm.Method != wm.Method || math.Abs(gm.ObjectiveEUR-wm.ObjectiveEUR) > 1e-6*math.Abs(wm.ObjectiveEUR) ||
		math.Abs(gc-wc) > 1e-6*math.Abs(wc) {
		t.Errorf("remote mip %+v, cost %v; local %+v, %v", gm, gc, wm, wc)
	}

	text := runOK(append([]string{"plan", "--remote", "--network", tiny, "--name", "tiny-tp", "--db", dbURL}, tflags...)...)
	t.Logf("remote text plan:\n%s", text)
	if !strings.Contains(text, "time-phased plan of tiny-tp over") || !strings.Contains(text, "orders released this week (week 0)") {
		t.Errorf("remote text plan:\n%s", text)
	}
	t.Setenv(envDB, "")
	if code, _, errs := runCLI(t, append([]string{"plan", "--remote", "--network", tiny}, tflags...)...); code != 2 || !strings.Contains(errs, "give --db") {
		t.Errorf("--remote without a database: exit %d, %s", code, errs)
	}
}

// keyString orders plan lines.
func keyString(k planLineKey) string {
	return fmt.Sprintf("%s|%s|%s|%s|%s|%03d|%03d|%03d", k.Kind, k.Source, k.Site, k.SKU, k.Path, k.ReleaseWeek, k.DepartWeek, k.ArriveWeek)
}

// sameJSON compares decoded JSON, numbers within 1e-6 relative.
func sameJSON(a, b any) bool {
	switch a := a.(type) {
	case float64:
		b, ok := b.(float64)
		return ok && math.Abs(a-b) <= 1e-6*math.Max(1, math.Abs(b))
	case []any:
		b, ok := b.([]any)
		if !ok || len(a) != len(b) {
			return false
		}
		for i := range a {
			if !sameJSON(a[i], b[i]) {
				return false
			}
		}
		return true
	case map[string]any:
		b, ok := b.(map[string]any)
		if !ok || len(a) != len(b) {
			return false
		}
		for k, v := range a {
			if !sameJSON(v, b[k]) {
				return false
			}
		}
		return true
	}
	return a == b
}
