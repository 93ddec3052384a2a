package main

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"go.temporal.io/sdk/client"

	"github.com/sillage/sillage"
	"github.com/sillage/sillage/internal/testhelp"
	"github.com/sillage/sillage/iot/broker"
	"github.com/sillage/sillage/network"
	"github.com/sillage/sillage/store"
	"github.com/sillage/sillage/workflows"
)

// simDay is the real time of one simulated day in TestFaultStockLoop.
// Every delay of the loop is scaled to it: a transfer's transit (the
// warehouses' --receipt-delay) is one day (tiny.yaml: 1 to 2 days DC →
// boutique), a supplier ships two days after it confirmed
// (--supplier-lead; its late orders four), a delivery travels one more
// day, a short delivery closes one day after its first receipt
// (receipt_grace_days), and a plan is started every simulated day, as
// the nightly schedule would. A simulated minute is simDay/1440 = 10 ms.
const simDay = 14400 * time.Millisecond

// simDays is how long the RFID simulator and the plans run, in simulated
// days; the loop then drains for three more.
const simDays = 7

// TestFaultStockLoop runs the whole loop as processes for simDays
// simulated days (see simDay) plus three to drain: a worker (with the
// simulated supplier's answers), the ingest (with its outbox relay,
// signalling Temporal), the simulated warehouses picking real EPCs from
// the database (--db) and playing the suppliers' deliveries
// (--suppliers: commissioning, shipping, receiving at the DC), and the
// RFID simulator, on one SQLite database and the embedded broker, with a
// plan started every simulated day. The ingest is SIGKILLed on day 2 and
// the worker on day 3, each restarted. The conservation ledger is read
// from the store at every simulated minute (a read that overruns skips
// the minutes it took; the log says how many reads were made), and must
// hold at every read;
// at the end `sillage ledger --json` exits 0. So that the test cannot pass
// with nothing moving, it checks that suppliers shipped purchase orders
// that were received at the DC and that transfers left the DC by
// shipping events and were received at boutiques.
// Set SILLAGE_FAULT_TEST=1 to run it (about three minutes).
func TestFaultStockLoop(t *testing.T) {
	srv, c := faultServer(t, "stock loop kill test (about three minutes)")
	ctx := context.Background()
	dir := t.TempDir()
	dbURL := "sqlite://" + filepath.Join(dir, "sillage.db")
	netFile := scaledTiny(t, dir)
	var out, errb bytes.Buffer
	if code := run(ctx, []string{"seed", "--network", netFile, "--db", dbURL}, &out, &errb); code != 0 {
		t.Fatalf("seed: exit %d: %s", code, errb.String())
	}
	st := openTestStore(t, dbURL)
	b := startBroker(t, broker.Config{Addr: "127.0.0.1:0"})
	start := childStarter(t, filepath.Join(dir, "processes.log"))
	sim := []string{"--sim-confirm", "0.8", "--sim-partial", "0.1"} // the same for the worker and the warehouses
	workerArgs := append([]string{"worker", "--temporal", srv.HostPort, "--namespace", srv.Namespace, "--db", dbURL,
		"--broker", b.URL(false), "--sim-delay", "1s", "--debounce", "2s"}, sim...)
	ingestArgs := []string{"ingest", "--temporal", srv.HostPort, "--namespace", srv.Namespace, "--db", dbURL, "--network", "tiny",
		"--broker", b.URL(false), "--client-id", "loop-ingest", "--planner-debounce", "2s", "--resend", "2s"}
	worker := start(workerArgs...)
	ingest := start(ingestArgs...)
	start(append([]string{"warehouse", "--broker", b.URL(false), "--network", netFile, "--db", dbURL, "--name", "tiny",
		"--receipt-delay", simDay.String(), "--suppliers", "--supplier-lead", (2 * simDay).String()}, sim...)...)
	simFor := simDays * simDay
	simProc := start("simulate", "--broker", b.URL(false), "--network", netFile, "--rate", "5", "--epcs", "5", "--duration", simFor.String(),
		"--seed", "7", "--serial-base", "1000000", "--transit", simDay.String())

	reads, broken := 0, 0
	check := func() {
		lines, _, err := st.Ledger(ctx, "tiny", time.Time{})
		if err != nil {
			t.Errorf("ledger: %v", err)
			return
		}
		reads++
		for _, l := range lines {
			if !l.Holds() {
				broken++
				t.Errorf("read %d: %s: on hand %v + in transit %v ≠ opening %v + receipts %v − sales %v − write-offs %v",
					reads, l.SKU, l.OnHand, l.InTransit, l.Opening, l.Receipts, l.Sales, l.WriteOffs)
			}
		}
	}
	// killAndRestart kills p with SIGKILL, reads the ledger while it is
	// down and starts it again with args (the new process is stopped, as
	// every child, when the test ends).
	killAndRestart := func(p *testhelp.Process, args []string) {
		_ = p.Kill()
		check()
		start(args...)
	}
	began := time.Now()
	plans := 0
	killedIngest, killedWorker := false, false
	minute := time.NewTicker(simDay / 1440) // a read that takes longer skips the minutes it overran
	defer minute.Stop()
	for el := time.Duration(0); el < simFor+3*simDay; el = time.Since(began) {
		<-minute.C
		check()
		if int(el/simDay) >= plans && el < simFor {
			plans++
			_, err := c.ExecuteWorkflow(ctx, client.StartWorkflowOptions{
				ID: workflows.PlanWorkflowID(fmt.Sprintf("tiny:loop-%d", plans)), TaskQueue: workflows.TaskQueue,
			}, workflows.PlanWorkflowName, workflows.PlanInput{Network: "tiny", Reason: "stock loop test",
				Options: workflows.PlanOptions{Timings: workflows.OrderTimings{ConfirmPoll: 500 * time.Millisecond, AckTimeout: 5 * time.Second}}})
			if err != nil {
				t.Fatal(err)
			}
		}
		if !killedIngest && el > 2*simDay {
			killedIngest = true
			killAndRestart(ingest, ingestArgs)
		}
		if !killedWorker && el > 3*simDay {
			killedWorker = true
			killAndRestart(worker, workerArgs)
		}
	}
	_ = simProc.Wait()
	check()
	if broken > 0 || reads < simDays*100 {
		t.Errorf("%d broken product reads in %d ledger reads", broken, reads)
	}
	out.Reset()
	errb.Reset()
	if code := run(ctx, []string{"ledger", "--db", dbURL, "--network", "tiny", "--json"}, &out, &errb); code != 0 {
		t.Errorf("sillage ledger: exit %d\n%s%s", code, out.String(), errb.String())
	}
	moved := loopMovements(t, ctx, st)
	if moved.poShipped == 0 || moved.poReceived == 0 || moved.toShipped == 0 || moved.toReceived == 0 {
		t.Errorf("the loop did not move: %+v", moved)
	}
	delivered, pending, _ := st.OutboxCounts(ctx, "tiny")
	t.Logf("%d ledger reads in %s (%d simulated minutes), %d plans started, %+v, outbox %d delivered, %d pending\n%s",
		reads, time.Since(began).Round(time.Second), time.Since(began)/(simDay/1440), plans, moved, delivered, pending, out.String())
}

