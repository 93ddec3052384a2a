package mosquitto

import (
	"crypto/rand"
	"encoding/base64"
	"errors"
	"fmt"
	"net"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/sillage/sillage"
)

// The files Generate writes, relative to its directory.
const (
	FileConf       = "mosquitto.conf"      // broker configuration (absolute paths to the files below)
	FilePasswd     = "passwd"              // $7$ hashes, one "user:hash" a line, in the order of Users
	FileACL        = "acl"                 // the rules of every user (see ACL)
	DirCredentials = "credentials"         // one file per user, named after it: its password and a newline
	FileCACert     = "certs/ca.crt"        // the CA clients trust (--ca-file)
	FileCAKey      = "certs/ca.key"        // its key, kept to issue server certificates again
	FileServerCert = "certs/server.crt"    // the broker's certificate, signed by the CA
	FileServerKey  = "certs/server.key"    // its key
	DirData        = "data"                // default persistence directory of the broker
	defaultHosts   = "localhost,127.0.0.1" // names the server certificate covers by default
)

// DefaultMaxQueued is the default of Options.MaxQueued: at 100 messages
// per second, a quarter of an hour of one ingest's share.
const DefaultMaxQueued = 100000

// Owner is a numeric user and group that files are given to (chown).
type Owner struct{ UID, GID int }

// ParseOwner parses "UID:GID".
func ParseOwner(s string) (Owner, error) {
	u, g, ok := strings.Cut(s, ":")
	uid, err1 := strconv.Atoi(u)
	gid, err2 := strconv.Atoi(g)
	if !ok || err1 != nil || err2 != nil || uid < 0 || gid < 0 {
		return Owner{}, fmt.Errorf("owner %q: want UID:GID, two numbers", s)
	}
	return Owner{uid, gid}, nil
}

// Options say what Generate writes.
type Options struct {
	Dir     string           // output directory, created 0755 when missing
	Network *sillage.Network // its sites get users
	Demo    bool             // also the simulator and warehouse users (see ServiceUsers)
	Rotate  bool             // new passwords for every user, a new CA and server certificate

	// TLS adds a listener with the generated certificates on TLSListen
	// (HOST:PORT, empty host: every interface; default ":8883"), the
	// server certificate covering Hosts (default localhost, 127.0.0.1).
	TLS       bool
	TLSListen string
	Hosts     []string
	// PlainListen is a plaintext listener, which must be on a loopback
	// address ("" : none with TLS, 127.0.0.1:1883 without).
	PlainListen string

	DataDir string // broker persistence directory; default Dir/data, created when it is inside Dir
	// MaxQueued is how many QoS 1 messages the broker keeps for one
	// disconnected persistent session (an ingest that is down) before it
	// drops new ones; 0 means DefaultMaxQueued, -1 no limit.
	MaxQueued int
	RunAs     string // the broker's "user" line: whom it runs as when started as root; "" leaves Mosquitto's default (mosquitto)

	// Owner gets the credentials, and BrokerOwner the files the broker
	// reads (passwd, acl, the server certificate and key, the data
	// directory); nil leaves them to the user running Generate.
	Owner, BrokerOwner *Owner

	Now func() time.Time // nil: time.Now
}

// Result says what Generate did.
type Result struct {
	Users   []User
	Created []string // users that got a new password
	Kept    []string // users whose stored password was kept
	Removed []string // credentials files of users no longer in the network, deleted
	// Cert says what happened to the certificates: "", "kept", "new CA
	// and server certificate", or why the server certificate was issued
	// again.
	Cert string
}

