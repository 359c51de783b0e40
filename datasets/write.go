package datasets

import (
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"
	"time"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/ipc"
	"github.com/apache/arrow-go/v18/arrow/util"
	"github.com/apache/arrow-go/v18/parquet"
	"github.com/apache/arrow-go/v18/parquet/compress"
	"github.com/apache/arrow-go/v18/parquet/pqarrow"

	"github.com/recaudit/recaudit/internal/atomicfile"
)

const (
	errNilSchema      = "datasets: WriteTable: nil schema"
	errBatchMismatch  = "datasets: WriteTable: record batch does not match the schema"
	parquetRowGroup   = 1 << 20  // rows per Parquet row group
	ipcMaxBatchBytes  = 64 << 20 // larger batches are written in slices
	csvWriteFixFormat = "write the table as Arrow (.arrow) or Parquet (.parquet), which hold any Arrow type"
)

// WriteTable writes a table, given as its schema and record batches, to
// path in the format its extension names (see [FormatOf]):
//
//   - Arrow IPC file: uncompressed, so that readers can memory-map it;
//   - Arrow IPC stream;
//   - Parquet: zstd-compressed, in row groups of up to 1,048,576 rows,
//     with the Arrow schema stored in the file so that types, field
//     metadata (such as "recaudit.role") and schema metadata read back
//     unchanged (except timestamp[s], which Parquet stores, and reads back,
//     as timestamp[ms]);
//   - CSV: the conventions of [CSVListSeparator]. CSV holds only integer,
//     float, boolean, string, dictionary-of-string, list-of-string and
//     timestamp columns, and no metadata.
//
// The schema's field names, types and metadata are written; each batch
// must have the schema's number of columns and their types (its own
// metadata is ignored). Batches over 64 MiB are written to Arrow files in
// slices, so that readers' message size limits are not reached. A
// dictionary column whose batches have different dictionaries is written
// to an Arrow IPC file with one unified dictionary (the file format allows
// only one); streams and Parquet take them as they are.
//
// The file is written atomically: to a temporary file in the same
// directory, then renamed into place, so that a failed write leaves any
// previous file at path unchanged. Only [WithAllocator] among the options
// has an effect. The batches are not modified, nor retained after the call.
//
// WriteTable panics if schema is nil or a batch does not match it. It
// returns an [*Error] wrapping [ErrFormat] for an unknown extension, and
// one wrapping [ErrSchema] or [ErrValue] when CSV cannot represent a
// column or value.
func WriteTable(path string, schema *arrow.Schema, batches []arrow.RecordBatch, opts ...Option) error {
	if schema == nil {
		panic(errNilSchema)
	}
	for _, b := range batches {
		if b.NumCols() != int64(schema.NumFields()) {
			panic(errBatchMismatch)
		}
		for j, f := range schema.Fields() {
			if !arrow.TypeEqual(f.Type, b.Column(j).DataType()) {
				panic(errBatchMismatch)
			}
		}
	}
	format, err := FormatOf(path)
	if err != nil {
		return err
	}
	cfg := newConfig(opts)

	// Rebase every batch on schema, so that the schema's metadata is what
	// is written. This shares the columns; the batches are not modified.
	recs := make([]arrow.RecordBatch, len(batches))
	for i, b := range batches {
		recs[i] = array.NewRecordBatch(schema, b.Columns(), b.NumRows())
	}
	defer func() {
		for _, r := range recs {
			r.Release()
		}
	}()

	var write func(io.Writer) error
	switch format {
	case FormatArrow:
		write = func(w io.Writer) error { return writeIPCFile(w, schema, recs, cfg) }
	case FormatArrowStream:
		write = func(w io.Writer) error { return writeIPCStream(w, schema, recs, cfg) }
	case FormatParquet:
		write = func(w io.Writer) error { return writeParquet(w, schema, recs, cfg) }
	case FormatCSV:
		if err := csvCheckSchema(path, schema); err != nil {
			return err
		}
		write = func(w io.Writer) error { return writeCSV(w, path, schema, recs) }
	}
	return atomicfile.Write(path, write)
}

// forSlices calls fn with rec, or with consecutive slices of rec when it
// is larger than ipcMaxBatchBytes. The slices are released after fn.
func forSlices(rec arrow.RecordBatch, fn func(arrow.RecordBatch) error) error {
	n := rec.NumRows()
	size := util.TotalRecordSize(rec)
	if size <= ipcMaxBatchBytes || n <= 1 {
		return fn(rec)
	}
	step := max(1, int64(float64(n)*ipcMaxBatchBytes/float64(size)))
	for lo := int64(0); lo < n; lo += step {
		s := rec.NewSlice(lo, min(lo+step, n))
		err := fn(s)
		s.Release()
		if err != nil {
			return err
		}
	}
	return nil
}

func hasDictionary(schema *arrow.Schema) bool {
	for _, f := range schema.Fields() {
		if f.Type.ID() == arrow.DICTIONARY {
			return true
		}
	}
	return false
}

