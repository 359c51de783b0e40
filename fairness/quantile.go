package fairness

import (
	"math"
	"slices"
)

// Quantile returns the p-quantile of the sorted sample x by linear
// interpolation between order statistics, Hyndman & Fan's type 7 (the default
// of numpy.quantile and R's quantile):
//
//	h = (n−1)·p,  Q(p) = x[⌊h⌋] + (h − ⌊h⌋)·(x[⌊h⌋+1] − x[⌊h⌋])   (0-based)
//
// x must be sorted in increasing order and is not modified. Quantile returns
// NaN if x contains NaN. It panics if p is outside [0, 1], if x is empty or if
// x is not sorted.
//
// Reference: Hyndman & Fan, "Sample Quantiles in Statistical Packages",
// The American Statistician 50(4), 1996.
func Quantile(p float64, x []float64) float64 {
	if !(p >= 0 && p <= 1) {
		panic(errProb)
	}
	if len(x) == 0 {
		panic(errEmpty)
	}
	for _, v := range x {
		if math.IsNaN(v) {
			return math.NaN()
		}
	}
	if !slices.IsSorted(x) {
		panic(errUnsorted)
	}
	return quantile7(p, x)
}

// quantile7 is Quantile without the checks.
func quantile7(p float64, x []float64) float64 {
	h := float64(len(x)-1) * p
	lo := math.Floor(h)
	i := int(lo)
	if i >= len(x)-1 {
		return x[len(x)-1]
	}
	return x[i] + float64((h-lo)*(x[i+1]-x[i])) // no fused multiply-add
}

// PercentileInterval returns the equal-tailed percentile interval
// [Q(α/2), Q(1−α/2)] of the sample x, with the type-7 quantiles of
// [Quantile]: applied to bootstrap replicates it is the bootstrap percentile
// interval (Efron & Tibshirani, "An Introduction to the Bootstrap", 1993,
// ch. 13; METRICS-SPEC.md §6.1).
//
// x need not be sorted and is not modified (PercentileInterval sorts a
// copy). NaN values in x are left out; lo and hi are NaN if nothing remains.
// PercentileInterval panics if alpha is outside (0, 1).
func PercentileInterval(x []float64, alpha float64) (lo, hi float64) {
	if !(alpha > 0 && alpha < 1) {
		panic(errAlpha)
	}
	s := make([]float64, 0, len(x))
	for _, v := range x {
		if !math.IsNaN(v) {
			s = append(s, v)
		}
	}
	if len(s) == 0 {
		return math.NaN(), math.NaN()
	}
	slices.Sort(s)
	return quantile7(alpha/2, s), quantile7(1-alpha/2, s)
}
