package iot

import (
	"context"
	"fmt"
	"math"
	"strings"
	"time"

	"github.com/sillage/sillage"
	"github.com/sillage/sillage/iot/epc"
	"github.com/sillage/sillage/iot/epcis"
)

// ItemSource tells a simulated Warehouse which tagged items are on hand at
// a site; store.Store implements it (PresentItems).
type ItemSource interface {
	// PresentItems returns up to limit items of product sku present at
	// site, in a stable order.
	PresentItems(ctx context.Context, network, site, sku string, limit int) ([]sillage.ItemKey, error)
}

// UntaggedSource is implemented by an ItemSource that also knows the units
// on hand without a tag (seeded stock, class-level counts); store.Store
// does. A Warehouse whose Items implements it ships them as quantities
// when the tagged items do not fill a line.
type UntaggedSource interface {
	UntaggedOnHand(ctx context.Context, network, site, sku string) (float64, error)
}

// Pick is what a warehouse picked for a transfer order: tagged items,
// and untagged units per product.
type Pick struct {
	EPCs       []string          // SGTIN URIs of the tagged items
	Quantities []QuantityElement // untagged units, by product class (urn:epc:idpat:sgtin:…)
}

// Units returns the units picked.
func (p Pick) Units() float64 {
	u := float64(len(p.EPCs))
	for _, q := range p.Quantities {
		u += q.Quantity
	}
	return u
}

// PickOrder picks a transfer order at its source: tagged items first
// (PickEPCs), then, when Items is an UntaggedSource, untagged units up to
// what the source holds. A line the source cannot fill ships what there
// is: a short shipment. Untagged units are not reserved between two picks:
// two orders picked before the first one's shipping event is applied may
// both count the same untagged units.
func (w *Warehouse) PickOrder(ctx context.Context, cmd sillage.Command) (Pick, error) {
	epcs, err := w.PickEPCs(ctx, cmd)
	if err != nil {
		return Pick{}, err
	}
	p := Pick{EPCs: epcs}
	us, ok := w.Items.(UntaggedSource)
	if !ok {
		return p, nil
	}
	for i, l := range cmd.Lines {
		gtin := l.GTIN
		if gtin == "" {
			if prod, ok := w.Network.Product(l.SKU); ok {
				gtin = prod.GTIN
			}
		}
		tagged := 0
		for _, e := range epcs {
			if it, err := epc.ParseItem(e); err == nil && it.GTIN == gtin {
				tagged++
			}
		}
		missing := float64(int(l.Quantity+0.5) - tagged)
		if missing <= 0 {
			continue
		}
		have, err := us.UntaggedOnHand(ctx, w.Network.Name, cmd.From, l.SKU)
		if err != nil {
			return Pick{}, fmt.Errorf("command %q: lines[%d]: %w", cmd.ID, i, err)
		}
		if q := min(missing, math.Floor(have)); q > 0 && sillage.ValidateGTIN14(gtin) == nil {
			p.Quantities = append(p.Quantities, QuantityElement{EPCClass: ClassURI(gtin, DefaultCompanyPrefixLen), Quantity: q, UOM: "EA"})
		}
	}
	return p, nil
}

// ClassURI is the EPC class of every serial of a GTIN,
// urn:epc:idpat:sgtin:CompanyPrefix.ItemRef.*, with a company prefix of
// cpLen digits.
func ClassURI(gtin string, cpLen int) string {
	u := strings.TrimPrefix(SGTINURI(gtin, cpLen, "0"), "urn:epc:id:sgtin:")
	return "urn:epc:idpat:sgtin:" + strings.TrimSuffix(u, ".0") + ".*"
}

// PickEPCs chooses the EPCs of a transfer order among the items present at
// its source, skipping items this Warehouse picked before (their shipping
// event may not be applied yet); a line may get fewer than it orders.
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
	}
	return epcs, nil
}

// releasePick forgets that this Warehouse picked p's tagged items, once
// they have arrived at their destination: an item received at a DC (a
// DC-to-DC transfer) can be picked there again. Until then PickEPCs skips
// them, as their shipping event may not be applied yet.
func (w *Warehouse) releasePick(p Pick) {
	w.mu.Lock()
	defer w.mu.Unlock()
	for _, e := range p.EPCs {
		if it, err := epc.ParseItem(e); err == nil {
			delete(w.picked, sillage.ItemKey{GTIN: it.GTIN, Serial: it.Serial})
		}
	}
}

// ShippingEvent returns the shipping event of a transfer order at its
// source, stamped t: bizStep shipping, disposition in_transit, the
// source's GLN as bizLocation and read point, the destination's GLN as
// destination, what was picked and the order as business transaction.
// Its event id derives from the command id, so a repeat is applied once.
func (w *Warehouse) ShippingEvent(cmd sillage.Command, p Pick, t time.Time) (ObjectEvent, error) {
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
		BizLocation: src.GLN, ReadPoint: src.GLN, Destination: dst.GLN, EPCs: p.EPCs, Quantities: p.Quantities,
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
	p, err := w.PickOrder(ctx, cmd)
	if err != nil {
		w.log().Warn("warehouse: pick failed: nothing shipped", "command", cmd.ID, "err", err)
		return
	}
	ordered := 0.0
	for _, l := range cmd.Lines {
		ordered += float64(int(l.Quantity + 0.5))
	}
	if p.Units() == 0 {
		w.log().Warn("warehouse: nothing on hand to ship", "command", cmd.ID, "site", cmd.From)
		return
	}
	if p.Units() < ordered {
		w.log().Warn("warehouse: short shipment", "command", cmd.ID, "site", cmd.From, "ordered", ordered, "picked", p.Units())
	}
	pctx, done := graceful(ctx)
	ship, err := w.ShippingEvent(cmd, p, time.Now().UTC().Truncate(time.Millisecond))
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
	w.log().Info("warehouse: shipped", "command", cmd.ID, "from", cmd.From, "to", cmd.To, "epcs", len(p.EPCs), "units", p.Units())
	select {
	case <-time.After(delay):
	case <-ctx.Done():
		return
	}
	pctx, done = graceful(ctx)
	defer done()
	rcv, err := w.ReceiptEvent(cmd, time.Now().UTC().Truncate(time.Millisecond))
	if err == nil {
		rcv.EPCs, rcv.Quantities = p.EPCs, p.Quantities
		err = publishEvent(pctx, dest, cmd.To, rcv)
	}
	if err != nil {
		w.log().Warn("warehouse: receipt not published", "command", cmd.ID, "to", cmd.To, "err", err)
		return
	}
	w.releasePick(p)
	w.mu.Lock()
	w.stats.Receipts++
	w.mu.Unlock()
	w.log().Info("warehouse: receipt published", "command", cmd.ID, "to", cmd.To, "epcs", len(p.EPCs), "units", p.Units())
}

// publishEvent publishes one event on a site's epcis topic.
func publishEvent(ctx context.Context, pub Publisher, site string, ev ObjectEvent) error {
	b, err := EncodeEvents(ev.Time, ev)
	if err != nil {
		return err
	}
	return pub.Publish(ctx, SiteTopic(site, KindEPCIS), b)
}
