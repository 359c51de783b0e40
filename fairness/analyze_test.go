package fairness

import (
	"encoding/json"
	"math"
	"math/rand/v2"
	"runtime"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestAnalyzeSpec(t *testing.T) {
	const tol = 1e-4
	// METRICS-SPEC.md §3.1 groups F and M, plus one F user without a value
	// (excluded) and one ungrouped user.
	v, g := labelled(specF, specM)
	v = append(v, nan, 0.1)
	g = append(g, 0, -1)
	a := Analyze(PerUser{{Name: "ndcg@10", Values: v}},
		[]Grouping{{Attribute: "gender", Levels: []string{"F", "M"}, Codes: g}},
		AnalyzeConfig{Seed: 1, BootstrapB: 200})
	if len(a.Comparisons) != 1 {
		t.Fatalf("%d comparisons, want 1", len(a.Comparisons))
	}
	c := a.Comparisons[0]
	if c.Metric != "ndcg@10" || c.Attribute != "gender" || c.Highest != "F" || c.Lowest != "M" {
		t.Errorf("labels: %q %q highest %q lowest %q", c.Metric, c.Attribute, c.Highest, c.Lowest)
	}
	// Group means, sizes and exclusions: METRICS-SPEC.md §3.1 (0.8, 0.4333).
	wantGroups := []struct {
		n, excl int
		v       float64
	}{{3, 1, 0.8}, {3, 0, 0.4333}}
	for h, w := range wantGroups {
		ge := c.Groups[h]
		if ge.N != w.n || ge.Excluded != w.excl || ge.Withheld {
			t.Errorf("group %d: n %d excluded %d withheld %v, want %d %d false", h, ge.N, ge.Excluded, ge.Withheld, w.n, w.excl)
		}
		checkNear(t, "group value", float64(ge.Value), w.v, tol)
		if !(ge.CI[0] <= ge.Value && ge.Value <= ge.CI[1]) {
			t.Errorf("group %d: value %v outside its interval %v", h, ge.Value, ge.CI)
		}
	}
	// One-vs-rest: 0.8 − 0.4333 and its opposite (hand-computed).
	checkNear(t, "F vs rest", float64(c.Groups[0].VsRest.Value), 0.3667, tol)
	checkNear(t, "M vs rest", float64(c.Groups[1].VsRest.Value), -0.3667, tol)
	// Overall: user-weighted mean of the six grouped users with a value,
	// (2.4 + 1.3)/6 (hand-computed).
	checkNear(t, "overall", float64(c.Overall.Value), 3.7/6, tol)
	// Disparities: METRICS-SPEC.md §3.2 (difference 0.3667, ratio 0.5417);
	// the difference test is the exact test of §6.2 (p = 2/20 = 0.10).
	if len(c.Disparities) != 2 {
		t.Fatalf("%d disparities, want 2", len(c.Disparities))
	}
	d := c.Disparities[0]
	if d.Aggregator != "max-min-diff" || d.Test.Method != "exact-permutation" || d.Test.Resamples != 20 {
		t.Errorf("difference: %+v", d)
	}
	checkNear(t, "difference", float64(d.Estimate), 0.3667, tol)
	checkNear(t, "difference p", float64(d.Test.P), 0.10, 1e-12)
	checkNear(t, "difference statistic", float64(d.Test.Statistic), 0.3667, tol)
	r := c.Disparities[1]
	if r.Aggregator != "min-max-ratio" || r.FairValue != 1 {
		t.Errorf("ratio: %+v", r)
	}
	checkNear(t, "ratio", float64(r.Estimate), 0.5417, tol)
	// The ratio's exact test is Permutation.Disparity's.
	ref := Permutation{}.Disparity(MinMaxRatio, v, g, 2)
	checkNear(t, "ratio p", float64(r.Test.P), ref.P, 1e-12)
	// Kruskal–Wallis: METRICS-SPEC.md §3.3, H = 3.8571 with df 1; p is the
	// χ²(1) survival function, 2(1 − Φ(√3.8571)) = 0.04953 (hand-computed).
	kw := c.KruskalWallis
	if kw.Method != "kruskal-wallis" || kw.DF != 1 {
		t.Errorf("kruskal-wallis: %+v", kw)
	}
	checkNear(t, "H", float64(kw.Statistic), 3.8571, tol)
	checkNear(t, "KW p", float64(kw.P), 0.04953, tol)
	// q-values: Benjamini–Hochberg over the three tests of the analysis.
	q := BenjaminiHochberg(nil, []float64{0.10, ref.P, float64(kw.P)})
	for i, ts := range a.Tests() {
		checkNear(t, "q", float64(ts.Q), q[i], 1e-12)
	}
}

// TestAnalyzeMonteCarlo checks the shared-relabeling Monte Carlo tests
// against Permutation.Disparity run column by column: the p-values agree
// within Monte Carlo error, the statistics exactly up to rounding.
func TestAnalyzeMonteCarlo(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 3))
	const n = 240
	codes := make([]int32, n)
	cols := make([][]float64, 3)
	for k := range cols {
		cols[k] = make([]float64, n)
	}
	for u := range n {
		codes[u] = int32(r.IntN(3))
		shift := 0.03 * float64(codes[u]) // a small effect: p-values away from 0 and 1
		cols[0][u] = r.Float64() + shift
		cols[1][u] = r.NormFloat64() + 5*shift
		cols[2][u] = r.Float64() // no effect
		if u%7 == 0 {
			cols[2][u] = math.NaN() // another set of users: a second relabeling set
		}
	}
	table := PerUser{{"a", cols[0]}, {"b", cols[1]}, {"c", cols[2]}}
	const B = 4000
	a := Analyze(table, []Grouping{{Attribute: "g", Levels: []string{"x", "y", "z"}, Codes: codes}},
		AnalyzeConfig{Seed: 7, PermutationB: B, BootstrapB: 100})
	for k, c := range a.Comparisons {
		for ai, agg := range []Aggregator{MaxMinDiff, MinMaxRatio} {
			got := c.Disparities[ai].Test
			want := Permutation{B: 20000, Src: rand.NewPCG(9, uint64(k))}.Disparity(agg, cols[k], codes, 3)
			if got.Method != "permutation" || got.Resamples != B {
				t.Errorf("%s %v: method %q resamples %d", c.Metric, agg, got.Method, got.Resamples)
			}
			checkNear(t, c.Metric+" statistic", float64(got.Statistic), want.Statistic, 1e-12)
			// 4 standard errors of the difference of two Monte Carlo
			// estimates with B and 20000 draws.
			se := math.Sqrt(want.P * (1 - want.P) * (1.0/B + 1.0/20000))
			if math.Abs(float64(got.P)-want.P) > 4*se+1e-3 {
				t.Errorf("%s %v: p = %.4f, Permutation.Disparity %.4f (se %.4f)", c.Metric, agg, float64(got.P), want.P, se)
			}
		}
	}
}

