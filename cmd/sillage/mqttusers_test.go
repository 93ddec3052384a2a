package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/sillage/sillage/internal/syncbuf"
	"github.com/sillage/sillage/internal/testhelp"
	"github.com/sillage/sillage/iot/mosquitto"
)

func TestMQTTUsersUsage(t *testing.T) {
	dir := t.TempDir()
	for _, tc := range []struct {
		args []string
		want string
		code int
	}{
		{[]string{"mqtt-users", "--out", dir}, "--network and --out are required", 2},
		{[]string{"mqtt-users", "--network", tinyYAML}, "--network and --out are required", 2},
		{[]string{"mqtt-users", "--network", tinyYAML, "--out", dir, "--owner", "10001"}, "--owner: owner \"10001\": want UID:GID", 2},
		{[]string{"mqtt-users", "--network", tinyYAML, "--out", dir, "--tls", "--host", ","}, "--host", 2},
		{[]string{"mqtt-users", "--network", tinyYAML, "--out", dir, "--plain-listen", "0.0.0.0:1883"}, "only a loopback address may carry MQTT without TLS", 1},
		{[]string{"mqtt-users", "--network", "nope.yaml", "--out", dir}, "nope.yaml", 1},
		{[]string{"ingest", "--share", "g/x"}, "--share", 2},
		{[]string{"ingest", "--share", "ingest"}, "--share needs a --client-id", 2},
		{[]string{"ingest", "--partition", "3/2", "--client-id", "x"}, "--partition: invalid input: partition \"3/2\"", 2},
		{[]string{"ingest", "--partition", "1/2"}, "--partition needs a --client-id", 2},
		{[]string{"ingest", "--partition", "1/2", "--share", "g", "--client-id", "x"}, "--partition and --share exclude each other", 2},
		{[]string{"ingest", "--password-file", filepath.Join(dir, "none")}, "--password-file", 2},
		{[]string{"simulate", "--network", tinyYAML, "--site-password", "x-%s", "--site-credentials", dir}, "not both", 2},
		{[]string{"warehouse", "--network", tinyYAML, "--site-credentials", filepath.Join(dir, "none")}, "--site-credentials", 2},
	} {
		var out, errb bytes.Buffer
		if code := run(context.Background(), tc.args, &out, &errb); code != tc.code || !strings.Contains(errb.String(), tc.want) {
			t.Errorf("%v: exit %d, stderr %q; want %d and %q", tc.args, code, errb.String(), tc.code, tc.want)
		}
	}
}

// TestMQTTUsersCommand runs mqtt-users twice: the summary says what it
// did, the second run keeps every password, and no password is printed.
func TestMQTTUsersCommand(t *testing.T) {
	dir := t.TempDir()
	args := []string{"mqtt-users", "--network", tinyYAML, "--out", dir, "--tls", "--demo"}
	var out, errb bytes.Buffer
	if code := run(context.Background(), args, &out, &errb); code != 0 {
		t.Fatalf("mqtt-users: %d %s", code, errb.String())
	}
	first := out.String()
	if want := "mqtt-users: 9 users (4 sites) in " + dir + ": 9 new passwords, 0 kept, 0 removed; certificates: new CA and server certificate\n"; !strings.HasPrefix(first, want) {
		t.Errorf("first run printed %q, want %q", first, want)
	}
	pw, err := mosquitto.ReadPassword(mosquitto.CredentialsFile(dir, "DC-PAR"))
	if err != nil {
		t.Fatal(err)
	}
	out.Reset()
	if code := run(context.Background(), args, &out, &errb); code != 0 {
		t.Fatalf("mqtt-users again: %d %s", code, errb.String())
	}
	if !strings.Contains(out.String(), ": 0 new passwords, 9 kept, 0 removed; certificates: kept") {
		t.Errorf("second run printed %q", out.String())
	}
	if again, _ := mosquitto.ReadPassword(mosquitto.CredentialsFile(dir, "DC-PAR")); again != pw {
		t.Error("DC-PAR's password changed on the second run")
	}
	if strings.Contains(first+out.String()+errb.String(), pw) {
		t.Error("a password was printed")
	}
}

