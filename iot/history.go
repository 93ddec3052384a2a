package iot

import (
	"encoding/json"
	"strconv"
	"time"

	"github.com/sillage/sillage"
	"github.com/sillage/sillage/iot/epc"
	"github.com/sillage/sillage/iot/epcis"
)

// This file feeds the closed loop's memory (see sillage.HistoryTx): every
// applied event goes to the item history, and the units a retail_selling
// event removes go to the weekly sales that forecasts learn from. Both
// are written in the batch's transaction, when the store implements
// sillage.HistoryTx.

// HistoryRecord builds the item history's record of event i of doc, at
// the resolved sites (origin: where it happened; dest: a shipment's
// destination). Its Key is left empty for the caller (the ingest: the
// eventID, else the message key, "#" and i; see recordEvent).
// It lists every instance-level identifier: the trade items, the inputs
// of a transformation, the parentID and the other keys (SSCC, GRAI, GIAI,
// ...) that decode; malformed ones are left out.
func HistoryRecord(doc *epcis.Document, i int, origin, dest string) *sillage.EventRecord {
	ev := &doc.Events[i]
	r := &sillage.EventRecord{EventID: ev.ID, Type: ev.Type, Time: ev.Time, Action: string(ev.Action), BizStep: ev.BizStep,
		Disposition: ev.Disposition, Site: origin, DestSite: dest, BizLocation: locationKey(ev.BizLocation),
		ReadPoint: locationKey(ev.ReadPoint)}
	for _, bt := range ev.BizTransactions {
		r.BizTransactions = append(r.BizTransactions, sillage.TransactionRef{Type: bt.Type, ID: bt.ID})
	}
	r.EPCs = make([]string, 0, len(ev.EPCs)+len(ev.InputEPCs)+len(ev.Others)+1)
	if ev.ParentID != "" {
		if k, err := epc.ParseKey(ev.ParentID); err == nil && !k.Class {
			r.EPCs = append(r.EPCs, k.Path())
		}
	}
	for _, list := range [][]epc.Item{ev.EPCs, ev.InputEPCs} {
		for _, it := range list {
			r.EPCs = append(r.EPCs, epc.CanonicalPath(it.Canonical()))
		}
	}
	for _, o := range ev.Others {
		if o.Err == nil && !o.Key.Class && o.Key.Canonical != "" {
			r.EPCs = append(r.EPCs, o.Key.Path())
		}
	}
	b, err := doc.EventJSON(i)
	if err != nil {
		// Not decoded from JSON (cannot happen with epcis.Decode): keep
		// what is known.
		b, _ = json.Marshal(map[string]any{"type": ev.Type, "eventTime": ev.Time.Format(time.RFC3339Nano), "eventID": ev.ID})
	}
	r.Document = b
	return r
}

// locationKey is the history's form of a location: the GLN, with "." and
// the SGLN extension when it has one.
func locationKey(l *epc.Location) string {
	if l == nil {
		return ""
	}
	if l.Extension == "" || l.Extension == "0" {
		return l.GLN
	}
	return l.GLN + "." + l.Extension
}

// recordEvent appends event i of the message with key msgKey to the item
// history. The event's key is its eventID, else the message key, "#" and
// i: a redelivered message or a repeated eventID is recorded once.
func (b *batchState) recordEvent(msgKey string, i int, ev *resolvedEvent) error {
	h, ok := b.tx.(sillage.HistoryTx)
	if !ok || ev.hist == nil {
		return nil
	}
	r := *ev.hist
	r.Key = r.EventID
	if r.Key == "" {
		r.Key = msgKey + "#" + strconv.Itoa(i)
	}
	return h.RecordEvent(r)
}

// saleKey is a position and a week.
type saleKey struct {
	site, sku string
	week      time.Time
}

// salesBuf sums the units sold in a batch by position and week, in the
// order first sold.
type salesBuf struct {
	units map[saleKey]float64
	order []saleKey
}

// sold counts units of sku removed by a retail_selling event at its site,
// in the week of its eventTime. Other removals are not sales.
func (b *batchState) sold(ev *resolvedEvent, sku string, units float64) {
	if !ev.selling || units <= 0 || ev.origin == "" {
		return
	}
	k := saleKey{ev.origin, sku, sillage.WeekStart(ev.t)}
	if b.sales.units == nil {
		b.sales.units = map[saleKey]float64{}
	}
	if _, ok := b.sales.units[k]; !ok {
		b.sales.order = append(b.sales.order, k)
	}
	b.sales.units[k] += units
}

// flushSales writes the batch's sales to the weekly sales history.
func (b *batchState) flushSales() error {
	if len(b.sales.order) == 0 {
		return nil
	}
	h, ok := b.tx.(sillage.HistoryTx)
	if !ok {
		return nil
	}
	out := make([]sillage.Sale, 0, len(b.sales.order))
	for _, k := range b.sales.order {
		out = append(out, sillage.Sale{Site: k.site, SKU: k.sku, Week: k.week, Units: b.sales.units[k]})
	}
	b.sales = salesBuf{}
	return h.RecordSales(out)
}
