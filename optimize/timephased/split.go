package timephased

import (
	"cmp"
	"context"
	"fmt"
	"math"
	"runtime"
	"slices"
	"sync"
	"time"

	"github.com/sillage/sillage"
)

// Part is one independent piece of a plan: a product group with its own
// Input (a network holding only its products, their stock, demand and
// supply) and its share of the capacities it shares with other parts.
// Each part is planned with Plan on its own, in this process (PlanSplit)
// or as its own Temporal activity on any worker (see Split), and the
// results are put together with Merge.
type Part struct {
	Index int      `json:"index"`
	SKUs  []string `json:"skus"`
	Input *Input   `json:"-"`
	// Shared counts the capacities (sites with a storage capacity and
	// lanes with a kg capacity) that this part's products share with
	// other parts' and whose capacity was therefore apportioned. Zero for
	// every part means the split is exact: the parts share no row of the
	// model, and the merged plan equals the monolithic one.
	Shared int `json:"shared"`
}

// SplitOptions choose how Split cuts a plan.
type SplitOptions struct {
	// Parts is the number of product groups wanted; ≤ 1 means one part
	// (no split). There are never more parts than products with demand.
	Parts int
	// Progress, when set, is called by PlanSplit after each part is
	// planned (from the part's goroutine, one call at a time) with the
	// number of parts done, their total and the part's result.
	Progress func(done, total int, part *Result)
}

// Split cuts in into product groups that are planned apart. Products are
// ordered by (maison, class, SKU) and cut into at most Parts groups of
// nearly equal size: the number of sites with demand for the group's
// products over the horizon, which the model's rows and columns grow
// with, so that the parts take about the same time; a maison's products
// stay together. Supplier capacity is per product, so never shared; what
// products of different groups may share is a site's storage and a lane's
// kg capacity. Those are apportioned:
//
//   - a site's storage capacity by each group's weight at the site: its
//     on hand + in transit + demand over the horizon, plus 10⁻³ unit per
//     product so that no group gets nothing;
//   - a lane's kg capacity by each group's share of the network's demand
//     in kg over the horizon.
//
// The split is exact when no capacity is shared (Part.Shared is 0 for
// every part): the model is then block-diagonal over the groups, and the
// merged plan has the monolithic plan's objective. Otherwise it is a
// restriction of the monolithic model (each group sees only its share of
// a shared capacity) and its cost is an upper bound on the monolithic
// optimum; bench-optimize reports the gap.
//
// To run the parts as Temporal activities (as the PlanWorkflow does: see
// package activities, SplitHorizon and SolveHorizonPart), store the
// parts' SKUs once; each activity rebuilds the Input, cuts it into the
// stored groups with SplitGroups (Split itself follows demand, which may
// move between the split and the part), plans its own part and stores
// its Result; Merge then joins the results in part order.
//
// O(stock + demand + lanes · parts + products log products).
func Split(in *Input, so SplitOptions) ([]Part, error) {
	h, err := in.horizon()
	if err != nil {
		return nil, err
	}
	n := in.Network
	demand := in.Demand
	if demand == nil {
		demand = defaultDemand(n, h)
	}
	products := n.ProductIndex()
	// A product's weight is its number of series with demand (site and
	// product pairs), which its balances and columns grow with; its units
	// would put a long tail of slow sellers into one huge part.
	units := make([]float64, len(n.Products))
	for _, s := range demand {
		if sum(s.Units) > 0 {
			units[products[s.SKU]]++
		}
	}
	order := make([]int, len(n.Products))
	for i := range order {
		order[i] = i
	}
	slices.SortFunc(order, func(a, b int) int {
		pa, pb := n.Products[a], n.Products[b]
		return cmp.Or(cmp.Compare(pa.Maison, pb.Maison), cmp.Compare(pa.Class, pb.Class), cmp.Compare(pa.SKU, pb.SKU))
	})
	parts := max(1, so.Parts)
	total := 0.0
	for _, u := range units {
		total += u
	}
	// A product goes to the group its weight's midpoint falls in, counted
	// along the ordered products (products without demand go with their
	// neighbours); empty groups are dropped.
	group := make([]int, len(n.Products))
	acc, ng, last := 0.0, 0, -1
	for _, k := range order {
		g := 0
		if total > 0 {
			g = min(parts-1, int(float64(parts)*(acc+units[k]/2)/total))
		}
		if g != last {
			ng++
			last = g
		}
		group[k] = ng - 1
		acc += units[k]
	}
	return splitGroups(in, h, demand, group, ng)
}

