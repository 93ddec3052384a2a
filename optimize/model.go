package optimize

import (
	"context"
	"fmt"
	"math"
	"sort"
	"time"

	"github.com/sillage/sillage"
	"github.com/sillage/sillage/carbon"
	"github.com/sillage/sillage/optimize/clp"
)

// Options configures Plan, NewLP and Pareto. The zero value plans at
// the network's carbon price with CLP's dual simplex and no time limit.
type Options struct {
	// CarbonPriceEURPerT overrides the network's
	// policy.carbon_price_eur_per_t, in EUR per tonne CO2e.
	CarbonPriceEURPerT *float64
	// PathPrices are further carbon prices (EUR per tCO2e) whose cheapest
	// paths become columns of the model besides those at the plan's price,
	// so that one model serves a sweep over these prices (Pareto sets it).
	PathPrices []float64
	// Method is the CLP algorithm of a cold solve: clp.DualSimplex (the
	// zero value), clp.PrimalSimplex or clp.Barrier.
	Method clp.Method
	// TimeLimit bounds each solve (CPU time of the process, see
	// optimize/clp); 0 means none. A context deadline also bounds it.
	TimeLimit time.Duration
	// Factors gives lane emission intensities; nil means carbon.Default().
	Factors *carbon.Table
	// ServiceLevel, when above 0, sets each requirement's safety stock at
	// the ServiceLevel quantile of its demand over lead time + review
	// period (forecast.Result.SafetyUnits) instead of the policy's
	// safety_stock_days of demand; it must be below 1.
	ServiceLevel float64
	// Progress, when not nil, is called at every stage and every 1024
	// forecasts: a hook for heartbeats of long-running activities. It runs
	// on the planning goroutine and must return quickly.
	Progress func(Progress)
}

// Progress reports how far a plan has come.
type Progress struct {
	Stage string `json:"stage"` // "validate", "forecast", "route", "build", "load", "solve", "extract"
	Done  int    `json:"done"`  // items done in the stage (series for "forecast")
	Total int    `json:"total"` // items in the stage, 0 when not counted
}

func (o *Options) progress(stage string, done, total int) {
	if o.Progress != nil {
		o.Progress(Progress{Stage: stage, Done: done, Total: total})
	}
}

// Row kinds of the model.
const (
	rowCoverage uint8 = iota // Σ x + s >= need, per requirement
	rowSupply                // Σ x <= capacity, per supplier and product
	rowStock                 // Σ x <= on hand − reserved, per distribution centre and product
	rowLane                  // Σ mass·x <= capacity_kg, per capacity-limited lane
	rowStorage               // Σ x <= capacity − stock, per site with a capacity
)

// rowInfo names a row: coverage (a = requirement), supply and stock (a =
// source site, b = product), lane (a = lane), storage (a = site).
type rowInfo struct {
	kind uint8
	a, b int32
}

// candPath is a candidate path of the model from a source to a site.
type candPath struct {
	src, dst int32
	lanes    []int32
	cost     float64 // EUR per kg
	kg       float64 // kgCO2e per kg
	days     float64
}

// model is the replenishment LP of one network, built as a sparse
// column-major matrix, with what is needed to read its solution.
type model struct {
	net     *sillage.Network // defaults applied
	price   float64          // EUR per tCO2e
	penalty float64          // EUR per unit of shortfall
	router  *Router          // at price
	reqs    []Requirement
	reqSite []int32 // site index of each requirement
	reqSKU  []int32 // product index of each requirement
	paths   []candPath

	// Per column: its requirement, its source site (−1 for a shortfall
	// column) and path (−1), its money cost per unit (transport + holding)
	// and its transport emissions per unit.
	colReq   []int32
	colSrc   []int32
	colPath  []int32
	unitEUR  []float64
	unitHold []float64
	unitKg   []float64

	rows   []rowInfo
	covRow []int32 // coverage row of each requirement, −1 when none
	// storageRow and storageUsed: the storage row of each site (−1) and
	// the units already on hand or in transit there.
	storageRow []int32
	// sources are the suppliers and DCs that can supply each product;
	// srcRow[srcPos*len(Products)+sku] is their supply or stock row (−1).
	sources sourceSet
	srcRow  []int32
	used    []float64 // units on hand or in transit at each site

	prob  clp.Problem
	notes []string

	prepareSeconds float64 // validation, lead times, forecasts
	matrixSeconds  float64 // candidate paths, rows and columns
}

