package mosquitto_test

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"

	"github.com/sillage/sillage"
	"github.com/sillage/sillage/iot/mosquitto"
)

func net3(ids ...string) *sillage.Network {
	n := &sillage.Network{Name: "t"}
	for _, id := range ids {
		n.Sites = append(n.Sites, sillage.Site{ID: id})
	}
	return n
}

func read(t *testing.T, dir, f string) string {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(dir, f))
	if err != nil {
		t.Fatal(err)
	}
	return string(data)
}

func passwords(t *testing.T, dir string, users ...string) map[string]string {
	t.Helper()
	out := map[string]string{}
	for _, u := range users {
		pw, err := mosquitto.ReadPassword(mosquitto.CredentialsFile(dir, u))
		if err != nil {
			t.Fatal(err)
		}
		out[u] = pw
	}
	return out
}

// TestGenerateLayout checks the files, their modes, the order of the
// password file, that each hash verifies its user's password, and one
// site's ACL block written out by hand.
func TestGenerateLayout(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "mqtt")
	res, err := mosquitto.Generate(mosquitto.Options{Dir: dir, Network: net3("DC-PAR", "BTQ-PAR"), TLS: true})
	if err != nil {
		t.Fatal(err)
	}
	order := []string{"ingest", "planner", "ops", "BTQ-PAR", "DC-PAR"}
	if strings.Join(res.Created, ",") != strings.Join(order, ",") || len(res.Kept) != 0 {
		t.Errorf("created %v kept %v, want %v created", res.Created, res.Kept, order)
	}
	for f, mode := range map[string]os.FileMode{
		"mosquitto.conf": 0o644, "passwd": 0o600, "acl": 0o644, "credentials": 0o700 | os.ModeDir,
		"credentials/ingest": 0o600, "credentials/DC-PAR": 0o600, "certs/ca.crt": 0o644, "certs/ca.key": 0o600,
		"certs/server.crt": 0o644, "certs/server.key": 0o600, "data": 0o700 | os.ModeDir,
	} {
		fi, err := os.Stat(filepath.Join(dir, f))
		if err != nil {
			t.Errorf("%s: %v", f, err)
		} else if fi.Mode() != mode {
			t.Errorf("%s: mode %v, want %v", f, fi.Mode(), mode)
		}
	}
	pws := passwords(t, dir, order...)
	var names []string
	for _, line := range strings.Split(strings.TrimSpace(read(t, dir, "passwd")), "\n") {
		user, hash, _ := strings.Cut(line, ":")
		names = append(names, user)
		if ok, err := mosquitto.VerifyPassword(hash, pws[user]); !ok || err != nil {
			t.Errorf("passwd: %s's hash does not verify its credentials: %v", user, err)
		}
		if len(pws[user]) != 43 {
			t.Errorf("%s's password has %d characters, want 43 (256 bits of base64url)", user, len(pws[user]))
		}
	}
	if strings.Join(names, ",") != strings.Join(order, ",") {
		t.Errorf("passwd users %v, want %v", names, order)
	}
	if pws["DC-PAR"] == pws["BTQ-PAR"] {
		t.Error("two sites got the same password")
	}
	acl := read(t, dir, "acl")
	want := "\nuser DC-PAR\ntopic read sillage/v1/sites/DC-PAR/commands\n" +
		"topic write sillage/v1/sites/DC-PAR/epcis\ntopic write sillage/v1/sites/DC-PAR/stock\ntopic write sillage/v1/sites/DC-PAR/acks\n"
	if !strings.Contains(acl, want) {
		t.Errorf("acl lacks DC-PAR's block %q:\n%s", want, acl)
	}
	if strings.Contains(acl, "pattern") || strings.Contains(acl, "simulator") {
		t.Errorf("acl has pattern lines or demo users without Demo:\n%s", acl)
	}
	conf := read(t, dir, "mosquitto.conf")
	abs, _ := filepath.Abs(dir)
	for _, line := range []string{"listener 8883", "allow_anonymous false", "password_file " + abs + "/passwd", "acl_file " + abs + "/acl",
		"certfile " + abs + "/certs/server.crt", "keyfile " + abs + "/certs/server.key", "persistence_location " + abs + "/data/"} {
		if !strings.Contains(conf, "\n"+line+"\n") {
			t.Errorf("mosquitto.conf lacks %q:\n%s", line, conf)
		}
	}
	if strings.Contains(conf, "listener 1883") || strings.Contains(conf, "\nuser ") {
		t.Errorf("mosquitto.conf has a plaintext listener or a user line nobody asked for:\n%s", conf)
	}
}

