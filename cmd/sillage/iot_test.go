package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/sillage/sillage/internal/syncbuf"
	"github.com/sillage/sillage/iot/broker"
)

// tinyYAML is the hand-checkable sample network, from this package.
const tinyYAML = "../../testdata/networks/tiny.yaml"

// ingestRun is `sillage ingest` running in the background for a test,
// on tiny.yaml seeded into a fresh SQLite file, against an embedded
// broker.
type ingestRun struct {
	db, broker     string
	stdout, stderr syncbuf.Buffer
	cancel         context.CancelFunc
	done           chan int
	code           int
	stopped        bool
}

// startIngest seeds tiny.yaml, starts the embedded broker and `sillage
// ingest` with client id name and the extra arguments, and waits until
// the ingest has subscribed. Both stop when the test ends.
func startIngest(t *testing.T, name string, extra ...string) *ingestRun {
	t.Helper()
	ctx := context.Background()
	r := &ingestRun{db: "sqlite://" + t.TempDir() + "/" + name + ".db", done: make(chan int, 1)}
	var out, errb bytes.Buffer
	if code := run(ctx, []string{"seed", "--network", tinyYAML, "--db", r.db}, &out, &errb); code != 0 {
		t.Fatalf("seed: %d %s", code, errb.String())
	}
	b := startBroker(t, broker.Config{Addr: "127.0.0.1:0"})
	r.broker = b.URL(false)
	ictx, cancel := context.WithCancel(ctx)
	r.cancel = cancel
	args := append([]string{"ingest", "--broker", r.broker, "--db", r.db, "--resend", "0", "--client-id", name}, extra...)
	go func() { r.done <- run(ictx, args, &r.stdout, &r.stderr) }()
	t.Cleanup(func() { r.stop() })
	// Wait for the subscription before anything is published (clean start).
	deadline := time.Now().Add(time.Minute)
	for !strings.Contains(r.stderr.String(), "subscribed") {
		if time.Now().After(deadline) {
			t.Fatalf("ingest did not subscribe:\n%s", r.stderr.String())
		}
		time.Sleep(10 * time.Millisecond)
	}
	return r
}

// stop stops the ingest and returns its exit code.
func (r *ingestRun) stop() int {
	if !r.stopped {
		r.cancel()
		r.code, r.stopped = <-r.done, true
	}
	return r.code
}

