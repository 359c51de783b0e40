package fairness_test

import (
	"fmt"

	"github.com/recaudit/recaudit/fairness"
)

// The ranking of METRICS-SPEC.md §4.1 as items 0..5 of one user:
// [a1(G0,1), a2(G0,1), b1(G1,1), a3(G0,0), b2(G1,1), b3(G1,0)].
var (
	exposureExLists = fairness.Rankings{Offsets: []int64{0, 6}, Items: []int32{0, 1, 2, 3, 4, 5}}
	exposureExGroup = []int32{0, 0, 1, 0, 1, 1}
	exposureExRel   = fairness.Relevance{Offsets: []int64{0, 4}, Items: []int32{0, 1, 2, 4}}
)

func ExampleRankings_List() {
	// Two users: user 0 was shown items 4, 2, 7; user 1 has no list.
	lists := fairness.Rankings{Offsets: []int64{0, 3, 3}, Items: []int32{4, 2, 7}}
	fmt.Println(lists.Users(), lists.List(0), lists.List(1))
	// Output: 2 [4 2 7] []
}

func ExampleRelevance_User() {
	// User 0 judged item 2 (grade 3) and item 5 (grade 1).
	rel := fairness.Relevance{Offsets: []int64{0, 2}, Items: []int32{2, 5}, Grades: []float64{3, 1}}
	items, grades := rel.User(0)
	fmt.Println(rel.Users(), items, grades)
	// Output: 1 [2 5] [3 1]
}

func ExampleExposureModel_String() {
	fmt.Println(fairness.ExposureLog, fairness.ExposureClippedLog, fairness.ExposureCascade)
	// Output: log clipped-log cascade
}

func ExampleExposure_Weight() {
	rbp := fairness.Exposure{Model: fairness.ExposureGeometric, Patience: 0.85}
	fmt.Printf("%.4f %.4f\n", fairness.Exposure{}.Weight(3), rbp.Weight(3))
	// Output: 0.5000 0.7225
}

func ExampleExposure_WeightsTo() {
	// The cascade model: each relevant item above halves the exposure
	// again (γ = u = 0.5).
	w := fairness.Exposure{Model: fairness.ExposureCascade}.WeightsTo(nil, 4, []bool{true, false, true, false})
	fmt.Println(w)
	// Output: [1 0.25 0.125 0.03125]
}

func ExampleItemExposureTo() {
	x := fairness.ItemExposureTo(nil, exposureExLists, 6, fairness.Exposure{}, fairness.Relevance{}, nil)
	fmt.Printf("%.4f\n", x)
	// Output: [1.0000 0.6309 0.5000 0.4307 0.3869 0.3562]
}

func ExampleItemClicksTo() {
	c := fairness.ItemClicksTo(nil, exposureExLists, 6, fairness.Exposure{}, exposureExRel, nil)
	fmt.Printf("%.4f\n", c)
	// Output: [1.0000 0.6309 0.5000 0.0000 0.3869 0.0000]
}

func ExampleItemMeritTo() {
	fmt.Println(fairness.ItemMeritTo(nil, exposureExRel, 6, nil))
	// Output: [1 1 1 0 1 0]
}

func ExampleGroupExposureTo() {
	x := fairness.ItemExposureTo(nil, exposureExLists, 6, fairness.Exposure{}, fairness.Relevance{}, nil)
	fmt.Printf("%.4f\n", fairness.GroupExposureTo(nil, x, exposureExGroup, 2))
	// Output: [2.0616 1.2431]
}

func ExampleGroupMeanExposureTo() {
	x := fairness.ItemExposureTo(nil, exposureExLists, 6, fairness.Exposure{}, fairness.Relevance{}, nil)
	fmt.Printf("%.4f\n", fairness.GroupMeanExposureTo(nil, x, exposureExGroup, 2))
	// Output: [0.6872 0.4144]
}

func ExampleAlignmentOf() {
	a := fairness.AlignmentOf([]int32{1, -1, 0}, 2)
	fmt.Println(a.Groups, a.Weights)
	// Output: 2 [0 1 0 0 1 0]
}

func ExampleGroupExposureAlignedTo() {
	// Item 1 belongs half to each group.
	align := fairness.Alignment{Groups: 2, Weights: []float64{1, 0, 0.5, 0.5, 0, 1}}
	fmt.Println(fairness.GroupExposureAlignedTo(nil, []float64{2, 1, 4}, align))
	// Output: [2.5 4.5]
}

