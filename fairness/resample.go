package fairness

import (
	"math"
	"math/bits"
)

// The bootstrap kernel. A resample is represented by how many times each
// user is drawn: the draws increment a compact array of counts (the only
// random memory access), and each column's resampled sum is then a
// sequential dot product of the counts with the column's values. The random
// work is shared by all columns and the per-column work streams through
// memory, so bootstrapping many columns over the same users costs little
// more than one.

// layout holds per-user columns of the users being resampled, group by group
// (group g at positions off[g] to off[g+1], users in their input order), each
// column in its own contiguous slice. Columns that contain NaN store 0 in its
// place and get an extra 0/1 column, whose resampled sum counts the drawn
// users that have a value.
type layout struct {
	cols     [][]float64 // stored columns: the input columns, then the 0/1 columns
	labels   []int32     // group of each position
	off      []int       // group offsets
	nCols    int         // input columns
	validCol []int       // per input column, its 0/1 column, or -1 if it has no NaN
}

// newLayout lays out the users with a group (label ≥ 0). With dropNaN, users
// whose value in the (single) column is NaN are left out as well, so that
// the column has no NaN.
func newLayout(columns [][]float64, groups []int32, numGroups int, dropNaN bool) *layout {
	if numGroups < 0 {
		panic(errNumGroups)
	}
	for _, c := range columns {
		checkGroups(c, groups, numGroups)
	}
	if len(groups) >= math.MaxInt32 {
		panic(errTooMany)
	}
	keep := func(u int) bool {
		return groups[u] >= 0 && !(dropNaN && math.IsNaN(columns[0][u]))
	}
	l := &layout{off: make([]int, numGroups+1), nCols: len(columns), validCol: make([]int, len(columns))}
	w := len(columns)
	for k, c := range columns {
		l.validCol[k] = -1
		for u := range groups {
			if keep(u) && math.IsNaN(c[u]) {
				l.validCol[k] = w
				w++
				break
			}
		}
	}
	for u, g := range groups {
		if keep(u) {
			l.off[g+1]++
		}
	}
	for g := range numGroups {
		l.off[g+1] += l.off[g]
	}
	n := l.off[numGroups]
	l.cols = make([][]float64, w)
	for k := range l.cols {
		l.cols[k] = make([]float64, n)
	}
	l.labels = make([]int32, n)
	next := append([]int(nil), l.off[:numGroups]...)
	for u, g := range groups {
		if !keep(u) {
			continue
		}
		i := next[g]
		next[g]++
		l.labels[i] = g
		for k, c := range columns {
			v := c[u]
			if vc := l.validCol[k]; vc >= 0 {
				if math.IsNaN(v) {
					v = 0
				} else {
					l.cols[vc][i] = 1
				}
			}
			l.cols[k][i] = v
		}
	}
	return l
}

func (l *layout) numGroups() int { return len(l.off) - 1 }

// kernelScratch is one goroutine's scratch space.
type kernelScratch struct {
	cnt  []uint32  // draws per position
	sums []float64 // per group, the resampled sums of the stored columns
	n    []int     // per group, the number of users drawn
	// Second accumulators of the single-column unstratified kernel.
	sums2 []float64
	n2    []int
}

func (l *layout) newScratch() *kernelScratch {
	w, G := len(l.cols), l.numGroups()
	sc := &kernelScratch{sums: make([]float64, G*w), n: make([]int, G), sums2: make([]float64, G*w), n2: make([]int, G)}
	if w > 1 {
		sc.cnt = make([]uint32, len(l.labels))
	}
	return sc
}

// drawCounts adds len(c) uniform draws with replacement from [0, len(c)) to
// the counts c, 0 < len(c) < 2³¹. Each 64-bit draw of the generator gives two
// indices (Lemire's method on each half, see stream.intn); the generator
// state stays in a register.
func drawCounts(r *stream, c []uint32) {
	m := len(c)
	nn := uint64(m)
	n32 := uint32(m)
	st := r.s
	i := 0
	for ; i+2 <= m; i += 2 {
		st += wyInc
		hi, lo := bits.Mul64(st, st^wyMix)
		x := hi ^ lo
		m1 := (x & 0xffffffff) * nn
		m2 := (x >> 32) * nn
		if uint32(m1) < n32 || uint32(m2) < n32 {
			r.s = st
			m1 = r.reject(n32, m1)
			m2 = r.reject(n32, m2)
			st = r.s
		}
		c[m1>>32]++
		c[m2>>32]++
	}
	r.s = st
	if i < m {
		c[r.intn(n32)]++
	}
}

// dot returns Σ c[i]·v[i] with four accumulators. The explicit conversions
// forbid fusing the multiply and add, so results are the same on every
// architecture.
func dot(c []uint32, v []float64) float64 {
	v = v[:len(c)]
	var s0, s1, s2, s3 float64
	i := 0
	for ; i+4 <= len(c); i += 4 {
		s0 += float64(float64(c[i]) * v[i])
		s1 += float64(float64(c[i+1]) * v[i+1])
		s2 += float64(float64(c[i+2]) * v[i+2])
		s3 += float64(float64(c[i+3]) * v[i+3])
	}
	for ; i < len(c); i++ {
		s0 += float64(float64(c[i]) * v[i])
	}
	return (s0 + s1) + (s2 + s3)
}

