package fairness

import (
	"math"
	"slices"
)

// BenjaminiHochberg returns in dst the Benjamini–Hochberg adjusted p-values
// (q-values) of the m p-values p (METRICS-SPEC.md §6.3): with the p-values
// sorted ascending, p_(1) ≤ … ≤ p_(m),
//
//	p̃_(i) = min_{j ≥ i} min(1, m·p_(j)/j)
//
// and dst holds them in the order of p. This is statsmodels'
// multipletests(method="fdr_bh"). Rejecting the tests with p̃ ≤ q controls the
// false discovery rate at q for independent or positively dependent tests
// (see [RejectBH]).
//
// NaN p-values are left out (m counts the others) and give NaN. If dst is nil
// a new slice is allocated; otherwise it must have length len(p); dst may be
// p itself. BenjaminiHochberg panics if a p-value is outside [0, 1] or
// len(dst) is wrong.
//
// Reference: Benjamini & Hochberg, "Controlling the False Discovery Rate: A
// Practical and Powerful Approach to Multiple Testing", JRSS-B 57(1), 1995.
func BenjaminiHochberg(dst, p []float64) []float64 {
	order := sortedPValues(p)
	dst = useFloats(dst, len(p))
	m := float64(len(order))
	adj := make([]float64, len(order))
	running := 1.0
	for i := len(order) - 1; i >= 0; i-- {
		running = min(running, m*p[order[i]]/float64(i+1))
		adj[i] = running
	}
	for i := range dst {
		dst[i] = math.NaN()
	}
	for i, u := range order {
		dst[u] = adj[i]
	}
	return dst
}

// RejectBH returns in dst which hypotheses the Benjamini–Hochberg step-up
// procedure rejects at false discovery rate q (METRICS-SPEC.md §6.3): with
// the p-values sorted ascending, find the largest k with p_(k) ≤ (k/m)·q and
// reject the tests with the k smallest p-values. RejectBH rejects exactly
// where [BenjaminiHochberg] gives p̃ ≤ q, which is the same rule and keeps
// the reported q-values and the rejections consistent in floating point.
//
// NaN p-values are left out (m counts the others) and never rejected. If dst
// is nil a new slice is allocated; otherwise it must have length len(p).
// RejectBH panics if a p-value is outside [0, 1], q is outside [0, 1] or
// len(dst) is wrong.
func RejectBH(dst []bool, p []float64, q float64) []bool {
	if !(q >= 0 && q <= 1) {
		panic(errProb)
	}
	adj := BenjaminiHochberg(nil, p)
	if dst == nil {
		dst = make([]bool, len(p))
	} else if len(dst) != len(p) {
		panic(errDstLength)
	}
	for i, a := range adj {
		dst[i] = a <= q // false for NaN
	}
	return dst
}

// Bonferroni returns in dst the Bonferroni adjusted p-values min(1, m·p), the
// conservative family-wise correction Ekstrand et al. (FAT* 2018) used
// (METRICS-SPEC.md §6.3). NaN p-values are left out of m and give NaN.
//
// If dst is nil a new slice is allocated; otherwise it must have length
// len(p); dst may be p itself. Bonferroni panics if a p-value is outside
// [0, 1] or len(dst) is wrong.
func Bonferroni(dst, p []float64) []float64 {
	m := float64(len(sortedPValues(p)))
	dst = useFloats(dst, len(p))
	for i, v := range p {
		dst[i] = min(1, m*v) // NaN stays NaN
	}
	return dst
}

// sortedPValues checks the p-values and returns the indices of the non-NaN
// ones in ascending order of p (stable for ties).
func sortedPValues(p []float64) []int {
	order := make([]int, 0, len(p))
	for i, v := range p {
		if math.IsNaN(v) {
			continue
		}
		if v < 0 || v > 1 {
			panic(errPValue)
		}
		order = append(order, i)
	}
	slices.SortStableFunc(order, func(a, b int) int {
		switch {
		case p[a] < p[b]:
			return -1
		case p[a] > p[b]:
			return 1
		}
		return 0
	})
	return order
}