func ExampleExposureSharesTo() {
	x := fairness.ItemExposureTo(nil, exposureExLists, 6, fairness.Exposure{Model: fairness.ExposureClippedLog}, fairness.Relevance{}, nil)
	fmt.Printf("%.4f\n", fairness.ExposureSharesTo(nil, fairness.GroupExposureTo(nil, x, exposureExGroup, 2)))
	// Output: [0.6332 0.3668]
}

func ExampleExposureParityRatio() {
	x := fairness.ItemExposureTo(nil, exposureExLists, 6, fairness.Exposure{}, fairness.Relevance{}, nil)
	// Mean exposure per item of group 1 over that of group 0.
	fmt.Printf("%.4f\n", fairness.ExposureParityRatio(x, exposureExGroup, 1, 0))
	// Output: 0.6030
}

func ExampleExposureParityDifference() {
	x := fairness.ItemExposureTo(nil, exposureExLists, 6, fairness.Exposure{}, fairness.Relevance{}, nil)
	fmt.Printf("%.4f\n", fairness.ExposureParityDifference(x, exposureExGroup, 0, 1))
	// Output: 0.2728
}

func ExampleDisparateTreatmentRatio() {
	merit := fairness.ItemMeritTo(nil, exposureExRel, 6, nil)
	for _, m := range []fairness.Exposure{{}, {Model: fairness.ExposureClippedLog}, {Model: fairness.ExposureGeometric}} {
		x := fairness.ItemExposureTo(nil, exposureExLists, 6, m, fairness.Relevance{}, nil)
		fmt.Printf("%v %.4f\n", m.Model, fairness.DisparateTreatmentRatio(x, merit, exposureExGroup, 0, 1))
	}
	// Output:
	// log 1.6585
	// clipped-log 1.7260
	// geometric 4.7273
}

func ExampleDisparateImpactRatio() {
	merit := fairness.ItemMeritTo(nil, exposureExRel, 6, nil)
	clicks := fairness.ItemClicksTo(nil, exposureExLists, 6, fairness.Exposure{}, exposureExRel, nil)
	fmt.Printf("%.4f\n", fairness.DisparateImpactRatio(clicks, merit, exposureExGroup, 0, 1))
	// Output: 1.8390
}

func ExampleExposurePerMeritTo() {
	x := fairness.ItemExposureTo(nil, exposureExLists, 6, fairness.Exposure{}, fairness.Relevance{}, nil)
	merit := fairness.ItemMeritTo(nil, exposureExRel, 6, nil)
	fmt.Printf("%.4f\n", fairness.ExposurePerMeritTo(nil, x, merit, exposureExGroup, 2))
	// Output: [1.0308 0.6215]
}

func ExampleTargetSharesTo() {
	merit := fairness.ItemMeritTo(nil, exposureExRel, 6, nil)
	group := []int32{0, 0, 1, 1, 1, -1}
	fmt.Printf("%.2f\n", fairness.TargetSharesTo(nil, fairness.TargetCatalog, group, 2, nil))
	fmt.Printf("%.2f\n", fairness.TargetSharesTo(nil, fairness.TargetMerit, group, 2, merit))
	fmt.Printf("%.2f\n", fairness.TargetSharesTo(nil, fairness.TargetUniform, group, 2, nil))
	// Output:
	// [0.40 0.60]
	// [0.50 0.50]
	// [0.50 0.50]
}

// exposureExShares returns the realised exposure shares (1/log2(r+1)) and the
// merit target of the §4.2 example.
func exposureExShares() (s, t []float64) {
	x := fairness.ItemExposureTo(nil, exposureExLists, 6, fairness.Exposure{}, fairness.Relevance{}, nil)
	s = fairness.ExposureSharesTo(nil, fairness.GroupExposureTo(nil, x, exposureExGroup, 2))
	t = fairness.TargetSharesTo(nil, fairness.TargetMerit, exposureExGroup, 2, fairness.ItemMeritTo(nil, exposureExRel, 6, nil))
	return s, t
}

func ExampleShareDifferencesTo() {
	s, t := exposureExShares()
	fmt.Printf("%.4f\n", fairness.ShareDifferencesTo(nil, s, t))
	// Output: [0.1238 -0.1238]
}

func ExampleShareRatiosTo() {
	s, t := exposureExShares()
	fmt.Printf("%.4f\n", fairness.ShareRatiosTo(nil, s, t))
	// Output: [1.2477 0.7523]
}

func ExampleL1Distance() {
	s, t := exposureExShares()
	fmt.Printf("%.4f\n", fairness.L1Distance(s, t))
	// Output: 0.2477
}

