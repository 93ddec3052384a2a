package clp

import (
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"testing"

	"github.com/sillage/sillage/optimize/internal/testkit"
	"gonum.org/v1/gonum/mat"
	"gonum.org/v1/gonum/optimize/convex/lp"
)

// lpKind is the true status a random LP is built to have.
type lpKind int

const (
	feasibleLP   lpKind = iota // optimal solution exists
	infeasibleLP               // no feasible point
	unboundedLP                // feasible, objective unbounded
)

func (k lpKind) String() string {
	return [...]string{"feasible", "infeasible", "unbounded"}[k]
}

// randomLP is a random LP with a dense copy of its matrix.
type randomLP struct {
	p   Problem
	max bool
	a   [][]float64 // a[i][j], dense
}

// newRandomLP builds an LP of kind with about m rows and n columns whose
// status is known by construction.
//
// It draws a point x0 inside random column bounds (boxed, lower only, upper
// only, free, fixed), sets random row bounds of every type around A x0 (so
// x0 is feasible; some rows are active at x0), and draws duals y and
// reduced costs d whose signs fit the bound types, then sets c = Aᵀy + d:
// the dual is feasible too, so the LP has an optimum (weak duality).
//
// An infeasible LP gets one more row, the sum of two rows with finite upper
// bounds, whose lower bound exceeds the sum of their upper bounds. An
// unbounded LP gets one more column with a negative cost whose entries only
// move rows away from their finite bound (a recession direction). Half of
// the LPs are maximisations of −cᵀx, which are equivalent.
func newRandomLP(rng *rand.Rand, m, n int, kind lpKind) randomLP {
	const density = 0.4
	inf := math.Inf(1)
	// Values on a grid of 1/8 (entries) and 1/4 (points, gaps) keep A x0
	// exact in floating point, so x0 is feasible without rounding.
	val := func() float64 {
		v := float64(rng.IntN(80)-40) / 8
		if v >= 0 {
			v += 1.0 / 8 // never zero
		}
		return v
	}
	quarter := func(max float64) float64 { return float64(rng.IntN(int(4*max)+1)) / 4 }
	a := make([][]float64, m)
	for i := range a {
		a[i] = make([]float64, n)
		for j := range a[i] {
			if rng.Float64() < density {
				a[i][j] = val()
			}
		}
		a[i][rng.IntN(n)] = val() // every row has an entry (likely nonzero)
	}
	for j := 0; j < n; j++ {
		a[rng.IntN(m)][j] = val() // and every column
	}

	// Column bounds, x0, and the sign a reduced cost may take.
	cl, cu, x0 := make([]float64, n), make([]float64, n), make([]float64, n)
	dSign := make([]float64, n) // +1: d ≥ 0, −1: d ≤ 0, 0: d = 0, 2: any
	for j := 0; j < n; j++ {
		lo := math.Round(rng.Float64()*10 - 5)
		switch r := rng.Float64(); {
		case r < 0.4: // boxed
			cl[j], cu[j] = lo, lo+1+math.Round(rng.Float64()*10)
			x0[j] = cl[j] + quarter(cu[j]-cl[j])
			dSign[j] = 2
		case r < 0.7: // lower only
			cl[j], cu[j] = lo, inf
			x0[j] = lo + quarter(5)
			dSign[j] = 1
		case r < 0.8: // upper only
			cl[j], cu[j] = -inf, lo
			x0[j] = lo - quarter(5)
			dSign[j] = -1
		case r < 0.9: // free
			cl[j], cu[j] = -inf, inf
			x0[j] = quarter(10) - 5
			dSign[j] = 0
		default: // fixed
			cl[j], cu[j] = lo, lo
			x0[j] = lo
			dSign[j] = 2
		}
		if rng.Float64() < 0.3 && dSign[j] != 0 { // put x0 at a bound
			if !math.IsInf(cl[j], 0) {
				x0[j] = cl[j]
			} else {
				x0[j] = cu[j]
			}
		}
	}

	// Row bounds around A x0, and the sign a dual may take.
	rl, ru := make([]float64, m), make([]float64, m)
	ySign := make([]float64, m)
	for i := 0; i < m; i++ {
		act := 0.0
		for j := 0; j < n; j++ {
			act += a[i][j] * x0[j]
		}
		gap := func() float64 {
			if rng.Float64() < 0.4 {
				return 0 // active at x0
			}
			return quarter(3)
		}
		switch r := rng.Float64(); {
		case r < 0.35: // ≤
			rl[i], ru[i] = -inf, act+gap()
			ySign[i] = -1
		case r < 0.7: // ≥
			rl[i], ru[i] = act-gap(), inf
			ySign[i] = 1
		case r < 0.85: // ranged
			rl[i], ru[i] = act-gap(), act+gap()
			ySign[i] = 2
		case r < 0.95: // equality
			rl[i], ru[i] = act, act
			ySign[i] = 2
		default: // free
			rl[i], ru[i] = -inf, inf
			ySign[i] = 0
		}
	}

	// c = Aᵀy + d with dual feasible y, d.
	signed := func(sign float64) float64 {
		if rng.Float64() < 0.3 {
			return 0
		}
		v := rng.Float64() * 4
		switch sign {
		case 0:
			return 0
		case 2:
			return v*2 - 4
		}
		return sign * v
	}
	y := make([]float64, m)
	for i := range y {
		y[i] = signed(ySign[i])
	}
	c := make([]float64, n)
	for j := 0; j < n; j++ {
		c[j] = signed(dSign[j])
		for i := 0; i < m; i++ {
			c[j] += a[i][j] * y[i]
		}
	}

	switch kind {
	case infeasibleLP:
		var ups []int
		for i := 0; i < m; i++ {
			if !math.IsInf(ru[i], 0) {
				ups = append(ups, i)
			}
		}
		if len(ups) == 0 { // give row 0 a finite upper bound
			act := 0.0
			for j := 0; j < n; j++ {
				act += a[0][j] * x0[j]
			}
			ru[0] = act + 1 // exact: act is on the grid
			if rl[0] > ru[0] {
				rl[0] = act
			}
			ups = append(ups, 0)
		}
		p, q := ups[rng.IntN(len(ups))], ups[rng.IntN(len(ups))]
		row := make([]float64, n)
		for j := range row {
			row[j] = a[p][j] + a[q][j]
		}
		a = append(a, row)
		rl = append(rl, ru[p]+ru[q]+0.25+quarter(1))
		ru = append(ru, inf)
	case unboundedLP:
		// A new column k ≥ 0 with cost −1−…: increasing it keeps every row
		// feasible: positive entries only in rows without an upper bound,
		// negative only in rows without a lower bound.
		for i := 0; i < m; i++ {
			v := 0.0
			switch {
			case math.IsInf(ru[i], 1) && rng.Float64() < 0.7:
				v = 0.5 + rng.Float64()*3
			case math.IsInf(rl[i], -1) && rng.Float64() < 0.7:
				v = -0.5 - rng.Float64()*3
			}
			a[i] = append(a[i], v)
		}
		cl, cu, c = append(cl, 0), append(cu, inf), append(c, -1-rng.Float64())
		n++
	}

	lpr := randomLP{a: a, max: rng.IntN(2) == 0}
	if lpr.max {
		for j := range c {
			c[j] = -c[j]
		}
	}
	lpr.p = denseToProblem(a, n, cl, cu, c, rl, ru)
	return lpr
}

