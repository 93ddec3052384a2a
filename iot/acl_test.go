package iot_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"testing"
	"time"

	mqtt "github.com/eclipse/paho.mqtt.golang"

	"github.com/sillage/sillage/iot"
	"github.com/sillage/sillage/iot/internal/mosquittotest"
	"github.com/sillage/sillage/iot/mosquitto"
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

// generatedBroker runs mosquitto with the configuration that `sillage
// mqtt-users --tls` writes for network tiny (demo users included), on a
// free port of 127.0.0.1, and returns it with its directory. client
// returns the connection settings of a user, over TLS with the generated
// CA.
func generatedBroker(t *testing.T) (b *mosquittotest.Broker, client func(user, clientID string) iot.ClientConfig) {
	t.Helper()
	mosquittotest.Require(t)
	n := tinyNetwork(t)
	dir := t.TempDir()
	addr := fmt.Sprintf("127.0.0.1:%d", mosquittotest.FreePort(t))
	runAs := ""
	if os.Geteuid() == 0 {
		runAs = "root" // else mosquitto would switch to user mosquitto, who cannot read the test's files
	}
	if _, err := mosquitto.Generate(mosquitto.Options{Dir: dir, Network: n, Demo: true, TLS: true, TLSListen: addr, RunAs: runAs}); err != nil {
		t.Fatal(err)
	}
	b = mosquittotest.StartConf(t, filepath.Join(dir, mosquitto.FileConf), addr, "ssl://"+addr)
	client = func(user, clientID string) iot.ClientConfig {
		pw, err := mosquitto.ReadPassword(mosquitto.CredentialsFile(dir, user))
		if err != nil {
			t.Fatal(err)
		}
		return iot.ClientConfig{Broker: b.URL, ClientID: clientID, Username: user, Password: pw,
			CAFile: filepath.Join(dir, mosquitto.FileCACert), CleanSession: true}
	}
	return b, client
}

// TestGeneratedACLOverTLS runs mosquitto with the generated password file,
// ACL and certificates, and shows over TLS that a site's credentials
// publish only on its own topics and receive only its own commands.
// Mosquitto answers a forbidden publish with a PUBACK and drops the
// message, and a forbidden subscription with a SUBACK and delivers
// nothing: each check therefore sends a forbidden message first and an
// allowed one after it, on one connection, and the receiver must get
// only the second (QoS 1 keeps the order of one publisher).
func TestGeneratedACLOverTLS(t *testing.T) {
	_, client := generatedBroker(t)
	ctx := context.Background()

	// Wrong password and no CA are refused.
	for _, c := range []iot.ClientConfig{
		func() iot.ClientConfig { c := client("DC-PAR", "acl-badpw"); c.Password = "guess"; return c }(),
		func() iot.ClientConfig { c := client("DC-PAR", "acl-noca"); c.CAFile = ""; return c }(),
	} {
		cctx, cancel := context.WithTimeout(ctx, 3*time.Second)
		if _, cl, err := iot.Dial(cctx, c); err == nil {
			cl.Disconnect(0)
			t.Errorf("connected as %s with password %q, CA %q", c.Username, c.Password, c.CAFile)
		}
		cancel()
	}

	// received subscribes as user to filters and collects what arrives.
	received := func(user string, filters ...string) <-chan string {
		o, err := client(user, "acl-sub-"+user).Options()
		if err != nil {
			t.Fatal(err)
		}
		got := make(chan string, 100)
		c := mqtt.NewClient(o)
		if tok := c.Connect(); !tok.WaitTimeout(30*time.Second) || tok.Error() != nil {
			t.Fatalf("connect %s: %v", user, tok.Error())
		}
		t.Cleanup(func() { c.Disconnect(100) })
		for _, f := range filters {
			tok := c.Subscribe(f, 1, func(_ mqtt.Client, m mqtt.Message) { got <- m.Topic() + " " + string(m.Payload()) })
			if !tok.WaitTimeout(30*time.Second) || tok.Error() != nil {
				t.Fatalf("subscribe %s to %s: %v", user, f, tok.Error())
			}
		}
		return got
	}
	publish := func(user string, msgs ...[2]string) {
		pub, c, err := iot.Dial(ctx, client(user, "acl-pub-"+user))
		if err != nil {
			t.Fatal(err)
		}
		defer c.Disconnect(100)
		for _, m := range msgs {
			_ = pub.Publish(ctx, m[0], []byte(m[1])) // a forbidden one is acknowledged and dropped
		}
	}
	next := func(ch <-chan string, who string) string {
		select {
		case s := <-ch:
			return s
		case <-time.After(time.Minute):
			t.Fatalf("%s received nothing", who)
		}
		return ""
	}

	// Publishing: ops reads everything. DC-PAR's message on BTQ-PAR's
	// topic is dropped; its own passes.
	ops := received("ops", "sillage/v1/#")
	publish("DC-PAR",
		[2]string{iot.SiteTopic("BTQ-PAR", iot.KindStock), "forged"},
		[2]string{iot.SiteTopic("BTQ-PAR", iot.KindEPCIS), "forged"},
		[2]string{iot.SiteTopic("DC-PAR", iot.KindCommands), "forged"},
		[2]string{iot.SiteTopic("DC-PAR", iot.KindStock), "own"})
	if got, want := next(ops, "ops"), iot.SiteTopic("DC-PAR", iot.KindStock)+" own"; got != want {
		t.Errorf("cross-site publish: ops received %q first, want only %q", got, want)
	}

	// Subscribing: DC-PAR asks for BTQ-PAR's commands and every site's;
	// only its own arrive. BTQ-PAR receives its own.
	dc := received("DC-PAR", iot.SiteTopic("BTQ-PAR", iot.KindCommands), "sillage/v1/sites/+/commands", "sillage/v1/#")
	btq := received("BTQ-PAR", iot.SiteTopic("BTQ-PAR", iot.KindCommands))
	publish("planner",
		[2]string{iot.SiteTopic("BTQ-PAR", iot.KindCommands), "for BTQ-PAR"},
		[2]string{iot.SiteTopic("BTQ-LON", iot.KindCommands), "for BTQ-LON"},
		[2]string{iot.SiteTopic("DC-PAR", iot.KindCommands), "for DC-PAR"})
	if got, want := next(dc, "DC-PAR"), iot.SiteTopic("DC-PAR", iot.KindCommands)+" for DC-PAR"; got != want {
		t.Errorf("cross-site subscribe: DC-PAR received %q first, want only %q", got, want)
	}
	if got, want := next(btq, "BTQ-PAR"), iot.SiteTopic("BTQ-PAR", iot.KindCommands)+" for BTQ-PAR"; got != want {
		t.Errorf("BTQ-PAR received %q, want its own command %q", got, want)
	}
	// A site cannot publish commands either (only planner and ingest).
	publish("BTQ-PAR", [2]string{iot.SiteTopic("DC-PAR", iot.KindCommands), "forged"}, [2]string{iot.SiteTopic("BTQ-PAR", iot.KindAcks), "own ack"})
	if got, want := next(ops, "ops"), iot.SiteTopic("BTQ-PAR", iot.KindCommands)+" for BTQ-PAR"; got != want {
		t.Errorf("ops received %q, want %q", got, want)
	}
	for _, want := range []string{"BTQ-LON", "DC-PAR"} {
		if got := next(ops, "ops"); got != iot.SiteTopic(want, iot.KindCommands)+" for "+want {
			t.Errorf("ops received %q, want the planner's command for %s", got, want)
		}
	}
	if got, want := next(ops, "ops"), iot.SiteTopic("BTQ-PAR", iot.KindAcks)+" own ack"; got != want {
		t.Errorf("a site's command to another site: ops received %q, want only %q", got, want)
	}
	// Overlapping filters may deliver the own command once per filter;
	// nothing else may have arrived.
	for {
		select {
		case s := <-dc:
			if s != iot.SiteTopic("DC-PAR", iot.KindCommands)+" for DC-PAR" {
				t.Errorf("DC-PAR received %q", s)
			}
			continue
		default:
		}
		break
	}
}

