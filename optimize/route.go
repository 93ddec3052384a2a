package optimize

import (
	"container/heap"
	"fmt"
	"math"
	"sync"
	"sync/atomic"

	"gonum.org/v1/gonum/graph/path"

	"github.com/sillage/sillage"
	"github.com/sillage/sillage/carbon"
)

// daysTol is the tolerance, in days, of transit-limit comparisons.
const daysTol = 1e-9

// laneData is one lane of the network with its figures for one kg.
type laneData struct {
	from, to int32   // site indexes
	cost     float64 // EUR per kg
	kg       float64 // kgCO2e per kg, well-to-wheel
	days     float64 // transit days
	capKG    float64 // kg per review period, 0 for unlimited
	leg      sillage.Leg
}

// RouterOptions configures NewRouter.
type RouterOptions struct {
	// CarbonPriceEURPerT prices emissions, in EUR per tonne CO2e. A lane's
	// weight for one kg is its cost plus this price times its kgCO2e per
	// kg divided by 1000.
	CarbonPriceEURPerT float64
	// Factors gives the emission intensity of each lane; nil means
	// carbon.Default().
	Factors *carbon.Table
}

// Router finds carbon-priced cheapest paths over a network's lanes. It is
// immutable once built and safe for concurrent use.
type Router struct {
	price   float64          // EUR per tCO2e
	sites   []sillage.Site   // the network's sites, by index
	index   map[string]int   // site id -> index
	lanes   []laneData       // the network's lanes, by index
	outOff  []int32          // lanes leaving site i: outLane[outOff[i]:outOff[i+1]]
	outLane []int32          // lane indexes grouped by origin
	w       []float64        // weight of each lane at price, EUR per kg
	g       *laneGraph       // least-weight lane per ordered pair, for Dijkstra
	sources []int            // suppliers and distribution centres
	factors []carbon.Factor  // the emission factor of each lane
	netw    *sillage.Network // the network, read only
}

// NewRouter builds the lane graph of network n (which should have passed
// ApplyDefaults and Validate). It returns an error wrapping
// sillage.ErrInvalid for a lane between unknown sites, a negative cost,
// transit time or distance, or a lane whose emission factor cannot be
// found. O(L log L) for L lanes.
func NewRouter(n *sillage.Network, opt RouterOptions) (*Router, error) {
	if n == nil {
		return nil, fmt.Errorf("%w: nil network", sillage.ErrInvalid)
	}
	if !finiteNonNeg(opt.CarbonPriceEURPerT) {
		return nil, fmt.Errorf("%w: carbon price %v EUR/t must be a finite number >= 0", sillage.ErrInvalid, opt.CarbonPriceEURPerT)
	}
	table := opt.Factors
	if table == nil {
		table = carbon.Default()
	}
	r := &Router{
		price:   opt.CarbonPriceEURPerT,
		sites:   n.Sites,
		index:   n.SiteIndex(),
		lanes:   make([]laneData, len(n.Lanes)),
		factors: make([]carbon.Factor, len(n.Lanes)),
		netw:    n,
	}
	for i, l := range n.Lanes {
		from, okF := r.index[l.From]
		to, okT := r.index[l.To]
		if !okF || !okT {
			return nil, fmt.Errorf("%w: lanes[%d] %s -> %s: unknown site", sillage.ErrInvalid, i, l.From, l.To)
		}
		if !finiteNonNeg(l.CostEURPerKG) || !finiteNonNeg(l.TransitDays) || !finiteNonNeg(l.DistanceKM) || !finiteNonNeg(l.CapacityKG) {
			return nil, fmt.Errorf("%w: lanes[%d] %s -> %s: cost, transit days, distance and capacity must be finite numbers >= 0", sillage.ErrInvalid, i, l.From, l.To)
		}
		leg, f, err := laneLeg(table, l)
		if err != nil {
			return nil, fmt.Errorf("lanes[%d]: %w", i, err)
		}
		r.factors[i] = f
		r.lanes[i] = laneData{
			from: int32(from), to: int32(to),
			cost: l.CostEURPerKG, kg: leg.KgCO2ePerKG, days: l.TransitDays, capKG: l.CapacityKG,
			leg: leg,
		}
	}
	// Lanes grouped by origin, for the transit-limited search.
	r.outOff = make([]int32, len(r.sites)+1)
	for _, l := range r.lanes {
		r.outOff[l.from+1]++
	}
	for i := 1; i < len(r.outOff); i++ {
		r.outOff[i] += r.outOff[i-1]
	}
	r.outLane = make([]int32, len(r.lanes))
	fill := append([]int32(nil), r.outOff[:len(r.sites)]...)
	for i, l := range r.lanes {
		r.outLane[fill[l.from]] = int32(i)
		fill[l.from]++
	}
	for i, s := range r.sites {
		if s.Kind == sillage.KindSupplier || s.Kind == sillage.KindDC {
			r.sources = append(r.sources, i)
		}
	}
	r.setPrice(opt.CarbonPriceEURPerT)
	return r, nil
}

