package audit_test

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"

	"github.com/recaudit/recaudit/audit"
	"github.com/recaudit/recaudit/datasets"
	"github.com/recaudit/recaudit/fairness"
	"github.com/recaudit/recaudit/recommenders"
)

// shop returns a small hand-made dataset: 40 users with a gender and an
// age, 6 items from two kinds of provider, one of them a credit offer;
// user u interacted with items u%6, (u+1)%6 and (u+3)%6.
func shop() *datasets.Dataset {
	const nu, ni = 40, 6
	uid := make([]int64, nu)
	for i := range uid {
		uid[i] = int64(i + 1)
	}
	users, _ := datasets.NewIntIDs(uid)
	items, _ := datasets.NewIntIDs([]int64{1, 2, 3, 4, 5, 6})
	gender := datasets.Column{Name: "gender", Role: datasets.RoleSensitive, Kind: datasets.Categorical, Levels: []string{"F", "M"}, Codes: make([]int32, nu)}
	age := datasets.Column{Name: "age", Role: datasets.RoleSensitive, Kind: datasets.Numeric, Floats: make([]float64, nu)}
	m := datasets.CSR{Rows: nu, NumCols: ni, Offsets: make([]int64, nu+1)}
	for u := range nu {
		gender.Codes[u] = int32(u % 2)
		age.Floats[u] = float64(18 + u)
		row := []int32{int32(u % 6), int32((u + 1) % 6), int32((u + 3) % 6)}
		if row[0] > row[1] {
			row[0], row[1] = row[1], row[0]
		}
		if row[1] > row[2] {
			row[1], row[2] = row[2], row[1]
		}
		if row[0] > row[1] {
			row[0], row[1] = row[1], row[0]
		}
		m.Cols = append(m.Cols, row...)
		m.Offsets[u+1] = int64(len(m.Cols))
	}
	return &datasets.Dataset{
		Users: users, Items: items, Interactions: m,
		UserColumns: []datasets.Column{gender, age},
		ItemColumns: []datasets.Column{
			{Name: "provider_type", Role: datasets.RoleItemGroup, Kind: datasets.Categorical, Levels: []string{"brand", "independent"}, Codes: []int32{0, 0, 1, 1, 1, 1}},
			{Name: "category", Role: datasets.RoleItemGroup, Kind: datasets.MultiCategorical, Levels: []string{"books", "finance"},
				Offsets: []int32{0, 1, 2, 4, 5, 6, 7}, Codes: []int32{0, 1, 0, 1, 0, 0, 1}},
			{Name: "high_cost_credit", Role: datasets.RoleFlag, Kind: datasets.Bool, Bools: []bool{false, true, false, false, false, false}},
		},
	}
}

func ExampleNewUserGroups() {
	d := shop()
	// Ages 18 to 57 in three bins; the last bin is closed.
	g, err := audit.NewUserGroups(d, "age", audit.Binning{Edges: []float64{18, 30, 45, 60}}, 0)
	if err != nil {
		fmt.Println(err)
		return
	}
	for i, l := range g.Levels {
		fmt.Printf("%s: %d users\n", l, g.Sizes[i])
	}
	// Output:
	// [18,30): 12 users
	// [30,45): 15 users
	// [45,60]: 13 users
}

func ExampleSuppress() {
	// 12 users in group a, 3 in b, 11 in c: b is below the minimum of 10,
	// and c is suppressed with it so that b's size cannot be derived from
	// the total.
	codes := make([]int32, 0, 26)
	for g, n := range []int{12, 3, 11} {
		for range n {
			codes = append(codes, int32(g))
		}
	}
	g := audit.Suppress("attr", []string{"a", "b", "c"}, codes, 0)
	fmt.Println(g.Levels, g.Sizes)
	for _, s := range g.Suppressed {
		fmt.Printf("%s: %s\n", s.Group, s.Reason)
	}
	// Output:
	// [a] [12]
	// b: fewer than 10 users
	// c: suppressed to protect a smaller group
}

