package timephased

import (
	"context"
	"errors"
	"fmt"
	"math"
	"slices"
	"sort"
	"time"

	"github.com/sillage/sillage/optimize/cbc"
	"github.com/sillage/sillage/optimize/clp"
)

// integerOrders makes the week-0 lines integer. It first runs the rounding
// heuristic (roundWeek0), whose gap against the LP relaxation's optimum is
// a proven bound on its distance to the best integer plan. It keeps the
// heuristic when that gap is within Options.Gap, when Options.Rounding
// asks for it, or when there are more than Options.MaxIntegers integer
// columns; otherwise CBC searches from the heuristic's point (a MIP start)
// under Options.TimeLimitSeconds, and the better of the two is kept. The
// later weeks stay continuous: they are the projection planners see, and
// the plan rolls, so they are re-planned before they become orders.
// When ctx is done it stops, with an error that wraps ctx.Err().
func (m *model) integerOrders(ctx context.Context, sol *solution, opt Options, lp *clp.Model) error {
	t0 := time.Now()
	hx, hobj, st, err := m.dive(ctx, lp, sol.lpx)
	how := fmt.Sprintf("rounding dive (%d rounds, %d batches rounded down after an infeasible re-solve)", st.rounds, st.floored)
	if err != nil && ctx.Err() != nil {
		return err // stopped: the error names the stage
	}
	if err != nil {
		sol.notes = append(sol.notes, fmt.Sprintf("rounding dive failed (%v); one-shot rounding instead", err))
		how = "one-shot rounding"
		if hx, hobj, err = roundWeek0(ctx, m, sol.lpx); err != nil {
			return err
		}
	}
	n := sol.mip.Integers
	sol.x = hx
	sol.mip = MIP{Status: "heuristic", Method: MethodRounding, ObjectiveEUR: hobj, BoundEUR: sol.lpObjective, Integers: n}
	gap := relGap(hobj, sol.lpObjective)
	sol.notes = append(sol.notes, fmt.Sprintf("%s: %.2f EUR, %.3f %% above the LP bound", how, hobj, 100*gap))
	switch {
	case gap <= opt.Gap && !opt.Rounding:
		sol.mip.Status = "optimal"
	case opt.Rounding || n > opt.MaxIntegers:
	default:
		x, obj, bound, status, err := solveMIP(ctx, m, opt, hx)
		switch {
		case ctx.Err() != nil:
			return fmt.Errorf("time-phased plan: week-0 orders, CBC: %w", ctx.Err())
		case errors.Is(err, cbc.ErrNoSolution):
			sol.notes = append(sol.notes, "CBC found no integer solution within the time limit; week-0 orders rounded")
		case err != nil && !errors.Is(err, cbc.ErrTimeLimit):
			return fmt.Errorf("time-phased plan: week-0 orders: %w", err)
		case obj <= hobj+1e-9*math.Max(1, math.Abs(hobj)):
			sol.x = x
			sol.mip = MIP{Status: status, Method: MethodCBC, ObjectiveEUR: obj, BoundEUR: math.Max(bound, sol.lpObjective), Integers: n}
		default:
			sol.mip.BoundEUR = math.Max(bound, sol.lpObjective)
			sol.notes = append(sol.notes, "CBC stopped on its time limit above the rounding heuristic; week-0 orders rounded")
		}
	}
	sol.mip.Seconds = time.Since(t0).Seconds()
	sol.mip.Gap = relGap(sol.mip.ObjectiveEUR, sol.mip.BoundEUR)
	return nil
}

// roundWeek0 is the rounding heuristic. From the LP relaxation's point:
//
//  1. every week-0 line goes down to whole packs;
//  2. lines whose fractional part is ≥ ½ pack go up one pack, largest
//     fractions first, while the supplier and lane capacities and the
//     DC's week-0 stock that the week-0 lines use still hold;
//  3. a line below its MOQ goes up to the MOQ when the relaxation wanted at
//     least half of it and the capacities allow, and to zero otherwise;
//  4. the week-0 lines are fixed and CLP re-solves the continuous later
//     weeks.
//
// When step 4 is infeasible (rounding up can overfill a boutique's
// storage) it retries with every line rounded down and to zero below its
// MOQ, which never breaks a capacity: a unit less in week 0 can only
// become a lost sale later, so that point is feasible whenever every lane
// takes at least one day. It returns the point and its objective. O(I log
// I + nnz) for I integer columns, plus one or two LP solves, which stop
// when ctx is done.
func roundWeek0(ctx context.Context, m *model, lpx []float64) ([]float64, float64, error) {
	x := slices.Clone(lpx)
	roundIntegers(m, x, true)
	if y, obj, err := fixAndSolve(ctx, m, x); err == nil || ctx.Err() != nil {
		return y, obj, err
	}
	x = slices.Clone(lpx)
	roundIntegers(m, x, false)
	y, obj, err := fixAndSolve(ctx, m, x)
	if err != nil {
		return nil, 0, err
	}
	return y, obj, nil
}

