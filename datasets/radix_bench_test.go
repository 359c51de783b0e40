package datasets

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"
)

// BenchmarkSortRow compares the radix sort with pdqsort on rows of the
// length the benchmarks load (100 items out of 100,000).
func BenchmarkSortRow(b *testing.B) {
	for _, n := range []int{20, 100, 1000} {
		r := rand.New(rand.NewPCG(1, 1))
		rows := make([][]int32, 1000)
		for i := range rows {
			rows[i] = make([]int32, n)
			for j := range rows[i] {
				rows[i][j] = int32(r.IntN(100_000))
			}
		}
		work := make([]int32, n)
		b.Run(fmt.Sprintf("pdq/n=%d", n), func(b *testing.B) {
			i := 0
			for b.Loop() {
				copy(work, rows[i%len(rows)])
				slices.Sort(work)
				i++
			}
		})
		b.Run(fmt.Sprintf("radix/n=%d", n), func(b *testing.B) {
			var tmp []int32
			i := 0
			for b.Loop() {
				copy(work, rows[i%len(rows)])
				tmp = sortInt32(work, tmp, 17)
				i++
			}
		})
	}
}