func ExampleIntersect() {
	d := shop()
	gender, _ := audit.NewUserGroups(d, "gender", audit.Binning{}, 0)
	age, _ := audit.NewUserGroups(d, "age", audit.Binning{Edges: []float64{18, 38, 60}}, 0)
	x := audit.Intersect(0, gender, age)
	fmt.Println(x.Attribute)
	for i, l := range x.Levels {
		fmt.Printf("%s: %d users\n", l, x.Sizes[i])
	}
	// Output:
	// gender × age
	// F × [18,38): 10 users
	// F × [38,60]: 10 users
	// M × [18,38): 10 users
	// M × [38,60]: 10 users
}

func ExampleNewItemGroups() {
	d := shop()
	// Item 3 is in books and finance: it counts 1/2 in each.
	g, err := audit.NewItemGroups(d, "category")
	if err != nil {
		fmt.Println(err)
		return
	}
	for i, l := range g.Levels {
		fmt.Printf("%s: %.1f items\n", l, g.Items[i])
	}
	// Output:
	// books: 3.5 items
	// finance: 2.5 items
}

func ExampleScore() {
	d := shop()
	split := datasets.Split{Kind: datasets.SplitLeaveNOut, N: 1, Seed: 1}
	train, test, st, err := split.Apply(&d.Interactions)
	if err != nil {
		fmt.Println(err)
		return
	}
	groups, err := audit.NewGroups(d, audit.GroupsConfig{Sensitive: []string{"gender"}})
	if err != nil {
		fmt.Println(err)
		return
	}
	// The recommender sees the training interactions and item attributes
	// only; the groups reach the scoring stage alone.
	users := make([]int32, d.Users.Len())
	for u := range users {
		users[u] = int32(u)
	}
	lists, _, err := recommenders.Run(context.Background(), &recommenders.Popular{},
		&recommenders.TrainView{Interactions: train, ItemColumns: d.ItemColumns}, users, nil, 3)
	if err != nil {
		fmt.Println(err)
		return
	}
	cfg := audit.Config{Cutoffs: []int{3}, Analyze: fairness.AnalyzeConfig{Seed: 1, BootstrapB: 200, PermutationB: 500}}
	res, err := audit.Score(context.Background(), audit.Input{Dataset: d, Train: &train, Test: &test}, groups,
		audit.System{Name: "popular", Rankings: lists}, cfg)
	if err != nil {
		fmt.Println(err)
		return
	}
	r := audit.NewResult("example", "shop", d, split, st, groups, cfg, 1)
	r.Systems = append(r.Systems, res)
	r.Finalize()

	// The catalogue shares are 2/6 and 4/6 (hand-computed); the other
	// values depend on the random leave-one-out split of seed 1.
	for _, m := range res.Metrics {
		if m.Name == "precision@3" || m.Name == "coverage@3" {
			fmt.Printf("%s: %.3f (%s)\n", m.Name, float64(m.Value), m.Level)
		}
	}
	for _, ea := range res.Provider {
		if ea.Attribute == "provider_type" {
			for _, g := range ea.Groups {
				fmt.Printf("%s: exposure share %.3f, catalogue %.3f\n", g.Group, float64(g.Share.Value), float64(g.Catalogue))
			}
		}
	}
	var buf bytes.Buffer
	if err := audit.WriteJSON(&buf, r); err != nil {
		fmt.Println(err)
		return
	}
	back, err := audit.ReadJSON(&buf)
	fmt.Println(back.SchemaVersion, back.Systems[0].Name, err)
	// Output:
	// precision@3: 0.217 (user)
	// coverage@3: 0.833 (catalogue)
	// brand: exposure share 0.433, catalogue 0.333
	// independent: exposure share 0.567, catalogue 0.667
	// 1 popular <nil>
}

func ExampleFileProvenance() {
	dir, _ := os.MkdirTemp("", "provenance")
	defer os.RemoveAll(dir)
	path := filepath.Join(dir, "interactions.csv")
	os.WriteFile(path, []byte("abc"), 0o666)
	f, err := audit.FileProvenance("interactions", path)
	fmt.Println(f.Role, f.Bytes, f.SHA256, err)
	// Output:
	// interactions 3 ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad <nil>
}

func ExampleMetricLabel() {
	for _, c := range []string{"ndcg@10", "calibration_kl@20", "high_cost_credit_share@10"} {
		fmt.Println(audit.MetricLabel(c))
	}
	// Output:
	// NDCG@10
	// Miscalibration (C_KL)@20
	// Share of high_cost_credit items@10
}
