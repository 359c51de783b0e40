package clitest

import (
	"math"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/ipc"
	"github.com/apache/arrow-go/v18/arrow/memory"
	"github.com/recaudit/recaudit/datasets"
)

// Small returns a dataset of 4 users (int IDs 10..13) and 5 items (string
// IDs a..e), hand-made so that its summary is easy to check:
//
//	user 10: a b c   user 11: a   user 12: a b   user 13: c
//
// Activity is [3 1 2 1], popularity [3 2 2 0 0]. Users have a sensitive
// "gender" (f, m, m, f), items an item_group "provider" (p, p, q, q, r).
func Small() *datasets.Dataset {
	users, _ := datasets.NewIntIDs([]int64{10, 11, 12, 13})
	items, _ := datasets.NewStringIDs([]string{"a", "b", "c", "d", "e"})
	return &datasets.Dataset{
		Users: users,
		Items: items,
		Interactions: datasets.CSR{
			Rows: 4, NumCols: 5,
			Offsets: []int64{0, 3, 4, 6, 7},
			Cols:    []int32{0, 1, 2, 0, 0, 1, 2},
			Values:  []float32{5, 4, 3, 2, 1, 5, 4},
		},
		UserColumns: []datasets.Column{
			{Name: "gender", Role: datasets.RoleSensitive, Kind: datasets.Categorical, Levels: []string{"f", "m"}, Codes: []int32{0, 1, 1, 0}},
			{Name: "score", Role: datasets.RoleAttribute, Kind: datasets.Numeric, Floats: []float64{0.5, math.NaN(), 1, 2}},
		},
		ItemColumns: []datasets.Column{
			{Name: "provider", Role: datasets.RoleItemGroup, Kind: datasets.Categorical, Levels: []string{"p", "q", "r"}, Codes: []int32{0, 0, 1, 1, 2}},
		},
		Metadata: map[string]string{},
	}
}

// WriteArrow writes d to dir as interactions.arrow, users.arrow and
// items.arrow (Arrow IPC files) and returns their paths.
func WriteArrow(t testing.TB, dir string, d *datasets.Dataset) datasets.Paths {
	t.Helper()
	mem := memory.NewGoAllocator()
	p := datasets.Paths{
		Interactions: filepath.Join(dir, "interactions.arrow"),
		Users:        filepath.Join(dir, "users.arrow"),
		Items:        filepath.Join(dir, "items.arrow"),
	}
	inter := d.InteractionBatches(mem)
	writeIPC(t, p.Interactions, d.InteractionsSchema(), inter)
	u := d.UsersBatch(mem)
	defer u.Release()
	writeIPC(t, p.Users, u.Schema(), []arrow.RecordBatch{u})
	it := d.ItemsBatch(mem)
	defer it.Release()
	writeIPC(t, p.Items, it.Schema(), []arrow.RecordBatch{it})
	for _, b := range inter {
		b.Release()
	}
	return p
}

func writeIPC(t testing.TB, path string, schema *arrow.Schema, batches []arrow.RecordBatch) {
	t.Helper()
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	w, err := ipc.NewFileWriter(f, ipc.WithSchema(schema))
	if err != nil {
		t.Fatal(err)
	}
	for _, b := range batches {
		if err := w.Write(b); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}
}

// Clock returns a fake clock for Factory.Now that starts at a fixed time
// and advances by step on every call.
func Clock(step time.Duration) func() time.Time {
	t := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	return func() time.Time {
		now := t
		t = t.Add(step)
		return now
	}
}
