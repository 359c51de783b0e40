package datasets

import (
	"bufio"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"os"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
)

// CSVListSeparator separates the elements of a list<string> cell in a CSV
// file: the cell "news|sport" holds the two elements "news" and "sport".
//
// # CSV conventions
//
// A CSV table has a header row naming its columns; names must be non-empty
// and distinct. Every row must have as many fields as the header. Quoting
// follows RFC 4180 (fields containing commas, quotes or line breaks are
// enclosed in double quotes, and a quote inside them is doubled). A UTF-8
// byte-order mark at the start of the file is ignored.
//
// CSV has no types, so the reader infers one per column from all of its
// non-blank cells, trying in order:
//
//	int64      every cell is a base-10 integer in int64 range without a
//	           leading zero ("-12", "0", "+7")
//	float64    every cell parses with strconv.ParseFloat ("2.5", "1e-3",
//	           "NaN", "Inf"; the validator rejects NaN and infinities later)
//	bool       every cell is true or false, in any letter case
//	timestamp  every cell is an RFC 3339 time ("2024-05-01T12:00:00Z",
//	           "2024-05-01T12:00:00.5+02:00") or a date ("2024-05-01",
//	           midnight UTC); read as timestamp[ns, UTC]
//	list       otherwise, if any cell contains [CSVListSeparator]:
//	           list<string>, elements split on the separator
//	string     otherwise
//
// A blank cell (empty, or only spaces and tabs) is null, whatever the
// column's type, except in a list column, where it is an empty list.
// Surrounding spaces are ignored when parsing numbers, booleans and times;
// strings are kept exactly as written. A column with no non-blank cells is
// a string column of nulls. Integers with a leading zero ("007") or beyond
// the int64 range make their column a string column, so that identifiers
// such as postal codes and long account numbers keep their exact spelling.
// Note that 0 and 1 are integers, not booleans.
//
// [WriteTable] writes CSV so that it reads back with the same values:
// nulls as empty cells, floats in the shortest form that parses back to
// the same float64 (with ".0" added to integral values, so the column
// stays float64), booleans as true and false, timestamps in RFC 3339 UTC,
// dictionary-encoded strings as their values, and lists joined with the
// separator. Types can still change on the way back (a string column whose
// values all look like numbers reads back as numbers; a dictionary column
// as plain strings; an empty string reads back as null), so prefer Arrow
// or Parquet when the exact schema matters.
const CSVListSeparator = "|"

// csvKind is the type inferred for a CSV column.
type csvKind int

const (
	csvInt csvKind = iota
	csvFloat
	csvBool
	csvTime
	csvString
	csvList
)

// csvTimestamp is the Arrow type of inferred time columns.
var csvTimestamp = &arrow.TimestampType{Unit: arrow.Nanosecond, TimeZone: "UTC"}

func (k csvKind) dataType() arrow.DataType {
	switch k {
	case csvInt:
		return arrow.PrimitiveTypes.Int64
	case csvFloat:
		return arrow.PrimitiveTypes.Float64
	case csvBool:
		return arrow.FixedWidthTypes.Boolean
	case csvTime:
		return csvTimestamp
	case csvList:
		return arrow.ListOf(arrow.BinaryTypes.String)
	}
	return arrow.BinaryTypes.String
}

// csvInfer accumulates what the cells of one column could be.
type csvInfer struct {
	notInt, notFloat, notBool, notTime bool
	pipe                               bool
	any                                bool // some cell is not blank
}

func (c *csvInfer) add(cell string) {
	if !c.pipe && strings.Contains(cell, CSVListSeparator) {
		c.pipe = true
	}
	t := trimBlank(cell)
	if t == "" {
		return
	}
	c.any = true
	if c.notInt && c.notFloat && c.notBool && c.notTime {
		return
	}
	if digits, ok := intLiteral(t); ok {
		// An integer: int64 unless it has a leading zero or overflows, in
		// which case it is an identifier and the column is text.
		if (len(digits) > 1 && digits[0] == '0') || !parsesInt(t) {
			c.notInt, c.notFloat, c.notBool, c.notTime = true, true, true, true
			return
		}
		c.notBool, c.notTime = true, true
		return
	}
	c.notInt = true
	if !c.notFloat && !parsesFloat(t) {
		c.notFloat = true
	}
	if !c.notBool && !isBool(t) {
		c.notBool = true
	}
	if !c.notTime {
		if _, ok := parseCSVTime(t); !ok {
			c.notTime = true
		}
	}
}

