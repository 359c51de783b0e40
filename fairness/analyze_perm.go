package fairness

import (
	"math"
	"math/rand/v2"
)

// The permutation tests of Analyze. Columns whose users with a value are
// the same share their relabelings: one random permutation of those users
// gives the block sums of every column, and every aggregator of every
// column is judged on it. Each column's test is then exactly the test of
// Permutation.Disparity (labels permuted among the column's users, group
// sizes fixed); only the random draws are shared.

// analyzePermSet is a set of columns with the same users, laid out for
// joint relabeling: the users group by group (non-empty groups only, the
// largest last, as in newUnpaired), each user's values of the K columns
// contiguous.
type analyzePermSet struct {
	cols   []int // indices of the columns
	n, K   int
	sizes  []int     // block sizes, the largest last
	codes  []int32   // group code of each block
	vals   []float64 // n·K, row-major by position
	scales []float64 // per column, max |value|
}

// analyzeMasks groups the columns by their set of users with a value (label
// >= 0, value not NaN), in order of first appearance.
func analyzeMasks(cols [][]float64, codes []int32) [][]int {
	words := (len(codes) + 63) / 64
	var masks [][]uint64
	var sets [][]int
	for k, c := range cols {
		m := make([]uint64, words)
		for u, g := range codes {
			if g >= 0 && !math.IsNaN(c[u]) {
				m[u>>6] |= 1 << (u & 63)
			}
		}
		found := -1
		for s, o := range masks {
			if equalWords(o, m) {
				found = s
				break
			}
		}
		if found < 0 {
			masks = append(masks, m)
			sets = append(sets, nil)
			found = len(sets) - 1
		}
		sets[found] = append(sets[found], k)
	}
	return sets
}

