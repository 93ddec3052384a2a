package timephased

import (
	"cmp"
	"context"
	"fmt"
	"math"
	"slices"

	"github.com/sillage/sillage/optimize/clp"
)

// diveStats counts what the rounding dive did: its rounds, and the
// batches it rounded down after their re-solve was infeasible.
type diveStats struct{ rounds, floored int }

// maxDiveRounds bounds the rounds of the rounding dive (a variable for
// tests).
var maxDiveRounds = 40

// dive is the rounding dive: a heuristic for the week-0 integer orders that
// re-optimises the rest of the plan after each batch of rounded lines, so
// that the continuous columns (later weeks, lost sales, other sources)
// absorb what rounding changed. On the LP relaxation lp, already solved
// (its basis is the warm start), with lpx its point, each round:
//
//  1. fixes every free week-0 line whose value is a whole number of packs
//     above zero (at or above its MOQ) there;
//  2. takes the half of the fractional lines with the largest fractional
//     parts (at least one) and fixes each, largest first, at its value
//     rounded up (below the MOQ: the MOQ when the line wanted half of it)
//     when that still fits what the lines fixed so far leave of the
//     supplier and lane capacities of their weeks, of the DC's stock in
//     week 0 and of the storage of the line's destination in its arrival
//     week (storageRoom, from the round's point); else rounded down (zero
//     below the MOQ), else zero. Rounding up is preferred because a unit
//     short costs a lost margin, a unit more only its transport and a
//     few weeks of holding;
//  3. re-solves with CLP from the last basis (dual simplex after bound
//     changes); if that is infeasible (rounding up overfilled a site's
//     storage) the batch is floored instead.
//
// It stops when no free line is fractional: the free lines left are then
// at zero in an optimal point, and are fixed there. It returns the point,
// its objective and the number of rounds and of batches floored after an
// infeasible re-solve. Cost: one warm dual simplex per round, about log₂ of
// the fractional lines rounds (at most maxDiveRounds: the round after
// that rounds every fractional line and fixes the free lines at zero
// there, so that it is the last unless its re-solve is infeasible; then
// the zeros are freed again and the batch floored). Errors wrap
// ErrRounding when even the floors are infeasible (hard safety stock,
// zero-day lanes), and
// ctx.Err() when ctx is done: it is checked before every round, and
// stops the round's CLP solve within an iteration.
func (m *model) dive(ctx context.Context, lp *clp.Model, lpx []float64) ([]float64, float64, diveStats, error) {
	p := &m.prob
	lower, upper := slices.Clone(p.ColLower), slices.Clone(p.ColUpper)
	m.capOverflow(upper, lpx)
	openOf := map[int]int{}
	for j, c := range m.cols {
		if c.kind == colOpen {
			openOf[c.pair] = j
		}
	}
	var free []int
	for j, c := range m.cols {
		if c.kind == colShip && p.Integer[j] {
			free = append(free, j)
		}
	}
	// room is what the fixed lines leave of each capacity row (≤ rows
	// other than balances and MOQs) and of each DC's week-0 stock (its
	// week-0 balance row, where departures enter with −1 per unit).
	room := map[int]float64{}
	for r, ri := range m.rows {
		if ri.kind != rowBalance && ri.kind != rowMOQ && !math.IsInf(p.RowUpper[r], 1) {
			room[r] = p.RowUpper[r]
		}
	}
	for q, pr := range m.red.pairs {
		if pr.dc {
			room[q*m.h] = pr.open + pr.inTransit[0]
		}
	}
	fits := func(j int, v float64) bool {
		for k := p.ColStart[j]; k < p.ColStart[j+1]; k++ {
			r, a := p.RowIndex[k], p.Values[k]
			if m.rows[r].kind == rowBalance {
				a = -a // a DC's departures: −1 per unit in its balance
			}
			if left, ok := room[r]; ok && a > 0 && a*v > left+1e-9 {
				return false
			}
		}
		return true
	}
	fix := func(j int, v float64) {
		for k := p.ColStart[j]; k < p.ColStart[j+1]; k++ {
			r, a := p.RowIndex[k], p.Values[k]
			if m.rows[r].kind == rowBalance {
				a = -a
			}
			if _, ok := room[r]; ok && a > 0 {
				room[r] -= a * v
			}
		}
		lower[j], upper[j] = v, v
		if o, ok := openOf[j]; ok {
			b := 0.0
			if v > 0 {
				b = 1
			}
			lower[o], upper[o] = b, b
		}
	}
	unfix := func(j int) {
		v := lower[j]
		fix(j, -v) // gives the room back
		lower[j], upper[j] = p.ColLower[j], p.ColUpper[j]
		if o, ok := openOf[j]; ok {
			lower[o], upper[o] = p.ColLower[o], p.ColUpper[o]
		}
	}
	// admissible returns v rounded up (or down) to 0, the MOQ or a whole
	// number of packs at or above it, within the column's bound.
	admissible := func(j int, v float64, down bool) float64 {
		c := m.cols[j]
		r := math.Ceil(v - 1e-6)
		if down {
			r = math.Floor(v + 1e-6)
		}
		r = min(max(r, 0), p.ColUpper[j])
		if c.moq > 0 && r > 0 {
			moqPacks := math.Ceil(c.moq/c.pack - 1e-9)
			if r < moqPacks {
				if !down && v >= moqPacks/2 && moqPacks <= p.ColUpper[j] {
					r = moqPacks
				} else {
					r = 0
				}
			}
		}
		return r
	}
	frac := func(v float64) float64 { return v - math.Floor(v+1e-6) }
	// store follows the storage of each line's arrival week in the
	// current round (see storageRoom), set before the batch is placed.
	var store *storageRoom
	place := func(j int, v float64) float64 {
		for _, r := range []float64{admissible(j, v, false), admissible(j, v, true), 0} {
			if r > v && !store.fits(j, v, r) {
				continue
			}
			if fits(j, r) {
				if r > v {
					store.up(j, v, r)
				}
				fix(j, r)
				return r
			}
		}
		fix(j, 0)
		return 0
	}
	solve := func() bool {
		if err := lp.SetColumnBoundSlices(lower, upper); err != nil {
			return false
		}
		return lp.SolveContext(ctx, clp.DualSimplex) == nil && lp.Status() == clp.Optimal
	}
	stopped := func(round int) error { // round −1: the last one
		err := ctx.Err()
		switch {
		case err == nil:
			return nil
		case round < 0:
			return fmt.Errorf("time-phased plan: rounding dive, last round: %w", err)
		}
		return fmt.Errorf("time-phased plan: rounding dive, round %d: %w", round, err)
	}
	var st diveStats
	x := lpx
	for round := 0; len(free) > 0; round++ {
		st.rounds = round + 1
		if err := stopped(round); err != nil {
			return nil, 0, st, err
		}
		var whole, fractional, keep []int
		for _, j := range free {
			switch v := x[j]; {
			case frac(v) > 1e-6:
				fractional = append(fractional, j)
			case v > 0.5 && admissible(j, v, true) == math.Round(v):
				whole = append(whole, j)
			case v > 0.5:
				fractional = append(fractional, j) // whole, but below its MOQ
			default:
				keep = append(keep, j) // zero: free while others move
			}
		}
		if len(fractional) == 0 && len(whole) == 0 {
			break
		}
		slices.SortStableFunc(fractional, func(a, b int) int { return cmp.Compare(frac(x[b]), frac(x[a])) })
		take := (len(fractional) + 1) / 2
		// zeros are the free lines at zero that the last round fixes
		// there with the rest, so that it is the last.
		var zeros []int
		if round >= maxDiveRounds {
			take = len(fractional)
			zeros, keep = keep, nil
		}
		batch := append(whole, fractional[:take]...)
		store = newStorageRoom(m, x)
		for _, j := range batch {
			store.down(j, x[j], admissible(j, x[j], true))
		}
		for _, j := range batch {
			place(j, x[j])
		}
		for _, j := range zeros {
			fix(j, 0)
		}
		keep = append(keep, fractional[take:]...)
		if !solve() {
			if err := stopped(round); err != nil {
				return nil, 0, st, err
			}
			st.floored++
			for _, j := range zeros {
				unfix(j) // free again: the next round may need them
			}
			keep = append(keep, zeros...)
			for _, j := range batch {
				unfix(j)
			}
			for _, j := range batch {
				if r := admissible(j, x[j], true); fits(j, r) {
					fix(j, r)
				} else {
					fix(j, 0)
				}
			}
			if !solve() {
				if err := stopped(round); err != nil {
					return nil, 0, st, err
				}
				return nil, 0, st, fmt.Errorf("%w: dive round %d (status %v)", ErrRounding, round, lp.Status())
			}
		}
		x = lp.Primal()
		free = keep
	}
	for _, j := range free {
		fix(j, 0)
	}
	if !solve() {
		if err := stopped(-1); err != nil {
			return nil, 0, st, err
		}
		return nil, 0, st, fmt.Errorf("%w: dive, last round (status %v)", ErrRounding, lp.Status())
	}
	return lp.Primal(), m.objective(lp.ObjectiveValue()), st, nil
}
