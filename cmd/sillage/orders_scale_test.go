package main

import (
	"context"
	"fmt"
	"math"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"go.temporal.io/sdk/client"

	"github.com/sillage/sillage"
	"github.com/sillage/sillage/internal/clustertest"
	"github.com/sillage/sillage/internal/syncbuf"
	"github.com/sillage/sillage/internal/temporaltest"
	"github.com/sillage/sillage/internal/testhelp"
	"github.com/sillage/sillage/iot/broker"
	"github.com/sillage/sillage/netgen"
	"github.com/sillage/sillage/store"
	"github.com/sillage/sillage/workflows"
)

// TestPlanOrdersAtScale plans a network that makes more than 2,000
// orders with a real worker against the Temporal dev server and SQLite:
// gen-network --sites 2800 --products 1 --weeks 8 --seed 3 --hub, cut
// down to one distribution centre and one supplier (netgen.Hub) so that
// the plan solves in seconds and the test is about the orders: its 2,548
// boutiques start empty and each gets an order (2,548 orders, 6 batches,
// 126 PlanWorkflow events, 153 s on this machine). It checks that
//
//   - every order the plan implies is stored once, with its lines, and
//     its stock is held once (the "hold" effect, and the positions: in
//     transit and reserved grew by exactly the orders' lines, summed here
//     from the stored orders);
//   - every order workflow was started once;
//   - the PlanWorkflow's history stays under 10,000 events (the orders
//     are started by OrderBatchWorkflows).
//
// Every purchase order needs approval and no warehouse acks transfers, so
// no order moves stock after its hold while the test looks.
func TestPlanOrdersAtScale(t *testing.T) {
	if testing.Short() {
		t.Skip("skipping the 2,000-order plan in -short mode")
	}
	srv := temporaltest.Start(t)
	c := temporaltest.Client(t, srv)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()

	gen, err := netgen.Generate(netgen.Options{Sites: 2800, Products: 1, Weeks: 8, Seed: 3})
	if err != nil {
		t.Fatal(err)
	}
	n := netgen.Hub(gen)
	n.Name = "scale"
	n.Policy.ApprovalThresholdEUR = 0.01
	dir := t.TempDir()
	dbURL := "sqlite://" + filepath.Join(dir, "sillage.db")
	st, err := store.Open(ctx, dbURL)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	if _, err := st.SaveNetwork(ctx, n.Name, n); err != nil {
		t.Fatal(err)
	}
	before, err := st.LoadNetwork(ctx, n.Name)
	if err != nil {
		t.Fatal(err)
	}
	b := startBroker(t, broker.Config{Addr: "127.0.0.1:0"})

	var workerLog syncbuf.Buffer
	workerDone := make(chan int, 1)
	go func() {
		workerDone <- run(ctx, []string{"worker", "--temporal", srv.HostPort, "--namespace", srv.Namespace, "--db", dbURL,
			"--broker", b.URL(false), "--report-dir", filepath.Join(dir, "reports")}, &workerLog, &workerLog)
	}()
	defer func() {
		cancel()
		select {
		case <-workerDone:
		case <-time.After(30 * time.Second):
			t.Error("worker did not stop")
		}
	}()

	planID := workflows.PlanID(n.Name, time.Now())
	run, err := c.ExecuteWorkflow(ctx, client.StartWorkflowOptions{ID: workflows.PlanWorkflowID(planID), TaskQueue: workflows.TaskQueue},
		workflows.PlanWorkflowName, workflows.PlanInput{Network: n.Name, PlanID: planID, Reason: "scale test"})
	if err != nil {
		t.Fatal(err)
	}
	wctx, wcancel := context.WithTimeout(ctx, 40*time.Minute)
	defer wcancel()
	var sum workflows.PlanSummary
	err = run.Get(wctx, &sum)
	for err != nil && wctx.Err() == nil && strings.Contains(err.Error(), "deadline exceeded") {
		err = run.Get(wctx, &sum) // a long poll that outlived its RPC deadline on a loaded machine
	}
	if err != nil {
		t.Fatalf("plan: %v\nworker log:\n%s", err, workerLog.String())
	}
	if sum.OrderCount < 2000 {
		t.Fatalf("the plan made %d orders, want at least 2,000", sum.OrderCount)
	}
	if sum.OrdersHeld != sum.OrderCount || sum.OrdersStarted != sum.OrderCount || sum.OrdersFailed != 0 {
		t.Errorf("progress: %d orders, %d held, %d started, %d failed", sum.OrderCount, sum.OrdersHeld, sum.OrdersStarted, sum.OrdersFailed)
	}

	// The parent's history.
	d, err := c.DescribeWorkflowExecution(ctx, run.GetID(), run.GetRunID())
	if err != nil {
		t.Fatal(err)
	}
	events := d.WorkflowExecutionInfo.GetHistoryLength()
	t.Logf("%d orders in %d batches; PlanWorkflow history: %d events", sum.OrderCount, sum.OrderBatches, events)
	if events >= 10000 {
		t.Errorf("PlanWorkflow history has %d events, want under 10,000", events)
	}

	// Each order stored once, as the plan implies, and held once.
	res, err := clustertest.CheckOrders(ctx, st, n, []string{planID})
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range res.Problems {
		t.Error(p)
	}
	if res.Count != sum.OrderCount {
		t.Errorf("%d orders stored, the plan says %d", res.Count, sum.OrderCount)
	}
	// Each order workflow started once.
	var wres clustertest.Result
	testhelp.Eventually(t, time.Minute, "every order workflow in visibility", func() bool {
		wres, err = clustertest.CheckOrderWorkflows(ctx, c, n.Name)
		return err == nil && wres.Count >= sum.OrderCount
	})
	for _, p := range wres.Problems {
		t.Error(p)
	}
	if wres.Count != sum.OrderCount {
		t.Errorf("%d order workflows, want %d", wres.Count, sum.OrderCount)
	}

	// The holds, position by position: what the stored orders add up to.
	orders, err := st.ListOrders(ctx, store.OrderFilter{PlanID: planID})
	if err != nil {
		t.Fatal(err)
	}
	type key struct{ site, sku string }
	want := map[key]sillage.PositionDelta{}
	for _, p := range before.Stock {
		want[key{p.Site, p.SKU}] = sillage.PositionDelta{InTransit: p.InTransit, Reserved: p.Reserved}
	}
	for _, o := range orders {
		for _, l := range o.Lines {
			d := want[key{o.Site, l.SKU}]
			d.InTransit += l.Quantity
			want[key{o.Site, l.SKU}] = d
			if o.Kind == sillage.OrderTransfer {
				r := want[key{o.Source, l.SKU}]
				r.Reserved += l.Quantity
				want[key{o.Source, l.SKU}] = r
			}
		}
	}
	after, err := st.LoadNetwork(ctx, n.Name)
	if err != nil {
		t.Fatal(err)
	}
	got := map[key]sillage.PositionDelta{}
	for _, p := range after.Stock {
		got[key{p.Site, p.SKU}] = sillage.PositionDelta{InTransit: p.InTransit, Reserved: p.Reserved}
	}
	bad := 0
	for k, w := range want {
		g := got[k]
		if math.Abs(g.InTransit-w.InTransit) > 1e-6 || math.Abs(g.Reserved-w.Reserved) > 1e-6 {
			if bad++; bad <= 10 {
				t.Errorf("%s at %s: in transit %v, reserved %v; want %v, %v", k.sku, k.site, g.InTransit, g.Reserved, w.InTransit, w.Reserved)
			}
		}
	}
	if bad > 0 {
		t.Errorf("%d positions differ from the orders' holds", bad)
	}
	if t.Failed() {
		fmt.Println(workerLog.String())
	}
}
