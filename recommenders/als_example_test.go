package recommenders_test

import (
	"context"
	"fmt"

	"github.com/recaudit/recaudit/datasets"
	"github.com/recaudit/recaudit/recommenders"
)

// twoGroups returns 6 users × 6 items in two taste groups: users 0-2 like
// items 0-2, users 3-5 items 3-5; each user has seen two or three of them.
func twoGroups() *recommenders.TrainView {
	return &recommenders.TrainView{Interactions: datasets.CSR{
		Rows: 6, NumCols: 6,
		Offsets: []int64{0, 2, 5, 7, 9, 12, 14},
		Cols:    []int32{0, 1, 0, 1, 2, 0, 2, 3, 4, 3, 4, 5, 4, 5},
	}}
}

func ExampleALS() {
	ctx := context.Background()
	a := recommenders.NewALS(recommenders.ALS{Factors: 2, Alpha: 10, Reg: 0.1, Seed: 1})
	if err := a.Fit(ctx, twoGroups()); err != nil {
		fmt.Println(err)
		return
	}
	recs, err := a.Recommend(ctx, []int32{0, 3, 5}, 2)
	if err != nil {
		fmt.Println(err)
		return
	}
	// Each user's missing item of their group comes first.
	for _, u := range []int{0, 3, 5} {
		fmt.Printf("user %d: %v\n", u, recs.List(u)[:1])
	}
	// Output:
	// user 0: [2]
	// user 3: [5]
	// user 5: [3]
}

func ExampleALS_Validate() {
	fmt.Println((&recommenders.ALS{CGSteps: -1}).Validate())
	// Output:
	// recommenders: ALS.CGSteps = -1, want >= 1 (0 means 3)
}