// TestGenerateAgain: a second run keeps passwords and certificates; a
// site that left loses its user; a new host gets a new server certificate
// from the same CA; Rotate replaces everything.
func TestGenerateAgain(t *testing.T) {
	dir := t.TempDir()
	opts := mosquitto.Options{Dir: dir, Network: net3("A", "B"), TLS: true, Demo: true}
	if _, err := mosquitto.Generate(opts); err != nil {
		t.Fatal(err)
	}
	before := passwords(t, dir, "ingest", "simulator", "A", "B")
	ca, srv := read(t, dir, "certs/ca.crt"), read(t, dir, "certs/server.crt")

	opts.Network = net3("A", "C")
	res, err := mosquitto.Generate(opts)
	if err != nil {
		t.Fatal(err)
	}
	after := passwords(t, dir, "ingest", "simulator", "A", "C")
	for _, u := range []string{"ingest", "simulator", "A"} {
		if after[u] != before[u] {
			t.Errorf("%s's password changed on a second run", u)
		}
	}
	if strings.Join(res.Created, ",") != "C" || strings.Join(res.Removed, ",") != "B" || res.Cert != "kept" {
		t.Errorf("second run: created %v removed %v cert %q; want C, B, kept", res.Created, res.Removed, res.Cert)
	}
	if _, err := os.Stat(mosquitto.CredentialsFile(dir, "B")); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("B's credentials still there: %v", err)
	}
	if strings.Contains(read(t, dir, "passwd"), "\nB:") || strings.Contains(read(t, dir, "acl"), "user B\n") {
		t.Error("B still in passwd or acl")
	}
	if read(t, dir, "certs/ca.crt") != ca || read(t, dir, "certs/server.crt") != srv {
		t.Error("certificates changed on a second run")
	}

	opts.Hosts = []string{"mosquitto", "localhost"}
	res, err = mosquitto.Generate(opts)
	if err != nil {
		t.Fatal(err)
	}
	if read(t, dir, "certs/ca.crt") != ca || read(t, dir, "certs/server.crt") == srv || res.Cert != "new server certificate: the old one does not cover mosquitto" {
		t.Errorf("new host: cert %q; want the same CA and a new server certificate", res.Cert)
	}

	opts.Rotate = true
	if _, err := mosquitto.Generate(opts); err != nil {
		t.Fatal(err)
	}
	rotated := passwords(t, dir, "ingest", "simulator", "A", "C")
	for u, pw := range rotated {
		if pw == after[u] {
			t.Errorf("%s's password kept by Rotate", u)
		}
	}
	if read(t, dir, "certs/ca.crt") == ca {
		t.Error("CA kept by Rotate")
	}
}

func TestGenerateRefuses(t *testing.T) {
	for _, c := range []struct {
		name string
		opts mosquitto.Options
		want string
	}{
		{"plaintext beyond loopback", mosquitto.Options{Network: net3("A"), PlainListen: "0.0.0.0:1883"}, "only a loopback address may carry MQTT without TLS"},
		{"plaintext on a LAN address", mosquitto.Options{Network: net3("A"), TLS: true, PlainListen: "192.168.1.2:1883"}, "only a loopback address"},
		{"same port", mosquitto.Options{Network: net3("A"), TLS: true, TLSListen: "127.0.0.1:1883", PlainListen: "127.0.0.1:1883"}, "share port 1883"},
		{"bad port", mosquitto.Options{Network: net3("A"), TLS: true, TLSListen: ":88830"}, "port must be 1 to 65535"},
		{"site named like a service", mosquitto.Options{Network: net3("A", "ops")}, `sites[1]: id "ops" is the name of a service user`},
		{"site id with a wildcard", mosquitto.Options{Network: net3("A+")}, `sites[0]: id "A+" cannot be an MQTT user name`},
		{"site id with a colon", mosquitto.Options{Network: net3("A:B")}, `sites[0]: id "A:B" cannot be an MQTT user name`},
		{"site twice", mosquitto.Options{Network: net3("A", "A")}, `sites[1]: id "A" listed twice`},
		{"no network", mosquitto.Options{}, "no network"},
	} {
		c.opts.Dir = t.TempDir()
		_, err := mosquitto.Generate(c.opts)
		if err == nil || !strings.Contains(err.Error(), c.want) || !errors.Is(err, sillage.ErrInvalid) {
			t.Errorf("%s: %v, want ErrInvalid with %q", c.name, err, c.want)
		}
	}
}

