package pact

import (
	"encoding/base64"
	"fmt"
	"net/http"
	"net/url"
	"time"

	"github.com/sillage/sillage/internal/oauth2cc"
)

// token implements the OAuth2 client credentials grant (RFC 6749 §4.4)
// with client authentication by HTTP Basic (§2.3.1).
func (s *Server) token(w http.ResponseWriter, r *http.Request) {
	oauthError := func(status int, code, desc string) {
		oauth2cc.WriteError(w, "pact", status, code, desc)
	}
	if err := r.ParseForm(); err != nil {
		oauthError(http.StatusBadRequest, "invalid_request", "the body must be application/x-www-form-urlencoded")
		return
	}
	if gt := r.PostForm.Get("grant_type"); gt != "client_credentials" {
		oauthError(http.StatusBadRequest, "unsupported_grant_type", fmt.Sprintf("grant_type %q is not supported; use client_credentials", gt))
		return
	}
	id, desc, ok := oauth2cc.Authenticate(r, s.Clients)
	if !ok {
		oauthError(http.StatusUnauthorized, "invalid_client", desc)
		return
	}
	tok, err := oauth2cc.NewToken()
	if err != nil {
		writeError(w, http.StatusInternalServerError, CodeInternalError, "cannot create a token")
		return
	}
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
	tok, ok := oauth2cc.Bearer(r)
	if !ok {
		writeError(w, http.StatusBadRequest, CodeBadRequest, "a bearer token from POST /auth/token is required")
		return "", false
	}
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
