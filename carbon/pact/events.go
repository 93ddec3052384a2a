package pact

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"time"
)

// CloudEvent types of the PACT v2 event API.
const (
	EventRequestCreated   = "org.wbcsd.pathfinder.ProductFootprintRequest.Created.v1"
	EventRequestFulfilled = "org.wbcsd.pathfinder.ProductFootprintRequest.Fulfilled.v1"
	EventRequestRejected  = "org.wbcsd.pathfinder.ProductFootprintRequest.Rejected.v1"
	EventPublished        = "org.wbcsd.pathfinder.ProductFootprint.Published.v1"
)

// maxEventBytes bounds the body of POST /2/events (1 MiB).
const maxEventBytes = 1 << 20

// Event is a CloudEvent (structured mode, specversion 1.0) of the PACT
// event API.
type Event struct {
	Type        string          `json:"type"`
	SpecVersion string          `json:"specversion"`
	ID          string          `json:"id"`
	Source      string          `json:"source"`
	Time        string          `json:"time"`
	Data        json.RawMessage `json:"data"`
}

// requestData is the data of a RequestCreated event: a ProductFootprint
// fragment that names what is requested.
type requestData struct {
	PF *struct {
		ProductIDs []string `json:"productIds"`
	} `json:"pf"`
	Comment string `json:"comment"`
}

var uuidRE = regexp.MustCompile(`^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$`)

// event handles POST /2/events. A RequestCreated event is answered 200 at
// once, then asynchronously, to the requester: a RequestFulfilled event
// with the footprints shared with the client whose productIds meet the
// request, or a RequestRejected event that says why. A Published event
// is passed to OnPublished. Malformed events are 400 BadRequest; the
// Fulfilled and Rejected events (answers to requests this host does not
// make) are 400 NotImplemented.
func (s *Server) event(w http.ResponseWriter, r *http.Request, client string) {
	body, err := io.ReadAll(io.LimitReader(r.Body, maxEventBytes+1))
	if err != nil || len(body) > maxEventBytes {
		writeError(w, http.StatusBadRequest, CodeBadRequest, "cannot read the event (at most 1 MiB)")
		return
	}
	var ev Event
	if err := json.Unmarshal(body, &ev); err != nil {
		writeError(w, http.StatusBadRequest, CodeBadRequest, "the body is not a CloudEvent in JSON: "+err.Error())
		return
	}
	if msg := checkEvent(ev); msg != "" {
		writeError(w, http.StatusBadRequest, CodeBadRequest, msg)
		return
	}
	switch ev.Type {
	case EventRequestCreated:
		var d requestData
		if err := json.Unmarshal(ev.Data, &d); err != nil || d.PF == nil {
			writeError(w, http.StatusBadRequest, CodeBadRequest, "data.pf (a ProductFootprint fragment) is required in a RequestCreated event")
			return
		}
		base, err := requesterBase(ev.Source)
		if err != nil {
			writeError(w, http.StatusBadRequest, CodeBadRequest, err.Error())
			return
		}
		self := BaseURL(r)
		s.wg.Add(1)
		go func() {
			defer s.wg.Done()
			s.answer(client, self, base, ev.ID, d.PF.ProductIDs)
		}()
		writeJSON(w, http.StatusOK, map[string]string{"code": "Accepted", "message": "the request will be answered by a Fulfilled or Rejected event"})
	case EventPublished:
		var d struct {
			PfIDs []string `json:"pfIds"`
		}
		if err := json.Unmarshal(ev.Data, &d); err != nil || len(d.PfIDs) == 0 {
			writeError(w, http.StatusBadRequest, CodeBadRequest, "data.pfIds (a non-empty list of footprint ids) is required in a Published event")
			return
		}
		for _, id := range d.PfIDs {
			if !uuidRE.MatchString(id) {
				writeError(w, http.StatusBadRequest, CodeBadRequest, fmt.Sprintf("data.pfIds: %q is not a footprint id (UUID)", id))
				return
			}
		}
		if s.OnPublished != nil {
			s.OnPublished(client, ev.Source, d.PfIDs)
		}
		writeJSON(w, http.StatusOK, map[string]string{"code": "Accepted", "message": "noted"})
	case EventRequestFulfilled, EventRequestRejected:
		writeError(w, http.StatusBadRequest, CodeNotImplemented, "this host makes no footprint requests, so it takes no answers to them")
	default:
		writeError(w, http.StatusBadRequest, CodeBadRequest, fmt.Sprintf("unknown event type %q", ev.Type))
	}
}

