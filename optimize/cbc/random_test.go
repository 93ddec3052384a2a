package cbc

import (
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"testing"
)

// randomMIP is a small random MIP with a dense copy of its matrix, small
// enough to enumerate: every column has finite bounds, and the integer
// columns have at most 5 values each.
type randomMIP struct {
	p   Problem
	max bool
	a   [][]float64
}

// newRandomMIP draws a MIP with 1 to 4 rows, 1 to 5 integer columns and
// 0 to 2 continuous ones. Matrix and cost entries are integers in [−5, 5]
// (exact activities for integer points); row bounds of every type are
// placed around A x0 for a random point x0, shifted at random so that
// some problems are infeasible, and some equality rows make the integer
// problem infeasible while its LP relaxation is not.
func newRandomMIP(rng *rand.Rand) randomMIP {
	m := 1 + rng.IntN(4)
	nInt := 1 + rng.IntN(5)
	nCont := rng.IntN(3)
	n := nInt + nCont
	coef := func() float64 { return float64(rng.IntN(11) - 5) }
	a := make([][]float64, m)
	for i := range a {
		a[i] = make([]float64, n)
		for j := range a[i] {
			if rng.Float64() < 0.7 {
				a[i][j] = coef()
			}
		}
	}
	cl, cu, c := make([]float64, n), make([]float64, n), make([]float64, n)
	x0 := make([]float64, n)
	integer := make([]bool, n)
	for j := 0; j < n; j++ {
		cl[j] = float64(rng.IntN(5) - 2)
		if j < nInt {
			integer[j] = true
			cu[j] = cl[j] + float64(rng.IntN(5)) // 1 to 5 values
			x0[j] = cl[j] + float64(rng.IntN(int(cu[j]-cl[j])+1))
			if rng.Float64() < 0.3 { // fractional bounds: still ≤ 5 integers
				cl[j] -= 0.5
				cu[j] += 0.25
			}
		} else {
			cu[j] = cl[j] + 0.5 + float64(rng.IntN(4))
			x0[j] = cl[j] + rng.Float64()*(cu[j]-cl[j])
		}
		c[j] = coef()
	}
	rl, ru := make([]float64, m), make([]float64, m)
	for i := 0; i < m; i++ {
		act := 0.0
		for j := 0; j < n; j++ {
			act += a[i][j] * x0[j]
		}
		shift := 0.0
		if rng.Float64() < 0.2 {
			shift = float64(rng.IntN(7) - 3) // may make it infeasible
		}
		slack := float64(rng.IntN(3))
		switch r := rng.Float64(); {
		case r < 0.35:
			rl[i], ru[i] = math.Inf(-1), act+slack+shift
		case r < 0.7:
			rl[i], ru[i] = act-slack+shift, math.Inf(1)
		case r < 0.85:
			rl[i], ru[i] = act-slack+shift, act+slack+shift
		default:
			rl[i], ru[i] = act+shift, act+shift
		}
	}
	r := randomMIP{a: a, max: rng.IntN(2) == 0}
	r.p = dense(a, cl, cu, c, rl, ru, integer)
	r.p.ObjectiveConstant = float64(rng.IntN(21) - 10)
	return r
}

// enumerate returns the optimum of r by enumerating every integer point
// within the bounds; with continuous columns, fixedLP solves the LP left
// for each integer point. ok is false when no point is feasible.
func enumerate(t *testing.T, r randomMIP) (best float64, ok bool) {
	t.Helper()
	p := r.p
	var ints []int
	for j, isInt := range p.Integer {
		if isInt {
			ints = append(ints, j)
		}
	}
	sense := 1.0
	if r.max {
		sense = -1
	}
	best = math.Inf(1)
	x := make([]float64, p.NumCols)
	var rec func(k int)
	rec = func(k int) {
		if k < len(ints) {
			j := ints[k]
			for v := math.Ceil(p.ColLower[j]); v <= p.ColUpper[j]; v++ {
				x[j] = v
				rec(k + 1)
			}
			return
		}
		obj, feasible := 0.0, true
		if len(ints) == p.NumCols {
			for i := range r.a {
				act := 0.0
				for j, v := range x {
					act += r.a[i][j] * v
				}
				if act < p.RowLower[i]-1e-9 || act > p.RowUpper[i]+1e-9 {
					feasible = false
				}
			}
			for j, v := range x {
				obj += p.Objective[j] * v
			}
		} else {
			obj, feasible = fixedLP(t, r, x)
		}
		if feasible && sense*obj < best {
			best = sense * obj
		}
	}
	rec(0)
	if math.IsInf(best, 1) {
		return 0, false
	}
	return sense*best + p.ObjectiveConstant, true
}

