package recommenders

import "github.com/recaudit/recaudit/datasets"

// cooccur computes sparse dot products, the kernel of both neighbourhood
// models. For row x of by (an entity: an item as a row of items × users,
// or a user as a row of users × items) it accumulates
//
//	dot(x, y) = Σ_p by[x, p] · back[p, y]
//
// over the rows p that x touches, where back is the transpose of by's
// matrix, so dot(x, y) is the inner product of the vectors of x and y.
// Weights are the values when useValues is set, else 1.
//
// Two strategies give the same results. When x's rows hold many entries
// compared with the number of entities, the products are accumulated into
// a dense vector (a plain increment per entry for binary data) that is
// scanned once at the end; otherwise into an accumulator that records the
// entries it touches, so that the cost stays proportional to the work. A
// cooccur holds one worker's scratch.
type cooccur struct {
	cnt   []int32   // dense binary counts
	dense []float64 // dense weighted sums
	acc   *accumulator
}

func newCooccur(n int) *cooccur {
	return &cooccur{cnt: make([]int32, n), dense: make([]float64, n), acc: newAccumulator(n)}
}

// run calls emit(y, dot(x, y)) for every y with a non-zero dot product, y
// == x included, in no particular order.
func (c *cooccur) run(x int, by, back *datasets.CSR, useValues bool, emit func(y int32, dot float64)) {
	useValues = useValues && by.Values != nil
	lo, hi := by.Offsets[x], by.Offsets[x+1]
	var work int64
	for _, p := range by.Cols[lo:hi] {
		work += back.Offsets[p+1] - back.Offsets[p]
	}
	n := len(c.cnt)
	switch {
	case work >= int64(n)/4 && !useValues:
		cnt := c.cnt
		for _, p := range by.Cols[lo:hi] {
			for _, y := range back.Cols[back.Offsets[p]:back.Offsets[p+1]] {
				cnt[y]++
			}
		}
		for y, v := range cnt {
			if v != 0 {
				emit(int32(y), float64(v))
				cnt[y] = 0
			}
		}
	case work >= int64(n)/4:
		d := c.dense
		for q := lo; q < hi; q++ {
			p, w := by.Cols[q], float64(by.Values[q])
			for e := back.Offsets[p]; e < back.Offsets[p+1]; e++ {
				d[back.Cols[e]] += w * float64(back.Values[e])
			}
		}
		for y, v := range d {
			if v != 0 {
				emit(int32(y), v)
				d[y] = 0
			}
		}
	default:
		a := c.acc
		a.reset()
		for q := lo; q < hi; q++ {
			p := by.Cols[q]
			w := weightOf(by, useValues, q)
			for e := back.Offsets[p]; e < back.Offsets[p+1]; e++ {
				a.add(back.Cols[e], w*weightOf(back, useValues, e))
			}
		}
		for _, y := range a.touched {
			if v := a.vals[y]; v != 0 {
				emit(y, v)
			}
		}
	}
}
