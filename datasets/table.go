package datasets

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/ipc"
	"github.com/apache/arrow-go/v18/arrow/memory"
)

// Format is a table file format.
type Format int

const (
	FormatUnknown     Format = iota
	FormatArrow              // Arrow IPC file (.arrow, .feather, .ipc)
	FormatArrowStream        // Arrow IPC stream (.arrows)
	FormatParquet            // Parquet (.parquet, .pq)
	FormatCSV                // CSV with a header row (.csv)
)

func (f Format) String() string {
	switch f {
	case FormatArrow:
		return "arrow"
	case FormatArrowStream:
		return "arrows"
	case FormatParquet:
		return "parquet"
	case FormatCSV:
		return "csv"
	}
	return "unknown"
}

// Extensions lists the file name extensions of each format, in the order
// [Locate] tries them.
var Extensions = []struct {
	Ext    string
	Format Format
}{
	{".arrow", FormatArrow}, {".feather", FormatArrow}, {".ipc", FormatArrow},
	{".arrows", FormatArrowStream},
	{".parquet", FormatParquet}, {".pq", FormatParquet},
	{".csv", FormatCSV},
}

// FormatOf returns the format of path from its extension.
func FormatOf(path string) (Format, error) {
	ext := strings.ToLower(filepath.Ext(path))
	for _, e := range Extensions {
		if e.Ext == ext {
			return e.Format, nil
		}
	}
	return FormatUnknown, &Error{File: path, Msg: fmt.Sprintf("unknown file extension %q", ext),
		Fix: "name the file .arrow, .feather, .arrows, .parquet or .csv after its format", Err: ErrFormat}
}

// BatchReader streams the record batches of one table file.
type BatchReader interface {
	// Schema returns the table's schema, with its field metadata.
	Schema() *arrow.Schema
	// Next advances to the next record batch; it returns false at the end
	// or on error (see Err).
	Next() bool
	// RecordBatch returns the current batch. It is owned by the reader and
	// valid until the next call to Next or Close; call Retain to keep it.
	RecordBatch() arrow.RecordBatch
	// Err returns the error that stopped Next, or nil at a clean end.
	Err() error
	// Close releases the reader's resources (memory maps, open files).
	Close() error
}

// Option configures reading and writing.
type Option func(*config)

type config struct {
	mem        memory.Allocator
	columns    []string
	batchSize  int
	roles      map[string]Role
	duplicates DuplicatePolicy
	noMmap     bool
	system     string
}

func newConfig(opts []Option) config {
	c := config{mem: memory.DefaultAllocator, batchSize: 64 << 10}
	for _, o := range opts {
		o(&c)
	}
	return c
}

// WithAllocator sets the Arrow allocator (default memory.DefaultAllocator).
func WithAllocator(mem memory.Allocator) Option {
	return func(c *config) {
		if mem != nil {
			c.mem = mem
		}
	}
}

// WithColumns restricts reading to the named columns, where the format can
// skip the others (Parquet reads only these column chunks). Readers of
// other formats may still return every column.
func WithColumns(names ...string) Option {
	return func(c *config) { c.columns = append([]string(nil), names...) }
}

// WithBatchSize sets the number of rows per record batch for formats that
// choose it (CSV, Parquet). Default 65,536.
func WithBatchSize(n int) Option {
	return func(c *config) {
		if n > 0 {
			c.batchSize = n
		}
	}
}

// WithRoles assigns column roles by column name; they override the field
// metadata and the defaults.
func WithRoles(roles map[string]Role) Option {
	return func(c *config) {
		if c.roles == nil {
			c.roles = make(map[string]Role, len(roles))
		}
		for k, v := range roles {
			c.roles[k] = v
		}
	}
}

// WithoutMmap reads Arrow IPC files with ordinary reads instead of a memory
// map.
func WithoutMmap() Option { return func(c *config) { c.noMmap = true } }

// OpenTable opens a table file for reading, choosing the reader by the
// file's extension. The caller must Close the reader.
func OpenTable(path string, opts ...Option) (BatchReader, error) {
	format, err := FormatOf(path)
	if err != nil {
		return nil, err
	}
	cfg := newConfig(opts)
	var r BatchReader
	err = safely(path, func() error {
		var err error
		switch format {
		case FormatArrow:
			r, err = openIPCFile(path, cfg)
		case FormatArrowStream:
			r, err = openIPCStream(path, cfg)
		case FormatParquet:
			r, err = openParquet(path, cfg)
		case FormatCSV:
			r, err = openCSV(path, cfg)
		}
		return err
	})
	if err != nil {
		return nil, err
	}
	return &guarded{BatchReader: r, path: path}, nil
}

// safely runs f and turns a panic from a lower-level reader (a corrupt
// file can make them index out of range) into an ErrFormat error.
func safely(path string, f func() error) (err error) {
	defer func() {
		if p := recover(); p != nil {
			err = &Error{File: path, Msg: fmt.Sprintf("corrupt or truncated file (%v)", p),
				Fix: "re-export the file; it may have been cut short while copying", Err: ErrFormat}
		}
	}()
	return f()
}

// guarded wraps a BatchReader so that a panic inside Next becomes an error.
type guarded struct {
	BatchReader
	path string
	err  error
}

