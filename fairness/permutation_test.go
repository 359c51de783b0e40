package fairness

import (
	"math"
	"math/rand/v2"
	"runtime"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
)

func checkResult(t *testing.T, name string, got, want TestResult, tol float64) {
	t.Helper()
	if d := cmp.Diff(want, got, cmpopts.EquateApprox(0, tol), cmpopts.EquateNaNs()); d != "" {
		t.Errorf("%s (-want +got):\n%s", name, d)
	}
}

func TestPermutationSpec(t *testing.T) {
	const tol = 1e-4
	// METRICS-SPEC.md §6.2: F = [0.9, 0.8, 0.7], M = [0.3, 0.4, 0.6],
	// T_obs = 0.3667; the C(6, 3) = 20 splits give two-sided p = 2/20 = 0.10,
	// one-sided 0.05. T_obs is the largest of all splits, so PLess = 1.
	v, g := labelled(specF, specM)
	got := Permutation{}.MeanDiff(v, g, 0, 1)
	checkResult(t, "MeanDiff F−M", got, TestResult{Statistic: 0.3667, P: 0.10, PGreater: 0.05, PLess: 1, Exact: true, Relabelings: 20, N: 6}, tol)
	// Swapping the groups flips the sign and the one-sided p-values.
	got = Permutation{}.MeanDiff(v, g, 1, 0)
	checkResult(t, "MeanDiff M−F", got, TestResult{Statistic: -0.3667, P: 0.10, PGreater: 1, PLess: 0.05, Exact: true, Relabelings: 20, N: 6}, tol)

	// METRICS-SPEC.md §6.2: d = [0.2, 0, 0.2, 0.1, 0.3], mean 0.16; of the
	// 2⁵ = 32 sign patterns 4 reach |mean| ≥ 0.16 (all signs equal, the zero
	// flipped or not): p = 4/32 = 0.125. One-sided: 2/32 (hand-computed).
	a := []float64{0.7, 0.5, 0.9, 0.4, 0.8}
	b := []float64{0.5, 0.5, 0.7, 0.3, 0.5}
	got = Permutation{}.Paired(a, b)
	checkResult(t, "Paired", got, TestResult{Statistic: 0.16, P: 0.125, PGreater: 0.0625, PLess: 1, Exact: true, Relabelings: 32, N: 5}, 1e-12)
	got = Permutation{}.Paired(append(a, nan), append(b, 1))
	if got.N != 5 || got.P != 0.125 {
		t.Errorf("Paired with a NaN user: N = %d, P = %g; want 5, 0.125", got.N, got.P)
	}
}

// bruteForce enumerates every assignment of the labels in sizes to the n
// values (all Kⁿ label vectors, keeping those with the right group sizes)
// and returns the statistics of all of them and the observed one's index.
func bruteForce(values []float64, groups []int32, k int, stat func(v []float64, g []int32) float64) (all []float64) {
	n := len(values)
	want := make([]int, k)
	for _, g := range groups {
		want[g]++
	}
	lab := make([]int32, n)
	for {
		cnt := make([]int, k)
		for _, g := range lab {
			cnt[g]++
		}
		if cmp.Equal(cnt, want) {
			all = append(all, stat(values, append([]int32(nil), lab...)))
		}
		i := 0
		for i < n {
			lab[i]++
			if int(lab[i]) < k {
				break
			}
			lab[i] = 0
			i++
		}
		if i == n {
			return all
		}
	}
}

// pExact is the exact p-value from enumerated statistics, with a tie
// tolerance: two-sided around center, and the two one-sided ones.
func pExact(all []float64, obs, center float64) (p, pg, pl float64) {
	const eps = 1e-9
	for _, x := range all {
		if math.Abs(x-center) >= math.Abs(obs-center)-eps {
			p++
		}
		if x >= obs-eps {
			pg++
		}
		if x <= obs+eps {
			pl++
		}
	}
	m := float64(len(all))
	return p / m, pg / m, pl / m
}

