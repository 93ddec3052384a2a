package pact

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/sillage/sillage"
	"github.com/sillage/sillage/internal/oauth2cc"
)

// Error codes of the PACT API, with the HTTP status of each (Tech Specs
// v2.3, "Error codes"):
//
//	situation                                         status  code
//	malformed request, bad limit, bad $filter or event  400   BadRequest
//	missing, malformed or unknown access token          400   BadRequest
//	expired access token                                401   TokenExpired
//	footprint exists but is not shared with the client  403   AccessDenied
//	no footprint with this id                           404   NoSuchFootprint
//	unsupported $filter feature or event type           400   NotImplemented
//	failure of the host (store)                         500   InternalError
//
// A path the API does not have is 404 NotFound (the OpenAPI enum's name).
const (
	CodeBadRequest      = "BadRequest"
	CodeAccessDenied    = "AccessDenied"
	CodeTokenExpired    = "TokenExpired"
	CodeNoSuchFootprint = "NoSuchFootprint"
	CodeNotFound        = "NotFound"
	CodeNotImplemented  = "NotImplemented"
	CodeInternalError   = "InternalError"
)

// APIError is the body of a PACT error response.
type APIError struct {
	Code    string `json:"code"`
	Message string `json:"message"`
}

// FootprintStore is where a Server reads its footprints: every stored
// version, and which product ids each client may read (package store
// implements it).
type FootprintStore interface {
	ListPACTFootprints(ctx context.Context) ([]sillage.PACTRecord, error)
	PACTShares(ctx context.Context) (map[string][]string, error)
}

// Credentials are an OAuth2 client id and secret.
type Credentials struct {
	ID, Secret string
}

// Server serves ProductFootprints over the PACT v2 REST API. Set the
// fields, then use it as an http.Handler; it is safe for concurrent use.
// Call Wait before exiting to let pending event callbacks finish.
type Server struct {
	// Clients maps OAuth2 client ids to their secrets.
	Clients map[string]string
	// Store holds the footprints and the shares; required.
	Store FootprintStore
	// Callbacks maps a client id to the credentials this host uses at
	// that client's own token endpoint, to send it events (answers to its
	// requests, Published notifications). A client without an entry gets
	// no events.
	Callbacks map[string]Credentials
	// Subscribers maps a client id to the base URL of its PACT API, where
	// Notify sends Published events.
	Subscribers map[string]string
	// HTTPClient sends events; nil means a client with a 30 s timeout.
	HTTPClient *http.Client
	// OnPublished is called with the footprint ids of a Published event
	// that a client posted; nil ignores them.
	OnPublished func(client, source string, pfIDs []string)
	// Logf reports what happens to events sent asynchronously; nil
	// discards.
	Logf func(format string, args ...any)
	// TokenTTL is the lifetime of an access token; 0 means one hour.
	TokenTTL time.Duration
	// DefaultLimit and MaxLimit bound the page size of GET /2/footprints;
	// 0 means 100 and 1000.
	DefaultLimit, MaxLimit int
	// Now returns the current time; nil means time.Now.
	Now func() time.Time

	tokens oauth2cc.Tokens
	wg     sync.WaitGroup
}

func (s *Server) now() time.Time {
	if s.Now != nil {
		return s.Now()
	}
	return time.Now()
}

func (s *Server) logf(format string, args ...any) {
	if s.Logf != nil {
		s.Logf(format, args...)
	}
}

// Wait blocks until every event callback started so far has been sent or
// has failed.
func (s *Server) Wait() { s.wg.Wait() }

// ServeHTTP routes POST /auth/token, GET /2/footprints,
// GET /2/footprints/{id} and POST /2/events.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	p := r.URL.Path
	switch {
	case p == "/auth/token":
		if !method(w, r, http.MethodPost) {
			return
		}
		s.token(w, r)
	case p == "/2/footprints":
		if !method(w, r, http.MethodGet) {
			return
		}
		if client, ok := s.authorized(w, r); ok {
			s.list(w, r, client)
		}
	case strings.HasPrefix(p, "/2/footprints/"):
		if !method(w, r, http.MethodGet) {
			return
		}
		if client, ok := s.authorized(w, r); ok {
			s.one(w, r, client, strings.TrimPrefix(p, "/2/footprints/"))
		}
	case p == "/2/events":
		if !method(w, r, http.MethodPost) {
			return
		}
		if client, ok := s.authorized(w, r); ok {
			s.event(w, r, client)
		}
	default:
		writeError(w, http.StatusNotFound, CodeNotFound, "no such resource: "+p)
	}
}

func method(w http.ResponseWriter, r *http.Request, m string) bool {
	if r.Method == m {
		return true
	}
	w.Header().Set("Allow", m)
	writeError(w, http.StatusMethodNotAllowed, CodeBadRequest, "use "+m+" for "+r.URL.Path)
	return false
}

// visible returns the footprints the client may read (every version),
// ordered by created time then id: those with a product id shared with
// the client, or all when sillage.PACTShareAll is shared. Time O(n) in
// the stored footprints.
func (s *Server) visible(ctx context.Context, client string) ([]sillage.PACTRecord, error) {
	if s.Store == nil {
		return nil, errors.New("pact: Server.Store is not set")
	}
	shares, err := s.Store.PACTShares(ctx)
	if err != nil {
		return nil, err
	}
	all, err := s.Store.ListPACTFootprints(ctx)
	if err != nil {
		return nil, err
	}
	allowed := map[string]bool{}
	for _, p := range shares[client] {
		allowed[p] = true
	}
	var out []sillage.PACTRecord
	for _, rec := range all {
		if sharedWith(rec, allowed) {
			out = append(out, rec)
		}
	}
	return out, nil
}

