package fairness

import (
	"math"
	"math/rand/v2"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// rankfairSeq is the group sequence [A,A,B,A,B,B] of METRICS-SPEC.md §4.4
// and §4.5 as items 0..5 with groups A = 0, B = 1.
var (
	rankfairList  = []int32{0, 1, 2, 3, 4, 5}
	rankfairGroup = []int32{0, 0, 1, 0, 1, 1}
	rankfairHalf  = []float64{0.5, 0.5}
)

func TestAWRF(t *testing.T) {
	align := AlignmentOf(rankfairGroup, 2)
	clipped := Exposure{Model: ExposureClippedLog}
	for _, test := range []struct {
		name  string
		list  []int32
		align Alignment
		model Exposure
		unit  InfoUnit
		want  float64
	}{
		// METRICS-SPEC.md §4.4 example.
		{"clipped nats", rankfairList, align, clipped, Nats, 0.9909},
		{"clipped bits", rankfairList, align, clipped, Bits, 0.9869},
		{"log nats", rankfairList, align, Exposure{}, Nats, 0.9922},
		// hand-computed: [A, A, X, B] with X unknown keeps B at rank 4:
		// ρ = (1+1, 0.5)/2.5 = (0.8, 0.2), 1 − JSD = 0.9493.
		{"unknown dropped", []int32{0, 1, 9, 2}, align, clipped, Nats, 0.9493},
		// hand-computed: every item half in each group gives ρ = ρ*.
		{"multi-group", rankfairList, Alignment{Groups: 2, Weights: []float64{.5, .5, .5, .5, .5, .5, .5, .5, .5, .5, .5, .5}}, clipped, Nats, 1},
		// hand-computed: all A against (0.5, 0.5): JSD = ½ ln(4/3) +
		// ¼ ln(2/3) + ¼ ln 2 = 0.21576 nats = 0.31128 bits.
		{"all one group", []int32{0, 1, 3}, align, clipped, Nats, 0.78424},
		{"all one group bits", []int32{0, 1, 3}, align, clipped, Bits, 0.68872},
	} {
		if got := AWRF(test.list, test.align, rankfairHalf, test.model, test.unit); math.Abs(got-test.want) > exposureTol {
			t.Errorf("%s: AWRF = %.6f, want %.4f", test.name, got, test.want)
		}
	}
	// hand-computed: all A against the target (0, 1): JSD = ln 2 nats = 1
	// bit, AWRF 0 in bits.
	if got := AWRF([]int32{0, 1, 3}, align, []float64{0, 1}, clipped, Bits); math.Abs(got) > 1e-12 {
		t.Errorf("disjoint: AWRF = %v bits, want 0", got)
	}
	if got := AWRF([]int32{9, -1}, align, rankfairHalf, clipped, Nats); !math.IsNaN(got) {
		t.Errorf("no known item: %v, want NaN", got)
	}
	if got := AWRF(rankfairList, align, []float64{0, 0}, clipped, Nats); !math.IsNaN(got) {
		t.Errorf("zero target: %v, want NaN", got)
	}
	lists := Rankings{Offsets: []int64{0, 6, 6, 10}, Items: append(append([]int32{}, rankfairList...), 0, 1, 9, 2)}
	got := AWRFTo(nil, lists, align, []float64{3, 3}, clipped, Nats)
	if diff := cmp.Diff([]float64{0.9909, math.NaN(), 0.9493}, got, exposureApprox); diff != "" {
		t.Errorf("AWRFTo (-want +got):\n%s", diff)
	}
}

func TestSkew(t *testing.T) {
	inf := math.Inf(-1)
	for _, test := range []struct {
		k    int
		eps  float64
		want []float64
	}{
		// METRICS-SPEC.md §4.5 example.
		{1, 0, []float64{0.6931, inf}},
		{3, 0, []float64{0.2877, -0.4055}},
		{4, 0, []float64{0.4055, -0.6931}},
		{6, 0, []float64{0, 0}},
		// hand-computed: k = 0 and k beyond the list are the whole list.
		{0, 0, []float64{0, 0}},
		{10, 0, []float64{0, 0}},
		// hand-computed: ln((0+1e-7)/(0.5+1e-7)) = −15.4249.
		{1, 1e-7, []float64{0.6931, -15.4249}},
	} {
		got := SkewTo(nil, rankfairList, rankfairGroup, rankfairHalf, test.k, test.eps)
		if diff := cmp.Diff(test.want, got, exposureApprox); diff != "" {
			t.Errorf("Skew@%d eps %g (-want +got):\n%s", test.k, test.eps, diff)
		}
	}
	// METRICS-SPEC.md §4.5: MaxSkew@4 0.4055, MinSkew@4 −0.6931; MinSkew@1
	// −Inf.
	if got := MaxSkew(rankfairList, rankfairGroup, rankfairHalf, 4, 0); math.Abs(got-0.4055) > exposureTol {
		t.Errorf("MaxSkew@4 = %v", got)
	}
	if got := MinSkew(rankfairList, rankfairGroup, rankfairHalf, 4, 0); math.Abs(got+0.6931) > exposureTol {
		t.Errorf("MinSkew@4 = %v", got)
	}
	if got := MinSkew(rankfairList, rankfairGroup, rankfairHalf, 1, 0); !math.IsInf(got, -1) {
		t.Errorf("MinSkew@1 = %v, want -Inf", got)
	}
	// hand-computed: unknown items are left out of the shares: top 3 of
	// [X, A, B] is A, B → skew 0, 0.
	if diff := cmp.Diff([]float64{0, 0}, SkewTo(nil, []int32{7, 0, 2}, rankfairGroup, rankfairHalf, 3, 0), exposureApprox); diff != "" {
		t.Errorf("unknown (-want +got):\n%s", diff)
	}
	if got := MaxSkew([]int32{7}, rankfairGroup, rankfairHalf, 1, 0); !math.IsNaN(got) {
		t.Errorf("no known item: %v, want NaN", got)
	}
	if got := MaxSkew(nil, rankfairGroup, rankfairHalf, 1, 0); !math.IsNaN(got) {
		t.Errorf("empty list: %v, want NaN", got)
	}
}

func TestNDKL(t *testing.T) {
	// METRICS-SPEC.md §4.5 example: 0.3701.
	if got := NDKL(rankfairList, rankfairGroup, rankfairHalf, 0); math.Abs(got-0.3701) > exposureTol {
		t.Errorf("NDKL = %.6f, want 0.3701", got)
	}
	// METRICS-SPEC.md §4.5: FairRankTune (self target, ε = 1e-7) 0.37006.
	self := ListGroupSharesTo(nil, rankfairList, rankfairGroup, 2, 0)
	if got := NDKL(rankfairList, rankfairGroup, self, 1e-7); math.Abs(got-0.37006) > exposureTol {
		t.Errorf("NDKL self = %.6f, want 0.37006", got)
	}
	// hand-computed: [X, A] skips the first prefix; the second is (1, 0):
	// KL = ln 2, normalised by its own discount.
	if got := NDKL([]int32{9, 0}, rankfairGroup, rankfairHalf, 0); math.Abs(got-math.Ln2) > 1e-12 {
		t.Errorf("NDKL with unknown = %v, want ln 2", got)
	}
	// hand-computed: a target without group B and a B in the list: +Inf.
	if got := NDKL([]int32{2}, rankfairGroup, []float64{1, 0}, 0); !math.IsInf(got, 1) {
		t.Errorf("NDKL zero target = %v, want +Inf", got)
	}
	// A list that matches the target at every prefix is impossible with
	// (0.5, 0.5), but a single-group target and list score 0.
	if got := NDKL([]int32{0, 1, 3}, rankfairGroup, []float64{1, 0}, 0); got != 0 {
		t.Errorf("NDKL perfect = %v, want 0", got)
	}
	if got := NDKL(nil, rankfairGroup, rankfairHalf, 0); !math.IsNaN(got) {
		t.Errorf("NDKL empty = %v, want NaN", got)
	}
}

func TestRankfairPanics(t *testing.T) {
	align := AlignmentOf(rankfairGroup, 2)
	for i, f := range []func(){
		func() { AWRF(rankfairList, align, []float64{1}, Exposure{}, Nats) },
		func() { AWRF(rankfairList, align, rankfairHalf, Exposure{}, 3) },
		func() { AWRFTo(nil, Rankings{Offsets: []int64{0, 9}}, align, rankfairHalf, Exposure{}, Nats) },
		func() { SkewTo(nil, rankfairList, rankfairGroup, rankfairHalf, -1, 0) },
		func() { SkewTo(nil, rankfairList, rankfairGroup, rankfairHalf, 1, -1) },
		func() { SkewTo(nil, rankfairList, rankfairGroup, []float64{1}, 1, 0) },
		func() { NDKL(rankfairList, rankfairGroup, nil, 0) },
		func() { NDKL(rankfairList, rankfairGroup, rankfairHalf, math.NaN()) },
		func() { ListGroupSharesTo(make([]float64, 3), rankfairList, rankfairGroup, 2, 0) },
	} {
		if !exposurePanics(f) {
			t.Errorf("case %d: no panic", i)
		}
	}
}

// rankfairRNDFlags is the ranking of METRICS-SPEC.md §4.6: N = 30, P = 12.
func rankfairRNDFlags() []bool {
	var f []bool
	for _, c := range "100100010010010100001110110100" {
		f = append(f, c == '1')
	}
	return f
}

func TestRND(t *testing.T) {
	flags := rankfairRNDFlags()
	paper := RNDConfig{}
	for _, test := range []struct {
		name    string
		measure RNDMeasure
		cfg     RNDConfig
		z, want float64
		tol     float64
	}{
		// METRICS-SPEC.md §4.6 example, paper discount, exact Z.
		{"rND", MeasureRND, paper, 0.22689, 0.2347, exposureTol},
		// METRICS-SPEC.md §4.6 + erratum: Z = 0.29413 needs clipped shares.
		{"rKL clipped", MeasureRKL, RNDConfig{ClipShares: true}, 0.29413, 0.0564, exposureTol},
		// METRICS-SPEC.md §4.6 + erratum: Z = 0.32923 is the one-sided rRD.
		{"rRD one-sided", MeasureRRD, RNDConfig{OneSided: true}, 0.32923, 0.3850, exposureTol},
		// METRICS-SPEC.md §4.6, code discount 1/log2(i+1).
		{"rND code", MeasureRND, RNDConfig{Discount: RNDCode}, math.NaN(), 0.2360, exposureTol},
		{"rKL code", MeasureRKL, RNDReferenceCode(), math.NaN(), 0.0567, exposureTol},
		// METRICS-SPEC.md §4.6 erratum: 0.385447.
		{"rRD code", MeasureRRD, RNDReferenceCode(), math.NaN(), 0.385447, 1e-6},
		// Defaults (exact KL, two-sided rRD): independent re-implementation
		// in Python (exhaustive dynamic programming over prefix counts):
		// rKL raw 0.01659 / Z 0.42501 = 0.039038, rRD raw 0.12676 / Z
		// 2.7014 = 0.046925.
		{"rKL exact", MeasureRKL, paper, 0.42501, 0.039038, 1e-5},
		{"rRD two-sided", MeasureRRD, paper, 2.7014, 0.046925, 1e-5},
	} {
		var got float64
		switch test.measure {
		case MeasureRND:
			got = RND(flags, test.cfg)
		case MeasureRKL:
			got = RKL(flags, test.cfg)
		case MeasureRRD:
			got = RRD(flags, test.cfg)
		}
		if math.Abs(got-test.want) > test.tol {
			t.Errorf("%s = %.6f, want %v", test.name, got, test.want)
		}
		if !math.IsNaN(test.z) {
			if z := test.cfg.Normalizer(test.measure, 30, 12); math.Abs(z-test.z) > 1e-5 {
				t.Errorf("%s: Z = %.6f, want %v", test.name, z, test.z)
			}
		}
	}
	// METRICS-SPEC.md §4.6: the rND normaliser is attained by
	// protected-at-top, the clipped rKL one by protected-at-bottom.
	top := make([]bool, 30)
	bottom := make([]bool, 30)
	for i := range 12 {
		top[i] = true
		bottom[29-i] = true
	}
	if got := RND(top, paper); math.Abs(got-1) > 1e-12 {
		t.Errorf("rND protected-at-top = %v, want 1", got)
	}
	if got := RKL(bottom, RNDConfig{ClipShares: true}); math.Abs(got-1) > 1e-12 {
		t.Errorf("rKL protected-at-bottom = %v, want 1", got)
	}
	// hand-computed: alternating protected items match P/N = 1/2 at every
	// cut point.
	alt := make([]bool, 20)
	for i := range alt {
		alt[i] = i%2 == 0
	}
	for _, m := range []RNDMeasure{MeasureRND, MeasureRKL, MeasureRRD} {
		if got := paper.value(m, alt); got != 0 {
			t.Errorf("measure %d of a fair ranking = %v, want 0", m, got)
		}
	}
	// NaN: no protected item, all protected, shorter than one step.
	for i, f := range [][]bool{make([]bool, 20), {true, true, true, true, true, true, true, true, true, true}, {true, false}} {
		if got := RND(f, paper); !math.IsNaN(got) {
			t.Errorf("case %d: rND = %v, want NaN", i, got)
		}
	}
	for i, f := range []func(){
		func() { RND(flags, RNDConfig{Step: -1}) },
		func() { RND(flags, RNDConfig{Discount: 4}) },
		func() { paper.Normalizer(7, 30, 12) },
		func() { paper.Normalizer(MeasureRND, 30, 31) },
	} {
		if !exposurePanics(f) {
			t.Errorf("panic case %d: no panic", i)
		}
	}
}

// TestRNDNormalizerBruteForce compares the dynamic programme with the
// maximum over every ranking of N = 17 items with P = 6 protected (12 376
// rankings), cut points every 4 ranks (the last 1 rank after the last
// cut point), under every convention, and checks
// that every normalised value lies in [0, 1].
func TestRNDNormalizerBruteForce(t *testing.T) {
	const n, p = 17, 6
	var cfgs []RNDConfig
	for _, d := range []RNDDiscount{RNDPaper, RNDCode} {
		for _, clip := range []bool{false, true} {
			for _, one := range []bool{false, true} {
				cfgs = append(cfgs, RNDConfig{Step: 4, Discount: d, ClipShares: clip, OneSided: one})
			}
		}
	}
	var all [][]bool
	flags := make([]bool, n)
	var rec func(i, left int)
	rec = func(i, left int) {
		if i == n {
			if left == 0 {
				all = append(all, append([]bool(nil), flags...))
			}
			return
		}
		if left > 0 {
			flags[i] = true
			rec(i+1, left-1)
		}
		if n-i > left {
			flags[i] = false
			rec(i+1, left)
		}
	}
	rec(0, p)
	for c, cfg := range cfgs {
		for m := MeasureRND; m <= MeasureRRD; m++ {
			best := 0.0
			for _, f := range all {
				raw, _, _ := cfg.raw(m, f)
				best = max(best, raw)
			}
			z := cfg.Normalizer(m, n, p)
			if math.Abs(z-best) > 1e-12 {
				t.Errorf("config %d %+v measure %d: DP Z = %v, brute force %v", c, cfg, m, z, best)
			}
			for _, f := range all[:200] {
				if v := cfg.value(m, f); !(v >= 0 && v <= 1+1e-12) {
					t.Fatalf("%+v measure %d: value %v outside [0,1]", cfg, m, v)
				}
			}
		}
	}
}

func TestFAIRTables(t *testing.T) {
	for _, test := range []struct {
		k        int
		p, alpha float64
		want     []int
	}{
		// METRICS-SPEC.md §4.7 example (unadjusted).
		{10, 0.5, 0.1, []int{0, 0, 0, 1, 1, 1, 2, 2, 3, 3}},
		{10, 0.3, 0.1, []int{0, 0, 0, 0, 0, 0, 1, 1, 1, 1}},
		// fairsearch-fair-python tests/test_fair.py test_create_unadjusted_mtable.
		{10, 0.2, 0.15, []int{0, 0, 0, 0, 0, 0, 0, 0, 1, 1}},
		{20, 0.25, 0.1, []int{0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 1, 1, 2, 2, 2, 2, 2, 3}},
		{30, 0.3, 0.05, []int{0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 1, 2, 2, 2, 2, 2, 3, 3, 3, 3, 3, 4, 4, 4, 4, 5, 5, 5}},
	} {
		got := FAIR{P: test.p, Alpha: test.alpha}.MTableTo(nil, test.k)
		if diff := cmp.Diff(test.want, got); diff != "" {
			t.Errorf("k %d p %v α %v (-want +got):\n%s", test.k, test.p, test.alpha, diff)
		}
	}
	// fairsearch-fair-python test_compute_fail_probability: failure
	// probabilities of the library's adjusted tables. The README's
	// 0.11517506930977106 for the unadjusted (20, 0.25, 0.1) table is that
	// of its first 19 positions: the library's compute_aux_mtable loops
	// over range(1, len(mtable)) and never tests position k. With position
	// 20 the exact value is 0.146887188699111 (independent Python dynamic
	// programme; the DP itself is checked by enumeration below).
	for _, test := range []struct {
		table []int
		p     float64
		want  float64
	}{
		{[]int{0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 1, 1, 2, 2, 2, 2, 2}, 0.25, 0.11517506930977106},
		{[]int{0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 1, 1, 2, 2, 2, 2, 2, 3}, 0.25, 0.146887188699111},
		{[]int{0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 1, 1, 1, 2, 2, 2, 2, 2}, 0.25, 0.10515247355215251},
		{[]int{0, 0, 0, 0, 0, 0, 0, 0, 1, 1}, 0.2, 0.13421772800000065},
		{[]int{0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 1, 1, 2, 2, 2, 2, 2, 3, 3, 3, 3, 4, 4, 4, 4, 4}, 0.3, 0.04877730797178359},
	} {
		if got := FAIRFailProbability(test.table, test.p); math.Abs(got-test.want) > 1e-9 {
			t.Errorf("fail probability of %v = %.12f, want %.12f", test.table, got, test.want)
		}
	}
}

// TestFAIRFailProbabilityBruteForce enumerates all 2^12 protected patterns.
func TestFAIRFailProbabilityBruteForce(t *testing.T) {
	const k = 12
	for _, p := range []float64{0.2, 0.5, 0.7} {
		table := FAIR{P: p, Alpha: 0.1}.MTableTo(nil, k)
		var fail float64
		flags := make([]bool, k)
		for mask := range 1 << k {
			c := 0
			for j := range k {
				flags[j] = mask>>j&1 == 1
				if flags[j] {
					c++
				}
			}
			if FAIRFirstFailure(flags, table) != 0 {
				fail += math.Pow(p, float64(c)) * math.Pow(1-p, float64(k-c))
			}
		}
		if got := FAIRFailProbability(table, p); math.Abs(got-fail) > 1e-12 {
			t.Errorf("p %v: DP %v, enumeration %v", p, got, fail)
		}
	}
}

func TestFAIRAdjusted(t *testing.T) {
	for _, test := range []struct {
		k        int
		p, alpha float64
	}{
		{10, 0.2, 0.15}, {20, 0.25, 0.1}, {30, 0.3, 0.05}, {50, 0.5, 0.1}, {100, 0.4, 0.05},
	} {
		f := FAIR{P: test.p, Alpha: test.alpha, Adjusted: true}
		ac, fp := f.AdjustedAlpha(test.k)
		table := f.MTableTo(nil, test.k)
		if got := FAIRFailProbability(table, test.p); math.Abs(got-fp) > 1e-12 || fp > test.alpha {
			t.Errorf("%+v: fail probability %v (reported %v) above α", test, got, fp)
		}
		if ac > test.alpha {
			t.Errorf("%+v: α_c = %v above α", test, ac)
		}
		// The table of the next larger α_c fails too often (exactness),
		// unless α_c = α.
		if ac < test.alpha {
			next := make([]int, test.k)
			rankfairMTable(next, test.p, math.Nextafter(ac, 1))
			if got := FAIRFailProbability(next, test.p); got <= test.alpha {
				t.Errorf("%+v: next table fails with %v <= α", test, got)
			}
		}
	}
	// Independent Python enumeration of every candidate α_c (exact CDF by
	// summation): (20, 0.25, 0.1) gives α_c = 0.07508468627929688 with
	// failure 0.08972216723486781 (the library keeps a table failing with
	// 0.10515 > α).
	f := FAIR{P: 0.25, Alpha: 0.1, Adjusted: true}
	ac, fp := f.AdjustedAlpha(20)
	if math.Abs(ac-0.07508468627929688) > 1e-12 || math.Abs(fp-0.08972216723486781) > 1e-12 {
		t.Errorf("(20, 0.25, 0.1): α_c %v, fail %v", ac, fp)
	}
	if diff := cmp.Diff([]int{0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 1, 1, 2, 2, 2, 2, 2}, f.MTableTo(nil, 20)); diff != "" {
		t.Errorf("(20, 0.25, 0.1) adjusted table (-want +got):\n%s", diff)
	}
	// fairsearch-fair-python test_adjust_alpha: (10, 0.2, 0.15) keeps
	// α_c = 0.15 (its table fails with 0.1342 <= 0.15).
	if ac, fp := (FAIR{P: 0.2, Alpha: 0.15}).AdjustedAlpha(10); ac != 0.15 || math.Abs(fp-0.134217728) > 1e-9 {
		t.Errorf("(10, 0.2, 0.15): α_c %v, fail %v", ac, fp)
	}
	// (30, 0.3, 0.05): the library's adjusted table fails with 0.04878;
	// ours is the strictest with failure <= α, so at least that.
	if _, fp := (FAIR{P: 0.3, Alpha: 0.05}).AdjustedAlpha(30); fp < 0.048777 || fp > 0.05 {
		t.Errorf("(30, 0.3, 0.05): fail %v", fp)
	}
}

func TestFAIRCheck(t *testing.T) {
	table := FAIR{P: 0.5, Alpha: 0.1}.MTableTo(nil, 10)
	b := func(s string) []bool {
		var f []bool
		for _, c := range s {
			f = append(f, c == '1')
		}
		return f
	}
	for _, test := range []struct {
		flags string
		want  int
	}{
		// METRICS-SPEC.md §4.7: [0,1,0,0,1,0,1,0,0,1] passes.
		{"0100101001", 0},
		// hand-computed: m(4) = 1.
		{"0000000000", 4},
		// hand-computed: m(7) = 2 with one protected item.
		{"1000000000", 7},
		// hand-computed: a short list; missing positions are unprotected:
		// 3 protected meet m(10) = 3, 2 fail at m(9) = 3.
		{"111", 0},
		{"11", 9},
	} {
		if got := FAIRFirstFailure(b(test.flags), table); got != test.want {
			t.Errorf("%s: first failure %d, want %d", test.flags, got, test.want)
		}
	}
	// fairsearch-fair-python tests/test_fair.py test_is_fair, first ranking,
	// against the unadjusted (20, 0.25, 0.1) table.
	t20 := FAIR{P: 0.25, Alpha: 0.1}.MTableTo(nil, 20)
	if got := FAIRFirstFailure(b("01000001010010011000"), t20); got != 0 {
		t.Errorf("library ranking fails at %d", got)
	}
	// Pass rate: items 0..9, protected = even items; user lists.
	protected := make([]bool, 10)
	for i := range protected {
		protected[i] = i%2 == 0
	}
	lists := Rankings{Offsets: []int64{0, 10, 20, 20}, Items: []int32{
		1, 0, 3, 2, 5, 4, 7, 6, 9, 8, // alternating: passes
		1, 3, 5, 7, 9, 0, 2, 4, 6, 8, // five unprotected first: fails at 4
	}}
	// hand-computed: 1 of 3 users passes (the empty list fails at 4).
	if got := FAIRPassRate(lists, protected, table, nil); math.Abs(got-1.0/3) > 1e-12 {
		t.Errorf("pass rate = %v, want 1/3", got)
	}
	if got := FAIRPassRate(lists, protected, table, []float64{3, 1, 0}); math.Abs(got-0.75) > 1e-12 {
		t.Errorf("weighted pass rate = %v, want 0.75", got)
	}
	if got := FAIRPassRate(Rankings{}, protected, table, nil); !math.IsNaN(got) {
		t.Errorf("no users: %v, want NaN", got)
	}
	for i, f := range []func(){
		func() { FAIR{P: 0, Alpha: 0.1}.MTableTo(nil, 10) },
		func() { FAIR{P: 0.5, Alpha: 1}.MTableTo(nil, 10) },
		func() { FAIR{P: 0.5, Alpha: 0.1}.MTableTo(nil, 0) },
		func() { FAIR{P: 0.5, Alpha: 0.1}.MTableTo(make([]int, 3), 10) },
		func() { FAIRFailProbability([]int{1, 0}, 0.5) },
		func() { FAIRFailProbability(nil, 0.5) },
		func() { FAIRFirstFailure(nil, nil) },
	} {
		if !exposurePanics(f) {
			t.Errorf("panic case %d: no panic", i)
		}
	}
}

// rankfairKendallNaive counts concordant, discordant and tied pairs directly.
func rankfairKendallNaive(x, y []float64, variant TauVariant) float64 {
	var c, d, tx, ty float64
	for i := range x {
		for j := i + 1; j < len(x); j++ {
			dx, dy := x[i]-x[j], y[i]-y[j]
			switch {
			case dx == 0 && dy == 0:
			case dx == 0:
				tx++
			case dy == 0:
				ty++
			case (dx > 0) == (dy > 0):
				c++
			default:
				d++
			}
		}
	}
	if variant == TauA {
		n := float64(len(x))
		return (c - d) / (n * (n - 1) / 2)
	}
	return (c - d) / math.Sqrt((c+d+tx)*(c+d+ty))
}

func TestKendallTau(t *testing.T) {
	// METRICS-SPEC.md §5 example: τ_a 0.7, τ_b 0.7379.
	x := []float64{1, 2, 3, 4, 5}
	y := []float64{1, 3, 2, 4, 4}
	if got := KendallTau(x, y, TauA); math.Abs(got-0.7) > exposureTol {
		t.Errorf("τ_a = %v", got)
	}
	if got := KendallTau(x, y, TauB); math.Abs(got-0.7379) > exposureTol {
		t.Errorf("τ_b = %v", got)
	}
	// hand-computed: reversed order −1, identical 1.
	if got := KendallTau(x, []float64{5, 4, 3, 2, 1}, TauB); got != -1 {
		t.Errorf("reversed = %v", got)
	}
	if got := KendallTau(x, x, TauA); got != 1 {
		t.Errorf("identical = %v", got)
	}
	for i, got := range []float64{
		KendallTau([]float64{1}, []float64{2}, TauB),
		KendallTau([]float64{1, 1, 1}, []float64{1, 2, 3}, TauB),
		KendallTau([]float64{1, math.NaN()}, []float64{1, 2}, TauA),
	} {
		if !math.IsNaN(got) {
			t.Errorf("case %d: %v, want NaN", i, got)
		}
	}
	// Random data with many ties against the O(n²) count; inputs are not
	// modified.
	rng := rand.New(rand.NewPCG(5, 6))
	for trial := range 100 {
		n := 2 + rng.IntN(60)
		a, b := make([]float64, n), make([]float64, n)
		for i := range a {
			a[i] = float64(rng.IntN(6))
			b[i] = float64(rng.IntN(6))
		}
		a0, b0 := append([]float64(nil), a...), append([]float64(nil), b...)
		for _, v := range []TauVariant{TauA, TauB} {
			want := rankfairKendallNaive(a, b, v)
			got := KendallTau(a, b, v)
			if !(math.Abs(got-want) < 1e-12 || (math.IsNaN(got) && math.IsNaN(want))) {
				t.Fatalf("trial %d variant %d: %v, naive %v", trial, v, got, want)
			}
		}
		if !cmp.Equal(a, a0) || !cmp.Equal(b, b0) {
			t.Fatal("inputs modified")
		}
	}
	if !exposurePanics(func() { KendallTau(x, y[:2], TauA) }) || !exposurePanics(func() { KendallTau(x, y, 3) }) {
		t.Error("no panic")
	}
}
