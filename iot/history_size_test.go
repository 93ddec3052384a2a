package iot_test

import (
	"context"
	"database/sql"
	"fmt"
	"os"
	"strconv"
	"testing"
	"time"

	"github.com/sillage/sillage"
	"github.com/sillage/sillage/iot"
	"github.com/sillage/sillage/iot/epcis"
	"github.com/sillage/sillage/store"
	"github.com/sillage/sillage/store/storetest"
)

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

// BenchmarkProcessHistory is BenchmarkProcess (batches of 64 documents
// of 200 new EPCs into SQLite) with the item history kept and left out
// (Processor.NoHistory): what the history costs the ingest.
//
//	go test ./iot -run '^$' -bench ProcessHistory -benchtime 20x -count 2
func BenchmarkProcessHistory(b *testing.B) {
	for _, noHistory := range []bool{false, true} {
		b.Run(fmt.Sprintf("no-history=%v", noHistory), func(b *testing.B) {
			benchProcess(b, noHistory)
		})
	}
}
