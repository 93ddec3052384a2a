package oauth2cc

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"
)

// TestFetchToken runs FetchToken against a token endpoint built from
// Authenticate and NewToken: a known client with a secret that needs
// form-urlencoding gets the token the endpoint issued; a wrong secret and
// an answer without a token are errors.
func TestFetchToken(t *testing.T) {
	clients := map[string]string{"audit:or": "p w&d%"}
	var issued string
	mux := http.NewServeMux()
	mux.HandleFunc("POST /token", func(w http.ResponseWriter, r *http.Request) {
		if _, ok := readGrant(w, r, "test", clients); !ok {
			return
		}
		issued, _ = NewToken()
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write([]byte(`{"access_token":"` + issued + `","token_type":"bearer"}`))
	})
	mux.HandleFunc("POST /empty", func(w http.ResponseWriter, r *http.Request) {
		_, _ = w.Write([]byte(`{"token_type":"bearer"}`))
	})
	srv := httptest.NewServer(mux)
	defer srv.Close()
	ctx := context.Background()

	tok, err := FetchToken(ctx, srv.Client(), srv.URL+"/token", "audit:or", "p w&d%")
	if err != nil || tok == "" || tok != issued {
		t.Fatalf("FetchToken = %q, %v; want the issued token %q", tok, err, issued)
	}
	if _, err := FetchToken(ctx, srv.Client(), srv.URL+"/token", "audit:or", "wrong"); err == nil || !strings.Contains(err.Error(), "401") {
		t.Errorf("wrong secret: %v, want an error with 401", err)
	}
	if _, err := FetchToken(ctx, srv.Client(), srv.URL+"/empty", "audit:or", "p w&d%"); err == nil || !strings.Contains(err.Error(), "no access_token") {
		t.Errorf("answer without a token: %v, want no access_token", err)
	}
}

// TestReadGrant: each way a token request can be wrong gets its OAuth2
// error (RFC 6749 §5.2) with its status, code and challenge; a good one
// gives the client id and writes nothing.
func TestReadGrant(t *testing.T) {
	clients := map[string]string{"audit": "s3cret"}
	cases := []struct {
		name, body, id, secret string
		basic                  bool
		wantStatus             int // 0: accepted
		wantCode, wantDesc     string
	}{
		{name: "accepted", body: "grant_type=client_credentials", id: "audit", secret: "s3cret", basic: true},
		{name: "malformed form", body: "grant_type=%zz", id: "audit", secret: "s3cret", basic: true,
			wantStatus: 400, wantCode: "invalid_request", wantDesc: "application/x-www-form-urlencoded"},
		{name: "other grant", body: "grant_type=password", id: "audit", secret: "s3cret", basic: true,
			wantStatus: 400, wantCode: "unsupported_grant_type", wantDesc: `grant_type "password" is not supported`},
		{name: "no grant", body: "", id: "audit", secret: "s3cret", basic: true,
			wantStatus: 400, wantCode: "unsupported_grant_type", wantDesc: `grant_type "" is not supported`},
		{name: "no basic", body: "grant_type=client_credentials",
			wantStatus: 401, wantCode: "invalid_client", wantDesc: "HTTP Basic is required"},
		{name: "wrong secret", body: "grant_type=client_credentials", id: "audit", secret: "guess", basic: true,
			wantStatus: 401, wantCode: "invalid_client", wantDesc: "unknown client or wrong secret"},
		{name: "unknown client", body: "grant_type=client_credentials", id: "nobody", secret: "s3cret", basic: true,
			wantStatus: 401, wantCode: "invalid_client", wantDesc: "unknown client or wrong secret"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			r := httptest.NewRequest(http.MethodPost, "/auth/token", strings.NewReader(c.body))
			r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			if c.basic {
				r.SetBasicAuth(c.id, c.secret)
			}
			w := httptest.NewRecorder()
			id, ok := readGrant(w, r, "test", clients)
			if c.wantStatus == 0 {
				if !ok || id != c.id || w.Body.Len() != 0 {
					t.Fatalf("readGrant = %q, %v, wrote %q; want %q, true, nothing", id, ok, w.Body.String(), c.id)
				}
				return
			}
			if ok || id != "" {
				t.Fatalf("readGrant = %q, %v; want a refusal", id, ok)
			}
			var body map[string]string // RFC 6749 §5.2
			if err := json.Unmarshal(w.Body.Bytes(), &body); err != nil {
				t.Fatalf("body %q: %v", w.Body.String(), err)
			}
			code, desc := body["error"], body["error_description"]
			if w.Code != c.wantStatus || code != c.wantCode || !strings.Contains(desc, c.wantDesc) {
				t.Errorf("got %d %q %q, want %d %q containing %q", w.Code, code, desc, c.wantStatus, c.wantCode, c.wantDesc)
			}
			challenge := w.Header().Get("WWW-Authenticate")
			if (c.wantStatus == 401) != (challenge == `Basic realm="test"`) {
				t.Errorf("status %d with challenge %q", w.Code, challenge)
			}
		})
	}
}

