package demo_test

import (
	"context"
	"os"
	"testing"

	"github.com/recaudit/recaudit/datasets/demo"
)

// BenchmarkGenerate runs a size ladder. The largest (1M users, 100k items,
// 100M interactions, about 1.2 GB) runs only when RECAUDIT_BENCH_LARGE=1.
func BenchmarkGenerate(b *testing.B) {
	for _, bc := range []struct {
		name  string
		cfg   demo.Config
		large bool
	}{
		{"users=1k", demo.Config{Users: 1000, Items: 500, Interactions: 30_000, Seed: 1, Effects: demo.DefaultEffects()}, false},
		{"users=10k/default", demo.DefaultConfig(), false},
		{"users=100k", demo.Config{Users: 100_000, Items: 20_000, Interactions: 5_000_000, Seed: 1, Effects: demo.DefaultEffects()}, false},
		{"users=1M", demo.Config{Users: 1_000_000, Items: 100_000, Interactions: 100_000_000, Seed: 1, Effects: demo.DefaultEffects()}, true},
	} {
		b.Run(bc.name, func(b *testing.B) {
			if bc.large && os.Getenv("RECAUDIT_BENCH_LARGE") != "1" {
				b.Skip("set RECAUDIT_BENCH_LARGE=1 to run")
			}
			var nnz int
			for b.Loop() {
				d, err := demo.Generate(context.Background(), bc.cfg)
				if err != nil {
					b.Fatal(err)
				}
				nnz = d.Interactions.NNZ()
			}
			b.ReportMetric(float64(nnz)*float64(b.N)/b.Elapsed().Seconds(), "interactions/s")
		})
	}
}