// resample draws one resample, stratified by group or not, and writes its
// means to out: for input column k, the G group means at out[k·(G+1)+g] and
// the overall mean at out[k·(G+1)+G].
//
// With several stored columns it counts the draws per user and takes dot
// products; with a single column it is faster to gather the drawn values
// directly. Both draw the same users in the same order, so their sums differ
// only by rounding.
func (l *layout) resample(r *stream, out []float64, sc *kernelScratch, stratified bool) {
	w := len(l.cols)
	G := l.numGroups()
	switch {
	case w == 1 && stratified:
		for g := range G {
			lo, hi := l.off[g], l.off[g+1]
			sc.n[g] = hi - lo
			sc.sums[g] = 0
			if hi > lo {
				sc.sums[g] = resampleSum(r, l.cols[0][lo:hi])
			}
		}
	case w == 1:
		l.gatherAll(r, sc)
	default:
		if !stratified {
			clear(sc.cnt)
			drawCounts(r, sc.cnt)
		}
		for g := range G {
			lo, hi := l.off[g], l.off[g+1]
			c := sc.cnt[lo:hi]
			sg := sc.sums[g*w : (g+1)*w]
			if stratified {
				sc.n[g] = hi - lo
				if hi == lo {
					clear(sg)
					continue
				}
				clear(c)
				drawCounts(r, c)
			} else {
				n := 0
				for _, x := range c {
					n += int(x)
				}
				sc.n[g] = n
			}
			for k, col := range l.cols {
				sg[k] = dot(c, col[lo:hi])
			}
		}
	}
	// Group means and overall means of each input column.
	for k := range l.nCols {
		o := out[k*(G+1) : (k+1)*(G+1)]
		vc := l.validCol[k]
		var tot, cnt float64
		for g := range G {
			sum := sc.sums[g*w+k]
			n := float64(sc.n[g])
			if vc >= 0 {
				n = sc.sums[g*w+vc]
			}
			tot += sum
			cnt += n
			o[g] = sum / n // NaN when no user with a value was drawn
		}
		o[G] = tot / cnt
	}
}

// resampleSum returns the sum of len(v) values drawn from v with replacement,
// 0 < len(v) < 2³¹, drawing exactly as drawCounts does. This is the
// single-column hot loop: the generator state stays in a register, each
// 64-bit draw gives two indices, and two accumulators hide the latency of
// the additions.
func resampleSum(r *stream, v []float64) float64 {
	n := uint64(len(v))
	n32 := uint32(n)
	st := r.s
	var s0, s1 float64
	i := 0
	for ; i+2 <= len(v); i += 2 {
		st += wyInc
		hi, lo := bits.Mul64(st, st^wyMix)
		x := hi ^ lo
		m1 := (x & 0xffffffff) * n
		m2 := (x >> 32) * n
		if uint32(m1) < n32 || uint32(m2) < n32 {
			r.s = st
			m1 = r.reject(n32, m1)
			m2 = r.reject(n32, m2)
			st = r.s
		}
		s0 += v[m1>>32]
		s1 += v[m2>>32]
	}
	r.s = st
	if i < len(v) {
		s0 += v[r.intn(n32)]
	}
	return s0 + s1
}

// gatherAll draws an unstratified resample of a single column, adding each
// drawn value to its group's sum; it draws exactly as drawCounts does. Even
// and odd draws go to separate sums (sc.sums and sc.sums2), which halves the
// chains of dependent additions when consecutive draws hit the same group.
func (l *layout) gatherAll(r *stream, sc *kernelScratch) {
	sums, sums2, counts, counts2 := sc.sums, sc.sums2, sc.n, sc.n2
	clear(sums)
	clear(sums2)
	clear(counts)
	clear(counts2)
	vals, labels := l.cols[0], l.labels
	n := uint64(len(vals))
	n32 := uint32(n)
	st := r.s
	i := 0
	for ; i+2 <= len(vals); i += 2 {
		st += wyInc
		hi, lo := bits.Mul64(st, st^wyMix)
		x := hi ^ lo
		m1 := (x & 0xffffffff) * n
		m2 := (x >> 32) * n
		if uint32(m1) < n32 || uint32(m2) < n32 {
			r.s = st
			m1 = r.reject(n32, m1)
			m2 = r.reject(n32, m2)
			st = r.s
		}
		a, b := m1>>32, m2>>32
		la, lb := labels[a], labels[b]
		sums[la] += vals[a]
		counts[la]++
		sums2[lb] += vals[b]
		counts2[lb]++
	}
	r.s = st
	if i < len(vals) {
		a := r.intn(n32)
		sums[labels[a]] += vals[a]
		counts[labels[a]]++
	}
	for g := range sums {
		sums[g] += sums2[g]
		counts[g] += counts2[g]
	}
}

// replicates fills dst, B rows of nCols·(G+1), with resampled means.
func (bs Bootstrap) replicates(dst []float64, l *layout, B int) {
	if len(l.labels) == 0 || l.nCols == 0 {
		for i := range dst {
			dst[i] = math.NaN()
		}
		return
	}
	stride := l.nCols * (l.numGroups() + 1)
	seed := baseSeed(bs.Src)
	nChunks := (B + bootChunk - 1) / bootChunk
	sc := make([]*kernelScratch, workers(nChunks))
	for i := range sc {
		sc[i] = l.newScratch()
	}
	forChunks(nChunks, func(wk, c int) {
		r := newStream(seed, c)
		for b := c * bootChunk; b < min(B, (c+1)*bootChunk); b++ {
			l.resample(&r, dst[b*stride:(b+1)*stride], sc[wk], !bs.Unstratified)
		}
	})
}
