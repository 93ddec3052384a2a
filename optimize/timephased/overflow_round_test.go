package timephased

import (
	"context"
	"math"
	"slices"
	"testing"

	"github.com/sillage/sillage/netgen"
	"github.com/sillage/sillage/optimize/clp"
)

// TestRoundingDoesNotBuyOverflow: the rounding of week-0 orders may not
// push a site past its storage where the LP relaxation did not (storage
// overflow is priced, at ten times the dearest lost margin a week, only
// so that stock already there cannot make the plan infeasible). On the
// parts of generated networks, whose apportioned storage shares are
// tight, each rounding path (the dive of Plan, the warm rounding of a
// Session) ends with no more overflow than the part's relaxation.
func TestRoundingDoesNotBuyOverflow(t *testing.T) {
	parts := generatedParts(t, 1)
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

// TestRoundingUpKeepsStorage rounds the week-0 lines up from the LP
// relaxation (roundIntegers, as the warm rounding of split parts does)
// and re-solves with the lines fixed and the overflow capped: the point
// must be feasible. Before rounding kept to the storage of each line's
// arrival week, rounding up overfilled binding storages and every part of
// 200 × 500 fell back to rounding everything down (a 6 % gap). The
// storages are tightened to 60 % so that they bind; the test checks
// that some do where week-0 lines arrive.
func TestRoundingUpKeepsStorage(t *testing.T) {
	parts := generatedParts(t, 0.6)
	binding := 0
	for _, p := range parts {
		m, err := build(p.Input, 13, Options{}.withDefaults())
		if err != nil {
			t.Fatal(err)
		}
		lp := solvedRelaxation(t, m)
		lpx, act := lp.Primal(), lp.RowActivity()
		lp.Close()
		arrive := map[int]bool{}
		for j, c := range m.cols {
			if c.kind == colShip && m.prob.Integer[j] && lpx[j] > 1e-6 {
				if r, ok := m.rowOf[rowInfo{kind: rowStorage, id: m.red.pairs[c.pair].site, week: c.arrive}]; ok {
					arrive[r] = true
				}
			}
		}
		for r := range arrive {
			if act[r] >= m.prob.RowUpper[r]-1e-6 {
				binding++
			}
		}
		x := slices.Clone(lpx)
		roundIntegers(m, x, true)
		if _, _, err := fixAndSolve(context.Background(), m, x); err != nil {
			t.Errorf("part %d: week-0 lines rounded up: %v", p.Index, err)
		}
	}
	if binding == 0 {
		t.Fatal("no storage binds where week-0 lines arrive: the test proves nothing")
	}
	t.Logf("%d binding storage rows where week-0 lines arrive", binding)
}

// TestDiveKeepsStorage runs the rounding dive on the parts of the same
// network, storages tightened to 60 %: a batch rounded up past the
// storage of its lines' arrival weeks makes the re-solve infeasible and
// the whole batch is rounded down (a wasted warm solve and a worse plan).
// Keeping to storage, the dive floors 4 batches in 112 rounds on the 8
// parts; without the storage check it floored 36 in 128. The test asks
// for fewer floored batches than parts (the other floors come from
// later weeks' storage and capacities, which the check does not see).
func TestDiveKeepsStorage(t *testing.T) {
	parts := generatedParts(t, 0.6)
	var st diveStats
	for _, p := range parts {
		m, err := build(p.Input, 13, Options{}.withDefaults())
		if err != nil {
			t.Fatal(err)
		}
		lp := solvedRelaxation(t, m)
		_, _, s, err := m.dive(context.Background(), lp, lp.Primal())
		lp.Close()
		if err != nil {
			t.Fatalf("part %d: %v", p.Index, err)
		}
		st.rounds += s.rounds
		st.floored += s.floored
	}
	t.Logf("%d parts: %d dive rounds, %d batches floored", len(parts), st.rounds, st.floored)
	if st.floored >= len(parts) {
		t.Errorf("%d batches rounded down after an infeasible re-solve on %d parts", st.floored, len(parts))
	}
}

// generatedParts generates the network of these tests (80 sites, 40
// products, 26 weeks, seed 3), multiplies every site's storage by
// storageShare (rounded down; 1 keeps it), plans it over 13 weeks and
// splits it into 8 parts.
func generatedParts(t *testing.T, storageShare float64) []Part {
	t.Helper()
	n, err := netgen.Generate(netgen.Options{Sites: 80, Products: 40, Seed: 3, Weeks: 26})
	if err != nil {
		t.Fatal(err)
	}
	if storageShare != 1 {
		for i := range n.Sites {
			n.Sites[i].CapacityUnits = math.Floor(storageShare * n.Sites[i].CapacityUnits)
		}
	}
	in, err := FromNetwork(context.Background(), n, 13)
	if err != nil {
		t.Fatal(err)
	}
	parts, err := Split(in, SplitOptions{Parts: 8})
	if err != nil {
		t.Fatal(err)
	}
	return parts
}

// solvedRelaxation loads the problem of m into a new CLP model and solves
// its LP relaxation with the dual simplex; the caller closes the model.
func solvedRelaxation(t *testing.T, m *model) *clp.Model {
	t.Helper()
	lp := clp.New()
	if err := lp.LoadProblem(m.prob.Problem); err != nil {
		t.Fatal(err)
	}
	if err := lp.Solve(clp.DualSimplex); err != nil {
		t.Fatal(err)
	}
	return lp
}

// TestDiveRoundCap caps the dive at 2 rounds on the parts of a generated
// network (whose dives take 14 rounds on average uncapped): the round
// after the cap rounds every fractional line and fixes the free lines at
// zero, so that the dive ends there unless a re-solve was infeasible (one
// more round per floored batch). Before, the lines at zero stayed free
// and the dive went on for as many rounds as lines moved off zero (469
// on a part of 200 × 500). The point must still be integral on every
// integer column and cost no less than the relaxation.
func TestDiveRoundCap(t *testing.T) {
	defer func(n int) { maxDiveRounds = n }(maxDiveRounds)
	maxDiveRounds = 2
	for _, p := range generatedParts(t, 0.6) {
		m, err := build(p.Input, 13, Options{}.withDefaults())
		if err != nil {
			t.Fatal(err)
		}
		lp := solvedRelaxation(t, m)
		bound := m.objective(lp.ObjectiveValue())
		x, obj, s, err := m.dive(context.Background(), lp, lp.Primal())
		lp.Close()
		if err != nil {
			t.Fatalf("part %d: %v", p.Index, err)
		}
		if s.rounds > maxDiveRounds+1+s.floored {
			t.Errorf("part %d: %d rounds (%d floored), want at most %d + 1 + floored", p.Index, s.rounds, s.floored, maxDiveRounds)
		}
		for j, integer := range m.prob.Integer {
			if integer && math.Abs(x[j]-math.Round(x[j])) > 1e-6 {
				t.Fatalf("part %d: integer column %d at %v", p.Index, j, x[j])
			}
		}
		if obj < bound-1e-6*math.Max(1, math.Abs(bound)) {
			t.Errorf("part %d: dive %v EUR below the relaxation's %v", p.Index, obj, bound)
		}
	}
}
