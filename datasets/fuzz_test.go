package datasets

import (
	"errors"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"
)

// The fuzz targets write their input to a file with the format's
// extension and read it like a loader would: OpenTable, every batch,
// every value, Close. Errors are expected; a panic, a crash or an error
// that is not an ErrFormat or ErrEmpty *Error is a bug. Seeds are small
// valid files made here, plus the files in testdata/fuzz/<FuzzName>,
// which plain `go test` also runs.

// fuzzHang bounds the time one input may take. Go's fuzzer does not
// detect hangs; a panic on another goroutine crashes the worker, and the
// fuzzer then saves the input.
const fuzzHang = 30 * time.Second

// fuzzRead runs one input through OpenTable, in a file in dir.
func fuzzRead(t *testing.T, dir, ext string, data []byte, opts ...Option) {
	timer := time.AfterFunc(fuzzHang, func() { panic("datasets: fuzz input took longer than " + fuzzHang.String()) })
	defer timer.Stop()
	path := filepath.Join(dir, "f"+ext)
	if err := os.WriteFile(path, data, 0o644); err != nil {
		t.Fatal(err)
	}
	err := drain(path, append(opts, WithBatchSize(5))...)
	if err == nil {
		return
	}
	var e *Error
	if !errors.As(err, &e) || !(errors.Is(err, ErrFormat) || errors.Is(err, ErrEmpty)) {
		t.Fatalf("error %v (%T) is not an ErrFormat or ErrEmpty *Error", err, err)
	}
	if e.File != path {
		t.Fatalf("error names file %q, want %q", e.File, path)
	}
}

// seedTables returns small valid tables to seed the binary formats: the
// round-trip table, one column per simple type, and an empty table.
func seedTables(t testing.TB, ext string) [][]byte {
	t.Helper()
	mem := memory.NewGoAllocator()
	var out [][]byte
	write := func(schema *arrow.Schema, recs []arrow.RecordBatch) {
		path := filepath.Join(t.TempDir(), "seed"+ext)
		if err := WriteTable(path, schema, recs); err != nil {
			t.Fatal(err)
		}
		data, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, data)
	}
	out = append(out, validFile(t, ext))

	schema := arrow.NewSchema([]arrow.Field{
		{Name: "user_id", Type: arrow.BinaryTypes.String},
		{Name: "item_id", Type: arrow.PrimitiveTypes.Int32},
		{Name: "value", Type: arrow.PrimitiveTypes.Float32, Nullable: true},
	}, nil)
	b := array.NewRecordBuilder(mem, schema)
	b.Field(0).(*array.StringBuilder).AppendValues([]string{"u1", "u2", "u1"}, nil)
	b.Field(1).(*array.Int32Builder).AppendValues([]int32{7, 8, 9}, nil)
	b.Field(2).(*array.Float32Builder).AppendValues([]float32{1, 0, 2.5}, []bool{true, false, true})
	rec := b.NewRecordBatch()
	b.Release()
	write(schema, []arrow.RecordBatch{rec})
	rec.Release()

	write(schema, nil)
	return out
}

func fuzzBinary(f *testing.F, ext string, opts ...Option) {
	for _, data := range seedTables(f, ext) {
		f.Add(data)
	}
	dir := f.TempDir() // one file per worker process, rewritten for each input
	f.Fuzz(func(t *testing.T, data []byte) {
		fuzzRead(t, dir, ext, data, opts...)
	})
}

func FuzzArrowFileReader(f *testing.F) {
	fuzzBinary(f, ".arrow")
}

// FuzzArrowFileReaderNoMmap reads the same inputs with ordinary reads.
func FuzzArrowFileReaderNoMmap(f *testing.F) {
	fuzzBinary(f, ".arrow", WithoutMmap())
}

func FuzzArrowStreamReader(f *testing.F) {
	fuzzBinary(f, ".arrows")
}

func FuzzParquetReader(f *testing.F) {
	fuzzBinary(f, ".parquet")
}

func FuzzParquetReaderColumns(f *testing.F) {
	fuzzBinary(f, ".parquet", WithColumns("user_id", "tags", "value"))
}

func FuzzCSVReader(f *testing.F) {
	for _, s := range []string{
		"user_id,item_id,value\nu1,i1,4.5\nu2,i2,\n",
		"\uFEFFid,tags,ok,when\r\n1,a|b,true,2024-05-01\r\n2,,FALSE,2024-05-01T12:00:00Z\r\n",
		"a,b\n\"x, y\",\"say \"\"hi\"\"\"\n\"multi\nline\",007\n",
		"a,b\n1\n",
		"a,a\n1,2\n",
		"a,\"b\n",
		"",
		"v\n\"\"\n1e400\nNaN\n",
	} {
		f.Add([]byte(s))
	}
	f.Add(validFile(f, ".csv"))
	dir := f.TempDir()
	f.Fuzz(func(t *testing.T, data []byte) {
		fuzzRead(t, dir, ".csv", data)
	})
}
