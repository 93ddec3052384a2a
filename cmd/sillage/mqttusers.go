package main

import (
	"context"
	"flag"
	"fmt"
	"os/user"
	"path/filepath"
	"strings"

	"github.com/sillage/sillage/iot/mosquitto"
	"github.com/sillage/sillage/network"
)

func init() {
	register(&command{
		name:  "mqtt-users",
		short: "write Mosquitto's users, passwords, ACL, TLS certificates and config for a network",
		usage: "mqtt-users --network FILE --out DIR [--tls [--host H,...] [--tls-listen HOST:PORT]] [--plain-listen 127.0.0.1:PORT] [--demo] [--rotate] [flags]",
		long: `Mqtt-users writes the configuration of a Mosquitto 2 broker for the sites
of a network file into --out DIR:

  DIR/mosquitto.conf     listeners, password file, ACL, persistence (absolute paths)
  DIR/passwd             one user:$7$... line per user (PBKDF2-SHA512, as mosquitto_passwd)
  DIR/acl                one "user" block per user
  DIR/credentials/USER   USER's password (0600; the directory is 0700)
  DIR/certs/             with --tls: ca.crt, ca.key, server.crt, server.key
  DIR/data/              the broker's persistence (unless --data)

Every site gets a user named after its id, which may publish only on
sillage/v1/sites/SITE/{epcis,stock,acks} and read only
sillage/v1/sites/SITE/commands. The services get users too: ingest (reads
every site's epcis, stock and acks, writes commands and dead letters),
planner (the workers: write commands), ops (read everything); with --demo
also simulator (writes every site's epcis and stock) and warehouse (reads
every site's commands, writes their acks and epcis), for sillage simulate
and sillage warehouse.

Each new user gets a random password of 256 bits. Run it again, for
example after adding sites: existing passwords, the CA and the server
certificate are kept (the certificate is issued again when --host changes
or it expires within 30 days), users that left are removed; --rotate
replaces every password and certificate.

--tls makes a self-signed CA and a server certificate for --host, and a
TLS listener on --tls-listen; clients connect to ssl://HOST:PORT with
--ca-file DIR/certs/ca.crt. A plaintext listener (--plain-listen, the only
listener without --tls) must be on a loopback address. Then:

  mosquitto -c DIR/mosquitto.conf
  sillage ingest --broker ssl://127.0.0.1:8883 --ca-file DIR/certs/ca.crt \
    --username ingest --password-file DIR/credentials/ingest ...

The broker keeps up to --max-queued messages for a session whose client
is down (a stopped ingest's share of a shared subscription), and saves its
sessions every 60 s and at SIGTERM. Passwords are never printed. --owner and --broker-owner (UID:GID, needs
root) give the credentials and the broker's files to the users that read
them, as docker-compose.yml does.`,
		flags: func(fs *flag.FlagSet) func(context.Context, *env) error {
			f := declareMQTTUsersFlags(fs)
			return func(ctx context.Context, e *env) error { return runMQTTUsers(ctx, e, f) }
		},
	})
}

// mqttUsersFlags are the flags of sillage mqtt-users.
type mqttUsersFlags struct {
	file        *string
	out         *string
	useTLS      *bool
	hosts       *string
	tlsListen   *string
	plainListen *string
	data        *string
	runAs       *string
	owner       *string
	brokerOwner *string
	maxQueued   *int
	demo        *bool
	rotate      *bool
}

