package iot

import (
	"context"
	"strconv"
	"time"

	"github.com/sillage/sillage"
	"github.com/sillage/sillage/iot/epc"
	"github.com/sillage/sillage/iot/epcis"
)

// This file reports shipments: an EPCIS ObjectEvent with bizStep shipping
// (or disposition in_transit) at the source, with a destination in the
// network and a business transaction, moves the items it lists from on
// hand at the source to in transit towards the destination (apply.go,
// opShip); the ingest then reports it, after the commit, to a Listener
// that is also a ShipmentListener, so that the order the transaction
// names learns its goods have left. The receipt at the destination
// (bizStep receiving) with the same EPCs takes them out of in transit.

// Shipment is a shipping event that named a business transaction (an
// order, an advance shipping notice), as applied: the units that left
// Source towards Site per product. Items whose event was stale are not
// counted.
type Shipment struct {
	Network         string
	Source          string // the site that shipped
	Site            string // the destination
	EventID         string // may be empty
	EventTime       time.Time
	BizTransactions []epcis.BizTransaction
	Lines           []ReceiptLine // units shipped per product

	items []sillage.ItemKey // the serialised items shipped, for the store
}

// ShipmentListener is implemented by a Listener that is told about
// shipments (activities.Temporal signals the order's workflow). Like the
// Listener's methods, GoodsShipped is called after the commit, must return
// quickly, and may be called again for the same event after a crash.
type ShipmentListener interface {
	GoodsShipped(ctx context.Context, s Shipment) error
}

// newShipmentOf returns an empty shipment for an event that ships to a
// site of the network under a business transaction, else nil.
func newShipmentOf(ev *resolvedEvent) *Shipment {
	if ev.itemOp != opShip || ev.dest == "" || len(ev.bizTx) == 0 {
		return nil
	}
	return &Shipment{Source: ev.origin, Site: ev.dest, EventID: ev.id, EventTime: ev.t, BizTransactions: ev.bizTx}
}

// add counts units of sku, keeping the products in first-seen order.
func (s *Shipment) add(sku string, units float64) {
	for i := range s.Lines {
		if s.Lines[i].SKU == sku {
			s.Lines[i].Units += units
			return
		}
	}
	s.Lines = append(s.Lines, ReceiptLine{SKU: sku, Units: units})
}

// addItem counts one serialised item of sku.
func (s *Shipment) addItem(it epc.Item, sku string) {
	s.add(sku, 1)
	s.items = append(s.items, sillage.ItemKey{GTIN: it.GTIN, Serial: it.Serial})
}

// recordShipment stores the shipment with the batch when the transaction
// is a sillage.ShipmentRecorder (the destination and the orders of the
// units now in transit), and keeps it for the listener.
func (b *batchState) recordShipment(s *Shipment) error {
	s.Network = b.p.Catalog.Network
	if rec, ok := b.tx.(sillage.ShipmentRecorder); ok {
		r := sillage.ShipmentRecord{EventRef: s.EventID, Source: s.Source, Dest: s.Site, ShippedAt: s.EventTime, Items: s.items}
		if r.EventRef == "" {
			first := ""
			if len(s.items) > 0 {
				first = s.items[0].String()
			}
			r.EventRef = s.Source + "@" + s.EventTime.UTC().Format(time.RFC3339Nano) + "#" + first
		}
		for _, bt := range s.BizTransactions {
			r.OrderRefs = append(r.OrderRefs, bt.ID)
		}
		for _, l := range s.Lines {
			r.Lines = append(r.Lines, sillage.ShipmentLine{SKU: l.SKU, Units: l.Units})
		}
		if err := rec.RecordShipment(r); err != nil {
			return err
		}
	}
	b.eff.shipments = append(b.eff.shipments, *s)
	return nil
}

// ID identifies a shipment in the outbox: its event id, else its
// source, destination and event time.
func (s Shipment) ID() string {
	if s.EventID != "" {
		return s.EventID
	}
	return s.Source + ">" + s.Site + ":" + strconv.FormatInt(s.EventTime.UnixNano(), 10)
}

// GoodsShipped passes through to the wrapped Listener when it is a
// ShipmentListener.
func (d *Debounced) GoodsShipped(ctx context.Context, s Shipment) error {
	if sl, ok := d.next.(ShipmentListener); ok {
		return sl.GoodsShipped(ctx, s)
	}
	return nil
}
