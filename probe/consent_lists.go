package probe

import (
	"context"
	"math"
	"slices"

	"github.com/recaudit/recaudit/datasets"
	"github.com/recaudit/recaudit/fairness"
	"github.com/recaudit/recaudit/recommenders"
)

// ListsResult is the outcome of the consent probe on a system known only
// by its lists (see [Consent.Lists]). It holds counts and means over users,
// never a user. It marshals to JSON with NaN as null.
type ListsResult struct {
	// Method is "lists".
	Method string `json:"method"`
	// Cutoffs are the list lengths at which the lists were compared.
	Cutoffs []int `json:"cutoffs"`
	// Persistence is RBO's p; Tolerance the tolerated share of
	// personalised lists; Alpha the intervals' error rate and the tests'
	// level; Permutations the relabelings of each test.
	Persistence  float64 `json:"rbo_persistence"`
	Tolerance    float64 `json:"tolerance"`
	Alpha        float64 `json:"alpha"`
	Permutations int     `json:"permutations"`
	// ShareInterval names the interval of the shares ("wilson").
	ShareInterval string `json:"share_interval"`
	// Consenting and NonConsenting count the users with a non-empty list
	// in each group; Missing the users without a list, who are left out.
	Consenting    int `json:"consenting"`
	NonConsenting int `json:"non_consenting"`
	Missing       int `json:"missing"`
	// ByCutoff has one entry per cutoff, in the order of Cutoffs.
	ByCutoff []ListsCutoff `json:"by_cutoff"`
	// Flagged reports whether any cutoff is flagged.
	Flagged bool `json:"flagged"`
}

// ListsCutoff is the outcome of the lists probe at one cutoff k.
type ListsCutoff struct {
	K int `json:"k"`
	// Personalised counts the non-consenting users whose top-k list
	// differs from the non-consenting users' common list (the most
	// frequent one, rank for rank); Share is their share of the
	// non-consenting users, with its Wilson interval.
	Personalised int               `json:"personalised"`
	Share        fairness.Estimate `json:"share"`
	// ConsentingShare is the same share among the consenting users and
	// their own common list, for comparison: near 1 for a personalising
	// system.
	ConsentingShare fairness.Estimate `json:"consenting_share"`
	// CommonRBO is the RBO of the non-consenting users' common list with
	// the most-popular list of the training data (1: the common list is
	// recaudit's fallback).
	CommonRBO fairness.Float `json:"common_rbo_popular"`
	// Overlap compares the groups' mutual overlap: the mean over pairs of
	// distinct users of the group of |A ∩ B| / k, A and B their top-k
	// lists (1 when everyone has the same list). Difference is
	// non-consenting minus consenting; the test's alternative is that the
	// non-consenting users' lists are more alike.
	Overlap GroupComparison `json:"mutual_overlap"`
	// PopularDistance compares the groups' mean distance from the
	// most-popular list of the training data, 1 − RBO(top-k list,
	// most-popular top-k). Difference is consenting minus
	// non-consenting; the test's alternative is that the non-consenting
	// users' lists are closer to the most-popular list.
	PopularDistance GroupComparison `json:"popular_distance"`
	// Flagged reports whether the lower bound of Share's interval exceeds
	// the tolerance.
	Flagged bool `json:"flagged"`
}

// GroupComparison is a measure of personalisation in the non-consenting and
// the consenting group, their difference and a one-sided permutation test
// of it over the consent labels (test P is the one-sided p-value, Method
// "permutation" or "exact-permutation").
type GroupComparison struct {
	NonConsenting fairness.Float `json:"non_consenting"`
	Consenting    fairness.Float `json:"consenting"`
	Difference    fairness.Float `json:"difference"`
	Test          fairness.Test  `json:"test"`
}

