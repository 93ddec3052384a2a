package timephased

import (
	"math"
	"slices"

	"github.com/sillage/sillage"
	"github.com/sillage/sillage/optimize/cbc"
)

// Column kinds.
const (
	colShip uint8 = iota // units (packs for week-0 purchases) on one path
	colInv               // on hand at the end of a week
	colLost              // lost sales in a week
	colSafe              // on hand up to the safety target at the end of a week (the target less it pays the penalty)
	colOpen              // 0/1: a week-0 purchase line is ordered (MOQ)
	colOver              // units above a site's storage capacity at the end of a week
)

// Row kinds.
const (
	rowBalance  uint8 = iota // inventory balance of a pair in a week
	rowSupplier              // supplier capacity for a product in a week, units
	rowLane                  // lane capacity in a week, kg
	rowStorage               // site storage at the end of a week, units
	rowMOQ                   // packs − MOQ packs × open ≥ 0, or packs − bound × open ≤ 0
	rowCut                   // a rounding cut on a balance row whose arrivals are whole (cuts.go)
)

type column struct {
	kind           uint8
	pair           int     // destination pair (ship), the pair (others)
	week           int     // release week (ship), the week (others)
	from           int     // ship: source site
	path           *path   // ship
	depart, arrive int     // ship
	pack           float64 // units per unit of the column
	moq            float64 // ship: MOQ in units (0: none)
}

type rowInfo struct {
	kind uint8
	id   int // pair, lane, site
	k    int // product (supplier rows)
	week int
}

// model is the built time-phased model.
type model struct {
	n       *sillage.Network
	h       int
	red     *reduction
	cols    []column
	rows    []rowInfo
	rowOf   map[rowInfo]int
	prob    cbc.Problem
	margin  []float64 // lost margin per product, EUR per unit
	holdWk  []float64 // holding per unit and week per product, EUR
	penalty []float64 // safety penalty per unit-week per product, EUR
	lostOf  []int     // per row: the lost-sales column of a balance row, −1 otherwise
	// objConst is the constant of the objective, EUR: the safety penalty
	// of every soft target in full (see colSafe). CLP's and CBC's
	// objective values leave it out; m.objective adds it.
	objConst float64
	lead     map[[2]int]Terms
	price    float64 // carbon price, EUR per tCO2e
	// premium is, per (supplier, product), what one unit costs above the
	// product's cheapest supplier, EUR (see purchasePremiums).
	premium map[[2]int]float64

	laneTail []int // site index of each lane's From (relay.go), built on first use
}

// objective returns a solver's objective value of the model's problem
// with the model's constant: the plan's cost in EUR.
func (m *model) objective(solver float64) float64 { return solver + m.objConst }

func (m *model) row(ri rowInfo, lo, up float64) int {
	if i, ok := m.rowOf[ri]; ok {
		return i
	}
	m.rows = append(m.rows, ri)
	m.lostOf = append(m.lostOf, -1)
	m.prob.RowLower = append(m.prob.RowLower, lo)
	m.prob.RowUpper = append(m.prob.RowUpper, up)
	m.rowOf[ri] = len(m.rows) - 1
	return len(m.rows) - 1
}

// addCol appends a column with its bounds, cost and entries (row, value).
func (m *model) addCol(c column, lo, up, cost float64, integer bool, entries ...float64) int {
	p := &m.prob
	for i := 0; i < len(entries); i += 2 {
		p.RowIndex = append(p.RowIndex, int(entries[i]))
		p.Values = append(p.Values, entries[i+1])
	}
	p.ColStart = append(p.ColStart, len(p.RowIndex))
	p.ColLower = append(p.ColLower, lo)
	p.ColUpper = append(p.ColUpper, up)
	p.Objective = append(p.Objective, cost)
	p.Integer = append(p.Integer, integer)
	m.cols = append(m.cols, c)
	return len(m.cols) - 1
}

