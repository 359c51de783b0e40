package fairness_test

import (
	"fmt"
	"math"
	"math/rand/v2"

	"github.com/recaudit/recaudit/fairness"
)

// Per-user NDCG of six users in two groups (METRICS-SPEC.md §3.1):
// F = [0.9, 0.8, 0.7] (code 0) and M = [0.3, 0.4, 0.6] (code 1).
var (
	ndcg   = []float64{0.9, 0.8, 0.7, 0.3, 0.4, 0.6}
	gender = []int32{0, 0, 0, 1, 1, 1}
)

func ExampleGroupMeans() {
	// The seventh user has no relevant items (NaN) and the eighth no
	// recorded gender (-1): both are left out.
	values := append(ndcg, math.NaN(), 0.5)
	groups := append(gender, 1, -1)
	means := fairness.GroupMeans(nil, values, groups, 2)
	fmt.Printf("U(F) = %.4f, U(M) = %.4f\n", means[0], means[1])
	// Output:
	// U(F) = 0.8000, U(M) = 0.4333
}

func ExampleGroupCounts() {
	values := append(ndcg, math.NaN(), 0.5)
	groups := append(gender, 1, -1)
	fmt.Println("users per group:", fairness.GroupCounts(nil, values, groups, 2))
	// Output:
	// users per group: [3 3]
}

func ExampleGroupExcluded() {
	values := append(ndcg, math.NaN(), 0.5)
	groups := append(gender, 1, -1)
	fmt.Println("excluded per group:", fairness.GroupExcluded(nil, values, groups, 2))
	// Output:
	// excluded per group: [0 1]
}

func ExampleUngrouped() {
	fmt.Println("ungrouped users:", fairness.Ungrouped([]int32{0, -1, 1, -1}))
	// Output:
	// ungrouped users: 2
}

func ExampleUserWeightedMean() {
	// Group M has one more user than F: the pooled mean (0.6) leans
	// towards M, the group-weighted mean (0.625) does not.
	values := append(ndcg, 0.5)
	groups := append(gender, 1)
	fmt.Printf("%.4f\n", fairness.UserWeightedMean(values, groups))
	// Output:
	// 0.6000
}

func ExampleGroupWeightedMean() {
	values := append(ndcg, 0.5)
	groups := append(gender, 1)
	means := fairness.GroupMeans(nil, values, groups, 2)
	fmt.Printf("%.4f\n", fairness.GroupWeightedMean(means))
	// Output:
	// 0.6250
}

func ExampleRestMeans() {
	means := []float64{0.8, 0.4, 0.5}
	counts := []int{3, 1, 2}
	fmt.Printf("%.4f\n", fairness.RestMeans(nil, means, counts))
	// Output:
	// [0.4667 0.6800 0.7000]
}

func ExampleOneVsRestDiff() {
	means := []float64{0.8, 0.4, 0.5}
	counts := []int{3, 1, 2}
	fmt.Printf("%.4f\n", fairness.OneVsRestDiff(nil, means, counts))
	// Output:
	// [0.3333 -0.2800 -0.2000]
}

func ExampleOneVsRestRatio() {
	means := []float64{0.8, 0.4, 0.5}
	counts := []int{3, 1, 2}
	fmt.Printf("%.4f\n", fairness.OneVsRestRatio(nil, means, counts))
	// Output:
	// [1.7143 0.5882 0.7143]
}

func ExampleOneVsRestLabels() {
	ageBand := []int32{2, 0, -1, 2, 1}
	// Test band 2 against everyone else.
	labels := fairness.OneVsRestLabels(nil, ageBand, 2)
	fmt.Println(labels)
	values := []float64{0.9, 0.3, 0.5, 0.8, 0.4}
	r := fairness.Permutation{}.MeanDiff(values, labels, 0, 1)
	fmt.Printf("band 2 − rest = %.2f, p = %.3f over %d splits\n", r.Statistic, r.P, r.Relabelings)
	// Output:
	// [0 1 -1 0 1]
	// band 2 − rest = 0.50, p = 0.333 over 6 splits
}

