package dataimport

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"path/filepath"
	"testing"
	"time"

	"github.com/apache/arrow-go/v18/arrow/memory"
	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
	"github.com/recaudit/recaudit/datasets"
	"github.com/recaudit/recaudit/datasets/movielens"
	"github.com/recaudit/recaudit/internal/cli/clitest"
	"github.com/recaudit/recaudit/internal/cli/cmdutil"
)

// fixtures are the hand-written MovieLens-layout directories of package
// movielens (see its testdata/README.md).
var fixtures = filepath.Join("..", "..", "..", "..", "datasets", "movielens", "testdata")

func TestImportRun(t *testing.T) {
	for _, name := range []string{"ml-100k-mini", "ml-1m-mini"} {
		t.Run(name, func(t *testing.T) {
			mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
			defer mem.AssertSize(t, 0)
			src := filepath.Join(fixtures, name)
			direct, err := movielens.Import(src)
			if err != nil {
				t.Fatal(err)
			}
			out := filepath.Join(t.TempDir(), "ml")
			var stdout, stderr bytes.Buffer
			opts := &ImportOptions{
				IO:        &cmdutil.IOStreams{Out: &stdout, ErrOut: &stderr},
				Allocator: mem,
				Now:       clitest.Clock(time.Second),
				Source:    MovieLens, Dir: src, Out: out,
				Format: datasets.FormatArrow,
				JSON:   true,
			}
			if err := importRun(context.Background(), opts); err != nil {
				t.Fatal(err)
			}
			var s Summary
			if err := json.Unmarshal(stdout.Bytes(), &s); err != nil {
				t.Fatalf("stdout is not JSON: %v\n%s", err, stdout.String())
			}
			if s.Source != "movielens" || s.From != src || s.Dir != out || s.Format != "arrow" ||
				s.Users != direct.Interactions.Rows || s.Items != direct.Interactions.NumCols || s.Interactions != direct.Interactions.NNZ() {
				t.Errorf("summary %+v disagrees with movielens.Import", s)
			}
			// The written dataset loads back to the same description.
			back, err := datasets.Load(datasets.Paths{Interactions: s.Files.Interactions, Users: s.Files.Users, Items: s.Files.Items})
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(datasets.Summarize(direct), datasets.Summarize(back), cmpopts.EquateNaNs()); diff != "" {
				t.Errorf("written dataset differs from the import (-import +written):\n%s", diff)
			}
			if stderr.Len() == 0 {
				t.Error("no summary line on stderr")
			}

			// A second import refuses to overwrite.
			if err := importRun(context.Background(), opts); !errors.Is(err, cmdutil.ErrUsage) {
				t.Errorf("second import: error %v, want a usage error", err)
			}
		})
	}
}

func TestImportRunNotMovieLens(t *testing.T) {
	opts := &ImportOptions{
		IO:     &cmdutil.IOStreams{Out: &bytes.Buffer{}, ErrOut: &bytes.Buffer{}},
		Now:    time.Now,
		Source: MovieLens, Dir: t.TempDir(), Out: filepath.Join(t.TempDir(), "o"),
		Format: datasets.FormatArrow,
	}
	if err := importRun(context.Background(), opts); !errors.Is(err, datasets.ErrFormat) {
		t.Errorf("error %v, want datasets.ErrFormat", err)
	}
}