// build makes the model of in over h weeks (see the package documentation
// for its rows and columns). O(columns · lanes per path).
func build(in *Input, h int, opt Options) (*model, error) {
	n := in.Network
	sites, products := n.SiteIndex(), n.ProductIndex()
	period := n.Policy.ReviewPeriodDays
	if period <= 0 {
		period = sillage.DefaultReviewPeriodDays
	}
	perWeek := 7 / period // capacities are per review period
	m := &model{n: n, h: h, rowOf: map[rowInfo]int{}, lead: map[[2]int]Terms{}, price: n.Policy.CarbonPriceEURPerT, premium: map[[2]int]float64{}}
	m.prob.ColStart = []int{0}
	for _, t := range in.Terms {
		m.lead[[2]int{sites[t.Supplier], products[t.SKU]}] = t
	}
	series := func(ss []Series) map[[2]int][]float64 {
		out := map[[2]int][]float64{}
		for _, s := range ss {
			out[[2]int{sites[s.Site], products[s.SKU]}] = s.Units
		}
		return out
	}
	demand := in.Demand
	if demand == nil {
		demand = defaultDemand(n, h)
	}
	arrivals := map[[2]int][]float64{}
	addArrival := func(site, sku string, week int, u float64) {
		key := [2]int{sites[site], products[sku]}
		if arrivals[key] == nil {
			arrivals[key] = make([]float64, h)
		}
		// A DC's week-0 departures become transfer orders released now,
		// which can only take what the DC holds now (on hand − reserved):
		// what arrives at a DC during week 0 ships from week 1.
		if week == 0 && h > 1 && n.Sites[key[0]].Kind == sillage.KindDC {
			week = 1
		}
		arrivals[key][min(week, h-1)] += u
	}
	if in.InTransit == nil {
		for _, p := range n.Stock {
			if p.InTransit > 0 {
				addArrival(p.Site, p.SKU, 0, p.InTransit)
			}
		}
	}
	for _, a := range in.InTransit {
		addArrival(a.Site, a.SKU, a.Week, a.Units)
	}
	// Units reserved beyond what a site holds are promised to orders
	// already released and will be taken from what arrives: they are
	// netted against its arrivals, earliest first, so that incoming stock
	// is not planned twice.
	for _, p := range n.Stock {
		over := p.Reserved - max(0, p.OnHand)
		a := arrivals[[2]int{sites[p.Site], products[p.SKU]}]
		for t := 0; t < len(a) && over > 0; t++ {
			take := min(over, a[t])
			a[t] -= take
			over -= take
		}
	}

	pf := in.paths
	if pf == nil || in.pathsOf != n || in.pathsWeeks != h {
		var err error
		if pf, err = newPathFinder(n, h); err != nil {
			return nil, err
		}
	}
	red, err := reduce(n, h, series(demand), series(in.Safety), arrivals, pf, perWeek)
	if err != nil {
		return nil, err
	}
	m.red = red

	hold := n.Policy.HoldingRatePerYear
	for _, p := range n.Products {
		price, ok := in.UnitPriceEUR[p.SKU]
		if !ok {
			price = DefaultPriceMarkup * p.UnitCostEUR
		}
		mg := max(0, price-p.UnitCostEUR)
		if v, ok := in.LostMarginEUR[p.SKU]; ok {
			mg = v
		}
		m.margin = append(m.margin, mg)
		m.holdWk = append(m.holdWk, hold*p.UnitCostEUR*7/365)
		m.penalty = append(m.penalty, opt.SafetyPenaltyShare*mg)
	}

	// Balance rows first, so that pair q's row of week t is q·h + t.
	for q, pr := range red.pairs {
		for t := range h {
			rhs := pr.demand[t] - pr.inTransit[t]
			if t == 0 {
				rhs -= pr.open
			}
			m.row(rowInfo{kind: rowBalance, id: q, week: t}, rhs, rhs)
		}
	}
	// Storage: the units of planned products at a site with a capacity
	// must fit in what the products left out of the model leave free.
	other := map[int]float64{}
	for _, p := range n.Stock {
		if _, ok := red.pairOf[[2]int{sites[p.Site], products[p.SKU]}]; !ok {
			other[sites[p.Site]] += p.OnHand
		}
	}
	for q, pr := range red.pairs {
		cap := n.Sites[pr.site].CapacityUnits
		for t := range h {
			var e []float64
			e = append(e, float64(q*h+t), -1)
			if t+1 < h {
				e = append(e, float64(q*h+t+1), 1)
			}
			if cap > 0 {
				e = append(e, float64(m.row(rowInfo{kind: rowStorage, id: pr.site, week: t}, math.Inf(-1), max(0, cap-other[pr.site]))), 1)
			}
			lo := 0.0
			if in.SafetyHard {
				lo = pr.safety[t]
			}
			m.addCol(column{kind: colInv, pair: q, week: t, pack: 1}, lo, math.Inf(1), m.holdWk[pr.k], false, e...)
			if pr.demand[t] > 0 {
				m.lostOf[q*h+t] = m.addCol(column{kind: colLost, pair: q, week: t, pack: 1}, 0, pr.demand[t], m.margin[pr.k], false, float64(q*h+t), 1)
			}
			if !in.SafetyHard && pr.safety[t] > 0 {
				// A soft target: the end stock is colInv + colSafe, where
				// colSafe ≤ the target costs the penalty less per unit
				// than colInv, so it fills first; the penalty of the
				// target, a constant, is in objConst. This is
				// min penalty·max(0, target − stock) + holding·stock
				// without a row of its own (a third fewer rows on the
				// sample network, and a faster dual simplex).
				m.addCol(column{kind: colSafe, pair: q, week: t, pack: 1}, 0, pr.safety[t], m.holdWk[pr.k]-m.penalty[pr.k], false, e...)
				m.objConst += m.penalty[pr.k] * pr.safety[t]
			}
		}
	}
	m.addOverflow()
	if err := m.addShipments(pf, opt); err != nil {
		return nil, err
	}
	m.addRoundingCuts()
	m.prob.NumRows, m.prob.NumCols = len(m.rows), len(m.cols)
	return m, nil
}

