package recommenders_test

import (
	"context"
	"errors"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/recaudit/recaudit/datasets"
	"github.com/recaudit/recaudit/recommenders"
	"github.com/recaudit/recaudit/recommenders/rectest"
)

// popularFile is a File whose file is written at Fit from Popular's lists
// (top 20) for the training data it is given, so that the conformance
// suite can run File on its own datasets.
type popularFile struct {
	recommenders.File
	t            *testing.T
	dir          string
	users, items *datasets.IDs
}

func (p *popularFile) SetIDs(users, items *datasets.IDs) {
	p.users, p.items = users, items
	p.File.SetIDs(users, items)
}

func (p *popularFile) Fit(ctx context.Context, v *recommenders.TrainView) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	pop := &recommenders.Popular{}
	if err := pop.Fit(ctx, v); err != nil {
		return err
	}
	users := make([]int32, v.NumUsers())
	for i := range users {
		users[i] = int32(i)
	}
	lists, err := pop.Recommend(ctx, users, 20)
	if err != nil {
		return err
	}
	p.Path = filepath.Join(p.dir, "recs.csv")
	writeRecsFile(p.t, p.Path, p.users, p.items, rowsOf(lists, ""), true, false)
	return p.File.Fit(ctx, v)
}

func TestFileConformance(t *testing.T) {
	dir := t.TempDir()
	rectest.Run(t, func() recommenders.Recommender { return &popularFile{t: t, dir: dir} })
}

func TestFile(t *testing.T) {
	d := rectest.Datasets()[0] // 6 users × 8 items; user 0 has {0, 1, 2}
	dir := t.TempDir()
	path := filepath.Join(dir, "recs.csv")
	rows := []recRow{
		{user: 0, item: 5, rank: 1, score: 0.9, system: "a"},
		{user: 0, item: 1, rank: 2, score: 0.8, system: "a"}, // a training item of user 0
		{user: 0, item: 7, rank: 3, score: 0.7, system: "a"},
		{user: 4, item: 0, rank: 1, score: 0.5, system: "a"},
		{user: 0, item: 3, rank: 1, score: 3, system: "b"},
	}
	writeRecsFile(t, path, d.Users, d.Items, rows, true, true)
	ctx := context.Background()
	all := []int32{0, 1, 2, 3, 4, 5}
	type list struct {
		Items  []int32
		Scores []float64
	}
	cases := []struct {
		name  string
		f     recommenders.File
		users []int32
		k     int
		want  map[int]list // non-empty lists
	}{
		{"as written", recommenders.File{System: "a"}, all, 10, map[int]list{0: {[]int32{5, 1, 7}, []float64{0.9, 0.8, 0.7}}, 4: {[]int32{0}, []float64{0.5}}}},
		{"cut to k", recommenders.File{System: "a"}, all, 2, map[int]list{0: {[]int32{5, 1}, []float64{0.9, 0.8}}, 4: {[]int32{0}, []float64{0.5}}}},
		{"exclude training", recommenders.File{System: "a", ExcludeTraining: true}, all, 2, map[int]list{0: {[]int32{5, 7}, []float64{0.9, 0.7}}, 4: {[]int32{0}, []float64{0.5}}}},
		{"asked users only", recommenders.File{System: "a"}, []int32{4}, 10, map[int]list{4: {[]int32{0}, []float64{0.5}}}},
		{"other system", recommenders.File{System: "b"}, all, 10, map[int]list{0: {[]int32{3}, []float64{3}}}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			f := c.f
			f.Path = path
			f.SetIDs(d.Users, d.Items)
			if err := f.Fit(ctx, &d.Train); err != nil {
				t.Fatal(err)
			}
			got, err := f.Recommend(ctx, c.users, c.k)
			if err != nil {
				t.Fatal(err)
			}
			if got.System != f.System {
				t.Errorf("system %q, want %q", got.System, f.System)
			}
			for u := 0; u < 6; u++ {
				l := list{got.List(u), got.ListScores(u)}
				if d := cmp.Diff(c.want[u], l, approx...); d != "" {
					t.Errorf("user %d (-want +got)\n%s", u, d)
				}
			}
		})
	}
}

func TestFileErrors(t *testing.T) {
	d := rectest.Datasets()[0]
	dir := t.TempDir()
	two := filepath.Join(dir, "two.csv")
	writeRecsFile(t, two, d.Users, d.Items, []recRow{{0, 5, 1, 0, "a"}, {0, 3, 1, 0, "b"}}, false, true)
	gap := filepath.Join(dir, "gap.csv")
	writeRecsFile(t, gap, d.Users, d.Items, []recRow{{0, 5, 1, 0, ""}, {0, 3, 3, 0, ""}}, false, false)
	ctx := context.Background()
	cases := []struct {
		name     string
		f        recommenders.File
		sentinel error
		msg      string
	}{
		{"several systems", recommenders.File{Path: two}, datasets.ErrValue, "the file holds 2 systems (a, b)"},
		{"unknown system", recommenders.File{Path: two, System: "c"}, datasets.ErrValue, `no system "c" in the file (systems: a, b)`},
		{"rank gap", recommenders.File{Path: gap}, datasets.ErrValue, "rank 2 is missing"},
		{"missing file", recommenders.File{Path: filepath.Join(dir, "none.csv")}, nil, "none.csv"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			f := c.f
			f.SetIDs(d.Users, d.Items)
			err := f.Fit(ctx, &d.Train)
			if err == nil || !strings.Contains(err.Error(), c.msg) || (c.sentinel != nil && !errors.Is(err, c.sentinel)) {
				t.Errorf("error %v, want one wrapping %v containing %q", err, c.sentinel, c.msg)
			}
		})
	}
	// IDs of another dataset.
	other := rectest.Datasets()[1]
	f := &recommenders.File{Path: two, System: "a"}
	f.SetIDs(other.Users, other.Items)
	if err := f.Fit(ctx, &d.Train); err == nil || !strings.Contains(err.Error(), "the IDs are not the dataset's") {
		t.Errorf("mismatched IDs: error %v", err)
	}
	if !panics(func() { _ = (&recommenders.File{Path: two}).Fit(ctx, &d.Train) }) {
		t.Error("Fit without SetIDs did not panic")
	}
}
