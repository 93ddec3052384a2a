package main

import (
	"context"
	"crypto/tls"
	"flag"
	"fmt"
	"os"
	"strings"
	"time"

	"github.com/sillage/sillage/iot/epcisquery"
)

// envEPCISClients names the environment variable with the OAuth2 clients
// of epcis-serve, "ID:SECRET,ID:SECRET".
const envEPCISClients = "SILLAGE_EPCIS_CLIENTS"

func init() {
	register(&command{
		name:   "epcis-serve",
		noArgs: true,
		short:  "serve the item history over the EPCIS 2.0 REST query interface (read-only subset)",
		usage:  "epcis-serve [--db URL] [--network NAME] [--client ID:SECRET ...] [--addr HOST:PORT] [--tls-cert FILE --tls-key FILE] [--token-ttl D]",
		long: `Epcis-serve serves the item history of a network (every EPCIS event the
ingest applied, kept per EPC) over a read-only subset of the EPCIS 2.0
REST query interface (package iot/epcisquery):

  POST /auth/token     OAuth2 client credentials grant; the client id and
                       secret by HTTP Basic; returns a bearer token (expires
                       after --token-ttl), as pact-serve does
  GET  /epcis/events   the matching events as an EPCISQueryDocument, in
                       eventTime order; parameters MATCH_epc (also
                       MATCH_anyEPC; any GS1 key form or an EPC pattern),
                       EQ_bizStep, EQ_bizLocation, GE_eventTime,
                       LT_eventTime, values separated by |; pages of
                       perPage events (default 30, at most 1000), the next
                       one linked by the Link header (rel="next",
                       nextPageToken)

Other parameters are refused (400 QueryParameterException); a missing,
unknown or expired token gets 401 SecurityException (RFC 7807 bodies).

Clients come from --client ID:SECRET (repeatable) and $` + envEPCISClients + `
("ID:SECRET,ID:SECRET"); every client may read the whole history. With
--tls-cert and --tls-key it serves HTTPS itself; without, plain HTTP for a
TLS-terminating proxy. It prints "listening on URL" and runs until
interrupted.`,
		flags: func(fs *flag.FlagSet) func(context.Context, *env) error {
			f := &epcisServeFlags{}
			f.storedNetworkFlags = declareStoredNetworkFlags(fs)
			f.addr = fs.String("addr", "127.0.0.1:8090", "listen `ADDRESS` (host:port; port 0 picks a free port)")
			fs.Func("client", "OAuth2 client `ID:SECRET` (repeatable)", func(v string) error { f.clients = append(f.clients, v); return nil })
			f.certFile = fs.String("tls-cert", "", "TLS certificate `FILE` (PEM); serve HTTPS with --tls-key")
			f.keyFile = fs.String("tls-key", "", "TLS private key `FILE` (PEM)")
			f.ttl = fs.Duration("token-ttl", time.Hour, "access token lifetime `DURATION`")
			return f.run
		},
	})
}

// epcisServeFlags are the flags of sillage epcis-serve.
type epcisServeFlags struct {
	storedNetworkFlags
	addr     *string
	clients  []string
	certFile *string
	keyFile  *string
	ttl      *time.Duration
}

// run runs the command with the parsed flags.
func (f *epcisServeFlags) run(ctx context.Context, e *env) error {
	if *f.ttl <= 0 {
		return usageErrorf("--token-ttl must be positive")
	}
	if (*f.certFile == "") != (*f.keyFile == "") {
		return usageErrorf("--tls-cert and --tls-key go together")
	}
	if env := os.Getenv(envEPCISClients); env != "" {
		f.clients = append(f.clients, strings.Split(env, ",")...)
	}
	creds := map[string]string{}
	for i, c := range f.clients {
		id, secret, ok := strings.Cut(strings.TrimSpace(c), ":")
		if !ok || id == "" || secret == "" {
			// Not quoted: a malformed entry may hold a secret.
			return usageErrorf("client %d of %d (--client, then $%s) is not ID:SECRET", i+1, len(f.clients), envEPCISClients)
		}
		creds[id] = secret
	}
	if len(creds) == 0 {
		return usageErrorf("no client: give --client ID:SECRET or set $%s", envEPCISClients)
	}
	if *f.certFile != "" {
		if _, err := tls.LoadX509KeyPair(*f.certFile, *f.keyFile); err != nil {
			return fmt.Errorf("epcis-serve: --tls-cert %s, --tls-key %s: %w", *f.certFile, *f.keyFile, err)
		}
	}
	st, name, err := f.openNetwork(ctx)
	if err != nil {
		return err
	}
	defer st.Close()
	srv := &epcisquery.Server{Network: name, Store: st, Clients: creds, TokenTTL: *f.ttl}
	ln, self, err := listenHTTP(*f.addr, *f.certFile, "epcis-serve")
	if err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "listening on %s (network %s, %d clients)\n", self, name, len(creds))
	return serveHTTP(ctx, ln, srv, *f.certFile, *f.keyFile, "epcis-serve", nil)
}
