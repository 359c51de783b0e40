package datasets

import (
	"errors"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/ipc"
	"github.com/apache/arrow-go/v18/arrow/memory"
	"github.com/google/go-cmp/cmp"
)

// col is a named column for building test tables.
type col struct {
	name string
	vals any // []int64, []string, []float64, []float32, []bool, [][]string; nil entries via *T pointers not needed
	null []bool
	meta map[string]string
}

// appendAll appends vals to b, nulls where valid says so, and returns the
// built array.
func appendAll[T any, B interface {
	Append(T)
	AppendNull()
	NewArray() arrow.Array
	Release()
}](b B, vals []T, valid func(int) bool) arrow.Array {
	defer b.Release()
	for i, x := range vals {
		if valid(i) {
			b.Append(x)
		} else {
			b.AppendNull()
		}
	}
	return b.NewArray()
}

func buildArray(t testing.TB, mem memory.Allocator, c col) arrow.Array {
	t.Helper()
	valid := func(i int) bool { return c.null == nil || !c.null[i] }
	switch v := c.vals.(type) {
	case []int64:
		return appendAll(array.NewInt64Builder(mem), v, valid)
	case []int32:
		return appendAll(array.NewInt32Builder(mem), v, valid)
	case []string:
		return appendAll(array.NewStringBuilder(mem), v, valid)
	case []float64:
		return appendAll(array.NewFloat64Builder(mem), v, valid)
	case []bool:
		return appendAll(array.NewBooleanBuilder(mem), v, valid)
	case [][]string:
		b := array.NewListBuilder(mem, arrow.BinaryTypes.String)
		defer b.Release()
		vb := b.ValueBuilder().(*array.StringBuilder)
		for i, x := range v {
			if !valid(i) {
				b.AppendNull()
				continue
			}
			b.Append(true)
			for _, s := range x {
				vb.Append(s)
			}
		}
		return b.NewArray()
	}
	t.Fatalf("unsupported column type %T", c.vals)
	return nil
}