// laneLeg returns the leg of lane l with its emission intensity from the
// carbon package's factor table: distance_km × WTW / 1000 kgCO2e per kg.
func laneLeg(t *carbon.Table, l sillage.Lane) (sillage.Leg, carbon.Factor, error) {
	return t.Leg(l)
}

// setPrice computes the lane weights and the Dijkstra graph for a price.
func (r *Router) setPrice(price float64) {
	r.price = price
	r.w = make([]float64, len(r.lanes))
	for i, l := range r.lanes {
		r.w[i] = l.cost + price*l.kg/1000
	}
	r.g = newLaneGraph(len(r.sites), r.lanes, func(i int) float64 { return r.w[i] })
}

// WithCarbonPrice returns a router over the same lanes for another carbon
// price, in EUR per tCO2e. O(L log L).
func (r *Router) WithCarbonPrice(price float64) (*Router, error) {
	if !finiteNonNeg(price) {
		return nil, fmt.Errorf("%w: carbon price %v EUR/t must be a finite number >= 0", sillage.ErrInvalid, price)
	}
	c := *r
	c.setPrice(price)
	return &c, nil
}

// CarbonPrice returns the router's carbon price in EUR per tCO2e.
func (r *Router) CarbonPrice() float64 { return r.price }

// Sources returns the ids of the suppliers and distribution centres, in
// network order.
func (r *Router) Sources() []string {
	ids := make([]string, len(r.sources))
	for i, s := range r.sources {
		ids[i] = r.sites[s].ID
	}
	return ids
}

// LaneFactor returns the emission factor used for lane i of the network.
func (r *Router) LaneFactor(i int) carbon.Factor { return r.factors[i] }

// Route is a path of lanes from one site to another, with the figures for
// one kg carried along it.
type Route struct {
	From         string        `json:"from"`
	To           string        `json:"to"`
	Legs         []sillage.Leg `json:"legs"`
	CostEURPerKG float64       `json:"cost_eur_per_kg"` // transport cost of one kg
	KgCO2ePerKG  float64       `json:"kgco2e_per_kg"`   // well-to-wheel emissions of one kg
	TransitDays  float64       `json:"transit_days"`
	// WeightEURPerKG is the generalised cost of one kg at the router's
	// carbon price: CostEURPerKG + price × KgCO2ePerKG / 1000.
	WeightEURPerKG float64 `json:"weight_eur_per_kg"`
	// Lanes holds the index in Network.Lanes of each leg.
	Lanes []int `json:"-"`
}

