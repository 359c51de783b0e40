package datasets

import (
	"bytes"
	"context"
	"encoding/base64"
	"errors"
	"fmt"
	"io"
	"os"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/parquet"
	"github.com/apache/arrow-go/v18/parquet/file"
	"github.com/apache/arrow-go/v18/parquet/pqarrow"
)

// parquetReader streams the record batches of a Parquet file.
type parquetReader struct {
	path   string
	pf     *file.Reader
	rr     pqarrow.RecordReader // nil when no column is read
	schema *arrow.Schema
	cur    arrow.RecordBatch // rr's batch, on schema
	err    error
}

// checkParquetMagic gives a precise error for files that are not Parquet
// at all, cut short, or encrypted, before the Parquet reader sees them.
func checkParquetMagic(path string) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return err
	}
	var head, tail [4]byte
	if st.Size() >= 4 {
		if _, err := f.ReadAt(head[:], 0); err != nil {
			return err
		}
		if _, err := f.ReadAt(tail[:], st.Size()-4); err != nil && !errors.Is(err, io.EOF) {
			return err
		}
	}
	switch {
	case st.Size() < 4 || string(head[:]) != "PAR1" && string(head[:]) != "PARE":
		return &Error{File: path, Msg: "not a Parquet file (no PAR1 magic at the start)",
			Fix: "an Arrow IPC file must be named .arrow, a stream .arrows, CSV .csv", Err: ErrFormat}
	case string(tail[:]) == "PARE" || string(head[:]) == "PARE":
		return &Error{File: path, Msg: "the Parquet file is encrypted, which recaudit does not read",
			Fix: "write the file without Parquet modular encryption", Err: ErrFormat}
	case st.Size() < 12 || string(tail[:]) != "PAR1":
		return &Error{File: path, Msg: "the Parquet file is truncated (no PAR1 magic at the end)",
			Fix: "re-export the file; it may have been cut short while copying", Err: ErrFormat}
	}
	return nil
}

func openParquet(path string, cfg config) (BatchReader, error) {
	if err := checkParquetMagic(path); err != nil {
		return nil, err
	}
	// Not memory-mapped: Parquet pages are decompressed into new buffers
	// anyway, and a mapping of a file truncated by another process would
	// crash the program with SIGBUS instead of returning an error.
	// The file reader's page buffers use Go memory: its buffer pool frees
	// them with finalizers, which cfg.mem need not allow.
	pf, err := file.OpenParquetFile(path, false, file.WithReadProps(parquet.NewReaderProperties(nil)))
	if err != nil {
		return nil, formatError(path, err)
	}
	x := &parquetReader{path: path, pf: pf}
	if err := checkStoredArrowSchema(path, pf); err != nil {
		_ = x.Close()
		return nil, err
	}
	// Parallel stays off: arrow-go reads columns in parallel on goroutines
	// of its own, where a panic on a corrupt file could not be recovered.
	props := pqarrow.ArrowReadProperties{BatchSize: int64(cfg.batchSize), Parallel: false}
	fr, err := pqarrow.NewFileReader(pf, props, cfg.mem)
	if err != nil {
		_ = x.Close()
		return nil, formatError(path, err)
	}
	leaves, err := parquetLeaves(fr, cfg.columns)
	if err != nil {
		_ = x.Close()
		return nil, formatError(path, err)
	}
	if leaves != nil && len(leaves) == 0 || pf.MetaData().Schema.NumColumns() == 0 {
		// Nothing to read (no requested column is present): an empty
		// schema, no batches. Load reports the missing columns.
		x.schema = parquetSchema(arrow.NewSchema(nil, fr.Manifest.SchemaMeta), fr.Manifest.OriginSchema)
		return x, nil
	}
	rr, err := fr.GetRecordReader(context.Background(), leaves, nil)
	if err != nil {
		_ = x.Close()
		return nil, formatError(path, err)
	}
	x.rr = rr
	x.schema = parquetSchema(rr.Schema(), fr.Manifest.OriginSchema)
	return x, nil
}

// parquetSchema returns the Arrow schema of the batches read from a
// Parquet file, with metadata as it was written: pqarrow adds the field
// metadata "PARQUET:field_id" = "-1" (no field ID) to every field, and
// keeps the written schema's metadata only inside the stored
// "ARROW:schema" entry (origin; nil when the file has none).
func parquetSchema(read, origin *arrow.Schema) *arrow.Schema {
	fields := make([]arrow.Field, read.NumFields())
	for i, f := range read.Fields() {
		if id, ok := f.Metadata.GetValue(parquetFieldID); ok && id == "-1" {
			var keys, values []string
			for j, k := range f.Metadata.Keys() {
				if k != parquetFieldID {
					keys = append(keys, k)
					values = append(values, f.Metadata.Values()[j])
				}
			}
			f.Metadata = arrow.NewMetadata(keys, values)
		}
		fields[i] = f
	}
	var keys, values []string
	seen := map[string]bool{}
	add := func(m arrow.Metadata) {
		for j, k := range m.Keys() {
			if k != parquetArrowSchema && !seen[k] {
				seen[k] = true
				keys = append(keys, k)
				values = append(values, m.Values()[j])
			}
		}
	}
	if origin != nil {
		add(origin.Metadata())
	}
	add(read.Metadata())
	meta := arrow.NewMetadata(keys, values)
	return arrow.NewSchema(fields, &meta)
}

