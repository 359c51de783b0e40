package fairness

import (
	"math"
	"testing"
)

// panics reports whether f panics.
func panics(f func()) (b bool) {
	defer func() {
		if recover() != nil {
			b = true
		}
	}()
	f()
	return false
}

// near reports whether a and b agree within tol, NaN matching NaN and
// infinities matching exactly.
func near(a, b, tol float64) bool {
	if math.IsNaN(a) || math.IsNaN(b) {
		return math.IsNaN(a) && math.IsNaN(b)
	}
	if math.IsInf(a, 0) || math.IsInf(b, 0) {
		return a == b
	}
	return math.Abs(a-b) <= tol
}

func checkNear(t *testing.T, name string, got, want, tol float64) {
	t.Helper()
	if !near(got, want, tol) {
		t.Errorf("%s = %.10g, want %.10g (tol %g)", name, got, want, tol)
	}
}

var nan = math.NaN()

// Spec data (METRICS-SPEC.md §3.1): per-user NDCG of groups F, M and X.
var (
	specF = []float64{0.9, 0.8, 0.7}
	specM = []float64{0.3, 0.4, 0.6}
	specX = []float64{0.5, 0.5, 0.2}
)

// labelled concatenates the groups' values and returns them with group codes
// 0, 1, 2, ….
func labelled(gs ...[]float64) ([]float64, []int32) {
	var v []float64
	var g []int32
	for k, x := range gs {
		v = append(v, x...)
		for range x {
			g = append(g, int32(k))
		}
	}
	return v, g
}
