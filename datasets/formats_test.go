package datasets

import (
	"errors"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"
	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
)

// testSchema is the schema of the round-trip table: one column of every
// type the readers must support, with field and schema metadata.
func testSchema() *arrow.Schema {
	role := func(r Role) arrow.Metadata { return arrow.NewMetadata([]string{MetadataRole}, []string{r.String()}) }
	return arrow.NewSchema([]arrow.Field{
		{Name: "user_id", Type: arrow.PrimitiveTypes.Int64, Metadata: role(RoleUserID)},
		{Name: "score", Type: arrow.PrimitiveTypes.Float64, Nullable: true, Metadata: role(RoleValue)},
		{Name: "consent", Type: arrow.FixedWidthTypes.Boolean, Nullable: true, Metadata: role(RoleConsent)},
		{Name: "name", Type: arrow.BinaryTypes.String, Nullable: true},
		{Name: "provider", Type: &arrow.DictionaryType{IndexType: arrow.PrimitiveTypes.Int32, ValueType: arrow.BinaryTypes.String},
			Nullable: true, Metadata: role(RoleItemGroup)},
		{Name: "tags", Type: arrow.ListOf(arrow.BinaryTypes.String), Nullable: true, Metadata: role(RoleAttribute)},
		{Name: "ts", Type: &arrow.TimestampType{Unit: arrow.Millisecond, TimeZone: "UTC"}, Nullable: true, Metadata: role(RoleTimestamp)},
		{Name: "joined", Type: &arrow.TimestampType{Unit: arrow.Second}, Nullable: true}, // no time zone
	}, func() *arrow.Metadata {
		m := arrow.NewMetadata([]string{"recaudit.table", "source"}, []string{"users", "formats_test"})
		return &m
	}())
}

// testRow is one row of the round-trip table; nil pointers are nulls.
type testRow struct {
	id       int64
	score    *float64
	consent  *bool
	name     *string
	provider *string
	tags     []string // nil = null list
	ts       *time.Time
}

func ptr[T any](v T) *T { return &v }

// testRows returns the round-trip table's rows, split into batches. The
// batches' dictionaries differ, and values are chosen to be exactly
// representable in every format (see CSVListSeparator for CSV's limits).
func testRows() [][]testRow {
	t0 := time.Date(2024, 5, 1, 12, 30, 15, 123e6, time.UTC)
	return [][]testRow{
		{
			{1, ptr(4.5), ptr(true), ptr("Ada"), ptr("acme"), []string{"news", "sport"}, ptr(t0)},
			{2, nil, ptr(false), ptr("Bob, Jr."), ptr("zenith"), []string{"news"}, nil},
			{-3, ptr(0.1), nil, nil, nil, nil, ptr(t0.Add(-48 * time.Hour))},
		},
		{
			{math.MaxInt64, ptr(1e-300), ptr(true), ptr("say \"hi\""), ptr("acme"), []string{}, ptr(t0.Add(time.Millisecond))},
			{math.MinInt64, ptr(3.0), ptr(false), ptr("line\nbreak"), ptr("beta"), []string{"a", "b", "c"}, ptr(t0.Add(365 * 24 * time.Hour))},
		},
		{
			{42, ptr(-2.25e10), ptr(true), ptr(" padded "), nil, []string{"x"}, nil},
		},
	}
}

// buildBatches builds the record batches of rows with mem.
func buildBatches(t testing.TB, mem memory.Allocator, schema *arrow.Schema, batches [][]testRow) []arrow.RecordBatch {
	t.Helper()
	var out []arrow.RecordBatch
	for _, rows := range batches {
		b := array.NewRecordBuilder(mem, schema)
		for _, r := range rows {
			b.Field(0).(*array.Int64Builder).Append(r.id)
			if r.score != nil {
				b.Field(1).(*array.Float64Builder).Append(*r.score)
			} else {
				b.Field(1).AppendNull()
			}
			if r.consent != nil {
				b.Field(2).(*array.BooleanBuilder).Append(*r.consent)
			} else {
				b.Field(2).AppendNull()
			}
			if r.name != nil {
				b.Field(3).(*array.StringBuilder).Append(*r.name)
			} else {
				b.Field(3).AppendNull()
			}
			if r.provider != nil {
				if err := b.Field(4).(*array.BinaryDictionaryBuilder).AppendString(*r.provider); err != nil {
					t.Fatal(err)
				}
			} else {
				b.Field(4).AppendNull()
			}
			lb := b.Field(5).(*array.ListBuilder)
			if r.tags != nil {
				lb.Append(true)
				for _, s := range r.tags {
					lb.ValueBuilder().(*array.StringBuilder).Append(s)
				}
			} else {
				lb.AppendNull()
			}
			if r.ts != nil {
				b.Field(6).(*array.TimestampBuilder).Append(arrow.Timestamp(r.ts.UnixMilli()))
				b.Field(7).(*array.TimestampBuilder).Append(arrow.Timestamp(r.ts.Unix() - 86400*400))
			} else {
				b.Field(6).AppendNull()
				b.Field(7).AppendNull()
			}
		}
		out = append(out, b.NewRecordBatch())
		b.Release()
	}
	return out
}

