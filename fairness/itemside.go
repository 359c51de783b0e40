package fairness

import "math"

// Panic messages of the item-side disparities.
const (
	itemsideBadStd  = "fairness: bad standard deviation convention"
	itemsideBadBeta = "fairness: GCE beta is 0, 1 or NaN"
	itemsideBadH    = "fairness: GCE smoothing weight not in [0, 1)"
)

// StdConvention selects the standard deviation of a coefficient of
// variation.
type StdConvention int

const (
	// StdPopulation divides by the number of groups (numpy np.std, ddof =
	// 0), as Elliot's RSP and REO do. The default.
	StdPopulation StdConvention = iota
	// StdSample divides by the number of groups minus one (ddof = 1).
	StdSample
)

// itemsideCV returns std/mean of the non-NaN values of v.
func itemsideCV(v []float64, std StdConvention) float64 {
	if std != StdPopulation && std != StdSample {
		panic(itemsideBadStd)
	}
	var n, sum float64
	for _, x := range v {
		if !math.IsNaN(x) {
			n++
			sum += x
		}
	}
	ddof := 0.0
	if std == StdSample {
		ddof = 1
	}
	if n-ddof <= 0 {
		return math.NaN()
	}
	mean := sum / n
	var ss float64
	for _, x := range v {
		if !math.IsNaN(x) {
			ss += (x - mean) * (x - mean)
		}
	}
	return math.Sqrt(ss/(n-ddof)) / mean
}

// itemsideCheck panics on bad shared arguments of RSP and REO.
func itemsideCheck(lists, train Rankings, k int, group []int32, nGroups int) {
	lists.check()
	train.check()
	if train.Users() != 0 && train.Users() != lists.Users() {
		panic(exposureUsersMismatch)
	}
	if k < 0 {
		panic(exposureBadCutoff)
	}
	rankfairCheckGroups(group, nGroups)
}

// itemsideTop returns the first k items of list (all when k is 0).
func itemsideTop(list []int32, k int) []int32 {
	if k > 0 && len(list) > k {
		return list[:k]
	}
	return list
}

// RSP returns the ranking-based statistical parity of item groups and the
// per-group probabilities it compares,
//
//	P(R@k | g) = Σ_u Σ_{r<=k} 1[i_r ∈ g] / Σ_u |g \ I_u^train|,
//	RSP@k      = std_g P(R@k | g) / mean_g P(R@k | g),
//
// counts pooled over users before dividing, where every row of lists is a
// user (k = 0 means whole lists), train holds each user's training items
// (one row per user, or no rows for no exclusion), group[i] is the group
// code of catalogue item i in [0, nGroups) (negative: no group, ignored)
// and len(group) is the catalogue size. std selects the standard deviation
// (population, as Elliot; the spec's example gives 0.5, and 0.7071 with
// the sample std). A group whose denominator is 0 has probability NaN and
// is left out of the coefficient of variation. Range [0, ∞); 0 is fair.
//
// RSP panics if lists or train is malformed, train has rows but not one
// per user, k < 0, nGroups <= 0, a code is >= nGroups, or std is bad. It
// returns NaN when fewer groups than the std needs have a probability or
// their mean is 0. Reference: Zhu, Wang & Caverlee, "Measuring and
// Mitigating Item Under-Recommendation Bias in Personalized Ranking
// Systems", SIGIR 2020; Elliot fairness/rsp/rsp.py; METRICS-SPEC.md §4.8.
func RSP(lists Rankings, k int, train Rankings, group []int32, nGroups int, std StdConvention) (rsp float64, probs []float64) {
	itemsideCheck(lists, train, k, group, nGroups)
	size := make([]float64, nGroups)
	for _, g := range group {
		if g >= 0 {
			size[g]++
		}
	}
	num := make([]float64, nGroups)
	den := make([]float64, nGroups)
	seen := make([]int, len(group)) // 1 + last user whose training row held the item
	for u := range lists.Users() {
		for _, it := range itemsideTop(lists.List(u), k) {
			if g := rankfairCode(group, it); g >= 0 {
				num[g]++
			}
		}
		for g := range den {
			den[g] += size[g]
		}
		if train.Users() == 0 {
			continue
		}
		for _, it := range train.List(u) {
			if g := rankfairCode(group, it); g >= 0 && seen[it] != u+1 {
				seen[it] = u + 1
				den[g]--
			}
		}
	}
	probs = num
	for g := range probs {
		if den[g] == 0 {
			probs[g] = math.NaN()
		} else {
			probs[g] /= den[g]
		}
	}
	return itemsideCV(probs, std), probs
}

