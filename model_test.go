package sillage

import (
	"reflect"
	"testing"
)

// TestZeroNegativeStock zeroes each negative quantity of a position on
// its own, leaves the others and the non-negative positions as they
// are, and returns the positions as they were.
func TestZeroNegativeStock(t *testing.T) {
	n := &Network{Stock: []Position{
		{Site: "A", SKU: "P", OnHand: 5, InTransit: 2, Reserved: 1},
		{Site: "B", SKU: "P", OnHand: -3, InTransit: 4, Reserved: 0},
		{Site: "C", SKU: "P", OnHand: 2, InTransit: -1, Reserved: -2},
		{Site: "D", SKU: "P"},
	}}
	was := n.ZeroNegativeStock()
	wantWas := []Position{
		{Site: "B", SKU: "P", OnHand: -3, InTransit: 4},
		{Site: "C", SKU: "P", OnHand: 2, InTransit: -1, Reserved: -2},
	}
	wantStock := []Position{
		{Site: "A", SKU: "P", OnHand: 5, InTransit: 2, Reserved: 1},
		{Site: "B", SKU: "P", OnHand: 0, InTransit: 4},
		{Site: "C", SKU: "P", OnHand: 2},
		{Site: "D", SKU: "P"},
	}
	if !reflect.DeepEqual(was, wantWas) {
		t.Errorf("returned %+v, want %+v", was, wantWas)
	}
	if !reflect.DeepEqual(n.Stock, wantStock) {
		t.Errorf("stock %+v, want %+v", n.Stock, wantStock)
	}
	if again := n.ZeroNegativeStock(); again != nil {
		t.Errorf("second call returned %+v, want nothing", again)
	}
}
