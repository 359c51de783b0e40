package cmdutil

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestCheckReportDir(t *testing.T) {
	root := t.TempDir()
	mk := func(name string, files ...string) string {
		dir := filepath.Join(root, name)
		if err := os.MkdirAll(dir, 0o777); err != nil {
			t.Fatal(err)
		}
		for _, f := range files {
			if err := os.WriteFile(filepath.Join(dir, f), []byte("x"), 0o666); err != nil {
				t.Fatal(err)
			}
		}
		return dir
	}
	report := mk("report", "results.json", "timings.json")
	htmlOnly := mk("html", "report.html")
	other := mk("home", "notes.txt", ".bashrc")
	empty := mk("empty")
	file := filepath.Join(root, "file")
	if err := os.WriteFile(file, []byte("x"), 0o666); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name  string
		dir   string
		force bool
		want  string // "" = allowed; else a part of the usage error
	}{
		{"missing", filepath.Join(root, "new"), false, ""},
		{"empty", empty, false, ""},
		{"report without force", report, false, "use --force to replace it"},
		{"report with force", report, true, ""},
		{"rendered report with force", htmlOnly, true, ""},
		{"other directory without force", other, false, "use --force to replace it"},
		{"other directory with force", other, true, "holds no recaudit report"},
		{"a file", file, true, "is not a directory"},
	} {
		err := CheckReportDir(tc.dir, tc.force)
		switch {
		case tc.want == "" && err != nil:
			t.Errorf("%s: %v, want nil", tc.name, err)
		case tc.want != "" && (err == nil || !errors.Is(err, ErrUsage) || !strings.Contains(err.Error(), tc.want)):
			t.Errorf("%s: %v, want a usage error with %q", tc.name, err, tc.want)
		}
	}
	if _, err := os.Stat(filepath.Join(other, "notes.txt")); err != nil {
		t.Error("the other directory was touched")
	}
}
