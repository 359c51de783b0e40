package datasets

import (
	"math/rand/v2"
	"slices"
	"testing"
)

func TestSortInt32(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	var tmp []int32
	for _, n := range []int{0, 1, 5, 47, 48, 49, 100, 1000} {
		for _, bits := range []int{1, 7, 8, 9, 17, 31} {
			s := make([]int32, n)
			for i := range s {
				s[i] = int32(r.Int64N(1 << bits))
			}
			want := slices.Clone(s)
			slices.Sort(want)
			tmp = sortInt32(s, tmp, bits)
			if !slices.Equal(s, want) {
				t.Fatalf("n=%d bits=%d: not sorted", n, bits)
			}
		}
	}
}
