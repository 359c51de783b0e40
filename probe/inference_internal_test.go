package probe

import (
	"math"
	"math/rand/v2"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
	"github.com/recaudit/recaudit/fairness"
)

func TestInferenceFeatures(t *testing.T) {
	const tol = 1e-12
	// Four items, three categories: item 0 in {0}, item 1 in {0, 2}, item 2
	// in none, item 3 in {1}.
	in := InferenceInput{
		Lists: fairness.Rankings{
			Offsets: []int64{0, 3, 3, 7},
			// User 0: 1, 0, 3. User 1: no list. User 2: 3, 9 (outside the
			// catalogue), 3 again, 2.
			Items: []int32{1, 0, 3, 3, 9, 3, 2},
		},
		NumItems:      4,
		Categories:    fairness.ItemCategories{Offsets: []int64{0, 1, 3, 3, 4}, Codes: []int32{0, 0, 2, 1}},
		NumCategories: 3,
	}
	l2, l3, l4 := 1/math.Log2(3), 1/math.Log2(4), 1/math.Log2(5)
	for _, tc := range []struct {
		name    string
		c       Inference
		want    Sparse
		hasList []bool
	}{
		{
			// Hand-computed: user 0's items 1, 0, 3 count 1 each; category
			// 0 gets ½ (item 1) + 1 (item 0), category 1 gets 1 (item 3),
			// category 2 gets ½ (item 1). User 2: item 3 once, item 2;
			// category 1 gets 1.
			name: "items and categories", c: Inference{},
			want: Sparse{Rows: 3, Cols: 7, Offsets: []int64{0, 6, 6, 9},
				Indices: []int32{1, 0, 3, 4, 5, 6, 3, 2, 5},
				Values:  []float64{1, 1, 1, 1.5, 1, 0.5, 1, 1, 1}},
			hasList: []bool{true, false, true},
		},
		{
			// Hand-computed with weights 1/log2(r+1): user 0 has 1, 1/log2 3,
			// 1/log2 4 at ranks 1..3, category 0 gets ½·1 + 1/log2 3.
			// User 2: item 3 at rank 1, item 2 at rank 4 (the repeat of
			// item 3 and the unknown item keep their ranks).
			name: "log ranks", c: Inference{Weighting: LogRanks},
			want: Sparse{Rows: 3, Cols: 7, Offsets: []int64{0, 6, 6, 9},
				Indices: []int32{1, 0, 3, 4, 5, 6, 3, 2, 5},
				Values:  []float64{1, l2, l3, 0.5 + l2, l3, 0.5, 1, l4, 1}},
			hasList: []bool{true, false, true},
		},
		{
			// K = 1: user 0 keeps item 1, user 2 item 3.
			name: "cutoff, items only", c: Inference{K: 1, Features: ItemsOnly},
			want: Sparse{Rows: 3, Cols: 4, Offsets: []int64{0, 1, 1, 2},
				Indices: []int32{1, 3}, Values: []float64{1, 1}},
			hasList: []bool{true, false, true},
		},
		{
			name: "categories only", c: Inference{Features: CategoriesOnly},
			want: Sparse{Rows: 3, Cols: 3, Offsets: []int64{0, 3, 3, 4},
				Indices: []int32{0, 1, 2, 1}, Values: []float64{1.5, 1, 0.5, 1}},
			hasList: []bool{true, false, true},
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			x, has := tc.c.features(in)
			if d := cmp.Diff(tc.want, x, cmpopts.EquateApprox(0, tol)); d != "" {
				t.Errorf("features (-want +got):\n%s", d)
			}
			if d := cmp.Diff(tc.hasList, has); d != "" {
				t.Errorf("hasList (-want +got):\n%s", d)
			}
		})
	}
	bad := in
	bad.NumCategories = 2
	if !infPanics(func() { Inference{}.features(bad) }) {
		t.Error("category code out of range: no panic")
	}
}

func TestInferenceStratify(t *testing.T) {
	// Classes of sizes 13, 7 and 30 over 5 folds: every fold gets 2 or 3
	// of the first, 1 or 2 of the second, exactly 6 of the third, and
	// folds differ in size by at most one.
	var y []int32
	for c, n := range []int{13, 7, 30} {
		for range n {
			y = append(y, int32(c))
		}
	}
	rand.New(rand.NewPCG(5, 5)).Shuffle(len(y), func(i, j int) { y[i], y[j] = y[j], y[i] })
	cv := &infCV{c: Inference{Folds: 5}, classes: 3}
	fold := cv.stratify(y, rand.New(rand.NewPCG(1, 1)))
	per := make([][3]int, 5)
	size := make([]int, 5)
	for k, f := range fold {
		per[f][y[k]]++
		size[f]++
	}
	for f := range 5 {
		if per[f][0] < 2 || per[f][0] > 3 || per[f][1] < 1 || per[f][1] > 2 || per[f][2] != 6 {
			t.Errorf("fold %d has class counts %v", f, per[f])
		}
		if size[f] < 10 || size[f] > 10 {
			t.Errorf("fold %d has %d users, want 10", f, size[f])
		}
	}
}