// declareMQTTUsersFlags declares the flags of sillage mqtt-users in fs.
func declareMQTTUsersFlags(fs *flag.FlagSet) *mqttUsersFlags {
	return &mqttUsersFlags{
		file:        fs.String("network", "", "network `FILE` (YAML); required"),
		out:         fs.String("out", "", "output `DIR`; required"),
		useTLS:      fs.Bool("tls", false, "make a CA and server certificate and listen with TLS"),
		hosts:       fs.String("host", "localhost,127.0.0.1", "comma-separated `names` and IP addresses the server certificate covers (with --tls)"),
		tlsListen:   fs.String("tls-listen", ":8883", "TLS listener `HOST:PORT` (empty host: every interface)"),
		plainListen: fs.String("plain-listen", "", "plaintext listener `HOST:PORT`, loopback only (default 127.0.0.1:1883 without --tls, none with it)"),
		data:        fs.String("data", "", "broker persistence `DIR` (default OUT/data)"),
		runAs:       fs.String("run-as", "", "`user` the broker runs as when started as root (default: the user running this command, who can read the files)"),
		owner:       fs.String("owner", "", "give the credentials to `UID:GID`"),
		brokerOwner: fs.String("broker-owner", "", "give the files the broker reads (passwd, acl, conf, server certificate and key, data) to `UID:GID`"),
		maxQueued:   fs.Int("max-queued", mosquitto.DefaultMaxQueued, "QoS 1 messages the broker keeps for a disconnected session (an ingest that is down) before dropping new ones; -1: no limit"),
		demo:        fs.Bool("demo", false, "also the simulator and warehouse users (demonstrations and tests only)"),
		rotate:      fs.Bool("rotate", false, "new passwords for every user, a new CA and server certificate"),
	}
}

// runMQTTUsers runs sillage mqtt-users with the parsed flags.
func runMQTTUsers(ctx context.Context, e *env, f *mqttUsersFlags) error {
	if *f.file == "" || *f.out == "" {
		return usageErrorf("--network and --out are required")
	}
	if len(e.args) > 0 {
		return usageErrorf("unexpected argument %q", e.args[0])
	}
	opts := mosquitto.Options{Dir: *f.out, Demo: *f.demo, Rotate: *f.rotate, TLS: *f.useTLS, TLSListen: *f.tlsListen,
		PlainListen: *f.plainListen, DataDir: *f.data, RunAs: *f.runAs, MaxQueued: *f.maxQueued}
	if *f.maxQueued == 0 || *f.maxQueued < -1 {
		return usageErrorf("--max-queued %d: want a positive number, or -1 for no limit", *f.maxQueued)
	}
	if *f.useTLS {
		for _, h := range strings.Split(*f.hosts, ",") {
			if h = strings.TrimSpace(h); h != "" {
				opts.Hosts = append(opts.Hosts, h)
			}
		}
		if len(opts.Hosts) == 0 {
			return usageErrorf("--host: give at least one name or address")
		}
	}
	for _, o := range []struct {
		flag string
		val  string
		dst  **mosquitto.Owner
	}{{"owner", *f.owner, &opts.Owner}, {"broker-owner", *f.brokerOwner, &opts.BrokerOwner}} {
		if o.val == "" {
			continue
		}
		ow, err := mosquitto.ParseOwner(o.val)
		if err != nil {
			return usageErrorf("--%s: %v", o.flag, err)
		}
		*o.dst = &ow
	}
	if opts.RunAs == "" {
		if u, err := user.Current(); err == nil {
			opts.RunAs = u.Username
		}
	}
	n, err := network.Load(*f.file)
	if err != nil {
		return err
	}
	if n.Name == "" {
		n.Name = strings.TrimSuffix(filepath.Base(*f.file), filepath.Ext(*f.file))
	}
	opts.Network = n
	res, err := mosquitto.Generate(opts)
	if err != nil {
		return fmt.Errorf("mqtt-users: %w", err)
	}
	sites := 0
	for _, u := range res.Users {
		if u.Site {
			sites++
		}
	}
	fmt.Fprintf(e.stdout, "mqtt-users: %d users (%d sites) in %s: %d new passwords, %d kept, %d removed",
		len(res.Users), sites, *f.out, len(res.Created), len(res.Kept), len(res.Removed))
	if len(res.Removed) > 0 {
		fmt.Fprintf(e.stdout, " (%s)", strings.Join(res.Removed, ", "))
	}
	if res.Cert != "" {
		fmt.Fprintf(e.stdout, "; certificates: %s", res.Cert)
	}
	fmt.Fprintf(e.stdout, "\nstart the broker with: mosquitto -c %s\n", filepath.Join(*f.out, mosquitto.FileConf))
	return nil
}
