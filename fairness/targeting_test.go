package fairness

import (
	"math"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestTargeting(t *testing.T) {
	// Items 1 and 3 are flagged; item 9 is beyond flagged (not flagged).
	flagged := []bool{false, true, false, true}
	lists := eeRowsOf([]int32{1, 0, 3, 2}, []int32{0, 9}, nil, []int32{3})
	nan := math.NaN()
	for _, test := range []struct {
		name string
		got  []float64
		want []float64 // hand-computed
	}{
		// k = 2: a short list still divides by 2.
		{"share@2", TargetingShareTo(nil, lists, 2, flagged), []float64{0.5, 0, 0, 0.5}},
		{"share whole", TargetingShareTo(nil, lists, 0, flagged), []float64{0.5, 0, nan, 1}},
		{"share@10", TargetingShareTo(nil, lists, 10, flagged), []float64{0.2, 0, 0, 0.1}},
		{"shown@1", TargetingShownTo(nil, lists, 1, flagged), []float64{1, 0, 0, 1}},
		{"shown whole", TargetingShownTo(nil, lists, 0, flagged), []float64{1, 0, 0, 1}},
		// 1/log2(r+1): (1 + 0.5) / (1 + 0.6309 + 0.5 + 0.4307).
		{"exposure", TargetingExposureTo(nil, lists, flagged, Exposure{}), []float64{0.5856, 0, nan, 1}},
		// cutoff 2: 1 / (1 + 0.6309) for users 0 and 3.
		{"exposure@2", TargetingExposureTo(nil, lists, flagged, Exposure{Cutoff: 2}), []float64{0.6131, 0, 0, 0.6131}},
		// geometric 0.5, cutoff 3: user 0 (1 + 0.25)/1.75, user 3 1/1.75.
		{"geometric@3", TargetingExposureTo(nil, lists, flagged, Exposure{Model: ExposureGeometric, Cutoff: 3}), []float64{0.7143, 0, 0, 0.5714}},
	} {
		if diff := cmp.Diff(test.want, test.got, exposureApprox); diff != "" {
			t.Errorf("%s (-want +got):\n%s", test.name, diff)
		}
	}
	share := TargetingShareTo(nil, lists, 0, flagged)
	got := TargetingRates(share, []int32{0, 1, 1, 0}, 2, nil)
	// hand-computed: group 0 (0.5 + 1)/2, group 1 user 1 only (user 2 NaN).
	want := Targeting{Rates: []float64{0.75, 0}, Users: []float64{2, 1}, Most: 0, Least: 1, Ratio: math.Inf(1)}
	if diff := cmp.Diff(want, got, exposureApprox); diff != "" {
		t.Errorf("rates (-want +got):\n%s", diff)
	}
	// hand-computed, weights (1, 1, 1, 3) and 3 groups (group 2 empty):
	// group 0 (0.5 + 3)/4 = 0.875, group 1 0 → ratio +Inf; share@2 with
	// groups [0, 1, 0, 1]: group 0 0.25, group 1 0.25 → ratio 1.
	got = TargetingRates(share, []int32{0, 1, 1, 0}, 3, []float64{1, 1, 1, 3})
	if math.Abs(got.Rates[0]-0.875) > exposureTol || !math.IsNaN(got.Rates[2]) || !math.IsInf(got.Ratio, 1) {
		t.Errorf("weighted rates = %+v", got)
	}
	got = TargetingRates(TargetingShareTo(nil, lists, 2, flagged), []int32{0, 1, 0, 1}, 2, nil)
	if math.Abs(got.Ratio-1) > 1e-12 || got.Most != 0 || got.Least != 0 {
		t.Errorf("equal rates = %+v", got)
	}
	// hand-computed: users 0 (0.5) and 3 (0.5) in group 1, user 1 (0) in
	// group 0 and user 2 in none: ratio 0.5/0 = +Inf, Most 1.
	got = TargetingRates(TargetingShareTo(nil, lists, 2, flagged), []int32{1, 0, -1, 1}, 2, nil)
	if got.Most != 1 || got.Least != 0 || !math.IsInf(got.Ratio, 1) {
		t.Errorf("ungrouped users = %+v", got)
	}
	// NaN ratio: one group with users; every rate 0.
	if got := TargetingRates(share, []int32{0, 0, 0, 0}, 2, nil); !math.IsNaN(got.Ratio) || got.Most != 0 {
		t.Errorf("one group = %+v", got)
	}
	if got := TargetingRates([]float64{0, 0}, []int32{0, 1}, 2, nil); !math.IsNaN(got.Ratio) {
		t.Errorf("all zero = %+v", got)
	}
	for i, f := range []func(){
		func() { TargetingShareTo(nil, lists, -1, flagged) },
		func() { TargetingShownTo(make([]float64, 1), lists, 1, flagged) },
		func() { TargetingExposureTo(nil, lists, flagged, Exposure{Model: 8}) },
		func() { TargetingRates(share, []int32{0}, 2, nil) },
		func() { TargetingRates(share, []int32{0, 1, 2, 0}, 2, nil) },
		func() { TargetingRates(share, []int32{0, 1, 1, 0}, 2, []float64{1}) },
	} {
		if !exposurePanics(f) {
			t.Errorf("case %d: no panic", i)
		}
	}
}
