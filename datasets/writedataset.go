package datasets

import (
	"os"
	"path/filepath"

	"github.com/apache/arrow-go/v18/arrow"
)

// TablePaths returns the paths WriteDataset uses in dir for format f.
func TablePaths(dir string, f Format) Paths {
	ext := ""
	for _, e := range Extensions {
		if e.Format == f {
			ext = e.Ext
			break
		}
	}
	return Paths{
		Interactions: filepath.Join(dir, "interactions"+ext),
		Users:        filepath.Join(dir, "users"+ext),
		Items:        filepath.Join(dir, "items"+ext),
	}
}

// WriteDataset writes d into dir (created if needed) as three tables,
// interactions, users and items, in format f, with column roles in the
// field metadata and d.Metadata on every schema (CSV keeps neither). Each
// file is written atomically; on error, files already written stay.
// [Load] of the result gives back d (with the same Report counts for
// what it reads).
func WriteDataset(dir string, d *Dataset, f Format, opts ...Option) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	cfg := newConfig(opts)
	p := TablePaths(dir, f)
	if p.Interactions == filepath.Join(dir, "interactions") {
		return &Error{File: dir, Msg: "unknown format", Fix: "write arrow, arrows, parquet or csv", Err: ErrFormat}
	}
	batches := d.InteractionBatches(cfg.mem)
	err := WriteTable(p.Interactions, d.InteractionsSchema(), batches, opts...)
	for _, b := range batches {
		b.Release()
	}
	if err != nil {
		return err
	}
	for _, t := range []struct {
		path string
		rec  func() arrow.RecordBatch
	}{{p.Users, func() arrow.RecordBatch { return d.UsersBatch(cfg.mem) }}, {p.Items, func() arrow.RecordBatch { return d.ItemsBatch(cfg.mem) }}} {
		rec := t.rec()
		err := WriteTable(t.path, rec.Schema(), []arrow.RecordBatch{rec}, opts...)
		rec.Release()
		if err != nil {
			return err
		}
	}
	return nil
}
