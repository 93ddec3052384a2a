package optimize

import (
	"gonum.org/v1/gonum/graph/path"
)

// fastestDays returns the shortest transit in days from src to dst over
// any path, +Inf when none. O((V+E) log V).
func (r *Router) fastestDays(src, dst int) float64 {
	d := r.fastestFrom(src)
	return d[dst]
}

// fastestFrom returns the shortest transit in days from src to every site
// (+Inf where unreachable), by Dijkstra on transit days: O((V+E) log V).
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
