package report_test

import (
	"bytes"
	"compress/gzip"
	"context"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/recaudit/recaudit/audit"
	"github.com/recaudit/recaudit/datasets"
	"github.com/recaudit/recaudit/datasets/demo"
	"github.com/recaudit/recaudit/fairness"
	"github.com/recaudit/recaudit/probe"
	"github.com/recaudit/recaudit/recommenders"
	"github.com/recaudit/recaudit/recommenders/all"
)

var regenResult = flag.Bool("regen-result", false, "rerun the small demo audit and rewrite testdata/demo_result.json")

// demoResultFile is a small real audit (see demoAudit), gzipped, the
// input of the report's golden tests. It is regenerated with
// -regen-result, never otherwise, so that the report's goldens change only
// when the report does.
const demoResultFile = "testdata/demo_result.json.gz"

// fixtureSystems are the systems of the golden report's audit, and
// benchSystems those of the benchmark (six, as the default demo audit).
var (
	fixtureSystems = []string{"popular", "itemknn", "ease"}
	benchSystems   = []string{"random", "popular", "itemknn", "userknn", "ease", "als"}
)

// demoAudit runs a small audit of the demo shop with planted effects
// (users users, a third as many items, 25 interactions per user; random
// 80/20 split; cutoffs 10 and 20; groups by gender, age band, region and
// gender × age band; 200 bootstrap resamples and relabelings) on the
// systems named, each a built-in algorithm with its default parameters,
// and probes each system's lists as the audit runner does (consent probe
// of the lists at 10 and 20; attribute inference of gender, age band and
// region from the top 10 with 2 folds and 9 shuffles).
func demoAudit(tb testing.TB, users int, systems []string) *audit.Result {
	tb.Helper()
	ctx := context.Background()
	cfg := demo.Config{Users: users, Items: users / 3, Interactions: 25 * users, Seed: 1, Effects: demo.DefaultEffects()}
	d, err := demo.Generate(ctx, cfg)
	if err != nil {
		tb.Fatal(err)
	}
	split := datasets.Split{Kind: datasets.SplitRandom, Fraction: 0.2, Seed: 1}
	train, test, st, err := split.Apply(&d.Interactions)
	if err != nil {
		tb.Fatal(err)
	}
	g, err := audit.NewGroups(d, audit.GroupsConfig{
		Sensitive:     []string{"gender", "age_band", "region"},
		Intersections: [][]string{{"gender", "age_band"}},
	})
	if err != nil {
		tb.Fatal(err)
	}
	sc := audit.Config{Cutoffs: []int{10, 20}, Analyze: fairness.AnalyzeConfig{Seed: 1, BootstrapB: 200, PermutationB: 200}}
	r := audit.NewResult("test", "demo", d, split, st, g, sc, 1)
	in := audit.Input{Dataset: d, Train: &train, Test: &test}
	var us []int32
	for u := range test.Rows {
		if test.Len(u) > 0 {
			us = append(us, int32(u))
		}
	}
	reg := all.Default()
	view := &recommenders.TrainView{Interactions: train, ItemColumns: d.ItemColumns}
	for _, name := range systems {
		vals, err := reg.Resolve(name, nil)
		if err != nil {
			tb.Fatal(err)
		}
		rec, err := reg.New(name, nil)
		if err != nil {
			tb.Fatal(err)
		}
		lists, _, err := recommenders.Run(ctx, rec, view, us, d.Consent(), 20)
		if err != nil {
			tb.Fatal(err)
		}
		sys := audit.System{Name: name, Rankings: lists}
		for _, s := range vals.Settings() {
			n, v, _ := strings.Cut(s, "=")
			sys.Params = append(sys.Params, audit.Param{Name: n, Value: v})
		}
		res, err := audit.Score(ctx, in, g, sys, sc)
		if err != nil {
			tb.Fatal(err)
		}
		probes := audit.Probes{
			Consent: &probe.Consent{K: 20, Cutoffs: []int{10, 20}, B: 200, Permutations: 200},
			Inference: &probe.Inference{K: 10, Folds: 2, Shuffles: 9, Bootstrap: 200, PValue: probe.ShuffledTPValue,
				Model: probe.Logistic{Tolerance: audit.InferenceTolerance}},
			Attributes: []string{"gender", "age_band", "region"},
			Seed:       1,
		}
		if res.Consent, res.Inference, err = audit.ProbeLists(ctx, in, g, sys, probes); err != nil {
			tb.Fatal(err)
		}
		r.Systems = append(r.Systems, res)
	}
	r.Finalize()
	return r
}

// readDemoResult returns the result of testdata/demo_result.json,
// rewriting the file first with -regen-result.
func readDemoResult(tb testing.TB) *audit.Result {
	tb.Helper()
	if *regenResult {
		var js, gz bytes.Buffer
		if err := audit.WriteJSON(&js, demoAudit(tb, 1500, fixtureSystems)); err != nil {
			tb.Fatal(err)
		}
		zw, _ := gzip.NewWriterLevel(&gz, gzip.BestCompression)
		zw.Write(js.Bytes())
		if err := zw.Close(); err != nil {
			tb.Fatal(err)
		}
		if err := os.WriteFile(filepath.FromSlash(demoResultFile), gz.Bytes(), 0o644); err != nil {
			tb.Fatal(err)
		}
	}
	f, err := os.Open(filepath.FromSlash(demoResultFile))
	if err != nil {
		tb.Fatalf("%v (run go test ./report -run TestDemoResultFixture -regen-result to create it)", err)
	}
	defer f.Close()
	zr, err := gzip.NewReader(f)
	if err != nil {
		tb.Fatal(err)
	}
	r, err := audit.ReadJSON(zr)
	if err != nil {
		tb.Fatal(err)
	}
	return r
}

func TestDemoResultFixture(t *testing.T) {
	r := readDemoResult(t)
	if len(r.Systems) != len(fixtureSystems) || len(r.Findings) == 0 {
		t.Fatalf("%d systems, %d findings", len(r.Systems), len(r.Findings))
	}
}