// Lists probes whether the lists of a system known only by its output
// personalise for the users whose consent is false, as a system that
// honours consent gives every such user the same non-personalised list.
// At each cutoff k it measures:
//
//   - the share of non-consenting users whose top-k list differs from the
//     non-consenting users' common list (the most frequent one, rank for
//     rank; ties to the most-popular list, then the lexicographically
//     smallest), with its Wilson interval: the system is flagged at k when
//     the interval's lower bound exceeds Tolerance (with the default 0,
//     when a single non-consenting user has a list of their own);
//   - the mutual overlap of the non-consenting users' lists and of the
//     consenting users' lists (mean over pairs of |A ∩ B| / k), and
//   - their mean distance from the most-popular list of train (1 − RBO),
//
// the last two with a one-sided permutation test over the consent labels
// of the users with a list (Monte Carlo with Permutations relabelings,
// p = (#{T_perm ≥ T_obs} + 1)/(B + 1); the distance test is
// [fairness.Permutation.MeanDiff], exact when the relabelings are few).
// A system that honours consent makes the non-consenting users' lists
// identical (overlap 1) and, with recaudit's fallback, equal to the
// most-popular list (distance 0); the tests say how clearly they stand out
// from the consenting users' lists.
//
// The most-popular list is recaudit's fallback ([recommenders.Run]) on
// train: the k items with the most distinct training users, ties by item
// index. A system whose non-consenting users get a varying
// non-personalised list (random, say) is flagged: its lists cannot be told
// from personalised ones; probe it with [Consent.Rerun] if it can be run.
// So is a fallback that leaves out each user's own items, which depends on
// the user's history.
//
// lists has one row per user (the layout of [datasets.Rankings]); users
// with an empty list are left out and counted in Missing. consent is
// indexed by user; nil means everyone consented (nothing is probed, and
// nothing is flagged). K zero means the largest cutoff, or the longest
// list. Inputs are not modified. Lists panics if consent is not nil and its
// length differs from lists.Users(), if train's number of users differs
// from lists.Users(), or on invalid settings (see [Consent.Rerun]).
func (c Consent) Lists(lists *datasets.Rankings, train *datasets.CSR, consent []bool) *ListsResult {
	n := lists.Users()
	if consent != nil && len(consent) != n || train.Rows != n {
		panic(errConsentLen)
	}
	longest := 0
	for u := range n {
		longest = max(longest, len(lists.List(u)))
	}
	s := c.resolve(max(longest, 1))
	res := &ListsResult{Method: "lists", Cutoffs: s.cutoffs, Persistence: s.p, Tolerance: s.tol, Alpha: s.alpha,
		Permutations: s.perms, ShareInterval: "wilson", ByCutoff: []ListsCutoff{}}
	var non, con []int32
	for u := range n {
		switch {
		case len(lists.List(u)) == 0:
			res.Missing++
		case consent != nil && !consent[u]:
			non = append(non, int32(u))
		default:
			con = append(con, int32(u))
		}
	}
	res.Consenting, res.NonConsenting = len(con), len(non)
	// Popular's Fit and Recommend only fail on cancellation, and the
	// background context is never cancelled.
	popular, _ := popularList(context.Background(), &recommenders.TrainView{Interactions: *train}, s.k)
	for _, k := range s.cutoffs {
		lc := s.listsCutoff(lists, train.NumCols, non, con, k, prefix(popular, k))
		res.Flagged = res.Flagged || lc.Flagged
		res.ByCutoff = append(res.ByCutoff, lc)
	}
	return res
}

// listsCutoff computes the lists probe at cutoff k.
func (s *settings) listsCutoff(lists *datasets.Rankings, nItems int, non, con []int32, k int, popular []int32) ListsCutoff {
	lc := ListsCutoff{K: k, CommonRBO: nan()}
	common, _ := commonList(lists, non, k, popular)
	for _, u := range non {
		if !slices.Equal(prefix(lists.List(int(u)), k), common) {
			lc.Personalised++
		}
	}
	lc.Share = shareEstimate(lc.Personalised, len(non), s.alpha)
	lc.Flagged = flagged(lc.Personalised, len(non), s.tol, s.alpha)
	conCommon, _ := commonList(lists, con, k, popular)
	off := 0
	for _, u := range con {
		if !slices.Equal(prefix(lists.List(int(u)), k), conCommon) {
			off++
		}
	}
	lc.ConsentingShare = shareEstimate(off, len(con), s.alpha)
	if len(non) > 0 && len(popular) > 0 {
		lc.CommonRBO = fairness.Float(RBO(common, popular, s.p))
	}

	// The users with a list, non-consenting first.
	users := append(slices.Clone(non), con...)
	lc.Overlap = s.overlapTest(lists, nItems, users, len(non), k)

	dist := make([]float64, len(users))
	groups := make([]int32, len(users))
	for i, u := range users {
		dist[i] = math.NaN()
		if len(popular) > 0 {
			dist[i] = 1 - RBO(prefix(lists.List(int(u)), k), popular, s.p)
		}
		if i >= len(non) {
			groups[i] = 1
		}
	}
	tr := fairness.Permutation{B: s.perms, Src: s.source()}.MeanDiff(dist, groups, 1, 0)
	lc.PopularDistance = GroupComparison{
		NonConsenting: fairness.Float(groupMean(dist[:len(non)])),
		Consenting:    fairness.Float(groupMean(dist[len(non):])),
		Difference:    fairness.Float(tr.Statistic),
		Test:          permTest(tr),
	}
	return lc
}

