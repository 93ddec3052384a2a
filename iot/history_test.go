package iot_test

import (
	"context"
	"database/sql"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	neturl "net/url"
	"os"
	"reflect"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/sillage/sillage"
	"github.com/sillage/sillage/internal/oauth2cc"
	"github.com/sillage/sillage/iot"
	"github.com/sillage/sillage/iot/epc"
	"github.com/sillage/sillage/iot/epcis"
	"github.com/sillage/sillage/iot/epcisquery"
	"github.com/sillage/sillage/optimize/forecast"
	"github.com/sillage/sillage/store"
	"github.com/sillage/sillage/store/storetest"
)

const glnSup = "3760123450003"

// journey is the life of three bags of tiny.yaml, from the tannery to a
// sale in the Paris boutique, in the week of Monday 2026-03-02, and the
// store it was applied to (its clock at Monday 10:00 UTC).
type journey struct {
	st    *store.Store
	net   *sillage.Network
	clock *time.Time
}

var (
	weekOf = time.Date(2026, 3, 2, 0, 0, 0, 0, time.UTC) // a Monday
	sscc   = "urn:epc:id:sscc:3760123.0000000001"
	po     = epcis.BizTransaction{Type: "po", ID: "urn:sillage:po:plan-1:SUP-FLR:1"}
	to     = epcis.BizTransaction{Type: "desadv", ID: "urn:sillage:to:plan-1:DC-PAR:BTQ-PAR:1"}
)

func newJourney(t *testing.T, url string) *journey {
	t.Helper()
	ctx := context.Background()
	clock := weekOf.Add(10 * time.Hour)
	st, n := seedTinyNetwork(t, url, func() time.Time { return clock })
	j := &journey{st: st, net: n, clock: &clock}
	at := func(h int) time.Time { return weekOf.Add(time.Duration(h) * time.Hour) }
	p := &iot.Processor{Catalog: iot.NewCatalog(n), Now: func() time.Time { return at(200) }}
	steps := []struct {
		site string
		ev   iot.ObjectEvent
	}{
		{"SUP-FLR", iot.ObjectEvent{ID: "urn:uuid:c1", Time: at(11), Action: epcis.ActionAdd, BizStep: "commissioning", Disposition: "active",
			BizLocation: glnSup, EPCs: bags(1, 2, 3)}},
		{"SUP-FLR", iot.ObjectEvent{ID: "urn:uuid:s1", Time: at(12), Action: epcis.ActionObserve, BizStep: "shipping", Disposition: "in_transit",
			ReadPoint: glnSup, Destination: glnDC, EPCs: append(bags(1, 2, 3), sscc), BizTransactions: []epcis.BizTransaction{po}}},
		{"DC-PAR", iot.ObjectEvent{ID: "urn:uuid:r1", Time: at(30), Action: epcis.ActionObserve, BizStep: "receiving", Disposition: "in_progress",
			BizLocation: glnDC, EPCs: append(bags(1, 2, 3), sscc), BizTransactions: []epcis.BizTransaction{po}}},
		{"DC-PAR", iot.ObjectEvent{ID: "urn:uuid:s2", Time: at(40), Action: epcis.ActionObserve, BizStep: "shipping", Disposition: "in_transit",
			ReadPoint: glnDC, Destination: glnBTQPar, EPCs: bags(1, 2), BizTransactions: []epcis.BizTransaction{to}}},
		{"BTQ-PAR", iot.ObjectEvent{ID: "urn:uuid:r2", Time: at(50), Action: epcis.ActionObserve, BizStep: "receiving",
			BizLocation: glnBTQPar, EPCs: bags(1, 2), BizTransactions: []epcis.BizTransaction{to}}},
		{"BTQ-PAR", iot.ObjectEvent{ID: "urn:uuid:x1", Time: at(58), Action: epcis.ActionObserve, BizStep: "retail_selling", Disposition: "retail_sold",
			BizLocation: glnBTQPar, EPCs: bags(1, 2)}},
	}
	for _, s := range steps {
		b, err := iot.EncodeEvents(at(0), s.ev)
		if err != nil {
			t.Fatal(err)
		}
		m := iot.Message{Topic: iot.SiteTopic(s.site, iot.KindEPCIS), Payload: b, ReceivedAt: at(100)}
		stats, err := p.Process(ctx, st, []iot.Message{m, m}) // and its redelivery
		if err != nil {
			t.Fatal(err)
		}
		if stats.DeadLetters != 0 || stats.Events != 1 {
			t.Fatalf("%s at %s: %+v", s.ev.BizStep, s.site, stats)
		}
	}
	// The sale is read again by another portal: no second sale.
	again := steps[5].ev
	again.ID, again.Time = "", at(59)
	b, _ := iot.EncodeEvents(at(0), again)
	if _, err := p.Process(ctx, st, []iot.Message{{Topic: iot.SiteTopic("BTQ-PAR", iot.KindEPCIS), Payload: b, ReceivedAt: at(100)}}); err != nil {
		t.Fatal(err)
	}
	return j
}