// denseToProblem packs a dense matrix into a Problem.
func denseToProblem(a [][]float64, n int, cl, cu, c, rl, ru []float64) Problem {
	start, index, values := testkit.Columns(a, n)
	return Problem{NumRows: len(a), NumCols: n, ColStart: start, RowIndex: index, Values: values,
		ColLower: cl, ColUpper: cu, Objective: c, RowLower: rl, RowUpper: ru}
}

// gonumObjective solves r with gonum's simplex after converting it to
// gonum's standard form: minimise cᵀz subject to A z = b, z ≥ 0. It returns
// the optimal objective in r's own sense.
func gonumObjective(r randomLP) (float64, error) {
	p := r.p
	sense := 1.0
	if r.max {
		sense = -1
	}
	// Each original column j is constant[j] + Σ coef·z over its new
	// columns.
	type term struct {
		col  int
		coef float64
	}
	constant := make([]float64, p.NumCols)
	terms := make([][]term, p.NumCols)
	nz := 0
	var rowsA [][]term // standard-form rows over z
	var b []float64
	for j := 0; j < p.NumCols; j++ {
		lo, up := p.ColLower[j], p.ColUpper[j]
		switch {
		case !math.IsInf(lo, 0):
			constant[j] = lo
			terms[j] = []term{{nz, 1}}
			nz++
			if !math.IsInf(up, 0) { // z + s = up − lo
				rowsA = append(rowsA, []term{{nz - 1, 1}, {nz, 1}})
				b = append(b, up-lo)
				nz++
			}
		case !math.IsInf(up, 0):
			constant[j] = up
			terms[j] = []term{{nz, -1}}
			nz++
		default:
			terms[j] = []term{{nz, 1}, {nz + 1, -1}}
			nz += 2
		}
	}
	for i := 0; i < p.NumRows; i++ {
		var row []term
		shift := 0.0
		for j := 0; j < p.NumCols; j++ {
			if v := r.a[i][j]; v != 0 {
				shift += v * constant[j]
				for _, t := range terms[j] {
					row = append(row, term{t.col, v * t.coef})
				}
			}
		}
		lo, up := p.RowLower[i]-shift, p.RowUpper[i]-shift
		switch {
		case lo == up:
			rowsA = append(rowsA, row)
			b = append(b, lo)
		default:
			if !math.IsInf(lo, 0) { // row − s = lo
				rowsA = append(rowsA, append(append([]term(nil), row...), term{nz, -1}))
				b = append(b, lo)
				nz++
			}
			if !math.IsInf(up, 0) { // row + s = up
				rowsA = append(rowsA, append(append([]term(nil), row...), term{nz, 1}))
				b = append(b, up)
				nz++
			}
		}
	}
	cz := make([]float64, nz)
	objConst := 0.0
	for j := 0; j < p.NumCols; j++ {
		cj := sense * p.Objective[j]
		objConst += cj * constant[j]
		for _, t := range terms[j] {
			cz[t.col] += cj * t.coef
		}
	}
	full := mat.NewDense(len(rowsA), nz, nil)
	for i, row := range rowsA {
		for _, t := range row {
			full.Set(i, t.col, full.At(i, t.col)+t.coef)
		}
	}
	// gonum wants no zero column and full row rank. A zero column (a
	// variable in free rows only) sits at 0 when its cost is ≥ 0; the
	// generator's dual feasible costs guarantee that. Dependent rows are
	// consistent (x0 satisfies them all) and can go.
	var cols []int
	for k := 0; k < nz; k++ {
		zero := true
		for i := range rowsA {
			if full.At(i, k) != 0 {
				zero = false
				break
			}
		}
		if !zero {
			cols = append(cols, k)
		} else if cz[k] < 0 {
			return 0, fmt.Errorf("standard form has an empty column with cost %g", cz[k])
		}
	}
	rows := independentRows(full, cols)
	A := mat.NewDense(len(rows), len(cols), nil)
	bb := make([]float64, len(rows))
	cc := make([]float64, len(cols))
	for r, i := range rows {
		bb[r] = b[i]
		for q, k := range cols {
			A.Set(r, q, full.At(i, k))
		}
	}
	for q, k := range cols {
		cc[q] = cz[k]
	}
	opt, _, err := lp.Simplex(cc, A, bb, 1e-8, nil)
	if err != nil {
		return 0, err
	}
	return sense * (opt + objConst), nil
}

