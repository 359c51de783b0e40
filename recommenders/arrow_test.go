package recommenders_test

import (
	"os"
	"testing"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/ipc"
	"github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/recaudit/recaudit/datasets"
)

// recRow is one row of a recommendation file written by tests.
type recRow struct {
	user   int32 // dense index, written as its external ID
	item   int32
	rank   int64
	score  float64
	system string
}

// writeRecsFile writes rows as an Arrow IPC recommendation file with
// user_id and item_id in the IDs' kinds, rank, and optionally score and
// system columns.
func writeRecsFile(t *testing.T, path string, users, items *datasets.IDs, rows []recRow, withScore, withSystem bool) {
	t.Helper()
	mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
	defer mem.AssertSize(t, 0)
	idType := func(ids *datasets.IDs) arrow.DataType {
		if ids.Kind() == datasets.StringIDs {
			return arrow.BinaryTypes.String
		}
		return arrow.PrimitiveTypes.Int64
	}
	fields := []arrow.Field{{Name: "user_id", Type: idType(users)}, {Name: "item_id", Type: idType(items)}, {Name: "rank", Type: arrow.PrimitiveTypes.Int64}}
	if withScore {
		fields = append(fields, arrow.Field{Name: "score", Type: arrow.PrimitiveTypes.Float64})
	}
	if withSystem {
		fields = append(fields, arrow.Field{Name: "system", Type: arrow.BinaryTypes.String})
	}
	schema := arrow.NewSchema(fields, nil)
	b := array.NewRecordBuilder(mem, schema)
	defer b.Release()
	appendID := func(fb array.Builder, ids *datasets.IDs, i int32) {
		if ids.Kind() == datasets.StringIDs {
			fb.(*array.StringBuilder).Append(ids.Str(i))
		} else {
			fb.(*array.Int64Builder).Append(ids.Int(i))
		}
	}
	for _, r := range rows {
		appendID(b.Field(0), users, r.user)
		appendID(b.Field(1), items, r.item)
		b.Field(2).(*array.Int64Builder).Append(r.rank)
		c := 3
		if withScore {
			b.Field(c).(*array.Float64Builder).Append(r.score)
			c++
		}
		if withSystem {
			b.Field(c).(*array.StringBuilder).Append(r.system)
		}
	}
	rec := b.NewRecordBatch()
	defer rec.Release()
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	w, err := ipc.NewFileWriter(f, ipc.WithSchema(schema), ipc.WithAllocator(mem))
	if err != nil {
		t.Fatal(err)
	}
	if err := w.Write(rec); err != nil {
		t.Fatal(err)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}
}

// rowsOf turns rankings into file rows, ranks 1, 2, ... per list.
func rowsOf(r datasets.Rankings, system string) []recRow {
	var rows []recRow
	for u := 0; u < r.Users(); u++ {
		for j, i := range r.List(u) {
			row := recRow{user: int32(u), item: i, rank: int64(j + 1), system: system}
			if s := r.ListScores(u); s != nil {
				row.score = s[j]
			}
			rows = append(rows, row)
		}
	}
	return rows
}
