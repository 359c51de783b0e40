package datasets

import (
	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"
)

// Panic messages of the recommendation writer (programmer errors).
const (
	panicRecsNilIDs  = "datasets: RecommendationBatches: nil users or items"
	panicRecsUsers   = "datasets: RecommendationBatches: a run's number of users differs from users.Len()"
	panicRecsItem    = "datasets: RecommendationBatches: item index out of range"
	panicRecsScores  = "datasets: RecommendationBatches: a run's scores differ in length from its items"
	panicRecsFlagLen = "datasets: RecommendationBatches: a flag's length differs from users.Len()"
	panicRecsFlagDup = "datasets: RecommendationBatches: flag name empty or taken: "
)

// UserFlag is a boolean column of a recommendation file with one value per
// user, repeated on every row of the user's lists: for example "fallback",
// which marks the users who got a non-personalised list.
type UserFlag struct {
	Name   string
	Values []bool // indexed by user
}

// RecommendationBatches returns runs as the record batches of a
// recommendation file, the layout [ReadRecommendations] reads: columns
//
//	user_id   the users' external IDs (int64 or string, as users holds them)
//	item_id   the items' external IDs
//	rank      int32, 1 for the first item of each list
//	score     float64, only when every run has scores
//	system    string, each run's System
//	sample    int64, only when some run has a Sample other than 0
//
// then one boolean column per flag. Rows are in the order of runs, then
// of user index, then of rank, so the file is sorted by system and user,
// as streaming readers need (see [ListReader]); users with an empty list
// have no row. Batches have at most [BatchRows] rows, and a file with no
// recommendation has one empty batch. The caller must Release every
// batch; runs and flags are not modified.
//
// RecommendationBatches panics if users or items is nil, if a run does
// not have one row per user of users, holds an item index outside items,
// or has Scores of another length than Items, or if a flag's length
// differs from users.Len() or its name is empty or repeats a column.
func RecommendationBatches(mem memory.Allocator, users, items *IDs, runs []Rankings, flags ...UserFlag) (*arrow.Schema, []arrow.RecordBatch) {
	if users == nil || items == nil {
		panic(panicRecsNilIDs)
	}
	if mem == nil {
		mem = memory.DefaultAllocator
	}
	nUsers, nItems := users.Len(), int32(items.Len())
	withScores, withSample := len(runs) > 0, false
	for i := range runs {
		r := &runs[i]
		if len(r.Offsets) != nUsers+1 {
			panic(panicRecsUsers)
		}
		if r.Scores == nil {
			withScores = false
		} else if len(r.Scores) != len(r.Items) {
			panic(panicRecsScores)
		}
		withSample = withSample || r.Sample != 0
		for _, it := range r.Items {
			if it < 0 || it >= nItems {
				panic(panicRecsItem)
			}
		}
	}
	fields := []arrow.Field{
		{Name: "user_id", Type: idType(users)},
		{Name: "item_id", Type: idType(items)},
		{Name: "rank", Type: arrow.PrimitiveTypes.Int32},
	}
	if withScores {
		fields = append(fields, arrow.Field{Name: "score", Type: arrow.PrimitiveTypes.Float64})
	}
	fields = append(fields, arrow.Field{Name: "system", Type: arrow.BinaryTypes.String})
	if withSample {
		fields = append(fields, arrow.Field{Name: "sample", Type: arrow.PrimitiveTypes.Int64})
	}
	taken := map[string]bool{}
	for _, f := range fields {
		taken[f.Name] = true
	}
	for _, fl := range flags {
		if len(fl.Values) != nUsers {
			panic(panicRecsFlagLen)
		}
		if fl.Name == "" || taken[fl.Name] {
			panic(panicRecsFlagDup + fl.Name)
		}
		taken[fl.Name] = true
		fields = append(fields, arrow.Field{Name: fl.Name, Type: arrow.FixedWidthTypes.Boolean})
	}
	schema := arrow.NewSchema(fields, nil)

	w := recsBatcher{mem: mem, schema: schema, users: users, items: items, flags: flags, withScores: withScores, withSample: withSample}
	for i := range runs {
		r := &runs[i]
		for u := 0; u < nUsers; u++ {
			lo, hi := r.Offsets[u], r.Offsets[u+1]
			for j := lo; j < hi; j++ {
				var s float64
				if withScores {
					s = r.Scores[j]
				}
				w.add(r, int32(u), r.Items[j], int32(j-lo+1), s)
			}
		}
	}
	w.flush(true)
	return schema, w.out
}

