package fairness

import (
	"math"
	"slices"
)

// Panic messages of the sparse bootstrap.
const (
	analyzeSparseCol = "fairness: sparse column index out of range"
	analyzeSparseLen = "fairness: sparse values and columns differ in length"
)

// SparseRows holds per-user values over many columns (for example the
// exposure each user's list gives to each provider) in compressed sparse
// row form: user u has Values[j] in column Cols[j] for j in
// [Offsets[u], Offsets[u+1]). Columns may repeat within a row (the values
// add up). nil Offsets means no users.
type SparseRows struct {
	Offsets []int64
	Cols    []int32
	Values  []float64
	NumCols int
}

// Users returns the number of users (rows).
func (m SparseRows) Users() int {
	if len(m.Offsets) == 0 {
		return 0
	}
	return len(m.Offsets) - 1
}

func (m SparseRows) check() {
	exposureCheckOffsets(m.Offsets, len(m.Cols))
	if len(m.Values) != len(m.Cols) {
		panic(analyzeSparseLen)
	}
	if m.NumCols < 0 {
		panic(errNumGroups)
	}
	for _, c := range m.Cols {
		if c < 0 || int(c) >= m.NumCols {
			panic(analyzeSparseCol)
		}
	}
}

// Totals returns in dst the column totals of m, Σ_u m[u][c]: the estimate
// whose replicates [Bootstrap.SumReplicates] draws. If dst is nil a new
// slice is allocated; otherwise it must have length m.NumCols. Totals panics
// if m is malformed or dst has the wrong length.
func (m SparseRows) Totals(dst []float64) []float64 {
	m.check()
	dst = useFloats(dst, m.NumCols)
	clear(dst)
	for j, c := range m.Cols {
		dst[c] += m.Values[j]
	}
	return dst
}

// SumReplicates returns in dst bootstrap replicates of the column totals
// of m: in resample b, n = m.Users() users are drawn with replacement from
// all users (the user is the unit of resampling, METRICS-SPEC.md §6.1) and
//
//	dst[b·NumCols + c] = Σ_u k_u · m[u][c],
//
// where k_u is the number of times user u was drawn, the user weights of
// the exposure functions. Any function of the totals (exposure shares,
// their distance to a target, a merit share computed from the same
// resample) then has replicates, and [PercentileInterval] its interval.
// The resampling is never stratified: Unstratified and Aggregators are
// ignored.
//
// A resample costs n draws plus one pass over the entries (the values are
// copied column by column once, and each column total is a dot product of
// the draw counts with the column). The replicates depend on Src's seed only, not on GOMAXPROCS. If
// dst is nil a new slice is allocated; otherwise it must have length
// B·NumCols. SumReplicates panics if m is malformed (offsets, a column
// outside [0, NumCols), Values and Cols of different lengths), if B < 0 or
// if dst has the wrong length. With no users every replicate is 0.
func (bs Bootstrap) SumReplicates(dst []float64, m SparseRows) []float64 {
	B := bs.resamples()
	m.check()
	nc := m.NumCols
	dst = useFloats(dst, B*nc)
	clear(dst)
	n := m.Users()
	if n == 0 || nc == 0 {
		return dst
	}
	if n >= math.MaxInt32 {
		panic(errTooMany)
	}
	// Column-major copy: for each column its users and values, so that a
	// column's total is a gather-dot of the draw counts with independent
	// accumulators.
	colOff := make([]int64, nc+1)
	for _, c := range m.Cols {
		colOff[c+1]++
	}
	for c := range nc {
		colOff[c+1] += colOff[c]
	}
	users := make([]int32, len(m.Cols))
	vals := make([]float64, len(m.Cols))
	next := slices.Clone(colOff[:nc])
	for u := range n {
		for j := m.Offsets[u]; j < m.Offsets[u+1]; j++ {
			c := m.Cols[j]
			users[next[c]], vals[next[c]] = int32(u), m.Values[j]
			next[c]++
		}
	}
	seed := baseSeed(bs.Src)
	nChunks := (B + bootChunk - 1) / bootChunk
	counts := make([][]uint32, workers(nChunks))
	for i := range counts {
		counts[i] = make([]uint32, n)
	}
	forChunks(nChunks, func(w, c int) {
		r := newStream(seed, c)
		cnt := counts[w]
		for b := c * bootChunk; b < min(B, (c+1)*bootChunk); b++ {
			clear(cnt)
			drawCounts(&r, cnt)
			out := dst[b*nc : (b+1)*nc]
			for col := range nc {
				out[col] = gatherDot(cnt, users[colOff[col]:colOff[col+1]], vals[colOff[col]:colOff[col+1]])
			}
		}
	})
	return dst
}

// gatherDot returns Σ_j cnt[users[j]]·vals[j] with four accumulators; the
// conversions forbid fused multiply-adds, so results are the same on every
// architecture.
func gatherDot(cnt []uint32, users []int32, vals []float64) float64 {
	vals = vals[:len(users)]
	var s0, s1, s2, s3 float64
	j := 0
	for ; j+4 <= len(users); j += 4 {
		s0 += float64(float64(cnt[users[j]]) * vals[j])
		s1 += float64(float64(cnt[users[j+1]]) * vals[j+1])
		s2 += float64(float64(cnt[users[j+2]]) * vals[j+2])
		s3 += float64(float64(cnt[users[j+3]]) * vals[j+3])
	}
	for ; j < len(users); j++ {
		s0 += float64(float64(cnt[users[j]]) * vals[j])
	}
	return (s0 + s1) + (s2 + s3)
}

// BootstrapPValue returns the two-sided bootstrap p-value of the null
// hypothesis θ = null, from the estimate θ̂ and its bootstrap replicates
// θ*_b:
//
//	p = (#{b : |θ*_b − θ̂| ≥ |θ̂ − null|} + 1) / (B + 1)
//
// The replicates are centred on the estimate, so that their spread around
// θ̂ stands in for the spread of θ̂ around θ under the null (Hall & Wilson,
// "Two Guidelines for Bootstrap Hypothesis Testing", Biometrics 47(2),
// 1991); counting the observed sample once keeps p above 0, as for
// permutation tests. NaN replicates count as extreme (the conservative
// choice). reps is not modified.
//
// BootstrapPValue returns NaN when estimate or null is NaN or reps is
// empty.
func BootstrapPValue(estimate, null float64, reps []float64) float64 {
	if math.IsNaN(estimate) || math.IsNaN(null) || len(reps) == 0 {
		return math.NaN()
	}
	d := math.Abs(estimate - null)
	tol := tieTol * max(math.Abs(estimate), math.Abs(null), d)
	k := 0
	for _, x := range reps {
		if math.IsNaN(x) || math.Abs(x-estimate) >= d-tol {
			k++
		}
	}
	return float64(k+1) / float64(len(reps)+1)
}
