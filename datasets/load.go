package datasets

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"

	"github.com/apache/arrow-go/v18/arrow"
)

// Paths names the files of a dataset. Users and Items may be empty: users
// and items are then indexed from the interactions alone (sorted by ID), and
// no attributes are available.
type Paths struct {
	Interactions, Users, Items string
}

// Locate finds the dataset tables in dir: files named interactions, users
// and items with any extension of [Extensions]. The interactions table is
// required; two files for one table (say users.csv and users.arrow) are an
// error.
func Locate(dir string) (Paths, error) {
	st, err := os.Stat(dir)
	if err != nil {
		return Paths{}, err
	}
	if !st.IsDir() {
		return Paths{}, &Error{File: dir, Msg: "not a directory", Fix: "give the dataset directory, or the table files one by one", Err: ErrFormat}
	}
	var p Paths
	for _, t := range []struct {
		name string
		dst  *string
	}{{"interactions", &p.Interactions}, {"users", &p.Users}, {"items", &p.Items}} {
		var found []string
		for _, e := range Extensions {
			path := filepath.Join(dir, t.name+e.Ext)
			if _, err := os.Stat(path); err == nil {
				found = append(found, path)
			}
		}
		switch len(found) {
		case 0:
		case 1:
			*t.dst = found[0]
		default:
			return Paths{}, &Error{File: dir, Msg: fmt.Sprintf("several %s tables: %s", t.name, strings.Join(found, ", ")),
				Fix: "keep one file per table, or name the files explicitly", Err: ErrFormat}
		}
	}
	if p.Interactions == "" {
		return Paths{}, &Error{File: dir, Msg: "no interactions table", Fix: "add interactions.arrow, .parquet or .csv (with user_id and item_id columns)",
			Err: fmt.Errorf("%w: %w", ErrFormat, fs.ErrNotExist)}
	}
	return p, nil
}

// Load reads and validates a dataset and indexes it.
//
// Users and items get dense indices in the row order of their tables (or,
// without a table, in ascending ID order). Interactions become a CSR by user
// with items ascending; every interaction must name a user and an item of
// their tables. Repeated (user, item) pairs are an error unless
// [WithDuplicates] merges them, and merges are counted in the Report.
//
// Column roles come from [WithRoles], else from the "recaudit.role" field
// metadata, else from these defaults:
//
//	interactions: user_id, item_id; value|rating|weight|count -> value;
//	              timestamp|time|ts|datetime -> timestamp; others ignored
//	users:        user_id; bool consent* -> consent; gender, sex, age,
//	              age_band, age_group, race, ethnicity, religion, disability,
//	              nationality, marital_status, sexual_orientation -> sensitive;
//	              others -> attribute
//	items:        item_id; provider, provider_type, category, categories,
//	              brand, vendor, seller, genre, genres -> item_group;
//	              bool -> flag; others -> attribute
//
// Ignored columns are listed in the Report. Errors are *Error values.
func Load(p Paths, opts ...Option) (*Dataset, error) {
	cfg := newConfig(opts)
	if p.Interactions == "" {
		return nil, &Error{Msg: "no interactions table given", Fix: "name the interactions file or the dataset directory", Err: ErrFormat}
	}
	d := &Dataset{Metadata: map[string]string{}}
	for _, t := range []struct {
		path  string
		table tableKind
		ids   **IDs
		cols  *[]Column
		flag  *bool
	}{
		{p.Users, tableUsers, &d.Users, &d.UserColumns, &d.Report.UsersFromTable},
		{p.Items, tableItems, &d.Items, &d.ItemColumns, &d.Report.ItemsFromTable},
	} {
		if t.path == "" {
			continue
		}
		var et *entityTable
		err := safely(t.path, func() (err error) {
			et, err = readEntities(t.path, t.table, cfg)
			return err
		})
		if err != nil {
			return nil, err
		}
		*t.ids, *t.cols, *t.flag = et.ids, et.cols, true
		mergeMetadata(d.Metadata, et.meta)
		d.Report.IgnoredColumns = append(d.Report.IgnoredColumns, et.ignored...)
	}
	var meta map[string]string
	err := safely(p.Interactions, func() (err error) {
		d.Interactions, d.Users, d.Items, meta, err = readInteractions(p.Interactions, d.Users, d.Items, cfg, &d.Report)
		return err
	})
	if err != nil {
		return nil, err
	}
	mergeMetadata(d.Metadata, meta)
	for u := 0; u < d.Interactions.Rows; u++ {
		if d.Interactions.Len(u) == 0 {
			d.Report.UsersWithoutHistory++
		}
	}
	seen := make([]bool, d.Interactions.NumCols)
	for _, i := range d.Interactions.Cols {
		seen[i] = true
	}
	for _, s := range seen {
		if !s {
			d.Report.ItemsWithoutHistory++
		}
	}
	return d, nil
}

