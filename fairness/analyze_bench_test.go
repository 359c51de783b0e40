package fairness

import (
	"fmt"
	"math/rand/v2"
	"testing"
)

// BenchmarkAnalyze measures Analyze on a table of 16 per-user columns (12
// sharing one set of users with a value, as accuracy metrics do, 4 without
// NaN) over three attributes with 2, 6 and 5 groups: 96 disparity tests
// and 48 Kruskal–Wallis tests, 1000 bootstrap resamples and 1000
// relabelings (multiply the permutation part by B/1000 for other B).
func BenchmarkAnalyze(b *testing.B) {
	for _, n := range benchSizes {
		values, attrs, sizes := benchData(n)
		r := rand.New(rand.NewPCG(4, 4))
		var table PerUser
		for k := range 16 {
			v := make([]float64, n)
			for u := range v {
				switch {
				case k < 12:
					v[u] = values[u] * r.Float64()
				default:
					v[u] = r.Float64()
				}
			}
			table = append(table, UserColumn{Name: fmt.Sprint("m", k), Values: v})
		}
		var groups []Grouping
		for a, g := range attrs {
			lv := make([]string, sizes[a])
			for i := range lv {
				lv[i] = fmt.Sprint(i)
			}
			groups = append(groups, Grouping{Attribute: fmt.Sprint("a", a), Levels: lv, Codes: g})
		}
		b.Run(fmt.Sprintf("users=%d", n), func(b *testing.B) {
			for b.Loop() {
				Analyze(table, groups, AnalyzeConfig{Seed: 1, PermutationB: 1000})
			}
		})
	}
}
