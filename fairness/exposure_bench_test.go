package fairness

import (
	"fmt"
	"math/rand/v2"
	"testing"
)

// exposureBenchData returns nUsers lists of n items each over a catalogue
// of nItems, item groups, and judgments of 5 items per user.
func exposureBenchData(nUsers, n, nItems, nGroups int) (Rankings, Relevance, []int32) {
	rng := rand.New(rand.NewPCG(1, 1))
	lists := Rankings{Offsets: make([]int64, nUsers+1), Items: make([]int32, nUsers*n)}
	rel := Relevance{Offsets: make([]int64, nUsers+1), Items: make([]int32, 0, nUsers*5)}
	for u := range nUsers {
		row := lists.Items[u*n : (u+1)*n]
		for r := range row {
			row[r] = int32(rng.IntN(nItems))
		}
		lists.Offsets[u+1] = int64((u + 1) * n)
		base := int32(rng.IntN(nItems - 5))
		for j := range int32(5) {
			rel.Items = append(rel.Items, base+j)
		}
		rel.Offsets[u+1] = int64(len(rel.Items))
	}
	group := make([]int32, nItems)
	for i := range group {
		group[i] = int32(rng.IntN(nGroups+1)) - 1
	}
	return lists, rel, group
}

func BenchmarkItemExposure(b *testing.B) {
	const n, nItems = 100, 20000
	for _, users := range []int{1000, 10000, 100000} {
		lists, rel, _ := exposureBenchData(users, n, nItems, 4)
		weights := make([]float64, users)
		for u := range weights {
			weights[u] = float64(u%3 + 1)
		}
		dst := make([]float64, nItems)
		for _, bc := range []struct {
			name    string
			model   Exposure
			rel     Relevance
			weights []float64
		}{
			{"log", Exposure{}, Relevance{}, nil},
			{"log-weighted", Exposure{}, Relevance{}, weights},
			{"cascade", Exposure{Model: ExposureCascade}, rel, nil},
		} {
			b.Run(fmt.Sprintf("users=%d/%s", users, bc.name), func(b *testing.B) {
				b.SetBytes(int64(len(lists.Items)) * 4)
				for b.Loop() {
					ItemExposureTo(dst, lists, nItems, bc.model, bc.rel, bc.weights)
				}
			})
		}
	}
}

func BenchmarkGroupExposureShares(b *testing.B) {
	const n, nItems, nGroups = 100, 20000, 4
	for _, users := range []int{1000, 10000, 100000} {
		lists, _, group := exposureBenchData(users, n, nItems, nGroups)
		x := make([]float64, nItems)
		sums := make([]float64, nGroups)
		b.Run(fmt.Sprintf("users=%d", users), func(b *testing.B) {
			b.SetBytes(int64(len(lists.Items)) * 4)
			for b.Loop() {
				ItemExposureTo(x, lists, nItems, Exposure{}, Relevance{}, nil)
				ExposureSharesTo(sums, GroupExposureTo(sums, x, group, nGroups))
			}
		})
	}
}