// independentRows returns a maximal set of linearly independent rows of a
// restricted to cols, chosen greedily in order (rank by SVD).
func independentRows(a *mat.Dense, cols []int) []int {
	rows, _ := a.Dims()
	var keep []int
	for i := 0; i < rows; i++ {
		cand := append(append([]int(nil), keep...), i)
		sub := mat.NewDense(len(cand), max(len(cols), 1), nil)
		for r, ii := range cand {
			for q, k := range cols {
				sub.Set(r, q, a.At(ii, k))
			}
		}
		var svd mat.SVD
		if !svd.Factorize(sub, mat.SVDNone) {
			continue
		}
		vals := svd.Values(nil)
		rank := 0
		for _, v := range vals {
			if v > 1e-9*vals[0] {
				rank++
			}
		}
		if rank == len(cand) {
			keep = cand
		}
	}
	return keep
}

// TestRandomLPs solves seeded random LPs of known status and checks the
// status, then on feasible ones the optimality conditions (bounds within
// 1e-7, c − Aᵀy = d, dual feasibility, primal objective = dual objective),
// and on small ones the objective against gonum's simplex.
//
// Barrier runs on the feasible LPs only: CLP 1.17's interior point code
// can abort the process on an infeasible or unbounded problem (see the
// package documentation).
func TestRandomLPs(t *testing.T) {
	type size struct {
		name  string
		m, n  int // largest
		count int // LPs per kind and method
	}
	sizes := []size{{"small", 6, 8, 400}, {"medium", 40, 60, 40}}
	counts := map[string]int{}
	var g gonumTally
	for _, sz := range sizes {
		for _, kind := range []lpKind{feasibleLP, infeasibleLP, unboundedLP} {
			methods := []Method{DualSimplex, PrimalSimplex}
			if kind == feasibleLP {
				methods = append(methods, Barrier)
			}
			for _, method := range methods {
				t.Run(fmt.Sprintf("%s/%s/%s", sz.name, kind, method), func(t *testing.T) {
					for seed := range sz.count {
						rng := rand.New(rand.NewPCG(uint64(seed), uint64(kind)))
						m := 2 + rng.IntN(sz.m-1)
						n := 2 + rng.IntN(sz.n-1)
						r := newRandomLP(rng, m, n, kind)
						name := fmt.Sprintf("seed %d (%d×%d)", seed, m, n)
						var gp *gonumTally
						if sz.name == "small" {
							gp = &g
						}
						checkRandomLP(t, name, r, kind, method, gp)
						counts[kind.String()]++
					}
				})
			}
		}
	}
	t.Logf("solved %v random LPs; gonum agreed on %d small feasible ones and failed on %d", counts, g.agreed, len(g.failed))
	for _, f := range g.failed {
		t.Logf("gonum failed where CLP's solution passed the optimality checks: %s", f)
	}
	// gonum's dense simplex gives up on some highly degenerate LPs (many
	// active constraints at the optimum); allow it 2%.
	if total := g.agreed + len(g.failed); len(g.failed)*50 > total {
		t.Errorf("gonum failed on %d of %d small feasible LPs", len(g.failed), total)
	}
}