// scaledTiny writes tiny.yaml into dir with receipt_grace_days of one
// simulated day (simDay), no approval (threshold 1e9 EUR), and every
// week of demand history times 20 (so that plans buy from the supplier
// although the RFID simulator receives tagged items at the DC), and
// returns its path.
func scaledTiny(t *testing.T, dir string) string {
	t.Helper()
	n, err := network.Load(filepath.Join("..", "..", "testdata", "networks", "tiny.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	for i := range n.Demand {
		for w := range n.Demand[i].Weekly {
			n.Demand[i].Weekly[w] *= 20
		}
	}
	n.Policy.ReceiptGraceDays = simDay.Hours() / 24
	n.Policy.ApprovalThresholdEUR = 1e9
	var b bytes.Buffer
	if err := network.Write(&b, n, nil); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(dir, "tiny.yaml")
	if err := os.WriteFile(path, b.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

// loopMoves counts what moved in a stock loop run.
type loopMoves struct {
	poShipped, toShipped   int // shipments: by a supplier naming a purchase order, by a DC naming a transfer
	poReceived, toReceived int // orders whose receipts were recorded (received or closed)
	poUnits, toUnits       float64
	statuses               map[string]int // orders per kind and status
}

// loopMovements reads from the store the shipments of purchase orders and
// transfers and the orders that received goods.
func loopMovements(t *testing.T, ctx context.Context, st *store.Store) loopMoves {
	t.Helper()
	var m loopMoves
	ships, err := st.Shipments(ctx, "tiny", "")
	if err != nil {
		t.Fatal(err)
	}
	seen := map[string]bool{} // a shipment has a row per business transaction (order, notice)
	for _, s := range ships {
		if seen[s.EventRef] {
			continue
		}
		units := 0.0
		for _, l := range s.Lines {
			units += l.Units
		}
		for _, ref := range s.OrderRefs {
			switch {
			case strings.Contains(ref, "po:") && s.Source == "SUP-FLR":
				m.poShipped++
				m.poUnits += units
			case strings.Contains(ref, "to:") && s.Source == "DC-PAR":
				m.toShipped++
				m.toUnits += units
			default:
				continue
			}
			seen[s.EventRef] = true
			break
		}
	}
	all, err := st.ListOrders(ctx, store.OrderFilter{})
	if err != nil {
		t.Fatal(err)
	}
	m.statuses = map[string]int{}
	for _, o := range all {
		m.statuses[string(o.Kind)+" "+string(o.Status)]++
		if o.Status == sillage.OrderReceived || o.Status == sillage.OrderClosed {
			if o.Kind == sillage.OrderPurchase {
				m.poReceived++
			} else {
				m.toReceived++
			}
		}
	}
	return m
}
