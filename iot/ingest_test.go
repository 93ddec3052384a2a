package iot_test

import (
	"bufio"
	"cmp"
	"context"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/exec"
	"os/signal"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/sillage/sillage"
	"github.com/sillage/sillage/internal/testnet"
	"github.com/sillage/sillage/iot"
	"github.com/sillage/sillage/iot/epcis"
	"github.com/sillage/sillage/iot/internal/mosquittotest"
	"github.com/sillage/sillage/store"
)

// The test binary doubles as an ingest process: with SILLAGE_INGEST_CHILD=1
// it runs the ingest of network "tiny" (see childIngest), so that a test
// can SIGKILL it mid-stream.
func TestMain(m *testing.M) {
	if os.Getenv("SILLAGE_INGEST_CHILD") == "1" {
		os.Exit(childIngest())
	}
	os.Exit(m.Run())
}

// childIngest runs an ingest on $CHILD_DB and $CHILD_BROKER until SIGTERM.
// With CHILD_CRASH_AFTER=n it exits with status 3 right after committing
// its n-th batch, before acknowledging it: the crash that the seen keys
// must absorb. CHILD_CLIENT_ID (default sillage-ingest-test), CHILD_SHARE
// (a shared subscription group), CHILD_PARTITION (K/N), CHILD_CA, CHILD_USER and CHILD_PASSWORD
// configure the client further.
func childIngest() int {
	log := slog.New(slog.NewTextHandler(os.Stdout, nil))
	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGTERM, os.Interrupt)
	defer stop()
	st, err := store.Open(ctx, os.Getenv("CHILD_DB"))
	if err != nil {
		log.Error("open store", "err", err)
		return 1
	}
	defer st.Close()
	n, err := st.LoadNetwork(ctx, "tiny")
	if err != nil {
		log.Error("load network", "err", err)
		return 1
	}
	n.Name = "tiny"
	crashAfter, _ := strconv.Atoi(os.Getenv("CHILD_CRASH_AFTER"))
	batches := 0
	// With CHILD_RELAY_FILE, an outbox relay delivers to a listener that
	// appends each call to that file (see fileListener).
	var relay *iot.Relay
	if path := os.Getenv("CHILD_RELAY_FILE"); path != "" {
		f, err := os.OpenFile(path, os.O_CREATE|os.O_APPEND|os.O_WRONLY, 0o644)
		if err != nil {
			log.Error("relay file", "err", err)
			return 1
		}
		defer f.Close()
		relay = &iot.Relay{Network: "tiny", Store: st, Listener: &fileListener{f: f}, Interval: 50 * time.Millisecond, Log: log}
		go relay.Run(ctx)
	}
	var part iot.Partition
	if s := os.Getenv("CHILD_PARTITION"); s != "" {
		if part, err = iot.ParsePartition(s); err != nil {
			log.Error("partition", "err", err)
			return 1
		}
	}
	in := &iot.Ingest{
		Partition: part,
		Client: iot.ClientConfig{Broker: os.Getenv("CHILD_BROKER"), ClientID: cmp.Or(os.Getenv("CHILD_CLIENT_ID"), "sillage-ingest-test"),
			CAFile: os.Getenv("CHILD_CA"), Username: os.Getenv("CHILD_USER"), Password: os.Getenv("CHILD_PASSWORD")},
		ShareGroup: os.Getenv("CHILD_SHARE"),
		Processor:  &iot.Processor{Catalog: iot.NewCatalog(n), Log: log},
		Store:      st,
		BatchSize:  7,
		Log:        log,
		OnBatch: func(s sillage.IngestStats) {
			batches++
			fmt.Printf("batch %d messages %d\n", batches, s.Messages)
			if relay != nil {
				relay.Wake()
			}
			if batches == crashAfter {
				os.Exit(3)
			}
		},
	}
	if err := in.Run(ctx); err != nil {
		log.Error("ingest", "err", err)
		return 1
	}
	return 0
}

// child is a running ingest process.
type child struct {
	cmd     *exec.Cmd
	batches chan int
	ready   chan struct{}
	done    chan error
}