// recsBatcher collects the rows of one batch.
type recsBatcher struct {
	mem                    memory.Allocator
	schema                 *arrow.Schema
	users, items           *IDs
	flags                  []UserFlag
	withScores, withSample bool

	rowUsers, rowItems, ranks []int32
	scores                    []float64
	runs                      []*Rankings
	out                       []arrow.RecordBatch
}

func (w *recsBatcher) add(r *Rankings, u, item, rank int32, score float64) {
	w.rowUsers = append(w.rowUsers, u)
	w.rowItems = append(w.rowItems, item)
	w.ranks = append(w.ranks, rank)
	w.scores = append(w.scores, score)
	w.runs = append(w.runs, r)
	if len(w.rowUsers) == BatchRows {
		w.flush(false)
	}
}

// flush turns the collected rows into a batch; with final, it makes one
// even when there are no rows and no batch yet.
func (w *recsBatcher) flush(final bool) {
	n := len(w.rowUsers)
	if n == 0 && (!final || len(w.out) > 0) {
		return
	}
	cols := []arrow.Array{idArray(w.mem, w.users, w.rowUsers), idArray(w.mem, w.items, w.rowItems)}
	rb := array.NewInt32Builder(w.mem)
	rb.AppendValues(w.ranks, nil)
	cols = append(cols, rb.NewArray())
	rb.Release()
	if w.withScores {
		b := array.NewFloat64Builder(w.mem)
		b.AppendValues(w.scores, nil)
		cols = append(cols, b.NewArray())
		b.Release()
	}
	sb := array.NewStringBuilder(w.mem)
	sb.Reserve(n)
	for _, r := range w.runs {
		sb.Append(r.System)
	}
	cols = append(cols, sb.NewArray())
	sb.Release()
	if w.withSample {
		b := array.NewInt64Builder(w.mem)
		b.Reserve(n)
		for _, r := range w.runs {
			b.UnsafeAppend(r.Sample)
		}
		cols = append(cols, b.NewArray())
		b.Release()
	}
	for _, fl := range w.flags {
		b := array.NewBooleanBuilder(w.mem)
		b.Reserve(n)
		for _, u := range w.rowUsers {
			b.UnsafeAppend(fl.Values[u])
		}
		cols = append(cols, b.NewArray())
		b.Release()
	}
	w.out = append(w.out, array.NewRecordBatch(w.schema, cols, int64(n)))
	for _, c := range cols {
		c.Release()
	}
	w.rowUsers, w.rowItems, w.ranks = w.rowUsers[:0], w.rowItems[:0], w.ranks[:0]
	w.scores, w.runs = w.scores[:0], w.runs[:0]
}

// WriteRecommendations writes runs as a recommendation file at path, in
// the format its extension names, atomically (see [WriteTable]); the
// columns are those of [RecommendationBatches], with the external IDs of
// users and items. [ReadRecommendations] of the file gives back runs
// (scores as written, flags ignored). Only [WithAllocator] among the
// options has an effect.
//
// WriteRecommendations panics as RecommendationBatches does. It returns
// the errors of WriteTable: an [*Error] wrapping [ErrFormat] for an
// unknown extension, and the errors of creating or renaming the file.
func WriteRecommendations(path string, users, items *IDs, runs []Rankings, flags []UserFlag, opts ...Option) error {
	cfg := newConfig(opts)
	schema, batches := RecommendationBatches(cfg.mem, users, items, runs, flags...)
	defer func() {
		for _, b := range batches {
			b.Release()
		}
	}()
	return WriteTable(path, schema, batches, opts...)
}
