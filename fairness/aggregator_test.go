package fairness

import (
	"math"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
)

func TestDisparity(t *testing.T) {
	const tol = 1e-4
	const exact = 1e-12
	// Group values of the spec example (METRICS-SPEC.md §3.1): F = 0.8,
	// M = 13/30, X = 0.4 (= 24/30, 13/30, 12/30 exactly); overall of F, M is
	// 37/60.
	fm := []float64{0.8, 13.0 / 30}
	fmx := []float64{0.8, 13.0 / 30, 0.4}
	const fmAll = 37.0 / 60
	// Three-group moments in exact fractions (hand-computed): mean 49/90,
	// deviations 23/90, −10/90, −13/90, variance 798/24300.
	std3 := math.Sqrt(798.0 / 24300)
	for _, tc := range []struct {
		name    string
		agg     Aggregator
		v       []float64
		overall float64
		want    float64
		tol     float64
	}{
		// METRICS-SPEC.md §3.2 example, two groups F, M.
		{"spec FM difference", MaxMinDiff, fm, fmAll, 0.3667, tol},
		{"spec FM ratio", MinMaxRatio, fm, fmAll, 0.5417, tol},
		{"spec FM to-overall difference", ToOverallDiff, fm, fmAll, 0.1833, tol},
		{"spec FM to-overall ratio", ToOverallRatio, fm, fmAll, 0.7027, tol},
		{"spec FM MAD", PairwiseMAD, fm, fmAll, 0.3667, tol},
		// METRICS-SPEC.md §3.2 example, three groups F, M, X.
		{"spec FMX difference", MaxMinDiff, fmx, nan, 0.4, tol},
		{"spec FMX ratio", MinMaxRatio, fmx, nan, 0.5, tol},
		{"spec FMX pairwise MAD", PairwiseMAD, fmx, nan, 0.2667, tol},
		{"spec FMX MeanAbsDev", MeanAbsDev, fmx, nan, 0.1704, tol},
		{"spec FMX MaxAbsDiff", MaxAbsDev, fmx, nan, 0.2556, tol},
		{"spec FMX variance", Variance, fmx, nan, 0.0328, tol},
		// Hand-computed from the exact fractions above.
		{"FMX pairwise MAD exact", PairwiseMAD, fmx, nan, 0.8 / 3, exact},
		{"FMX MeanAbsDev exact", MeanAbsDev, fmx, nan, 46.0 / 270, exact},
		{"FMX MaxAbsDev exact", MaxAbsDev, fmx, nan, 23.0 / 90, exact},
		{"FMX variance exact", Variance, fmx, nan, 798.0 / 24300, exact},
		{"FMX std", Std, fmx, nan, std3, exact},
		{"FMX cv", CV, fmx, nan, std3 / (49.0 / 90), exact},
		// FMX with the pooled overall 49/90 (equal group sizes):
		// to-overall difference 23/90; ratio min over groups of
		// min(v/o, o/v): F gives (49/90)/0.8 = 49/72, X gives 36/49, so 49/72.
		{"FMX to-overall diff", ToOverallDiff, fmx, 49.0 / 90, 23.0 / 90, exact},
		{"FMX to-overall ratio", ToOverallRatio, fmx, 49.0 / 90, 49.0 / 72, exact},
		// NaN rules (hand-computed).
		{"empty groups skipped", MaxMinDiff, []float64{0.5, nan, 0.3}, nan, 0.2, exact},
		{"empty groups skipped in MAD", PairwiseMAD, []float64{nan, 0.5, nan, 0.3, 0.1}, nan, 0.8 / 3, exact},
		{"one group", MaxMinDiff, []float64{0.5, nan}, 0.5, nan, 0},
		{"no group", Variance, nil, 0, nan, 0},
		{"identical groups", MaxMinDiff, []float64{0.2, 0.2}, 0.2, 0, 0},
		{"identical groups ratio", MinMaxRatio, []float64{0.2, 0.2}, 0.2, 1, 0},
		{"ratio 0/0", MinMaxRatio, []float64{0, 0}, 0, nan, 0},
		{"ratio zero min", MinMaxRatio, []float64{0, 0.5}, 0.25, 0, 0},
		{"ratio negative", MinMaxRatio, []float64{-0.1, 0.5}, 0.2, nan, 0},
		{"difference negative", MaxMinDiff, []float64{-0.1, 0.5}, 0.2, 0.6, exact},
		{"to-overall NaN overall", ToOverallDiff, []float64{0.1, 0.5}, nan, nan, 0},
		{"to-overall ratio NaN overall", ToOverallRatio, []float64{0.1, 0.5}, nan, nan, 0},
		{"to-overall ratio zeros", ToOverallRatio, []float64{0, 0}, 0, nan, 0},
		{"to-overall ratio zero group", ToOverallRatio, []float64{0, 1}, 0.5, 0, 0},
		{"to-overall ratio negative overall", ToOverallRatio, []float64{1, 2}, -1, nan, 0},
		{"cv zero mean", CV, []float64{-1, 1}, 0, math.Inf(1), 0},
		{"cv zeros", CV, []float64{0, 0}, 0, nan, 0},
	} {
		got := Disparity(tc.agg, tc.v, tc.overall)
		if !near(got, tc.want, tc.tol) {
			t.Errorf("%s: Disparity(%v) = %.10g, want %.10g", tc.name, tc.agg, got, tc.want)
		}
	}
}

