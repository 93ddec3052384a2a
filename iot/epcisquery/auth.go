package epcisquery

import (
	"net/http"
	"sync"
	"time"

	"github.com/sillage/sillage/internal/oauth2cc"
)

// tokens issues and checks the bearer tokens of the client credentials
// grant, as pact-serve does (carbon/pact/auth.go).
type tokens struct {
	mu      sync.Mutex
	expires map[string]time.Time // token -> expiry
}

// issue answers POST /auth/token: HTTP Basic client authentication, a
// form with grant_type=client_credentials, a random 256-bit token valid
// for ttl.
func (s *Server) issue(w http.ResponseWriter, r *http.Request) {
	oauthError := func(status int, code, desc string) {
		oauth2cc.WriteError(w, "epcis", status, code, desc)
	}
	if err := r.ParseForm(); err != nil {
		oauthError(http.StatusBadRequest, "invalid_request", "the body must be application/x-www-form-urlencoded")
		return
	}
	if gt := r.PostForm.Get("grant_type"); gt != "client_credentials" {
		oauthError(http.StatusBadRequest, "unsupported_grant_type", "grant_type must be client_credentials")
		return
	}
	_, desc, ok := oauth2cc.Authenticate(r, s.Clients)
	if !ok {
		oauthError(http.StatusUnauthorized, "invalid_client", desc)
		return
	}
	tok, err := oauth2cc.NewToken()
	if err != nil {
		s.problem(w, http.StatusInternalServerError, "ImplementationException", "cannot create a token")
		return
	}
	ttl := s.TokenTTL
	if ttl <= 0 {
		ttl = time.Hour
	}
	now := s.now()
	s.tokens.mu.Lock()
	if s.tokens.expires == nil {
		s.tokens.expires = map[string]time.Time{}
	}
	for k, exp := range s.tokens.expires { // drop expired tokens
		if !now.Before(exp) {
			delete(s.tokens.expires, k)
		}
	}
	s.tokens.expires[tok] = now.Add(ttl)
	s.tokens.mu.Unlock()
	w.Header().Set("Cache-Control", "no-store")
	writeJSON(w, http.StatusOK, map[string]any{"access_token": tok, "token_type": "bearer", "expires_in": int(ttl / time.Second)})
}

// authorized checks the request's bearer token and answers 401 when it
// is missing, unknown or expired.
func (s *Server) authorized(w http.ResponseWriter, r *http.Request) bool {
	tok, ok := oauth2cc.Bearer(r)
	if !ok {
		w.Header().Set("WWW-Authenticate", `Bearer realm="epcis"`)
		s.problem(w, http.StatusUnauthorized, "SecurityException", "a bearer token from POST /auth/token is required")
		return false
	}
	s.tokens.mu.Lock()
	exp, ok := s.tokens.expires[tok]
	s.tokens.mu.Unlock()
	switch {
	case !ok:
		s.problem(w, http.StatusUnauthorized, "SecurityException", "unknown access token")
		return false
	case !s.now().Before(exp):
		s.problem(w, http.StatusUnauthorized, "SecurityException", "the access token has expired; request a new one")
		return false
	}
	return true
}
