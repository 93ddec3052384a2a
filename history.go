package sillage

import (
	"sort"
	"time"
)

// This file holds the closed loop's memory: the weekly sales that the
// ingest records from retail_selling events and that forecasts learn
// from, and the item history, every EPCIS event kept per identifier.

// WeekStart returns the start of the week holding t: Monday 00:00 UTC
// (ISO 8601 weeks). Weekly sales are bucketed by it.
func WeekStart(t time.Time) time.Time {
	t = t.UTC()
	d := time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, time.UTC)
	off := (int(d.Weekday()) + 6) % 7 // days since Monday
	return d.AddDate(0, 0, -off)
}

// Sale is units sold of one product at one site in one week.
type Sale struct {
	Site, SKU string
	Week      time.Time // WeekStart of the sale's eventTime
	Units     float64
}

// SalesRecord is what the store holds to extend a network's demand
// history with the sales recorded since it was saved.
type SalesRecord struct {
	// Anchor is the week in which the network's demand history was saved
	// (a WeekStart): the history's last value is the week before it.
	// Zero when unknown (a database older than the sales history): the
	// first week with a recorded sale is taken instead.
	Anchor time.Time
	Sales  []Sale // weekly sums, any order
}

// Weeks returns the first and the last week that MergeSales appends at
// now (WeekStarts); last is before first when it appends none.
func (rec SalesRecord) Weeks(now time.Time) (first, last time.Time) {
	first = rec.Anchor
	for _, s := range rec.Sales {
		if first.IsZero() || (rec.Anchor.IsZero() && s.Week.Before(first)) {
			first = s.Week
		}
		if s.Week.After(last) {
			last = s.Week
		}
	}
	first = WeekStart(first)
	if limit := WeekStart(now).AddDate(0, 0, -7); last.After(limit) {
		last = limit
	}
	if len(rec.Sales) == 0 {
		last = first.AddDate(0, 0, -7)
	}
	return first, last
}

// MergeSales returns the demand history of the network file extended by
// the recorded sales: each series gets, after its last week, one value per
// week from the anchor week to the last week that is both complete at now
// (it ended before WeekStart(now)) and not after the last week with a
// recorded sale in the network (a later week is not known yet: no sale
// anywhere means no data, not zero demand). A week without a sale of the
// series is 0 units. Sales of a site and product without a series start
// a new one at the anchor week. Sales before the anchor are in the file
// already and are ignored. The input is not changed; with no sale at or
// after the anchor the result equals history. Cost O(S + D·W) for S
// sales, D series and W weeks appended.
func MergeSales(history []Demand, rec SalesRecord, now time.Time) []Demand {
	anchor, last := rec.Weeks(now)
	out := make([]Demand, len(history))
	for i, d := range history {
		out[i] = Demand{Site: d.Site, SKU: d.SKU, Weekly: append([]float64(nil), d.Weekly...)}
	}
	if len(rec.Sales) == 0 || last.Before(anchor) {
		return out
	}
	weeks := int(last.Sub(anchor).Hours()/(24*7)) + 1
	type pair struct{ site, sku string }
	idx := make(map[pair]int, len(out))
	for i, d := range out {
		idx[pair{d.Site, d.SKU}] = i
	}
	added := make([][]float64, len(out))
	for _, s := range rec.Sales {
		w := WeekStart(s.Week)
		if w.Before(anchor) || w.After(last) {
			continue
		}
		k := pair{s.Site, s.SKU}
		i, ok := idx[k]
		if !ok {
			i = len(out)
			idx[k] = i
			out = append(out, Demand{Site: s.Site, SKU: s.SKU})
			added = append(added, nil)
		}
		if added[i] == nil {
			added[i] = make([]float64, weeks)
		}
		added[i][int(w.Sub(anchor).Hours()/(24*7))] += s.Units
	}
	for i := range out {
		if added[i] == nil {
			added[i] = make([]float64, weeks)
		}
		out[i].Weekly = append(out[i].Weekly, added[i]...)
	}
	// New series in a stable order: by site, then sku.
	n := len(history)
	sort.SliceStable(out[n:], func(a, b int) bool {
		if out[n+a].Site != out[n+b].Site {
			return out[n+a].Site < out[n+b].Site
		}
		return out[n+a].SKU < out[n+b].SKU
	})
	return out
}

// TransactionRef is a business transaction an event names (an order, a
// despatch advice): its CBV type ("po", "desadv", ...; may be empty) and
// its URI.
type TransactionRef struct {
	Type string `json:"type,omitempty"`
	ID   string `json:"id"`
}

// EventRecord is one applied EPCIS event as the item history keeps it.
type EventRecord struct {
	// Key identifies the event once: its eventID, or, without one, the
	// message key, "#" and its index in the message.
	Key         string
	EventID     string
	Type        string    // ObjectEvent, AggregationEvent, ...
	Time        time.Time // eventTime
	Action      string    // ADD, OBSERVE, DELETE; "" for a TransformationEvent
	BizStep     string    // CBV short form ("shipping") or the URI
	Disposition string
	// Site is the site the event happened at (bizLocation, else
	// readPoint, else the topic's site); DestSite the destination site of
	// a shipment, "" when none of the network.
	Site, DestSite string
	// BizLocation and ReadPoint are the GLN of each location, with "."
	// and the SGLN extension when it has one; "" when absent.
	BizLocation, ReadPoint string
	BizTransactions        []TransactionRef
	// EPCs are the history keys (epc.Key.Path) of every instance-level
	// identifier the event lists: trade items and the containers and
	// assets stock does not track (SSCC, GRAI, GIAI, ...).
	EPCs []string
	// Document is the event as EPCIS 2.0 JSON, as captured.
	Document []byte
}

// HistoryTx is implemented by an IngestTx that keeps weekly sales and the
// item history (store.Store's does); the ingest writes both in the
// transaction of the stock change.
type HistoryTx interface {
	// RecordEvent appends an event to the item history; an event whose
	// Key is recorded already is ignored.
	RecordEvent(r EventRecord) error
	// RecordSales adds units sold to the weekly sales history.
	RecordSales(sales []Sale) error
}

// ItemEvent is one step of an item's journey: an event that listed it.
type ItemEvent struct {
	EventRecord
	Seq int64 // order of recording in the network's history
}

// DefaultHistoryRetention is how long the item history keeps an event
// after its eventTime, unless configured otherwise: ten years, the
// lifetime of a luxury good whose authenticity may be questioned or
// recalled.
const DefaultHistoryRetention = 10 * 365 * 24 * time.Hour

// EventQuery selects events of the item history. Empty lists and zero
// times do not restrict; values of one list are alternatives (OR), the
// fields are combined with AND.
type EventQuery struct {
	// EPCs are history keys (epc.Key.Path): an event matches when it
	// lists one. EPCPrefixes match every key that starts with one of
	// them (a pattern: "01/GTIN/21/" is every serial of a GTIN).
	EPCs        []string
	EPCPrefixes []string
	BizSteps    []string // CBV short forms or URIs, as recorded
	// BizLocations are GLNs, with "." and the extension when it has one.
	BizLocations []string
	From         time.Time // eventTime >= From
	Before       time.Time // eventTime < Before
	// After resumes a listing: only events after it in the order of the
	// results (eventTime, then Seq).
	After *EventCursor
	Limit int // at most this many events; 0: no limit
}

// EventCursor is the position of an event in the order of query results.
type EventCursor struct {
	Time time.Time
	Seq  int64
}
