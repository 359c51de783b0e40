package recommenders_test

import (
	"context"
	"math"
	"math/rand/v2"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/recaudit/recaudit/datasets"
	"github.com/recaudit/recaudit/recommenders"
	"github.com/recaudit/recaudit/recommenders/rectest"
)

const tol = 1e-12

// view builds a TrainView from rows of item indices.
func view(nItems int, rows ...[]int32) *recommenders.TrainView {
	m := datasets.CSR{Rows: len(rows), NumCols: nItems, Offsets: make([]int64, len(rows)+1), Cols: []int32{}}
	for u, r := range rows {
		m.Cols = append(m.Cols, r...)
		m.Offsets[u+1] = int64(len(m.Cols))
	}
	if msg := m.Validate(); msg != "" {
		panic(msg)
	}
	return &recommenders.TrainView{Interactions: m}
}

// threeUsers is the worked example of the KNN tests:
//
//	u0: {0, 1}   u1: {0, 1, 2}   u2: {1, 2, 3}
//
// Item columns: i0 {u0,u1}, i1 {u0,u1,u2}, i2 {u1,u2}, i3 {u2}; norms √2,
// √3, √2, 1. Co-occurrences (0,1)=2, (0,2)=1, (1,2)=2, (1,3)=1, (2,3)=1.
func threeUsers() *recommenders.TrainView {
	return view(4, []int32{0, 1}, []int32{0, 1, 2}, []int32{1, 2, 3})
}

type list struct {
	Items  []int32
	Scores []float64
}

func lists(r datasets.Rankings) []list {
	out := make([]list, r.Users())
	for u := range out {
		out[u] = list{Items: r.List(u), Scores: r.ListScores(u)}
	}
	return out
}

func fitRec(t *testing.T, r recommenders.Recommender, v *recommenders.TrainView, k int) []list {
	t.Helper()
	ctx := context.Background()
	if err := r.Fit(ctx, v); err != nil {
		t.Fatal(err)
	}
	users := make([]int32, v.NumUsers())
	for i := range users {
		users[i] = int32(i)
	}
	got, err := r.Recommend(ctx, users, k)
	if err != nil {
		t.Fatal(err)
	}
	return lists(got)
}

var approx = []cmp.Option{cmpopts.EquateApprox(0, tol), cmpopts.EquateEmpty()}

func TestItemKNNWorkedExample(t *testing.T) {
	s01, s02, s12, s13, s23 := 2/math.Sqrt(6), 0.5, 2/math.Sqrt(6), 1/math.Sqrt(3), 1/math.Sqrt(2)
	m := &recommenders.ItemKNN{Neighbors: 2}
	got := fitRec(t, m, threeUsers(), 10)
	// hand-computed: N(0) = {1: s01, 2: s02}; N(1) = {0: s01, 2: s12} (a tie,
	// broken by index; 3 at s13 dropped); N(2) = {1: s12, 3: s23};
	// N(3) = {2: s23, 1: s13}.
	wantNbrs := []list{
		{[]int32{1, 2}, []float64{s01, s02}},
		{[]int32{0, 2}, []float64{s01, s12}},
		{[]int32{1, 3}, []float64{s12, s23}},
		{[]int32{2, 1}, []float64{s23, s13}},
	}
	for j, want := range wantNbrs {
		items, sims := m.Neighbours(int32(j))
		if d := cmp.Diff(want, list{items, sims}, approx...); d != "" {
			t.Errorf("neighbours of %d (-want +got)\n%s", j, d)
		}
	}
	// hand-computed: u0 reaches 2 from 0 (s02) and from 1 (s12); u1 reaches
	// 3 from 2 only; u2 reaches 0 from 1 only.
	want := []list{
		{[]int32{2}, []float64{s02 + s12}},
		{[]int32{3}, []float64{s23}},
		{[]int32{0}, []float64{s01}},
	}
	if d := cmp.Diff(want, got, approx...); d != "" {
		t.Errorf("lists (-want +got)\n%s", d)
	}
}

func TestItemKNNShrinkAndValues(t *testing.T) {
	// Shrink 1: sim(0,1) = 2/(√6 + 1), hand-computed from the co-occurrence 2.
	m := &recommenders.ItemKNN{Neighbors: 3, Shrink: 1}
	fitRec(t, m, threeUsers(), 1)
	items, sims := m.Neighbours(0)
	if items[0] != 1 || math.Abs(sims[0]-2/(math.Sqrt(6)+1)) > tol {
		t.Errorf("shrunk neighbours of 0: %v %v", items, sims)
	}
	// Values: u0 rates items 0 and 1 with 2 and 1, u1 rates 0 and 1 with 1
	// and 3. sim(0,1) = (2·1 + 1·3) / (√(4+1) · √(1+9)) = 5/√50, hand-computed.
	v := view(2, []int32{0, 1}, []int32{0, 1})
	v.Interactions.Values = []float32{2, 1, 1, 3}
	m = &recommenders.ItemKNN{UseValues: true}
	fitRec(t, m, v, 1)
	_, sims = m.Neighbours(0)
	if math.Abs(sims[0]-5/math.Sqrt(50)) > tol {
		t.Errorf("valued sim(0,1) = %v, want %v", sims[0], 5/math.Sqrt(50))
	}
	// Without UseValues the values are ignored: sim = 2/(√2·√2) = 1.
	m = &recommenders.ItemKNN{}
	fitRec(t, m, v, 1)
	if _, sims = m.Neighbours(0); math.Abs(sims[0]-1) > tol {
		t.Errorf("binary sim(0,1) = %v, want 1", sims[0])
	}
}

