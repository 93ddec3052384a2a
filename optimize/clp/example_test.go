package clp_test

import (
	"errors"
	"fmt"
	"math"

	"github.com/sillage/sillage/optimize/clp"
)

// Ship from two depots to one boutique at least 10 units, cheapest first:
// depot A costs 2 EUR per unit and holds 6, depot B costs 3 EUR and holds
// 8. Then depot A's stock grows to 9, and the model is solved again from
// its previous basis.
func Example() {
	m := clp.New()
	defer m.Close()

	// Columns: units from A, units from B. One row: A + B ≥ 10.
	err := m.LoadProblem(clp.Problem{
		NumRows:   1,
		NumCols:   2,
		ColStart:  []int{0, 1, 2},
		RowIndex:  []int{0, 0},
		Values:    []float64{1, 1},
		ColUpper:  []float64{6, 8},
		Objective: []float64{2, 3},
		RowLower:  []float64{10},
		RowUpper:  []float64{math.Inf(1)},
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	if err := m.Solve(clp.DualSimplex); err != nil {
		fmt.Println(err)
		return
	}
	fmt.Printf("%v: cost %.0f EUR, units %v, one more unit of demand costs %.0f EUR\n",
		m.Status(), m.ObjectiveValue(), m.Primal(), m.Dual()[0])

	// Warm start: change a bound and solve again.
	if err := m.SetColumnBounds(0, 0, 9); err != nil {
		fmt.Println(err)
		return
	}
	if err := m.Solve(clp.DualSimplex); err != nil {
		fmt.Println(err)
		return
	}
	fmt.Printf("%v: cost %.0f EUR, units %v\n", m.Status(), m.ObjectiveValue(), m.Primal())

	// Demand above both stocks: infeasible.
	if err := m.SetRowBounds(0, 20, math.Inf(1)); err != nil {
		fmt.Println(err)
		return
	}
	err = m.Solve(clp.DualSimplex)
	fmt.Println(errors.Is(err, clp.ErrInfeasible), m.Status())

	// Output:
	// optimal: cost 24 EUR, units [6 4], one more unit of demand costs 3 EUR
	// optimal: cost 21 EUR, units [9 1]
	// true infeasible
}
