package clustertest

import (
	"testing"

	"github.com/sillage/sillage"
)

func TestWaitingOrder(t *testing.T) {
	tests := []struct {
		kind    sillage.OrderKind
		status  sillage.OrderStatus
		waiting bool
	}{
		{sillage.OrderPurchase, sillage.OrderCreated, true},
		{sillage.OrderPurchase, sillage.OrderSubmitted, true},
		{sillage.OrderPurchase, sillage.OrderConfirmed, false}, // the goods come later, outside the test
		{sillage.OrderPurchase, sillage.OrderRejected, false},
		{sillage.OrderTransfer, sillage.OrderSubmitted, true},
		{sillage.OrderTransfer, sillage.OrderShipped, true}, // the warehouse's receipt is due
		{sillage.OrderTransfer, sillage.OrderReceived, false},
		{sillage.OrderTransfer, sillage.OrderCancelled, false},
	}
	for _, tt := range tests {
		if got := WaitingOrder(sillage.Order{Kind: tt.kind, Status: tt.status}); got != tt.waiting {
			t.Errorf("%s %s: waiting %v, want %v", tt.kind, tt.status, got, tt.waiting)
		}
	}
}
