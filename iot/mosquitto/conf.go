package mosquitto

import (
	"fmt"
	"net"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/sillage/sillage"
)

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
	b.WriteString("# A session disconnected for longer than this is dropped with its queue:\n")
	b.WriteString("# the bound on redeliveries that sillage ingest's --seen-retention (30 days,\n")
	b.WriteString("# at least this) keeps deduplication keys for.\npersistent_client_expiration 14d\n\n")
	b.WriteString("# An ingest acknowledges a batch after its database commit: let a whole\n# batch (500 by default) be in flight to it.\nmax_inflight_messages 1000\n\n")
	b.WriteString("log_dest stdout\nlog_type error\nlog_type warning\nlog_type notice\n")
	return b.String()
}
