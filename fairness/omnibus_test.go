package fairness

import (
	"math"
	"testing"
)

// t4CDF is the closed-form CDF of Student's t with 4 degrees of freedom:
// 1/2 + (3/8)·(t/√(1+t²/4))·(1 − t²/(12(1+t²/4))).
func t4CDF(t float64) float64 {
	x := 1 + t*t/4
	return 0.5 + 3.0/8*(t/math.Sqrt(x))*(1-t*t/(12*x))
}

func TestOneWayANOVA(t *testing.T) {
	const tol = 1e-4
	const ptol = 1e-9
	// METRICS-SPEC.md §3.3: (F, M): SSB = 0.2017, SSW = 0.0667, F = 12.1,
	// df (1, 4). The p-value of F(1, 4) at 12.1 is the two-sided t(4)
	// p-value at √12.1 (closed form above).
	v, g := labelled(specF, specM)
	r := OneWayANOVA(v, g, 2)
	checkNear(t, "F", r.F, 12.1, tol)
	checkNear(t, "SSB", r.SSB, 0.2017, tol)
	checkNear(t, "SSW", r.SSW, 0.0667, tol)
	checkNear(t, "P", r.P, 2*(1-t4CDF(math.Sqrt(12.1))), ptol)
	if r.DF1 != 1 || r.DF2 != 4 || r.N != 6 || r.G != 2 {
		t.Errorf("df = (%d, %d), N = %d, G = %d; want (1, 4), 6, 2", r.DF1, r.DF2, r.N, r.G)
	}
	// (F, M, X): F = 7.0, df (2, 6). For d1 = 2 the survival function is
	// (1 + 2F/d2)^(−d2/2) = (10/3)^−3 = 0.027 (hand-computed).
	v, g = labelled(specF, specM, specX)
	r = OneWayANOVA(v, g, 3)
	checkNear(t, "F3", r.F, 7.0, tol)
	checkNear(t, "P3", r.P, 0.027, ptol)
	if r.DF1 != 2 || r.DF2 != 6 {
		t.Errorf("df = (%d, %d), want (2, 6)", r.DF1, r.DF2)
	}
	// The same data with an empty group 3, NaN values and ungrouped users
	// give the same test.
	v2 := append(append([]float64{}, v...), nan, 5, 7)
	g2 := append(append([]int32{}, g...), 0, -1, -1)
	r2 := OneWayANOVA(v2, g2, 4)
	checkNear(t, "F with exclusions", r2.F, r.F, 1e-12)
	if r2.N != 9 || r2.G != 3 {
		t.Errorf("N, G with exclusions = %d, %d; want 9, 3", r2.N, r2.G)
	}
	// Degenerate cases (hand-computed).
	for _, tc := range []struct {
		name    string
		v       []float64
		g       []int32
		wantF   float64
		wantP   float64
		wantDF2 int
	}{
		{"single-member groups", []float64{1, 2, 3}, []int32{0, 1, 2}, nan, nan, 0},
		{"one group", []float64{1, 2, 3}, []int32{0, 0, 0}, nan, nan, 2},
		{"all equal", []float64{1, 1, 1, 1}, []int32{0, 0, 1, 1}, nan, nan, 2},
		{"no within variation", []float64{1, 1, 2, 2}, []int32{0, 0, 1, 1}, math.Inf(1), 0, 2},
		// One single-member group next to a larger one: means 2 and 5,
		// grand 2.75, SSB = 3·0.75² + 2.25² = 6.75, SSW = 2, F = 6.75/(2/2).
		{"single member with others", []float64{1, 2, 3, 5}, []int32{0, 0, 0, 1}, 6.75, 2 * (1 - tCDF2(math.Sqrt(6.75))), 2},
	} {
		r := OneWayANOVA(tc.v, tc.g, 3)
		if !near(r.F, tc.wantF, 1e-12) || !near(r.P, tc.wantP, 1e-9) || r.DF2 != tc.wantDF2 {
			t.Errorf("%s: F = %g, P = %g, DF2 = %d; want %g, %g, %d", tc.name, r.F, r.P, r.DF2, tc.wantF, tc.wantP, tc.wantDF2)
		}
	}
}

// tCDF2 is the closed-form CDF of Student's t with 2 degrees of freedom,
// 1/2 + t/(2√(2+t²)); F(1, 2) at f is t(2)² at √f.
func tCDF2(t float64) float64 { return 0.5 + t/(2*math.Sqrt(2+t*t)) }

func TestKruskalWallis(t *testing.T) {
	const tol = 1e-4
	const ptol = 1e-9
	// METRICS-SPEC.md §3.3: (F, M): H = 3.8571, no ties; the χ²(1) survival
	// at H is erfc(√(H/2)).
	v, g := labelled(specF, specM)
	r := KruskalWallis(v, g, 2)
	checkNear(t, "H", r.H, 3.8571, tol)
	checkNear(t, "H uncorrected", r.HUncorrected, 3.8571, tol)
	checkNear(t, "P", r.P, math.Erfc(math.Sqrt(r.H/2)), ptol)
	// (F, M, X): H = 5.4222, tie-corrected 5.4678 (two tied 0.5 values);
	// χ²(2) survival is exp(−H/2).
	v, g = labelled(specF, specM, specX)
	r = KruskalWallis(v, g, 3)
	checkNear(t, "H3", r.H, 5.4678, tol)
	checkNear(t, "H3 uncorrected", r.HUncorrected, 5.4222, tol)
	checkNear(t, "P3", r.P, math.Exp(-r.H/2), ptol)
	if r.DF != 2 || r.N != 9 || r.G != 3 {
		t.Errorf("DF, N, G = %d, %d, %d; want 2, 9, 3", r.DF, r.N, r.G)
	}
	// Hand-computed with ties across groups: values 1,1 | 1,2 | 3. Ranks:
	// the three 1s share 2, then 4, 5. R = (4, 6, 5), n = (2, 2, 1), N = 5.
	// H₀ = 12/30·(8 + 18 + 25) − 18 = 2.4; ties Σ(t³−t) = 24, correction
	// 1 − 24/120 = 0.8, H = 3.
	r = KruskalWallis([]float64{1, 1, 1, 2, 3, nan}, []int32{0, 0, 1, 1, 2, 1}, 4)
	checkNear(t, "H ties", r.H, 3, 1e-12)
	checkNear(t, "H ties uncorrected", r.HUncorrected, 2.4, 1e-12)
	if r.N != 5 || r.G != 3 {
		t.Errorf("N, G = %d, %d; want 5, 3", r.N, r.G)
	}
	// All values tied, or one group: undefined.
	for _, tc := range []struct {
		name string
		v    []float64
		g    []int32
	}{
		{"all tied", []float64{2, 2, 2}, []int32{0, 1, 1}},
		{"one group", []float64{1, 2, 3}, []int32{0, 0, -1}},
		{"empty", nil, nil},
	} {
		r := KruskalWallis(tc.v, tc.g, 2)
		if !math.IsNaN(r.H) || !math.IsNaN(r.P) {
			t.Errorf("%s: H = %g, P = %g; want NaN", tc.name, r.H, r.P)
		}
	}
}
