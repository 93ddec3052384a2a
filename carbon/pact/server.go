package pact

import (
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"time"
)

// Error codes of the PACT API (components.schemas.Error.code).
const (
	CodeBadRequest     = "BadRequest"     // 400
	CodeAccessDenied   = "AccessDenied"   // 403
	CodeTokenExpired   = "TokenExpired"   // 401
	CodeNotFound       = "NotFound"       // 404 (the Tech Specs call it NoSuchFootprint)
	CodeInternalError  = "InternalError"  // 500
	CodeNotImplemented = "NotImplemented" // 400 for the unsupported events API
)

// APIError is the body of a PACT error response.
type APIError struct {
	Code    string `json:"code"`
	Message string `json:"message"`
}

// Server serves ProductFootprints over the PACT v2 REST API. Set the
// fields, then use it as an http.Handler; it is safe for concurrent use.
type Server struct {
	// Clients maps OAuth2 client ids to their secrets.
	Clients map[string]string
	// TokenTTL is the lifetime of an access token; 0 means one hour.
	TokenTTL time.Duration
	// DefaultLimit and MaxLimit bound the page size of GET /2/footprints;
	// 0 means 100 and 1000.
	DefaultLimit, MaxLimit int
	// Now returns the current time; nil means time.Now.
	Now func() time.Time

	mu         sync.RWMutex
	footprints []ProductFootprint
	byID       map[string]int
	tokens     map[string]token
}

type token struct {
	client  string
	expires time.Time
}

// SetFootprints replaces the footprints served, in the order given.
func (s *Server) SetFootprints(pfs []ProductFootprint) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.footprints = append([]ProductFootprint(nil), pfs...)
	s.byID = make(map[string]int, len(pfs))
	for i, pf := range pfs {
		s.byID[pf.ID] = i
	}
}

func (s *Server) now() time.Time {
	if s.Now != nil {
		return s.Now()
	}
	return time.Now()
}

// ServeHTTP routes POST /auth/token, GET /2/footprints,
// GET /2/footprints/{id} and POST /2/events.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	p := r.URL.Path
	switch {
	case p == "/auth/token":
		if r.Method != http.MethodPost {
			w.Header().Set("Allow", http.MethodPost)
			writeError(w, http.StatusMethodNotAllowed, CodeBadRequest, "use POST for /auth/token")
			return
		}
		s.token(w, r)
	case p == "/2/footprints":
		if !s.get(w, r) || !s.authorized(w, r) {
			return
		}
		s.list(w, r)
	case strings.HasPrefix(p, "/2/footprints/"):
		if !s.get(w, r) || !s.authorized(w, r) {
			return
		}
		s.one(w, strings.TrimPrefix(p, "/2/footprints/"))
	case p == "/2/events":
		if !s.authorized(w, r) {
			return
		}
		writeError(w, http.StatusBadRequest, CodeNotImplemented, "the events API is not implemented by this host")
	default:
		writeError(w, http.StatusNotFound, CodeNotFound, "no such resource: "+p)
	}
}

func (s *Server) get(w http.ResponseWriter, r *http.Request) bool {
	if r.Method == http.MethodGet {
		return true
	}
	w.Header().Set("Allow", http.MethodGet)
	writeError(w, http.StatusMethodNotAllowed, CodeBadRequest, "use GET for "+r.URL.Path)
	return false
}

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

// authorized checks the bearer token: 403 AccessDenied when missing or
// unknown, 401 TokenExpired when expired.
func (s *Server) authorized(w http.ResponseWriter, r *http.Request) bool {
	h := r.Header.Get("Authorization")
	const prefix = "bearer "
	if len(h) <= len(prefix) || !strings.EqualFold(h[:len(prefix)], prefix) {
		writeError(w, http.StatusForbidden, CodeAccessDenied, "a bearer token from POST /auth/token is required")
		return false
	}
	tok := strings.TrimSpace(h[len(prefix):])
	s.mu.RLock()
	t, ok := s.tokens[tok]
	s.mu.RUnlock()
	if !ok {
		writeError(w, http.StatusForbidden, CodeAccessDenied, "invalid access token")
		return false
	}
	if !s.now().Before(t.expires) {
		writeError(w, http.StatusUnauthorized, CodeTokenExpired, "the access token has expired; request a new one")
		return false
	}
	return true
}

// list serves one page of footprints. The page is chosen by limit (page
// size) and offset (set by the Link header of the previous page); the Link
// header points at the next page when there is one.
func (s *Server) list(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	def, max := s.DefaultLimit, s.MaxLimit
	if def <= 0 {
		def = 100
	}
	if max <= 0 {
		max = 1000
	}
	limit := def
	if v := q.Get("limit"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 {
			writeError(w, http.StatusBadRequest, CodeBadRequest, fmt.Sprintf("limit %q must be a positive integer", v))
			return
		}
		limit = min(n, max)
	}
	offset := 0
	if v := q.Get("offset"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 0 {
			writeError(w, http.StatusBadRequest, CodeBadRequest, fmt.Sprintf("offset %q must be an integer >= 0", v))
			return
		}
		offset = n
	}
	// $filter is optional in PACT v2; this host does not filter and
	// returns every footprint.
	s.mu.RLock()
	all := s.footprints
	end := min(offset+limit, len(all))
	page := []ProductFootprint{}
	if offset < len(all) {
		page = append(page, all[offset:end]...)
	}
	more := end < len(all)
	s.mu.RUnlock()
	if more {
		next := url.Values{}
		next.Set("limit", strconv.Itoa(limit))
		next.Set("offset", strconv.Itoa(end))
		w.Header().Set("Link", fmt.Sprintf(`<%s/2/footprints?%s>; rel="next"`, baseURL(r), next.Encode()))
	}
	writeJSON(w, http.StatusOK, map[string]any{"data": page})
}

func (s *Server) one(w http.ResponseWriter, id string) {
	s.mu.RLock()
	i, ok := s.byID[id]
	var pf ProductFootprint
	if ok {
		pf = s.footprints[i]
	}
	s.mu.RUnlock()
	if !ok {
		writeError(w, http.StatusNotFound, CodeNotFound, fmt.Sprintf("no such footprint: %q", id))
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"data": pf})
}

// baseURL returns scheme://host of the request, for Link headers.
func baseURL(r *http.Request) string {
	scheme := "http"
	if r.TLS != nil {
		scheme = "https"
	}
	return scheme + "://" + r.Host
}

func writeError(w http.ResponseWriter, status int, code, msg string) {
	writeJSON(w, status, APIError{Code: code, Message: msg})
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	// A failed write means the client went away; there is no one to tell.
	_ = json.NewEncoder(w).Encode(v)
}

// BasicAuth returns the value of an Authorization header for HTTP Basic
// with the given client id and secret, for clients of the token endpoint.
func BasicAuth(id, secret string) string {
	return "Basic " + base64.StdEncoding.EncodeToString([]byte(url.QueryEscape(id)+":"+url.QueryEscape(secret)))
}