func ExampleDisparity() {
	means := fairness.GroupMeans(nil, ndcg, gender, 2)
	overall := fairness.UserWeightedMean(ndcg, gender)
	for _, agg := range []fairness.Aggregator{fairness.MaxMinDiff, fairness.MinMaxRatio, fairness.ToOverallDiff, fairness.ToOverallRatio} {
		fmt.Printf("%-16s %.4f (fair: %g)\n", agg, fairness.Disparity(agg, means, overall), agg.FairValue())
	}
	// Output:
	// max-min-diff     0.3667 (fair: 0)
	// min-max-ratio    0.5417 (fair: 1)
	// to-overall-diff  0.1833 (fair: 0)
	// to-overall-ratio 0.7027 (fair: 1)
}

func ExampleAggregator() {
	// Three groups (METRICS-SPEC.md §3.2): F, M and X = [0.5, 0.5, 0.2].
	means := []float64{0.8, 0.4333333333333333, 0.4}
	for _, agg := range []fairness.Aggregator{fairness.PairwiseMAD, fairness.MeanAbsDev, fairness.MaxAbsDev, fairness.Variance, fairness.Std, fairness.CV} {
		fmt.Printf("%-12s %.4f\n", agg, fairness.Disparity(agg, means, math.NaN()))
	}
	// An empty group (NaN) is left out.
	fmt.Printf("with an empty group: %.4f\n", fairness.Disparity(fairness.MaxMinDiff, []float64{0.8, math.NaN(), 0.4}, math.NaN()))
	// Output:
	// pairwise-mad 0.2667
	// mean-abs-dev 0.1704
	// max-abs-dev  0.2556
	// variance     0.0328
	// std          0.1812
	// cv           0.3328
	// with an empty group: 0.4000
}

func ExampleAggregator_FairValue() {
	fmt.Println(fairness.MinMaxRatio.FairValue(), fairness.Variance.FairValue())
	// Output:
	// 1 0
}

func ExampleAggregator_String() {
	fmt.Println(fairness.MaxMinDiff, fairness.PairwiseMAD)
	// Output:
	// max-min-diff pairwise-mad
}

func ExampleAggregator_IsRatio() {
	fmt.Println(fairness.ToOverallRatio.IsRatio(), fairness.CV.IsRatio())
	// Output:
	// true false
}

func ExampleAequitas_Ratios() {
	means := fairness.GroupMeans(nil, ndcg, gender, 2)
	var aeq fairness.Aequitas // τ = 0.8
	for ref := range 2 {
		r := aeq.Ratios(nil, means, ref)
		fmt.Printf("reference %d: %.4f\n", ref, r)
	}
	// Output:
	// reference 0: [1.0000 0.5417]
	// reference 1: [1.8462 1.0000]
}

func ExampleAequitas_Fair() {
	var aeq fairness.Aequitas // τ = 0.8: fair iff 0.8 ≤ r ≤ 1.25
	fmt.Println(aeq.Fair(1.8462), aeq.Fair(0.9), fairness.Aequitas{Tau: 0.5}.Fair(1.8462))
	// Output:
	// false true true
}

func ExampleOneWayANOVA() {
	r := fairness.OneWayANOVA(ndcg, gender, 2)
	fmt.Printf("F(%d, %d) = %.1f, p = %.4f\n", r.DF1, r.DF2, r.F, r.P)
	// Output:
	// F(1, 4) = 12.1, p = 0.0254
}

func ExampleKruskalWallis() {
	values := append(ndcg, 0.5, 0.5, 0.2)
	groups := append(gender, 2, 2, 2)
	r := fairness.KruskalWallis(values, groups, 3)
	fmt.Printf("H = %.4f (uncorrected %.4f), df = %d, p = %.4f\n", r.H, r.HUncorrected, r.DF, r.P)
	// Output:
	// H = 5.4678 (uncorrected 5.4222), df = 2, p = 0.0650
}

func ExampleQuantile() {
	// The 27 equally likely bootstrap means of [0.2, 0.5, 0.9]
	// (METRICS-SPEC.md §6.1), sorted.
	means := []float64{0.2, 0.3, 0.3, 0.3, 0.4, 0.4, 0.4, 1.3 / 3, 1.3 / 3, 1.3 / 3, 0.5,
		1.6 / 3, 1.6 / 3, 1.6 / 3, 1.6 / 3, 1.6 / 3, 1.6 / 3, 1.9 / 3, 1.9 / 3, 1.9 / 3,
		2.0 / 3, 2.0 / 3, 2.0 / 3, 2.3 / 3, 2.3 / 3, 2.3 / 3, 0.9}
	fmt.Printf("[%.4f, %.4f]\n", fairness.Quantile(0.025, means), fairness.Quantile(0.975, means))
	// Output:
	// [0.2650, 0.8133]
}