// killAfter waits until the child has committed batches batches,
// SIGKILLs it and waits until it is gone; name says which ingest it is in
// failures.
func (c *child) killAfter(t *testing.T, batches int, name string) {
	t.Helper()
	for i := 0; i < batches; i++ {
		within(t, c.batches, name+" to commit batches")
	}
	if err := c.cmd.Process.Signal(syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	within(t, c.done, name+" to die")
}

// startChild starts an ingest process (see childIngest); env adds
// variables such as CHILD_SHARE=group.
func startChild(t *testing.T, db, broker string, crashAfter int, env ...string) *child {
	t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), "SILLAGE_INGEST_CHILD=1", "CHILD_DB="+db, "CHILD_BROKER="+broker, "CHILD_CRASH_AFTER="+strconv.Itoa(crashAfter))
	cmd.Env = append(cmd.Env, env...)
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	cmd.Stderr = os.Stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	c := &child{cmd: cmd, batches: make(chan int, 1000), ready: make(chan struct{}), done: make(chan error, 1)}
	go func() {
		sc := bufio.NewScanner(out)
		readyClosed := false
		for sc.Scan() {
			line := sc.Text()
			if strings.Contains(line, "ingest connected and subscribed") && !readyClosed {
				close(c.ready)
				readyClosed = true
			}
			var b, m int
			if _, err := fmt.Sscanf(line, "batch %d messages %d", &b, &m); err == nil {
				select {
				case c.batches <- b:
				default:
				}
			}
		}
		_, _ = io.Copy(io.Discard, out)
		c.done <- cmd.Wait()
	}()
	t.Cleanup(func() { _ = cmd.Process.Kill() })
	return c
}

// within fails the test when ch yields nothing for long: a liveness
// guard, not a speed check.
// dialPublisher connects a publisher with cfg and disconnects it when t
// ends.
func dialPublisher(t *testing.T, cfg iot.ClientConfig) iot.MQTTPublisher {
	t.Helper()
	pub, c, err := iot.Dial(context.Background(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Disconnect(100) })
	return pub
}

// publishAll publishes msgs in order; t fails at the first error.
func publishAll(t *testing.T, pub iot.MQTTPublisher, msgs []iot.Message) {
	t.Helper()
	for _, m := range msgs {
		if err := pub.Publish(context.Background(), m.Topic, m.Payload); err != nil {
			t.Fatal(err)
		}
	}
}

func within[T any](t *testing.T, ch <-chan T, what string) T {
	t.Helper()
	select {
	case v := <-ch:
		return v
	case <-time.After(3 * time.Minute):
		t.Fatalf("timed out waiting for %s", what)
	}
	var zero T
	return zero
}

