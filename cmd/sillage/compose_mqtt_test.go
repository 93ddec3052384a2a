package main

import (
	"bytes"
	"context"
	"crypto/x509"
	"encoding/pem"
	"flag"
	"net"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/sillage/sillage"
	"github.com/sillage/sillage/internal/testhelp"
	"github.com/sillage/sillage/network"
)

// The MQTT part of docker-compose.yml: the files its mqtt-users job
// writes, the broker that reads them and the clients that use them.

// composeMQTT is what the compose file's mqtt-users job writes, generated
// here by the same command into a temporary directory.
type composeMQTT struct {
	out   string // --out: where the containers see the files
	local string // where the test generated them
	port  string // of --tls-listen
}

// generateComposeMQTT runs the mqtt-users service's command line with
// --out in a temporary directory (and without the chown flags when the
// test does not run as root).
func generateComposeMQTT(t *testing.T, f composeFile) composeMQTT {
	t.Helper()
	job := f.Services["mqtt-users"]
	if job.Restart != "no" || !job.isSillage() || job.User != "root" {
		t.Errorf("mqtt-users: restart %q user %q: want a one-shot sillage job as root (it gives the files to their readers)", job.Restart, job.User)
	}
	fs := checkArgs(t, "mqtt-users", job.Command)
	if fs == nil {
		t.FailNow()
	}
	m := composeMQTT{out: fs.Lookup("out").Value.String(), local: t.TempDir()}
	_, m.port, _ = net.SplitHostPort(fs.Lookup("tls-listen").Value.String())
	if fs.Lookup("tls").Value.String() != "true" {
		t.Error("mqtt-users: no --tls")
	}
	if !contains(job.Volumes, "mqtt:"+m.out) {
		t.Errorf("mqtt-users mounts %v, want the volume mqtt on %s, writable", job.Volumes, m.out)
	}
	var args []string
	for i := 0; i < len(job.Command); i++ {
		a := job.Command[i]
		switch {
		case a == "--out":
			args = append(args, a, m.local)
			i++
		case (a == "--owner" || a == "--broker-owner") && os.Geteuid() != 0:
			i++
		case a == "--network":
			const inImage = "/usr/share/sillage/networks/"
			args = append(args, a, filepath.Join(repoRoot, "testdata", "networks", strings.TrimPrefix(job.Command[i+1], inImage)))
			i++
		default:
			args = append(args, a)
		}
	}
	var out, errb bytes.Buffer
	if code := run(context.Background(), args, &out, &errb); code != 0 {
		t.Fatalf("mqtt-users %v: exit %d\n%s", args, code, errb.String())
	}
	return m
}

// checkComposeMQTTClient checks one MQTT client service: TLS to the
// mosquitto service with the generated CA, and credentials that the
// generator wrote, from the volume mqtt.
func checkComposeMQTTClient(t *testing.T, name string, s composeService, fs *flag.FlagSet, mq composeMQTT) {
	t.Helper()
	u, err := url.Parse(fs.Lookup("broker").Value.String())
	if err != nil || u.Scheme != "ssl" || u.Hostname() != "mosquitto" || u.Port() != mq.port {
		t.Errorf("%s: --broker %s, want ssl://mosquitto:%s", name, fs.Lookup("broker").Value, mq.port)
	}
	if ca := fs.Lookup("ca-file").Value.String(); ca != filepath.Join(mq.out, "certs", "ca.crt") {
		t.Errorf("%s: --ca-file %q, want the generated CA", name, ca)
	}
	if !contains(s.Volumes, "mqtt:"+mq.out+":ro") {
		t.Errorf("%s: volumes %v: want mqtt:%s:ro", name, s.Volumes, mq.out)
	}
	if s.Environment[envMQTTPassword] != "" {
		t.Errorf("%s: %s set: passwords come from the generated credentials", name, envMQTTPassword)
	}
	if fl := fs.Lookup("site-credentials"); fl != nil && fl.Value.String() != "" {
		if fl.Value.String() != mq.out {
			t.Errorf("%s: --site-credentials %s, want %s", name, fl.Value, mq.out)
		}
		return
	}
	user := fs.Lookup("username").Value.String()
	if pf := fs.Lookup("password-file").Value.String(); pf != filepath.Join(mq.out, "credentials", user) {
		t.Errorf("%s: --password-file %q, want the credentials of its user %q", name, pf, user)
	}
	if _, err := os.Stat(filepath.Join(mq.local, "credentials", user)); err != nil {
		t.Errorf("%s: MQTT user %q is not one mqtt-users makes: %v", name, user, err)
	}
}

