package fairness

import (
	"math"
	"math/bits"
	"math/rand/v2"
)

// Permutation performs permutation (randomisation) tests (METRICS-SPEC.md
// §6.2). The zero value is the toolkit default: B = 10 000 Monte Carlo
// relabelings, exact enumeration when there are at most 100 000 distinct
// relabelings, the global random source.
//
// # p-values
//
// Every test reports a two-sided p-value P and the one-sided PGreater and
// PLess. With Monte Carlo sampling of B relabelings,
//
//	P = (#{|T_perm − c| ≥ |T_obs − c|} + 1) / (B + 1)
//
// which counts the observed labelling once and is a valid p-value (Phipson &
// Smyth, "Permutation P-values Should Never Be Zero", SAGMB 2010); c is 0 for
// differences and the aggregator's fair value for disparities. When the
// number of distinct relabelings is at most MaxExact they are all enumerated
// and P is the exact fraction #{|T_perm − c| ≥ |T_obs − c|} / #relabelings,
// the observed labelling included.
//
// # Ties
//
// Relabelings that give the same statistic as the observed one in exact
// arithmetic may differ from it in the last bits in floating point. A
// permuted statistic therefore counts as at least as extreme when it falls
// short by no more than a tolerance of 1e-12 times the statistic's natural
// scale: the largest absolute per-user value for differences (its square for
// Variance, the total sum of squares for ANOVA, 1 for ratios and CV) or
// |T_obs| if that is larger. A permuted statistic that is NaN counts as at
// least as extreme (the conservative choice).
//
// # Randomness
//
// Monte Carlo relabelings run in fixed chunks with their own random streams
// derived from one value drawn from Src, in parallel on GOMAXPROCS
// goroutines; results depend on the seed only.
//
// Every test panics if B < 0, besides the conditions its documentation
// states.
type Permutation struct {
	// B is the number of Monte Carlo relabelings. Zero means 10 000.
	B int
	// MaxExact is the largest number of distinct relabelings that is
	// enumerated exactly instead of sampled. Zero means 100 000; a negative
	// value always samples.
	MaxExact int
	// Src is the source of randomness; nil means the global source of
	// math/rand/v2. One value is drawn from it per Monte Carlo test.
	Src rand.Source
}

// TestResult is the result of a permutation test.
type TestResult struct {
	// Statistic is the observed test statistic T_obs.
	Statistic float64
	// P is the two-sided p-value; PGreater and PLess are the one-sided
	// p-values for T ≥ T_obs and T ≤ T_obs. All three are NaN when the
	// statistic is undefined.
	P, PGreater, PLess float64
	// Exact reports whether all relabelings were enumerated.
	Exact bool
	// Relabelings is the number of relabelings evaluated: B, or the number
	// of distinct relabelings when Exact.
	Relabelings int
	// N is the number of users in the test.
	N int
}

const (
	tieTol    = 1e-12
	permChunk = 32 // relabelings per random-stream chunk; part of the random sequence
)

func (p Permutation) resamples() int {
	if p.B < 0 {
		panic(errResamples)
	}
	if p.B == 0 {
		return 10000
	}
	return p.B
}

func (p Permutation) maxExact() float64 {
	switch {
	case p.MaxExact < 0:
		return -1
	case p.MaxExact == 0:
		return 100000
	}
	return float64(p.MaxExact)
}

// judge counts how many permuted statistics are at least as extreme as the
// observed one.
type judge struct {
	obs, center, obsExt, tol float64
}

func newJudge(obs, center, scale float64) judge {
	ext := math.Abs(obs - center)
	return judge{obs: obs, center: center, obsExt: ext, tol: tieTol * max(scale, math.Abs(obs), ext)}
}

type tally struct{ ext, ge, le int }

func (j *judge) add(t *tally, x float64) {
	if math.IsNaN(x) {
		t.ext++
		t.ge++
		t.le++
		return
	}
	if math.Abs(x-j.center) >= j.obsExt-j.tol {
		t.ext++
	}
	if x >= j.obs-j.tol {
		t.ge++
	}
	if x <= j.obs+j.tol {
		t.le++
	}
}

func (t *tally) merge(o tally) {
	t.ext += o.ext
	t.ge += o.ge
	t.le += o.le
}

// result turns the counts into a TestResult.
func (t tally) result(obs float64, m int, exact bool, n int) TestResult {
	r := TestResult{Statistic: obs, Exact: exact, Relabelings: m, N: n}
	num, den := 0, 0
	if !exact {
		num, den = 1, 1
	}
	d := float64(m + den)
	r.P = float64(t.ext+num) / d
	r.PGreater = float64(t.ge+num) / d
	r.PLess = float64(t.le+num) / d
	return r
}

