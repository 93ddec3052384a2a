package activities

import (
	"context"
	"errors"
	"fmt"

	"github.com/sillage/sillage/iot"
	"github.com/sillage/sillage/workflows"
)

var _ iot.ShipmentListener = (*Temporal)(nil)

// GoodsShipped signals goods_shipped to the order named by each of the
// shipment's business transactions (see OrderIDFromBizTransaction): the
// order's workflow counts the units as shipped and converts its hold into
// the stock in transit the shipping event recorded. A shipment that names
// no order is logged.
func (t *Temporal) GoodsShipped(ctx context.Context, s iot.Shipment) error {
	sh := workflows.OrderShipment{Source: s.Source, Site: s.Site, EventID: s.EventID, At: s.EventTime}
	for _, l := range s.Lines {
		sh.Lines = append(sh.Lines, sillageLine(l))
		sh.Units += l.Units
	}
	var errs []error
	found := false
	for _, bt := range s.BizTransactions {
		id, ok := OrderIDFromBizTransaction(bt.ID)
		if !ok || id == sh.OrderID {
			continue
		}
		found = true
		sh.OrderID = id
		err := t.Client.SignalWorkflow(ctx, id, "", workflows.SignalGoodsShipped, sh)
		switch {
		case IsNotFound(err):
			t.log().WarnContext(ctx, "shipment for an order with no running workflow", "order", id, "source", s.Source, "event", s.EventID)
		case err != nil:
			errs = append(errs, fmt.Errorf("signal shipment to %s: %w", id, err))
		}
	}
	if !found {
		t.log().InfoContext(ctx, "shipment names no order", "source", s.Source, "to", s.Site, "event", s.EventID, "units", sh.Units)
	}
	return errors.Join(errs...)
}
