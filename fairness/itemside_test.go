package fairness

import (
	"math"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// itemsideSpec returns the data of the METRICS-SPEC.md §4.8 example:
// X = {x1,x2,x3} = items 0..2 (group 0), Y = {y1,y2,y3} = items 3..5
// (group 1); train u1 {x1}, u2 {y1}; test u1 {x2,y2}, u2 {x3}; lists
// u1 [x2,x3], u2 [x3,y2].
func itemsideSpec() (lists, train Rankings, test Relevance, group []int32) {
	lists = eeRowsOf([]int32{1, 2}, []int32{2, 4})
	train = eeRowsOf([]int32{0}, []int32{3})
	test = Relevance{Offsets: []int64{0, 2, 3}, Items: []int32{1, 4, 2}}
	return lists, train, test, []int32{0, 0, 0, 1, 1, 1}
}

func TestRSPREO(t *testing.T) {
	lists, train, test, group := itemsideSpec()
	// METRICS-SPEC.md §4.8: P(R|X) = 0.6, P(R|Y) = 0.2, RSP = 0.5 (0.7071
	// with the sample std); P(R|X,y=1) = 1, P(R|Y,y=1) = 0, REO = 1.
	rsp, probs := RSP(lists, 0, train, group, 2, StdPopulation)
	if math.Abs(rsp-0.5) > exposureTol {
		t.Errorf("RSP = %v, want 0.5", rsp)
	}
	if diff := cmp.Diff([]float64{0.6, 0.2}, probs, exposureApprox); diff != "" {
		t.Errorf("RSP probabilities (-want +got):\n%s", diff)
	}
	if rsp, _ := RSP(lists, 0, train, group, 2, StdSample); math.Abs(rsp-0.7071) > exposureTol {
		t.Errorf("RSP sample = %v, want 0.7071", rsp)
	}
	reo, probs := REO(lists, 0, train, test, group, 2, StdPopulation)
	if math.Abs(reo-1) > exposureTol {
		t.Errorf("REO = %v, want 1", reo)
	}
	if diff := cmp.Diff([]float64{1, 0}, probs, exposureApprox); diff != "" {
		t.Errorf("REO probabilities (-want +got):\n%s", diff)
	}
	// hand-computed, k = 1: X recommended x2 (u1), x3 (u2): 2/5 = 0.4, Y
	// none: 0 → CV = 1; REO X: x2, x3 both relevant: 2/2, Y 0/1 → 1.
	rsp, probs = RSP(lists, 1, train, group, 2, StdPopulation)
	if diff := cmp.Diff([]float64{0.4, 0}, probs, exposureApprox); diff != "" || math.Abs(rsp-1) > exposureTol {
		t.Errorf("RSP@1 = %v %v", rsp, probs)
	}
	// hand-computed, no training rows: denominators 6 and 6: X 3/6, Y 1/6
	// → mean 1/3, std 1/6 → 0.5.
	if rsp, probs := RSP(lists, 0, Rankings{}, group, 2, StdPopulation); math.Abs(rsp-0.5) > exposureTol || math.Abs(probs[0]-0.5) > exposureTol {
		t.Errorf("RSP without training = %v %v", rsp, probs)
	}
	// A group without items is NaN and left out of the CV: a third group
	// with no item gives the two-group value.
	rsp, probs = RSP(lists, 0, train, group, 3, StdPopulation)
	if !math.IsNaN(probs[2]) || math.Abs(rsp-0.5) > exposureTol {
		t.Errorf("RSP with empty group = %v %v", rsp, probs)
	}
	// Items without a group are ignored; one group left: population CV 0,
	// sample CV NaN.
	if rsp, _ := RSP(lists, 0, train, []int32{0, 0, 0, -1, -1, -1}, 1, StdPopulation); rsp != 0 {
		t.Errorf("RSP one group = %v, want 0", rsp)
	}
	if rsp, _ := RSP(lists, 0, train, []int32{0, 0, 0, -1, -1, -1}, 1, StdSample); !math.IsNaN(rsp) {
		t.Errorf("RSP one group sample = %v, want NaN", rsp)
	}
	for i, f := range []func(){
		func() { RSP(lists, -1, train, group, 2, StdPopulation) },
		func() { RSP(lists, 0, eeRowsOf([]int32{0}), group, 2, StdPopulation) },
		func() { RSP(lists, 0, train, group, 2, 7) },
		func() { RSP(lists, 0, train, []int32{0, 0, 0, 2, 1, 1}, 2, StdPopulation) },
		func() { REO(lists, 0, train, Relevance{Offsets: []int64{0, 0}}, group, 2, StdPopulation) },
	} {
		if !exposurePanics(f) {
			t.Errorf("case %d: no panic", i)
		}
	}
}

func TestGCE(t *testing.T) {
	pf := []float64{0.5, 0.5}
	pm := []float64{0.7, 0.3}
	for _, test := range []struct {
		name   string
		pf, pm []float64
		beta   float64
		opt    GCEOptions
		want   float64
		tol    float64
	}{
		// METRICS-SPEC.md §3.5 example.
		{"beta 2", pf, pm, 2, GCEOptions{}, -0.0952, exposureTol},
		{"beta 0.5", pf, pm, 0.5, GCEOptions{}, -0.0844, exposureTol},
		{"beta -1", pf, pm, -1, GCEOptions{}, -0.08, exposureTol},
		{"fair", pf, pf, 2, GCEOptions{}, 0, 1e-12},
		{"smoothed", pf, pm, 2, GCEOptions{H: 0.95}, -0.09524, 1e-5},
		// hand-computed: counts are normalised (7:3 = 0.7/0.3).
		{"counts", []float64{1, 1}, []float64{7, 3}, 2, GCEOptions{}, -0.0952, exposureTol},
		// hand-computed: p_m = (1, 0), β = 0.5: (√0.5 − 1)/0.25.
		{"zero share", pf, []float64{1, 0}, 0.5, GCEOptions{}, (math.Sqrt(0.5) - 1) / 0.25, 1e-12},
		// hand-computed: β = 2 with p_m = (1, 0): the zero share is
		// skipped, (0.25 − 1)/(2·(−1)) = 0.375, or enters as +Inf → −Inf.
		{"skip zero", pf, []float64{1, 0}, 2, GCEOptions{SkipZero: true}, 0.375, 1e-12},
		{"zero share beta 2", pf, []float64{1, 0}, 2, GCEOptions{}, math.Inf(-1), 0},
	} {
		got := GCE(test.pf, test.pm, test.beta, test.opt)
		if !(math.Abs(got-test.want) <= test.tol || got == test.want) {
			t.Errorf("%s: GCE = %.6f, want %v", test.name, got, test.want)
		}
	}
	if got := GCE(pf, []float64{0, 0}, 2, GCEOptions{}); !math.IsNaN(got) {
		t.Errorf("zero p_m = %v, want NaN", got)
	}
	for i, f := range []func(){
		func() { GCE(pf, pm[:1], 2, GCEOptions{}) },
		func() { GCE(pf, pm, 1, GCEOptions{}) },
		func() { GCE(pf, pm, 0, GCEOptions{}) },
		func() { GCE(pf, pm, 2, GCEOptions{H: 1}) },
	} {
		if !exposurePanics(f) {
			t.Errorf("case %d: no panic", i)
		}
	}
}

func TestBiasDisparity(t *testing.T) {
	// METRICS-SPEC.md §3.6 example: P(C1) = 0.75 (items 0..2), P(C2) = 0.25
	// (item 3); G1 (users 0..3) training counts (C1 6, C2 4), recommended
	// (9, 1); G2 (users 4..7) training (9, 1), recommended (10, 0). User 8
	// has no group.
	train := eeRowsOf(
		[]int32{0, 1, 2, 3}, []int32{0, 1, 3}, []int32{2, 3}, []int32{3},
		[]int32{0, 1, 2, 3}, []int32{0, 1, 2}, []int32{0, 1, 2}, nil,
		[]int32{3, 3, 3})
	lists := eeRowsOf(
		[]int32{0, 1, 2}, []int32{0, 1, 2}, []int32{0, 1, 2}, []int32{3},
		[]int32{0, 1, 2}, []int32{0, 1, 2}, []int32{0, 1, 2}, []int32{0},
		[]int32{3})
	userGroup := []int32{0, 0, 0, 0, 1, 1, 1, 1, -1}
	itemCat := []int32{0, 0, 0, 1}
	got := BiasDisparity(train, lists, 0, userGroup, itemCat, 2, 2)
	want := BiasDisparityTable{UserGroups: 2, Categories: 2,
		// METRICS-SPEC.md §3.6: B_S(G1) = (0.8, 1.6), B_R(G1) = (1.2, 0.4);
		// hand-computed G2: B_S = (0.9/0.75, 0.1/0.25), B_R = (1/0.75, 0).
		BS: []float64{0.8, 1.6, 1.2, 0.4},
		BR: []float64{1.2, 0.4, 4.0 / 3, 0},
		// METRICS-SPEC.md §3.6: 0.5, −0.75, 0.1111, −1.0.
		BD: []float64{0.5, -0.75, 0.1111, -1}}
	if diff := cmp.Diff(want, got, exposureApprox); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
	if bs, br, bd := got.At(1, 0); math.Abs(bs-1.2) > exposureTol || math.Abs(br-4.0/3) > exposureTol || math.Abs(bd-0.1111) > exposureTol {
		t.Errorf("At(1, 0) = %v %v %v", bs, br, bd)
	}
	// hand-computed, k = 1: G1 recommended C1 3 (users 0..2), C2 1 →
	// B_R = (0.75/0.75, 0.25/0.25) = (1, 1).
	k1 := BiasDisparity(train, lists, 1, userGroup, itemCat, 2, 2)
	if diff := cmp.Diff([]float64{1, 1}, k1.BR[:2], exposureApprox); diff != "" {
		t.Errorf("k = 1 (-want +got):\n%s", diff)
	}
	// A group without users is NaN.
	three := BiasDisparity(train, lists, 0, userGroup, itemCat, 3, 2)
	if !math.IsNaN(three.BS[4]) || !math.IsNaN(three.BD[5]) {
		t.Errorf("empty group = %v", three)
	}
	for i, f := range []func(){
		func() { BiasDisparity(train, lists, 0, userGroup[:3], itemCat, 2, 2) },
		func() { BiasDisparity(train, lists, -1, userGroup, itemCat, 2, 2) },
		func() { BiasDisparity(train, lists, 0, userGroup, []int32{0, 0, 0, 2}, 2, 2) },
		func() { BiasDisparity(eeRowsOf(nil), lists, 0, userGroup, itemCat, 2, 2) },
	} {
		if !exposurePanics(f) {
			t.Errorf("case %d: no panic", i)
		}
	}
}