func releaseAll(recs []arrow.RecordBatch) {
	for _, r := range recs {
		r.Release()
	}
}

// cellValue converts cell i of a into a plain Go value: nil for null,
// int64, float64, bool, string, []string or time.Time (UTC).
func cellValue(a arrow.Array, i int) any {
	if a.IsNull(i) {
		return nil
	}
	switch a := a.(type) {
	case *array.Int64:
		return a.Value(i)
	case *array.Float64:
		return a.Value(i)
	case *array.Boolean:
		return a.Value(i)
	case *array.String:
		return a.Value(i)
	case *array.LargeString:
		return a.Value(i)
	case *array.Dictionary:
		return cellValue(a.Dictionary(), a.GetValueIndex(i))
	case *array.Timestamp:
		return a.Value(i).ToTime(a.DataType().(*arrow.TimestampType).Unit)
	case array.ListLike:
		lo, hi := a.ValueOffsets(i)
		out := []string{}
		for k := lo; k < hi; k++ {
			out = append(out, cellValue(a.ListValues(), int(k)).(string))
		}
		return out
	}
	panic(fmt.Sprintf("cellValue: unexpected type %s", a.DataType()))
}

// tableValues returns the values of every column of batches, by column name.
func tableValues(batches []arrow.RecordBatch) map[string][]any {
	out := map[string][]any{}
	for _, b := range batches {
		for j, c := range b.Columns() {
			name := b.Schema().Field(j).Name
			for i := 0; i < c.Len(); i++ {
				out[name] = append(out[name], cellValue(c, i))
			}
		}
	}
	return out
}

// tableRead is what readTable found in a file.
type tableRead struct {
	schema *arrow.Schema
	values map[string][]any // see tableValues
	sizes  []int64          // rows per batch
}

// readTable opens path with OpenTable and reads every batch, calling each
// (if not nil) on every batch before the next. Everything is extracted
// before the reader is closed: batches of a memory-mapped Arrow file must
// not be used after Close, even when retained.
func readTable(t *testing.T, path string, each func(arrow.RecordBatch), opts ...Option) tableRead {
	t.Helper()
	r, err := OpenTable(path, opts...)
	if err != nil {
		t.Fatalf("OpenTable(%s): %v", path, err)
	}
	defer func() {
		if err := r.Close(); err != nil {
			t.Errorf("Close: %v", err)
		}
	}()
	out := tableRead{schema: r.Schema(), values: map[string][]any{}}
	for r.Next() {
		b := r.RecordBatch()
		for name, vs := range tableValues([]arrow.RecordBatch{b}) {
			out.values[name] = append(out.values[name], vs...)
		}
		out.sizes = append(out.sizes, b.NumRows())
		if each != nil {
			each(b)
		}
	}
	if err := r.Err(); err != nil {
		t.Fatalf("reading %s: %v", path, err)
	}
	return out
}

func testMetadataMap(m arrow.Metadata) map[string]string {
	out := map[string]string{}
	for i, k := range m.Keys() {
		out[k] = m.Values()[i]
	}
	return out
}

