package main

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"go.temporal.io/sdk/client"

	"github.com/sillage/sillage/internal/temporaltest"
	"github.com/sillage/sillage/iot/broker"
	"github.com/sillage/sillage/store"
	"github.com/sillage/sillage/workflows"
)

// TestFaultStockLoop runs the whole loop as processes: a worker (with the
// simulated supplier), the ingest (with its outbox relay, signalling
// Temporal), the simulated warehouses and the RFID simulator, on one
// SQLite database and the embedded broker, while plans are started every
// few seconds. The ingest is SIGKILLed once and the worker once, each
// restarted. The conservation ledger is read every second throughout and
// must hold at every read; at the end `sillage ledger` exits 0.
// Set SILLAGE_FAULT_TEST=1 to run it (two minutes).
func TestFaultStockLoop(t *testing.T) {
	if os.Getenv(envFaultTest) != "1" {
		t.Skip("set " + envFaultTest + "=1 to run the stock loop kill test (two minutes)")
	}
	srv := temporaltest.Start(t)
	c := temporaltest.Client(t, srv)
	ctx := context.Background()
	dir := t.TempDir()
	dbURL := "sqlite://" + filepath.Join(dir, "sillage.db")
	netFile := filepath.Join("..", "..", "testdata", "networks", "tiny.yaml")
	var out, errb bytes.Buffer
	if code := run(ctx, []string{"seed", "--network", netFile, "--db", dbURL}, &out, &errb); code != 0 {
		t.Fatalf("seed: exit %d: %s", code, errb.String())
	}
	st, err := store.Open(ctx, dbURL)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	b, err := broker.Start(broker.Config{Addr: "127.0.0.1:0"})
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	logFile, err := os.Create(filepath.Join(dir, "processes.log"))
	if err != nil {
		t.Fatal(err)
	}
	defer logFile.Close()
	start := func(args ...string) *exec.Cmd {
		cmd := exec.Command(exe, "-test.run=^TestFaultWorkerProcess$", "-test.v=false")
		cmd.Env = append(os.Environ(), envFaultWorker+"="+strings.Join(args, "\x1f"))
		cmd.Stdout, cmd.Stderr = logFile, logFile
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		return cmd
	}
	stopAll := []*exec.Cmd{}
	defer func() {
		for _, p := range stopAll {
			_ = p.Process.Signal(syscall.SIGTERM)
			_ = p.Wait()
		}
	}()
	workerArgs := []string{"worker", "--temporal", srv.HostPort, "--namespace", srv.Namespace, "--db", dbURL,
		"--broker", b.URL(false), "--sim-delay", "1s", "--sim-confirm", "0.8", "--sim-partial", "0.1", "--debounce", "2s"}
	ingestArgs := []string{"ingest", "--temporal", srv.HostPort, "--namespace", srv.Namespace, "--db", dbURL, "--network", "tiny",
		"--broker", b.URL(false), "--client-id", "loop-ingest", "--planner-debounce", "2s"}
	worker := start(workerArgs...)
	ingest := start(ingestArgs...)
	wh := start("warehouse", "--broker", b.URL(false), "--network", netFile, "--receipt-delay", "2s")
	stopAll = append(stopAll, wh)
	const simFor = 60 * time.Second
	sim := start("simulate", "--broker", b.URL(false), "--network", netFile, "--rate", "20", "--duration", simFor.String(),
		"--seed", "7", "--serial-base", "1000000")

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
	began := time.Now()
	plans := 0
	killedIngest, killedWorker := false, false
	for time.Since(began) < simFor+20*time.Second {
		time.Sleep(time.Second)
		check()
		el := time.Since(began)
		if int(el/(10*time.Second)) >= plans && el < simFor {
			plans++
			_, err := c.ExecuteWorkflow(ctx, client.StartWorkflowOptions{
				ID: workflows.PlanWorkflowID(fmt.Sprintf("tiny:loop-%d", plans)), TaskQueue: workflows.TaskQueue,
			}, workflows.PlanWorkflowName, workflows.PlanInput{Network: "tiny", Reason: "stock loop test",
				Options: workflows.PlanOptions{Timings: workflows.OrderTimings{ConfirmPoll: 500 * time.Millisecond}}})
			if err != nil {
				t.Fatal(err)
			}
		}
		if !killedIngest && el > 20*time.Second {
			killedIngest = true
			_ = ingest.Process.Signal(syscall.SIGKILL)
			_ = ingest.Wait()
			check()
			ingest = start(ingestArgs...)
		}
		if !killedWorker && el > 35*time.Second {
			killedWorker = true
			_ = worker.Process.Signal(syscall.SIGKILL)
			_ = worker.Wait()
			check()
			worker = start(workerArgs...)
		}
	}
	_ = sim.Wait()
	stopAll = append(stopAll, ingest, worker)
	check()
	if broken > 0 || reads < 60 {
		t.Errorf("%d broken product reads in %d ledger reads", broken, reads)
	}
	out.Reset()
	errb.Reset()
	if code := run(ctx, []string{"ledger", "--db", dbURL, "--network", "tiny"}, &out, &errb); code != 0 {
		t.Errorf("sillage ledger: exit %d\n%s%s", code, out.String(), errb.String())
	}
	delivered, pending, _ := st.OutboxCounts(ctx, "tiny")
	t.Logf("%d ledger reads, %d plans started, outbox %d delivered, %d pending\n%s", reads, plans, delivered, pending, out.String())
}
