package epcisquery

import (
	"net/http"

	"github.com/sillage/sillage/internal/oauth2cc"
)

// issue answers POST /auth/token: HTTP Basic client authentication, a
// form with grant_type=client_credentials, a random 256-bit token valid
// for TokenTTL (oauth2cc.Tokens.Grant, as pact-serve does).
func (s *Server) issue(w http.ResponseWriter, r *http.Request) {
	s.tokens.Grant(w, r, "epcis", s.Clients, s.now(), s.TokenTTL, "")
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
	_, exp, ok := s.tokens.Lookup(tok)
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
