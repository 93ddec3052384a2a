package e2e

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"go.temporal.io/api/enums/v1"
	"go.temporal.io/sdk/client"

	"github.com/sillage/sillage"
	"github.com/sillage/sillage/internal/syncbuf"
	"github.com/sillage/sillage/internal/testhelp"
	"github.com/sillage/sillage/store"
	"github.com/sillage/sillage/workflows"
)

// devState is the part of DIR/dev.json the tests read.
type devState struct {
	PID         int    `json:"pid"`
	Temporal    string `json:"temporal"`
	Namespace   string `json:"namespace"`
	UI          string `json:"ui"`
	TemporalPID int    `json:"temporal_pid"`
	Broker      string `json:"broker"`
	Metrics     string `json:"metrics"`
	DB          string `json:"db"`
	Network     string `json:"network"`
	Reports     string `json:"reports"`
}

// devRun is a running `sillage dev` process.
type devRun struct {
	proc   *testhelp.Process
	state  devState
	stdout *syncbuf.Buffer
	stderr *syncbuf.Buffer
}

// client dials the Temporal server of the run, in its namespace; the
// client is closed when t ends.
func (d *devRun) client(t *testing.T) client.Client {
	t.Helper()
	c, err := client.Dial(client.Options{HostPort: d.state.Temporal, Namespace: d.state.Namespace})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(c.Close)
	return c
}

// startDev starts `sillage dev` on free ports with its state in dir and
// waits until it has written dev.json.
func startDev(t *testing.T, bin, dir string) *devRun {
	t.Helper()
	d := &devRun{stdout: &syncbuf.Buffer{}, stderr: &syncbuf.Buffer{}}
	d.proc = testhelp.StartProcess(t, d.stdout, d.stderr, nil, bin, "dev", "--dir", dir, "--port", "0", "--ui-port", "0", "--mqtt-port", "0",
		"--metrics", "127.0.0.1:0", "--sim-rate", "5", "--sim-delay", "2s", "--install-temporal=false")
	t.Cleanup(func() {
		// A test that failed early: stop dev (and its server) all the same.
		_ = d.proc.Stop(os.Interrupt, 30*time.Second)
		if t.Failed() {
			t.Logf("sillage dev stdout:\n%s\nstderr:\n%s", d.stdout.String(), d.stderr.String())
			for _, name := range []string{"dev", "worker", "ingest", "temporal"} {
				if data, err := os.ReadFile(filepath.Join(dir, "logs", name+".log")); err == nil {
					t.Logf("%s.log (end):\n%s", name, tailLines(string(data), 30))
				}
			}
		}
	})
	testhelp.Eventually(t, 3*time.Minute, "sillage dev to start (dev.json)", func() bool {
		if d.proc.Exited() {
			t.Fatalf("sillage dev exited at start: %v\nstderr:\n%s", d.proc.Wait(), d.stderr.String())
		}
		data, err := os.ReadFile(filepath.Join(dir, "dev.json"))
		if err != nil {
			return false
		}
		var st devState
		if json.Unmarshal(data, &st) != nil || st.PID != d.proc.Pid() {
			return false // a partly written or stale file
		}
		d.state = st
		return true
	})
	return d
}

