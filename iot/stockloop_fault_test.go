package iot_test

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/sillage/sillage"
	"github.com/sillage/sillage/iot"
	"github.com/sillage/sillage/iot/internal/mosquittotest"
	"github.com/sillage/sillage/store"
)

// fileListener appends one JSON line per call to a file and syncs it, so
// that what a killed process delivered is on disk.
type fileListener struct {
	mu sync.Mutex
	f  *os.File
}

// delivery is one line of a fileListener's file.
type delivery struct {
	Kind  string  `json:"kind"`
	ID    string  `json:"id"`
	Units float64 `json:"units"`
}

func (l *fileListener) write(d delivery) error {
	l.mu.Lock()
	defer l.mu.Unlock()
	b, _ := json.Marshal(d)
	if _, err := l.f.Write(append(b, '\n')); err != nil {
		return err
	}
	return l.f.Sync()
}

func (l *fileListener) ReorderPointCrossed(_ context.Context, c iot.ReorderCrossing) error {
	return l.write(delivery{Kind: iot.OutboxReorder, ID: c.ID()})
}

func (l *fileListener) GoodsReceived(_ context.Context, r iot.Receipt) error {
	units := 0.0
	for _, x := range r.Lines {
		units += x.Units
	}
	return l.write(delivery{Kind: iot.OutboxReceipt, ID: r.ID, Units: units})
}

func (l *fileListener) CommandAcked(_ context.Context, a iot.CommandAck) error {
	return l.write(delivery{Kind: iot.OutboxAck, ID: a.CommandID + ":" + a.Key})
}

// TestStockLoopKill publishes the stream of the kill test to an ingest
// process that runs the outbox relay, SIGKILLs it at random points four
// times (mid-batch, mid-delivery) and restarts it, while the ledger is
// read every 20 ms. The conservation identity holds at every read; at the
// end the ledger equals the one worked out by hand, and every goods
// receipt of the stream was delivered (none lost), each under one id and
// with its units (a repeat after a kill carries the same id and units, so
// a receiver deduplicating by id counts each receipt once).
func TestStockLoopKill(t *testing.T) {
	skipProcessesIfShort(t)
	mosquittotest.Require(t)
	broker := mosquittotest.Start(t, mosquittotest.Options{})
	dir := t.TempDir()
	dbURL := "sqlite://" + filepath.Join(dir, "loop.db")
	relayFile := filepath.Join(dir, "deliveries.jsonl")
	st := seedTiny(t, dbURL)
	ctx := context.Background()
	msgs, distinct, _ := stream(t, time.Date(2026, 3, 1, 8, 0, 0, 0, time.UTC))
	env := []string{"CHILD_CLIENT_ID=sillage-ingest-loop", "CHILD_RELAY_FILE=" + relayFile}

	// The ledger, every 20 ms, until the end.
	stop := make(chan struct{})
	var reads, broken int
	var firstBroken string
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		for {
			select {
			case <-stop:
				return
			case <-time.After(20 * time.Millisecond):
			}
			lines, _, err := st.Ledger(ctx, "tiny", time.Time{})
			if err != nil {
				continue
			}
			reads++
			for _, l := range lines {
				if !l.Holds() {
					broken++
					if firstBroken == "" {
						firstBroken = fmt.Sprintf("%+v", l)
					}
				}
			}
		}
	}()

	pub := dialPublisher(t, iot.ClientConfig{Broker: broker.URL, ClientID: "loop-publisher", CleanSession: true})
	rng := rand.New(rand.NewPCG(12, 2026))
	ch := startChild(t, dbURL, broker.URL, 0, env...)
	within(t, ch.ready, "the ingest to subscribe")
	const kills = 4
	part := len(msgs) / (kills + 1)
	for k := 0; k <= kills; k++ {
		end := min((k+1)*part, len(msgs))
		if k == kills {
			end = len(msgs)
		}
		publishAll(t, pub, msgs[k*part:end])
		if k == kills {
			break
		}
		within(t, ch.batches, "a batch")
		time.Sleep(time.Duration(rng.IntN(40)) * time.Millisecond)
		if err := ch.cmd.Process.Signal(syscall.SIGKILL); err != nil {
			t.Fatal(err)
		}
		<-ch.done
		ch = startChild(t, dbURL, broker.URL, 0, env...)
	}
	waitSeen(t, st, distinct)
	// The relay of the last process delivers what is left.
	deadline := time.Now().Add(time.Minute)
	for {
		_, pending, err := st.OutboxCounts(ctx, "tiny")
		if err != nil {
			t.Fatal(err)
		}
		if pending == 0 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("%d outbox messages still pending", pending)
		}
		time.Sleep(50 * time.Millisecond)
	}
	close(stop)
	wg.Wait()
	_ = ch.cmd.Process.Signal(syscall.SIGTERM)
	<-ch.done

	if broken > 0 || reads == 0 {
		t.Errorf("identity broken in %d product reads of %d ledger reads; first: %s", broken, reads, firstBroken)
	}
	t.Logf("%d ledger reads, all holding", reads)
	lines, _, err := st.Ledger(ctx, "tiny", time.Time{})
	if err != nil {
		t.Fatal(err)
	}
	// tiny: BAG-01 opening 25, 1000 received, 30 sold; on hand 870 at the
	// DC + 73 in Paris, in transit 2 + 50. EDP-01 opening 310, 100
	// received in London, 20 deleted at the DC (written off).
	want := []sillage.LedgerLine{
		{SKU: "BAG-01", Opening: 25, Receipts: 1000, Sales: 30, OnHand: 943, InTransit: 52},
		{SKU: "EDP-01", Opening: 310, Receipts: 100, WriteOffs: 20, OnHand: 390},
	}
	if fmt.Sprint(lines) != fmt.Sprint(want) {
		t.Errorf("ledger\n got %+v\nwant %+v", lines, want)
	}

	// Receipts: 100 at the DC (10 bags each), 20 in Paris (5 each), 20 in
	// London (5 perfumes each): 140 ids, none lost.
	f, err := os.Open(relayFile)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	units := map[string]float64{}
	calls := 0
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		var d delivery
		if err := json.Unmarshal(sc.Bytes(), &d); err != nil {
			t.Fatalf("deliveries: %v", err)
		}
		if d.Kind != iot.OutboxReceipt {
			continue
		}
		calls++
		if u, ok := units[d.ID]; ok && u != d.Units {
			t.Errorf("receipt %s delivered with %v and %v units", d.ID, u, d.Units)
		}
		units[d.ID] = d.Units
	}
	total := 0.0
	for _, u := range units {
		total += u
	}
	if len(units) != 140 || total != 1000+100+100 {
		t.Errorf("%d distinct receipts with %v units delivered, want 140 with 1200", len(units), total)
	}
	t.Logf("%d receipt deliveries for %d receipts (%d repeated after a kill, same id)", calls, len(units), calls-len(units))
	if n := outboxRows(t, st, iot.OutboxReceipt); n != 140 {
		t.Errorf("%d receipts in the outbox, want 140 (one per receipt)", n)
	}
}

// outboxRows counts the outbox messages of a kind of network tiny.
func outboxRows(t *testing.T, st *store.Store, kind string) int64 {
	t.Helper()
	byKind, err := st.OutboxKinds(context.Background(), "tiny")
	if err != nil {
		t.Fatal(err)
	}
	return byKind[kind]
}
