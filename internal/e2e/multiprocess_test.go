package e2e

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"go.temporal.io/api/enums/v1"

	"github.com/sillage/sillage"
	"github.com/sillage/sillage/activities"
	"github.com/sillage/sillage/internal/clustertest"
	"github.com/sillage/sillage/internal/obs/obstest"
	"github.com/sillage/sillage/internal/temporaltest"
	"github.com/sillage/sillage/internal/testhelp"
	"github.com/sillage/sillage/internal/testnet"
	"github.com/sillage/sillage/iot"
	"github.com/sillage/sillage/network"
	"github.com/sillage/sillage/store"
	"github.com/sillage/sillage/workflows"
)

// TestMultiProcess runs sillage as it is deployed, without Docker: the
// Temporal dev server, PostgreSQL, Mosquitto with the deployment's
// configuration and ACL (sillage mqtt-users, over TLS), two `sillage worker` processes and one `sillage
// ingest`. A stock drop published by a boutique over MQTT makes the
// ingest trigger the network's planner; once the plan is making its
// orders, one worker is killed with SIGKILL. The other must finish the
// plan, and the PostgreSQL store must hold every order of the plan exactly
// once, with its stock effect applied once.
func TestMultiProcess(t *testing.T) {
	if testing.Short() {
		t.Skip("skipping the multi-process test in -short mode")
	}
	db := postgresDatabase(t)
	const site = "BTQ-PAR-MONTAIGNE"
	bin := sillageBinary(t)
	mq := startMosquitto(t, bin, filepath.Join(testnet.ModuleRoot(t), "testdata", "networks", "maison.yaml"))
	srv := temporaltest.Start(t)
	c := temporaltest.Client(t, srv)
	dir := t.TempDir()
	ctx := context.Background()

	// The sample network with a quarter of the distribution centres'
	// stock (the plan buys from suppliers) and no approvals (every order
	// goes on at once).
	n, err := network.Load(filepath.Join(testnet.ModuleRoot(t), "testdata", "networks", "maison.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	clustertest.OrderingNetwork(n)
	data, err := network.Marshal(n)
	if err != nil {
		t.Fatal(err)
	}
	file := filepath.Join(dir, "maison.yaml")
	if err := os.WriteFile(file, data, 0o644); err != nil {
		t.Fatal(err)
	}
	runSillage(t, bin, "seed", "--network", file, "--db", db)

	common := []string{"--temporal", srv.HostPort, "--namespace", srv.Namespace, "--db", db, "--broker", mq.URL, "--ca-file", mq.CA(), "--log-format", "json"}
	worker := func(name string) *process {
		return startProcess(t, dir, name, bin, nil, append([]string{"worker",
			"--username", "planner", "--password-file", mq.PasswordFile("planner"), "--sim-delay", "1s", "--sim-confirm", "1", "--sim-partial", "0", "--debounce", "1s",
			"--metrics", "127.0.0.1:0"}, common...)...)
	}
	w1, w2 := worker("worker-1"), worker("worker-2")
	ingest := startProcess(t, dir, "ingest", bin, nil, append([]string{"ingest",
		"--username", "ingest", "--password-file", mq.PasswordFile("ingest"), "--network", "maison", "--planner-debounce", "1s", "--debounce", "1s"}, common...)...)
	for _, p := range []*process{w1, w2, ingest} {
		testhelp.Eventually(t, time.Minute, p.name+" to start", func() bool {
			if p.Exited() {
				t.Fatalf("%s exited at start", p.name)
			}
			return p.logContains(`"worker started"`) || p.logContains(`"ingest connected and subscribed"`)
		})
	}

	// A boutique counts one of its products at zero: below its reorder
	// point. It publishes with its own credentials under the ACL; the
	// ingest may not be subscribed yet, so it publishes until a plan runs
	// (a repeat of the snapshot is a duplicate, which changes nothing).
	cat := iot.NewCatalog(n)
	sku := ""
	for _, p := range n.Stock {
		if rop, ok := cat.ReorderPoint(site, p.SKU); p.Site == site && ok && p.OnHand > rop && rop > 0 {
			sku = p.SKU
			break
		}
	}
	if sku == "" {
		t.Fatalf("no position of %s above its reorder point", site)
	}
	pub, mc, err := iot.Dial(ctx, iot.ClientConfig{Broker: mq.URL, CAFile: mq.CA(), ClientID: "e2e-" + site, Username: site, Password: mq.Password(t, site), CleanSession: true})
	if err != nil {
		t.Fatal(err)
	}
	defer mc.Disconnect(100)
	snapshot, err := json.Marshal(iot.Snapshot{ID: "e2e-count", Kind: iot.SnapshotDelta, Time: time.Now().UTC(),
		Positions: []iot.SnapshotPosition{{SKU: sku, OnHand: 0}}})
	if err != nil {
		t.Fatal(err)
	}
	plans := `WorkflowType="PlanWorkflow" AND SillageNetwork="maison"`
	var sent time.Time
	var planID string
	testhelp.Eventually(t, 2*time.Minute, "a plan started by the ingest's trigger", func() bool {
		if time.Since(sent) > 2*time.Second {
			if err := pub.Publish(ctx, iot.SiteTopic(site, iot.KindStock), snapshot); err != nil {
				t.Fatal(err)
			}
			sent = time.Now()
		}
		ids := listIDs(t, c, plans)
		if len(ids) > 0 {
			planID = ids[0]
		}
		return planID != ""
	})
	plan := strings.TrimPrefix(planID, "plan:")

	// Kill worker 1 while the plan is making its orders: once the plan is
	// persisted (so that its orders are known) and some, not all, of them
	// are stored. Should the orders all be stored at the first look, the
	// kill still comes before the plan is done (it waits for every order's
	// first status).
	st, err := store.Open(ctx, db)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	expected, stored := 0, 0
	deadline := time.Now().Add(2 * time.Minute)
	for {
		if time.Now().After(deadline) {
			t.Fatalf("plan %s: no orders after 2 minutes", planID)
		}
		if expected == 0 {
			if p, err := st.LoadPlan(ctx, plan); err == nil {
				orders, err := activities.OrdersFromPlan(n, p)
				if err != nil {
					t.Fatal(err)
				}
				expected = len(orders)
			}
		}
		orders, err := st.ListOrders(ctx, store.OrderFilter{PlanID: plan})
		if err != nil {
			t.Fatal(err)
		}
		if stored = len(orders); expected > 0 && stored > 0 {
			break
		}
		time.Sleep(20 * time.Millisecond)
	}
	desc, err := c.DescribeWorkflowExecution(ctx, planID, "")
	if err != nil {
		t.Fatal(err)
	}
	if s := desc.WorkflowExecutionInfo.Status; s != enums.WORKFLOW_EXECUTION_STATUS_RUNNING {
		t.Fatalf("the plan was %v before the kill: the test must kill mid-plan", s)
	}
	if err := w1.Signal(os.Kill); err != nil {
		t.Fatal(err)
	}
	_ = w1.Wait()
	t.Logf("worker-1 killed with SIGKILL while %s had %d of its %d orders stored", planID, stored, expected)

	// Worker 2 finishes the plan.
	var sum workflows.PlanSummary
	gctx, cancel := context.WithTimeout(ctx, 4*time.Minute)
	defer cancel()
	if err := c.GetWorkflow(gctx, planID, "").Get(gctx, &sum); err != nil {
		t.Fatalf("plan %s after the kill: %v", planID, err)
	}
	if w2.Exited() || ingest.Exited() {
		t.Fatal("worker-2 or the ingest stopped")
	}

	// Every order of the plan is in the store exactly once, as its lines
	// imply, with its stock effect applied once, and ran as one workflow.
	p, err := st.LoadPlan(ctx, sum.PlanID)
	if err != nil {
		t.Fatal(err)
	}
	want, err := activities.OrdersFromPlan(n, p)
	if err != nil {
		t.Fatal(err)
	}
	// A batched plan lists its first orders and counts them all.
	if len(want) == 0 || sum.OrderTotal() != len(want) {
		t.Fatalf("plan %s: %d orders in its summary, its lines imply %d", sum.PlanID, sum.OrderTotal(), len(want))
	}
	got, err := st.ListOrders(ctx, store.OrderFilter{PlanID: sum.PlanID})
	if err != nil {
		t.Fatal(err)
	}
	count := map[string]int{}
	pairs := map[[2]string]int{}
	for _, o := range got {
		count[o.ID]++
		pairs[[2]string{o.Source, o.Site}]++
	}
	purchases := 0
	for _, o := range want {
		if count[o.ID] != 1 {
			t.Errorf("order %s stored %d times, want once", o.ID, count[o.ID])
		}
		if pairs[[2]string{o.Source, o.Site}] != 1 {
			t.Errorf("%d stored orders from %s to %s, want one", pairs[[2]string{o.Source, o.Site}], o.Source, o.Site)
		}
		effects, err := st.OrderEffects(ctx, o.ID)
		if err != nil {
			t.Fatal(err)
		}
		holds := 0
		for _, e := range effects {
			if e == "hold" {
				holds++
			}
		}
		if holds != 1 {
			t.Errorf("order %s: effects %v, want its hold once", o.ID, effects)
		}
		if o.Kind == sillage.OrderPurchase {
			purchases++
		}
	}
	if len(got) != len(want) {
		t.Errorf("%d stored orders for plan %s, want %d", len(got), sum.PlanID, len(want))
	}
	if purchases == 0 {
		t.Error("the plan bought nothing: the test should cover purchase orders")
	}
	runs := map[string]int{}
	for _, q := range []string{`WorkflowType="ProcurementWorkflow"`, `WorkflowType="TransferWorkflow"`} {
		for _, e := range listExecutions(t, c, q+` AND SillageNetwork="maison"`) {
			runs[e.id]++
			if e.status == enums.WORKFLOW_EXECUTION_STATUS_FAILED || e.status == enums.WORKFLOW_EXECUTION_STATUS_TERMINATED {
				t.Errorf("order workflow %s: %v", e.id, e.status)
			}
		}
	}
	for _, o := range want {
		if runs[o.ID] != 1 {
			t.Errorf("order workflow %s ran %d times, want once", o.ID, runs[o.ID])
		}
	}
	if ids := listIDs(t, c, plans); len(ids) != 1 {
		t.Errorf("plans %v, want the one plan", ids)
	}
	t.Logf("plan %s finished by worker-2: %d orders (%d purchases), each stored once", sum.PlanID, len(want), purchases)

	// Worker 2's metrics endpoint (--metrics) carries the Temporal SDK's
	// series: it completed the plan's last workflow task at least.
	m := regexp.MustCompile(`"url":"(http://[^"]+/metrics)"`).FindStringSubmatch(testhelp.ReadFile(t, w2.log))
	if m == nil {
		t.Fatal("worker-2 did not log its metrics URL")
	}
	testhelp.Eventually(t, 30*time.Second, "worker-2's Temporal metrics", func() bool {
		got := obstest.Scrape(t, m[1])
		done, _ := sumOf(got, "temporal_workflow_completed_total")
		acts, _ := sumOf(got, "temporal_activity_execution_latency_seconds_count")
		return done >= 1 && acts >= 1
	})
}
