package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"go.temporal.io/api/workflowservice/v1"
	"go.temporal.io/sdk/client"

	"github.com/sillage/sillage"
	"github.com/sillage/sillage/internal/testhelp"
	"github.com/sillage/sillage/iot"
	"github.com/sillage/sillage/iot/broker"
	"github.com/sillage/sillage/iot/epcis"
	"github.com/sillage/sillage/store"
	"github.com/sillage/sillage/workflows"
)

// listWorkflows runs a visibility query.
func listWorkflows(t *testing.T, c client.Client, query string) []string {
	t.Helper()
	resp, err := c.ListWorkflow(context.Background(), &workflowservice.ListWorkflowExecutionsRequest{Query: query})
	if err != nil {
		t.Fatalf("list %q: %v", query, err)
	}
	var ids []string
	for _, e := range resp.Executions {
		ids = append(ids, e.Execution.WorkflowId)
	}
	return ids
}

// TestTemporalFlow runs the whole reactive flow against a real Temporal
// dev server, a real SQLite store and the embedded MQTT broker:
//
//  1. a stock drop is published over MQTT and ingested;
//  2. the reorder-point crossing starts the network's planner, which runs
//     a plan;
//  3. a purchase order waits for approval (found by search attributes);
//  4. it is approved with `sillage approve`;
//  5. the simulated supplier confirms;
//  6. an RFID receiving event naming the order arrives over MQTT;
//  7. the order closes and the stock is updated.
func TestTemporalFlow(t *testing.T) {
	srv, c := temporalServer(t)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()

	// The tiny network, with every purchase order needing approval and no
	// bags at the distribution centre: they must be bought.
	dir := t.TempDir()
	n := tinyBuyingBags(t)
	dbURL := "sqlite://" + filepath.Join(dir, "sillage.db")
	st := openTestStore(t, dbURL)
	saveNetwork(t, st, "tiny", n)
	b := startBroker(t, broker.Config{Addr: "127.0.0.1:0"})

	// The worker, as `sillage worker` runs it.
	worker := startWorker(ctx, "--temporal", srv.HostPort, "--namespace", srv.Namespace, "--db", dbURL,
		"--broker", b.URL(false), "--sim-delay", "1s", "--sim-confirm", "1", "--sim-partial", "0",
		"--report-dir", filepath.Join(dir, "reports"))
	defer func() {
		if code, stopped := worker.stop(t, cancel); stopped && code != 0 {
			t.Errorf("worker exited with %d:\n%s", code, worker.log.String())
		}
	}()

	// The ingest, wired to Temporal as `sillage ingest --temporal` does.
	trig, closeTrig, err := temporalTrigger(ctx, srv.HostPort, srv.Namespace, nil, time.Second, workflows.PlannerInput{
		Debounce: time.Second,
		Plan:     workflows.PlanOptions{Timings: workflows.OrderTimings{ConfirmPoll: 300 * time.Millisecond}},
	})
	if err != nil {
		t.Fatal(err)
	}
	defer closeTrig()
	cat := iot.NewCatalog(n)
	ingestDone := make(chan error, 1)
	go func() {
		in := &iot.Ingest{Client: iot.ClientConfig{Broker: b.URL(false), ClientID: "test-ingest"},
			Processor: &iot.Processor{Catalog: cat, Listener: trig}, Store: st}
		ingestDone <- in.Run(ctx)
	}()
	pub, mc, err := iot.Dial(ctx, iot.ClientConfig{Broker: b.URL(false), ClientID: "test-warehouse", CleanSession: true})
	if err != nil {
		t.Fatal(err)
	}
	defer mc.Disconnect(100)
	publish := func(site, kind string, v any) {
		t.Helper()
		data, ok := v.([]byte)
		if !ok {
			if data, err = json.Marshal(v); err != nil {
				t.Fatal(err)
			}
		}
		if err := pub.Publish(ctx, iot.SiteTopic(site, kind), data); err != nil {
			t.Fatal(err)
		}
	}

	// 1. Stock at BTQ-PAR: 10 bags, then a drop to 1 (below the reorder point).
	rop, ok := cat.ReorderPoint("BTQ-PAR", "BAG-01")
	if !ok || rop < 3 {
		t.Fatalf("reorder point of BAG-01 at BTQ-PAR: %v %v", rop, ok)
	}
	now := time.Now().UTC()
	// The ingest may not have subscribed yet: publish until it applies the
	// snapshot (a repeat is a duplicate, which changes nothing).
	first := iot.Snapshot{ID: "s1", Kind: iot.SnapshotDelta, Time: now.Add(-time.Minute),
		Positions: []iot.SnapshotPosition{{SKU: "BAG-01", OnHand: 10}}}
	sent := time.Time{}
	testhelp.Eventually(t, 30*time.Second, "the first snapshot", func() bool {
		if time.Since(sent) > 2*time.Second {
			publish("BTQ-PAR", iot.KindStock, first)
			sent = time.Now()
		}
		p, err := st.GetPosition(ctx, "tiny", "BTQ-PAR", "BAG-01")
		return err == nil && p.OnHand == 10
	})
	publish("BTQ-PAR", iot.KindStock, iot.Snapshot{ID: "s2", Kind: iot.SnapshotDelta, Time: now,
		Positions: []iot.SnapshotPosition{{SKU: "BAG-01", OnHand: 1}}})

	// 2. The planner starts and runs a plan.
	testhelp.Eventually(t, 60*time.Second, "a plan by the planner", func() bool {
		return len(listWorkflows(t, c, `WorkflowType="PlanWorkflow" AND SillageNetwork="tiny" AND SillageStatus="planned"`)) > 0
	})
	plans := listWorkflows(t, c, `WorkflowType="PlanWorkflow" AND SillageNetwork="tiny"`)
	var sum workflows.PlanSummary
	if err := c.GetWorkflow(ctx, plans[0], "").Get(ctx, &sum); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(sum.Reason, "reorder_point BTQ-PAR/BAG-01") {
		t.Errorf("plan reason %q does not name the stock drop", sum.Reason)
	}

	// 3. A purchase order awaits approval; the planner finds it by its
	// search attributes.
	var poID string
	testhelp.Eventually(t, 30*time.Second, "a purchase order awaiting approval", func() bool {
		ids := listWorkflows(t, c, `WorkflowType="ProcurementWorkflow" AND SillageStatus="awaiting_approval" AND SillageCostEUR > 0 AND SillageNetwork="tiny"`)
		if len(ids) > 0 {
			poID = ids[0]
		}
		return poID != ""
	})
	po, err := st.GetOrder(ctx, poID)
	if err != nil {
		t.Fatal(err)
	}
	if po.Status != sillage.OrderAwaitingApproval {
		t.Errorf("stored order status %s, want awaiting_approval", po.Status)
	}
	before := map[string]sillage.Position{}
	for _, l := range po.Lines {
		p, err := st.GetPosition(ctx, "tiny", po.Site, l.SKU)
		if err != nil {
			t.Fatal(err)
		}
		before[l.SKU] = p
	}

	// 4. Approve it from the command line (an update).
	var out, errOut bytes.Buffer
	if code := run(ctx, []string{"approve", poID, "--by", "tester", "--temporal", srv.HostPort, "--namespace", srv.Namespace}, &out, &errOut); code != 0 {
		t.Fatalf("approve exited %d: %s%s", code, out.String(), errOut.String())
	}
	if !strings.Contains(out.String(), "approved "+poID) {
		t.Errorf("approve printed %q", out.String())
	}
	// A second approval is refused by the update's validator.
	out.Reset()
	errOut.Reset()
	if code := run(ctx, []string{"approve", poID, "--temporal", srv.HostPort, "--namespace", srv.Namespace}, &out, &errOut); code != 1 ||
		!strings.Contains(errOut.String(), "not awaiting approval") {
		t.Errorf("second approve: exit %d, %q", code, errOut.String())
	}

	// 5. The simulated supplier confirms.
	testhelp.Eventually(t, 30*time.Second, "the supplier's confirmation", func() bool {
		o, err := st.GetOrder(ctx, poID)
		return err == nil && o.Status == sillage.OrderConfirmed
	})

	// 6. RFID receiving at the order's site, naming the order.
	site, _ := n.Site(po.Site)
	ev := iot.ObjectEvent{ID: "rcv-" + poID, Time: time.Now().UTC(), Action: epcis.ActionAdd, BizStep: "receiving",
		ReadPoint: site.GLN, BizLocation: site.GLN,
		BizTransactions: []epcis.BizTransaction{{Type: "po", ID: "urn:sillage:order:" + poID}}}
	units := 0.0
	for _, l := range po.Lines {
		p, _ := n.Product(l.SKU)
		for i := range int(l.Quantity) {
			ev.EPCs = append(ev.EPCs, iot.SGTINURI(p.GTIN, iot.DefaultCompanyPrefixLen, fmt.Sprintf("T%d", i+1)))
		}
		units += l.Quantity
	}
	doc, err := iot.EncodeEvents(time.Now().UTC(), ev)
	if err != nil {
		t.Fatal(err)
	}
	publish(po.Site, iot.KindEPCIS, doc)

	// 7. The order closes; the stock is updated.
	var res workflows.OrderResult
	getCtx, getCancel := context.WithTimeout(ctx, 60*time.Second)
	defer getCancel()
	if err := c.GetWorkflow(getCtx, poID, "").Get(getCtx, &res); err != nil {
		t.Fatalf("order workflow: %v\nworker log:\n%s", err, worker.log.String())
	}
	if res.Status != sillage.OrderClosed || res.ReceivedUnits != units {
		t.Errorf("order result %+v, want closed with %v units", res, units)
	}
	o, err := st.GetOrder(ctx, poID)
	if err != nil || o.Status != sillage.OrderClosed {
		t.Errorf("stored order %s, %v; want closed", o.Status, err)
	}
	for _, l := range po.Lines {
		p, err := st.GetPosition(ctx, "tiny", po.Site, l.SKU)
		if err != nil {
			t.Fatal(err)
		}
		b := before[l.SKU]
		if p.OnHand != b.OnHand+l.Quantity {
			t.Errorf("%s at %s: on hand %v, want %v + %v received", l.SKU, po.Site, p.OnHand, b.OnHand, l.Quantity)
		}
		if math.Abs(p.InTransit-(b.InTransit-l.Quantity)) > 1e-9 {
			t.Errorf("%s at %s: in transit %v, want %v − %v", l.SKU, po.Site, p.InTransit, b.InTransit, l.Quantity)
		}
	}
	names, _ := st.OrderEffects(ctx, poID)
	if strings.Join(names, ",") != "hold,receipt:1,final" {
		t.Errorf("order effects %v", names)
	}

	// The plan is in the store, its orders are there once, and the remote
	// plan of the CLI gives the same plan shape.
	orders, err := st.ListOrders(ctx, store.OrderFilter{PlanID: sum.PlanID})
	if err != nil || len(orders) != len(sum.Orders) {
		t.Errorf("%d stored orders, %d in the summary (%v)", len(orders), len(sum.Orders), err)
	}
	if os.Getenv(envRecordHistories) != "" {
		ids := []string{plans[0], poID, workflows.PlannerWorkflowID("tiny")}
		ids = append(ids, listWorkflows(t, c, `WorkflowType="TransferWorkflow"`)...)
		recordHistories(t, c, ids...)
	}
	cancel()
	if err := <-ingestDone; err != nil {
		t.Errorf("ingest: %v", err)
	}
}