// fixedLP solves r's LP with its integer columns fixed at x, by vertex
// enumeration: with at most two continuous columns left, an optimum lies
// where one (one column) or two (two columns) of the bound lines — a
// row's or a column's bound, active — meet. It tries every such point and
// keeps the best feasible one (independently of CLP and CBC).
func fixedLP(t *testing.T, r randomMIP, x []float64) (float64, bool) {
	t.Helper()
	p := r.p
	var cont []int
	for j, isInt := range p.Integer {
		if !isInt {
			cont = append(cont, j)
		}
	}
	// A line: coef · y = rhs over the continuous columns y.
	type line struct {
		coef []float64
		rhs  float64
	}
	var lines []line
	for i := range r.a {
		fixed := 0.0
		coef := make([]float64, len(cont))
		for j, v := range x {
			if p.Integer[j] {
				fixed += r.a[i][j] * v
			}
		}
		for k, j := range cont {
			coef[k] = r.a[i][j]
		}
		for _, b := range []float64{p.RowLower[i], p.RowUpper[i]} {
			if !math.IsInf(b, 0) {
				lines = append(lines, line{coef, b - fixed})
			}
		}
	}
	for k, j := range cont {
		coef := make([]float64, len(cont))
		coef[k] = 1
		lines = append(lines, line{coef, p.ColLower[j]}, line{coef, p.ColUpper[j]})
	}
	sense := 1.0
	if r.max {
		sense = -1
	}
	best, found := math.Inf(1), false
	y := append([]float64(nil), x...)
	try := func(vals ...float64) {
		for k, j := range cont {
			y[j] = vals[k]
		}
		if checkFeasible(p, r.a, y, 1e-7) != "" {
			return
		}
		obj := 0.0
		for j, v := range y {
			obj += p.Objective[j] * v
		}
		if sense*obj < best {
			best, found = sense*obj, true
		}
	}
	for a, la := range lines {
		if len(cont) == 1 {
			if la.coef[0] != 0 {
				try(la.rhs / la.coef[0])
			}
			continue
		}
		for _, lb := range lines[a+1:] {
			det := la.coef[0]*lb.coef[1] - la.coef[1]*lb.coef[0]
			if det != 0 {
				try((la.rhs*lb.coef[1]-la.coef[1]*lb.rhs)/det, (la.coef[0]*lb.rhs-la.rhs*lb.coef[0])/det)
			}
		}
	}
	return sense * best, found
}

// checkFeasible returns a description of the first way x violates p's
// bounds, integrality or rows by more than tol, or "".
func checkFeasible(p Problem, a [][]float64, x []float64, tol float64) string {
	for j, v := range x {
		if v < p.ColLower[j]-tol || v > p.ColUpper[j]+tol {
			return fmt.Sprintf("column %d = %v outside [%v, %v]", j, v, p.ColLower[j], p.ColUpper[j])
		}
		if p.Integer[j] && v != math.Round(v) {
			return fmt.Sprintf("integer column %d = %v", j, v)
		}
	}
	for i := range a {
		act := 0.0
		for j, v := range x {
			act += a[i][j] * v
		}
		if act < p.RowLower[i]-tol || act > p.RowUpper[i]+tol {
			return fmt.Sprintf("row %d = %v outside [%v, %v]", i, act, p.RowLower[i], p.RowUpper[i])
		}
	}
	return ""
}

// maxWrongRate is the share of random MIPs on which CBC 2.10.8 may return a
// wrong verdict (a worse "optimum" or "infeasible" for a feasible
// problem). Measured: 6 of 3,000 (seed 99, 1) and 1 of 300 (seed 11, 2026);
// every one reproduced with the cbc command on the MPS file, and fixed by
// switching CBC's preprocessing off (which makes CBC abort on other tiny
// problems) — see "Known CBC errors" in the package documentation.
const maxWrongRate = 0.01