// stream builds the message stream of the kill test and its expected
// final stock (tiny.yaml's stock plus the effect of the stream).
func stream(t *testing.T, t0 time.Time) (msgs []iot.Message, distinct int, want map[[2]string][2]float64) {
	t.Helper()
	add := func(site string, evs ...iot.ObjectEvent) {
		b, err := iot.EncodeEvents(t0, evs...)
		if err != nil {
			t.Fatal(err)
		}
		msgs = append(msgs, iot.Message{Topic: iot.SiteTopic(site, iot.KindEPCIS), Payload: b})
	}
	sec := func(s int) time.Time { return t0.Add(time.Duration(s) * time.Second) }
	// 100 receipts of 10 new bags each at the DC; every 5th published twice.
	for i := 0; i < 100; i++ {
		ev := iot.ObjectEvent{Time: sec(i), Action: epcis.ActionAdd, BizStep: "receiving", BizLocation: glnDC, EPCs: bagRange(i*10, 10)}
		add("DC-PAR", ev)
		if i%5 == 0 {
			msgs = append(msgs, msgs[len(msgs)-1])
		}
	}
	// 50 repeated reads of received bags at the time of their receipt.
	for i := 0; i < 50; i++ {
		add("DC-PAR", iot.ObjectEvent{Time: sec(i * 2), Action: epcis.ActionObserve, BizLocation: glnDC, EPCs: bagRange(i*20, 10)})
	}
	// 30 shipments of 5 bags to the Paris boutique; 20 of them arrive.
	for k := 0; k < 30; k++ {
		add("DC-PAR", iot.ObjectEvent{Time: sec(1000 + k), Action: epcis.ActionObserve, BizStep: "shipping", Disposition: "in_transit",
			ReadPoint: glnDC, Destination: glnBTQPar, EPCs: bagRange(k*10, 5)})
	}
	for k := 0; k < 20; k++ {
		add("BTQ-PAR", iot.ObjectEvent{Time: sec(2000 + k), Action: epcis.ActionObserve, BizStep: "receiving", BizLocation: glnBTQPar, EPCs: bagRange(k*10, 5)})
	}
	// 10 sales of 3 bags in Paris.
	for k := 0; k < 10; k++ {
		add("BTQ-PAR", iot.ObjectEvent{Time: sec(3000 + k), Action: epcis.ActionObserve, BizStep: "retail_selling", Disposition: "retail_sold",
			BizLocation: glnBTQPar, EPCs: bagRange(k*10, 3)})
	}
	// 20 class-level receipts of 5 perfumes in London, 5 repeated in new
	// documents with the same event ids.
	lot := iot.LGTINURI(gtinEDP, 7, "L1")
	for k := 0; k < 20; k++ {
		ev := iot.ObjectEvent{ID: fmt.Sprintf("urn:uuid:edp-%d", k), Time: sec(4000 + k), Action: epcis.ActionAdd, BizStep: "receiving",
			BizLocation: glnBTQLon, Quantities: []iot.QuantityElement{{EPCClass: lot, Quantity: 5}}}
		add("BTQ-LON", ev)
		if k < 5 {
			ev2 := ev
			ev2.Time = ev.Time // same event, new document: another creation date
			b, _ := iot.EncodeEvents(t0.Add(time.Hour), ev2)
			msgs = append(msgs, iot.Message{Topic: iot.SiteTopic("BTQ-LON", iot.KindEPCIS), Payload: b})
		}
	}
	// 10 class-level removals of 2 perfumes at the DC, without event ids:
	// only the message keys protect them from counting twice.
	for k := 0; k < 10; k++ {
		add("DC-PAR", iot.ObjectEvent{Time: sec(5000 + k), Action: epcis.ActionDelete, BizLocation: glnDC,
			Quantities: []iot.QuantityElement{{EPCClass: lot, Quantity: 2}}})
	}
	// 10 malformed messages.
	for k := 0; k < 10; k++ {
		msgs = append(msgs, iot.Message{Topic: iot.SiteTopic("DC-PAR", iot.KindEPCIS), Payload: []byte(fmt.Sprintf(`{"broken": %d`, k))})
	}
	keys := map[string]bool{}
	for _, m := range msgs {
		keys[iot.MessageKey(m.Topic, m.Payload)] = true
	}
	want = map[[2]string][2]float64{
		{"DC-PAR", "BAG-01"}:  {20 + 1000 - 150, 0},
		{"BTQ-PAR", "BAG-01"}: {3 + 100 - 30, 2 + 150 - 100},
		{"BTQ-LON", "EDP-01"}: {10 + 100, 0},
		{"DC-PAR", "EDP-01"}:  {300 - 20, 0},
	}
	return msgs, len(keys), want
}

func bagRange(from, n int) []string {
	out := make([]string, n)
	for i := range out {
		out[i] = iot.SGTINURI(gtinBag, 7, strconv.Itoa(from+i))
	}
	return out
}

// skipProcessesIfShort skips t, a test that starts processes, with -short.
func skipProcessesIfShort(t *testing.T) {
	t.Helper()
	if testing.Short() {
		t.Skip("starts processes; skipped with -short")
	}
}

func seedTiny(t *testing.T, url string) *store.Store {
	t.Helper()
	st, _ := seedTinyNetwork(t, url, nil)
	return st
}

// seedTinyNetwork opens the store at url (closed when the test ends),
// sets its clock to clock unless clock is nil, saves
// testdata/networks/tiny.yaml in it as "tiny" and returns the store and
// the network, named "tiny".
func seedTinyNetwork(t *testing.T, url string, clock func() time.Time) (*store.Store, *sillage.Network) {
	t.Helper()
	ctx := context.Background()
	n := testnet.Load(t, "tiny")
	st, err := store.Open(ctx, url)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	if clock != nil {
		st.SetClock(clock)
	}
	if _, err := st.SaveNetwork(ctx, "tiny", n); err != nil {
		t.Fatal(err)
	}
	n.Name = "tiny"
	return st, n
}

func positionsOf(t *testing.T, st *store.Store) map[[2]string][2]float64 {
	t.Helper()
	ps, err := st.Positions(context.Background(), "tiny", "")
	if err != nil {
		t.Fatal(err)
	}
	out := map[[2]string][2]float64{}
	for _, p := range ps {
		out[[2]string{p.Site, p.SKU}] = [2]float64{p.OnHand, p.InTransit}
	}
	return out
}