func TestPermutationExactAgainstBruteForce(t *testing.T) {
	const tol = 1e-12
	// Three unequal groups with ties, plus users the tests must ignore.
	core := []float64{0.9, 0.8, 0.7, 0.3, 0.4, 0.6, 0.5, 0.5, 0.2}
	coreG := []int32{0, 0, 1, 1, 1, 1, 2, 2, 2}
	values := append(append([]float64{}, core...), nan, 0.99, 0.01)
	groups := append(append([]int32{}, coreG...), 0, -1, -1)
	var p Permutation

	// MeanDiff of groups 0 and 1 (6 users, C(6, 2) = 15 splits).
	var sub []float64
	var subG []int32
	for i, g := range coreG {
		if g < 2 {
			sub = append(sub, core[i])
			subG = append(subG, g)
		}
	}
	diff := func(v []float64, g []int32) float64 {
		m := GroupMeans(nil, v, g, 2)
		return m[0] - m[1]
	}
	all := bruteForce(sub, subG, 2, diff)
	obs := diff(sub, subG)
	wp, wg, wl := pExact(all, obs, 0)
	got := p.MeanDiff(values, groups, 0, 1)
	checkResult(t, "MeanDiff", got, TestResult{Statistic: obs, P: wp, PGreater: wg, PLess: wl, Exact: true, Relabelings: 15, N: 6}, tol)

	// Disparities over the three groups: 9!/(2!4!3!) = 1260 relabelings.
	for _, agg := range []Aggregator{MaxMinDiff, MinMaxRatio, ToOverallDiff, PairwiseMAD, Variance, CV} {
		stat := func(v []float64, g []int32) float64 {
			return Disparity(agg, GroupMeans(nil, v, g, 3), UserWeightedMean(v, g))
		}
		all := bruteForce(core, coreG, 3, stat)
		obs := stat(core, coreG)
		wp, wg, wl := pExact(all, obs, agg.FairValue())
		got := p.Disparity(agg, values, groups, 3)
		checkResult(t, agg.String(), got, TestResult{Statistic: obs, P: wp, PGreater: wg, PLess: wl, Exact: true, Relabelings: 1260, N: 9}, tol)
	}

	// Permutation ANOVA: the fraction of relabelings with F ≥ F_obs.
	fstat := func(v []float64, g []int32) float64 { return OneWayANOVA(v, g, 3).F }
	all = bruteForce(core, coreG, 3, fstat)
	obs = fstat(core, coreG)
	_, wg, wl = pExact(all, obs, 0)
	got = p.ANOVA(values, groups, 3)
	checkResult(t, "ANOVA", got, TestResult{Statistic: obs, P: wg, PGreater: wg, PLess: wl, Exact: true, Relabelings: 1260, N: 9}, tol)
}

func TestPermutationMonteCarloMatchesExact(t *testing.T) {
	// With exact enumeration disabled, B = 20 000 relabelings estimate the
	// exact p-values within 4 standard errors.
	v, g := labelled(specF, specM, specX)
	mc := Permutation{B: 20000, MaxExact: -1, Src: rand.NewPCG(1, 2)}
	for _, tc := range []struct {
		name      string
		exact, mc TestResult
	}{
		{"MeanDiff", Permutation{}.MeanDiff(v, g, 0, 2), mc.MeanDiff(v, g, 0, 2)},
		{"Disparity", Permutation{}.Disparity(MaxMinDiff, v, g, 3), mc.Disparity(MaxMinDiff, v, g, 3)},
		{"ANOVA", Permutation{}.ANOVA(v, g, 3), mc.ANOVA(v, g, 3)},
		{"Paired", Permutation{}.Paired(specF, specX), mc.Paired(specF, specX)},
		{"PairedDisparity", Permutation{}.PairedDisparity(MaxMinDiff, specF, specX, []int32{0, 1, 1}, 2),
			mc.PairedDisparity(MaxMinDiff, specF, specX, []int32{0, 1, 1}, 2)},
	} {
		if !tc.exact.Exact || tc.mc.Exact || tc.mc.Relabelings != 20000 {
			t.Errorf("%s: exact flags %v/%v, relabelings %d", tc.name, tc.exact.Exact, tc.mc.Exact, tc.mc.Relabelings)
		}
		if tc.exact.Statistic != tc.mc.Statistic {
			t.Errorf("%s: statistic %g vs %g", tc.name, tc.exact.Statistic, tc.mc.Statistic)
		}
		for _, pp := range [][2]float64{{tc.exact.P, tc.mc.P}, {tc.exact.PGreater, tc.mc.PGreater}, {tc.exact.PLess, tc.mc.PLess}} {
			se := math.Sqrt(pp[0]*(1-pp[0])/20000) + 1/20001.0
			if math.Abs(pp[0]-pp[1]) > 4*se {
				t.Errorf("%s: exact p %g, Monte Carlo %g", tc.name, pp[0], pp[1])
			}
		}
	}
}

