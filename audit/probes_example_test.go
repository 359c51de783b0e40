package audit_test

import (
	"context"
	"fmt"

	"github.com/recaudit/recaudit/audit"
	"github.com/recaudit/recaudit/datasets"
	"github.com/recaudit/recaudit/datasets/demo"
	"github.com/recaudit/recaudit/probe"
	"github.com/recaudit/recaudit/recommenders"
)

// Probing one system's lists as the audit does: item-kNN on a small demo
// shop, whose customers' gender shapes their category tastes.
func ExampleProbeLists() {
	ctx := context.Background()
	d, err := demo.Generate(ctx, demo.Config{Users: 2000, Items: 500, Interactions: 50_000, Seed: 1, Effects: demo.DefaultEffects()})
	if err != nil {
		fmt.Println(err)
		return
	}
	train, test, _, err := datasets.Split{Kind: datasets.SplitRandom, Fraction: 0.2, Seed: 1}.Apply(&d.Interactions)
	if err != nil {
		fmt.Println(err)
		return
	}
	g, err := audit.NewGroups(d, audit.GroupsConfig{})
	if err != nil {
		fmt.Println(err)
		return
	}
	var users []int32
	for u := range test.Rows {
		if test.Len(u) > 0 {
			users = append(users, int32(u))
		}
	}
	// The lists as recaudit makes them: the users who did not consent get
	// the most-popular fallback.
	view := &recommenders.TrainView{Interactions: train, ItemColumns: d.ItemColumns}
	lists, _, err := recommenders.Run(ctx, &recommenders.ItemKNN{}, view, users, d.Consent(), 10)
	if err != nil {
		fmt.Println(err)
		return
	}
	p := audit.Probes{
		Consent:   &probe.Consent{K: 10, Permutations: 200},
		Inference: &probe.Inference{K: 10, Folds: 2, Shuffles: 9, PValue: probe.ShuffledTPValue},
		Seed:      1,
	}
	in := audit.Input{Dataset: d, Train: &train, Test: &test}
	consent, inference, err := audit.ProbeLists(ctx, in, g, audit.System{Name: "itemknn", Rankings: lists}, p)
	if err != nil {
		fmt.Println(err)
		return
	}
	c := consent.Lists.ByCutoff[0]
	fmt.Printf("%s: %d of %d non-consenting users with a list of their own; flagged %v\n", consent.Column, c.Personalised, consent.Lists.NonConsenting, consent.Flagged)
	for _, a := range inference.Attributes {
		// The verdict here is the probe's, from the p-value; an audit
		// decides it again from the q-value (Result.Finalize).
		fmt.Printf("%s: AUC %.2f against %.2f for shuffled labels: %v\n", a.Attribute, a.AUC.Value, a.Shuffled.Mean, a.Verdict)
	}
	// Output:
	// consent_personalization: 0 of 299 non-consenting users with a list of their own; flagged false
	// gender: AUC 0.66 against 0.51 for shuffled labels: leaks
	// age_band: AUC 0.52 against 0.50 for shuffled labels: no evidence
}
