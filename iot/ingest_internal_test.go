package iot

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/sillage/sillage"
	"github.com/sillage/sillage/internal/testnet"
	"github.com/sillage/sillage/iot/epcis"
	"github.com/sillage/sillage/store"
)

// fakeMessage is an MQTT message that counts its acknowledgements.
type fakeMessage struct {
	topic   string
	payload []byte
	acks    *int
}

func (m fakeMessage) Duplicate() bool   { return false }
func (m fakeMessage) Qos() byte         { return 1 }
func (m fakeMessage) Retained() bool    { return false }
func (m fakeMessage) Topic() string     { return m.topic }
func (m fakeMessage) MessageID() uint16 { return 0 }
func (m fakeMessage) Payload() []byte   { return m.payload }
func (m fakeMessage) Ack()              { *m.acks++ }

// fullTx is what the store's ingest transaction implements; poisonTx
// keeps all of it.
type fullTx interface {
	sillage.IngestTx
	sillage.ItemPrefetcher
	sillage.StockLoopTx
	sillage.HistoryTx
	sillage.ShipmentRecorder
}

// poisonTx cannot store the item whose serial is poison: the message
// that fails whatever the store's health (its dead letter, which stores no
// item, succeeds).
type poisonTx struct {
	fullTx
	poison string
}

func (t poisonTx) SetItem(st sillage.ItemState) error {
	if t.poison != "" && st.Key.Serial == t.poison {
		return errors.New("value too long for type character varying(20)")
	}
	return t.fullTx.SetItem(st)
}

// flakyStore is a store that is unreachable for its next down
// transactions (as while PostgreSQL restarts) and that cannot store the
// item whose serial is poison.
type flakyStore struct {
	*store.Store
	mu     sync.Mutex
	down   int
	calls  int
	poison string
}

func (f *flakyStore) IoTBatch(ctx context.Context, network string, fn func(tx sillage.IngestTx) error) error {
	f.mu.Lock()
	f.calls++
	if f.down > 0 {
		f.down--
		f.mu.Unlock()
		return errors.New("begin: failed to connect to `user=sillage database=sillage`: dial tcp 127.0.0.1:5432: connect: connection refused")
	}
	f.mu.Unlock()
	return f.Store.IoTBatch(ctx, network, func(tx sillage.IngestTx) error {
		full, ok := tx.(fullTx)
		if !ok {
			return fmt.Errorf("the store's transaction %T lacks an optional interface", tx)
		}
		return fn(poisonTx{fullTx: full, poison: f.poison})
	})
}

// TestStoreOutageDeadLettersNothing fails the store for the first 1 to 6
// transactions of a batch of 5 receipts (the batch, each message alone,
// the checks in between): however the outage falls, every message is
// applied, none is dead-lettered, and all are acknowledged after the
// commit. A message that cannot be stored while the store is up is
// dead-lettered with the store's error, and the others are applied.
func TestStoreOutageDeadLettersNothing(t *testing.T) {
	ctx := context.Background()
	n := testnet.Load(t, "tiny")
	t0 := time.Date(2026, 3, 1, 8, 0, 0, 0, time.UTC)
	msgs := func(acks *int) []received {
		var out []received
		for i := range 5 {
			var epcs []string
			for k := range 3 {
				epcs = append(epcs, SGTINURI("03760123400015", 7, strconv.Itoa(10*i+k)))
			}
			b, err := EncodeEvents(t0, ObjectEvent{Time: t0.Add(time.Duration(i) * time.Second), Action: epcis.ActionAdd,
				BizStep: "receiving", BizLocation: "3760123450010", EPCs: epcs})
			if err != nil {
				t.Fatal(err)
			}
			out = append(out, received{m: fakeMessage{topic: SiteTopic("DC-PAR", KindEPCIS), payload: b, acks: acks}, at: t0})
		}
		return out
	}
	for _, c := range []struct {
		down   int
		poison int // index of the message that cannot be stored; -1: none
	}{{1, -1}, {2, -1}, {3, -1}, {4, -1}, {5, -1}, {6, -1}, {0, 2}, {2, 2}} {
		t.Run(fmt.Sprintf("down %d poison %d", c.down, c.poison), func(t *testing.T) {
			st, err := store.Open(ctx, "sqlite://"+filepath.Join(t.TempDir(), "s.db"))
			if err != nil {
				t.Fatal(err)
			}
			defer st.Close()
			if _, err := st.SaveNetwork(ctx, "tiny", n); err != nil {
				t.Fatal(err)
			}
			nn := *n
			nn.Name = "tiny"
			acks := 0
			b := msgs(&acks)
			before := bagsOnHand(t, st)
			fs := &flakyStore{Store: st, down: c.down}
			in := &Ingest{Processor: &Processor{Catalog: NewCatalog(&nn)}, Store: fs}
			in.prepareBatch(b, 2, newKeyCache(16))
			if c.poison >= 0 {
				fs.poison = strconv.Itoa(10 * c.poison)
			}
			stats, ok := in.commitBatch(ctx, b, nil, newKeyCache(16))
			if !ok {
				t.Fatal("commitBatch gave up")
			}
			if acks != len(b) {
				t.Errorf("%d acks, want %d", acks, len(b))
			}
			wantDead := 0
			if c.poison >= 0 {
				wantDead = 1
			}
			if stats.DeadLetters != wantDead || stats.Events != len(b)-wantDead {
				t.Errorf("stats %+v: want %d dead letters and %d events", stats, wantDead, len(b)-wantDead)
			}
			dead, err := st.DeadLetters(ctx, "tiny", 0)
			if err != nil {
				t.Fatal(err)
			}
			if len(dead) != wantDead {
				t.Fatalf("dead letters %+v, want %d", dead, wantDead)
			}
			if wantDead == 1 && (dead[0].Key != b[c.poison].pr.key || !strings.Contains(dead[0].Reason, "value too long")) {
				t.Errorf("dead letter %+v: want key %s with the store's error", dead[0], b[c.poison].pr.key)
			}
			seen, err := st.SeenCount(ctx, "tiny")
			if err != nil {
				t.Fatal(err)
			}
			if seen != int64(len(b)) {
				t.Errorf("%d messages recorded, want %d", seen, len(b))
			}
			if got := bagsOnHand(t, st) - before; got != float64(3*(len(b)-wantDead)) {
				t.Errorf("DC-PAR gained %v units, want %d (3 per applied receipt)", got, 3*(len(b)-wantDead))
			}
		})
	}
}

// bagsOnHand returns DC-PAR's units on hand of the product whose GTIN is
// 03760123400015.
func bagsOnHand(t *testing.T, st *store.Store) float64 {
	t.Helper()
	pos, err := st.Positions(context.Background(), "tiny", "DC-PAR")
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range pos {
		if p.SKU == "BAG-01" {
			return p.OnHand
		}
	}
	return 0
}
