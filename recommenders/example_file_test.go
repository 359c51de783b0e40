package recommenders_test

import (
	"context"
	"os"
	"path/filepath"

	"github.com/recaudit/recaudit/datasets"
	"github.com/recaudit/recaudit/recommenders"
)

// The users and items of shop, with external IDs.
func shopIDs() (users, items *datasets.IDs) {
	users, _ = datasets.NewIntIDs([]int64{101, 102, 103, 104})
	items, _ = datasets.NewStringIDs([]string{"apple", "bread", "cheese", "dates", "eggs"})
	return users, items
}

func ExampleFile() {
	dir, err := os.MkdirTemp("", "example")
	if err != nil {
		panic(err)
	}
	defer os.RemoveAll(dir)
	// Lists an external system produced, in the dataset's IDs.
	path := filepath.Join(dir, "recs.csv")
	err = os.WriteFile(path, []byte(`user_id,item_id,rank
101,eggs,1
101,bread,2
101,dates,3
104,apple,1
`), 0o644)
	if err != nil {
		panic(err)
	}
	ctx := context.Background()
	rec := &recommenders.File{Path: path}
	rec.SetIDs(shopIDs())
	if err := rec.Fit(ctx, shop()); err != nil {
		panic(err)
	}
	lists, err := rec.Recommend(ctx, []int32{0, 1, 3}, 2)
	if err != nil {
		panic(err)
	}
	// The system's lists as written, cut to k = 2: bread is a training
	// item of user 0 and stays (set ExcludeTraining to drop it).
	printLists(lists)
	// Output:
	// user 0: [4 1]
	// user 1: []
	// user 2: []
	// user 3: [0]
}