// Route returns the cheapest path from one site to another at the router's
// carbon price whose transit takes at most maxDays days (0 means no limit).
// When the cheapest path is too slow it returns the cheapest path within the
// limit. Errors wrap ErrUnknownSite, ErrNoPath or ErrTooSlow (with the
// fastest transit that exists). A route from a site to itself has no legs.
func (r *Router) Route(from, to string, maxDays float64) (*Route, error) {
	if !finiteNonNeg(maxDays) {
		return nil, fmt.Errorf("%w: transit limit %v days must be a finite number >= 0", sillage.ErrInvalid, maxDays)
	}
	s, ok := r.index[from]
	if !ok {
		return nil, fmt.Errorf("%w %q", ErrUnknownSite, from)
	}
	t, ok := r.index[to]
	if !ok {
		return nil, fmt.Errorf("%w %q", ErrUnknownSite, to)
	}
	tree := r.tree(s, maxDays)
	return tree.route(t)
}

// Tree holds the cheapest paths from one source to every site, computed by
// Router.From: a shortest-path tree (the lane into each site) plus, for the
// sites whose cheapest path breaks the transit limit, the cheapest path
// within it. The figures of every site are computed with the tree; the
// legs of a path are built on demand by To.
type Tree struct {
	r       *Router
	src     int
	maxDays float64
	pred    []int32         // lane into each site on its cheapest path; −1 for the source and where there is none
	order   []int32         // the reached sites in the order they settled, the source first
	fig     []float64       // storage of cost, kg, days and weight
	heap    distHeap        // Dijkstra's heap, kept for reuse
	whole   map[int][]int32 // sites whose path is held whole: the cheapest within the transit limit
	status  []uint8         // pathOK, pathNone or pathSlow per site
	// Figures of the path to each site, per kg.
	cost, kg, days, weight []float64
}

// From returns the cheapest paths from site source to every site, within
// maxDays days of transit (0: no limit). It runs Dijkstra's algorithm once
// (laneGraph.dijkstra, O((V+E) log V)) and, only when some cheapest path
// breaks the limit, the transit-limited label-setting search (see
// Router.constrained).
func (r *Router) From(source string, maxDays float64) (*Tree, error) {
	if !finiteNonNeg(maxDays) {
		return nil, fmt.Errorf("%w: transit limit %v days must be a finite number >= 0", sillage.ErrInvalid, maxDays)
	}
	s, ok := r.index[source]
	if !ok {
		return nil, fmt.Errorf("%w %q", ErrUnknownSite, source)
	}
	return r.tree(s, maxDays), nil
}

// AllSources returns the trees of every supplier and distribution centre,
// in network order, within maxDays days (0: no limit): the cheapest path
// from every source to every site with its cost, emissions and transit
// (Tree.Figures), legs on demand (Tree.To).
func (r *Router) AllSources(maxDays float64) ([]*Tree, error) {
	if !finiteNonNeg(maxDays) {
		return nil, fmt.Errorf("%w: transit limit %v days must be a finite number >= 0", sillage.ErrInvalid, maxDays)
	}
	out := make([]*Tree, len(r.sources))
	for i, s := range r.sources {
		out[i] = r.tree(s, maxDays)
	}
	return out, nil
}

// To returns the path of the tree to a site; see Router.Route for errors.
func (t *Tree) To(site string) (*Route, error) {
	i, ok := t.r.index[site]
	if !ok {
		return nil, fmt.Errorf("%w %q", ErrUnknownSite, site)
	}
	return t.route(i)
}

// Figures returns the cost (EUR per kg), emissions (kgCO2e per kg) and
// transit days of the path to a site; ok is false when there is none
// (within the limit) or the site is unknown.
func (t *Tree) Figures(site string) (costEURPerKG, kgCO2ePerKG, transitDays float64, ok bool) {
	i, found := t.r.index[site]
	if !found || t.status[i] != pathOK {
		return 0, 0, 0, false
	}
	return t.cost[i], t.kg[i], t.days[i], true
}

