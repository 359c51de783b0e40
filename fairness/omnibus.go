package fairness

import (
	"math"
	"slices"

	"gonum.org/v1/gonum/stat/distuv"
)

// ANOVAResult is the result of [OneWayANOVA].
type ANOVAResult struct {
	F        float64 // the F statistic, [SSB/(G−1)] / [SSW/(N−G)]
	P        float64 // P(F(G−1, N−G) ≥ F)
	DF1, DF2 int     // degrees of freedom G−1 and N−G
	SSB, SSW float64 // between-group and within-group sums of squares
	N, G     int     // users and non-empty groups used
}

// OneWayANOVA performs a one-way analysis of variance of the per-user values
// across groups (METRICS-SPEC.md §3.3):
//
//	SSB = Σ_g n_g (ū_g − ū)²,  SSW = Σ_g Σ_{u∈g} (M(u) − ū_g)²
//	F = [SSB/(G−1)] / [SSW/(N−G)],  p = P(F(G−1, N−G) ≥ F)
//
// where G counts the non-empty groups and N the users used. Users whose value
// is NaN or whose label is -1 are left out. The p-value relies on normal,
// equal-variance groups; [KruskalWallis] and [Permutation.ANOVA] do not.
//
// F and P are NaN when G < 2 or N − G < 1, or when every value is equal
// (SSB = SSW = 0); F is +Inf and P is 0 when SSW = 0 < SSB.
// OneWayANOVA panics under the same conditions as [GroupMeans].
//
// Reference: Fisher, "Statistical Methods for Research Workers" (1925);
// scipy.stats.f_oneway computes the same statistic.
func OneWayANOVA(values []float64, groups []int32, numGroups int) ANOVAResult {
	means := GroupMeans(nil, values, groups, numGroups)
	counts := GroupCounts(nil, values, groups, numGroups)
	var r ANOVAResult
	var sum float64
	for g, n := range counts {
		if n > 0 {
			r.G++
			r.N += n
			sum += float64(float64(n) * means[g])
		}
	}
	r.DF1, r.DF2 = r.G-1, r.N-r.G
	if r.G < 2 || r.DF2 < 1 {
		r.F, r.P = math.NaN(), math.NaN()
		return r
	}
	grand := sum / float64(r.N)
	for g, n := range counts {
		if n > 0 {
			d := means[g] - grand
			r.SSB += float64(float64(n) * d * d)
		}
	}
	for u, g := range groups {
		v := values[u]
		if g < 0 || math.IsNaN(v) {
			continue
		}
		d := v - means[g]
		r.SSW += float64(d * d)
	}
	switch {
	case r.SSW == 0 && r.SSB == 0:
		r.F, r.P = math.NaN(), math.NaN()
	case r.SSW == 0:
		r.F, r.P = math.Inf(1), 0
	default:
		r.F = (r.SSB / float64(r.DF1)) / (r.SSW / float64(r.DF2))
		r.P = distuv.F{D1: float64(r.DF1), D2: float64(r.DF2)}.Survival(r.F)
	}
	return r
}

// KruskalWallisResult is the result of [KruskalWallis].
type KruskalWallisResult struct {
	H            float64 // tie-corrected statistic
	HUncorrected float64 // statistic before the tie correction
	P            float64 // P(χ²(G−1) ≥ H), from the tie-corrected H
	DF           int     // G − 1
	N, G         int     // users and non-empty groups used
}

// KruskalWallis performs the Kruskal–Wallis rank test of equal distributions
// across groups (METRICS-SPEC.md §3.3). All N values are ranked together,
// tied values getting the average of their ranks, and
//
//	H₀ = 12/(N(N+1)) Σ_g R_g²/n_g − 3(N+1)
//	H  = H₀ / (1 − Σ_t (t³ − t)/(N³ − N))
//
// where R_g is the rank sum of group g and t runs over the sizes of the tie
// blocks; p = P(χ²(G−1) ≥ H), a large-sample approximation. Users whose value
// is NaN or whose label is -1 are left out; G counts the non-empty groups.
//
// H and P are NaN when G < 2 or when every value is tied. KruskalWallis
// panics under the same conditions as [GroupMeans].
//
// Reference: Kruskal & Wallis, "Use of Ranks in One-Criterion Variance
// Analysis", JASA 1952; scipy.stats.kruskal computes the same statistic.
// Ekstrand et al. (FAT* 2018) use it for per-group recommender utility.
func KruskalWallis(values []float64, groups []int32, numGroups int) KruskalWallisResult {
	checkGroups(values, groups, numGroups)
	type obs struct {
		v float64
		g int32
	}
	var xs []obs
	for u, g := range groups {
		if g >= 0 && !math.IsNaN(values[u]) {
			xs = append(xs, obs{values[u], g})
		}
	}
	slices.SortFunc(xs, func(a, b obs) int {
		switch {
		case a.v < b.v:
			return -1
		case a.v > b.v:
			return 1
		}
		return 0
	})
	var r KruskalWallisResult
	r.N = len(xs)
	rankSum := make([]float64, numGroups)
	counts := make([]int, numGroups)
	var ties float64
	for i := 0; i < len(xs); {
		j := i + 1
		for j < len(xs) && xs[j].v == xs[i].v {
			j++
		}
		// Positions i..j-1 (0-based) share the average rank (i+1 + j)/2.
		rank := float64(i+1+j) / 2
		for _, o := range xs[i:j] {
			rankSum[o.g] += rank
			counts[o.g]++
		}
		if t := float64(j - i); t > 1 {
			ties += float64(t*t*t) - t
		}
		i = j
	}
	var s float64
	for g, n := range counts {
		if n > 0 {
			r.G++
			s += rankSum[g] * rankSum[g] / float64(n)
		}
	}
	r.DF = r.G - 1
	n := float64(r.N)
	if r.G < 2 {
		r.H, r.HUncorrected, r.P = math.NaN(), math.NaN(), math.NaN()
		return r
	}
	r.HUncorrected = float64(12/(n*(n+1))*s) - float64(3*(n+1))
	c := 1 - ties/(float64(n*n*n)-n)
	if c <= 0 {
		r.H, r.P = math.NaN(), math.NaN()
		return r
	}
	r.H = r.HUncorrected / c
	r.P = distuv.ChiSquared{K: float64(r.DF)}.Survival(r.H)
	return r
}
