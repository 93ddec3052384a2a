package main

import (
	"context"
	"crypto/tls"
	"fmt"
	"net/url"
	"strings"
	"time"

	"github.com/sillage/sillage/carbon/pact"
	"github.com/sillage/sillage/store"
)

// multiFlag collects the values of a repeatable flag.
type multiFlag []string

func (m *multiFlag) String() string     { return strings.Join(*m, ",") }
func (m *multiFlag) Set(v string) error { *m = append(*m, v); return nil }

// pactServeClients is the parsed configuration of pact-serve's clients.
type pactServeClients struct {
	clients     map[string]string
	shares      map[string][]string
	callbacks   map[string]pact.Credentials
	subscribers map[string]string
}

// pactServeConfig parses --client (and the environment's list), --share,
// --callback and --subscriber; each names a client given by --client.
func pactServeConfig(clients []string, envClients string, shares, callbacks, subscribers []string) (pactServeClients, error) {
	cfg := pactServeClients{clients: map[string]string{}, shares: map[string][]string{},
		callbacks: map[string]pact.Credentials{}, subscribers: map[string]string{}}
	all := append([]string(nil), clients...)
	if envClients != "" {
		all = append(all, strings.Split(envClients, ",")...)
	}
	for i, c := range all {
		id, secret, ok := strings.Cut(strings.TrimSpace(c), ":")
		if !ok || id == "" || secret == "" {
			// Not quoted: a malformed entry may hold a secret.
			return cfg, usageErrorf("client %d of %d (--client, then $%s) is not ID:SECRET", i+1, len(all), envPACTClients)
		}
		cfg.clients[id] = secret
	}
	if len(cfg.clients) == 0 {
		return cfg, usageErrorf("no client: give --client ID:SECRET or set $%s", envPACTClients)
	}
	// known splits CLIENT=VALUE; its errors name the client only, since
	// the value of --callback holds a secret.
	known := func(flag, v string) (string, string, error) {
		c, rest, ok := strings.Cut(v, "=")
		if !ok || rest == "" {
			return "", "", usageErrorf("a --%s value is not CLIENT=VALUE", flag)
		}
		if _, ok := cfg.clients[c]; !ok {
			return "", "", usageErrorf("--%s for client %q: unknown client (give it with --client)", flag, c)
		}
		return c, rest, nil
	}
	for _, v := range shares {
		c, rest, err := known("share", v)
		if err != nil {
			return cfg, err
		}
		for _, p := range strings.Split(rest, ",") {
			if p = strings.TrimSpace(p); p != "" {
				cfg.shares[c] = append(cfg.shares[c], p)
			}
		}
	}
	for _, v := range callbacks {
		c, rest, err := known("callback", v)
		if err != nil {
			return cfg, err
		}
		id, secret, ok := strings.Cut(rest, ":")
		if !ok || id == "" || secret == "" {
			return cfg, usageErrorf("--callback for client %q: credentials are not ID:SECRET", c)
		}
		cfg.callbacks[c] = pact.Credentials{ID: id, Secret: secret}
	}
	for _, v := range subscribers {
		c, rest, err := known("subscriber", v)
		if err != nil {
			return cfg, err
		}
		u, err := url.Parse(rest)
		if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
			return cfg, usageErrorf("--subscriber %q: %q is not an http(s) URL", v, rest)
		}
		cfg.subscribers[c] = strings.TrimRight(rest, "/")
	}
	return cfg, nil
}

// checkKeyPair loads the certificate and key once, so that a bad file is
// reported before the server starts.
func checkKeyPair(cert, key string) error {
	if _, err := tls.LoadX509KeyPair(cert, key); err != nil {
		return fmt.Errorf("pact-serve: --tls-cert %s, --tls-key %s: %w", cert, key, err)
	}
	return nil
}

// publishDir stores the footprints of dir as versions (pact.Publish) and
// returns the ids of the new ones; an empty dir does nothing.
func publishDir(ctx context.Context, st *store.Store, dir string, now time.Time) ([]string, error) {
	if dir == "" {
		return nil, nil
	}
	pfs, err := pact.ReadDir(dir)
	if err != nil {
		return nil, fmt.Errorf("pact-serve: %w", err)
	}
	var ids []string
	for _, pf := range pfs {
		got, isNew, err := pact.Publish(ctx, st, pf, now)
		if err != nil {
			return nil, fmt.Errorf("pact-serve: %w", err)
		}
		if isNew {
			ids = append(ids, got.ID)
		}
	}
	return ids, nil
}