// Lanes returns the path to a site as indexes into Network.Lanes, in
// order (empty for the source itself): the light form of To, without
// legs. Errors are those of To.
func (t *Tree) Lanes(site string) ([]int, error) {
	i, ok := t.r.index[site]
	if !ok {
		return nil, fmt.Errorf("%w %q", ErrUnknownSite, site)
	}
	if t.status[i] != pathOK {
		_, err := t.route(i)
		return nil, err
	}
	if w, ok := t.whole[i]; ok {
		out := make([]int, len(w))
		for k, l := range w {
			out[k] = int(l)
		}
		return out, nil
	}
	n := 0
	for v := i; v != t.src; v = int(t.r.lanes[t.pred[v]].from) {
		n++
	}
	out := make([]int, n)
	for v := i; v != t.src; v = int(t.r.lanes[t.pred[v]].from) {
		n--
		out[n] = int(t.pred[v])
	}
	return out, nil
}

// Routes returns the route from the tree's source to every site, in the
// order of the network's sites: Routes()[i] goes to site i, and is nil
// where there is none (To gives the reason). Each route equals what To
// returns for its site — the same legs, lanes and figures — but all are
// built in one pass over the tree into a few allocations, where To builds
// one route at a time. See RouteSet for a form that allocates nothing
// from one source to the next.
//
// The legs (and lanes) of the routes share storage: the route to a
// site's first child in the tree extends the site's route in place, so
// that building every route copies O(V + Σ (children(u) − 1)·depth(u))
// legs rather than O(Σ depth).
// Each Legs and Lanes slice is capped to its own length, so appending to
// one never changes another; but its elements may be another route's
// too: copy a route's slices before changing their elements.
func (t *Tree) Routes() []*Route {
	var b routeBuf
	return t.routesInto(&b)
}

// routeBuf is the storage of the routes of a tree, kept by a RouteSet for
// reuse.
type routeBuf struct {
	out    []*Route
	routes []Route
	legs   []sillage.Leg
	lanes  []int
	ints   []int32 // scratch for routesInto
	stack  []int32
}

// grow returns s with length n, reallocated only when its capacity is
// short (or s is nil: the result is never nil).
func grow[T any](s []T, n int) []T {
	if s == nil || cap(s) < n {
		return make([]T, n)
	}
	return s[:n]
}

// routesInto builds the routes of Routes in b's storage.
func (t *Tree) routesInto(b *routeBuf) []*Route {
	r := t.r
	n := len(r.sites)
	b.out = grow(b.out, n)
	clear(b.out)
	count := 0
	for v := range n {
		if t.status[v] == pathOK {
			count++
		}
	}
	b.routes = grow(b.routes, count)
	next := 0
	route := func(v int) *Route {
		rt := &b.routes[next]
		next++
		*rt = Route{From: r.sites[t.src].ID, To: r.sites[v].ID,
			CostEURPerKG: t.cost[v], KgCO2ePerKG: t.kg[v], TransitDays: t.days[v], WeightEURPerKG: t.weight[v]}
		b.out[v] = rt
		return rt
	}

	// Scratch: the child lists, depths and slab positions.
	b.ints = grow(b.ints, 6*n+1)
	clear(b.ints)
	first, child, fill := b.ints[:n+1], b.ints[n+1:2*n+1], b.ints[2*n+1:3*n+1]
	depth, start, end := b.ints[3*n+1:4*n+1], b.ints[4*n+1:5*n+1], b.ints[5*n+1:]

	// The shortest-path tree as compressed child lists, without the sites
	// over the transit limit (their descendants are over it too: transit
	// days only grow along a path) nor those given a path of their own by
	// the transit-limited search.
	inTree := func(v int) bool { return t.status[v] == pathOK && v != t.src && t.whole[v] == nil }
	for v := range n {
		if inTree(v) {
			first[r.lanes[t.pred[v]].from+1]++
		}
	}
	for i := 1; i <= n; i++ {
		first[i] += first[i-1]
	}
	copy(fill, first[:n])
	for v := range n {
		if inTree(v) {
			u := r.lanes[t.pred[v]].from
			child[fill[u]] = int32(v)
			fill[u]++
		}
	}

	// The slabs are sized exactly beforehand (depths in settlement order,
	// parents first), so that they are allocated at most once.
	size := 0
	for _, v := range t.order[1:] {
		if !inTree(int(v)) {
			continue
		}
		p := r.lanes[t.pred[v]].from
		depth[v] = depth[p] + 1
		if child[first[p]] == v {
			size++
		} else {
			size += int(depth[v])
		}
	}
	for _, w := range t.whole {
		size += len(w)
	}
	legs := grow(b.legs, size)[:0]
	lanes := grow(b.lanes, size)[:0]

	// Depth-first over the tree. start[v], end[v] delimit the legs of v in
	// the slabs. A site's first child is visited right after it, while
	// the site's legs end the slabs: the child's legs are its parent's
	// plus one appended. Later children copy their parent's legs first.
	stack := append(b.stack[:0], int32(t.src))
	for len(stack) > 0 {
		u := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		if int(u) != t.src {
			l := t.pred[u]
			p := r.lanes[l].from
			if int(end[p]) == len(legs) {
				start[u] = start[p]
			} else {
				start[u] = int32(len(legs))
				legs = append(legs, legs[start[p]:end[p]]...)
				lanes = append(lanes, lanes[start[p]:end[p]]...)
			}
			legs = append(legs, r.lanes[l].leg)
			lanes = append(lanes, int(l))
			end[u] = int32(len(legs))
		}
		// Children pushed in reverse so that they are visited in order.
		for k := first[u+1] - 1; k >= first[u]; k-- {
			stack = append(stack, child[k])
		}
	}
	b.stack = stack
	for v := range n {
		if t.status[v] != pathOK {
			continue
		}
		rt := route(v)
		a, e := start[v], end[v]
		if w := t.whole[v]; w != nil {
			a = int32(len(legs))
			for _, l := range w {
				legs = append(legs, r.lanes[l].leg)
				lanes = append(lanes, int(l))
			}
			e = int32(len(legs))
		}
		rt.Legs = legs[a:e:e]
		rt.Lanes = lanes[a:e:e]
	}
	b.legs, b.lanes = legs, lanes
	return b.out
}

