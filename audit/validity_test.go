package audit

import (
	"context"
	"testing"

	"github.com/recaudit/recaudit/datasets/demo"
	"github.com/recaudit/recaudit/fairness"
	"github.com/recaudit/recaudit/metrics"
)

// TestNullWorld checks the statistics of the consumer-side analysis by
// simulation in the demo generator's null world (every planted effect 0),
// where no user group differs from another in anything drawn: every group
// difference is sampling noise and its true value is 0.
//
// 100 small worlds (800 users, 400 items, about 20 000 interactions, each
// with its own seed) are scored with a popular (even worlds) or item-kNN
// (odd worlds) recommender at k = 10; six per-user metrics (NDCG,
// precision, recall, popularity lift, miscalibration, share of credit
// offers) are analysed over gender, age band and region. That gives 1800
// (world, metric, attribute) comparisons. Within a world the comparisons
// are correlated (the same users), across worlds independent.
//
// Size: at level 0.05 each permutation test (max–min difference, min/max
// ratio; 200 relabelings, so p >= 1/201) and the Kruskal–Wallis test
// must reject in at most 8% of the comparisons. With 100 independent
// worlds of 24 comparisons, the standard error of a rejection rate is
// 0.5 points if the comparisons are independent and at most 2.2 points
// if those of a world were all the same, so 8% is 6 (or, at the
// absurd extreme, 1.4) standard errors above the nominal 5%.
//
// Coverage: every reported group's difference to the rest of the users
// (a fixed contrast, true value 0) has a 95% bootstrap percentile
// interval (200 resamples); at least 92% of the 11,200 intervals must cover
// 0. The percentile bootstrap is a large-sample method and slightly
// undercovers skewed, mostly-zero accuracy values (about 93.5% here, for
// groups from 20 to 400 users).
func TestNullWorld(t *testing.T) {
	if testing.Short() {
		t.Skip("simulation")
	}
	const worlds = 100
	var comparisons, rejDiff, rejRatio, rejKW, covered, intervals int
	for w := range worlds {
		cfg := demo.Config{Users: 800, Items: 400, Interactions: 20000, Seed: uint64(1000 + w)}
		wd := newWorld(t, cfg)
		g, err := NewGroups(wd.d, GroupsConfig{Sensitive: []string{"gender", "age_band", "region"}, ItemGroups: []string{}})
		if err != nil {
			t.Fatal(err)
		}
		algo := "popular"
		if w%2 == 1 {
			algo = "itemknn"
		}
		sys := wd.recommend(t, algo, 10)
		sc := Config{
			Cutoffs:       []int{10},
			Measures:      []metrics.Measure{metrics.MeasureNDCG, metrics.MeasurePrecision, metrics.MeasureRecall},
			GroupMeasures: []metrics.Measure{metrics.MeasureNDCG, metrics.MeasurePrecision, metrics.MeasureRecall},
			Analyze:       fairness.AnalyzeConfig{Seed: uint64(w), BootstrapB: 200, PermutationB: 200},
		}
		res, err := Score(context.Background(), wd.input(), g, sys, sc)
		if err != nil {
			t.Fatal(err)
		}
		for _, c := range res.Consumer.Comparisons {
			comparisons++
			if c.Disparities[0].Test.P < 0.05 {
				rejDiff++
			}
			if c.Disparities[1].Test.P < 0.05 {
				rejRatio++
			}
			if c.KruskalWallis.P < 0.05 {
				rejKW++
			}
			for _, ge := range c.Groups {
				if ge.Withheld {
					continue
				}
				intervals++
				if ge.VsRest.CI[0] <= 0 && 0 <= ge.VsRest.CI[1] {
					covered++
				}
			}
		}
	}
	if comparisons != worlds*24 {
		t.Fatalf("%d comparisons, want %d", comparisons, worlds*24)
	}
	rate := func(k, n int) float64 { return float64(k) / float64(n) }
	t.Logf("null world: %d comparisons; rejection at 0.05: difference %.3f, ratio %.3f, Kruskal-Wallis %.3f; coverage %.3f of %d intervals",
		comparisons, rate(rejDiff, comparisons), rate(rejRatio, comparisons), rate(rejKW, comparisons), rate(covered, intervals), intervals)
	for name, k := range map[string]int{"max-min difference": rejDiff, "min/max ratio": rejRatio, "Kruskal-Wallis": rejKW} {
		if r := rate(k, comparisons); r > 0.08 {
			t.Errorf("%s test: rejection rate %.3f at level 0.05 in the null world, want <= 0.08", name, r)
		}
	}
	if c := rate(covered, intervals); c < 0.92 {
		t.Errorf("95%% intervals of group-vs-rest differences cover 0 in %.3f of %d cases, want >= 0.92", c, intervals)
	}
}