// mergeMetadata adds src to dst; keys already present keep their value.
func mergeMetadata(dst, src map[string]string) {
	for k, v := range src {
		if _, ok := dst[k]; !ok {
			dst[k] = v
		}
	}
}

// readInteractions reads the interactions table into a CSR. users and items
// may be nil, in which case they are indexed from the table in ascending ID
// order.
func readInteractions(path string, users, items *IDs, cfg config, rep *Report) (CSR, *IDs, *IDs, map[string]string, error) {
	r, err := OpenTable(path, WithAllocator(cfg.mem), WithBatchSize(cfg.batchSize))
	if err != nil {
		return CSR{}, nil, nil, nil, err
	}
	s, err := resolveInteractions(path, r.Schema(), cfg)
	if err != nil {
		r.Close()
		return CSR{}, nil, nil, nil, err
	}
	if f, _ := FormatOf(path); f == FormatParquet && len(s.ignored) > 0 {
		// Read only the columns used.
		r.Close()
		cols := []string{s.userName, s.itemName}
		if s.valueName != "" {
			cols = append(cols, s.valueName)
		}
		if s.timeName != "" {
			cols = append(cols, s.timeName)
		}
		if r, err = OpenTable(path, WithAllocator(cfg.mem), WithBatchSize(cfg.batchSize), WithColumns(cols...)); err != nil {
			return CSR{}, nil, nil, nil, err
		}
		if s, err = resolveInteractions(path, r.Schema(), cfg); err != nil {
			r.Close()
			return CSR{}, nil, nil, nil, err
		}
	}
	defer r.Close()
	meta := metadataMap(r.Schema().Metadata())
	rep.IgnoredColumns = append(rep.IgnoredColumns, s.ignored...)
	if err := checkKind(path, s.userName, s.userIsInt, users, "users"); err != nil {
		return CSR{}, nil, nil, nil, err
	}
	if err := checkKind(path, s.itemName, s.itemIsInt, items, "items"); err != nil {
		return CSR{}, nil, nil, nil, err
	}
	var src source
	var whole *chunk
	if g, ok := r.(*guarded); ok && users != nil && items != nil {
		if x, ok := g.BatchReader.(*ipcFileReader); ok {
			src = ipcSource(x, s, users, items)
		}
	}
	if src == nil {
		src, whole, users, items, err = collect(r, s, users, items)
		if err != nil {
			return CSR{}, nil, nil, nil, err
		}
	}
	m, merged, err := buildCSR(src, whole, users.Len(), items.Len(), s.value >= 0, s.time >= 0, s, cfg, users, items)
	if err != nil {
		return CSR{}, nil, nil, nil, err
	}
	// Every row read is an entry of the CSR or merged into one.
	rep.InteractionRows = int64(m.NNZ()) + merged
	rep.DuplicatesMerged = merged
	return m, users, items, meta, nil
}

// batchMapper maps the columns of one record batch into a chunk, reusing
// its buffers between batches.
type batchMapper struct {
	s      *interactionSchema
	um, im idMapper
	c      chunk
}

func newBatchMapper(s *interactionSchema, users, items *IDs) *batchMapper {
	return &batchMapper{s: s,
		um: idMapper{ids: users, path: s.path, column: s.userName, table: "users"},
		im: idMapper{ids: items, path: s.path, column: s.itemName, table: "items"},
	}
}

