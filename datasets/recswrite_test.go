package datasets

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"
	"github.com/google/go-cmp/cmp"
)

func TestWriteRecommendationsRoundTrip(t *testing.T) {
	users, items := toyIndex(t) // users 10 20 30, items A B C D
	runs := []Rankings{
		{System: "knn", Offsets: []int64{0, 1, 1, 3}, Items: []int32{2, 0, 3}, Scores: []float64{1, 0.3, 0.1}},
		{System: "pop", Offsets: []int64{0, 2, 2, 2}, Items: []int32{0, 1}, Scores: []float64{0.9, 0.5}},
		{System: "pop", Sample: 1, Offsets: []int64{0, 2, 2, 2}, Items: []int32{3, 2}, Scores: []float64{0.8, 0.2}},
	}
	for _, ext := range []string{".arrow", ".parquet", ".csv", ".arrows"} {
		t.Run(ext, func(t *testing.T) {
			mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
			defer mem.AssertSize(t, 0)
			path := filepath.Join(t.TempDir(), "recs"+ext)
			flag := UserFlag{Name: "fallback", Values: []bool{false, true, true}}
			if err := WriteRecommendations(path, users, items, runs, []UserFlag{flag}, WithAllocator(mem)); err != nil {
				t.Fatal(err)
			}
			got, err := ReadRecommendations(path, users, items, WithAllocator(mem))
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(runs, got); diff != "" {
				t.Errorf("read back (-want +got):\n%s", diff)
			}
		})
	}
}

func TestWriteRecommendationsCSV(t *testing.T) {
	users, items := toyIndex(t)
	// No scores, one system, sample 0: no score or sample column.
	runs := []Rankings{{System: "pop", Offsets: []int64{0, 2, 2, 3}, Items: []int32{1, 0, 1}}}
	path := filepath.Join(t.TempDir(), "recs.csv")
	flag := UserFlag{Name: "fallback", Values: []bool{true, false, false}}
	if err := WriteRecommendations(path, users, items, runs, []UserFlag{flag}); err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	// Hand-written: user 10 gets B, A; user 20 nothing; user 30 B.
	want := "user_id,item_id,rank,system,fallback\n10,B,1,pop,true\n10,A,2,pop,true\n30,B,1,pop,false\n"
	if string(b) != want {
		t.Errorf("file:\n%s\nwant:\n%s", b, want)
	}
}

func TestRecommendationBatches(t *testing.T) {
	mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
	defer mem.AssertSize(t, 0)
	users, items := toyIndex(t)
	// One run with scores and one without: no score column; a sample.
	runs := []Rankings{
		{System: "a", Offsets: []int64{0, 1, 1, 1}, Items: []int32{3}, Scores: []float64{2}},
		{System: "b", Sample: 2, Offsets: []int64{0, 0, 1, 1}, Items: []int32{0}},
	}
	schema, batches := RecommendationBatches(mem, users, items, runs)
	defer func() {
		for _, b := range batches {
			b.Release()
		}
	}()
	var names []string
	for _, f := range schema.Fields() {
		names = append(names, f.Name)
	}
	if got, want := strings.Join(names, ","), "user_id,item_id,rank,system,sample"; got != want {
		t.Errorf("columns %s, want %s", got, want)
	}
	if len(batches) != 1 || batches[0].NumRows() != 2 {
		t.Fatalf("got %d batches, want one of 2 rows", len(batches))
	}
	if got := batches[0].Column(4).(*array.Int64).Int64Values(); !cmp.Equal(got, []int64{0, 2}) {
		t.Errorf("sample = %v, want [0 2]", got)
	}

	// Nothing to write: one empty batch.
	_, empty := RecommendationBatches(mem, users, items, nil)
	if len(empty) != 1 || empty[0].NumRows() != 0 {
		t.Errorf("no runs: %d batches, want one empty", len(empty))
	}
	for _, b := range empty {
		b.Release()
	}
}

func TestRecommendationBatchesPanics(t *testing.T) {
	users, items := toyIndex(t)
	ok := Rankings{System: "s", Offsets: []int64{0, 1, 1, 1}, Items: []int32{0}}
	for _, tc := range []struct {
		name  string
		runs  []Rankings
		flags []UserFlag
	}{
		{"users", []Rankings{{Offsets: []int64{0, 1}, Items: []int32{0}}}, nil},
		{"item", []Rankings{{Offsets: []int64{0, 1, 1, 1}, Items: []int32{4}}}, nil},
		{"scores", []Rankings{{Offsets: []int64{0, 1, 1, 1}, Items: []int32{0}, Scores: []float64{1, 2}}}, nil},
		{"flag length", []Rankings{ok}, []UserFlag{{Name: "f", Values: []bool{true}}}},
		{"flag name", []Rankings{ok}, []UserFlag{{Name: "rank", Values: make([]bool, 3)}}},
		{"flag empty name", []Rankings{ok}, []UserFlag{{Values: make([]bool, 3)}}},
	} {
		if _, p := panics(func() { RecommendationBatches(nil, users, items, tc.runs, tc.flags...) }); !p {
			t.Errorf("%s: no panic", tc.name)
		}
	}
	if _, p := panics(func() { RecommendationBatches(nil, nil, items, nil) }); !p {
		t.Error("nil users: no panic")
	}
}