// SplitGroups cuts in into the given product groups, one Part per group
// in the order given, with the capacities they share apportioned as Split
// does. It lets a part planned apart (its own Temporal activity, perhaps
// on another worker and later) be rebuilt from the groups that Split chose
// once: Split's grouping follows demand, which the store's sales may move
// between the split and the part. Every product of the network must be in
// exactly one group (a group may not be empty); the error wraps
// sillage.ErrInvalid otherwise. O(stock + demand + lanes · groups).
func SplitGroups(in *Input, groups [][]string) ([]Part, error) {
	h, err := in.horizon()
	if err != nil {
		return nil, err
	}
	n := in.Network
	products := n.ProductIndex()
	group := make([]int, len(n.Products))
	for k := range group {
		group[k] = -1
	}
	for g, skus := range groups {
		if len(skus) == 0 {
			return nil, fmt.Errorf("%w: split group %d of %d has no product", sillage.ErrInvalid, g+1, len(groups))
		}
		for _, sku := range skus {
			k, ok := products[sku]
			if !ok {
				return nil, fmt.Errorf("%w: split group %d: network %q has no product %q", sillage.ErrInvalid, g+1, n.Name, sku)
			}
			if group[k] >= 0 {
				return nil, fmt.Errorf("%w: split groups %d and %d both hold product %q", sillage.ErrInvalid, group[k]+1, g+1, sku)
			}
			group[k] = g
		}
	}
	for k, g := range group {
		if g < 0 {
			return nil, fmt.Errorf("%w: product %q is in no split group", sillage.ErrInvalid, n.Products[k].SKU)
		}
	}
	demand := in.Demand
	if demand == nil {
		demand = defaultDemand(n, h)
	}
	return splitGroups(in, h, demand, group, len(groups))
}

// splitGroups builds one Part per group of products (group[k] in [0, ng)).
func splitGroups(in *Input, h int, demand []Series, group []int, ng int) ([]Part, error) {
	n := in.Network
	sites, products := n.SiteIndex(), n.ProductIndex()
	// Weights per site and group for storage, per group for lanes.
	siteW := make([][]float64, len(n.Sites))
	for i := range siteW {
		siteW[i] = make([]float64, ng)
	}
	count := make([]float64, ng)
	for k := range n.Products {
		count[group[k]]++
	}
	for _, p := range n.Stock {
		siteW[sites[p.Site]][group[products[p.SKU]]] += p.OnHand + p.InTransit
	}
	kg := make([]float64, ng)
	for _, s := range demand {
		k := products[s.SKU]
		u := sum(s.Units)
		siteW[sites[s.Site]][group[k]] += u
		kg[group[k]] += u * n.Products[k].MassKG
	}
	fwd, bwd := reach(n, demand, group, ng)
	// A group is at a site when it has stock or demand there, or when the
	// site is a DC on a way from its sources to its demand (where the
	// model may give it a balance).
	present := make([][]bool, len(n.Sites))
	for i := range present {
		present[i] = make([]bool, ng)
		for g := range ng {
			present[i][g] = n.Sites[i].Kind == sillage.KindDC && fwd[g][i] && bwd[g][i]
		}
	}
	for _, p := range n.Stock {
		present[sites[p.Site]][group[products[p.SKU]]] = true
	}
	for _, s := range demand {
		present[sites[s.Site]][group[products[s.SKU]]] = true
	}

	out := make([]Part, ng)
	nets := make([]*sillage.Network, ng)
	for g := range ng {
		sub := &sillage.Network{Name: fmt.Sprintf("%s/part-%d", n.Name, g), Policy: n.Policy, Lanes: slices.Clone(n.Lanes), Sites: slices.Clone(n.Sites)}
		nets[g] = sub
		out[g] = Part{Index: g, Input: &Input{Network: sub, Weeks: h, SafetyHard: in.SafetyHard, ServiceLevel: in.ServiceLevel}}
	}
	for _, p := range n.Products {
		g := group[products[p.SKU]]
		nets[g].Products = append(nets[g].Products, p)
		out[g].SKUs = append(out[g].SKUs, p.SKU)
	}
	// Storage: apportioned where more than one group is at the site.
	for i, s := range n.Sites {
		var at []int
		for g := range ng {
			if present[i][g] {
				at = append(at, g)
			}
		}
		if s.CapacityUnits <= 0 || len(at) < 2 {
			continue
		}
		w := siteW[i]
		tot := 0.0
		for _, g := range at {
			tot += w[g] + 1e-3*count[g]
		}
		for _, g := range at {
			out[g].Shared++
			nets[g].Sites[i].CapacityUnits = s.CapacityUnits * (w[g] + 1e-3*count[g]) / tot
		}
	}
	// Lanes: a group may use a lane when its tail is reachable from one of
	// the group's sources and its head reaches the group's demand; a
	// capacity used by more than one group is apportioned by kg of demand.
	for j, l := range n.Lanes {
		if l.CapacityKG <= 0 {
			continue
		}
		from, to := sites[l.From], sites[l.To]
		var use []int
		tot := 0.0
		for g := range ng {
			if fwd[g][from] && bwd[g][to] {
				use = append(use, g)
				tot += kg[g]
			}
		}
		if len(use) < 2 {
			continue
		}
		for _, g := range use {
			share := 1 / float64(len(use))
			if tot > 0 {
				share = kg[g] / tot
			}
			out[g].Shared++
			nets[g].Lanes[j].CapacityKG = math.Max(l.CapacityKG*share, 1e-9)
		}
	}
	for _, p := range n.Stock {
		g := group[products[p.SKU]]
		nets[g].Stock = append(nets[g].Stock, p)
	}
	for _, d := range n.Demand {
		g := group[products[d.SKU]]
		nets[g].Demand = append(nets[g].Demand, d)
	}
	for _, s := range n.Supply {
		g := group[products[s.SKU]]
		nets[g].Supply = append(nets[g].Supply, s)
	}
	for _, s := range demand {
		g := group[products[s.SKU]]
		out[g].Input.Demand = append(out[g].Input.Demand, s)
	}
	for _, s := range in.Safety {
		g := group[products[s.SKU]]
		out[g].Input.Safety = append(out[g].Input.Safety, s)
	}
	for _, a := range in.InTransit {
		g := group[products[a.SKU]]
		out[g].Input.InTransit = append(out[g].Input.InTransit, a)
	}
	if in.InTransit != nil {
		for g := range out {
			if out[g].Input.InTransit == nil {
				out[g].Input.InTransit = []Arrival{} // none, rather than the network's
			}
		}
	}
	for _, t := range in.Terms {
		g := group[products[t.SKU]]
		out[g].Input.Terms = append(out[g].Input.Terms, t)
	}
	for what, m := range map[string]map[string]float64{"price": in.UnitPriceEUR, "margin": in.LostMarginEUR} {
		for sku, v := range m {
			pi := out[group[products[sku]]].Input
			dst := &pi.UnitPriceEUR
			if what == "margin" {
				dst = &pi.LostMarginEUR
			}
			if *dst == nil {
				*dst = map[string]float64{}
			}
			(*dst)[sku] = v
		}
	}
	for g := range out {
		if out[g].Input.Demand == nil {
			out[g].Input.Demand = []Series{} // none, rather than the placeholder
		}
	}
	return out, nil
}

