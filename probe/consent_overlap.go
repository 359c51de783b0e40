package probe

import "slices"

const (
	errPersistence = "probe: RBO persistence outside (0, 1)"
	errCutoff      = "probe: cutoff < 1"
)

// DefaultPersistence is the persistence p of rank-biased overlap when a
// configuration leaves it zero: a reader who has looked at rank d goes on to
// rank d+1 with probability 0.9, so the top 10 ranks carry about 86% of the
// weight (Webber et al. 2010, §4.2).
const DefaultPersistence = 0.9

// Jaccard returns the Jaccard similarity of the items of two lists, taken as
// sets:
//
//	J(a, b) = |A ∩ B| / |A ∪ B|
//
// It is 1 for two empty lists (nothing differs) and 0 when exactly one is
// empty. Repeated items count once. Jaccard ignores the order of the lists;
// use [RBO] for a top-weighted, order-aware comparison.
func Jaccard(a, b []int32) float64 {
	if len(a) == 0 && len(b) == 0 {
		return 1
	}
	sa, sb := sortedSet(a), sortedSet(b)
	inter := 0
	for i, j := 0, 0; i < len(sa) && j < len(sb); {
		switch {
		case sa[i] < sb[j]:
			i++
		case sa[i] > sb[j]:
			j++
		default:
			inter++
			i++
			j++
		}
	}
	return float64(inter) / float64(len(sa)+len(sb)-inter)
}

// sortedSet returns the distinct items of a, sorted, in a new slice.
func sortedSet(a []int32) []int32 {
	s := slices.Clone(a)
	slices.Sort(s)
	return slices.Compact(s)
}

// RBO returns the extrapolated rank-biased overlap of two ranked lists with
// persistence p, RBO_EXT of Webber, Moffat and Zobel (2010), equation (32),
// which covers lists of different lengths. With S the shorter list (length
// s), L the longer (length l), X_d the number of items the two lists share
// in their first d ranks (the whole of S for d > s):
//
//	RBO = (1−p)/p · ( Σ_{d=1}^{l} X_d/d · p^d + Σ_{d=s+1}^{l} X_s·(d−s)/(s·d) · p^d )
//	      + ( (X_l − X_s)/l + X_s/s ) · p^l
//
// For two lists of the same length k this is equation (30),
//
//	RBO = (1−p)/p · Σ_{d=1}^{k} X_d/d · p^d + X_k/k · p^k,
//
// which is 1 exactly when the lists are equal, rank for rank. The
// extrapolation assumes that the agreement seen at the lists' end goes on
// below it, so a list that is a prefix of the other also has RBO 1; RBO is
// symmetric and lies in [0, 1]. To compare the top k only,
// pass the first k items of each list.
//
// RBO is 1 for two empty lists and 0 when exactly one is empty. The lists
// should not repeat an item; a repeated item counts at its first rank.
//
// RBO panics if p is not in (0, 1).
//
// Reference: W. Webber, A. Moffat and J. Zobel, "A similarity measure for
// indefinite rankings", ACM TOIS 28(4), 2010,
// https://doi.org/10.1145/1852102.1852106.
func RBO(a, b []int32, p float64) float64 {
	if !(p > 0 && p < 1) {
		panic(errPersistence)
	}
	if len(a) > len(b) {
		a, b = b, a
	}
	s, l := len(a), len(b)
	switch {
	case l == 0:
		return 1
	case s == 0:
		return 0
	}
	// shared[d] counts the items that become common to both lists at
	// depth d (1-based): the larger of their two first ranks.
	shared := make([]int, l+1)
	if l <= 64 { // short lists: linear scans beat maps
		for j, x := range b {
			if slices.Contains(b[:j], x) {
				continue
			}
			if i := slices.Index(a, x); i >= 0 {
				shared[max(i+1, j+1)]++
			}
		}
	} else {
		first := make(map[int32]int, s)
		for i, x := range a {
			if _, ok := first[x]; !ok {
				first[x] = i + 1
			}
		}
		seen := make(map[int32]bool, l)
		for j, x := range b {
			if seen[x] {
				continue
			}
			seen[x] = true
			if i, ok := first[x]; ok {
				shared[max(i, j+1)]++
			}
		}
	}
	var sum float64
	x := 0 // X_d
	pd := 1.0
	xs := 0
	for d := 1; d <= l; d++ {
		x += shared[d]
		pd *= p
		sum += float64(x) / float64(d) * pd
		if d == s {
			xs = x
		}
		if d > s {
			sum += float64(xs) * float64(d-s) / float64(s*d) * pd
		}
	}
	return (1-p)/p*sum + (float64(x-xs)/float64(l)+float64(xs)/float64(s))*pd // pd = p^l
}

// prefix returns the first k items of list (all of it when shorter).
func prefix(list []int32, k int) []int32 {
	return list[:min(k, len(list))]
}