// TestComposeMosquitto checks the broker service against the files the
// mqtt-users job writes, generated here by the same command line.
func TestComposeMosquitto(t *testing.T) {
	f := loadCompose(t)
	// Mosquitto runs the generated configuration from the volume mqtt.
	mq := generateComposeMQTT(t, f)
	m := f.Services["mosquitto"]
	if len(m.Command) != 3 || m.Command[2] != filepath.Join(mq.out, "mosquitto.conf") {
		t.Errorf("mosquitto command %v, want mosquitto -c %s/mosquitto.conf", m.Command, mq.out)
	}
	if !contains(m.Volumes, "mqtt:"+mq.out+":ro") || !contains(m.Volumes, "mosquitto:/mosquitto/data") {
		t.Errorf("mosquitto volumes %v", m.Volumes)
	}
	if m.DependsOn["mqtt-users"].Condition != "service_completed_successfully" {
		t.Error("mosquitto must wait for mqtt-users")
	}
	conf := testhelp.ReadFile(t, filepath.Join(mq.local, "mosquitto.conf"))
	local := func(f string) string { return filepath.Join(mq.local, f) }
	for _, want := range []string{"allow_anonymous false", "password_file " + local("passwd"), "acl_file " + local("acl"),
		"persistence_location /mosquitto/data/", "listener " + mq.port, "certfile " + local("certs/server.crt"), "user mosquitto"} {
		if !regexp.MustCompile(`(?m)^` + regexp.QuoteMeta(want) + `$`).MatchString(conf) {
			t.Errorf("generated mosquitto.conf lacks %q:\n%s", want, conf)
		}
	}
	if regexp.MustCompile(`(?m)^listener \d+$`).FindAllString(conf, -1)[0] != "listener "+mq.port {
		t.Errorf("the listener on every interface is not the TLS one:\n%s", conf)
	}
	// The files are given to the users that read them: mosquitto (1883 in
	// its image) and sillage (the Dockerfile's user).
	job := checkArgs(t, "mqtt-users", f.Services["mqtt-users"].Command)
	if job.Lookup("broker-owner").Value.String() != "1883:1883" || !strings.Contains(readRepoFile(t, "Dockerfile"), "--uid "+strings.Split(job.Lookup("owner").Value.String(), ":")[0]+" ") {
		t.Errorf("mqtt-users: --broker-owner %s --owner %s: want mosquitto's 1883 and the Dockerfile's sillage uid", job.Lookup("broker-owner").Value, job.Lookup("owner").Value)
	}
	// Every site of the seeded network and every service has a user.
	passwd := testhelp.ReadFile(t, local("passwd"))
	n, err := network.Load(filepath.Join(repoRoot, "testdata", "networks", "maison.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	for _, u := range append([]string{"ingest", "planner", "ops"}, siteIDs(n)...) {
		if !strings.Contains(passwd, "\n"+u+":$7$") && !strings.HasPrefix(passwd, u+":$7$") {
			t.Errorf("generated passwd has no user %s", u)
		}
	}
	// The server certificate is valid for the service name, under the CA.
	pool := x509.NewCertPool()
	if !pool.AppendCertsFromPEM([]byte(testhelp.ReadFile(t, local("certs/ca.crt")))) {
		t.Fatal("generated ca.crt holds no certificate")
	}
	block, _ := pem.Decode([]byte(testhelp.ReadFile(t, local("certs/server.crt"))))
	cert, err := x509.ParseCertificate(block.Bytes)
	if err != nil {
		t.Fatal(err)
	}
	for _, host := range []string{"mosquitto", "localhost"} {
		if _, err := cert.Verify(x509.VerifyOptions{DNSName: host, Roots: pool}); err != nil {
			t.Errorf("server certificate for %s: %v", host, err)
		}
	}
	hc := strings.Join(m.Healthcheck.Test, " ")
	for _, want := range []string{"-u ops", "-p " + mq.port, "--cafile " + filepath.Join(mq.out, "certs", "ca.crt"), filepath.Join(mq.out, "credentials", "ops")} {
		if !strings.Contains(hc, want) {
			t.Errorf("mosquitto's health check %q lacks %q", hc, want)
		}
	}
}

func siteIDs(n *sillage.Network) []string {
	var ids []string
	for _, s := range n.Sites {
		ids = append(ids, s.ID)
	}
	return ids
}
