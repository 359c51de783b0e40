package recommenders_test

import (
	"context"
	"testing"
	"time"

	"github.com/recaudit/recaudit/datasets"
	"github.com/recaudit/recaudit/datasets/demo"
	"github.com/recaudit/recaudit/recommenders"
	"github.com/recaudit/recaudit/recommenders/all"
)

// BenchmarkDemoML1M fits every built-in algorithm (default parameters,
// from the registry) on the demo shop at the size of MovieLens 1M (6,040
// users, 3,706 items, 1,000,209 interactions; seed 1, planted effects) and
// recommends top-100 lists for every user. It reports fit and recommend
// wall time separately, and the process CPU time of both. Run one
// algorithm at a time under /usr/bin/time -v for its peak memory:
//
//	go test -c -o rec.test ./recommenders
//	/usr/bin/time -v ./rec.test -test.run '^$' -test.bench 'DemoML1M/ease$' -test.benchtime 1x
func BenchmarkDemoML1M(b *testing.B) {
	cfg := demo.DefaultConfig()
	cfg.Users, cfg.Items, cfg.Interactions = 6040, 3706, 1_000_209
	d, err := demo.Generate(context.Background(), cfg)
	if err != nil {
		b.Fatal(err)
	}
	train := &recommenders.TrainView{Interactions: d.Interactions, ItemColumns: d.ItemColumns}
	users := make([]int32, d.Interactions.Rows)
	for i := range users {
		users[i] = int32(i)
	}
	reg := all.Default()
	for _, name := range []string{"random", "popular", "itemknn", "userknn", "ease", "als", "bpr"} {
		b.Run(name, func(b *testing.B) {
			ctx := context.Background()
			var fit, rec float64
			var out datasets.Rankings
			cpu := cpuTime()
			for b.Loop() {
				r, err := reg.New(name, nil)
				if err != nil {
					b.Fatal(err)
				}
				t0 := wallSeconds()
				if err := r.Fit(ctx, train); err != nil {
					b.Fatal(err)
				}
				t1 := wallSeconds()
				if out, err = r.Recommend(ctx, users, 100); err != nil {
					b.Fatal(err)
				}
				fit += t1 - t0
				rec += wallSeconds() - t1
			}
			n := float64(b.N)
			b.ReportMetric(fit/n, "fit-s")
			b.ReportMetric(rec/n, "recommend-s")
			b.ReportMetric((cpuTime()-cpu).Seconds()/n, "cpu-s")
			b.ReportMetric(float64(len(out.Items))/float64(len(users)), "items/user")
		})
	}
}

// wallSeconds returns the wall clock in seconds, to split an iteration into
// phases.
func wallSeconds() float64 { return float64(time.Now().UnixNano()) / 1e9 }