func undefined(n int) TestResult {
	nan := math.NaN()
	return TestResult{Statistic: nan, P: nan, PGreater: nan, PLess: nan, N: n}
}

// unpaired holds the users of an unpaired test laid out block by block, one
// block per non-empty group, the largest block last (it is never shuffled
// explicitly and its sum is total minus the others).
type unpaired struct {
	vals  []float64
	sizes []int
	codes []int32
	total float64
	scale float64 // max |vals|
}

func newUnpaired(values []float64, groups []int32, numGroups int, keep func(g int32) bool) *unpaired {
	l := newLayout([][]float64{values}, groups, numGroups, true)
	u := &unpaired{}
	var order []int32
	size := func(g int32) int { return l.off[g+1] - l.off[g] }
	for g := range numGroups {
		if size(int32(g)) > 0 && keep(int32(g)) {
			order = append(order, int32(g))
		}
	}
	if len(order) > 0 {
		big := 0
		for k, g := range order {
			if size(g) > size(order[big]) {
				big = k
			}
		}
		g := order[big]
		order = append(append(order[:big:big], order[big+1:]...), g)
	}
	for _, g := range order {
		v := l.cols[0][l.off[g]:l.off[g+1]]
		u.vals = append(u.vals, v...)
		u.sizes = append(u.sizes, len(v))
		u.codes = append(u.codes, g)
	}
	for _, x := range u.vals {
		u.total += x
		u.scale = max(u.scale, math.Abs(x))
	}
	return u
}

// sums writes the block sums of arrangement x: sequential sums for all blocks
// but the last, whose sum is total minus the others.
func (u *unpaired) sums(dst, x []float64) {
	k := len(u.sizes)
	off := 0
	var rest float64
	for b := 0; b < k-1; b++ {
		var s float64
		for _, v := range x[off : off+u.sizes[b]] {
			s += v
		}
		dst[b] = s
		rest += s
		off += u.sizes[b]
	}
	if k > 0 {
		dst[k-1] = u.total - rest
	}
}

// relabelings returns the number of distinct relabelings N!/Π n_k!, or a
// number above limit as soon as it exceeds it.
func relabelings(sizes []int, limit float64) float64 {
	r, m := 1.0, 0
	for _, n := range sizes {
		for i := 1; i <= n; i++ {
			m++
			r = r * float64(m) / float64(i)
			if r > limit {
				return r
			}
		}
	}
	return math.Round(r)
}

// enumerate calls visit with the block sums of every distinct relabeling,
// the observed one included, and returns their number. Positions are chosen
// in increasing order and summed in that order, so the observed labelling
// reproduces the sums of u.sums bit for bit.
func (u *unpaired) enumerate(visit func(sums []float64)) int {
	k := len(u.sizes)
	sums := make([]float64, k)
	if k <= 1 {
		u.sums(sums, u.vals)
		visit(sums)
		return 1
	}
	n := len(u.vals)
	used := make([]bool, n)
	count := 0
	var rec func(b, start, need int, s float64)
	rec = func(b, start, need int, s float64) {
		if need == 0 {
			sums[b] = s
			if b == k-2 {
				var rest float64
				for j := range k - 1 {
					rest += sums[j]
				}
				sums[k-1] = u.total - rest
				visit(sums)
				count++
				return
			}
			rec(b+1, 0, u.sizes[b+1], 0)
			return
		}
		for i := start; i <= n-need; i++ {
			if used[i] {
				continue
			}
			used[i] = true
			rec(b, i+1, need-1, s+u.vals[i])
			used[i] = false
		}
	}
	rec(0, 0, u.sizes[0], 0)
	return count
}

// run tests the statistic computed by stat from the block sums. newStat
// returns a fresh statistic (with its own scratch space) per goroutine.
func (p Permutation) run(u *unpaired, newStat func() func(sums []float64) float64, center, scale float64) TestResult {
	B := p.resamples()
	n := len(u.vals)
	k := len(u.sizes)
	obsSums := make([]float64, k)
	u.sums(obsSums, u.vals)
	stat := newStat()
	obs := stat(obsSums)
	if math.IsNaN(obs) {
		return undefined(n)
	}
	j := newJudge(obs, center, scale)
	if lim := p.maxExact(); lim >= 0 && relabelings(u.sizes, lim) <= lim {
		var t tally
		m := u.enumerate(func(s []float64) { j.add(&t, stat(s)) })
		return t.result(obs, m, true, n)
	}
	seed := baseSeed(p.Src)
	nChunks := (B + permChunk - 1) / permChunk
	nw := workers(nChunks)
	type scratch struct {
		work, sums []float64
		stat       func([]float64) float64
	}
	sc := make([]scratch, nw)
	for i := range sc {
		sc[i] = scratch{work: make([]float64, n), sums: make([]float64, k), stat: newStat()}
	}
	tallies := make([]tally, nChunks)
	m := n - u.sizes[k-1] // positions to shuffle; the last block takes the rest
	forChunks(nChunks, func(w, c int) {
		s := &sc[w]
		copy(s.work, u.vals)
		r := newStream(seed, c)
		var t tally
		for range min(B, (c+1)*permChunk) - c*permChunk {
			partialShuffle(&r, s.work, m)
			u.sums(s.sums, s.work)
			j.add(&t, s.stat(s.sums))
		}
		tallies[c] = t
	})
	var t tally
	for _, c := range tallies {
		t.merge(c)
	}
	return t.result(obs, B, false, n)
}

