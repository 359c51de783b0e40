package demo

import (
	"context"
	"errors"
	"math"
	"math/rand/v2"
	"sync/atomic"
	"testing"
)

func TestAlias(t *testing.T) {
	// 4e5 draws: the standard error of a frequency is at most
	// sqrt(0.25/4e5) = 0.0008, so tol is about 5 standard errors.
	const draws, tol = 400_000, 0.004
	for _, w := range [][]float64{
		{1, 2, 3, 4},
		{5},
		{0, 1, 0, 1},
		{1e-6, 1, 1e3, 0.5, 7},
	} {
		a := newAlias(w)
		rng := rand.New(rand.NewPCG(1, 2))
		count := make([]float64, len(w))
		for range draws {
			count[a.sample(rng)]++
		}
		var sum float64
		for _, v := range w {
			sum += v
		}
		for i, v := range w {
			if got, want := count[i]/draws, v/sum; math.Abs(got-want) > tol {
				t.Errorf("weights %v: slot %d frequency %.4f, want %.4f (w/sum)", w, i, got, want)
			}
			if v == 0 && count[i] > 0 {
				t.Errorf("weights %v: zero-weight slot %d drawn %v times", w, i, count[i])
			}
		}
	}
}

func TestSolveMu(t *testing.T) {
	const tol = 1e-9
	for _, tc := range []struct{ m, c, sigma float64 }{
		{30, 5, 1}, {5.5, 5, 1}, {100, 2, 0.5}, {1000, 5, 1.5},
	} {
		mu := solveMu(tc.m, tc.c, tc.sigma)
		// The closed form the solver inverts (see solveMu's doc).
		lc := math.Log(tc.c)
		got := tc.c*normCDF((lc-mu)/tc.sigma) + math.Exp(mu+tc.sigma*tc.sigma/2)*normCDF((mu+tc.sigma*tc.sigma-lc)/tc.sigma)
		if math.Abs(got-tc.m) > tol*tc.m {
			t.Errorf("solveMu(%v, %v, %v) = %v: E[max(c, X)] = %v, want %v", tc.m, tc.c, tc.sigma, mu, got, tc.m)
		}
	}
	// Monte Carlo check of the closed form itself at the default shape:
	// 1e6 draws, CV about 1.3, so the mean is within 0.5% at ~4 SE.
	mu := solveMu(30, 5, 1)
	rng := rand.New(rand.NewPCG(3, 4))
	var s float64
	const n = 1_000_000
	for range n {
		s += math.Max(5, math.Exp(mu+rng.NormFloat64()))
	}
	if got := s / n; math.Abs(got/30-1) > 0.005 {
		t.Errorf("Monte Carlo E[max(5, X)] = %v, want 30 ± 0.5%%", got)
	}
}

func TestForUsersCancel(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	const n = 1 << 20
	var done atomic.Int64
	err := forUsers(ctx, n, func() func(int) {
		return func(u int) {
			if done.Add(1) == 3000 {
				cancel()
			}
		}
	})
	if !errors.Is(err, context.Canceled) {
		t.Errorf("forUsers after cancel = %v, want context.Canceled", err)
	}
	// Blocks in flight finish: at most one more block per goroutine.
	if got := done.Load(); got >= n/2 {
		t.Errorf("forUsers ran %d of %d users after cancellation", got, n)
	}
}

func TestForUsersCoversAll(t *testing.T) {
	for _, n := range []int{1, 1023, 1024, 1025, 5000} {
		seen := make([]atomic.Int32, n)
		if err := forUsers(context.Background(), n, func() func(int) { return func(u int) { seen[u].Add(1) } }); err != nil {
			t.Fatal(err)
		}
		for u := range seen {
			if c := seen[u].Load(); c != 1 {
				t.Fatalf("n=%d: user %d visited %d times, want 1", n, u, c)
			}
		}
	}
}
