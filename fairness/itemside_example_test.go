package fairness_test

import (
	"fmt"

	"github.com/recaudit/recaudit/fairness"
)

// The example of METRICS-SPEC.md §4.8: X = {x1,x2,x3} = items 0..2
// (group 0), Y = {y1,y2,y3} = items 3..5 (group 1); train u1 {x1},
// u2 {y1}; test u1 {x2,y2}, u2 {x3}; lists u1 [x2,x3], u2 [x3,y2].
var (
	itemsideExLists = fairness.Rankings{Offsets: []int64{0, 2, 4}, Items: []int32{1, 2, 2, 4}}
	itemsideExTrain = fairness.Rankings{Offsets: []int64{0, 1, 2}, Items: []int32{0, 3}}
	itemsideExTest  = fairness.Relevance{Offsets: []int64{0, 2, 3}, Items: []int32{1, 4, 2}}
	itemsideExGroup = []int32{0, 0, 0, 1, 1, 1}
)

func ExampleRSP() {
	rsp, probs := fairness.RSP(itemsideExLists, 0, itemsideExTrain, itemsideExGroup, 2, fairness.StdPopulation)
	sample, _ := fairness.RSP(itemsideExLists, 0, itemsideExTrain, itemsideExGroup, 2, fairness.StdSample)
	fmt.Printf("RSP %.4f (sample std %.4f), P(R|g) %.1f\n", rsp, sample, probs)
	// Output: RSP 0.5000 (sample std 0.7071), P(R|g) [0.6 0.2]
}

func ExampleREO() {
	reo, probs := fairness.REO(itemsideExLists, 0, itemsideExTrain, itemsideExTest, itemsideExGroup, 2, fairness.StdPopulation)
	fmt.Printf("REO %.4f, P(R|g,y=1) %.1f\n", reo, probs)
	// Output: REO 1.0000, P(R|g,y=1) [1.0 0.0]
}

func ExampleGCE() {
	pf := []float64{0.5, 0.5}
	pm := []float64{0.7, 0.3}
	for _, beta := range []float64{2, 0.5, -1} {
		fmt.Printf("β %4.1f: %.4f\n", beta, fairness.GCE(pf, pm, beta, fairness.GCEOptions{}))
	}
	fmt.Printf("smoothed: %.5f\n", fairness.GCE(pf, pm, 2, fairness.GCEOptions{H: 0.95}))
	// Output:
	// β  2.0: -0.0952
	// β  0.5: -0.0844
	// β -1.0: -0.0800
	// smoothed: -0.09524
}

func ExampleBiasDisparity() {
	// Items 0..2 in category 0, item 3 in category 1 (P(C) = 0.75, 0.25).
	// One user group of two users trained on (3 of C0, 2 of C1) and
	// recommended (3 of C0, 1 of C1).
	train := fairness.Rankings{Offsets: []int64{0, 4, 5}, Items: []int32{0, 1, 2, 3, 3}}
	lists := fairness.Rankings{Offsets: []int64{0, 3, 4}, Items: []int32{0, 1, 2, 3}}
	t := fairness.BiasDisparity(train, lists, 0, []int32{0, 0}, []int32{0, 0, 0, 1}, 1, 2)
	for c := range 2 {
		bs, br, bd := t.At(0, c)
		fmt.Printf("C%d: B_S %.2f B_R %.2f BD %.4f\n", c, bs, br, bd)
	}
	// Output:
	// C0: B_S 0.80 B_R 1.00 BD 0.2500
	// C1: B_S 1.60 B_R 1.00 BD -0.3750
}
