package datasets_test

import (
	"errors"
	"fmt"

	"github.com/recaudit/recaudit/datasets"
)

// exampleInteractions returns 3 users × 4 items with timestamps:
//
//	user 0: items 0 1 2 3 at times 100 400 200 300
//	user 1: item  2       at time  150
//	user 2: items 1 3     at times 500 50
func exampleInteractions() *datasets.CSR {
	return &datasets.CSR{
		Rows: 3, NumCols: 4,
		Offsets: []int64{0, 4, 5, 7},
		Cols:    []int32{0, 1, 2, 3, 2, 1, 3},
		Times:   []int64{100, 400, 200, 300, 150, 500, 50},
	}
}

func printSplit(train, test datasets.CSR) {
	for u := range train.Rows {
		fmt.Printf("user %d: train %v test %v\n", u, train.Row(u), test.Row(u))
	}
}

// Hold out each user's most recent interaction. User 1 has a single
// interaction, fewer than the 2 that leave-last-out needs, so it stays in
// train.
func ExampleSplit_Apply() {
	train, test, st, err := datasets.Split{Kind: datasets.SplitLastN, N: 1}.Apply(exampleInteractions())
	if err != nil {
		fmt.Println(err)
		return
	}
	printSplit(train, test)
	fmt.Printf("users split %d, kept whole %d; train %d, test %d interactions\n",
		st.UsersSplit, st.UsersKeptWhole, st.TrainInteractions, st.TestInteractions)
	// Output:
	// user 0: train [0 2 3] test [1]
	// user 1: train [2] test []
	// user 2: train [3] test [1]
	// users split 2, kept whole 1; train 5, test 2 interactions
}

// A global temporal cut: everything from time 300 on is test data.
func ExampleSplit_temporalCutoff() {
	train, test, st, err := datasets.Split{Kind: datasets.SplitTemporalCutoff, Cutoff: 300}.Apply(exampleInteractions())
	if err != nil {
		fmt.Println(err)
		return
	}
	printSplit(train, test)
	fmt.Printf("users with test data %d, without %d\n", st.UsersSplit, st.UsersNoTest)
	// Output:
	// user 0: train [0 2] test [1 3]
	// user 1: train [2] test []
	// user 2: train [3] test [1]
	// users with test data 2, without 1
}

// The latest 40% of all interactions, globally: k = round(0.4·7) = 3, so
// the cutoff is the third latest time, 300.
func ExampleSplit_temporalFraction() {
	_, _, st, err := datasets.Split{Kind: datasets.SplitTemporalFraction, Fraction: 0.4}.Apply(exampleInteractions())
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Printf("cutoff %d: train %d, test %d\n", st.Cutoff, st.TrainInteractions, st.TestInteractions)
	// Output:
	// cutoff 300: train 4, test 3
}

// A seeded per-user random holdout: round(0.5·4) = 2 of user 0's items
// and round(0.5·2) = 1 of user 2's go to test. The same seed always
// selects the same items.
func ExampleSplit_random() {
	s := datasets.Split{Kind: datasets.SplitRandom, Fraction: 0.5, Seed: 1}
	_, test, st, err := s.Apply(exampleInteractions())
	if err != nil {
		fmt.Println(err)
		return
	}
	_, again, _, _ := s.Apply(exampleInteractions())
	for u := range test.Rows {
		fmt.Printf("user %d: %d test items\n", u, test.Len(u))
	}
	fmt.Println("same split again:", fmt.Sprint(test.Cols) == fmt.Sprint(again.Cols))
	fmt.Println("kept whole:", st.UsersKeptWhole)
	// Output:
	// user 0: 2 test items
	// user 1: 0 test items
	// user 2: 1 test items
	// same split again: true
	// kept whole: 1
}

// Temporal splits need timestamps; without them Apply returns an error.
func ExampleSplit_noTimestamps() {
	m := exampleInteractions()
	m.Times = nil
	_, _, _, err := datasets.Split{Kind: datasets.SplitLastN}.Apply(m)
	fmt.Println(errors.Is(err, datasets.ErrSchema))
	fmt.Println(err)
	// Output:
	// true
	// schema error: the last-n split needs interaction timestamps, but the interactions have none; fix: add a timestamp column (Unix seconds) to the interactions table, or use a random split (random or leave-n-out)
}
