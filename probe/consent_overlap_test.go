package probe

import (
	"math"
	"testing"
)

const tol = 1e-12

func panics(f func()) (p bool) {
	defer func() { p = recover() != nil }()
	f()
	return false
}

func TestJaccard(t *testing.T) {
	for _, tc := range []struct {
		name string
		a, b []int32
		want float64
	}{
		{"half", []int32{1, 2, 3}, []int32{2, 3, 4}, 0.5},         // hand-computed: 2 shared of 4
		{"both empty", nil, nil, 1},                               // by definition
		{"one empty", []int32{1}, nil, 0},                         // by definition
		{"order ignored", []int32{1, 2}, []int32{2, 1}, 1},        // same set
		{"disjoint", []int32{1, 2}, []int32{3, 4}, 0},             // nothing shared
		{"repeats count once", []int32{1, 1, 2}, []int32{2}, 0.5}, // {1,2} vs {2}
		{"subset", []int32{5, 6, 7, 8}, []int32{6}, 0.25},         // 1 of 4
	} {
		if got := Jaccard(tc.a, tc.b); math.Abs(got-tc.want) > tol {
			t.Errorf("%s: Jaccard(%v, %v) = %v, want %v", tc.name, tc.a, tc.b, got, tc.want)
		}
		if got := Jaccard(tc.b, tc.a); math.Abs(got-tc.want) > tol {
			t.Errorf("%s: Jaccard is not symmetric: %v", tc.name, got)
		}
	}
}

func TestRBO(t *testing.T) {
	for _, tc := range []struct {
		name string
		a, b []int32
		p    float64
		want float64
	}{
		{"identical", []int32{1, 2, 3}, []int32{1, 2, 3}, 0.9, 1}, // equation (30) sums to 1
		// hand-computed: X = 0,1,2,4,5; (0.1/0.9)(0.5·0.81 + 2/3·0.729
		// + 0.6561 + 0.59049) + 0.59049 = 0.828 (also the value in the
		// README of github.com/b4ny4n/rankmeasures)
		{"five", []int32{1, 2, 3, 4, 5}, []int32{2, 3, 4, 1, 5}, 0.9, 0.828},
		// hand-computed: X1 = 0, X2 = 2: (0.1/0.9)·0.81 + 0.81
		{"swapped pair", []int32{1, 2}, []int32{2, 1}, 0.9, 0.9},
		{"disjoint", []int32{1, 2}, []int32{3, 4}, 0.9, 0},
		// hand-computed: X = 1,1,1: (0.5 + 0.5·0.25 + 1/3·0.125) + 1/3·0.125
		{"first only", []int32{1, 2, 3}, []int32{1, 4, 5}, 0.5, 0.7083333333333333},
		// hand-computed, equation (32) with s = 2, l = 3: X = 1,1,2, X_s = 1;
		// (0.5 + 0.125 + 2/3·0.125 + 1·1/6·0.125) + (1/3 + 1/2)·0.125 = 5/6
		{"uneven", []int32{1, 2}, []int32{1, 3, 2}, 0.5, 5.0 / 6},
		{"uneven swapped", []int32{1, 3, 2}, []int32{1, 2}, 0.5, 5.0 / 6},
		// hand-computed, equation (32) with s = 1, l = 2: X = 0,1, X_s = 0;
		// (0 + 1/2·0.25) + (1/2 + 0)·0.25 = 0.25
		{"uneven late", []int32{2}, []int32{1, 2}, 0.5, 0.25},
		{"both empty", nil, nil, 0.9, 1},
		{"one empty", nil, []int32{1}, 0.9, 0},
		{"single", []int32{7}, []int32{7}, 0.5, 1},
	} {
		if got := RBO(tc.a, tc.b, tc.p); math.Abs(got-tc.want) > tol {
			t.Errorf("%s: RBO(%v, %v, %v) = %.15g, want %.15g", tc.name, tc.a, tc.b, tc.p, got, tc.want)
		}
	}
	for _, p := range []float64{0, 1, -0.5, 2, math.NaN()} {
		if !panics(func() { RBO([]int32{1}, []int32{1}, p) }) {
			t.Errorf("RBO with p = %v did not panic", p)
		}
	}
}

func TestWilson(t *testing.T) {
	for _, tc := range []struct {
		x, n   int
		lo, hi float64
	}{
		// hand-computed from the formula with z = 1.959963984540054
		{0, 10, 0, 0.27753279986288926},
		{3, 10, 0.10779126740630102, 0.6032218525388546},
		{10, 10, 0.7224672001371109, 1},
		{1, 1000, 0.00017654637062607809, 0.0056425585979579355},
	} {
		lo, hi := wilson(tc.x, tc.n, 0.05)
		if math.Abs(lo-tc.lo) > 1e-9 || math.Abs(hi-tc.hi) > 1e-9 {
			t.Errorf("wilson(%d, %d) = [%v, %v], want [%v, %v]", tc.x, tc.n, lo, hi, tc.lo, tc.hi)
		}
	}
	if lo, hi := wilson(0, 0, 0.05); !math.IsNaN(lo) || !math.IsNaN(hi) {
		t.Errorf("wilson(0, 0) = [%v, %v], want NaN", lo, hi)
	}
	// flagged: one violation in 1000 is shown above 0, not above 1%.
	if !flagged(1, 1000, 0, 0.05) || flagged(1, 1000, 0.01, 0.05) || flagged(0, 1000, 0, 0.05) {
		t.Error("flagged disagrees with the Wilson lower bounds above")
	}
}

// TestRBOLongLists checks that the map path (lists longer than 64) agrees
// with the linear path: RBO of two lists of 70 equals that of the same
// lists with their items renamed, and both equal the value computed from
// equation (30) directly.
func TestRBOLongLists(t *testing.T) {
	const k = 70
	a, b := make([]int32, k), make([]int32, k)
	for i := range k {
		a[i] = int32(i)
		b[i] = int32((i*7 + 3) % (k + 10)) // a permutation of part of 0..79
	}
	p := 0.95
	// Equation (30): (1−p)/p Σ X_d/d p^d + X_k/k p^k, X_d by brute force.
	var sum float64
	xd := 0
	for d := 1; d <= k; d++ {
		xd = 0
		for _, x := range a[:d] {
			if slicesContains(b[:d], x) {
				xd++
			}
		}
		sum += float64(xd) / float64(d) * math.Pow(p, float64(d))
	}
	want := (1-p)/p*sum + float64(xd)/k*math.Pow(p, k)
	if got := RBO(a, b, p); math.Abs(got-want) > 1e-12 {
		t.Errorf("RBO of two lists of 70 = %.15g, want %.15g", got, want)
	}
	if got := RBO(a[:60], b[:60], p); math.Abs(got-RBO(b[:60], a[:60], p)) > 1e-15 {
		t.Errorf("RBO is not symmetric on short lists")
	}
}

func slicesContains(s []int32, x int32) bool {
	for _, y := range s {
		if y == x {
			return true
		}
	}
	return false
}
