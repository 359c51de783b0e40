package fairness

import (
	"math"
	"math/rand/v2"
	"runtime"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
)

// synth returns users with normal values: group g has sizes[g] users with
// mean mu[g] and standard deviation 0.2.
func synth(r *rand.Rand, sizes []int, mu []float64) ([]float64, []int32) {
	var v []float64
	var g []int32
	for k, n := range sizes {
		for range n {
			v = append(v, mu[k]+0.2*r.NormFloat64())
			g = append(g, int32(k))
		}
	}
	return v, g
}

func TestBootstrapDeterminism(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	v, g := synth(r, []int{50, 70, 3, 0}, []float64{0.4, 0.5, 0.6, 0})
	v[5] = nan
	g[7] = -1
	run := func(procs int, unstratified bool) GroupIntervals {
		defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(procs))
		bs := Bootstrap{B: 203, Unstratified: unstratified, Aggregators: []Aggregator{MaxMinDiff, CV, ToOverallRatio},
			Src: rand.NewPCG(7, 8)}
		return bs.Groups(v, g, 4)
	}
	for _, unstrat := range []bool{false, true} {
		a := run(1, unstrat)
		b := run(2, unstrat)
		c := run(2, unstrat)
		// Bit-identical across GOMAXPROCS and runs.
		if d := cmp.Diff(a, b, cmpopts.EquateNaNs()); d != "" {
			t.Errorf("unstratified=%v: GOMAXPROCS 1 vs 2 differ (-1 +2):\n%s", unstrat, d)
		}
		if d := cmp.Diff(b, c, cmpopts.EquateNaNs()); d != "" {
			t.Errorf("unstratified=%v: two runs differ:\n%s", unstrat, d)
		}
	}
	// The multi-column bootstrap too (two columns: the counting kernel).
	w := append([]float64(nil), v...)
	for i := range w {
		w[i] = 1 - w[i]
	}
	multi := func(procs int, unstratified bool) []GroupIntervals {
		defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(procs))
		bs := Bootstrap{B: 203, Unstratified: unstratified, Src: rand.NewPCG(7, 8)}
		return bs.GroupsMulti([][]float64{v, w}, g, 4)
	}
	for _, unstrat := range []bool{false, true} {
		if d := cmp.Diff(multi(1, unstrat), multi(2, unstrat), cmpopts.EquateNaNs()); d != "" {
			t.Errorf("GroupsMulti unstratified=%v: GOMAXPROCS 1 vs 2 differ (-1 +2):\n%s", unstrat, d)
		}
	}
	// A different seed gives different intervals.
	a := Bootstrap{B: 203, Src: rand.NewPCG(7, 8)}.Groups(v, g, 4)
	b := Bootstrap{B: 203, Src: rand.NewPCG(7, 9)}.Groups(v, g, 4)
	if a.Groups[0].Lo == b.Groups[0].Lo && a.Groups[0].Hi == b.Groups[0].Hi {
		t.Error("different seeds gave the same interval")
	}
}

func TestBootstrapUniformResampling(t *testing.T) {
	// Resampling [0.2, 0.5, 0.9] must reproduce the exact bootstrap
	// distribution of METRICS-SPEC.md §6.1 (27 equally likely resamples):
	// chi-square goodness of fit of the B = 27 000 replicate means against
	// the exact multiplicities (1, 3, 3, 3, 1, 6, 3, 3, 3, 1)/27; 9 degrees
	// of freedom, 0.1% critical value 27.88.
	x := []float64{0.2, 0.5, 0.9}
	exact := exactBootstrapMeans(x)
	const B = 27000
	for _, unstrat := range []bool{false, true} {
		bs := Bootstrap{B: B, Unstratified: unstrat, Src: rand.NewPCG(3, 4)}
		reps := bs.Replicates(nil, x, []int32{0, 0, 0}, 1)
		expected := map[int64]float64{}
		for _, m := range exact {
			expected[int64(math.Round(m*1e6))] += B / 27.0
		}
		observed := map[int64]float64{}
		for b := range B {
			if reps[2*b] != reps[2*b+1] {
				t.Fatalf("one group: group mean %g != overall %g", reps[2*b], reps[2*b+1])
			}
			k := int64(math.Round(reps[2*b] * 1e6))
			if _, ok := expected[k]; !ok {
				t.Fatalf("replicate %g is not a possible resample mean", reps[2*b])
			}
			observed[k]++
		}
		var chi2 float64
		for k, e := range expected {
			d := observed[k] - e
			chi2 += d * d / e
		}
		if chi2 > 27.88 {
			t.Errorf("unstratified=%v: chi-square = %.2f > 27.88 (9 df, 0.1%%)", unstrat, chi2)
		}
	}
}

