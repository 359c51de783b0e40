package recommenders

import "math"

// topK selects the k best (score, item) pairs: higher score first, ties
// broken by item index ascending, so that the selection is deterministic.
// It keeps a bounded min-heap whose root is the worst pair kept, and
// reuses its buffers from call to call (one topK per worker).
type topK struct {
	items  []int32
	scores []float64
}

// below reports whether pair a ranks below pair b.
func below(sa float64, ia int32, sb float64, ib int32) bool {
	return sa < sb || (sa == sb && ia > ib)
}

func (h *topK) reset(k int) {
	if cap(h.items) < k {
		h.items = make([]int32, 0, k)
		h.scores = make([]float64, 0, k)
	}
	h.items, h.scores = h.items[:0], h.scores[:0]
}

// offer considers one pair when the heap may hold k pairs.
func (h *topK) offer(item int32, score float64, k int) {
	n := len(h.items)
	if n < k {
		h.items = append(h.items, item)
		h.scores = append(h.scores, score)
		h.up(n)
		return
	}
	if n == 0 || !below(h.scores[0], h.items[0], score, item) {
		return
	}
	h.items[0], h.scores[0] = item, score
	h.down(0, n)
}

func (h *topK) up(j int) {
	for j > 0 {
		p := (j - 1) / 2
		if !below(h.scores[j], h.items[j], h.scores[p], h.items[p]) {
			break
		}
		h.swap(j, p)
		j = p
	}
}

func (h *topK) down(j, n int) {
	for {
		c := 2*j + 1
		if c >= n {
			return
		}
		if r := c + 1; r < n && below(h.scores[r], h.items[r], h.scores[c], h.items[c]) {
			c = r
		}
		if !below(h.scores[c], h.items[c], h.scores[j], h.items[j]) {
			return
		}
		h.swap(j, c)
		j = c
	}
}

func (h *topK) swap(a, b int) {
	h.items[a], h.items[b] = h.items[b], h.items[a]
	h.scores[a], h.scores[b] = h.scores[b], h.scores[a]
}

// sorted orders the kept pairs best first (heap sort: the worst pair goes
// to the end) and returns them. They are valid until the next selection.
func (h *topK) sorted() ([]int32, []float64) {
	for end := len(h.items) - 1; end > 0; end-- {
		h.swap(0, end)
		h.down(0, end)
	}
	return h.items, h.scores
}

// dense selects the k best items of scores (one score per item) whose
// score is above floor, skipping the items of exclude (sorted ascending).
// NaN scores are never selected. It returns the items and their scores,
// best first, valid until the next selection.
func (h *topK) dense(scores []float64, exclude []int32, k int, floor float64) ([]int32, []float64) {
	k = min(k, len(scores))
	h.reset(k)
	if k == 0 {
		return h.items, h.scores
	}
	x := 0
	for i, s := range scores {
		for x < len(exclude) && exclude[x] < int32(i) {
			x++
		}
		if x < len(exclude) && exclude[x] == int32(i) {
			continue
		}
		if s > floor {
			h.offer(int32(i), s, k)
		}
	}
	return h.sorted()
}

// sparse selects, like dense, among the candidate items cands only (which
// must be distinct). The caller excludes items by giving them a score of
// at most floor, or NaN.
func (h *topK) sparse(scores []float64, cands []int32, k int, floor float64) ([]int32, []float64) {
	k = min(k, len(cands))
	h.reset(k)
	if k == 0 {
		return h.items, h.scores
	}
	for _, i := range cands {
		if s := scores[i]; s > floor {
			h.offer(i, s, k)
		}
	}
	return h.sorted()
}

// excluded is the score that sparse selections never pick.
var excluded = math.Inf(-1)

// accumulator is a dense score vector with a list of the entries touched
// since the last reset, so that a sparse accumulation costs only what it
// touches. Entries are reset lazily through a stamp per entry.
type accumulator struct {
	vals    []float64
	stamp   []int32
	touched []int32
	cur     int32
}

func newAccumulator(n int) *accumulator {
	a := &accumulator{vals: make([]float64, n), stamp: make([]int32, n)}
	return a
}

// reset starts a new accumulation. It must be called before the first.
func (a *accumulator) reset() {
	a.touched = a.touched[:0]
	a.cur++
	if a.cur == math.MaxInt32 { // stamps wrap: clear them
		clear(a.stamp)
		a.cur = 1
	}
}

// add adds w to entry i.
func (a *accumulator) add(i int32, w float64) {
	if a.stamp[i] != a.cur {
		a.stamp[i] = a.cur
		a.vals[i] = w
		a.touched = append(a.touched, i)
		return
	}
	a.vals[i] += w
}

// has reports whether entry i was touched since the last reset.
func (a *accumulator) has(i int32) bool { return a.stamp[i] == a.cur }
