package datasets_test

import (
	"fmt"
	"os"
	"path/filepath"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/recaudit/recaudit/datasets"
)

// ExampleWriteTable writes a small users table as Parquet, with the roles
// of its columns in the field metadata, and reads it back.
func ExampleWriteTable() {
	dir, err := os.MkdirTemp("", "datasets-example")
	if err != nil {
		panic(err)
	}
	defer os.RemoveAll(dir)

	role := func(r datasets.Role) arrow.Metadata {
		return arrow.NewMetadata([]string{datasets.MetadataRole}, []string{r.String()})
	}
	schema := arrow.NewSchema([]arrow.Field{
		{Name: "user_id", Type: arrow.BinaryTypes.String, Metadata: role(datasets.RoleUserID)},
		{Name: "age_band", Type: arrow.BinaryTypes.String, Metadata: role(datasets.RoleSensitive)},
	}, nil)
	b := array.NewRecordBuilder(memory.DefaultAllocator, schema)
	defer b.Release()
	b.Field(0).(*array.StringBuilder).AppendValues([]string{"u1", "u2"}, nil)
	b.Field(1).(*array.StringBuilder).AppendValues([]string{"18-34", "35+"}, nil)
	rec := b.NewRecordBatch()
	defer rec.Release()

	path := filepath.Join(dir, "users.parquet")
	if err := datasets.WriteTable(path, schema, []arrow.RecordBatch{rec}); err != nil {
		panic(err)
	}

	r, err := datasets.OpenTable(path)
	if err != nil {
		panic(err)
	}
	defer r.Close()
	for _, f := range r.Schema().Fields() {
		role, _ := f.Metadata.GetValue(datasets.MetadataRole)
		fmt.Printf("%s %s role=%s\n", f.Name, f.Type, role)
	}
	for r.Next() {
		fmt.Println(r.RecordBatch().NumRows(), "rows")
	}
	if err := r.Err(); err != nil {
		panic(err)
	}
	// Output:
	// user_id utf8 role=user_id
	// age_band utf8 role=sensitive
	// 2 rows
}

// ExampleWriteTable_csv shows the CSV conventions: lists joined with "|",
// nulls as empty cells, floats that read back as floats.
func ExampleWriteTable_csv() {
	dir, err := os.MkdirTemp("", "datasets-example")
	if err != nil {
		panic(err)
	}
	defer os.RemoveAll(dir)

	schema := arrow.NewSchema([]arrow.Field{
		{Name: "item_id", Type: arrow.PrimitiveTypes.Int64},
		{Name: "category", Type: arrow.ListOf(arrow.BinaryTypes.String), Nullable: true},
		{Name: "price", Type: arrow.PrimitiveTypes.Float64, Nullable: true},
	}, nil)
	b := array.NewRecordBuilder(memory.DefaultAllocator, schema)
	defer b.Release()
	b.Field(0).(*array.Int64Builder).AppendValues([]int64{10, 11}, nil)
	lb := b.Field(1).(*array.ListBuilder)
	vb := lb.ValueBuilder().(*array.StringBuilder)
	lb.Append(true)
	vb.AppendValues([]string{"loans", "cards"}, nil)
	lb.AppendNull()
	b.Field(2).(*array.Float64Builder).AppendValues([]float64{3, 0}, []bool{true, false})
	rec := b.NewRecordBatch()
	defer rec.Release()

	path := filepath.Join(dir, "items.csv")
	if err := datasets.WriteTable(path, schema, []arrow.RecordBatch{rec}); err != nil {
		panic(err)
	}
	text, err := os.ReadFile(path)
	if err != nil {
		panic(err)
	}
	fmt.Print(string(text))

	r, err := datasets.OpenTable(path)
	if err != nil {
		panic(err)
	}
	defer r.Close()
	fmt.Println(r.Schema().Field(1).Type, r.Schema().Field(2).Type)
	// Output:
	// item_id,category,price
	// 10,loans|cards,3.0
	// 11,,
	// list<item: utf8, nullable> float64
}
