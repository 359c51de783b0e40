package recommenders

import (
	"context"
	"fmt"
	"math/rand/v2"
	"testing"

	"github.com/recaudit/recaudit/datasets"
)

// BenchmarkLinalgSPDInverse times the blocked parallel SPD inverse; n³
// flops (multiply-add = 2) are reported as GFLOPS.
func BenchmarkLinalgSPDInverse(b *testing.B) {
	for _, n := range []int{500, 1500, 3700} {
		b.Run(fmt.Sprintf("n=%d", n), func(b *testing.B) {
			r := rand.New(rand.NewPCG(1, 1))
			spd := make([]float64, n*n)
			// Diagonally dominant SPD matrix: cheap to make at this size.
			for i := 0; i < n; i++ {
				for j := 0; j < i; j++ {
					v := r.Float64()
					spd[i*n+j], spd[j*n+i] = v, v
				}
				spd[i*n+i] = float64(n)
			}
			a := make([]float64, n*n)
			for b.Loop() {
				copy(a, spd)
				if err := linalgSPDInverse(context.Background(), a, n, linalgNB); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(n)*float64(n)*float64(n)*float64(b.N)/b.Elapsed().Seconds()/1e9, "GFLOPS")
		})
	}
}

// mfBenchSize is one rung of the benchmark size ladder.
type mfBenchSize struct {
	name                string
	users, items, inter int
}

// mfBenchSizes is the size ladder; "large" is the target size
// (6,000 users × 3,700 items, 1,000,000 interactions, like MovieLens 1M).
var mfBenchSizes = []mfBenchSize{
	{"small", 600, 370, 10_000},
	{"medium", 2000, 1200, 100_000},
	{"large", 6000, 3700, 1_000_000},
}

var mfBenchCache = map[string]*datasets.CSR{}

// mfBenchData returns the seeded synthetic matrix of a ladder rung: Zipf
// popularity plus 8 planted user clusters (mfSynth).
func mfBenchData(s mfBenchSize) *datasets.CSR {
	if m, ok := mfBenchCache[s.name]; ok {
		return m
	}
	m := mfSynth(42, s.users, s.items, s.inter, 8, 0.5)
	mfBenchCache[s.name] = &m
	return &m
}

// mfBench runs the fit and recommend (top-100 for every user)
// sub-benchmarks of a recommender over the size ladder.
func mfBench(b *testing.B, newRec func() Recommender) {
	for _, s := range mfBenchSizes {
		x := mfBenchData(s)
		view := &TrainView{Interactions: *x}
		b.Run(s.name+"/fit", func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if err := newRec().Fit(context.Background(), view); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(x.NNZ()), "nnz")
		})
		b.Run(s.name+"/recommend", func(b *testing.B) {
			r := newRec()
			if err := r.Fit(context.Background(), view); err != nil {
				b.Fatal(err)
			}
			users := allUsers(x.Rows)
			b.ReportAllocs()
			for b.Loop() {
				if _, err := r.Recommend(context.Background(), users, 100); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