// Generate writes the broker's configuration for opts.Network into
// opts.Dir: mosquitto.conf, passwd, acl, credentials/USER and, with TLS,
// certs/. A user keeps the password of its credentials file unless
// opts.Rotate; a user without one gets 256 random bits (43 characters of
// base64url). Every file is replaced atomically (written beside, then
// renamed). Secret files are 0600 (credentials, keys, passwd), the
// credentials directory 0700, the rest 0644. The cost is one PBKDF2 hash
// (DefaultIterations) per user.
func Generate(opts Options) (Result, error) {
	var res Result
	now := time.Now
	if opts.Now != nil {
		now = opts.Now
	}
	if opts.Network == nil {
		return res, fmt.Errorf("%w: no network", sillage.ErrInvalid)
	}
	conf, err := opts.listeners()
	if err != nil {
		return res, err
	}
	users, err := Users(opts.Network, opts.Demo)
	if err != nil {
		return res, err
	}
	res.Users = users
	dir, err := filepath.Abs(opts.Dir)
	if err != nil {
		return res, err
	}
	credDir := filepath.Join(dir, DirCredentials)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return res, err
	}
	if err := os.MkdirAll(credDir, 0o700); err != nil {
		return res, err
	}
	if err := os.Chmod(credDir, 0o700); err != nil {
		return res, err
	}

	// Passwords: kept or new, then hashed.
	var passwd strings.Builder
	current := map[string]bool{}
	for _, u := range users {
		current[u.Name] = true
		pw := ""
		if !opts.Rotate {
			pw, err = ReadPassword(filepath.Join(credDir, u.Name))
			if err != nil && !errors.Is(err, os.ErrNotExist) {
				return res, err
			}
		}
		if pw == "" {
			if pw, err = newPassword(); err != nil {
				return res, err
			}
			res.Created = append(res.Created, u.Name)
		} else {
			res.Kept = append(res.Kept, u.Name)
		}
		if err := writeFile(filepath.Join(credDir, u.Name), []byte(pw+"\n"), 0o600, opts.Owner); err != nil {
			return res, err
		}
		h, err := NewHash(pw)
		if err != nil {
			return res, err
		}
		fmt.Fprintf(&passwd, "%s:%s\n", u.Name, h)
	}
	entries, err := os.ReadDir(credDir)
	if err != nil {
		return res, err
	}
	for _, e := range entries {
		if !current[e.Name()] && !strings.HasPrefix(e.Name(), ".") {
			if err := os.Remove(filepath.Join(credDir, e.Name())); err != nil {
				return res, err
			}
			res.Removed = append(res.Removed, e.Name())
		}
	}
	if err := chown(credDir, opts.Owner); err != nil {
		return res, err
	}
	if err := writeFile(filepath.Join(dir, FilePasswd), []byte(passwd.String()), 0o600, opts.BrokerOwner); err != nil {
		return res, err
	}
	if err := writeFile(filepath.Join(dir, FileACL), []byte(ACL(users, opts.Network.Name)), 0o644, opts.BrokerOwner); err != nil {
		return res, err
	}
	if opts.TLS {
		if res.Cert, err = opts.certificates(dir, now()); err != nil {
			return res, err
		}
	}

	data := opts.DataDir
	if data == "" {
		data = filepath.Join(dir, DirData)
	}
	if data, err = filepath.Abs(data); err != nil {
		return res, err
	}
	if rel, err := filepath.Rel(dir, data); err == nil && !strings.HasPrefix(rel, "..") {
		if err := os.MkdirAll(data, 0o700); err != nil {
			return res, err
		}
		if err := chown(data, opts.BrokerOwner); err != nil {
			return res, err
		}
	}
	conf.dir, conf.data, conf.runAs, conf.network = dir, data, opts.RunAs, opts.Network.Name
	switch {
	case opts.MaxQueued == 0:
		conf.maxQueued = DefaultMaxQueued
	case opts.MaxQueued > 0:
		conf.maxQueued = opts.MaxQueued
	}
	if err := writeFile(filepath.Join(dir, FileConf), []byte(conf.String()), 0o644, opts.BrokerOwner); err != nil {
		return res, err
	}
	return res, nil
}