// stop sends SIGINT (Ctrl-C) and waits for dev to exit; it must exit 0
// and leave no process behind: not the Temporal server, not anything
// started with the state folder.
func (d *devRun) stop(t *testing.T, dir string) {
	t.Helper()
	if err := d.proc.Signal(os.Interrupt); err != nil {
		t.Fatal(err)
	}
	select {
	case <-d.proc.Done():
		if err := d.proc.Wait(); err != nil {
			t.Errorf("sillage dev exited with %v after SIGINT\nstderr:\n%s", err, d.stderr.String())
		}
	case <-time.After(90 * time.Second):
		// SIGQUIT makes the Go runtime print every goroutine's stack on
		// stderr: the failure shows where the stop hung.
		_ = d.proc.Signal(syscall.SIGQUIT)
		select {
		case <-d.proc.Done():
		case <-time.After(10 * time.Second):
			_ = d.proc.Kill()
		}
		t.Fatalf("sillage dev did not stop within 90s of SIGINT\nstderr (the last 400 lines, with the goroutines at SIGQUIT):\n%s", tailLines(d.stderr.String(), 400))
	}
	if d.state.TemporalPID == 0 {
		t.Error("dev.json gave no Temporal server pid")
	} else if alive(d.state.TemporalPID) {
		t.Errorf("the Temporal dev server (pid %d) outlived sillage dev", d.state.TemporalPID)
	}
	if left := processesMentioning(dir); len(left) > 0 {
		t.Errorf("processes left running with the state folder:\n%s", strings.Join(left, "\n"))
	}
	if data, err := os.ReadFile(filepath.Join(dir, "dev.json")); !os.IsNotExist(err) {
		t.Errorf("dev.json left behind (%v):\n%s\ndev pid %d, stderr:\n%s", err, data, d.proc.Pid(), d.stderr.String())
	}
}

func tailLines(s string, n int) string {
	lines := strings.Split(strings.TrimRight(s, "\n"), "\n")
	if len(lines) > n {
		lines = lines[len(lines)-n:]
	}
	return strings.Join(lines, "\n")
}

// TestDev runs `sillage dev` twice on one state folder. The first run
// must bring plans and orders awaiting approval into Temporal, serve its
// metrics, show them in the Temporal UI and write the month's report; the
// second must resume without duplicating a plan, an order or a workflow.
func TestDev(t *testing.T) {
	if testing.Short() {
		t.Skip("skipping sillage dev in -short mode")
	}
	requireTemporalCLI(t)
	bin := sillageBinary(t)
	dir := filepath.Join(t.TempDir(), "state")
	ctx := context.Background()

	d := startDev(t, bin, dir)
	for _, want := range []string{"[1/10] network maison", "Temporal dev server", "seeded, with 25% of the distribution centres' stock",
		"schedules: sillage-plan-maison created", "first plan requested from planner:maison", "simulated warehouses: ack the commands of maison"} {
		// The banner on stdout can be read before the last progress line
		// on stderr has been copied from its pipe: give stderr a moment.
		deadline := time.Now().Add(10 * time.Second)
		for !strings.Contains(d.stderr.String(), want) && time.Now().Before(deadline) {
			time.Sleep(100 * time.Millisecond)
		}
		if !strings.Contains(d.stderr.String(), want) {
			t.Errorf("dev's progress lacks %q:\n%s", want, d.stderr.String())
		}
	}
	for _, want := range []string{"Temporal UI        " + d.state.UI, "MQTT broker        " + d.state.Broker, "metrics            " + d.state.Metrics,
		"reports            " + d.state.Reports} {
		if !strings.Contains(d.stdout.String(), want) {
			t.Errorf("dev's banner lacks %q:\n%s", want, d.stdout.String())
		}
	}
	c := d.client(t)

	// A plan completes and purchase orders wait for a planner, found as a
	// planner finds them: by search attributes.
	planQuery := `WorkflowType="PlanWorkflow" AND SillageNetwork="maison" AND ExecutionStatus="Completed"`
	awaitQuery := `WorkflowType="ProcurementWorkflow" AND SillageNetwork="maison" AND SillageStatus="awaiting_approval" AND SillageCostEUR > 25000`
	// The first plan forecasts and solves the time-phased model and starts
	// its orders in batches: minutes on a busy CI machine.
	testhelp.Eventually(t, 8*time.Minute, "a completed PlanWorkflow", func() bool { return len(listIDs(t, c, planQuery)) > 0 })
	testhelp.Eventually(t, 2*time.Minute, "a ProcurementWorkflow awaiting approval", func() bool { return len(listIDs(t, c, awaitQuery)) > 0 })
	firstPlan := earliest(listIDs(t, c, planQuery))
	var sum workflows.PlanSummary
	if err := c.GetWorkflow(ctx, firstPlan, "").Get(ctx, &sum); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(sum.Reason, "sillage dev: first plan") || sum.PurchaseEUR <= 0 {
		t.Errorf("first plan %s: reason %q, purchases %.2f EUR; want the dev trigger and purchases", firstPlan, sum.Reason, sum.PurchaseEUR)
	}

	// The simulated warehouses ack the transfers' commands and publish
	// their receipts: a transfer closes with its units received.
	t.Run("transfer-closes", func(t *testing.T) { checkTransferCloses(t, c) })
	t.Run("metrics", func(t *testing.T) { checkDevMetrics(t, d.state.Metrics) })
	t.Run("temporal-ui", func(t *testing.T) { checkTemporalUI(t, c, d.state, firstPlan) })
	t.Run("report", func(t *testing.T) {
		period := time.Now().UTC().Format("2006-01")
		html := filepath.Join(d.state.Reports, "maison", period, "report.html")
		// The report comes within a minute of the first plan on a quiet
		// machine; the wait leaves room for a busy 2-core one, and the
		// timeout's message describes a report workflow that failed.
		testhelp.EventuallyExplained(t, 5*time.Minute, "the month's report", func() bool {
			_, err := os.Stat(html)
			return err == nil && strings.Contains(d.stdout.String(), "report of maison for "+period)
		}, func() string { return describeReport(c, period) })
		checkReport(t, html)
	})

	d.stop(t, dir)
	if t.Failed() {
		return
	}
	db := "sqlite://" + filepath.Join(dir, "sillage.db")
	before := storedOrders(t, db)

	// The second run resumes: nothing seeded, no second first plan.
	d2 := startDev(t, bin, dir)
	for _, want := range []string{"network maison already stored", "first plan: already requested by an earlier run", "schedules: sillage-plan-maison updated"} {
		if !strings.Contains(d2.stderr.String(), want) {
			t.Errorf("second run's progress lacks %q:\n%s", want, d2.stderr.String())
		}
	}
	c2 := d2.client(t)
	// The workflows of the first run are there (the server kept its state).
	if got := listIDs(t, c2, `WorkflowId=`+strconv.Quote(firstPlan)); len(got) != 1 {
		t.Errorf("first plan %s after the restart: %d executions, want 1", firstPlan, len(got))
	}
	testhelp.Eventually(t, time.Minute, "the second run's first status line", func() bool { return strings.Contains(d2.stdout.String(), "plans: ") })
	checkNoDuplicates(t, c2, db, before)
	d2.stop(t, dir)
}