func (b *batchMapper) mapBatch(rec arrow.RecordBatch, rowBase int64, withItems bool) (chunk, error) {
	var err error
	c := &b.c
	c.rowBase = rowBase
	if c.users, err = b.um.mapTo(c.users, rec.Column(b.s.user), rowBase); err != nil {
		return chunk{}, err
	}
	if !withItems {
		return chunk{rowBase: rowBase, users: c.users}, nil
	}
	if c.items, err = b.im.mapTo(c.items, rec.Column(b.s.item), rowBase); err != nil {
		return chunk{}, err
	}
	if b.s.value >= 0 {
		if c.values, err = valuesTo(c.values, rec.Column(b.s.value), rowBase, b.s); err != nil {
			return chunk{}, err
		}
	}
	if b.s.time >= 0 {
		if c.times, err = timesTo(c.times, rec.Column(b.s.time), rowBase, b.s); err != nil {
			return chunk{}, err
		}
	}
	return *c, nil
}

// ipcSource iterates a memory-mapped Arrow file directly, once per pass,
// without materialising the rows.
func ipcSource(x *ipcFileReader, s *interactionSchema, users, items *IDs) source {
	b := newBatchMapper(s, users, items)
	return func(withItems bool, yield func(c chunk) error) error {
		var rowBase int64
		for i := 0; i < x.r.NumRecords(); i++ {
			var c chunk
			var n int64
			err := safely(s.path, func() error {
				rec, err := x.r.RecordBatchAt(i)
				if err != nil {
					return formatError(s.path, err)
				}
				defer rec.Release()
				n = rec.NumRows()
				// Validate only the columns read (cheap for the numeric
				// columns of a large interactions table).
				for _, j := range []int{s.user, s.item, s.value, s.time} {
					if j < 0 {
						continue
					}
					if err := validateArray(rec.Column(j), 0); err != nil {
						return &Error{File: s.path, Column: rec.ColumnName(j), Msg: "corrupt record batch " + strconv.Itoa(i) + ": " + err.Error(),
							Fix: "re-export the file; it may be damaged", Err: ErrFormat}
					}
				}
				c, err = b.mapBatch(rec, rowBase, withItems)
				if err == nil && x.data != nil {
					// The batch's values are consumed (copied into c):
					// let the kernel drop its pages from this process.
					for _, col := range rec.Columns() {
						for _, buf := range col.Data().Buffers() {
							if buf != nil {
								releasePages(x.data, buf.Bytes())
							}
						}
					}
				}
				return err
			})
			if err != nil {
				return err
			}
			if err := yield(c); err != nil {
				return err
			}
			rowBase += n
		}
		return nil
	}
}

// unwrap returns the reader inside OpenTable's panic guard.
func unwrap(r BatchReader) BatchReader {
	if g, ok := r.(*guarded); ok {
		return g.BatchReader
	}
	return r
}

// rawIDs collects the IDs of a column when there is no table to index them.
type rawIDs struct {
	ints []int64
	strs []string
}

func (r *rawIDs) add(arr arrow.Array, path, column string, rowBase int64, scratch *[]int64) error {
	for i := 0; i < arr.Len(); i++ {
		if arr.IsNull(i) {
			return &Error{File: path, Column: column, Row: rowBase + int64(i) + 1, Msg: "null ID", Fix: "give every interaction a user and an item", Err: ErrValue}
		}
	}
	if isIntType(arr.DataType()) {
		vals, over := intsOf(arr, *scratch)
		if over >= 0 {
			return &Error{File: path, Column: column, Row: rowBase + int64(over) + 1, Msg: "ID above the int64 range", Fix: "use IDs up to 9223372036854775807, or string IDs", Err: ErrValue}
		}
		r.ints = append(r.ints, vals...)
		return nil
	}
	at := stringAt(arr)
	for i := 0; i < arr.Len(); i++ {
		r.strs = append(r.strs, strings.Clone(at(i)))
	}
	return nil
}