func key(t *testing.T, id string) string {
	t.Helper()
	k, err := epc.ParseKey(id)
	if err != nil {
		t.Fatal(err)
	}
	return k.Path()
}

// TestItemJourney traces bag 1 from its commissioning at the tannery to
// its sale, and the pallet (SSCC) stock does not track, through the
// store's item history, whatever form the identifier is asked in.
func TestItemJourney(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, url string) {
		j := newJourney(t, url)
		ctx := context.Background()
		type step struct {
			site, dest, bizStep, tx string
			hour                    int
		}
		want := []step{
			{"SUP-FLR", "", "commissioning", "", 11},
			{"SUP-FLR", "DC-PAR", "shipping", po.ID, 12},
			{"DC-PAR", "", "receiving", po.ID, 30},
			{"DC-PAR", "BTQ-PAR", "shipping", to.ID, 40},
			{"BTQ-PAR", "", "receiving", to.ID, 50},
			{"BTQ-PAR", "", "retail_selling", "", 58},
			{"BTQ-PAR", "", "retail_selling", "", 59},
		}
		for _, form := range []string{bags(1)[0], "https://id.gs1.org/01/" + gtinBag + "/21/1"} {
			evs, err := j.st.ItemHistory(ctx, "tiny", key(t, form))
			if err != nil {
				t.Fatal(err)
			}
			var got []step
			for _, e := range evs {
				s := step{site: e.Site, dest: e.DestSite, bizStep: e.BizStep, hour: int(e.Time.Sub(weekOf).Hours())}
				if len(e.BizTransactions) > 0 {
					s.tx = e.BizTransactions[0].ID
				}
				got = append(got, s)
			}
			if !reflect.DeepEqual(got, want) {
				t.Errorf("journey of %s\n got %v\nwant %v", form, got, want)
			}
		}
		// The kept document is the event as captured: it decodes, lists
		// the item, and names the order.
		evs, _ := j.st.ItemHistory(ctx, "tiny", key(t, bags(1)[0]))
		doc, err := epcis.Decode(evs[1].Document)
		if err != nil {
			t.Fatalf("kept document: %v\n%s", err, evs[1].Document)
		}
		if e := doc.Events[0]; e.ID != "urn:uuid:s1" || len(e.EPCs) != 3 || e.BizTransactions[0] != po {
			t.Errorf("kept document: %+v", e)
		}
		// The pallet: shipped and received, no more.
		pallet, err := j.st.ItemHistory(ctx, "tiny", key(t, "https://id.gs1.org/00/037601230000000017"))
		if err != nil {
			t.Fatal(err)
		}
		if len(pallet) != 2 || pallet[0].BizStep != "shipping" || pallet[1].BizStep != "receiving" {
			t.Errorf("pallet history: %+v", pallet)
		}
		// The query API gives the same journey, from the sold bag back to
		// the tannery that commissioned it.
		srv := httptest.NewServer(&epcisquery.Server{Network: "tiny", Store: j.st, Clients: map[string]string{"audit": "pw"}})
		defer srv.Close()
		tok, err := oauth2cc.FetchToken(ctx, http.DefaultClient, srv.URL+"/auth/token", "audit", "pw")
		if err != nil {
			t.Fatal(err)
		}
		req, _ := http.NewRequest(http.MethodGet, srv.URL+"/epcis/events?MATCH_epc="+neturl.QueryEscape("https://id.gs1.org/01/"+gtinBag+"/21/1"), nil)
		req.Header.Set("Authorization", "Bearer "+tok)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		qd, err := epcis.Decode(body)
		if err != nil {
			t.Fatalf("query: %v\n%s", err, body)
		}
		var steps []string
		for _, e := range qd.Events {
			steps = append(steps, e.BizStep)
		}
		if got := strings.Join(steps, " "); got != "commissioning shipping receiving shipping receiving retail_selling retail_selling" {
			t.Errorf("query API journey: %s", got)
		}
		// Bag 3 stayed at the DC: three steps.
		if evs, _ := j.st.ItemHistory(ctx, "tiny", key(t, bags(3)[0])); len(evs) != 3 {
			t.Errorf("bag 3: %d events, want 3", len(evs))
		}
	})
}

