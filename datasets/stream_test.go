package datasets

import (
	"cmp"
	"errors"
	"math/rand/v2"
	"path/filepath"
	"slices"
	"testing"

	"github.com/apache/arrow-go/v18/arrow/memory"
	gocmp "github.com/google/go-cmp/cmp"
)

// recRows is a recommendation file in columns.
type recRows struct {
	system []string
	user   []int64
	item   []string
	rank   []int64
	score  []float64
}

// randomRecs returns lists for the toy IDs (users 10 20 30 40 50, items
// i0..i29) of two systems, sorted by system then user, each list's rows
// shuffled, some users without a list, scores with ties.
func randomRecs(rng *rand.Rand) recRows {
	var r recRows
	for _, sys := range []string{"knn", "pop"} {
		for _, u := range []int64{10, 20, 30, 40, 50} {
			if rng.IntN(4) == 0 {
				continue // no list
			}
			n := 1 + rng.IntN(12)
			perm := rng.Perm(30)[:n]
			ranks := rng.Perm(n)
			for k, it := range perm {
				r.system = append(r.system, sys)
				r.user = append(r.user, u)
				r.item = append(r.item, "i"+string(rune('a'+it)))
				r.rank = append(r.rank, int64(ranks[k]+1))
				r.score = append(r.score, float64(rng.IntN(4)))
			}
		}
	}
	return r
}

func streamIDs() (*IDs, *IDs) {
	users, _ := NewIntIDs([]int64{50, 40, 30, 20, 10})
	var names []string
	for it := range 30 {
		names = append(names, "i"+string(rune('a'+it)))
	}
	items, _ := NewStringIDs(names)
	return users, items
}

// streamAll reads a whole file with a ListReader and assembles Rankings
// like those of ReadRecommendations.
func streamAll(t *testing.T, path string, users, items *IDs, opts ...Option) ([]Rankings, error) {
	lr, err := OpenListReader(path, users, items, opts...)
	if err != nil {
		return nil, err
	}
	defer lr.Close()
	type list struct {
		items  []int32
		scores []float64
	}
	got := map[[2]int32]list{}
	for lr.Next() {
		c := lr.Chunk()
		for i := range c.Len() {
			key := [2]int32{c.Runs[i], c.Users[i]}
			if _, dup := got[key]; dup {
				t.Fatalf("list %v yielded twice", key)
			}
			l := list{items: c.List(i)}
			if c.Scores != nil {
				l.scores = c.Scores[c.Offsets[i]:c.Offsets[i+1]]
			}
			got[key] = l
		}
	}
	if err := lr.Err(); err != nil {
		return nil, err
	}
	runs := lr.Runs()
	order := make([]int32, len(runs))
	for i := range order {
		order[i] = int32(i)
	}
	slices.SortFunc(order, func(a, b int32) int {
		return cmp.Or(cmp.Compare(runs[a].System, runs[b].System), cmp.Compare(runs[a].Sample, runs[b].Sample))
	})
	var out []Rankings
	for _, run := range order {
		rk := Rankings{System: runs[run].System, Sample: runs[run].Sample, Offsets: []int64{0}, Items: []int32{}}
		for u := range users.Len() {
			l := got[[2]int32{run, int32(u)}]
			rk.Items = append(rk.Items, l.items...)
			if l.scores != nil || rk.Scores != nil {
				rk.Scores = append(rk.Scores, l.scores...)
			}
			rk.Offsets = append(rk.Offsets, int64(len(rk.Items)))
		}
		out = append(out, rk)
	}
	return out, nil
}

func TestListReaderMatchesReadRecommendations(t *testing.T) {
	mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
	defer mem.AssertSize(t, 0)
	users, items := streamIDs()
	for seed := range uint64(6) {
		rng := rand.New(rand.NewPCG(seed, 3))
		r := randomRecs(rng)
		for _, withRank := range []bool{true, false} {
			for _, batch := range []int{0, 1, 3, 7} {
				path := filepath.Join(t.TempDir(), "recs.arrow")
				cols := []col{{name: "system", vals: r.system}, {name: "user_id", vals: r.user}, {name: "item_id", vals: r.item}, {name: "score", vals: r.score}}
				if withRank {
					cols = append(cols, col{name: "rank", vals: r.rank})
				}
				writeIPC(t, mem, path, batch, cols...)
				want, err := ReadRecommendations(path, users, items, WithAllocator(mem))
				if err != nil {
					t.Fatal(err)
				}
				got, err := streamAll(t, path, users, items, WithAllocator(mem))
				if err != nil {
					t.Fatal(err)
				}
				if diff := gocmp.Diff(want, got); diff != "" {
					t.Fatalf("seed %d rank %v batch %d: streaming differs from ReadRecommendations (-want +got):\n%s", seed, withRank, batch, diff)
				}
			}
		}
	}
}

