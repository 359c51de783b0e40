package fairness

import (
	"math"
	"strconv"
)

// Aggregator is a way of summarising the group values v_g of one metric into
// a single disparity (METRICS-SPEC.md §3.2). The zero value is [MaxMinDiff],
// the toolkit's default (§7).
//
// Every aggregator looks only at the groups whose value is not NaN (an empty
// group has a NaN mean, see [GroupMeans]), and is NaN when fewer than two
// such groups remain. The ratio aggregators ([MinMaxRatio], [ToOverallRatio])
// are defined for nonnegative values only: they are NaN if a group value (or,
// for ToOverallRatio, the overall value) is negative, and follow IEEE division
// otherwise, so that a ratio whose numerator and denominator are both zero is
// NaN. [FairValue] gives the value each aggregator takes when all groups are
// equal.
type Aggregator int

const (
	// MaxMinDiff is the max–min difference, fair value 0:
	//	max_g v_g − min_g v_g
	// Fairlearn MetricFrame.difference(method="between_groups");
	// FairRankTune MaxMinDiff. With two groups it is |v_1 − v_2| (Li et al.,
	// "User-oriented Fairness in Recommendation", WWW 2021).
	MaxMinDiff Aggregator = iota
	// MinMaxRatio is the min/max ratio, in [0, 1], fair value 1:
	//	min_g v_g / max_g v_g
	// Fairlearn ratio(method="between_groups"); FairRankTune MinMaxRatio.
	MinMaxRatio
	// ToOverallDiff is the largest distance to the overall value, fair value 0:
	//	max_g |v_g − v_all|
	// Fairlearn difference(method="to_overall").
	ToOverallDiff
	// ToOverallRatio is the smallest ratio to the overall value, fair value 1:
	//	min_g min(v_g/v_all, v_all/v_g)
	// Fairlearn ratio(method="to_overall").
	ToOverallRatio
	// PairwiseMAD is the mean absolute difference over pairs, fair value 0:
	//	(2/(K(K−1))) Σ_{g<h} |v_g − v_h|
	// Elliot UserMADranking / UserMADrating.
	PairwiseMAD
	// MeanAbsDev is the mean absolute deviation from the mean of the group
	// values, fair value 0:
	//	(1/K) Σ_g |v_g − mean(v)|
	// FairRankTune MeanAbsDev.
	MeanAbsDev
	// MaxAbsDev is the largest absolute deviation from the mean of the group
	// values, fair value 0:
	//	max_g |v_g − mean(v)|
	// FairRankTune MaxAbsDiff (despite its name).
	MaxAbsDev
	// Variance is the population variance (ddof = 0) of the group values,
	// fair value 0:
	//	(1/K) Σ_g (v_g − mean(v))²
	// FairRankTune Variance (np.var).
	Variance
	// Std is the population standard deviation of the group values, the
	// square root of Variance, fair value 0.
	Std
	// CV is the coefficient of variation, population standard deviation over
	// the mean of the group values, fair value 0:
	//	Std / mean(v)
	// Zhu, Wang & Caverlee (SIGIR 2020) RSP/REO; Elliot. A zero mean gives
	// ±Inf, or NaN when the standard deviation is zero too.
	CV
)

// String returns the aggregator's name in kebab case, as used in results and
// on the command line, e.g. "max-min-diff".
func (a Aggregator) String() string {
	switch a {
	case MaxMinDiff:
		return "max-min-diff"
	case MinMaxRatio:
		return "min-max-ratio"
	case ToOverallDiff:
		return "to-overall-diff"
	case ToOverallRatio:
		return "to-overall-ratio"
	case PairwiseMAD:
		return "pairwise-mad"
	case MeanAbsDev:
		return "mean-abs-dev"
	case MaxAbsDev:
		return "max-abs-dev"
	case Variance:
		return "variance"
	case Std:
		return "std"
	case CV:
		return "cv"
	}
	return "Aggregator(" + strconv.Itoa(int(a)) + ")"
}

// FairValue returns the value the aggregator takes when every group has the
// same value: 1 for the ratios and 0 for the others. FairValue panics if a is
// not a defined Aggregator.
func (a Aggregator) FairValue() float64 {
	switch a {
	case MinMaxRatio, ToOverallRatio:
		return 1
	case MaxMinDiff, ToOverallDiff, PairwiseMAD, MeanAbsDev, MaxAbsDev, Variance, Std, CV:
		return 0
	}
	panic(errAggregator)
}

// IsRatio reports whether a is a ratio aggregator (fair value 1, smaller means
// less fair).
func (a Aggregator) IsRatio() bool {
	return a == MinMaxRatio || a == ToOverallRatio
}

// scale returns the natural magnitude of the aggregator's value for group
// values of magnitude m, used to scale the tie tolerance of permutation tests.
func (a Aggregator) scale(m float64) float64 {
	switch a {
	case MinMaxRatio, ToOverallRatio, CV:
		return 1
	case Variance:
		return m * m
	}
	return m
}