// RouteSet holds the cheapest routes from one source to every site, with
// the storage to compute them: Router.RoutesFrom fills it, reusing that
// storage, so that routing from every source in turn allocates nothing
// once the first source is done (unless some path breaks the transit
// limit). The routes it holds, with their legs and lanes, stay valid until
// the next RoutesFrom into the same RouteSet: copy what must outlive it.
// The zero value is ready to use; a RouteSet is not safe for concurrent
// use.
type RouteSet struct {
	tree   Tree
	buf    routeBuf
	routes []*Route
}

// RoutesFrom fills set with the cheapest routes from site source to every
// site within maxDays days of transit (0: no limit), the same as
// From(source, maxDays).Routes() but in set's storage. Errors: those of
// From.
func (r *Router) RoutesFrom(source string, maxDays float64, set *RouteSet) error {
	if !finiteNonNeg(maxDays) {
		return fmt.Errorf("%w: transit limit %v days must be a finite number >= 0", sillage.ErrInvalid, maxDays)
	}
	s, ok := r.index[source]
	if !ok {
		return fmt.Errorf("%w %q", ErrUnknownSite, source)
	}
	r.fillTree(&set.tree, s, maxDays)
	set.routes = set.tree.routesInto(&set.buf)
	return nil
}

// AllRoutes routes from every supplier and distribution centre to every
// site within maxDays days of transit (0: no limit) and calls fn with the
// routes of each source, which are valid during the call only (see
// RouteSet). With workers <= 1 it routes one source after the other, in
// network order, on the calling goroutine. With more it routes that many
// sources at once, each worker in a RouteSet of its own, and fn is called
// from as many goroutines at once, in no set order. The first error fn
// returns stops the routing (sources under way finish) and is returned.
func (r *Router) AllRoutes(maxDays float64, workers int, fn func(source string, set *RouteSet) error) error {
	if !finiteNonNeg(maxDays) {
		return fmt.Errorf("%w: transit limit %v days must be a finite number >= 0", sillage.ErrInvalid, maxDays)
	}
	if fn == nil {
		return fmt.Errorf("%w: AllRoutes needs a function to call", sillage.ErrInvalid)
	}
	route := func(set *RouteSet, s int) error {
		r.fillTree(&set.tree, s, maxDays)
		set.routes = set.tree.routesInto(&set.buf)
		return fn(r.sites[s].ID, set)
	}
	if workers <= 1 {
		var set RouteSet
		for _, s := range r.sources {
			if err := route(&set, s); err != nil {
				return err
			}
		}
		return nil
	}
	var (
		next    atomic.Int64
		stop    atomic.Bool
		errOnce sync.Once
		first   error
		wg      sync.WaitGroup
	)
	for range min(workers, len(r.sources)) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			var set RouteSet
			for !stop.Load() {
				k := int(next.Add(1) - 1)
				if k >= len(r.sources) {
					return
				}
				if err := route(&set, r.sources[k]); err != nil {
					errOnce.Do(func() { first = err })
					stop.Store(true)
					return
				}
			}
		}()
	}
	wg.Wait()
	return first
}