func TestAnalyzeDeterministic(t *testing.T) {
	r := rand.New(rand.NewPCG(5, 5))
	const n = 3000
	codes := make([]int32, n)
	v := make([]float64, n)
	w := make([]float64, n)
	for u := range n {
		codes[u] = int32(r.IntN(4)) - 1
		v[u] = r.Float64()
		w[u] = r.ExpFloat64()
		if u%5 == 0 {
			v[u] = math.NaN()
		}
	}
	run := func(procs int) string {
		defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(procs))
		a := Analyze(PerUser{{"v", v}, {"w", w}}, []Grouping{{"g", []string{"a", "b", "c"}, codes}},
			AnalyzeConfig{Seed: 11, BootstrapB: 200, PermutationB: 500})
		b, err := json.Marshal(a)
		if err != nil {
			t.Fatal(err)
		}
		return string(b)
	}
	one := run(1)
	if four := run(4); one != four {
		t.Errorf("GOMAXPROCS 1 and 4 differ:\n%s\n%s", one, four)
	}
	if again := run(2); one != again {
		t.Errorf("GOMAXPROCS 1 and 2 differ")
	}
}

func TestAnalyzeWithheld(t *testing.T) {
	const tol = 1e-12
	// Group "z" has two users with a value, below MinUsers = 3: withheld.
	v := []float64{1, 2, 3, 4, 5, 6, 100, 200, math.NaN()}
	codes := []int32{0, 0, 0, 1, 1, 1, 2, 2, 2}
	a := Analyze(PerUser{{"m", v}}, []Grouping{{"g", []string{"x", "y", "z"}, codes}},
		AnalyzeConfig{MinUsers: 3, BootstrapB: 50})
	c := a.Comparisons[0]
	z := c.Groups[2]
	// Its counts (2 with a value, 1 excluded) are not published: 0 here,
	// null in JSON.
	if !z.Withheld || !z.Value.IsNaN() || !z.CI[0].IsNaN() || z.N != 0 || z.Excluded != 0 {
		t.Errorf("withheld group: %+v", z)
	}
	b, err := json.Marshal(z)
	if err != nil {
		t.Fatal(err)
	}
	if want := `{"group":"z","n":null,"excluded":null,"value":null,"ci":[null,null],"vs_rest":{"value":null,"ci":[null,null]},"withheld":true}`; string(b) != want {
		t.Errorf("withheld JSON\n%s\nwant\n%s", b, want)
	}
	if b, _ := json.Marshal(c.Groups[0]); !strings.Contains(string(b), `"n":3,"excluded":0,`) {
		t.Errorf("reported group JSON %s", b)
	}
	// The disparity leaves z out: 5 − 2 = 3 (hand-computed), not 150 − 2.
	checkNear(t, "difference", float64(c.Disparities[0].Estimate), 3, tol)
	checkNear(t, "statistic", float64(c.Disparities[0].Test.Statistic), 3, tol)
	// Exact test of x vs y: the split {1,2,3} | {4,5,6} and its mirror are
	// the only ones with |difference| >= 3 among C(6,3) = 20: p = 0.1.
	checkNear(t, "p", float64(c.Disparities[0].Test.P), 0.1, tol)
	if c.Highest != "y" || c.Lowest != "x" {
		t.Errorf("highest %q lowest %q, want y x", c.Highest, c.Lowest)
	}
}

