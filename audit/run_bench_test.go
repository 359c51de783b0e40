package audit

import (
	"context"
	"fmt"
	"testing"
)

// BenchmarkRunDemo times the whole demo audit (DefaultSpec: six systems,
// every metric at cutoffs 10 and 20, 1,000 bootstrap resamples, automatic
// permutation tests) on demo shops of growing size, 30 interactions per
// user; users=10000 is the default demo audit of recaudit audit, whose goal
// is 60 s on the 2-core machine. Each stage's seconds are reported as a
// metric. Run it with
//
//	go test -run '^$' -bench RunDemo -benchtime 1x ./audit/
func BenchmarkRunDemo(b *testing.B) {
	for _, n := range []int{1000, 3000, 10_000} {
		b.Run(fmt.Sprintf("users=%d", n), func(b *testing.B) {
			s := DefaultSpec()
			s.Dataset.Demo.Users, s.Dataset.Demo.Interactions = n, 30*n
			s.Dataset.Demo.Items = min(2000, n/2)
			var out *Outcome
			for b.Loop() {
				var err error
				if out, err = Run(context.Background(), s, RunOptions{}); err != nil {
					b.Fatal(err)
				}
			}
			for _, st := range out.Timings.Stages {
				b.ReportMetric(st.Seconds, st.Stage+"-s")
			}
		})
	}
}