// earliest returns the smallest id (plan ids end with their start time).
func earliest(ids []string) string {
	sort.Strings(ids)
	return ids[0]
}

// storedOrders returns the orders in the store by id.
func storedOrders(t *testing.T, db string) map[string]sillage.Order {
	t.Helper()
	st, err := store.Open(context.Background(), db)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	orders, err := st.ListOrders(context.Background(), store.OrderFilter{})
	if err != nil {
		t.Fatal(err)
	}
	out := make(map[string]sillage.Order, len(orders))
	for _, o := range orders {
		if _, dup := out[o.ID]; dup {
			t.Errorf("order %s listed twice", o.ID)
		}
		out[o.ID] = o
	}
	return out
}

// describeReport says where the dev's report workflow of the period
// stands: its status and its pending activities with their attempts and
// last failures, so that a report that never comes says why.
func describeReport(c client.Client, period string) string {
	id := workflows.ReportWorkflowID("maison") + "-" + period
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	desc, err := c.DescribeWorkflowExecution(ctx, id, "")
	if err != nil {
		return fmt.Sprintf("describe %s: %v", id, err)
	}
	out := fmt.Sprintf("%s %v", id, desc.GetWorkflowExecutionInfo().GetStatus())
	if desc.GetWorkflowExecutionInfo().GetStatus() != enums.WORKFLOW_EXECUTION_STATUS_RUNNING {
		out += fmt.Sprintf(" (%v)", c.GetWorkflow(ctx, id, "").Get(ctx, nil))
	}
	for _, a := range desc.GetPendingActivities() {
		out += fmt.Sprintf("; activity %s %v, attempt %d, last failure %v", a.GetActivityType().GetName(), a.GetState(), a.GetAttempt(), a.GetLastFailure().GetMessage())
	}
	return out
}
