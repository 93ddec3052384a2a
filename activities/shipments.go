package activities

import (
	"context"

	"github.com/sillage/sillage/iot"
	"github.com/sillage/sillage/workflows"
)

var _ iot.ShipmentListener = (*Temporal)(nil)

// GoodsShipped signals goods_shipped to the order named by each of the
// shipment's business transactions (see OrderIDFromBizTransaction), once
// per order: the order's workflow counts the units as shipped and
// converts its hold into the stock in transit the shipping event
// recorded. A shipment that names no order is logged.
func (t *Temporal) GoodsShipped(ctx context.Context, s iot.Shipment) error {
	sh := workflows.OrderShipment{Source: s.Source, Site: s.Site, EventID: s.EventID, At: s.EventTime}
	for _, l := range s.Lines {
		sh.Lines = append(sh.Lines, sillageLine(l))
		sh.Units += l.Units
	}
	found, err := t.signalOrders(ctx, s.BizTransactions, workflows.SignalGoodsShipped, "shipment", func(id string) any {
		sh.OrderID = id
		return sh
	}, "source", s.Source, "event", s.EventID)
	if !found {
		t.log().InfoContext(ctx, "shipment names no order", "source", s.Source, "to", s.Site, "event", s.EventID, "units", sh.Units)
	}
	return err
}
