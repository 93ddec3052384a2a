package optimize

import (
	"context"
	"errors"
	"fmt"
	"math"
	"sort"
	"time"

	"github.com/sillage/sillage"
	"github.com/sillage/sillage/optimize/clp"
)

// Tolerances of the solution read-out.
const (
	// qtyTol: quantities and shortfalls below it (units) are zero.
	qtyTol = 1e-9
	// dualTol: a capacity binds when its dual exceeds it (EUR per unit).
	dualTol = 1e-9
	// feasTol: a row violated by more than this (relative to its bound)
	// makes a solution infeasible, in units or kg.
	feasTol = 1e-7
)

// Result is a solved plan with its figures.
type Result struct {
	// Plan holds the status, the totals, the lines, the shortfalls and the
	// binding capacities. Plan.CostEUR is the objective value: transport
	// + carbon price × emissions + holding + shortfall penalty, in EUR.
	// Quantities are continuous (the LP relaxation), in units.
	Plan sillage.Plan `json:"plan"`
	// The objective split into its parts, EUR.
	TransportEUR float64 `json:"transport_eur"`
	CarbonEUR    float64 `json:"carbon_eur"`
	HoldingEUR   float64 `json:"holding_eur"`
	PenaltyEUR   float64 `json:"penalty_eur"`
	// Requirements are the needs the plan covers, one per boutique and
	// product with demand.
	Requirements []Requirement `json:"requirements"`
	// Size of the linear program.
	Variables   int `json:"variables"`
	Constraints int `json:"constraints"`
	Nonzeros    int `json:"nonzeros"`
	// BuildSeconds covers validation, routing, forecasting and building
	// the matrix (wall clock): PrepareSeconds (validation, lead times,
	// forecasts) plus MatrixSeconds (candidate paths, rows, columns).
	// SolveSeconds covers loading the LP into CLP, solving it and reading
	// the plan (wall clock). A warm re-solve builds nothing.
	BuildSeconds   float64 `json:"build_seconds"`
	PrepareSeconds float64 `json:"prepare_seconds"`
	MatrixSeconds  float64 `json:"matrix_seconds"`
	SolveSeconds   float64 `json:"solve_seconds"`
	Iterations     int     `json:"iterations"`
	Method         string  `json:"method"` // CLP algorithm of the solve
	Warm           bool    `json:"warm"`   // started from the previous basis
	// Notes explain what the plan ignored or assumed, and why it stopped
	// early when Plan.Status is "limit".
	Notes []string `json:"notes,omitempty"`
}

// Plan builds and solves the replenishment plan of network n: an LP
// used once. Errors wrap sillage.ErrInvalid for bad input (with the record
// and field), context errors, ErrInfeasible or ErrUnbounded (which only
// corrupt input can cause) or the CLP error. A solve stopped by the time
// limit is not an error: the Result has status "limit" and the best plan
// known (see LP.Solve).
func Plan(ctx context.Context, n *sillage.Network, opt Options) (*Result, error) {
	p, err := NewLP(ctx, n, opt)
	if err != nil {
		return nil, err
	}
	defer p.Close()
	p.oneShot = true
	return p.Solve(ctx)
}

// LP holds a built replenishment model and its CLP model between
// solves, for warm re-solves after a change of carbon price or of stock.
// It is not safe for concurrent use; Close it when done.
type LP struct {
	in           *sillage.Network // the caller's network, for rebuilds
	opt          Options
	m            *model
	lp           *clp.Model
	buildSeconds float64
	fresh        bool               // built since the last solve
	loaded       bool               // the problem is in lp
	solved       bool               // lp holds a basis
	costChanged  bool               // objective changed since the last solve
	rhsChanged   bool               // bounds changed since the last solve
	rebuild      bool               // the model must be rebuilt before the next solve
	stockEdits   []sillage.Position // stock set since the build, for rebuilds
	oneShot      bool               // solved once (Plan): no warm re-solve to prepare
	x            []float64          // the primal solution, reused between solves
}

// NewLP validates n, forecasts its demand, routes it and builds the
// replenishment LP (see the package documentation of the model). The
// network is not modified. Errors are those of Plan.
func NewLP(ctx context.Context, n *sillage.Network, opt Options) (*LP, error) {
	p := &LP{in: n, opt: opt}
	if err := p.build(ctx); err != nil {
		return nil, err
	}
	return p, nil
}

