package recommenders_test

import (
	"context"
	"fmt"

	"github.com/recaudit/recaudit/recommenders"
)

func ExampleBPR() {
	ctx := context.Background()
	// Tiny data: an epoch draws 14 triples, so train for many epochs.
	m := recommenders.NewBPR(recommenders.BPR{Factors: 4, Epochs: 300, Seed: 1})
	if err := m.Fit(ctx, twoGroups()); err != nil {
		fmt.Println(err)
		return
	}
	recs, err := m.Recommend(ctx, []int32{0, 3, 5}, 1)
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, u := range []int{0, 3, 5} {
		fmt.Printf("user %d: %v\n", u, recs.List(u))
	}
	// Output:
	// user 0: [2]
	// user 3: [5]
	// user 5: [3]
}

func ExampleBPR_Validate() {
	fmt.Println((&recommenders.BPR{LearnRate: -0.5}).Validate())
	// Output:
	// recommenders: BPR.LearnRate = -0.5, want a finite number > 0 (0 means 0.05)
}
