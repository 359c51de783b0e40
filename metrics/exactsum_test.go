package metrics

import (
	"math"
	"math/big"
	"math/rand/v2"
	"testing"
)

// bigSum returns the exact sum of xs rounded to the nearest float64 with
// math/big at a precision large enough to be exact.
func bigSum(xs []float64) float64 {
	acc := new(big.Float).SetPrec(4096)
	for _, x := range xs {
		acc.Add(acc, new(big.Float).SetPrec(4096).SetFloat64(x))
	}
	v, _ := acc.Float64()
	return v
}

// randomFloats returns values of mixed signs over the whole exponent range,
// subnormals and exact cancellations included.
func randomFloats(rng *rand.Rand, n int) []float64 {
	xs := make([]float64, 0, n)
	for len(xs) < n {
		var x float64
		switch rng.IntN(6) {
		case 0:
			x = rng.Float64()
		case 1:
			x = math.Ldexp(rng.Float64(), rng.IntN(2000)-1000)
		case 2:
			x = math.Float64frombits(rng.Uint64N(1 << 52)) // subnormal
		case 3:
			x = 1 / float64(1+rng.IntN(100))
		case 4:
			x = math.Ldexp(1, 1023) * (1 + rng.Float64()) // near the top
		default:
			if len(xs) > 0 {
				x = -xs[rng.IntN(len(xs))] // cancels an earlier value
			}
		}
		if rng.IntN(2) == 0 {
			x = -x
		}
		xs = append(xs, x)
	}
	return xs
}

func TestExactSum(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 1))
	for trial := range 200 {
		xs := randomFloats(rng, 1+rng.IntN(300))
		var s exactSum
		for _, x := range xs {
			s.add(x)
		}
		want := bigSum(xs)
		if got := s.value(); got != want {
			t.Fatalf("trial %d: got %v, want %v", trial, got, want)
		}
		// Order independence and merging of a random split.
		rng.Shuffle(len(xs), func(i, j int) { xs[i], xs[j] = xs[j], xs[i] })
		var a, b exactSum
		cut := rng.IntN(len(xs) + 1)
		for _, x := range xs[:cut] {
			a.add(x)
		}
		for _, x := range xs[cut:] {
			b.add(x)
		}
		a.merge(&b)
		if got := a.value(); got != want {
			t.Fatalf("trial %d: merged %v, want %v", trial, got, want)
		}
	}
}

func TestExactSumCases(t *testing.T) {
	for _, tc := range []struct {
		name string
		xs   []float64
		want float64 // hand-computed
	}{
		{"empty", nil, 0},
		// The exact sum of the three doubles is 0.60000000000000000555…, nearest
		// double 0.6; left-to-right float addition gives 0.6000000000000001.
		{"tenths", []float64{0.1, 0.2, 0.3}, 0.6},
		{"cancel", []float64{1e308, 1, -1e308}, 1},
		{"tiny", []float64{math.SmallestNonzeroFloat64, math.SmallestNonzeroFloat64}, 2 * math.SmallestNonzeroFloat64},
		{"overflow to inf", []float64{math.MaxFloat64, math.MaxFloat64}, math.Inf(1)},
		{"overflow cancels", []float64{math.MaxFloat64, math.MaxFloat64, -math.MaxFloat64}, math.MaxFloat64},
		{"inf", []float64{1, math.Inf(1)}, math.Inf(1)},
		{"inf minus inf", []float64{math.Inf(1), math.Inf(-1)}, math.NaN()},
		{"nan", []float64{1, math.NaN()}, math.NaN()},
	} {
		var s exactSum
		for _, x := range tc.xs {
			s.add(x)
		}
		got := s.value()
		if got != tc.want && !(math.IsNaN(got) && math.IsNaN(tc.want)) {
			t.Errorf("%s: got %v, want %v", tc.name, got, tc.want)
		}
	}
}

// TestExactSumNormalize checks that carries are propagated correctly when
// many additions hit the same limbs.
func TestExactSumNormalize(t *testing.T) {
	var s exactSum
	s.pending = maxPending - 10 // force a normalize within the loop
	x := math.MaxFloat64 / 1e10
	xs := make([]float64, 100)
	for i := range xs {
		xs[i] = x
		s.add(x)
	}
	if got, want := s.value(), bigSum(xs); got != want {
		t.Errorf("got %v, want %v", got, want)
	}
}
