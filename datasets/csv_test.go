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
	"github.com/apache/arrow-go/v18/arrow/memory"
	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
)

// writeText writes content to name in a new temporary directory.
func writeText(t *testing.T, name, content string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

func TestCSVInference(t *testing.T) {
	// Each case is the cells of column c (one per row) next to a key
	// column k; want is the inferred type and the values read back
	// (hand-derived from the rules documented on CSVListSeparator).
	utc := func(s string) time.Time {
		v, err := time.Parse(time.RFC3339Nano, s)
		if err != nil {
			panic(err)
		}
		return v.UTC()
	}
	str := arrow.BinaryTypes.String
	for _, tc := range []struct {
		name  string
		cells []string
		typ   arrow.DataType
		want  []any
	}{
		{"ints", []string{"1", "-2", "+3", "0"}, arrow.PrimitiveTypes.Int64, []any{int64(1), int64(-2), int64(3), int64(0)}},
		{"int extremes", []string{"9223372036854775807", "-9223372036854775808"}, arrow.PrimitiveTypes.Int64,
			[]any{int64(math.MaxInt64), int64(math.MinInt64)}},
		{"ints with nulls", []string{"", "5", "  ", " 6 "}, arrow.PrimitiveTypes.Int64, []any{nil, int64(5), nil, int64(6)}},
		{"zero and one stay int", []string{"0", "1", "1"}, arrow.PrimitiveTypes.Int64, []any{int64(0), int64(1), int64(1)}},
		{"ints and floats", []string{"1", "2.5", "-1e3"}, arrow.PrimitiveTypes.Float64, []any{1.0, 2.5, -1000.0}},
		{"nan and inf parse", []string{"NaN", "-Inf", "+inf", "1e400", "2"}, arrow.PrimitiveTypes.Float64,
			[]any{math.NaN(), math.Inf(-1), math.Inf(1), math.Inf(1), 2.0}},
		{"bools any case", []string{"true", "FALSE", "True", ""}, arrow.FixedWidthTypes.Boolean, []any{true, false, true, nil}},
		{"bool and int is string", []string{"true", "1"}, str, []any{"true", "1"}},
		{"leading zero is string", []string{"007", "12"}, str, []any{"007", "12"}},
		{"int overflow is string", []string{"99999999999999999999", "1"}, str, []any{"99999999999999999999", "1"}},
		{"underscore is string", []string{"1_000", "2.5"}, str, []any{"1_000", "2.5"}},
		{"hex is string", []string{"0x1p4", "-0X10p0", "2.5"}, str, []any{"0x1p4", "-0X10p0", "2.5"}},
		{"times", []string{"2024-05-01", "2024-05-01T12:00:00+02:00", "2024-05-01T10:00:00.123456789Z", ""}, csvTimestamp,
			[]any{utc("2024-05-01T00:00:00Z"), utc("2024-05-01T10:00:00Z"), utc("2024-05-01T10:00:00.123456789Z"), nil}},
		{"time out of ns range is string", []string{"2024-05-01", "3000-01-01"}, str, []any{"2024-05-01", "3000-01-01"}},
		{"time and int is string", []string{"2024-05-01", "7"}, str, []any{"2024-05-01", "7"}},
		{"strings kept verbatim", []string{" x ", "y", "", "\t"}, str, []any{" x ", "y", nil, nil}},
		{"list", []string{"a|b", "c", "", "|d"}, arrow.ListOf(str),
			[]any{[]string{"a", "b"}, []string{"c"}, []string{}, []string{"", "d"}}},
		{"ints with a pipe is list", []string{"1|2", "3"}, arrow.ListOf(str), []any{[]string{"1", "2"}, []string{"3"}}},
		{"all empty", []string{"", "", " "}, str, []any{nil, nil, nil}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
			defer mem.AssertSize(t, 0)
			var b strings.Builder
			b.WriteString("k,c\n")
			for i, c := range tc.cells {
				b.WriteString(strings.Repeat("x", i+1) + "," + c + "\n")
			}
			path := writeText(t, "t.csv", b.String())
			read := readTable(t, path, nil, WithAllocator(mem))
			if got := read.schema.Field(1).Type; !arrow.TypeEqual(got, tc.typ) {
				t.Errorf("type %s, want %s", got, tc.typ)
			}
			if diff := cmp.Diff(tc.want, read.values["c"], cmpopts.EquateNaNs()); diff != "" {
				t.Errorf("values (-want +got):\n%s", diff)
			}
		})
	}
}