// Disparity returns the disparity of the group values under aggregator agg
// (METRICS-SPEC.md §3.2). overall is v_all, the overall value that
// [ToOverallDiff] and [ToOverallRatio] compare with (usually
// [UserWeightedMean]); the other aggregators ignore it.
//
// Groups whose value is NaN are left out; Disparity returns NaN when fewer
// than two groups remain, when agg needs overall and overall is NaN, and in
// the cases documented on [Aggregator]. groupValues is not modified.
// Disparity panics if agg is not a defined Aggregator.
//
// Reference: the peer implementations named on each constant; Fairlearn
// MetricFrame (fairlearn/metrics/_metric_frame.py) for the between-groups and
// to-overall forms.
func Disparity(agg Aggregator, groupValues []float64, overall float64) float64 {
	k := 0
	var sum float64
	lo, hi := math.Inf(1), math.Inf(-1)
	for _, v := range groupValues {
		if math.IsNaN(v) {
			continue
		}
		k++
		sum += v
		lo = min(lo, v)
		hi = max(hi, v)
	}
	if agg < MaxMinDiff || agg > CV {
		panic(errAggregator)
	}
	if k < 2 {
		return math.NaN()
	}
	mean := sum / float64(k)
	switch agg {
	case MaxMinDiff:
		return hi - lo
	case MinMaxRatio:
		if lo < 0 {
			return math.NaN()
		}
		return lo / hi
	case ToOverallDiff:
		if math.IsNaN(overall) {
			return math.NaN()
		}
		return max(math.Abs(hi-overall), math.Abs(lo-overall))
	case ToOverallRatio:
		if math.IsNaN(overall) || lo < 0 || overall < 0 {
			return math.NaN()
		}
		r := math.Inf(1)
		for _, v := range groupValues {
			if math.IsNaN(v) {
				continue
			}
			r = min(r, v/overall, overall/v)
		}
		// min ignores nothing: a 0/0 term makes r NaN, as documented.
		return r
	case PairwiseMAD:
		var s float64
		for i, v := range groupValues {
			if math.IsNaN(v) {
				continue
			}
			for _, w := range groupValues[i+1:] {
				if math.IsNaN(w) {
					continue
				}
				s += math.Abs(v - w)
			}
		}
		return s / float64(k*(k-1)/2)
	case MeanAbsDev:
		var s float64
		for _, v := range groupValues {
			if !math.IsNaN(v) {
				s += math.Abs(v - mean)
			}
		}
		return s / float64(k)
	case MaxAbsDev:
		return max(hi-mean, mean-lo)
	}
	// Variance, Std, CV.
	var ss float64
	for _, v := range groupValues {
		if !math.IsNaN(v) {
			d := v - mean
			ss += float64(d * d) // conversions forbid fused multiply-add: same bits on every platform
		}
	}
	variance := ss / float64(k)
	switch agg {
	case Variance:
		return variance
	case Std:
		return math.Sqrt(variance)
	}
	return math.Sqrt(variance) / mean
}

// Aequitas computes reference-group disparity ratios and the τ rule of the
// Aequitas bias audit toolkit (dssg/aequitas, src/aequitas/bias.py
// get_disparity_predefined_groups and src/aequitas/fairness.py; Saleiro et
// al., "Aequitas: A Bias and Fairness Audit Toolkit", arXiv:1811.05577). The
// zero value uses Aequitas's defaults.
type Aequitas struct {
	// Tau is the fairness threshold τ in (0, 1]: a ratio r is fair iff
	// τ ≤ r ≤ 1/τ. Zero means 0.8 (the "80% rule").
	Tau float64
	// DivByZero replaces x/0 for x > 0. Zero means 10 (Aequitas
	// fill_divbyzero).
	DivByZero float64
}

func (a Aequitas) tau() float64 {
	if a.Tau == 0 {
		return 0.8
	}
	if !(a.Tau > 0 && a.Tau <= 1) {
		panic(errTau)
	}
	return a.Tau
}

// Ratios returns in dst the disparity of every group relative to the
// reference group ref:
//
//	dst[g] = groupValues[g] / groupValues[ref]
//
// with Aequitas's zero-division rules: x/0 for x > 0 is DivByZero, and 0/0 is
// 1 (both groups are equal; METRICS-SPEC.md §3.2 — the Aequitas source states
// this intent in a comment while its division leaves NaN). A NaN group value
// (empty group) gives NaN; if the reference value is NaN every entry is NaN.
//
// If dst is nil a new slice is allocated; otherwise it must have length
// len(groupValues). Ratios panics if ref is outside [0, len(groupValues)) or
// len(dst) is wrong.
func (a Aequitas) Ratios(dst []float64, groupValues []float64, ref int) []float64 {
	if ref < 0 || ref >= len(groupValues) {
		panic(errRefGroup)
	}
	dst = useFloats(dst, len(groupValues))
	fill := a.DivByZero
	if fill == 0 {
		fill = 10
	}
	r := groupValues[ref]
	for g, v := range groupValues {
		switch {
		case r == 0 && v == 0:
			dst[g] = 1
		case r == 0 && v > 0:
			dst[g] = fill
		default:
			dst[g] = v / r
		}
	}
	return dst
}

// Fair reports whether the ratio r passes the τ rule, τ ≤ r ≤ 1/τ. A NaN
// ratio is not fair (Aequitas reports it as undefined). Fair panics if Tau is
// outside [0, 1] (zero meaning the default 0.8).
func (a Aequitas) Fair(r float64) bool {
	t := a.tau()
	return r >= t && r <= 1/t
}
