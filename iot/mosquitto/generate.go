package mosquitto

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
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

// DefaultMaxQueued is the default of Options.MaxQueued: 1000 s (about
// 17 minutes) of an ingest's share at 100 messages per second.
const DefaultMaxQueued = 100000

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
