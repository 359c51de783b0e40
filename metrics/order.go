package metrics

import (
	"cmp"
	"math"
	"slices"
)

// TieBreak selects how OrderByScore orders items with equal scores.
type TieBreak int

const (
	// TieItemAsc puts the smaller item index first (METRICS-SPEC.md §7
	// default).
	TieItemAsc TieBreak = iota
	// TieTrec puts the larger item index first, as trec_eval does with
	// docno strings (form_res_rels.c, comp_sim_docno). It reproduces
	// trec_eval only when the index order is the order of the external IDs
	// as byte strings; otherwise use OrderByScoreFunc with a comparator on
	// the external IDs.
	TieTrec
)

// OrderByScore returns a new slice holding items in rank order: score
// descending, ties broken by tie. NaN scores rank last. items and scores
// are parallel and not modified. Use it when a recommendation file has
// scores but no usable rank; the metrics take the list order as given.
//
// OrderByScore panics if len(items) != len(scores) or tie is not a TieBreak
// constant. Reference: METRICS-SPEC.md §0 item 1.
func OrderByScore(items []int32, scores []float64, tie TieBreak) []int32 {
	switch tie {
	case TieItemAsc:
		return OrderByScoreFunc(items, scores, func(a, b int32) int { return cmp.Compare(a, b) })
	case TieTrec:
		return OrderByScoreFunc(items, scores, func(a, b int32) int { return cmp.Compare(b, a) })
	default:
		panic(badTie)
	}
}

// OrderByScoreFunc is OrderByScore with ties among equal scores ordered by
// compare, which returns a negative number when a ranks before b, a
// positive one when after, and 0 when the order does not matter. To
// reproduce trec_eval, whose ties go to the larger docno string, pass a
// comparator such as
//
//	func(a, b int32) int { return strings.Compare(ids[b], ids[a]) }
//
// where ids maps an item index to its external ID. OrderByScoreFunc panics
// if len(items) != len(scores).
func OrderByScoreFunc(items []int32, scores []float64, compare func(a, b int32) int) []int32 {
	if len(items) != len(scores) {
		panic(lengthMismatch)
	}
	perm := make([]int, len(items))
	for i := range perm {
		perm[i] = i
	}
	slices.SortStableFunc(perm, func(i, j int) int {
		si, sj := scores[i], scores[j]
		ni, nj := math.IsNaN(si), math.IsNaN(sj)
		switch {
		case ni && !nj:
			return 1
		case nj && !ni:
			return -1
		case !ni && si > sj:
			return -1
		case !ni && si < sj:
			return 1
		}
		return compare(items[i], items[j])
	})
	out := make([]int32, len(items))
	for i, p := range perm {
		out[i] = items[p]
	}
	return out
}