// TestMQTTUsersCluster runs the one-machine setup the README describes:
// mosquitto with the configuration of `sillage mqtt-users --tls`, two
// `sillage ingest --partition 1/2` and `2/2` on one database, and `sillage simulate` with
// each site's own credentials, all over TLS. The stock ends as the
// simulator says, and both ingests took part (one reaches the broker as
// ssl://, the other as mqtts://).
func TestMQTTUsersCluster(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	l.Close()
	var out, errb bytes.Buffer
	if code := run(ctx, []string{"mqtt-users", "--network", tinyYAML, "--out", dir, "--tls", "--tls-listen", addr, "--demo"}, &out, &errb); code != 0 {
		t.Fatalf("mqtt-users: %d %s", code, errb.String())
	}
	deadline := time.Now().Add(20 * time.Second)
	testhelp.StartMosquitto(t, filepath.Join(dir, "mosquitto.conf"), addr)

	db := "sqlite://" + filepath.Join(t.TempDir(), "sillage.db")
	if code := run(ctx, []string{"seed", "--network", tinyYAML, "--db", db}, &out, &errb); code != 0 {
		t.Fatalf("seed: %d %s", code, errb.String())
	}
	broker := "ssl://" + addr
	tlsArgs := []string{"--broker", broker, "--ca-file", filepath.Join(dir, "certs", "ca.crt")}
	type ingest struct {
		stdout, stderr syncbuf.Buffer
		done           chan int
	}
	ictx, cancel := context.WithCancel(ctx)
	defer cancel()
	var ingests []*ingest
	for i, id := range []string{"a", "b"} {
		in := &ingest{done: make(chan int, 1)}
		args := append([]string{"ingest", "--db", db, "--network", "tiny", "--resend", "0", "--partition", fmt.Sprintf("%d/2", i+1),
			"--client-id", "sillage-ingest-tiny-" + id, "--username", "ingest", "--password-file", filepath.Join(dir, "credentials", "ingest")}, tlsArgs...)
		if id == "b" {
			args[len(args)-3] = "mqtts://" + addr // the other spelling of MQTT over TLS
		}
		go func() { in.done <- run(ictx, args, &in.stdout, &in.stderr) }()
		ingests = append(ingests, in)
		for !strings.Contains(in.stderr.String(), "subscribed") {
			if time.Now().After(deadline.Add(time.Minute)) {
				t.Fatalf("ingest %s did not subscribe:\n%s", id, in.stderr.String())
			}
			time.Sleep(10 * time.Millisecond)
		}
		if want := fmt.Sprintf("partition=%d/2 sites=2", i+1); !strings.Contains(in.stderr.String(), want) {
			t.Errorf("ingest %s did not subscribe to its partition (%s):\n%s", id, want, in.stderr.String())
		}
	}

	out.Reset()
	if code := run(ctx, append([]string{"simulate", "--network", tinyYAML, "--rate", "200", "--duration", "1s", "--dup-rate", "0.1",
		"--bad-rate", "0", "--epcs", "5", "--transit", "100ms", "--seed", "5", "--site-credentials", dir}, tlsArgs...), &out, &errb); code != 0 {
		t.Fatalf("simulate: %d\n%s", code, errb.String())
	}
	want := map[string][2]float64{"DC-PAR BAG-01": {20, 0}, "DC-PAR EDP-01": {300, 0}, "BTQ-PAR BAG-01": {3, 2}, "BTQ-LON EDP-01": {10, 0}}
	for _, line := range strings.Split(out.String(), "\n") {
		var site, sku string
		var oh, it float64
		if n, _ := fmt.Sscanf(line, "  %s %s %g %g", &site, &sku, &oh, &it); n == 4 {
			v := want[site+" "+sku]
			want[site+" "+sku] = [2]float64{v[0] + oh, v[1] + it}
		}
	}
	for {
		var sout bytes.Buffer
		if code := run(ctx, []string{"stock", "--db", db, "--json"}, &sout, &errb); code != 0 {
			t.Fatalf("stock: %d %s", code, errb.String())
		}
		var rows []stockRow
		if err := json.Unmarshal(sout.Bytes(), &rows); err != nil {
			t.Fatal(err)
		}
		got := map[string][2]float64{}
		for _, r := range rows {
			got[r.Site+" "+r.SKU] = [2]float64{r.OnHand, r.InTransit}
		}
		match := true
		for k, w := range want {
			match = match && got[k] == w
		}
		if match {
			break
		}
		if time.Now().After(deadline.Add(2 * time.Minute)) {
			t.Fatalf("stock %v, want %v", got, want)
		}
		time.Sleep(50 * time.Millisecond)
	}
	cancel()
	for i, in := range ingests {
		if code := <-in.done; code != 0 {
			t.Errorf("ingest %d: exit %d\n%s", i, code, in.stderr.String())
		}
		var m int
		if _, err := fmt.Sscanf(in.stdout.String(), "ingest stopped: %d messages", &m); err != nil || m == 0 {
			t.Errorf("ingest %d applied no messages of the shared subscription: %q", i, in.stdout.String())
		}
	}
}
