package oauth2cc

import (
	"context"
	"crypto/rand"
	"crypto/subtle"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
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

// WriteError answers a token request with an OAuth2 error (RFC 6749
// §5.2): status, a JSON body {"error": code, "error_description": desc},
// no caching, and for 401 a Basic challenge in realm.
func WriteError(w http.ResponseWriter, realm string, status int, code, desc string) {
	if status == http.StatusUnauthorized {
		w.Header().Set("WWW-Authenticate", `Basic realm="`+realm+`"`)
	}
	w.Header().Set("Cache-Control", "no-store")
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	// A failed write means the client went away; there is no one to tell.
	_ = json.NewEncoder(w).Encode(map[string]string{"error": code, "error_description": desc})
}

// FetchToken asks the token endpoint for an access token by the client
// credentials grant (RFC 6749 §4.4), the client authenticated by HTTP
// Basic with id and secret form-urlencoded (§2.3.1), as Authenticate
// expects. An answer other than 200 with an access_token is an error.
func FetchToken(ctx context.Context, hc *http.Client, endpoint, id, secret string) (string, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, endpoint, strings.NewReader("grant_type=client_credentials"))
	if err != nil {
		return "", fmt.Errorf("token from %s: %w", endpoint, err)
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.SetBasicAuth(url.QueryEscape(id), url.QueryEscape(secret))
	resp, err := hc.Do(req)
	if err != nil {
		return "", fmt.Errorf("token from %s: %w", endpoint, err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return "", fmt.Errorf("token from %s: %s", endpoint, resp.Status)
	}
	var t struct {
		AccessToken string `json:"access_token"`
	}
	if err := json.NewDecoder(io.LimitReader(resp.Body, 1<<16)).Decode(&t); err != nil || t.AccessToken == "" {
		return "", fmt.Errorf("token from %s: no access_token in the answer", endpoint)
	}
	return t.AccessToken, nil
}
