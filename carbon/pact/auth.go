package pact

import (
	"encoding/base64"
	"net/http"
	"net/url"

	"github.com/sillage/sillage/internal/oauth2cc"
)

// token implements the OAuth2 client credentials grant (RFC 6749 §4.4)
// with client authentication by HTTP Basic (§2.3.1), tokens valid for
// TokenTTL.
func (s *Server) token(w http.ResponseWriter, r *http.Request) {
	s.tokens.Grant(w, r, "pact", s.Clients, s.now(), s.TokenTTL, "footprint:list footprint:read")
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
	client, expires, ok := s.tokens.Lookup(tok)
	if !ok {
		writeError(w, http.StatusBadRequest, CodeBadRequest, "invalid access token")
		return "", false
	}
	if !s.now().Before(expires) {
		writeError(w, http.StatusUnauthorized, CodeTokenExpired, "the access token has expired; request a new one")
		return "", false
	}
	return client, true
}

// BasicAuth returns the value of an Authorization header for HTTP Basic
// with the given client id and secret, for clients of the token endpoint.
func BasicAuth(id, secret string) string {
	return "Basic " + base64.StdEncoding.EncodeToString([]byte(url.QueryEscape(id)+":"+url.QueryEscape(secret)))
}
