package clp

import (
	"errors"
	"math"
	"math/rand/v2"
	"reflect"
	"testing"
)

// solveCold solves a copy of p (with the direction max) on a fresh model
// and returns its error and objective.
func solveCold(p Problem, max bool, method Method) (float64, error) {
	m := New()
	defer m.Close()
	if err := m.LoadProblem(p); err != nil {
		return 0, err
	}
	m.SetMaximize(max)
	err := m.Solve(method)
	return m.ObjectiveValue(), err
}

// sameVerdict reports whether two solve results agree: both optimal with
// the same objective, or both failed with the same sentinel error.
func sameVerdict(errA error, objA float64, errB error, objB float64) bool {
	if errA == nil || errB == nil {
		return errA == nil && errB == nil && math.Abs(objA-objB) <= 1e-7*math.Max(1, math.Abs(objB))
	}
	for _, e := range []error{ErrInfeasible, ErrUnbounded, ErrLimit, ErrNumerical} {
		if errors.Is(errA, e) {
			return errors.Is(errB, e)
		}
	}
	return false
}

// A long chain of changes and warm re-solves on one model, which keeps
// CLP's work areas between solves, gives the verdict and optimum of a cold
// solve of the changed problem at every step: row and column bounds and
// costs, one at a time and as whole slices, with the dual and the primal
// simplex, some steps infeasible, and PrepareWarm, barrier solves and
// reloads in between.
func TestKeptWarmChain(t *testing.T) {
	rng := rand.New(rand.NewPCG(11, 5))
	steps, infeasible := 0, 0
	for trial := range 40 {
		r := newRandomLP(rng, 8+rng.IntN(12), 10+rng.IntN(15), feasibleLP)
		// Own copies of the vectors the changes edit.
		p := ownBounds(r.p)
		p.Objective = fill(p.Objective, p.NumCols, 0)
		m := New()
		if err := m.LoadProblem(p); err != nil {
			t.Fatal(err)
		}
		m.SetMaximize(r.max)
		if err := m.Solve(DualSimplex); err != nil {
			t.Fatalf("trial %d: cold: %v", trial, err)
		}
		if trial%2 == 0 {
			if err := m.PrepareWarm(); err != nil {
				t.Fatalf("trial %d: PrepareWarm: %v", trial, err)
			}
		}
		for step := range 12 {
			method := DualSimplex
			switch k := rng.IntN(7); k {
			case 0, 1: // one row's bounds
				i := rng.IntN(p.NumRows)
				p.RowLower[i], p.RowUpper[i] = moveBounds(rng, p.RowLower[i], p.RowUpper[i])
				if err := m.SetRowBounds(i, p.RowLower[i], p.RowUpper[i]); err != nil {
					t.Fatal(err)
				}
			case 2: // all row bounds, a few changed
				for range 3 {
					i := rng.IntN(p.NumRows)
					p.RowLower[i], p.RowUpper[i] = moveBounds(rng, p.RowLower[i], p.RowUpper[i])
				}
				if err := m.SetRowBoundSlices(p.RowLower, p.RowUpper); err != nil {
					t.Fatal(err)
				}
			case 3: // one column's bounds
				j := rng.IntN(p.NumCols)
				p.ColLower[j], p.ColUpper[j] = moveBounds(rng, p.ColLower[j], p.ColUpper[j])
				if err := m.SetColumnBounds(j, p.ColLower[j], p.ColUpper[j]); err != nil {
					t.Fatal(err)
				}
			case 4: // all column bounds
				j := rng.IntN(p.NumCols)
				p.ColLower[j], p.ColUpper[j] = moveBounds(rng, p.ColLower[j], p.ColUpper[j])
				if err := m.SetColumnBoundSlices(p.ColLower, nil); err != nil {
					t.Fatal(err)
				}
				if err := m.SetColumnBoundSlices(nil, p.ColUpper); err != nil {
					t.Fatal(err)
				}
			case 5: // costs, re-solved with the primal simplex
				method = PrimalSimplex
				j := rng.IntN(p.NumCols)
				p.Objective[j] += float64(rng.IntN(9)-4) / 4
				if rng.IntN(2) == 0 {
					if err := m.SetObjective(j, p.Objective[j]); err != nil {
						t.Fatal(err)
					}
				} else if err := m.SetObjectiveSlice(p.Objective); err != nil {
					t.Fatal(err)
				}
			case 6: // costs and bounds together, re-solved with the dual
				j := rng.IntN(p.NumCols)
				p.Objective[j] += 0.5
				p.ColLower[j], p.ColUpper[j] = moveBounds(rng, p.ColLower[j], p.ColUpper[j])
				if err := m.SetObjective(j, p.Objective[j]); err != nil {
					t.Fatal(err)
				}
				if err := m.SetColumnBounds(j, p.ColLower[j], p.ColUpper[j]); err != nil {
					t.Fatal(err)
				}
			}
			if step == 6 && trial%5 == 1 {
				method = Barrier
			}
			errW := m.Solve(method)
			objW := m.ObjectiveValue()
			objC, errC := solveCold(p, r.max, DualSimplex)
			if !sameVerdict(errW, objW, errC, objC) {
				t.Fatalf("trial %d step %d (%s): warm %v %.10g, cold %v %.10g", trial, step, method, errW, objW, errC, objC)
			}
			if errW != nil {
				infeasible++
			} else if !m.PrimalFeasible() {
				t.Fatalf("trial %d step %d: optimal but not primal feasible", trial, step)
			}
			if method != Barrier && !m.keptWorkAreas() {
				t.Fatalf("trial %d step %d: a warm %s solve kept no work areas", trial, step, method)
			}
			steps++
		}
		// The problem read back is the problem loaded plus the changes:
		// CLP's scaled work copies never leak into it.
		if got := m.Problem(); !reflect.DeepEqual(sortedColumns(got), sortedColumns(p)) {
			t.Fatalf("trial %d: Problem() differs from the changed problem", trial)
		}
		// A reload frees the work areas and solves cold.
		q := newRandomLP(rng, 5, 6, feasibleLP)
		if err := m.LoadProblem(q.p); err != nil {
			t.Fatal(err)
		}
		if m.keptWorkAreas() {
			t.Fatalf("trial %d: work areas kept across LoadProblem", trial)
		}
		m.SetMaximize(q.max)
		errW := m.Solve(DualSimplex)
		objC, errC := solveCold(q.p, q.max, DualSimplex)
		if !sameVerdict(errW, m.ObjectiveValue(), errC, objC) {
			t.Fatalf("trial %d: after reload: %v %g, cold %v %g", trial, errW, m.ObjectiveValue(), errC, objC)
		}
		m.Close()
	}
	t.Logf("%d of %d steps infeasible", infeasible, steps)
	if infeasible == 0 || infeasible > steps/2 {
		t.Errorf("%d of %d steps infeasible: the changes test too little", infeasible, steps)
	}
}