// Routes returns the routes of the set, indexed like the network's sites,
// nil where there is none (see Tree.Routes); nil before the first
// RoutesFrom.
func (s *RouteSet) Routes() []*Route { return s.routes }

// Tree returns the tree the routes come from, for Figures, Lanes and the
// reason where a route is missing (To). It is valid until the next
// RoutesFrom into s; nil before the first.
func (s *RouteSet) Tree() *Tree {
	if s.tree.r == nil {
		return nil
	}
	return &s.tree
}

// Source returns the id of the tree's source.
func (t *Tree) Source() string { return t.r.sites[t.src].ID }

func (t *Tree) route(i int) (*Route, error) {
	if err := t.err(i); err != nil {
		from, to := t.r.sites[t.src].ID, t.r.sites[i].ID
		if err == ErrTooSlow {
			fastest := t.r.fastestDays(t.src, i)
			return nil, fmt.Errorf("%s -> %s: %w of %g days (the fastest path takes %g days)", from, to, ErrTooSlow, t.maxDays, fastest)
		}
		return nil, fmt.Errorf("%s -> %s: %w", from, to, err)
	}
	return t.r.makeRoute(t.src, i, t.lanes(i)), nil
}

// lanes returns the lanes of the path to site i (which has one).
func (t *Tree) lanes(i int) []int32 {
	var rev []int32
	v := i
	for v != t.src {
		if w, ok := t.whole[v]; ok {
			out := make([]int32, 0, len(w)+len(rev))
			out = append(out, w...)
			for k := len(rev) - 1; k >= 0; k-- {
				out = append(out, rev[k])
			}
			return out
		}
		l := t.pred[v]
		rev = append(rev, l)
		v = int(t.r.lanes[l].from)
	}
	for a, b := 0, len(rev)-1; a < b; a, b = a+1, b-1 {
		rev[a], rev[b] = rev[b], rev[a]
	}
	if rev == nil {
		rev = []int32{}
	}
	return rev
}

// makeRoute turns a lane path into a Route.
func (r *Router) makeRoute(src, dst int, lanes []int32) *Route {
	rt := &Route{From: r.sites[src].ID, To: r.sites[dst].ID, Legs: make([]sillage.Leg, len(lanes)), Lanes: make([]int, len(lanes))}
	for k, li := range lanes {
		l := &r.lanes[li]
		rt.Legs[k] = l.leg
		rt.Lanes[k] = int(li)
		rt.CostEURPerKG += l.cost
		rt.KgCO2ePerKG += l.kg
		rt.TransitDays += l.days
		rt.WeightEURPerKG += r.w[li]
	}
	return rt
}

// Path states of the sites of a tree.
const (
	pathOK   uint8 = iota // a path within the limit
	pathNone              // no path at all
	pathSlow              // paths, all over the transit limit
)

// err returns nil, ErrNoPath or ErrTooSlow for site i.
func (t *Tree) err(i int) error {
	switch t.status[i] {
	case pathNone:
		return ErrNoPath
	case pathSlow:
		return ErrTooSlow
	}
	return nil
}

