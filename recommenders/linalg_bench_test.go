package recommenders

import (
	"context"
	"fmt"
	"math/rand/v2"
	"testing"
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