func (c *csvInfer) kind() csvKind {
	switch {
	case !c.any:
		return csvString
	case !c.notInt:
		return csvInt
	case !c.notFloat:
		return csvFloat
	case !c.notBool:
		return csvBool
	case !c.notTime:
		return csvTime
	case c.pipe:
		return csvList
	}
	return csvString
}

// trimBlank removes surrounding spaces and tabs.
func trimBlank(s string) string { return strings.Trim(s, " \t") }

// intLiteral reports whether s is an optional sign followed by one or more
// ASCII digits, and returns the digits.
func intLiteral(s string) (string, bool) {
	d := s
	if d != "" && (d[0] == '+' || d[0] == '-') {
		d = d[1:]
	}
	if d == "" {
		return "", false
	}
	for i := 0; i < len(d); i++ {
		if d[i] < '0' || d[i] > '9' {
			return "", false
		}
	}
	return d, true
}

func parsesInt(s string) bool {
	_, err := strconv.ParseInt(s, 10, 64)
	return err == nil
}

// parseFloat parses a decimal float, accepting values out of float64 range
// as ±Inf (the validator reports them with their row). Go's own literal
// forms that strconv.ParseFloat also accepts (digit separators "1_000",
// hexadecimal "0x1p4") are not numbers in a CSV file.
func parseFloat(s string) (float64, bool) {
	if strings.ContainsRune(s, '_') || len(s) > 1 && (s[1] == 'x' || s[1] == 'X') ||
		len(s) > 2 && (s[2] == 'x' || s[2] == 'X') {
		return 0, false
	}
	v, err := strconv.ParseFloat(s, 64)
	if err != nil && !errors.Is(err, strconv.ErrRange) {
		return 0, false
	}
	return v, true
}

func parsesFloat(s string) bool {
	_, ok := parseFloat(s)
	return ok
}

func isBool(s string) bool {
	return strings.EqualFold(s, "true") || strings.EqualFold(s, "false")
}

// parseCSVTime parses an RFC 3339 time or a date, as nanoseconds since the
// Unix epoch. It fails for times outside the int64 nanosecond range
// (years 1678 to 2261).
func parseCSVTime(s string) (int64, bool) {
	var t time.Time
	var err error
	if len(s) == len(time.DateOnly) {
		t, err = time.Parse(time.DateOnly, s)
	} else {
		t, err = time.Parse(time.RFC3339Nano, s)
	}
	if err != nil {
		return 0, false
	}
	ns := t.UnixNano()
	if time.Unix(0, ns).Equal(t) {
		return ns, true
	}
	return 0, false
}

// csvSource reads the records of a CSV file after its header.
type csvSource struct {
	f      *os.File
	r      *csv.Reader
	header []string
	row    int64 // data rows read so far
}

const (
	csvFixFields = "give every row as many fields as the header; enclose fields that contain commas in double quotes"
	csvFixQuotes = `enclose fields that contain commas, quotes or line breaks in double quotes, and double every quote inside them ("")`
)

// openCSVSource opens path, skips a byte-order mark and reads the header.
func openCSVSource(path string) (*csvSource, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	s, err := newCSVSource(path, f)
	if err != nil {
		_ = f.Close()
		return nil, err
	}
	return s, nil
}