func (p *LP) build(ctx context.Context) error {
	start := time.Now()
	net := p.in
	if len(p.stockEdits) > 0 {
		c := *p.in
		c.Stock = applyStock(p.in.Stock, p.stockEdits)
		net = &c
	}
	m, err := build(ctx, net, &p.opt)
	if err != nil {
		return err
	}
	p.m = m
	p.buildSeconds = time.Since(start).Seconds()
	p.fresh = true
	if p.lp != nil {
		p.lp.Close()
	}
	p.lp = clp.New()
	p.loaded, p.solved, p.costChanged, p.rhsChanged, p.rebuild = false, false, false, false, false
	return nil
}

// applyStock returns stock with the edits applied (replacing the position
// of the same site and product, or appended).
func applyStock(stock, edits []sillage.Position) []sillage.Position {
	out := append([]sillage.Position(nil), stock...)
	for _, e := range edits {
		found := false
		for i := range out {
			if out[i].Site == e.Site && out[i].SKU == e.SKU {
				out[i], found = e, true
				break
			}
		}
		if !found {
			out = append(out, e)
		}
	}
	return out
}

// Close frees the CLP model. The LP must not be used afterwards.
func (p *LP) Close() {
	if p.lp != nil {
		p.lp.Close()
		p.lp = nil
	}
}

// Requirements returns the needs of the model, one per boutique and
// product with demand.
func (p *LP) Requirements() []Requirement { return p.m.reqs }

// Size returns the number of variables, constraints and nonzeros of the
// LP.
func (p *LP) Size() (variables, constraints, nonzeros int) {
	return p.m.prob.NumCols, p.m.prob.NumRows, len(p.m.prob.Values)
}

// CarbonPrice returns the carbon price of the objective, EUR per tCO2e.
func (p *LP) CarbonPrice() float64 { return p.m.price }

// SetCarbonPrice changes the carbon price of the objective, in EUR per
// tCO2e. Only objective coefficients change: the columns keep their paths
// (add the prices to Options.PathPrices so that their cheapest paths are
// columns too), and the next Solve warm-starts with the primal simplex.
func (p *LP) SetCarbonPrice(price float64) error {
	if !finiteNonNeg(price) {
		return fmt.Errorf("%w: carbon price %v EUR/t must be a finite number >= 0", sillage.ErrInvalid, price)
	}
	p.m.price = price
	p.opt.CarbonPriceEURPerT = &price // kept by a rebuild
	c := p.m.objective(price)
	copy(p.m.prob.Objective, c)
	if p.loaded {
		if err := p.lp.SetObjectiveSlice(c); err != nil {
			return fmt.Errorf("set carbon price: %w", err)
		}
	}
	p.costChanged = true
	return nil
}

