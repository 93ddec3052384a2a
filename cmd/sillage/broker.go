package main

import (
	"context"
	"crypto/tls"
	"flag"
	"fmt"
	"log/slog"

	"github.com/sillage/sillage/iot/broker"
)

func init() {
	register(&command{
		name:   "broker",
		noArgs: true,
		short:  "run the embedded MQTT broker (development)",
		usage:  "broker [--listen 127.0.0.1:1883] [--users FILE] [--tls-cert FILE --tls-key FILE]",
		long: `Broker runs an embedded MQTT broker (mochi-mqtt) until interrupted, for a
one-machine setup without Mosquitto. It listens on 127.0.0.1 by default.

Without --users any client may connect and use any topic. With --users (a
file of "user:password" lines) clients must authenticate, and the rules of
the ACL of "sillage mqtt-users" apply: a site (user name = site id) publishes only
under sillage/v1/sites/<id>/ and reads its own commands, "ingest" reads
all sites and writes commands and dead letters, "planner" writes commands,
"ops" reads everything.

Sessions live in memory: a restart of the broker loses queued messages.
Use Mosquitto configured by "sillage mqtt-users" in production.`,
		flags: func(fs *flag.FlagSet) func(context.Context, *env) error {
			f := &brokerFlags{
				listen: fs.String("listen", broker.DefaultAddr, "`address` to listen on"),
				users:  fs.String("users", "", "`file` of user:password lines; enables authentication and the ACL"),
				cert:   fs.String("tls-cert", "", "TLS certificate PEM `file`; enables TLS"),
				key:    fs.String("tls-key", "", "TLS key PEM `file`"),
			}
			return f.run
		},
	})
}

// brokerFlags are the flags of sillage broker.
type brokerFlags struct {
	listen, users, cert, key *string
}

// run runs sillage broker with the parsed flags.
func (f *brokerFlags) run(ctx context.Context, e *env) error {
	if (*f.cert == "") != (*f.key == "") {
		return usageErrorf("--tls-cert and --tls-key go together")
	}
	cfg := broker.Config{Addr: *f.listen, Log: slog.New(slog.NewTextHandler(e.stderr, &slog.HandlerOptions{Level: slog.LevelWarn}))}
	if *f.users != "" {
		u, err := broker.LoadUsers(*f.users)
		if err != nil {
			return err
		}
		cfg.Users = u
	}
	if *f.cert != "" {
		c, err := tls.LoadX509KeyPair(*f.cert, *f.key)
		if err != nil {
			return fmt.Errorf("TLS certificate: %w", err)
		}
		cfg.TLS = &tls.Config{Certificates: []tls.Certificate{c}, MinVersion: tls.VersionTLS12}
	}
	b, err := broker.Start(cfg)
	if err != nil {
		return err
	}
	auth := "anonymous, all topics"
	if len(cfg.Users) > 0 {
		auth = fmt.Sprintf("%d users, ACL on", len(cfg.Users))
	}
	fmt.Fprintf(e.stdout, "broker listening on %s (%s)\n", b.URL(cfg.TLS != nil), auth)
	<-ctx.Done()
	return b.Close()
}