// TestGeneratedACLIngest runs an ingest with the generated ingest user
// over TLS: DC-PAR's forged snapshot of BTQ-PAR changes nothing, its own
// and BTQ-PAR's own are applied.
func TestGeneratedACLIngest(t *testing.T) {
	_, client := generatedBroker(t)
	st := seedTiny(t, "sqlite://"+t.TempDir()+"/acl.db")
	in := client("ingest", "acl-ingest")
	in.CleanSession = false
	runIngest(t, st, in)
	ctx := context.Background()
	publish := func(user, site, body string) {
		pub, c, err := iot.Dial(ctx, client(user, "acl-"+user))
		if err != nil {
			t.Fatal(err)
		}
		defer c.Disconnect(100)
		_ = pub.Publish(ctx, iot.SiteTopic(site, iot.KindStock), []byte(body))
	}
	publish("DC-PAR", "BTQ-PAR", `{"kind":"delta","time":"2026-03-01T08:00:00Z","positions":[{"sku":"BAG-01","on_hand":999}]}`)
	publish("DC-PAR", "DC-PAR", `{"kind":"delta","time":"2026-03-01T08:00:00Z","positions":[{"sku":"EDP-01","on_hand":123}]}`)
	waitPosition(t, st, "DC-PAR", "EDP-01", 123)
	publish("BTQ-PAR", "BTQ-PAR", `{"kind":"delta","time":"2026-03-01T09:00:00Z","positions":[{"sku":"EDP-01","on_hand":7}]}`)
	waitPosition(t, st, "BTQ-PAR", "EDP-01", 7)
	p, err := st.GetPosition(ctx, "tiny", "BTQ-PAR", "BAG-01")
	if err != nil {
		t.Fatal(err)
	}
	if p.OnHand != 3 {
		t.Errorf("BTQ-PAR BAG-01 on hand = %v after DC-PAR's forged snapshot, want 3 (unchanged)", p.OnHand)
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
		// Each count is later than the one before: an older or equal one
		// changes nothing (see applySnapshot).
		msg := []byte(`{"kind":"delta","time":"2026-03-01T08:00:` + strconv.Itoa(onHand) + `Z","positions":[{"sku":"EDP-01","on_hand":` + strconv.Itoa(onHand) + `}]}`)
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