func writeIPCFile(w io.Writer, schema *arrow.Schema, recs []arrow.RecordBatch, cfg config) error {
	if len(recs) > 1 && hasDictionary(schema) {
		// An IPC file holds one dictionary per field: unify them.
		tbl := array.NewTableFromRecords(schema, recs)
		defer tbl.Release()
		unified, err := array.UnifyTableDicts(cfg.mem, tbl)
		if err != nil {
			return err
		}
		defer unified.Release()
		tr := array.NewTableReader(unified, 0)
		defer tr.Release()
		var out []arrow.RecordBatch
		defer func() {
			for _, r := range out {
				r.Release()
			}
		}()
		for tr.Next() {
			r := tr.RecordBatch()
			r.Retain()
			out = append(out, r)
		}
		recs = out
	}
	fw, err := ipc.NewFileWriter(w, ipc.WithSchema(schema), ipc.WithAllocator(cfg.mem))
	if err != nil {
		return err
	}
	for _, rec := range recs {
		if err := forSlices(rec, fw.Write); err != nil {
			_ = fw.Close()
			return err
		}
	}
	return fw.Close()
}

func writeIPCStream(w io.Writer, schema *arrow.Schema, recs []arrow.RecordBatch, cfg config) error {
	sw := ipc.NewWriter(w, ipc.WithSchema(schema), ipc.WithAllocator(cfg.mem))
	for _, rec := range recs {
		if err := forSlices(rec, sw.Write); err != nil {
			_ = sw.Close()
			return err
		}
	}
	return sw.Close()
}

func writeParquet(w io.Writer, schema *arrow.Schema, recs []arrow.RecordBatch, cfg config) error {
	props := parquet.NewWriterProperties(
		parquet.WithAllocator(cfg.mem),
		parquet.WithCompression(compress.Codecs.Zstd),
		parquet.WithMaxRowGroupLength(parquetRowGroup),
	)
	aprops := pqarrow.NewArrowWriterProperties(pqarrow.WithStoreSchema(), pqarrow.WithAllocator(cfg.mem))
	fw, err := pqarrow.NewFileWriter(schema, w, props, aprops)
	if err != nil {
		return err
	}
	tbl := array.NewTableFromRecords(schema, recs)
	defer tbl.Release()
	if tbl.NumRows() > 0 {
		if err := fw.WriteTable(tbl, parquetRowGroup); err != nil {
			_ = fw.Close()
			return err
		}
	}
	return fw.Close()
}

// csvCheckSchema reports a schema that CSV cannot represent.
func csvCheckSchema(path string, schema *arrow.Schema) error {
	seen := make(map[string]bool, schema.NumFields())
	for _, f := range schema.Fields() {
		if f.Name == "" || seen[f.Name] {
			return &Error{File: path, Column: f.Name,
				Msg: "a CSV header needs distinct, non-empty column names",
				Fix: "rename the columns before writing CSV", Err: ErrSchema}
		}
		seen[f.Name] = true
		if !csvWritable(f.Type) {
			return &Error{File: path, Column: f.Name,
				Msg: fmt.Sprintf("CSV cannot hold a column of type %s", f.Type), Fix: csvWriteFixFormat, Err: ErrSchema}
		}
	}
	return nil
}

func csvIsStringType(t arrow.DataType) bool {
	return t.ID() == arrow.STRING || t.ID() == arrow.LARGE_STRING
}

func csvWritable(t arrow.DataType) bool {
	switch t.ID() {
	case arrow.INT8, arrow.INT16, arrow.INT32, arrow.INT64,
		arrow.UINT8, arrow.UINT16, arrow.UINT32, arrow.UINT64,
		arrow.FLOAT32, arrow.FLOAT64, arrow.BOOL, arrow.STRING, arrow.LARGE_STRING, arrow.TIMESTAMP:
		return true
	case arrow.DICTIONARY:
		return csvIsStringType(t.(*arrow.DictionaryType).ValueType)
	case arrow.LIST, arrow.LARGE_LIST:
		return csvIsStringType(t.(arrow.ListLikeType).Elem())
	}
	return false
}

// csvCell formats cell i of a column; null is reported separately.
type csvCell func(i int) (string, error)

// stringAt returns element i of a string or large-string array.
func csvStringAt(a arrow.Array, i int) string {
	if s, ok := a.(*array.String); ok {
		return s.Value(i)
	}
	return a.(*array.LargeString).Value(i)
}