// writeIPC writes the columns as an Arrow IPC file in one batch (or split
// into batches of batchRows rows when batchRows > 0).
func writeIPC(t testing.TB, mem memory.Allocator, path string, batchRows int, cols ...col) {
	t.Helper()
	var fields []arrow.Field
	var arrs []arrow.Array
	for _, c := range cols {
		a := buildArray(t, mem, c)
		defer a.Release()
		var md arrow.Metadata
		if c.meta != nil {
			var k, v []string
			for kk, vv := range c.meta {
				k, v = append(k, kk), append(v, vv)
			}
			md = arrow.NewMetadata(k, v)
		}
		fields = append(fields, arrow.Field{Name: c.name, Type: a.DataType(), Nullable: true, Metadata: md})
		arrs = append(arrs, a)
	}
	schema := arrow.NewSchema(fields, nil)
	rec := array.NewRecordBatch(schema, arrs, -1)
	defer rec.Release()
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	w, err := ipc.NewFileWriter(f, ipc.WithSchema(schema), ipc.WithAllocator(mem))
	if err != nil {
		t.Fatal(err)
	}
	n := int(rec.NumRows())
	if batchRows <= 0 {
		batchRows = max(n, 1)
	}
	for lo := 0; lo < n; lo += batchRows {
		s := rec.NewSlice(int64(lo), int64(min(lo+batchRows, n)))
		if err := w.Write(s); err != nil {
			t.Fatal(err)
		}
		s.Release()
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
}

// toyDataset writes the shop used by most tests and returns its paths:
// users 10, 20, 30 (20 has no interactions), items 1..4.
func toyDataset(t testing.TB, mem memory.Allocator, dir string) Paths {
	p := Paths{
		Interactions: filepath.Join(dir, "interactions.arrow"),
		Users:        filepath.Join(dir, "users.arrow"),
		Items:        filepath.Join(dir, "items.arrow"),
	}
	writeIPC(t, mem, p.Users, 0,
		col{name: "user_id", vals: []int64{10, 20, 30}},
		col{name: "gender", vals: []string{"F", "M", ""}, null: []bool{false, false, true}},
		col{name: "region", vals: []string{"north", "south", "north"}},
		col{name: "consent_personalization", vals: []bool{true, false, true}},
	)
	writeIPC(t, mem, p.Items, 0,
		col{name: "item_id", vals: []int64{4, 3, 2, 1}},
		col{name: "provider", vals: []string{"acme", "indie", "acme", "indie"}},
		col{name: "category", vals: [][]string{{"toys"}, {"home", "books"}, {}, {"books", "books"}}},
		col{name: "price", vals: []float64{9.5, 20, 3, 0}, null: []bool{false, false, false, true}},
		col{name: "high_cost_credit", vals: []bool{false, false, true, false}},
	)
	// Rows deliberately out of order.
	writeIPC(t, mem, p.Interactions, 2,
		col{name: "user_id", vals: []int64{30, 10, 10, 30, 10}},
		col{name: "item_id", vals: []int64{1, 3, 4, 4, 1}},
		col{name: "rating", vals: []float64{5, 4, 3, 2, 1}},
		col{name: "note", vals: []string{"a", "b", "c", "d", "e"}},
	)
	return p
}

func TestLoadToy(t *testing.T) {
	mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
	defer mem.AssertSize(t, 0)
	p := toyDataset(t, mem, t.TempDir())
	for _, mmap := range []bool{true, false} {
		opts := []Option{WithAllocator(mem)}
		if !mmap {
			opts = append(opts, WithoutMmap())
		}
		d, err := Load(p, opts...)
		if err != nil {
			t.Fatal(err)
		}
		// Hand-derived: users index 10->0, 20->1, 30->2; items in table
		// order 4->0, 3->1, 2->2, 1->3. User 10 rated items 3 (4), 4 (3),
		// 1 (1); user 30 rated 1 (5), 4 (2).
		want := CSR{Rows: 3, NumCols: 4,
			Offsets: []int64{0, 3, 3, 5},
			Cols:    []int32{0, 1, 3, 0, 3},
			Values:  []float32{3, 4, 1, 2, 5},
		}
		if diff := cmp.Diff(want, d.Interactions); diff != "" {
			t.Errorf("mmap=%v CSR (-want +got):\n%s", mmap, diff)
		}
		wantCols := []Column{
			{Name: "gender", Role: RoleSensitive, Kind: Categorical, Levels: []string{"F", "M"}, Codes: []int32{0, 1, -1}},
			{Name: "region", Role: RoleAttribute, Kind: Categorical, Levels: []string{"north", "south"}, Codes: []int32{0, 1, 0}},
			{Name: "consent_personalization", Role: RoleConsent, Kind: Bool, Bools: []bool{true, false, true}},
		}
		if diff := cmp.Diff(wantCols, d.UserColumns); diff != "" {
			t.Errorf("user columns (-want +got):\n%s", diff)
		}
		wantItems := []Column{
			{Name: "provider", Role: RoleItemGroup, Kind: Categorical, Levels: []string{"acme", "indie"}, Codes: []int32{0, 1, 0, 1}},
			{Name: "category", Role: RoleItemGroup, Kind: MultiCategorical, Levels: []string{"books", "home", "toys"},
				Offsets: []int32{0, 1, 3, 3, 4}, Codes: []int32{2, 0, 1, 0}},
			{Name: "price", Role: RoleAttribute, Kind: Numeric, Floats: []float64{9.5, 20, 3, math.NaN()}},
			{Name: "high_cost_credit", Role: RoleFlag, Kind: Bool, Bools: []bool{false, false, true, false}},
		}
		if diff := cmp.Diff(wantItems, d.ItemColumns, cmp.Comparer(func(a, b float64) bool { return a == b || (a != a && b != b) })); diff != "" {
			t.Errorf("item columns (-want +got):\n%s", diff)
		}
		wantReport := Report{InteractionRows: 5, UsersFromTable: true, ItemsFromTable: true, UsersWithoutHistory: 1, ItemsWithoutHistory: 1,
			IgnoredColumns: []string{"interactions.note"}}
		if diff := cmp.Diff(wantReport, d.Report); diff != "" {
			t.Errorf("report (-want +got):\n%s", diff)
		}
		if got := d.Consent(); !cmp.Equal(got, []bool{true, false, true}) {
			t.Errorf("Consent() = %v", got)
		}
	}
}

func TestLoadWithoutEntityTables(t *testing.T) {
	mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
	defer mem.AssertSize(t, 0)
	dir := t.TempDir()
	path := filepath.Join(dir, "interactions.arrow")
	writeIPC(t, mem, path, 0,
		col{name: "user_id", vals: []string{"u2", "u1", "u2"}},
		col{name: "item_id", vals: []int64{7, 7, 5}},
	)
	d, err := Load(Paths{Interactions: path}, WithAllocator(mem))
	if err != nil {
		t.Fatal(err)
	}
	// Hand-derived: users sorted u1, u2; items sorted 5, 7.
	if d.Users.Str(0) != "u1" || d.Users.Str(1) != "u2" || d.Items.Int(0) != 5 || d.Items.Int(1) != 7 {
		t.Errorf("index order: users %v items %v", d.Users.Strs(), d.Items.Ints())
	}
	want := CSR{Rows: 2, NumCols: 2, Offsets: []int64{0, 1, 3}, Cols: []int32{1, 0, 1}}
	if diff := cmp.Diff(want, d.Interactions); diff != "" {
		t.Errorf("CSR (-want +got):\n%s", diff)
	}
}

func TestLoadDuplicates(t *testing.T) {
	mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
	defer mem.AssertSize(t, 0)
	dir := t.TempDir()
	p := Paths{Interactions: filepath.Join(dir, "interactions.arrow")}
	writeIPC(t, mem, p.Interactions, 2,
		col{name: "user_id", vals: []int64{1, 1, 2, 1, 1}},
		col{name: "item_id", vals: []int64{5, 6, 5, 5, 5}},
		col{name: "value", vals: []float64{1, 2, 3, 4, 0.5}},
	)
	_, err := Load(p, WithAllocator(mem))
	var e *Error
	if !errors.As(err, &e) || !errors.Is(err, ErrDuplicate) || e.Row != 4 || !strings.Contains(e.Error(), "already interacted at row 1") {
		t.Fatalf("want duplicate error at row 4, got %v", err)
	}
	for _, tc := range []struct {
		policy DuplicatePolicy
		want   []float32 // user 1: items 5, 6; user 2: item 5
	}{
		{DuplicatesSum, []float32{5.5, 2, 3}}, // hand-computed: 1 + 4 + 0.5
		{DuplicatesMax, []float32{4, 2, 3}},
	} {
		d, err := Load(p, WithAllocator(mem), WithDuplicates(tc.policy))
		if err != nil {
			t.Fatal(err)
		}
		if !cmp.Equal(d.Interactions.Values, tc.want) || d.Report.DuplicatesMerged != 2 || d.Report.InteractionRows != 5 || !cmp.Equal(d.Interactions.Offsets, []int64{0, 2, 3}) {
			t.Errorf("policy %d: values %v offsets %v merged %d", tc.policy, d.Interactions.Values, d.Interactions.Offsets, d.Report.DuplicatesMerged)
		}
	}
}

func TestLoadErrors(t *testing.T) {
	mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
	defer mem.AssertSize(t, 0)
	users := []col{{name: "user_id", vals: []int64{1, 2}}}
	items := []col{{name: "item_id", vals: []int64{5, 6}}}
	inter := func(cs ...col) []col { return cs }
	tests := []struct {
		name         string
		users, items []col
		inter        []col
		opts         []Option
		kind         error
		file         string
		want         string // substring of the message
	}{
		{name: "unknown user", users: users, items: items,
			inter: inter(col{name: "user_id", vals: []int64{1, 3}}, col{name: "item_id", vals: []int64{5, 5}}),
			kind:  ErrUnknownID, file: "interactions", want: `column "user_id", row 2: user ID 3 is not in the users table`},
		{name: "unknown item", users: users, items: items,
			inter: inter(col{name: "user_id", vals: []int64{1, 2}}, col{name: "item_id", vals: []int64{5, 9}}),
			kind:  ErrUnknownID, file: "interactions", want: `column "item_id", row 2: item ID 9 is not in the items table`},
		{name: "null user id", users: users, items: items,
			inter: inter(col{name: "user_id", vals: []int64{1, 0}, null: []bool{false, true}}, col{name: "item_id", vals: []int64{5, 5}}),
			kind:  ErrValue, file: "interactions", want: `column "user_id", row 2: null ID`},
		{name: "nan value", users: users, items: items,
			inter: inter(col{name: "user_id", vals: []int64{1, 2}}, col{name: "item_id", vals: []int64{5, 5}}, col{name: "value", vals: []float64{1, math.NaN()}}),
			kind:  ErrValue, file: "interactions", want: `column "value", row 2: value NaN is not a finite number`},
		{name: "inf value", users: users, items: items,
			inter: inter(col{name: "user_id", vals: []int64{1, 2}}, col{name: "item_id", vals: []int64{5, 5}}, col{name: "value", vals: []float64{math.Inf(1), 1}}),
			kind:  ErrValue, file: "interactions", want: `row 1: value +Inf is not a finite number`},
		{name: "missing item column", users: users, items: items,
			inter: inter(col{name: "user_id", vals: []int64{1, 2}}, col{name: "product", vals: []int64{5, 5}}),
			kind:  ErrSchema, file: "interactions", want: `no item_id column; fix: name the column item_id`},
		{name: "id type mismatch", users: users, items: items,
			inter: inter(col{name: "user_id", vals: []string{"1", "2"}}, col{name: "item_id", vals: []int64{5, 5}}),
			kind:  ErrSchema, file: "interactions", want: `IDs are string here but int64 in the users table`},
		{name: "duplicate user id", users: []col{{name: "user_id", vals: []int64{1, 2, 1}}}, items: items,
			inter: inter(col{name: "user_id", vals: []int64{1}}, col{name: "item_id", vals: []int64{5}}),
			kind:  ErrDuplicate, file: "users", want: `column "user_id", row 3: duplicate ID 1 (first at row 1)`},
		{name: "empty interactions", users: users, items: items,
			inter: inter(col{name: "user_id", vals: []int64{}}, col{name: "item_id", vals: []int64{}}),
			kind:  ErrEmpty, file: "interactions", want: `no rows`},
		{name: "consent not bool", users: []col{{name: "user_id", vals: []int64{1}}, {name: "consent_personalization", vals: []string{"yes"}, meta: map[string]string{MetadataRole: "consent"}}}, items: items,
			inter: inter(col{name: "user_id", vals: []int64{1}}, col{name: "item_id", vals: []int64{5}}),
			kind:  ErrSchema, file: "users", want: `type utf8 cannot hold a consent column; fix: store it as a boolean`},
		{name: "null flag", users: users, items: []col{{name: "item_id", vals: []int64{5, 6}}, {name: "high_cost_credit", vals: []bool{true, false}, null: []bool{false, true}}},
			inter: inter(col{name: "user_id", vals: []int64{1}}, col{name: "item_id", vals: []int64{5}}),
			kind:  ErrValue, file: "items", want: `column "high_cost_credit", row 2: null in a boolean flag column`},
		{name: "bad role metadata", users: users, items: []col{{name: "item_id", vals: []int64{5, 6}}, {name: "x", vals: []int64{1, 2}, meta: map[string]string{MetadataRole: "sensitve"}}},
			inter: inter(col{name: "user_id", vals: []int64{1}}, col{name: "item_id", vals: []int64{5}}),
			kind:  ErrSchema, file: "items", want: `field metadata recaudit.role="sensitve" is not a role`},
		{name: "role not allowed", users: users, items: []col{{name: "item_id", vals: []int64{5, 6}}, {name: "gender", vals: []string{"a", "b"}, meta: map[string]string{MetadataRole: "sensitive"}}},
			inter: inter(col{name: "user_id", vals: []int64{1}}, col{name: "item_id", vals: []int64{5}}),
			kind:  ErrSchema, file: "items", want: `role sensitive is not allowed in the items table`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			p := Paths{Interactions: filepath.Join(dir, "interactions.arrow"), Users: filepath.Join(dir, "users.arrow"), Items: filepath.Join(dir, "items.arrow")}
			writeIPC(t, mem, p.Users, 0, tc.users...)
			writeIPC(t, mem, p.Items, 0, tc.items...)
			writeIPC(t, mem, p.Interactions, 1, tc.inter...)
			_, err := Load(p, append([]Option{WithAllocator(mem)}, tc.opts...)...)
			var e *Error
			if !errors.As(err, &e) {
				t.Fatalf("want *Error, got %v", err)
			}
			if !errors.Is(err, tc.kind) {
				t.Errorf("error %v does not wrap %v", err, tc.kind)
			}
			if !strings.Contains(e.File, tc.file) || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("error %q\nwant file %q and message containing %q", err, tc.file, tc.want)
			}
			if e.Fix == "" && !errors.Is(err, ErrEmpty) {
				t.Errorf("error %q has no fix", err)
			}
		})
	}
}