// TestSalesMoveTheForecast: the two bags sold this week are one week of
// sales; the forecast made this week does not see them (the week is not
// over), the one made next week does, and it moves.
func TestSalesMoveTheForecast(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, url string) {
		j := newJourney(t, url)
		ctx := context.Background()
		rec, err := j.st.SalesRecord(ctx, "tiny")
		if err != nil {
			t.Fatal(err)
		}
		wantSales := []sillage.Sale{{Site: "BTQ-PAR", SKU: "BAG-01", Week: weekOf, Units: 2}}
		if !rec.Anchor.Equal(weekOf) || len(rec.Sales) != 1 || rec.Sales[0].Units != 2 || !rec.Sales[0].Week.Equal(weekOf) {
			t.Fatalf("sales record %+v, want anchor %s and %v", rec, weekOf, wantSales)
		}
		file := []float64{4, 5, 3, 6, 4, 5, 4, 6} // tiny.yaml, BTQ-PAR BAG-01
		series := func(now time.Time) []float64 {
			ds, err := j.st.DemandHistory(ctx, "tiny", now)
			if err != nil {
				t.Fatal(err)
			}
			for _, d := range ds {
				if d.Site == "BTQ-PAR" && d.SKU == "BAG-01" {
					return d.Weekly
				}
			}
			t.Fatal("no BTQ-PAR BAG-01 series")
			return nil
		}
		thisWeek, nextWeek := series(weekOf.AddDate(0, 0, 4)), series(weekOf.AddDate(0, 0, 8))
		if !reflect.DeepEqual(thisWeek, file) {
			t.Errorf("this week: %v, want the file's %v", thisWeek, file)
		}
		if want := append(append([]float64{}, file...), 2); !reflect.DeepEqual(nextWeek, want) {
			t.Errorf("next week: %v, want %v", nextWeek, want)
		}
		// LoadNetwork gives the same at the store's clock.
		*j.clock = weekOf.AddDate(0, 0, 8)
		n, err := j.st.LoadNetwork(ctx, "tiny")
		if err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(n.Demand[0].Weekly, nextWeek) {
			t.Errorf("LoadNetwork: %v, want %v", n.Demand[0].Weekly, nextWeek)
		}
		f0, err := forecast.Forecast(thisWeek, forecast.Options{HorizonWeeks: 1})
		if err != nil {
			t.Fatal(err)
		}
		f1, err := forecast.Forecast(nextWeek, forecast.Options{HorizonWeeks: 1})
		if err != nil {
			t.Fatal(err)
		}
		if !(f1.Weekly[0] < f0.Weekly[0]) {
			t.Errorf("forecast %v (%s) with the week of 2 sales, %v (%s) without: want it lower", f1.Weekly[0], f1.Method, f0.Weekly[0], f0.Method)
		}
	})
}

// TestHistoryRetention prunes the journey's events before hour 35: the
// commissioning, the first shipping and the receipt at the DC go, with
// their links; the rest stays.
func TestHistoryRetention(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, url string) {
		j := newJourney(t, url)
		ctx := context.Background()
		before, err := j.st.Counts(ctx)
		if err != nil {
			t.Fatal(err)
		}
		n, err := j.st.PruneHistory(ctx, "tiny", weekOf.Add(35*time.Hour))
		if err != nil {
			t.Fatal(err)
		}
		if n != 3 {
			t.Errorf("pruned %d events, want 3", n)
		}
		after, _ := j.st.Counts(ctx)
		// Links of the 3 pruned events: bags 1-3 and the pallet twice, bags 1-3 once.
		if got := before["iot_epc_events"] - after["iot_epc_events"]; got != 3+4+4 {
			t.Errorf("%d links pruned, want 11", got)
		}
		evs, _ := j.st.ItemHistory(ctx, "tiny", key(t, bags(1)[0]))
		if len(evs) != 4 || evs[0].BizStep != "shipping" || evs[0].DestSite != "BTQ-PAR" {
			t.Errorf("bag 1 after pruning: %+v", evs)
		}
	})
}

