package pact

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/sillage/sillage"
	"github.com/sillage/sillage/store"
	"github.com/sillage/sillage/store/storetest"
)

type fakeClock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *fakeClock) now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *fakeClock) add(d time.Duration) {
	c.mu.Lock()
	c.t = c.t.Add(d)
	c.mu.Unlock()
}

// openStore opens a fresh SQLite store for the test.
func openStore(t *testing.T) *store.Store {
	t.Helper()
	st, err := store.Open(context.Background(), storetest.SQLiteURL(t))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	return st
}

// testFootprints returns n footprints of n products (product ids
// urn:test:pN), created one hour apart from 2025-07-01 00:00 UTC.
func testFootprints(t *testing.T, n int) []ProductFootprint {
	base := exampleFootprint(t)
	pfs := make([]ProductFootprint, n)
	for i := range pfs {
		pf := base
		pf.ID = footprintID("c", "sku", period[0], i+1)
		pf.ProductIDs = []string{"urn:test:p" + string(rune('0'+i))}
		pf.Created = time.Date(2025, 7, 1, i, 0, 0, 0, time.UTC)
		pfs[i] = pf
	}
	return pfs
}

// newTestServer publishes n footprints into a fresh store, shares all of
// them with client acme and the first one only with client bob, and
// serves them.
func newTestServer(t *testing.T, n int) (*httptest.Server, *Server, *fakeClock, []ProductFootprint) {
	t.Helper()
	st := openStore(t)
	ctx := context.Background()
	pfs := testFootprints(t, n)
	for _, pf := range pfs {
		if _, _, err := Publish(ctx, st, pf, pf.Created); err != nil {
			t.Fatal(err)
		}
	}
	if err := st.SharePACT(ctx, "acme", []string{sillage.PACTShareAll}); err != nil {
		t.Fatal(err)
	}
	if err := st.SharePACT(ctx, "bob", pfs[0].ProductIDs); err != nil {
		t.Fatal(err)
	}
	clock := &fakeClock{t: time.Date(2025, 7, 2, 10, 0, 0, 0, time.UTC)}
	s := &Server{Clients: map[string]string{"acme": "s3cret:&", "bob": "pw"}, Store: st, TokenTTL: time.Hour, DefaultLimit: 2, Now: clock.now}
	ts := httptest.NewServer(s)
	t.Cleanup(func() { ts.Close(); s.Wait() })
	return ts, s, clock, pfs
}

