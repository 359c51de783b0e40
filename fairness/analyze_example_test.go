package fairness_test

import (
	"encoding/json"
	"fmt"
	"math"
	"math/rand/v2"
	"os"

	"github.com/recaudit/recaudit/fairness"
)

func ExampleAnalyze() {
	// Per-user NDCG of METRICS-SPEC.md §3.1 (groups F and M) and a second
	// metric; the seventh user has no relevant item. Hand-computed: the
	// exact permutation p-values are 2/20 and 6/20 (METRICS-SPEC.md §6.2),
	// the Kruskal–Wallis H 3.8571 (§3.3) and 2.3333 / (1 − 30/210), and
	// the q-values Benjamini–Hochberg over the six tests.
	table := fairness.PerUser{
		{Name: "ndcg@10", Values: []float64{0.9, 0.8, 0.7, 0.3, 0.4, 0.6, math.NaN()}},
		{Name: "recall@10", Values: []float64{1, 1, 0.5, 0.5, 0, 0.5, math.NaN()}},
	}
	groups := []fairness.Grouping{{Attribute: "gender", Levels: []string{"F", "M"}, Codes: []int32{0, 0, 0, 1, 1, 1, 0}}}
	a := fairness.Analyze(table, groups, fairness.AnalyzeConfig{Seed: 1})
	for _, c := range a.Comparisons {
		fmt.Printf("%s by %s: highest %s, lowest %s\n", c.Metric, c.Attribute, c.Highest, c.Lowest)
		for _, g := range c.Groups {
			fmt.Printf("  %s: %.4f (n %d, excluded %d)\n", g.Group, float64(g.Value), g.N, g.Excluded)
		}
		for _, d := range c.Disparities {
			fmt.Printf("  %s %.4f: %s p = %.2f, q = %.2f\n", d.Aggregator, float64(d.Estimate), d.Test.Method, float64(d.Test.P), float64(d.Test.Q))
		}
		fmt.Printf("  Kruskal-Wallis H = %.4f\n", float64(c.KruskalWallis.Statistic))
	}
	// Output:
	// ndcg@10 by gender: highest F, lowest M
	//   F: 0.8000 (n 3, excluded 1)
	//   M: 0.4333 (n 3, excluded 0)
	//   max-min-diff 0.3667: exact-permutation p = 0.10, q = 0.15
	//   min-max-ratio 0.5417: exact-permutation p = 0.10, q = 0.15
	//   Kruskal-Wallis H = 3.8571
	// recall@10 by gender: highest F, lowest M
	//   F: 0.8333 (n 3, excluded 1)
	//   M: 0.3333 (n 3, excluded 0)
	//   max-min-diff 0.5000: exact-permutation p = 0.30, q = 0.30
	//   min-max-ratio 0.4000: exact-permutation p = 0.30, q = 0.30
	//   Kruskal-Wallis H = 2.7222
}

func ExampleAdjustBH() {
	// Correct the tests of two analyses (or of a whole audit) together
	// (METRICS-SPEC.md §6.3 example).
	var tests []*fairness.Test
	for _, p := range []float64{0.010, 0.001, 0.039, 0.041, 0.042, 0.060, 0.074, 0.205} {
		tests = append(tests, &fairness.Test{P: fairness.Float(p)})
	}
	fairness.AdjustBH(tests)
	for _, t := range tests {
		fmt.Printf("%.4f ", float64(t.Q))
	}
	fmt.Println()
	// Output:
	// 0.0400 0.0080 0.0672 0.0672 0.0672 0.0800 0.0846 0.2050
}

func ExampleAnalyzeConfig_PermutationResamples() {
	var cfg fairness.AnalyzeConfig
	for _, n := range []int{5000, 20000, 100000} {
		fmt.Println(n, cfg.PermutationResamples(n))
	}
	// Output:
	// 5000 10000
	// 20000 5000
	// 100000 1000
}

func ExampleFloat() {
	b, _ := json.Marshal(struct {
		Value fairness.Float     `json:"value"`
		CI    fairness.Interval2 `json:"ci"`
	}{fairness.Float(0.25), fairness.Interval2{fairness.Float(math.NaN()), 1}})
	os.Stdout.Write(append(b, '\n'))
	// Output:
	// {"value":0.25,"ci":[null,1]}
}

func ExampleBootstrap_SumReplicates() {
	// Exposure each of four users' lists gives to two provider groups:
	// group 0 gets 3.13 of 6.52 in total.
	rows := fairness.SparseRows{
		Offsets: []int64{0, 2, 3, 5, 6},
		Cols:    []int32{0, 1, 0, 0, 1, 1},
		Values:  []float64{1, 0.63, 1.63, 0.5, 1.13, 1.63},
		NumCols: 2,
	}
	tot := rows.Totals(nil)
	reps := fairness.Bootstrap{B: 2000, Src: rand.NewPCG(1, 1)}.SumReplicates(nil, rows)
	share := make([]float64, 2000)
	for b := range share {
		share[b] = reps[2*b] / (reps[2*b] + reps[2*b+1])
	}
	lo, hi := fairness.PercentileInterval(share, 0.05)
	est := tot[0] / (tot[0] + tot[1])
	fmt.Printf("share of group 0: %.3f [%.3f, %.3f]\n", est, lo, hi)
	fmt.Printf("p(share = 0.5) = %.3f\n", fairness.BootstrapPValue(est, 0.5, share))
	// Output:
	// share of group 0: 0.480 [0.153, 0.827]
	// p(share = 0.5) = 0.895
}

func ExampleBootstrapPValue() {
	// Replicates of an estimate of 0.5; the null value 0.3 is as far from
	// the estimate as three of the four replicates are from it.
	fmt.Printf("%.2f\n", fairness.BootstrapPValue(0.5, 0.3, []float64{0.45, 0.75, 0.2, 0.9}))
	// Output:
	// 0.80
}
