package report

import (
	"errors"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/sillage/sillage"
	"github.com/sillage/sillage/carbon"
	"github.com/sillage/sillage/carbon/pact"
	"github.com/sillage/sillage/internal/testnet"
)

// loadTiny loads testdata/networks/tiny.yaml.
func loadTiny(t testing.TB) *sillage.Network { return testnet.Load(t, "tiny") }

func road(from, to string, km float64) sillage.Leg {
	return sillage.Leg{From: from, To: to, Mode: sillage.ModeRoad, DistanceKM: km}
}

// tinyInput is a month of plans on tiny.yaml, with a previous month, a
// cost-only comparison and a Pareto sweep, as a caller would compute them.
func tinyInput(t testing.TB) Input {
	t.Helper()
	n := loadTiny(t)
	var air sillage.Leg
	for _, l := range n.Lanes {
		if l.Mode == sillage.ModeAir {
			air = sillage.Leg{From: l.From, To: l.To, Mode: l.Mode, DistanceKM: l.DistanceKM}
		}
	}
	cur := []sillage.PlanLine{
		{Source: "SUP-FLR", Site: "BTQ-PAR", SKU: "BAG-01", Quantity: 12, Legs: []sillage.Leg{{From: "SUP-FLR", To: "DC-PAR", Mode: sillage.ModeRail, DistanceKM: 1300}, road("DC-PAR", "BTQ-PAR", 30)}},
		{Source: "DC-PAR", Site: "BTQ-LON", SKU: "BAG-01", Quantity: 3, Legs: []sillage.Leg{road("DC-PAR", "BTQ-LON", 500)}},
		{Source: "DC-PAR", Site: "BTQ-LON", SKU: "EDP-01", Quantity: 60, Legs: []sillage.Leg{air}},
		{Source: "DC-PAR", Site: "BTQ-PAR", SKU: "EDP-01", Quantity: 90, Legs: []sillage.Leg{road("DC-PAR", "BTQ-PAR", 30)}},
	}
	prev := []sillage.PlanLine{
		{Source: "SUP-FLR", Site: "BTQ-PAR", SKU: "BAG-01", Quantity: 10, Legs: []sillage.Leg{road("SUP-FLR", "DC-PAR", 1200), road("DC-PAR", "BTQ-PAR", 30)}},
		{Source: "DC-PAR", Site: "BTQ-LON", SKU: "EDP-01", Quantity: 80, Legs: []sillage.Leg{air}},
	}
	calc := carbon.Calculator{Network: n}
	rc, err := calc.Footprints(cur)
	if err != nil {
		t.Fatal(err)
	}
	rp, err := calc.Footprints(prev)
	if err != nil {
		t.Fatal(err)
	}
	p, _ := ParsePeriod("2025-06")
	countries := map[string]string{}
	for _, s := range n.Sites {
		countries[s.ID] = s.Country
	}
	var pfs []pact.ProductFootprint
	for _, pr := range n.Products {
		pf, err := pact.Build(pact.ProductPCF{Product: pr, Footprints: rc.Details, Countries: countries},
			pact.Options{CompanyName: "Maison Sillage", ReferencePeriodStart: p.Start, ReferencePeriodEnd: p.End})
		if err != nil {
			t.Fatal(err)
		}
		pfs = append(pfs, pf)
	}
	return Input{
		Network: "tiny", Company: "Maison Sillage", Period: p, Generated: time.Date(2025, 7, 1, 6, 0, 0, 0, time.UTC),
		Sites: n.Sites, Products: n.Products,
		Plans: []PlanSummary{
			{ID: "plan-2025-06-02", CreatedAt: time.Date(2025, 6, 2, 2, 0, 0, 0, time.UTC), Status: sillage.PlanOptimal, CarbonPriceEURPerT: 100, CostEUR: 912, KgCO2e: rc.TransportKgCO2e() / 2},
			{ID: "plan-2025-06-09", CreatedAt: time.Date(2025, 6, 9, 2, 0, 0, 0, time.UTC), Status: sillage.PlanOptimal, CarbonPriceEURPerT: 100, CostEUR: 880, KgCO2e: rc.TransportKgCO2e() / 2},
		},
		Current: rc, Previous: rp,
		CostOnlyKgCO2e: rc.TransportKgCO2e() * 1.25, CostOnlyMethod: "Test: cost-only emissions set to 1.25 × the plan's.",
		Pareto: []ParetoPoint{
			{CarbonPriceEURPerT: 0, CostEUR: 1700, KgCO2e: rc.TransportKgCO2e() * 1.25},
			{CarbonPriceEURPerT: 50, CostEUR: 1750, KgCO2e: rc.TransportKgCO2e() * 1.1},
			{CarbonPriceEURPerT: 100, CostEUR: 1792, KgCO2e: rc.TransportKgCO2e(), Chosen: true},
			{CarbonPriceEURPerT: 200, CostEUR: 1900, KgCO2e: rc.TransportKgCO2e() * 0.8},
		},
		ParetoMethod: "Test points.",
		Factors:      carbon.Default().Factors(),
		PACT:         pfs,
	}
}

