package report

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/recaudit/recaudit/internal/cli/cmdutil"
)

// result is a small results document: the audit package's golden result.
var result = filepath.Join("..", "..", "..", "audit", "testdata", "result_golden.json")

func TestNewCmdReportFlags(t *testing.T) {
	for _, tc := range []struct {
		name    string
		args    []string
		want    ReportOptions
		wantErr string
	}{
		{"defaults", []string{"r.json", "--out", "o"}, ReportOptions{Results: "r.json", Out: "o"}, ""},
		{"all", []string{"--out", "o", "--force", "--title", "T", "--json", "-"}, ReportOptions{Results: "-", Out: "o", Force: true, Title: "T", JSON: true}, ""},
		{"no out", []string{"r.json"}, ReportOptions{}, "--out is required"},
		{"no results", []string{"--out", "o"}, ReportOptions{}, "accepts 1 arg"},
		{"two results", []string{"a", "b", "--out", "o"}, ReportOptions{}, "accepts 1 arg"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f := cmdutil.NewFactory(nil, &bytes.Buffer{}, &bytes.Buffer{})
			var got *ReportOptions
			cmd := NewCmdReport(f, func(o *ReportOptions) error { got = o; return nil })
			cmd.SetArgs(tc.args)
			cmd.SetOut(&bytes.Buffer{})
			cmd.SetErr(&bytes.Buffer{})
			err := cmd.Execute()
			if tc.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
					t.Fatalf("error %v, want %q", err, tc.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if got.IO != f.IO {
				t.Error("IO not from the factory")
			}
			got.IO = nil
			if *got != tc.want {
				t.Errorf("options %+v, want %+v", *got, tc.want)
			}
		})
	}
}

func TestReportRun(t *testing.T) {
	out := filepath.Join(t.TempDir(), "nested", "rep")
	var stdout, stderr bytes.Buffer
	opts := &ReportOptions{IO: &cmdutil.IOStreams{Out: &stdout, ErrOut: &stderr}, Results: result, Out: out, JSON: true}
	if err := reportRun(context.Background(), opts); err != nil {
		t.Fatal(err)
	}
	var sum Summary
	if err := json.Unmarshal(stdout.Bytes(), &sum); err != nil {
		t.Fatalf("--json output %q: %v", stdout.String(), err)
	}
	if sum.Dir != out || sum.HTML != filepath.Join(out, "report.html") || len(sum.Plots) == 0 {
		t.Errorf("summary %+v", sum)
	}
	for _, p := range append([]string{sum.HTML, sum.Markdown}, sum.Plots...) {
		if fi, err := os.Stat(p); err != nil || fi.Size() == 0 {
			t.Errorf("%s: %v", p, err)
		}
	}
	if !strings.HasPrefix(stderr.String(), "Wrote the report of 2 systems to "+out) {
		t.Errorf("stderr %q", stderr.String())
	}
	// No temporary directory is left next to the output.
	entries, _ := os.ReadDir(filepath.Dir(out))
	if len(entries) != 1 {
		t.Errorf("%d entries beside the report, want only it", len(entries))
	}

	// Again without --force: refused, the report untouched; with it:
	// replaced.
	before, _ := os.ReadFile(sum.Markdown)
	opts.JSON, opts.Title = false, "Replaced"
	err := reportRun(context.Background(), opts)
	if !errors.Is(err, cmdutil.ErrUsage) || !strings.Contains(err.Error(), "use --force") {
		t.Fatalf("existing output: error %v", err)
	}
	if after, _ := os.ReadFile(sum.Markdown); !bytes.Equal(before, after) {
		t.Error("refused run changed the report")
	}
	opts.Force = true
	if err := reportRun(context.Background(), opts); err != nil {
		t.Fatal(err)
	}
	if md, _ := os.ReadFile(sum.Markdown); !bytes.HasPrefix(md, []byte("# Replaced\n")) {
		t.Errorf("forced run did not replace the report: %.40q", md)
	}

	// A cancelled context stops before writing.
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	opts.Out = filepath.Join(t.TempDir(), "cancelled")
	if err := reportRun(ctx, opts); !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled: %v", err)
	}
	if _, err := os.Stat(opts.Out); !os.IsNotExist(err) {
		t.Errorf("cancelled run wrote %s", opts.Out)
	}
}

func TestReadResults(t *testing.T) {
	good, err := os.ReadFile(result)
	if err != nil {
		t.Fatal(err)
	}
	if r, err := readResults("-", bytes.NewReader(good)); err != nil || len(r.Systems) != 2 {
		t.Fatalf("stdin: %v", err)
	}
	dir := t.TempDir()
	for _, tc := range []struct{ name, doc, want string }{
		{"empty", "", "not a recaudit results document: unexpected end of JSON input"},
		{"not JSON", "hello", "not a recaudit results document: invalid character"},
		{"array", "[1]", "not a recaudit results document"},
		{"no version", `{"tool": {}}`, "no schema_version"},
		{"version 0", `{"schema_version": 0}`, "results schema version 0; this recaudit reads version 1"},
		{"version 2", `{"schema_version": 2}`, "results schema version 2; this recaudit reads version 1"},
		{"unknown field", `{"schema_version": 1, "extra": 1}`, `unknown field "extra" (written by a newer recaudit?)`},
		{"wrong type", `{"schema_version": 1, "seed": "one"}`, "invalid results document"},
	} {
		path := filepath.Join(dir, strings.ReplaceAll(tc.name, " ", "_")+".json")
		if err := os.WriteFile(path, []byte(tc.doc), 0o644); err != nil {
			t.Fatal(err)
		}
		_, err := readResults(path, nil)
		if !errors.Is(err, cmdutil.ErrUsage) || !strings.Contains(err.Error(), tc.want) || !strings.HasPrefix(err.Error(), path+": ") {
			t.Errorf("%s: error %v, want a usage error naming the file with %q", tc.name, err, tc.want)
		}
	}
	if _, err := readResults(filepath.Join(dir, "missing.json"), nil); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("missing file: %v", err)
	}
	// A file that cannot be read (here a directory) is bad input, exit
	// status 2, not an internal error.
	if _, err := readResults(dir, nil); !errors.Is(err, cmdutil.ErrUsage) || !strings.Contains(err.Error(), "cannot read the results document") {
		t.Errorf("unreadable file: %v", err)
	}
}
