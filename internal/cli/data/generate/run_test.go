package generate

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"strconv"
	"testing"
	"time"

	"github.com/apache/arrow-go/v18/arrow/memory"
	"github.com/google/go-cmp/cmp"
	"github.com/recaudit/recaudit/datasets"
	"github.com/recaudit/recaudit/datasets/demo"
	"github.com/recaudit/recaudit/internal/cli/clitest"
	"github.com/recaudit/recaudit/internal/cli/cmdutil"
)

func smallConfig() demo.Config {
	cfg := demo.DefaultConfig()
	cfg.Users, cfg.Items, cfg.Interactions, cfg.Seed = 300, 200, 4000, 5
	return cfg
}

func TestGenerateRun(t *testing.T) {
	mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
	defer mem.AssertSize(t, 0)
	out := filepath.Join(t.TempDir(), "demo")

	var stdout, stderr bytes.Buffer
	opts := &GenerateOptions{
		IO:        &cmdutil.IOStreams{Out: &stdout, ErrOut: &stderr},
		Allocator: mem,
		Now:       clitest.Clock(1500 * time.Millisecond),
		Out:       out,
		Config:    smallConfig(),
		Format:    datasets.FormatArrow,
		JSON:      true,
	}
	if err := generateRun(context.Background(), opts); err != nil {
		t.Fatal(err)
	}
	var got Summary
	if err := json.Unmarshal(stdout.Bytes(), &got); err != nil {
		t.Fatalf("stdout is not JSON: %v\n%s", err, stdout.String())
	}
	// The written dataset must load back with the sizes the summary gives.
	d, err := datasets.Load(datasets.Paths{Interactions: got.Files.Interactions, Users: got.Files.Users, Items: got.Files.Items})
	if err != nil {
		t.Fatal(err)
	}
	want := Summary{
		WrittenDataset: cmdutil.WrittenDataset{
			Dir: out, Format: "arrow",
			Files: cmdutil.Files{
				Interactions: filepath.Join(out, "interactions.arrow"),
				Users:        filepath.Join(out, "users.arrow"),
				Items:        filepath.Join(out, "items.arrow"),
			},
			Users: 300, Items: 200, Interactions: d.Interactions.NNZ(),
		},
		Seed:    5,
		Effects: Effects(demo.DefaultEffects()),
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("summary (-want +got):\n%s", diff)
	}
	wantErr := "Wrote demo dataset (planted effects, seed 5) to " + out + ": 300 users, 200 items, " +
		strconv.Itoa(d.Interactions.NNZ()) + " interactions, arrow, in 1.5s\n"
	if stderr.String() != wantErr {
		t.Errorf("stderr = %q, want %q", stderr.String(), wantErr)
	}

	// A second run refuses to overwrite; stdout stays empty.
	stdout.Reset()
	if err := generateRun(context.Background(), opts); !errors.Is(err, cmdutil.ErrUsage) {
		t.Errorf("second run: error %v, want a usage error", err)
	}
	if stdout.Len() != 0 {
		t.Errorf("stdout written on refusal: %q", stdout.String())
	}

	// Forced, in CSV, as the null world: the arrow tables are replaced.
	opts.Force, opts.Format, opts.JSON = true, datasets.FormatCSV, false
	opts.Config.Effects = demo.Effects{}
	stdout.Reset()
	if err := generateRun(context.Background(), opts); err != nil {
		t.Fatal(err)
	}
	if stdout.Len() != 0 {
		t.Errorf("stdout without --json: %q", stdout.String())
	}
	left, err := cmdutil.ExistingTables(out)
	if err != nil {
		t.Fatal(err)
	}
	wantLeft := []string{filepath.Join(out, "interactions.csv"), filepath.Join(out, "users.csv"), filepath.Join(out, "items.csv")}
	if diff := cmp.Diff(wantLeft, left); diff != "" {
		t.Errorf("tables after a forced CSV write (-want +got):\n%s", diff)
	}
}

func TestGenerateRunCanceled(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	out := filepath.Join(t.TempDir(), "demo")
	opts := &GenerateOptions{IO: &cmdutil.IOStreams{Out: &bytes.Buffer{}, ErrOut: &bytes.Buffer{}},
		Now: time.Now, Out: out, Config: smallConfig(), Format: datasets.FormatArrow}
	if err := generateRun(ctx, opts); !errors.Is(err, context.Canceled) {
		t.Errorf("error %v, want context.Canceled", err)
	}
	if _, err := os.Stat(out); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("output directory created by a canceled run (%v)", err)
	}
}
