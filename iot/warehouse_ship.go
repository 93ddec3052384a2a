package iot

import (
	"context"
	"fmt"
	"time"

	"github.com/sillage/sillage"
	"github.com/sillage/sillage/iot/epcis"
)

// ItemSource tells a simulated Warehouse which tagged items are on hand at
// a site; store.Store implements it (PresentItems).
type ItemSource interface {
	// PresentItems returns up to limit items of product sku present at
	// site, in a stable order.
	PresentItems(ctx context.Context, network, site, sku string, limit int) ([]sillage.ItemKey, error)
}

// PickEPCs chooses the EPCs of a transfer order among the items present at
// its source, skipping items this Warehouse picked before (their shipping
// event may not be applied yet). A line the source cannot fill ships
// what there is: a short shipment.
func (w *Warehouse) PickEPCs(ctx context.Context, cmd sillage.Command) ([]string, error) {
	if w.Items == nil {
		return nil, fmt.Errorf("%w: warehouse without an item source", sillage.ErrInvalid)
	}
	w.mu.Lock()
	if w.picked == nil {
		w.picked = map[sillage.ItemKey]bool{}
	}
	w.mu.Unlock()
	var epcs []string
	for i, l := range cmd.Lines {
		want := int(l.Quantity + 0.5)
		if want <= 0 {
			continue
		}
		w.mu.Lock()
		skip := len(w.picked)
		w.mu.Unlock()
		keys, err := w.Items.PresentItems(ctx, w.Network.Name, cmd.From, l.SKU, want+skip)
		if err != nil {
			return nil, fmt.Errorf("command %q: lines[%d]: %w", cmd.ID, i, err)
		}
		w.mu.Lock()
		n := 0
		for _, k := range keys {
			if n == want {
				break
			}
			if w.picked[k] {
				continue
			}
			w.picked[k] = true
			epcs = append(epcs, SGTINURI(k.GTIN, DefaultCompanyPrefixLen, k.Serial))
			n++
		}
		w.mu.Unlock()
		if n < want {
			w.log().Warn("warehouse: short shipment", "command", cmd.ID, "sku", l.SKU, "ordered", want, "picked", n, "site", cmd.From)
		}
	}
	return epcs, nil
}

// ShippingEvent returns the shipping event of a transfer order at its
// source, stamped t: bizStep shipping, disposition in_transit, the
// source's GLN as bizLocation and read point, the destination's GLN as
// destination, the EPCs picked and the order as business transaction.
// Its event id derives from the command id, so a repeat is applied once.
func (w *Warehouse) ShippingEvent(cmd sillage.Command, epcs []string, t time.Time) (ObjectEvent, error) {
	src, ok := w.Network.Site(cmd.From)
	if !ok || src.GLN == "" {
		return ObjectEvent{}, fmt.Errorf("%w: command %q: source %q is no site with a GLN", sillage.ErrInvalid, cmd.ID, cmd.From)
	}
	dst, ok := w.Network.Site(cmd.To)
	if !ok || dst.GLN == "" {
		return ObjectEvent{}, fmt.Errorf("%w: command %q: destination %q is no site with a GLN", sillage.ErrInvalid, cmd.ID, cmd.To)
	}
	return ObjectEvent{
		ID: eventUUID("ship:" + cmd.ID), Time: t, Action: epcis.ActionObserve, BizStep: "shipping", Disposition: "in_transit",
		BizLocation: src.GLN, ReadPoint: src.GLN, Destination: dst.GLN, EPCs: epcs,
		BizTransactions: []epcis.BizTransaction{{Type: "desadv", ID: "urn:sillage:order:" + cmd.ID}},
	}, nil
}

// eventUUID is a version-4-shaped UUID URN derived from s.
func eventUUID(s string) string {
	a, b := commandHash(s), commandHash("uuid:"+s)
	return fmt.Sprintf("urn:uuid:%08x-%04x-4%03x-8%03x-%012x", a>>32, a>>16&0xffff, a&0xfff, b>>52&0xfff, b&0xffffffffffff)
}

// shipAndReceive picks a transfer's EPCs at its source, publishes the
// shipping event on the source's epcis topic, and ReceiptDelay later the
// receipt of the same EPCs at the destination.
func (w *Warehouse) shipAndReceive(ctx context.Context, src, dest Publisher, cmd sillage.Command, delay time.Duration) {
	epcs, err := w.PickEPCs(ctx, cmd)
	if err != nil {
		w.log().Warn("warehouse: pick failed: nothing shipped", "command", cmd.ID, "err", err)
		return
	}
	if len(epcs) == 0 {
		w.log().Warn("warehouse: nothing on hand to ship", "command", cmd.ID, "site", cmd.From)
		return
	}
	pctx, done := graceful(ctx)
	ship, err := w.ShippingEvent(cmd, epcs, time.Now().UTC().Truncate(time.Millisecond))
	if err == nil {
		err = publishEvent(pctx, src, cmd.From, ship)
	}
	done()
	if err != nil {
		w.log().Warn("warehouse: shipping event not published", "command", cmd.ID, "err", err)
		return
	}
	w.mu.Lock()
	w.stats.Shipments++
	w.mu.Unlock()
	w.log().Info("warehouse: shipped", "command", cmd.ID, "from", cmd.From, "to", cmd.To, "epcs", len(epcs))
	select {
	case <-time.After(delay):
	case <-ctx.Done():
		return
	}
	pctx, done = graceful(ctx)
	defer done()
	rcv, err := w.ReceiptEvent(cmd, time.Now().UTC().Truncate(time.Millisecond))
	if err == nil {
		rcv.EPCs = epcs
		err = publishEvent(pctx, dest, cmd.To, rcv)
	}
	if err != nil {
		w.log().Warn("warehouse: receipt not published", "command", cmd.ID, "to", cmd.To, "err", err)
		return
	}
	w.mu.Lock()
	w.stats.Receipts++
	w.mu.Unlock()
	w.log().Info("warehouse: receipt published", "command", cmd.ID, "to", cmd.To, "epcs", len(epcs))
}

// publishEvent publishes one event on a site's epcis topic.
func publishEvent(ctx context.Context, pub Publisher, site string, ev ObjectEvent) error {
	b, err := EncodeEvents(ev.Time, ev)
	if err != nil {
		return err
	}
	return pub.Publish(ctx, SiteTopic(site, KindEPCIS), b)
}