// gonumTally counts comparisons with gonum's simplex.
type gonumTally struct {
	agreed int
	failed []string // gonum returned an error
}

// checkRandomLP solves one random LP and checks it; with a non-nil g it
// also compares a feasible LP's objective with gonum's.
func checkRandomLP(t *testing.T, name string, r randomLP, kind lpKind, method Method, g *gonumTally) {
	t.Helper()
	m := New()
	defer m.Close()
	if err := m.LoadProblem(r.p); err != nil {
		t.Fatalf("%s: load: %v", name, err)
	}
	m.SetMaximize(r.max)
	err := m.Solve(method)
	switch kind {
	case infeasibleLP:
		if !errors.Is(err, ErrInfeasible) || m.Status() != Infeasible {
			t.Errorf("%s: got %v, status %v; want ErrInfeasible", name, err, m.Status())
		}
		return
	case unboundedLP:
		if !errors.Is(err, ErrUnbounded) || m.Status() != Unbounded {
			t.Errorf("%s: got %v, status %v; want ErrUnbounded", name, err, m.Status())
		}
		return
	}
	if err != nil {
		t.Errorf("%s: %v, want optimal", name, err)
		return
	}
	obj := m.ObjectiveValue()
	s := solutionOf(t, r.p, m)
	scale := 1 + math.Abs(obj)
	ok := true
	if s.primalInf > 1e-7 || s.activityErr > 1e-7 {
		t.Errorf("%s: bounds violated by %.2e, row activity off by %.2e (want ≤ 1e-7)", name, s.primalInf, s.activityErr)
		ok = false
	}
	if s.dualInf > 1e-7 || s.reducedErr > 1e-7 {
		t.Errorf("%s: dual infeasibility %.2e, reduced cost error %.2e (want ≤ 1e-7)", name, s.dualInf, s.reducedErr)
		ok = false
	}
	if math.Abs(s.primalObj-obj) > 1e-9*scale {
		t.Errorf("%s: cᵀx = %.12g, ObjectiveValue %.12g", name, s.primalObj, obj)
		ok = false
	}
	if gap := math.Abs(s.primalObj - s.dualObj); gap > 1e-7*scale {
		t.Errorf("%s: primal objective %.12g, dual objective %.12g (gap %.2e)", name, s.primalObj, s.dualObj, gap)
		ok = false
	}
	if g == nil || !ok {
		return
	}
	want, err := gonumObjective(r)
	if err != nil {
		g.failed = append(g.failed, fmt.Sprintf("%s %s: %v", method, name, err))
		return
	}
	g.agreed++
	if math.Abs(obj-want) > 1e-6*scale {
		t.Errorf("%s: objective %.12g, gonum %.12g", name, obj, want)
	}
}
