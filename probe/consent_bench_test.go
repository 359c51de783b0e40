package probe_test

import (
	"fmt"
	"math/rand/v2"
	"testing"

	"github.com/recaudit/recaudit/datasets"
	"github.com/recaudit/recaudit/probe"
)

func BenchmarkRBO(b *testing.B) {
	for _, k := range []int{10, 100, 1000} {
		rng := rand.New(rand.NewPCG(1, 1))
		x, y := rng.Perm(2 * k)[:k], rng.Perm(2 * k)[:k]
		a, c := make([]int32, k), make([]int32, k)
		for i := range k {
			a[i], c[i] = int32(x[i]), int32(y[i])
		}
		b.Run(fmt.Sprintf("k=%d", k), func(b *testing.B) {
			for b.Loop() {
				probe.RBO(a, c, 0.9)
			}
		})
	}
}

// randomLists returns n users' lists of k items out of m, with 15% of
// the users not consenting and getting the same list.
func randomLists(n, m, k int) (datasets.Rankings, datasets.CSR, []bool) {
	rng := rand.New(rand.NewPCG(2, 2))
	r := datasets.Rankings{Offsets: make([]int64, n+1)}
	train := datasets.CSR{Rows: n, NumCols: m, Offsets: make([]int64, n+1)}
	consent := make([]bool, n)
	for u := range n {
		consent[u] = rng.Float64() < 0.85
		for i, it := range rng.Perm(m)[:k] {
			if !consent[u] {
				it = i
			}
			r.Items = append(r.Items, int32(it))
		}
		r.Offsets[u+1] = int64(len(r.Items))
		train.Cols = append(train.Cols, int32(rng.IntN(m)))
		train.Offsets[u+1] = int64(len(train.Cols))
	}
	return r, train, consent
}

func BenchmarkConsentLists(b *testing.B) {
	for _, n := range []int{1000, 10_000, 100_000} {
		lists, train, consent := randomLists(n, 2000, 10)
		b.Run(fmt.Sprintf("users=%d", n), func(b *testing.B) {
			for b.Loop() {
				probe.Consent{Permutations: 1000, Src: rand.NewPCG(1, 1)}.Lists(&lists, &train, consent)
			}
		})
	}
}
