package recommenders

import "testing"

// BenchmarkALS times Fit (64 factors, 15 iterations, 3 CG steps: the
// defaults) and top-100 Recommend for every user over the size ladder
// (mfBenchSizes).
func BenchmarkALS(b *testing.B) {
	mfBench(b, func() Recommender { return &ALS{Seed: 1} })
}