// partialShuffle runs the first m steps of a Fisher–Yates shuffle of x:
// afterwards x[:m] is a uniform random ordered sample without replacement of
// the elements of x, and x[m:] holds the others. Each 64-bit draw gives the
// indices of two steps (Lemire's method on each half, see stream.intn).
func partialShuffle[T any](r *stream, x []T, m int) {
	st := r.s
	i := 0
	for ; i+2 <= m; i += 2 {
		st += wyInc
		hi, lo := bits.Mul64(st, st^wyMix)
		w := hi ^ lo
		k1 := uint64(len(x) - i)
		k2 := k1 - 1
		m1 := (w & 0xffffffff) * k1
		m2 := (w >> 32) * k2
		if uint32(m1) < uint32(k1) || uint32(m2) < uint32(k2) {
			r.s = st
			m1 = r.reject(uint32(k1), m1)
			m2 = r.reject(uint32(k2), m2)
			st = r.s
		}
		j := i + int(m1>>32)
		x[i], x[j] = x[j], x[i]
		j = i + 1 + int(m2>>32)
		x[i+1], x[j] = x[j], x[i+1]
	}
	r.s = st
	if i < m {
		j := i + int(r.intn(uint32(len(x)-i)))
		x[i], x[j] = x[j], x[i]
	}
}

// MeanDiff tests whether two groups differ in mean (METRICS-SPEC.md §6.2,
// unpaired test between user groups), under the null hypothesis that the
// labels g1 and g2 are exchangeable. The statistic is
//
//	T = mean_{g1} − mean_{g2}
//
// and relabelings permute the labels of the two groups' users, keeping the
// group sizes. Users whose value is NaN or whose label is neither g1 nor g2
// are left out. Exact enumeration covers the C(n, n1) splits.
//
// Group labels are codes ≥ 0, -1 meaning no group; to test one group against
// all others use [OneVsRestLabels]. The result is undefined (NaN) when either
// group is empty. MeanDiff panics if len(values) != len(groups), if g1 or g2
// is negative, if g1 == g2 or if a label is below -1.
func (p Permutation) MeanDiff(values []float64, groups []int32, g1, g2 int32) TestResult {
	if g1 < 0 || g2 < 0 {
		panic(errGroupCode)
	}
	if g1 == g2 {
		panic(errSameGroup)
	}
	numGroups := int(max(g1, g2)) + 1
	for _, g := range groups {
		numGroups = max(numGroups, int(g)+1)
	}
	u := newUnpaired(values, groups, numGroups, func(g int32) bool { return g == g1 || g == g2 })
	if len(u.sizes) < 2 {
		return undefined(len(u.vals))
	}
	b1, b2 := 0, 1
	if u.codes[0] == g2 {
		b1, b2 = 1, 0
	}
	n1, n2 := float64(u.sizes[b1]), float64(u.sizes[b2])
	stat := func() func([]float64) float64 {
		return func(s []float64) float64 { return s[b1]/n1 - s[b2]/n2 }
	}
	return p.run(u, stat, 0, u.scale)
}

