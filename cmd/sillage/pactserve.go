package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"strings"
	"time"

	"github.com/sillage/sillage/carbon/pact"
)

// envPACTClients names the environment variable with the OAuth2 clients of
// pact-serve, "ID:SECRET,ID:SECRET".
const envPACTClients = "SILLAGE_PACT_CLIENTS"

func init() {
	register(&command{
		name:   "pact-serve",
		noArgs: true,
		short:  "serve PACT v2.3 product footprints over the PACT REST API",
		usage:  "pact-serve [--db URL] [--publish DIR] [--client ID:SECRET ...] [--share CLIENT=PRODUCT_ID ...] [--tls-cert FILE --tls-key FILE] [--addr HOST:PORT]",
		long: `Pact-serve serves the PACT v2.3 ProductFootprints of the database --db
(default $` + envDB + `) over the PACT REST API (Technical Specifications v2.3):

  POST /auth/token          OAuth2 client credentials grant; the client id and
                            secret by HTTP Basic; returns a bearer token
                            (expires after --token-ttl)
  GET  /2/footprints        the footprints shared with the client, every
                            version; ?limit=N pages (the Link header,
                            rel="next", points at the next page); $filter in
                            the PACT OData subset (eq lt le gt ge, and,
                            companyIds/any, productIds/any)
  GET  /2/footprints/{id}   one footprint
  POST /2/events            CloudEvents: a RequestCreated event is answered
                            asynchronously with a Fulfilled or Rejected event,
                            posted to {source}/2/events with a token from the
                            requester's token endpoint (its
                            .well-known/openid-configuration, else
                            {source}/auth/token) got with --callback
                            credentials; Published events are accepted and
                            logged

Errors have the spec's bodies {"code","message"}: 400 BadRequest (also for a
missing or unknown token), 401 TokenExpired, 403 AccessDenied (a footprint
not shared with the client), 404 NoSuchFootprint, 400 NotImplemented, 500
InternalError; a bad client id or secret gets the OAuth2 error 401
invalid_client.

--publish DIR stores the ProductFootprint files of DIR (written by "sillage
footprint --pact DIR" or "sillage report") before serving: a footprint whose
content changed becomes the next version of its product and period (new id,
version + 1, precedingPfIds; the previous version is kept, Deprecated), and
the subscribers (--subscriber) with whom it is shared get a Published event.

Clients come from --client ID:SECRET (repeatable) and $` + envPACTClients + `
("ID:SECRET,ID:SECRET"). A client sees only the footprints shared with it:
--share CLIENT=URN[,URN] shares the footprints carrying one of these product
ids, --share CLIENT='*' shares every footprint; shares are stored in --db.

With --tls-cert and --tls-key it serves HTTPS itself (PACT requires HTTPS);
without, plain HTTP, to be put behind a TLS-terminating proxy, whose
Forwarded or X-Forwarded-Proto/-Host headers make the Link header and event
sources carry the public https URL. It prints "listening on URL" and runs
until interrupted, then waits for the event answers under way.`,
		flags: func(fs *flag.FlagSet) func(context.Context, *env) error {
			f := &pactServeFlags{
				db:       dbFlag(fs),
				publish:  fs.String("publish", "", "store the ProductFootprint JSON files of `DIR` as new versions first"),
				addr:     fs.String("addr", "127.0.0.1:8080", "listen `ADDRESS` (host:port; port 0 picks a free port)"),
				certFile: fs.String("tls-cert", "", "TLS certificate `FILE` (PEM); serve HTTPS with --tls-key"),
				keyFile:  fs.String("tls-key", "", "TLS private key `FILE` (PEM)"),
				ttl:      fs.Duration("token-ttl", time.Hour, "access token lifetime `DURATION`"),
				limit:    fs.Int("limit", 100, "default page `SIZE` of GET /2/footprints"),
			}
			fs.Var(&f.clients, "client", "OAuth2 client `ID:SECRET` (repeatable)")
			fs.Var(&f.shares, "share", "share footprints with a client: `CLIENT=PRODUCT_ID[,PRODUCT_ID]` or CLIENT=* (repeatable, stored)")
			fs.Var(&f.callbacks, "callback", "credentials at a client's token endpoint for events sent to it: `CLIENT=ID:SECRET` (repeatable)")
			fs.Var(&f.subscribers, "subscriber", "send Published events to a client's PACT API: `CLIENT=URL` (repeatable)")
			return f.run
		},
	})
}

// pactServeFlags are the flags of sillage pact-serve.
type pactServeFlags struct {
	db, publish, addr                       *string
	clients, shares, callbacks, subscribers multiFlag
	certFile, keyFile                       *string
	ttl                                     *time.Duration
	limit                                   *int
}

// run runs sillage pact-serve with the parsed flags.
func (fl *pactServeFlags) run(ctx context.Context, e *env) error {
	if *fl.ttl <= 0 || *fl.limit <= 0 {
		return usageErrorf("--token-ttl and --limit must be positive")
	}
	if (*fl.certFile == "") != (*fl.keyFile == "") {
		return usageErrorf("--tls-cert and --tls-key go together")
	}
	cfg, err := pactServeConfig(fl.clients, os.Getenv(envPACTClients), fl.shares, fl.callbacks, fl.subscribers)
	if err != nil {
		return err
	}
	st, err := openStore(ctx, *fl.db)
	if err != nil {
		return err
	}
	defer st.Close()
	for c, ids := range cfg.shares {
		if err := st.SharePACT(ctx, c, ids); err != nil {
			return fmt.Errorf("pact-serve: %w", err)
		}
	}
	srv := &pact.Server{Clients: cfg.clients, Store: st, Callbacks: cfg.callbacks, Subscribers: cfg.subscribers,
		TokenTTL: *fl.ttl, DefaultLimit: *fl.limit,
		Logf: func(f string, a ...any) { fmt.Fprintf(e.stderr, f+"\n", a...) },
		OnPublished: func(client, source string, ids []string) {
			fmt.Fprintf(e.stderr, "pact-serve: %s (%s) published %s\n", client, source, strings.Join(ids, ", "))
		}}
	if *fl.certFile != "" {
		if err := checkKeyPair(*fl.certFile, *fl.keyFile); err != nil {
			return err
		}
	}
	ln, self, err := listenHTTP(*fl.addr, *fl.certFile, "pact-serve")
	if err != nil {
		return err
	}
	published, err := publishDir(ctx, st, *fl.publish, time.Now())
	if err != nil {
		ln.Close()
		return err
	}
	all, err := st.ListPACTFootprints(ctx)
	if err != nil {
		ln.Close()
		return fmt.Errorf("pact-serve: %w", err)
	}
	if len(published) > 0 {
		if err := srv.Notify(ctx, self, published); err != nil {
			fmt.Fprintf(e.stderr, "pact-serve: %v\n", err)
		}
	}
	fmt.Fprintf(e.stdout, "listening on %s (%d footprints, %d new, %d clients)\n", self, len(all), len(published), len(cfg.clients))
	return serveHTTP(ctx, ln, srv, *fl.certFile, *fl.keyFile, "pact-serve", srv.Wait)
}
