package fairness

import (
	"math"
	"math/bits"
	"math/rand/v2"
)

// Bootstrap computes bootstrap percentile confidence intervals over users
// (METRICS-SPEC.md §6.1): the user is the unit of resampling, B resamples are
// drawn with replacement, the statistic is recomputed on each, and the
// interval is [Q(α/2), Q(1−α/2)] of the replicates with type-7 quantiles
// ([PercentileInterval]). The zero value is the toolkit default: B = 1000,
// α = 0.05, stratified by group, aggregators MaxMinDiff and MinMaxRatio, the
// global random source.
//
// # Stratified and unstratified
//
// By default the bootstrap is stratified: each group's users (those with a
// value, see [GroupMeans]) are resampled within the group, so group sizes are
// the same in every resample. With Unstratified set, the N grouped users are
// resampled together, as Fairlearn's MetricFrame(n_boot=…) does
// (fairlearn/metrics/_bootstrap.py); group sizes then vary between resamples
// and a group can be empty in some of them (its replicate is NaN).
//
// # Randomness
//
// The replicates are split into fixed chunks, each with its own random
// stream derived from one value drawn from Src and the chunk index, so the
// result depends on the seed only, not on GOMAXPROCS. Resamples run in
// parallel on GOMAXPROCS goroutines.
type Bootstrap struct {
	// B is the number of resamples. Zero means 1000.
	B int
	// Alpha is the interval's error rate: the interval has nominal coverage
	// 1 − Alpha. Zero means 0.05.
	Alpha float64
	// Unstratified resamples all grouped users together instead of within
	// each group.
	Unstratified bool
	// Aggregators lists the disparities that [Bootstrap.Groups] computes
	// intervals for. Nil means MaxMinDiff and MinMaxRatio (METRICS-SPEC.md
	// §7).
	Aggregators []Aggregator
	// Src is the source of randomness; nil means the global source of
	// math/rand/v2. One value is drawn from it per call.
	Src rand.Source
}

// bootChunk is the number of resamples per random-stream chunk. It is part of
// the definition of the random sequence: changing it changes results.
const bootChunk = 4

func (bs Bootstrap) resamples() int {
	if bs.B < 0 {
		panic(errResamples)
	}
	if bs.B == 0 {
		return 1000
	}
	return bs.B
}

func (bs Bootstrap) alpha() float64 {
	if bs.Alpha == 0 {
		return 0.05
	}
	if !(bs.Alpha > 0 && bs.Alpha < 1) {
		panic(errAlpha)
	}
	return bs.Alpha
}

func (bs Bootstrap) aggregators() []Aggregator {
	if bs.Aggregators == nil {
		return []Aggregator{MaxMinDiff, MinMaxRatio}
	}
	for _, a := range bs.Aggregators {
		a.FairValue() // panics on a bad aggregator
	}
	return bs.Aggregators
}

// Interval is a point estimate with its bootstrap percentile interval.
type Interval struct {
	// Estimate is the statistic on the original sample.
	Estimate float64
	// Lo and Hi are the interval's bounds. They are NaN when every replicate
	// is NaN.
	Lo, Hi float64
	// Undefined counts the replicates in which the statistic was NaN (for
	// example a group left empty by an unstratified resample, or a ratio of
	// zeros); they are left out of Lo and Hi.
	Undefined int
}

// GroupIntervals holds the results of [Bootstrap.Groups].
type GroupIntervals struct {
	// Groups holds the mean of each group with its interval; an empty group
	// has NaN everywhere.
	Groups []Interval
	// Overall is the user-weighted mean of the grouped users
	// ([UserWeightedMean]), with its interval.
	Overall Interval
	// Aggregators lists the disparities, and Disparities their values and
	// intervals, in the same order.
	Aggregators []Aggregator
	Disparities []Interval
	// Counts holds the group sizes ([GroupCounts]).
	Counts []int
	// B is the number of resamples drawn.
	B int
}

