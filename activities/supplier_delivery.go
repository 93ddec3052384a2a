package activities

import (
	"fmt"
	"hash/fnv"
	"math"
	"strconv"
	"time"

	"github.com/sillage/sillage"
	"github.com/sillage/sillage/iot"
	"github.com/sillage/sillage/iot/epcis"
	"github.com/sillage/sillage/workflows"
)

// Defaults of the simulated supplier's deliveries.
const (
	DefaultSimShortShare    = 0.1                // share of confirmed orders shipped short
	DefaultSimShortFraction = 0.8                // share of each line a short shipment keeps, rounded down
	DefaultSimLateShare     = 0.1                // share of confirmed orders shipped late
	DefaultSimLateBy        = 3 * 24 * time.Hour // how late
	DefaultSimLeadTime      = 7 * 24 * time.Hour // submission to shipment when the confirmation gives no date
)

// Delivery is what the simulated supplier ships for a confirmed purchase
// order: the units per line (fewer than confirmed when Short), when it
// ships (ExpectedDelivery, or later when Late), its advance shipping
// notice id and one SGTIN per unit.
type Delivery struct {
	OrderID  string
	Supplier string
	Site     string // ship-to
	Lines    []sillage.OrderLine
	ShipAt   time.Time
	Short    bool
	Late     bool
	ASN      string   // desadv id quoted by the shipping event
	EPCs     []string // SGTIN URIs commissioned for the delivery, in line order
}

// deliveryParams returns the short and late shares, the short fraction
// and the delay, with defaults for zero fields (the shares only unless
// Configured).
func (s *SimulatedSupplier) deliveryParams() (shortShare, shortFrac, lateShare float64, lateBy time.Duration) {
	shortShare, shortFrac, lateShare, lateBy = s.ShortShare, s.ShortFraction, s.LateShare, s.LateBy
	if !s.Configured && shortShare == 0 && lateShare == 0 {
		shortShare, lateShare = DefaultSimShortShare, DefaultSimLateShare
	}
	if shortFrac <= 0 || shortFrac >= 1 {
		shortFrac = DefaultSimShortFraction
	}
	if lateBy <= 0 {
		lateBy = DefaultSimLateBy
	}
	return shortShare, shortFrac, lateShare, lateBy
}

// Deliver returns the delivery of a confirmed order: the confirmed lines
// (conf.Lines, else the order's), cut to ShortFraction of each line,
// rounded down, for a ShortShare of orders, and shipped LateBy after the
// expected date for a LateShare of orders. Both draws come from the order
// id and Seed, so a delivery is the same on every call, worker and
// restart. Products without a valid GTIN in n are an error (their units
// cannot be tagged).
func (s *SimulatedSupplier) Deliver(n *sillage.Network, po sillage.Order, conf workflows.Confirmation) (Delivery, error) {
	shortShare, shortFrac, lateShare, lateBy := s.deliveryParams()
	d := Delivery{OrderID: po.ID, Supplier: po.Source, Site: po.Site,
		Short: s.draw(po.ID, "short") < shortShare, Late: s.draw(po.ID, "late") < lateShare,
		ASN: "urn:sillage:desadv:" + po.ID}
	d.ShipAt = conf.ExpectedDelivery
	if d.ShipAt.IsZero() {
		d.ShipAt = s.now().UTC().Add(DefaultSimLeadTime)
	}
	if d.Late {
		d.ShipAt = d.ShipAt.Add(lateBy)
	}
	lines := conf.Lines
	if len(lines) == 0 {
		lines = po.Lines
	}
	for i, l := range lines {
		q := math.Floor(l.Quantity + 1e-9)
		if d.Short {
			q = math.Floor(l.Quantity * shortFrac)
		}
		if q <= 0 {
			continue
		}
		p, ok := n.Product(l.SKU)
		if !ok || sillage.ValidateGTIN14(p.GTIN) != nil {
			return Delivery{}, fmt.Errorf("%w: order %s: lines[%d]: product %q has no valid GTIN", sillage.ErrInvalid, po.ID, i, l.SKU)
		}
		if q > maxDeliveryUnits {
			return Delivery{}, fmt.Errorf("%w: order %s: lines[%d]: %g units, at most %d per line", sillage.ErrInvalid, po.ID, i, q, maxDeliveryUnits)
		}
		d.Lines = append(d.Lines, sillage.OrderLine{SKU: l.SKU, Quantity: q, ValueEUR: l.ValueEUR * q / math.Max(l.Quantity, 1)})
		for k := 0; k < int(q); k++ {
			d.EPCs = append(d.EPCs, iot.SGTINURI(p.GTIN, iot.DefaultCompanyPrefixLen, supplierSerial(po.ID, i, k)))
		}
	}
	return d, nil
}

