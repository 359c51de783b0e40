package datasets_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"testing"

	"github.com/recaudit/recaudit/datasets"
	"github.com/recaudit/recaudit/datasets/demo"
)

// benchSizes is the ladder of BenchmarkLoad: the demo generator's default
// size, and the 100M interactions (1M users, 100k items) when
// RECAUDIT_BENCH_LARGE=1.
func benchSizes() []demo.Config {
	small := demo.DefaultConfig()
	sizes := []demo.Config{small}
	if os.Getenv("RECAUDIT_BENCH_LARGE") == "1" {
		large := demo.DefaultConfig()
		large.Users, large.Items, large.Interactions = 1_000_000, 100_000, 100_000_000
		sizes = append(sizes, large)
	}
	return sizes
}

// benchDataset writes the demo dataset of cfg in format f into a cache
// directory (RECAUDIT_BENCH_DIR, default under the OS temp dir) and returns
// its paths. An existing copy is reused, so that repeated benchmark runs
// measure loading only.
func benchDataset(b *testing.B, cfg demo.Config, f datasets.Format) datasets.Paths {
	b.Helper()
	root := os.Getenv("RECAUDIT_BENCH_DIR")
	if root == "" {
		root = filepath.Join(os.TempDir(), "recaudit-bench")
	}
	dir := filepath.Join(root, fmt.Sprintf("demo-u%d-i%d-n%d-s%d-%s", cfg.Users, cfg.Items, cfg.Interactions, cfg.Seed, f))
	p := datasets.TablePaths(dir, f)
	if _, err := os.Stat(p.Items); err == nil {
		return p
	}
	d, err := demo.Generate(context.Background(), cfg)
	if err != nil {
		b.Fatal(err)
	}
	if err := datasets.WriteDataset(dir, d, f); err != nil {
		b.Fatal(err)
	}
	return p
}

// BenchmarkLoad loads the demo dataset (interactions with integer IDs into
// the CSR, users and items with their columns) from an uncompressed Arrow
// IPC file (memory-mapped) and from Parquet, reporting interactions per
// second.
func BenchmarkLoad(b *testing.B) {
	for _, cfg := range benchSizes() {
		for _, f := range []datasets.Format{datasets.FormatArrow, datasets.FormatParquet} {
			b.Run(fmt.Sprintf("%s/interactions=%d", f, cfg.Interactions), func(b *testing.B) {
				p := benchDataset(b, cfg, f)
				var nnz int
				for b.Loop() {
					d, err := datasets.Load(p)
					if err != nil {
						b.Fatal(err)
					}
					nnz = d.Interactions.NNZ()
				}
				b.ReportMetric(float64(nnz)*float64(b.N)/b.Elapsed().Seconds()/1e6, "Mrows/s")
			})
		}
	}
}