// REO returns the ranking-based equal opportunity of item groups and the
// per-group probabilities it compares,
//
//	P(R@k | g, y=1) = Σ_u Σ_{r<=k} 1[i_r ∈ g ∩ Test_u] / Σ_u |(g ∩ Test_u) \ I_u^train|,
//	REO@k           = std_g P(R@k | g, y=1) / mean_g P(R@k | g, y=1),
//
// counts pooled over users, where Test_u is the set of items with grade
// > 0 in row u of test (one row per user of lists) and the other
// conventions are those of RSP. Users without a relevant test item add
// nothing (Elliot skips them).
//
// REO panics as RSP does, and if test is malformed or does not have one
// row per user. It returns NaN as RSP does. Reference: Zhu, Wang &
// Caverlee, SIGIR 2020; Elliot fairness/reo/reo.py; METRICS-SPEC.md §4.8.
func REO(lists Rankings, k int, train Rankings, test Relevance, group []int32, nGroups int, std StdConvention) (reo float64, probs []float64) {
	itemsideCheck(lists, train, k, group, nGroups)
	test.check()
	if test.Users() != lists.Users() {
		panic(exposureUsersMismatch)
	}
	num := make([]float64, nGroups)
	den := make([]float64, nGroups)
	inTest := make([]int, len(group))  // 1 + last user for whom the item is relevant
	inTrain := make([]int, len(group)) // 1 + last user whose training row held it
	for u := range lists.Users() {
		if train.Users() > 0 {
			for _, it := range train.List(u) {
				if it >= 0 && int(it) < len(group) {
					inTrain[it] = u + 1
				}
			}
		}
		items, grades := test.User(u)
		for j, it := range items {
			if it < 0 || int(it) >= len(group) || (grades != nil && !(grades[j] > 0)) {
				continue
			}
			inTest[it] = u + 1
			if g := group[it]; g >= 0 && inTrain[it] != u+1 {
				den[g]++
			}
		}
		for _, it := range itemsideTop(lists.List(u), k) {
			if g := rankfairCode(group, it); g >= 0 && inTest[it] == u+1 {
				num[g]++
			}
		}
	}
	probs = num
	for g := range probs {
		if den[g] == 0 {
			probs[g] = math.NaN()
		} else {
			probs[g] /= den[g]
		}
	}
	return itemsideCV(probs, std), probs
}

// GCEOptions holds the smoothing of GCE. The zero value is the plain
// definition: no smoothing, and p_m(a) = 0 enters the sum (giving ±Inf or
// a finite value depending on β).
type GCEOptions struct {
	// H, when positive, smooths the model distribution,
	// p_m(a) ← h·p_m(a) + (1−h)·p_c, then renormalises; a public
	// implementation uses h = 0.95.
	H float64
	// Floor is p_c; 0 means 1e-4.
	Floor float64
	// SkipZero leaves out the attribute values whose (unsmoothed) p_m is
	// 0, as the same implementation does.
	SkipZero bool
}

// GCE returns the generalized cross entropy between the fair distribution
// pf and the model's benefit distribution pm over attribute values,
//
//	GCE(p_f, p_m) = [ Σ_a p_f(a)^β p_m(a)^(1−β) − 1 ] / (β(1−β)),
//
// after normalising pf and pm to sum 1 (counts, gains or exposures may be
// passed) and applying opt. On the user side p_m(a) ∝ Σ_{u∈a} M(u); on
// the item side p_m(a) is the share of recommendation counts, relevant
// hits or exposure going to item group a (GroupExposureTo). p_f is
// uniform for equality, or a merit or need distribution. Range (−∞, 0];
// 0 when p_m = p_f; compare values only at a fixed β.
//
// GCE panics if len(pf) != len(pm), beta is 0, 1 or NaN, or opt.H is not
// in [0, 1). It returns NaN when pf or pm has a negative or NaN entry or
// no positive sum. Reference: Deldjoo, Anelli, Zamani, Bellogín & Di
// Noia, "A flexible framework for evaluating user and item fairness in
// recommender systems", UMUAI 2021; METRICS-SPEC.md §3.5, §4.9.
func GCE(pf, pm []float64, beta float64, opt GCEOptions) float64 {
	if len(pf) != len(pm) {
		panic(exposureLengthMismatch)
	}
	if beta == 0 || beta == 1 || math.IsNaN(beta) {
		panic(itemsideBadBeta)
	}
	if !(opt.H >= 0 && opt.H < 1) {
		panic(itemsideBadH)
	}
	f, m := exposureNormalize(pf), exposureNormalize(pm)
	if f == nil || m == nil {
		return math.NaN()
	}
	raw := m
	if opt.H > 0 {
		pc := opt.Floor
		if pc == 0 {
			pc = 1e-4
		}
		s := make([]float64, len(m))
		for a, v := range m {
			s[a] = opt.H*v + (1-opt.H)*pc
		}
		m = exposureNormalize(s)
	}
	var sum float64
	for a := range f {
		if opt.SkipZero && raw[a] == 0 {
			continue
		}
		sum += math.Pow(f[a], beta) * math.Pow(m[a], 1-beta)
	}
	return (sum - 1) / (beta * (1 - beta))
}