// maxDeliveryUnits bounds a line so that its serials fit in 20 characters.
const maxDeliveryUnits = 1000000

// supplierSerial is the serial the simulated supplier commissions for the
// k-th unit of line i of an order: "S", 9 hex digits of a hash of the
// order id, the line, "U" and the unit (at most 20 characters).
func supplierSerial(orderID string, line, k int) string {
	return fmt.Sprintf("S%09x", fnvHash(orderID)>>28) + strconv.Itoa(line) + "U" + strconv.Itoa(k)
}

// Events returns the EPCIS events of a delivery, all with ids derived from
// the order id: the commissioning of its EPCs at the supplier, the
// shipping at the supplier towards the ship-to site (naming the order and
// the advance shipping notice) a second later, and the receiving of the
// same EPCs at the ship-to site transit after the shipping.
func (d Delivery) Events(n *sillage.Network, transit time.Duration) ([]iot.ObjectEvent, error) {
	sup, ok := n.Site(d.Supplier)
	if !ok || sup.GLN == "" {
		return nil, fmt.Errorf("%w: order %s: supplier %q is no site with a GLN", sillage.ErrInvalid, d.OrderID, d.Supplier)
	}
	dst, ok := n.Site(d.Site)
	if !ok || dst.GLN == "" {
		return nil, fmt.Errorf("%w: order %s: ship-to %q is no site with a GLN", sillage.ErrInvalid, d.OrderID, d.Site)
	}
	tx := []epcis.BizTransaction{{Type: "po", ID: "urn:sillage:order:" + d.OrderID}, {Type: "desadv", ID: d.ASN}}
	return []iot.ObjectEvent{
		{ID: deliveryEventID("commission", d.OrderID), Time: d.ShipAt, Action: epcis.ActionAdd, BizStep: "commissioning", Disposition: "active",
			BizLocation: sup.GLN, ReadPoint: sup.GLN, EPCs: d.EPCs},
		{ID: deliveryEventID("ship", d.OrderID), Time: d.ShipAt.Add(time.Second), Action: epcis.ActionObserve, BizStep: "shipping", Disposition: "in_transit",
			BizLocation: sup.GLN, ReadPoint: sup.GLN, Destination: dst.GLN, EPCs: d.EPCs, BizTransactions: tx},
		{ID: deliveryEventID("receive", d.OrderID), Time: d.ShipAt.Add(time.Second + transit), Action: epcis.ActionObserve, BizStep: "receiving",
			Disposition: "in_progress", BizLocation: dst.GLN, ReadPoint: dst.GLN, EPCs: d.EPCs, BizTransactions: tx},
	}, nil
}

// deliveryEventID is a UUID URN derived from the step and the order id.
func deliveryEventID(step, orderID string) string {
	a, b := fnvHash(step+":"+orderID), fnvHash("uuid:"+step+":"+orderID)
	return fmt.Sprintf("urn:uuid:%08x-%04x-4%03x-8%03x-%012x", a>>32, a>>16&0xffff, a&0xfff, b>>52&0xfff, b&0xffffffffffff)
}

// fnvHash is the 64-bit FNV-1a hash of s.
func fnvHash(s string) uint64 {
	h := fnv.New64a()
	_, _ = h.Write([]byte(s))
	return h.Sum64()
}
