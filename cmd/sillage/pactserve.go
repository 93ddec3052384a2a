package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"github.com/sillage/sillage/carbon/pact"
)

// envPACTClients names the environment variable with the OAuth2 clients of
// pact-serve, "ID:SECRET,ID:SECRET".
const envPACTClients = "SILLAGE_PACT_CLIENTS"

func init() {
	register(&command{
		name:  "pact-serve",
		short: "serve PACT v2.3 product footprints over the PACT REST API",
		usage: "pact-serve --dir DIR [--addr HOST:PORT] [--client ID:SECRET ...]",
		long: `Pact-serve serves the PACT v2.3 ProductFootprint files of --dir (written by
"sillage footprint --pact DIR" or "sillage report", in pact/) over the PACT
REST API (Technical Specifications v2):

  POST /auth/token          OAuth2 client credentials grant; the client id and
                            secret by HTTP Basic; returns a bearer token
                            (expires after --token-ttl)
  GET  /2/footprints        list, ?limit=N pages, the Link header (rel="next")
                            points at the next page
  GET  /2/footprints/{id}   one footprint

Errors have the spec's bodies {"code","message"}: 400 BadRequest, 401
TokenExpired, 403 AccessDenied (no or unknown token), 404 NotFound; a bad
client id or secret gets the OAuth2 error 401 invalid_client.

Clients come from --client ID:SECRET (repeatable) and $` + envPACTClients + `
("ID:SECRET,ID:SECRET"). It listens on 127.0.0.1:8080 by default; put it
behind a TLS-terminating proxy to expose it. It prints "listening on URL"
and runs until interrupted.`,
		flags: func(fs *flag.FlagSet) func(context.Context, *env) error {
			dir := fs.String("dir", "", "`DIR` of PACT ProductFootprint JSON files")
			addr := fs.String("addr", "127.0.0.1:8080", "listen `ADDRESS` (host:port; port 0 picks a free port)")
			var clients multiFlag
			fs.Var(&clients, "client", "OAuth2 client `ID:SECRET` (repeatable)")
			ttl := fs.Duration("token-ttl", time.Hour, "access token lifetime `DURATION`")
			limit := fs.Int("limit", 100, "default page `SIZE` of GET /2/footprints")
			return func(ctx context.Context, e *env) error {
				if *dir == "" {
					return usageErrorf("--dir is required")
				}
				if len(e.args) > 0 {
					return usageErrorf("unexpected argument %q", e.args[0])
				}
				if *ttl <= 0 || *limit <= 0 {
					return usageErrorf("--token-ttl and --limit must be positive")
				}
				all := append([]string(nil), clients...)
				if v := os.Getenv(envPACTClients); v != "" {
					all = append(all, strings.Split(v, ",")...)
				}
				cm := map[string]string{}
				for i, c := range all {
					id, secret, ok := strings.Cut(strings.TrimSpace(c), ":")
					if !ok || id == "" || secret == "" {
						// Not quoted: a malformed entry may hold a secret.
						return usageErrorf("client %d of %d (--client, then $%s) is not ID:SECRET", i+1, len(all), envPACTClients)
					}
					cm[id] = secret
				}
				if len(cm) == 0 {
					return usageErrorf("no client: give --client ID:SECRET or set $%s", envPACTClients)
				}
				pfs, err := readPACTDir(*dir)
				if err != nil {
					return err
				}
				srv := &pact.Server{Clients: cm, TokenTTL: *ttl, DefaultLimit: *limit}
				srv.SetFootprints(pfs)
				ln, err := net.Listen("tcp", *addr)
				if err != nil {
					return fmt.Errorf("pact-serve: listen on %s: %w", *addr, err)
				}
				hs := &http.Server{Handler: srv, ReadHeaderTimeout: 10 * time.Second}
				fmt.Fprintf(e.stdout, "listening on http://%s (%d footprints, %d clients)\n", ln.Addr(), len(pfs), len(cm))
				done := make(chan error, 1)
				go func() { done <- hs.Serve(ln) }()
				select {
				case err := <-done:
					return fmt.Errorf("pact-serve: %w", err)
				case <-ctx.Done():
				}
				sctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
				defer cancel()
				if err := hs.Shutdown(sctx); err != nil {
					return fmt.Errorf("pact-serve: shut down: %w", err)
				}
				if err := <-done; err != nil && !errors.Is(err, http.ErrServerClosed) {
					return fmt.Errorf("pact-serve: %w", err)
				}
				return nil
			}
		},
	})
}

// multiFlag collects the values of a repeatable flag.
type multiFlag []string

func (m *multiFlag) String() string     { return strings.Join(*m, ",") }
func (m *multiFlag) Set(v string) error { *m = append(*m, v); return nil }

// readPACTDir reads every *.json file of dir (and of dir/pact) as a
// ProductFootprint, sorted by file name. Files that are not
// ProductFootprints are errors naming the file.
func readPACTDir(dir string) ([]pact.ProductFootprint, error) {
	var files []string
	for _, d := range []string{dir, filepath.Join(dir, "pact")} {
		m, err := filepath.Glob(filepath.Join(d, "*.json"))
		if err != nil {
			return nil, err
		}
		files = append(files, m...)
	}
	sort.Strings(files)
	if len(files) == 0 {
		return nil, fmt.Errorf("pact-serve: no *.json file in %s or %s", dir, filepath.Join(dir, "pact"))
	}
	var out []pact.ProductFootprint
	seen := map[string]string{}
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			return nil, fmt.Errorf("pact-serve: %w", err)
		}
		var pf pact.ProductFootprint
		if err := json.Unmarshal(data, &pf); err != nil {
			return nil, fmt.Errorf("pact-serve: %s: not a ProductFootprint: %w", f, err)
		}
		if pf.ID == "" || pf.SpecVersion == "" {
			return nil, fmt.Errorf("pact-serve: %s: not a ProductFootprint (no id or specVersion)", f)
		}
		if prev, dup := seen[pf.ID]; dup {
			return nil, fmt.Errorf("pact-serve: %s and %s have the same id %s", prev, f, pf.ID)
		}
		seen[pf.ID] = f
		out = append(out, pf)
	}
	return out, nil
}
