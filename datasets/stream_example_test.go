package datasets_test

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"

	"github.com/recaudit/recaudit/datasets"
)

// Stream the lists of a file sorted by user, two rows per record batch:
// user 1's list spans two batches and is yielded whole, in rank order.
func ExampleOpenListReader() {
	dir, _ := os.MkdirTemp("", "lists")
	defer os.RemoveAll(dir)
	path := filepath.Join(dir, "recs.arrow")
	err := datasets.WriteExampleRecs(path,
		[]int64{1, 1, 1, 2},
		[]string{"b", "a", "c", "a"},
		[]int64{2, 1, 3, 1}, 2)
	if err != nil {
		fmt.Println(err)
		return
	}
	users, _ := datasets.NewIntIDs([]int64{1, 2})
	items, _ := datasets.NewStringIDs([]string{"a", "b", "c"})
	lr, err := datasets.OpenListReader(path, users, items)
	if err != nil {
		fmt.Println(err)
		return
	}
	defer lr.Close()
	for lr.Next() {
		c := lr.Chunk()
		for i := range c.Len() {
			var names []string
			for _, it := range c.List(i) {
				names = append(names, items.Str(it))
			}
			fmt.Println(lr.Runs()[c.Runs[i]].System, users.Int(c.Users[i]), names)
		}
	}
	fmt.Println(lr.Err())
	// Output:
	// recs 1 [a b c]
	// recs 2 [a]
	// <nil>
}

// A file whose lists are split is not streamable: the error wraps
// ErrUnsorted, and ReadRecommendations reads it whole instead.
func ExampleErrUnsorted() {
	dir, _ := os.MkdirTemp("", "lists")
	defer os.RemoveAll(dir)
	path := filepath.Join(dir, "recs.arrow")
	_ = datasets.WriteExampleRecs(path, []int64{1, 2, 1}, []string{"a", "a", "b"}, []int64{1, 1, 2}, 10)
	users, _ := datasets.NewIntIDs([]int64{1, 2})
	items, _ := datasets.NewStringIDs([]string{"a", "b"})
	lr, err := datasets.OpenListReader(path, users, items)
	if err != nil {
		fmt.Println(err)
		return
	}
	defer lr.Close()
	for lr.Next() {
	}
	fmt.Println(errors.Is(lr.Err(), datasets.ErrUnsorted))
	rks, err := datasets.ReadRecommendations(path, users, items)
	fmt.Println(err, rks[0].Items)
	// Output:
	// true
	// <nil> [0 1 0]
}
