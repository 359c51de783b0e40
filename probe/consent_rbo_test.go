package probe

import (
	"math"
	"math/rand/v2"
	"slices"
	"testing"
)

// rboExt32 is equation (32) of Webber, Moffat and Zobel (2010) written out
// term by term, with X_d counted by brute force: the overlap of the first
// d items of the two lists, the whole of the shorter list once d passes
// its length.
func rboExt32(a, b []int32, p float64) float64 {
	if len(a) > len(b) {
		a, b = b, a
	}
	s, l := len(a), len(b)
	x := func(d int) float64 {
		n := 0
		for _, v := range a[:min(d, s)] {
			if slices.Contains(b[:d], v) {
				n++
			}
		}
		return float64(n)
	}
	xs, xl := x(s), x(l)
	var sum float64
	for d := 1; d <= l; d++ {
		sum += x(d) / float64(d) * math.Pow(p, float64(d))
	}
	for d := s + 1; d <= l; d++ {
		sum += xs * float64(d-s) / float64(s*d) * math.Pow(p, float64(d))
	}
	return (1-p)/p*sum + ((xl-xs)/float64(l)+xs/float64(s))*math.Pow(p, float64(l))
}

// TestRBOEquation32 compares RBO with equation (32) written out, on random
// lists of uneven lengths (both the scan for short lists and the map for
// lists longer than 64), and checks that it lies in [0, 1], is symmetric,
// and is 1 exactly when one list is a prefix of the other.
func TestRBOEquation32(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	list := func(n, universe int) []int32 {
		perm := rng.Perm(universe)
		out := make([]int32, n)
		for i := range out {
			out[i] = int32(perm[i])
		}
		return out
	}
	for i := range 400 {
		long := i%2 == 1 // half the cases on the map path
		ls, ll := 1+rng.IntN(20), 1+rng.IntN(20)
		if long {
			ls, ll = 1+rng.IntN(100), 65+rng.IntN(60)
		}
		universe := max(ls, ll) + rng.IntN(2*max(ls, ll))
		a, b := list(ls, universe), list(ll, universe)
		if i%5 == 0 { // share a prefix, so that values near 1 occur
			n := min(ls, ll, 1+rng.IntN(min(ls, ll)))
			b = append(slices.Clone(a[:n]), slices.DeleteFunc(b, func(x int32) bool { return slices.Contains(a[:n], x) })...)
		}
		p := []float64{0.5, 0.9, 0.98}[i%3]
		got, want := RBO(a, b, p), rboExt32(a, b, p)
		if math.Abs(got-want) > 1e-12 {
			t.Fatalf("RBO(%v, %v, %v) = %.15g, equation (32) gives %.15g", a, b, p, got, want)
		}
		if back := RBO(b, a, p); back != got {
			t.Fatalf("RBO not symmetric: %v vs %v", got, back)
		}
		// Lists that first differ at depth f have RBO at most about
		// 1 − p^f(1−p)/p, which is 1 in floating point for large f.
		f := 0
		for f < min(len(a), len(b)) && a[f] == b[f] {
			f++
		}
		// A list that is a prefix of the other has RBO 1: the
		// extrapolation assumes that the agreement goes on.
		prefixOf := f == min(len(a), len(b))
		if got < 0 || got > 1+1e-12 || (got >= 1 && math.Pow(p, float64(f)) > 1e-9 && !prefixOf) || (prefixOf && math.Abs(got-1) > 1e-12) {
			t.Fatalf("RBO(%v, %v, %v) = %.15g: want 1 exactly when one list is a prefix of the other, else in [0, 1)", a, b, p, got)
		}
	}
}