func TestAggregatorMethods(t *testing.T) {
	names := map[Aggregator]string{
		MaxMinDiff: "max-min-diff", MinMaxRatio: "min-max-ratio", ToOverallDiff: "to-overall-diff",
		ToOverallRatio: "to-overall-ratio", PairwiseMAD: "pairwise-mad", MeanAbsDev: "mean-abs-dev",
		MaxAbsDev: "max-abs-dev", Variance: "variance", Std: "std", CV: "cv",
	}
	for a := MaxMinDiff; a <= CV; a++ {
		if a.String() != names[a] {
			t.Errorf("%d.String() = %q, want %q", int(a), a.String(), names[a])
		}
		// The fair value is what Disparity gives for equal groups.
		got := Disparity(a, []float64{0.3, 0.3, 0.3}, 0.3)
		if got != a.FairValue() {
			t.Errorf("%v: Disparity of equal groups = %g, FairValue = %g", a, got, a.FairValue())
		}
		if a.IsRatio() != (a.FairValue() == 1) {
			t.Errorf("%v: IsRatio = %v", a, a.IsRatio())
		}
	}
	if s := Aggregator(42).String(); s != "Aggregator(42)" {
		t.Errorf("String of bad aggregator = %q", s)
	}
	if !panics(func() { Aggregator(42).FairValue() }) {
		t.Error("FairValue: no panic on bad aggregator")
	}
	if !panics(func() { Disparity(Aggregator(-1), []float64{1, 2}, 1) }) {
		t.Error("Disparity: no panic on bad aggregator")
	}
}

func TestAequitas(t *testing.T) {
	const tol = 1e-4
	fm := []float64{0.8, 13.0 / 30}
	opts := []cmp.Option{cmpopts.EquateApprox(0, tol), cmpopts.EquateNaNs()}
	var a Aequitas
	// METRICS-SPEC.md §3.2: F vs reference M = 1.8462 (unfair at τ = 0.8),
	// M vs reference F = 0.5417.
	if d := cmp.Diff([]float64{1.8462, 1}, a.Ratios(nil, fm, 1), opts...); d != "" {
		t.Errorf("Ratios ref M (-want +got):\n%s", d)
	}
	r := a.Ratios(nil, fm, 0)
	if d := cmp.Diff([]float64{1, 0.5417}, r, opts...); d != "" {
		t.Errorf("Ratios ref F (-want +got):\n%s", d)
	}
	if a.Fair(1.8462) || a.Fair(r[1]) || !a.Fair(1) || !a.Fair(0.8) || !a.Fair(1.2) || a.Fair(nan) {
		t.Error("Fair: wrong verdicts at τ = 0.8")
	}
	// Zero-division rules (spec §3.2, Aequitas): x/0 → 10, 0/0 → 1; NaN
	// stays NaN; negative numerators divide normally.
	got := a.Ratios(nil, []float64{0, 0.5, 0, nan, -1}, 0)
	if d := cmp.Diff([]float64{1, 10, 1, nan, math.Inf(-1)}, got, opts...); d != "" {
		t.Errorf("Ratios zero rules (-want +got):\n%s", d)
	}
	b := Aequitas{Tau: 0.5, DivByZero: 3}
	got = b.Ratios(nil, []float64{0, 0.5}, 0)
	if d := cmp.Diff([]float64{1, 3}, got, opts...); d != "" {
		t.Errorf("Ratios DivByZero 3 (-want +got):\n%s", d)
	}
	if !b.Fair(1.8462) || b.Fair(2.1) {
		t.Error("Fair: wrong verdicts at τ = 0.5")
	}
	if !panics(func() { a.Ratios(nil, fm, 2) }) {
		t.Error("Ratios: no panic on bad reference")
	}
	if !panics(func() { Aequitas{Tau: 1.5}.Fair(1) }) {
		t.Error("Fair: no panic on τ > 1")
	}
}
