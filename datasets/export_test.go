package datasets

import (
	"os"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/ipc"
	"github.com/apache/arrow-go/v18/arrow/memory"
)

// WriteExampleRecs writes a recommendation file for the examples, as an
// Arrow IPC file of record batches of batchRows rows: columns user_id
// (int64), item_id (string) and rank (int64). Tests only.
func WriteExampleRecs(path string, users []int64, items []string, ranks []int64, batchRows int) error {
	schema := arrow.NewSchema([]arrow.Field{
		{Name: "user_id", Type: arrow.PrimitiveTypes.Int64},
		{Name: "item_id", Type: arrow.BinaryTypes.String},
		{Name: "rank", Type: arrow.PrimitiveTypes.Int64},
	}, nil)
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	defer f.Close()
	mem := memory.NewGoAllocator()
	w, err := ipc.NewFileWriter(f, ipc.WithSchema(schema), ipc.WithAllocator(mem))
	if err != nil {
		return err
	}
	for lo := 0; lo < len(users); lo += batchRows {
		hi := min(lo+batchRows, len(users))
		b := array.NewRecordBuilder(mem, schema)
		b.Field(0).(*array.Int64Builder).AppendValues(users[lo:hi], nil)
		b.Field(1).(*array.StringBuilder).AppendValues(items[lo:hi], nil)
		b.Field(2).(*array.Int64Builder).AppendValues(ranks[lo:hi], nil)
		rec := b.NewRecordBatch()
		err := w.Write(rec)
		rec.Release()
		b.Release()
		if err != nil {
			return err
		}
	}
	return w.Close()
}