// roundIntegers rounds the integer columns of x in place (steps 1–3 of
// roundWeek0 when up, step 1 and zero below the MOQ otherwise); the lines'
// 0/1 columns follow. x holds the LP relaxation's point on entry.
//
// Rounding up also keeps to the storage of the line's destination in its
// arrival week (see storageRoom): with the overflow columns capped at the
// relaxation's values (capOverflow), a site's stock at the end of a week
// whose arrivals are all week-0 lines can only fall by fewer of them, so
// a rounded-up line that does not fit there makes the re-solve
// infeasible.
func roundIntegers(m *model, x []float64, up bool) {
	p := &m.prob
	var ints []int
	for j, c := range m.cols {
		if c.kind == colShip && p.Integer[j] {
			ints = append(ints, j)
		}
	}
	store := newStorageRoom(m, x)
	lp := make(map[int]float64, len(ints))
	for _, j := range ints {
		lp[j] = x[j]
		x[j] = math.Floor(x[j] + 1e-6)
	}
	// Room left in the ≤ rows and the DCs' week-0 stock by the rounded-down
	// week-0 lines.
	room := slices.Clone(p.RowUpper)
	stock := map[int]float64{} // balance row of a DC pair in week 0 -> units free
	for q, pr := range m.red.pairs {
		if pr.dc {
			stock[q*m.h] = pr.open + pr.inTransit[0]
		}
	}
	use := func(j int, packs float64) bool {
		for k := p.ColStart[j]; k < p.ColStart[j+1]; k++ {
			r, a := p.RowIndex[k], p.Values[k]
			if s, ok := stock[r]; ok && a < 0 && s+a*packs < -1e-9 {
				return false
			}
			if m.rows[r].kind != rowBalance && room[r]-a*packs < -1e-9 {
				return false
			}
		}
		for k := p.ColStart[j]; k < p.ColStart[j+1]; k++ {
			r, a := p.RowIndex[k], p.Values[k]
			if _, ok := stock[r]; ok && a < 0 {
				stock[r] += a * packs
			}
			if m.rows[r].kind != rowBalance {
				room[r] -= a * packs
			}
		}
		return true
	}
	belowMOQ := func(j int) bool { c := m.cols[j]; return c.moq > 0 && x[j]*c.pack < c.moq-1e-9 }
	for _, j := range ints {
		if !up || !belowMOQ(j) {
			use(j, x[j]) // rounded down: always fits where the LP point did
			store.down(j, lp[j], x[j])
		} else {
			store.down(j, lp[j], 0) // at zero unless it reaches its MOQ
		}
	}
	if up {
		sort.SliceStable(ints, func(a, b int) bool { return lp[ints[a]]-x[ints[a]] > lp[ints[b]]-x[ints[b]] })
		for _, j := range ints {
			c := m.cols[j]
			moqPacks := math.Ceil(c.moq/c.pack - 1e-9)
			switch {
			case c.moq > 0 && x[j] < moqPacks:
				if lp[j] >= moqPacks/2 && store.fits(j, lp[j], moqPacks) && use(j, moqPacks) {
					store.up(j, lp[j], moqPacks)
					x[j] = moqPacks
				} else {
					x[j] = 0
				}
			case lp[j]-x[j] >= roundUpFrom && x[j]+1 <= p.ColUpper[j] && store.fits(j, lp[j], x[j]+1) && use(j, 1):
				store.up(j, lp[j], x[j]+1)
				x[j]++
			}
		}
	}
	for j, c := range m.cols {
		switch {
		case c.kind == colShip && p.Integer[j] && c.moq > 0 && x[j]*c.pack < c.moq-1e-9:
			x[j] = 0
		case c.kind == colOpen:
			x[j] = 0
			if x[c.pair] > 0 {
				x[j] = 1
			}
		}
	}
}

// storageRoom follows, while week-0 lines are rounded, the room in the
// storage row of each line's destination and arrival week, starting from
// the LP relaxation's point:
//
//   - the room is first the row's slack there (capacity less the stock of
//     the site's products at the end of that week, overflow included);
//   - a line rounded down by d units frees min(d, what its pair holds at
//     the end of that week and has not already freed): the pair's stock
//     falls by the units it no longer receives, down to zero (below that
//     the shortfall is a lost sale, not free storage);
//   - a line rounded up takes back what it freed and its units above the
//     relaxation's value.
//
// It looks at the arrival week only. Later weeks have continuous
// arrivals, which the re-solve lowers when a rounded-up line's units stay
// in stock; where they cannot, the caller's re-solve is infeasible and
// rounds down instead. Sites without a capacity have no storage row and
// always fit. O(columns) to build, O(1) a line.
type storageRoom struct {
	m     *model
	room  map[int]float64 // storage row -> units free
	held  []float64       // per pair·h + week: units the pair holds at the end of the week that no round-down has freed yet
	freed map[int]float64 // line -> units its round-down freed
}

