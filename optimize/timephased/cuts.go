package timephased

import (
	"math"
)

// roundingCuts switches the cuts off for the tests that compare the
// optimum with and without them.
var roundingCuts = true

// minCutFraction is the smallest fractional part for which a rounding cut
// is added: below it the cut cannot move the relaxation.
const minCutFraction = 1e-6

// addRoundingCuts tightens the LP relaxation where integer week-0 orders
// meet fractional demand. Take the balance row of a pair in week t,
//
//	I(t−1) + L(t) − I(t) + Σ a_j·x_j = rhs,
//
// (I, the end stock, is one column, or two under a safety target: see
// colSafe),
// when every shipment column x_j in it is integer with a whole
// coefficient a_j (units per pack): typically week 1 of a boutique, which
// only week-0 orders reach. Then I(t) − (I(t−1) + L(t)) lies in −rhs + ℤ,
// and with f = ⌈rhs⌉ − rhs, the fractional part of −rhs, 0 < f < 1, the
// mixed-integer rounding inequality
//
//	(1 − f)·I(t) + f·(I(t−1) + L(t)) ≥ f·(1 − f)
//
// holds at every integer point (the end stock is at least f, or the
// stock carried in plus the sales lost are at least 1 − f) and describes
// the convex hull of that row's set. The relaxation can then no longer
// ship exactly a fractional demand with a fractional order: it pays, in
// holding or lost margin, at least what rounding that row alone costs,
// so its optimum (the bound of MIP.Gap) rises towards the integer plan's.
// Without integer columns (Options.RelaxationOnly) no cut is added.
// O(nnz) to scan the rows and rebuild the column-major matrix once.
func (m *model) addRoundingCuts() {
	if !roundingCuts {
		return
	}
	p := &m.prob
	nBalance := len(m.red.pairs) * m.h
	type rowScan struct {
		prev, cur []int // columns of I(t−1) and I(t): colInv and, under a safety target, colSafe
		lost      int   // column of L(t); −1 if none
		ints      int
		ok        bool
	}
	rs := make([]rowScan, nBalance)
	for i := range rs {
		rs[i] = rowScan{lost: -1, ok: true}
	}
	for j, c := range m.cols {
		for k := p.ColStart[j]; k < p.ColStart[j+1]; k++ {
			r, a := p.RowIndex[k], p.Values[k]
			if r >= nBalance {
				continue
			}
			s := &rs[r]
			switch {
			case (c.kind == colInv || c.kind == colSafe) && a == 1:
				s.prev = append(s.prev, j)
			case (c.kind == colInv || c.kind == colSafe) && a == -1:
				s.cur = append(s.cur, j)
			case c.kind == colLost:
				s.lost = j
			case c.kind == colShip && p.Integer[j] && a == math.Trunc(a):
				s.ints++
			default:
				s.ok = false
			}
		}
	}
	extra := map[int][][2]float64{} // column -> (row, value)
	for r := range rs {
		s := rs[r]
		if !s.ok || s.ints == 0 || len(s.cur) == 0 {
			continue
		}
		rhs := p.RowLower[r]
		f := math.Ceil(rhs) - rhs
		if f < minCutFraction || f > 1-minCutFraction {
			continue
		}
		cut := m.row(rowInfo{kind: rowCut, id: r}, f*(1-f), math.Inf(1))
		for _, j := range s.cur {
			extra[j] = append(extra[j], [2]float64{float64(cut), 1 - f})
		}
		for _, j := range append(s.prev, s.lost) {
			if j >= 0 {
				extra[j] = append(extra[j], [2]float64{float64(cut), f})
			}
		}
	}
	if len(extra) == 0 {
		return
	}
	idx := make([]int, 0, len(p.RowIndex)+3*len(extra))
	val := make([]float64, 0, cap(idx))
	start := make([]int, 1, len(p.ColStart))
	for j := range m.cols {
		idx = append(idx, p.RowIndex[p.ColStart[j]:p.ColStart[j+1]]...)
		val = append(val, p.Values[p.ColStart[j]:p.ColStart[j+1]]...)
		for _, e := range extra[j] {
			idx = append(idx, int(e[0]))
			val = append(val, e[1])
		}
		start = append(start, len(idx))
	}
	p.RowIndex, p.Values, p.ColStart = idx, val, start
}
