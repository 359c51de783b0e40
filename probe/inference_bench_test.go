package probe_test

import (
	"context"
	"fmt"
	"math/rand/v2"
	"testing"

	"github.com/recaudit/recaudit/datasets/demo"
	"github.com/recaudit/recaudit/probe"
	"github.com/recaudit/recaudit/recommenders"
)

// sparseLists returns the design matrix of the probe's default features
// for n users of a 2,000-item, 12-category catalogue: ten distinct items
// (binary) and twelve category counts per user, items drawn from one half
// of the catalogue or the other with a class-dependent bias, as in a
// recommendation list that mildly reveals the class.
func sparseLists(n int) (probe.Sparse, []bool) {
	const items, cats, k = 2000, 12, 10
	rng := rand.New(rand.NewPCG(1, uint64(n)))
	x := probe.Sparse{Rows: n, Cols: items + cats, Offsets: make([]int64, 1, n+1), Values: []float64{}}
	y := make([]bool, n)
	seen := make([]bool, items)
	var count [cats]float64
	for u := range n {
		y[u] = rng.IntN(2) == 1
		var list []int32
		for len(list) < k {
			it := int32(rng.IntN(items / 2))
			if (rng.Float64() < 0.6) == y[u] {
				it += items / 2
			}
			if !seen[it] {
				seen[it] = true
				list = append(list, it)
			}
		}
		for _, it := range list {
			seen[it] = false
			x.Indices = append(x.Indices, it)
			x.Values = append(x.Values, 1)
			count[int(it)%cats]++
		}
		for c := range cats {
			if count[c] > 0 {
				x.Indices = append(x.Indices, int32(items+c))
				x.Values = append(x.Values, count[c])
				count[c] = 0
			}
		}
		x.Offsets = append(x.Offsets, int64(len(x.Indices)))
	}
	return x, y
}

// BenchmarkLogisticFit fits one model with the probe's settings (λ = 30,
// tolerance 1e-4) on n users × 2,012 sparse features.
func BenchmarkLogisticFit(b *testing.B) {
	for _, n := range []int{1000, 10_000} {
		x, y := sparseLists(n)
		b.Run(fmt.Sprintf("users=%d", n), func(b *testing.B) {
			l := probe.Logistic{Lambda: probe.DefaultInferenceLambda, Tolerance: probe.DefaultInferenceTolerance}
			for b.Loop() {
				l.Fit(x, y)
			}
		})
	}
}

// BenchmarkInference runs the whole probe for gender (three classes) on the
// demo shop's item-kNN top-10 lists, with 4 shuffles instead of the default
// 19 to keep an operation short: the cost is proportional to shuffles+1
// (here 5 × 5 folds × 3 classes = 75 fits, plus the bootstrap).
func BenchmarkInference(b *testing.B) {
	for _, n := range []int{1000, 10_000} {
		cfg := demo.DefaultConfig()
		if n != cfg.Users {
			cfg.Users, cfg.Items, cfg.Interactions = n, n/4, n*20
		}
		d, err := demo.Generate(context.Background(), cfg)
		if err != nil {
			b.Fatal(err)
		}
		in := listsInput(b, d, &recommenders.ItemKNN{}, 10)
		targets := []probe.InferenceTarget{target(b, d, "gender")}
		b.Run(fmt.Sprintf("users=%d/items=%d", n, cfg.Items), func(b *testing.B) {
			for b.Loop() {
				if _, err := (probe.Inference{Shuffles: 4, Src: rand.NewPCG(1, 1)}).Run(context.Background(), in, targets); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
