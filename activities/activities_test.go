package activities

import (
	"context"
	"errors"
	"fmt"
	"math"
	"path/filepath"
	"runtime"
	"testing"
	"time"

	"go.temporal.io/sdk/temporal"

	"github.com/sillage/sillage"
	"github.com/sillage/sillage/network"
	"github.com/sillage/sillage/optimize"
	"github.com/sillage/sillage/optimize/timephased"
	"github.com/sillage/sillage/store"
	"github.com/sillage/sillage/workflows"
)

// tinyPath is testdata/networks/tiny.yaml at the module root.
func tinyPath(t testing.TB) string {
	_, file, _, _ := runtime.Caller(0)
	return filepath.Join(filepath.Dir(file), "..", "testdata", "networks", "tiny.yaml")
}

// seeded opens a fresh SQLite store holding the tiny network.
func seeded(t *testing.T) (*store.Store, *sillage.Network) {
	t.Helper()
	return storeWithNetwork(t, tinyPath(t), "tiny")
}

// storeWithNetwork opens a fresh SQLite store in a temporary directory
// (closed when t ends) and saves in it, under name, the network loaded
// from the file path; it returns the store and the network.
func storeWithNetwork(t testing.TB, path, name string) (*store.Store, *sillage.Network) {
	t.Helper()
	ctx := context.Background()
	s, err := store.Open(ctx, "sqlite://"+filepath.Join(t.TempDir(), "s.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	n, err := network.Load(path)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.SaveNetwork(ctx, name, n); err != nil {
		t.Fatal(err)
	}
	return s, n
}

// newActivities returns activities over the store with the real planner
// and footprints.
func newActivities(s *store.Store) *Activities {
	return &Activities{Store: s, Optimizer: LocalOptimizer{}, Carbon: CarbonFootprints{}, Supplier: &SimulatedSupplier{}}
}

func position(t *testing.T, s *store.Store, site, sku string) sillage.Position {
	t.Helper()
	p, err := s.GetPosition(context.Background(), "tiny", site, sku)
	if errors.Is(err, sillage.ErrNotFound) {
		return sillage.Position{Site: site, SKU: sku}
	}
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// runPlan runs the plan steps in order, as the PlanWorkflow does.
func runPlan(t *testing.T, a *Activities, in workflows.PlanRef) workflows.PersistResult {
	t.Helper()
	ctx := context.Background()
	if _, err := a.SnapshotStock(ctx, workflows.SnapshotStockInput{PlanRef: in}); err != nil {
		t.Fatal(err)
	}
	fc, err := a.Forecast(ctx, workflows.ForecastInput{PlanRef: in})
	if err != nil {
		t.Fatal(err)
	}
	if fc.Series != 4 || fc.DemandUnits <= 0 {
		t.Errorf("forecast %+v, want 4 series with demand", fc)
	}
	rt, err := a.Route(ctx, workflows.RouteInput{PlanRef: in})
	if err != nil {
		t.Fatal(err)
	}
	if rt.Paths == 0 {
		t.Errorf("routes %+v", rt)
	}
	sol, err := a.SolveHorizon(ctx, workflows.SolveHorizonInput{PlanRef: in})
	if err != nil {
		t.Fatal(err)
	}
	if sol.Status != sillage.PlanOptimal || sol.Lines == 0 || sol.Variables == 0 || len(sol.TopLines) == 0 || sol.Horizon == nil {
		t.Errorf("solve %+v", sol)
	}
	for _, l := range sol.TopLines {
		if l.Legs != nil {
			t.Errorf("top line %+v carries its legs", l)
		}
	}
	fp, err := a.Footprints(ctx, workflows.FootprintsInput{PlanRef: in})
	if err != nil {
		t.Fatal(err)
	}
	if fp.Footprints == 0 || fp.MaxKgCO2e < fp.MeanKgCO2e {
		t.Errorf("footprints %+v", fp)
	}
	res, err := a.PersistPlan(ctx, workflows.PersistPlanInput{PlanRef: in})
	if err != nil {
		t.Fatal(err)
	}
	return res
}

func TestPlanStepsPersistPlanAndOrders(t *testing.T) {
	s, _ := seeded(t)
	a := newActivities(s)
	ctx := context.Background()
	in := workflows.PlanRef{PlanID: "tiny:20260301T060000", Network: "tiny"}
	res := runPlan(t, a, in)
	if len(res.Orders) == 0 {
		t.Fatal("the tiny plan made no order")
	}
	p, err := s.LoadPlan(ctx, in.PlanID)
	if err != nil {
		t.Fatal(err)
	}
	if p.Network != "tiny" || len(p.Lines) == 0 {
		t.Errorf("stored plan %+v", p)
	}
	fs, err := s.ListFootprints(ctx, in.PlanID)
	if err != nil || len(fs) == 0 {
		t.Errorf("stored footprints %d, %v", len(fs), err)
	}
	stored, err := s.ListOrders(ctx, store.OrderFilter{PlanID: in.PlanID})
	if err != nil {
		t.Fatal(err)
	}
	if len(stored) != len(res.Orders) {
		t.Fatalf("%d orders stored, %d returned", len(stored), len(res.Orders))
	}
	for _, o := range res.Orders {
		if o.ApprovalThresholdEUR != 10000 || o.Network != "tiny" || o.Units <= 0 {
			t.Errorf("order ref %+v", o)
		}
	}

	// The persist step again (a retry) finds the stored plan and stores no second copy of any order.
	if _, err := a.PersistPlan(ctx, workflows.PersistPlanInput{PlanRef: in}); err != nil {
		t.Fatal(err)
	}
	again, _ := s.ListOrders(ctx, store.OrderFilter{PlanID: in.PlanID})
	if len(again) != len(stored) {
		t.Errorf("%d orders after a second persist, want %d", len(again), len(stored))
	}
}

func TestOrderStockEffectsOnce(t *testing.T) {
	s, _ := seeded(t)
	a := newActivities(s)
	ctx := context.Background()
	// A transfer of 10 BAG-01 and 30 EDP-01 from DC-PAR to BTQ-LON.
	o := sillage.Order{ID: "to:p1:DC-PAR:BTQ-LON", PlanID: "p1", Kind: sillage.OrderTransfer, Source: "DC-PAR", Site: "BTQ-LON",
		Lines: []sillage.OrderLine{{SKU: "BAG-01", Quantity: 10, ValueEUR: 8000}, {SKU: "EDP-01", Quantity: 30, ValueEUR: 1800}}, ValueEUR: 9800}
	if _, err := s.SaveOrder(ctx, o); err != nil {
		t.Fatal(err)
	}
	ref := orderRef("tiny", 10000, o)
	lonBag0, dcBag0 := position(t, s, "BTQ-LON", "BAG-01"), position(t, s, "DC-PAR", "BAG-01")
	for i := range 3 {
		st, err := a.CreateOrder(ctx, ref)
		if err != nil {
			t.Fatal(err)
		}
		if st.Created != (i == 0) {
			t.Errorf("call %d: created %v", i+1, st.Created)
		}
	}
	if got := position(t, s, "BTQ-LON", "BAG-01").InTransit - lonBag0.InTransit; got != 10 {
		t.Errorf("in transit at BTQ-LON rose by %v, want 10 once", got)
	}
	if got := position(t, s, "DC-PAR", "BAG-01").Reserved - dcBag0.Reserved; got != 10 {
		t.Errorf("reserved at DC-PAR rose by %v, want 10", got)
	}

	// Partial: keep 4 bags and all the perfume; twice, applied once.
	keep := []sillage.OrderLine{{SKU: "BAG-01", Quantity: 4}, {SKU: "EDP-01", Quantity: 30}}
	for range 2 {
		r, err := a.ReleaseOrder(ctx, workflows.Release{OrderID: o.ID, Network: "tiny", Keep: keep, Status: sillage.OrderPartial, Reason: "cut"})
		if err != nil {
			t.Fatal(err)
		}
		if r.Units != 6 {
			t.Errorf("released %v units, want 6", r.Units)
		}
	}
	if got := position(t, s, "BTQ-LON", "BAG-01").InTransit - lonBag0.InTransit; got != 4 {
		t.Errorf("in transit after the cut %v, want 4", got)
	}

	// Receipts: 3 bags (seq 1, retried), then 20 perfumes and the end.
	expected := keep
	r1 := workflows.ReceiptProgress{OrderID: o.ID, Network: "tiny", Site: "BTQ-LON", Seq: 1,
		Lines: []sillage.OrderLine{{SKU: "BAG-01", Quantity: 3}}, Units: 3, TotalUnits: 3,
		Received: []sillage.OrderLine{{SKU: "BAG-01", Quantity: 3}}, Expected: expected}
	for range 2 {
		if err := a.ReceiveOrder(ctx, r1); err != nil {
			t.Fatal(err)
		}
	}
	if got := position(t, s, "BTQ-LON", "BAG-01").InTransit - lonBag0.InTransit; got != 1 {
		t.Errorf("in transit after receiving 3 bags: %v, want 1", got)
	}
	r2 := workflows.ReceiptProgress{OrderID: o.ID, Network: "tiny", Site: "BTQ-LON", Seq: 2,
		Lines: []sillage.OrderLine{{SKU: "EDP-01", Quantity: 20}}, Units: 20, TotalUnits: 23,
		Received: []sillage.OrderLine{{SKU: "BAG-01", Quantity: 3}, {SKU: "EDP-01", Quantity: 20}}, Expected: expected, Final: true}
	if err := a.ReceiveOrder(ctx, r2); err != nil {
		t.Fatal(err)
	}
	for _, sku := range []string{"BAG-01", "EDP-01"} {
		lon, dc := position(t, s, "BTQ-LON", sku), position(t, s, "DC-PAR", sku)
		base := map[string]sillage.Position{"BAG-01": lonBag0}[sku]
		if math.Abs(lon.InTransit-base.InTransit) > 1e-9 {
			t.Errorf("%s in transit at BTQ-LON %v after the final receipt, want back to %v", sku, lon.InTransit, base.InTransit)
		}
		if sku == "BAG-01" && math.Abs(dc.Reserved-dcBag0.Reserved) > 1e-9 {
			t.Errorf("BAG-01 reserved at DC-PAR %v, want back to %v", dc.Reserved, dcBag0.Reserved)
		}
	}
	got, _ := s.GetOrder(ctx, o.ID)
	if got.Status != sillage.OrderReceived {
		t.Errorf("status %s, want received", got.Status)
	}
	names, _ := s.OrderEffects(ctx, o.ID)
	if fmt.Sprint(names) != "[hold release:partially_confirmed receipt:1 receipt:2 final]" {
		t.Errorf("effects %v", names)
	}
}

func TestReceiveUnitsWithoutLines(t *testing.T) {
	s, _ := seeded(t)
	a := newActivities(s)
	ctx := context.Background()
	o := sillage.Order{ID: "po:p2:SUP-FLR:1", PlanID: "p2", Kind: sillage.OrderPurchase, Source: "SUP-FLR", Site: "BTQ-PAR",
		Lines: []sillage.OrderLine{{SKU: "BAG-01", Quantity: 2}, {SKU: "EDP-01", Quantity: 5}}, ValueEUR: 1900}
	if _, err := s.SaveOrder(ctx, o); err != nil {
		t.Fatal(err)
	}
	before := position(t, s, "BTQ-PAR", "EDP-01")
	if _, err := a.CreateOrder(ctx, orderRef("tiny", 10000, o)); err != nil {
		t.Fatal(err)
	}
	// 4 units with no products: the 2 bags, then 2 perfumes.
	if err := a.ReceiveOrder(ctx, workflows.ReceiptProgress{OrderID: o.ID, Network: "tiny", Seq: 1, Units: 4, TotalUnits: 4}); err != nil {
		t.Fatal(err)
	}
	if got := position(t, s, "BTQ-PAR", "EDP-01").InTransit - before.InTransit; got != 3 {
		t.Errorf("perfume in transit %v, want 3 left", got)
	}
}

func TestCreateOrderRebuildsFromPlan(t *testing.T) {
	s, n := seeded(t)
	a := newActivities(s)
	ctx := context.Background()
	p := &sillage.Plan{ID: "tiny:p3", Network: "tiny", Status: sillage.PlanOptimal, Lines: []sillage.PlanLine{
		{Source: "SUP-FLR", Site: "DC-PAR", SKU: "BAG-01", Quantity: 7.2, KgCO2e: 1.44},
	}}
	if err := s.SavePlan(ctx, p); err != nil {
		t.Fatal(err)
	}
	orders, err := OrdersFromPlan(n, p)
	if err != nil || len(orders) != 1 {
		t.Fatalf("orders %v, %v", orders, err)
	}
	st, err := a.CreateOrder(ctx, orderRef("tiny", 10000, orders[0]))
	if err != nil {
		t.Fatal(err)
	}
	if !st.Created || st.Units() != 8 || st.ValueEUR != 6400 {
		t.Errorf("created %+v, want 8 bags worth 6,400 EUR", st)
	}
	_, err = a.CreateOrder(ctx, workflows.OrderRef{OrderID: "po:tiny:p3:SUP-FLR:9", PlanID: "tiny:p3", Network: "tiny"})
	var app *temporal.ApplicationError
	if !errors.As(err, &app) || app.Type() != workflows.ErrTypeNotFound || !app.NonRetryable() {
		t.Errorf("unknown order: %v, want a non-retryable NotFound", err)
	}
}

func TestOrdersFromPlan(t *testing.T) {
	n, err := network.Load(tinyPath(t))
	if err != nil {
		t.Fatal(err)
	}
	p := &sillage.Plan{ID: "tiny:x", Lines: []sillage.PlanLine{
		{Source: "SUP-FLR", Site: "DC-PAR", SKU: "EDP-01", Quantity: 100.0000001, KgCO2e: 10},
		{Source: "SUP-FLR", Site: "BTQ-PAR", SKU: "BAG-01", Quantity: 2.5, KgCO2e: 1},
		{Source: "SUP-FLR", Site: "DC-PAR", SKU: "BAG-01", Quantity: 3, KgCO2e: 3},
		{Source: "DC-PAR", Site: "BTQ-LON", SKU: "EDP-01", Quantity: 1e-9},
		{Source: "DC-PAR", Site: "BTQ-LON", SKU: "BAG-01", Quantity: 1},
	}}
	got, err := OrdersFromPlan(n, p)
	if err != nil {
		t.Fatal(err)
	}
	want := []struct {
		id    string
		kind  sillage.OrderKind
		lines string
		value float64
		kg    float64
	}{
		{"to:tiny:x:DC-PAR:BTQ-LON", sillage.OrderTransfer, "[{BAG-01 1 800}]", 800, 0},
		{"po:tiny:x:SUP-FLR:1", sillage.OrderPurchase, "[{BAG-01 3 2400}]", 2400, 1.2},
		{"po:tiny:x:SUP-FLR:2", sillage.OrderPurchase, "[{BAG-01 3 2400} {EDP-01 100 6000}]", 8400, 13},
	}
	if len(got) != len(want) {
		t.Fatalf("%d orders, want %d: %+v", len(got), len(want), got)
	}
	for i, w := range want {
		g := got[i]
		if g.ID != w.id || g.Kind != w.kind || fmt.Sprint(g.Lines) != w.lines || g.ValueEUR != w.value || math.Abs(g.KgCO2e-w.kg) > 1e-6 {
			t.Errorf("order %d: %s %s %v %v %v, want %+v", i, g.ID, g.Kind, g.Lines, g.ValueEUR, g.KgCO2e, w)
		}
	}
	p.Lines = append(p.Lines, sillage.PlanLine{Source: "BTQ-PAR", Site: "BTQ-LON", SKU: "BAG-01", Quantity: 1})
	if _, err := OrdersFromPlan(n, p); !errors.Is(err, sillage.ErrInvalid) {
		t.Errorf("a boutique as source: %v, want ErrInvalid", err)
	}
}

// failingPlanner returns an error from Solve.
type failingPlanner struct {
	LocalOptimizer
	err error
}

func (f failingPlanner) Solve(context.Context, *sillage.Network, *float64, func(string)) (*optimize.Result, error) {
	return nil, f.err
}

func (f failingPlanner) SolveHorizon(context.Context, *timephased.Input) (*timephased.Result, error) {
	return nil, f.err
}

func TestSolveErrorsAreClassified(t *testing.T) {
	s, _ := seeded(t)
	ctx := context.Background()
	for _, c := range []struct {
		err   error
		typ   string
		retry bool
	}{
		{fmt.Errorf("clp: %w", optimize.ErrInfeasible), workflows.ErrTypeInfeasible, false},
		{fmt.Errorf("model: %w", timephased.ErrInfeasible), workflows.ErrTypeInfeasible, false},
		{fmt.Errorf("demand: %w", sillage.ErrInvalid), workflows.ErrTypeInvalid, false},
		{errors.New("connection reset"), "", true},
	} {
		a := newActivities(s)
		a.Optimizer = failingPlanner{err: c.err}
		in := workflows.PlanRef{PlanID: "tiny:e", Network: "tiny"}
		_, err := a.Solve(ctx, workflows.SolveInput{PlanRef: in})
		if _, herr := a.SolveHorizon(ctx, workflows.SolveHorizonInput{PlanRef: in}); fmt.Sprint(herr) != fmt.Sprint(err) {
			t.Errorf("%v: SolveHorizon gave %v, Solve %v", c.err, herr, err)
		}
		var app *temporal.ApplicationError
		isApp := errors.As(err, &app)
		if c.retry {
			if isApp {
				t.Errorf("%v: became an application error", c.err)
			}
			continue
		}
		if !isApp || app.Type() != c.typ || !app.NonRetryable() {
			t.Errorf("%v: got %v, want non-retryable %s", c.err, err, c.typ)
		}
	}
	// An unknown network is NotFound, non-retryable.
	a := newActivities(s)
	_, err := a.SnapshotStock(ctx, workflows.SnapshotStockInput{PlanRef: workflows.PlanRef{PlanID: "x:1", Network: "nowhere"}})
	var app *temporal.ApplicationError
	if !errors.As(err, &app) || app.Type() != workflows.ErrTypeNotFound {
		t.Errorf("unknown network: %v", err)
	}
}

func TestNegativeStockPlannedAsZero(t *testing.T) {
	s, _ := seeded(t)
	ctx := context.Background()
	if _, err := s.AdjustPosition(ctx, "tiny", "BTQ-PAR", "BAG-01", sillage.PositionDelta{OnHand: -50}); err != nil {
		t.Fatal(err)
	}
	a := newActivities(s)
	snap, err := a.SnapshotStock(ctx, workflows.SnapshotStockInput{PlanRef: workflows.PlanRef{PlanID: "tiny:neg", Network: "tiny"}})
	if err != nil {
		t.Fatalf("a negative position failed the snapshot: %v", err)
	}
	if snap.OnHandUnits != 20+300+10 {
		t.Errorf("on hand %v, want the negative position counted as zero", snap.OnHandUnits)
	}
}

func TestAwaitConfirmationPendingIsRetryable(t *testing.T) {
	s, _ := seeded(t)
	ctx := context.Background()
	o := sillage.Order{ID: "po:p4:SUP-FLR:1", PlanID: "p4", Kind: sillage.OrderPurchase, Source: "SUP-FLR", Site: "DC-PAR",
		Lines: []sillage.OrderLine{{SKU: "BAG-01", Quantity: 2, ValueEUR: 1600}}, ValueEUR: 1600}
	if _, err := s.SaveOrder(ctx, o); err != nil {
		t.Fatal(err)
	}
	now := time.Date(2026, 3, 1, 6, 0, 0, 0, time.UTC)
	a := newActivities(s)
	a.Supplier = &SimulatedSupplier{Configured: true, ConfirmShare: 1, Delay: time.Minute, Now: func() time.Time { return now }}
	sub, err := a.SubmitOrder(ctx, orderRef("tiny", 0, o))
	if err != nil {
		t.Fatal(err)
	}
	_, err = a.AwaitConfirmation(ctx, workflows.AwaitConfirmationInput{Submission: sub, Poll: time.Second})
	var app *temporal.ApplicationError
	if !errors.As(err, &app) || app.Type() != workflows.ErrTypePending || app.NonRetryable() {
		t.Fatalf("before the answer: %v, want a retryable %s error", err, workflows.ErrTypePending)
	}
	// A poll that finds no answer is not an error to the worker's log.
	if app.Category() != temporal.ApplicationErrorCategoryBenign {
		t.Errorf("before the answer: category %v, want benign", app.Category())
	}
	now = now.Add(time.Minute)
	c, err := a.AwaitConfirmation(ctx, workflows.AwaitConfirmationInput{Submission: sub, Poll: time.Second})
	if err != nil || c.Status != workflows.ConfirmFull || c.OrderID != o.ID {
		t.Fatalf("after the answer: %+v, %v", c, err)
	}
}
