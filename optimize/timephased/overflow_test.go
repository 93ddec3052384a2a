package timephased

import (
	"errors"
	"strings"
	"testing"

	"github.com/sillage/sillage"
)

// TestStockAboveCapacityIsNotInfeasible: a boutique with room for 10 units
// holds 15 and sells 2 a week (a transfer that was never received, a count
// that found more). The plan must not stop: by hand, the end-of-week stock
// is 13, 11, 9, 7, so the storage is over by 3 and 1 unit in weeks 0 and 1
// (4 unit-weeks), nothing is shipped and nothing is lost.
func TestStockAboveCapacityIsNotInfeasible(t *testing.T) {
	res, err := planOverCapacity(t, 10)
	if errors.Is(err, ErrInfeasible) {
		t.Fatalf("stock above capacity made the plan infeasible: %v", err)
	}
	if err != nil {
		t.Fatal(err)
	}
	if !near(res.Totals.OverflowUnits, 4, 1e-9) {
		t.Errorf("overflow %v unit-weeks, want 3 + 1 = 4", res.Totals.OverflowUnits)
	}
	if res.Totals.Units != 0 || res.Totals.LostUnits != 0 {
		t.Errorf("shipped %v, lost %v: want neither", res.Totals.Units, res.Totals.LostUnits)
	}
	want := []float64{13, 11, 9, 7}
	for _, p := range res.Projected {
		if p.Site == "BTQ" && !near(p.OnHand, want[p.Week], 1e-9) {
			t.Errorf("week %d: on hand %v, want %v", p.Week, p.OnHand, want[p.Week])
		}
	}
	var notes int
	for _, s := range res.Notes {
		if strings.Contains(s, "storage of BTQ over its capacity") {
			notes++
		}
	}
	if notes != 2 {
		t.Errorf("notes %q: want one per week over capacity (2)", res.Notes)
	}
	if !near(res.Totals.ObjectiveEUR, res.MIP.ObjectiveEUR, 1e-9) {
		t.Errorf("totals %v EUR, solver %v EUR: the overflow penalty is not in the totals", res.Totals.ObjectiveEUR, res.MIP.ObjectiveEUR)
	}
}

// TestOverflowNoteUnits: the note of a storage overflow gives its units to
// the thousandth, so that an overflow of a quarter of a unit does not read
// "by 0 units". With room for 10.75 units, 15 on hand and 2 sold a week,
// the end-of-week stock 13, 11, 9, 7 is over by 2.25 and 0.25 units.
func TestOverflowNoteUnits(t *testing.T) {
	res, err := planOverCapacity(t, 10.75)
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"in week 0 by 2.25 units", "in week 1 by 0.25 units"} {
		found := false
		for _, s := range res.Notes {
			found = found || strings.Contains(s, want)
		}
		if !found {
			t.Errorf("no note says %q: %q", want, res.Notes)
		}
	}
}

// planOverCapacity plans 4 weeks of a boutique with room for capacity
// units that holds 15 and sells 2 a week.
func planOverCapacity(t *testing.T, capacity float64) (*Result, error) {
	t.Helper()
	n := seaAir(100, 0)
	n.Sites[1].CapacityUnits = capacity
	n.Stock = []sillage.Position{{Site: "BTQ", SKU: "P", OnHand: 15}}
	n = ready(t, n)
	in := &Input{Network: n, Weeks: 4, Demand: []Series{{Site: "BTQ", SKU: "P", Units: flat(4, 2)}}}
	return Plan(in, Options{})
}
