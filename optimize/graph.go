package optimize

import (
	"math"
	"sort"

	"gonum.org/v1/gonum/graph"
	"gonum.org/v1/gonum/graph/iterator"
	"gonum.org/v1/gonum/graph/simple"
)

// laneGraph is the lane network seen as a weighted directed graph for one
// weighting (a carbon price, or transit days): node i is site i of the
// network, and between two sites it keeps the one lane of least weight
// among all parallel lanes (ties go to the shorter transit, then to the
// lower lane index). Keeping the least-weight lane per ordered pair loses
// no shortest path: any path using a heavier parallel lane is improved by
// swapping it for the lighter one. Paths under a transit limit need the
// parallel lanes too; they use Router.constrained, not this graph.
//
// The adjacency is stored as compressed rows (CSR) sorted by target so that
// From is a slice view and Weight a binary search; it implements
// graph.WeightedDirected for gonum's path package.
type laneGraph struct {
	nodes []graph.Node // simple.Node(i) for every site i
	off   []int32      // row offsets: successors of i are [off[i], off[i+1])
	to    []int32      // successor site of each entry
	succ  []graph.Node // nodes[to[k]], so that From needs no allocation but the iterator
	lane  []int32      // the lane kept for each entry
	w     []float64    // its weight
}

var _ graph.WeightedDirected = (*laneGraph)(nil)

// newLaneGraph builds the graph of nSites sites over lanes, weighting each
// lane by weight(i). O(L log L) for L lanes.
func newLaneGraph(nSites int, lanes []laneData, weight func(i int) float64) *laneGraph {
	type entry struct {
		from, to int32
		lane     int32
		w, days  float64
	}
	es := make([]entry, len(lanes))
	for i, l := range lanes {
		es[i] = entry{from: l.from, to: l.to, lane: int32(i), w: weight(i), days: l.days}
	}
	sort.Slice(es, func(a, b int) bool {
		x, y := es[a], es[b]
		if x.from != y.from {
			return x.from < y.from
		}
		if x.to != y.to {
			return x.to < y.to
		}
		if x.w != y.w {
			return x.w < y.w
		}
		if x.days != y.days {
			return x.days < y.days
		}
		return x.lane < y.lane
	})
	g := &laneGraph{
		nodes: make([]graph.Node, nSites),
		off:   make([]int32, nSites+1),
	}
	for i := range g.nodes {
		g.nodes[i] = simple.Node(i)
	}
	for k, e := range es {
		if k > 0 && es[k-1].from == e.from && es[k-1].to == e.to {
			continue // a heavier parallel lane
		}
		g.to = append(g.to, e.to)
		g.succ = append(g.succ, g.nodes[e.to])
		g.lane = append(g.lane, e.lane)
		g.w = append(g.w, e.w)
		g.off[e.from+1]++
	}
	for i := 1; i <= nSites; i++ {
		g.off[i] += g.off[i-1]
	}
	return g
}

// find returns the entry of the edge u->v, or -1.
func (g *laneGraph) find(u, v int64) int {
	if u < 0 || u >= int64(len(g.nodes)) || v < 0 || v >= int64(len(g.nodes)) {
		return -1
	}
	lo, hi := int(g.off[u]), int(g.off[u+1])
	k := lo + sort.Search(hi-lo, func(i int) bool { return int64(g.to[lo+i]) >= v })
	if k < hi && int64(g.to[k]) == v {
		return k
	}
	return -1
}

// Node implements graph.Graph.
func (g *laneGraph) Node(id int64) graph.Node {
	if id < 0 || id >= int64(len(g.nodes)) {
		return nil
	}
	return g.nodes[id]
}

// Nodes implements graph.Graph.
func (g *laneGraph) Nodes() graph.Nodes { return iterator.NewOrderedNodes(g.nodes) }

// From implements graph.Graph: the successors of id.
func (g *laneGraph) From(id int64) graph.Nodes {
	if id < 0 || id >= int64(len(g.nodes)) || g.off[id] == g.off[id+1] {
		return graph.Empty
	}
	return iterator.NewOrderedNodes(g.succ[g.off[id]:g.off[id+1]])
}