func TestLocate(t *testing.T) {
	dir := t.TempDir()
	if _, err := Locate(dir); err == nil || !strings.Contains(err.Error(), "no interactions table") {
		t.Errorf("empty dir: %v", err)
	}
	for _, f := range []string{"interactions.parquet", "users.csv", "items.arrow"} {
		if err := os.WriteFile(filepath.Join(dir, f), nil, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	p, err := Locate(dir)
	if err != nil {
		t.Fatal(err)
	}
	want := Paths{filepath.Join(dir, "interactions.parquet"), filepath.Join(dir, "users.csv"), filepath.Join(dir, "items.arrow")}
	if p != want {
		t.Errorf("Locate = %+v, want %+v", p, want)
	}
	if err := os.WriteFile(filepath.Join(dir, "users.arrow"), nil, 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := Locate(dir); err == nil || !strings.Contains(err.Error(), "several users tables") {
		t.Errorf("two users tables: %v", err)
	}
}

func TestTablesRoundTrip(t *testing.T) {
	mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
	defer mem.AssertSize(t, 0)
	p := toyDataset(t, mem, t.TempDir())
	d, err := Load(p, WithAllocator(mem))
	if err != nil {
		t.Fatal(err)
	}
	d.Metadata["recaudit.demo.seed"] = "7"
	dir := t.TempDir()
	out := Paths{Interactions: filepath.Join(dir, "interactions.arrow"), Users: filepath.Join(dir, "users.arrow"), Items: filepath.Join(dir, "items.arrow")}
	writeBatches(t, mem, out.Interactions, d.InteractionsSchema(), d.InteractionBatches(mem))
	u := d.UsersBatch(mem)
	writeBatches(t, mem, out.Users, u.Schema(), []arrow.RecordBatch{u})
	it := d.ItemsBatch(mem)
	writeBatches(t, mem, out.Items, it.Schema(), []arrow.RecordBatch{it})
	d2, err := Load(out, WithAllocator(mem))
	if err != nil {
		t.Fatal(err)
	}
	d.Report.IgnoredColumns = nil // the note column is not written back
	if diff := cmp.Diff(d, d2, datasetCmp...); diff != "" {
		t.Errorf("round trip (-want +got):\n%s", diff)
	}
}

// datasetCmp compares Datasets: IDs by content, NaN equal to NaN.
var datasetCmp = []cmp.Option{
	cmp.Comparer(func(a, b *IDs) bool { return a.Equal(b) }),
	cmp.Comparer(func(a, b float64) bool { return a == b || (a != a && b != b) }),
}

// writeBatches writes batches to an Arrow IPC file and releases them.
func writeBatches(t *testing.T, mem memory.Allocator, path string, schema *arrow.Schema, batches []arrow.RecordBatch) {
	t.Helper()
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	w, err := ipc.NewFileWriter(f, ipc.WithSchema(schema), ipc.WithAllocator(mem))
	if err != nil {
		t.Fatal(err)
	}
	for _, b := range batches {
		if err := w.Write(b); err != nil {
			t.Fatal(err)
		}
		b.Release()
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
}

func TestWriteDatasetEveryFormat(t *testing.T) {
	mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
	defer mem.AssertSize(t, 0)
	p := toyDataset(t, mem, t.TempDir())
	d, err := Load(p, WithAllocator(mem))
	if err != nil {
		t.Fatal(err)
	}
	d.Metadata["recaudit.demo.seed"] = "7"
	d.Report.IgnoredColumns = nil // the note column is not written back
	for _, f := range []Format{FormatArrow, FormatArrowStream, FormatParquet, FormatCSV} {
		t.Run(f.String(), func(t *testing.T) {
			dir := filepath.Join(t.TempDir(), "out")
			if err := WriteDataset(dir, d, f, WithAllocator(mem)); err != nil {
				t.Fatal(err)
			}
			got, err := Load(TablePaths(dir, f), WithAllocator(mem))
			if err != nil {
				t.Fatal(err)
			}
			want := *d
			if f == FormatCSV {
				want.Metadata = map[string]string{} // CSV has no metadata
			}
			if diff := cmp.Diff(&want, got, datasetCmp...); diff != "" {
				t.Errorf("round trip through %s (-want +got):\n%s", f, diff)
			}
		})
	}
}

func TestSingleValuedListIsCategorical(t *testing.T) {
	mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
	defer mem.AssertSize(t, 0)
	dir := t.TempDir()
	p := Paths{Interactions: filepath.Join(dir, "interactions.arrow"), Items: filepath.Join(dir, "items.arrow")}
	writeIPC(t, mem, p.Items, 0,
		col{name: "item_id", vals: []int64{1, 2, 3}},
		col{name: "category", vals: [][]string{{"toys"}, {}, {"books"}}},
	)
	writeIPC(t, mem, p.Interactions, 0, col{name: "user_id", vals: []int64{1}}, col{name: "item_id", vals: []int64{2}})
	d, err := Load(p, WithAllocator(mem))
	if err != nil {
		t.Fatal(err)
	}
	want := []Column{{Name: "category", Role: RoleItemGroup, Kind: Categorical, Levels: []string{"books", "toys"}, Codes: []int32{1, -1, 0}}}
	if diff := cmp.Diff(want, d.ItemColumns); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
}

// TestLoadSortedInput covers the path that adopts the read columns as the
// CSR when the file is in user order (no users or items table forces the
// in-memory path), and its fall-back when a row is unsorted or repeats an
// item: the duplicate is still reported at its file row.
func TestLoadSortedInput(t *testing.T) {
	mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
	defer mem.AssertSize(t, 0)
	dir := t.TempDir()
	sorted := filepath.Join(dir, "sorted.arrow")
	writeIPC(t, mem, sorted, 2,
		col{name: "user_id", vals: []int64{1, 1, 2, 3, 3}},
		col{name: "item_id", vals: []int64{5, 7, 5, 6, 7}},
	)
	d, err := Load(Paths{Interactions: sorted}, WithAllocator(mem))
	if err != nil {
		t.Fatal(err)
	}
	// Hand-derived: items 5, 6, 7 -> 0, 1, 2.
	want := CSR{Rows: 3, NumCols: 3, Offsets: []int64{0, 2, 3, 5}, Cols: []int32{0, 2, 0, 1, 2}}
	if diff := cmp.Diff(want, d.Interactions); diff != "" {
		t.Errorf("CSR (-want +got):\n%s", diff)
	}
	dup := filepath.Join(dir, "dup.arrow")
	writeIPC(t, mem, dup, 2,
		col{name: "user_id", vals: []int64{1, 1, 2, 2, 2}},
		col{name: "item_id", vals: []int64{7, 5, 6, 5, 6}},
	)
	_, err = Load(Paths{Interactions: dup}, WithAllocator(mem))
	var e *Error
	if !errors.As(err, &e) || e.Row != 5 || !strings.Contains(err.Error(), "already interacted at row 3") {
		t.Errorf("want a duplicate at row 5 (first at row 3), got %v", err)
	}
}