func sharedWith(rec sillage.PACTRecord, allowed map[string]bool) bool {
	if allowed[sillage.PACTShareAll] {
		return true
	}
	for _, p := range rec.ProductIDs {
		if allowed[p] {
			return true
		}
	}
	return false
}

// list serves one page of the footprints shared with the client that
// match $filter. The page is chosen by limit (page size) and offset (set
// by the Link header of the previous page); the Link header points at the
// next page when there is one.
func (s *Server) list(w http.ResponseWriter, r *http.Request, client string) {
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
	filter, err := ParseFilter(q.Get("$filter"))
	if errors.Is(err, ErrFilterUnsupported) {
		writeError(w, http.StatusBadRequest, CodeNotImplemented, err.Error())
		return
	}
	if err != nil {
		writeError(w, http.StatusBadRequest, CodeBadRequest, err.Error())
		return
	}
	recs, err := s.visible(r.Context(), client)
	if err != nil {
		s.logf("pact: list footprints for %s: %v", client, err)
		writeError(w, http.StatusInternalServerError, CodeInternalError, "cannot read the footprints")
		return
	}
	var docs []json.RawMessage
	for _, rec := range recs {
		if len(filter.conds) > 0 {
			var m map[string]any
			if err := json.Unmarshal(rec.Document, &m); err != nil || !filter.Match(m) {
				continue
			}
		}
		docs = append(docs, json.RawMessage(rec.Document))
	}
	end := min(offset+limit, len(docs))
	page := []json.RawMessage{}
	if offset < len(docs) {
		page = docs[offset:end]
	}
	if end < len(docs) {
		next := url.Values{}
		next.Set("limit", strconv.Itoa(limit))
		next.Set("offset", strconv.Itoa(end))
		if f := q.Get("$filter"); f != "" {
			next.Set("$filter", f)
		}
		w.Header().Set("Link", fmt.Sprintf(`<%s/2/footprints?%s>; rel="next"`, BaseURL(r), next.Encode()))
	}
	writeJSON(w, http.StatusOK, map[string]any{"data": page})
}

// one serves one footprint: 404 NoSuchFootprint when no version has this
// id, 403 AccessDenied when it is not shared with the client.
func (s *Server) one(w http.ResponseWriter, r *http.Request, client, id string) {
	if s.Store == nil {
		writeError(w, http.StatusInternalServerError, CodeInternalError, "no store")
		return
	}
	all, err := s.Store.ListPACTFootprints(r.Context())
	var shares map[string][]string
	if err == nil {
		shares, err = s.Store.PACTShares(r.Context())
	}
	if err != nil {
		s.logf("pact: get footprint %s for %s: %v", id, client, err)
		writeError(w, http.StatusInternalServerError, CodeInternalError, "cannot read the footprints")
		return
	}
	allowed := map[string]bool{}
	for _, p := range shares[client] {
		allowed[p] = true
	}
	for _, rec := range all {
		if rec.ID != id {
			continue
		}
		if !sharedWith(rec, allowed) {
			writeError(w, http.StatusForbidden, CodeAccessDenied, fmt.Sprintf("footprint %q is not shared with client %q", id, client))
			return
		}
		writeJSON(w, http.StatusOK, map[string]any{"data": json.RawMessage(rec.Document)})
		return
	}
	writeError(w, http.StatusNotFound, CodeNoSuchFootprint, fmt.Sprintf("no such footprint: %q", id))
}

// BaseURL returns scheme://host under which the client reached this
// host, for Link headers and the source of events: the first element of
// a Forwarded header (RFC 7239, proto= and host=) or else
// X-Forwarded-Proto and X-Forwarded-Host, as a reverse proxy sets them;
// otherwise the request's own TLS state and Host.
func BaseURL(r *http.Request) string {
	scheme, host := "http", r.Host
	if r.TLS != nil {
		scheme = "https"
	}
	if f := r.Header.Get("Forwarded"); f != "" {
		first, _, _ := strings.Cut(f, ",")
		for _, kv := range strings.Split(first, ";") {
			k, v, ok := strings.Cut(strings.TrimSpace(kv), "=")
			if !ok {
				continue
			}
			v = strings.Trim(v, `"`)
			switch strings.ToLower(k) {
			case "proto":
				scheme = strings.ToLower(v)
			case "host":
				host = v
			}
		}
	} else {
		if v := firstValue(r.Header.Get("X-Forwarded-Proto")); v != "" {
			scheme = strings.ToLower(v)
		}
		if v := firstValue(r.Header.Get("X-Forwarded-Host")); v != "" {
			host = v
		}
	}
	if scheme != "http" && scheme != "https" {
		scheme = "https"
	}
	if host == "" || strings.ContainsAny(host, " /\\<>\"") {
		host = r.Host
	}
	return scheme + "://" + host
}

func firstValue(h string) string {
	v, _, _ := strings.Cut(h, ",")
	return strings.TrimSpace(v)
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
