package recommenders_test

import (
	"context"
	"fmt"
	"math/rand/v2"
	"testing"

	"github.com/recaudit/recaudit/datasets"
	"github.com/recaudit/recaudit/recommenders"
	"github.com/recaudit/recaudit/recommenders/rectest"
)

// benchSizes is the ladder of the fit + recommend benchmarks; "ml1m" has
// the shape of MovieLens 1M (6,040 users, 3,706 items, 1,000,209 ratings).
var benchSizes = []struct {
	name         string
	users, items int
	nnz          int64
}{
	{"small", 600, 370, 10_000},
	{"medium", 6000, 3700, 100_000},
	{"ml1m", 6000, 3700, 1_000_000},
}

// BenchmarkFitRecommend fits each algorithm and recommends top-100 lists
// for every user, on Zipf-popularity data (α = 1, seed 1). It reports the
// CPU time per operation besides the wall time.
func BenchmarkFitRecommend(b *testing.B) {
	algos := []struct {
		name string
		new  func() recommenders.Recommender
	}{
		{"random", func() recommenders.Recommender { return &recommenders.Random{Src: rand.NewPCG(1, 1)} }},
		{"popular", func() recommenders.Recommender { return &recommenders.Popular{} }},
		{"itemknn", func() recommenders.Recommender { return &recommenders.ItemKNN{} }},
		{"userknn", func() recommenders.Recommender { return &recommenders.UserKNN{} }},
	}
	for _, size := range benchSizes {
		m := rectest.Zipf(1, size.users, size.items, size.nnz, 1)
		train := &recommenders.TrainView{Interactions: m}
		users := make([]int32, m.Rows)
		for i := range users {
			users[i] = int32(i)
		}
		for _, a := range algos {
			b.Run(fmt.Sprintf("%s/%s", a.name, size.name), func(b *testing.B) {
				ctx := context.Background()
				var out datasets.Rankings
				start := cpuTime()
				for b.Loop() {
					r := a.new()
					if err := r.Fit(ctx, train); err != nil {
						b.Fatal(err)
					}
					var err error
					if out, err = r.Recommend(ctx, users, 100); err != nil {
						b.Fatal(err)
					}
				}
				b.ReportMetric((cpuTime()-start).Seconds()/float64(b.N), "cpu-s/op")
				b.ReportMetric(float64(len(out.Items))/float64(m.Rows), "items/user")
			})
		}
	}
}
