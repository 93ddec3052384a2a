package main

import (
	"context"
	"log/slog"
	"math"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/sillage/sillage"
	"github.com/sillage/sillage/store"
	"github.com/sillage/sillage/store/storetest"
	"github.com/sillage/sillage/workflows"
)

// storeTinyPlans stores one plan of tiny in May 2025 and two in June 2025.
func storeTinyPlans(t *testing.T, url string) {
	t.Helper()
	ctx := context.Background()
	s, err := store.Open(ctx, url)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	road := func(from, to string, km, cost, days float64) sillage.Leg {
		return sillage.Leg{From: from, To: to, Mode: sillage.ModeRoad, DistanceKM: km, CostEURPerKG: cost, TransitDays: days}
	}
	rail := sillage.Leg{From: "SUP-FLR", To: "DC-PAR", Mode: sillage.ModeRail, DistanceKM: 1300, CostEURPerKG: 0.2, TransitDays: 4}
	plans := []sillage.Plan{
		{ID: "p-may", CreatedAt: time.Date(2025, 5, 20, 2, 0, 0, 0, time.UTC), Lines: []sillage.PlanLine{
			{Source: "SUP-FLR", Site: "BTQ-PAR", SKU: "BAG-01", Quantity: 10, Legs: []sillage.Leg{road("SUP-FLR", "DC-PAR", 1200, 0.3, 2), road("DC-PAR", "BTQ-PAR", 30, 0.05, 1)}},
		}},
		{ID: "p-jun-1", CreatedAt: time.Date(2025, 6, 2, 2, 0, 0, 0, time.UTC), Lines: []sillage.PlanLine{
			{Source: "SUP-FLR", Site: "BTQ-PAR", SKU: "BAG-01", Quantity: 8, Legs: []sillage.Leg{rail, road("DC-PAR", "BTQ-PAR", 30, 0.05, 1)}},
			{Source: "DC-PAR", Site: "BTQ-LON", SKU: "EDP-01", Quantity: 30, Legs: []sillage.Leg{road("DC-PAR", "BTQ-LON", 500, 0.25, 2)}},
		}},
		{ID: "p-jun-2", CreatedAt: time.Date(2025, 6, 9, 2, 0, 0, 0, time.UTC), Lines: []sillage.PlanLine{
			{Source: "DC-PAR", Site: "BTQ-PAR", SKU: "EDP-01", Quantity: 40, Legs: []sillage.Leg{road("DC-PAR", "BTQ-PAR", 30, 0.05, 1)}},
		}},
	}
	for _, p := range plans {
		p.Network, p.Status, p.CarbonPriceEURPerT = "tiny", sillage.PlanOptimal, 100
		if err := s.SavePlan(ctx, &p); err != nil {
			t.Fatal(err)
		}
	}
	// Of p-jun-1's orders, the transfer to London was confirmed and moves;
	// the purchase order was cancelled and does not.
	for _, o := range []sillage.Order{
		{ID: "to:p-jun-1:DC-PAR:BTQ-LON", PlanID: "p-jun-1", Kind: sillage.OrderTransfer, Source: "DC-PAR", Site: "BTQ-LON", Status: sillage.OrderConfirmed,
			Lines: []sillage.OrderLine{{SKU: "EDP-01", Quantity: 30}}},
		{ID: "po:p-jun-1:SUP-FLR:1", PlanID: "p-jun-1", Kind: sillage.OrderPurchase, Source: "SUP-FLR", Site: "BTQ-PAR", Status: sillage.OrderCancelled,
			Lines: []sillage.OrderLine{{SKU: "BAG-01", Quantity: 8}}},
	} {
		if _, err := s.SaveOrder(ctx, o); err != nil {
			t.Fatal(err)
		}
	}
}