func TestUserKNNWorkedExample(t *testing.T) {
	// hand-computed: sim(u0,u1) = 2/√6, sim(u0,u2) = 1/√6, sim(u1,u2) = 2/3.
	s01, s02, s12 := 2/math.Sqrt(6), 1/math.Sqrt(6), 2.0/3
	cases := []struct {
		neighbors int
		want      []list
	}{
		// one neighbour: u0 <- u1 votes 2; u1 <- u0 votes only its own items;
		// u2 <- u1 votes 0.
		{1, []list{{[]int32{2}, []float64{s01}}, {}, {[]int32{0}, []float64{s12}}}},
		// two: u0 <- u1 (0,1,2) and u2 (1,2,3); u1 <- u0, u2: only 3 is new.
		{2, []list{
			{[]int32{2, 3}, []float64{s01 + s02, s02}},
			{[]int32{3}, []float64{s12}},
			{[]int32{0}, []float64{s12 + s02}},
		}},
	}
	for _, c := range cases {
		got := fitRec(t, &recommenders.UserKNN{Neighbors: c.neighbors}, threeUsers(), 10)
		if d := cmp.Diff(c.want, got, approx...); d != "" {
			t.Errorf("neighbors=%d (-want +got)\n%s", c.neighbors, d)
		}
	}
}

func TestPopularWorkedExample(t *testing.T) {
	// hand-computed user counts: i0 2, i1 3, i2 2, i3 1 -> order 1, 0, 2, 3.
	got := fitRec(t, &recommenders.Popular{}, threeUsers(), 2)
	want := []list{
		{[]int32{2, 3}, []float64{2, 1}},
		{[]int32{3}, []float64{1}},
		{[]int32{0}, []float64{2}},
	}
	if d := cmp.Diff(want, got, approx...); d != "" {
		t.Errorf("(-want +got)\n%s", d)
	}
	got = fitRec(t, &recommenders.Popular{IncludeTraining: true}, threeUsers(), 2)
	for u, l := range got {
		if d := cmp.Diff(list{[]int32{1, 0}, []float64{3, 2}}, l, approx...); d != "" {
			t.Errorf("include training, user %d (-want +got)\n%s", u, d)
		}
	}
}

func TestRandomIsUniform(t *testing.T) {
	// 6,000 users without history, 6 items, k = 2: every item should be
	// first for about 1,000 users (binomial sd √(6000·(1/6)·(5/6)) ≈ 29) and
	// second for about 1,000.
	const users, items = 6000, 6
	rows := make([][]int32, users)
	v := view(items, rows...)
	got := fitRec(t, &recommenders.Random{Src: rand.NewPCG(9, 9)}, v, 2)
	var first, second [items]int
	for _, l := range got {
		first[l.Items[0]]++
		second[l.Items[1]]++
	}
	for i := 0; i < items; i++ {
		if math.Abs(float64(first[i])-1000) > 5*29 || math.Abs(float64(second[i])-1000) > 5*29 {
			t.Errorf("item %d: first %d times, second %d times; want about 1000 each", i, first[i], second[i])
		}
	}
	// A user who has every item but two gets exactly those two.
	v = view(5, []int32{0, 2, 4})
	got = fitRec(t, &recommenders.Random{Src: rand.NewPCG(1, 1)}, v, 5)
	if len(got[0].Items) != 2 || got[0].Items[0]+got[0].Items[1] != 4 || got[0].Items[0]*got[0].Items[1] != 3 {
		t.Errorf("got %v, want items 1 and 3", got[0].Items)
	}
}

func TestRandomSeedMatters(t *testing.T) {
	v := view(1000, make([][]int32, 50)...)
	a := fitRec(t, &recommenders.Random{Src: rand.NewPCG(1, 1)}, v, 10)
	b := fitRec(t, &recommenders.Random{Src: rand.NewPCG(2, 1)}, v, 10)
	if cmp.Equal(a, b) {
		t.Error("different seeds gave the same lists")
	}
}

// TestScoreAgreesWithRecommend checks the Scorer implementations: the
// scores of the recommended items are those of the lists, and training
// items get the model's score (not excluded).
func TestScoreAgreesWithRecommend(t *testing.T) {
	d := rectest.Generate("score", 3, 80, 40, 6, true)
	v := &d.Train
	for _, rec := range []recommenders.Recommender{&recommenders.Popular{}, &recommenders.ItemKNN{Neighbors: 10}, &recommenders.UserKNN{Neighbors: 10, UseValues: true}} {
		ls := fitRec(t, rec, v, 10)
		sc := rec.(recommenders.Scorer)
		for u, l := range ls {
			got := sc.Score(int32(u), l.Items, nil)
			if d := cmp.Diff(l.Scores, got, approx...); d != "" {
				t.Errorf("%T user %d (-list +Score)\n%s", rec, u, d)
			}
		}
	}
	// Training items are scored: user 0 of threeUsers has items 0 and 1;
	// in ItemKNN (2 neighbours) item 0 gets sim(1,0) = 2/√6 from item 1.
	m := &recommenders.ItemKNN{Neighbors: 2}
	fitRec(t, m, threeUsers(), 1)
	if got := m.Score(0, []int32{0, 3}, nil); math.Abs(got[0]-2/math.Sqrt(6)) > tol || got[1] != 0 {
		t.Errorf("ItemKNN.Score(0, [0 3]) = %v, want [2/√6 0]", got)
	}
}
