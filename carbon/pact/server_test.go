package pact

import (
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

func newTestServer(t *testing.T, n int) (*httptest.Server, *fakeClock, []ProductFootprint) {
	t.Helper()
	base := exampleFootprint(t)
	pfs := make([]ProductFootprint, n)
	for i := range pfs {
		pf := base
		pf.ID = footprintID("c", "sku", period[0], i+1)
		pf.Version = i + 1
		pfs[i] = pf
	}
	clock := &fakeClock{t: time.Date(2025, 7, 2, 10, 0, 0, 0, time.UTC)}
	s := &Server{Clients: map[string]string{"acme": "s3cret:&"}, TokenTTL: time.Hour, DefaultLimit: 2, Now: clock.now}
	s.SetFootprints(pfs)
	ts := httptest.NewServer(s)
	t.Cleanup(ts.Close)
	return ts, clock, pfs
}

func do(t *testing.T, method, u, auth string, body io.Reader) (*http.Response, []byte) {
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

func TestServerAuthAndFootprints(t *testing.T) {
	pfSchema, errSchema := schemas(t)
	ts, clock, pfs := newTestServer(t, 5)

	// Bad credentials: 401 invalid_client, per RFC 6749 §5.2.
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
	code, m := getToken(t, ts.URL, "acme", "s3cret:&")
	if code != http.StatusOK || m["token_type"] != "bearer" || m["access_token"] == "" {
		t.Fatalf("token = %d %v", code, m)
	}
	bearer := "Bearer " + m["access_token"].(string)

	// Without or with a wrong token: 403 AccessDenied, body per the Error schema.
	for _, auth := range []string{"", "Bearer nope", "Basic abc"} {
		resp, data := do(t, http.MethodGet, ts.URL+"/2/footprints", auth, nil)
		if resp.StatusCode != http.StatusForbidden {
			t.Errorf("auth %q: status %d", auth, resp.StatusCode)
		}
		if err := validate(t, errSchema, "error", data); err != nil || !strings.Contains(string(data), `"AccessDenied"`) {
			t.Errorf("auth %q: body %s (%v)", auth, data, err)
		}
	}

	// Paging: limit 2 over 5 footprints -> 3 pages linked by rel="next".
	var got []string
	next := ts.URL + "/2/footprints?limit=2"
	linkRE := regexp.MustCompile(`^<([^>]+)>; rel="next"$`)
	for pages := 0; next != ""; pages++ {
		if pages > 5 {
			t.Fatal("paging does not end")
		}
		resp, data := do(t, http.MethodGet, next, bearer, nil)
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
			if u, err := url.Parse(next); err != nil || u.Host == "" {
				t.Fatalf("Link %q is not absolute", next)
			}
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

	// Default limit when none is given.
	_, data := do(t, http.MethodGet, ts.URL+"/2/footprints", bearer, nil)
	var page struct{ Data []json.RawMessage }
	_ = json.Unmarshal(data, &page)
	if len(page.Data) != 2 {
		t.Errorf("default page has %d, want 2", len(page.Data))
	}
	for _, bad := range []string{"limit=0", "limit=x", "offset=-1"} {
		resp, data := do(t, http.MethodGet, ts.URL+"/2/footprints?"+bad, bearer, nil)
		if resp.StatusCode != http.StatusBadRequest || !strings.Contains(string(data), `"BadRequest"`) {
			t.Errorf("%s: %d %s", bad, resp.StatusCode, data)
		}
	}

	// One footprint, and an unknown one.
	resp, data = do(t, http.MethodGet, ts.URL+"/2/footprints/"+pfs[3].ID, bearer, nil)
	var one struct{ Data json.RawMessage }
	_ = json.Unmarshal(data, &one)
	if resp.StatusCode != http.StatusOK || validate(t, pfSchema, "one", one.Data) != nil || !strings.Contains(string(one.Data), pfs[3].ID) {
		t.Errorf("GET one: %d %s", resp.StatusCode, data)
	}
	resp, data = do(t, http.MethodGet, ts.URL+"/2/footprints/00000000-0000-4000-8000-000000000000", bearer, nil)
	if resp.StatusCode != http.StatusNotFound || validate(t, errSchema, "404", data) != nil {
		t.Errorf("GET unknown: %d %s", resp.StatusCode, data)
	}
	resp, _ = do(t, http.MethodPost, ts.URL+"/2/footprints", bearer, nil)
	if resp.StatusCode != http.StatusMethodNotAllowed {
		t.Errorf("POST /2/footprints: %d", resp.StatusCode)
	}
	resp, data = do(t, http.MethodPost, ts.URL+"/2/events", bearer, strings.NewReader("{}"))
	if resp.StatusCode != http.StatusBadRequest || !strings.Contains(string(data), "NotImplemented") {
		t.Errorf("POST /2/events: %d %s", resp.StatusCode, data)
	}

	// After the token's lifetime: 401 TokenExpired.
	clock.add(time.Hour)
	resp, data = do(t, http.MethodGet, ts.URL+"/2/footprints", bearer, nil)
	if resp.StatusCode != http.StatusUnauthorized || !strings.Contains(string(data), `"TokenExpired"`) || validate(t, errSchema, "401", data) != nil {
		t.Errorf("expired token: %d %s", resp.StatusCode, data)
	}
}