// build validates the network and builds the model. It returns errors
// wrapping sillage.ErrInvalid for bad input.
func build(ctx context.Context, in *sillage.Network, opt *Options) (*model, error) {
	start := time.Now()
	opt.progress("validate", 0, 0)
	if in == nil {
		return nil, fmt.Errorf("%w: nil network", sillage.ErrInvalid)
	}
	// Work on a copy: ApplyDefaults writes into the network and its lanes.
	n := *in
	n.Lanes = append([]sillage.Lane(nil), in.Lanes...)
	n.Stock = append([]sillage.Position(nil), in.Stock...)
	n.ApplyDefaults()
	if err := n.Validate(); err != nil {
		return nil, fmt.Errorf("plan network %q: %w", n.Name, err)
	}
	price := n.Policy.CarbonPriceEURPerT
	if opt.CarbonPriceEURPerT != nil {
		price = *opt.CarbonPriceEURPerT
	}
	if !finiteNonNeg(price) {
		return nil, fmt.Errorf("%w: carbon price %v EUR/t must be a finite number >= 0", sillage.ErrInvalid, price)
	}
	for _, p := range opt.PathPrices {
		if !finiteNonNeg(p) {
			return nil, fmt.Errorf("%w: path price %v EUR/t must be a finite number >= 0", sillage.ErrInvalid, p)
		}
	}
	if !(opt.ServiceLevel >= 0 && opt.ServiceLevel < 1) {
		return nil, fmt.Errorf("%w: service level %v must be 0 (safety stock in days) or strictly between 0 and 1", sillage.ErrInvalid, opt.ServiceLevel)
	}
	if opt.TimeLimit < 0 {
		return nil, fmt.Errorf("%w: time limit %v must not be negative", sillage.ErrInvalid, opt.TimeLimit)
	}
	m := &model{net: &n, price: price, penalty: n.Policy.ShortfallPenaltyEUR}
	router, err := NewRouter(&n, RouterOptions{CarbonPriceEURPerT: price, Factors: opt.Factors})
	if err != nil {
		return nil, err
	}
	m.router = router
	if err := m.requirements(ctx, opt); err != nil {
		return nil, err
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	m.prepareSeconds = time.Since(start).Seconds()
	start = time.Now()
	m.matrix(opt)
	m.matrixSeconds = time.Since(start).Seconds()
	return m, nil
}

// sourceSet describes which sources can supply each product.
type sourceSet struct {
	sites []int // source site indexes (suppliers and DCs that supply something)
	// per product: positions in sites and the units each can give
	bySKU [][]sourceCap
}

type sourceCap struct {
	src   int32   // position in sourceSet.sites
	units float64 // supplier capacity, or DC on hand − reserved
}

// requirements computes the sources, the lead times, the forecasts and the
// needs of every site and product with demand.
func (m *model) requirements(ctx context.Context, opt *Options) error {
	n := m.net
	skuIdx := n.ProductIndex()
	siteIdx := m.router.index
	nP := len(n.Products)

	// Sources per product.
	srcPos := map[int]int32{}
	var ss sourceSet
	ss.bySKU = make([][]sourceCap, nP)
	addSource := func(site, sku int, units float64) {
		if units <= 0 {
			return
		}
		p, ok := srcPos[site]
		if !ok {
			p = int32(len(ss.sites))
			srcPos[site] = p
			ss.sites = append(ss.sites, site)
		}
		ss.bySKU[sku] = append(ss.bySKU[sku], sourceCap{src: p, units: units})
	}
	for _, s := range n.Supply {
		addSource(siteIdx[s.Supplier], skuIdx[s.SKU], s.CapacityUnits)
	}
	// Stock by site: availability at DCs, occupancy and availability at
	// demand sites.
	avail := map[[2]int32]float64{}
	used := make([]float64, len(n.Sites))
	for i, pos := range n.Stock {
		site, sku := siteIdx[pos.Site], skuIdx[pos.SKU]
		avail[[2]int32{int32(site), int32(sku)}] = pos.Available()
		used[site] += pos.OnHand + pos.InTransit
		if n.Sites[site].Kind == sillage.KindDC {
			free := pos.OnHand - pos.Reserved
			if free < 0 {
				m.notes = append(m.notes, fmt.Sprintf("stock[%d]: %s at %s has %g reserved of %g on hand; counted as 0 available", i, pos.SKU, pos.Site, pos.Reserved, pos.OnHand))
				free = 0
			}
			addSource(site, sku, free)
		}
	}
	m.storageRow = make([]int32, len(n.Sites))
	for i := range m.storageRow {
		m.storageRow[i] = -1
	}

	// Demand sites and products.
	type dem struct {
		d         int // index in n.Demand
		site, sku int
	}
	var dems []dem
	for i, d := range n.Demand {
		site, sku := siteIdx[d.Site], skuIdx[d.SKU]
		if k := n.Sites[site].Kind; k != sillage.KindBoutique {
			m.notes = append(m.notes, fmt.Sprintf("demand[%d]: %s at %s ignored: demand is planned at boutiques, and %s is a %s (a source)", i, d.SKU, d.Site, d.Site, k))
			continue
		}
		dems = append(dems, dem{i, site, sku})
	}

	// Lead times: the fastest transit from any source of the product.
	opt.progress("route", 0, len(ss.sites))
	fastest := make([][]float64, len(ss.sites))
	for p, site := range ss.sites {
		if err := ctx.Err(); err != nil {
			return err
		}
		fastest[p] = m.router.fastestFrom(site)
	}
	review := n.Policy.ReviewPeriodDays
	series := make([][]float64, len(dems))
	horizon := make([]int, len(dems))
	lead := make([]float64, len(dems))
	reach := make([]bool, len(dems))
	for i, d := range dems {
		limit := n.Products[d.sku].MaxTransitDays
		best := math.Inf(1)
		for _, sc := range ss.bySKU[d.sku] {
			if ss.sites[sc.src] == d.site {
				continue
			}
			best = math.Min(best, fastest[sc.src][d.site])
		}
		reach[i] = !math.IsInf(best, 1) && (limit == 0 || best <= limit+daysTol)
		if reach[i] {
			lead[i] = best
		}
		series[i] = n.Demand[d.d].Weekly
		horizon[i] = max(n.Policy.ForecastHorizonWeeks, int(math.Ceil((lead[i]+review)/7)), 1)
	}

	opt.progress("forecast", 0, len(dems))
	fc, err := forecastAll(series, horizon, func(done int) { opt.progress("forecast", done, len(dems)) })
	if err != nil {
		return fmt.Errorf("forecast: %w", err)
	}
	for i, d := range dems {
		window := lead[i] + review
		demand := demandOver(fc[i].Weekly, window)
		dist := fc[i].DemandOver(window)
		var safety float64
		switch {
		case opt.ServiceLevel > 0 && window > 0:
			safety, _ = fc[i].SafetyUnits(window, opt.ServiceLevel) // the level is checked above
		case window > 0:
			safety = n.Policy.SafetyStockDays * demand / window
		default:
			safety = n.Policy.SafetyStockDays * fc[i].Weekly[0] / 7
		}
		if demand+safety <= 0 {
			continue // nothing to cover, whatever the stock
		}
		a := avail[[2]int32{int32(d.site), int32(d.sku)}]
		level := opt.ServiceLevel
		if level == 0 || window <= 0 {
			level = dist.CDF(demand + safety)
		}
		m.reqs = append(m.reqs, Requirement{
			Site: n.Sites[d.site].ID, SKU: n.Products[d.sku].SKU,
			LeadTimeDays: lead[i], DemandUnits: demand, SafetyUnits: safety,
			AvailableUnits: a, NeedUnits: math.Max(0, demand+safety-a),
			Method: fc[i].Method, Params: fc[i].Params, MASE: fc[i].MASE, Backtested: fc[i].Backtested,
			ValidationRMSE: fc[i].ValidationRMSE, ServiceLevel: level, QuantileUnits: demand + safety,
			Reachable: reach[i],
		})
		m.reqSite = append(m.reqSite, int32(d.site))
		m.reqSKU = append(m.reqSKU, int32(d.sku))
	}
	m.sources = ss
	m.used = used
	return nil
}

// matrix builds the candidate paths, the columns and the rows, straight
// into compressed sparse column form: slices sized from a first count, no
// map in the loop over columns. Rows are numbered as first used.
// It can run again on the same requirements (benchmarks do).
func (m *model) matrix(opt *Options) {
	n := m.net
	nP := len(n.Products)
	opt.progress("build", 0, len(m.reqs))
	m.paths, m.rows, m.prob = nil, nil, clp.Problem{}
	for i := range m.storageRow {
		m.storageRow[i] = -1
	}

	// Demand sites and transit classes of the requirements.
	dstPos := make([]int32, len(n.Sites))
	for i := range dstPos {
		dstPos[i] = -1
	}
	var dsts []int
	limits := []float64{}
	classOf := make([]int32, nP)
	for i := range classOf {
		classOf[i] = -1
	}
	for r := range m.reqs {
		site, sku := m.reqSite[r], m.reqSKU[r]
		if dstPos[site] < 0 {
			dstPos[site] = int32(len(dsts))
			dsts = append(dsts, int(site))
		}
		if classOf[sku] < 0 {
			lim := n.Products[sku].MaxTransitDays
			c := sort.SearchFloat64s(limits, lim)
			if c == len(limits) || limits[c] != lim {
				limits = append(limits, 0)
				copy(limits[c+1:], limits[c:])
				limits[c] = lim
			}
			classOf[sku] = -2 // assigned below, once limits are complete
		}
	}
	for k := range classOf {
		if classOf[k] == -2 {
			classOf[k] = int32(sort.SearchFloat64s(limits, n.Products[k].MaxTransitDays))
		}
	}

	// Routers for the plan's price and the path prices.
	routers := []*Router{m.router}
	seen := map[float64]bool{m.price: true}
	for _, p := range opt.PathPrices {
		if seen[p] {
			continue
		}
		seen[p] = true
		r, _ := m.router.WithCarbonPrice(p) // p was checked
		routers = append(routers, r)
	}

	// Candidate paths per (source, demand site, class): the cheapest
	// within the class's limit at each price, without duplicates.
	nS, nD, nC := len(m.sources.sites), len(dsts), len(limits)
	cand := make([][]int32, nS*nD*nC)
	for sp, src := range m.sources.sites {
		for c, lim := range limits {
			for _, r := range routers {
				paths, status := r.pathsFrom(src, lim, dsts)
				for d, lanes := range paths {
					if status[d] != nil || dsts[d] == src {
						continue
					}
					slot := &cand[(sp*nD+d)*nC+c]
					if m.hasPath(*slot, lanes) {
						continue
					}
					*slot = append(*slot, int32(len(m.paths)))
					m.paths = append(m.paths, m.newPath(src, dsts[d], lanes))
				}
			}
		}
	}

	// Size estimate: one shortfall column per requirement plus one
	// column per eligible source and candidate path.
	nCols := len(m.reqs)
	for r := range m.reqs {
		sku, site := m.reqSKU[r], m.reqSite[r]
		if dstPos[site] < 0 {
			continue
		}
		for _, sc := range m.sources.bySKU[sku] {
			nCols += len(cand[(int(sc.src)*nD+int(dstPos[site]))*nC+int(classOf[sku])])
		}
	}
	m.colReq = make([]int32, 0, nCols)
	m.colSrc = make([]int32, 0, nCols)
	m.colPath = make([]int32, 0, nCols)
	m.unitEUR = make([]float64, 0, nCols)
	m.unitHold = make([]float64, 0, nCols)
	m.unitKg = make([]float64, 0, nCols)
	pr := &m.prob
	pr.ColStart = make([]int, 1, nCols+1)
	pr.RowIndex = make([]int, 0, 4*nCols)
	pr.Values = make([]float64, 0, 4*nCols)
	pr.Objective = make([]float64, 0, nCols)

	m.srcRow = make([]int32, nS*nP)
	for i := range m.srcRow {
		m.srcRow[i] = -1
	}
	laneRow := make([]int32, len(n.Lanes))
	for i := range laneRow {
		laneRow[i] = -1
	}
	addRow := func(info rowInfo, lo, up float64) int32 {
		m.rows = append(m.rows, info)
		pr.RowLower = append(pr.RowLower, lo)
		pr.RowUpper = append(pr.RowUpper, up)
		return int32(len(m.rows) - 1)
	}
	entry := func(row int32, v float64) {
		pr.RowIndex = append(pr.RowIndex, int(row))
		pr.Values = append(pr.Values, v)
	}
	endCol := func(req, src, path int32, eur, hold, kg float64) {
		m.colReq = append(m.colReq, req)
		m.colSrc = append(m.colSrc, src)
		m.colPath = append(m.colPath, path)
		m.unitEUR = append(m.unitEUR, eur)
		m.unitHold = append(m.unitHold, hold)
		m.unitKg = append(m.unitKg, kg)
		pr.Objective = append(pr.Objective, eur+hold+m.price*kg/1000)
		pr.ColStart = append(pr.ColStart, len(pr.RowIndex))
	}
	inf := math.Inf(1)
	holdPerDay := n.Policy.HoldingRatePerYear / 365
	m.covRow = make([]int32, len(m.reqs))
	dearer := 0 // requirements whose every delivery costs more than the penalty
	for r := range m.reqs {
		if r%4096 == 0 {
			opt.progress("build", r, len(m.reqs))
		}
		req := &m.reqs[r]
		site, sku := m.reqSite[r], m.reqSKU[r]
		prod := &n.Products[sku]
		cov := addRow(rowInfo{kind: rowCoverage, a: int32(r)}, req.NeedUnits, inf)
		m.covRow[r] = cov
		entry(cov, 1)
		endCol(int32(r), -1, -1, m.penalty, 0, 0)
		d := dstPos[site]
		cheapest := math.Inf(1)
		for _, sc := range m.sources.bySKU[sku] {
			slot := cand[(int(sc.src)*nD+int(d))*nC+int(classOf[sku])]
			if len(slot) == 0 {
				continue
			}
			srcSite := m.sources.sites[sc.src]
			sr := &m.srcRow[int(sc.src)*nP+int(sku)]
			if *sr < 0 {
				kind := rowSupply
				if n.Sites[srcSite].Kind == sillage.KindDC {
					kind = rowStock
				}
				*sr = addRow(rowInfo{kind: kind, a: int32(srcSite), b: sku}, -inf, sc.units)
			}
			for _, pid := range slot {
				p := &m.paths[pid]
				entry(cov, 1)
				entry(*sr, 1)
				for _, l := range p.lanes {
					capKG := m.router.lanes[l].capKG
					if capKG <= 0 {
						continue
					}
					if laneRow[l] < 0 {
						laneRow[l] = addRow(rowInfo{kind: rowLane, a: l}, -inf, capKG)
					}
					entry(laneRow[l], prod.MassKG)
				}
				if capU := n.Sites[site].CapacityUnits; capU > 0 {
					if m.storageRow[site] < 0 {
						m.storageRow[site] = addRow(rowInfo{kind: rowStorage, a: site}, -inf, math.Max(0, capU-m.used[site]))
					}
					entry(m.storageRow[site], 1)
				}
				endCol(int32(r), int32(srcSite), pid,
					prod.MassKG*p.cost, prod.UnitCostEUR*holdPerDay*p.days, prod.MassKG*p.kg)
				cheapest = math.Min(cheapest, pr.Objective[len(pr.Objective)-1])
			}
		}
		if req.NeedUnits > 0 && !math.IsInf(cheapest, 1) && cheapest > m.penalty {
			dearer++
		}
	}
	if dearer > 0 {
		m.notes = append(m.notes, fmt.Sprintf("the shortfall penalty (%g EUR per unit) is below the cheapest delivery of %d requirement(s): the plan leaves them short; raise policy.shortfall_penalty_eur to cover them", m.penalty, dearer))
	}
	pr.NumRows, pr.NumCols = len(m.rows), len(m.colReq)
	pr.ColLower = nil // all columns >= 0
	pr.ColUpper = nil // no upper bounds
	opt.progress("build", len(m.reqs), len(m.reqs))
}

// hasPath reports whether one of the paths ids has exactly these lanes.
func (m *model) hasPath(ids []int32, lanes []int32) bool {
	for _, id := range ids {
		p := m.paths[id].lanes
		if len(p) != len(lanes) {
			continue
		}
		same := true
		for i := range p {
			if p[i] != lanes[i] {
				same = false
				break
			}
		}
		if same {
			return true
		}
	}
	return false
}

// newPath returns the candidate path of lanes with its per-kg figures.
func (m *model) newPath(src, dst int, lanes []int32) candPath {
	p := candPath{src: int32(src), dst: int32(dst), lanes: lanes}
	for _, l := range lanes {
		ld := &m.router.lanes[l]
		p.cost += ld.cost
		p.kg += ld.kg
		p.days += ld.days
	}
	return p
}

// objective returns the objective vector at a carbon price in EUR per
// tCO2e.
func (m *model) objective(price float64) []float64 {
	c := make([]float64, len(m.colReq))
	for j := range c {
		c[j] = m.unitEUR[j] + m.unitHold[j] + price*m.unitKg[j]/1000
	}
	return c
}

// rowName names row i for the explanation of a plan.
func (m *model) rowName(i int) string {
	r := m.rows[i]
	n := m.net
	switch r.kind {
	case rowCoverage:
		q := m.reqs[r.a]
		return fmt.Sprintf("coverage %s %s", q.Site, q.SKU)
	case rowSupply:
		return fmt.Sprintf("supply %s %s capacity_units", n.Sites[r.a].ID, n.Products[r.b].SKU)
	case rowStock:
		return fmt.Sprintf("stock %s %s units", n.Sites[r.a].ID, n.Products[r.b].SKU)
	case rowLane:
		l := n.Lanes[r.a]
		return fmt.Sprintf("lane %s->%s %s capacity_kg", l.From, l.To, l.Mode)
	case rowStorage:
		return fmt.Sprintf("storage %s capacity_units", n.Sites[r.a].ID)
	}
	return fmt.Sprintf("row %d", i)
}