// Disparity tests whether the disparity of the group means under aggregator
// agg is larger than label exchangeability explains (METRICS-SPEC.md §6.2,
// "any §3.2 aggregator for more than two groups"). The statistic is
//
//	T = Disparity(agg, group means, overall mean)
//
// and relabelings permute the labels of all grouped users, keeping group
// sizes; the overall mean does not change. Extremeness is measured from the
// aggregator's fair value c = agg.FairValue(), so for the ratios P counts
// relabelings whose ratio is at least as far below 1. Users whose value is
// NaN or whose label is -1 are left out. Exact enumeration covers the
// N!/Π n_g! relabelings.
//
// The result is undefined (NaN) when fewer than two groups have users or the
// disparity is NaN. Disparity panics under the conditions of [GroupMeans] or
// if agg is not defined.
func (p Permutation) Disparity(agg Aggregator, values []float64, groups []int32, numGroups int) TestResult {
	center := agg.FairValue()
	u := newUnpaired(values, groups, numGroups, func(int32) bool { return true })
	if len(u.sizes) < 2 {
		return undefined(len(u.vals))
	}
	overall := u.total / float64(len(u.vals))
	stat := func() func([]float64) float64 {
		means := make([]float64, numGroups)
		for i := range means {
			means[i] = math.NaN()
		}
		return func(s []float64) float64 {
			for b, g := range u.codes {
				means[g] = s[b] / float64(u.sizes[b])
			}
			return Disparity(agg, means, overall)
		}
	}
	return p.run(u, stat, center, agg.scale(u.scale))
}

// ANOVA is a permutation one-way ANOVA: the F statistic of [OneWayANOVA]
// with a p-value from relabelings of the users' groups (group sizes kept)
// instead of the F distribution, so it needs neither normality nor equal
// variances. Statistic is the observed F; P (equal to PGreater) is the
// fraction of relabelings with an F at least as large. Users whose value is
// NaN or whose label is -1 are left out.
//
// Because the total sum of squares does not change under relabeling, F is
// an increasing function of SSB = Σ_g S_g²/n_g − S²/N (S_g the group sums),
// which is what relabelings compare. The result is undefined (NaN) when F is.
// ANOVA panics under the conditions of [GroupMeans].
//
// Reference: Edgington & Onghena, "Randomization Tests", 4th ed., 2007, ch. 4.
func (p Permutation) ANOVA(values []float64, groups []int32, numGroups int) TestResult {
	f := OneWayANOVA(values, groups, numGroups)
	u := newUnpaired(values, groups, numGroups, func(int32) bool { return true })
	if math.IsNaN(f.F) {
		return undefined(len(u.vals))
	}
	nf := float64(len(u.vals))
	c := u.total * u.total / nf
	stat := func() func([]float64) float64 {
		return func(s []float64) float64 {
			var q float64
			for b, x := range s {
				q += x * x / float64(u.sizes[b])
			}
			return q - c
		}
	}
	r := p.run(u, stat, 0, f.SSB+f.SSW)
	r.Statistic = f.F
	r.P = r.PGreater
	return r
}

// Paired is the paired randomisation (sign-flip) test of two systems scored
// on the same users (METRICS-SPEC.md §6.2; Smucker, Allan & Carterette, "A
// Comparison of Statistical Significance Tests for Information Retrieval
// Evaluation", CIKM 2007). With d_u = a[u] − b[u] the statistic is
//
//	T = (1/n) Σ_u d_u
//
// and each relabeling flips the sign of every d_u with probability 1/2 (swaps
// the two systems' values of the user). Zero differences are kept; their
// flips give duplicate patterns, which are counted as such. Exact
// enumeration covers the 2ⁿ sign patterns. Users whose a or b value is NaN are
// left out.
//
// The result is undefined (NaN) when no user remains. Paired panics if
// len(a) != len(b).
func (p Permutation) Paired(a, b []float64) TestResult {
	B := p.resamples()
	if len(a) != len(b) {
		panic(errLength)
	}
	var d []float64
	var scale float64
	for u := range a {
		if math.IsNaN(a[u]) || math.IsNaN(b[u]) {
			continue
		}
		x := a[u] - b[u]
		d = append(d, x)
		scale = max(scale, math.Abs(x))
	}
	n := len(d)
	if n == 0 {
		return undefined(0)
	}
	nf := float64(n)
	var obsSum float64
	for _, x := range d {
		obsSum += x
	}
	obs := obsSum / nf
	j := newJudge(obs, 0, scale)
	if lim := p.maxExact(); lim >= 0 && n < 63 && float64(uint64(1)<<n) <= lim {
		var t tally
		m := 1 << n
		for mask := range m {
			var s float64
			for i, x := range d {
				if mask>>i&1 == 1 {
					x = -x
				}
				s += x
			}
			j.add(&t, s/nf)
		}
		return t.result(obs, m, true, n)
	}
	seed := baseSeed(p.Src)
	nChunks := (B + permChunk - 1) / permChunk
	tallies := make([]tally, nChunks)
	forChunks(nChunks, func(_, c int) {
		r := newStream(seed, c)
		var t tally
		for range min(B, (c+1)*permChunk) - c*permChunk {
			var s float64
			for i := 0; i < n; i += 64 {
				bits := r.uint64()
				for k, x := range d[i:min(n, i+64)] {
					s += math.Float64frombits(math.Float64bits(x) ^ (bits>>k&1)<<63)
				}
			}
			j.add(&t, s/nf)
		}
		tallies[c] = t
	})
	var t tally
	for _, c := range tallies {
		t.merge(c)
	}
	return t.result(obs, B, false, n)
}