func TestRoundTrip(t *testing.T) {
	for _, ext := range []string{".arrow", ".feather", ".arrows", ".parquet", ".csv"} {
		t.Run(ext, func(t *testing.T) {
			mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
			defer mem.AssertSize(t, 0)

			schema := testSchema()
			in := buildBatches(t, mem, schema, testRows())
			defer releaseAll(in)
			want := tableValues(in)

			path := filepath.Join(t.TempDir(), "t"+ext)
			if err := WriteTable(path, schema, in, WithAllocator(mem)); err != nil {
				t.Fatalf("WriteTable: %v", err)
			}
			read := readTable(t, path, nil, WithAllocator(mem), WithBatchSize(2))
			gotSchema, got := read.schema, read.values

			if ext == ".csv" {
				// CSV has no null list: a null list reads back as empty.
				for i, v := range want["tags"] {
					if v == nil {
						want["tags"][i] = []string{}
					}
				}
			}
			for _, f := range schema.Fields() {
				if diff := cmp.Diff(want[f.Name], got[f.Name], cmpopts.EquateNaNs()); diff != "" {
					t.Errorf("column %s (-want +got):\n%s", f.Name, diff)
				}
			}
			if gotSchema.NumFields() != schema.NumFields() {
				t.Fatalf("read %d fields, want %d", gotSchema.NumFields(), schema.NumFields())
			}

			if ext == ".csv" {
				// CSV keeps values, not metadata; the types are inferred.
				wantTypes := []arrow.DataType{arrow.PrimitiveTypes.Int64, arrow.PrimitiveTypes.Float64,
					arrow.FixedWidthTypes.Boolean, arrow.BinaryTypes.String, arrow.BinaryTypes.String,
					arrow.ListOf(arrow.BinaryTypes.String), csvTimestamp, csvTimestamp}
				for j, f := range gotSchema.Fields() {
					if !arrow.TypeEqual(f.Type, wantTypes[j]) {
						t.Errorf("column %s: type %s, want %s", f.Name, f.Type, wantTypes[j])
					}
					if f.HasMetadata() {
						t.Errorf("column %s: unexpected metadata %v", f.Name, f.Metadata)
					}
				}
				return
			}
			for j, f := range gotSchema.Fields() {
				wf := schema.Field(j)
				if ext == ".parquet" && wf.Name == "joined" {
					// Parquet has no seconds unit: pqarrow stores
					// milliseconds and reads them back as such.
					wf.Type = &arrow.TimestampType{Unit: arrow.Millisecond}
				}
				if f.Name != wf.Name || !arrow.TypeEqual(f.Type, wf.Type) {
					t.Errorf("field %d: %s %s, want %s %s", j, f.Name, f.Type, wf.Name, wf.Type)
				}
				if diff := cmp.Diff(testMetadataMap(wf.Metadata), testMetadataMap(f.Metadata)); diff != "" {
					t.Errorf("field %s metadata (-want +got):\n%s", f.Name, diff)
				}
			}
			gotMeta := testMetadataMap(gotSchema.Metadata())
			delete(gotMeta, "ARROW:schema") // Parquet's copy of the Arrow schema
			if diff := cmp.Diff(testMetadataMap(schema.Metadata()), gotMeta); diff != "" {
				t.Errorf("schema metadata (-want +got):\n%s", diff)
			}
		})
	}
}

// TestRoundTripBatching checks that batches come back with the configured
// number of rows where the format lets the reader choose (Parquet, CSV),
// and as written otherwise.
func TestRoundTripBatching(t *testing.T) {
	for _, tc := range []struct {
		ext  string
		want []int64 // rows per batch read back with WithBatchSize(4)
	}{
		{".arrow", []int64{3, 7}}, // as written
		{".arrows", []int64{3, 7}},
		{".parquet", []int64{4, 4, 2}},
		{".csv", []int64{4, 4, 2}},
	} {
		t.Run(tc.ext, func(t *testing.T) {
			mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
			defer mem.AssertSize(t, 0)
			schema := arrow.NewSchema([]arrow.Field{{Name: "x", Type: arrow.PrimitiveTypes.Int64}}, nil)
			var in []arrow.RecordBatch
			next := int64(0)
			for _, n := range []int{3, 7} {
				b := array.NewInt64Builder(mem)
				for range n {
					b.Append(next)
					next++
				}
				col := b.NewArray()
				in = append(in, array.NewRecordBatch(schema, []arrow.Array{col}, int64(n)))
				col.Release()
				b.Release()
			}
			defer releaseAll(in)
			path := filepath.Join(t.TempDir(), "t"+tc.ext)
			if err := WriteTable(path, schema, in, WithAllocator(mem)); err != nil {
				t.Fatal(err)
			}
			read := readTable(t, path, nil, WithAllocator(mem), WithBatchSize(4))
			if diff := cmp.Diff(tc.want, read.sizes); diff != "" {
				t.Errorf("batch sizes (-want +got):\n%s", diff)
			}
			want := map[string][]any{"x": {}}
			for i := range int64(10) {
				want["x"] = append(want["x"], i)
			}
			if diff := cmp.Diff(want, read.values); diff != "" {
				t.Errorf("values (-want +got):\n%s", diff)
			}
		})
	}
}

