package store

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"reflect"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/sillage/sillage"
	"github.com/sillage/sillage/store/storetest"
)

// The tests of the item index and its log: what a store reads back after
// a restart, a rollback, another process's writes and folds is what was
// committed, on both engines.

const gtinA, gtinB = "03760123400015", "03760123400022"

var t0Items = time.Date(2026, 3, 1, 8, 0, 0, 0, time.UTC)

// itemModel is the expected item states by key string.
type itemModel map[string]sillage.ItemState

// openNoFold opens a store whose end is a crash: its connections are
// closed without folding the item log.
func openNoFold(t *testing.T, url string) *Store {
	t.Helper()
	s, err := Open(context.Background(), url)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { crash(s) })
	return s
}

// crash closes the connections of s without folding its item logs, as a
// killed process would leave the database.
func crash(s *Store) {
	s.write.Close()
	if s.read != s.write {
		s.read.Close()
	}
}

// testKeys returns n item keys, packable (numeric serials) and not
// (letters, leading zeros, 20 digits).
func testKeys(n int) []sillage.ItemKey {
	keys := make([]sillage.ItemKey, n)
	for i := range keys {
		g := gtinA
		if i%3 == 1 {
			g = gtinB
		}
		serial := strconv.Itoa(i * 7)
		switch i % 10 {
		case 7:
			serial = "A" + serial + "-x"
		case 8:
			serial = "00" + serial
		case 9:
			serial = "9" + strings.Repeat("1", 19)[:19-len(serial)] + serial
		}
		keys[i] = sillage.ItemKey{GTIN: g, Serial: serial}
	}
	return keys
}

var (
	testSites  = []string{"DC-PAR", "BTQ-PAR", "BTQ-LON"}
	testSKUs   = []string{"BAG-01", "EDP-01"}
	testStatus = []sillage.ItemStatus{sillage.ItemPresent, sillage.ItemInTransit, sillage.ItemGone}
)

// randomStates returns n random states of keys drawn at random.
func randomStates(r *rand.Rand, keys []sillage.ItemKey, n int) []sillage.ItemState {
	var states []sillage.ItemState
	for i := 0; i < n; i++ {
		states = append(states, randomState(r, keys[r.IntN(len(keys))]))
	}
	return states
}

// randomState returns a state for k.
func randomState(r *rand.Rand, k sillage.ItemKey) sillage.ItemState {
	return sillage.ItemState{Key: k, SKU: testSKUs[r.IntN(len(testSKUs))], Site: testSites[r.IntN(len(testSites))],
		Status: testStatus[r.IntN(len(testStatus))], EventTime: t0Items.Add(time.Duration(r.Int64N(1e15)))}
}

