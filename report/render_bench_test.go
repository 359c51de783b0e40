package report_test

import (
	"fmt"
	"testing"

	"github.com/recaudit/recaudit/report"
)

// BenchmarkRender renders the report of a small demo audit of the six
// systems of the default demo audit (random, popular, item-kNN, user-kNN,
// EASE, ALS; cutoffs 10 and 20; four user groupings, three item
// groupings, one flag), and of its first one and three systems: every
// file, PNGs included. The number of charts and tables grows with the
// groupings, not with the users, so the small audit times what the
// default one costs. The audit itself runs once, before the loop.
//
//	go test ./report -run '^$' -bench Render -benchtime 3x
func BenchmarkRender(b *testing.B) {
	full := demoAudit(b, 1500, benchSystems)
	for _, n := range []int{1, 3, 6} {
		r := *full
		r.Systems = full.Systems[:n]
		r.Findings = nil
		for _, f := range full.Findings {
			for _, s := range r.Systems {
				if f.System == s.Name {
					r.Findings = append(r.Findings, f)
				}
			}
		}
		b.Run(fmt.Sprint("systems=", n), func(b *testing.B) {
			dir := b.TempDir()
			for b.Loop() {
				if err := report.Render(&r, dir, report.Options{}); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
