package main

import (
	"context"
	"encoding/json"
	"fmt"
	"path/filepath"
	"testing"
	"time"

	"github.com/sillage/sillage"
	"github.com/sillage/sillage/internal/syncbuf"
	"github.com/sillage/sillage/internal/testhelp"
	"github.com/sillage/sillage/iot"
	"github.com/sillage/sillage/iot/broker"
	"github.com/sillage/sillage/network"
	"github.com/sillage/sillage/store"
)

// TestWarehouseShipsRealStock runs `sillage warehouse --db --suppliers`
// with the ingest against one SQLite database: a purchase order of 5
// BAG-01 confirmed in the store is commissioned, shipped and received at
// DC-PAR (5 more on hand there, none left in transit); then a transfer of
// 2 BAG-01 to BTQ-LON ships 2 of those tagged bags (picked at DC-PAR) and
// BTQ-LON receives the same two EPCs. Expected counts are tiny.yaml's
// (DC-PAR 20 BAG-01, BTQ-LON none) plus these units. Then London sells
// one of the two bags, and its journey is traced back to the tannery
// (traceSoldBag).
func TestWarehouseShipsRealStock(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	dir := t.TempDir()
	file := filepath.Join("..", "..", "testdata", "networks", "tiny.yaml")
	n, err := network.Load(file)
	if err != nil {
		t.Fatal(err)
	}
	dbURL := "sqlite://" + filepath.Join(dir, "s.db")
	st := openTestStore(t, dbURL)
	saveNetwork(t, st, "tiny", n)
	n.Name = "tiny"
	po := sillage.Order{ID: "po:tiny:p1:SUP-FLR:1", PlanID: "tiny:p1", Kind: sillage.OrderPurchase, Source: "SUP-FLR", Site: "DC-PAR",
		Status: sillage.OrderConfirmed, Lines: []sillage.OrderLine{{SKU: "BAG-01", Quantity: 5, ValueEUR: 4000}}, ValueEUR: 4000}
	if _, err := st.SaveOrder(ctx, po); err != nil {
		t.Fatal(err)
	}
	b := startBroker(t, broker.Config{Addr: "127.0.0.1:0"})
	ingestDone := make(chan error, 1)
	go func() {
		in := &iot.Ingest{Client: iot.ClientConfig{Broker: b.URL(false), ClientID: "test-ingest"},
			Processor: &iot.Processor{Catalog: iot.NewCatalog(n)}, Store: st}
		ingestDone <- in.Run(ctx)
	}()
	var wout, werr syncbuf.Buffer
	done := make(chan int, 1)
	go func() {
		done <- run(ctx, []string{"warehouse", "--broker", b.URL(false), "--network", file, "--db", dbURL, "--name", "tiny",
			"--receipt-delay", "200ms", "--suppliers", "--supplier-lead", "200ms", "--sim-confirm", "1", "--sim-partial", "0",
			"--sim-short", "0", "--sim-late", "0", "--client-id", "test-warehouse"}, &wout, &werr)
	}()
	pos := func(site string) sillage.Position {
		p, err := st.GetPosition(ctx, "tiny", site, "BAG-01")
		if err != nil {
			return sillage.Position{}
		}
		return p
	}
	deadline := time.Now().Add(20 * time.Second)
	for p := pos("DC-PAR"); p.OnHand != 25 || p.InTransit != 0; p = pos("DC-PAR") {
		if time.Now().After(deadline) {
			dl, _ := st.DeadLetters(ctx, "tiny", 0)
			t.Fatalf("DC-PAR %+v; dead letters %+v; warehouse log:\n%s", p, dl, werr.String())
		}
		time.Sleep(200 * time.Millisecond)
	}

	pub, mc, err := iot.Dial(ctx, iot.ClientConfig{Broker: b.URL(false), ClientID: "test-planner", CleanSession: true})
	if err != nil {
		t.Fatal(err)
	}
	defer mc.Disconnect(100)
	cmd := sillage.Command{ID: "to:tiny:p1:DC-PAR:BTQ-LON", Kind: sillage.CommandTransferOrder, Site: "DC-PAR", From: "DC-PAR", To: "BTQ-LON",
		Lines: []sillage.CommandLine{{SKU: "BAG-01", Quantity: 2}}, Attempt: 1}
	payload, err := json.Marshal(cmd)
	if err != nil {
		t.Fatal(err)
	}
	if err := pub.Publish(ctx, iot.SiteTopic("DC-PAR", iot.KindCommands), payload); err != nil {
		t.Fatal(err)
	}
	testhelp.Eventually(t, time.Minute, "the transfer received at BTQ-LON", func() bool {
		p := pos("BTQ-LON")
		return p.OnHand == 2 && p.InTransit == 0
	})
	if p := pos("DC-PAR"); p.OnHand != 23 {
		t.Errorf("DC-PAR on hand %g, want 23", p.OnHand)
	}
	counts, err := st.ItemCounts(ctx, "tiny")
	if err != nil {
		t.Fatal(err)
	}
	want := []store.ItemCount{{Site: "BTQ-LON", SKU: "BAG-01", Present: 2}, {Site: "DC-PAR", SKU: "BAG-01", Present: 3}}
	if fmt.Sprint(counts) != fmt.Sprint(want) {
		t.Errorf("tagged items %v, want %v (the supplier's 5 bags: 2 moved to London)", counts, want)
	}
	traceSoldBag(ctx, t, st, pub, dbURL)
	cancel()
	if code := <-done; code != 0 {
		t.Errorf("warehouse exited with %d: %s", code, werr.String())
	}
	<-ingestDone
}