// TestRandomAgainstEnumeration solves seeded random small MIPs and checks,
// on each: every solution within bounds, integral and satisfying the rows,
// with ObjectiveValue = cᵀx + constant and RowActivity = A x; the optimum
// and the status against brute-force enumeration; and the LP relaxation
// (optimize/clp) no better than the MIP. CBC's known wrong verdicts are
// counted, logged and bounded by maxWrongRate; a solution better than the
// enumerated optimum is always an error.
func TestRandomAgainstEnumeration(t *testing.T) {
	n := 300
	if testing.Short() {
		n = 60
	}
	rng := rand.New(rand.NewPCG(11, 2026))
	infeasible, wrong := 0, 0
	for k := range n {
		r := newRandomMIP(rng)
		want, feasible := enumerate(t, r)
		if !feasible {
			infeasible++
		}
		m := New()
		if err := m.LoadProblem(r.p); err != nil {
			t.Fatal(err)
		}
		m.SetMaximize(r.max)
		if err := m.SetGap(0); err != nil {
			t.Fatal(err)
		}
		err := m.Solve()
		got := m.ObjectiveValue()
		switch {
		case !feasible && err == nil:
			t.Errorf("MIP %d: no feasible integer point, but CBC found %v: %v", k, m.Primal(), got)
		case !feasible:
			if !errors.Is(err, ErrInfeasible) || m.Status() != Infeasible || m.Primal() != nil || !math.IsNaN(got) {
				t.Errorf("MIP %d: no feasible integer point, got %v, status %v, objective %v", k, err, m.Status(), got)
			}
		case errors.Is(err, ErrInfeasible):
			wrong++
			t.Logf("MIP %d: CBC says infeasible, enumeration finds %v (known CBC error)", k, want)
		case err != nil:
			t.Errorf("MIP %d: optimum %v by enumeration, Solve: %v", k, want, err)
		default:
			sense := 1.0
			if r.max {
				sense = -1
			}
			if diff := sense * (got - want); diff < -1e-6*(1+math.Abs(want)) {
				t.Errorf("MIP %d (max %v): CBC %v better than the enumerated optimum %v", k, r.max, got, want)
			} else if diff > 1e-6*(1+math.Abs(want)) {
				wrong++
				t.Logf("MIP %d (max %v): CBC %v, enumeration %v (known CBC error)", k, r.max, got, want)
			}
			checkSolution(t, k, r, m)
		}
		m.Close()
	}
	t.Logf("%d random MIPs, %d without a feasible integer point, %d wrong verdicts of CBC", n, infeasible, wrong)
	if infeasible == 0 || infeasible == n {
		t.Errorf("%d of %d random MIPs infeasible: the generator does not cover both cases", infeasible, n)
	}
	if float64(wrong) > maxWrongRate*float64(n) {
		t.Errorf("CBC was wrong on %d of %d MIPs, more than %.0f%%", wrong, n, 100*maxWrongRate)
	}
}

// checkSolution checks the solution of a solved random MIP: feasible,
// objective and row activities as computed here, and the LP relaxation no
// better.
func checkSolution(t *testing.T, k int, r randomMIP, m *Model) {
	t.Helper()
	got := m.ObjectiveValue()
	x := m.Primal()
	if why := checkFeasible(r.p, r.a, x, 1e-6); why != "" {
		t.Errorf("MIP %d: solution %v: %s", k, x, why)
	}
	cx := r.p.ObjectiveConstant
	for j, v := range x {
		cx += r.p.Objective[j] * v
	}
	if math.Abs(cx-got) > 1e-9*(1+math.Abs(got)) {
		t.Errorf("MIP %d: ObjectiveValue %v, cᵀx + constant %v", k, got, cx)
	}
	if g := m.Gap(); g > 1e-9 {
		t.Errorf("MIP %d: gap %v with SetGap(0): objective %v, bound %v", k, g, got, m.BestBound())
	}
	act := m.RowActivity()
	for i := range r.a {
		want := 0.0
		for j, v := range x {
			want += r.a[i][j] * v
		}
		if math.Abs(act[i]-want) > 1e-9*(1+math.Abs(want)) {
			t.Errorf("MIP %d: RowActivity[%d] = %v, want %v", k, i, act[i], want)
		}
	}
	relax, err := lpRelaxation(t, r.p, r.max)
	if err != nil {
		t.Errorf("MIP %d: feasible, but its LP relaxation: %v", k, err)
		return
	}
	if !r.max && relax > got+1e-6 || r.max && relax < got-1e-6 {
		t.Errorf("MIP %d (max %v): LP relaxation %v worse than the MIP %v", k, r.max, relax, got)
	}
}