func TestCompute(t *testing.T) {
	in := tinyInput(t)
	tb, err := Compute(in)
	if err != nil {
		t.Fatal(err)
	}
	var modes, lanes, share float64
	for _, m := range tb.Modes {
		modes += m.KgCO2e
		share += m.SharePct
		if math.Abs(m.TTWKgCO2e+m.WTTKgCO2e-m.KgCO2e) > 1e-9*m.KgCO2e {
			t.Errorf("%s: TTW + WTT != WTW", m.Mode)
		}
	}
	for _, l := range tb.Lanes {
		lanes += l.KgCO2e
		if l.Source == "" || l.Vehicle == "" {
			t.Errorf("lane %+v does not name its factor", l)
		}
	}
	want := in.Current.TransportKgCO2e()
	if math.Abs(modes-want) > 1e-9*want || math.Abs(lanes-want) > 1e-9*want || math.Abs(share-100) > 1e-9 {
		t.Errorf("by mode %v, by lane %v, shares %v; total %v", modes, lanes, share, want)
	}
	// Sites: transport of the delivered goods adds up to the plan's transport.
	var sites float64
	for _, s := range tb.Sites {
		sites += s.TransportKgCO2e
	}
	// Plus hub handling at DC-PAR, GLEC 0.6 kgCO2e/t: bags 2 kg, 12 + 3
	// units, 15 × 0.0012 = 0.018; bottles 0.5 kg, 60 + 90 units,
	// 150 × 0.0003 = 0.045; 0.063 in all.
	if math.Abs(sites-(want+0.063)) > 1e-9*want {
		t.Errorf("by site %v, want %v", sites, want+0.063)
	}
	if got := tb.SavingPct; math.Abs(got-20) > 1e-9 {
		t.Errorf("saving = %v %%, want 20 %% (E_cost_only = 1.25 E_plan)", got)
	}
	last := tb.Change[len(tb.Change)-1]
	if wantPct := (want - in.Previous.TransportKgCO2e()) / in.Previous.TransportKgCO2e() * 100; last.Mode != "total" || math.Abs(last.ChangePct-wantPct) > 1e-9 {
		t.Errorf("total change = %+v, want %v %%", last, wantPct)
	}
	if tb.Products[0].TotalKgCO2ePerUnit < tb.Products[len(tb.Products)-1].TotalKgCO2ePerUnit {
		t.Error("products not sorted by footprint")
	}

	in.Previous = nil
	in.CostOnlyKgCO2e = -1
	tb, err = Compute(in)
	if err != nil {
		t.Fatal(err)
	}
	if !math.IsNaN(tb.SavingPct) || !math.IsNaN(tb.Change[len(tb.Change)-1].ChangePct) {
		t.Errorf("unknown comparisons should be NaN: %v %+v", tb.SavingPct, tb.Change)
	}
}

func TestNoData(t *testing.T) {
	in := tinyInput(t)
	in.Plans, in.Current = nil, nil
	dir := t.TempDir()
	_, err := Write(filepath.Join(dir, "out"), in)
	if !errors.Is(err, ErrNoData) || !strings.Contains(err.Error(), "2025-06") {
		t.Fatalf("err = %v, want ErrNoData naming the period", err)
	}
	if _, err := os.Stat(filepath.Join(dir, "out")); !os.IsNotExist(err) {
		t.Error("a report without data left files behind")
	}
}

