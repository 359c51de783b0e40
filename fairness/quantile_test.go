package fairness

import (
	"slices"
	"testing"
)

// exactBootstrapMeans enumerates all nⁿ equally likely resamples (with
// replacement, order mattering) of x and returns their means, sorted.
func exactBootstrapMeans(x []float64) []float64 {
	n := len(x)
	idx := make([]int, n)
	var means []float64
	for {
		var s float64
		for _, i := range idx {
			s += x[i]
		}
		means = append(means, s/float64(n))
		// Next index tuple, odometer style.
		k := 0
		for k < n {
			idx[k]++
			if idx[k] < n {
				break
			}
			idx[k] = 0
			k++
		}
		if k == n {
			break
		}
	}
	slices.Sort(means)
	return means
}

func TestExactBootstrapSpec(t *testing.T) {
	const tol = 1e-4
	// METRICS-SPEC.md §6.1: all 3³ = 27 resamples of [0.2, 0.5, 0.9] have
	// sorted means 0.2, 0.3×3, 0.4×3, 0.4333×3, 0.5, 0.5333×6, 0.6333×3,
	// 0.6667×3, 0.7667×3, 0.9, and the type-7 95% interval is
	// [0.265, 0.8133].
	means := exactBootstrapMeans([]float64{0.2, 0.5, 0.9})
	var want []float64
	for _, e := range []struct {
		v float64
		k int
	}{{0.2, 1}, {0.3, 3}, {0.4, 3}, {0.4333, 3}, {0.5, 1}, {0.5333, 6}, {0.6333, 3}, {0.6667, 3}, {0.7667, 3}, {0.9, 1}} {
		for range e.k {
			want = append(want, e.v)
		}
	}
	if len(means) != 27 {
		t.Fatalf("got %d resamples, want 27", len(means))
	}
	for i := range want {
		checkNear(t, "sorted mean", means[i], want[i], tol)
	}
	checkNear(t, "Q(0.025)", Quantile(0.025, means), 0.265, tol)
	checkNear(t, "Q(0.975)", Quantile(0.975, means), 0.8133, tol)
	lo, hi := PercentileInterval(means, 0.05)
	checkNear(t, "lo", lo, 0.265, tol)
	checkNear(t, "hi", hi, 0.8133, tol)
}

func TestQuantile(t *testing.T) {
	const tol = 1e-12
	x := []float64{1, 2, 4, 8}
	// Hand-computed type 7: h = 3p; Q(0) = 1, Q(1) = 8, Q(0.5): h = 1.5 →
	// 2 + 0.5·2 = 3; Q(0.1): h = 0.3 → 1.3; Q(0.9): h = 2.7 → 4 + 0.7·4 = 6.8.
	for _, tc := range []struct{ p, want float64 }{{0, 1}, {1, 8}, {0.5, 3}, {0.1, 1.3}, {0.9, 6.8}} {
		checkNear(t, "Quantile", Quantile(tc.p, x), tc.want, tol)
	}
	checkNear(t, "Quantile single", Quantile(0.3, []float64{5}), 5, tol)
	checkNear(t, "Quantile NaN", Quantile(0.3, []float64{1, nan}), nan, tol)
	// PercentileInterval sorts a copy and skips NaN.
	y := []float64{8, nan, 1, 4, 2}
	lo, hi := PercentileInterval(y, 0.2)
	checkNear(t, "lo", lo, 1.3, tol)
	checkNear(t, "hi", hi, 6.8, tol)
	if y[0] != 8 || y[2] != 1 {
		t.Error("PercentileInterval modified its input")
	}
	lo, hi = PercentileInterval([]float64{nan}, 0.05)
	if !near(lo, nan, 0) || !near(hi, nan, 0) {
		t.Errorf("PercentileInterval(all NaN) = %g, %g; want NaN", lo, hi)
	}
	for name, f := range map[string]func(){
		"p < 0":    func() { Quantile(-0.1, x) },
		"p > 1":    func() { Quantile(1.1, x) },
		"empty":    func() { Quantile(0.5, nil) },
		"unsorted": func() { Quantile(0.5, []float64{2, 1}) },
		"alpha 0":  func() { PercentileInterval(x, 0) },
		"alpha 1":  func() { PercentileInterval(x, 1) },
	} {
		if !panics(f) {
			t.Errorf("%s: no panic", name)
		}
	}
}