// strata holds the users that have a value and a group, laid out group by
// group: group g's values are vals[off[g]:off[g+1]] and labels[i] is the
// group of vals[i].
type strata struct {
	vals   []float64
	labels []int32
	off    []int
}

func newStrata(values []float64, groups []int32, numGroups int) *strata {
	checkGroups(values, groups, numGroups)
	if len(values) >= math.MaxInt32 {
		panic(errTooMany)
	}
	off := make([]int, numGroups+1)
	for u, g := range groups {
		if g >= 0 && !math.IsNaN(values[u]) {
			off[g+1]++
		}
	}
	for g := range numGroups {
		off[g+1] += off[g]
	}
	n := off[numGroups]
	s := &strata{vals: make([]float64, n), labels: make([]int32, n), off: off}
	next := make([]int, numGroups)
	copy(next, off)
	for u, g := range groups {
		if g >= 0 && !math.IsNaN(values[u]) {
			s.vals[next[g]] = values[u]
			s.labels[next[g]] = g
			next[g]++
		}
	}
	return s
}

func (s *strata) numGroups() int { return len(s.off) - 1 }

// means writes the group means and, in row[G], the overall mean of the
// original sample.
func (s *strata) means(row []float64) {
	G := s.numGroups()
	var tot float64
	for g := range G {
		v := s.vals[s.off[g]:s.off[g+1]]
		var sum float64
		for _, x := range v {
			sum += x
		}
		tot += sum
		row[g] = sum / float64(len(v)) // NaN for an empty group
	}
	row[G] = tot / float64(len(s.vals))
}

// resampleSum returns the sum of len(v) values drawn from v with replacement,
// 0 < len(v) < 2³². This is the bootstrap's hot loop: it keeps the generator
// state in a register, turns each 64-bit draw into two indices (Lemire's
// method on each 32-bit half, see stream.intn) and sums into two
// accumulators.
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

// stratifiedRow writes one stratified resample's group means and overall
// mean.
func (s *strata) stratifiedRow(r *stream, row []float64) {
	G := s.numGroups()
	var tot float64
	for g := range G {
		v := s.vals[s.off[g]:s.off[g+1]]
		if len(v) == 0 {
			row[g] = math.NaN()
			continue
		}
		sum := resampleSum(r, v)
		tot += sum
		row[g] = sum / float64(len(v))
	}
	row[G] = tot / float64(len(s.vals))
}

// unstratifiedRow writes one unstratified resample's group means and overall
// mean, using sums and counts (length G) as scratch.
func (s *strata) unstratifiedRow(r *stream, row, sums []float64, counts []int) {
	clear(sums)
	clear(counts)
	vals, labels := s.vals, s.labels
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
		sums[lb] += vals[b]
		counts[lb]++
	}
	r.s = st
	if i < len(vals) {
		a := r.intn(n32)
		sums[labels[a]] += vals[a]
		counts[labels[a]]++
	}
	var tot float64
	for g, c := range counts {
		tot += sums[g]
		if c == 0 {
			row[g] = math.NaN()
			continue
		}
		row[g] = sums[g] / float64(c)
	}
	row[len(counts)] = tot / float64(len(vals))
}

// replicates fills dst (B rows of G+1) with resampled group and overall
// means.
func (bs Bootstrap) replicates(dst []float64, s *strata, B int) {
	G := s.numGroups()
	w := G + 1
	if len(s.vals) == 0 {
		for i := range dst {
			dst[i] = math.NaN()
		}
		return
	}
	seed := baseSeed(bs.Src)
	nChunks := (B + bootChunk - 1) / bootChunk
	nw := workers(nChunks)
	sums := make([][]float64, nw)
	counts := make([][]int, nw)
	if bs.Unstratified {
		for i := range nw {
			sums[i] = make([]float64, G)
			counts[i] = make([]int, G)
		}
	}
	forChunks(nChunks, func(wk, c int) {
		r := newStream(seed, c)
		for b := c * bootChunk; b < min(B, (c+1)*bootChunk); b++ {
			row := dst[b*w : (b+1)*w]
			if bs.Unstratified {
				s.unstratifiedRow(&r, row, sums[wk], counts[wk])
			} else {
				s.stratifiedRow(&r, row)
			}
		}
	})
}

