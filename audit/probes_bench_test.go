package audit

import (
	"context"
	"fmt"
	"testing"

	"github.com/recaudit/recaudit/datasets/demo"
)

// BenchmarkProbeLists times the probes of one system's lists with the
// demo audit's settings (the consent probe of the lists at cutoffs 10 and
// 20 with 1,000 relabelings; attribute inference of gender and age band
// from the top 10, 2 folds, 9 shuffles, 1,000 bootstrap replicates), on
// item-kNN's lists for demo shops of growing size, 30 interactions per
// user. users=10000 is one system of the default demo audit. Run it with
//
//	go test -run '^$' -bench ProbeLists -benchtime 1x ./audit/
func BenchmarkProbeLists(b *testing.B) {
	for _, n := range []int{1000, 3000, 10_000} {
		b.Run(fmt.Sprintf("users=%d", n), func(b *testing.B) {
			w := newWorld(b, demo.Config{Users: n, Items: min(2000, n/2), Interactions: 30 * n, Seed: 1, Effects: demo.DefaultEffects()})
			g, err := NewGroups(w.d, GroupsConfig{})
			if err != nil {
				b.Fatal(err)
			}
			sys := w.recommend(b, "itemknn", 20)
			s := DefaultSpec()
			pl, err := s.compile(nil)
			if err != nil {
				b.Fatal(err)
			}
			p := Probes{Consent: pl.probes.consent, Inference: pl.probes.inference, Seed: 1}
			for b.Loop() {
				if _, _, err := ProbeLists(context.Background(), w.input(), g, sys, p); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
