package epcisquery

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/sillage/sillage"
	"github.com/sillage/sillage/internal/oauth2cc"
	"github.com/sillage/sillage/iot/epcis"
)

// Events is the item history the server reads; store.Store implements it.
type Events interface {
	// QueryEvents returns the events of network that match q, in
	// eventTime order, then Seq.
	QueryEvents(ctx context.Context, network string, q sillage.EventQuery) ([]sillage.ItemEvent, error)
}

// Server serves the query interface of one network's item history. It is
// an http.Handler; its fields must be set before it serves.
type Server struct {
	Network  string
	Store    Events
	Clients  map[string]string // OAuth2 client id -> secret
	TokenTTL time.Duration     // lifetime of an access token; 0 means one hour
	Now      func() time.Time  // nil: time.Now
	tokens   oauth2cc.Tokens
}

func (s *Server) now() time.Time {
	if s.Now != nil {
		return s.Now()
	}
	return time.Now()
}

// ServeHTTP routes POST /auth/token and GET /epcis/events.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	switch {
	case r.URL.Path == "/auth/token" && r.Method == http.MethodPost:
		s.issue(w, r)
	case r.URL.Path == "/epcis/events" && (r.Method == http.MethodGet || r.Method == http.MethodHead):
		if s.authorized(w, r) {
			s.events(w, r)
		}
	case r.URL.Path == "/auth/token" || r.URL.Path == "/epcis/events":
		w.Header().Set("Allow", map[bool]string{true: "POST", false: "GET, HEAD"}[r.URL.Path == "/auth/token"])
		s.problem(w, http.StatusMethodNotAllowed, "ImplementationException", r.Method+" is not allowed on "+r.URL.Path)
	default:
		s.problem(w, http.StatusNotFound, "NoSuchResourceException", r.URL.Path+" is not served here: GET /epcis/events, POST /auth/token")
	}
}

// queryDocument is the EPCISQueryDocument of a page of events.
type queryDocument struct {
	Context       []any     `json:"@context"`
	Type          string    `json:"type"`
	SchemaVersion string    `json:"schemaVersion"`
	CreationDate  time.Time `json:"creationDate"`
	Body          struct {
		QueryResults struct {
			QueryName   string `json:"queryName"`
			ResultsBody struct {
				EventList []json.RawMessage `json:"eventList"`
			} `json:"resultsBody"`
		} `json:"queryResults"`
	} `json:"epcisBody"`
}

// events answers GET /epcis/events with one page of events.
func (s *Server) events(w http.ResponseWriter, r *http.Request) {
	q, err := ParseQuery(r.URL.Query())
	if err != nil {
		s.problem(w, http.StatusBadRequest, "QueryParameterException", strings.TrimPrefix(err.Error(), ErrParameter.Error()+": "))
		return
	}
	eq := q.Events
	eq.Limit = q.PerPage + 1 // one more tells whether a next page exists
	evs, err := s.Store.QueryEvents(r.Context(), s.Network, eq)
	if err != nil {
		if errors.Is(err, context.Canceled) {
			return
		}
		s.problem(w, http.StatusInternalServerError, "ImplementationException", "the item history cannot be read")
		return
	}
	more := len(evs) > q.PerPage
	if more {
		evs = evs[:q.PerPage]
		last := evs[len(evs)-1]
		next := *r.URL
		v := next.Query()
		v.Set("nextPageToken", encodeToken(sillage.EventCursor{Time: last.Time, Seq: last.Seq}))
		v.Set("perPage", strconv.Itoa(q.PerPage))
		next.RawQuery = v.Encode()
		next.Scheme, next.Host = "http", r.Host
		if r.TLS != nil {
			next.Scheme = "https"
		}
		w.Header().Set("Link", "<"+next.String()+`>; rel="next"`)
	}
	var doc queryDocument
	doc.Context = []any{epcis.StandardContext}
	doc.Type, doc.SchemaVersion, doc.CreationDate = "EPCISQueryDocument", "2.0", s.now().UTC()
	doc.Body.QueryResults.QueryName = "SimpleEventQuery"
	doc.Body.QueryResults.ResultsBody.EventList = make([]json.RawMessage, 0, len(evs))
	for _, ev := range evs {
		doc.Body.QueryResults.ResultsBody.EventList = append(doc.Body.QueryResults.ResultsBody.EventList, json.RawMessage(ev.Document))
	}
	w.Header().Set("GS1-EPCIS-Version", "2.0.0")
	w.Header().Set("GS1-CBV-Version", "2.0.0")
	writeJSONType(w, http.StatusOK, "application/ld+json", doc)
}

// problem writes an RFC 7807 problem document for an EPCIS exception
// (epcisException:<kind>).
func (s *Server) problem(w http.ResponseWriter, status int, kind, detail string) {
	writeJSONType(w, status, "application/problem+json", map[string]any{
		"type": "epcisException:" + kind, "title": http.StatusText(status), "status": status, "detail": detail})
}

// writeJSONType writes v as JSON with the content type ct.
func writeJSONType(w http.ResponseWriter, status int, ct string, v any) {
	b, err := json.Marshal(v)
	if err != nil {
		status, b = http.StatusInternalServerError, []byte(`{"type":"epcisException:ImplementationException","title":"Internal Server Error","status":500}`)
	}
	w.Header().Set("Content-Type", ct)
	w.WriteHeader(status)
	_, _ = w.Write(append(b, '\n'))
}