// PlanSplit is PlanSplitContext with a context that is never done.
func PlanSplit(in *Input, opt Options, so SplitOptions) (*Result, []Part, error) {
	return PlanSplitContext(context.Background(), in, opt, so)
}

// PlanSplitContext cuts in with Split and plans the parts in parallel, at most
// GOMAXPROCS at once (each part's solve is single-threaded but for CBC's
// own Options.Threads), then merges them; with Options.Rounding or
// RelaxationOnly each part is solved by a Session (warm rounding). The first error stops it (parts
// already running finish first) and is returned with the part's index.
// When ctx is done no part starts, the parts running stop as PlanContext
// does, and the error wraps ctx.Err().
func PlanSplitContext(ctx context.Context, in *Input, opt Options, so SplitOptions) (*Result, []Part, error) {
	start := time.Now()
	parts, err := Split(in, so)
	if err != nil {
		return nil, nil, err
	}
	results := make([]*Result, len(parts))
	errs := make([]error, len(parts))
	sem := make(chan struct{}, runtime.GOMAXPROCS(0))
	var wg sync.WaitGroup
	var mu sync.Mutex
	failed, done := false, 0
	for i := range parts {
		sem <- struct{}{}
		mu.Lock()
		stop := failed
		mu.Unlock()
		if stop || ctx.Err() != nil {
			<-sem
			break
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			defer func() { <-sem }()
			results[i], errs[i] = planPart(ctx, parts[i].Input, opt)
			mu.Lock()
			defer mu.Unlock()
			if errs[i] != nil {
				failed = true
				return
			}
			done++
			if so.Progress != nil {
				so.Progress(done, len(parts), results[i])
			}
		}()
	}
	wg.Wait()
	if err := ctx.Err(); err != nil {
		return nil, parts, fmt.Errorf("time-phased plan, %d parts: %w", len(parts), err)
	}
	for i, err := range errs {
		if err != nil {
			return nil, parts, fmt.Errorf("time-phased plan, part %d of %d: %w", i+1, len(parts), err)
		}
	}
	res := Merge(results)
	res.Seconds = time.Since(start).Seconds()
	return res, parts, nil
}