// permTest turns a one-sided permutation result (alternative: greater)
// into a Test.
func permTest(tr fairness.TestResult) fairness.Test {
	method := "permutation"
	if tr.Exact {
		method = "exact-permutation"
	}
	return fairness.Test{Method: method, Statistic: fairness.Float(tr.Statistic), P: fairness.Float(tr.PGreater),
		Q: nan(), Resamples: tr.Relabelings}
}

// groupMean is the mean of x, NaN when empty.
func groupMean(x []float64) float64 {
	if len(x) == 0 {
		return math.NaN()
	}
	var sum float64
	for _, v := range x {
		sum += v
	}
	return sum / float64(len(x))
}

// overlapTest computes the mutual overlap of the first nNon users (the
// non-consenting) and of the others, and the one-sided Monte Carlo
// permutation test of their difference over the labels.
//
// With c_i the number of the group's users whose top-k list holds item i,
// L the group's total list length and m its size, the mean over ordered
// pairs of distinct users of |A ∩ B| is Σ_i c_i(c_i − 1) / (m(m − 1)), so
// each relabeling costs one pass over the drawn group's lists.
func (s *settings) overlapTest(lists *datasets.Rankings, nItems int, users []int32, nNon int, k int) GroupComparison {
	src := s.source() // drawn even when the test is undefined, to keep the draws in step
	m := len(users)
	nCon := m - nNon
	out := GroupComparison{NonConsenting: nan(), Consenting: nan(), Difference: nan(),
		Test: fairness.Test{Method: "permutation", Statistic: nan(), P: nan(), Q: nan(), Resamples: s.perms}}
	// The users' top-k items, flattened: user i of users holds
	// items[off[i]:off[i+1]] (items outside the catalogue left out).
	off := make([]int, m+1)
	var items []int32
	total := make([]int64, nItems) // C_i over all users
	for i, u := range users {
		for _, it := range prefix(lists.List(int(u)), k) {
			if it >= 0 && int(it) < nItems {
				items = append(items, it)
				total[it]++
			}
		}
		off[i+1] = len(items)
	}
	var sumC2 float64 // Σ C_i²
	for _, c := range total {
		sumC2 += float64(c) * float64(c)
	}
	totalLen := float64(len(items))
	counts := make([]int64, nItems)
	var touched []int32
	// stat returns the overlaps of the group of the given positions in
	// users, and of its complement.
	stat := func(group []int) (in, outside float64) {
		touched = touched[:0]
		l := 0
		for _, i := range group {
			for _, it := range items[off[i]:off[i+1]] {
				if counts[it] == 0 {
					touched = append(touched, it)
				}
				counts[it]++
			}
			l += off[i+1] - off[i]
		}
		var c2, cC float64 // Σ c_i², Σ c_i C_i
		for _, it := range touched {
			c := float64(counts[it])
			c2 += c * c
			cC += c * float64(total[it])
			counts[it] = 0
		}
		g := float64(len(group))
		r := float64(m) - g
		in = (c2 - float64(l)) / (g * (g - 1) * float64(k))
		// complement counts C_i − c_i: Σ (C−c)² = ΣC² − 2ΣcC + Σc².
		outside = (sumC2 - 2*cC + c2 - (totalLen - float64(l))) / (r * (r - 1) * float64(k))
		return in, outside
	}
	pos := make([]int, m)
	for i := range pos {
		pos[i] = i
	}
	if nNon >= 2 {
		v, _ := stat(pos[:nNon])
		out.NonConsenting = fairness.Float(v)
	}
	if nCon >= 2 {
		v, _ := stat(pos[nNon:])
		out.Consenting = fairness.Float(v)
	}
	if nNon < 2 || nCon < 2 {
		return out
	}
	tObs := float64(out.NonConsenting - out.Consenting)
	out.Difference = fairness.Float(tObs)
	// Relabel: draw the smaller group's size of users uniformly without
	// replacement (a partial Fisher–Yates shuffle) as that group.
	rng := newRand(src)
	draw, drawNon := nNon, true
	if nCon < nNon {
		draw, drawNon = nCon, false
	}
	const tol = 1e-12
	ge := 0
	for range s.perms {
		for i := 0; i < draw; i++ {
			j := i + rng.IntN(m-i)
			pos[i], pos[j] = pos[j], pos[i]
		}
		in, outside := stat(pos[:draw])
		t := in - outside
		if !drawNon {
			t = -t
		}
		if t >= tObs-tol {
			ge++
		}
	}
	out.Test.Statistic = fairness.Float(tObs)
	out.Test.P = fairness.Float(float64(ge+1) / float64(s.perms+1))
	return out
}
