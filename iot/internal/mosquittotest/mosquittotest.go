package mosquittotest

import (
	"fmt"
	"io"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/sillage/sillage/internal/testhelp"
)

// Options configure a broker.
type Options struct {
	// Users maps user names to passwords. When empty, anonymous clients
	// are allowed.
	Users map[string]string
	// PasswordFile is a mosquitto_passwd file to use instead of Users.
	PasswordFile string
	// ACL is the content of the ACL file (see package iot/mosquitto);
	// empty means none.
	ACL string
	// ACLFile is a path to an ACL file to use instead of ACL.
	ACLFile string
	// TLS, when set, makes the listener require TLS with this
	// certificate and key (PEM files).
	TLSCert, TLSKey string
	// Extra lines for mosquitto.conf.
	Extra string
}

// Broker is a running Mosquitto.
type Broker struct {
	URL  string // tcp://127.0.0.1:PORT (ssl:// with TLS)
	Addr string // 127.0.0.1:PORT
	Dir  string // config, persistence and log
	Conf string // path of mosquitto.conf
	proc *testhelp.Process
	t    testing.TB
	// stdout, when set, receives the broker's output (StartConf).
	stdout string
}

// Available reports whether the mosquitto binary is installed.
func Available() bool {
	_, err := exec.LookPath("mosquitto")
	return err == nil
}

// Require skips t when mosquitto is not installed.
func Require(t testing.TB) {
	t.Helper()
	if !Available() {
		t.Skip("mosquitto not installed (apt-get install mosquitto mosquitto-clients)")
	}
}

// FreePort asks the OS for a free TCP port on 127.0.0.1.
func FreePort(t testing.TB) int {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port
}

// Start writes a configuration and starts mosquitto with it.
func Start(t testing.TB, o Options) *Broker {
	t.Helper()
	Require(t)
	dir := t.TempDir()
	port := FreePort(t)
	var conf strings.Builder
	fmt.Fprintf(&conf, "per_listener_settings false\n")
	if os.Geteuid() == 0 {
		// Started as root, mosquitto would switch to user mosquitto, which
		// cannot read the test's temporary files.
		fmt.Fprintf(&conf, "user root\n")
	}
	fmt.Fprintf(&conf, "listener %d 127.0.0.1\n", port)
	fmt.Fprintf(&conf, "persistence true\npersistence_location %s/\n", dir)
	fmt.Fprintf(&conf, "log_dest file %s\nlog_type error\nlog_type warning\nlog_type notice\n", filepath.Join(dir, "mosquitto.log"))
	// Keep every queued QoS 1 message of a disconnected persistent
	// session, and let many be in flight to one client.
	fmt.Fprintf(&conf, "max_queued_messages 0\nmax_inflight_messages 1000\n")
	if len(o.Users) > 0 {
		pw := filepath.Join(dir, "passwd")
		for u, p := range o.Users {
			args := []string{"-b", pw, u, p}
			if _, err := os.Stat(pw); err != nil {
				args = append([]string{"-c"}, args...)
			}
			if out, err := exec.Command("mosquitto_passwd", args...).CombinedOutput(); err != nil {
				t.Fatalf("mosquitto_passwd: %v: %s", err, out)
			}
		}
		fmt.Fprintf(&conf, "allow_anonymous false\npassword_file %s\n", pw)
	} else if o.PasswordFile != "" {
		fmt.Fprintf(&conf, "allow_anonymous false\npassword_file %s\n", o.PasswordFile)
	} else {
		fmt.Fprintf(&conf, "allow_anonymous true\n")
	}
	acl := o.ACLFile
	if o.ACL != "" {
		acl = filepath.Join(dir, "acl")
		if err := os.WriteFile(acl, []byte(o.ACL), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	if acl != "" {
		fmt.Fprintf(&conf, "acl_file %s\n", acl)
	}
	scheme := "tcp"
	if o.TLSCert != "" {
		fmt.Fprintf(&conf, "certfile %s\nkeyfile %s\n", o.TLSCert, o.TLSKey)
		scheme = "ssl"
	}
	conf.WriteString(o.Extra)
	b := &Broker{
		URL:  fmt.Sprintf("%s://127.0.0.1:%d", scheme, port),
		Addr: fmt.Sprintf("127.0.0.1:%d", port),
		Dir:  dir,
		Conf: filepath.Join(dir, "mosquitto.conf"),
		t:    t,
	}
	if err := os.WriteFile(b.Conf, []byte(conf.String()), 0o600); err != nil {
		t.Fatal(err)
	}
	b.start()
	t.Cleanup(b.Stop)
	return b
}

func (b *Broker) start() {
	b.t.Helper()
	var out io.Writer // nil: discarded (Start's broker logs to its log_dest file)
	if b.stdout != "" {
		f, err := os.OpenFile(b.stdout, os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o600)
		if err != nil {
			b.t.Fatal(err)
		}
		defer f.Close() // the broker has its own descriptor once started
		out = f
	}
	b.proc = testhelp.StartProcess(b.t, out, out, nil, "mosquitto", "-c", b.Conf)
	b.proc.WaitListening(b.t, b.Addr, b.logFile())
}

// Stop stops the broker (SIGINT, so that it saves its persistence file)
// and waits for it, killing it after 10 s.
func (b *Broker) Stop() {
	if b.proc == nil {
		return
	}
	_ = b.proc.Stop(os.Interrupt, 10*time.Second)
	b.proc = nil
}

// Restart stops and starts the broker on the same port and persistence.
func (b *Broker) Restart() {
	b.t.Helper()
	b.Stop()
	b.start()
}

// Log returns the content of the broker's log file.
func (b *Broker) Log() string {
	data, _ := os.ReadFile(b.logFile())
	return string(data)
}

// logFile is where the broker logs: its output file for StartConf, else
// the log_dest file of Start's configuration.
func (b *Broker) logFile() string {
	if b.stdout != "" {
		return b.stdout
	}
	return filepath.Join(b.Dir, "mosquitto.log")
}

// StartConf starts mosquitto with a configuration file of its own (for
// example one written by package iot/mosquitto), its output going to a
// file of the test's temporary directory, and waits until addr
// (HOST:PORT, one of its listeners) accepts connections. url is what
// Broker.URL reports. The broker is stopped when the test ends.
func StartConf(t testing.TB, conf, addr, url string) *Broker {
	t.Helper()
	Require(t)
	b := &Broker{URL: url, Addr: addr, Dir: filepath.Dir(conf), Conf: conf, t: t,
		stdout: filepath.Join(t.TempDir(), "mosquitto.log")}
	b.start()
	t.Cleanup(b.Stop)
	return b
}
