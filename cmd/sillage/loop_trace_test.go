package main

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/sillage/sillage/internal/syncbuf"
	"github.com/sillage/sillage/internal/testhelp"
	"github.com/sillage/sillage/iot"
	"github.com/sillage/sillage/iot/epcis"
	"github.com/sillage/sillage/store"
)

// wantJourney is the journey of a bag the tannery commissioned, shipped
// on a purchase order to DC-PAR, which received it and shipped it on a
// transfer to BTQ-LON, which received and sold it: per step the site
// (-> destination), the bizStep and the kind of order it names.
const wantJourney = "SUP-FLR commissioning|SUP-FLR->DC-PAR shipping po|DC-PAR receiving po|" +
	"DC-PAR->BTQ-LON shipping to|BTQ-LON receiving to|BTQ-LON retail_selling"

// traceSoldBag sells at BTQ-LON one of the bags the warehouse moved there
// (published as the boutique's point of sale, through the ingest), then
// follows it back to the supplier that commissioned it with every hop,
// through `sillage trace --json` and through the EPCIS query API of
// `sillage epcis-serve` (GET /epcis/events?MATCH_epc=...).
func traceSoldBag(ctx context.Context, t *testing.T, st *store.Store, pub iot.Publisher, dbURL string) {
	t.Helper()
	keys, err := st.PresentItems(ctx, "tiny", "BTQ-LON", "BAG-01", 1)
	if err != nil || len(keys) != 1 {
		t.Fatalf("a bag present at BTQ-LON: %v %v", keys, err)
	}
	bag := "https://id.gs1.org/01/" + keys[0].GTIN + "/21/" + url.PathEscape(keys[0].Serial)
	now := time.Now().UTC()
	sale := iot.ObjectEvent{Time: now, Action: epcis.ActionObserve, BizStep: "retail_selling", Disposition: "retail_sold",
		BizLocation: "3760123450034", EPCs: []string{bag}} // BTQ-LON's GLN
	payload, err := iot.EncodeEvents(now, sale)
	if err != nil {
		t.Fatal(err)
	}
	if err := pub.Publish(ctx, iot.SiteTopic("BTQ-LON", iot.KindEPCIS), payload); err != nil {
		t.Fatal(err)
	}
	testhelp.Eventually(t, 20*time.Second, "the bag sold at BTQ-LON", func() bool {
		p, err := st.GetPosition(ctx, "tiny", "BTQ-LON", "BAG-01")
		return err == nil && p.OnHand == 1
	})

	tr, out := traceJSON(t, "--db", dbURL, "--network", "tiny", bag)
	var steps []string
	for _, s := range tr.Steps {
		steps = append(steps, journeyStep(s.Site, s.DestSite, s.BizStep, s.Orders))
	}
	if got := strings.Join(steps, "|"); got != wantJourney {
		t.Errorf("sillage trace %s:\n got %s\nwant %s\n%s", bag, got, wantJourney, out)
	}

	// The same journey through the query API.
	var sout, serr syncbuf.Buffer
	sctx, stop := context.WithCancel(ctx)
	defer stop()
	done := make(chan int, 1)
	go func() {
		done <- run(sctx, []string{"epcis-serve", "--db", dbURL, "--network", "tiny", "--client", "auditor:s3cret", "--addr", "127.0.0.1:0"}, &sout, &serr)
	}()
	var base string
	testhelp.Eventually(t, 10*time.Second, "epcis-serve listening", func() bool {
		line, _ := bufio.NewReader(strings.NewReader(sout.String())).ReadString('\n')
		if _, rest, ok := strings.Cut(line, "listening on "); ok {
			base, _, _ = strings.Cut(rest, " ")
		}
		return base != ""
	})
	treq, _ := http.NewRequestWithContext(ctx, http.MethodPost, base+"/auth/token", strings.NewReader("grant_type=client_credentials"))
	treq.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	treq.SetBasicAuth("auditor", "s3cret")
	resp, err := http.DefaultClient.Do(treq)
	if err != nil {
		t.Fatal(err)
	}
	var tok struct {
		AccessToken string `json:"access_token"`
	}
	err = json.NewDecoder(resp.Body).Decode(&tok)
	resp.Body.Close()
	if err != nil || tok.AccessToken == "" {
		t.Fatalf("token: %v %+v", err, tok)
	}
	req, _ := http.NewRequestWithContext(ctx, http.MethodGet, base+"/epcis/events?MATCH_epc="+url.QueryEscape(bag), nil)
	req.Header.Set("Authorization", "Bearer "+tok.AccessToken)
	resp, body := testhelp.Do(t, nil, req)
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("GET /epcis/events: %s: %s", resp.Status, body)
	}
	var doc struct {
		EPCISBody struct {
			QueryResults struct {
				ResultsBody struct {
					EventList []struct {
						BizStep            string                            `json:"bizStep"`
						BizLocation        struct{ ID string }               `json:"bizLocation"`
						ReadPoint          struct{ ID string }               `json:"readPoint"`
						DestinationList    []struct{ Destination string }    `json:"destinationList"`
						BizTransactionList []struct{ BizTransaction string } `json:"bizTransactionList"`
					} `json:"eventList"`
				} `json:"resultsBody"`
			} `json:"queryResults"`
		} `json:"epcisBody"`
	}
	if err := json.Unmarshal(body, &doc); err != nil {
		t.Fatalf("query document: %v\n%s", err, body)
	}
	site := map[string]string{"3760123450003": "SUP-FLR", "3760123450010": "DC-PAR", "3760123450034": "BTQ-LON"}
	siteOf := func(id string) string { // an SGLN URI or a Digital Link of the site's GLN
		for gln, s := range site {
			if id != "" && (strings.Contains(id, gln) || strings.Contains(id, sglnOf(gln))) {
				return s
			}
		}
		return id
	}
	steps = steps[:0]
	for _, e := range doc.EPCISBody.QueryResults.ResultsBody.EventList {
		where := siteOf(e.BizLocation.ID)
		if where == "" {
			where = siteOf(e.ReadPoint.ID)
		}
		dest := ""
		if len(e.DestinationList) > 0 {
			dest = siteOf(e.DestinationList[0].Destination)
		}
		var refs []string
		for _, b := range e.BizTransactionList {
			refs = append(refs, b.BizTransaction)
		}
		steps = append(steps, journeyStep(where, dest, strings.TrimPrefix(e.BizStep, "https://ref.gs1.org/cbv/BizStep-"), refs))
	}
	if got := strings.Join(steps, "|"); got != wantJourney {
		t.Errorf("GET /epcis/events?MATCH_epc=%s:\n got %s\nwant %s\n%s", bag, got, wantJourney, body)
	}
	t.Logf("%s, through the query API: %s", bag, strings.Join(steps, " | "))
	stop()
	if code := <-done; code != 0 {
		t.Errorf("epcis-serve exited with %d: %s", code, serr.String())
	}
}

// journeyStep writes one step of a journey as wantJourney does: the kind
// of order (po, to) a business transaction names, if any.
func journeyStep[R any](site, dest, bizStep string, orders []R) string {
	s := site
	if dest != "" {
		s += "->" + dest
	}
	s += " " + bizStep
	for _, o := range orders {
		id := fmt.Sprint(o)
		switch {
		case strings.Contains(id, "po:"):
			return s + " po"
		case strings.Contains(id, "to:"):
			return s + " to"
		}
	}
	return s
}

// sglnOf is the SGLN URI of tiny.yaml's GLNs (company prefix 3760123).
func sglnOf(gln string) string {
	return fmt.Sprintf("urn:epc:id:sgln:%s.%s.0", gln[:7], gln[7:12])
}