// TestKillAndRestart streams messages through a real Mosquitto into an
// ingest process that first crashes between a commit and its acks, is
// then SIGKILLed mid-stream, and finally runs to the end. The final stock
// equals the expected stock exactly, and equals the stock of the same
// stream applied directly without MQTT.
func TestKillAndRestart(t *testing.T) {
	mosquittotest.Require(t)
	skipProcessesIfShort(t)
	broker := mosquittotest.Start(t, mosquittotest.Options{})
	dbURL := "sqlite://" + t.TempDir() + "/ingest.db"
	st := seedTiny(t, dbURL)
	ctx := context.Background()
	t0 := time.Date(2026, 3, 1, 8, 0, 0, 0, time.UTC)
	msgs, distinct, want := stream(t, t0)

	// Run 1 creates the persistent session, then crashes after its third
	// batch is committed and before it is acknowledged.
	c1 := startChild(t, dbURL, broker.URL, 3)
	within(t, c1.ready, "first ingest to subscribe")
	pub := dialPublisher(t, iot.ClientConfig{Broker: broker.URL, ClientID: "kill-test-publisher", CleanSession: true})
	publishAll(t, pub, msgs)
	err := within(t, c1.done, "first ingest to crash")
	if ee, ok := err.(*exec.ExitError); !ok || ee.ExitCode() != 3 {
		t.Fatalf("first ingest ended with %v, want the simulated crash (status 3)", err)
	}
	seen1, _ := st.SeenCount(ctx, "tiny")
	if seen1 == 0 || seen1 >= int64(distinct) {
		t.Fatalf("after the crash %d of %d messages are applied; want some, not all", seen1, distinct)
	}

	// Run 2 is killed with SIGKILL after a few more batches.
	c2 := startChild(t, dbURL, broker.URL, 0)
	c2.killAfter(t, 10, "second ingest")
	seen2, _ := st.SeenCount(ctx, "tiny")
	if seen2 <= seen1 || seen2 >= int64(distinct) {
		t.Fatalf("after the kill %d of %d messages are applied (%d before); want progress, not the end", seen2, distinct, seen1)
	}

	// Run 3 finishes the stream.
	c3 := startChild(t, dbURL, broker.URL, 0)
	deadline := time.Now().Add(3 * time.Minute)
	for {
		n, err := st.SeenCount(ctx, "tiny")
		if err != nil {
			t.Fatal(err)
		}
		if n == int64(distinct) {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("only %d of %d messages applied", n, distinct)
		}
		time.Sleep(50 * time.Millisecond)
	}
	_ = c3.cmd.Process.Signal(syscall.SIGTERM)
	if err := within(t, c3.done, "third ingest to stop"); err != nil {
		t.Fatalf("third ingest: %v", err)
	}

	checkStock(t, st, msgs, want, "stock through MQTT with crashes")
}

// checkStock checks the stock of network tiny in st, after an ingest of
// the stream msgs described by how: against want, the 10 malformed
// messages against its dead letters, and against the stock the same
// stream gives applied directly, without MQTT.
func checkStock(t *testing.T, st *store.Store, msgs []iot.Message, want map[[2]string][2]float64, how string) {
	t.Helper()
	ctx := context.Background()
	got := positionsOf(t, st)
	for k, w := range want {
		if got[k] != w {
			t.Errorf("%v: on hand, in transit = %v, want %v", k, got[k], w)
		}
	}
	dl, err := st.DeadLetters(ctx, "tiny", 0)
	if err != nil {
		t.Fatal(err)
	}
	if len(dl) != 10 {
		t.Errorf("%d dead letters, want the 10 malformed messages", len(dl))
	}
	ref := seedTiny(t, "sqlite://"+t.TempDir()+"/ref.db")
	n, _ := ref.LoadNetwork(ctx, "tiny")
	n.Name = "tiny"
	p := &iot.Processor{Catalog: iot.NewCatalog(n)}
	for _, m := range msgs {
		if _, err := p.Process(ctx, ref, []iot.Message{m}); err != nil {
			t.Fatal(err)
		}
	}
	if r := positionsOf(t, ref); fmt.Sprint(r) != fmt.Sprint(got) {
		t.Errorf("%s\n%v\ndiffers from the stock applied directly\n%v", how, got, r)
	}
}
