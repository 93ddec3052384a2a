package optimize

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"
	"testing"

	"github.com/sillage/sillage"
	"github.com/sillage/sillage/optimize/internal/testkit"
)

// randomPlanNetwork returns a small valid network drawn from rng: suppliers,
// DCs and boutiques with lanes of several modes (some with a capacity in
// kg), products with and without a transit limit, stock, demand and
// supply. With loose set there are no lane or storage capacities.
func randomPlanNetwork(rng *rand.Rand, loose bool) *sillage.Network {
	n := &sillage.Network{Name: "random"}
	nSup, nDC, nBtq, nP := 1+rng.IntN(3), 1+rng.IntN(3), 2+rng.IntN(5), 1+rng.IntN(4)
	id := 0
	add := func(prefix string, kind sillage.SiteKind, k int) []string {
		var ids []string
		for i := 0; i < k; i++ {
			id++
			s := testkit.Site(id, fmt.Sprintf("%s%d", prefix, i), kind, 0)
			s.Latitude, s.Longitude = 40+10*rng.Float64(), -5+20*rng.Float64()
			n.Sites = append(n.Sites, s)
			ids = append(ids, s.ID)
		}
		return ids
	}
	sups, dcs, btqs := add("SUP", sillage.KindSupplier, nSup), add("DC", sillage.KindDC, nDC), add("BTQ", sillage.KindBoutique, nBtq)
	for k := 0; k < nP; k++ {
		p := sillage.Product{SKU: fmt.Sprintf("P%d", k), GTIN: testkit.GTIN(k + 1), Name: "p", Class: "leather",
			MassKG: 0.2 + 3*rng.Float64(), UnitCostEUR: 50 + float64(rng.IntN(1000))}
		if rng.IntN(2) == 0 {
			p.MaxTransitDays = float64(3 + rng.IntN(5))
		}
		n.Products = append(n.Products, p)
	}
	seen := map[string]bool{}
	lane := func(a, b string) {
		for _, m := range sillage.Modes {
			if a == b || rng.IntN(3) != 0 || seen[a+b+string(m)] {
				continue
			}
			seen[a+b+string(m)] = true
			l := sillage.Lane{From: a, To: b, Mode: m, CostEURPerKG: float64(rng.IntN(150)) / 100, TransitDays: float64(1 + rng.IntN(5))}
			if rng.IntN(2) == 0 {
				l.DistanceKM = float64(20 + rng.IntN(2000))
			}
			if !loose && rng.IntN(3) == 0 {
				l.CapacityKG = float64(10 + rng.IntN(200))
			}
			n.Lanes = append(n.Lanes, l)
		}
	}
	for _, s := range sups {
		for _, d := range dcs {
			lane(s, d)
		}
		lane(s, btqs[rng.IntN(len(btqs))])
	}
	for _, d := range dcs {
		for _, b := range btqs {
			lane(d, b)
		}
		lane(d, dcs[rng.IntN(len(dcs))])
	}
	for _, p := range n.Products {
		for _, d := range dcs {
			if rng.IntN(3) != 0 {
				n.Stock = append(n.Stock, sillage.Position{Site: d, SKU: p.SKU, OnHand: float64(rng.IntN(60)), Reserved: float64(rng.IntN(5))})
			}
		}
		for _, s := range sups {
			if rng.IntN(2) == 0 {
				n.Supply = append(n.Supply, sillage.Supply{Supplier: s, SKU: p.SKU, CapacityUnits: float64(rng.IntN(80))})
			}
		}
		for _, b := range btqs {
			if rng.IntN(4) == 0 {
				continue
			}
			weekly := make([]float64, 6+rng.IntN(20))
			level := float64(rng.IntN(15))
			for w := range weekly {
				weekly[w] = math.Max(0, math.Round(level+3*rng.NormFloat64()))
			}
			n.Demand = append(n.Demand, sillage.Demand{Site: b, SKU: p.SKU, Weekly: weekly})
			oh := float64(rng.IntN(12))
			n.Stock = append(n.Stock, sillage.Position{Site: b, SKU: p.SKU, OnHand: oh, InTransit: float64(rng.IntN(4)), Reserved: math.Min(oh, float64(rng.IntN(3)))})
		}
	}
	if !loose {
		for i := range n.Sites {
			if n.Sites[i].Kind == sillage.KindBoutique && rng.IntN(2) == 0 {
				n.Sites[i].CapacityUnits = float64(20 + rng.IntN(100))
			}
		}
	}
	n.Policy = sillage.Policy{CarbonPriceEURPerT: float64(rng.IntN(5)) * 100, ShortfallPenaltyEUR: 1000,
		SafetyStockDays: float64(rng.IntN(10)), ReviewPeriodDays: 7, HoldingRatePerYear: 0.2, ForecastHorizonWeeks: 2}
	return n
}

