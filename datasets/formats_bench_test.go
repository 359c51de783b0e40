package datasets

import (
	"fmt"
	"path/filepath"
	"testing"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"
)

// benchInteractions builds an interactions table of n rows: user_id
// (string), item_id (int64), value (float64).
func benchInteractions(n int) (*arrow.Schema, arrow.RecordBatch) {
	schema := arrow.NewSchema([]arrow.Field{
		{Name: "user_id", Type: arrow.BinaryTypes.String},
		{Name: "item_id", Type: arrow.PrimitiveTypes.Int64},
		{Name: "value", Type: arrow.PrimitiveTypes.Float64},
	}, nil)
	b := array.NewRecordBuilder(memory.DefaultAllocator, schema)
	defer b.Release()
	for i := range n {
		b.Field(0).(*array.StringBuilder).Append(fmt.Sprintf("u%d", i%1000))
		b.Field(1).(*array.Int64Builder).Append(int64(i % 5000))
		b.Field(2).(*array.Float64Builder).Append(float64(i%5) + 0.5)
	}
	return schema, b.NewRecordBatch()
}

// BenchmarkReadTable opens an interactions table in each format and reads
// (and validates) every batch.
func BenchmarkReadTable(b *testing.B) {
	for _, n := range []int{1_000, 100_000, 1_000_000} {
		schema, rec := benchInteractions(n)
		for _, ext := range []string{".arrow", ".arrows", ".parquet", ".csv"} {
			path := filepath.Join(b.TempDir(), "t"+ext)
			if err := WriteTable(path, schema, []arrow.RecordBatch{rec}); err != nil {
				b.Fatal(err)
			}
			b.Run(fmt.Sprintf("%s/rows=%d", ext[1:], n), func(b *testing.B) {
				for b.Loop() {
					r, err := OpenTable(path)
					if err != nil {
						b.Fatal(err)
					}
					for r.Next() {
					}
					if err := r.Err(); err != nil {
						b.Fatal(err)
					}
					r.Close()
				}
			})
		}
		rec.Release()
	}
}

// BenchmarkWriteTable writes an interactions table in each format.
func BenchmarkWriteTable(b *testing.B) {
	for _, n := range []int{1_000, 100_000, 1_000_000} {
		schema, rec := benchInteractions(n)
		for _, ext := range []string{".arrow", ".arrows", ".parquet", ".csv"} {
			path := filepath.Join(b.TempDir(), "t"+ext)
			b.Run(fmt.Sprintf("%s/rows=%d", ext[1:], n), func(b *testing.B) {
				for b.Loop() {
					if err := WriteTable(path, schema, []arrow.RecordBatch{rec}); err != nil {
						b.Fatal(err)
					}
				}
			})
		}
		rec.Release()
	}
}