func newCSVSource(path string, f *os.File) (*csvSource, error) {
	br := bufio.NewReaderSize(f, 1<<16)
	if bom, err := br.Peek(3); err == nil && string(bom) == "\uFEFF" {
		_, _ = br.Discard(3)
	}
	r := csv.NewReader(br)
	r.FieldsPerRecord = -1 // checked here, to report both counts
	r.ReuseRecord = true
	s := &csvSource{f: f, r: r}
	header, err := r.Read()
	if errors.Is(err, io.EOF) {
		return nil, &Error{File: path, Msg: "the file is empty: no header row",
			Fix: "write a header row naming the columns, then one row per record", Err: ErrEmpty}
	}
	if err != nil {
		return nil, s.readError(path, err)
	}
	s.header = append([]string(nil), header...)
	line, _ := r.FieldPos(0)
	seen := make(map[string]int, len(header))
	for i, name := range s.header {
		if name == "" {
			return nil, &Error{File: path, Line: int64(line),
				Msg: fmt.Sprintf("header field %d of %d is empty", i+1, len(header)),
				Fix: "give every column a name in the header row", Err: ErrFormat}
		}
		if j, dup := seen[name]; dup {
			return nil, &Error{File: path, Column: name, Line: int64(line),
				Msg: fmt.Sprintf("the header names two columns %q (fields %d and %d)", name, j+1, i+1),
				Fix: "give every column a distinct name", Err: ErrFormat}
		}
		seen[name] = i
	}
	return s, nil
}

// next returns the next record (valid until the following call), or nil
// at the end of the file.
func (s *csvSource) next(path string) ([]string, error) {
	rec, err := s.r.Read()
	if errors.Is(err, io.EOF) {
		return nil, nil
	}
	if err != nil {
		return nil, s.readError(path, err)
	}
	s.row++
	if len(rec) != len(s.header) {
		line, _ := s.r.FieldPos(0)
		return nil, &Error{File: path, Row: s.row, Line: int64(line),
			Msg: fmt.Sprintf("the row has %s, the header has %d", plural(len(rec), "field"), len(s.header)),
			Fix: csvFixFields, Err: ErrFormat}
	}
	return rec, nil
}

// readError describes an error from encoding/csv for the record after the
// last one read.
func (s *csvSource) readError(path string, err error) error {
	var pe *csv.ParseError
	if !errors.As(err, &pe) {
		return &Error{File: path, Msg: err.Error(), Err: fmt.Errorf("%w: %w", ErrFormat, err)}
	}
	e := &Error{File: path, Line: int64(pe.StartLine), Fix: csvFixQuotes,
		Err: fmt.Errorf("%w: %w", ErrFormat, pe.Err)}
	if s.header != nil {
		e.Row = s.row + 1
	}
	switch {
	case errors.Is(pe.Err, csv.ErrQuote) && pe.Line != pe.StartLine:
		e.Msg = fmt.Sprintf("a quoted field opened on line %d is not closed (reached line %d, byte %d)",
			pe.StartLine, pe.Line, pe.Column)
	case errors.Is(pe.Err, csv.ErrQuote):
		e.Msg = fmt.Sprintf("a quote inside a quoted field is not doubled, or the field's closing quote is missing (line %d, byte %d)",
			pe.Line, pe.Column)
	case errors.Is(pe.Err, csv.ErrBareQuote):
		e.Msg = fmt.Sprintf("a quote appears inside an unquoted field (line %d, byte %d)", pe.Line, pe.Column)
	default:
		e.Msg = fmt.Sprintf("%v (line %d, byte %d)", pe.Err, pe.Line, pe.Column)
	}
	return e
}

func (s *csvSource) close() error { return s.f.Close() }

// csvReader yields the rows of a CSV file as record batches. It reads the
// file twice: once to check its shape and infer the column types, then
// batch by batch.
type csvReader struct {
	path      string
	src       *csvSource
	schema    *arrow.Schema
	kinds     []csvKind
	b         *array.RecordBuilder
	batchSize int
	cur       arrow.RecordBatch
	err       error
	done      bool
}