func TestReportCommand(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, url string) {
		storeTinyPlans(t, url)
		out := filepath.Join(t.TempDir(), "june")
		code, stdout, stderr := runCLI(t, "report", "--network", tinyNetwork, "--db", url, "--period", "2025-06", "--out", out)
		if code != 0 {
			t.Fatalf("exit %d: %s", code, stderr)
		}
		if !strings.Contains(stdout, "2 plans") {
			t.Errorf("stdout: %s", stdout)
		}
		html, err := os.ReadFile(filepath.Join(out, "report.html"))
		if err != nil {
			t.Fatal(err)
		}
		for _, want := range []string{"p-jun-1", "p-jun-2", "chart-pareto", "against 2025-05", "freight-train"} {
			if !strings.Contains(string(html), want) {
				t.Errorf("report.html lacks %q", want)
			}
		}
		if strings.Contains(string(html), "p-may") {
			t.Error("the May plan is in the June report")
		}
		change, _ := os.ReadFile(filepath.Join(out, "change_vs_previous.csv"))
		if !strings.Contains(string(change), "total,") || !strings.Contains(string(change), ",true\n") {
			t.Errorf("change_vs_previous.csv:\n%s", change)
		}
		for _, f := range []string{"pact/bag-01.json", "pact/edp-01.json", "emissions_by_site.csv", "pareto.csv"} {
			if _, err := os.Stat(filepath.Join(out, f)); err != nil {
				t.Error(err)
			}
		}

		// Actual: the 30 bottles to London only, 0.015 t × 500 km ×
		// 0.12522 kgCO2e/t·km = 0.93915 kgCO2e.
		pva, err := os.ReadFile(filepath.Join(out, "planned_vs_actual.csv"))
		if err != nil {
			t.Fatal(err)
		}
		var actual float64 = -1
		for _, line := range strings.Split(string(pva), "\n") {
			if f := strings.Split(line, ","); len(f) > 3 && f[0] == "month" && f[1] == "2025-06" {
				actual, _ = strconv.ParseFloat(f[3], 64)
			}
		}
		if math.Abs(actual-0.93915) > 1e-12 {
			t.Errorf("actual of 2025-06 = %v, want 0.93915:\n%s", actual, pva)
		}
		if !strings.Contains(stdout, "kgCO2e actual") {
			t.Errorf("stdout: %s", stdout)
		}

		// A month without plans is an error that says so.
		code, _, stderr = runCLI(t, "report", "--network", tinyNetwork, "--db", url, "--period", "2025-08", "--out", filepath.Join(t.TempDir(), "aug"))
		if code != 1 || !strings.Contains(stderr, "no data for the period") || !strings.Contains(stderr, "2025-08") {
			t.Errorf("empty month: exit %d, %s", code, stderr)
		}
	})
}

func TestReportUsage(t *testing.T) {
	for _, args := range [][]string{
		{"report", "--network", tinyNetwork, "--period", "2025-06"},
		{"report", "--network", tinyNetwork, "--period", "2025-13", "--out", "x"},
		{"report", "--network", tinyNetwork, "--period", "2025-06", "--out", "x", "--db", "mysql://x"},
	} {
		if code, _, stderr := runCLI(t, args...); code != 2 {
			t.Errorf("%v: exit %d (%s), want 2", args, code, stderr)
		}
	}
}

// TestReportWriterNegativeStock writes the worker's report of a stored
// network one of whose positions the ingest took below zero (a sale
// read before its receipt): the report is written, as a plan would be,
// and the position is reported as zero with a warning, where before
// validation failed the whole report.
func TestReportWriterNegativeStock(t *testing.T) {
	ctx := context.Background()
	url := "sqlite://" + filepath.Join(t.TempDir(), "s.db")
	var out, errb strings.Builder
	if code := run(ctx, []string{"seed", "--network", tinyNetwork, "--db", url}, &out, &errb); code != 0 {
		t.Fatalf("seed: exit %d: %s", code, errb.String())
	}
	storeTinyPlans(t, url)
	s, err := store.Open(ctx, url)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.AdjustPosition(ctx, "tiny", "BTQ-PAR", "BAG-01", sillage.PositionDelta{OnHand: -1000}); err != nil {
		t.Fatal(err)
	}
	p, err := s.GetPosition(ctx, "tiny", "BTQ-PAR", "BAG-01")
	s.Close()
	if err != nil || p.OnHand >= 0 {
		t.Fatalf("position %+v, %v: want a negative on-hand to test with", p, err)
	}
	var logs strings.Builder
	w := &reportWriter{db: url, dir: t.TempDir(), log: slog.New(slog.NewTextHandler(&logs, nil))}
	res, err := w.WriteReport(ctx, workflows.ReportInput{Network: "tiny", Period: "2025-06"})
	if err != nil {
		t.Fatalf("WriteReport with a negative position: %v", err)
	}
	if res.Plans != 2 {
		t.Errorf("%d plans reported, want the 2 of June", res.Plans)
	}
	if _, err := os.Stat(filepath.Join(res.Dir, "report.html")); err != nil {
		t.Error(err)
	}
	if !strings.Contains(logs.String(), "negative stock position reported as zero") || !strings.Contains(logs.String(), "site=BTQ-PAR sku=BAG-01") {
		t.Errorf("no warning naming the position:\n%s", logs.String())
	}
}