func TestParsePeriod(t *testing.T) {
	p, err := ParsePeriod("2025-01")
	if err != nil || p.Previous().Label != "2024-12" || !p.End.Equal(time.Date(2025, 2, 1, 0, 0, 0, 0, time.UTC)) {
		t.Errorf("ParsePeriod: %+v %v", p, err)
	}
	for _, bad := range []string{"", "2025", "2025-13", "June 2025", "2025-06-01"} {
		if _, err := ParsePeriod(bad); !errors.Is(err, sillage.ErrInvalid) {
			t.Errorf("ParsePeriod(%q): err = %v", bad, err)
		}
	}
}

func TestWrite(t *testing.T) {
	in := tinyInput(t)
	in.Actual, in.ActualMethod = in.Current, "Test: everything planned moved."
	in.ActualNotes = []string{"Test: one order line had no path."}
	dir := t.TempDir()
	files, s := writeHTML(t, dir, in)
	for _, want := range []string{"chart-by-mode", "chart-by-lane", "chart-by-site", "chart-top-products", "chart-pareto", "chart-change", "chart-saving",
		"Unit:", "Method:", "@media print", "UK DESNZ", "chosen: 100 EUR/tCO2e", "20.0 %",
		"Planned against actual", "Test: everything planned moved.", "Test: one order line had no path.", "Year on year", "product class"} {
		if !strings.Contains(s, want) {
			t.Errorf("report.html lacks %q", want)
		}
	}
	for _, bad := range []string{"<script", "http://", "https://", "NaN", "%!"} {
		if strings.Contains(s, bad) && !(bad == "http://" && strings.Count(s, "http://") == strings.Count(s, `xmlns="http://www.w3.org/2000/svg"`)) {
			t.Errorf("report.html contains %q (it must be self-contained and clean)", bad)
		}
	}
	if strings.Count(s, "<figcaption>") != 7 || strings.Count(s, "<b>Unit:</b>") != 7 {
		t.Errorf("every figure needs a caption with its unit and method")
	}
	if len(files.CSV) != 13 || len(files.PACT) != 2 {
		t.Errorf("files: %d CSV, %d PACT", len(files.CSV), len(files.PACT))
	}
	byMode, err := os.ReadFile(filepath.Join(dir, "emissions_by_mode.csv"))
	if err != nil || !strings.HasPrefix(string(byMode), "mode,tonne_km,ttw_kgco2e,wtt_kgco2e,kgco2e,share_pct\n") || !strings.Contains(string(byMode), "\nair,") {
		t.Errorf("emissions_by_mode.csv = %q, %v", byMode, err)
	}
	if _, err := os.Stat(filepath.Join(dir, "pact", "bag-01.json")); err != nil {
		t.Error(err)
	}
}

// writeHTML writes the report of in to dir and returns its files and the
// text of its HTML page.
func writeHTML(t *testing.T, dir string, in Input) (*Files, string) {
	t.Helper()
	files, err := Write(dir, in)
	if err != nil {
		t.Fatal(err)
	}
	html, err := os.ReadFile(files.HTML)
	if err != nil {
		t.Fatal(err)
	}
	return files, string(html)
}

func TestNiceTicksAndFormat(t *testing.T) {
	ticks := niceTicks(87, 5)
	if ticks[0] != 0 || ticks[len(ticks)-1] < 87 || len(ticks) > 7 {
		t.Errorf("niceTicks(87) = %v", ticks)
	}
	for v, want := range map[float64]string{0: "0", 1234567: "1\u202f234\u202f567", 12.34: "12.3", 0.0456: "0.0456", 0.0001234: "0.00012", 150: "150"} {
		if got := fmtNum(v); got != want {
			t.Errorf("fmtNum(%v) = %q, want %q", v, got, want)
		}
	}
}

