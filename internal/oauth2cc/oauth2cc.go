package oauth2cc

import (
	"crypto/rand"
	"crypto/subtle"
	"encoding/hex"
	"fmt"
	"net/http"
	"net/url"
	"strings"
)

// Authenticate checks the HTTP Basic client authentication of r against
// clients (id -> secret). It returns the client id, or ok false and a
// description for an invalid_client error. Id and secret are
// form-urlencoded before the Basic encoding (RFC 6749 §2.3.1).
func Authenticate(r *http.Request, clients map[string]string) (id, desc string, ok bool) {
	id, secret, ok := r.BasicAuth()
	if ok {
		var e1, e2 error
		id, e1 = url.QueryUnescape(id)
		secret, e2 = url.QueryUnescape(secret)
		ok = e1 == nil && e2 == nil
	}
	if !ok {
		return "", "client authentication by HTTP Basic is required", false
	}
	want, known := clients[id]
	// Compare for unknown clients too, so that timing does not tell them apart.
	match := subtle.ConstantTimeCompare([]byte(secret), []byte(want)) == 1
	if !known || !match {
		return "", "unknown client or wrong secret", false
	}
	return id, "", true
}

// NewToken returns a random 256-bit token, hex encoded.
func NewToken() (string, error) {
	var b [32]byte
	if _, err := rand.Read(b[:]); err != nil {
		return "", fmt.Errorf("create a token: %w", err)
	}
	return hex.EncodeToString(b[:]), nil
}

// Bearer returns the token of r's "Authorization: Bearer TOKEN" header
// (the scheme in any case), or ok false when there is none.
func Bearer(r *http.Request) (tok string, ok bool) {
	h := r.Header.Get("Authorization")
	const prefix = "bearer "
	if len(h) <= len(prefix) || !strings.EqualFold(h[:len(prefix)], prefix) {
		return "", false
	}
	return strings.TrimSpace(h[len(prefix):]), true
}