// addShipments adds the shipment columns of every product, source,
// destination pair, candidate path and release week whose arrival falls
// within the horizon, and the MOQ rows of week-0 purchases.
func (m *model) addShipments(pf *pathFinder, opt Options) error {
	n, h, red := m.n, m.h, m.red
	hold := n.Policy.HoldingRatePerYear
	for k, prod := range n.Products {
		// bound on useful units of k: everything demanded or targeted.
		need := 0.0
		for _, q := range red.dests[k] {
			need += sum(red.pairs[q].demand) + slices.Max(red.pairs[q].safety)
		}
		m.purchasePremiums(k)
		for _, src := range red.sources[k] {
			supplier := n.Sites[src].Kind == sillage.KindSupplier
			terms := m.lead[[2]int{src, k}]
			leadW := 0
			pack, moq := 1.0, 0.0
			if supplier {
				leadW = weeksOf(terms.LeadTimeDays)
				pack = max(1, terms.CasePackUnits)
				moq = terms.MOQUnits
			}
			for _, q := range red.dests[k] {
				dst := red.pairs[q].site
				if dst == src {
					continue
				}
				ps, err := pf.candidates(n.Sites[src].ID, n.Sites[dst].ID, prod.MaxTransitDays)
				if err != nil {
					return err
				}
				if opt.Relay && n.Sites[src].Kind == sillage.KindDC {
					ps = m.relayPaths(ps, k) // relay.go
				}
				for pi := range ps {
					p := &ps[pi]
					unitCost := prod.MassKG*(p.costPerKG+m.price*p.kgPerKG/1000) + hold*prod.UnitCostEUR*p.days/365
					if supplier {
						unitCost += m.premium[[2]int{src, k}]
					}
					for t := 0; t+leadW+p.weeks < h; t++ {
						m.addShip(k, src, q, p, t, t+leadW, unitCost, pack, moq, lineNeed(red.pairs[q], need), supplier, opt)
					}
				}
			}
		}
	}
	return nil
}

// addShip adds one shipment column (and, for a week-0 purchase with an
// MOQ above one pack, its 0/1 column and two rows).
func (m *model) addShip(k, src, q int, p *path, t, depart int, unitCost, pack, moq, need float64, supplier bool, opt Options) {
	h := m.h
	c := column{kind: colShip, pair: q, week: t, from: src, path: p, depart: depart, arrive: depart + p.weeks, pack: 1}
	integer := t == 0 && !opt.RelaxationOnly
	if t == 0 {
		c.pack, c.moq = pack, moq
	}
	var e []float64
	e = append(e, float64(q*h+c.arrive), c.pack)
	if sp, ok := m.red.pairOf[[2]int{src, k}]; ok && !supplier {
		e = append(e, float64(sp*h+depart), -c.pack)
	}
	upper := math.Inf(1)
	if supplier {
		cap := m.red.supplier[[2]int{src, k}]
		e = append(e, float64(m.row(rowInfo{kind: rowSupplier, id: src, k: k, week: depart}, math.Inf(-1), cap)), c.pack)
		upper = cap
	}
	mass := m.n.Products[k].MassKG
	for j, li := range p.lanes {
		if capKG := m.n.Lanes[li].CapacityKG; capKG > 0 {
			perWeek := capKG * 7 / m.n.Policy.ReviewPeriodDays
			e = append(e, float64(m.row(rowInfo{kind: rowLane, id: li, week: depart + p.offsetWeeks[j]}, math.Inf(-1), perWeek)), mass*c.pack)
			upper = min(upper, perWeek/max(mass, 1e-12))
		}
	}
	upper = min(upper, need)
	bound := math.Inf(1)
	if integer {
		bound = math.Max(math.Ceil(upper/c.pack-1e-9), math.Ceil(moq/c.pack-1e-9))
	}
	j := m.addCol(c, 0, bound, unitCost*c.pack, integer, e...)
	if integer && moq > c.pack {
		moqPacks := math.Ceil(moq/c.pack - 1e-9)
		lo := m.row(rowInfo{kind: rowMOQ, id: j, week: 0}, 0, math.Inf(1))
		up := m.row(rowInfo{kind: rowMOQ, id: j, week: 1}, math.Inf(-1), 0)
		// Both rows hold column j: append its entries to the last column.
		m.prob.RowIndex = append(m.prob.RowIndex, lo, up)
		m.prob.Values = append(m.prob.Values, 1, 1)
		m.prob.ColStart[len(m.prob.ColStart)-1] = len(m.prob.RowIndex)
		m.addCol(column{kind: colOpen, pair: j, pack: 1}, 0, 1, 0, true, float64(lo), -moqPacks, float64(up), -bound)
	}
}

