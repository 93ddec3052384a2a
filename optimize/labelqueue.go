package optimize

// label is a state of the transit-limited search: a path from the source
// to node, of weight w and transit days, reached over lane from label pred.
type label struct {
	node, lane, pred int32
	w, days          float64
}

// labelQueue is a binary heap (container/heap) of label indexes ordered by
// weight, then days: Push and Pop cost O(log n) for n queued labels.
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