// TestRoundTripEmpty writes a table with no rows: every format keeps the
// columns (CSV as strings: nothing to infer from).
func TestRoundTripEmpty(t *testing.T) {
	for _, ext := range []string{".arrow", ".arrows", ".parquet", ".csv"} {
		t.Run(ext, func(t *testing.T) {
			mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
			defer mem.AssertSize(t, 0)
			schema := arrow.NewSchema([]arrow.Field{
				{Name: "a", Type: arrow.PrimitiveTypes.Int64},
				{Name: "b", Type: arrow.BinaryTypes.String},
			}, nil)
			path := filepath.Join(t.TempDir(), "t"+ext)
			if err := WriteTable(path, schema, nil, WithAllocator(mem)); err != nil {
				t.Fatal(err)
			}
			read := readTable(t, path, nil, WithAllocator(mem))
			got := read.schema
			rows := int64(0)
			for _, n := range read.sizes {
				rows += n
			}
			if rows != 0 {
				t.Errorf("read %d rows, want 0", rows)
			}
			if got.NumFields() != 2 || got.Field(0).Name != "a" || got.Field(1).Name != "b" {
				t.Errorf("schema %v, want columns a, b", got)
			}
		})
	}
}

func TestWriteArrowDictionaryUnified(t *testing.T) {
	// Batches with different dictionaries: the IPC file gets one unified
	// dictionary, and every batch reads back its own values.
	mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
	defer mem.AssertSize(t, 0)
	schema := testSchema()
	in := buildBatches(t, mem, schema, testRows())
	defer releaseAll(in)
	path := filepath.Join(t.TempDir(), "d.arrow")
	if err := WriteTable(path, schema, in, WithAllocator(mem)); err != nil {
		t.Fatal(err)
	}
	for _, mmap := range []bool{true, false} {
		var dicts []string
		opts := []Option{WithAllocator(mem)}
		if !mmap {
			opts = append(opts, WithoutMmap())
		}
		read := readTable(t, path, func(b arrow.RecordBatch) {
			dicts = append(dicts, fmt.Sprint(b.Column(4).(*array.Dictionary).Dictionary()))
		}, opts...)
		if len(read.sizes) != len(in) {
			t.Fatalf("read %d batches, want %d", len(read.sizes), len(in))
		}
		for i, d := range dicts {
			if d != dicts[0] {
				t.Errorf("mmap %v: batch %d dictionary %s differs from batch 0's %s", mmap, i, d, dicts[0])
			}
		}
		if diff := cmp.Diff(tableValues(in), read.values); diff != "" {
			t.Errorf("mmap %v: values (-want +got):\n%s", mmap, diff)
		}
	}
}

func TestWriteTableColumnsRead(t *testing.T) {
	// WithColumns: Parquet reads only the requested columns, skipping
	// absent names; other formats may return every column.
	mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
	defer mem.AssertSize(t, 0)
	schema := testSchema()
	in := buildBatches(t, mem, schema, testRows())
	defer releaseAll(in)
	path := filepath.Join(t.TempDir(), "c.parquet")
	if err := WriteTable(path, schema, in, WithAllocator(mem)); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		cols []string
		want []string
	}{
		{[]string{"tags", "user_id", "nosuch"}, []string{"user_id", "tags"}}, // file order
		{[]string{"ts"}, []string{"ts"}},
		{[]string{"nosuch"}, nil},
	} {
		read := readTable(t, path, nil, WithAllocator(mem), WithColumns(tc.cols...))
		got := read.schema
		var names []string
		for _, f := range got.Fields() {
			names = append(names, f.Name)
		}
		if diff := cmp.Diff(tc.want, names); diff != "" {
			t.Errorf("WithColumns(%q) fields (-want +got):\n%s", tc.cols, diff)
		}
		for _, f := range got.Fields() {
			if r, ok := f.Metadata.GetValue(MetadataRole); f.Name == "user_id" && (!ok || r != "user_id") {
				t.Errorf("user_id lost its role metadata: %v", f.Metadata)
			}
		}
		rows := int64(0)
		for _, n := range read.sizes {
			rows += n
		}
		if len(tc.want) > 0 && rows != 6 {
			t.Errorf("WithColumns(%q): %d rows, want 6", tc.cols, rows)
		}
	}
}