func ExampleKLDivergence() {
	s, t := exposureExShares()
	fmt.Printf("%.4f nats %.4f bits\n", fairness.KLDivergence(s, t, fairness.Nats), fairness.KLDivergence(s, t, fairness.Bits))
	// Output: 0.0310 nats 0.0447 bits
}

func ExampleJSDivergence() {
	s, t := exposureExShares()
	fmt.Printf("%.4f\n", fairness.JSDivergence(s, t, fairness.Nats))
	// Output: 0.0078
}

// The expected-exposure example of METRICS-SPEC.md §4.3: d1, d2 relevant,
// d3, d4 judged non-relevant, RBP with γ = 0.5.
var (
	exposureExJudged = []int32{0, 1, 2, 3}
	exposureExGrades = []float64{1, 1, 0, 0}
	exposureExRBP    = fairness.Exposure{Model: fairness.ExposureGeometric, Patience: 0.5}
)

func ExampleUserExpectedExposure() {
	// A policy that shows [d1,d2,d3,d4] and [d2,d1,d4,d3] equally often
	// meets the target; the deterministic first ranking does not.
	stochastic := fairness.Rankings{Offsets: []int64{0, 4, 8}, Items: []int32{0, 1, 2, 3, 1, 0, 3, 2}}
	deterministic := fairness.Rankings{Offsets: []int64{0, 4}, Items: []int32{0, 1, 2, 3}}
	for _, s := range []fairness.Rankings{stochastic, deterministic} {
		v := fairness.UserExpectedExposure(s, exposureExJudged, exposureExGrades, exposureExRBP)
		fmt.Printf("EE-L %.4f EE-D %.4f EE-R %.4f\n", v.L, v.D, v.R)
	}
	// Output:
	// EE-L 0.0000 EE-D 1.1953 EE-R 1.1953
	// EE-L 0.1328 EE-D 1.3281 EE-R 1.1953
}

func ExampleUserGroupExpectedExposure() {
	deterministic := fairness.Rankings{Offsets: []int64{0, 4}, Items: []int32{0, 1, 2, 3}}
	group := []int32{0, 1, 0, 1}
	v := fairness.UserGroupExpectedExposure(deterministic, exposureExJudged, exposureExGrades, group, 2, exposureExRBP, fairness.EEAllItems)
	fmt.Printf("EE-L %.4f EE-D %.4f EE-R %.4f\n", v.L, v.D, v.R)
	// Output: EE-L 0.1953 EE-D 1.9531 EE-R 1.7578
}

// exEE holds two users: user 0 with two sampled rankings (rows 0 and 1),
// user 1 with one (row 2).
var (
	exposureExEELists   = fairness.Rankings{Offsets: []int64{0, 4, 8, 12}, Items: []int32{0, 1, 2, 3, 1, 0, 3, 2, 0, 1, 2, 3}}
	exposureExEESamples = []int64{0, 2, 3}
	exposureExEERel     = fairness.Relevance{Offsets: []int64{0, 4, 8}, Items: []int32{0, 1, 2, 3, 0, 1, 2, 3}, Grades: []float64{1, 1, 0, 0, 1, 1, 0, 0}}
)

func ExampleExpectedExposureTo() {
	for _, v := range fairness.ExpectedExposureTo(nil, exposureExEELists, exposureExEESamples, exposureExEERel, exposureExRBP) {
		fmt.Printf("EE-L %.4f\n", v.L)
	}
	// Output:
	// EE-L 0.0000
	// EE-L 0.1328
}

func ExampleGroupExpectedExposureTo() {
	group := []int32{0, 1, 0, 1}
	for _, v := range fairness.GroupExpectedExposureTo(nil, exposureExEELists, exposureExEESamples, exposureExEERel, group, 2, exposureExRBP, fairness.EERelevantItems) {
		fmt.Printf("EE-L %.4f\n", v.L)
	}
	// Output:
	// EE-L 0.0000
	// EE-L 0.1250
}

func ExampleMeanExpectedExposure() {
	v := fairness.ExpectedExposureTo(nil, exposureExEELists, exposureExEESamples, exposureExEERel, exposureExRBP)
	m := fairness.MeanExpectedExposure(v, nil)
	fmt.Printf("EE-L %.4f EE-D %.4f EE-R %.4f\n", m.L, m.D, m.R)
	// Output: EE-L 0.0664 EE-D 1.2617 EE-R 1.1953
}
