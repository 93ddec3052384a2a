package epcisquery_test

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/sillage/sillage"
	"github.com/sillage/sillage/internal/testnet"
	"github.com/sillage/sillage/iot"
	"github.com/sillage/sillage/iot/epc"
	"github.com/sillage/sillage/iot/epcis"
	"github.com/sillage/sillage/iot/epcisquery"
	"github.com/sillage/sillage/store"
	"github.com/sillage/sillage/store/storetest"
)

// The documents served: the EPCIS 2.0 examples of ../shared/data/epcis
// and GS1's EPCISQueryDocument example.
var docFiles = []string{
	"../../../shared/data/epcis/Example_9.6.1-ObjectEvent.jsonld",
	"../../../shared/data/epcis/Example_9.6.2-ObjectEvent.jsonld",
	"../../../shared/data/epcis/Example_9.6.3-AggregationEvent.jsonld",
	"../../../shared/data/epcis/object_event_all_possible_fields.jsonld",
	"../epcis/testdata/corpus/gs1/EPCISQueryDocument.jsonld",
}

// recorded is an event as the test recorded it, for the brute-force
// answer to each query.
type recorded struct {
	ev  epcis.Event
	seq int
}

// sig identifies an event in results: its time, type, bizStep and
// identifiers.
func sig(ev epcis.Event) string {
	var ids []string
	for _, it := range ev.EPCs {
		ids = append(ids, it.Key())
	}
	return fmt.Sprintf("%s %s %s %v", ev.Time.UTC().Format(time.RFC3339Nano), ev.Type, ev.BizStep, ids)
}