func ExamplePercentileInterval() {
	x := []float64{8, 1, math.NaN(), 4, 2} // NaN is left out
	lo, hi := fairness.PercentileInterval(x, 0.2)
	fmt.Printf("[%.1f, %.1f]\n", lo, hi)
	// Output:
	// [1.3, 6.8]
}

// users returns n synthetic users in two groups whose NDCG differs by 0.1.
func users(n int) ([]float64, []int32) {
	r := rand.New(rand.NewPCG(1, 2))
	values := make([]float64, n)
	groups := make([]int32, n)
	for u := range values {
		groups[u] = int32(u % 2)
		values[u] = min(1, max(0, 0.5-0.1*float64(groups[u])+0.2*r.NormFloat64()))
	}
	return values, groups
}

func ExampleBootstrap_Groups() {
	values, groups := users(1000)
	bs := fairness.Bootstrap{Src: rand.NewPCG(1, 1)} // B = 1000, stratified, 95%
	res := bs.Groups(values, groups, 2)
	for g, iv := range res.Groups {
		fmt.Printf("group %d (n = %d): %.3f [%.3f, %.3f]\n", g, res.Counts[g], iv.Estimate, iv.Lo, iv.Hi)
	}
	for k, agg := range res.Aggregators {
		iv := res.Disparities[k]
		fmt.Printf("%s: %.3f [%.3f, %.3f]\n", agg, iv.Estimate, iv.Lo, iv.Hi)
	}
	// Output:
	// group 0 (n = 500): 0.508 [0.490, 0.525]
	// group 1 (n = 500): 0.402 [0.385, 0.420]
	// max-min-diff: 0.105 [0.078, 0.130]
	// min-max-ratio: 0.792 [0.750, 0.841]
}

func ExampleBootstrap_Replicates() {
	// A percentile interval for the signed difference of two group means.
	values, groups := users(1000)
	const B = 2000
	bs := fairness.Bootstrap{B: B, Src: rand.NewPCG(1, 1)}
	reps := bs.Replicates(nil, values, groups, 2) // rows: mean 0, mean 1, overall
	diff := make([]float64, B)
	for b := range B {
		diff[b] = reps[3*b] - reps[3*b+1]
	}
	lo, hi := fairness.PercentileInterval(diff, 0.05)
	fmt.Printf("[%.3f, %.3f]\n", lo, hi)
	// Output:
	// [0.079, 0.130]
}

func ExampleBootstrap_GroupsMulti() {
	// Two systems scored on the same users, bootstrapped on shared resamples.
	a, groups := users(1000)
	b := make([]float64, len(a))
	for u := range a {
		b[u] = a[u] + 0.06*float64(groups[u]) // system B lifts group 1
	}
	bs := fairness.Bootstrap{Aggregators: []fairness.Aggregator{fairness.MaxMinDiff}, Src: rand.NewPCG(1, 1)}
	for k, res := range bs.GroupsMulti([][]float64{a, b}, groups, 2) {
		iv := res.Disparities[0]
		fmt.Printf("system %c: gap %.3f [%.3f, %.3f]\n", 'A'+k, iv.Estimate, iv.Lo, iv.Hi)
	}
	// Output:
	// system A: gap 0.105 [0.078, 0.130]
	// system B: gap 0.045 [0.018, 0.070]
}

func ExampleBootstrap_ReplicatesMulti() {
	// The paired replicates give an interval for the difference between two
	// systems' gaps, much narrower than the two gaps' own intervals (about
	// ±0.026 each) because the resampled users are the same.
	a, groups := users(1000)
	b := make([]float64, len(a))
	noise := rand.New(rand.NewPCG(3, 3))
	for u := range a {
		b[u] = a[u] + 0.06*float64(groups[u]) + 0.05*noise.NormFloat64()
	}
	const B = 1000
	bs := fairness.Bootstrap{B: B, Src: rand.NewPCG(1, 1)}
	reps := bs.ReplicatesMulti(nil, [][]float64{a, b}, groups, 2)
	diff := make([]float64, B)
	for r := range B {
		row := reps[r*6 : (r+1)*6] // system A: g0, g1, overall; system B: g0, g1, overall
		diff[r] = fairness.Disparity(fairness.MaxMinDiff, row[0:2], row[2]) - fairness.Disparity(fairness.MaxMinDiff, row[3:5], row[5])
	}
	lo, hi := fairness.PercentileInterval(diff, 0.05)
	fmt.Printf("gap(A) − gap(B) in [%.3f, %.3f]\n", lo, hi)
	// Output:
	// gap(A) − gap(B) in [0.055, 0.068]
}

