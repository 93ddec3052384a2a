package iot_test

import (
	"context"

	mqtt "github.com/eclipse/paho.mqtt.golang"
	"path/filepath"
	"strconv"
	"testing"
	"time"

	"github.com/sillage/sillage/iot"
	"github.com/sillage/sillage/iot/internal/mosquittotest"
	"github.com/sillage/sillage/store"
)

// runIngest runs an ingest of network tiny in this process until the test
// ends. Its persistent session is registered first, so that nothing
// published after runIngest returns can be missed.
func runIngest(t *testing.T, st *store.Store, client iot.ClientConfig) {
	t.Helper()
	o, err := client.Options()
	if err != nil {
		t.Fatal(err)
	}
	reg := mqtt.NewClient(o)
	if tok := reg.Connect(); !tok.WaitTimeout(30*time.Second) || tok.Error() != nil {
		t.Fatalf("register the ingest session: %v", tok.Error())
	}
	filters := map[string]byte{}
	for _, f := range iot.Subscriptions {
		filters[f] = 1
	}
	if tok := reg.SubscribeMultiple(filters, nil); !tok.WaitTimeout(30*time.Second) || tok.Error() != nil {
		t.Fatalf("register the ingest subscriptions: %v", tok.Error())
	}
	reg.Disconnect(100)
	ctx, cancel := context.WithCancel(context.Background())
	n, err := st.LoadNetwork(ctx, "tiny")
	if err != nil {
		t.Fatal(err)
	}
	n.Name = "tiny"
	in := &iot.Ingest{Client: client, Processor: &iot.Processor{Catalog: iot.NewCatalog(n)}, Store: st}
	done := make(chan error, 1)
	go func() { done <- in.Run(ctx) }()
	t.Cleanup(func() {
		cancel()
		if err := <-done; err != nil {
			t.Errorf("ingest: %v", err)
		}
	})
}

