package main

import (
	"bytes"
	"context"
	"encoding/json"
	"net"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/sillage/sillage"
	"github.com/sillage/sillage/internal/devserver"
	"github.com/sillage/sillage/internal/syncbuf"
	"github.com/sillage/sillage/internal/temporaltest"
	"github.com/sillage/sillage/internal/testhelp"
	"github.com/sillage/sillage/iot/broker"
)

// The full run of `sillage dev` (processes, Temporal, browser) is tested
// by package internal/e2e; these tests cover its parts in-process.

func TestDevUsage(t *testing.T) {
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"dev", "extra"}, "unexpected argument"},
		{[]string{"dev", "--log-format", "xml"}, "log format"},
		{[]string{"dev", "--dc-stock", "-2"}, "--dc-stock"},
		{[]string{"dev", "--port", "70000"}, "--port 70000"},
		{[]string{"dev", "--temporal", "localhost"}, "HOST:PORT"},
		{[]string{"dev", "--db", "mysql://x"}, "--db"},
		{[]string{"dev", "--broker", "localhost:1883"}, "--broker"},
		{[]string{"dev", "--broker", "tcp://10.0.0.5:1883"}, "plaintext MQTT only on loopback; for 10.0.0.5 use ssl://10.0.0.5:1883"},
		{[]string{"dev", "--broker", "tcp://broker.example:1883"}, "plaintext MQTT only on loopback"},
		{[]string{"dev", "--broker", "gopher://127.0.0.1:1883"}, "unknown scheme"},
		{[]string{"dev", "--sim-rate", "0"}, "--sim-rate"},
	} {
		var out, errb bytes.Buffer
		if code := run(context.Background(), tc.args, &out, &errb); code != 2 || !strings.Contains(errb.String(), tc.want) {
			t.Errorf("%v: exit %d, stderr %q; want 2 and %q", tc.args, code, errb.String(), tc.want)
		}
	}
}

// TestDevWithoutTemporalCLI checks that dev says how to install the
// Temporal CLI when it is missing and it cannot or may not install it.
func TestDevWithoutTemporalCLI(t *testing.T) {
	empty := t.TempDir()
	t.Setenv("PATH", empty) // neither temporal nor go
	t.Setenv("HOME", empty) // no ~/go/bin/temporal
	t.Setenv(devserver.EnvCLI, "")
	for _, tc := range []struct {
		flag, want string
	}{
		{"--install-temporal=false", "not installed: go install github.com/temporalio/cli/cmd/temporal@v1.5.1"},
		{"--install-temporal=true", "Go is not on the PATH to install it: go install github.com/temporalio/cli/cmd/temporal@v1.5.1"},
	} {
		var out, errb bytes.Buffer
		code := run(context.Background(), []string{"dev", "--dir", t.TempDir(), tc.flag}, &out, &errb)
		if code != 1 || !strings.Contains(errb.String(), tc.want) || !strings.Contains(errb.String(), "scripts/setup") {
			t.Errorf("%s: exit %d, stderr:\n%s\nwant exit 1 and %q", tc.flag, code, errb.String(), tc.want)
		}
	}
}