func ExampleBootstrap_Mean() {
	values, _ := users(1000)
	iv := fairness.Bootstrap{Src: rand.NewPCG(1, 1)}.Mean(values)
	fmt.Printf("mean NDCG %.3f [%.3f, %.3f]\n", iv.Estimate, iv.Lo, iv.Hi)
	// Output:
	// mean NDCG 0.455 [0.443, 0.467]
}

func ExamplePermutation_MeanDiff() {
	// METRICS-SPEC.md §6.2: exact enumeration of the C(6, 3) = 20 splits.
	r := fairness.Permutation{}.MeanDiff(ndcg, gender, 0, 1)
	fmt.Printf("T = %.4f, p = %.2f, one-sided p = %.2f, exact = %v over %d\n", r.Statistic, r.P, r.PGreater, r.Exact, r.Relabelings)
	// Output:
	// T = 0.3667, p = 0.10, one-sided p = 0.05, exact = true over 20
}

func ExamplePermutation_Disparity() {
	values, groups := users(1000)
	p := fairness.Permutation{B: 999, Src: rand.NewPCG(1, 1)}
	r := p.Disparity(fairness.MinMaxRatio, values, groups, 2)
	fmt.Printf("ratio %.3f, p = %.3f (Monte Carlo, %d relabelings)\n", r.Statistic, r.P, r.Relabelings)
	// Output:
	// ratio 0.792, p = 0.001 (Monte Carlo, 999 relabelings)
}

func ExamplePermutation_ANOVA() {
	values := append(ndcg, 0.5, 0.5, 0.2)
	groups := append(gender, 2, 2, 2)
	r := fairness.Permutation{}.ANOVA(values, groups, 3)
	fmt.Printf("F = %.1f, permutation p = %.4f over %d relabelings\n", r.Statistic, r.P, r.Relabelings)
	// Output:
	// F = 7.0, permutation p = 0.0500 over 1680 relabelings
}

func ExamplePermutation_Paired() {
	// METRICS-SPEC.md §6.2: d = a − b = [0.2, 0, 0.2, 0.1, 0.3].
	a := []float64{0.7, 0.5, 0.9, 0.4, 0.8}
	b := []float64{0.5, 0.5, 0.7, 0.3, 0.5}
	r := fairness.Permutation{}.Paired(a, b)
	fmt.Printf("mean difference %.2f, p = %.3f over %d sign patterns\n", r.Statistic, r.P, r.Relabelings)
	// Output:
	// mean difference 0.16, p = 0.125 over 32 sign patterns
}

func ExamplePermutation_PairedDisparity() {
	// Does system B (a re-ranker) close system A's gender gap?
	a, groups := users(400)
	b := make([]float64, len(a))
	for u := range a {
		b[u] = a[u] + 0.08*float64(groups[u]) // lifts group 1
	}
	p := fairness.Permutation{B: 999, Src: rand.NewPCG(1, 1)}
	r := p.PairedDisparity(fairness.MaxMinDiff, a, b, groups, 2)
	fmt.Printf("gap(A) − gap(B) = %.3f, p = %.3f\n", r.Statistic, r.P)
	// Output:
	// gap(A) − gap(B) = 0.080, p = 0.001
}

func ExampleBenjaminiHochberg() {
	// METRICS-SPEC.md §6.3.
	p := []float64{0.010, 0.001, 0.039, 0.041, 0.042, 0.060, 0.074, 0.205}
	fmt.Printf("%.4f\n", fairness.BenjaminiHochberg(nil, p))
	// Output:
	// [0.0400 0.0080 0.0672 0.0672 0.0672 0.0800 0.0846 0.2050]
}

func ExampleRejectBH() {
	p := []float64{0.010, 0.001, 0.039, 0.041, 0.042, 0.060, 0.074, 0.205}
	fmt.Println(fairness.RejectBH(nil, p, 0.05))
	// Output:
	// [true true false false false false false false]
}

func ExampleBonferroni() {
	p := []float64{0.010, 0.001, 0.039, 0.205}
	fmt.Printf("%.3f\n", fairness.Bonferroni(nil, p))
	// Output:
	// [0.040 0.004 0.156 0.820]
}
