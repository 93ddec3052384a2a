package e2e

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/sillage/sillage/internal/devserver"
	"github.com/sillage/sillage/internal/testhelp"
)

// envPostgres names the PostgreSQL server the tests may create databases
// on (CI sets it; scripts/test starts one).
const envPostgres = "SILLAGE_TEST_POSTGRES"

// postgresDatabase creates a database of its own on $SILLAGE_TEST_POSTGRES
// for t, dropped when t ends, and returns its URL. It skips t when the
// variable is unset.
func postgresDatabase(t *testing.T) string {
	t.Helper()
	base := os.Getenv(envPostgres)
	if base == "" {
		t.Skip("skipping: " + envPostgres + " is not set (scripts/test and CI start a PostgreSQL)")
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	conn, err := pgx.Connect(ctx, base)
	if err != nil {
		t.Fatalf("connect to %s: %v", envPostgres, err)
	}
	defer conn.Close(context.Background())
	b := make([]byte, 4)
	_, _ = rand.Read(b)
	name := "sillage_e2e_" + hex.EncodeToString(b)
	if _, err := conn.Exec(ctx, "CREATE DATABASE "+name); err != nil {
		t.Fatalf("create database %s: %v", name, err)
	}
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		c, err := pgx.Connect(ctx, base)
		if err != nil {
			t.Logf("drop database %s: %v", name, err)
			return
		}
		defer c.Close(context.Background())
		if _, err := c.Exec(ctx, "DROP DATABASE IF EXISTS "+name+" WITH (FORCE)"); err != nil {
			t.Logf("drop database %s: %v", name, err)
		}
	})
	u, err := url.Parse(base)
	if err != nil {
		t.Fatal(err)
	}
	u.Path = "/" + name
	return u.String()
}

// mqttBroker is a running Mosquitto configured by `sillage mqtt-users`.
type mqttBroker struct {
	URL string // ssl://127.0.0.1:PORT
	Dir string // the --out of mqtt-users
}

// CA returns the CA file clients trust.
func (b mqttBroker) CA() string { return filepath.Join(b.Dir, "certs", "ca.crt") }

// PasswordFile returns the credentials file of user.
func (b mqttBroker) PasswordFile(user string) string {
	return filepath.Join(b.Dir, "credentials", user)
}

// Password returns user's password.
func (b mqttBroker) Password(t *testing.T, user string) string {
	t.Helper()
	data, err := os.ReadFile(b.PasswordFile(user))
	if err != nil {
		t.Fatal(err)
	}
	return strings.TrimSpace(string(data))
}

// startMosquitto runs a real Mosquitto with the deployment's own
// configuration, as docker-compose.yml and scripts/cluster make it:
// `sillage mqtt-users --tls` for network, listening with TLS on a free
// loopback port. The broker stops when t ends. It skips t when mosquitto
// is not installed.
func startMosquitto(t *testing.T, bin, network string) mqttBroker {
	t.Helper()
	dir := t.TempDir()
	port, err := devserver.FreePort()
	if err != nil {
		t.Fatal(err)
	}
	addr := fmt.Sprintf("127.0.0.1:%d", port)
	runSillage(t, bin, "mqtt-users", "--network", network, "--out", dir, "--tls", "--tls-listen", addr)
	testhelp.StartMosquitto(t, filepath.Join(dir, "mosquitto.conf"), addr)
	return mqttBroker{URL: "ssl://" + addr, Dir: dir}
}

// process is a sillage subcommand running as a process of its own, its
// output in a file.
type process struct {
	*testhelp.Process
	name string
	log  string
}

// startProcess runs bin with args and extra environment variables; its
// output goes to dir/name.log. It is stopped (SIGTERM, then SIGKILL) when
// t ends, and its log shown when t failed.
func startProcess(t *testing.T, dir, name, bin string, env []string, args ...string) *process {
	t.Helper()
	p := &process{name: name, log: filepath.Join(dir, name+".log")}
	f, err := os.Create(p.log)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		f.Close()
		if t.Failed() {
			data, _ := os.ReadFile(p.log)
			t.Logf("%s log (end):\n%s", p.name, tailLines(string(data), 40))
		}
	})
	p.Process = testhelp.StartProcess(t, f, f, env, bin, args...)
	return p
}

// logContains reports whether the process's log has s.
func (p *process) logContains(s string) bool {
	data, _ := os.ReadFile(p.log)
	return strings.Contains(string(data), s)
}
