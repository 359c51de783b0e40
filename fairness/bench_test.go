package fairness

import (
	"fmt"
	"math/rand/v2"
	"testing"
)

// benchData returns n users with NDCG-like values (10% NaN: no relevant
// items) and three attributes with 2, 6 and 5 groups (2% ungrouped).
func benchData(n int) ([]float64, [][]int32, []int) {
	r := rand.New(rand.NewPCG(1, 2))
	values := make([]float64, n)
	for u := range values {
		if r.Float64() < 0.1 {
			values[u] = nan
			continue
		}
		values[u] = r.Float64()
	}
	sizes := []int{2, 6, 5}
	attrs := make([][]int32, len(sizes))
	for a, k := range sizes {
		attrs[a] = make([]int32, n)
		for u := range attrs[a] {
			attrs[a][u] = int32(r.IntN(k))
			if r.Float64() < 0.02 {
				attrs[a][u] = -1
			}
		}
	}
	return values, attrs, sizes
}

var benchSizes = []int{1000, 10000, 100000}

// BenchmarkBootstrapGroups measures one audit's bootstrap of one metric:
// B = 1000 stratified resamples of the group means and MaxMinDiff, for three
// attributes (2, 6 and 5 groups).
func BenchmarkBootstrapGroups(b *testing.B) {
	for _, unstrat := range []bool{false, true} {
		for _, n := range benchSizes {
			values, attrs, sizes := benchData(n)
			b.Run(fmt.Sprintf("unstratified=%v/users=%d", unstrat, n), func(b *testing.B) {
				bs := Bootstrap{B: 1000, Unstratified: unstrat, Aggregators: []Aggregator{MaxMinDiff}, Src: rand.NewPCG(1, 1)}
				for b.Loop() {
					for a, g := range attrs {
						bs.Groups(values, g, sizes[a])
					}
				}
			})
		}
	}
}

func BenchmarkPermutationMeanDiff(b *testing.B) {
	for _, n := range benchSizes {
		values, attrs, _ := benchData(n)
		b.Run(fmt.Sprintf("users=%d", n), func(b *testing.B) {
			p := Permutation{B: 1000, Src: rand.NewPCG(1, 1)}
			for b.Loop() {
				p.MeanDiff(values, attrs[0], 0, 1)
			}
		})
	}
}

func BenchmarkPermutationDisparity(b *testing.B) {
	for _, n := range benchSizes {
		values, attrs, sizes := benchData(n)
		b.Run(fmt.Sprintf("users=%d", n), func(b *testing.B) {
			p := Permutation{B: 1000, Src: rand.NewPCG(1, 1)}
			for b.Loop() {
				p.Disparity(MaxMinDiff, values, attrs[1], sizes[1])
			}
		})
	}
}

func BenchmarkPermutationPaired(b *testing.B) {
	for _, n := range benchSizes {
		a, attrs, sizes := benchData(n)
		c, _, _ := benchData(n)
		for i := range c {
			c[i] = 1 - c[i]
		}
		b.Run(fmt.Sprintf("mean/users=%d", n), func(b *testing.B) {
			p := Permutation{B: 1000, Src: rand.NewPCG(1, 1)}
			for b.Loop() {
				p.Paired(a, c)
			}
		})
		b.Run(fmt.Sprintf("disparity/users=%d", n), func(b *testing.B) {
			p := Permutation{B: 1000, Src: rand.NewPCG(1, 1)}
			for b.Loop() {
				p.PairedDisparity(MaxMinDiff, a, c, attrs[1], sizes[1])
			}
		})
	}
}

func BenchmarkKruskalWallis(b *testing.B) {
	for _, n := range benchSizes {
		values, attrs, sizes := benchData(n)
		b.Run(fmt.Sprintf("users=%d", n), func(b *testing.B) {
			for b.Loop() {
				KruskalWallis(values, attrs[1], sizes[1])
			}
		})
	}
}

// BenchmarkBootstrapSuite measures the bootstrap of a suite: 10 per-user
// columns (metrics × systems) and three attributes, B = 1000, either one
// Groups call per column or one GroupsMulti call per attribute.
func BenchmarkBootstrapSuite(b *testing.B) {
	const nCols = 10
	for _, n := range benchSizes {
		values, attrs, sizes := benchData(n)
		r := rand.New(rand.NewPCG(3, 3))
		cols := make([][]float64, nCols)
		for k := range cols {
			cols[k] = make([]float64, n)
			for u := range cols[k] {
				cols[k][u] = r.Float64()
				if k%3 == 0 { // some metrics exclude users
					cols[k][u] = values[u]
				}
			}
		}
		bs := Bootstrap{B: 1000, Aggregators: []Aggregator{MaxMinDiff, MinMaxRatio}, Src: rand.NewPCG(1, 1)}
		b.Run(fmt.Sprintf("separate/users=%d", n), func(b *testing.B) {
			for b.Loop() {
				for a, g := range attrs {
					for _, c := range cols {
						bs.Groups(c, g, sizes[a])
					}
				}
			}
		})
		b.Run(fmt.Sprintf("multi/users=%d", n), func(b *testing.B) {
			for b.Loop() {
				for a, g := range attrs {
					bs.GroupsMulti(cols, g, sizes[a])
				}
			}
		})
	}
}
