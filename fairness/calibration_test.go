package fairness

import (
	"math"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// calibrationCats returns the genres of the METRICS-SPEC.md §0 toy data:
// items A..H = 0..7, genres action 0, comedy 1, drama 2, romance 3,
// documentary 4: A{action} B{action,comedy} C{drama} D{comedy}
// E{drama,romance} F{romance} G{action} H{documentary}.
func calibrationCats() ItemCategories {
	rows := [][]int32{{0}, {0, 1}, {2}, {1}, {2, 3}, {3}, {0}, {4}}
	c := ItemCategories{Offsets: []int64{0}}
	for _, r := range rows {
		c.Codes = append(c.Codes, r...)
		c.Offsets = append(c.Offsets, int64(len(c.Codes)))
	}
	return c
}

func TestCalibration(t *testing.T) {
	cats := calibrationCats()
	history := []int32{0, 6, 1, 5} // u1: {A, G, B, F}
	list := []int32{0, 1, 2, 3, 4} // [A, B, C, D, E]
	// METRICS-SPEC.md §3.4: p = {action 0.625, comedy 0.125, romance 0.25};
	// q = {action 0.3, comedy 0.3, drama 0.3, romance 0.1}.
	if diff := cmp.Diff([]float64{0.625, 0.125, 0, 0.25, 0}, CategoryDistributionTo(nil, history, nil, cats, 5), exposureApprox); diff != "" {
		t.Errorf("p (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]float64{0.3, 0.3, 0.3, 0.1, 0}, CategoryDistributionTo(nil, list, nil, cats, 5), exposureApprox); diff != "" {
		t.Errorf("q (-want +got):\n%s", diff)
	}
	rw := Exposure{}.WeightsTo(nil, 5, nil)
	// METRICS-SPEC.md §3.4: rank-weighted q = {0.4462, 0.2531, 0.2352, 0.0656}.
	if diff := cmp.Diff([]float64{0.4462, 0.2531, 0.2352, 0.0656, 0}, CategoryDistributionTo(nil, list, rw, cats, 5), exposureApprox); diff != "" {
		t.Errorf("rank-weighted q (-want +got):\n%s", diff)
	}
	for _, test := range []struct {
		name string
		list []int32
		cfg  Calibration
		want float64
	}{
		// METRICS-SPEC.md §3.4 example.
		{"nats", list, Calibration{}, 0.5686},
		{"bits", list, Calibration{Unit: Bits}, 0.8204},
		{"rank-weighted", list, Calibration{RankWeights: rw}, 0.4482},
		{"no romance", []int32{0, 1, 2, 3, 2}, Calibration{}, 1.4946},
		{"no romance α 0.001", []int32{0, 1, 2, 3, 2}, Calibration{Alpha: 0.001}, 2.0756},
		// hand-computed: the cutoff removes F from [A,B,C,D,E,F].
		{"cutoff", []int32{0, 1, 2, 3, 4, 5}, Calibration{Cutoff: 5}, 0.5686},
		// hand-computed: an uncategorised item (9, beyond the rows) is
		// left out of q.
		{"uncategorised", []int32{0, 9, 1, 2, 3, 4}, Calibration{}, 0.5686},
		// hand-computed: an empty list has q = 0, so C_KL = ln(1/α).
		{"empty list", nil, Calibration{}, math.Log(100)},
		// hand-computed: a list with the profile's distribution scores 0:
		// [A, G, B, F] itself.
		{"calibrated", history, Calibration{}, 0},
	} {
		if got := CalibrationKL(history, nil, test.list, cats, 5, test.cfg); math.Abs(got-test.want) > exposureTol {
			t.Errorf("%s: C_KL = %.6f, want %.4f", test.name, got, test.want)
		}
	}
	// hand-computed: weight 2 on A gives p = (3.5/5, 0.5/5, 0, 1/5, 0).
	if diff := cmp.Diff([]float64{0.7, 0.1, 0, 0.2, 0}, CategoryDistributionTo(nil, history, []float64{2, 1, 1, 1}, cats, 5), exposureApprox); diff != "" {
		t.Errorf("weighted p (-want +got):\n%s", diff)
	}
	if got := CalibrationKL(nil, nil, list, cats, 5, Calibration{}); !math.IsNaN(got) {
		t.Errorf("no history: %v, want NaN", got)
	}
	if got := CategoryDistributionTo(nil, []int32{9}, nil, cats, 5); !math.IsNaN(got[0]) {
		t.Errorf("uncategorised only: %v, want NaN", got)
	}
	// Per user: u1, a user without history, a user with an empty list;
	// history weights parallel to history.Items (unit here but for user 2).
	hist := eeRowsOf(history, nil, []int32{0, 6, 1, 5})
	lists := eeRowsOf(list, list, nil)
	got := CalibrationTo(nil, hist, []float64{1, 1, 1, 1, 1, 1, 1, 1}, lists, cats, 5, Calibration{})
	if diff := cmp.Diff([]float64{0.5686, math.NaN(), math.Log(100)}, got, exposureApprox); diff != "" {
		t.Errorf("CalibrationTo (-want +got):\n%s", diff)
	}
	for i, f := range []func(){
		func() { CalibrationKL(history, nil, list, cats, 5, Calibration{Alpha: 1}) },
		func() { CalibrationKL(history, nil, list, cats, 5, Calibration{Unit: 9}) },
		func() { CalibrationKL(history, nil, list, cats, 5, Calibration{Cutoff: -1}) },
		func() { CalibrationKL(history, nil, list, cats, 5, Calibration{RankWeights: rw[:2]}) },
		func() { CalibrationKL(history, []float64{1}, list, cats, 5, Calibration{}) },
		func() { CalibrationKL(history, nil, list, cats, 4, Calibration{}) },
		func() { CalibrationTo(nil, hist, nil, eeRowsOf(list), cats, 5, Calibration{}) },
		func() { CalibrationTo(nil, hist, []float64{1}, lists, cats, 5, Calibration{}) },
	} {
		if !exposurePanics(f) {
			t.Errorf("case %d: no panic", i)
		}
	}
}
