package activities

import (
	"context"
	"errors"
	"slices"
	"strconv"
	"strings"
	"testing"

	"go.temporal.io/api/serviceerror"
	"go.temporal.io/sdk/client"

	"github.com/sillage/sillage/iot"
	"github.com/sillage/sillage/iot/epcis"
	"github.com/sillage/sillage/workflows"
)

// signalClient records SignalWorkflow calls and answers each order id
// from errs (nil: delivered). The other methods of client.Client are not
// used by GoodsShipped and GoodsReceived.
type signalClient struct {
	client.Client
	errs  map[string]error
	calls []string // "id signal orderID units"
}

func (c *signalClient) SignalWorkflow(ctx context.Context, id, run, name string, arg any) error {
	var orderID string
	var units float64
	switch a := arg.(type) {
	case workflows.OrderShipment:
		orderID, units = a.OrderID, a.Units
	case workflows.OrderReceipt:
		orderID, units = a.OrderID, a.Units
	}
	c.calls = append(c.calls, strings.Join([]string{id, name, orderID, strconv.FormatFloat(units, 'g', -1, 64)}, " "))
	return c.errs[id]
}

// TestShipmentsAndReceiptsSignalTheirOrders: a shipment and a receipt
// signal every order their business transactions name, once per order
// (a plain order id, or a URI ending in one), with the order's own id in
// the payload; a transaction that names no order is skipped; an order
// whose workflow is gone is not an error, another signal failure is,
// naming the order; an event that names no order signals nothing.
func TestShipmentsAndReceiptsSignalTheirOrders(t *testing.T) {
	const po, to = "po:tiny:1:SUP-FLR:1", "to:tiny:1:DC-PAR:BTQ-LON"
	bts := []epcis.BizTransaction{
		{ID: po},
		{ID: "urn:sillage:order:" + to},
		{ID: "urn:epcglobal:cbv:bt:0614141000005:PO-77"}, // a partner's order, not sillage's
		{ID: po}, // named twice
	}
	lines := []iot.ReceiptLine{{SKU: "BAG-01", Units: 2}, {SKU: "EDP-01", Units: 3}}
	ctx := context.Background()
	cases := []struct {
		name      string
		errs      map[string]error
		event     func(*Temporal) error
		wantCalls []string
		wantErr   string // "" for none
	}{
		{
			name: "shipment",
			event: func(tp *Temporal) error {
				return tp.GoodsShipped(ctx, iot.Shipment{Source: "DC-PAR", Site: "BTQ-LON", EventID: "e1", BizTransactions: bts, Lines: lines})
			},
			wantCalls: []string{po + " " + workflows.SignalGoodsShipped + " " + po + " 5", to + " " + workflows.SignalGoodsShipped + " " + to + " 5"},
		},
		{
			name: "receipt, one workflow gone, one failing",
			errs: map[string]error{po: serviceerror.NewNotFound("workflow not found"), to: errors.New("frontend unavailable")},
			event: func(tp *Temporal) error {
				return tp.GoodsReceived(ctx, iot.Receipt{Site: "BTQ-LON", ID: "r1", EventID: "r1", BizTransactions: bts, Lines: lines})
			},
			wantCalls: []string{po + " " + workflows.SignalGoodsReceipt + " " + po + " 5", to + " " + workflows.SignalGoodsReceipt + " " + to + " 5"},
			wantErr:   "signal goods receipt to " + to + ": frontend unavailable",
		},
		{
			name: "receipt naming no order",
			event: func(tp *Temporal) error {
				return tp.GoodsReceived(ctx, iot.Receipt{Site: "BTQ-LON", ID: "r2", BizTransactions: bts[2:3], Lines: lines})
			},
		},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			cl := &signalClient{errs: c.errs}
			err := c.event(&Temporal{Client: cl})
			if !slices.Equal(cl.calls, c.wantCalls) {
				t.Errorf("signals:\n got %q\nwant %q", cl.calls, c.wantCalls)
			}
			switch {
			case c.wantErr == "" && err != nil:
				t.Errorf("error %v, want none", err)
			case c.wantErr != "" && (err == nil || err.Error() != c.wantErr):
				t.Errorf("error %v, want %q", err, c.wantErr)
			}
		})
	}
}
