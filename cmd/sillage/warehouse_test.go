package main

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	mqtt "github.com/eclipse/paho.mqtt.golang"

	"github.com/sillage/sillage"
	"github.com/sillage/sillage/internal/syncbuf"
	"github.com/sillage/sillage/iot"
	"github.com/sillage/sillage/iot/broker"
)

// TestIoTWarehouseCommand runs `sillage warehouse` with one client per
// site against the embedded broker with site users: a transfer command,
// sent again until the warehouse has subscribed (the same id each time,
// as the resend loop does), is acked and applied once, and its receipt is
// published at the destination.
func TestIoTWarehouseCommand(t *testing.T) {
	users := map[string]string{broker.UserOps: "ops", broker.UserPlanner: "planner"}
	for _, s := range []string{"DC-PAR", "BTQ-PAR", "BTQ-LON"} {
		users[s] = "dev-" + s
	}
	b := startBroker(t, broker.Config{Addr: "127.0.0.1:0", Users: users})
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	dial := func(user string) iot.MQTTPublisher {
		t.Helper()
		p, c, err := iot.Dial(ctx, iot.ClientConfig{Broker: b.URL(false), ClientID: "test-" + user, Username: user, Password: users[user], CleanSession: true})
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { c.Disconnect(0) })
		return p
	}
	acks := make(chan string, 100)
	receipts := make(chan string, 100)
	ops := dial(broker.UserOps)
	tok := ops.Client.SubscribeMultiple(map[string]byte{"sillage/v1/sites/+/acks": 1, "sillage/v1/sites/+/epcis": 1}, func(_ mqtt.Client, m mqtt.Message) {
		if strings.HasSuffix(m.Topic(), "/acks") {
			acks <- m.Topic() + " " + string(m.Payload())
		} else {
			receipts <- m.Topic() + " " + string(m.Payload())
		}
	})
	if !tok.WaitTimeout(30*time.Second) || tok.Error() != nil {
		t.Fatalf("subscribe: %v", tok.Error())
	}

	wctx, stop := context.WithCancel(ctx)
	var wout, werr syncbuf.Buffer
	done := make(chan int, 1)
	go func() {
		done <- run(wctx, []string{"warehouse", "--broker", b.URL(false), "--network", "../../testdata/networks/tiny.yaml",
			"--receipt-delay", "1ms", "--site-password", "dev-%s", "--client-id", "cli-warehouse"}, &wout, &werr)
	}()
	planner := dial(broker.UserPlanner)
	cmd := sillage.Command{ID: "to:plan-1:DC-PAR:BTQ-PAR", Kind: sillage.CommandTransferOrder, Site: "DC-PAR", From: "DC-PAR", To: "BTQ-PAR",
		Lines: []sillage.CommandLine{{SKU: "EDP-01", Quantity: 4}}, Attempt: 1}
	payload, err := json.Marshal(cmd)
	if err != nil {
		t.Fatal(err)
	}
	var ack string
	deadline := time.After(2 * time.Minute)
	for ack == "" {
		if err := planner.Publish(ctx, iot.SiteTopic("DC-PAR", iot.KindCommands), payload); err != nil {
			t.Fatal(err)
		}
		select {
		case ack = <-acks:
		case <-time.After(100 * time.Millisecond):
		case code := <-done:
			t.Fatalf("warehouse exited with %d: %s", code, werr.String())
		case <-deadline:
			t.Fatalf("no ack: %s", werr.String())
		}
	}
	if !strings.HasPrefix(ack, "sillage/v1/sites/DC-PAR/acks ") || !strings.Contains(ack, `"command_id":"to:plan-1:DC-PAR:BTQ-PAR"`) {
		t.Errorf("ack %s", ack)
	}
	var receipt string
	select {
	case receipt = <-receipts:
	case <-deadline:
		t.Fatalf("no receipt: %s", werr.String())
	}
	if !strings.HasPrefix(receipt, "sillage/v1/sites/BTQ-PAR/epcis ") || strings.Count(receipt, "urn:epc:id:sgtin:") != 4 ||
		!strings.Contains(receipt, "urn:sillage:order:to:plan-1:DC-PAR:BTQ-PAR") {
		t.Errorf("receipt %s", receipt)
	}
	stop()
	if code := <-done; code != 0 {
		t.Fatalf("warehouse: exit %d: %s", code, werr.String())
	}
	if !strings.Contains(wout.String(), " 1 applied, ") || !strings.Contains(wout.String(), " 1 receipts,") {
		t.Errorf("warehouse output: %s", wout.String())
	}
}

// TestIoTWarehouseUsageErrors checks the wrong invocations of warehouse.
func TestIoTWarehouseUsageErrors(t *testing.T) {
	for _, args := range [][]string{
		{"warehouse"},
		{"warehouse", "--network", "x.yaml", "extra"},
		{"warehouse", "--network", "x.yaml", "--broker", "127.0.0.1:1883"},
		{"warehouse", "--network", "x.yaml", "--receipt-delay", "-1s"},
	} {
		var out, errb bytes.Buffer
		if code := run(context.Background(), args, &out, &errb); code != 2 {
			t.Errorf("%v: exit %d, want 2\n%s", args, code, errb.String())
		}
	}
}

// TestDevSerialBase checks that each dev run of the simulator gets the
// next range of tag serials, and that a damaged counter is an error.
func TestDevSerialBase(t *testing.T) {
	dir := t.TempDir()
	for i := uint64(0); i < 3; i++ {
		got, err := devSerialBase(dir)
		if err != nil {
			t.Fatal(err)
		}
		if want := i * devSerialsPerRun; got != want {
			t.Errorf("run %d: serial base %d, want %d", i+1, got, want)
		}
	}
	if err := os.WriteFile(filepath.Join(dir, devSimRunsFile), []byte("many\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := devSerialBase(dir); err == nil {
		t.Error("a damaged run counter gave no error")
	}
}
