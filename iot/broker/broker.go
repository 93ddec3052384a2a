package broker

import (
	"crypto/subtle"
	"crypto/tls"
	"fmt"
	"log/slog"
	"net"
	"os"
	"strings"

	mqtt "github.com/mochi-mqtt/server/v2"
	"github.com/mochi-mqtt/server/v2/listeners"
	"github.com/mochi-mqtt/server/v2/packets"

	"github.com/sillage/sillage/internal/colonfile"
	"github.com/sillage/sillage/iot"
	"github.com/sillage/sillage/iot/mosquitto"
)

// DefaultAddr is where the broker listens by default: loopback only.
const DefaultAddr = "127.0.0.1:1883"

// Config configures a broker.
type Config struct {
	Addr string // host:port; "" means DefaultAddr; port 0 picks a free one
	// Users maps user names to passwords. With none, any client may
	// connect and use any topic (development only); with some, clients
	// must authenticate and Allowed decides what they may do.
	Users map[string]string
	TLS   *tls.Config  // nil: plain TCP
	Log   *slog.Logger // nil: errors only, to stderr
}

// Broker is a running embedded broker.
type Broker struct {
	srv  *mqtt.Server
	Addr string // the address it listens on, e.g. 127.0.0.1:1883
}

// Start listens and serves in the background until Close.
func Start(cfg Config) (*Broker, error) {
	addr := cfg.Addr
	if addr == "" {
		addr = DefaultAddr
	}
	// Resolve port 0 now, so that the caller learns the address.
	l, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, fmt.Errorf("broker: listen on %s: %w", addr, err)
	}
	addr = l.Addr().String()
	l.Close()

	log := cfg.Log
	if log == nil {
		log = slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelError}))
	}
	srv := mqtt.New(&mqtt.Options{Logger: log, InlineClient: false})
	if err := srv.AddHook(&aclHook{users: cfg.Users}, nil); err != nil {
		return nil, fmt.Errorf("broker: %w", err)
	}
	if err := srv.AddListener(listeners.NewTCP(listeners.Config{ID: "tcp", Address: addr, TLSConfig: cfg.TLS})); err != nil {
		return nil, fmt.Errorf("broker: listen on %s: %w", addr, err)
	}
	if err := srv.Serve(); err != nil {
		return nil, fmt.Errorf("broker: %w", err)
	}
	return &Broker{srv: srv, Addr: addr}, nil
}

// URL returns the broker's URL for clients: tcp://ADDR, or ssl://ADDR
// with TLS.
func (b *Broker) URL(tls bool) string {
	if tls {
		return "ssl://" + b.Addr
	}
	return "tcp://" + b.Addr
}

// Close stops the broker and disconnects its clients.
func (b *Broker) Close() error { return b.srv.Close() }

// aclHook authenticates users and applies Allowed.
type aclHook struct {
	mqtt.HookBase
	users map[string]string
}

func (h *aclHook) ID() string { return "sillage-acl" }

func (h *aclHook) Provides(b byte) bool {
	return b == mqtt.OnConnectAuthenticate || b == mqtt.OnACLCheck
}

func (h *aclHook) OnConnectAuthenticate(cl *mqtt.Client, pk packets.Packet) bool {
	if len(h.users) == 0 {
		return true
	}
	want, ok := h.users[string(pk.Connect.Username)]
	return ok && subtle.ConstantTimeCompare([]byte(want), pk.Connect.Password) == 1
}

func (h *aclHook) OnACLCheck(cl *mqtt.Client, topic string, write bool) bool {
	if len(h.users) == 0 {
		return true
	}
	return Allowed(string(cl.Properties.Username), topic, write)
}

// The roles of the ACL: fixed user names; every other user is a site.
// They are those of package iot/mosquitto, which writes Mosquitto's ACL.
const (
	UserIngest  = mosquitto.UserIngest
	UserPlanner = mosquitto.UserPlanner
	UserOps     = mosquitto.UserOps
)

// services are the rules of the service users, by name (the demo users
// simulator and warehouse included).
var services = func() map[string]mosquitto.User {
	m := map[string]mosquitto.User{}
	for _, u := range mosquitto.ServiceUsers(true) {
		m[u.Name] = u
	}
	return m
}()

// Allowed reports whether user may publish on topic (write) or subscribe
// to the topic filter topic (read), under the rules of the ACL that
// sillage mqtt-users writes (package iot/mosquitto): a site (user name =
// site id) publishes on sillage/v1/sites/<id>/{epcis,stock,acks} and
// reads its commands; the ingest reads all sites' epcis, stock and acks
// and writes commands and dead letters; the planner writes commands; ops
// reads everything; the demo users simulator and warehouse write every
// site's epcis and stock, and read every site's commands and write their
// acks and epcis. A shared subscription $share/GROUP/FILTER is judged by
// its FILTER.
func Allowed(user, topic string, write bool) bool {
	if rest, ok := strings.CutPrefix(topic, "$share/"); ok && !write {
		_, filter, ok := strings.Cut(rest, "/")
		if !ok {
			return false
		}
		topic = filter
	}
	u, ok := services[user]
	if !ok {
		if !iot.ValidSiteID(user) {
			return false
		}
		u = mosquitto.SiteUser(user)
	}
	rules := u.Read
	if write {
		rules = u.Write
	}
	for _, r := range rules {
		if within(topic, r) {
			return true
		}
	}
	return false
}

// within reports whether every topic that filter f matches is matched by
// the rule r (both MQTT topic filters).
func within(f, r string) bool {
	fl, rl := strings.Split(f, "/"), strings.Split(r, "/")
	for i, rs := range rl {
		if rs == "#" {
			return true
		}
		if i >= len(fl) {
			return false
		}
		switch {
		case fl[i] == "#":
			return false
		case rs == "+":
			continue
		case fl[i] != rs:
			return false
		}
	}
	return len(fl) == len(rl)
}

// LoadUsers reads a users file: one "user:password" per line; blank lines
// and lines starting with # are skipped. (Mosquitto's hashed password
// files are not readable here: give the embedded broker plain passwords,
// and keep the file private.)
func LoadUsers(path string) (map[string]string, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("users file: %w", err)
	}
	entries, err := colonfile.Parse(data)
	if err != nil {
		return nil, fmt.Errorf("users file %s: %w", path, err)
	}
	users := map[string]string{}
	for _, e := range entries {
		if !e.Colon || e.Name == "" {
			return nil, fmt.Errorf("%s:%d: want user:password", path, e.Line)
		}
		users[e.Name] = e.Value
	}
	return users, nil
}