// waitPosition waits until a position has the given on-hand stock.
func waitPosition(t *testing.T, st *store.Store, site, sku string, onHand float64) {
	t.Helper()
	deadline := time.Now().Add(2 * time.Minute)
	for {
		p, err := st.GetPosition(context.Background(), "tiny", site, sku)
		if err == nil && p.OnHand == onHand {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("%s %s never reached %v on hand (last %+v, %v)", site, sku, onHand, p, err)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// TestACLSiteCannotWriteAnotherSite runs mosquitto with the shipped
// deploy/mosquitto/acl and passwd: DC-PAR publishes a snapshot on the
// topic of BTQ-PAR, which the broker drops, then one on its own topic,
// which is applied. BTQ-PAR's stock is unchanged.
func TestACLSiteCannotWriteAnotherSite(t *testing.T) {
	mosquittotest.Require(t)
	acl, _ := filepath.Abs("../deploy/mosquitto/acl")
	pw, _ := filepath.Abs("../deploy/mosquitto/passwd")
	broker := mosquittotest.Start(t, mosquittotest.Options{ACLFile: acl, PasswordFile: pw})
	st := seedTiny(t, "sqlite://"+t.TempDir()+"/acl.db")
	runIngest(t, st, iot.ClientConfig{Broker: broker.URL, ClientID: "acl-ingest", Username: "ingest", Password: "dev-ingest"})
	ctx := context.Background()

	// A wrong password is refused.
	bad := iot.ClientConfig{Broker: broker.URL, ClientID: "acl-bad", Username: "DC-PAR", Password: "guess", CleanSession: true}
	cctx, cancel := context.WithTimeout(ctx, 3*time.Second)
	if _, c, err := iot.Dial(cctx, bad); err == nil {
		c.Disconnect(0)
		t.Errorf("connected with a wrong password")
	}
	cancel()

	// The attack: DC-PAR claims BTQ-PAR has 999 bags. (A broker may answer
	// a forbidden publish by closing the connection: use one of its own.)
	forger, forgerClient, err := iot.Dial(ctx, iot.ClientConfig{Broker: broker.URL, ClientID: "acl-forger", Username: "DC-PAR", Password: "dev-DC-PAR", CleanSession: true})
	if err != nil {
		t.Fatal(err)
	}
	forged := []byte(`{"kind":"delta","time":"2026-03-01T08:00:00Z","positions":[{"sku":"BAG-01","on_hand":999}]}`)
	fctx, fcancel := context.WithTimeout(ctx, 10*time.Second)
	_ = forger.Publish(fctx, iot.SiteTopic("BTQ-PAR", iot.KindStock), forged) // MQTT 3.1.1: acknowledged and dropped, or disconnected
	fcancel()
	forgerClient.Disconnect(100)
	// Then a legitimate snapshot of its own site, published after it.
	dc, dcClient, err := iot.Dial(ctx, iot.ClientConfig{Broker: broker.URL, ClientID: "acl-dc", Username: "DC-PAR", Password: "dev-DC-PAR", CleanSession: true})
	if err != nil {
		t.Fatal(err)
	}
	defer dcClient.Disconnect(100)
	own := []byte(`{"kind":"delta","time":"2026-03-01T08:00:00Z","positions":[{"sku":"EDP-01","on_hand":123}]}`)
	if err := dc.Publish(ctx, iot.SiteTopic("DC-PAR", iot.KindStock), own); err != nil {
		t.Fatal(err)
	}
	waitPosition(t, st, "DC-PAR", "EDP-01", 123)
	// BTQ-PAR's own credentials do reach its topic.
	btq, btqClient, err := iot.Dial(ctx, iot.ClientConfig{Broker: broker.URL, ClientID: "acl-btq", Username: "BTQ-PAR", Password: "dev-BTQ-PAR", CleanSession: true})
	if err != nil {
		t.Fatal(err)
	}
	defer btqClient.Disconnect(100)
	if err := btq.Publish(ctx, iot.SiteTopic("BTQ-PAR", iot.KindStock), []byte(`{"kind":"delta","time":"2026-03-01T09:00:00Z","positions":[{"sku":"EDP-01","on_hand":7}]}`)); err != nil {
		t.Fatal(err)
	}
	waitPosition(t, st, "BTQ-PAR", "EDP-01", 7)

	p, err := st.GetPosition(ctx, "tiny", "BTQ-PAR", "BAG-01")
	if err != nil {
		t.Fatal(err)
	}
	if p.OnHand != 3 {
		t.Errorf("BTQ-PAR BAG-01 on hand = %v after DC-PAR's forged snapshot, want 3 (unchanged)", p.OnHand)
	}
	ds, _ := st.Discrepancies(ctx, "tiny")
	for _, d := range ds {
		if d.Site == "BTQ-PAR" && d.SKU == "BAG-01" {
			t.Errorf("forged snapshot reached the ingest: %+v", d)
		}
	}
}

// TestBrokerRestart restarts mosquitto under a running ingest: the client
// reconnects and resubscribes by itself, and what is published after the
// restart is applied.
func TestBrokerRestart(t *testing.T) {
	mosquittotest.Require(t)
	broker := mosquittotest.Start(t, mosquittotest.Options{})
	st := seedTiny(t, "sqlite://"+t.TempDir()+"/restart.db")
	runIngest(t, st, iot.ClientConfig{Broker: broker.URL, ClientID: "restart-ingest"})
	ctx := context.Background()
	publish := func(onHand int) {
		t.Helper()
		pub, c, err := iot.Dial(ctx, iot.ClientConfig{Broker: broker.URL, ClientID: "restart-site", CleanSession: true})
		if err != nil {
			t.Fatal(err)
		}
		defer c.Disconnect(100)
		msg := []byte(`{"kind":"delta","time":"2026-03-01T08:00:00Z","positions":[{"sku":"EDP-01","on_hand":` + strconv.Itoa(onHand) + `}]}`)
		if err := pub.Publish(ctx, iot.SiteTopic("BTQ-LON", iot.KindStock), msg); err != nil {
			t.Fatal(err)
		}
	}
	publish(11)
	waitPosition(t, st, "BTQ-LON", "EDP-01", 11)
	broker.Restart()
	publish(12)
	waitPosition(t, st, "BTQ-LON", "EDP-01", 12)
}
