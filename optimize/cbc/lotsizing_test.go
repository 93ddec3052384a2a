package cbc

import (
	"math"
	"math/rand/v2"

	"github.com/sillage/sillage/optimize/clp"
)

// lotSizing builds a replenishment MIP shaped like sillage's plans: for
// each of products × weeks, cases ordered k (integer, 12 units each),
// order placed y (binary: at least the MOQ of 36 units, at most 240),
// stock at the end of the week I and lost sales s (continuous, units).
// Rows: one stock balance per product and week (I[t−1] + 12k − I + s =
// demand), the MOQ and the order ceiling per product and week, and a
// shared weekly capacity of 12·Σk units. Costs (EUR): 4 per unit bought,
// 30 per order, 0.5 per unit held a week, 25 per unit lost.
func lotSizing(rng *rand.Rand, products, weeks int) Problem {
	const (
		pack, moq, ceiling      = 12.0, 36.0, 240.0
		unit, order, hold, lost = 4.0, 30.0, 0.5, 25.0
	)
	// Columns per (product, week): k, y, I, s.
	col := func(p, t, v int) int { return 4*(p*weeks+t) + v }
	n := 4 * products * weeks
	// Rows: balance, MOQ, ceiling per (product, week); capacity per week.
	bal := func(p, t int) int { return 3 * (p*weeks + t) }
	nRows := 3*products*weeks + weeks
	capRow := func(t int) int { return 3*products*weeks + t }

	type entry struct {
		row int
		v   float64
	}
	entries := make([][]entry, n)
	c, cl, cu := make([]float64, n), make([]float64, n), make([]float64, n)
	integer := make([]bool, n)
	rl, ru := make([]float64, nRows), make([]float64, nRows)
	inf := math.Inf(1)
	for p := 0; p < products; p++ {
		base := 5 + rng.IntN(40)
		for t := 0; t < weeks; t++ {
			k, y, st, s := col(p, t, 0), col(p, t, 1), col(p, t, 2), col(p, t, 3)
			b := bal(p, t)
			entries[k] = []entry{{b, pack}, {b + 1, pack}, {b + 2, pack}, {capRow(t), pack}}
			entries[y] = []entry{{b + 1, -moq}, {b + 2, -ceiling}}
			entries[st] = []entry{{b, -1}}
			if t+1 < weeks {
				entries[st] = append(entries[st], entry{bal(p, t+1), 1})
			}
			entries[s] = []entry{{b, 1}}
			c[k], c[y], c[st], c[s] = unit*pack, order, hold, lost
			cu[k], cu[y], cu[st], cu[s] = inf, 1, inf, inf
			integer[k], integer[y] = true, true
			demand := float64(base + rng.IntN(base))
			rl[b], ru[b] = demand, demand
			rl[b+1], ru[b+1] = 0, inf
			rl[b+2], ru[b+2] = -inf, 0
		}
	}
	for t := 0; t < weeks; t++ {
		rl[capRow(t)], ru[capRow(t)] = -inf, pack*float64(products*10)
	}
	q := Problem{Problem: clp.Problem{NumRows: nRows, NumCols: n, ColStart: make([]int, n+1),
		ColLower: cl, ColUpper: cu, Objective: c, RowLower: rl, RowUpper: ru}, Integer: integer}
	for j := 0; j < n; j++ {
		for _, e := range entries[j] {
			q.RowIndex = append(q.RowIndex, e.row)
			q.Values = append(q.Values, e.v)
		}
		q.ColStart[j+1] = len(q.RowIndex)
	}
	return q
}