// tree computes the paths from site src to every site within maxDays: a
// shortest-path tree by dijkstra, the figures of each site from its
// parent's in the order the sites settled, and the transit-limited search
// for the sites whose cheapest path is too slow.
func (r *Router) tree(src int, maxDays float64) *Tree {
	t := new(Tree)
	r.fillTree(t, src, maxDays)
	return t
}

// fillTree computes the tree of tree into t, reusing t's storage when it
// has room: it allocates nothing on a tree filled before for a router of
// as many sites (unless some path breaks the transit limit).
func (r *Router) fillTree(t *Tree, src int, maxDays float64) {
	n := len(r.sites)
	if cap(t.fig) < 4*n {
		t.fig = make([]float64, 4*n)
		t.pred = make([]int32, n)
		t.status = make([]uint8, n)
		t.order = make([]int32, 0, n)
	} else {
		clear(t.fig[:4*n])
		clear(t.status[:n])
	}
	fig := t.fig
	*t = Tree{r: r, src: src, maxDays: maxDays, fig: fig, heap: t.heap[:0],
		pred: t.pred[:n], status: t.status[:n], order: t.order[:0],
		cost: fig[:n:n], kg: fig[n : 2*n : 2*n], days: fig[2*n : 3*n : 3*n], weight: fig[3*n : 4*n : 4*n]}
	order := r.g.dijkstra(src, t.weight, t.pred, t.order, &t.heap)
	t.order = order
	for _, v := range order[1:] { // order[0] is src
		l := &r.lanes[t.pred[v]]
		t.cost[v] = t.cost[l.from] + l.cost
		t.kg[v] = t.kg[l.from] + l.kg
		t.days[v] = t.days[l.from] + l.days
	}
	slow := false
	for v := 0; v < n; v++ {
		switch {
		case v == src:
		case t.pred[v] < 0:
			t.status[v] = pathNone
		case maxDays > 0 && t.days[v] > maxDays+daysTol:
			t.status[v] = pathSlow
			slow = true
		}
	}
	if slow {
		best := r.constrained(src, maxDays, r.w)
		for v := 0; v < n; v++ {
			if t.status[v] == pathSlow && best[v] != nil {
				t.setPath(v, best[v])
			}
		}
	}
}

// setPath gives site v an explicit path and its figures.
func (t *Tree) setPath(v int, p []int32) {
	if t.whole == nil {
		t.whole = map[int][]int32{}
	}
	t.whole[v] = p
	t.status[v] = pathOK
	t.cost[v], t.kg[v], t.days[v], t.weight[v] = 0, 0, 0, 0
	for _, l := range p {
		ld := &t.r.lanes[l]
		t.cost[v] += ld.cost
		t.kg[v] += ld.kg
		t.days[v] += ld.days
		t.weight[v] += t.r.w[l]
	}
}

// pathsFrom returns the lanes of the least-weight path from site src to
// each site of dsts whose transit takes at most maxDays days (0: no
// limit), and per site nil, ErrNoPath or ErrTooSlow. The path from src to
// itself is empty.
func (r *Router) pathsFrom(src int, maxDays float64, dsts []int) ([][]int32, []error) {
	t := r.tree(src, maxDays)
	paths := make([][]int32, len(dsts))
	status := make([]error, len(dsts))
	for k, i := range dsts {
		if status[k] = t.err(i); status[k] == nil {
			paths[k] = t.lanes(i)
		}
	}
	return paths, status
}

// label is a state of the transit-limited search: a path from the source
// to node, of weight w and transit days, reached over lane from label pred.
type label struct {
	node, lane, pred int32
	w, days          float64
}

// labelQueue is a binary heap of label indexes ordered by weight, then days.
type labelQueue struct {
	idx    []int32
	labels *[]label
}

