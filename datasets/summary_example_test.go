package datasets_test

import (
	"fmt"

	"github.com/recaudit/recaudit/datasets"
)

func ExampleSummarize() {
	// Three users and four items; user 0 saw items 0 and 1, user 1 item 0,
	// user 2 items 0, 2 and 3.
	users, _ := datasets.NewIntIDs([]int64{1, 2, 3})
	items, _ := datasets.NewIntIDs([]int64{100, 101, 102, 103})
	d := &datasets.Dataset{
		Users: users,
		Items: items,
		Interactions: datasets.CSR{
			Rows: 3, NumCols: 4,
			Offsets: []int64{0, 2, 3, 6},
			Cols:    []int32{0, 1, 0, 0, 2, 3},
		},
		UserColumns: []datasets.Column{{
			Name: "gender", Role: datasets.RoleSensitive, Kind: datasets.Categorical,
			Levels: []string{"f", "m"}, Codes: []int32{0, 1, 1},
		}},
	}
	s := datasets.Summarize(d)
	fmt.Printf("%d users, %d items, %d interactions, density %.2f\n", s.Users, s.Items, s.Interactions, s.Density)
	a := s.Activity
	fmt.Printf("per user: min %g, median %g, mean %g, max %g\n", a.Min, a.Median, a.Mean, a.Max)
	fmt.Printf("top items hold %.0f%% of interactions\n", 100*s.TopItemsShare)
	for _, g := range s.Groups {
		for i, level := range g.Levels {
			fmt.Printf("%s=%s: %d users\n", g.Column, level, g.Sizes[i])
		}
	}
	// Output:
	// 3 users, 4 items, 6 interactions, density 0.50
	// per user: min 1, median 2, mean 2, max 3
	// top items hold 50% of interactions
	// gender=f: 1 users
	// gender=m: 2 users
}