func do(t *testing.T, method, u, auth string, body io.Reader, hdr ...string) (*http.Response, []byte) {
	t.Helper()
	req, err := http.NewRequest(method, u, body)
	if err != nil {
		t.Fatal(err)
	}
	if auth != "" {
		req.Header.Set("Authorization", auth)
	}
	if body != nil {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	for i := 0; i+1 < len(hdr); i += 2 {
		req.Header.Set(hdr[i], hdr[i+1])
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp, data
}

func getToken(t *testing.T, base, id, secret string) (int, map[string]any) {
	t.Helper()
	resp, data := do(t, http.MethodPost, base+"/auth/token", BasicAuth(id, secret), strings.NewReader("grant_type=client_credentials"))
	var m map[string]any
	if err := json.Unmarshal(data, &m); err != nil {
		t.Fatalf("token response %q: %v", data, err)
	}
	return resp.StatusCode, m
}

func bearer(t *testing.T, base, id, secret string) string {
	t.Helper()
	code, m := getToken(t, base, id, secret)
	if code != http.StatusOK || m["token_type"] != "bearer" || m["access_token"] == "" {
		t.Fatalf("token = %d %v", code, m)
	}
	return "Bearer " + m["access_token"].(string)
}

// The error statuses and codes of the spec's table, each body valid
// against the Error schema.
func TestServerErrorTable(t *testing.T) {
	_, errSchema := schemas(t)
	ts, _, clock, pfs := newTestServer(t, 3)
	acme := bearer(t, ts.URL, "acme", "s3cret:&")
	bob := bearer(t, ts.URL, "bob", "pw")
	event := `{"specversion":"1.0","id":"e1","source":"https://r.example","time":"2025-07-02T10:00:00Z","type":"%s","data":%s}`
	ev := func(typ, data string) io.Reader {
		return strings.NewReader(strings.Replace(strings.Replace(event, "%s", typ, 1), "%s", data, 1))
	}
	cases := []struct {
		name         string
		method, path string
		auth         string
		body         io.Reader
		status       int
		code         string
	}{
		{"no token", "GET", "/2/footprints", "", nil, 400, CodeBadRequest},
		{"invalid token", "GET", "/2/footprints", "Bearer nope", nil, 400, CodeBadRequest},
		{"basic instead of bearer", "GET", "/2/footprints", "Basic abc", nil, 400, CodeBadRequest},
		{"invalid token, one footprint", "GET", "/2/footprints/" + pfs[0].ID, "Bearer nope", nil, 400, CodeBadRequest},
		{"invalid token, events", "POST", "/2/events", "Bearer nope", ev(EventPublished, `{"pfIds":["`+pfs[0].ID+`"]}`), 400, CodeBadRequest},
		{"bad limit", "GET", "/2/footprints?limit=0", acme, nil, 400, CodeBadRequest},
		{"bad limit text", "GET", "/2/footprints?limit=x", acme, nil, 400, CodeBadRequest},
		{"bad offset", "GET", "/2/footprints?offset=-1", acme, nil, 400, CodeBadRequest},
		{"bad filter", "GET", "/2/footprints?" + url.Values{"$filter": {"created ge"}}.Encode(), acme, nil, 400, CodeBadRequest},
		{"filter outside the subset", "GET", "/2/footprints?" + url.Values{"$filter": {"status ne 'Active'"}}.Encode(), acme, nil, 400, CodeNotImplemented},
		{"unknown footprint", "GET", "/2/footprints/00000000-0000-4000-8000-000000000000", acme, nil, 404, CodeNoSuchFootprint},
		{"footprint not shared", "GET", "/2/footprints/" + pfs[1].ID, bob, nil, 403, CodeAccessDenied},
		{"unknown path", "GET", "/3/footprints", acme, nil, 404, CodeNotFound},
		{"wrong method", "POST", "/2/footprints", acme, nil, 405, CodeBadRequest},
		{"event not JSON", "POST", "/2/events", acme, strings.NewReader("{"), 400, CodeBadRequest},
		{"event without specversion", "POST", "/2/events", acme, strings.NewReader(`{"id":"x","source":"https://r","type":"` + EventPublished + `","data":{}}`), 400, CodeBadRequest},
		{"published with a URN", "POST", "/2/events", acme, ev(EventPublished, `{"pfIds":["urn:gtin:4712345060507"]}`), 400, CodeBadRequest},
		{"request without pf", "POST", "/2/events", acme, ev(EventRequestCreated, `{"comment":"x"}`), 400, CodeBadRequest},
		{"request with a relative source", "POST", "/2/events", acme, strings.NewReader(`{"specversion":"1.0","id":"e","source":"/x","type":"` + EventRequestCreated + `","data":{"pf":{}}}`), 400, CodeBadRequest},
		{"fulfilled to a host that asks nothing", "POST", "/2/events", acme, ev(EventRequestFulfilled, `{"requestEventId":"x","pfs":[]}`), 400, CodeNotImplemented},
		{"unknown event type", "POST", "/2/events", acme, ev("org.example.Other", `{}`), 400, CodeBadRequest},
	}
	for _, c := range cases {
		resp, data := do(t, c.method, ts.URL+c.path, c.auth, c.body)
		var e APIError
		_ = json.Unmarshal(data, &e)
		if resp.StatusCode != c.status || e.Code != c.code {
			t.Errorf("%s: %d %s, want %d %s", c.name, resp.StatusCode, data, c.status, c.code)
		}
		// The OpenAPI enum names the 404 code NotFound; the Tech Specs
		// table and the conformance suite (case 8) say NoSuchFootprint.
		if err := validate(t, errSchema, c.name, data); err != nil && c.code != CodeNoSuchFootprint {
			t.Errorf("%s: body %s does not validate: %v", c.name, data, err)
		}
	}
	// Bad credentials at the token endpoint: 401 invalid_client (RFC 6749 §5.2).
	for _, c := range [][2]string{{"acme", "wrong"}, {"nobody", "s3cret:&"}} {
		code, m := getToken(t, ts.URL, c[0], c[1])
		if code != http.StatusUnauthorized || m["error"] != "invalid_client" {
			t.Errorf("token(%s,%s) = %d %v", c[0], c[1], code, m)
		}
	}
	resp, _ := do(t, http.MethodPost, ts.URL+"/auth/token", BasicAuth("acme", "s3cret:&"), strings.NewReader("grant_type=password"))
	if resp.StatusCode != http.StatusBadRequest {
		t.Errorf("grant_type=password: status %d", resp.StatusCode)
	}
	// After the token's lifetime: 401 TokenExpired.
	clock.add(time.Hour)
	resp, data := do(t, http.MethodGet, ts.URL+"/2/footprints", acme, nil)
	if resp.StatusCode != http.StatusUnauthorized || !strings.Contains(string(data), `"TokenExpired"`) || validate(t, errSchema, "401", data) != nil {
		t.Errorf("expired token: %d %s", resp.StatusCode, data)
	}
}

// Paging through the Link header returns every footprint once, in
// created order, each valid against the ProductFootprint schema.
func TestServerPaging(t *testing.T) {
	pfSchema, _ := schemas(t)
	ts, _, _, pfs := newTestServer(t, 5)
	acme := bearer(t, ts.URL, "acme", "s3cret:&")
	var got []string
	next := ts.URL + "/2/footprints?limit=2"
	linkRE := regexp.MustCompile(`^<([^>]+)>; rel="next"$`)
	for pages := 0; next != ""; pages++ {
		if pages > 5 {
			t.Fatal("paging does not end")
		}
		resp, data := do(t, http.MethodGet, next, acme, nil)
		if resp.StatusCode != http.StatusOK {
			t.Fatalf("GET %s: %d %s", next, resp.StatusCode, data)
		}
		var page struct{ Data []json.RawMessage }
		if err := json.Unmarshal(data, &page); err != nil {
			t.Fatal(err)
		}
		if len(page.Data) > 2 {
			t.Errorf("page of %d > limit 2", len(page.Data))
		}
		for _, d := range page.Data {
			if err := validate(t, pfSchema, "listed", d); err != nil {
				t.Errorf("listed footprint does not validate: %v", err)
			}
			var pf ProductFootprint
			_ = json.Unmarshal(d, &pf)
			got = append(got, pf.ID)
		}
		next = ""
		if l := resp.Header.Get("Link"); l != "" {
			mm := linkRE.FindStringSubmatch(l)
			if mm == nil {
				t.Fatalf("Link header %q", l)
			}
			next = mm[1]
		}
	}
	if len(got) != len(pfs) {
		t.Fatalf("paged through %d footprints, want %d", len(got), len(pfs))
	}
	for i := range pfs {
		if got[i] != pfs[i].ID {
			t.Errorf("footprint %d = %s, want %s", i, got[i], pfs[i].ID)
		}
	}
	resp, data := do(t, http.MethodGet, ts.URL+"/2/footprints/"+pfs[3].ID, acme, nil)
	var one struct{ Data json.RawMessage }
	_ = json.Unmarshal(data, &one)
	if resp.StatusCode != http.StatusOK || validate(t, pfSchema, "one", one.Data) != nil || !strings.Contains(string(one.Data), pfs[3].ID) {
		t.Errorf("GET one: %d %s", resp.StatusCode, data)
	}
}

// Behind a TLS-terminating proxy the Link header carries the public
// scheme and host the proxy reports.
func TestServerLinkBehindProxy(t *testing.T) {
	ts, _, _, _ := newTestServer(t, 3)
	acme := bearer(t, ts.URL, "acme", "s3cret:&")
	host := strings.TrimPrefix(ts.URL, "http://")
	cases := []struct {
		name string
		hdr  []string
		want string
	}{
		{"direct", nil, "http://" + host},
		{"X-Forwarded-Proto", []string{"X-Forwarded-Proto", "https"}, "https://" + host},
		{"X-Forwarded-Proto and Host", []string{"X-Forwarded-Proto", "https, http", "X-Forwarded-Host", "pact.example.com"}, "https://pact.example.com"},
		{"Forwarded", []string{"Forwarded", `for=10.0.0.1;proto=https;host="api.example.com:8443", for=10.0.0.2;proto=http`}, "https://api.example.com:8443"},
		{"Forwarded wins over X-Forwarded", []string{"Forwarded", "proto=https;host=a.example", "X-Forwarded-Proto", "http", "X-Forwarded-Host", "b.example"}, "https://a.example"},
		{"bad host ignored", []string{"X-Forwarded-Proto", "https", "X-Forwarded-Host", "evil/<x>"}, "https://" + host},
	}
	for _, c := range cases {
		resp, data := do(t, http.MethodGet, ts.URL+"/2/footprints?limit=1", acme, nil, c.hdr...)
		want := "<" + c.want + "/2/footprints?limit=1&offset=1>; rel=\"next\""
		if resp.StatusCode != 200 || resp.Header.Get("Link") != want {
			t.Errorf("%s: %d Link %q, want %q (%s)", c.name, resp.StatusCode, resp.Header.Get("Link"), want, data)
		}
	}
}

// A client sees only the footprints shared with it, in lists and one by
// one.
func TestServerScoping(t *testing.T) {
	ts, _, _, pfs := newTestServer(t, 3)
	ids := func(auth, q string) []string {
		resp, data := do(t, http.MethodGet, ts.URL+"/2/footprints"+q, auth, nil)
		if resp.StatusCode != 200 {
			t.Fatalf("list: %d %s", resp.StatusCode, data)
		}
		var page struct{ Data []ProductFootprint }
		_ = json.Unmarshal(data, &page)
		var out []string
		for _, pf := range page.Data {
			out = append(out, pf.ID)
		}
		return out
	}
	acme, bob := bearer(t, ts.URL, "acme", "s3cret:&"), bearer(t, ts.URL, "bob", "pw")
	if got := ids(acme, "?limit=10"); len(got) != 3 {
		t.Errorf("acme (shares *) sees %v, want all 3", got)
	}
	if got := ids(bob, "?limit=10"); len(got) != 1 || got[0] != pfs[0].ID {
		t.Errorf("bob sees %v, want only %s", got, pfs[0].ID)
	}
	if resp, _ := do(t, http.MethodGet, ts.URL+"/2/footprints/"+pfs[0].ID, bob, nil); resp.StatusCode != 200 {
		t.Errorf("bob GET his footprint: %d", resp.StatusCode)
	}
}

// $filter selects footprints: compared with the created times set by
// testFootprints (hours 0..4 of 2025-07-01).
func TestServerFilter(t *testing.T) {
	ts, _, _, pfs := newTestServer(t, 5)
	acme := bearer(t, ts.URL, "acme", "s3cret:&")
	cases := []struct {
		filter string
		want   []int
	}{
		{"created ge '2025-07-01T02:00:00Z'", []int{2, 3, 4}},
		{"created gt '2025-07-01T02:00:00Z' and created lt '2025-07-01T04:00:00Z'", []int{3}},
		{"productIds/any(productId:(productId eq 'urn:test:p1'))", []int{1}},
		{"(productIds/any(p:p eq 'urn:test:p4')) and pcf/declaredUnit eq 'kilogram'", []int{4}},
		{"pcf/declaredUnit eq 'liter'", nil},
	}
	for _, c := range cases {
		resp, data := do(t, http.MethodGet, ts.URL+"/2/footprints?limit=10&"+url.Values{"$filter": {c.filter}}.Encode(), acme, nil)
		var page struct{ Data []ProductFootprint }
		_ = json.Unmarshal(data, &page)
		var got, want []string
		for _, pf := range page.Data {
			got = append(got, pf.ID)
		}
		for _, i := range c.want {
			want = append(want, pfs[i].ID)
		}
		if resp.StatusCode != 200 || strings.Join(got, ",") != strings.Join(want, ",") {
			t.Errorf("%s: %d %v, want %v", c.filter, resp.StatusCode, got, want)
		}
	}
	// The Link of a filtered page keeps the filter.
	f := "created ge '2025-07-01T01:00:00Z'"
	resp, _ := do(t, http.MethodGet, ts.URL+"/2/footprints?limit=1&"+url.Values{"$filter": {f}}.Encode(), acme, nil)
	if l := resp.Header.Get("Link"); !strings.Contains(l, url.Values{"$filter": {f}}.Encode()) {
		t.Errorf("Link %q lost the filter", l)
	}
}
