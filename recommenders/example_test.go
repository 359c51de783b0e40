package recommenders_test

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"

	"github.com/recaudit/recaudit/datasets"
	"github.com/recaudit/recaudit/recommenders"
	"github.com/recaudit/recaudit/recommenders/all"
)

// shop is a small training view: 4 users × 5 items.
//
//	user 0: items 0, 1
//	user 1: items 0, 1, 2
//	user 2: items 1, 2, 3
//	user 3: no history
func shop() *recommenders.TrainView {
	m := datasets.CSR{
		Rows: 4, NumCols: 5,
		Offsets: []int64{0, 2, 5, 8, 8},
		Cols:    []int32{0, 1, 0, 1, 2, 1, 2, 3},
	}
	return &recommenders.TrainView{Interactions: m}
}

func printLists(r datasets.Rankings) {
	for u := 0; u < r.Users(); u++ {
		fmt.Printf("user %d: %v", u, r.List(u))
		if s := r.ListScores(u); len(s) > 0 {
			fmt.Printf(" %.3f", s)
		}
		fmt.Println()
	}
}

func ExampleRegistry() {
	reg := all.Default()
	// Parameters as the command line gives them.
	params, err := recommenders.ParseParams([]string{"neighbors=2", "shrink=0.5"})
	if err != nil {
		panic(err)
	}
	rec, err := reg.New("itemknn", params)
	if err != nil {
		panic(err)
	}
	knn := rec.(*recommenders.ItemKNN)
	fmt.Println(knn.Neighbors, knn.Shrink, knn.UseValues)

	_, err = reg.New("itemknn", recommenders.Params{"neighbors": 0})
	fmt.Println(err)
	fmt.Println(errors.Is(err, recommenders.ErrParam))

	_, err = reg.New("slim", nil)
	fmt.Println(err)
	// Output:
	// 2 0.5 false
	// recommenders: itemknn: parameter "neighbors": 0 is out of range [1, +inf)
	// true
	// recommenders: unknown algorithm "slim" (registered: als, bpr, ease, exec, file, itemknn, popular, random, userknn)
}

func ExampleRegistry_Lookup() {
	f, _ := all.Default().Lookup("itemknn")
	fmt.Println(f.Doc)
	for _, p := range f.Params {
		fmt.Printf("  %-11s %-6s default %-5s allowed %-9s %s\n", p.Name, p.Kind, p.DefaultString(), p.Allowed(), p.Doc)
	}
	// Output:
	// Item-based top-N with cosine similarity over the user-item matrix and Neighbors neighbours per item (Sarwar et al., WWW 2001; Deshpande and Karypis, TOIS 2004).
	//   neighbors   int    default 50    allowed [1, +inf) number of most similar items kept per item
	//   shrink      float  default 0     allowed [0, +inf) added to the cosine denominator; damps similarities from few common users
	//   use-values  bool   default false allowed any       weight by interaction values (ratings, counts) instead of 1
}

func ExampleParseParams() {
	// As written on the command line: strings, parsed by each
	// parameter's kind when the algorithm is resolved.
	p, err := recommenders.ParseParams([]string{"neighbors=20", "use-values=true"})
	fmt.Println(p, err)
	v, err := all.Default().Resolve("userknn", p)
	fmt.Println(v.Int("neighbors"), v.Float("shrink"), v.Bool("use-values"), err)
	fmt.Println(v.Settings())

	_, err = recommenders.ParseParams([]string{"neighbors"})
	fmt.Println(err)
	// Output:
	// map[neighbors:20 use-values:true] <nil>
	// 20 0 true <nil>
	// [neighbors=20 shrink=0 use-values=true]
	// recommenders: invalid parameter: "neighbors" is not of the form name=value
}

func ExamplePopular() {
	ctx := context.Background()
	rec := &recommenders.Popular{}
	if err := rec.Fit(ctx, shop()); err != nil {
		panic(err)
	}
	lists, err := rec.Recommend(ctx, []int32{0, 1, 2, 3}, 2)
	if err != nil {
		panic(err)
	}
	printLists(lists)
	// Output:
	// user 0: [2 3] [2.000 1.000]
	// user 1: [3] [1.000]
	// user 2: [0] [2.000]
	// user 3: [1 0] [3.000 2.000]
}

func ExampleRandom() {
	ctx := context.Background()
	rec := &recommenders.Random{Src: rand.NewPCG(1, 2)}
	if err := rec.Fit(ctx, shop()); err != nil {
		panic(err)
	}
	lists, err := rec.Recommend(ctx, []int32{0, 1, 2, 3}, 3)
	if err != nil {
		panic(err)
	}
	// Every list avoids the user's training items; user 1 has only two
	// items left.
	for u := 0; u < lists.Users(); u++ {
		fmt.Println(u, len(lists.List(u)))
	}
	// Output:
	// 0 3
	// 1 2
	// 2 2
	// 3 3
}

func ExampleItemKNN() {
	ctx := context.Background()
	rec := &recommenders.ItemKNN{Neighbors: 2}
	if err := rec.Fit(ctx, shop()); err != nil {
		panic(err)
	}
	nbrs, sims := rec.Neighbours(0)
	fmt.Printf("neighbours of item 0: %v %.3f\n", nbrs, sims)
	lists, err := rec.Recommend(ctx, []int32{0, 1, 2, 3}, 3)
	if err != nil {
		panic(err)
	}
	printLists(lists)
	// Output:
	// neighbours of item 0: [1 2] [0.816 0.500]
	// user 0: [2] [1.316]
	// user 1: [3] [0.707]
	// user 2: [0] [0.816]
	// user 3: []
}

func ExampleUserKNN() {
	ctx := context.Background()
	rec := &recommenders.UserKNN{Neighbors: 1}
	if err := rec.Fit(ctx, shop()); err != nil {
		panic(err)
	}
	lists, err := rec.Recommend(ctx, []int32{0, 1, 2, 3}, 3)
	if err != nil {
		panic(err)
	}
	printLists(lists)
	// Output:
	// user 0: [2] [0.816]
	// user 1: []
	// user 2: [0] [0.667]
	// user 3: []
}

func ExampleRun() {
	ctx := context.Background()
	consent := []bool{true, false, true, true} // user 1 did not consent
	lists, fallback, err := recommenders.Run(ctx, &recommenders.ItemKNN{}, shop(), []int32{0, 1, 2, 3}, consent, 2)
	if err != nil {
		panic(err)
	}
	for u := 0; u < lists.Users(); u++ {
		fmt.Println(u, lists.List(u), fallback[u])
	}
	// Output:
	// 0 [2 3] false
	// 1 [1 0] true
	// 2 [0] false
	// 3 [] false
}