func TestBootstrapStratified(t *testing.T) {
	const tol = 1e-12
	// Hand-computed: group 0 is constant 0.5 (every resample mean 0.5), group
	// 1 has a single member 0.9 (always 0.9), group 2 is empty (NaN), group 3
	// is {0, 1} (resample means 0, 0.5 or 1). Stratified resamples keep the
	// sizes (4, 1, 0, 2), so the overall mean of a resample is
	// (4·0.5 + 0.9 + 2·m3)/7.
	values := []float64{0.5, 0.5, 0.9, 0.5, 0, 1, 0.5, nan, 3}
	groups := []int32{0, 0, 1, 0, 3, 3, 0, 2, -1}
	bs := Bootstrap{B: 500, Aggregators: []Aggregator{MaxMinDiff, ToOverallDiff}, Src: rand.NewPCG(5, 6)}
	reps := bs.Replicates(nil, values, groups, 4)
	seen := map[float64]bool{}
	for b := range 500 {
		row := reps[b*5 : b*5+5]
		checkNear(t, "constant group", row[0], 0.5, tol)
		checkNear(t, "single member", row[1], 0.9, tol)
		checkNear(t, "empty group", row[2], nan, 0)
		if row[3] != 0 && row[3] != 0.5 && row[3] != 1 {
			t.Fatalf("group 3 resample mean %g not in {0, 0.5, 1}", row[3])
		}
		seen[row[3]] = true
		checkNear(t, "overall", row[4], (2+0.9+2*row[3])/7, tol)
	}
	if len(seen) != 3 {
		t.Errorf("group 3 took values %v, want all of 0, 0.5, 1", seen)
	}
	res := Bootstrap{B: 500, Aggregators: []Aggregator{MaxMinDiff, ToOverallDiff}, Src: rand.NewPCG(5, 6)}.Groups(values, groups, 4)
	if d := cmp.Diff([]int{4, 1, 0, 2}, res.Counts); d != "" {
		t.Errorf("Counts (-want +got):\n%s", d)
	}
	want := GroupMeans(nil, values, groups, 4)
	for g, iv := range res.Groups {
		checkNear(t, "estimate", iv.Estimate, want[g], tol)
	}
	checkNear(t, "overall estimate", res.Overall.Estimate, UserWeightedMean(values, groups), tol)
	if iv := res.Groups[2]; iv.Undefined != 500 || !math.IsNaN(iv.Lo) || !math.IsNaN(iv.Hi) {
		t.Errorf("empty group interval = %+v, want NaN with 500 undefined", iv)
	}
	if iv := res.Groups[1]; iv.Lo != 0.9 || iv.Hi != 0.9 || iv.Undefined != 0 {
		t.Errorf("single-member group interval = %+v, want [0.9, 0.9]", iv)
	}
	// The disparity intervals are the percentile intervals of the
	// disparities recomputed on each resample from the same replicates.
	for k, a := range res.Aggregators {
		col := make([]float64, 500)
		for b := range 500 {
			row := reps[b*5 : b*5+5]
			col[b] = Disparity(a, row[:4], row[4])
		}
		lo, hi := PercentileInterval(col, 0.05)
		iv := res.Disparities[k]
		if iv.Lo != lo || iv.Hi != hi {
			t.Errorf("%v: interval [%g, %g], want [%g, %g]", a, iv.Lo, iv.Hi, lo, hi)
		}
		est := GroupMeans(nil, values, groups, 4)
		checkNear(t, "disparity estimate", iv.Estimate, Disparity(a, est, UserWeightedMean(values, groups)), tol)
	}
	// Defaults: B = 1000, aggregators MaxMinDiff and MinMaxRatio.
	def := Bootstrap{Src: rand.NewPCG(1, 1)}.Groups(values, groups, 4)
	if def.B != 1000 || len(def.Aggregators) != 2 || def.Aggregators[0] != MaxMinDiff || def.Aggregators[1] != MinMaxRatio {
		t.Errorf("defaults: B = %d, aggregators %v", def.B, def.Aggregators)
	}
}

func TestBootstrapUnstratifiedEmptyResamples(t *testing.T) {
	// 19 users in group 0 and one in group 1: an unstratified resample of 20
	// misses the lone user with probability (19/20)^20 = 0.3585
	// (hand-computed), making group 1 and the disparities undefined.
	values := make([]float64, 20)
	groups := make([]int32, 20)
	for i := range values {
		values[i] = float64(i%5) / 4
	}
	groups[19] = 1
	res := Bootstrap{B: 2000, Unstratified: true, Src: rand.NewPCG(11, 12)}.Groups(values, groups, 2)
	u := res.Groups[1].Undefined
	// Binomial(2000, 0.3585): mean 717, sd 21.4; allow ±5 sd.
	if u < 610 || u > 824 {
		t.Errorf("group 1 undefined in %d of 2000 resamples, want about 717", u)
	}
	if res.Disparities[0].Undefined != u || res.Groups[0].Undefined != 0 || res.Overall.Undefined != 0 {
		t.Errorf("undefined counts: disparity %d, group 0 %d, overall %d", res.Disparities[0].Undefined, res.Groups[0].Undefined, res.Overall.Undefined)
	}
	// Stratified, the same data never has an undefined group.
	res = Bootstrap{B: 200, Src: rand.NewPCG(11, 12)}.Groups(values, groups, 2)
	if res.Groups[1].Undefined != 0 || res.Groups[1].Lo != 1 || res.Groups[1].Hi != 1 {
		t.Errorf("stratified lone user: %+v", res.Groups[1])
	}
}