// lineNeed bounds the units one line into pair pr can usefully carry: a
// boutique's demand over the horizon plus its largest safety target (more
// only adds holding), or, into a DC, need, the product's over every pair.
// The bound is also the big-M of a week-0 line's MOQ rows, so a tight one
// keeps the relaxation from opening an MOQ line for a sliver.
func lineNeed(pr pair, need float64) float64 {
	if pr.dc {
		return need
	}
	return sum(pr.demand) + slices.Max(pr.safety)
}

// purchasePremiums sets, for each supplier of product k among its
// sources, the premium of one unit: its purchase cost (supply
// unit_cost_eur, else the product's unit_cost_eur) minus the cheapest of
// the product's suppliers. The objective has no purchase cost as such (a
// unit bought is stock that serves later), but between suppliers the
// dearer one costs its difference. The premium is never negative, so that
// no purchase pays for itself.
func (m *model) purchasePremiums(k int) {
	n := m.n
	cheapest := math.Inf(1)
	cost := map[int]float64{}
	for _, src := range m.red.sources[k] {
		if n.Sites[src].Kind != sillage.KindSupplier {
			continue
		}
		c := n.Products[k].UnitCostEUR
		if t, ok := m.lead[[2]int{src, k}]; ok && t.UnitCostEUR > 0 {
			c = t.UnitCostEUR
		}
		cost[src] = c
		cheapest = min(cheapest, c)
	}
	for src, c := range cost {
		if c > cheapest {
			m.premium[[2]int{src, k}] = c - cheapest
		}
	}
}

// capOverflow sets the upper bound in upper of every overflow column to
// its value in the LP relaxation's point lpx, for the rounding of the
// week-0 orders: the relaxation uses overflow only where stock already
// there forces it, and a rounded-up order must not buy its way past a
// site's storage (the overflow penalty is ten times the dearest lost
// margin a week). With the cap, a rounding that overfills a storage is
// infeasible, which each rounding path answers by rounding down. O(cols).
func (m *model) capOverflow(upper, lpx []float64) {
	for j, c := range m.cols {
		if c.kind == colOver {
			upper[j] = min(upper[j], lpx[j]+1e-7*max(1, math.Abs(lpx[j])))
		}
	}
}

// addOverflow gives every storage row a column of units above the
// capacity, priced at overflowPenalty per unit-week. Stock on hand and
// goods already in transit can exceed a site's capacity_units (a transfer
// never received, a count that found more): the row would make the model
// infeasible, and the plan would stop for a fact it cannot change. The
// penalty is above any margin a unit stored one more week could save, so
// overflow is only used where it is forced; Result.Notes names the sites
// and weeks. O(sites · weeks).
func (m *model) addOverflow() {
	pen := m.overflowPenalty()
	for r, ri := range m.rows {
		if ri.kind == rowStorage {
			m.addCol(column{kind: colOver, from: ri.id, week: ri.week, pack: 1}, 0, math.Inf(1), pen, false, float64(r), -1)
		}
	}
}

// overflowPenalty is the price of one unit-week above a storage capacity,
// EUR: ten times the largest lost margin plus safety penalty of a unit.
func (m *model) overflowPenalty() float64 {
	worst := 1.0
	for k := range m.margin {
		worst = math.Max(worst, m.margin[k]+m.penalty[k])
	}
	return 10 * worst
}
