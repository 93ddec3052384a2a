package broker_test

import (
	"context"
	"testing"
	"time"

	mqtt "github.com/eclipse/paho.mqtt.golang"

	"github.com/sillage/sillage/iot"
	"github.com/sillage/sillage/iot/broker"
)

func TestAllowed(t *testing.T) {
	tests := []struct {
		user, topic string
		write, want bool
	}{
		{"DC-PAR", "sillage/v1/sites/DC-PAR/epcis", true, true},
		{"DC-PAR", "sillage/v1/sites/DC-PAR/stock", true, true},
		{"DC-PAR", "sillage/v1/sites/DC-PAR/acks", true, true},
		{"DC-PAR", "sillage/v1/sites/BTQ-PAR/stock", true, false},
		{"DC-PAR", "sillage/v1/sites/+/stock", true, false},
		{"DC-PAR", "sillage/v1/sites/DC-PAR/commands", true, false},
		{"DC-PAR", "sillage/v1/sites/DC-PAR/commands", false, true},
		{"DC-PAR", "sillage/v1/sites/BTQ-PAR/commands", false, false},
		{"DC-PAR", "sillage/v1/sites/+/commands", false, false},
		{"DC-PAR", "sillage/v1/#", false, false},
		{"ingest", "sillage/v1/sites/+/epcis", false, true},
		{"ingest", "sillage/v1/sites/BTQ-PAR/stock", false, true},
		{"ingest", "sillage/v1/sites/#", false, false},
		{"ingest", "sillage/v1/deadletter", true, true},
		{"ingest", "sillage/v1/sites/DC-PAR/commands", true, true},
		{"ingest", "sillage/v1/sites/DC-PAR/stock", true, false},
		{"planner", "sillage/v1/sites/DC-PAR/commands", true, true},
		{"planner", "sillage/v1/sites/DC-PAR/epcis", true, false},
		{"ops", "sillage/v1/#", false, true},
		{"ingest", "$share/ingest/sillage/v1/sites/+/epcis", false, true},
		{"DC-PAR", "$share/g/sillage/v1/sites/DC-PAR/commands", false, true},
		{"DC-PAR", "$share/g/sillage/v1/sites/BTQ-PAR/commands", false, false},
		{"DC-PAR", "$share/sillage/v1/sites/DC-PAR/commands", false, false},
		{"ingest", "$share/ingest", false, false},
		{"simulator", "sillage/v1/sites/DC-PAR/epcis", true, true},
		{"simulator", "sillage/v1/sites/DC-PAR/commands", false, false},
		{"warehouse", "sillage/v1/sites/+/commands", false, true},
		{"warehouse", "sillage/v1/sites/DC-PAR/acks", true, true},
		{"warehouse", "sillage/v1/sites/DC-PAR/stock", true, false},
		{"ingest", "sillage/v1/sites/ingest/epcis", true, false},
		{"ops", "sillage/v1/deadletter", true, false},
		{"+", "sillage/v1/sites/+/epcis", true, false},
		{"", "sillage/v1/sites//epcis", true, false},
	}
	for _, tt := range tests {
		if got := broker.Allowed(tt.user, tt.topic, tt.write); got != tt.want {
			t.Errorf("Allowed(%q, %q, write=%v) = %v, want %v", tt.user, tt.topic, tt.write, got, tt.want)
		}
	}
}

// TestSiteCannotWriteOtherSite checks the rules on a running broker: the
// ingest's subscription receives DC-PAR's message on its own topic, not
// the one on BTQ-PAR's topic published before it.
func TestSiteCannotWriteOtherSite(t *testing.T) {
	b, err := broker.Start(broker.Config{Addr: "127.0.0.1:0", Users: map[string]string{"ingest": "i", "DC-PAR": "d"}})
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	ctx := context.Background()
	got := make(chan string, 10)
	o, err := iot.ClientConfig{Broker: b.URL(false), ClientID: "t-ingest", Username: "ingest", Password: "i", CleanSession: true}.Options()
	if err != nil {
		t.Fatal(err)
	}
	sub := mqtt.NewClient(o)
	if tok := sub.Connect(); !tok.WaitTimeout(10*time.Second) || tok.Error() != nil {
		t.Fatalf("connect: %v", tok.Error())
	}
	defer sub.Disconnect(100)
	if tok := sub.Subscribe("sillage/v1/sites/+/stock", 1, func(_ mqtt.Client, m mqtt.Message) { got <- m.Topic() }); !tok.WaitTimeout(10*time.Second) || tok.Error() != nil {
		t.Fatalf("subscribe: %v", tok.Error())
	}
	if _, _, err := iot.Dial(ctxTimeout(t), iot.ClientConfig{Broker: b.URL(false), ClientID: "t-bad", Username: "DC-PAR", Password: "x", CleanSession: true}); err == nil {
		t.Errorf("connected with a wrong password")
	}
	pub, c, err := iot.Dial(ctx, iot.ClientConfig{Broker: b.URL(false), ClientID: "t-dc", Username: "DC-PAR", Password: "d", CleanSession: true})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Disconnect(100)
	// A forbidden QoS 1 publish gets the MQTT 3.1.1 client disconnected (it
	// has no negative PUBACK): use a client of its own for it.
	forger, fc, err := iot.Dial(ctx, iot.ClientConfig{Broker: b.URL(false), ClientID: "t-forger", Username: "DC-PAR", Password: "d", CleanSession: true})
	if err != nil {
		t.Fatal(err)
	}
	defer fc.Disconnect(0)
	_ = forger.Publish(ctxTimeout(t), "sillage/v1/sites/BTQ-PAR/stock", []byte("forged"))
	if err := pub.Publish(ctx, "sillage/v1/sites/DC-PAR/stock", []byte("own")); err != nil {
		t.Fatal(err)
	}
	select {
	case topic := <-got:
		if topic != "sillage/v1/sites/DC-PAR/stock" {
			t.Errorf("ingest received %s", topic)
		}
	case <-time.After(time.Minute):
		t.Fatal("no message received")
	}
}

func ctxTimeout(t *testing.T) context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Second)
	t.Cleanup(cancel)
	return ctx
}