// index returns the distinct IDs in ascending order and every row's index.
func (r *rawIDs) index(isInt bool) (*IDs, []int32) {
	idx := make([]int32, max(len(r.ints), len(r.strs)))
	if isInt {
		ids, _ := NewIntIDs(slices.Compact(slices.Sorted(slices.Values(r.ints))))
		mapInts(idx, r.ints, ids)
		return ids, idx
	}
	ids, _ := NewStringIDs(slices.Compact(slices.Sorted(slices.Values(r.strs))))
	for i, s := range r.strs {
		idx[i], _ = ids.LookupStr(s)
	}
	return ids, idx
}

// collect reads every batch once, keeping the mapped indices (or raw IDs,
// when a table is missing) in memory, and returns a source over them.
func collect(r BatchReader, s *interactionSchema, users, items *IDs) (source, *chunk, *IDs, *IDs, error) {
	var all chunk
	var rawU, rawI rawIDs
	var scratch []int64
	if rc, ok := unwrap(r).(interface{ NumRows() int64 }); ok {
		// Size the buffers once instead of growing them by copying; the
		// count is a hint from the file's metadata, capped in case it is
		// corrupt.
		if n := rc.NumRows(); n > 0 && n <= 1<<34 {
			hint := int(n)
			if users != nil {
				all.users = make([]int32, 0, hint)
			} else if s.userIsInt {
				rawU.ints = make([]int64, 0, hint)
			}
			if items != nil {
				all.items = make([]int32, 0, hint)
			} else if s.itemIsInt {
				rawI.ints = make([]int64, 0, hint)
			}
			if s.value >= 0 {
				all.values = make([]float32, 0, hint)
			}
			if s.time >= 0 {
				all.times = make([]int64, 0, hint)
			}
		}
	}
	b := newBatchMapper(s, users, items)
	var rowBase int64
	for r.Next() {
		rec := r.RecordBatch()
		var err error
		if users != nil {
			if b.c.users, err = b.um.mapTo(b.c.users, rec.Column(s.user), rowBase); err != nil {
				return nil, nil, nil, nil, err
			}
			all.users = append(all.users, b.c.users...)
		} else if err = rawU.add(rec.Column(s.user), s.path, s.userName, rowBase, &scratch); err != nil {
			return nil, nil, nil, nil, err
		}
		if items != nil {
			if b.c.items, err = b.im.mapTo(b.c.items, rec.Column(s.item), rowBase); err != nil {
				return nil, nil, nil, nil, err
			}
			all.items = append(all.items, b.c.items...)
		} else if err = rawI.add(rec.Column(s.item), s.path, s.itemName, rowBase, &scratch); err != nil {
			return nil, nil, nil, nil, err
		}
		if s.value >= 0 {
			if b.c.values, err = valuesTo(b.c.values, rec.Column(s.value), rowBase, s); err != nil {
				return nil, nil, nil, nil, err
			}
			all.values = append(all.values, b.c.values...)
		}
		if s.time >= 0 {
			if b.c.times, err = timesTo(b.c.times, rec.Column(s.time), rowBase, s); err != nil {
				return nil, nil, nil, nil, err
			}
			all.times = append(all.times, b.c.times...)
		}
		rowBase += rec.NumRows()
	}
	if err := r.Err(); err != nil {
		var e *Error
		if !errors.As(err, &e) {
			err = formatError(s.path, err)
		}
		return nil, nil, nil, nil, err
	}
	if users == nil {
		users, all.users = rawU.index(s.userIsInt)
	}
	if items == nil {
		items, all.items = rawI.index(s.itemIsInt)
	}
	const step = 1 << 16
	src := func(withItems bool, yield func(c chunk) error) error {
		for lo := 0; lo < len(all.users); lo += step {
			hi := min(lo+step, len(all.users))
			c := chunk{rowBase: int64(lo), users: all.users[lo:hi], items: all.items[lo:hi]}
			if all.values != nil {
				c.values = all.values[lo:hi]
			}
			if all.times != nil {
				c.times = all.times[lo:hi]
			}
			if err := yield(c); err != nil {
				return err
			}
		}
		return nil
	}
	return src, &all, users, items, nil
}