func TestPermutationPaired(t *testing.T) {
	// Hand-computed: a = [1, 0], b = [0, 0], one user per group, MaxMinDiff.
	// D(a) = 1, D(b) = 0, T = 1; swapping user 0 gives T = −1, swapping user 1
	// (equal values) changes nothing: statistics 1, −1, 1, −1.
	got := Permutation{}.PairedDisparity(MaxMinDiff, []float64{1, 0}, []float64{0, 0}, []int32{0, 1}, 2)
	checkResult(t, "PairedDisparity", got, TestResult{Statistic: 1, P: 1, PGreater: 0.5, PLess: 1, Exact: true, Relabelings: 4, N: 2}, 1e-12)
	// Against a brute force over the 2⁶ swap patterns, with a NaN user and
	// an ungrouped user left out.
	a := []float64{0.9, 0.7, 0.4, 0.6, 0.2, 0.8, nan, 0.5}
	b := []float64{0.5, 0.6, 0.4, 0.1, 0.3, 0.2, 0.4, 0.5}
	g := []int32{0, 0, 1, 1, 2, 2, 0, -1}
	for _, agg := range []Aggregator{MaxMinDiff, MinMaxRatio, ToOverallDiff} {
		var all []float64
		stat := func(x, y []float64) float64 {
			return Disparity(agg, GroupMeans(nil, x, g[:6], 3), UserWeightedMean(x, g[:6])) -
				Disparity(agg, GroupMeans(nil, y, g[:6], 3), UserWeightedMean(y, g[:6]))
		}
		for mask := range 64 {
			x, y := make([]float64, 6), make([]float64, 6)
			for i := range 6 {
				x[i], y[i] = a[i], b[i]
				if mask>>i&1 == 1 {
					x[i], y[i] = b[i], a[i]
				}
			}
			all = append(all, stat(x, y))
		}
		obs := stat(a[:6], b[:6])
		wp, wg, wl := pExact(all, obs, 0)
		got := Permutation{}.PairedDisparity(agg, a, b, g, 3)
		checkResult(t, "PairedDisparity "+agg.String(), got, TestResult{Statistic: obs, P: wp, PGreater: wg, PLess: wl, Exact: true, Relabelings: 64, N: 6}, 1e-12)
	}
}

func TestPermutationTies(t *testing.T) {
	// In exact arithmetic T_obs = (0.1+0.2)/2 − (0.3+0)/2 = 0, so every split
	// is at least as extreme and p = 1; in floating point 0.1 + 0.2 ≠ 0.3 and
	// T_obs = 2.8e-17, which the tie tolerance absorbs.
	got := Permutation{}.MeanDiff([]float64{0.1, 0.2, 0.3, 0}, []int32{0, 0, 1, 1}, 0, 1)
	if got.P != 1 || got.Relabelings != 6 {
		t.Errorf("P = %g over %d relabelings, want 1 over 6", got.P, got.Relabelings)
	}
	// Constant values: every statistic ties.
	got = Permutation{B: 99, MaxExact: -1, Src: rand.NewPCG(1, 1)}.Disparity(MinMaxRatio, []float64{2, 2, 2, 2, 2}, []int32{0, 1, 1, 2, 2}, 3)
	checkResult(t, "constant", got, TestResult{Statistic: 1, P: 1, PGreater: 1, PLess: 1, Relabelings: 99, N: 5}, 0)
}

func TestPermutationUndefined(t *testing.T) {
	var p Permutation
	v, g := labelled(specF, specM)
	undef := func(n int) TestResult {
		return TestResult{Statistic: nan, P: nan, PGreater: nan, PLess: nan, N: n}
	}
	checkResult(t, "empty group", p.MeanDiff(v, g, 0, 5), undef(3), 0)
	checkResult(t, "one group", p.Disparity(MaxMinDiff, v, []int32{0, 0, 0, -1, -1, -1}, 2), undef(3), 0)
	checkResult(t, "ANOVA single members", p.ANOVA([]float64{1, 2}, []int32{0, 1}, 2), undef(2), 0)
	checkResult(t, "ratio of zeros", p.Disparity(MinMaxRatio, []float64{0, 0, 0}, []int32{0, 1, 1}, 2), undef(3), 0)
	checkResult(t, "paired nothing", p.Paired([]float64{nan}, []float64{1}), undef(0), 0)
	checkResult(t, "paired disparity one group", p.PairedDisparity(MaxMinDiff, []float64{1, 2}, []float64{1, 2}, []int32{0, 0}, 2), undef(2), 0)
	for name, f := range map[string]func(){
		"same groups":     func() { p.MeanDiff(v, g, 1, 1) },
		"negative group":  func() { p.MeanDiff(v, g, -1, 1) },
		"length":          func() { p.MeanDiff(v, g[:3], 0, 1) },
		"paired length":   func() { p.Paired(v, v[:2]) },
		"aggregator":      func() { p.Disparity(Aggregator(77), v, g, 2) },
		"pd aggregator":   func() { p.PairedDisparity(Aggregator(77), v, v, g, 2) },
		"pd length":       func() { p.PairedDisparity(MaxMinDiff, v, v[:5], g, 2) },
		"negative B":      func() { Permutation{B: -1, MaxExact: -1}.MeanDiff(v, g, 0, 1) },
		"group too large": func() { p.Disparity(MaxMinDiff, v, g, 1) },
	} {
		if !panics(f) {
			t.Errorf("%s: no panic", name)
		}
	}
}