// ownBounds returns p with its own copies of the row and column bounds,
// CLP's defaults (rows free, columns in [0, +Inf)) where p leaves them nil,
// so that a test can edit them without touching p's.
func ownBounds(p Problem) Problem {
	p.RowLower = fill(p.RowLower, p.NumRows, math.Inf(-1))
	p.RowUpper = fill(p.RowUpper, p.NumRows, math.Inf(1))
	p.ColLower = fill(p.ColLower, p.NumCols, 0)
	p.ColUpper = fill(p.ColUpper, p.NumCols, math.Inf(1))
	return p
}

// fill returns a copy of v, or a vector of n copies of def when v is nil.
func fill(v []float64, n int, def float64) []float64 {
	if v != nil {
		return append([]float64(nil), v...)
	}
	out := make([]float64, n)
	for i := range out {
		out[i] = def
	}
	return out
}

// moveBounds shifts, widens or crosses finite bounds a little; crossed
// bounds (an infeasible step) are put back in order on the next move.
func moveBounds(rng *rand.Rand, lo, up float64) (float64, float64) {
	finite := !math.IsInf(lo, 0) && !math.IsInf(up, 0)
	if finite && lo > up {
		return up, lo
	}
	d := float64(rng.IntN(9)-4) / 4
	switch k := rng.IntN(10); {
	case k == 0 && !math.IsInf(up, 0):
		lo = up + 1 // crossed
	case k < 4 && !math.IsInf(lo, 0):
		lo += d
	case k < 7 && !math.IsInf(up, 0):
		up += d
	default:
		if !math.IsInf(lo, 0) {
			lo--
		}
		if !math.IsInf(up, 0) {
			up++
		}
	}
	return lo, up
}

// PrepareWarm keeps the solution and the counters, and the warm solve
// that follows an unchanged model does no iteration.
func TestPrepareWarm(t *testing.T) {
	m := New()
	defer m.Close()
	if err := m.PrepareWarm(); !errors.Is(err, ErrInvalid) {
		t.Errorf("before a load: %v, want ErrInvalid", err)
	}
	if err := m.ReadMPS(netlibPath("25fv47")); err != nil {
		t.Fatal(err)
	}
	if err := m.PrepareWarm(); !errors.Is(err, ErrInvalid) {
		t.Errorf("before a solve: %v, want ErrInvalid", err)
	}
	if err := m.Solve(DualSimplex); err != nil {
		t.Fatal(err)
	}
	x, y, obj, it := m.Primal(), m.Dual(), m.ObjectiveValue(), m.Iterations()
	if err := m.PrepareWarm(); err != nil {
		t.Fatal(err)
	}
	if !m.keptWorkAreas() {
		t.Fatal("no work areas kept by PrepareWarm")
	}
	if m.Status() != Optimal || m.Iterations() != it || math.Abs(m.ObjectiveValue()-obj) > 1e-12*math.Abs(obj) {
		t.Errorf("after PrepareWarm: status %v, iterations %d (was %d), objective %.12g (was %.12g)", m.Status(), m.Iterations(), it, m.ObjectiveValue(), obj)
	}
	if !closeSlices(m.Primal(), x, 1e-9) || !closeSlices(m.Dual(), y, 1e-9) {
		t.Error("PrepareWarm moved the solution")
	}
	if err := m.PrepareWarm(); err != nil { // again: nothing to do
		t.Fatal(err)
	}
	if err := m.Solve(DualSimplex); err != nil {
		t.Fatal(err)
	}
	if m.Iterations() != 0 || math.Abs(m.ObjectiveValue()-obj) > 1e-9*math.Abs(obj) {
		t.Errorf("warm solve of the unchanged model: %d iterations, objective %.12g (was %.12g)", m.Iterations(), m.ObjectiveValue(), obj)
	}
	// Not after a solve that failed.
	if err := m.SetRowBounds(0, 1, 0); err != nil {
		t.Fatal(err)
	}
	if err := m.Solve(DualSimplex); !errors.Is(err, ErrInfeasible) {
		t.Fatalf("crossed row bounds: %v, want ErrInfeasible", err)
	}
	if err := m.PrepareWarm(); !errors.Is(err, ErrInvalid) {
		t.Errorf("after an infeasible solve: %v, want ErrInvalid", err)
	}
	m.Close()
	if err := m.PrepareWarm(); !errors.Is(err, ErrClosed) {
		t.Errorf("after Close: %v", err)
	}
}

func closeSlices(a, b []float64, tol float64) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if math.Abs(a[i]-b[i]) > tol*math.Max(1, math.Abs(b[i])) {
			return false
		}
	}
	return true
}
