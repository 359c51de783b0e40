package atomicfile

import (
	"errors"
	"os"
	"path/filepath"
	"testing"
)

func readAll(t *testing.T, dir string) map[string]string {
	t.Helper()
	got := map[string]string{}
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		b, err := os.ReadFile(filepath.Join(dir, e.Name()))
		if err != nil {
			t.Fatal(err)
		}
		got[e.Name()] = string(b)
	}
	return got
}

func writeOne(name, content string) func(string) error {
	return func(tmp string) error {
		return os.WriteFile(filepath.Join(tmp, name), []byte(content), 0o666)
	}
}

// onlyEntries checks that parent holds exactly the named entries: no
// temporary or moved-aside directory is left behind.
func onlyEntries(t *testing.T, parent string, names ...string) {
	t.Helper()
	entries, err := os.ReadDir(parent)
	if err != nil {
		t.Fatal(err)
	}
	if len(entries) != len(names) {
		var got []string
		for _, e := range entries {
			got = append(got, e.Name())
		}
		t.Fatalf("%s holds %v, want %v", parent, got, names)
	}
}

func TestWriteDirCreate(t *testing.T) {
	parent := t.TempDir()
	dir := filepath.Join(parent, "sub", "out")
	if err := WriteDir(dir, false, writeOne("a.txt", "new")); err != nil {
		t.Fatal(err)
	}
	if got := readAll(t, dir); got["a.txt"] != "new" || len(got) != 1 {
		t.Fatalf("got %v", got)
	}
	onlyEntries(t, filepath.Join(parent, "sub"), "out")
	fi, err := os.Stat(dir)
	if err != nil {
		t.Fatal(err)
	}
	if fi.Mode().Perm()&0o700 != 0o700 {
		t.Errorf("mode %v: the owner cannot use the directory", fi.Mode())
	}
}

func TestWriteDirRefusesExisting(t *testing.T) {
	parent := t.TempDir()
	dir := filepath.Join(parent, "out")
	if err := WriteDir(dir, false, writeOne("a.txt", "old")); err != nil {
		t.Fatal(err)
	}
	called := false
	err := WriteDir(dir, false, func(string) error { called = true; return nil })
	if !errors.Is(err, ErrExists) {
		t.Fatalf("err = %v, want ErrExists", err)
	}
	if called {
		t.Error("fill was called although the directory could not be replaced")
	}
	if got := readAll(t, dir); got["a.txt"] != "old" {
		t.Fatalf("existing directory changed: %v", got)
	}
	onlyEntries(t, parent, "out")
}

func TestWriteDirReplace(t *testing.T) {
	parent := t.TempDir()
	dir := filepath.Join(parent, "out")
	if err := WriteDir(dir, false, writeOne("a.txt", "old")); err != nil {
		t.Fatal(err)
	}
	if err := WriteDir(dir, true, writeOne("b.txt", "new")); err != nil {
		t.Fatal(err)
	}
	got := readAll(t, dir)
	if len(got) != 1 || got["b.txt"] != "new" {
		t.Fatalf("got %v, want only b.txt", got)
	}
	onlyEntries(t, parent, "out")
}

func TestWriteDirEmptyExisting(t *testing.T) {
	parent := t.TempDir()
	dir := filepath.Join(parent, "out")
	if err := os.Mkdir(dir, 0o777); err != nil {
		t.Fatal(err)
	}
	if err := WriteDir(dir, false, writeOne("a.txt", "new")); err != nil {
		t.Fatal(err)
	}
	if got := readAll(t, dir); got["a.txt"] != "new" {
		t.Fatalf("got %v", got)
	}
	onlyEntries(t, parent, "out")
}

func TestWriteDirFailureKeepsOld(t *testing.T) {
	parent := t.TempDir()
	dir := filepath.Join(parent, "out")
	if err := WriteDir(dir, false, writeOne("a.txt", "old")); err != nil {
		t.Fatal(err)
	}
	boom := errors.New("boom")
	err := WriteDir(dir, true, func(tmp string) error {
		if err := writeOne("half.txt", "partial")(tmp); err != nil {
			return err
		}
		return boom
	})
	if !errors.Is(err, boom) {
		t.Fatalf("err = %v, want boom", err)
	}
	if got := readAll(t, dir); len(got) != 1 || got["a.txt"] != "old" {
		t.Fatalf("old directory changed: %v", got)
	}
	onlyEntries(t, parent, "out")
}

func TestWriteDirPanicCleansUp(t *testing.T) {
	parent := t.TempDir()
	dir := filepath.Join(parent, "out")
	func() {
		defer func() {
			if recover() == nil {
				t.Error("panic was not re-raised")
			}
		}()
		_ = WriteDir(dir, false, func(tmp string) error {
			_ = writeOne("x", "y")(tmp)
			panic("fill failed")
		})
	}()
	onlyEntries(t, parent)
}

func TestWriteDirNotADirectory(t *testing.T) {
	parent := t.TempDir()
	path := filepath.Join(parent, "file")
	if err := os.WriteFile(path, []byte("x"), 0o666); err != nil {
		t.Fatal(err)
	}
	if err := WriteDir(path, true, writeOne("a", "b")); err == nil {
		t.Fatal("replaced a regular file with a directory")
	}
	if b, _ := os.ReadFile(path); string(b) != "x" {
		t.Fatal("file changed")
	}
}
