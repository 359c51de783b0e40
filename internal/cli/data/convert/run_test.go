package convert

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/apache/arrow-go/v18/arrow/memory"
	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
	"github.com/recaudit/recaudit/datasets"
	"github.com/recaudit/recaudit/internal/cli/clitest"
	"github.com/recaudit/recaudit/internal/cli/cmdutil"
)

func newOpts(mem memory.Allocator, in, out string, f datasets.Format) (*ConvertOptions, *bytes.Buffer, *bytes.Buffer) {
	var stdout, stderr bytes.Buffer
	return &ConvertOptions{
		IO:        &cmdutil.IOStreams{Out: &stdout, ErrOut: &stderr},
		Allocator: mem,
		Now:       clitest.Clock(time.Second),
		In:        in, Out: out, Format: f,
		Roles: cmdutil.RolesValue{},
	}, &stdout, &stderr
}

func summarize(t *testing.T, p datasets.Paths) datasets.Summary {
	t.Helper()
	d, err := datasets.Load(p)
	if err != nil {
		t.Fatal(err)
	}
	return datasets.Summarize(d)
}

// TestConvertRunDir converts clitest.Small arrow -> parquet -> csv and
// checks that each copy summarises exactly like the original.
func TestConvertRunDir(t *testing.T) {
	mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
	defer mem.AssertSize(t, 0)
	root := t.TempDir()
	src := filepath.Join(root, "arrow")
	if err := os.Mkdir(src, 0o755); err != nil {
		t.Fatal(err)
	}
	want := summarize(t, clitest.WriteArrow(t, src, clitest.Small()))

	in := src
	for _, f := range []datasets.Format{datasets.FormatParquet, datasets.FormatCSV} {
		out := filepath.Join(root, f.String())
		opts, stdout, stderr := newOpts(mem, in, out, f)
		opts.JSON = true
		if err := convertRun(context.Background(), opts); err != nil {
			t.Fatalf("%v: %v", f, err)
		}
		var s Summary
		if err := json.Unmarshal(stdout.Bytes(), &s); err != nil {
			t.Fatalf("%v: stdout is not JSON: %v\n%s", f, err, stdout)
		}
		p := datasets.Paths{Interactions: s.Files.Interactions, Users: s.Files.Users, Items: s.Files.Items}
		if diff := cmp.Diff(want, summarize(t, p), cmpopts.EquateNaNs()); diff != "" {
			t.Errorf("%v copy summarises differently (-want +got):\n%s", f, diff)
		}
		if s.From != in || s.Format != f.String() || s.Users != 4 || s.Items != 5 || s.Interactions != 7 {
			t.Errorf("%v: summary %+v", f, s)
		}
		if stderr.Len() == 0 {
			t.Errorf("%v: no summary line on stderr", f)
		}
		in = out
	}
}

func TestConvertRunFile(t *testing.T) {
	mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
	defer mem.AssertSize(t, 0)
	dir := t.TempDir()
	p := clitest.WriteArrow(t, dir, clitest.Small())
	want := summarize(t, p)

	csv := filepath.Join(dir, "copy", "users.csv")
	if err := os.Mkdir(filepath.Dir(csv), 0o755); err != nil {
		t.Fatal(err)
	}
	opts, stdout, stderr := newOpts(mem, p.Users, csv, datasets.FormatUnknown)
	opts.JSON = true
	if err := convertRun(context.Background(), opts); err != nil {
		t.Fatal(err)
	}
	var s TableSummary
	if err := json.Unmarshal(stdout.Bytes(), &s); err != nil {
		t.Fatalf("stdout is not JSON: %v\n%s", err, stdout)
	}
	if want := (TableSummary{From: p.Users, To: csv, Format: "csv", Rows: 4}); s != want {
		t.Errorf("summary %+v, want %+v", s, want)
	}
	if want := "Converted " + p.Users + " to " + csv + " (csv): 4 rows, in 1s\n"; stderr.String() != want {
		t.Errorf("stderr = %q, want %q", stderr.String(), want)
	}

	pq := filepath.Join(dir, "copy", "users.parquet")
	opts, _, _ = newOpts(mem, csv, pq, datasets.FormatParquet)
	if err := convertRun(context.Background(), opts); err != nil {
		t.Fatal(err)
	}
	got := summarize(t, datasets.Paths{Interactions: p.Interactions, Users: pq, Items: p.Items})
	if diff := cmp.Diff(want, got, cmpopts.EquateNaNs()); diff != "" {
		t.Errorf("users round trip arrow -> csv -> parquet (-want +got):\n%s", diff)
	}
}

func TestConvertRunRefusals(t *testing.T) {
	dir := t.TempDir()
	p := clitest.WriteArrow(t, dir, clitest.Small())
	existing := filepath.Join(dir, "exists.csv")
	if err := os.WriteFile(existing, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name    string
		in, out string
		format  datasets.Format
		want    error
	}{
		{"dir without format", dir, filepath.Join(dir, "o"), datasets.FormatUnknown, cmdutil.ErrUsage},
		{"dir onto itself", dir, dir, datasets.FormatArrow, cmdutil.ErrUsage},
		{"file over existing", p.Users, existing, datasets.FormatUnknown, cmdutil.ErrUsage},
		{"file to unknown extension", p.Users, filepath.Join(dir, "users.xlsx"), datasets.FormatUnknown, cmdutil.ErrUsage},
		{"format disagrees", p.Users, filepath.Join(dir, "users.csv"), datasets.FormatParquet, cmdutil.ErrUsage},
		{"file onto a directory", p.Users, dir, datasets.FormatUnknown, cmdutil.ErrUsage},
		{"missing input", filepath.Join(dir, "nope"), filepath.Join(dir, "o"), datasets.FormatCSV, os.ErrNotExist},
	} {
		opts, stdout, _ := newOpts(nil, tc.in, tc.out, tc.format)
		if err := convertRun(context.Background(), opts); !errors.Is(err, tc.want) {
			t.Errorf("%s: error %v, want %v", tc.name, err, tc.want)
		}
		if stdout.Len() != 0 {
			t.Errorf("%s: stdout written: %q", tc.name, stdout)
		}
	}
}
