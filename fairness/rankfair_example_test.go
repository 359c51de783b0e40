package fairness_test

import (
	"fmt"

	"github.com/recaudit/recaudit/fairness"
)

// The group sequence [A,A,B,A,B,B] of METRICS-SPEC.md §4.4 and §4.5 as
// items 0..5 with groups A = 0, B = 1, and the target (0.5, 0.5).
var (
	rankfairExList   = []int32{0, 1, 2, 3, 4, 5}
	rankfairExGroup  = []int32{0, 0, 1, 0, 1, 1}
	rankfairExTarget = []float64{0.5, 0.5}
)

func ExampleAWRF() {
	align := fairness.AlignmentOf(rankfairExGroup, 2)
	trec := fairness.Exposure{Model: fairness.ExposureClippedLog}
	fmt.Printf("%.4f nats, %.4f bits\n",
		fairness.AWRF(rankfairExList, align, rankfairExTarget, trec, fairness.Nats),
		fairness.AWRF(rankfairExList, align, rankfairExTarget, trec, fairness.Bits))
	// Output: 0.9909 nats, 0.9869 bits
}

func ExampleAWRFTo() {
	lists := fairness.Rankings{Offsets: []int64{0, 6, 9}, Items: []int32{0, 1, 2, 3, 4, 5, 2, 4, 0}}
	align := fairness.AlignmentOf(rankfairExGroup, 2)
	v := fairness.AWRFTo(nil, lists, align, rankfairExTarget, fairness.Exposure{Model: fairness.ExposureClippedLog}, fairness.Nats)
	fmt.Printf("%.4f\n", v)
	// Output: [0.9909 0.9631]
}

func ExampleListGroupSharesTo() {
	fmt.Printf("%.4f\n", fairness.ListGroupSharesTo(nil, rankfairExList, rankfairExGroup, 2, 3))
	// Output: [0.6667 0.3333]
}

func ExampleSkewTo() {
	for _, k := range []int{1, 3, 6} {
		fmt.Printf("Skew@%d %.4f\n", k, fairness.SkewTo(nil, rankfairExList, rankfairExGroup, rankfairExTarget, k, 0))
	}
	// Output:
	// Skew@1 [0.6931 -Inf]
	// Skew@3 [0.2877 -0.4055]
	// Skew@6 [0.0000 0.0000]
}

func ExampleMinSkew() {
	fmt.Printf("%.4f\n", fairness.MinSkew(rankfairExList, rankfairExGroup, rankfairExTarget, 4, 0))
	// Output: -0.6931
}

func ExampleMaxSkew() {
	fmt.Printf("%.4f\n", fairness.MaxSkew(rankfairExList, rankfairExGroup, rankfairExTarget, 4, 0))
	// Output: 0.4055
}

func ExampleNDKL() {
	fmt.Printf("%.4f\n", fairness.NDKL(rankfairExList, rankfairExGroup, rankfairExTarget, 0))
	// FairRankTune: the list's own distribution as target, ε = 1e-7.
	self := fairness.ListGroupSharesTo(nil, rankfairExList, rankfairExGroup, 2, 0)
	fmt.Printf("%.4f\n", fairness.NDKL(rankfairExList, rankfairExGroup, self, 1e-7))
	// Output:
	// 0.3701
	// 0.3701
}

// rankfairExFlags is the ranking of METRICS-SPEC.md §4.6 (N = 30, P = 12).
func rankfairExFlags() []bool {
	var f []bool
	for _, c := range "100100010010010100001110110100" {
		f = append(f, c == '1')
	}
	return f
}

func ExampleRND() {
	fmt.Printf("paper %.4f, code %.4f\n",
		fairness.RND(rankfairExFlags(), fairness.RNDConfig{}),
		fairness.RND(rankfairExFlags(), fairness.RNDReferenceCode()))
	// Output: paper 0.2347, code 0.2360
}

