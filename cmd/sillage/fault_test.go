package main

import (
	"context"
	"fmt"
	"math/rand/v2"
	"os"
	"os/signal"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"go.temporal.io/api/enums/v1"
	"go.temporal.io/api/workflowservice/v1"
	"go.temporal.io/sdk/client"

	"github.com/sillage/sillage"
	"github.com/sillage/sillage/internal/clustertest"
	"github.com/sillage/sillage/internal/testhelp"
	"github.com/sillage/sillage/iot/broker"
	"github.com/sillage/sillage/network"
	"github.com/sillage/sillage/store"
	"github.com/sillage/sillage/workflows"
)

// envFaultWorker carries the worker's arguments (separated by \x1f) to
// the helper process that TestFaultKillWorker starts and kills.
const envFaultWorker = "SILLAGE_FAULT_WORKER_ARGS"

// envFaultTest enables TestFaultKillWorker, which takes a few minutes.
const envFaultTest = "SILLAGE_FAULT_TEST"

// TestFaultWorkerProcess is not a test: it is the worker process of
// TestFaultKillWorker, run by re-executing the test binary.
func TestFaultWorkerProcess(t *testing.T) {
	args := os.Getenv(envFaultWorker)
	if args == "" {
		t.Skip("helper process of TestFaultKillWorker")
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	os.Exit(run(ctx, strings.Split(args, "\x1f"), os.Stdout, os.Stderr))
}

// listAll runs a visibility query and returns the executions.
func listAll(t *testing.T, c client.Client, query string) []*workflowservice.ListWorkflowExecutionsResponse {
	t.Helper()
	var pages []*workflowservice.ListWorkflowExecutionsResponse
	var token []byte
	for {
		resp, err := c.ListWorkflow(context.Background(), &workflowservice.ListWorkflowExecutionsRequest{Query: query, NextPageToken: token})
		if err != nil {
			t.Fatalf("list %q: %v", query, err)
		}
		pages = append(pages, resp)
		if token = resp.NextPageToken; len(token) == 0 {
			return pages
		}
	}
}

// TestFaultKillWorker kills the worker process with SIGKILL at random
// points (at least ten) while plans and orders run, restarting it each
// time, then lets a last worker finish. Every plan must complete exactly
// once, and the store must hold each plan's orders exactly once, as the
// plan implies them.
func TestFaultKillWorker(t *testing.T) {
	srv, c := faultServer(t, "worker kill test (a few minutes)")
	ctx := context.Background()
	dir := t.TempDir()
	dbURL := "sqlite://" + filepath.Join(dir, "sillage.db")
	n, err := network.Load(filepath.Join("..", "..", "testdata", "networks", "maison.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	n.Policy.ApprovalThresholdEUR = 0 // no approvals: orders go straight to the supplier
	// A quarter of the stock at the distribution centres: much of what the
	// boutiques need is bought from suppliers.
	for i := range n.Stock {
		if s, ok := n.Site(n.Stock[i].Site); ok && s.Kind == sillage.KindDC {
			n.Stock[i].OnHand /= 4
		}
	}
	st := openTestStore(t, dbURL)
	// Several copies of the network, so that every plan has orders to make.
	const networks = 3
	for i := range networks {
		saveNetwork(t, st, fmt.Sprintf("m%d", i+1), n)
	}
	b := startBroker(t, broker.Config{Addr: "127.0.0.1:0"})

	args := []string{"worker", "--temporal", srv.HostPort, "--namespace", srv.Namespace, "--db", dbURL,
		"--broker", b.URL(false), "--sim-delay", "1s", "--sim-confirm", "0.7", "--sim-partial", "0.15", "--debounce", "2s"}
	startChild := childStarter(t, filepath.Join(dir, "worker.log"))
	start := func() *testhelp.Process { return startChild(args...) }

	// A plan starts before each worker, as a schedule or the CLI would
	// start them; the planner adds more after rejections.
	const plans = 12
	startPlan := func(i int) {
		net := fmt.Sprintf("m%d", i%networks+1)
		_, err := c.ExecuteWorkflow(ctx, client.StartWorkflowOptions{
			ID: workflows.PlanWorkflowID(fmt.Sprintf("%s:fault-%d", net, i+1)), TaskQueue: workflows.TaskQueue,
		}, workflows.PlanWorkflowName, workflows.PlanInput{Network: net, Reason: "fault test",
			Options: workflows.PlanOptions{Timings: workflows.OrderTimings{ConfirmPoll: 500 * time.Millisecond}}})
		if err != nil {
			t.Fatal(err)
		}
	}

	rng := rand.New(rand.NewPCG(6, 2026))
	const kills = 12
	for k := range kills {
		if k < plans {
			startPlan(k)
		}
		cmd := start()
		wait := time.Duration(300+rng.IntN(2700)) * time.Millisecond
		time.Sleep(wait)
		inFlight := startedActivities(t, c)
		if err := cmd.Signal(syscall.SIGKILL); err != nil {
			t.Fatal(err)
		}
		_ = cmd.Wait()
		running, orders := 0, 0
		for _, p := range listAll(t, c, `WorkflowType="PlanWorkflow" AND ExecutionStatus="Running"`) {
			running += len(p.Executions)
		}
		for _, p := range listAll(t, c, `WorkflowType IN ("ProcurementWorkflow", "TransferWorkflow")`) {
			orders += len(p.Executions)
		}
		t.Logf("kill %d after %v: activities in flight %v; then %d plans running, %d order workflows so far", k+1, wait, inFlight, running, orders)
	}

	// A last worker finishes the work.
	last := start()
	defer func() {
		_ = last.Signal(syscall.SIGINT)
		_ = last.Wait()
	}()
	// Wait until every purchase order has the supplier's answer, the
	// re-plans that rejections asked for have run, and no plan runs. The
	// wait ends 3 minutes after the last new order (re-plans keep adding
	// some), and after 15 minutes in all.
	const quiet, limit = 3 * time.Minute, 15 * time.Minute
	deadline, hardDeadline, lastOrders := time.Now().Add(quiet), time.Now().Add(limit), -1
	for {
		running := 0
		for _, p := range listAll(t, c, `WorkflowType="PlanWorkflow" AND ExecutionStatus="Running"`) {
			running += len(p.Executions)
		}
		var waiting []sillage.Order
		all, err := st.ListOrders(ctx, store.OrderFilter{})
		if err != nil {
			t.Fatal(err)
		}
		for _, o := range all {
			switch o.Status {
			case sillage.OrderCreated, sillage.OrderApproved, sillage.OrderSubmitted:
				if o.Kind == sillage.OrderPurchase { // transfers wait for acks no warehouse sends here
					waiting = append(waiting, o)
				}
			}
		}
		idle := true
		for i := range networks {
			var ps workflows.PlannerState
			v, err := c.QueryWorkflow(ctx, workflows.PlannerWorkflowID(fmt.Sprintf("m%d", i+1)), "", workflows.QueryState)
			if err == nil && v.Get(&ps) == nil && (ps.Running != nil || len(ps.Pending) > 0) {
				idle = false
			}
		}
		if running == 0 && len(waiting) == 0 && idle {
			break
		}
		if len(all) != lastOrders {
			lastOrders = len(all)
			if deadline = time.Now().Add(quiet); deadline.After(hardDeadline) {
				deadline = hardDeadline
			}
		}
		if time.Now().After(deadline) {
			for _, o := range waiting {
				t.Logf("waiting: %s %s: %s", o.ID, o.Status, describeWorkflow(c, o.ID))
			}
			t.Fatalf("after the kills: %d plans running, %d purchase orders without an answer, planners idle %v", running, len(waiting), idle)
		}
		time.Sleep(time.Second)
	}
	// Let the order workflows of the last plans create their orders.
	time.Sleep(3 * time.Second)
	statuses := map[sillage.OrderStatus]int{}
	if all, err := st.ListOrders(ctx, store.OrderFilter{}); err == nil {
		for _, o := range all {
			statuses[o.Status]++
		}
	}
	t.Logf("order statuses: %v", statuses)

	// Every plan completed, once.
	seen := map[string]int{}
	for _, p := range listAll(t, c, `WorkflowType="PlanWorkflow"`) {
		for _, e := range p.Executions {
			id := e.Execution.WorkflowId
			seen[id]++
			if e.Status != enums.WORKFLOW_EXECUTION_STATUS_COMPLETED {
				t.Errorf("plan %s ended %s", id, e.Status)
			}
		}
	}
	for i := range plans {
		if id := workflows.PlanWorkflowID(fmt.Sprintf("m%d:fault-%d", i%networks+1, i+1)); seen[id] != 1 {
			t.Errorf("plan %s ran %d times, want once", id, seen[id])
		}
	}
	for id, k := range seen {
		if k != 1 {
			t.Errorf("plan %s has %d executions", id, k)
		}
	}
	t.Logf("%d plans completed (%d started by the planner after rejections)", len(seen), len(seen)-plans)

	// The store holds each plan once and exactly the orders it implies,
	// each held once (the check scripts/cluster-test makes too).
	var planIDs []string
	for id := range seen {
		planIDs = append(planIDs, workflows.PlanIDFromWorkflowID(id))
	}
	res, err := clustertest.CheckOrders(ctx, st, n, planIDs)
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range res.Problems {
		t.Error(p)
	}
	t.Logf("%d orders, each stored and held once", res.Count)
}

// startedActivities returns the activities running now (started, not
// finished), by type, across the running workflows.
func startedActivities(t *testing.T, c client.Client) map[string]int {
	t.Helper()
	out := map[string]int{}
	for _, p := range listAll(t, c, `ExecutionStatus="Running"`) {
		for _, e := range p.Executions {
			d, err := c.DescribeWorkflowExecution(context.Background(), e.Execution.WorkflowId, e.Execution.RunId)
			if err != nil {
				continue
			}
			for _, a := range d.PendingActivities {
				if a.State == enums.PENDING_ACTIVITY_STATE_STARTED {
					out[a.ActivityType.GetName()]++
				}
			}
		}
	}
	return out
}

// describeWorkflow says what a workflow is doing, for failure messages.
func describeWorkflow(c client.Client, id string) string {
	d, err := c.DescribeWorkflowExecution(context.Background(), id, "")
	if err != nil {
		return err.Error()
	}
	var b strings.Builder
	fmt.Fprintf(&b, "workflow %s", d.WorkflowExecutionInfo.GetStatus())
	for _, a := range d.PendingActivities {
		fmt.Fprintf(&b, "; activity %s %s attempt %d, last failure %q", a.ActivityType.GetName(), a.State, a.Attempt, a.LastFailure.GetMessage())
	}
	return b.String()
}
