package optimize

import (
	"fmt"
	"sync"
	"sync/atomic"

	"github.com/sillage/sillage"
)

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

// routesInto builds the routes of Routes in b's storage, in one pass over
// the tree's settle order: O(V + legs copied), see Routes.
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
// From. O((V+E) log V) for the tree (plus the transit-limited search when
// a cheapest path breaks the limit) and O(V + legs) for the routes.
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
// O(S·(V+E) log V) for S sources, shared among the workers.
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
