package fairness

import (
	"math"
	"slices"
	"sort"

	"gonum.org/v1/gonum/stat/distuv"
)

// Panic messages of the FA*IR test.
const (
	rankfairBadP     = "fairness: FA*IR proportion not in (0, 1)"
	rankfairBadAlpha = "fairness: FA*IR significance not in (0, 1)"
	rankfairBadK     = "fairness: FA*IR length k not positive"
	rankfairBadTable = "fairness: malformed FA*IR m-table"
)

// FAIR holds the parameters of the FA*IR ranked group fairness test: a
// top-k list passes when every prefix of length j holds at least m(j)
// protected items, m(j) the α-quantile of Binomial(j, P). There is no
// useful zero value: P and Alpha must be set.
type FAIR struct {
	// P is the target minimum proportion of protected items, in (0, 1).
	P float64
	// Alpha is the significance level, in (0, 1) (the library accepts
	// 0.01 to 0.15).
	Alpha float64
	// Adjusted applies the multiple-testing correction: the table is built
	// with the corrected significance α_c of AdjustedAlpha instead of
	// Alpha, so that a fair random ranking fails with probability at most
	// Alpha. The default (false) is the unadjusted table.
	Adjusted bool
}

// check panics if f is invalid.
func (f FAIR) check(k int) {
	switch {
	case !(f.P > 0 && f.P < 1):
		panic(rankfairBadP)
	case !(f.Alpha > 0 && f.Alpha < 1):
		panic(rankfairBadAlpha)
	case k <= 0:
		panic(rankfairBadK)
	}
}

// rankfairMTable fills dst[j-1] with m(j) = min{m : F(m; j, p) >= alpha}.
func rankfairMTable(dst []int, p, alpha float64) {
	m := 0
	for j := 1; j <= len(dst); j++ {
		b := distuv.Binomial{N: float64(j), P: p}
		for m < j && b.CDF(float64(m)) < alpha {
			m++
		}
		dst[j-1] = m
	}
}

// MTableTo fills dst[j-1] with m(j), the minimum number of protected items
// in the first j positions, for j = 1..k,
//
//	m(j) = F⁻¹(α; j, P) = min{m : P(X <= m) >= α},  X ~ Binomial(j, P),
//
// the quantile of scipy's binom.ppf, with α = f.Alpha, or α_c of
// AdjustedAlpha when f.Adjusted. If dst is nil a new slice is allocated.
//
// MTableTo panics if f.P or f.Alpha is not in (0, 1), k <= 0, or dst is
// not nil and len(dst) != k. Reference: Zehlike et al., "FA*IR: A Fair
// Top-k Ranking Algorithm", CIKM 2017; fair-search/fairsearch-fair-python
// mtable_generator.py; METRICS-SPEC.md §4.7.
func (f FAIR) MTableTo(dst []int, k int) []int {
	f.check(k)
	if dst == nil {
		dst = make([]int, k)
	} else if len(dst) != k {
		panic(exposureDstLength)
	}
	alpha := f.Alpha
	if f.Adjusted {
		alpha, _ = f.AdjustedAlpha(k)
	}
	rankfairMTable(dst, f.P, alpha)
	return dst
}

// FAIRFailProbability returns the probability that a random ranking, with
// every position protected independently with probability p, fails the
// m-table (some prefix j holds fewer than mtable[j-1] protected items),
// computed exactly by dynamic programming over the protected count:
//
//	fail = 1 − Σ_c π_k(c),  π_j(c) = [c >= m(j)] (π_{j−1}(c)(1−p) + π_{j−1}(c−1) p).
//
// The reference library's RecursiveNumericFailProbabilityCalculator never
// tests the last position of the table (compute_aux_mtable loops over
// range(1, len(mtable))), so its values differ when m(k) > m(k−1).
//
// FAIRFailProbability panics if p is not in (0, 1) or mtable is empty,
// negative or decreasing. Reference: Zehlike et al., CIKM 2017 (Section
// 4.2, the adjusted significance); METRICS-SPEC.md §4.7.
func FAIRFailProbability(mtable []int, p float64) float64 {
	if !(p > 0 && p < 1) {
		panic(rankfairBadP)
	}
	if len(mtable) == 0 {
		panic(rankfairBadTable)
	}
	for j, m := range mtable {
		if m < 0 || (j > 0 && m < mtable[j-1]) {
			panic(rankfairBadTable)
		}
	}
	return rankfairFail(mtable, p, make([]float64, len(mtable)+1))
}

