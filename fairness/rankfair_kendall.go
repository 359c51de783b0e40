package fairness

import (
	"cmp"
	"math"
	"slices"
)

// Panic message of KendallTau.
const kendallBadVariant = "fairness: bad Kendall tau variant"

// TauVariant selects the tie handling of KendallTau.
type TauVariant int

const (
	// TauB is τ_b = (C − D) / sqrt((C + D + T_x)(C + D + T_y)), corrected
	// for ties (scipy.stats.kendalltau default). The default.
	TauB TauVariant = iota
	// TauA is τ_a = (C − D) / (n(n−1)/2), no tie correction.
	TauA
)

// KendallTau returns Kendall's rank correlation between x and y,
//
//	τ_a = (C − D) / (n(n−1)/2)
//	τ_b = (C − D) / sqrt((C + D + T_x)(C + D + T_y)),
//
// where over all pairs C are concordant, D discordant, T_x tied only in x
// and T_y tied only in y (pairs tied in both count in neither). It runs in
// O(n log n) (Knight's algorithm) and does not modify x or y. Range
// [−1, 1]; 1 is the same order. Without ties τ_a = τ_b.
//
// KendallTau panics if len(x) != len(y) or variant is bad. It returns NaN
// when n < 2, a value is NaN, or (τ_b) every pair is tied in x or in y.
// Reference: Kendall, "The treatment of ties in ranking problems",
// Biometrika 1945; Knight, "A computer method for calculating Kendall's tau
// with ungrouped data", JASA 1966; METRICS-SPEC.md §5.
func KendallTau(x, y []float64, variant TauVariant) float64 {
	if len(x) != len(y) {
		panic(exposureLengthMismatch)
	}
	if variant != TauA && variant != TauB {
		panic(kendallBadVariant)
	}
	n := len(x)
	if n < 2 {
		return math.NaN()
	}
	for i := range x {
		if math.IsNaN(x[i]) || math.IsNaN(y[i]) {
			return math.NaN()
		}
	}
	idx := make([]int, n)
	for i := range idx {
		idx[i] = i
	}
	slices.SortFunc(idx, func(a, b int) int {
		if c := cmp.Compare(x[a], x[b]); c != 0 {
			return c
		}
		return cmp.Compare(y[a], y[b])
	})
	pairs := func(t int64) int64 { return t * (t - 1) / 2 }
	// Ties in x (n1) and in both x and y (n3).
	var n1, n3 int64
	for i := 0; i < n; {
		j := i
		for j < n && x[idx[j]] == x[idx[i]] {
			j++
		}
		n1 += pairs(int64(j - i))
		for a := i; a < j; {
			b := a
			for b < j && y[idx[b]] == y[idx[a]] {
				b++
			}
			n3 += pairs(int64(b - a))
			a = b
		}
		i = j
	}
	// Discordant pairs are the inversions of y in this order; a stable
	// merge sort counts them (pairs tied in y are not inversions).
	ys := make([]float64, n)
	for i, k := range idx {
		ys[i] = y[k]
	}
	swaps := kendallMergeCount(ys, make([]float64, n))
	// Ties in y (n2), on the now sorted ys.
	var n2 int64
	for i := 0; i < n; {
		j := i
		for j < n && ys[j] == ys[i] {
			j++
		}
		n2 += pairs(int64(j - i))
		i = j
	}
	n0 := pairs(int64(n))
	s := float64(n0 - n1 - n2 + n3 - 2*swaps) // C − D
	if variant == TauA {
		return s / float64(n0)
	}
	den := math.Sqrt(float64(n0-n1) * float64(n0-n2))
	if den == 0 {
		return math.NaN()
	}
	return s / den
}

// kendallMergeCount sorts a ascending (stable merge sort, using buf) and
// returns the number of strict inversions.
func kendallMergeCount(a, buf []float64) int64 {
	n := len(a)
	var swaps int64
	for width := 1; width < n; width *= 2 {
		for lo := 0; lo < n-width; lo += 2 * width {
			mid, hi := lo+width, min(lo+2*width, n)
			i, j, k := lo, mid, lo
			for i < mid && j < hi {
				if a[j] < a[i] {
					buf[k] = a[j]
					swaps += int64(mid - i)
					j++
				} else {
					buf[k] = a[i]
					i++
				}
				k++
			}
			k += copy(buf[k:], a[i:mid])
			copy(buf[k:], a[j:hi])
			copy(a[lo:hi], buf[lo:hi])
		}
	}
	return swaps
}