func equalWords(a, b []uint64) bool {
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// newAnalyzePermSet lays out the users of the columns idx (which share their
// users with a value).
func newAnalyzePermSet(cols [][]float64, idx []int, codes []int32, G int) *analyzePermSet {
	first := cols[idx[0]]
	size := make([]int, G)
	for u, g := range codes {
		if g >= 0 && !math.IsNaN(first[u]) {
			size[g]++
		}
	}
	var order []int32
	for g := range G {
		if size[g] > 0 {
			order = append(order, int32(g))
		}
	}
	if len(order) > 0 {
		big := 0
		for k, g := range order {
			if size[g] > size[order[big]] {
				big = k
			}
		}
		g := order[big]
		order = append(append(order[:big:big], order[big+1:]...), g)
	}
	K := len(idx)
	s := &analyzePermSet{cols: idx, K: K, codes: order, scales: make([]float64, K)}
	start := make([]int, G)
	for _, g := range order {
		start[g] = s.n
		s.sizes = append(s.sizes, size[g])
		s.n += size[g]
	}
	s.vals = make([]float64, s.n*K)
	next := start
	for u, g := range codes {
		if g < 0 || math.IsNaN(first[u]) {
			continue
		}
		i := next[g]
		next[g]++
		for k, c := range idx {
			s.vals[i*K+k] = cols[c][u]
		}
	}
	for i, v := range s.vals {
		s.scales[i%K] = max(s.scales[i%K], math.Abs(v))
	}
	return s
}

// analyzePermutations returns the permutation test of every aggregator of
// every column, tests[k][a].
// sets are the column sets of analyzeMasks and seed(s) the seed of set s.
func analyzePermutations(cols [][]float64, codes []int32, G int, sets [][]int, aggs []Aggregator, cfg AnalyzeConfig, seed func(s int) uint64) [][]Test {
	tests := make([][]Test, len(cols))
	for k := range tests {
		tests[k] = make([]Test, len(aggs))
	}
	lim := Permutation{MaxExact: cfg.MaxExact}.maxExact()
	for si, idx := range sets {
		s := newAnalyzePermSet(cols, idx, codes, G)
		if len(s.sizes) < 2 {
			for _, k := range idx {
				for a := range aggs {
					tests[k][a] = analyzeTest("permutation", undefined(s.n), 0)
				}
			}
			continue
		}
		if lim >= 0 && relabelings(s.sizes, lim) <= lim {
			p := Permutation{MaxExact: cfg.MaxExact}
			for _, k := range idx {
				for a, agg := range aggs {
					r := p.Disparity(agg, cols[k], codes, G)
					tests[k][a] = analyzeTest("exact-permutation", r, r.Relabelings)
				}
			}
			continue
		}
		B := cfg.PermutationResamples(s.n)
		if len(s.sizes) > math.MaxUint16 {
			// Too many groups for the joint kernel's labels: one test at a time.
			p := Permutation{B: B, MaxExact: -1, Src: rand.NewPCG(seed(si), 0)}
			for _, k := range idx {
				for a, agg := range aggs {
					tests[k][a] = analyzeTest("permutation", p.Disparity(agg, cols[k], codes, G), B)
				}
			}
			continue
		}
		res := s.monteCarlo(aggs, G, B, seed(si))
		for j, k := range idx {
			for a := range aggs {
				tests[k][a] = analyzeTest("permutation", res[j*len(aggs)+a], B)
			}
		}
	}
	return tests
}

// analyzeTest converts a TestResult.
func analyzeTest(method string, r TestResult, resamples int) Test {
	if math.IsNaN(r.Statistic) {
		resamples = 0
	}
	return Test{Method: method, Statistic: Float(r.Statistic), P: Float(r.P), Q: Float(math.NaN()), Resamples: resamples}
}

// analyzeTile is the number of users whose values are added for every
// relabeling of a batch before moving on, so that they stay in cache.
const analyzeTile = 2048

// labelSums adds, for each of the label arrays labs (one per relabeling,
// labs[r][i] the block of the user at position i), the values of every
// column to its block's sum: sums[r] has the block sums, block b of column
// k at b·K+k. The sums are cleared first.
func (s *analyzePermSet) labelSums(sums [][]float64, labs [][]uint16) {
	K := s.K
	for _, a := range sums {
		clear(a)
	}
	for i0 := 0; i0 < s.n; i0 += analyzeTile {
		i1 := min(s.n, i0+analyzeTile)
		vals := s.vals[i0*K : i1*K]
		for r, lab := range labs {
			acc := sums[r]
			lab := lab[i0:i1]
			if K == 1 {
				vals := vals[:len(lab)]
				for t, l := range lab {
					acc[l] += vals[t]
				}
				continue
			}
			for t, l := range lab {
				row := vals[t*K : t*K+K]
				a := acc[int(l)*K : int(l)*K+K]
				k := 0
				for ; k+4 <= K; k += 4 {
					a[k] += row[k]
					a[k+1] += row[k+1]
					a[k+2] += row[k+2]
					a[k+3] += row[k+3]
				}
				for ; k < K; k++ {
					a[k] += row[k]
				}
			}
		}
	}
}

// stat computes the disparity of column k under agg from the block sums;
// means is scratch space of length G, NaN outside the blocks' groups.
func (s *analyzePermSet) stat(agg Aggregator, k int, sums, means []float64) float64 {
	var total float64
	for b, g := range s.codes {
		x := sums[b*s.K+k]
		total += x
		means[g] = x / float64(s.sizes[b])
	}
	return Disparity(agg, means, total/float64(s.n))
}

// monteCarlo runs B random relabelings and returns the result of column j
// of the set under aggregator a at index j·len(aggs)+a. Relabelings are
// drawn in chunks of permChunk, each chunk from its own stream: a chunk
// draws, for each relabeling, a uniform ordered sample of the positions
// that take the labels of all blocks but the largest (a partial
// Fisher–Yates shuffle, as Permutation does), then adds up the block sums
// of all its relabelings in one pass over the users.
func (s *analyzePermSet) monteCarlo(aggs []Aggregator, G, B int, seed uint64) []TestResult {
	K, A, nb := s.K, len(aggs), len(s.sizes)
	newMeans := func() []float64 {
		m := make([]float64, G)
		for i := range m {
			m[i] = math.NaN()
		}
		return m
	}
	// The observed labels and the block of each of the first m positions.
	m := s.n - s.sizes[nb-1]
	observed := make([]uint16, s.n)
	i := 0
	for b, size := range s.sizes {
		for range size {
			observed[i] = uint16(b)
			i++
		}
	}
	obsSums := [][]float64{make([]float64, nb*K)}
	s.labelSums(obsSums, [][]uint16{observed})
	means := newMeans()
	obs := make([]float64, K*A)
	judges := make([]judge, K*A)
	for k := range K {
		for a, agg := range aggs {
			obs[k*A+a] = s.stat(agg, k, obsSums[0], means)
			judges[k*A+a] = newJudge(obs[k*A+a], agg.FairValue(), agg.scale(s.scales[k]))
		}
	}
	nChunks := (B + permChunk - 1) / permChunk
	nw := workers(nChunks)
	type scratch struct {
		idx   []int32
		labs  [][]uint16
		sums  [][]float64
		means []float64
	}
	sc := make([]scratch, nw)
	for w := range sc {
		x := scratch{idx: make([]int32, s.n), means: newMeans()}
		for range permChunk {
			x.labs = append(x.labs, make([]uint16, s.n))
			x.sums = append(x.sums, make([]float64, nb*K))
		}
		sc[w] = x
	}
	last := uint16(nb - 1)
	tallies := make([][]tally, nChunks)
	forChunks(nChunks, func(w, c int) {
		x := &sc[w]
		for i := range x.idx {
			x.idx[i] = int32(i)
		}
		r := newStream(seed, c)
		R := min(B, (c+1)*permChunk) - c*permChunk
		labs, sums := x.labs[:R], x.sums[:R]
		for _, lab := range labs {
			partialShuffle(&r, x.idx, m)
			for i := range lab {
				lab[i] = last
			}
			for j, p := range x.idx[:m] {
				lab[p] = observed[j]
			}
		}
		s.labelSums(sums, labs)
		t := make([]tally, K*A)
		for _, sm := range sums {
			for k := range K {
				for a, agg := range aggs {
					i := k*A + a
					if !math.IsNaN(obs[i]) {
						judges[i].add(&t[i], s.stat(agg, k, sm, x.means))
					}
				}
			}
		}
		tallies[c] = t
	})
	out := make([]TestResult, K*A)
	for i := range out {
		if math.IsNaN(obs[i]) {
			out[i] = undefined(s.n)
			continue
		}
		var t tally
		for _, c := range tallies {
			t.merge(c[i])
		}
		out[i] = t.result(obs[i], B, false, s.n)
	}
	return out
}