// planPart plans one part: through a Session, whose rounding of the
// week-0 orders starts warm from the LP relaxation's basis, when opt asks
// for the rounding heuristic or the relaxation only; else with Plan.
func planPart(ctx context.Context, in *Input, opt Options) (*Result, error) {
	if !opt.Rounding && !opt.RelaxationOnly {
		return PlanContext(ctx, in, opt)
	}
	s, res, err := NewSessionContext(ctx, in, opt)
	if err != nil {
		return nil, err
	}
	s.Close()
	return res, nil
}

// Merge puts the results of the parts of one plan together, in the order
// given: lines, projections, serve costs and bindings are concatenated
// (a binding of an apportioned capacity is the value of one more unit of
// that part's share), totals, rows and columns summed, the MIP objective
// and bound summed and its gap recomputed; the MIP status is the first
// part's that is not "optimal", and its method the first part's that is
// not MethodNone. Seconds fields are sums of the parts' (CPU-like: the
// parts may have run in parallel). Nil results are skipped. O(total size).
func Merge(results []*Result) *Result {
	res := &Result{MIP: MIP{Status: "optimal", Method: MethodNone}}
	for i, r := range results {
		if r == nil {
			continue
		}
		res.Weeks, res.ServiceLevel = r.Weeks, r.ServiceLevel
		res.Lines = append(res.Lines, r.Lines...)
		res.Projected = append(res.Projected, r.Projected...)
		res.ServeCost = append(res.ServeCost, r.ServeCost...)
		res.Bindings = append(res.Bindings, r.Bindings...)
		if r.MIP.Status != "optimal" && res.MIP.Status == "optimal" {
			res.MIP.Status = r.MIP.Status
		}
		if r.MIP.Method != MethodNone && res.MIP.Method == MethodNone {
			res.MIP.Method = r.MIP.Method
		}
		res.MIP.Seconds += r.MIP.Seconds
		res.MIP.ObjectiveEUR += r.MIP.ObjectiveEUR
		res.MIP.BoundEUR += r.MIP.BoundEUR
		res.MIP.Integers += r.MIP.Integers
		res.Totals.add(r.Totals)
		res.LPObjectiveEUR += r.LPObjectiveEUR
		res.Rows += r.Rows
		res.Columns += r.Columns
		res.BuildSeconds += r.BuildSeconds
		res.LPSeconds += r.LPSeconds
		res.Seconds += r.Seconds
		for _, note := range r.Notes {
			res.Notes = append(res.Notes, fmt.Sprintf("part %d: %s", i+1, note))
		}
	}
	res.MIP.Gap = relGap(res.MIP.ObjectiveEUR, res.MIP.BoundEUR)
	return res
}

// reach returns, per group, the sites reachable over lanes from the
// group's sources (its suppliers with capacity and the DCs holding or
// expecting its stock; any DC a supplier reaches can become one) and the
// sites from which the group's demand is reachable. O(groups · (sites +
// lanes)).
func reach(n *sillage.Network, demand []Series, group []int, ng int) (fwd, bwd [][]bool) {
	sites, products := n.SiteIndex(), n.ProductIndex()
	out := make([][]int, len(n.Sites))
	in := make([][]int, len(n.Sites))
	for _, l := range n.Lanes {
		a, b := sites[l.From], sites[l.To]
		out[a] = append(out[a], b)
		in[b] = append(in[b], a)
	}
	seedF := make([][]int, ng)
	seedB := make([][]int, ng)
	for _, s := range n.Supply {
		if s.CapacityUnits > 0 {
			g := group[products[s.SKU]]
			seedF[g] = append(seedF[g], sites[s.Supplier])
		}
	}
	for _, p := range n.Stock {
		if p.OnHand+p.InTransit > 0 && n.Sites[sites[p.Site]].Kind == sillage.KindDC {
			g := group[products[p.SKU]]
			seedF[g] = append(seedF[g], sites[p.Site])
		}
	}
	for _, s := range demand {
		if sum(s.Units) > 0 {
			g := group[products[s.SKU]]
			seedB[g] = append(seedB[g], sites[s.Site])
		}
	}
	bfs := func(seeds []int, adj [][]int) []bool {
		seen := make([]bool, len(n.Sites))
		queue := slices.Clone(seeds)
		for _, v := range seeds {
			seen[v] = true
		}
		for len(queue) > 0 {
			v := queue[0]
			queue = queue[1:]
			for _, w := range adj[v] {
				if !seen[w] {
					seen[w] = true
					queue = append(queue, w)
				}
			}
		}
		return seen
	}
	fwd, bwd = make([][]bool, ng), make([][]bool, ng)
	for g := range ng {
		fwd[g] = bfs(seedF[g], out)
		bwd[g] = bfs(seedB[g], in)
	}
	return fwd, bwd
}
