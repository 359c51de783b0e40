package fairness_test

import (
	"fmt"

	"github.com/recaudit/recaudit/fairness"
)

// The genres of the METRICS-SPEC.md §0 toy data: items A..H = 0..7,
// categories action 0, comedy 1, drama 2, romance 3, documentary 4.
var calibrationExGenres = fairness.ItemCategories{
	Offsets: []int64{0, 1, 3, 4, 5, 7, 8, 9, 10},
	Codes:   []int32{0, 0, 1, 2, 1, 2, 3, 3, 0, 4},
}

func ExampleItemCategories() {
	// Item B (1) is action and comedy.
	c := calibrationExGenres
	fmt.Println(c.Codes[c.Offsets[1]:c.Offsets[2]])
	// Output: [0 1]
}

func ExampleCategoryDistributionTo() {
	// User u1's history {A, G, B, F}.
	fmt.Println(fairness.CategoryDistributionTo(nil, []int32{0, 6, 1, 5}, nil, calibrationExGenres, 5))
	// Output: [0.625 0.125 0 0.25 0]
}

func ExampleCalibrationKL() {
	history := []int32{0, 6, 1, 5} // {A, G, B, F}
	list := []int32{0, 1, 2, 3, 4} // [A, B, C, D, E]
	noRomance := []int32{0, 1, 2, 3, 2}
	rw := fairness.Exposure{}.WeightsTo(nil, 5, nil) // 1/log2(r+1)
	fmt.Printf("%.4f nats\n", fairness.CalibrationKL(history, nil, list, calibrationExGenres, 5, fairness.Calibration{}))
	fmt.Printf("%.4f bits\n", fairness.CalibrationKL(history, nil, list, calibrationExGenres, 5, fairness.Calibration{Unit: fairness.Bits}))
	fmt.Printf("%.4f rank-weighted\n", fairness.CalibrationKL(history, nil, list, calibrationExGenres, 5, fairness.Calibration{RankWeights: rw}))
	fmt.Printf("%.4f without romance\n", fairness.CalibrationKL(history, nil, noRomance, calibrationExGenres, 5, fairness.Calibration{}))
	fmt.Printf("%.4f without romance, α = 0.001\n", fairness.CalibrationKL(history, nil, noRomance, calibrationExGenres, 5, fairness.Calibration{Alpha: 0.001}))
	// Output:
	// 0.5686 nats
	// 0.8204 bits
	// 0.4482 rank-weighted
	// 1.4946 without romance
	// 2.0756 without romance, α = 0.001
}

func ExampleCalibrationTo() {
	// User 0 is u1; user 1 has no history (NaN).
	history := fairness.Rankings{Offsets: []int64{0, 4, 4}, Items: []int32{0, 6, 1, 5}}
	lists := fairness.Rankings{Offsets: []int64{0, 5, 10}, Items: []int32{0, 1, 2, 3, 4, 0, 1, 2, 3, 4}}
	fmt.Printf("%.4f\n", fairness.CalibrationTo(nil, history, nil, lists, calibrationExGenres, 5, fairness.Calibration{}))
	// Output: [0.5686 NaN]
}
