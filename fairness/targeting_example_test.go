package fairness_test

import (
	"fmt"

	"github.com/recaudit/recaudit/fairness"
)

// Items 1 and 3 are flagged (say, high-cost credit). Four users; the
// third has no list.
var (
	targetingExFlagged = []bool{false, true, false, true}
	targetingExLists   = fairness.Rankings{Offsets: []int64{0, 4, 6, 6, 7}, Items: []int32{1, 0, 3, 2, 0, 2, 3}}
)

func ExampleTargetingShareTo() {
	fmt.Println(fairness.TargetingShareTo(nil, targetingExLists, 2, targetingExFlagged))
	// Output: [0.5 0 0 0.5]
}

func ExampleTargetingShownTo() {
	fmt.Println(fairness.TargetingShownTo(nil, targetingExLists, 4, targetingExFlagged))
	// Output: [1 0 0 1]
}

func ExampleTargetingExposureTo() {
	v := fairness.TargetingExposureTo(nil, targetingExLists, targetingExFlagged, fairness.Exposure{Cutoff: 4})
	fmt.Printf("%.4f\n", v)
	// Output: [0.5856 0.0000 0.0000 0.3904]
}

func ExampleTargetingRates() {
	// Users 0 and 1 are in group 0, users 2 and 3 in group 1.
	shown := fairness.TargetingShownTo(nil, targetingExLists, 4, targetingExFlagged)
	share := fairness.TargetingShareTo(nil, targetingExLists, 4, targetingExFlagged)
	for _, v := range [][]float64{shown, share} {
		r := fairness.TargetingRates(v, []int32{0, 0, 1, 1}, 2, nil)
		fmt.Printf("rates %.3f, most %d, least %d, ratio %.2f\n", r.Rates, r.Most, r.Least, r.Ratio)
	}
	// Output:
	// rates [0.500 0.500], most 0, least 0, ratio 1.00
	// rates [0.250 0.125], most 0, least 1, ratio 2.00
}
