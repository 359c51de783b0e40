package gate_test

import (
	"context"
	"testing"

	"github.com/recaudit/recaudit/audit"
	"github.com/recaudit/recaudit/datasets"
	"github.com/recaudit/recaudit/datasets/demo"
	"github.com/recaudit/recaudit/fairness"
	"github.com/recaudit/recaudit/recommenders"
	"github.com/recaudit/recaudit/recommenders/all"
)

// demoAudit audits a demo shop generated with cfg the way the audit tests
// of package audit do (audit/validity_test.go), at the size of cfg: a
// random 80/20 split with splitSeed, the given built-in systems with their
// default parameters at cutoffs 10 and 20, users grouped by gender and age
// band, items by provider type, and the targeting of high-cost credit
// offers (the demo's flag). b bootstrap resamples and permutation
// relabelings keep it fast; splitSeed also seeds the statistics.
func demoAudit(t testing.TB, cfg demo.Config, splitSeed uint64, systems []string, b int) *audit.Result {
	t.Helper()
	ctx := context.Background()
	d, err := demo.Generate(ctx, cfg)
	if err != nil {
		t.Fatal(err)
	}
	split := datasets.Split{Kind: datasets.SplitRandom, Fraction: 0.2, Seed: splitSeed}
	train, test, stats, err := split.Apply(&d.Interactions)
	if err != nil {
		t.Fatal(err)
	}
	g, err := audit.NewGroups(d, audit.GroupsConfig{Sensitive: []string{"gender", "age_band"}, ItemGroups: []string{"provider_type"}})
	if err != nil {
		t.Fatal(err)
	}
	sc := audit.Config{Cutoffs: []int{10, 20}, Analyze: fairness.AnalyzeConfig{Seed: splitSeed, BootstrapB: b, PermutationB: b}}
	r := audit.NewResult("test", "demo", d, split, stats, g, sc, splitSeed)
	var users []int32
	for u := range test.Rows {
		if test.Len(u) > 0 {
			users = append(users, int32(u))
		}
	}
	reg := all.Default()
	view := &recommenders.TrainView{Interactions: train, ItemColumns: d.ItemColumns}
	for _, name := range systems {
		rec, err := reg.New(name, nil)
		if err != nil {
			t.Fatal(err)
		}
		lists, _, err := recommenders.Run(ctx, rec, view, users, d.Consent(), 20)
		if err != nil {
			t.Fatal(err)
		}
		res, err := audit.Score(ctx, audit.Input{Dataset: d, Train: &train, Test: &test}, g, audit.System{Name: name, Rankings: lists, Params: []audit.Param{}}, sc)
		if err != nil {
			t.Fatal(err)
		}
		r.Systems = append(r.Systems, res)
	}
	r.Finalize()
	return r
}
