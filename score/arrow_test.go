package score

import (
	"os"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/ipc"
	"github.com/apache/arrow-go/v18/arrow/memory"
)

// recWriter writes a recommendation file as an Arrow IPC file, one record
// batch per call to write: int32 user_id, item_id and rank, and an
// optional string system column. Tests only: the library reads Arrow
// through package datasets.
type recWriter struct {
	f      *os.File
	w      *ipc.FileWriter
	schema *arrow.Schema
	mem    memory.Allocator
	system bool
}

func newRecWriter(path string, system bool) (*recWriter, error) {
	fields := []arrow.Field{
		{Name: "user_id", Type: arrow.PrimitiveTypes.Int32},
		{Name: "item_id", Type: arrow.PrimitiveTypes.Int32},
		{Name: "rank", Type: arrow.PrimitiveTypes.Int32},
	}
	if system {
		fields = append(fields, arrow.Field{Name: "system", Type: arrow.BinaryTypes.String})
	}
	schema := arrow.NewSchema(fields, nil)
	f, err := os.Create(path)
	if err != nil {
		return nil, err
	}
	mem := memory.NewGoAllocator()
	w, err := ipc.NewFileWriter(f, ipc.WithSchema(schema), ipc.WithAllocator(mem))
	if err != nil {
		f.Close()
		return nil, err
	}
	return &recWriter{f: f, w: w, schema: schema, mem: mem, system: system}, nil
}

func (r *recWriter) write(systems []string, users, items, ranks []int32) error {
	b := array.NewRecordBuilder(r.mem, r.schema)
	defer b.Release()
	b.Field(0).(*array.Int32Builder).AppendValues(users, nil)
	b.Field(1).(*array.Int32Builder).AppendValues(items, nil)
	b.Field(2).(*array.Int32Builder).AppendValues(ranks, nil)
	if r.system {
		b.Field(3).(*array.StringBuilder).AppendValues(systems, nil)
	}
	rec := b.NewRecordBatch()
	defer rec.Release()
	return r.w.Write(rec)
}

func (r *recWriter) close() error {
	if err := r.w.Close(); err != nil {
		r.f.Close()
		return err
	}
	return r.f.Close()
}