func TestBootstrapMean(t *testing.T) {
	const tol = 1e-12
	iv := Bootstrap{B: 100, Src: rand.NewPCG(1, 2)}.Mean([]float64{0.2, nan, 0.5, 0.9})
	checkNear(t, "estimate", iv.Estimate, 1.6/3, tol)
	if !(iv.Lo >= 0.2 && iv.Lo <= iv.Estimate && iv.Hi >= iv.Estimate && iv.Hi <= 0.9) {
		t.Errorf("interval [%g, %g] around %g", iv.Lo, iv.Hi, iv.Estimate)
	}
	iv = Bootstrap{B: 10}.Mean([]float64{nan})
	if !math.IsNaN(iv.Estimate) || !math.IsNaN(iv.Lo) || iv.Undefined != 10 {
		t.Errorf("no users: %+v", iv)
	}
}

func TestBootstrapPanics(t *testing.T) {
	v, g := []float64{1, 2}, []int32{0, 1}
	for name, f := range map[string]func(){
		"negative B":     func() { Bootstrap{B: -1}.Groups(v, g, 2) },
		"alpha":          func() { Bootstrap{Alpha: 1}.Groups(v, g, 2) },
		"negative alpha": func() { Bootstrap{Alpha: -0.1}.Mean(v) },
		"aggregator":     func() { Bootstrap{Aggregators: []Aggregator{99}}.Groups(v, g, 2) },
		"group code":     func() { Bootstrap{}.Groups(v, g, 1) },
		"dst":            func() { Bootstrap{B: 10}.Replicates(make([]float64, 5), v, g, 2) },
	} {
		if !panics(f) {
			t.Errorf("%s: no panic", name)
		}
	}
}

// TestBootstrapCoverage checks by simulation that the stratified percentile
// interval of a two-group difference covers the true difference at close
// to the nominal 95%.
func TestBootstrapCoverage(t *testing.T) {
	if testing.Short() {
		t.Skip("simulation")
	}
	const reps = 400
	r := rand.New(rand.NewPCG(1, 1))
	// Normal values, true difference 0.1 (se 0.018, so max–min = |diff|).
	covered := 0
	for i := range reps {
		v, g := synth(r, []int{200, 300}, []float64{0.5, 0.4})
		res := Bootstrap{B: 1000, Src: rand.NewPCG(uint64(i), 9)}.Groups(v, g, 2)
		if iv := res.Disparities[0]; iv.Lo <= 0.1 && 0.1 <= iv.Hi {
			covered++
		}
	}
	if covered < reps*92/100 {
		t.Errorf("normal: max–min interval covered the true difference in %d of %d", covered, reps)
	}
	t.Logf("normal: coverage %d/%d", covered, reps)
	// Bernoulli(0.3) values in both groups, true difference 0: the signed
	// difference of the replicated group means.
	covered = 0
	for i := range reps {
		v := make([]float64, 500)
		g := make([]int32, 500)
		for u := range v {
			if r.Float64() < 0.3 {
				v[u] = 1
			}
			if u >= 200 {
				g[u] = 1
			}
		}
		const B = 1000
		rr := Bootstrap{B: B, Src: rand.NewPCG(uint64(i), 10)}.Replicates(nil, v, g, 2)
		d := make([]float64, B)
		for b := range B {
			d[b] = rr[3*b] - rr[3*b+1]
		}
		lo, hi := PercentileInterval(d, 0.05)
		if lo <= 0 && 0 <= hi {
			covered++
		}
	}
	if covered < reps*92/100 {
		t.Errorf("Bernoulli: interval covered 0 in %d of %d", covered, reps)
	}
	t.Logf("Bernoulli: coverage %d/%d", covered, reps)
}

func TestBootstrapAllocations(t *testing.T) {
	// The resampling loop allocates nothing: the number of allocations does
	// not grow with B (up to a couple from the runtime's goroutine start-up).
	r := rand.New(rand.NewPCG(1, 1))
	v, g := synth(r, []int{300, 200, 100}, []float64{0.5, 0.5, 0.5})
	w := append([]float64(nil), v...)
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(2))
	for _, unstrat := range []bool{false, true} {
		allocs := func(B int) float64 {
			bs := Bootstrap{B: B, Unstratified: unstrat, Src: rand.NewPCG(1, 1)}
			a := testing.AllocsPerRun(3, func() { bs.Groups(v, g, 3) })
			a += testing.AllocsPerRun(3, func() { bs.GroupsMulti([][]float64{v, w}, g, 3) })
			return a
		}
		if small, large := allocs(40), allocs(4000); large > small+3 {
			t.Errorf("unstratified=%v: %g allocations with B = 40, %g with B = 4000", unstrat, small, large)
		}
	}
}
