package pact

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
)

// requester is a data recipient's PACT API: a token endpoint (at
// /auth/token, or where its OpenID configuration says) that takes one
// client, and /2/events, which records the events it receives with a
// token it issued.
type requester struct {
	srv      *httptest.Server
	wellKnow bool
	mu       sync.Mutex
	events   []Event
	bad      []string // what went wrong in calls to it
}

func newRequester(t *testing.T, wellKnown bool) *requester {
	r := &requester{wellKnow: wellKnown}
	const tok = "requester-token"
	mux := http.NewServeMux()
	tokenPath := "/auth/token"
	if wellKnown {
		tokenPath = "/oauth2/token"
		mux.HandleFunc("/.well-known/openid-configuration", func(w http.ResponseWriter, _ *http.Request) {
			fmt.Fprintf(w, `{"issuer":%q,"token_endpoint":%q}`, r.srv.URL, r.srv.URL+tokenPath)
		})
	}
	mux.HandleFunc(tokenPath, func(w http.ResponseWriter, req *http.Request) {
		id, secret, ok := req.BasicAuth()
		if req.Method != http.MethodPost || !ok || id != "host-id" || secret != "host-secret" || req.FormValue("grant_type") != "client_credentials" {
			r.note("token request %s %v %s:%s", req.Method, ok, id, secret)
			w.WriteHeader(http.StatusUnauthorized)
			return
		}
		fmt.Fprintf(w, `{"access_token":%q,"token_type":"bearer"}`, tok)
	})
	mux.HandleFunc("/2/events", func(w http.ResponseWriter, req *http.Request) {
		if req.Header.Get("Authorization") != "Bearer "+tok || !strings.HasPrefix(req.Header.Get("Content-Type"), "application/cloudevents+json") {
			r.note("event with %q %q", req.Header.Get("Authorization"), req.Header.Get("Content-Type"))
			w.WriteHeader(http.StatusUnauthorized)
			return
		}
		var ev Event
		b, _ := io.ReadAll(req.Body)
		if err := json.Unmarshal(b, &ev); err != nil {
			r.note("event body %s", b)
		}
		r.mu.Lock()
		r.events = append(r.events, ev)
		r.mu.Unlock()
	})
	r.srv = httptest.NewServer(mux)
	t.Cleanup(r.srv.Close)
	return r
}

func (r *requester) note(f string, a ...any) {
	r.mu.Lock()
	r.bad = append(r.bad, fmt.Sprintf(f, a...))
	r.mu.Unlock()
}

func postEvent(t *testing.T, base, auth, typ, id, source, data string) (int, string) {
	t.Helper()
	body := fmt.Sprintf(`{"specversion":"1.0","id":%q,"source":%q,"time":"2025-07-02T10:00:00Z","type":%q,"data":%s}`, id, source, typ, data)
	resp, b := do(t, http.MethodPost, base+"/2/events", auth, strings.NewReader(body), "Content-Type", "application/cloudevents+json; charset=UTF-8")
	return resp.StatusCode, string(b)
}