// SetStock replaces the stock position of one site and product. At a
// boutique it changes the need of that product and the free storage of
// the site; at a distribution centre the units it can ship. Only
// right-hand sides change and the next Solve warm-starts with the dual
// simplex, except when a distribution centre gains stock of a product it
// had none of, or runs out of it: it joins or leaves the sources of the
// product, which changes columns and lead times, and the next Solve
// rebuilds the model. Errors wrap
// sillage.ErrInvalid for an unknown site or product or a negative or
// non-finite quantity.
func (p *LP) SetStock(pos sillage.Position) error {
	m := p.m
	n := m.net
	site, ok := m.router.index[pos.Site]
	if !ok {
		return fmt.Errorf("%w: stock position: unknown site %q", sillage.ErrInvalid, pos.Site)
	}
	sku := -1
	for i, pr := range n.Products {
		if pr.SKU == pos.SKU {
			sku = i
			break
		}
	}
	if sku < 0 {
		return fmt.Errorf("%w: stock position at %s: unknown product %q", sillage.ErrInvalid, pos.Site, pos.SKU)
	}
	for _, v := range []struct {
		name string
		v    float64
	}{{"on_hand", pos.OnHand}, {"in_transit", pos.InTransit}, {"reserved", pos.Reserved}} {
		if !finiteNonNeg(v.v) {
			return fmt.Errorf("%w: stock position %s at %s: %s must be a finite number >= 0, is %v", sillage.ErrInvalid, pos.SKU, pos.Site, v.name, v.v)
		}
	}
	var old sillage.Position
	oldAt := -1
	for i, s := range n.Stock {
		if s.Site == pos.Site && s.SKU == pos.SKU {
			old, oldAt = s, i
			break
		}
	}
	if oldAt >= 0 {
		n.Stock[oldAt] = pos
	} else {
		n.Stock = append(n.Stock, pos)
	}
	p.stockEdits = append(p.stockEdits, pos)
	pr := &m.prob
	switch n.Sites[site].Kind {
	case sillage.KindBoutique:
		for r := range m.reqs {
			if int(m.reqSite[r]) != site || int(m.reqSKU[r]) != sku {
				continue
			}
			q := &m.reqs[r]
			q.AvailableUnits = pos.Available()
			q.NeedUnits = math.Max(0, q.DemandUnits+q.SafetyUnits-q.AvailableUnits)
			pr.RowLower[m.covRow[r]] = q.NeedUnits
		}
		m.used[site] += pos.OnHand + pos.InTransit - old.OnHand - old.InTransit
		if row := m.storageRow[site]; row >= 0 {
			pr.RowUpper[row] = math.Max(0, n.Sites[site].CapacityUnits-m.used[site])
		}
	case sillage.KindDC:
		free := math.Max(0, pos.OnHand-pos.Reserved)
		row := int32(-1)
		for sp, s := range m.sources.sites {
			if s == site {
				row = m.srcRow[sp*len(n.Products)+sku]
			}
		}
		wasSource := math.Max(0, old.OnHand-old.Reserved) > 0
		switch {
		case wasSource != (free > 0):
			// The DC joins or leaves the sources of the product: the
			// columns and the lead times change.
			p.rebuild = true
			return nil
		case row >= 0:
			pr.RowUpper[row] = free
		}
	}
	if p.loaded {
		if err := p.lp.SetRowBoundSlices(pr.RowLower, pr.RowUpper); err != nil {
			return fmt.Errorf("set stock: %w", err)
		}
	}
	p.rhsChanged = true
	return nil
}

// WriteMPS writes the LP to an MPS file (".gz" compresses it) with
// readable row and column names such as cover:BTQ-PAR:BAG-01,
// lane:DC-PAR>BTQ-LON:road or ship:DC-PAR>BTQ-PAR:BAG-01 (see
// mpsnames.go); the names are built for the export only.
func (p *LP) WriteMPS(path string) error {
	if err := p.load(); err != nil {
		return err
	}
	if err := p.lp.SetNames(p.m.rowNames(), p.m.colNames()); err != nil {
		return fmt.Errorf("export plan LP: %w", err)
	}
	defer p.lp.DropNames()
	if err := p.lp.WriteMPS(path); err != nil {
		return fmt.Errorf("export plan LP: %w", err)
	}
	return nil
}

// WriteMPSUnnamed writes the LP like WriteMPS, with CLP's generic names
// (R0000000, C0000000): a smaller file, faster to write and to read.
func (p *LP) WriteMPSUnnamed(path string) error {
	if err := p.load(); err != nil {
		return err
	}
	if err := p.lp.WriteMPS(path); err != nil {
		return fmt.Errorf("export plan LP: %w", err)
	}
	return nil
}

// load gives the problem to CLP once.
func (p *LP) load() error {
	if p.loaded {
		return nil
	}
	if err := p.lp.LoadProblem(p.m.prob); err != nil {
		return fmt.Errorf("load plan LP: %w", err)
	}
	p.loaded = true
	return nil
}