// csvFormatter returns the cell formatter for column a (of a type accepted
// by csvWritable). rowBase is the 0-based table row of the batch's first row.
func csvFormatter(path, name string, a arrow.Array, rowBase int64) csvCell {
	switch a := a.(type) {
	case *array.Int8:
		return func(i int) (string, error) { return strconv.FormatInt(int64(a.Value(i)), 10), nil }
	case *array.Int16:
		return func(i int) (string, error) { return strconv.FormatInt(int64(a.Value(i)), 10), nil }
	case *array.Int32:
		return func(i int) (string, error) { return strconv.FormatInt(int64(a.Value(i)), 10), nil }
	case *array.Int64:
		return func(i int) (string, error) { return strconv.FormatInt(a.Value(i), 10), nil }
	case *array.Uint8:
		return func(i int) (string, error) { return strconv.FormatUint(uint64(a.Value(i)), 10), nil }
	case *array.Uint16:
		return func(i int) (string, error) { return strconv.FormatUint(uint64(a.Value(i)), 10), nil }
	case *array.Uint32:
		return func(i int) (string, error) { return strconv.FormatUint(uint64(a.Value(i)), 10), nil }
	case *array.Uint64:
		return func(i int) (string, error) { return strconv.FormatUint(a.Value(i), 10), nil }
	case *array.Float32:
		return func(i int) (string, error) { return formatCSVFloat(float64(a.Value(i)), 32), nil }
	case *array.Float64:
		return func(i int) (string, error) { return formatCSVFloat(a.Value(i), 64), nil }
	case *array.Boolean:
		return func(i int) (string, error) { return strconv.FormatBool(a.Value(i)), nil }
	case *array.String, *array.LargeString:
		return func(i int) (string, error) { return csvStringAt(a, i), nil }
	case *array.Timestamp:
		unit := a.DataType().(*arrow.TimestampType).Unit
		return func(i int) (string, error) { return a.Value(i).ToTime(unit).Format(time.RFC3339Nano), nil }
	case *array.Dictionary:
		dict := a.Dictionary()
		return func(i int) (string, error) { return csvStringAt(dict, a.GetValueIndex(i)), nil }
	case array.ListLike:
		values := a.ListValues()
		return func(i int) (string, error) {
			lo, hi := a.ValueOffsets(i)
			var b strings.Builder
			for k := lo; k < hi; k++ {
				if values.IsNull(int(k)) {
					return "", csvListError(path, name, rowBase+int64(i)+1, "holds a null element")
				}
				s := csvStringAt(values, int(k))
				switch {
				case s == "":
					return "", csvListError(path, name, rowBase+int64(i)+1, "holds an empty string")
				case strings.Contains(s, CSVListSeparator):
					return "", csvListError(path, name, rowBase+int64(i)+1,
						fmt.Sprintf("holds %q, which contains the list separator %q", s, CSVListSeparator))
				}
				if k > lo {
					b.WriteString(CSVListSeparator)
				}
				b.WriteString(s)
			}
			return b.String(), nil
		}
	}
	panic("datasets: csvFormatter: unexpected array type " + a.DataType().String())
}

func csvListError(path, name string, row int64, what string) error {
	return &Error{File: path, Column: name, Row: row,
		Msg: "the list " + what + ", which CSV cannot represent", Fix: csvWriteFixFormat, Err: ErrValue}
}

// formatCSVFloat formats v in the shortest form that parses back to the
// same value, adding ".0" to integral values so that they read back as
// floats.
func formatCSVFloat(v float64, bits int) string {
	s := strconv.FormatFloat(v, 'g', -1, bits)
	if math.IsInf(v, 0) || math.IsNaN(v) {
		return s
	}
	if _, ok := intLiteral(s); ok {
		s += ".0"
	}
	return s
}

// appendCSVField appends s to line, quoted when it must be (RFC 4180), or
// when its surrounding spaces would otherwise be easy to lose.
func appendCSVField(line []byte, s string) []byte {
	if s == "" || !strings.ContainsAny(s, ",\"\r\n") && s[0] != ' ' && s[0] != '\t' &&
		s[len(s)-1] != ' ' && s[len(s)-1] != '\t' {
		return append(line, s...)
	}
	line = append(line, '"')
	for i := 0; i < len(s); i++ {
		if s[i] == '"' {
			line = append(line, '"')
		}
		line = append(line, s[i])
	}
	return append(line, '"')
}

func writeCSV(w io.Writer, path string, schema *arrow.Schema, recs []arrow.RecordBatch) error {
	var line []byte
	for j, f := range schema.Fields() {
		if j > 0 {
			line = append(line, ',')
		}
		line = appendCSVField(line, f.Name)
	}
	line = append(line, '\n')
	if _, err := w.Write(line); err != nil {
		return err
	}
	var rowBase int64
	cells := make([]csvCell, schema.NumFields())
	for _, rec := range recs {
		cols := rec.Columns()
		for j, c := range cols {
			cells[j] = csvFormatter(path, schema.Field(j).Name, c, rowBase)
		}
		for i := 0; i < int(rec.NumRows()); i++ {
			line = line[:0]
			for j, c := range cols {
				if j > 0 {
					line = append(line, ',')
				}
				if c.IsNull(i) {
					continue
				}
				s, err := cells[j](i)
				if err != nil {
					return err
				}
				line = appendCSVField(line, s)
			}
			if len(line) == 0 {
				// A single empty field: an empty line would be skipped by
				// readers, so quote it.
				line = append(line, '"', '"')
			}
			line = append(line, '\n')
			if _, err := w.Write(line); err != nil {
				return err
			}
		}
		rowBase += rec.NumRows()
	}
	return nil
}