func (g *guarded) Next() bool {
	if g.err != nil {
		return false
	}
	ok := false
	g.err = safely(g.path, func() error {
		ok = g.BatchReader.Next()
		if !ok {
			return nil
		}
		// Check the batch, so that code reading its values cannot
		// index out of range on a corrupt file (see validateBatch).
		if err := validateBatch(g.BatchReader.RecordBatch()); err != nil {
			return &Error{File: g.path, Msg: "corrupt record batch: " + err.Error(),
				Fix: "re-export the file; it may have been damaged while copying", Err: ErrFormat}
		}
		return nil
	})
	if g.err != nil {
		return false
	}
	return ok
}

func (g *guarded) Err() error {
	if g.err != nil {
		return g.err
	}
	return g.BatchReader.Err()
}

// formatError wraps a lower-level reader error as an ErrFormat *Error.
func formatError(path string, err error) error {
	if err == nil {
		return nil
	}
	var e *Error
	if errors.As(err, &e) {
		return err
	}
	return &Error{File: path, Msg: err.Error(), Fix: "check that the file is complete and in the format its extension says",
		Err: fmt.Errorf("%w: %w", ErrFormat, err)}
}

// ipcFileReader reads an Arrow IPC file, memory-mapped when possible.
type ipcFileReader struct {
	path  string
	r     *ipc.FileReader
	unmap func() error
	data  []byte // the memory map, when mapped
	f     *os.File
	i     int
	cur   arrow.RecordBatch
	err   error
}

func openIPCFile(path string, cfg config) (BatchReader, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	if err := checkIPCFile(path, f); err != nil {
		_ = f.Close()
		return nil, err
	}
	x := &ipcFileReader{path: path}
	opts := ipcReadOptions(f, cfg.mem)
	var data []byte
	if !cfg.noMmap {
		data, x.unmap, err = mmapFile(f)
		if err != nil {
			data = nil // fall back to ordinary reads
		}
	}
	if data != nil {
		_ = f.Close()
		if len(data) < 8 || !bytes.HasPrefix(data, []byte("ARROW1")) {
			_ = x.unmap()
			return nil, notArrowFile(path)
		}
		x.data = data
		x.r, err = newMappedIPCReader(data, opts...)
	} else {
		var magic [6]byte
		if _, err := io.ReadFull(f, magic[:]); err != nil || string(magic[:]) != "ARROW1" {
			_ = f.Close()
			return nil, notArrowFile(path)
		}
		x.f = f
		x.r, err = ipc.NewFileReader(f, opts...)
	}
	if err != nil {
		_ = x.Close()
		return nil, formatError(path, err)
	}
	return x, nil
}

func notArrowFile(path string) error {
	return &Error{File: path, Msg: "not an Arrow IPC file (no ARROW1 magic)",
		Fix: "an Arrow IPC stream must be named .arrows; Parquet .parquet; CSV .csv", Err: ErrFormat}
}

func (x *ipcFileReader) Schema() *arrow.Schema { return x.r.Schema() }

func (x *ipcFileReader) Next() bool {
	if x.cur != nil {
		x.cur.Release()
		x.cur = nil
	}
	if x.err != nil || x.i >= x.r.NumRecords() {
		return false
	}
	rec, err := x.r.RecordBatchAt(x.i)
	if err != nil {
		x.err = formatError(x.path, err)
		return false
	}
	x.i++
	x.cur = rec // RecordBatchAt(i) returns a batch the caller must release
	return true
}

func (x *ipcFileReader) RecordBatch() arrow.RecordBatch { return x.cur }
func (x *ipcFileReader) Err() error                     { return x.err }

func (x *ipcFileReader) Close() error {
	if x.cur != nil {
		x.cur.Release()
		x.cur = nil
	}
	var err error
	if x.r != nil {
		err = x.r.Close()
	}
	if x.unmap != nil {
		err = errors.Join(err, x.unmap())
		x.unmap = nil
	}
	if x.f != nil {
		err = errors.Join(err, x.f.Close())
		x.f = nil
	}
	return err
}

// ipcStreamReader reads an Arrow IPC stream.
type ipcStreamReader struct {
	path string
	f    *os.File
	r    *ipc.Reader
}

func openIPCStream(path string, cfg config) (BatchReader, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	if err := checkIPCStream(path, f); err != nil {
		_ = f.Close()
		return nil, err
	}
	r, err := newIPCStreamReader(f, ipcReadOptions(f, cfg.mem)...)
	if err != nil {
		_ = f.Close()
		return nil, formatError(path, err)
	}
	return &ipcStreamReader{path: path, f: f, r: r}, nil
}

func (x *ipcStreamReader) Schema() *arrow.Schema          { return x.r.Schema() }
func (x *ipcStreamReader) Next() bool                     { return x.r.Next() }
func (x *ipcStreamReader) RecordBatch() arrow.RecordBatch { return x.r.RecordBatch() }
func (x *ipcStreamReader) Err() error {
	if err := x.r.Err(); err != nil && !errors.Is(err, io.EOF) {
		return formatError(x.path, err)
	}
	return nil
}
func (x *ipcStreamReader) Close() error {
	x.r.Release()
	return x.f.Close()
}