func TestAnalyzeUndefined(t *testing.T) {
	// One group only: every disparity and test is NaN, marshalled as null.
	a := Analyze(PerUser{{"m", []float64{1, 2, 3}}}, []Grouping{{"g", []string{"x", "y"}, []int32{0, 0, -1}}},
		AnalyzeConfig{BootstrapB: 10})
	c := a.Comparisons[0]
	if !c.Disparities[0].Estimate.IsNaN() || !c.Disparities[0].Test.P.IsNaN() || !c.KruskalWallis.P.IsNaN() {
		t.Errorf("undefined comparison: %+v", c)
	}
	if c.Highest != "" || c.Lowest != "" {
		t.Errorf("highest %q lowest %q with one group", c.Highest, c.Lowest)
	}
	b, err := json.Marshal(c.Disparities[0])
	if err != nil {
		t.Fatal(err)
	}
	want := `{"aggregator":"max-min-diff","estimate":null,"ci":[null,null],"fair_value":0,"test":{"method":"permutation","statistic":null,"df":0,"p":null,"q":null,"resamples":0}}`
	if string(b) != want {
		t.Errorf("JSON:\n got %s\nwant %s", b, want)
	}
}

// TestAnalyzeNullSize checks the size of the Monte Carlo disparity tests:
// with no group effect, p < 0.05 in about 5% of datasets. 400 datasets
// give a standard error of 1.1 points; the bound 0.08 is 2.7 standard
// errors above 0.05.
func TestAnalyzeNullSize(t *testing.T) {
	if testing.Short() {
		t.Skip("simulation")
	}
	r := rand.New(rand.NewPCG(21, 21))
	const reps, n = 400, 60
	rejected := make([]int, 3)
	for range reps {
		codes := make([]int32, n)
		v := make([]float64, n)
		for u := range n {
			codes[u] = int32(r.IntN(3))
			v[u] = r.ExpFloat64()
		}
		a := Analyze(PerUser{{"v", v}}, []Grouping{{"g", []string{"a", "b", "c"}, codes}},
			AnalyzeConfig{Seed: r.Uint64(), BootstrapB: 10, PermutationB: 199})
		for i, ts := range a.Tests() {
			if ts.P < 0.05 {
				rejected[i]++
			}
		}
	}
	for i, k := range rejected {
		if rate := float64(k) / reps; rate > 0.08 {
			t.Errorf("test %d: rejection rate %.3f at level 0.05", i, rate)
		}
	}
}