func TestWriteTableUnknownExtension(t *testing.T) {
	mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
	defer mem.AssertSize(t, 0)
	schema := arrow.NewSchema([]arrow.Field{{Name: "a", Type: arrow.PrimitiveTypes.Int64}}, nil)
	dir := t.TempDir()
	path := filepath.Join(dir, "t.xlsx")
	err := WriteTable(path, schema, nil, WithAllocator(mem))
	var e *Error
	if !errors.As(err, &e) || !errors.Is(err, ErrFormat) || !strings.Contains(err.Error(), `unknown file extension ".xlsx"`) {
		t.Errorf("err = %v, want an ErrFormat *Error about the extension", err)
	}
	if _, err := os.Stat(path); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("WriteTable created %s", path)
	}
	if _, err := OpenTable(path); !errors.Is(err, ErrFormat) {
		t.Errorf("OpenTable(.xlsx) = %v, want ErrFormat", err)
	}
}

func TestWriteTablePanics(t *testing.T) {
	mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
	defer mem.AssertSize(t, 0)
	schema := arrow.NewSchema([]arrow.Field{{Name: "a", Type: arrow.PrimitiveTypes.Int64}}, nil)
	other := arrow.NewSchema([]arrow.Field{{Name: "a", Type: arrow.PrimitiveTypes.Float64}}, nil)
	b := array.NewFloat64Builder(mem)
	b.Append(1)
	col := b.NewArray()
	b.Release()
	rec := array.NewRecordBatch(other, []arrow.Array{col}, 1)
	col.Release()
	defer rec.Release()
	path := filepath.Join(t.TempDir(), "p.arrow")
	for name, f := range map[string]func(){
		"nil schema":    func() { _ = WriteTable(path, nil, nil) },
		"type mismatch": func() { _ = WriteTable(path, schema, []arrow.RecordBatch{rec}) },
	} {
		if msg := panicMessage(f); !strings.HasPrefix(msg, "datasets: ") {
			t.Errorf("%s: panic %q, want one starting with \"datasets: \"", name, msg)
		}
	}
}

// panicMessage runs f and returns what it panicked with, or "".
func panicMessage(f func()) (msg string) {
	defer func() {
		if p := recover(); p != nil {
			msg = fmt.Sprint(p)
		}
	}()
	f()
	return ""
}

