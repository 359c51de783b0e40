package datasets_test

import (
	"fmt"
	"os"
	"path/filepath"

	"github.com/recaudit/recaudit/datasets"
)

// Write one system's top-2 lists with a flag column as CSV, and read them
// back.
func ExampleWriteRecommendations() {
	dir, _ := os.MkdirTemp("", "recs")
	defer os.RemoveAll(dir)
	users, _ := datasets.NewIntIDs([]int64{7, 8})
	items, _ := datasets.NewStringIDs([]string{"x", "y", "z"})
	lists := datasets.Rankings{System: "pop", Offsets: []int64{0, 2, 4}, Items: []int32{2, 0, 2, 1}, Scores: []float64{9, 5, 9, 4}}
	fallback := datasets.UserFlag{Name: "fallback", Values: []bool{false, true}}
	path := filepath.Join(dir, "recs.csv")
	if err := datasets.WriteRecommendations(path, users, items, []datasets.Rankings{lists}, []datasets.UserFlag{fallback}); err != nil {
		fmt.Println(err)
		return
	}
	b, _ := os.ReadFile(path)
	fmt.Print(string(b))
	back, _ := datasets.ReadRecommendations(path, users, items)
	fmt.Println(back[0].System, back[0].List(0), back[0].List(1))
	// Output:
	// user_id,item_id,rank,score,system,fallback
	// 7,z,1,9.0,pop,false
	// 7,x,2,5.0,pop,false
	// 8,z,1,9.0,pop,true
	// 8,y,2,4.0,pop,true
	// pop [2 0] [2 1]
}