// TestGenerateListeners checks the listener lines for the setups of the
// README: the one-machine cluster and docker-compose.
func TestGenerateListeners(t *testing.T) {
	for _, c := range []struct {
		opts mosquitto.Options
		want []string
		not  []string
	}{
		{mosquitto.Options{}, []string{"listener 1883 127.0.0.1\n", "max_queued_messages 100000\n"}, []string{"listener 8883", "certfile"}},
		{mosquitto.Options{MaxQueued: -1}, []string{"max_queued_messages 0\n"}, nil},
		{mosquitto.Options{MaxQueued: 5000}, []string{"max_queued_messages 5000\n"}, nil},
		{mosquitto.Options{TLS: true, TLSListen: "127.0.0.1:8883", PlainListen: "127.0.0.1:1883", RunAs: "root"},
			[]string{"listener 8883 127.0.0.1\ncafile", "listener 1883 127.0.0.1\n", "\nuser root\n"}, nil},
		{mosquitto.Options{TLS: true, DataDir: "/mosquitto/data", RunAs: "mosquitto"},
			[]string{"listener 8883\ncafile", "persistence_location /mosquitto/data/\n", "\nuser mosquitto\n"}, []string{"listener 1883"}},
	} {
		c.opts.Dir, c.opts.Network = t.TempDir(), net3("A")
		if _, err := mosquitto.Generate(c.opts); err != nil {
			t.Fatal(err)
		}
		conf := read(t, c.opts.Dir, "mosquitto.conf")
		for _, w := range c.want {
			if !strings.Contains(conf, w) {
				t.Errorf("%+v: conf lacks %q:\n%s", c.opts, w, conf)
			}
		}
		for _, w := range c.not {
			if strings.Contains(conf, w) {
				t.Errorf("%+v: conf has %q:\n%s", c.opts, w, conf)
			}
		}
	}
}

// TestGenerateOwners gives the credentials to one owner and the broker's
// files to another (as docker-compose's one-shot job does). Needs root.
func TestGenerateOwners(t *testing.T) {
	if os.Geteuid() != 0 {
		t.Skip("chown needs root")
	}
	dir := t.TempDir()
	clients, broker := mosquitto.Owner{UID: 10001, GID: 10001}, mosquitto.Owner{UID: 1883, GID: 1883}
	if _, err := mosquitto.Generate(mosquitto.Options{Dir: dir, Network: net3("A"), TLS: true, Owner: &clients, BrokerOwner: &broker}); err != nil {
		t.Fatal(err)
	}
	for f, want := range map[string]int{"credentials": 10001, "credentials/A": 10001, "credentials/ingest": 10001,
		"passwd": 1883, "acl": 1883, "mosquitto.conf": 1883, "certs/server.key": 1883, "certs/server.crt": 1883, "data": 1883,
		"certs/ca.key": 0, "certs/ca.crt": 0} {
		fi, err := os.Stat(filepath.Join(dir, f))
		if err != nil {
			t.Fatal(err)
		}
		if uid := int(fi.Sys().(*syscall.Stat_t).Uid); uid != want {
			t.Errorf("%s owned by %d, want %d", f, uid, want)
		}
	}
	if _, err := mosquitto.ParseOwner("1883"); err == nil {
		t.Error(`ParseOwner("1883") accepted a UID without a GID`)
	}
}

func ExampleACL() {
	fmt.Print(mosquitto.ACL([]mosquitto.User{mosquitto.SiteUser("BTQ-PAR")}, "maison"))
	// Output:
	// # Mosquitto ACL for sillage (topic layout v1), network "maison".
	// # Written by `sillage mqtt-users`: do not edit, run it again.
	// # A site (user = site id) writes only its own epcis, stock and acks
	// # topics and reads only its own commands.
	//
	// user BTQ-PAR
	// topic read sillage/v1/sites/BTQ-PAR/commands
	// topic write sillage/v1/sites/BTQ-PAR/epcis
	// topic write sillage/v1/sites/BTQ-PAR/stock
	// topic write sillage/v1/sites/BTQ-PAR/acks
}
