package optimize

import (
	"container/heap"
	"math"
)

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