func TestCSVShape(t *testing.T) {
	// Quoting, line endings, a byte-order mark (which must not become part
	// of the first column's name) and an empty table.
	for _, tc := range []struct {
		name, text string
		want       map[string][]any
		batches    int
	}{
		{"bom and crlf", "\uFEFFid,name\r\n1,a\r\n2,b\r\n",
			map[string][]any{"id": {int64(1), int64(2)}, "name": {"a", "b"}}, 1},
		{"quoted fields", "id,name\n1,\"a, b\"\n2,\"say \"\"hi\"\"\"\n3,\"two\nlines\"\n",
			map[string][]any{"id": {int64(1), int64(2), int64(3)}, "name": {"a, b", `say "hi"`, "two\nlines"}}, 1},
		{"blank lines skipped", "id\n\n1\n\n2\n",
			map[string][]any{"id": {int64(1), int64(2)}}, 1},
		{"no final newline", "id,v\n1,2.5",
			map[string][]any{"id": {int64(1)}, "v": {2.5}}, 1},
		{"header only", "id,name\n", map[string][]any{}, 0},
		{"quoted empty single column", "v\n1\n\"\"\n2\n",
			map[string][]any{"v": {int64(1), nil, int64(2)}}, 1},
	} {
		t.Run(tc.name, func(t *testing.T) {
			mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
			defer mem.AssertSize(t, 0)
			read := readTable(t, writeText(t, "t.csv", tc.text), nil, WithAllocator(mem))
			if diff := cmp.Diff(tc.want, read.values); diff != "" {
				t.Errorf("values (-want +got):\n%s", diff)
			}
			if len(read.sizes) != tc.batches {
				t.Errorf("%d batches, want %d", len(read.sizes), tc.batches)
			}
		})
	}
}

func TestCSVErrors(t *testing.T) {
	// Every error names the file, where (column, row, line), and the fix.
	// Byte positions are those encoding/csv reports (1-based).
	const (
		fixFields = "; fix: give every row as many fields as the header; enclose fields that contain commas in double quotes"
		fixQuotes = `; fix: enclose fields that contain commas, quotes or line breaks in double quotes, and double every quote inside them ("")`
	)
	for _, tc := range []struct {
		name, text string
		kind       error
		want       string // the message after "<path>"
		row, line  int64
		column     string
	}{
		{"too few fields", "a,b,c\n1,2,3\n4,5\n", ErrFormat,
			", row 2 (line 3): the row has 2 fields, the header has 3" + fixFields, 2, 3, ""},
		{"one field", "a,b\n1,2\n\n3\n", ErrFormat,
			", row 2 (line 4): the row has 1 field, the header has 2" + fixFields, 2, 4, ""},
		{"too many fields", "a,b\n1,2\n3,4\n5,6,7\n", ErrFormat,
			", row 3 (line 4): the row has 3 fields, the header has 2" + fixFields, 3, 4, ""},
		{"ragged after multiline field", "a,b\n\"x\ny\",2\n3\n", ErrFormat,
			", row 2 (line 4): the row has 1 field, the header has 2" + fixFields, 2, 4, ""},
		{"bare quote", "a,b\n1,2\n3,x\"y\n", ErrFormat,
			`, row 2 (line 3): a quote appears inside an unquoted field (line 3, byte 4)` + fixQuotes, 2, 3, ""},
		{"extraneous quote", "a,b\n1,\"x\"y\n", ErrFormat,
			`, row 1 (line 2): a quote inside a quoted field is not doubled, or the field's closing quote is missing (line 2, byte 5)` + fixQuotes, 1, 2, ""},
		{"unclosed quote", "a,b\n1,2\n3,\"xy\n4,5\n", ErrFormat,
			`, row 2 (line 3): a quoted field opened on line 3 is not closed (reached line 4, byte 5)` + fixQuotes, 2, 3, ""},
		{"bad quote in header", "a,\"b\nc\n", ErrFormat,
			`, line 1: a quoted field opened on line 1 is not closed (reached line 2, byte 3)` + fixQuotes, 0, 1, ""},
		{"duplicate header", "id,x,id\n1,2,3\n", ErrFormat,
			`: column "id", line 1: the header names two columns "id" (fields 1 and 3); fix: give every column a distinct name`, 0, 1, "id"},
		{"empty header name", "id,,x\n1,2,3\n", ErrFormat,
			`, line 1: header field 2 of 3 is empty; fix: give every column a name in the header row`, 0, 1, ""},
		{"empty header after blank lines", "\n\nid,\n", ErrFormat,
			`, line 3: header field 2 of 2 is empty; fix: give every column a name in the header row`, 0, 3, ""},
		{"empty file", "", ErrEmpty,
			`: the file is empty: no header row; fix: write a header row naming the columns, then one row per record`, 0, 0, ""},
		{"only a byte-order mark", "\uFEFF", ErrEmpty,
			`: the file is empty: no header row; fix: write a header row naming the columns, then one row per record`, 0, 0, ""},
		{"only blank lines", "\n\r\n\n", ErrEmpty,
			`: the file is empty: no header row; fix: write a header row naming the columns, then one row per record`, 0, 0, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
			defer mem.AssertSize(t, 0)
			path := writeText(t, "bad.csv", tc.text)
			r, err := OpenTable(path, WithAllocator(mem))
			if err == nil {
				r.Close()
				t.Fatal("OpenTable succeeded, want an error")
			}
			if got, want := err.Error(), path+tc.want; got != want {
				t.Errorf("error\n got: %s\nwant: %s", got, want)
			}
			if !errors.Is(err, tc.kind) {
				t.Errorf("error does not wrap %v", tc.kind)
			}
			var e *Error
			if !errors.As(err, &e) {
				t.Fatalf("error is %T, want *Error", err)
			}
			if e.File != path || e.Row != tc.row || e.Line != tc.line || e.Column != tc.column {
				t.Errorf("File %q Row %d Line %d Column %q, want %q %d %d %q", e.File, e.Row, e.Line, e.Column,
					path, tc.row, tc.line, tc.column)
			}
		})
	}
}