func TestListReaderErrors(t *testing.T) {
	mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
	defer mem.AssertSize(t, 0)
	users, items := streamIDs()
	for _, tc := range []struct {
		name     string
		cols     []col
		sentinel error
		column   string
		row      int64
	}{
		{name: "unsorted", cols: []col{
			{name: "user_id", vals: []int64{10, 10, 20, 10}},
			{name: "item_id", vals: []string{"ia", "ib", "ia", "ic"}},
			{name: "rank", vals: []int64{1, 2, 1, 3}},
		}, sentinel: ErrUnsorted, column: "user_id", row: 4},
		{name: "rank gap", cols: []col{
			{name: "user_id", vals: []int64{10, 10, 20}},
			{name: "item_id", vals: []string{"ia", "ib", "ia"}},
			{name: "rank", vals: []int64{1, 3, 1}},
		}, sentinel: ErrValue, column: "rank", row: 2},
		{name: "rank repeat", cols: []col{
			{name: "user_id", vals: []int64{20, 20, 20}},
			{name: "item_id", vals: []string{"ia", "ib", "ic"}},
			{name: "rank", vals: []int64{1, 2, 2}},
		}, sentinel: ErrValue, column: "rank", row: 3},
		{name: "repeated item across batches", cols: []col{
			{name: "user_id", vals: []int64{10, 20, 20, 20, 20}},
			{name: "item_id", vals: []string{"ia", "ia", "ib", "ic", "ib"}},
			{name: "score", vals: []float64{1, 4, 3, 2, 1}},
		}, sentinel: ErrDuplicate, column: "item_id", row: 5},
		{name: "unknown item", cols: []col{
			{name: "user_id", vals: []int64{10, 10}},
			{name: "item_id", vals: []string{"ia", "zz"}},
			{name: "score", vals: []float64{1, 2}},
		}, sentinel: ErrUnknownID, column: "item_id", row: 2},
		{name: "rank zero", cols: []col{
			{name: "user_id", vals: []int64{10}},
			{name: "item_id", vals: []string{"ia"}},
			{name: "rank", vals: []int64{0}},
		}, sentinel: ErrValue, column: "rank", row: 1},
		{name: "empty", cols: []col{
			{name: "user_id", vals: []int64{}},
			{name: "item_id", vals: []string{}},
			{name: "rank", vals: []int64{}},
		}, sentinel: ErrEmpty},
		{name: "no rank or score", cols: []col{
			{name: "user_id", vals: []int64{10}},
			{name: "item_id", vals: []string{"ia"}},
		}, sentinel: ErrSchema},
	} {
		t.Run(tc.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "recs.arrow")
			writeIPC(t, mem, path, 2, tc.cols...)
			_, err := streamAll(t, path, users, items, WithAllocator(mem))
			var e *Error
			if !errors.As(err, &e) {
				t.Fatalf("got %v, want a *Error", err)
			}
			if !errors.Is(err, tc.sentinel) || e.Column != tc.column || e.Row != tc.row || e.Fix == "" {
				t.Errorf("got %v (column %q row %d), want column %q row %d wrapping %v", err, e.Column, e.Row, tc.column, tc.row, tc.sentinel)
			}
		})
	}
}

func TestOpenListReaderNilIDs(t *testing.T) {
	users, _ := streamIDs()
	defer func() {
		if recover() == nil {
			t.Error("no panic with nil items")
		}
	}()
	_, _ = OpenListReader("recs.arrow", users, nil)
}

// A CSV file streams like an Arrow one: the reader works on any format of
// OpenTable.
func TestListReaderCSV(t *testing.T) {
	users, items := streamIDs()
	path := writeTrecText(t, "recs.csv", "user_id,item_id,rank,score\n"+
		"20,ib,2,0.5\n20,ia,1,0.9\n20,ic,3,0.1\n10,ic,1,1\n50,ia,1,2\n50,id,2,1\n")
	want, err := ReadRecommendations(path, users, items, WithBatchSize(2))
	if err != nil {
		t.Fatal(err)
	}
	got, err := streamAll(t, path, users, items, WithBatchSize(2))
	if err != nil {
		t.Fatal(err)
	}
	if diff := gocmp.Diff(want, got); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
}
