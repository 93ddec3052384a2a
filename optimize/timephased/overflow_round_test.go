package timephased

import (
	"context"
	"testing"

	"github.com/sillage/sillage/netgen"
)

// TestRoundingDoesNotBuyOverflow: the rounding of week-0 orders may not
// push a site past its storage where the LP relaxation did not (storage
// overflow is priced, at ten times the dearest lost margin a week, only
// so that stock already there cannot make the plan infeasible). On the
// parts of generated networks, whose apportioned storage shares are
// tight, each rounding path (the dive of Plan, the warm rounding of a
// Session) ends with no more overflow than the part's relaxation.
func TestRoundingDoesNotBuyOverflow(t *testing.T) {
	n, err := netgen.Generate(netgen.Options{Sites: 80, Products: 40, Seed: 3, Weeks: 26})
	if err != nil {
		t.Fatal(err)
	}
	in, err := FromNetwork(context.Background(), n, 13)
	if err != nil {
		t.Fatal(err)
	}
	parts, err := Split(in, SplitOptions{Parts: 8})
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range parts {
		lp, err := Plan(p.Input, Options{RelaxationOnly: true})
		if err != nil {
			t.Fatal(err)
		}
		for _, c := range []struct {
			name string
			plan func() (*Result, error)
		}{
			{"dive", func() (*Result, error) { return Plan(p.Input, Options{MaxIntegers: 1}) }},
			{"rounding", func() (*Result, error) { return Plan(p.Input, Options{Rounding: true}) }},
			{"warm rounding", func() (*Result, error) { return planPart(context.Background(), p.Input, Options{Rounding: true}) }},
		} {
			r, err := c.plan()
			if err != nil {
				t.Fatal(err)
			}
			if r.Totals.OverflowUnits > lp.Totals.OverflowUnits+1e-4 {
				t.Errorf("part %d, %s: %.3f units over storage, relaxation %.3f", p.Index, c.name, r.Totals.OverflowUnits, lp.Totals.OverflowUnits)
			}
		}
	}
}