func TestCSVMissingFile(t *testing.T) {
	_, err := OpenTable(filepath.Join(t.TempDir(), "absent.csv"))
	if !errors.Is(err, os.ErrNotExist) {
		t.Errorf("err = %v, want os.ErrNotExist", err)
	}
}

func TestCSVBatchesReleaseOnError(t *testing.T) {
	// Closing a reader part-way through leaves no Arrow memory behind.
	mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
	defer mem.AssertSize(t, 0)
	var b strings.Builder
	b.WriteString("id,tags\n")
	for i := range 100 {
		b.WriteString(strings.Repeat("1", i%5+1) + ",a|b\n")
	}
	r, err := OpenTable(writeText(t, "t.csv", b.String()), WithAllocator(mem), WithBatchSize(7))
	if err != nil {
		t.Fatal(err)
	}
	for range 3 {
		if !r.Next() {
			t.Fatalf("Next = false early: %v", r.Err())
		}
	}
	if n := r.RecordBatch().NumRows(); n != 7 {
		t.Errorf("batch has %d rows, want 7", n)
	}
	if err := r.Close(); err != nil {
		t.Fatal(err)
	}
}

func TestCSVFileChangedWhileReading(t *testing.T) {
	// The types come from the first pass; a value that no longer parses in
	// the second pass is an error, not a panic or a silent null. The file
	// is larger than the reader's buffer, so the change is seen.
	mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
	defer mem.AssertSize(t, 0)
	var b strings.Builder
	b.WriteString("id,v\n")
	for i := range 20000 {
		fmt.Fprintf(&b, "%d,4\n", i)
	}
	path := writeText(t, "t.csv", b.String())
	r, err := OpenTable(path, WithAllocator(mem))
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	f, err := os.OpenFile(path, os.O_WRONLY, 0)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.WriteAt([]byte("x"), int64(b.Len()-2)); err != nil { // the last row's v
		t.Fatal(err)
	}
	f.Close()
	rows := int64(0)
	for r.Next() {
		rows += r.RecordBatch().NumRows()
	}
	if rows != 0 {
		t.Errorf("read %d rows of a file that changed, want 0 (one batch of 65,536 rows fails)", rows)
	}
	want := path + `: column "v", row 20000 (line 20001): value "x" no longer matches the column's type: the file changed while it was read; fix: do not modify the file while recaudit reads it`
	if err := r.Err(); err == nil || err.Error() != want || !errors.Is(err, ErrFormat) {
		t.Errorf("err = %v\nwant %s", err, want)
	}
}