func openCSV(path string, cfg config) (BatchReader, error) {
	// Pass 1: check every row and infer the column types.
	src, err := openCSVSource(path)
	if err != nil {
		return nil, err
	}
	infer := make([]csvInfer, len(src.header))
	for {
		rec, err := src.next(path)
		if err != nil {
			_ = src.close()
			return nil, err
		}
		if rec == nil {
			break
		}
		for j, cell := range rec {
			infer[j].add(cell)
		}
	}
	header := src.header
	kinds := make([]csvKind, len(header))
	fields := make([]arrow.Field, len(header))
	for j := range infer {
		kinds[j] = infer[j].kind()
		fields[j] = arrow.Field{Name: header[j], Type: kinds[j].dataType(), Nullable: true}
	}

	// Pass 2 reads from the start again, lazily, in Next.
	if _, err := src.f.Seek(0, io.SeekStart); err != nil {
		_ = src.close()
		return nil, err
	}
	src2, err := newCSVSource(path, src.f)
	if err == nil && !slices.Equal(src2.header, header) {
		err = &Error{File: path, Msg: "the header changed while the file was read",
			Fix: "do not modify the file while recaudit reads it", Err: ErrFormat}
	}
	if err != nil {
		_ = src.close()
		return nil, err
	}
	schema := arrow.NewSchema(fields, nil)
	return &csvReader{
		path:      path,
		src:       src2,
		schema:    schema,
		kinds:     kinds,
		b:         array.NewRecordBuilder(cfg.mem, schema),
		batchSize: cfg.batchSize,
	}, nil
}

func (x *csvReader) Schema() *arrow.Schema          { return x.schema }
func (x *csvReader) RecordBatch() arrow.RecordBatch { return x.cur }
func (x *csvReader) Err() error                     { return x.err }

func (x *csvReader) Next() bool {
	if x.cur != nil {
		x.cur.Release()
		x.cur = nil
	}
	if x.done || x.err != nil {
		return false
	}
	n := 0
	for n < x.batchSize {
		rec, err := x.src.next(x.path)
		if err != nil {
			x.err = err
			break
		}
		if rec == nil {
			x.done = true
			break
		}
		if err := x.appendRow(rec); err != nil {
			x.err = err
			break
		}
		n++
	}
	if x.err != nil {
		// Drop the partial batch; its columns may differ in length.
		for _, fb := range x.b.Fields() {
			fb.NewArray().Release()
		}
		return false
	}
	if n == 0 {
		return false
	}
	x.cur = x.b.NewRecordBatch()
	return true
}

// appendRow appends one record to the builders. The types were inferred
// from this very file, so a cell that does not parse means the file
// changed between the two passes.
func (x *csvReader) appendRow(rec []string) error {
	for j, cell := range rec {
		if x.kinds[j] == csvList {
			lb := x.b.Field(j).(*array.ListBuilder)
			lb.Append(true)
			if trimBlank(cell) == "" {
				continue
			}
			vb := lb.ValueBuilder().(*array.StringBuilder)
			for elem := range strings.SplitSeq(cell, CSVListSeparator) {
				vb.Append(elem)
			}
			continue
		}
		t := trimBlank(cell)
		if t == "" {
			x.b.Field(j).AppendNull()
			continue
		}
		ok := true
		switch x.kinds[j] {
		case csvInt:
			v, err := strconv.ParseInt(t, 10, 64)
			ok = err == nil
			x.b.Field(j).(*array.Int64Builder).Append(v)
		case csvFloat:
			var v float64
			v, ok = parseFloat(t)
			x.b.Field(j).(*array.Float64Builder).Append(v)
		case csvBool:
			ok = isBool(t)
			x.b.Field(j).(*array.BooleanBuilder).Append(strings.EqualFold(t, "true"))
		case csvTime:
			var v int64
			v, ok = parseCSVTime(t)
			x.b.Field(j).(*array.TimestampBuilder).Append(arrow.Timestamp(v))
		default:
			x.b.Field(j).(*array.StringBuilder).Append(cell)
		}
		if !ok {
			line, _ := x.src.r.FieldPos(j)
			return &Error{File: x.path, Column: x.src.header[j], Row: x.src.row, Line: int64(line),
				Msg: fmt.Sprintf("value %q no longer matches the column's type: the file changed while it was read", cell),
				Fix: "do not modify the file while recaudit reads it", Err: ErrFormat}
		}
	}
	return nil
}

func (x *csvReader) Close() error {
	if x.cur != nil {
		x.cur.Release()
		x.cur = nil
	}
	if x.b != nil {
		x.b.Release()
		x.b = nil
	}
	if x.src != nil {
		err := x.src.close()
		x.src = nil
		return err
	}
	return nil
}

// plural returns "1 field" or "n fields".
func plural(n int, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	return strconv.Itoa(n) + " " + noun + "s"
}
