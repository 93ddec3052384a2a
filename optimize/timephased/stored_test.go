package timephased

import (
	"reflect"
	"slices"
	"testing"
)

// TestFromStored: the sea/air case with MOQs, planned, stored as the
// PlanWorkflow stores it (Horizon, Figures) and read back, gives the
// plan's lines (modes too, legs excepted), projection, serve costs,
// bindings, MIP and totals (the supplier premium, which is not stored,
// excepted: zero in this case anyway); a path's modes come in its lanes'
// order.
func TestFromStored(t *testing.T) {
	in := seaAirMOQ(t)
	want, err := Plan(in, Options{})
	if err != nil {
		t.Fatal(err)
	}
	h := want.Horizon()
	got := FromStored(&h, want.Figures())
	if len(got.Lines) != len(want.Lines) || len(got.Lines) == 0 {
		t.Fatalf("%d lines, want %d", len(got.Lines), len(want.Lines))
	}
	for i, l := range want.Lines {
		l.Legs = nil
		if !reflect.DeepEqual(got.Lines[i], l) {
			t.Errorf("line %d:\n got %+v\nwant %+v", i, got.Lines[i], l)
		}
	}
	if !slices.Equal(got.Projected, want.Projected) || !slices.Equal(got.ServeCost, want.ServeCost) ||
		!slices.Equal(got.Bindings, want.Bindings) || got.MIP != want.MIP || got.Weeks != want.Weeks {
		t.Errorf("horizon read back differs:\n got %+v\nwant %+v", got, want)
	}
	wt := want.Totals
	wt.PurchasePremiumEUR, wt.OverflowUnits, wt.OverflowEUR = 0, 0, 0
	if got.Totals != wt || got.LPObjectiveEUR != want.LPObjectiveEUR {
		t.Errorf("totals %+v, LP %v; want %+v, %v", got.Totals, got.LPObjectiveEUR, wt, want.LPObjectiveEUR)
	}
	if m := modesOf("A>B:sea,B>C:road"); !reflect.DeepEqual(m, []string{"sea", "road"}) {
		t.Errorf("modes %v", m)
	}
}