// checkOptimal checks a solved planner: every constraint holds within
// 1e-7, the duals are feasible, the primal objective equals the dual
// objective, the plan's figures match the solution, and every shortfall is
// explained by a binding capacity on each of its columns.
func checkOptimal(t *testing.T, where string, p *LP, res *Result) {
	t.Helper()
	m := p.m
	pr := &m.prob
	x, y := p.lp.Primal(), p.lp.Dual()
	if !m.feasible(x) {
		t.Fatalf("%s: solution violates a constraint", where)
	}
	// Reduced costs c − Aᵀy must be >= 0 (columns have lower bound 0 and
	// no upper bound); duals of >= rows >= 0, of <= rows <= 0.
	var primal, dual float64
	for j := 0; j < pr.NumCols; j++ {
		d := pr.Objective[j]
		for k := pr.ColStart[j]; k < pr.ColStart[j+1]; k++ {
			d -= pr.Values[k] * y[pr.RowIndex[k]]
		}
		if d < -1e-7 {
			t.Fatalf("%s: column %d reduced cost %g < 0", where, j, d)
		}
		primal += pr.Objective[j] * x[j]
	}
	for i := range y {
		lo, up := pr.RowLower[i], pr.RowUpper[i]
		switch {
		case y[i] > 1e-9:
			if math.IsInf(lo, -1) {
				t.Fatalf("%s: row %s dual %g on an infinite lower bound", where, m.rowName(i), y[i])
			}
			dual += y[i] * lo
		case y[i] < -1e-9:
			if math.IsInf(up, 1) {
				t.Fatalf("%s: row %s dual %g on an infinite upper bound", where, m.rowName(i), y[i])
			}
			dual += y[i] * up
		}
	}
	if math.Abs(primal-dual) > 1e-7*math.Max(1, math.Abs(primal)) {
		t.Fatalf("%s: primal objective %.12g, dual objective %.12g", where, primal, dual)
	}
	if math.Abs(res.Plan.CostEUR-primal) > 1e-7*math.Max(1, primal) {
		t.Fatalf("%s: plan cost %g, objective %g", where, res.Plan.CostEUR, primal)
	}
	// Coverage and the plan's lines.
	type key struct{ site, sku string }
	got := map[key]float64{}
	var kg float64
	for _, l := range res.Plan.Lines {
		got[key{l.Site, l.SKU}] += l.Quantity
		kg += l.KgCO2e
		prod, _ := m.net.Product(l.SKU)
		at := l.Source
		var cost, lkg, days float64
		for _, g := range l.Legs {
			if g.From != at {
				t.Fatalf("%s: line %+v: legs do not chain", where, l)
			}
			at = g.To
			cost += g.CostEURPerKG
			lkg += g.KgCO2ePerKG
			days += g.TransitDays
		}
		if at != l.Site {
			t.Fatalf("%s: line %+v ends at %s", where, l, at)
		}
		if math.Abs(l.CostEUR-l.Quantity*prod.MassKG*cost) > 1e-9*math.Max(1, l.CostEUR) || math.Abs(l.KgCO2e-l.Quantity*prod.MassKG*lkg) > 1e-9*math.Max(1, l.KgCO2e) {
			t.Fatalf("%s: line %+v: cost or emissions do not match its legs", where, l)
		}
		if prod.MaxTransitDays > 0 && days > prod.MaxTransitDays+daysTol {
			t.Fatalf("%s: line %+v takes %g days, limit %g", where, l, days, prod.MaxTransitDays)
		}
	}
	for _, s := range res.Plan.Shortfalls {
		got[key{s.Site, s.SKU}] += s.Units
	}
	if math.Abs(kg-res.Plan.KgCO2e) > 1e-9*math.Max(1, kg) {
		t.Fatalf("%s: plan kgCO2e %g, lines add up to %g", where, res.Plan.KgCO2e, kg)
	}
	for _, q := range res.Requirements {
		if got[key{q.Site, q.SKU}] < q.NeedUnits-1e-7 {
			t.Fatalf("%s: %s %s covered %g of %g", where, q.Site, q.SKU, got[key{q.Site, q.SKU}], q.NeedUnits)
		}
	}
	// A shortfall is only left when every way of shipping is blocked: each
	// column of the requirement meets a capacity with a nonzero dual.
	for j, src := range m.colSrc {
		if src >= 0 {
			continue
		}
		r := m.colReq[j]
		if x[j] <= 1e-7 {
			continue
		}
		for k, req := range m.colReq {
			if req != r || m.colSrc[k] < 0 {
				continue
			}
			blocked := false
			for e := pr.ColStart[k]; e < pr.ColStart[k+1]; e++ {
				if i := pr.RowIndex[e]; m.rows[i].kind != rowCoverage && y[i] < -1e-9 {
					blocked = true
				}
			}
			if !blocked {
				t.Fatalf("%s: shortfall %g at %s %s while column %d (from %s) meets no binding capacity", where, x[j], m.reqs[r].Site, m.reqs[r].SKU, k, m.net.Sites[m.colSrc[k]].ID)
			}
		}
	}
}

