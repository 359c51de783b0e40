package audit

import (
	"context"
	"fmt"
	"testing"

	"github.com/recaudit/recaudit/datasets/demo"
	"github.com/recaudit/recaudit/fairness"
)

// BenchmarkFairnessSuite times the scoring and analysis stage of an audit
// of one system: Score (per-user metrics at cutoffs 10 and 100, system
// metrics with 1000 bootstrap resamples, the consumer-side analysis over
// three attributes — gender, age band, region — with 1000 bootstrap
// resamples and the automatic number of permutation relabelings, the
// provider-side exposure of provider type, provider and category with
// bootstrap intervals, and the targeting of credit offers) and
// Result.Finalize. The lists are the top 100 of the most-popular
// recommender for every user of a demo shop (2 000 items, 30 interactions
// per user), made outside the timer; generating, splitting and
// recommending are not timed.
//
// The target: 100 000 users × 100 recommendations within 20 s on
// the 2-core machine. Run it with
//
//	go test -run '^$' -bench FairnessSuite -benchtime 1x ./audit/
func BenchmarkFairnessSuite(b *testing.B) {
	for _, n := range []int{10_000, 100_000} {
		b.Run(fmt.Sprintf("users=%d", n), func(b *testing.B) {
			cfg := demo.DefaultConfig()
			cfg.Users = n
			cfg.Interactions = 30 * n
			w := newWorld(b, cfg)
			g, err := NewGroups(w.d, GroupsConfig{Sensitive: []string{"gender", "age_band", "region"}})
			if err != nil {
				b.Fatal(err)
			}
			sys := w.recommend(b, "popular", 100)
			sc := Config{Cutoffs: []int{10, 100}, Analyze: fairness.AnalyzeConfig{Seed: 1}}
			for b.Loop() {
				r := NewResult("bench", "demo", w.d, w.split, w.stats, g, sc, 1)
				res, err := Score(context.Background(), w.input(), g, sys, sc)
				if err != nil {
					b.Fatal(err)
				}
				r.Systems = append(r.Systems, res)
				r.Finalize()
			}
		})
	}
}
