package atomicfile

import (
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// entries returns the names in dir, sorted.
func entries(t *testing.T, dir string) []string {
	t.Helper()
	es, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, e := range es {
		names = append(names, e.Name())
	}
	return names
}

func TestWriteFileNew(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "out.txt")
	if err := WriteFile(path, []byte("hello")); err != nil {
		t.Fatal(err)
	}
	got, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if string(got) != "hello" {
		t.Errorf("content = %q, want %q", got, "hello")
	}
	if names := entries(t, dir); len(names) != 1 || names[0] != "out.txt" {
		t.Errorf("directory holds %q, want only out.txt", names)
	}
}

func TestWriteReplaces(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "out.txt")
	if err := os.WriteFile(path, []byte("old content that is longer"), 0o644); err != nil {
		t.Fatal(err)
	}
	err := Write(path, func(w io.Writer) error {
		_, err := io.WriteString(w, "new")
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	got, _ := os.ReadFile(path)
	if string(got) != "new" {
		t.Errorf("content = %q, want %q", got, "new")
	}
	if names := entries(t, dir); len(names) != 1 {
		t.Errorf("directory holds %q, want only out.txt", names)
	}
}

func TestWriteLargeContent(t *testing.T) {
	// Larger than the 64 KiB buffer, so the data crosses several flushes.
	dir := t.TempDir()
	path := filepath.Join(dir, "big.bin")
	data := []byte(strings.Repeat("0123456789abcdef", 20000))
	if err := WriteFile(path, data); err != nil {
		t.Fatal(err)
	}
	got, _ := os.ReadFile(path)
	if string(got) != string(data) {
		t.Errorf("content differs: got %d bytes, want %d", len(got), len(data))
	}
}

func TestWriteErrorKeepsOldFile(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "out.txt")
	if err := os.WriteFile(path, []byte("old"), 0o644); err != nil {
		t.Fatal(err)
	}
	boom := errors.New("boom")
	err := Write(path, func(w io.Writer) error {
		// Write more than the buffer so part of it reaches the temp file.
		if _, err := w.Write(make([]byte, 200<<10)); err != nil {
			return err
		}
		return boom
	})
	if !errors.Is(err, boom) {
		t.Fatalf("err = %v, want %v", err, boom)
	}
	got, _ := os.ReadFile(path)
	if string(got) != "old" {
		t.Errorf("content = %q, want the old %q", got, "old")
	}
	if names := entries(t, dir); len(names) != 1 || names[0] != "out.txt" {
		t.Errorf("directory holds %q, want only out.txt (no temp file)", names)
	}
}

func TestWriteErrorNoFile(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "out.txt")
	err := Write(path, func(io.Writer) error { return errors.New("boom") })
	if err == nil {
		t.Fatal("want an error")
	}
	if names := entries(t, dir); len(names) != 0 {
		t.Errorf("directory holds %q, want nothing", names)
	}
}

func TestWritePanicKeepsOldFile(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "out.txt")
	if err := os.WriteFile(path, []byte("old"), 0o644); err != nil {
		t.Fatal(err)
	}
	var recovered any
	func() {
		defer func() { recovered = recover() }()
		_ = Write(path, func(w io.Writer) error {
			_, _ = io.WriteString(w, "partial")
			panic("kaboom")
		})
	}()
	if recovered != "kaboom" {
		t.Errorf("recovered %v, want the re-raised panic \"kaboom\"", recovered)
	}
	got, _ := os.ReadFile(path)
	if string(got) != "old" {
		t.Errorf("content = %q, want the old %q", got, "old")
	}
	if names := entries(t, dir); len(names) != 1 || names[0] != "out.txt" {
		t.Errorf("directory holds %q, want only out.txt (no temp file)", names)
	}
}

func TestWriteMissingDirectory(t *testing.T) {
	path := filepath.Join(t.TempDir(), "no", "such", "dir", "out.txt")
	if err := WriteFile(path, []byte("x")); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("err = %v, want os.ErrNotExist", err)
	}
}

func TestWriteRenameOntoDirectoryFails(t *testing.T) {
	// The destination is a non-empty directory: rename fails, and the temp
	// file must not be left behind.
	dir := t.TempDir()
	path := filepath.Join(dir, "target")
	if err := os.MkdirAll(filepath.Join(path, "child"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := WriteFile(path, []byte("x")); err == nil {
		t.Fatal("want an error renaming onto a directory")
	}
	if names := entries(t, dir); len(names) != 1 || names[0] != "target" {
		t.Errorf("directory holds %q, want only target", names)
	}
}

func TestWriteRelativePath(t *testing.T) {
	dir := t.TempDir()
	t.Chdir(dir)
	if err := WriteFile("rel.txt", []byte("r")); err != nil {
		t.Fatal(err)
	}
	got, _ := os.ReadFile(filepath.Join(dir, "rel.txt"))
	if string(got) != "r" {
		t.Errorf("content = %q, want %q", got, "r")
	}
}