func TestPermutationDeterminism(t *testing.T) {
	r := rand.New(rand.NewPCG(4, 4))
	v, g := synth(r, []int{40, 60, 25}, []float64{0.5, 0.52, 0.45})
	w, _ := synth(r, []int{40, 60, 25}, []float64{0.5, 0.5, 0.5})
	run := func(procs int) []TestResult {
		defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(procs))
		p := Permutation{B: 333, Src: rand.NewPCG(9, 9)}
		return []TestResult{
			p.MeanDiff(v, g, 0, 1),
			p.Disparity(PairwiseMAD, v, g, 3),
			p.ANOVA(v, g, 3),
			p.Paired(v, w),
			p.PairedDisparity(MaxMinDiff, v, w, g, 3),
		}
	}
	a, b := run(1), run(2)
	if d := cmp.Diff(a, b); d != "" {
		t.Errorf("GOMAXPROCS 1 vs 2 (-1 +2):\n%s", d)
	}
	for _, r := range a {
		if r.Exact || r.Relabelings != 333 {
			t.Errorf("want Monte Carlo with 333 relabelings, got %+v", r)
		}
	}
}

// TestPermutationNullSize checks by simulation that Monte Carlo permutation
// tests reject a true null hypothesis at about the nominal rate.
func TestPermutationNullSize(t *testing.T) {
	if testing.Short() {
		t.Skip("simulation")
	}
	const reps = 400
	r := rand.New(rand.NewPCG(1, 1))
	normal := func(n int) float64 { return 0.5 + 0.2*r.NormFloat64() }
	bernoulli := func(int) float64 {
		if r.Float64() < 0.3 {
			return 1
		}
		return 0
	}
	for _, tc := range []struct {
		name string
		draw func(int) float64
		test func(p Permutation, v, w []float64, g []int32) TestResult
	}{
		{"MeanDiff normal", normal, func(p Permutation, v, _ []float64, g []int32) TestResult { return p.MeanDiff(v, g, 0, 1) }},
		{"MeanDiff Bernoulli", bernoulli, func(p Permutation, v, _ []float64, g []int32) TestResult { return p.MeanDiff(v, g, 0, 1) }},
		{"Disparity normal", normal, func(p Permutation, v, _ []float64, g []int32) TestResult { return p.Disparity(MaxMinDiff, v, g, 3) }},
		{"ANOVA Bernoulli", bernoulli, func(p Permutation, v, _ []float64, g []int32) TestResult { return p.ANOVA(v, g, 3) }},
		{"Paired normal", normal, func(p Permutation, v, w []float64, _ []int32) TestResult { return p.Paired(v, w) }},
		{"PairedDisparity Bernoulli", bernoulli, func(p Permutation, v, w []float64, g []int32) TestResult {
			return p.PairedDisparity(MinMaxRatio, v, w, g, 3)
		}},
	} {
		rejected := 0
		for i := range reps {
			const n = 90
			v, w := make([]float64, n), make([]float64, n)
			g := make([]int32, n)
			for u := range n {
				v[u], w[u] = tc.draw(u), tc.draw(u)
				g[u] = int32(u % 3)
			}
			res := tc.test(Permutation{B: 199, Src: rand.NewPCG(uint64(i), 5)}, v, w, g)
			if res.P <= 0.05 {
				rejected++
			}
		}
		rate := float64(rejected) / reps
		t.Logf("%s: rejection rate %.3f", tc.name, rate)
		if rate > 0.08 {
			t.Errorf("%s: rejection rate %.3f > 0.08 under the null", tc.name, rate)
		}
	}
}