func TestPlanPropertiesRandom(t *testing.T) {
	rng := rand.New(rand.NewPCG(11, 17))
	var shortfalls, binding int
	for trial := 0; trial < 150; trial++ {
		n := randomPlanNetwork(rng, false)
		where := fmt.Sprintf("trial %d", trial)
		p, err := NewLP(context.Background(), n, Options{})
		if err != nil {
			t.Fatalf("%s: %v", where, err)
		}
		res, err := p.Solve(context.Background())
		if err != nil {
			t.Fatalf("%s: %v", where, err)
		}
		if res.Plan.Status != sillage.PlanOptimal {
			t.Fatalf("%s: status %s", where, res.Plan.Status)
		}
		checkOptimal(t, where, p, res)
		if res.Plan.ShortfallUnits > 0 {
			shortfalls++
		}
		binding += len(res.Plan.Binding)
		p.Close()
	}
	// The generator must exercise shortfalls and binding capacities.
	if shortfalls < 10 || binding < 30 {
		t.Errorf("only %d plans with shortfall and %d binding capacities in 150 trials", shortfalls, binding)
	}
}

// maxFlow returns the maximum flow from node s to node t of a graph given
// as a capacity matrix (Edmonds–Karp).
func maxFlow(capacity [][]float64, s, t int) float64 {
	n := len(capacity)
	c := make([][]float64, n)
	for i := range c {
		c[i] = append([]float64(nil), capacity[i]...)
	}
	var flow float64
	for {
		prev := make([]int, n)
		for i := range prev {
			prev[i] = -1
		}
		prev[s] = s
		queue := []int{s}
		for len(queue) > 0 && prev[t] < 0 {
			u := queue[0]
			queue = queue[1:]
			for v := 0; v < n; v++ {
				if prev[v] < 0 && c[u][v] > 1e-12 {
					prev[v] = u
					queue = append(queue, v)
				}
			}
		}
		if prev[t] < 0 {
			return flow
		}
		f := math.Inf(1)
		for v := t; v != s; v = prev[v] {
			f = math.Min(f, c[prev[v]][v])
		}
		for v := t; v != s; v = prev[v] {
			c[prev[v]][v] -= f
			c[v][prev[v]] += f
		}
		flow += f
	}
}

// Without lane and storage capacities the products are independent and
// the plan is a transportation problem: the units shipped of each product
// must equal the maximum flow from its sources (capacity: units they can
// give) to its requirements (capacity: need) over the source–site pairs
// that have a path, so shortfall = need − max flow exactly.
func TestPlanShortfallIsMaxFlowGap(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 8))
	checked := 0
	for trial := 0; trial < 120; trial++ {
		n := randomPlanNetwork(rng, true)
		p, err := NewLP(context.Background(), n, Options{})
		if err != nil {
			t.Fatal(err)
		}
		res, err := p.Solve(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		m := p.m
		for sku := range m.net.Products {
			// Nodes: 0 source, 1 sink, then sources, then requirements.
			srcNode := map[int32]int{}
			reqNode := map[int]int{}
			next := 2
			for _, sc := range m.sources.bySKU[sku] {
				srcNode[sc.src] = next
				next++
			}
			var need float64
			for r := range m.reqs {
				if int(m.reqSKU[r]) == sku {
					reqNode[r] = next
					next++
					need += m.reqs[r].NeedUnits
				}
			}
			c := make([][]float64, next)
			for i := range c {
				c[i] = make([]float64, next)
			}
			for _, sc := range m.sources.bySKU[sku] {
				c[0][srcNode[sc.src]] = sc.units
			}
			for r, node := range reqNode {
				c[node][1] = m.reqs[r].NeedUnits
			}
			for j, r := range m.colReq {
				if m.colSrc[j] < 0 || int(m.reqSKU[r]) != sku {
					continue
				}
				for sp, s := range m.sources.sites {
					if int32(s) == m.colSrc[j] {
						c[srcNode[int32(sp)]][reqNode[int(r)]] = math.Inf(1)
					}
				}
			}
			flow := maxFlow(c, 0, 1)
			var short float64
			for _, s := range res.Plan.Shortfalls {
				if s.SKU == m.net.Products[sku].SKU {
					short += s.Units
				}
			}
			if math.Abs(short-(need-flow)) > 1e-6*math.Max(1, need) {
				t.Fatalf("trial %d product %s: shortfall %g, need %g − max flow %g = %g", trial, m.net.Products[sku].SKU, short, need, flow, need-flow)
			}
			if need > 0 {
				checked++
			}
		}
		p.Close()
	}
	if checked < 100 {
		t.Errorf("only %d products with a need checked", checked)
	}
}