// certificates keeps or makes the CA and the server certificate.
func (opts Options) certificates(dir string, now time.Time) (string, error) {
	hosts := opts.hosts()
	var ca, srv *keyPair
	var err error
	what := "kept"
	if !opts.Rotate {
		ca, err = loadPair(filepath.Join(dir, FileCACert), filepath.Join(dir, FileCAKey))
		if err != nil && !errors.Is(err, errNoPair) {
			return "", fmt.Errorf("CA: %w (remove certs/ or give --rotate)", err)
		}
		if ca != nil {
			srv, err = loadPair(filepath.Join(dir, FileServerCert), filepath.Join(dir, FileServerKey))
			if err != nil && !errors.Is(err, errNoPair) {
				return "", fmt.Errorf("server certificate: %w (remove it or give --rotate)", err)
			}
		}
	}
	if ca == nil {
		if ca, err = newCA(now); err != nil {
			return "", err
		}
		srv, what = nil, "new CA and server certificate"
	} else if srv == nil {
		what = "new server certificate"
	} else if why := serverUsable(srv, ca, hosts, now); why != "" {
		srv, what = nil, "new server certificate: the old one "+why
	}
	if srv == nil {
		if srv, err = newServer(ca, hosts, now); err != nil {
			return "", err
		}
	}
	if err := os.MkdirAll(filepath.Join(dir, "certs"), 0o755); err != nil {
		return "", err
	}
	caKey, err := ca.keyPEM()
	if err != nil {
		return "", err
	}
	srvKey, err := srv.keyPEM()
	if err != nil {
		return "", err
	}
	for _, f := range []struct {
		name  string
		data  []byte
		mode  os.FileMode
		owner *Owner
	}{
		{FileCACert, ca.certPEM(), 0o644, nil},
		{FileCAKey, caKey, 0o600, nil},
		{FileServerCert, srv.certPEM(), 0o644, opts.BrokerOwner},
		{FileServerKey, srvKey, 0o600, opts.BrokerOwner},
	} {
		if err := writeFile(filepath.Join(dir, f.name), f.data, f.mode, f.owner); err != nil {
			return "", err
		}
	}
	return what, nil
}

func (opts Options) hosts() []string {
	if len(opts.Hosts) > 0 {
		return opts.Hosts
	}
	return strings.Split(defaultHosts, ",")
}

// listeners checks the listen addresses.
func (opts Options) listeners() (*config, error) {
	c := &config{}
	plain := opts.PlainListen
	if !opts.TLS && plain == "" {
		plain = "127.0.0.1:1883"
	}
	if plain != "" {
		host, port, err := splitListen(plain)
		if err != nil {
			return nil, fmt.Errorf("plaintext listener: %w", err)
		}
		if ip := net.ParseIP(host); host != "localhost" && (ip == nil || !ip.IsLoopback()) {
			return nil, fmt.Errorf("%w: plaintext listener %q: only a loopback address may carry MQTT without TLS", sillage.ErrInvalid, plain)
		}
		c.plainHost, c.plainPort = host, port
	}
	if opts.TLS {
		l := opts.TLSListen
		if l == "" {
			l = ":8883"
		}
		host, port, err := splitListen(l)
		if err != nil {
			return nil, fmt.Errorf("TLS listener: %w", err)
		}
		c.tlsHost, c.tlsPort = host, port
		for _, h := range opts.hosts() {
			if h == "" || strings.ContainsAny(h, " ,") {
				return nil, fmt.Errorf("%w: host %q for the server certificate", sillage.ErrInvalid, h)
			}
		}
	}
	if c.tlsPort != 0 && c.tlsPort == c.plainPort {
		return nil, fmt.Errorf("%w: the TLS and plaintext listeners share port %d", sillage.ErrInvalid, c.tlsPort)
	}
	return c, nil
}

func splitListen(s string) (string, int, error) {
	host, p, err := net.SplitHostPort(s)
	if err != nil {
		return "", 0, fmt.Errorf("%w: %q: want HOST:PORT", sillage.ErrInvalid, s)
	}
	port, err := strconv.Atoi(p)
	if err != nil || port < 1 || port > 65535 {
		return "", 0, fmt.Errorf("%w: %q: port must be 1 to 65535", sillage.ErrInvalid, s)
	}
	return host, port, nil
}

// newPassword returns 256 random bits in base64url, without padding.
func newPassword() (string, error) {
	b := make([]byte, 32)
	if _, err := rand.Read(b); err != nil {
		return "", fmt.Errorf("password: %w", err)
	}
	return base64.RawURLEncoding.EncodeToString(b), nil
}

