package recommenders

import "testing"

// BenchmarkBPR times Fit (64 factors, 20 epochs, 8 strata: the defaults)
// and top-100 Recommend for every user over the size ladder
// (mfBenchSizes).
func BenchmarkBPR(b *testing.B) {
	mfBench(b, func() Recommender { return &BPR{Seed: 1} })
}
