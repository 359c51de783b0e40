package probe_test

import (
	"context"
	"fmt"
	"math/rand/v2"

	"github.com/recaudit/recaudit/datasets"
	"github.com/recaudit/recaudit/probe"
	"github.com/recaudit/recaudit/recommenders"
)

func ExampleJaccard() {
	before := []int32{10, 11, 12, 13}
	after := []int32{11, 10, 14, 15}
	fmt.Printf("%.3f\n", probe.Jaccard(before, after)) // {10, 11} shared of 6 items
	// Output:
	// 0.333
}

func ExampleRBO() {
	before := []int32{1, 2, 3, 4, 5}
	after := []int32{2, 3, 4, 1, 5}
	fmt.Printf("%.3f\n", probe.RBO(before, after, 0.9))
	// Lists that differ only below the top are closer than lists that
	// differ at the top.
	fmt.Printf("%.3f %.3f\n", probe.RBO([]int32{1, 2, 3}, []int32{1, 2, 9}, 0.9), probe.RBO([]int32{1, 2, 3}, []int32{9, 2, 3}, 0.9))
	// Output:
	// 0.828
	// 0.730 0.585
}

// shop is a tiny training set: six users, six items, two tastes (items
// 0-2 and 3-5); users 1 and 4 did not consent.
func shop() (*recommenders.TrainView, []bool) {
	rows := [][]int32{{0, 1}, {0, 2}, {1, 2}, {3, 4}, {3, 5}, {4, 5}}
	m := datasets.CSR{Rows: len(rows), NumCols: 6, Offsets: []int64{0}}
	for _, r := range rows {
		m.Cols = append(m.Cols, r...)
		m.Offsets = append(m.Offsets, int64(len(m.Cols)))
	}
	return &recommenders.TrainView{Interactions: m}, []bool{true, false, true, true, false, true}
}

func ExamplePerturb() {
	train, consent := shop()
	for _, how := range probe.Perturbations() {
		out, changed := probe.Perturb(&train.Interactions, consent, how, rand.NewPCG(1, 1))
		fmt.Printf("%-7s user 1: %v, user 4: %v, changed %v %v\n", how, out.Row(1), out.Row(4), changed[1], changed[4])
	}
	// Output:
	// drop    user 1: [], user 4: [], changed true true
	// shuffle user 1: [3 5], user 4: [0 2], changed true true
	// random  user 1: [0 4], user 4: [4 5], changed true true
}

// ExampleManaged probes a built-in algorithm as recaudit runs it: the
// non-consenting users get the most-popular fallback, whatever their
// history, and the probe finds nothing.
func ExampleManaged() {
	train, consent := shop()
	rec := &recommenders.ItemKNN{}
	cfg := probe.Consent{K: 2, B: 100, Src: rand.NewPCG(1, 1)}
	res, err := cfg.Rerun(context.Background(), probe.Managed(rec, consent), train, consent)
	if err != nil {
		panic(err)
	}
	for _, p := range res.Perturbations {
		c := p.Cutoffs[0]
		fmt.Printf("%-7s @%d: %d of %d violate\n", p.Perturbation, c.K, c.Violating, c.Probed)
	}
	fmt.Println("flagged:", res.Flagged)
	// Output:
	// drop    @2: 0 of 2 violate
	// shuffle @2: 0 of 2 violate
	// random  @2: 0 of 2 violate
	// flagged: false
}

// ExampleDirect probes a system asked for every user: item-kNN knows
// nothing of consent, and the lists of the non-consenting users follow
// their histories.
func ExampleDirect() {
	train, consent := shop()
	rec := &recommenders.ItemKNN{}
	cfg := probe.Consent{K: 2, B: 100, Src: rand.NewPCG(1, 1)}
	res, err := cfg.Rerun(context.Background(), probe.Direct(rec, consent), train, consent)
	if err != nil {
		panic(err)
	}
	for _, p := range res.Perturbations {
		c := p.Cutoffs[0]
		fmt.Printf("%-7s @%d: %d of %d violate, share %.2f [%.2f, %.2f], mean 1 − RBO %.2f\n",
			p.Perturbation, c.K, c.Violating, c.Probed, c.Share.Value, c.Share.CI[0], c.Share.CI[1], c.RBOChange.Value)
	}
	fmt.Println("flagged:", res.Flagged)
	// Output:
	// drop    @2: 2 of 2 violate, share 1.00 [0.34, 1.00], mean 1 − RBO 1.00
	// shuffle @2: 2 of 2 violate, share 1.00 [0.34, 1.00], mean 1 − RBO 1.00
	// random  @2: 2 of 2 violate, share 1.00 [0.34, 1.00], mean 1 − RBO 1.00
	// flagged: true
}

// ExampleConsent_Lists probes two recommendation files of the same
// system: one written with the non-personalised fallback for the users who
// did not consent, one without.
func ExampleConsent_Lists() {
	train, consent := shop()
	ctx := context.Background()
	users := []int32{0, 1, 2, 3, 4, 5}
	rec := &recommenders.ItemKNN{}
	honoured, _, err := recommenders.Run(ctx, rec, train, users, consent, 2)
	if err != nil {
		panic(err)
	}
	ignored, err := rec.Recommend(ctx, users, 2) // the same model, asked for everyone
	if err != nil {
		panic(err)
	}
	for _, f := range []struct {
		name  string
		lists datasets.Rankings
	}{{"fallback", honoured}, {"no fallback", ignored}} {
		res := probe.Consent{Permutations: 1000, Src: rand.NewPCG(1, 1)}.Lists(&f.lists, &train.Interactions, consent)
		c := res.ByCutoff[0]
		fmt.Printf("%-11s: %d of %d non-consenting users personalised, mutual overlap %.2f (consenting %.2f), flagged %v\n",
			f.name, c.Personalised, res.NonConsenting, c.Overlap.NonConsenting, c.Overlap.Consenting, res.Flagged)
	}
	// Output:
	// fallback   : 0 of 2 non-consenting users personalised, mutual overlap 1.00 (consenting 0.00), flagged false
	// no fallback: 1 of 2 non-consenting users personalised, mutual overlap 0.00 (consenting 0.00), flagged true
}
