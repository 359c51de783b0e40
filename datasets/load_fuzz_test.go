package datasets

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/apache/arrow-go/v18/arrow/memory"
)

// FuzzLoadInteractions feeds arbitrary bytes as the interactions table of
// an otherwise valid dataset (with and without the users and items tables,
// with and without the memory map). Load may fail, but must not panic, and
// what it returns must be a well-formed CSR.
func FuzzLoadInteractions(f *testing.F) {
	dir := f.TempDir()
	mem := memory.NewGoAllocator()
	p := toyDataset(f, mem, dir)
	seed, err := os.ReadFile(p.Interactions)
	if err != nil {
		f.Fatal(err)
	}
	f.Add(seed)
	f.Add(seed[:len(seed)/2])
	f.Add([]byte("ARROW1\x00\x00"))
	f.Fuzz(func(t *testing.T, data []byte) {
		dir := t.TempDir()
		path := filepath.Join(dir, "interactions.arrow")
		if err := os.WriteFile(path, data, 0o644); err != nil {
			t.Fatal(err)
		}
		for _, q := range []Paths{{Interactions: path, Users: p.Users, Items: p.Items}, {Interactions: path}} {
			for _, opts := range [][]Option{nil, {WithoutMmap()}, {WithDuplicates(DuplicatesSum)}} {
				d, err := Load(q, opts...)
				if err != nil {
					continue
				}
				if msg := d.Interactions.Validate(); msg != "" {
					t.Fatalf("Load returned a malformed CSR: %s", msg)
				}
			}
		}
	})
}
