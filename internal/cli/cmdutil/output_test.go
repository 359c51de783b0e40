package cmdutil

import (
	"errors"
	"os"
	"path/filepath"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/recaudit/recaudit/datasets"
)

func touch(t *testing.T, paths ...string) {
	t.Helper()
	for _, p := range paths {
		if err := os.WriteFile(p, nil, 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

func TestCheckOutputDir(t *testing.T) {
	dir := t.TempDir()
	missing := filepath.Join(dir, "new")
	if found, err := CheckOutputDir(missing, false); err != nil || found != nil {
		t.Errorf("missing dir: %v, %v; want no files, no error", found, err)
	}

	touch(t, filepath.Join(dir, "README"), filepath.Join(dir, "interactions.csv"), filepath.Join(dir, "users.arrow"))
	found, err := CheckOutputDir(dir, false)
	if !errors.Is(err, ErrUsage) {
		t.Errorf("existing tables without force: error %v, want a usage error", err)
	}
	want := []string{filepath.Join(dir, "interactions.csv"), filepath.Join(dir, "users.arrow")}
	if diff := cmp.Diff(want, found); diff != "" {
		t.Errorf("found (-want +got):\n%s", diff)
	}
	if found, err = CheckOutputDir(dir, true); err != nil || len(found) != 2 {
		t.Errorf("with force: %v, %v; want the two tables and no error", found, err)
	}

	file := filepath.Join(dir, "README")
	if _, err := CheckOutputDir(file, true); !errors.Is(err, ErrUsage) {
		t.Errorf("file as --out: error %v, want a usage error", err)
	}
}

func TestRemoveStale(t *testing.T) {
	dir := t.TempDir()
	old := []string{filepath.Join(dir, "interactions.csv"), filepath.Join(dir, "interactions.arrow"), filepath.Join(dir, "items.csv")}
	touch(t, old...)
	touch(t, filepath.Join(dir, "users.arrow"), filepath.Join(dir, "notes.txt"))
	written := datasets.TablePaths(dir, datasets.FormatArrow)
	if err := RemoveStale(old, written); err != nil {
		t.Fatal(err)
	}
	got, err := ExistingTables(dir)
	if err != nil {
		t.Fatal(err)
	}
	// interactions.csv and items.csv are gone; notes.txt is not a table.
	want := []string{filepath.Join(dir, "interactions.arrow"), filepath.Join(dir, "users.arrow")}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("tables left (-want +got):\n%s", diff)
	}
	if _, err := os.Stat(filepath.Join(dir, "notes.txt")); err != nil {
		t.Errorf("non-table file removed: %v", err)
	}
}

func TestDatasetInputSetArgs(t *testing.T) {
	for _, tc := range []struct {
		name    string
		in      DatasetInput
		args    []string
		wantErr bool
	}{
		{"dir", DatasetInput{}, []string{"d"}, false},
		{"files", DatasetInput{Interactions: "i", Users: "u"}, nil, false},
		{"neither", DatasetInput{}, nil, true},
		{"both", DatasetInput{Items: "t"}, []string{"d"}, true},
		{"users only", DatasetInput{Users: "u"}, nil, true},
		{"two dirs", DatasetInput{}, []string{"a", "b"}, true},
	} {
		err := tc.in.SetArgs(tc.args)
		if (err != nil) != tc.wantErr {
			t.Errorf("%s: error %v, want error %v", tc.name, err, tc.wantErr)
		}
		if err != nil && !errors.Is(err, ErrUsage) {
			t.Errorf("%s: error %v is not a usage error", tc.name, err)
		}
	}
}
