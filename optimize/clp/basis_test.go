package clp

import (
	"errors"
	"math"
	"math/rand/v2"
	"testing"

	"github.com/sillage/sillage/optimize/internal/testkit"
)

// TestSetBasis copies the optimal basis of a solved LP into a second
// model of the same problem with moved bounds and re-solves it warm: the
// optimum must be that of a cold solve of the changed problem, and with
// no change the warm solve must need no iteration.
func TestSetBasis(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 17))
	warmIters, coldIters, infeasible := 0, 0, 0
	for trial := range 60 {
		r := newRandomLP(rng, 10+rng.IntN(20), 12+rng.IntN(25), feasibleLP)
		p := ownBounds(r.p)
		src := testkit.Loaded(t, New(), p)
		src.SetMaximize(r.max)
		if err := src.Solve(DualSimplex); err != nil {
			t.Fatalf("trial %d: %v", trial, err)
		}
		b, err := src.Basis()
		if err != nil {
			t.Fatal(err)
		}
		if rows, cols := b.Size(); rows != p.NumRows || cols != p.NumCols {
			t.Fatalf("trial %d: basis of %dx%d for %dx%d", trial, rows, cols, p.NumRows, p.NumCols)
		}

		same := testkit.Loaded(t, New(), p)
		same.SetMaximize(r.max)
		if err := same.SetBasis(b); err != nil {
			t.Fatal(err)
		}
		if err := same.Solve(DualSimplex); err != nil {
			t.Fatalf("trial %d: same problem from the basis: %v", trial, err)
		}
		if same.Iterations() != 0 || !near(same.ObjectiveValue(), src.ObjectiveValue()) {
			t.Errorf("trial %d: same problem from its optimal basis: %d iterations, objective %v; want 0 and %v",
				trial, same.Iterations(), same.ObjectiveValue(), src.ObjectiveValue())
		}

		// Fix a third of the columns at a value within their bounds, as
		// a rounding does, and compare warm with cold.
		q := p
		q.ColLower, q.ColUpper = fill(p.ColLower, p.NumCols, 0), fill(p.ColUpper, p.NumCols, 0)
		x := src.Primal()
		for j := range q.NumCols {
			if rng.IntN(3) == 0 {
				v := math.Floor(x[j])
				if v < q.ColLower[j] {
					v = math.Ceil(x[j])
				}
				q.ColLower[j], q.ColUpper[j] = v, v
			}
		}
		cold, warm := New(), New()
		defer cold.Close()
		defer warm.Close()
		for _, m := range []*Model{cold, warm} {
			if err := m.LoadProblem(q); err != nil {
				t.Fatal(err)
			}
			m.SetMaximize(r.max)
		}
		if err := warm.SetBasis(b); err != nil {
			t.Fatal(err)
		}
		errCold, errWarm := cold.Solve(DualSimplex), warm.Solve(DualSimplex)
		switch {
		case errors.Is(errCold, ErrInfeasible) && errors.Is(errWarm, ErrInfeasible):
			infeasible++
		case errCold != nil || errWarm != nil:
			t.Errorf("trial %d: fixed columns: cold %v, warm %v", trial, errCold, errWarm)
		case !near(cold.ObjectiveValue(), warm.ObjectiveValue()):
			t.Errorf("trial %d: fixed columns: warm objective %v, cold %v", trial, warm.ObjectiveValue(), cold.ObjectiveValue())
		default:
			warmIters += warm.Iterations()
			coldIters += cold.Iterations()
		}
	}
	if infeasible > 40 {
		t.Errorf("%d of 60 fixed problems infeasible: the test compares too few optima", infeasible)
	}
	t.Logf("fixed problems: %d infeasible; iterations warm %d, cold %d", infeasible, warmIters, coldIters)
}

func near(a, b float64) bool { return math.Abs(a-b) <= 1e-6*math.Max(1, math.Abs(b)) }

func TestBasisErrors(t *testing.T) {
	m := New()
	if _, err := m.Basis(); !errors.Is(err, ErrInvalid) {
		t.Errorf("Basis before a solve: %v, want ErrInvalid", err)
	}
	if err := m.SetBasis(Basis{}); !errors.Is(err, ErrInvalid) {
		t.Errorf("SetBasis of an empty basis: %v, want ErrInvalid", err)
	}
	p := Problem{NumRows: 1, NumCols: 2, ColStart: []int{0, 1, 2}, RowIndex: []int{0, 0}, Values: []float64{1, 1},
		Objective: []float64{1, 2}, RowLower: []float64{1}, RowUpper: []float64{math.Inf(1)}}
	if err := m.LoadProblem(p); err != nil {
		t.Fatal(err)
	}
	if err := m.Solve(DualSimplex); err != nil {
		t.Fatal(err)
	}
	b, err := m.Basis()
	if err != nil {
		t.Fatal(err)
	}
	other := New()
	defer other.Close()
	p.NumCols, p.ColStart, p.Objective = 1, []int{0, 1}, []float64{1}
	p.RowIndex, p.Values = []int{0}, []float64{1}
	if err := other.LoadProblem(p); err != nil {
		t.Fatal(err)
	}
	if err := other.SetBasis(b); !errors.Is(err, ErrInvalid) {
		t.Errorf("SetBasis of a 1x2 basis on a 1x1 model: %v, want ErrInvalid", err)
	}
	m.Close()
	if _, err := m.Basis(); !errors.Is(err, ErrClosed) {
		t.Errorf("Basis after Close: %v, want ErrClosed", err)
	}
	if err := m.SetBasis(b); !errors.Is(err, ErrClosed) {
		t.Errorf("SetBasis after Close: %v, want ErrClosed", err)
	}
}