// Replicates returns in dst the bootstrap replicates of the group means and
// of the overall (user-weighted) mean of the per-user values: row b, dst[b·(G+1)
// : (b+1)·(G+1)] with G = numGroups, holds the G group means of resample b
// followed by its overall mean. Use it to bootstrap any function of the group
// means, then [PercentileInterval].
//
// Users whose value is NaN or whose label is -1 are left out, as in
// [GroupMeans]; an empty group's replicates are NaN (in an unstratified
// bootstrap, a group may also be empty in some resamples only).
//
// If dst is nil a new slice is allocated; otherwise it must have length
// B·(numGroups+1). Replicates panics under the conditions of [GroupMeans],
// if len(dst) is wrong, if B < 0, or if there are 2³¹−1 users or more.
func (bs Bootstrap) Replicates(dst []float64, values []float64, groups []int32, numGroups int) []float64 {
	B := bs.resamples()
	s := newStrata(values, groups, numGroups)
	dst = useFloats(dst, B*(numGroups+1))
	bs.replicates(dst, s, B)
	return dst
}

// Groups returns the group means of the per-user values, the overall
// user-weighted mean and the disparities listed in Aggregators, each with its
// bootstrap percentile interval. On every resample the disparities are
// recomputed from that resample's group means (and overall mean), with
// [Disparity].
//
// Users whose value is NaN or whose label is -1 are left out, as in
// [GroupMeans]. Groups panics under the conditions of [GroupMeans], if B < 0,
// if Alpha is outside [0, 1) or an aggregator is not defined.
func (bs Bootstrap) Groups(values []float64, groups []int32, numGroups int) GroupIntervals {
	B := bs.resamples()
	alpha := bs.alpha()
	aggs := bs.aggregators()
	s := newStrata(values, groups, numGroups)
	G := numGroups
	w := G + 1
	reps := make([]float64, B*w)
	bs.replicates(reps, s, B)

	est := make([]float64, w)
	s.means(est)
	res := GroupIntervals{
		Groups:      make([]Interval, G),
		Aggregators: append([]Aggregator(nil), aggs...),
		Disparities: make([]Interval, len(aggs)),
		Counts:      make([]int, G),
		B:           B,
	}
	for g := range G {
		res.Counts[g] = s.off[g+1] - s.off[g]
	}
	col := make([]float64, B)
	for j := range w {
		for b := range B {
			col[b] = reps[b*w+j]
		}
		iv := interval(est[j], col, alpha)
		if j < G {
			res.Groups[j] = iv
		} else {
			res.Overall = iv
		}
	}
	for k, a := range aggs {
		for b := range B {
			row := reps[b*w : (b+1)*w]
			col[b] = Disparity(a, row[:G], row[G])
		}
		res.Disparities[k] = interval(Disparity(a, est[:G], est[G]), col, alpha)
	}
	return res
}

// Mean returns the mean of the per-user values with its bootstrap percentile
// interval. Users whose value is NaN are left out. It panics if B < 0 or Alpha
// is outside [0, 1).
func (bs Bootstrap) Mean(values []float64) Interval {
	B := bs.resamples()
	alpha := bs.alpha()
	s := newStrata(values, make([]int32, len(values)), 1)
	reps := make([]float64, 2*B)
	bs.replicates(reps, s, B)
	col := make([]float64, B)
	for b := range B {
		col[b] = reps[2*b]
	}
	est := make([]float64, 2)
	s.means(est)
	return interval(est[0], col, alpha)
}

// interval builds an Interval from the estimate and the replicates.
func interval(est float64, reps []float64, alpha float64) Interval {
	iv := Interval{Estimate: est}
	for _, v := range reps {
		if math.IsNaN(v) {
			iv.Undefined++
		}
	}
	iv.Lo, iv.Hi = PercentileInterval(reps, alpha)
	return iv
}