func (q *labelQueue) Len() int { return len(q.idx) }
func (q *labelQueue) Less(i, j int) bool {
	a, b := &(*q.labels)[q.idx[i]], &(*q.labels)[q.idx[j]]
	if a.w != b.w {
		return a.w < b.w
	}
	return a.days < b.days
}
func (q *labelQueue) Swap(i, j int) { q.idx[i], q.idx[j] = q.idx[j], q.idx[i] }
func (q *labelQueue) Push(x any)    { q.idx = append(q.idx, x.(int32)) }
func (q *labelQueue) Pop() any {
	n := len(q.idx) - 1
	x := q.idx[n]
	q.idx = q.idx[:n]
	return x
}

// constrained returns, for every site, the lanes of the least-weight path
// from src whose transit takes at most maxDays days (nil where none fits),
// considering every parallel lane. weight gives each lane's weight.
//
// It is a label-setting search for the resource-constrained shortest path
// problem: labels (node, weight, days) are settled in order of weight, then
// days; a label is discarded when a settled label at the same node has no
// more days (it has no more weight either, being settled earlier), and
// extensions beyond maxDays are never created. The first label settled at a
// node is its least-weight path within the limit. Each node keeps a front of
// settled labels with strictly decreasing days, so with K the largest front
// (at most the number of distinct transit sums under the limit; with whole
// days at most maxDays+1) the search costs O(K·E·log(K·E)). The problem is
// NP-hard in general; K stays small on lane networks because transit times
// are few whole days. Weights and days must be >= 0, so no cycle helps and
// every path found is simple.
func (r *Router) constrained(src int, maxDays float64, weight []float64) [][]int32 {
	n := len(r.sites)
	minDays := make([]float64, n)
	first := make([]int32, n)
	for i := range minDays {
		minDays[i] = math.Inf(1)
		first[i] = -1
	}
	labels := []label{{node: int32(src), lane: -1, pred: -1}}
	q := &labelQueue{idx: []int32{0}, labels: &labels}
	limit := maxDays + daysTol
	if maxDays == 0 {
		limit = math.Inf(1)
	}
	for q.Len() > 0 {
		li := heap.Pop(q).(int32)
		l := labels[li]
		if l.days >= minDays[l.node] {
			continue // dominated by a settled label
		}
		minDays[l.node] = l.days
		if first[l.node] < 0 {
			first[l.node] = li
		}
		for _, e := range r.outLane[r.outOff[l.node]:r.outOff[l.node+1]] {
			ln := &r.lanes[e]
			d := l.days + ln.days
			if d > limit || d >= minDays[ln.to] {
				continue
			}
			labels = append(labels, label{node: ln.to, lane: e, pred: li, w: l.w + weight[e], days: d})
			heap.Push(q, int32(len(labels)-1))
		}
	}
	out := make([][]int32, n)
	for i := range out {
		if first[i] < 0 {
			continue
		}
		var p []int32
		for k := first[i]; labels[k].pred >= 0; k = labels[k].pred {
			p = append(p, labels[k].lane)
		}
		for a, b := 0, len(p)-1; a < b; a, b = a+1, b-1 {
			p[a], p[b] = p[b], p[a]
		}
		if p == nil {
			p = []int32{}
		}
		out[i] = p
	}
	return out
}

// fastestDays returns the shortest transit in days from src to dst over
// any path, +Inf when none. O((V+E) log V).
func (r *Router) fastestDays(src, dst int) float64 {
	d := r.fastestFrom(src)
	return d[dst]
}

// fastestFrom returns the shortest transit in days from src to every site
// (+Inf where unreachable), by Dijkstra on transit days.
func (r *Router) fastestFrom(src int) []float64 {
	days := make([]float64, len(r.lanes))
	for i, l := range r.lanes {
		days[i] = l.days
	}
	g := newLaneGraph(len(r.sites), r.lanes, func(i int) float64 { return days[i] })
	sp := path.DijkstraFrom(g.nodes[src], g)
	out := make([]float64, len(r.sites))
	for i := range out {
		out[i] = sp.WeightTo(int64(i))
	}
	return out
}

func finiteNonNeg(v float64) bool { return v >= 0 && !math.IsInf(v, 0) && !math.IsNaN(v) }
