package fairness

import (
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
)

func TestBenjaminiHochberg(t *testing.T) {
	const tol = 1e-4
	opts := []cmp.Option{cmpopts.EquateApprox(0, tol), cmpopts.EquateNaNs()}
	// METRICS-SPEC.md §6.3 example.
	p := []float64{0.010, 0.001, 0.039, 0.041, 0.042, 0.060, 0.074, 0.205}
	want := []float64{0.04, 0.008, 0.0672, 0.0672, 0.0672, 0.08, 0.0846, 0.205}
	if d := cmp.Diff(want, BenjaminiHochberg(nil, p), opts...); d != "" {
		t.Errorf("BenjaminiHochberg (-want +got):\n%s", d)
	}
	// k = 2: reject the tests with p = 0.001 and 0.010.
	rej := []bool{true, true, false, false, false, false, false, false}
	if d := cmp.Diff(rej, RejectBH(nil, p, 0.05)); d != "" {
		t.Errorf("RejectBH (-want +got):\n%s", d)
	}
	// Bonferroni, hand-computed: min(1, 8p).
	bonf := []float64{0.08, 0.008, 0.312, 0.328, 0.336, 0.48, 0.592, 1}
	if d := cmp.Diff(bonf, Bonferroni(nil, p), opts...); d != "" {
		t.Errorf("Bonferroni (-want +got):\n%s", d)
	}
	// NaN p-values are left out of m and of the rejections.
	pn := append([]float64{nan}, p...)
	if d := cmp.Diff(append([]float64{nan}, want...), BenjaminiHochberg(nil, pn), opts...); d != "" {
		t.Errorf("BenjaminiHochberg with NaN (-want +got):\n%s", d)
	}
	if d := cmp.Diff(append([]bool{false}, rej...), RejectBH(nil, pn, 0.05)); d != "" {
		t.Errorf("RejectBH with NaN (-want +got):\n%s", d)
	}
	if d := cmp.Diff(append([]float64{nan}, bonf...), Bonferroni(nil, pn), opts...); d != "" {
		t.Errorf("Bonferroni with NaN (-want +got):\n%s", d)
	}
	// Ties, hand-computed: m·p/j = 0.06, 0.03, 0.5 → step-down minimum
	// 0.03, 0.03, 0.5; at q = 0.03 both tied tests are rejected.
	pt := []float64{0.5, 0.02, 0.02}
	if d := cmp.Diff([]float64{0.5, 0.03, 0.03}, BenjaminiHochberg(nil, pt), opts...); d != "" {
		t.Errorf("BenjaminiHochberg ties (-want +got):\n%s", d)
	}
	if d := cmp.Diff([]bool{false, true, true}, RejectBH(nil, pt, 0.03)); d != "" {
		t.Errorf("RejectBH ties (-want +got):\n%s", d)
	}
	// In place.
	q := append([]float64(nil), p...)
	BenjaminiHochberg(q, q)
	if d := cmp.Diff(want, q, opts...); d != "" {
		t.Errorf("BenjaminiHochberg in place (-want +got):\n%s", d)
	}
	if len(BenjaminiHochberg(nil, nil)) != 0 || len(RejectBH(nil, nil, 0.05)) != 0 {
		t.Error("empty input")
	}
	for name, f := range map[string]func(){
		"p > 1":       func() { BenjaminiHochberg(nil, []float64{1.5}) },
		"p < 0":       func() { Bonferroni(nil, []float64{-0.1}) },
		"q":           func() { RejectBH(nil, p, 2) },
		"dst":         func() { BenjaminiHochberg(make([]float64, 2), p) },
		"bool dst":    func() { RejectBH(make([]bool, 2), p, 0.05) },
		"reject p":    func() { RejectBH(nil, []float64{2}, 0.05) },
		"bonf dst":    func() { Bonferroni(make([]float64, 1), p) },
		"bonf p > 1 ": func() { Bonferroni(nil, []float64{1.01}) },
	} {
		if !panics(f) {
			t.Errorf("%s: no panic", name)
		}
	}
}

func TestRejectBHStepUp(t *testing.T) {
	// RejectBH agrees with the step-up rule written out directly: largest k
	// with p_(k) ≤ (k/m)·q, on random p-values (ties have probability 0).
	r := rand.New(rand.NewPCG(8, 8))
	for range 200 {
		m := 1 + r.IntN(30)
		p := make([]float64, m)
		for i := range p {
			p[i] = r.Float64() * r.Float64() * 0.3
		}
		q := 0.05 + 0.1*r.Float64()
		s := append([]float64(nil), p...)
		slices.Sort(s)
		k := 0
		for i, v := range s {
			if v <= float64(i+1)/float64(m)*q {
				k = i + 1
			}
		}
		got := RejectBH(nil, p, q)
		for i, v := range p {
			want := k > 0 && v <= s[k-1]
			if got[i] != want {
				t.Fatalf("p = %v, q = %g: RejectBH[%d] = %v, step-up says %v", p, q, i, got[i], want)
			}
		}
	}
}
