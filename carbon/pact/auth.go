package pact

import (
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"time"
)

// token implements the OAuth2 client credentials grant (RFC 6749 §4.4)
// with client authentication by HTTP Basic (§2.3.1).
func (s *Server) token(w http.ResponseWriter, r *http.Request) {
	oauthError := func(status int, code, desc string) {
		if status == http.StatusUnauthorized {
			w.Header().Set("WWW-Authenticate", `Basic realm="pact"`)
		}
		w.Header().Set("Cache-Control", "no-store")
		writeJSON(w, status, map[string]string{"error": code, "error_description": desc})
	}
	if err := r.ParseForm(); err != nil {
		oauthError(http.StatusBadRequest, "invalid_request", "the body must be application/x-www-form-urlencoded")
		return
	}
	if gt := r.PostForm.Get("grant_type"); gt != "client_credentials" {
		oauthError(http.StatusBadRequest, "unsupported_grant_type", fmt.Sprintf("grant_type %q is not supported; use client_credentials", gt))
		return
	}
	id, secret, ok := r.BasicAuth()
	if ok { // RFC 6749 §2.3.1: both are form-urlencoded before Basic encoding
		var err1, err2 error
		id, err1 = url.QueryUnescape(id)
		secret, err2 = url.QueryUnescape(secret)
		ok = err1 == nil && err2 == nil
	}
	if !ok {
		oauthError(http.StatusUnauthorized, "invalid_client", "client authentication by HTTP Basic is required")
		return
	}
	want, known := s.Clients[id]
	// Compare even for unknown clients so that timing does not tell them apart.
	match := subtle.ConstantTimeCompare([]byte(secret), []byte(want)) == 1
	if !known || !match {
		oauthError(http.StatusUnauthorized, "invalid_client", "unknown client or wrong secret")
		return
	}
	var b [32]byte
	if _, err := rand.Read(b[:]); err != nil {
		writeError(w, http.StatusInternalServerError, CodeInternalError, "cannot create a token")
		return
	}
	tok := hex.EncodeToString(b[:])
	ttl := s.TokenTTL
	if ttl <= 0 {
		ttl = time.Hour
	}
	s.mu.Lock()
	if s.tokens == nil {
		s.tokens = map[string]token{}
	}
	now := s.now()
	for k, t := range s.tokens { // drop expired tokens
		if !now.Before(t.expires) {
			delete(s.tokens, k)
		}
	}
	s.tokens[tok] = token{client: id, expires: now.Add(ttl)}
	s.mu.Unlock()
	w.Header().Set("Cache-Control", "no-store")
	writeJSON(w, http.StatusOK, map[string]any{
		"access_token": tok,
		"token_type":   "bearer",
		"expires_in":   int(ttl / time.Second),
		"scope":        "footprint:list footprint:read",
	})
}

// authorized checks the bearer token and returns its client: 400
// BadRequest when it is missing, malformed or unknown, 401 TokenExpired
// when it has expired.
func (s *Server) authorized(w http.ResponseWriter, r *http.Request) (string, bool) {
	h := r.Header.Get("Authorization")
	const prefix = "bearer "
	if len(h) <= len(prefix) || !strings.EqualFold(h[:len(prefix)], prefix) {
		writeError(w, http.StatusBadRequest, CodeBadRequest, "a bearer token from POST /auth/token is required")
		return "", false
	}
	tok := strings.TrimSpace(h[len(prefix):])
	s.mu.Lock()
	t, ok := s.tokens[tok]
	s.mu.Unlock()
	if !ok {
		writeError(w, http.StatusBadRequest, CodeBadRequest, "invalid access token")
		return "", false
	}
	if !s.now().Before(t.expires) {
		writeError(w, http.StatusUnauthorized, CodeTokenExpired, "the access token has expired; request a new one")
		return "", false
	}
	return t.client, true
}

// BasicAuth returns the value of an Authorization header for HTTP Basic
// with the given client id and secret, for clients of the token endpoint.
func BasicAuth(id, secret string) string {
	return "Basic " + base64.StdEncoding.EncodeToString([]byte(url.QueryEscape(id)+":"+url.QueryEscape(secret)))
}