func newStorageRoom(m *model, lpx []float64) *storageRoom {
	p := &m.prob
	s := &storageRoom{m: m, room: map[int]float64{}, held: make([]float64, len(m.red.pairs)*m.h), freed: map[int]float64{}}
	for r, ri := range m.rows {
		if ri.kind == rowStorage {
			s.room[r] = p.RowUpper[r]
		}
	}
	for j, c := range m.cols {
		switch c.kind {
		case colInv, colSafe, colOver:
		default:
			continue
		}
		if c.kind != colOver {
			s.held[c.pair*m.h+c.week] += lpx[j]
		}
		for k := p.ColStart[j]; k < p.ColStart[j+1]; k++ {
			if r := p.RowIndex[k]; m.rows[r].kind == rowStorage {
				s.room[r] -= p.Values[k] * lpx[j]
			}
		}
	}
	return s
}

// row returns line j's storage row (its destination in its arrival
// week) and whether there is one.
func (s *storageRoom) row(j int) (int, bool) {
	c := s.m.cols[j]
	r, ok := s.m.rowOf[rowInfo{kind: rowStorage, id: s.m.red.pairs[c.pair].site, week: c.arrive}]
	return r, ok
}

// down records line j rounded from its relaxation's value lp down to v
// (columns of packs).
func (s *storageRoom) down(j int, lp, v float64) {
	r, ok := s.row(j)
	if !ok || lp <= v {
		return
	}
	c := s.m.cols[j]
	i := c.pair*s.m.h + c.arrive
	f := max(0, min((lp-v)*c.pack, s.held[i]))
	s.held[i] -= f
	s.freed[j] = f
	s.room[r] += f
}

// need returns the storage units line j takes when it goes from the
// rounded-down state to v packs: what its round-down freed and its units
// above the relaxation's value lp.
func (s *storageRoom) need(j int, lp, v float64) float64 {
	return s.freed[j] + max(0, (v-lp)*s.m.cols[j].pack)
}

// fits reports whether line j fits its storage row at v packs.
func (s *storageRoom) fits(j int, lp, v float64) bool {
	r, ok := s.row(j)
	return !ok || s.need(j, lp, v) <= s.room[r]+1e-9
}

// up records line j rounded up to v packs.
func (s *storageRoom) up(j int, lp, v float64) {
	r, ok := s.row(j)
	if !ok {
		return
	}
	c := s.m.cols[j]
	s.room[r] -= s.need(j, lp, v)
	s.held[c.pair*s.m.h+c.arrive] += s.freed[j]
	s.freed[j] = 0
}

// fixAndSolve fixes the integer columns at their values in x and re-solves
// the rest with CLP; errors wrap ErrRounding when that is infeasible, and
// ctx.Err() when ctx is done.
func fixAndSolve(ctx context.Context, m *model, x []float64) ([]float64, float64, error) {
	p := m.prob.Problem
	p.ColLower, p.ColUpper = slices.Clone(p.ColLower), slices.Clone(p.ColUpper)
	for j := range m.cols {
		if m.prob.Integer[j] {
			p.ColLower[j], p.ColUpper[j] = x[j], x[j]
		}
	}
	m.capOverflow(p.ColUpper, x) // x holds the relaxation's overflow
	lp := clp.New()
	defer lp.Close()
	if err := lp.LoadProblem(p); err != nil {
		return nil, 0, fmt.Errorf("time-phased plan: rounding: %w", err)
	}
	if err := lp.SolveContext(ctx, clp.DualSimplex); err != nil || lp.Status() != clp.Optimal {
		if ctx.Err() != nil {
			return nil, 0, fmt.Errorf("time-phased plan: rounding: %w", ctx.Err())
		}
		return nil, 0, fmt.Errorf("%w (status %v)", ErrRounding, lp.Status())
	}
	return lp.Primal(), m.objective(lp.ObjectiveValue()), nil
}

// roundUpFrom is the fractional part (in packs) from which the heuristic
// rounds a week-0 line up when the capacities allow: a unit short costs a
// lost margin, a unit more only transport and holding, so any fraction
// above this noise threshold goes up.
const roundUpFrom = 0.01