// TestActualSumsLegsShipped: the month's actual is exactly the legs of
// what moved. The plan sends 20 bags to Paris (road, 30 km), and 10 bags
// and 40 bottles to London (road 500 km and air); the London transfer is
// cancelled, so only the Paris bags move:
//
//	actual  0.04 t × 30 km × 0.12522 = 0.150264 kgCO2e
//	planned adds 0.02 t × 500 km × 0.12522 = 1.2522 for the London bags.
func TestActualSumsLegsShipped(t *testing.T) {
	n := loadTiny(t)
	air := sillage.Leg{From: "DC-PAR", To: "BTQ-LON", Mode: sillage.ModeAir}
	for _, l := range n.Lanes {
		if l.Mode == sillage.ModeAir {
			air.DistanceKM = l.DistanceKM
		}
	}
	plan := &sillage.Plan{ID: "p", CreatedAt: time.Date(2025, 6, 2, 2, 0, 0, 0, time.UTC), Lines: []sillage.PlanLine{
		{Source: "DC-PAR", Site: "BTQ-PAR", SKU: "BAG-01", Quantity: 20, Legs: []sillage.Leg{road("DC-PAR", "BTQ-PAR", 30)}},
		{Source: "DC-PAR", Site: "BTQ-LON", SKU: "BAG-01", Quantity: 10, Legs: []sillage.Leg{road("DC-PAR", "BTQ-LON", 500)}},
		{Source: "DC-PAR", Site: "BTQ-LON", SKU: "EDP-01", Quantity: 40, Legs: []sillage.Leg{air}},
	}}
	orders := []sillage.Order{
		{ID: "to:p:DC-PAR:BTQ-PAR", PlanID: "p", Kind: sillage.OrderTransfer, Source: "DC-PAR", Site: "BTQ-PAR", Status: sillage.OrderClosed,
			Lines: []sillage.OrderLine{{SKU: "BAG-01", Quantity: 20}}},
		{ID: "to:p:DC-PAR:BTQ-LON", PlanID: "p", Kind: sillage.OrderTransfer, Source: "DC-PAR", Site: "BTQ-LON", Status: sillage.OrderCancelled,
			Lines: []sillage.OrderLine{{SKU: "BAG-01", Quantity: 10}, {SKU: "EDP-01", Quantity: 40}}},
	}
	ms, _, err := carbon.ReleasedMovements([]*sillage.Plan{plan}, orders)
	if err != nil {
		t.Fatal(err)
	}
	calc := carbon.Calculator{Network: n}
	planned, err := calc.Footprints(plan.Lines)
	if err != nil {
		t.Fatal(err)
	}
	actual, err := calc.Footprints(carbon.MovementLines(ms))
	if err != nil {
		t.Fatal(err)
	}
	p, _ := ParsePeriod("2025-06")
	in := Input{Network: "tiny", Period: p, Products: n.Products, Sites: n.Sites, Plans: []PlanSummary{{ID: "p"}},
		Current: planned, Actual: actual, CostOnlyKgCO2e: -1}
	tb, err := Compute(in)
	if err != nil {
		t.Fatal(err)
	}
	var month, road CompareRow
	for _, r := range tb.PlanVsActual {
		if r.Dimension == DimMonth && r.Key == "2025-06" {
			month = r
		}
		if r.Dimension == DimMode && r.Key == "road" {
			road = r
		}
	}
	if math.Abs(month.ActualKgCO2e-0.150264) > 1e-12 || math.Abs(tb.ActualTransportKgCO2e-0.150264) > 1e-12 {
		t.Errorf("actual = %.15g (month row %.15g), want 0.150264", tb.ActualTransportKgCO2e, month.ActualKgCO2e)
	}
	if math.Abs(road.PlannedKgCO2e-(0.150264+1.2522)) > 1e-12 || math.Abs(road.ActualKgCO2e-0.150264) > 1e-12 {
		t.Errorf("road: planned %.15g, actual %.15g; want 1.402464 and 0.150264", road.PlannedKgCO2e, road.ActualKgCO2e)
	}
	if !month.PlannedAvailable || !month.ActualAvailable {
		t.Errorf("month row %+v", month)
	}
	// Last year unknown: year-on-year says so instead of showing 0 → x.
	for _, y := range tb.YearOnYear {
		if y.LastYearAvailable || !math.IsNaN(y.ChangePct) {
			t.Errorf("year-on-year %+v claims a last year", y)
		}
	}
}