func TestWriteTableKeepsOldFileOnError(t *testing.T) {
	// A CSV write that fails half-way (a list element CSV cannot hold)
	// leaves the previous file and no temporary file.
	mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
	defer mem.AssertSize(t, 0)
	schema := arrow.NewSchema([]arrow.Field{{Name: "tags", Type: arrow.ListOf(arrow.BinaryTypes.String)}}, nil)
	lb := array.NewListBuilder(mem, arrow.BinaryTypes.String)
	vb := lb.ValueBuilder().(*array.StringBuilder)
	lb.Append(true)
	vb.Append("ok")
	lb.Append(true)
	vb.Append("a|b")
	col := lb.NewArray()
	lb.Release()
	rec := array.NewRecordBatch(schema, []arrow.Array{col}, 2)
	col.Release()
	defer rec.Release()

	dir := t.TempDir()
	path := filepath.Join(dir, "t.csv")
	if err := os.WriteFile(path, []byte("old\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	err := WriteTable(path, schema, []arrow.RecordBatch{rec}, WithAllocator(mem))
	want := path + `: column "tags", row 2: the list holds "a|b", which contains the list separator "|", which CSV cannot represent; fix: write the table as Arrow (.arrow) or Parquet (.parquet), which hold any Arrow type`
	if err == nil || err.Error() != want || !errors.Is(err, ErrValue) {
		t.Errorf("err = %v\nwant %s", err, want)
	}
	if b, _ := os.ReadFile(path); string(b) != "old\n" {
		t.Errorf("file now holds %q, want the old content", b)
	}
	if es, _ := os.ReadDir(dir); len(es) != 1 {
		t.Errorf("directory holds %d entries, want 1 (no temporary file)", len(es))
	}
}

func TestWriteCSVUnsupported(t *testing.T) {
	mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
	defer mem.AssertSize(t, 0)
	for _, tc := range []struct {
		schema *arrow.Schema
		want   string
	}{
		{arrow.NewSchema([]arrow.Field{{Name: "b", Type: arrow.BinaryTypes.Binary}}, nil),
			`column "b": CSV cannot hold a column of type binary`},
		{arrow.NewSchema([]arrow.Field{{Name: "x", Type: arrow.PrimitiveTypes.Int64}, {Name: "x", Type: arrow.PrimitiveTypes.Int64}}, nil),
			`column "x": a CSV header needs distinct, non-empty column names`},
		{arrow.NewSchema([]arrow.Field{{Name: "", Type: arrow.PrimitiveTypes.Int64}}, nil),
			`: a CSV header needs distinct, non-empty column names`},
	} {
		err := WriteTable(filepath.Join(t.TempDir(), "u.csv"), tc.schema, nil, WithAllocator(mem))
		if err == nil || !strings.Contains(err.Error(), tc.want) || !errors.Is(err, ErrSchema) {
			t.Errorf("err = %v, want ErrSchema containing %q", err, tc.want)
		}
	}
}

func TestWriteCSVText(t *testing.T) {
	// The exact text WriteTable produces for CSV (hand-written expectation
	// following the conventions documented on CSVListSeparator).
	mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
	defer mem.AssertSize(t, 0)
	schema := testSchema()
	in := buildBatches(t, mem, schema, testRows())
	defer releaseAll(in)
	path := filepath.Join(t.TempDir(), "t.csv")
	if err := WriteTable(path, schema, in, WithAllocator(mem)); err != nil {
		t.Fatal(err)
	}
	got, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	want := `user_id,score,consent,name,provider,tags,ts,joined
1,4.5,true,Ada,acme,news|sport,2024-05-01T12:30:15.123Z,2023-03-28T12:30:15Z
2,,false,"Bob, Jr.",zenith,news,,
-3,0.1,,,,,2024-04-29T12:30:15.123Z,2023-03-26T12:30:15Z
9223372036854775807,1e-300,true,"say ""hi""",acme,,2024-05-01T12:30:15.124Z,2023-03-28T12:30:15Z
-9223372036854775808,3.0,false,"line
break",beta,a|b|c,2025-05-01T12:30:15.123Z,2024-03-27T12:30:15Z
42,-2.25e+10,true," padded ",,x,,
`
	if diff := cmp.Diff(want, string(got)); diff != "" {
		t.Errorf("CSV text (-want +got):\n%s", diff)
	}
}

func TestWriteCSVSingleColumnNull(t *testing.T) {
	// A one-column row whose cell is null must not become an empty line,
	// which CSV readers skip.
	mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
	defer mem.AssertSize(t, 0)
	schema := arrow.NewSchema([]arrow.Field{{Name: "v", Type: arrow.PrimitiveTypes.Float64, Nullable: true}}, nil)
	b := array.NewFloat64Builder(mem)
	b.AppendValues([]float64{1, 0, math.Inf(1), math.NaN(), 2}, []bool{true, false, true, true, true})
	col := b.NewArray()
	b.Release()
	rec := array.NewRecordBatch(schema, []arrow.Array{col}, 5)
	col.Release()
	defer rec.Release()
	path := filepath.Join(t.TempDir(), "one.csv")
	if err := WriteTable(path, schema, []arrow.RecordBatch{rec}, WithAllocator(mem)); err != nil {
		t.Fatal(err)
	}
	text, _ := os.ReadFile(path)
	if want := "v\n1.0\n\"\"\n+Inf\nNaN\n2.0\n"; string(text) != want {
		t.Errorf("CSV text %q, want %q", text, want)
	}
	read := readTable(t, path, nil, WithAllocator(mem))
	want := map[string][]any{"v": {1.0, nil, math.Inf(1), math.NaN(), 2.0}}
	if diff := cmp.Diff(want, read.values, cmpopts.EquateNaNs()); diff != "" {
		t.Errorf("values (-want +got):\n%s", diff)
	}
}

func TestFloatFormatRoundTrip(t *testing.T) {
	// formatCSVFloat must give back the identical float64 through
	// parseFloat, and keep integral values recognisably float.
	for _, v := range []float64{0, math.Copysign(0, -1), 1, -7, 0.1, 1.0 / 3, math.Pi, 1e21, 1e-320,
		math.MaxFloat64, math.SmallestNonzeroFloat64, 123456789012345678} {
		s := formatCSVFloat(v, 64)
		if _, isInt := intLiteral(s); isInt {
			t.Errorf("%v formats as %q, which reads back as an integer", v, s)
		}
		got, ok := parseFloat(s)
		if !ok || math.Float64bits(got) != math.Float64bits(v) {
			t.Errorf("%v -> %q -> %v, want the same bits", v, s, got)
		}
	}
}
