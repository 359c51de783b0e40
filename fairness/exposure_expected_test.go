package fairness

import (
	"math"
	"math/rand/v2"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// eeRows builds a Rankings from rows.
func eeRowsOf(rows ...[]int32) Rankings {
	r := Rankings{Offsets: []int64{0}}
	for _, row := range rows {
		r.Items = append(r.Items, row...)
		r.Offsets = append(r.Offsets, int64(len(r.Items)))
	}
	return r
}

// eePerms returns all permutations of 0..n-1.
func eePerms(n int) [][]int32 {
	if n == 0 {
		return [][]int32{{}}
	}
	var out [][]int32
	for _, p := range eePerms(n - 1) {
		for pos := 0; pos <= len(p); pos++ {
			q := append(append(append([]int32{}, p[:pos]...), int32(n-1)), p[pos:]...)
			out = append(out, q)
		}
	}
	return out
}

func TestExpectedExposureSpec(t *testing.T) {
	// METRICS-SPEC.md §4.3 example: γ = 0.5; d1, d2 relevant, d3, d4 judged
	// non-relevant; target ε* = (0.75, 0.75, 0.1875, 0.1875).
	judged := []int32{0, 1, 2, 3}
	grades := []float64{1, 1, 0, 0}
	rbp := Exposure{Model: ExposureGeometric, Patience: 0.5}
	for _, test := range []struct {
		name    string
		samples Rankings
		want    ExpectedExposure
	}{
		{"50/50", eeRowsOf([]int32{0, 1, 2, 3}, []int32{1, 0, 3, 2}), ExpectedExposure{0, 1.1953, 1.1953, 1.1953}},
		{"deterministic", eeRowsOf([]int32{0, 1, 2, 3}), ExpectedExposure{0.1328, 1.3281, 1.1953, 1.1953}},
		{"uniform", eeRowsOf(eePerms(4)...), ExpectedExposure{0.3164, 0.8789, 0.8789, 1.1953}},
	} {
		got := UserExpectedExposure(test.samples, judged, grades, rbp)
		if diff := cmp.Diff(test.want, got, exposureApprox); diff != "" {
			t.Errorf("%s (-want +got):\n%s", test.name, diff)
		}
	}
}

func TestExpectedExposureCascadeTarget(t *testing.T) {
	// expeval exposure.target, GERR branch, written out: with pp = γ(1−u),
	// a relevant grade with m items below b dominating ones gets
	// (pp^b − pp^(b+m)) / (m(1−pp)); the non-relevant grade gets
	// (1−u)^b (γ^b − γ^(b+m)) / (m(1−γ)).
	const g, u = 0.6, 0.3
	pp := g * (1 - u)
	judged := []int32{2, 4, 5, 7, 8, 9}
	grades := []float64{1, 0, 2, 1, 0, 0} // levels: 2 (1 item), 1 (2 items), 0 (3 items)
	rel := func(b, m float64) float64 { return (math.Pow(pp, b) - math.Pow(pp, b+m)) / (m * (1 - pp)) }
	non := func(b, m float64) float64 {
		return math.Pow(1-u, b) * (math.Pow(g, b) - math.Pow(g, b+m)) / (m * (1 - g))
	}
	t2, t1, t0 := rel(0, 1), rel(1, 2), non(3, 3)
	wantTarget := t2*t2 + 2*t1*t1 + 3*t0*t0
	model := Exposure{Model: ExposureCascade, Patience: g, Stop: u}
	// One deterministic list [5, 9, 2, 11]: relevant, non, relevant,
	// unjudged; exposures 1, pp, pp·γ, pp·γ·γ(1−u).
	list := eeRowsOf([]int32{5, 9, 2, 11})
	e := []float64{1, pp, pp * g, pp * g * g * (1 - u)}
	got := UserExpectedExposure(list, judged, grades, model)
	want := ExpectedExposure{
		D:      e[0]*e[0] + e[1]*e[1] + e[2]*e[2] + e[3]*e[3],
		R:      e[0]*t2 + e[1]*t0 + e[2]*t1,
		Target: wantTarget,
	}
	want.L = want.D - 2*want.R + want.Target
	if diff := cmp.Diff(want, got, cmp.Comparer(func(a, b float64) bool { return math.Abs(a-b) < 1e-12 })); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
}

func TestGroupExpectedExposure(t *testing.T) {
	// hand-computed from the §4.3 example with d1, d3 in group 0 and d2, d4
	// in group 1, deterministic [d1,d2,d3,d4]: ε = (1, .5, .25, .125),
	// ε_G = (1.25, 0.625), ε*_G = (0.9375, 0.9375).
	judged := []int32{0, 1, 2, 3}
	grades := []float64{1, 1, 0, 0}
	group := []int32{0, 1, 0, 1}
	rbp := Exposure{Model: ExposureGeometric}
	list := eeRowsOf([]int32{0, 1, 2, 3})
	got := UserGroupExpectedExposure(list, judged, grades, group, 2, rbp, EEAllItems)
	want := ExpectedExposure{L: 0.1953125, D: 1.953125, R: 1.7578125, Target: 1.7578125}
	if diff := cmp.Diff(want, got, exposureApprox); diff != "" {
		t.Errorf("all items (-want +got):\n%s", diff)
	}
	// Relevant items only: ε_G = (1, .5), ε*_G = (.75, .75).
	got = UserGroupExpectedExposure(list, judged, grades, group, 2, rbp, EERelevantItems)
	want = ExpectedExposure{L: 0.125, D: 1.25, R: 1.125, Target: 1.125}
	if diff := cmp.Diff(want, got, exposureApprox); diff != "" {
		t.Errorf("relevant items (-want +got):\n%s", diff)
	}
	// The 50/50 policy meets the target in groups too.
	got = UserGroupExpectedExposure(eeRowsOf([]int32{0, 1, 2, 3}, []int32{1, 0, 3, 2}), judged, grades, group, 2, rbp, EEAllItems)
	if math.Abs(got.L) > 1e-12 {
		t.Errorf("50/50 group EE-L = %v, want 0", got.L)
	}
}

func TestExpectedExposureManyUsers(t *testing.T) {
	rbp := Exposure{Model: ExposureGeometric}
	// User 0: the 50/50 policy (rows 0, 1); user 1: no judgments (row 2);
	// user 2: no sample at all, judged item 0 with grade 1.
	lists := eeRowsOf([]int32{0, 1, 2, 3}, []int32{1, 0, 3, 2}, []int32{0})
	samples := []int64{0, 2, 3, 3}
	rel := Relevance{Offsets: []int64{0, 4, 4, 5}, Items: []int32{0, 1, 2, 3, 0}, Grades: []float64{1, 1, 0, 0, 1}}
	got := ExpectedExposureTo(nil, lists, samples, rel, rbp)
	// METRICS-SPEC.md §4.3 (user 0); NaN (user 1); hand-computed ε = 0,
	// ε* = (1): L = Target = 1 (user 2).
	want := []ExpectedExposure{{0, 1.1953, 1.1953, 1.1953}, eeNaN, {1, 0, 0, 1}}
	if diff := cmp.Diff(want, got, exposureApprox); diff != "" {
		t.Errorf("per user (-want +got):\n%s", diff)
	}
	mean := MeanExpectedExposure(got, nil)
	if diff := cmp.Diff(ExpectedExposure{0.5, 0.5977, 0.5977, 1.0977}, mean, exposureApprox); diff != "" {
		t.Errorf("mean (-want +got):\n%s", diff)
	}
	// Weighted mean: weight 3 on user 0, 1 on user 2.
	wmean := MeanExpectedExposure(got, []float64{3, 7, 1})
	if diff := cmp.Diff(ExpectedExposure{0.25, 0.8965, 0.8965, 1.1465}, wmean, exposureApprox); diff != "" {
		t.Errorf("weighted mean (-want +got):\n%s", diff)
	}
	// samples nil: row u is user u.
	det := ExpectedExposureTo(nil, eeRowsOf([]int32{0, 1, 2, 3}), nil,
		Relevance{Offsets: []int64{0, 4}, Items: []int32{0, 1, 2, 3}, Grades: []float64{1, 1, 0, 0}}, rbp)
	if diff := cmp.Diff([]ExpectedExposure{{0.1328, 1.3281, 1.1953, 1.1953}}, det, exposureApprox); diff != "" {
		t.Errorf("deterministic (-want +got):\n%s", diff)
	}
	groups := GroupExpectedExposureTo(nil, lists, samples, rel, []int32{0, 1, 0, 1}, 2, rbp, EEAllItems)
	if math.Abs(groups[0].L) > 1e-12 || !math.IsNaN(groups[1].L) {
		t.Errorf("group per user = %v", groups)
	}
	if m := MeanExpectedExposure([]ExpectedExposure{eeNaN}, nil); !math.IsNaN(m.L) {
		t.Errorf("mean of no user = %v, want NaN", m)
	}
}

// TestExpectedExposureIdentity checks EE-L = EE-D − 2 EE-R + ‖ε*‖² on
// random stochastic policies, graded judgments and every model.
func TestExpectedExposureIdentity(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	for trial := range 200 {
		nItems := 3 + rng.IntN(10)
		var rows [][]int32
		for range 1 + rng.IntN(5) {
			perm := rng.Perm(nItems)
			row := make([]int32, 1+rng.IntN(nItems))
			for r := range row {
				row[r] = int32(perm[r])
			}
			rows = append(rows, row)
		}
		var judged []int32
		var grades []float64
		for it := range nItems + 2 {
			if rng.IntN(2) == 0 {
				judged = append(judged, int32(it))
				grades = append(grades, float64(rng.IntN(3)))
			}
		}
		if len(judged) == 0 {
			continue
		}
		model := Exposure{Model: ExposureModel(rng.IntN(5)), Patience: 0.1 + 0.8*rng.Float64(), Stop: 0.1 + 0.8*rng.Float64()}
		v := UserExpectedExposure(eeRowsOf(rows...), judged, grades, model)
		if d := v.L - (v.D - 2*v.R + v.Target); math.Abs(d) > 1e-12 {
			t.Fatalf("trial %d (%v): L = %v, D − 2R + T = %v", trial, model.Model, v.L, v.D-2*v.R+v.Target)
		}
		if v.L < 0 || v.D < 0 || v.R < 0 {
			t.Fatalf("trial %d: negative value %+v", trial, v)
		}
	}
}

func TestExpectedExposurePanics(t *testing.T) {
	lists := eeRowsOf([]int32{0, 1})
	rel := Relevance{Offsets: []int64{0, 1}, Items: []int32{0}}
	for i, f := range []func(){
		func() { UserExpectedExposure(lists, []int32{1, 0}, nil, Exposure{}) },
		func() { UserExpectedExposure(lists, []int32{0}, []float64{1, 2}, Exposure{}) },
		func() { UserExpectedExposure(lists, []int32{0}, nil, Exposure{Model: 9}) },
		func() { UserGroupExpectedExposure(lists, []int32{0}, nil, []int32{0, 3}, 2, Exposure{}, EEAllItems) },
		func() { UserGroupExpectedExposure(lists, []int32{0}, nil, []int32{0, 1}, 2, Exposure{}, 5) },
		func() { ExpectedExposureTo(nil, lists, []int64{0, 2}, rel, Exposure{}) },
		func() { ExpectedExposureTo(nil, lists, []int64{1, 1}, rel, Exposure{}) },
		func() { ExpectedExposureTo(nil, eeRowsOf([]int32{0}, []int32{1}), nil, rel, Exposure{}) },
		func() { ExpectedExposureTo(make([]ExpectedExposure, 3), lists, nil, rel, Exposure{}) },
		func() { MeanExpectedExposure(make([]ExpectedExposure, 2), []float64{1}) },
	} {
		if !exposurePanics(f) {
			t.Errorf("case %d: no panic", i)
		}
	}
}