// checkEvent returns what is wrong with the CloudEvent attributes of ev,
// or "".
func checkEvent(ev Event) string {
	switch {
	case ev.SpecVersion != "1.0":
		return fmt.Sprintf("specversion %q: CloudEvents 1.0 is required", ev.SpecVersion)
	case ev.ID == "":
		return "the event has no id"
	case ev.Source == "":
		return "the event has no source"
	case ev.Type == "":
		return "the event has no type"
	case len(ev.Data) == 0 || string(ev.Data) == "null":
		return "the event has no data"
	}
	if ev.Time != "" {
		if _, err := time.Parse(time.RFC3339Nano, ev.Time); err != nil {
			return fmt.Sprintf("time %q is not an RFC 3339 timestamp", ev.Time)
		}
	}
	return ""
}

// requesterBase returns the base URL of the requester's PACT API from an
// event source: an absolute http or https URL, without a trailing
// "/2/events" or slash.
func requesterBase(source string) (string, error) {
	u, err := url.Parse(source)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return "", fmt.Errorf("source %q must be the absolute http(s) URL of the requester's PACT API", source)
	}
	s := strings.TrimRight(u.Scheme+"://"+u.Host+u.Path, "/")
	return strings.TrimSuffix(s, "/2/events"), nil
}

// answer finds the footprints a RequestCreated event asks for and sends
// the requester a Fulfilled or Rejected event. Failures are logged.
func (s *Server) answer(client, self, requester, requestID string, productIDs []string) {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	out := Event{SpecVersion: "1.0", ID: newUUID(), Source: self, Time: s.now().UTC().Format(time.RFC3339)}
	pfs, reason, code := s.matching(ctx, client, productIDs)
	if len(pfs) > 0 {
		out.Type = EventRequestFulfilled
		out.Data, _ = json.Marshal(map[string]any{"requestEventId": requestID, "pfs": pfs})
	} else {
		out.Type = EventRequestRejected
		out.Data, _ = json.Marshal(map[string]any{"requestEventId": requestID, "error": APIError{Code: code, Message: reason}})
	}
	if err := s.Send(ctx, client, requester, out); err != nil {
		s.logf("pact: answer to request %s of %s: %v", requestID, client, err)
		return
	}
	s.logf("pact: answered request %s of %s with %s (%d footprints)", requestID, client, out.Type, len(pfs))
}

// matching returns the active footprints shared with client that carry
// one of productIDs, or why there are none and the error code to give.
func (s *Server) matching(ctx context.Context, client string, productIDs []string) ([]json.RawMessage, string, string) {
	if len(productIDs) == 0 {
		return nil, "the request names no productIds", CodeBadRequest
	}
	recs, err := s.visible(ctx, client)
	if err != nil {
		s.logf("pact: request of %s: %v", client, err)
		return nil, "the footprints cannot be read now", CodeInternalError
	}
	want := map[string]bool{}
	for _, p := range productIDs {
		want[p] = true
	}
	var out []json.RawMessage
	for _, rec := range recs {
		if rec.Status != "Active" {
			continue
		}
		for _, p := range rec.ProductIDs {
			if want[p] {
				out = append(out, json.RawMessage(rec.Document))
				break
			}
		}
	}
	if len(out) == 0 {
		return nil, fmt.Sprintf("no footprint of product %s is shared with client %s", strings.Join(productIDs, ", "), client), CodeNoSuchFootprint
	}
	return out, "", ""
}