const (
	parquetFieldID     = "PARQUET:field_id"
	parquetArrowSchema = "ARROW:schema"
)

// checkStoredArrowSchema checks the Arrow schema that Arrow writers store
// in a Parquet file's metadata (an IPC stream, base64-encoded, under
// "ARROW:schema") before pqarrow reads it: pqarrow hands it to
// ipc.NewReader, where a damaged vector length can exhaust memory (see
// ipcverify.go). The decoding mirrors pqarrow's.
func checkStoredArrowSchema(path string, pf *file.Reader) error {
	v := pf.MetaData().KeyValueMetadata().FindValue(parquetArrowSchema)
	if v == nil {
		return nil
	}
	var decoded []byte
	var err error
	if len(*v)%4 == 0 {
		decoded, err = base64.StdEncoding.DecodeString(*v)
	}
	if len(decoded) == 0 || err != nil {
		decoded, err = base64.RawStdEncoding.DecodeString(*v)
	}
	if err == nil {
		err = checkIPCStreamMetadata(bytes.NewReader(decoded), int64(len(decoded)))
	}
	if err != nil {
		return &Error{File: path, Msg: fmt.Sprintf("the Arrow schema stored in the Parquet file is corrupt (%v)", err),
			Fix: "re-export the file; it may have been damaged while copying", Err: fmt.Errorf("%w: %w", ErrFormat, err)}
	}
	return nil
}

// parquetLeaves returns the leaf column indices of the named top-level
// fields, in file order; nil (all columns) when names is empty. Names
// absent from the file are skipped.
func parquetLeaves(fr *pqarrow.FileReader, names []string) ([]int, error) {
	if len(names) == 0 {
		return nil, nil
	}
	want := make(map[string]bool, len(names))
	for _, n := range names {
		want[n] = true
	}
	leaves := []int{}
	var walk func(f *pqarrow.SchemaField, depth int) error
	walk = func(f *pqarrow.SchemaField, depth int) error {
		if depth > 64 {
			return errors.New("parquet schema nested too deeply")
		}
		if f.IsLeaf() {
			leaves = append(leaves, f.ColIndex)
		}
		for i := range f.Children {
			if err := walk(&f.Children[i], depth+1); err != nil {
				return err
			}
		}
		return nil
	}
	for i := range fr.Manifest.Fields {
		f := &fr.Manifest.Fields[i]
		if f.Field != nil && want[f.Field.Name] {
			if err := walk(f, 0); err != nil {
				return nil, err
			}
		}
	}
	return leaves, nil
}

func (x *parquetReader) Schema() *arrow.Schema { return x.schema }

func (x *parquetReader) Next() bool {
	if x.cur != nil {
		x.cur.Release()
		x.cur = nil
	}
	if x.rr == nil || x.err != nil {
		return false
	}
	if x.rr.Next() {
		rec := x.rr.RecordBatch()
		x.cur = array.NewRecordBatch(x.schema, rec.Columns(), rec.NumRows())
		return true
	}
	if err := x.rr.Err(); err != nil && !errors.Is(err, io.EOF) {
		x.err = parquetDataError(x.path, err)
	}
	return false
}

// parquetDataError describes an error met while decoding pages.
func parquetDataError(path string, err error) error {
	return &Error{File: path, Msg: fmt.Sprintf("corrupt Parquet data: %v", err),
		Fix: "re-export the file; it may have been damaged or cut short while copying",
		Err: fmt.Errorf("%w: %w", ErrFormat, err)}
}

func (x *parquetReader) RecordBatch() arrow.RecordBatch { return x.cur }

func (x *parquetReader) Err() error { return x.err }

func (x *parquetReader) Close() error {
	if x.cur != nil {
		x.cur.Release()
		x.cur = nil
	}
	if x.rr != nil {
		x.rr.Release()
		x.rr = nil
	}
	if x.pf != nil {
		err := x.pf.Close()
		x.pf = nil
		return err
	}
	return nil
}

// NumRows returns the number of rows the file's metadata declares, so that
// readers can size their buffers once. A corrupt count is harmless: it is
// only a capacity hint, capped by the caller.
func (x *parquetReader) NumRows() int64 { return x.pf.NumRows() }