func TestAdjustBH(t *testing.T) {
	const tol = 1e-12
	// METRICS-SPEC.md §6.3 example, with a NaN p-value left out.
	p := []float64{0.010, 0.001, 0.039, 0.041, 0.042, 0.060, 0.074, 0.205, math.NaN()}
	want := []float64{0.04, 0.008, 0.0672, 0.0672, 0.0672, 0.08, 0.084571428571, 0.205, math.NaN()}
	ts := make([]*Test, len(p))
	for i := range p {
		ts[i] = &Test{P: Float(p[i])}
	}
	AdjustBH(ts)
	for i, x := range ts {
		if !near(float64(x.Q), want[i], 1e-9) {
			t.Errorf("q[%d] = %v, want %v", i, x.Q, want[i])
		}
	}
	_ = tol
}

func TestPermutationResamples(t *testing.T) {
	for _, c := range []struct {
		cfg  AnalyzeConfig
		n, b int
	}{
		{AnalyzeConfig{}, 10, 10000},
		{AnalyzeConfig{}, 10000, 10000}, // 10 000 · 10 000 = budget
		{AnalyzeConfig{}, 20000, 5000},  // 1e8 / 2e4
		{AnalyzeConfig{}, 30000, 3300},  // 3333 rounded down to 100s
		{AnalyzeConfig{}, 50000, 2000},
		{AnalyzeConfig{}, 100000, 1000},
		{AnalyzeConfig{}, 1000000, 1000},
		{AnalyzeConfig{PermutationB: 77}, 1000000, 77},
	} {
		if got := c.cfg.PermutationResamples(c.n); got != c.b {
			t.Errorf("PermutationResamples(%d) with %+v = %d, want %d", c.n, c.cfg, got, c.b)
		}
	}
}

func TestFloatJSON(t *testing.T) {
	in := []Float{1.5, Float(math.NaN()), Float(math.Inf(1)), 1e-7, 0, 123456789}
	b, err := json.Marshal(in)
	if err != nil {
		t.Fatal(err)
	}
	// encoding/json's float64 format for the finite values.
	if want := `[1.5,null,null,1e-7,0,123456789]`; string(b) != want {
		t.Errorf("Marshal = %s, want %s", b, want)
	}
	var out []Float
	if err := json.Unmarshal(b, &out); err != nil {
		t.Fatal(err)
	}
	if out[0] != 1.5 || !out[1].IsNaN() || !out[2].IsNaN() || out[3] != 1e-7 {
		t.Errorf("Unmarshal = %v", out)
	}
	if err := json.Unmarshal([]byte(`["x"]`), &out); err == nil {
		t.Error("Unmarshal of a string: no error")
	}
}

func TestAnalyzePanics(t *testing.T) {
	good := PerUser{{"m", []float64{1, 2}}}
	gg := []Grouping{{"g", []string{"a"}, []int32{0, -1}}}
	for name, f := range map[string]func(){
		"column length":   func() { Analyze(PerUser{{"m", []float64{1, 2}}, {"n", []float64{1}}}, gg, AnalyzeConfig{}) },
		"grouping length": func() { Analyze(good, []Grouping{{"g", []string{"a"}, []int32{0}}}, AnalyzeConfig{}) },
		"code":            func() { Analyze(good, []Grouping{{"g", []string{"a"}, []int32{0, 1}}}, AnalyzeConfig{}) },
		"aggregator":      func() { Analyze(good, gg, AnalyzeConfig{Aggregators: []Aggregator{-1}}) },
		"resamples":       func() { Analyze(good, gg, AnalyzeConfig{PermutationB: -1}) },
		"bootstrap":       func() { Analyze(good, gg, AnalyzeConfig{BootstrapB: -1}) },
		"alpha":           func() { Analyze(good, gg, AnalyzeConfig{Alpha: 2}) },
		"min users":       func() { Analyze(good, gg, AnalyzeConfig{MinUsers: -1}) },
	} {
		if !panics(f) {
			t.Errorf("%s: no panic", name)
		}
	}
	// The messages start with the package name.
	defer func() {
		if r := recover(); r == nil || !strings.HasPrefix(r.(string), "fairness: ") {
			t.Errorf("panic %v", r)
		}
	}()
	Analyze(good, []Grouping{{"g", []string{"a"}, []int32{0, 1}}}, AnalyzeConfig{})
}

