package report_test

import (
	"fmt"
	"io"
	"math/rand/v2"
	"testing"

	"github.com/recaudit/recaudit/report"
)

// BenchmarkLorenzChart builds and renders a Lorenz chart of three systems
// over catalogues of increasing size (the sort dominates for large ones;
// the drawn curve has at most 501 points).
func BenchmarkLorenzChart(b *testing.B) {
	for _, n := range []int{100, 10_000, 1_000_000} {
		rnd := rand.New(rand.NewPCG(1, uint64(n)))
		l := report.Lorenz{}
		for s := range 3 {
			x := make([]float64, n)
			for i := range x {
				x[i] = rnd.ExpFloat64()
			}
			l.Systems = append(l.Systems, report.ItemExposure{System: fmt.Sprint("system ", s), Exposure: x})
		}
		b.Run(fmt.Sprint("items=", n), func(b *testing.B) {
			for b.Loop() {
				p, err := report.LorenzChart(l)
				if err != nil {
					b.Fatal(err)
				}
				if err := report.WriteSVG(p, report.DefaultWidth, report.DefaultHeight, io.Discard); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkGroupChart builds and renders a group chart of three systems
// over an increasing number of groups.
func BenchmarkGroupChart(b *testing.B) {
	for _, groups := range []int{3, 12, 48} {
		m := report.GroupMetric{Metric: "NDCG@10", Attribute: "group", Level: 0.95}
		for s := range 3 {
			sg := report.SystemGroups{System: fmt.Sprint("system ", s), Overall: 0.3}
			for g := range groups {
				v := 0.2 + 0.002*float64(g) + 0.03*float64(s)
				sg.Groups = append(sg.Groups, report.GroupEstimate{
					Group: fmt.Sprint("g", g), Value: v, Lo: v - 0.02, Hi: v + 0.02, N: 100 + g, Significant: g%3 == 0,
				})
			}
			m.Systems = append(m.Systems, sg)
		}
		b.Run(fmt.Sprint("groups=", groups), func(b *testing.B) {
			for b.Loop() {
				p, err := report.GroupChart(m)
				if err != nil {
					b.Fatal(err)
				}
				if err := report.WriteSVG(p, report.DefaultWidth, report.DefaultHeight, io.Discard); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