// Solve solves the model: cold with Options.Method the first time (and
// after a rebuild), then warm from the previous basis — primal simplex
// after a change of carbon price, dual simplex after a change of stock.
//
// When the time limit (Options.TimeLimit, or the context's deadline) stops
// CLP, Solve returns no error but a Result with status "limit": the
// solver's last point when it meets every constraint (within 1e-7), else
// the plan that ships nothing and records every need as shortfall (always
// feasible); Notes say which. Other errors: context errors, ErrInfeasible,
// ErrUnbounded, or the CLP error.
func (p *LP) Solve(ctx context.Context) (*Result, error) {
	if p.lp == nil {
		return nil, fmt.Errorf("plan: %w", clp.ErrClosed)
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	if p.rebuild {
		if err := p.build(ctx); err != nil {
			return nil, err
		}
	}
	m := p.m
	res := &Result{
		Requirements: m.reqs,
		Variables:    m.prob.NumCols, Constraints: m.prob.NumRows, Nonzeros: len(m.prob.Values),
		Notes: append([]string(nil), m.notes...),
	}
	if p.fresh {
		res.BuildSeconds, res.PrepareSeconds, res.MatrixSeconds = p.buildSeconds, m.prepareSeconds, m.matrixSeconds
		p.fresh = false // a later warm solve builds nothing
	}
	start := time.Now()
	if m.prob.NumCols == 0 {
		res.Plan = m.emptyPlan(sillage.PlanOptimal)
		res.Method = "none"
		return res, nil
	}
	if err := p.load(); err != nil {
		return nil, err
	}
	method := p.opt.Method
	if p.solved {
		res.Warm = true
		method = clp.DualSimplex
		if p.costChanged && !p.rhsChanged {
			method = clp.PrimalSimplex
		}
	}
	limit := p.opt.TimeLimit.Seconds()
	if dl, ok := ctx.Deadline(); ok {
		left := time.Until(dl).Seconds()
		if left <= 0 {
			return nil, context.DeadlineExceeded
		}
		if limit == 0 || left < limit {
			limit = left
		}
	}
	p.lp.SetTimeLimit(limit)
	p.opt.progress("solve", 0, 0)
	err := p.lp.Solve(method)
	res.Method = method.String()
	res.Iterations = p.lp.Iterations()
	p.solved, p.costChanged, p.rhsChanged = true, false, false
	status := sillage.PlanOptimal
	switch {
	case err == nil:
	case errors.Is(err, clp.ErrLimit):
		status = sillage.PlanLimit
	case errors.Is(err, clp.ErrInfeasible):
		p.solved = false
		return nil, fmt.Errorf("%w: the solver found no plan that meets the hard constraints; shipping nothing should always be possible, so the input is corrupt: %v", ErrInfeasible, err)
	case errors.Is(err, clp.ErrUnbounded):
		p.solved = false
		return nil, fmt.Errorf("%w: the solver found the cost unbounded below; check for negative costs: %v", ErrUnbounded, err)
	default:
		p.solved = false
		return nil, fmt.Errorf("solve plan LP: %w", err)
	}
	p.opt.progress("extract", 0, 0)
	p.x = p.lp.PrimalTo(p.x)
	x := p.x
	if status == sillage.PlanLimit {
		why := "stopped at the time limit"
		if limit == 0 {
			why = "stopped at an iteration limit"
		}
		if m.feasible(x) {
			res.Notes = append(res.Notes, fmt.Sprintf("%s after %d iterations: the plan is the solver's last feasible point, not proven optimal", why, res.Iterations))
		} else {
			res.Notes = append(res.Notes, fmt.Sprintf("%s after %d iterations before a feasible plan was found: this plan ships nothing and records every need as shortfall", why, res.Iterations))
			x = m.shipNothing()
		}
		res.Plan = m.readPlan(x, nil, status)
	} else {
		res.Plan = m.readPlan(x, p.lp.Dual(), status)
	}
	res.TransportEUR, res.CarbonEUR, res.HoldingEUR, res.PenaltyEUR = m.costParts(x)
	if !res.Warm && !p.oneShot && status == sillage.PlanOptimal {
		// Factorize the optimal basis now and keep CLP's work areas, so
		// that a re-solve after SetStock or SetCarbonPrice starts at once
		// (part of this cold solve's time). When it fails the next
		// re-solve sets up from the kept basis as it would without it.
		_ = p.lp.PrepareWarm()
	}
	res.SolveSeconds = time.Since(start).Seconds()
	if status == sillage.PlanOptimal && res.Plan.ShortfallUnits > qtyTol {
		res.Notes = append(res.Notes, fmt.Sprintf("%.6g units of demand cannot be covered (see shortfalls and binding capacities)", res.Plan.ShortfallUnits))
	}
	return res, nil
}

// shipNothing returns the always-feasible point: no shipment, every need
// a shortfall.
func (m *model) shipNothing() []float64 {
	x := make([]float64, len(m.colReq))
	for j, src := range m.colSrc {
		if src < 0 {
			x[j] = m.reqs[m.colReq[j]].NeedUnits
		}
	}
	return x
}

// feasible reports whether x meets every row and column bound within
// feasTol (relative to the bound for bounds above 1).
func (m *model) feasible(x []float64) bool {
	pr := &m.prob
	if len(x) != pr.NumCols {
		return false
	}
	act := make([]float64, pr.NumRows)
	for j := 0; j < pr.NumCols; j++ {
		if x[j] < -feasTol || math.IsNaN(x[j]) {
			return false
		}
		for k := pr.ColStart[j]; k < pr.ColStart[j+1]; k++ {
			act[pr.RowIndex[k]] += pr.Values[k] * x[j]
		}
	}
	for i, a := range act {
		lo, up := pr.RowLower[i], pr.RowUpper[i]
		if a < lo-feasTol*math.Max(1, math.Abs(lo)) || a > up+feasTol*math.Max(1, math.Abs(up)) {
			return false
		}
	}
	return true
}

// costParts splits the objective at x.
func (m *model) costParts(x []float64) (transport, carbonEUR, holding, penalty float64) {
	for j, v := range x {
		if m.colSrc[j] < 0 {
			penalty += m.penalty * v
			continue
		}
		transport += m.unitEUR[j] * v
		holding += m.unitHold[j] * v
		carbonEUR += m.price * m.unitKg[j] * v / 1000
	}
	return
}

// emptyPlan is the plan of a model without columns.
func (m *model) emptyPlan(status sillage.PlanStatus) sillage.Plan {
	return sillage.Plan{Network: m.net.Name, Status: status, CarbonPriceEURPerT: m.price, Lines: []sillage.PlanLine{}}
}

// readPlan turns a solution into a plan; dual (nil for none) explains it.
// A first pass counts the lines, shortfalls and legs so that each goes
// into a slice allocated once (the legs of all lines share one backing
// array, each line's capped to its own).
func (m *model) readPlan(x, dual []float64, status sillage.PlanStatus) sillage.Plan {
	pl := m.emptyPlan(status)
	n := m.net
	nLines, nShort, nLegs := 0, 0, 0
	for j, v := range x {
		if v <= qtyTol {
			continue
		}
		if m.colSrc[j] < 0 {
			nShort++
			continue
		}
		nLines++
		nLegs += len(m.paths[m.colPath[j]].lanes)
	}
	if nLines > 0 {
		pl.Lines = make([]sillage.PlanLine, 0, nLines)
	}
	if nShort > 0 {
		pl.Shortfalls = make([]sillage.Shortfall, 0, nShort)
	}
	slab := make([]sillage.Leg, nLegs)
	for j, v := range x {
		if v <= qtyTol {
			continue
		}
		q := &m.reqs[m.colReq[j]]
		if m.colSrc[j] < 0 {
			pl.Shortfalls = append(pl.Shortfalls, sillage.Shortfall{Site: q.Site, SKU: q.SKU, Units: v})
			pl.ShortfallUnits += v
			pl.CostEUR += m.penalty * v
			continue
		}
		path := &m.paths[m.colPath[j]]
		k := len(path.lanes)
		legs := slab[:k:k]
		slab = slab[k:]
		for i, l := range path.lanes {
			legs[i] = m.router.lanes[l].leg
		}
		pl.Lines = append(pl.Lines, sillage.PlanLine{
			Source: n.Sites[m.colSrc[j]].ID, Site: q.Site, SKU: q.SKU, Quantity: v,
			CostEUR: m.unitEUR[j] * v, KgCO2e: m.unitKg[j] * v, Legs: legs,
		})
		pl.KgCO2e += m.unitKg[j] * v
		pl.CostEUR += (m.unitEUR[j] + m.unitHold[j] + m.price*m.unitKg[j]/1000) * v
	}
	for i, y := range dual {
		if m.rows[i].kind == rowCoverage || -y <= dualTol {
			continue
		}
		pl.Binding = append(pl.Binding, sillage.Binding{Constraint: m.rowName(i), ShadowPrice: -y})
	}
	sort.SliceStable(pl.Binding, func(a, b int) bool {
		if pl.Binding[a].ShadowPrice != pl.Binding[b].ShadowPrice {
			return pl.Binding[a].ShadowPrice > pl.Binding[b].ShadowPrice
		}
		return pl.Binding[a].Constraint < pl.Binding[b].Constraint
	})
	return pl
}
