package optimize

import (
	"fmt"
	"slices"

	"github.com/sillage/sillage"
)

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
// (Tree.Figures), legs on demand (Tree.To). O(S·(V+E) log V) for S
// sources.
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
// as many sites (unless some path breaks the transit limit). O((V+E) log V)
// for Dijkstra and the figures, plus Router.constrained when a cheapest
// path breaks the limit.
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

// Paths is the light form of a Tree: the path to every site from one
// source within a transit limit, without the per-site figures. It holds 5
// bytes per site (plus the whole paths of the sites whose cheapest path
// broke the limit), against about 40 for a Tree, so that a caller can keep
// the paths of many sources and limits at once. Its To gives, bit for bit,
// the Route that Router.Route gives for the same source, site and limit
// (errors aside: see To).
type Paths struct {
	r       *Router
	src     int
	maxDays float64
	pred    []int32
	status  []uint8
	whole   map[int][]int32
}

// PathsFrom returns the paths from site source to every site within
// maxDays days of transit (0: no limit). scratch, when not nil, is a Tree
// whose storage the search reuses (its content is overwritten); the Paths
// shares no storage with it. Cost as Router.From.
func (r *Router) PathsFrom(source string, maxDays float64, scratch *Tree) (*Paths, error) {
	if !finiteNonNeg(maxDays) {
		return nil, fmt.Errorf("%w: transit limit %v days must be a finite number >= 0", sillage.ErrInvalid, maxDays)
	}
	s, ok := r.index[source]
	if !ok {
		return nil, fmt.Errorf("%w %q", ErrUnknownSite, source)
	}
	if scratch == nil {
		scratch = new(Tree)
	}
	r.fillTree(scratch, s, maxDays)
	p := &Paths{r: r, src: s, maxDays: maxDays, pred: slices.Clone(scratch.pred), status: slices.Clone(scratch.status), whole: scratch.whole}
	scratch.whole = nil // now the Paths'
	return p, nil
}

// To returns the path to a site. Errors wrap ErrUnknownSite, ErrNoPath
// or ErrTooSlow as Router.Route's do, but a too-slow error does not name
// the fastest transit (finding it costs a search of its own): callers
// that try limit after limit, as the time-phased plan does, stop at it.
func (p *Paths) To(site string) (*Route, error) {
	i, ok := p.r.index[site]
	if !ok {
		return nil, fmt.Errorf("%w %q", ErrUnknownSite, site)
	}
	t := Tree{r: p.r, src: p.src, maxDays: p.maxDays, pred: p.pred, status: p.status, whole: p.whole}
	if err := t.err(i); err != nil {
		if err == ErrTooSlow {
			return nil, fmt.Errorf("%s -> %s: %w of %g days", p.r.sites[p.src].ID, site, err, p.maxDays)
		}
		return nil, fmt.Errorf("%s -> %s: %w", p.r.sites[p.src].ID, site, err)
	}
	return p.r.makeRoute(p.src, i, t.lanes(i)), nil
}