// TestPlantedEffects checks that an audit of the default demo world
// (DefaultConfig: 10 000 users, 2 000 items, about 300 000 interactions,
// the default planted effects) finds the three planted group differences
// with q < 0.05 after Benjamini–Hochberg correction over every test of
// the audit (two systems, gender and age band, cutoffs 10 and 20).
//
//   - Lower accuracy for older customers. The generator plants lower
//     activity: the 65+ band makes half as many interactions per user as
//     18-24, so it has fewer held-out items and less history. Precision@10
//     shows this most directly (hits over 10 slots: fewer relevant items,
//     fewer hits) and NDCG@10 with it; both are lowest for 65+ with
//     item-kNN. Recall goes the other way (a denominator of fewer relevant
//     items is easier to fill), which is why the audit reports several
//     accuracy measures.
//   - Under-exposure of independent vendors. Brand items are 3 times as
//     popular within their clusters, and item-kNN amplifies it: independent
//     vendors hold 70% of the catalogue but get far less of the exposure.
//   - Over-targeting of credit offers. 18-24 customers draw credit offers 3
//     times as often (2% of their draws against 6%). Their histories hold
//     more credit offers, so a recommender that learns from co-occurrence
//     shows them other credit offers: EASE, with its standard settings
//     (training items excluded), shows the 18-24 band the most.
//
// One world and B = 500 bootstrap resamples, 2000 relabelings suffice:
// the effects are large at 10 000 users (the smallest p-values are at the
// Monte Carlo floor 1/2001), and the audit's 160 tests keep the
// Benjamini–Hochberg threshold of a lone p-value at the floor below 0.05.
func TestPlantedEffects(t *testing.T) {
	if testing.Short() {
		t.Skip("simulation")
	}
	w := newWorld(t, demo.DefaultConfig())
	g, err := NewGroups(w.d, GroupsConfig{Sensitive: []string{"gender", "age_band"}, ItemGroups: []string{"provider_type"}})
	if err != nil {
		t.Fatal(err)
	}
	sc := Config{Analyze: fairness.AnalyzeConfig{Seed: 1, BootstrapB: 500, PermutationB: 2000}}
	r := NewResult("test", "demo", w.d, w.split, w.stats, g, sc, 1)

	knn := w.recommend(t, "itemknn", 20)
	ease := w.recommend(t, "ease", 20)
	for _, sys := range []System{knn, ease} {
		res, err := Score(context.Background(), w.input(), g, sys, sc)
		if err != nil {
			t.Fatal(err)
		}
		r.Systems = append(r.Systems, res)
	}
	r.Finalize()
	t.Logf("%d tests, %d with q < 0.05", r.Tests.Count, r.Tests.Significant)

	// Older customers: accuracy lowest for 65+.
	for _, m := range []string{"precision@10", "ndcg@10"} {
		c := comparison(r.Systems[0].Consumer, m, "age_band")
		d := c.Disparities[0]
		t.Logf("itemknn %s by age band: lowest %s, highest %s, difference %.4f, p %.4g, q %.4g", m, c.Lowest, c.Highest, float64(d.Estimate), float64(d.Test.P), float64(d.Test.Q))
		if c.Lowest != "65+" || !(d.Test.Q < 0.05) {
			t.Errorf("itemknn %s by age band: lowest %q, q %v; want 65+ with q < 0.05", m, c.Lowest, d.Test.Q)
		}
	}

	// Independent vendors: below their catalogue share.
	for _, ea := range r.Systems[0].Provider {
		if ea.Cutoff != 10 {
			continue
		}
		for _, eg := range ea.Groups {
			if eg.Group != "independent" {
				continue
			}
			vs := eg.VsCatalogue
			t.Logf("itemknn independent exposure share %.3f against catalogue %.3f, q %.4g", float64(eg.Share.Value), float64(eg.Catalogue), float64(vs.Test.Q))
			if !(vs.Difference.Value < 0) || !(vs.Test.Q < 0.05) || !(vs.Difference.CI[1] < 0) {
				t.Errorf("independent vendors: difference %v %v, q %v; want below the catalogue share with q < 0.05", vs.Difference.Value, vs.Difference.CI, vs.Test.Q)
			}
		}
	}

	// Credit offers: the 18-24 band is the most targeted.
	found := false
	for _, tr := range r.Systems[1].Targeting {
		if tr.Attribute != "age_band" || tr.Cutoff != 10 {
			continue
		}
		found = true
		t.Logf("ease credit share by age band: most %s, least %s, ratio %.3f %v, q %.4g", tr.Most, tr.Least, float64(tr.Ratio.Value), tr.Ratio.CI, float64(tr.Q))
		if tr.Most != "18-24" || !(tr.Q < 0.05) {
			t.Errorf("credit targeting: most targeted %q, q %v; want 18-24 with q < 0.05", tr.Most, tr.Q)
		}
	}
	if !found {
		t.Fatal("no targeting result for age_band at 10")
	}
	// And each is stated as a finding.
	kinds := map[string]bool{}
	for _, f := range r.Findings {
		switch {
		case f.System == "itemknn" && f.Kind == "consumer" && f.Metric == "precision@10" && f.Attribute == "age_band",
			f.System == "itemknn" && f.Kind == "provider" && f.Attribute == "provider_type" && f.Groups[0] == "independent",
			f.System == "ease" && f.Kind == "targeting" && f.Attribute == "age_band" && f.Groups[0] == "18-24":
			kinds[f.Kind] = true
			t.Log(f.Text)
		}
	}
	if len(kinds) != 3 {
		t.Errorf("findings cover %v, want consumer, provider and targeting", kinds)
	}
}
