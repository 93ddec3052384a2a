package cbc_test

import (
	"errors"
	"fmt"
	"math"

	"github.com/sillage/sillage/optimize/cbc"
	"github.com/sillage/sillage/optimize/clp"
)

// A boutique needs 50 watches. The supplier ships in cases of 12 with a
// minimum order of 36 units, at 4 EUR per unit plus 30 EUR per order; each
// unit short costs 10 EUR of lost margin. Ordering 48 units (4 cases) and
// missing 2 costs 192 + 30 + 20 = 242 EUR; ordering nothing costs 500 EUR
// and 60 units 270 EUR.
func Example() {
	inf := math.Inf(1)
	// Columns: cases k (integer), units x, order placed y (0 or 1),
	// shortfall s. Rows: x − 12k = 0; x − 120y ≤ 0; x − 36y ≥ 0;
	// x + s ≥ 50.
	p := cbc.Problem{
		Problem: clp.Problem{
			NumRows:   4,
			NumCols:   4,
			ColStart:  []int{0, 1, 5, 7, 8},
			RowIndex:  []int{0, 0, 1, 2, 3, 1, 2, 3},
			Values:    []float64{-12, 1, 1, 1, 1, -120, -36, 1},
			ColUpper:  []float64{inf, inf, 1, inf},
			Objective: []float64{0, 4, 30, 10},
			RowLower:  []float64{0, -inf, 0, 50},
			RowUpper:  []float64{0, 0, inf, inf},
		},
		Integer: []bool{true, false, true, false},
	}
	m := cbc.New()
	defer m.Close()
	if err := m.LoadProblem(p); err != nil {
		fmt.Println(err)
		return
	}
	if err := m.SetGap(0); err != nil { // a proven optimum
		fmt.Println(err)
		return
	}
	if err := m.Solve(); err != nil {
		fmt.Println(err)
		return
	}
	x := m.Primal()
	fmt.Printf("%v: %.0f EUR (bound %.0f, gap %.0f%%): %.0f cases, %.0f units, %.0f short\n",
		m.Status(), m.ObjectiveValue(), m.BestBound(), 100*m.Gap(), x[0], x[1], x[3])

	// The same order with at most 3 cases and no shortfall allowed.
	p.ColUpper = []float64{3, inf, 1, 0}
	if err := m.LoadProblem(p); err != nil {
		fmt.Println(err)
		return
	}
	err := m.Solve()
	fmt.Println(m.Status(), errors.Is(err, cbc.ErrInfeasible))

	// Output:
	// optimal: 242 EUR (bound 242, gap 0%): 4 cases, 48 units, 2 short
	// infeasible true
}