// setup records every event of the documents into a store's item history
// (as the ingest does, by iot.HistoryRecord) and serves it.
func setup(t *testing.T, url string) (*httptest.Server, []recorded) {
	t.Helper()
	ctx := context.Background()
	st, err := store.Open(ctx, url)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	n := testnet.Load(t, "tiny")
	if _, err := st.SaveNetwork(ctx, "tiny", n); err != nil {
		t.Fatal(err)
	}
	var all []recorded
	for _, f := range docFiles {
		data, err := os.ReadFile(f)
		if os.IsNotExist(err) {
			t.Skipf("%s: %v", f, err)
		}
		if err != nil {
			t.Fatal(err)
		}
		doc, err := epcis.Decode(data)
		if err != nil {
			t.Fatalf("%s: %v", f, err)
		}
		err = st.IoTBatch(ctx, "tiny", func(tx sillage.IngestTx) error {
			for i := range doc.Events {
				r := iot.HistoryRecord(doc, i, "", "")
				r.Key = filepath.Base(f) + "#" + fmt.Sprint(i)
				if err := tx.(sillage.HistoryTx).RecordEvent(*r); err != nil {
					return err
				}
				all = append(all, recorded{doc.Events[i], len(all)})
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	srv := httptest.NewServer(&epcisquery.Server{Network: "tiny", Store: st, Clients: map[string]string{"auditor": "s3cret"}})
	t.Cleanup(srv.Close)
	return srv, all
}

func token(t *testing.T, srv *httptest.Server, id, secret string) (string, int) {
	t.Helper()
	req, _ := http.NewRequest(http.MethodPost, srv.URL+"/auth/token", strings.NewReader("grant_type=client_credentials"))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.SetBasicAuth(id, secret)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var body struct {
		Token string `json:"access_token"`
	}
	_ = json.NewDecoder(resp.Body).Decode(&body)
	return body.Token, resp.StatusCode
}

// get fetches a URL with a bearer token; it returns the status, the Link
// header and the body.
func get(t *testing.T, u, tok string) (int, string, []byte) {
	t.Helper()
	req, _ := http.NewRequest(http.MethodGet, u, nil)
	if tok != "" {
		req.Header.Set("Authorization", "Bearer "+tok)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, resp.Header.Get("Link"), b
}

var nextLink = regexp.MustCompile(`^<([^>]+)>; rel="next"$`)

// all follows the Link headers from u and returns the events of every
// page, each response checked against the EPCIS 2.0 JSON Schema (as an
// EPCISQueryDocument) by epcis.Decode.
func fetchAll(t *testing.T, u, tok string) (evs []epcis.Event, pages int) {
	t.Helper()
	for u != "" {
		status, link, body := get(t, u, tok)
		if status != http.StatusOK {
			t.Fatalf("GET %s: %d %s", u, status, body)
		}
		doc, err := epcis.Decode(body)
		if err != nil {
			t.Fatalf("GET %s: the response is not a valid EPCIS document: %v\n%s", u, err, body)
		}
		if !strings.Contains(string(body), `"type":"EPCISQueryDocument"`) {
			t.Fatalf("GET %s: not an EPCISQueryDocument: %s", u, body)
		}
		evs = append(evs, doc.Events...)
		pages++
		u = ""
		if link != "" {
			m := nextLink.FindStringSubmatch(link)
			if m == nil {
				t.Fatalf("Link header %q", link)
			}
			u = m[1]
		}
	}
	return evs, pages
}

// want answers a query by brute force over the decoded events.
func want(all []recorded, keep func(epcis.Event) bool) []string {
	var sel []recorded
	for _, r := range all {
		if keep(r.ev) {
			sel = append(sel, r)
		}
	}
	sort.SliceStable(sel, func(i, j int) bool { return sel[i].ev.Time.Before(sel[j].ev.Time) })
	out := make([]string, 0, len(sel))
	for _, r := range sel {
		out = append(out, sig(r.ev))
	}
	return out
}

func lists(ev epcis.Event, gtin, serial string) bool {
	for _, it := range ev.EPCs {
		if it.GTIN == gtin && (serial == "" || it.Serial == serial) {
			return true
		}
	}
	return false
}

func TestEventsQuery(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, dbURL string) {
		srv, all := setup(t, dbURL)
		tok, code := token(t, srv, "auditor", "s3cret")
		if code != http.StatusOK || tok == "" {
			t.Fatalf("token: %d", code)
		}
		const gtin = "10614141073464" // urn:epc:id:sgtin:0614141.107346.*
		t0 := time.Date(2005, 4, 4, 0, 0, 0, 0, time.UTC)
		t1 := time.Date(2013, 1, 1, 0, 0, 0, 0, time.UTC)
		loc, err := epc.ParseLocation("urn:epc:id:sgln:0012345.11111.0")
		if err != nil {
			t.Fatal(err)
		}
		gln := func(l *epc.Location) string {
			if l == nil {
				return ""
			}
			return l.GLN + "/" + l.Extension
		}
		for _, tt := range []struct {
			name  string
			query url.Values
			keep  func(epcis.Event) bool
		}{
			{"everything", url.Values{}, func(epcis.Event) bool { return true }},
			{"MATCH_epc URN", url.Values{"MATCH_epc": {"urn:epc:id:sgtin:0614141.107346.2018"}},
				func(e epcis.Event) bool { return lists(e, gtin, "2018") }},
			{"MATCH_epc Digital Link, two values", url.Values{"MATCH_epc": {"https://id.gs1.org/01/" + gtin + "/21/2017|urn:epc:id:sgtin:0614141.107346.2018"}},
				func(e epcis.Event) bool { return lists(e, gtin, "2017") || lists(e, gtin, "2018") }},
			{"MATCH_epc pattern", url.Values{"MATCH_epc": {"urn:epc:idpat:sgtin:0614141.107346.*"}},
				func(e epcis.Event) bool { return lists(e, gtin, "") }},
			{"EQ_bizStep bare word", url.Values{"EQ_bizStep": {"shipping"}}, func(e epcis.Event) bool { return e.BizStep == "shipping" }},
			{"EQ_bizStep URI", url.Values{"EQ_bizStep": {"https://ref.gs1.org/cbv/BizStep-receiving"}},
				func(e epcis.Event) bool { return e.BizStep == "receiving" }},
			{"EQ_bizLocation", url.Values{"EQ_bizLocation": {"urn:epc:id:sgln:0012345.11111.0"}},
				func(e epcis.Event) bool { return gln(e.BizLocation) == gln(&loc) }},
			{"event time window", url.Values{"GE_eventTime": {t0.Format(time.RFC3339)}, "LT_eventTime": {"2013-01-01T01:00:00+01:00"}},
				func(e epcis.Event) bool { return !e.Time.Before(t0) && e.Time.Before(t1) }},
			{"receiving of 2018 since t0", url.Values{"EQ_bizStep": {"receiving"}, "MATCH_epc": {"urn:epc:id:sgtin:0614141.107346.2018"},
				"GE_eventTime": {t0.Format(time.RFC3339)}},
				func(e epcis.Event) bool {
					return e.BizStep == "receiving" && lists(e, gtin, "2018") && !e.Time.Before(t0)
				}},
		} {
			w := want(all, tt.keep)
			if len(w) == 0 || (len(w) == len(all) && tt.name != "everything") {
				t.Errorf("%s: %d of %d events match: the case tests nothing", tt.name, len(w), len(all))
			}
			for _, per := range []int{1, 2, 30} {
				q := url.Values{}
				for k, v := range tt.query {
					q[k] = v
				}
				q.Set("perPage", fmt.Sprint(per))
				evs, pages := fetchAll(t, srv.URL+"/epcis/events?"+q.Encode(), tok)
				got := make([]string, 0, len(evs))
				for _, e := range evs {
					got = append(got, sig(e))
				}
				if !reflect.DeepEqual(got, w) {
					t.Errorf("%s, perPage %d:\n got %q\nwant %q", tt.name, per, got, w)
				}
				if wantPages := max(1, (len(w)+per-1)/per); pages != wantPages {
					t.Errorf("%s, perPage %d: %d pages for %d events, want %d", tt.name, per, pages, len(w), wantPages)
				}
			}
			if tt.name == "everything" && len(w) != len(all) {
				t.Errorf("everything: %d events, %d recorded", len(w), len(all))
			}
		}
	})
}

// TestEventsQueryErrors: the bearer token is required, bad parameters
// are refused with the EPCIS problem types.
func TestEventsQueryErrors(t *testing.T) {
	srv, _ := setup(t, storetest.SQLiteURL(t))
	if _, code := token(t, srv, "auditor", "wrong"); code != http.StatusUnauthorized {
		t.Errorf("wrong secret: %d, want 401", code)
	}
	tok, _ := token(t, srv, "auditor", "s3cret")
	for _, tt := range []struct {
		path, tok string
		status    int
		problem   string
		detail    string
	}{
		{"/epcis/events", "", 401, "epcisException:SecurityException", "bearer token"},
		{"/epcis/events", "not-a-token", 401, "epcisException:SecurityException", "unknown access token"},
		{"/epcis/events?EQ_disposition=in_transit", tok, 400, "epcisException:QueryParameterException", "EQ_disposition is not supported"},
		{"/epcis/events?perPage=0", tok, 400, "epcisException:QueryParameterException", "perPage"},
		{"/epcis/events?GE_eventTime=yesterday", tok, 400, "epcisException:QueryParameterException", "RFC 3339"},
		{"/epcis/events?MATCH_epc=urn:epc:id:sgtin:0614141.107346", tok, 400, "epcisException:QueryParameterException", "MATCH_epc value"},
		{"/epcis/events?nextPageToken=abc", tok, 400, "epcisException:QueryParameterException", "nextPageToken"},
		{"/epcis/events?EQ_bizLocation=somewhere", tok, 400, "epcisException:QueryParameterException", "EQ_bizLocation value"},
		{"/epcis/nothing", tok, 404, "epcisException:NoSuchResourceException", "not served"},
	} {
		status, _, body := get(t, srv.URL+tt.path, tt.tok)
		var p struct {
			Type   string `json:"type"`
			Status int    `json:"status"`
			Detail string `json:"detail"`
		}
		if err := json.Unmarshal(body, &p); err != nil {
			t.Fatalf("%s: %v: %s", tt.path, err, body)
		}
		if status != tt.status || p.Type != tt.problem || p.Status != tt.status || !strings.Contains(p.Detail, tt.detail) {
			t.Errorf("%s: %d %+v, want %d %s with %q", tt.path, status, p, tt.status, tt.problem, tt.detail)
		}
	}
}