// PairedDisparity tests whether two systems scored on the same users differ
// in disparity (METRICS-SPEC.md §6.2, "paired test of a disparity between two
// systems"). The statistic is
//
//	T = Disparity(agg, group means of a, overall of a)
//	  − Disparity(agg, group means of b, overall of b)
//
// and each relabeling swaps the two systems' values of every user with
// probability 1/2 (the user stays in its group). Exact enumeration covers
// the 2ⁿ swap patterns. Users whose a or b value is NaN, or whose label is
// -1, are left out of both systems, so T may differ from the disparities of
// each system computed on all its users.
//
// The result is undefined (NaN) when either disparity is NaN.
// PairedDisparity panics if len(a), len(b) and len(groups) differ, under the
// conditions of [GroupMeans], or if agg is not defined.
func (p Permutation) PairedDisparity(agg Aggregator, a, b []float64, groups []int32, numGroups int) TestResult {
	agg.FairValue() // panics on a bad aggregator
	B := p.resamples()
	if len(a) != len(b) {
		panic(errLength)
	}
	checkGroups(a, groups, numGroups)
	// The users in the test, group by group (off[g] to off[g+1]), with their
	// a and b values interleaved in ab.
	off := make([]int, numGroups+1)
	var scale float64
	for u, g := range groups {
		if g < 0 || math.IsNaN(a[u]) || math.IsNaN(b[u]) {
			continue
		}
		off[g+1]++
		scale = max(scale, math.Abs(a[u]), math.Abs(b[u]))
	}
	for g := range numGroups {
		off[g+1] += off[g]
	}
	n := off[numGroups]
	ab := make([]float64, 2*n)
	next := append([]int(nil), off[:numGroups]...)
	for u, g := range groups {
		if g < 0 || math.IsNaN(a[u]) || math.IsNaN(b[u]) {
			continue
		}
		ab[2*next[g]], ab[2*next[g]+1] = a[u], b[u]
		next[g]++
	}
	// stat computes T for the swap pattern given by bits: the user at
	// position i has its values swapped when bit i (bits[i/64] >> (i%64) & 1)
	// is set.
	type state struct{ ma, mb []float64 }
	newState := func() *state {
		return &state{make([]float64, numGroups), make([]float64, numGroups)}
	}
	stat := func(st *state, bits []uint64) float64 {
		var ta, tb float64
		for g := range numGroups {
			var sa, sb float64
			for i := off[g]; i < off[g+1]; i++ {
				k := int(bits[i>>6] >> (i & 63) & 1)
				sa += ab[2*i+k]
				sb += ab[2*i+1-k]
			}
			ta += sa
			tb += sb
			c := float64(off[g+1] - off[g])
			st.ma[g] = sa / c // NaN for an empty group
			st.mb[g] = sb / c
		}
		nf := float64(n)
		return Disparity(agg, st.ma, ta/nf) - Disparity(agg, st.mb, tb/nf)
	}
	st := newState()
	words := make([]uint64, (n+63)/64)
	obs := stat(st, words)
	if math.IsNaN(obs) {
		return undefined(n)
	}
	j := newJudge(obs, 0, agg.scale(scale))
	if lim := p.maxExact(); lim >= 0 && n < 63 && float64(uint64(1)<<n) <= lim {
		var t tally
		m := 1 << n
		for mask := range m {
			words[0] = uint64(mask)
			j.add(&t, stat(st, words))
		}
		return t.result(obs, m, true, n)
	}
	seed := baseSeed(p.Src)
	nChunks := (B + permChunk - 1) / permChunk
	nw := workers(nChunks)
	states := make([]*state, nw)
	for i := range states {
		states[i] = newState()
	}
	bits := make([][]uint64, nw)
	for i := range bits {
		bits[i] = make([]uint64, len(words))
	}
	tallies := make([]tally, nChunks)
	forChunks(nChunks, func(w, c int) {
		r := newStream(seed, c)
		bw := bits[w]
		var t tally
		for range min(B, (c+1)*permChunk) - c*permChunk {
			for i := range bw {
				bw[i] = r.uint64()
			}
			j.add(&t, stat(states[w], bw))
		}
		tallies[c] = t
	})
	var t tally
	for _, c := range tallies {
		t.merge(c)
	}
	return t.result(obs, B, false, n)
}