// TestClassLevelSales: a sale read as a quantity list counts its units;
// a shipment of the same product does not count.
func TestClassLevelSales(t *testing.T) {
	j := newJourney(t, storetest.SQLiteURL(t))
	ctx := context.Background()
	p := &iot.Processor{Catalog: iot.NewCatalog(j.net), Now: func() time.Time { return weekOf.AddDate(0, 0, 7) }}
	at := weekOf.Add(70 * time.Hour)
	qty := []iot.QuantityElement{{EPCClass: iot.LGTINURI(gtinEDP, 7, "L1"), Quantity: 3}}
	for _, ev := range []iot.ObjectEvent{
		{Time: at, Action: epcis.ActionObserve, BizStep: "retail_selling", BizLocation: glnBTQLon, Quantities: qty},
		{Time: at.Add(time.Hour), Action: epcis.ActionObserve, BizStep: "shipping", ReadPoint: glnBTQLon, Quantities: qty},
	} {
		b, err := iot.EncodeEvents(at, ev)
		if err != nil {
			t.Fatal(err)
		}
		if s, err := p.Process(ctx, j.st, []iot.Message{{Topic: iot.SiteTopic("BTQ-LON", iot.KindEPCIS), Payload: b, ReceivedAt: at}}); err != nil || s.Events != 1 {
			t.Fatalf("%s: %+v %v", ev.BizStep, s, err)
		}
	}
	rec, err := j.st.SalesRecord(ctx, "tiny")
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]float64{}
	for _, s := range rec.Sales {
		got[s.Site+" "+s.SKU] += s.Units
	}
	if want := map[string]float64{"BTQ-PAR BAG-01": 2, "BTQ-LON EDP-01": 3}; !reflect.DeepEqual(got, want) {
		t.Errorf("sales %v, want %v", got, want)
	}
}

// envHistorySize, set to a number of items, runs TestHistorySize:
//
//	SILLAGE_HISTORY_SIZE_ITEMS=20000 go test ./iot -run TestHistorySize -v
//
// (with $SILLAGE_TEST_POSTGRES for PostgreSQL too).
const envHistorySize = "SILLAGE_HISTORY_SIZE_ITEMS"

// journeySteps is the life of an item in 20 events, with the number of
// items each event lists: commissioned, shipped and received in cases of
// 50, put away, counted 4 times at the DC (200 items a count), picked,
// shipped and received in lots of 10, counted 7 times at the boutique
// (100 a count), sold alone.
var journeySteps = []struct {
	bizStep, disp string
	batch         int
}{
	{"commissioning", "active", 50}, {"packing", "in_progress", 50}, {"shipping", "in_transit", 50}, {"receiving", "in_progress", 50},
	{"storing", "sellable_not_accessible", 50},
	{"cycle_counting", "sellable_not_accessible", 200}, {"cycle_counting", "sellable_not_accessible", 200},
	{"cycle_counting", "sellable_not_accessible", 200}, {"cycle_counting", "sellable_not_accessible", 200},
	{"picking", "in_progress", 10}, {"shipping", "in_transit", 10}, {"receiving", "sellable_accessible", 10},
	{"cycle_counting", "sellable_accessible", 100}, {"cycle_counting", "sellable_accessible", 100}, {"cycle_counting", "sellable_accessible", 100},
	{"cycle_counting", "sellable_accessible", 100}, {"cycle_counting", "sellable_accessible", 100}, {"cycle_counting", "sellable_accessible", 100},
	{"cycle_counting", "sellable_accessible", 100}, {"retail_selling", "retail_sold", 1},
}

