package main

import (
	"context"
	"testing"
	"time"

	"go.temporal.io/sdk/client"

	"github.com/sillage/sillage"
	"github.com/sillage/sillage/internal/devserver"
	"github.com/sillage/sillage/internal/syncbuf"
	"github.com/sillage/sillage/internal/temporaltest"
	"github.com/sillage/sillage/iot/broker"
	"github.com/sillage/sillage/network"
	"github.com/sillage/sillage/store"
)

// The services the integration tests of this package start: a store, an
// embedded MQTT broker and `sillage worker` in-process (the Temporal dev
// server comes from internal/temporaltest). Each stops when its test ends.

// openTestStore opens the store at url and closes it when the test ends.
func openTestStore(t testing.TB, url string) *store.Store {
	t.Helper()
	st, err := store.Open(context.Background(), url)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	return st
}

// saveNetwork stores n under name.
func saveNetwork(t testing.TB, st *store.Store, name string, n *sillage.Network) {
	t.Helper()
	if _, err := st.SaveNetwork(context.Background(), name, n); err != nil {
		t.Fatal(err)
	}
}

// startBroker starts an embedded MQTT broker with cfg and closes it when
// the test ends.
func startBroker(t testing.TB, cfg broker.Config) *broker.Broker {
	t.Helper()
	b, err := broker.Start(cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { b.Close() })
	return b
}

// tinyBuyingBags returns the tiny network, named "tiny", with every
// purchase order needing approval (threshold 1 EUR) and no bags at the
// distribution centre, so that a plan must buy them.
func tinyBuyingBags(t testing.TB) *sillage.Network {
	t.Helper()
	n, err := network.Load(tinyNetwork)
	if err != nil {
		t.Fatal(err)
	}
	n.Name = "tiny"
	n.Policy.ApprovalThresholdEUR = 1
	for i := range n.Stock {
		if n.Stock[i].Site == "DC-PAR" && n.Stock[i].SKU == "BAG-01" {
			n.Stock[i].OnHand = 0
		}
	}
	return n
}

// inProcessWorker is `sillage worker` running in a goroutine of the test.
type inProcessWorker struct {
	log  syncbuf.Buffer // its standard output and error
	done chan int       // its exit code, once it has returned
}

// startWorker runs `sillage worker args...` until ctx ends.
func startWorker(ctx context.Context, args ...string) *inProcessWorker {
	w := &inProcessWorker{done: make(chan int, 1)}
	go func() { w.done <- run(ctx, append([]string{"worker"}, args...), &w.log, &w.log) }()
	return w
}

// stop cancels the worker's context and waits up to 30 s for it to
// return. It gives the exit code and true, or reports "worker did not
// stop" and gives false.
func (w *inProcessWorker) stop(t testing.TB, cancel context.CancelFunc) (code int, stopped bool) {
	t.Helper()
	cancel()
	select {
	case code = <-w.done:
		return code, true
	case <-time.After(30 * time.Second):
		t.Error("worker did not stop")
		return 0, false
	}
}

// temporalServer starts a Temporal dev server for the test, which is
// skipped in -short mode, and returns it with a client of it.
func temporalServer(t *testing.T) (*devserver.Server, client.Client) {
	t.Helper()
	if testing.Short() {
		t.Skip("skipping the Temporal integration test in -short mode")
	}
	srv := temporaltest.Start(t)
	return srv, temporaltest.Client(t, srv)
}
