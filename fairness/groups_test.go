package fairness

import (
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
)

func TestGroupMeansSpec(t *testing.T) {
	const tol = 1e-4
	// METRICS-SPEC.md §3.1 example: U(F) = 0.8, U(M) = 0.4333, overall
	// 0.6167; adding X gives U(X) = 0.4.
	v, g := labelled(specF, specM)
	got := GroupMeans(nil, v, g, 2)
	if d := cmp.Diff([]float64{0.8, 0.4333}, got, cmpopts.EquateApprox(0, tol)); d != "" {
		t.Errorf("GroupMeans (-want +got):\n%s", d)
	}
	checkNear(t, "UserWeightedMean", UserWeightedMean(v, g), 0.6167, tol)
	checkNear(t, "GroupWeightedMean", GroupWeightedMean(got), 0.6167, tol)
	v, g = labelled(specF, specM, specX)
	got = GroupMeans(make([]float64, 3), v, g, 3)
	if d := cmp.Diff([]float64{0.8, 0.4333, 0.4}, got, cmpopts.EquateApprox(0, tol)); d != "" {
		t.Errorf("GroupMeans (-want +got):\n%s", d)
	}
}

func TestGroupMeansExclusions(t *testing.T) {
	const tol = 1e-12
	// Hand-computed: group 0 has users 0 (1.0), 3 (NaN, excluded) and
	// 5 (0.0) → mean 0.5, n = 1+1, one excluded; group 1 has user 1 (0.25)
	// only, a single-member group → 0.25; group 2 has user 4 whose value is
	// NaN → empty, NaN; group 3 has nobody → NaN; user 2 is ungrouped (-1)
	// and its value 100 is ignored everywhere.
	values := []float64{1.0, 0.25, 100, nan, nan, 0.0}
	groups := []int32{0, 1, -1, 0, 2, 0}
	opts := []cmp.Option{cmpopts.EquateApprox(0, tol), cmpopts.EquateNaNs()}
	if d := cmp.Diff([]float64{0.5, 0.25, nan, nan}, GroupMeans(nil, values, groups, 4), opts...); d != "" {
		t.Errorf("GroupMeans (-want +got):\n%s", d)
	}
	if d := cmp.Diff([]int{2, 1, 0, 0}, GroupCounts(nil, values, groups, 4)); d != "" {
		t.Errorf("GroupCounts (-want +got):\n%s", d)
	}
	if d := cmp.Diff([]int{1, 0, 1, 0}, GroupExcluded(nil, values, groups, 4)); d != "" {
		t.Errorf("GroupExcluded (-want +got):\n%s", d)
	}
	if got := Ungrouped(groups); got != 1 {
		t.Errorf("Ungrouped = %d, want 1", got)
	}
	// Pooled over the three grouped users with values: (1 + 0.25 + 0)/3.
	checkNear(t, "UserWeightedMean", UserWeightedMean(values, groups), 1.25/3, tol)
	// nil groups: every user with a value, the ungrouped one too:
	// (1 + 0.25 + 100 + 0)/4.
	checkNear(t, "UserWeightedMean(nil)", UserWeightedMean(values, nil), 101.25/4, tol)
	// Group-weighted: mean of 0.5 and 0.25; NaN groups left out.
	checkNear(t, "GroupWeightedMean", GroupWeightedMean([]float64{0.5, 0.25, nan, nan}), 0.375, tol)
	checkNear(t, "GroupWeightedMean(all NaN)", GroupWeightedMean([]float64{nan}), nan, tol)
	checkNear(t, "UserWeightedMean(empty)", UserWeightedMean(nil, nil), nan, tol)
	// Values are not modified.
	if d := cmp.Diff([]float64{1.0, 0.25, 100, nan, nan, 0.0}, values, cmpopts.EquateNaNs()); d != "" {
		t.Errorf("values modified (-want +got):\n%s", d)
	}
}

func TestOneVsRest(t *testing.T) {
	const tol = 1e-12
	// Hand-computed: means 0.8 (n 3), 0.4 (n 1), NaN (n 0), 0.5 (n 2).
	// Rest of group 0: (0.4 + 2·0.5)/3 = 1.4/3; of group 1: (2.4 + 1)/5 = 0.68;
	// of group 2 (empty): all users (2.4 + 0.4 + 1)/6 = 3.8/6; of group 3:
	// (2.4 + 0.4)/4 = 0.7.
	means := []float64{0.8, 0.4, nan, 0.5}
	counts := []int{3, 1, 0, 2}
	opts := []cmp.Option{cmpopts.EquateApprox(0, tol), cmpopts.EquateNaNs()}
	rest := RestMeans(nil, means, counts)
	if d := cmp.Diff([]float64{1.4 / 3, 0.68, 3.8 / 6, 0.7}, rest, opts...); d != "" {
		t.Errorf("RestMeans (-want +got):\n%s", d)
	}
	diff := OneVsRestDiff(nil, means, counts)
	if d := cmp.Diff([]float64{0.8 - 1.4/3, 0.4 - 0.68, nan, 0.5 - 0.7}, diff, opts...); d != "" {
		t.Errorf("OneVsRestDiff (-want +got):\n%s", d)
	}
	ratio := OneVsRestRatio(nil, means, counts)
	if d := cmp.Diff([]float64{0.8 / (1.4 / 3), 0.4 / 0.68, nan, 0.5 / 0.7}, ratio, opts...); d != "" {
		t.Errorf("OneVsRestRatio (-want +got):\n%s", d)
	}
	// A single non-empty group has no rest.
	if d := cmp.Diff([]float64{nan, nan}, OneVsRestDiff(nil, []float64{0.3, nan}, []int{4, 0}), opts...); d != "" {
		t.Errorf("OneVsRestDiff single group (-want +got):\n%s", d)
	}
	labels := OneVsRestLabels(nil, []int32{2, 0, -1, 2, 1}, 2)
	if d := cmp.Diff([]int32{0, 1, -1, 0, 1}, labels); d != "" {
		t.Errorf("OneVsRestLabels (-want +got):\n%s", d)
	}
}

func TestGroupPanics(t *testing.T) {
	v := []float64{1, 2}
	for _, tc := range []struct {
		name string
		f    func()
	}{
		{"length", func() { GroupMeans(nil, v, []int32{0}, 1) }},
		{"code too large", func() { GroupMeans(nil, v, []int32{0, 1}, 1) }},
		{"code below -1", func() { GroupCounts(nil, v, []int32{0, -2}, 1) }},
		{"negative groups", func() { GroupExcluded(nil, nil, nil, -1) }},
		{"dst length", func() { GroupMeans(make([]float64, 3), v, []int32{0, 0}, 1) }},
		{"int dst length", func() { GroupCounts(make([]int, 3), v, []int32{0, 0}, 1) }},
		{"weighted length", func() { UserWeightedMean(v, []int32{0}) }},
		{"rest length", func() { RestMeans(nil, v, []int{1}) }},
		{"rest negative", func() { RestMeans(nil, v, []int{1, -1}) }},
		{"labels g", func() { OneVsRestLabels(nil, []int32{0}, -1) }},
		{"labels dst", func() { OneVsRestLabels(make([]int32, 2), []int32{0}, 0) }},
	} {
		if !panics(tc.f) {
			t.Errorf("%s: did not panic", tc.name)
		}
	}
}