// TestHistorySize records the journeys of N items (20 events each, 20·N
// identifier links) into the item history, as the ingest does, and
// measures the bytes a link row and an event row take on disk, indexes
// included: SQLite by the pages freed when each table is emptied and the
// file vacuumed, PostgreSQL by pg_total_relation_size. The README's
// sizing for 1M items × 20 events comes from these figures.
func TestHistorySize(t *testing.T) {
	items, _ := strconv.Atoi(os.Getenv(envHistorySize))
	if items <= 0 {
		t.Skipf("set $%s to a number of items", envHistorySize)
	}
	storetest.ForEach(t, func(t *testing.T, url string) {
		ctx := context.Background()
		st, err := store.Open(ctx, url)
		if err != nil {
			t.Fatal(err)
		}
		t0 := time.Date(2026, 1, 5, 8, 0, 0, 0, time.UTC)
		events, links := 0, 0
		start := time.Now()
		for si, s := range journeySteps {
			var recs []sillage.EventRecord
			for lo := 0; lo < items; lo += s.batch {
				var epcs []string
				for i := lo; i < min(lo+s.batch, items); i++ {
					epcs = append(epcs, iot.SGTINURI(gtinBag, 7, strconv.Itoa(1000000+i)))
				}
				ev := iot.ObjectEvent{ID: fmt.Sprintf("urn:uuid:00000000-0000-4000-8000-%06d%06d", si, lo), Time: t0.Add(time.Duration(si*24+lo%24) * time.Hour),
					Action: epcis.ActionObserve, BizStep: s.bizStep, Disposition: s.disp, ReadPoint: glnDC, BizLocation: glnDC, EPCs: epcs}
				if s.bizStep == "shipping" || s.bizStep == "receiving" {
					ev.BizTransactions = []epcis.BizTransaction{{Type: "po", ID: fmt.Sprintf("urn:sillage:po:plan-%d:SUP-FLR:%d", si, lo)}}
				}
				b, err := iot.EncodeEvents(t0, ev)
				if err != nil {
					t.Fatal(err)
				}
				doc, err := epcis.Decode(b)
				if err != nil {
					t.Fatal(err)
				}
				r := iot.HistoryRecord(doc, 0, "DC-PAR", "")
				r.Key = ev.ID
				recs = append(recs, *r)
				links += len(epcs)
			}
			events += len(recs)
			for lo := 0; lo < len(recs); lo += 500 {
				err := st.IoTBatch(ctx, "size", func(tx sillage.IngestTx) error {
					for _, r := range recs[lo:min(lo+500, len(recs))] {
						if err := tx.(sillage.HistoryTx).RecordEvent(r); err != nil {
							return err
						}
					}
					return nil
				})
				if err != nil {
					t.Fatal(err)
				}
			}
		}
		took := time.Since(start)
		st.Close()
		tg, err := store.ParseURL(url)
		if err != nil {
			t.Fatal(err)
		}
		var linkBytes, eventBytes int64
		if tg.Engine == store.Postgres {
			db, err := sql.Open("pgx", tg.DSN)
			if err != nil {
				t.Fatal(err)
			}
			defer db.Close()
			for _, x := range []struct {
				table string
				into  *int64
			}{{"iot_epc_events", &linkBytes}, {"iot_events", &eventBytes}} {
				if err := db.QueryRow(`SELECT pg_total_relation_size($1)`, x.table).Scan(x.into); err != nil {
					t.Fatal(err)
				}
			}
		} else {
			db, err := sql.Open("sqlite3", tg.Path)
			if err != nil {
				t.Fatal(err)
			}
			defer db.Close()
			size := func() int64 {
				if _, err := db.Exec(`VACUUM`); err != nil {
					t.Fatal(err)
				}
				var pages, pageSize int64
				if err := db.QueryRow(`PRAGMA page_count`).Scan(&pages); err != nil {
					t.Fatal(err)
				}
				if err := db.QueryRow(`PRAGMA page_size`).Scan(&pageSize); err != nil {
					t.Fatal(err)
				}
				return pages * pageSize
			}
			all := size()
			if _, err := db.Exec(`DELETE FROM iot_epc_events`); err != nil {
				t.Fatal(err)
			}
			noLinks := size()
			if _, err := db.Exec(`DELETE FROM iot_events`); err != nil {
				t.Fatal(err)
			}
			linkBytes, eventBytes = all-noLinks, noLinks-size()
		}
		perLink, perEvent := float64(linkBytes)/float64(links), float64(eventBytes)/float64(events)
		// 1M items with the same journeys: 20M links and events scaled.
		scale := 1e6 / float64(items)
		total := (float64(linkBytes) + float64(eventBytes)) * scale
		t.Logf("%s: %d items, %d events (%.1f items an event), %d links in %s", tg.Engine, items, events, float64(links)/float64(events), links, took.Round(time.Millisecond))
		t.Logf("%s: %.1f bytes a link row, %.0f bytes an event row (document included), %.1f bytes an item-event; 1M items x 20 events: %.2f GB (links %.2f GB, events %.2f GB)",
			tg.Engine, perLink, perEvent, (float64(linkBytes)+float64(eventBytes))/float64(links), total/1e9, float64(linkBytes)*scale/1e9, float64(eventBytes)*scale/1e9)
	})
}
