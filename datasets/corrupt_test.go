package datasets

import (
	"errors"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/memory"
)

// validFile returns the bytes of the round-trip table written as ext.
func validFile(t testing.TB, ext string) []byte {
	t.Helper()
	mem := memory.NewGoAllocator()
	schema := testSchema()
	in := buildBatches(t, mem, schema, testRows())
	defer releaseAll(in)
	path := filepath.Join(t.TempDir(), "valid"+ext)
	if err := WriteTable(path, schema, in); err != nil {
		t.Fatal(err)
	}
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return data
}

// drain opens path, reads every batch and touches every value, then
// closes the reader. It returns the first error; it must never panic.
func drain(path string, opts ...Option) (err error) {
	r, err := OpenTable(path, opts...)
	if err != nil {
		return err
	}
	defer func() { err = errors.Join(err, r.Close()) }()
	for r.Next() {
		touchBatch(r.RecordBatch())
	}
	return r.Err()
}

// touchBatch reads every value of rec, as the loaders will.
func touchBatch(rec arrow.RecordBatch) {
	for _, c := range rec.Columns() {
		for i := 0; i < c.Len(); i++ {
			_ = c.GetOneForMarshal(i)
		}
	}
}

// checkCorruptError fails unless err is nil (some damage leaves a valid
// file) or a format error that names the file.
func checkCorruptError(t *testing.T, what, path string, err error) {
	t.Helper()
	if err == nil {
		return
	}
	var e *Error
	if !errors.As(err, &e) || !errors.Is(err, ErrFormat) || e.File != path {
		t.Errorf("%s: error %v (%T) is not an ErrFormat *Error naming the file", what, err, err)
	}
}

func TestCorruptFiles(t *testing.T) {
	for _, ext := range []string{".arrow", ".arrows", ".parquet"} {
		for _, mmap := range []bool{true, false} {
			if ext != ".arrow" && !mmap {
				continue
			}
			t.Run(fmt.Sprintf("%s/mmap=%v", ext, mmap), func(t *testing.T) {
				// Damaged files go through arrow-go's error paths, some of
				// which leak Arrow buffers when a panic is recovered (the
				// garbage collector frees them): only the valid file is
				// read with a checked allocator.
				mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
				defer mem.AssertSize(t, 0)
				opts := []Option{WithBatchSize(2)}
				if !mmap {
					opts = append(opts, WithoutMmap())
				}
				valid := validFile(t, ext)
				dir := t.TempDir()
				path := filepath.Join(dir, "c"+ext)
				try := func(what string, data []byte) error {
					if err := os.WriteFile(path, data, 0o644); err != nil {
						t.Fatal(err)
					}
					err := drain(path, opts...)
					checkCorruptError(t, what, path, err)
					return err
				}
				if err := os.WriteFile(path, valid, 0o644); err != nil {
					t.Fatal(err)
				}
				if err := drain(path, append(opts, WithAllocator(mem))...); err != nil {
					t.Fatalf("valid file: %v", err)
				}
				// Truncation: always an error, never a shorter table.
				n := len(valid)
				cuts := []int{0, 1, 4, 6, 8, 12, n / 4, n / 3, n / 2, 2 * n / 3, n - 16, n - 12, n - 8, n - 6, n - 4, n - 1}
				for c := 16; c < n; c += 56 {
					cuts = append(cuts, c)
				}
				for _, c := range cuts {
					if err := try(fmt.Sprintf("truncated at %d of %d", c, n), valid[:c]); err == nil {
						t.Errorf("truncated at %d of %d: no error", c, n)
					}
				}
				// Damage: flip bytes at seeded random places. Errors are
				// expected but not required (a flipped value byte gives a
				// valid file); panics and wrong error kinds are bugs.
				rng := rand.New(rand.NewPCG(1, uint64(len(ext))))
				for k := range 150 {
					d := append([]byte(nil), valid...)
					for range 1 + k%3 {
						d[rng.IntN(n)] ^= byte(1 + rng.IntN(255))
					}
					try(fmt.Sprintf("damage %d", k), d)
				}
				// Systematic single-byte flips over the first and last
				// 128 bytes, where the headers and footers are.
				for i := range n {
					if i >= 128 && i < n-128 {
						continue
					}
					d := append([]byte(nil), valid...)
					d[i] ^= 0xff
					try(fmt.Sprintf("byte %d flipped", i), d)
				}
			})
		}
	}
}

func TestWrongFormat(t *testing.T) {
	// A file of one format named as another gets a specific message.
	arrowFile, stream, pq := validFile(t, ".arrow"), validFile(t, ".arrows"), validFile(t, ".parquet")
	for _, tc := range []struct {
		name string
		data []byte
		want string
	}{
		{"x.arrow", pq, "not an Arrow IPC file (no ARROW1 magic)"},
		{"x.arrow", stream, "not an Arrow IPC file (no ARROW1 magic)"},
		{"x.arrows", arrowFile, "this is an Arrow IPC file, not an Arrow IPC stream; fix: name the file .arrow"},
		{"x.arrows", pq, "the Arrow IPC stream is truncated (no end-of-stream marker)"},
		{"x.parquet", arrowFile, "not a Parquet file (no PAR1 magic at the start)"},
		{"x.parquet", append([]byte("PAR1"), make([]byte, 20)...), "the Parquet file is truncated (no PAR1 magic at the end)"},
		{"x.parquet", append(append([]byte("PAR1"), make([]byte, 20)...), "PARE"...), "the Parquet file is encrypted"},
		{"x.parquet", []byte("PAR1PAR1"), "the Parquet file is truncated (no PAR1 magic at the end)"},
	} {
		path := filepath.Join(t.TempDir(), tc.name)
		if err := os.WriteFile(path, tc.data, 0o644); err != nil {
			t.Fatal(err)
		}
		err := drain(path)
		if err == nil || !errors.Is(err, ErrFormat) || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: err = %v, want ErrFormat containing %q", tc.name, err, tc.want)
		}
	}
}
