package probe_test

import (
	"context"
	"fmt"
	"math/rand/v2"

	"github.com/recaudit/recaudit/fairness"
	"github.com/recaudit/recaudit/probe"
)

func ExampleInference_Run() {
	// 200 users, 40 items in two categories. Users of segment "a" are
	// recommended mostly items of category 0, those of "b" mostly items of
	// category 1: the lists reveal the segment. The users' "cohort" has
	// nothing to do with their lists.
	const users, items = 200, 40
	rng := rand.New(rand.NewPCG(1, 2))
	lists := fairness.Rankings{Offsets: []int64{0}}
	segment := make([]int32, users)
	cohort := make([]int32, users)
	for u := range users {
		segment[u], cohort[u] = int32(u%2), int32(rng.IntN(3))
		seen := map[int32]bool{}
		for len(seen) < 5 {
			it := int32(rng.IntN(items / 2))
			if (rng.Float64() < 0.7) == (segment[u] == 1) {
				it += items / 2 // category 1
			}
			if !seen[it] {
				seen[it] = true
				lists.Items = append(lists.Items, it)
			}
		}
		lists.Offsets = append(lists.Offsets, int64(len(lists.Items)))
	}
	cats := fairness.ItemCategories{Offsets: make([]int64, items+1)}
	for i := range int32(items) {
		cats.Codes = append(cats.Codes, i/(items/2))
		cats.Offsets[i+1] = int64(len(cats.Codes))
	}
	in := probe.InferenceInput{Lists: lists, NumItems: items, Categories: cats, NumCategories: 2}
	targets := []probe.InferenceTarget{
		{Grouping: fairness.Grouping{Attribute: "segment", Levels: []string{"a", "b"}, Codes: segment}},
		{Grouping: fairness.Grouping{Attribute: "cohort", Levels: []string{"x", "y", "z"}, Codes: cohort}},
	}
	res, err := probe.Inference{Src: rand.NewPCG(1, 1)}.Run(context.Background(), in, targets)
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, a := range res.Attributes {
		fmt.Printf("%s (%d classes, %d users): AUC %.2f, shuffled %.2f to %.2f, p %.2f: %v\n", a.Attribute,
			len(a.Classes), a.Users, a.AUC.Value, a.Shuffled.Min, a.Shuffled.Max, a.Test.P, a.Verdict)
	}
	// Output:
	// segment (2 classes, 200 users): AUC 0.91, shuffled 0.41 to 0.59, p 0.05: leaks
	// cohort (3 classes, 200 users): AUC 0.52, shuffled 0.40 to 0.55, p 0.15: no evidence
}