func TestAnalyzeEmpty(t *testing.T) {
	a := Analyze(nil, []Grouping{{"g", []string{"a"}, []int32{0}}}, AnalyzeConfig{})
	if len(a.Comparisons) != 0 || len(a.Tests()) != 0 {
		t.Errorf("empty table: %+v", a)
	}
	want := AnalysisSettings{BootstrapResamples: 1000, Alpha: 0.05, Stratified: true, MaxExact: 100000,
		Aggregators: []string{"max-min-diff", "min-max-ratio"}}
	if d := cmp.Diff(want, a.Settings); d != "" {
		t.Errorf("settings (-want +got):\n%s", d)
	}
}

func TestSumReplicates(t *testing.T) {
	const tol = 1e-12
	// Two dense columns as sparse rows; the draws are those of
	// ReplicatesMulti with one group and the same source, so every
	// replicate total is n times its overall mean there.
	r := rand.New(rand.NewPCG(8, 8))
	const n, B = 50, 64
	a, b := make([]float64, n), make([]float64, n)
	m := SparseRows{Offsets: make([]int64, n+1), NumCols: 3}
	for u := range n {
		a[u], b[u] = r.Float64(), r.NormFloat64()
		m.Cols = append(m.Cols, 0, 2, 0)
		m.Values = append(m.Values, a[u]/2, b[u], a[u]/2) // column 0 repeated: the values add up
		m.Offsets[u+1] = int64(len(m.Cols))
	}
	got := Bootstrap{B: B, Src: rand.NewPCG(1, 2)}.SumReplicates(nil, m)
	want := Bootstrap{B: B, Src: rand.NewPCG(1, 2)}.ReplicatesMulti(nil, [][]float64{a, b}, make([]int32, n), 1)
	for i := range B {
		checkNear(t, "column 0", got[i*3]/n, want[i*4+1], tol)
		checkNear(t, "column 1", got[i*3+1], 0, 0)
		checkNear(t, "column 2", got[i*3+2]/n, want[i*4+3], tol)
	}
	// The estimate.
	tot := m.Totals(nil)
	var sa float64
	for _, x := range a {
		sa += x
	}
	checkNear(t, "total", tot[0], sa, tol)
	// GOMAXPROCS does not matter.
	prev := runtime.GOMAXPROCS(1)
	one := Bootstrap{B: B, Src: rand.NewPCG(1, 2)}.SumReplicates(nil, m)
	runtime.GOMAXPROCS(prev)
	if d := cmp.Diff(got, one); d != "" {
		t.Errorf("GOMAXPROCS 1 differs:\n%s", d)
	}
	// No users: zeros.
	if z := (Bootstrap{B: 2}).SumReplicates(nil, SparseRows{NumCols: 2}); !cmp.Equal(z, []float64{0, 0, 0, 0}) {
		t.Errorf("no users: %v", z)
	}
	for name, f := range map[string]func(){
		"column": func() {
			(Bootstrap{B: 1}).SumReplicates(nil, SparseRows{Offsets: []int64{0, 1}, Cols: []int32{3}, Values: []float64{1}, NumCols: 3})
		},
		"values": func() {
			(Bootstrap{B: 1}).SumReplicates(nil, SparseRows{Offsets: []int64{0, 1}, Cols: []int32{0}, NumCols: 3})
		},
		"dst": func() { (Bootstrap{B: 1}).SumReplicates(make([]float64, 2), SparseRows{NumCols: 3}) },
	} {
		if !panics(f) {
			t.Errorf("%s: no panic", name)
		}
	}
}