// TestIngestSimulateStockDeadletters runs the embedded broker, `sillage
// ingest`, `sillage simulate`, then `sillage stock` and `sillage
// deadletters`: the stock moves exactly as the simulator says and every
// malformed message is listed.
func TestIngestSimulateStockDeadletters(t *testing.T) {
	ctx := context.Background()
	in := startIngest(t, "cli-test")
	db, tiny := in.db, tinyYAML
	var out, errb bytes.Buffer
	if code := run(ctx, []string{"simulate", "--broker", in.broker, "--network", tiny, "--rate", "300", "--duration", "1s",
		"--dup-rate", "0.1", "--bad-rate", "0.05", "--epcs", "5", "--transit", "100ms", "--seed", "3"}, &out, &errb); code != 0 {
		t.Fatalf("simulate: %d\n%s", code, errb.String())
	}
	if !strings.Contains(errb.String(), "simulate:") {
		t.Errorf("no progress output:\n%s", errb.String())
	}
	var malformed int
	want := map[string][2]float64{"DC-PAR BAG-01": {20, 0}, "DC-PAR EDP-01": {300, 0}, "BTQ-PAR BAG-01": {3, 2}, "BTQ-LON EDP-01": {10, 0}}
	for _, line := range strings.Split(out.String(), "\n") {
		var a, b, c int
		if n, _ := fmt.Sscanf(line, "published %d messages: %d events, %d EPC reads;", &a, &b, &c); n == 3 {
			i := strings.Index(line, "twice, ")
			fmt.Sscanf(line[i+len("twice, "):], "%d malformed", &malformed)
		}
		var site, sku string
		var oh, it float64
		if n, _ := fmt.Sscanf(line, "  %s %s %g %g", &site, &sku, &oh, &it); n == 4 {
			v := want[site+" "+sku]
			want[site+" "+sku] = [2]float64{v[0] + oh, v[1] + it}
		}
	}
	if malformed == 0 {
		t.Fatalf("no malformed messages published:\n%s", out.String())
	}

	// Wait until the ingest applied everything: the stock matches.
	var rows []stockRow
	deadline := time.Now().Add(2 * time.Minute)
	for {
		out.Reset()
		if code := run(ctx, []string{"stock", "--db", db, "--json"}, &out, &errb); code != 0 {
			t.Fatalf("stock: %d %s", code, errb.String())
		}
		rows = nil
		if err := json.Unmarshal(out.Bytes(), &rows); err != nil {
			t.Fatalf("stock --json: %v\n%s", err, out.String())
		}
		got := map[string][2]float64{}
		for _, r := range rows {
			got[r.Site+" "+r.SKU] = [2]float64{r.OnHand, r.InTransit}
		}
		match := true
		for k, w := range want {
			if got[k] != w {
				match = false
			}
		}
		if match {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("stock %v, want %v", got, want)
		}
		time.Sleep(50 * time.Millisecond)
	}
	out.Reset()
	if code := run(ctx, []string{"stock", "--db", db, "--site", "BTQ-LON"}, &out, &errb); code != 0 || !strings.Contains(out.String(), "BTQ-LON") || strings.Contains(out.String(), "DC-PAR") {
		t.Errorf("stock --site BTQ-LON: %d\n%s", code, out.String())
	}

	// Every malformed message is a dead letter (wait for the last ones).
	var dls []deadLetterRow
	for {
		out.Reset()
		if code := run(ctx, []string{"deadletters", "--db", db, "--json"}, &out, &errb); code != 0 {
			t.Fatalf("deadletters: %d %s", code, errb.String())
		}
		if err := json.Unmarshal(out.Bytes(), &dls); err != nil {
			t.Fatalf("deadletters --json: %v\n%s", err, out.String())
		}
		if len(dls) >= malformed || time.Now().After(deadline.Add(2*time.Minute)) {
			break
		}
		time.Sleep(50 * time.Millisecond)
	}
	if len(dls) != malformed {
		t.Errorf("%d dead letters for %d malformed messages", len(dls), malformed)
	}
	for _, d := range dls {
		if d.Topic == "" || d.Reason == "" || d.ReceivedAt.IsZero() || d.Payload == "" {
			t.Errorf("incomplete dead letter %+v", d)
		}
	}
	if code := in.stop(); code != 0 {
		t.Errorf("ingest exit %d\n%s", code, in.stderr.String())
	}
	if !strings.Contains(in.stdout.String(), "ingest stopped:") {
		t.Errorf("ingest summary missing: %q", in.stdout.String())
	}
	st := openTestStore(t, db)
	if n, _ := st.SeenCount(ctx, "tiny"); n == 0 {
		t.Errorf("no messages recorded as seen")
	}
}

func TestIoTUsageErrors(t *testing.T) {
	for _, args := range [][]string{
		{"ingest", "--broker", "127.0.0.1:1883"},
		{"ingest", "--cert-file", "x"},
		{"simulate"},
		{"simulate", "--network", "x.yaml", "--rate", "0"},
		{"simulate", "--network", "x.yaml", "--bad-rate", "2"},
		{"broker", "--tls-cert", "x"},
		{"deadletters", "--limit", "-1"},
		{"stock", "extra"},
	} {
		var out, errb bytes.Buffer
		if code := run(context.Background(), args, &out, &errb); code != 2 {
			t.Errorf("%v: exit %d, want 2\n%s", args, code, errb.String())
		}
	}
}