// A RequestCreated event is answered 200 at once, then by a Fulfilled
// event with the footprints of the requested product that the client may
// see, or a Rejected one with a reason, posted to the requester's
// /2/events with a token from its token endpoint.
func TestEventCallbacks(t *testing.T) {
	pfSchema, errSchema := schemas(t)
	ts, s, _, pfs := newTestServer(t, 3)
	var logMu sync.Mutex
	var logs []string
	s.Logf = func(f string, a ...any) { logMu.Lock(); logs = append(logs, fmt.Sprintf(f, a...)); logMu.Unlock() }
	s.Callbacks = map[string]Credentials{"acme": {"host-id", "host-secret"}, "bob": {"host-id", "host-secret"}}
	acme, bob := bearer(t, ts.URL, "acme", "s3cret:&"), bearer(t, ts.URL, "bob", "pw")

	cases := []struct {
		name      string
		wellKnown bool
		auth      string
		products  string
		wantType  string
		wantIDs   []string // fulfilled: footprint ids
		wantCode  string   // rejected: error code
	}{
		{"fulfilled", false, acme, `["` + pfs[0].ProductIDs[0] + `"]`, EventRequestFulfilled, []string{pfs[0].ID}, ""},
		{"fulfilled, token endpoint from OpenID configuration", true, acme, `["urn:none","` + pfs[2].ProductIDs[0] + `"]`, EventRequestFulfilled, []string{pfs[2].ID}, ""},
		{"rejected: unknown product", false, acme, `["urn:pact:null"]`, EventRequestRejected, nil, CodeNoSuchFootprint},
		{"rejected: not shared with the client", false, bob, `["` + pfs[1].ProductIDs[0] + `"]`, EventRequestRejected, nil, CodeNoSuchFootprint},
		{"rejected: no product ids", false, acme, `[]`, EventRequestRejected, nil, CodeBadRequest},
	}
	for i, c := range cases {
		r := newRequester(t, c.wellKnown)
		reqID := fmt.Sprintf("run-1/%d", i)
		code, body := postEvent(t, ts.URL, c.auth, EventRequestCreated, reqID, r.srv.URL+"/", `{"pf":{"productIds":`+c.products+`},"comment":"please"}`)
		if code != http.StatusOK {
			t.Errorf("%s: POST /2/events = %d %s", c.name, code, body)
			continue
		}
		s.Wait()
		r.mu.Lock()
		evs, bad := r.events, r.bad
		r.mu.Unlock()
		if len(bad) > 0 || len(evs) != 1 {
			t.Errorf("%s: requester got %d events, problems %v", c.name, len(evs), bad)
			continue
		}
		ev := evs[0]
		if ev.Type != c.wantType || ev.SpecVersion != "1.0" || ev.Source != ts.URL || ev.ID == "" || ev.ID == reqID {
			t.Errorf("%s: event %+v", c.name, ev)
		}
		var d struct {
			RequestEventID string            `json:"requestEventId"`
			Pfs            []json.RawMessage `json:"pfs"`
			Error          json.RawMessage   `json:"error"`
		}
		if err := json.Unmarshal(ev.Data, &d); err != nil || d.RequestEventID != reqID {
			t.Errorf("%s: data %s", c.name, ev.Data)
			continue
		}
		var ids []string
		for _, p := range d.Pfs {
			if err := validate(t, pfSchema, c.name, p); err != nil {
				t.Errorf("%s: footprint does not validate: %v", c.name, err)
			}
			var pf ProductFootprint
			_ = json.Unmarshal(p, &pf)
			ids = append(ids, pf.ID)
		}
		if strings.Join(ids, ",") != strings.Join(c.wantIDs, ",") {
			t.Errorf("%s: footprints %v, want %v", c.name, ids, c.wantIDs)
		}
		if c.wantCode != "" {
			var e APIError
			_ = json.Unmarshal(d.Error, &e)
			if e.Code != c.wantCode || e.Message == "" {
				t.Errorf("%s: error %s, want code %s", c.name, d.Error, c.wantCode)
			}
			if c.wantCode != CodeNoSuchFootprint {
				if err := validate(t, errSchema, c.name, d.Error); err != nil {
					t.Errorf("%s: error does not validate: %v", c.name, err)
				}
			}
		}
	}

	// A client without callback credentials gets no answer; the host says so.
	delete(s.Callbacks, "bob")
	r := newRequester(t, false)
	if code, body := postEvent(t, ts.URL, bob, EventRequestCreated, "run-2/1", r.srv.URL, `{"pf":{"productIds":["`+pfs[0].ProductIDs[0]+`"]}}`); code != 200 {
		t.Fatalf("POST: %d %s", code, body)
	}
	s.Wait()
	logMu.Lock()
	last := logs[len(logs)-1]
	logMu.Unlock()
	if len(r.events) != 0 || !strings.Contains(last, `no callback credentials for client "bob"`) {
		t.Errorf("without credentials: %d events, log %q", len(r.events), last)
	}
}

// A Published event that a client posts is handed to OnPublished; Notify
// sends subscribers the ids of the footprints shared with them only.
func TestEventPublished(t *testing.T) {
	ts, s, _, pfs := newTestServer(t, 3)
	var got []string
	s.OnPublished = func(client, source string, ids []string) {
		got = append(got, client+" "+source+" "+strings.Join(ids, ","))
	}
	acme := bearer(t, ts.URL, "acme", "s3cret:&")
	if code, body := postEvent(t, ts.URL, acme, EventPublished, "p1", "https://owner.example", `{"pfIds":["`+pfs[0].ID+`"]}`); code != 200 {
		t.Fatalf("POST Published: %d %s", code, body)
	}
	if len(got) != 1 || got[0] != "acme https://owner.example "+pfs[0].ID {
		t.Errorf("OnPublished got %v", got)
	}

	ra, rb := newRequester(t, false), newRequester(t, true)
	s.Callbacks = map[string]Credentials{"acme": {"host-id", "host-secret"}, "bob": {"host-id", "host-secret"}}
	s.Subscribers = map[string]string{"acme": ra.srv.URL, "bob": rb.srv.URL}
	all := []string{pfs[0].ID, pfs[1].ID, pfs[2].ID}
	if err := s.Notify(context.Background(), "https://host.example", all); err != nil {
		t.Fatal(err)
	}
	check := func(name string, r *requester, want []string) {
		if len(r.events) != 1 || len(r.bad) > 0 {
			t.Fatalf("%s: %d events, problems %v", name, len(r.events), r.bad)
		}
		var d struct {
			PfIDs []string `json:"pfIds"`
		}
		_ = json.Unmarshal(r.events[0].Data, &d)
		if r.events[0].Type != EventPublished || r.events[0].Source != "https://host.example" || strings.Join(d.PfIDs, ",") != strings.Join(want, ",") {
			t.Errorf("%s: event %+v, pfIds %v, want %v", name, r.events[0], d.PfIDs, want)
		}
	}
	check("acme", ra, all)
	check("bob", rb, []string{pfs[0].ID})
}