// put writes states in one batch and records them in m.
func put(t *testing.T, s *Store, network string, m itemModel, states ...sillage.ItemState) {
	t.Helper()
	err := s.IoTBatch(context.Background(), network, func(tx sillage.IngestTx) error {
		for _, st := range states {
			if err := tx.SetItem(st); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	for _, st := range states {
		m[st.Key.String()] = st
	}
}

// read returns the states of keys as a batch of s sees them.
func read(t *testing.T, s *Store, network string, keys []sillage.ItemKey) itemModel {
	t.Helper()
	out := itemModel{}
	err := s.IoTBatch(context.Background(), network, func(tx sillage.IngestTx) error {
		for _, k := range keys {
			st, ok, err := tx.Item(k)
			if err != nil {
				return err
			}
			if ok {
				if st.Key != k {
					return fmt.Errorf("Item(%v) returned key %v", k, st.Key)
				}
				out[k.String()] = st
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// indexContents returns everything in the item index of network.
func indexContents(s *Store, network string) itemModel {
	x := s.index(network)
	x.mu.Lock()
	defer x.mu.Unlock()
	out := itemModel{}
	add := func(key string, v itemVal) {
		k := sillage.ItemKey{GTIN: key[:14], Serial: key[15:]}
		out[key] = x.state(k, v)
	}
	x.items.each(func(k itemKey, v itemVal) { add(k.String(), v) })
	for k, v := range x.other {
		add(k, v)
	}
	return out
}

// tableContents returns the rows of iot_items of network.
func tableContents(t *testing.T, s *Store, network string) itemModel {
	t.Helper()
	rows, err := s.read.QueryContext(context.Background(), s.read.Rebind(`SELECT epc, sku, site, status, event_time_ns FROM iot_items WHERE network = ?`), network)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	out := itemModel{}
	for rows.Next() {
		var epc, sku, site, status string
		var ns int64
		if err := rows.Scan(&epc, &sku, &site, &status, &ns); err != nil {
			t.Fatal(err)
		}
		out[epc] = sillage.ItemState{Key: sillage.ItemKey{GTIN: epc[:14], Serial: epc[15:]}, SKU: sku, Site: site, Status: sillage.ItemStatus(status), EventTime: time.Unix(0, ns).UTC()}
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}

// sameStates compares two models, times as instants.
func sameStates(t *testing.T, what string, got, want itemModel) {
	t.Helper()
	norm := func(m itemModel) map[string]string {
		out := map[string]string{}
		for k, st := range m {
			out[k] = fmt.Sprintf("%s %s %s %s %s %d", st.Key.GTIN, st.Key.Serial, st.SKU, st.Site, st.Status, st.EventTime.UnixNano())
		}
		return out
	}
	g, w := norm(got), norm(want)
	if reflect.DeepEqual(g, w) {
		return
	}
	n := 0
	for k, wv := range w {
		if g[k] != wv && n < 5 {
			t.Errorf("%s: %s = %q, want %q", what, k, g[k], wv)
			n++
		}
	}
	for k, gv := range g {
		if _, ok := w[k]; !ok && n < 5 {
			t.Errorf("%s: unexpected %s = %q", what, k, gv)
			n++
		}
	}
	t.Errorf("%s: %d states, want %d", what, len(g), len(w))
}

func head(t *testing.T, s *Store, network string) logHead {
	t.Helper()
	var h logHead
	err := s.read.QueryRowContext(context.Background(), s.read.Rebind(`SELECT log_seq, folded_seq, log_entries FROM iot_item_heads WHERE network = ?`), network).
		Scan(&h.seq, &h.folded, &h.entries)
	if err != nil {
		t.Fatal(err)
	}
	return h
}

// TestItemIndexRestart writes item states in batches, folds some of them,
// crashes with the rest in the log, and checks that a new store sees
// exactly what was committed, and that folding everything gives iot_items
// the same states.
func TestItemIndexRestart(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, url string) {
		r := rand.New(rand.NewPCG(1, 2))
		keys := testKeys(300)
		m := itemModel{}
		s1 := openNoFold(t, url)
		s1.SetItemLogLimits(500, 200)
		for b := 0; b < 12; b++ {
			put(t, s1, "net", m, randomStates(r, keys, 100)...)
		}
		// Another network is kept apart.
		other := itemModel{}
		put(t, s1, "other", other, randomState(r, keys[0]))
		h := head(t, s1, "net")
		if h.folded == 0 || h.folded == h.seq {
			t.Fatalf("head %+v: want some records folded and some not", h)
		}
		sameStates(t, "index before the crash", indexContents(s1, "net"), m)
		crash(s1)

		s2 := openNoFold(t, url)
		sameStates(t, "states read after the restart", read(t, s2, "net", keys), m)
		sameStates(t, "index after the restart", indexContents(s2, "net"), m)
		sameStates(t, "other network", read(t, s2, "other", keys), other)
		if err := s2.CheckpointItems(context.Background(), "net"); err != nil {
			t.Fatal(err)
		}
		if h := head(t, s2, "net"); h.folded != h.seq || h.entries != 0 {
			t.Errorf("after the checkpoint the head is %+v", h)
		}
		sameStates(t, "iot_items after the checkpoint", tableContents(t, s2, "net"), m)
		sameStates(t, "index after the checkpoint", indexContents(s2, "net"), m)
	})
}

// TestItemIndexRollback checks that a batch that fails, or panics,
// changes neither the index nor the log.
func TestItemIndexRollback(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, url string) {
		ctx := context.Background()
		r := rand.New(rand.NewPCG(3, 4))
		keys := testKeys(50)
		s := openT(t, url)
		m := itemModel{}
		for _, k := range keys[:30] {
			put(t, s, "net", m, randomState(r, k))
		}
		before := head(t, s, "net")
		boom := errors.New("boom")
		err := s.IoTBatch(ctx, "net", func(tx sillage.IngestTx) error {
			for _, k := range keys { // changes 30 items, adds 20
				if err := tx.SetItem(randomState(r, k)); err != nil {
					return err
				}
				if err := tx.SetItem(randomState(r, k)); err != nil { // twice
					return err
				}
			}
			return boom
		})
		if !errors.Is(err, boom) {
			t.Fatalf("IoTBatch = %v, want boom", err)
		}
		sameStates(t, "index after a rollback", indexContents(s, "net"), m)
		func() {
			defer func() {
				if recover() == nil {
					t.Error("the panic did not come through")
				}
			}()
			_ = s.IoTBatch(ctx, "net", func(tx sillage.IngestTx) error {
				for _, k := range keys {
					_ = tx.SetItem(randomState(r, k))
				}
				panic("in the middle of a batch")
			})
		}()
		sameStates(t, "index after a panic", indexContents(s, "net"), m)
		sameStates(t, "states read after the rollbacks", read(t, s, "net", keys), m)
		if h := head(t, s, "net"); h != before {
			t.Errorf("head %+v after the rollbacks, want %+v", h, before)
		}
		// A bad state is refused and rolls the batch back too.
		err = s.IoTBatch(ctx, "net", func(tx sillage.IngestTx) error {
			if err := tx.SetItem(randomState(r, keys[0])); err != nil {
				return err
			}
			return tx.SetItem(sillage.ItemState{Key: keys[1], Status: "lost"})
		})
		if err == nil || !strings.Contains(err.Error(), `unknown status "lost"`) {
			t.Errorf("bad status: %v", err)
		}
		sameStates(t, "index after a bad state", indexContents(s, "net"), m)
	})
}

// TestItemIndexTwoStores has two stores, as two processes would, write
// the same network in turns and at once: each sees the other's writes,
// and no update is lost.
func TestItemIndexTwoStores(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, url string) {
		ctx := context.Background()
		r := rand.New(rand.NewPCG(5, 6))
		keys := testKeys(40)
		a, b := openT(t, url), openT(t, url)
		a.SetItemLogLimits(60, 30)
		m := itemModel{}
		for i := 0; i < 10; i++ {
			w := a
			if i%2 == 1 {
				w = b
			}
			put(t, w, "net", m, randomStates(r, keys, 15)...)
			sameStates(t, fmt.Sprintf("store a after batch %d", i), read(t, a, "net", keys), m)
			sameStates(t, fmt.Sprintf("store b after batch %d", i), read(t, b, "net", keys), m)
		}

		// At once: every batch moves the event time of each counter item
		// one nanosecond on from what it reads; none may be lost.
		counters := keys[:5]
		start := itemModel{}
		for _, k := range counters {
			put(t, a, "net", start, sillage.ItemState{Key: k, SKU: "BAG-01", Site: "DC-PAR", Status: sillage.ItemPresent, EventTime: t0Items})
		}
		const perStore, workers = 25, 2
		var wg sync.WaitGroup
		errs := make(chan error, 2*workers)
		for _, s := range []*Store{a, b} {
			for w := 0; w < workers; w++ {
				wg.Add(1)
				go func(s *Store) {
					defer wg.Done()
					for i := 0; i < perStore; i++ {
						err := s.IoTBatch(ctx, "net", func(tx sillage.IngestTx) error {
							for _, k := range counters {
								st, ok, err := tx.Item(k)
								if err != nil || !ok {
									return fmt.Errorf("counter %v: %v, %v", k, ok, err)
								}
								st.EventTime = st.EventTime.Add(time.Nanosecond)
								if err := tx.SetItem(st); err != nil {
									return err
								}
							}
							return nil
						})
						if err != nil {
							errs <- err
							return
						}
					}
				}(s)
			}
		}
		wg.Wait()
		close(errs)
		for err := range errs {
			t.Fatal(err)
		}
		want := t0Items.Add(2 * workers * perStore * time.Nanosecond)
		for _, s := range []*Store{a, b} {
			got := read(t, s, "net", counters)
			for _, k := range counters {
				if st := got[k.String()]; !st.EventTime.Equal(want) {
					t.Errorf("counter %v: %v, want %v (an update was lost)", k, st.EventTime, want)
				}
			}
		}
	})
}

// envItemChild holds the database URL of TestItemLogChild, envItemStart
// the time (Unix nanoseconds) at which all writers start.
const (
	envItemChild = "SILLAGE_STORE_TEST_ITEM_CHILD_DB"
	envItemStart = "SILLAGE_STORE_TEST_ITEM_CHILD_START"
)

// waitUntil sleeps until the Unix time in nanoseconds of env var name.
func waitUntil(name string) {
	if ns, err := strconv.ParseInt(os.Getenv(name), 10, 64); err == nil {
		time.Sleep(time.Until(time.Unix(0, ns)))
	}
}

// itemCounters are the items whose event time counts batches in
// TestItemLogProcesses.
var itemCounters = testKeys(3)

// bumpCounters runs n batches that each move the event time of every
// counter one nanosecond on from what the batch reads, pausing between
// batches so that the writers of other processes get their turns (a
// SQLite writer waiting for the lock sleeps, while the holder would take
// it again at once).
func bumpCounters(s *Store, n int, pause time.Duration) error {
	for i := 0; i < n; i++ {
		time.Sleep(pause)
		err := s.IoTBatch(context.Background(), "net", func(tx sillage.IngestTx) error {
			for _, k := range itemCounters {
				st, ok, err := tx.Item(k)
				if err != nil {
					return err
				}
				if !ok {
					st = sillage.ItemState{Key: k, SKU: "BAG-01", Site: "DC-PAR", Status: sillage.ItemPresent, EventTime: t0Items}
				}
				st.EventTime = st.EventTime.Add(time.Nanosecond)
				if err := tx.SetItem(st); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			return err
		}
	}
	return nil
}

// TestItemLogProcesses has three processes write the same items of one
// SQLite file at once, folding the log as they go: every batch of every
// process counts.
func TestItemLogProcesses(t *testing.T) {
	if os.Getenv(envItemChild) != "" {
		t.Skip("running as a child writer")
	}
	url := "sqlite://" + filepath.Join(t.TempDir(), "items.db")
	s := openT(t, url)
	s.SetItemLogLimits(600, 300) // the children fold more often: both replay and reload happen
	const procs, n = 2, 300      // n batches each; the children run TestItemLogChild, which uses 300 too
	start := strconv.FormatInt(time.Now().Add(time.Second).UnixNano(), 10)
	t.Setenv(envItemStart, start)
	wait := startChildren(t, procs, "TestItemLogChild", envItemChild+"="+url)
	waitUntil(envItemStart)
	parentErr := bumpCounters(s, n, time.Millisecond)
	wait()
	if parentErr != nil {
		t.Fatal(parentErr)
	}
	want := t0Items.Add((procs + 1) * n * time.Nanosecond)
	got := read(t, s, "net", itemCounters)
	for _, k := range itemCounters {
		if st := got[k.String()]; !st.EventTime.Equal(want) {
			t.Errorf("counter %v = %v, want %v: a batch of another process was lost", k, st.EventTime, want)
		}
	}
	if err := s.CheckpointItems(context.Background(), "net"); err != nil {
		t.Fatal(err)
	}
	for _, st := range tableContents(t, s, "net") {
		if !st.EventTime.Equal(want) {
			t.Errorf("iot_items: %v = %v, want %v", st.Key, st.EventTime, want)
		}
	}
}

// TestItemLogChild is a writer process of TestItemLogProcesses.
func TestItemLogChild(t *testing.T) {
	url := os.Getenv(envItemChild)
	if url == "" {
		t.Skip("only runs as a child of TestItemLogProcesses")
	}
	s := openT(t, url)
	s.SetItemLogLimits(150, 60)
	waitUntil(envItemStart)
	if err := bumpCounters(s, 300, time.Millisecond); err != nil {
		t.Fatal(err)
	}
}

// TestFoldProperty applies random batches with random fold limits and
// checks, after every batch, the index against a model, and at the end
// iot_items after a checkpoint and a fresh store's view.
func TestFoldProperty(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, url string) {
		for seed := uint64(1); seed <= 3; seed++ {
			t.Run(fmt.Sprint("seed", seed), func(t *testing.T) {
				r := rand.New(rand.NewPCG(seed, 99))
				network := fmt.Sprint("net", seed)
				keys := testKeys(10 + r.IntN(200))
				s := openNoFold(t, url)
				s.SetItemLogLimits(int64(1+r.IntN(300)), int64(1+r.IntN(100)))
				m := itemModel{}
				for b := 0; b < 20+r.IntN(20); b++ {
					put(t, s, network, m, randomStates(r, keys, r.IntN(60))...)
					if r.IntN(8) == 0 {
						more, err := func() (bool, error) {
							x := s.index(network)
							x.mu.Lock()
							defer x.mu.Unlock()
							return s.foldLog(context.Background(), x, int64(1+r.IntN(50)))
						}()
						if err != nil {
							t.Fatal(err)
						}
						_ = more
					}
				}
				sameStates(t, "index", indexContents(s, network), m)
				h := head(t, s, network)
				var logEntries int64
				if err := s.read.GetContext(context.Background(), &logEntries, s.read.Rebind(`SELECT COALESCE(SUM(entries), 0) FROM iot_item_log WHERE network = ?`), network); err != nil {
					t.Fatal(err)
				}
				if logEntries != h.entries {
					t.Errorf("head counts %d log entries, the log holds %d", h.entries, logEntries)
				}
				crash(s)
				s2 := openT(t, url)
				sameStates(t, "after a restart", read(t, s2, network, keys), m)
				counts, err := s2.ItemCounts(context.Background(), network) // folds first
				if err != nil {
					t.Fatal(err)
				}
				sameStates(t, "iot_items after ItemCounts", tableContents(t, s2, network), m)
				wantCounts := map[[2]string][2]int64{}
				for _, st := range m {
					c := wantCounts[[2]string{st.Site, st.SKU}]
					switch st.Status {
					case sillage.ItemPresent:
						c[0]++
					case sillage.ItemInTransit:
						c[1]++
					default:
						continue
					}
					wantCounts[[2]string{st.Site, st.SKU}] = c
				}
				gotCounts := map[[2]string][2]int64{}
				for _, c := range counts {
					gotCounts[[2]string{c.Site, c.SKU}] = [2]int64{c.Present, c.InTransit}
				}
				if !reflect.DeepEqual(gotCounts, wantCounts) {
					t.Errorf("ItemCounts %v, want %v", gotCounts, wantCounts)
				}
			})
		}
	})
}

// TestDamagedItemLog checks that a record that does not decode, or a
// missing record, stops the batch with an error that names the network
// and the sequence, and changes nothing.
func TestDamagedItemLog(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, url string) {
		ctx := context.Background()
		r := rand.New(rand.NewPCG(7, 8))
		keys := testKeys(20)
		s1 := openNoFold(t, url)
		m := itemModel{}
		for i := 0; i < 3; i++ {
			put(t, s1, "net", m, randomState(r, keys[i]), randomState(r, keys[i+5]))
		}
		crash(s1)

		// Flip a byte of record 2.
		s2 := openNoFold(t, url)
		var rec []byte
		if err := s2.read.GetContext(ctx, &rec, s2.read.Rebind(`SELECT record FROM iot_item_log WHERE network = ? AND seq = 2`), "net"); err != nil {
			t.Fatal(err)
		}
		bad := append([]byte(nil), rec...)
		bad[len(bad)/2] ^= 0x40
		if _, err := s2.write.ExecContext(ctx, s2.write.Rebind(`UPDATE iot_item_log SET record = ? WHERE network = ? AND seq = 2`), bad, "net"); err != nil {
			t.Fatal(err)
		}
		err := s2.IoTBatch(ctx, "net", func(tx sillage.IngestTx) error { return tx.SetItem(randomState(r, keys[19])) })
		if !errors.Is(err, ErrItemLogDamaged) || !strings.Contains(err.Error(), `network "net", sequence 2`) {
			t.Fatalf("batch over a damaged record: %v", err)
		}
		if h := head(t, s2, "net"); h.seq != 3 {
			t.Errorf("head %+v after the failed batch, want sequence 3", h)
		}
		// Repaired, it reads again.
		if _, err := s2.write.ExecContext(ctx, s2.write.Rebind(`UPDATE iot_item_log SET record = ? WHERE network = ? AND seq = 2`), rec, "net"); err != nil {
			t.Fatal(err)
		}
		sameStates(t, "after the repair", read(t, s2, "net", keys), m)
		crash(s2)

		// A missing record.
		s3 := openNoFold(t, url)
		if _, err := s3.write.ExecContext(ctx, s3.write.Rebind(`DELETE FROM iot_item_log WHERE network = ? AND seq = 2`), "net"); err != nil {
			t.Fatal(err)
		}
		err = s3.IoTBatch(ctx, "net", func(tx sillage.IngestTx) error { return nil })
		if err == nil || !strings.Contains(err.Error(), `item log of network "net": record 2 is missing`) {
			t.Fatalf("batch over a missing record: %v", err)
		}
		if err := s3.CheckpointItems(ctx, "net"); err == nil || !strings.Contains(err.Error(), "record 2 is missing") {
			t.Errorf("checkpoint over a missing record: %v", err)
		}
	})
}

// TestLogCodec round-trips records and checks that every truncation and
// every single bit flip of a record is an ErrItemLogDamaged, never a
// panic or a wrong state.
func TestLogCodec(t *testing.T) {
	x := newItemIndex("net")
	r := rand.New(rand.NewPCG(9, 10))
	keys := testKeys(40)
	var states []sillage.ItemState
	for _, k := range keys {
		st := randomState(r, k)
		if err := x.set(st); err != nil {
			t.Fatal(err)
		}
		states = append(states, st)
	}
	rec := encodeLog(x.changes, x.names, nil)
	y := newItemIndex("net")
	if n, err := y.applyLog(rec); err != nil || n != len(states) {
		t.Fatalf("applyLog = %d, %v", n, err)
	}
	for _, st := range states {
		v, ok := y.get(st.Key)
		if !ok {
			t.Fatalf("%v lost", st.Key)
		}
		if got := y.state(st.Key, v); got.SKU != st.SKU || got.Site != st.Site || got.Status != st.Status || !got.EventTime.Equal(st.EventTime) {
			t.Errorf("%v: %+v, want %+v", st.Key, got, st)
		}
	}
	for n := 0; n < len(rec); n++ {
		if _, err := decodeLog(rec[:n], func(itemKey, string, string, string, uint32, int64) error { return nil }); !errors.Is(err, ErrItemLogDamaged) {
			t.Fatalf("record cut to %d bytes: %v", n, err)
		}
	}
	for i := 0; i < len(rec)*8; i++ {
		bad := append([]byte(nil), rec...)
		bad[i/8] ^= 1 << (i % 8)
		if _, err := decodeLog(bad, func(itemKey, string, string, string, uint32, int64) error { return nil }); !errors.Is(err, ErrItemLogDamaged) {
			t.Fatalf("bit %d flipped: %v", i, err)
		}
	}
}

// FuzzDecodeLog checks that decoding any bytes as a log record never
// panics, and that whatever decodes re-encodes to a record that decodes
// to the same entries.
func FuzzDecodeLog(f *testing.F) {
	x := newItemIndex("net")
	r := rand.New(rand.NewPCG(11, 12))
	for _, k := range testKeys(5) {
		_ = x.set(randomState(r, k))
	}
	f.Add(encodeLog(x.changes, x.names, nil))
	f.Add([]byte{1, 0, 0, 0, 0, 0, 0})
	f.Fuzz(func(t *testing.T, rec []byte) {
		type entry struct {
			key            itemKey
			str, sku, site string
			status         uint32
			ns             int64
		}
		var got []entry
		if _, err := decodeLog(rec, func(k itemKey, str, sku, site string, status uint32, ns int64) error {
			got = append(got, entry{k, str, sku, site, status, ns})
			return nil
		}); err != nil {
			return
		}
		y := newItemIndex("net")
		if _, err := y.applyLog(rec); err != nil {
			t.Fatalf("decodes but does not apply: %v", err)
		}
		var es []logEntry
		for _, e := range got {
			sku, _ := y.nameID(e.sku)
			site, _ := y.nameID(e.site)
			es = append(es, logEntry{key: e.key, str: e.str, val: itemVal{timeNS: e.ns, sku: sku, site: site<<2 | e.status}})
		}
		var again []entry
		if _, err := decodeLog(encodeLog(es, y.names, nil), func(k itemKey, str, sku, site string, status uint32, ns int64) error {
			again = append(again, entry{k, str, sku, site, status, ns})
			return nil
		}); err != nil {
			t.Fatalf("re-encoded record does not decode: %v", err)
		}
		if !reflect.DeepEqual(got, again) {
			t.Fatalf("re-encoded record decodes to %v, want %v", again, got)
		}
	})
}

// TestItemTable checks the open-addressing table against a map, with
// inserts, updates and deletes that shift probe sequences.
func TestItemTable(t *testing.T) {
	r := rand.New(rand.NewPCG(13, 14))
	var tab itemTable
	model := map[itemKey]itemVal{}
	for i := 0; i < 200_000; i++ {
		k := itemKey{gtin: uint64(r.IntN(3)), serial: uint64(r.IntN(20_000))}
		switch op := r.IntN(10); {
		case op < 6:
			v := itemVal{timeNS: int64(i), sku: uint32(i % 7), site: uint32(i % 11)}
			tab.put(k, v)
			model[k] = v
		case op < 8:
			tab.delete(k)
			delete(model, k)
		default:
			v, ok := tab.get(k)
			if mv, mok := model[k]; ok != mok || v != mv {
				t.Fatalf("step %d: get(%v) = %v, %v; want %v, %v", i, k, v, ok, mv, mok)
			}
		}
	}
	if tab.Len() != len(model) {
		t.Fatalf("Len = %d, want %d", tab.Len(), len(model))
	}
	n := 0
	tab.each(func(k itemKey, v itemVal) {
		n++
		if mv, ok := model[k]; !ok || mv != v {
			t.Fatalf("each: %v = %v, model %v, %v", k, v, mv, ok)
		}
	})
	if n != len(model) {
		t.Fatalf("each saw %d keys, want %d", n, len(model))
	}
}

// TestPackKey checks which keys pack and that packing is reversible.
func TestPackKey(t *testing.T) {
	tests := []struct {
		gtin, serial string
		packs        bool
	}{
		{gtinA, "0", true},
		{gtinA, "7", true},
		{gtinA, "1234567890123456789", true},
		{gtinA, "12345678901234567890", false}, // 20 digits
		{gtinA, "007", false},
		{gtinA, "A1", false},
		{gtinA, "", false},
		{"0376012340001", "7", false}, // 13 digits
		{"0376012340001X", "7", false},
	}
	for _, tc := range tests {
		k, ok := packKey(tc.gtin, tc.serial)
		if ok != tc.packs {
			t.Errorf("packKey(%q, %q) packs = %v, want %v", tc.gtin, tc.serial, ok, tc.packs)
			continue
		}
		if ok && k.String() != tc.gtin+"."+tc.serial {
			t.Errorf("packKey(%q, %q).String() = %q", tc.gtin, tc.serial, k.String())
		}
	}
}

// BenchmarkItemTable inserts, then finds, a million items with
// consecutive serials, as a receiving portal writes them.
func BenchmarkItemTable(b *testing.B) {
	const n = 1_000_000
	for i := 0; i < b.N; i++ {
		var tab itemTable
		for s := uint64(0); s < n; s++ {
			k := itemKey{gtin: 3760123400015, serial: 100000 + s}
			r, ok := tab.lookup(k)
			if ok {
				b.Fatal("found before insert")
			}
			tab.insertAt(r, k, itemVal{timeNS: int64(s)})
		}
		for s := uint64(0); s < n; s++ {
			if _, ok := tab.get(itemKey{gtin: 3760123400015, serial: 100000 + s}); !ok {
				b.Fatal("lost")
			}
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(2*n*b.N), "ns/op-per-key")
}
