package datasets

import (
	"errors"
	"math"
	"path/filepath"
	"strings"
	"testing"

	"github.com/apache/arrow-go/v18/arrow/memory"
	"github.com/google/go-cmp/cmp"
)

func toyIndex(t *testing.T) (*IDs, *IDs) {
	users, _ := NewIntIDs([]int64{10, 20, 30})
	items, _ := NewStringIDs([]string{"A", "B", "C", "D"})
	return users, items
}

func TestReadRecommendations(t *testing.T) {
	mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
	defer mem.AssertSize(t, 0)
	users, items := toyIndex(t)
	path := filepath.Join(t.TempDir(), "recs.arrow")
	// Two systems; rows shuffled; pop has two samples for user 10.
	writeIPC(t, mem, path, 3,
		col{name: "system", vals: []string{"pop", "knn", "pop", "knn", "pop", "pop", "knn"}},
		col{name: "sample", vals: []int64{0, 0, 0, 0, 1, 1, 0}},
		col{name: "user_id", vals: []int64{10, 30, 10, 30, 10, 10, 10}},
		col{name: "item_id", vals: []string{"B", "D", "A", "A", "C", "D", "C"}},
		col{name: "rank", vals: []int64{2, 2, 1, 1, 2, 1, 1}},
		col{name: "score", vals: []float64{0.5, 0.1, 0.9, 0.3, 0.2, 0.8, 1}},
	)
	got, err := ReadRecommendations(path, users, items, WithAllocator(mem))
	if err != nil {
		t.Fatal(err)
	}
	// Hand-derived: sorted by system (knn < pop) then sample; items A0 B1 C2 D3.
	want := []Rankings{
		{System: "knn", Offsets: []int64{0, 1, 1, 3}, Items: []int32{2, 0, 3}, Scores: []float64{1, 0.3, 0.1}},
		{System: "pop", Offsets: []int64{0, 2, 2, 2}, Items: []int32{0, 1}, Scores: []float64{0.9, 0.5}},
		{System: "pop", Sample: 1, Offsets: []int64{0, 2, 2, 2}, Items: []int32{3, 2}, Scores: []float64{0.8, 0.2}},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
}

func TestReadRecommendationsByScore(t *testing.T) {
	mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
	defer mem.AssertSize(t, 0)
	users, items := toyIndex(t)
	path := filepath.Join(t.TempDir(), "mysys.arrow")
	writeIPC(t, mem, path, 0,
		col{name: "user_id", vals: []int64{20, 20, 20, 20}},
		col{name: "item_id", vals: []string{"D", "B", "C", "A"}},
		col{name: "score", vals: []float64{0.5, 0.5, 0.9, 0.1}},
	)
	got, err := ReadRecommendations(path, users, items, WithAllocator(mem))
	if err != nil {
		t.Fatal(err)
	}
	// Score descending, ties (B, D at 0.5) by item index ascending; system
	// named after the file.
	want := []Rankings{{System: "mysys", Offsets: []int64{0, 0, 4, 4}, Items: []int32{2, 1, 3, 0}, Scores: []float64{0.9, 0.5, 0.5, 0.1}}}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
}

func TestReadRecommendationsErrors(t *testing.T) {
	mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
	defer mem.AssertSize(t, 0)
	users, items := toyIndex(t)
	tests := []struct {
		name string
		cols []col
		kind error
		want string
	}{
		{"rank gap", []col{{name: "user_id", vals: []int64{10, 10}}, {name: "item_id", vals: []string{"A", "B"}}, {name: "rank", vals: []int64{1, 3}}},
			ErrValue, `column "rank", row 2: in the list of user 10 (system recs): rank 2 is missing`},
		{"rank repeat", []col{{name: "user_id", vals: []int64{10, 10, 10}}, {name: "item_id", vals: []string{"A", "B", "C"}}, {name: "rank", vals: []int64{1, 2, 2}}},
			ErrValue, `row 3: in the list of user 10 (system recs): rank 2 is repeated`},
		{"rank zero", []col{{name: "user_id", vals: []int64{10}}, {name: "item_id", vals: []string{"A"}}, {name: "rank", vals: []int64{0}}},
			ErrValue, `column "rank", row 1: rank must be 1 or more`},
		{"repeated item", []col{{name: "user_id", vals: []int64{30, 30, 30}}, {name: "item_id", vals: []string{"C", "A", "C"}}, {name: "rank", vals: []int64{1, 2, 3}}},
			ErrDuplicate, `column "item_id", row 3: item C appears twice in the list of user 30`},
		{"unknown item", []col{{name: "user_id", vals: []int64{30}}, {name: "item_id", vals: []string{"Z"}}, {name: "rank", vals: []int64{1}}},
			ErrUnknownID, `row 1: item ID "Z" is not in the items table`},
		{"nan score", []col{{name: "user_id", vals: []int64{30, 30}}, {name: "item_id", vals: []string{"A", "B"}}, {name: "score", vals: []float64{1, math.NaN()}}},
			ErrValue, `column "score", row 2: score is null, NaN or infinite`},
		{"no order", []col{{name: "user_id", vals: []int64{30}}, {name: "item_id", vals: []string{"A"}}},
			ErrSchema, `neither a rank nor a score column`},
		{"bad rank type", []col{{name: "user_id", vals: []int64{30}}, {name: "item_id", vals: []string{"A"}}, {name: "rank", vals: []float64{1}}},
			ErrSchema, `column "rank": unexpected type float64`},
		{"empty", []col{{name: "user_id", vals: []int64{}}, {name: "item_id", vals: []string{}}, {name: "rank", vals: []int64{}}},
			ErrEmpty, `no rows`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "recs.arrow")
			writeIPC(t, mem, path, 1, tc.cols...)
			_, err := ReadRecommendations(path, users, items, WithAllocator(mem))
			if !errors.Is(err, tc.kind) || err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("got %v\nwant %v containing %q", err, tc.kind, tc.want)
			}
		})
	}
}