// BiasDisparityTable holds the bias of every (user group, item category)
// pair, row-major: the entry of group g and category c is at
// g*Categories + c.
type BiasDisparityTable struct {
	UserGroups, Categories int
	BS                     []float64 // input bias B_S(G, C)
	BR                     []float64 // recommendation bias B_R(G, C)
	BD                     []float64 // bias disparity (B_R − B_S) / B_S
}

// At returns B_S, B_R and BD of user group g and category c.
func (t BiasDisparityTable) At(g, c int) (bs, br, bd float64) {
	i := g*t.Categories + c
	return t.BS[i], t.BR[i], t.BD[i]
}

// BiasDisparity returns the bias disparity of every user group and item
// category,
//
//	PR_S(G, C) = share of G's training interactions that fall in C
//	B_S(G, C)  = PR_S(G, C) / P(C),  P(C) = |C| / |I|
//	B_R(G, C)  = the same over the first k items of G's lists
//	BD(G, C)   = (B_R − B_S) / B_S,
//
// pooled over the users of each group, where train and lists have one row
// per user, userGroup[u] is the group of user u in [0, nUserGroups)
// (negative: ignored), itemCat[i] the category of item i in [0, nCats)
// (negative or beyond itemCat: ignored) and |I| counts the categorised
// items. k = 0 means whole lists. Range [−1, ∞); 0 keeps the group's
// relative preference, positive amplifies it.
//
// BiasDisparity panics if train or lists is malformed, they or userGroup
// differ in users, k < 0, nUserGroups or nCats <= 0, or a code is out of
// range. An entry is NaN when its group has no interaction (in training
// for B_S, in the lists for B_R) or its category no item; BD is ±Inf or
// NaN when B_S is 0. Reference: Tsintzou, Pitoura & Tsaparas, "Bias
// Disparity in Recommendation Systems", arXiv:1811.01461, 2018; Elliot
// fairness/BiasDisparity; METRICS-SPEC.md §3.6.
func BiasDisparity(train, lists Rankings, k int, userGroup []int32, itemCat []int32, nUserGroups, nCats int) BiasDisparityTable {
	train.check()
	lists.check()
	if train.Users() != lists.Users() || len(userGroup) != lists.Users() {
		panic(exposureUsersMismatch)
	}
	if k < 0 {
		panic(exposureBadCutoff)
	}
	rankfairCheckGroups(userGroup, nUserGroups)
	rankfairCheckGroups(itemCat, nCats)
	pc := make([]float64, nCats)
	var nItems float64
	for _, c := range itemCat {
		if c >= 0 {
			pc[c]++
			nItems++
		}
	}
	for c := range pc {
		pc[c] /= nItems
	}
	t := BiasDisparityTable{UserGroups: nUserGroups, Categories: nCats,
		BS: make([]float64, nUserGroups*nCats),
		BR: make([]float64, nUserGroups*nCats),
		BD: make([]float64, nUserGroups*nCats)}
	for u, g := range userGroup {
		if g < 0 {
			continue
		}
		row := int(g) * nCats
		for _, it := range train.List(u) {
			if c := rankfairCode(itemCat, it); c >= 0 {
				t.BS[row+int(c)]++
			}
		}
		for _, it := range itemsideTop(lists.List(u), k) {
			if c := rankfairCode(itemCat, it); c >= 0 {
				t.BR[row+int(c)]++
			}
		}
	}
	for g := range nUserGroups {
		row := g * nCats
		bias := func(x []float64) {
			var n float64
			for _, v := range x {
				n += v
			}
			for c := range x {
				x[c] = x[c] / n / pc[c]
			}
		}
		bias(t.BS[row : row+nCats])
		bias(t.BR[row : row+nCats])
		for c := range nCats {
			t.BD[row+c] = (t.BR[row+c] - t.BS[row+c]) / t.BS[row+c]
		}
	}
	return t
}