// TestDevSampleNetwork checks that the sample dev writes is the committed
// testdata/networks/maison.yaml.
func TestDevSampleNetwork(t *testing.T) {
	dir := t.TempDir()
	file, n, sample, err := devNetwork("", dir)
	if err != nil {
		t.Fatal(err)
	}
	if !sample || n.Name != "maison" || file != filepath.Join(dir, "maison.yaml") {
		t.Errorf("sample %v, name %q, file %s", sample, n.Name, file)
	}
	got, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	want, err := os.ReadFile(filepath.Join("..", "..", "testdata", "networks", "maison.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, want) {
		t.Error("the sample network differs from testdata/networks/maison.yaml")
	}
	if _, _, sample, err := devNetwork(filepath.Join("..", "..", "testdata", "networks", "tiny.yaml"), dir); err != nil || sample {
		t.Errorf("--network tiny.yaml: sample %v, %v", sample, err)
	}
}

// TestDevSeed checks that dev seeds a network once, with the share of the
// distribution centres' stock, and leaves a stored network alone.
func TestDevSeed(t *testing.T) {
	ctx := context.Background()
	_, n, _, err := devNetwork("", t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	db := "sqlite://" + filepath.Join(t.TempDir(), "dev.db")
	seeded, err := devSeed(ctx, db, n.Name, n, 0.25)
	if err != nil || !seeded {
		t.Fatalf("first seed: %v, %v", seeded, err)
	}
	st := openTestStore(t, db)
	var dc, shop sillage.Position
	for _, p := range n.Stock {
		s, _ := n.Site(p.Site)
		if s.Kind == sillage.KindDC && dc.Site == "" && p.OnHand >= 8 {
			dc = p
		}
		if s.Kind == sillage.KindBoutique && shop.Site == "" && p.OnHand > 0 {
			shop = p
		}
	}
	got, err := st.GetPosition(ctx, n.Name, dc.Site, dc.SKU)
	if err != nil {
		t.Fatal(err)
	}
	if want := float64(int(dc.OnHand * 0.25)); got.OnHand != want || got.InTransit != dc.InTransit {
		t.Errorf("%s %s: on hand %v in transit %v, want %v and %v", dc.Site, dc.SKU, got.OnHand, got.InTransit, want, dc.InTransit)
	}
	if got, _ := st.GetPosition(ctx, n.Name, shop.Site, shop.SKU); got.OnHand != shop.OnHand {
		t.Errorf("boutique %s %s: on hand %v, want %v (unchanged)", shop.Site, shop.SKU, got.OnHand, shop.OnHand)
	}
	if n.Stock[0].OnHand == 0 && dc.OnHand == 0 {
		t.Fatal("the sample has no stock")
	}
	// The ingest changes the stock; a second run keeps it.
	if _, err := st.AdjustPosition(ctx, n.Name, shop.Site, shop.SKU, sillage.PositionDelta{OnHand: -1}); err != nil {
		t.Fatal(err)
	}
	seeded, err = devSeed(ctx, db, n.Name, n, 0.25)
	if err != nil || seeded {
		t.Fatalf("second seed: %v, %v; want nothing done", seeded, err)
	}
	if got, _ := st.GetPosition(ctx, n.Name, shop.Site, shop.SKU); got.OnHand != shop.OnHand-1 {
		t.Errorf("after the second run: on hand %v, want %v (the ingest's)", got.OnHand, shop.OnHand-1)
	}
}

func TestDevLock(t *testing.T) {
	dir := t.TempDir()
	if err := writeDevState(dir, devState{PID: 4242}); err != nil {
		t.Fatal(err)
	}
	unlock, err := lockDevDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := lockDevDir(dir); err == nil || !strings.Contains(err.Error(), "another sillage dev (pid 4242)") {
		t.Errorf("second lock: %v", err)
	}
	unlock()
	unlock2, err := lockDevDir(dir)
	if err != nil {
		t.Fatalf("lock after unlock: %v", err)
	}
	unlock2()
}

func TestPreferPort(t *testing.T) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	busy := l.Addr().(*net.TCPAddr).Port
	if got := preferPort(busy); got != 0 {
		t.Errorf("busy port %d: got %d, want 0 (any free port)", busy, got)
	}
	l.Close()
	if got := preferPort(busy); got != busy {
		t.Errorf("free port %d: got %d", busy, got)
	}
	if got := preferPort(0); got != 0 {
		t.Errorf("port 0: got %d", got)
	}
}

func TestPrefixWriter(t *testing.T) {
	var buf bytes.Buffer
	w := &prefixWriter{w: &buf, prefix: "worker | "}
	for _, s := range []string{"one\ntw", "o\n", "three\nfour"} {
		if n, err := w.Write([]byte(s)); err != nil || n != len(s) {
			t.Fatalf("write %q: %d, %v", s, n, err)
		}
	}
	if got, want := buf.String(), "worker | one\nworker | two\nworker | three\n"; got != want {
		t.Errorf("got %q, want %q", got, want)
	}
}

// TestDevExternalServices runs `sillage dev` in-process against a Temporal
// server and an MQTT broker of its own (--temporal, --broker), without the
// simulator, on the tiny network: it must register nothing twice, create
// the schedules there, get a plan done, and stop when its context ends.
func TestDevExternalServices(t *testing.T) {
	if testing.Short() {
		t.Skip("skipping a Temporal test in -short mode")
	}
	srv := temporaltest.Start(t)
	c := temporaltest.Client(t, srv)
	b := startBroker(t, broker.Config{Addr: "127.0.0.1:0"})
	dir := t.TempDir()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var out, errb syncbuf.Buffer
	done := make(chan int, 1)
	go func() {
		done <- run(ctx, []string{"dev", "--dir", dir, "--temporal", srv.HostPort, "--namespace", srv.Namespace,
			"--broker", b.URL(false), "--network", "../../testdata/networks/tiny.yaml", "--no-simulate", "--metrics", "",
			"--db", "sqlite://" + filepath.Join(dir, "tiny.db"), "--debounce", "1s"}, &out, &errb)
	}()
	var st devState
	testhelp.Eventually(t, time.Minute, "dev.json", func() bool {
		select {
		case code := <-done:
			t.Fatalf("dev exited with %d:\n%s", code, errb.String())
		default:
		}
		data, err := os.ReadFile(filepath.Join(dir, devStateFile))
		return err == nil && json.Unmarshal(data, &st) == nil
	})
	if st.Temporal != srv.HostPort || st.UI != "" || st.Broker != b.URL(false) || st.Network != "tiny" || st.Metrics != "" {
		t.Errorf("dev.json %+v", st)
	}
	for _, want := range []string{"[1/8] network tiny", "[2/8] Temporal at " + srv.HostPort, "MQTT broker: " + b.URL(false),
		"network tiny seeded\n", "first plan requested from planner:tiny"} {
		if !strings.Contains(errb.String(), want) {
			t.Errorf("progress lacks %q:\n%s", want, errb.String())
		}
	}
	testhelp.Eventually(t, 2*time.Minute, "a completed plan of tiny", func() bool {
		return len(listWorkflows(t, c, `WorkflowType="PlanWorkflow" AND SillageNetwork="tiny" AND ExecutionStatus="Completed"`)) > 0
	})
	if _, err := c.ScheduleClient().GetHandle(ctx, planScheduleID("tiny")).Describe(ctx); err != nil {
		t.Errorf("plan schedule: %v", err)
	}
	cancel()
	select {
	case code := <-done:
		if code != 0 {
			t.Errorf("dev exited with %d:\n%s", code, errb.String())
		}
	case <-time.After(time.Minute):
		t.Fatal("dev did not stop when its context ended")
	}
	if _, err := os.Stat(filepath.Join(dir, devStateFile)); !os.IsNotExist(err) {
		t.Errorf("dev.json left behind: %v", err)
	}
	if !strings.Contains(out.String(), "sillage dev is running") {
		t.Errorf("no banner:\n%s", out.String())
	}
}
