package recommenders_test

import (
	"context"
	"fmt"

	"github.com/recaudit/recaudit/datasets"
	"github.com/recaudit/recaudit/recommenders"
)

// exampleTrain returns 4 users × 3 items:
// user 0 {0, 1}, user 1 {1, 2}, user 2 {0, 1, 2}, user 3 {2}.
func exampleTrain() *recommenders.TrainView {
	return &recommenders.TrainView{Interactions: datasets.CSR{
		Rows: 4, NumCols: 3,
		Offsets: []int64{0, 2, 4, 7, 8},
		Cols:    []int32{0, 1, 1, 2, 0, 1, 2, 2},
	}}
}

func ExampleEASE() {
	ctx := context.Background()
	e := recommenders.NewEASE(recommenders.EASE{Lambda: 1})
	if err := e.Fit(ctx, exampleTrain()); err != nil {
		fmt.Println(err)
		return
	}
	// The best unseen item of users 0, 1 and 3 (user 2 has seen all).
	recs, err := e.Recommend(ctx, []int32{0, 1, 3}, 1)
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, u := range []int{0, 1, 3} {
		fmt.Printf("user %d: item %v, score %.4f\n", u, recs.List(u), recs.ListScores(u))
	}
	// Scores of any items, seen ones included.
	fmt.Printf("user 3 scores: %.4f\n", e.Score(3, []int32{1, 2}, nil))
	// Output:
	// user 0: item [2], score [0.5000]
	// user 1: item [0], score [0.5000]
	// user 3: item [1], score [0.3636]
	// user 3 scores: [0.3636 0.0000]
}

func ExampleEASE_Validate() {
	e := &recommenders.EASE{Lambda: -1}
	fmt.Println(e.Validate())
	// Output:
	// recommenders: EASE.Lambda = -1, want a finite number > 0 (0 means 500)
}