func ExampleRKL() {
	fmt.Printf("exact %.4f, clipped %.4f\n",
		fairness.RKL(rankfairExFlags(), fairness.RNDConfig{}),
		fairness.RKL(rankfairExFlags(), fairness.RNDConfig{ClipShares: true}))
	// Output: exact 0.0390, clipped 0.0564
}

func ExampleRRD() {
	fmt.Printf("two-sided %.4f, one-sided %.4f\n",
		fairness.RRD(rankfairExFlags(), fairness.RNDConfig{}),
		fairness.RRD(rankfairExFlags(), fairness.RNDConfig{OneSided: true}))
	// Output: two-sided 0.0469, one-sided 0.3850
}

func ExampleRNDReferenceCode() {
	fmt.Printf("%+v\n", fairness.RNDReferenceCode())
	// Output: {Step:0 Discount:1 ClipShares:true OneSided:true}
}

func ExampleRNDConfig_Normalizer() {
	fmt.Printf("%.5f %.5f %.5f\n",
		fairness.RNDConfig{}.Normalizer(fairness.MeasureRND, 30, 12),
		fairness.RNDConfig{ClipShares: true}.Normalizer(fairness.MeasureRKL, 30, 12),
		fairness.RNDConfig{OneSided: true}.Normalizer(fairness.MeasureRRD, 30, 12))
	// Output: 0.22689 0.29413 0.32923
}

func ExampleFAIR_MTableTo() {
	fmt.Println(fairness.FAIR{P: 0.5, Alpha: 0.1}.MTableTo(nil, 10))
	fmt.Println(fairness.FAIR{P: 0.3, Alpha: 0.1}.MTableTo(nil, 10))
	// Output:
	// [0 0 0 1 1 1 2 2 3 3]
	// [0 0 0 0 0 0 1 1 1 1]
}

func ExampleFAIR_AdjustedAlpha() {
	f := fairness.FAIR{P: 0.25, Alpha: 0.1}
	unadjusted := f.MTableTo(nil, 20)
	fmt.Printf("unadjusted fails %.4f\n", fairness.FAIRFailProbability(unadjusted, f.P))
	alphaC, fail := f.AdjustedAlpha(20)
	f.Adjusted = true
	fmt.Printf("α_c %.4f fails %.4f %v\n", alphaC, fail, f.MTableTo(nil, 20))
	// Output:
	// unadjusted fails 0.1469
	// α_c 0.0751 fails 0.0897 [0 0 0 0 0 0 0 0 0 1 1 1 1 1 1 2 2 2 2 2]
}

func ExampleFAIRFailProbability() {
	table := fairness.FAIR{P: 0.2, Alpha: 0.15}.MTableTo(nil, 10)
	fmt.Printf("%.4f\n", fairness.FAIRFailProbability(table, 0.2))
	// Output: 0.1342
}

func ExampleFAIRFirstFailure() {
	table := fairness.FAIR{P: 0.5, Alpha: 0.1}.MTableTo(nil, 10)
	pass := []bool{false, true, false, false, true, false, true, false, false, true}
	fail := []bool{false, false, false, false, true}
	fmt.Println(fairness.FAIRFirstFailure(pass, table), fairness.FAIRFirstFailure(fail, table))
	// Output: 0 4
}

func ExampleFAIRPassRate() {
	table := fairness.FAIR{P: 0.5, Alpha: 0.1}.MTableTo(nil, 4)
	protected := []bool{true, false, true, false}
	// The second list is short: its missing positions are unprotected.
	lists := fairness.Rankings{Offsets: []int64{0, 4, 6}, Items: []int32{0, 1, 2, 3, 1, 3}}
	fmt.Println(fairness.FAIRPassRate(lists, protected, table, nil))
	// Output: 0.5
}

func ExampleKendallTau() {
	x := []float64{1, 2, 3, 4, 5}
	y := []float64{1, 3, 2, 4, 4}
	fmt.Printf("τ_a %.4f τ_b %.4f\n", fairness.KendallTau(x, y, fairness.TauA), fairness.KendallTau(x, y, fairness.TauB))
	// Output: τ_a 0.7000 τ_b 0.7379
}
