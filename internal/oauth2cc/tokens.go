package oauth2cc

import (
	"encoding/json"
	"fmt"
	"net/http"
	"sync"
	"time"
)

// DefaultTTL is the lifetime of an access token that Grant issues when
// the server sets none.
const DefaultTTL = time.Hour

// readGrant reads a token request of the client credentials grant: a
// form with grant_type=client_credentials, the client authenticated by
// HTTP Basic against clients (Authenticate). It returns the client id; on
// a malformed form, another grant type or a failed authentication it
// answers the request with the OAuth2 error (WriteError in realm) and
// returns ok false.
func readGrant(w http.ResponseWriter, r *http.Request, realm string, clients map[string]string) (client string, ok bool) {
	if err := r.ParseForm(); err != nil {
		WriteError(w, realm, http.StatusBadRequest, "invalid_request", "the body must be application/x-www-form-urlencoded")
		return "", false
	}
	if gt := r.PostForm.Get("grant_type"); gt != "client_credentials" {
		WriteError(w, realm, http.StatusBadRequest, "unsupported_grant_type", fmt.Sprintf("grant_type %q is not supported; use client_credentials", gt))
		return "", false
	}
	id, desc, ok := Authenticate(r, clients)
	if !ok {
		WriteError(w, realm, http.StatusUnauthorized, "invalid_client", desc)
		return "", false
	}
	return id, true
}

// Grant answers a token request of the client credentials grant whole:
// it reads the request (readGrant, which answers a bad one), issues a
// token to the client valid from now for ttl (DefaultTTL when ttl <= 0)
// and answers 200 with the access token response (RFC 6749 §5.1):
// access_token, token_type "bearer", expires_in in seconds and, when not
// empty, scope, not to be cached. A token that cannot be created is
// answered as a server_error (500). It reports whether a token was
// issued.
func (t *Tokens) Grant(w http.ResponseWriter, r *http.Request, realm string, clients map[string]string, now time.Time, ttl time.Duration, scope string) bool {
	id, ok := readGrant(w, r, realm, clients)
	if !ok {
		return false
	}
	if ttl <= 0 {
		ttl = DefaultTTL
	}
	tok, err := t.Issue(id, now, ttl)
	if err != nil {
		WriteError(w, realm, http.StatusInternalServerError, "server_error", "cannot create a token")
		return false
	}
	body := map[string]any{"access_token": tok, "token_type": "bearer", "expires_in": int(ttl / time.Second)}
	if scope != "" {
		body["scope"] = scope
	}
	w.Header().Set("Cache-Control", "no-store")
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(http.StatusOK)
	// A failed write means the client went away; there is no one to tell.
	_ = json.NewEncoder(w).Encode(body)
	return true
}

// Tokens is a server's table of issued bearer tokens: the client each was
// issued to and when it expires. The zero value is an empty table; it is
// safe for concurrent use.
type Tokens struct {
	mu     sync.Mutex
	issued map[string]issued // token -> grant
}

type issued struct {
	client  string
	expires time.Time
}

// Issue creates a random token (NewToken) for client, valid until
// now + ttl, and drops the tokens that have expired by now, so that the
// table holds only live tokens. O(tokens).
func (t *Tokens) Issue(client string, now time.Time, ttl time.Duration) (string, error) {
	tok, err := NewToken()
	if err != nil {
		return "", err
	}
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.issued == nil {
		t.issued = map[string]issued{}
	}
	for k, g := range t.issued {
		if !now.Before(g.expires) {
			delete(t.issued, k)
		}
	}
	t.issued[tok] = issued{client: client, expires: now.Add(ttl)}
	return tok, nil
}

// Lookup returns the client tok was issued to and when it expires; ok is
// false for a token never issued or dropped since it expired. Whether it
// has expired is the caller's to decide, since servers answer an expired
// token differently from an unknown one.
func (t *Tokens) Lookup(tok string) (client string, expires time.Time, ok bool) {
	t.mu.Lock()
	defer t.mu.Unlock()
	g, ok := t.issued[tok]
	return g.client, g.expires, ok
}