func TestBootstrapPValue(t *testing.T) {
	const tol = 1e-12
	// Hand-computed: estimate 0.5, replicates deviate from it by 0.1, 0.2,
	// 0.3, 0.4 (and NaN, counted as extreme).
	reps := []float64{0.4, 0.7, 0.2, 0.9, math.NaN()}
	for _, c := range []struct {
		null, want float64
	}{
		{0.3, (4 + 1) / 6.0},  // |θ̂ − null| = 0.2: deviations 0.2, 0.3, 0.4 and NaN
		{0.85, (2 + 1) / 6.0}, // 0.35: 0.4 and NaN
		{0.5, 1},              // the estimate itself
		{10, 2 / 6.0},         // only NaN
	} {
		checkNear(t, "p", BootstrapPValue(0.5, c.null, reps), c.want, tol)
	}
	if !math.IsNaN(BootstrapPValue(math.NaN(), 0, reps)) || !math.IsNaN(BootstrapPValue(0, 0, nil)) {
		t.Error("undefined p-value is not NaN")
	}
}

// TestAnalyzeIntervals checks the intervals against Bootstrap.Groups run on
// each column alone with the same stream, and the one-vs-rest contrasts.
func TestAnalyzeIntervals(t *testing.T) {
	const tol = 1e-9
	r := rand.New(rand.NewPCG(6, 6))
	const n = 500
	codes := make([]int32, n)
	a, b := make([]float64, n), make([]float64, n)
	for u := range n {
		codes[u] = int32(r.IntN(4)) - 1
		a[u], b[u] = r.Float64(), r.ExpFloat64()
		if u%3 == 0 {
			a[u], b[u] = math.NaN(), math.NaN() // same users: one set
		}
	}
	cfg := AnalyzeConfig{Seed: 3, BootstrapB: 300, PermutationB: 100}
	an := Analyze(PerUser{{"a", a}, {"b", b}}, []Grouping{{"g", []string{"x", "y", "z"}, codes}}, cfg)
	for k, v := range [][]float64{a, b} {
		want := Bootstrap{B: 300, Src: analyzeSeed(3, 0, 0)}.Groups(v, codes, 3)
		c := an.Comparisons[k]
		for h, ge := range c.Groups {
			checkNear(t, "lo", float64(ge.CI[0]), want.Groups[h].Lo, tol)
			checkNear(t, "hi", float64(ge.CI[1]), want.Groups[h].Hi, tol)
		}
		checkNear(t, "overall lo", float64(c.Overall.CI[0]), want.Overall.Lo, tol)
		for i, d := range c.Disparities {
			checkNear(t, "disparity lo", float64(d.CI[0]), want.Disparities[i].Lo, tol)
			checkNear(t, "disparity hi", float64(d.CI[1]), want.Disparities[i].Hi, tol)
		}
		// One-vs-rest estimates: OneVsRestDiff of the means.
		rest := OneVsRestDiff(nil, GroupMeans(nil, v, codes, 3), GroupCounts(nil, v, codes, 3))
		for h, ge := range c.Groups {
			checkNear(t, "vs rest", float64(ge.VsRest.Value), rest[h], 1e-12)
			if !(ge.VsRest.CI[0] < ge.VsRest.CI[1]) {
				t.Errorf("vs rest interval %v", ge.VsRest.CI)
			}
		}
	}
	// Unstratified: no vs-rest intervals.
	cfg.Unstratified = true
	an = Analyze(PerUser{{"a", a}}, []Grouping{{"g", []string{"x", "y", "z"}, codes}}, cfg)
	if ge := an.Comparisons[0].Groups[0]; !ge.VsRest.CI[0].IsNaN() || ge.VsRest.Value.IsNaN() {
		t.Errorf("unstratified vs rest: %+v", ge.VsRest)
	}
}

// TestAnalyzeNoLevels: a grouping whose groups were all suppressed.
func TestAnalyzeNoLevels(t *testing.T) {
	a := Analyze(PerUser{{"m", []float64{1, 2, 3}}}, []Grouping{{"g", nil, []int32{-1, -1, -1}}}, AnalyzeConfig{BootstrapB: 10})
	c := a.Comparisons[0]
	if len(c.Groups) != 0 || !c.Disparities[0].Test.P.IsNaN() || !c.Overall.Value.IsNaN() || !c.KruskalWallis.P.IsNaN() {
		t.Errorf("%+v", c)
	}
}