// Notify sends a Published event with the given footprint ids to every
// subscriber with whom at least one of them is shared (only those ids),
// as source self (this host's base URL). It returns the first failure
// after trying every subscriber.
func (s *Server) Notify(ctx context.Context, self string, pfIDs []string) error {
	if s.Store == nil || len(pfIDs) == 0 {
		return nil
	}
	var first error
	for client, base := range s.Subscribers {
		recs, err := s.visible(ctx, client)
		if err != nil {
			return fmt.Errorf("notify %s: %w", client, err)
		}
		shared := map[string]bool{}
		for _, rec := range recs {
			shared[rec.ID] = true
		}
		var ids []string
		for _, id := range pfIDs {
			if shared[id] {
				ids = append(ids, id)
			}
		}
		if len(ids) == 0 {
			continue
		}
		data, _ := json.Marshal(map[string]any{"pfIds": ids})
		ev := Event{Type: EventPublished, SpecVersion: "1.0", ID: newUUID(), Source: self, Time: s.now().UTC().Format(time.RFC3339), Data: data}
		if err := s.Send(ctx, client, base, ev); err != nil && first == nil {
			first = fmt.Errorf("notify %s: %w", client, err)
		}
	}
	return first
}

// Send posts ev to {base}/2/events of a client's PACT API with a bearer
// token from that API's token endpoint (the token_endpoint of
// {base}/.well-known/openid-configuration, else {base}/auth/token), got
// with the credentials of Callbacks[client]. It fails when the client has
// no credentials or an endpoint answers other than 2xx.
func (s *Server) Send(ctx context.Context, client, base string, ev Event) error {
	cred, ok := s.Callbacks[client]
	if !ok {
		return fmt.Errorf("no callback credentials for client %q", client)
	}
	hc := s.HTTPClient
	if hc == nil {
		hc = &http.Client{Timeout: 30 * time.Second}
	}
	tok, err := fetchToken(ctx, hc, base, cred)
	if err != nil {
		return err
	}
	body, err := json.Marshal(ev)
	if err != nil {
		return fmt.Errorf("encode event: %w", err)
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, base+"/2/events", bytes.NewReader(body))
	if err != nil {
		return fmt.Errorf("event to %s: %w", base, err)
	}
	req.Header.Set("Content-Type", "application/cloudevents+json; charset=UTF-8")
	req.Header.Set("Authorization", "Bearer "+tok)
	resp, err := hc.Do(req)
	if err != nil {
		return fmt.Errorf("event to %s: %w", base, err)
	}
	defer resp.Body.Close()
	if resp.StatusCode/100 != 2 {
		b, _ := io.ReadAll(io.LimitReader(resp.Body, 512))
		return fmt.Errorf("event to %s/2/events: %s: %s", base, resp.Status, bytes.TrimSpace(b))
	}
	return nil
}

// fetchToken gets an access token from the token endpoint of the PACT
// API at base, by the client credentials grant with HTTP Basic.
func fetchToken(ctx context.Context, hc *http.Client, base string, cred Credentials) (string, error) {
	endpoint := base + "/auth/token"
	if req, err := http.NewRequestWithContext(ctx, http.MethodGet, base+"/.well-known/openid-configuration", nil); err == nil {
		if resp, err := hc.Do(req); err == nil {
			var oc struct {
				TokenEndpoint string `json:"token_endpoint"`
			}
			if resp.StatusCode == http.StatusOK && json.NewDecoder(io.LimitReader(resp.Body, 1<<16)).Decode(&oc) == nil && oc.TokenEndpoint != "" {
				endpoint = oc.TokenEndpoint
			}
			resp.Body.Close()
		}
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, endpoint, strings.NewReader("grant_type=client_credentials"))
	if err != nil {
		return "", fmt.Errorf("token from %s: %w", endpoint, err)
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Authorization", BasicAuth(cred.ID, cred.Secret))
	resp, err := hc.Do(req)
	if err != nil {
		return "", fmt.Errorf("token from %s: %w", endpoint, err)
	}
	defer resp.Body.Close()
	var t struct {
		AccessToken string `json:"access_token"`
	}
	if resp.StatusCode != http.StatusOK {
		return "", fmt.Errorf("token from %s: %s", endpoint, resp.Status)
	}
	if err := json.NewDecoder(io.LimitReader(resp.Body, 1<<16)).Decode(&t); err != nil || t.AccessToken == "" {
		return "", fmt.Errorf("token from %s: no access_token in the answer", endpoint)
	}
	return t.AccessToken, nil
}

// newUUID returns a random UUID (version 4).
func newUUID() string {
	var b [16]byte
	_, _ = rand.Read(b[:]) // crypto/rand.Read never fails (Go 1.24+)
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	return fmt.Sprintf("%x-%x-%x-%x-%x", b[0:4], b[4:6], b[6:8], b[8:10], b[10:16])
}