// ReadPassword reads a credentials file: the password is its first line,
// without surrounding spaces. The error wraps os.ErrNotExist for a
// missing file.
func ReadPassword(path string) (string, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return "", fmt.Errorf("read password: %w", err)
	}
	line, _, _ := strings.Cut(string(data), "\n")
	pw := strings.TrimSpace(line)
	if pw == "" {
		return "", fmt.Errorf("read password: %s: empty", path)
	}
	return pw, nil
}

// CredentialsFile returns the path of user's credentials file under dir.
func CredentialsFile(dir, user string) string { return filepath.Join(dir, DirCredentials, user) }

// writeFile replaces path atomically with data, mode perm and owner.
func writeFile(path string, data []byte, perm os.FileMode, owner *Owner) error {
	f, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".*")
	if err != nil {
		return err
	}
	tmp := f.Name()
	defer os.Remove(tmp) // after a successful rename there is nothing to remove
	if _, err := f.Write(data); err != nil {
		f.Close()
		return fmt.Errorf("write %s: %w", path, err)
	}
	if err := f.Chmod(perm); err != nil {
		f.Close()
		return err
	}
	if err := f.Close(); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	if err := chown(tmp, owner); err != nil {
		return err
	}
	return os.Rename(tmp, path)
}

func chown(path string, o *Owner) error {
	if o == nil {
		return nil
	}
	if err := os.Chown(path, o.UID, o.GID); err != nil {
		return fmt.Errorf("give %s to %d:%d: %w", path, o.UID, o.GID, err)
	}
	return nil
}

// config is the text of mosquitto.conf.
type config struct {
	plainHost, tlsHost string
	plainPort, tlsPort int
	dir, data, runAs   string
	network            string
	maxQueued          int // 0: no limit
}

func listenerLine(host string, port int) string {
	if host == "" {
		return fmt.Sprintf("listener %d\n", port)
	}
	return fmt.Sprintf("listener %d %s\n", port, host)
}

func (c *config) String() string {
	var b strings.Builder
	p := func(f string) string { return filepath.Join(c.dir, f) }
	fmt.Fprintf(&b, "# Mosquitto 2 configuration for sillage, network %q.\n", c.network)
	b.WriteString("# Written by `sillage mqtt-users`: do not edit, run it again.\n\n")
	if c.runAs != "" {
		fmt.Fprintf(&b, "# Started as root, the broker runs as this user.\nuser %s\n\n", c.runAs)
	}
	b.WriteString("# One password file and ACL for every listener.\nper_listener_settings false\nallow_anonymous false\n")
	fmt.Fprintf(&b, "password_file %s\nacl_file %s\n\n", p(FilePasswd), p(FileACL))
	if c.tlsPort != 0 {
		b.WriteString("# MQTT over TLS (server certificate signed by certs/ca.crt).\n")
		b.WriteString(listenerLine(c.tlsHost, c.tlsPort))
		fmt.Fprintf(&b, "cafile %s\ncertfile %s\nkeyfile %s\n\n", p(FileCACert), p(FileServerCert), p(FileServerKey))
	}
	if c.plainPort != 0 {
		b.WriteString("# Plain MQTT, on loopback only.\n")
		b.WriteString(listenerLine(c.plainHost, c.plainPort))
		b.WriteString("\n")
	}
	b.WriteString("# The ingests keep persistent sessions (clean session off, QoS 1): keep\n")
	b.WriteString("# their queued messages across broker restarts (saved every 60 s and\n")
	b.WriteString("# at a clean stop) and while they are down, up to max_queued_messages\n")
	b.WriteString("# per session (0: no limit).\n")
	fmt.Fprintf(&b, "persistence true\npersistence_location %s/\nautosave_interval 60\nmax_queued_messages %d\n\n", strings.TrimSuffix(c.data, "/"), c.maxQueued)
	b.WriteString("# An ingest acknowledges a batch after its database commit: let a whole\n# batch (500 by default) be in flight to it.\nmax_inflight_messages 1000\n\n")
	b.WriteString("log_dest stdout\nlog_type error\nlog_type warning\nlog_type notice\n")
	return b.String()
}
