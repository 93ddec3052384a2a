package e2e

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"net"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
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

// freePort asks the OS for a free TCP port on 127.0.0.1.
func freePort(t *testing.T) int {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port
}

// startMosquitto runs a real Mosquitto with the deployment's own
// configuration (deploy/mosquitto/mosquitto-docker.conf, as
// docker-compose.yml mounts it) and ACL, rewritten to listen on a free
// loopback port and to keep its password file, data and log in a
// temporary folder. users maps user names to passwords (made with
// mosquitto_passwd). It returns the broker's URL; the broker stops when t
// ends. It skips t when mosquitto is not installed.
func startMosquitto(t *testing.T, users map[string]string) string {
	t.Helper()
	for _, bin := range []string{"mosquitto", "mosquitto_passwd"} {
		if _, err := exec.LookPath(bin); err != nil {
			t.Skip("skipping: " + bin + " is not installed (apt-get install mosquitto mosquitto-clients)")
		}
	}
	root := moduleRoot(t)
	dir := t.TempDir()
	conf, err := os.ReadFile(filepath.Join(root, "deploy", "mosquitto", "mosquitto-docker.conf"))
	if err != nil {
		t.Fatal(err)
	}
	port := freePort(t)
	text := string(conf)
	for _, r := range []struct{ old, new string }{
		{"\nlistener 1883\n", fmt.Sprintf("\nlistener %d 127.0.0.1\n", port)},
		{"/mosquitto/config/passwd", filepath.Join(dir, "passwd")},
		{"/mosquitto/config/acl", filepath.Join(root, "deploy", "mosquitto", "acl")},
		{"/mosquitto/data/", dir + "/"},
		{"log_dest stdout", "log_dest file " + filepath.Join(dir, "mosquitto.log")},
	} {
		if !strings.Contains(text, r.old) {
			t.Fatalf("deploy/mosquitto/mosquitto-docker.conf has no %q any more: update this test", r.old)
		}
		text = strings.Replace(text, r.old, r.new, 1)
	}
	if os.Geteuid() == 0 {
		// As root, mosquitto would switch to user mosquitto, which cannot
		// read the test's files.
		text = "user root\n" + text
	}
	confFile := filepath.Join(dir, "mosquitto.conf")
	if err := os.WriteFile(confFile, []byte(text), 0o600); err != nil {
		t.Fatal(err)
	}
	first := true
	for user, pw := range users {
		args := []string{"-b", filepath.Join(dir, "passwd"), user, pw}
		if first {
			args = append([]string{"-c"}, args...)
			first = false
		}
		if out, err := exec.Command("mosquitto_passwd", args...).CombinedOutput(); err != nil {
			t.Fatalf("mosquitto_passwd: %v: %s", err, out)
		}
	}
	cmd := exec.Command("mosquitto", "-c", confFile)
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	done := make(chan struct{})
	go func() { _ = cmd.Wait(); close(done) }()
	t.Cleanup(func() {
		_ = cmd.Process.Signal(syscall.SIGTERM)
		select {
		case <-done:
		case <-time.After(10 * time.Second):
			_ = cmd.Process.Kill()
			<-done
		}
	})
	addr := fmt.Sprintf("127.0.0.1:%d", port)
	eventually(t, 20*time.Second, "mosquitto on "+addr, func() bool {
		select {
		case <-done:
			log, _ := os.ReadFile(filepath.Join(dir, "mosquitto.log"))
			t.Fatalf("mosquitto exited:\n%s", log)
		default:
		}
		c, err := net.DialTimeout("tcp", addr, time.Second)
		if err == nil {
			c.Close()
		}
		return err == nil
	})
	return "tcp://" + addr
}

// process is a sillage subcommand running as a process of its own, its
// output in a file.
type process struct {
	name string
	cmd  *exec.Cmd
	log  string
	done chan error
}

// startProcess runs bin with args and extra environment variables; its
// output goes to dir/name.log. It is stopped (SIGTERM, then SIGKILL) when
// t ends, and its log shown when t failed.
func startProcess(t *testing.T, dir, name, bin string, env []string, args ...string) *process {
	t.Helper()
	p := &process{name: name, log: filepath.Join(dir, name+".log"), done: make(chan error, 1)}
	f, err := os.Create(p.log)
	if err != nil {
		t.Fatal(err)
	}
	p.cmd = exec.Command(bin, args...)
	p.cmd.Stdout, p.cmd.Stderr = f, f
	p.cmd.Env = append(os.Environ(), env...)
	if err := p.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	go func() { p.done <- p.cmd.Wait(); f.Close() }()
	t.Cleanup(func() {
		if p.cmd.ProcessState == nil {
			_ = p.cmd.Process.Signal(syscall.SIGTERM)
			select {
			case <-p.done:
			case <-time.After(30 * time.Second):
				_ = p.cmd.Process.Kill()
				<-p.done
			}
		}
		if t.Failed() {
			data, _ := os.ReadFile(p.log)
			t.Logf("%s log (end):\n%s", p.name, tailLines(string(data), 40))
		}
	})
	return p
}

// exited reports whether the process has ended.
func (p *process) exited() bool {
	select {
	case err := <-p.done:
		p.done <- err
		return true
	default:
		return false
	}
}

// logContains reports whether the process's log has s.
func (p *process) logContains(s string) bool {
	data, _ := os.ReadFile(p.log)
	return strings.Contains(string(data), s)
}