// To implements graph.Directed: the predecessors of id. O(E).
func (g *laneGraph) To(id int64) graph.Nodes {
	var ns []graph.Node
	for u := range g.nodes {
		if g.find(int64(u), id) >= 0 {
			ns = append(ns, g.nodes[u])
		}
	}
	if len(ns) == 0 {
		return graph.Empty
	}
	return iterator.NewOrderedNodes(ns)
}

// HasEdgeBetween implements graph.Graph.
func (g *laneGraph) HasEdgeBetween(xid, yid int64) bool {
	return g.find(xid, yid) >= 0 || g.find(yid, xid) >= 0
}

// HasEdgeFromTo implements graph.Directed.
func (g *laneGraph) HasEdgeFromTo(uid, vid int64) bool { return g.find(uid, vid) >= 0 }

// Edge implements graph.Graph.
func (g *laneGraph) Edge(uid, vid int64) graph.Edge {
	e := g.WeightedEdge(uid, vid)
	if e == nil {
		return nil
	}
	return e
}

// WeightedEdge implements graph.Weighted.
func (g *laneGraph) WeightedEdge(uid, vid int64) graph.WeightedEdge {
	k := g.find(uid, vid)
	if k < 0 {
		return nil
	}
	return simple.WeightedEdge{F: g.nodes[uid], T: g.nodes[vid], W: g.w[k]}
}

// Weight implements graph.Weighted and path.Weighted: the weight of the
// kept lane u->v, 0 for u == v.
func (g *laneGraph) Weight(xid, yid int64) (float64, bool) {
	if xid == yid {
		return 0, true
	}
	k := g.find(xid, yid)
	if k < 0 {
		return 0, false
	}
	return g.w[k], true
}

// dijkstra computes the least weight from site src to every site into
// dist (+Inf where unreachable) and the lane into each site on its
// cheapest path into pred (−1 for src and where unreachable), both with one
// entry per site, and returns order with the reached sites appended in the
// order they settled (src first; a site's tree parent always before it).
//
// It is Dijkstra's algorithm on the compressed rows with a binary heap of
// (weight, site) pairs and lazy deletion, O((V+E) log V) time and O(E)
// extra space, and no allocation per edge; heap is the storage of its
// heap, kept by the caller for the next call. gonum's path.DijkstraFrom on
// the same graph gives the same distances (tested); it was measured about
// three times as fast as networkx, short of the five times this project
// targets, because of its map of node ids and the interface boxing of its
// heap. Ties go to the first path found, so the tree is acyclic even over
// lanes of zero weight.
func (g *laneGraph) dijkstra(src int, dist []float64, pred []int32, order []int32, heap *distHeap) []int32 {
	for i := range dist {
		dist[i] = math.Inf(1)
		pred[i] = -1
	}
	dist[src] = 0
	h := append((*heap)[:0], distItem{0, int32(src)})
	defer func() { *heap = h[:0] }()
	for len(h) > 0 {
		top := h.pop()
		u := top.node
		if top.dist > dist[u] {
			continue // stale entry
		}
		order = append(order, u)
		for k := g.off[u]; k < g.off[u+1]; k++ {
			v := g.to[k]
			if d := top.dist + g.w[k]; d < dist[v] {
				dist[v] = d
				pred[v] = g.lane[k]
				h.push(distItem{d, v})
			}
		}
	}
	return order
}

// distItem is a heap entry: a tentative weight of a site.
type distItem struct {
	dist float64
	node int32
}

// distHeap is a binary min-heap of distItem by dist.
type distHeap []distItem

func (h *distHeap) push(x distItem) {
	*h = append(*h, x)
	a := *h
	i := len(a) - 1
	for i > 0 {
		p := (i - 1) / 2
		if a[p].dist <= x.dist {
			break
		}
		a[i] = a[p]
		i = p
	}
	a[i] = x
}

func (h *distHeap) pop() distItem {
	a := *h
	top := a[0]
	last := a[len(a)-1]
	a = a[:len(a)-1]
	*h = a
	n := len(a)
	if n == 0 {
		return top
	}
	i := 0
	for {
		c := 2*i + 1
		if c >= n {
			break
		}
		if c+1 < n && a[c+1].dist < a[c].dist {
			c++
		}
		if last.dist <= a[c].dist {
			break
		}
		a[i] = a[c]
		i = c
	}
	a[i] = last
	return top
}
