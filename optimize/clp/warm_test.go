package clp

import (
	"math"
	"testing"
)

// warmChange is one change of a solved Netlib model and the method that
// re-solves it.
type warmChange struct {
	name   string
	method Method
	// pick chooses the change from the solved model; apply makes it (on the
	// warm model and on a fresh copy alike).
	pick func(t *testing.T, m *Model) func(m *Model) error
}

// relaxActiveRow loosens the active bound of the row with the largest dual
// by 1% of its magnitude plus 1: the feasible set grows, the basis stays
// dual feasible, and the optimum moves.
func relaxActiveRow(t *testing.T, m *Model) func(*Model) error {
	y := m.Dual()
	lo, up := m.RowLower(), m.RowUpper()
	best := -1
	for i := range y {
		if math.Abs(y[i]) > 1e-6 && (best < 0 || math.Abs(y[i]) > math.Abs(y[best])) {
			best = i
		}
	}
	if best < 0 {
		t.Fatal("no row with a nonzero dual")
	}
	i := best
	l, u := lo[i], up[i]
	// A minimisation's dual > 0 prices the lower bound.
	if y[i] > 0 {
		l -= 0.01*math.Abs(l) + 1
	} else {
		u += 0.01*math.Abs(u) + 1
	}
	return func(m *Model) error { return m.SetRowBounds(i, l, u) }
}

// raiseBasicCost raises by 1% the cost of the basic column with the largest
// value: the basis stays primal feasible and the objective changes.
func raiseBasicCost(t *testing.T, m *Model) func(*Model) error {
	x, d := m.Primal(), m.ReducedCost()
	c := m.ObjectiveCoefficients()
	best := -1
	for j := range x {
		if math.Abs(d[j]) < 1e-9 && c[j] != 0 && (best < 0 || math.Abs(x[j]) > math.Abs(x[best])) {
			best = j
		}
	}
	if best < 0 {
		t.Fatal("no basic column with a cost")
	}
	j, cj := best, c[best]*1.01
	return func(m *Model) error { return m.SetObjective(j, cj) }
}

// TestWarmStart changes a solved model, re-solves it from its basis, and
// checks that the result equals a cold solve of the changed model, found
// with fewer iterations.
func TestWarmStart(t *testing.T) {
	changes := []warmChange{
		{"rhs", DualSimplex, relaxActiveRow},
		{"cost", PrimalSimplex, raiseBasicCost},
	}
	names := []string{"25fv47", "ship12l", "sctap3", "degen2", "stocfor1", "israel"}
	moved := 0 // changes that moved the optimum (degeneracy may hide one)
	for _, name := range names {
		for _, ch := range changes {
			t.Run(name+"/"+ch.name, func(t *testing.T) {
				warm := fromMPS(t, netlibPath(name))
				if err := warm.Solve(DualSimplex); err != nil {
					t.Fatal(err)
				}
				before := warm.ObjectiveValue()
				apply := ch.pick(t, warm)
				if err := apply(warm); err != nil {
					t.Fatal(err)
				}
				if err := warm.Solve(ch.method); err != nil {
					t.Fatalf("warm %s: %v", ch.method, err)
				}

				cold := fromMPS(t, netlibPath(name))
				if err := apply(cold); err != nil {
					t.Fatal(err)
				}
				if err := cold.Solve(ch.method); err != nil {
					t.Fatalf("cold %s: %v", ch.method, err)
				}
				w, c := warm.ObjectiveValue(), cold.ObjectiveValue()
				t.Logf("objective %.10g → %.10g (cold %.10g); iterations warm %d, cold %d", before, w, c, warm.Iterations(), cold.Iterations())
				if math.Abs(w-c) > 1e-8*(1+math.Abs(c)) {
					t.Errorf("warm objective %.12g, cold %.12g", w, c)
				}
				if math.Abs(w-before) > 1e-9*(1+math.Abs(before)) {
					moved++
				}
				if warm.Iterations() >= cold.Iterations() {
					t.Errorf("warm re-solve took %d iterations, cold solve %d", warm.Iterations(), cold.Iterations())
				}
			})
		}
	}
	if total := len(names) * len(changes); moved*3 < total*2 {
		t.Errorf("only %d of %d changes moved the optimum: the test changes too little", moved, total)
	}
}