// rankfairFail is FAIRFailProbability with a scratch of len(mtable)+1.
func rankfairFail(mtable []int, p float64, pi []float64) float64 {
	clear(pi)
	pi[0] = 1
	for j := 1; j <= len(mtable); j++ {
		for c := j; c >= 1; c-- {
			pi[c] = pi[c]*(1-p) + pi[c-1]*p
		}
		pi[0] *= 1 - p
		for c := 0; c < mtable[j-1] && c <= j; c++ {
			pi[c] = 0
		}
	}
	var pass float64
	for _, v := range pi {
		pass += v
	}
	return max(0, 1-pass)
}

// AdjustedAlpha returns the corrected significance α_c for lists of length
// k and the exact failure probability of its m-table. The m-table changes
// only where α_c crosses a value F(m; j, P), so AdjustedAlpha searches
// those values exactly and returns the largest α_c whose table fails a
// fair random ranking with probability at most f.Alpha (with that
// failure probability). The reference library instead bisects α_c and
// keeps the table whose failure probability is closest to α, which may
// exceed it.
//
// AdjustedAlpha panics if f.P or f.Alpha is not in (0, 1) or k <= 0.
// Reference: Zehlike et al., CIKM 2017; fairsearchcore fail_prob.py;
// METRICS-SPEC.md §4.7.
func (f FAIR) AdjustedAlpha(k int) (alphaC, failProb float64) {
	f.check(k)
	// Candidate α_c: every CDF value F(m; j, P) <= α, and α itself.
	cands := []float64{f.Alpha}
	for j := 1; j <= k; j++ {
		b := distuv.Binomial{N: float64(j), P: f.P}
		for m := 0; m < j; m++ {
			v := b.CDF(float64(m))
			if v > f.Alpha {
				break
			}
			if v > 0 {
				cands = append(cands, v)
			}
		}
	}
	slices.Sort(cands)
	cands = slices.Compact(cands)
	table := make([]int, k)
	pi := make([]float64, k+1)
	fail := func(a float64) float64 {
		rankfairMTable(table, f.P, a)
		return rankfairFail(table, f.P, pi)
	}
	// The failure probability does not decrease with α_c: find the last
	// candidate whose table fails with probability <= α.
	i := sort.Search(len(cands), func(i int) bool { return fail(cands[i]) > f.Alpha })
	if i == 0 {
		// Unreachable: the smallest candidate gives the all-zero table,
		// which never fails. α_c = 0 gives that table too.
		return 0, 0
	}
	return cands[i-1], fail(cands[i-1])
}

// FAIRFirstFailure returns the length j of the first prefix of a list that
// holds fewer than m(j) = mtable[j-1] protected items, or 0 when the list
// passes the FA*IR test,
//
//	pass ⇔ |{r <= j : protected[r-1]}| >= m(j) for every j = 1..len(mtable),
//
// where protected[r-1] says whether the item at rank r is protected.
// Positions beyond the end of a shorter list count as not protected
// (missing positions are misses); positions beyond the table are not
// tested.
//
// FAIRFirstFailure panics if mtable is empty. Reference: Zehlike et al.,
// CIKM 2017; fairsearchcore fair.py check_ranking; METRICS-SPEC.md §4.7.
func FAIRFirstFailure(protected []bool, mtable []int) int {
	if len(mtable) == 0 {
		panic(rankfairBadTable)
	}
	c := 0
	for j, m := range mtable {
		if j < len(protected) && protected[j] {
			c++
		}
		if c < m {
			return j + 1
		}
	}
	return 0
}

// FAIRPassRate returns the weighted share of users whose list passes the
// FA*IR test with the given m-table,
//
//	rate = Σ_u ω_u [FAIRFirstFailure(L_u) = 0] / Σ_u ω_u,
//
// where item i is protected iff protected[i] (items beyond protected are
// not) and ω_u = weights[u] (nil means unit weights); every row of lists
// is a user. It returns NaN when there is no user or the weights sum to 0.
//
// FAIRPassRate panics if lists is malformed, mtable is empty, or weights
// is not nil and not one per user. Reference: METRICS-SPEC.md §4.7 (share
// of users whose list passes).
func FAIRPassRate(lists Rankings, protected []bool, mtable []int, weights []float64) float64 {
	lists.check()
	exposureCheckWeights(weights, lists.Users())
	if len(mtable) == 0 {
		panic(rankfairBadTable)
	}
	flags := make([]bool, len(mtable))
	var pass, sum float64
	for u := range lists.Users() {
		list := lists.List(u)
		for j := range flags {
			flags[j] = j < len(list) && list[j] >= 0 && int(list[j]) < len(protected) && protected[list[j]]
		}
		ω := exposureUserWeight(weights, u)
		sum += ω
		if FAIRFirstFailure(flags, mtable) == 0 {
			pass += ω
		}
	}
	if sum == 0 {
		return math.NaN()
	}
	return pass / sum
}