// TestTokens: an issued token looks up to its client and expiry, distinct
// tokens for each grant, unknown ones do not look up, and issuing drops
// the tokens expired by then but keeps the live ones.
func TestTokens(t *testing.T) {
	var tt Tokens
	if _, _, ok := tt.Lookup("never"); ok {
		t.Fatal("a token of an empty table looks up")
	}
	t0 := time.Date(2026, 12, 4, 9, 0, 0, 0, time.UTC)
	short, err := tt.Issue("a", t0, time.Minute)
	if err != nil {
		t.Fatal(err)
	}
	long, err := tt.Issue("b", t0, time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	if short == long || len(short) != 64 {
		t.Fatalf("tokens %q and %q: want two distinct 64-hex-digit tokens", short, long)
	}
	if c, exp, ok := tt.Lookup(short); !ok || c != "a" || !exp.Equal(t0.Add(time.Minute)) {
		t.Errorf("Lookup(short) = %q, %v, %v", c, exp, ok)
	}
	// One minute on, short has expired (expiry is exclusive): the next
	// grant drops it and keeps long.
	if _, err := tt.Issue("c", t0.Add(time.Minute), time.Hour); err != nil {
		t.Fatal(err)
	}
	if _, _, ok := tt.Lookup(short); ok {
		t.Error("the expired token is still in the table after the next grant")
	}
	if c, exp, ok := tt.Lookup(long); !ok || c != "b" || !exp.Equal(t0.Add(time.Hour)) {
		t.Errorf("Lookup(long) = %q, %v, %v; want b, expiring at %v", c, exp, ok, t0.Add(time.Hour))
	}
}

// TestGrant: a good request gets the access token response (RFC 6749
// §5.1) with the token the table then looks up to the client, expiring
// ttl after now (an hour for ttl 0), the scope only when one is given,
// and no caching; a bad one gets readGrant's error and issues nothing.
func TestGrant(t *testing.T) {
	clients := map[string]string{"audit": "s3cret"}
	now := time.Date(2026, 12, 5, 8, 0, 0, 0, time.UTC)
	cases := []struct {
		name          string
		secret        string
		ttl           time.Duration
		scope         string
		wantStatus    int
		wantExpiresIn int // seconds
	}{
		{name: "ttl and scope", secret: "s3cret", ttl: 90 * time.Second, scope: "footprint:list", wantStatus: 200, wantExpiresIn: 90},
		{name: "default ttl, no scope", secret: "s3cret", wantStatus: 200, wantExpiresIn: 3600},
		{name: "wrong secret", secret: "guess", ttl: time.Minute, wantStatus: 401},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			var tt Tokens
			r := httptest.NewRequest(http.MethodPost, "/auth/token", strings.NewReader("grant_type=client_credentials"))
			r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			r.SetBasicAuth("audit", c.secret)
			w := httptest.NewRecorder()
			ok := tt.Grant(w, r, "test", clients, now, c.ttl, c.scope)
			var body map[string]any
			if err := json.Unmarshal(w.Body.Bytes(), &body); err != nil {
				t.Fatalf("body %q: %v", w.Body.String(), err)
			}
			if w.Code != c.wantStatus || ok != (c.wantStatus == 200) {
				t.Fatalf("Grant = %v, status %d, body %v; want status %d", ok, w.Code, body, c.wantStatus)
			}
			if w.Header().Get("Cache-Control") != "no-store" || w.Header().Get("Content-Type") != "application/json" {
				t.Errorf("headers %v: want no-store and application/json", w.Header())
			}
			if !ok {
				if len(tt.issued) != 0 {
					t.Errorf("a refused grant left %d tokens in the table", len(tt.issued))
				}
				return
			}
			tok, _ := body["access_token"].(string)
			client, exp, found := tt.Lookup(tok)
			wantExp := now.Add(time.Duration(c.wantExpiresIn) * time.Second)
			if !found || client != "audit" || !exp.Equal(wantExp) {
				t.Errorf("Lookup(%q) = %q, %v, %v; want audit, %v", tok, client, exp, found, wantExp)
			}
			if body["token_type"] != "bearer" || body["expires_in"] != float64(c.wantExpiresIn) {
				t.Errorf("body %v: want token_type bearer, expires_in %d", body, c.wantExpiresIn)
			}
			if scope, has := body["scope"]; has != (c.scope != "") || (has && scope != c.scope) {
				t.Errorf("body %v: want scope %q (absent when empty)", body, c.scope)
			}
		})
	}
}
