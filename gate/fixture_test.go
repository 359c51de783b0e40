package gate_test

import (
	"math"
	"strings"
	"testing"
	"time"

	"github.com/recaudit/recaudit/audit"
	"github.com/recaudit/recaudit/fairness"
	"github.com/recaudit/recaudit/gate"
)

// The fixture is a hand-made results document with round numbers, so that
// every expected verdict in the tests can be worked out by hand. It has
// two systems, "knn" and "pop", cutoff 10, users grouped by gender (F, M,
// and X withheld; "NB" suppressed) and age band (18-24, 65+), items by
// provider type (brand, independent), and the targeting of the flag
// high_cost_credit.
//
//	                                  knn                    pop
//	ndcg@10 (user)                    0.30 [0.28, 0.32]      0.20 [0.18, 0.22]
//	coverage@10 (catalogue)           0.50                   0.05
//	ndcg@10 F / M / X                 0.32 / 0.28 / withheld 0.24 / 0.17 / withheld
//	ndcg@10 max-min-diff by gender    0.04 [0.01, 0.07] q .20 0.07 [0.05, 0.09] q .03
//	ndcg@10 min-max-ratio by gender   0.875 [0.8, 0.95] q .20 0.70833 [0.6, 0.8] q .03
//	independent share@10              0.40 [0.38, 0.42]      0.10 [0.09, 0.11]
//	  catalogue share                 0.70                   0.70
//	  vs catalogue (q)                -0.30 [-0.32, -0.28] (.001)  -0.60 [-0.61, -0.59] (.001)
//	  merit share                     0.50 [0.48, 0.52]      0.50 [0.48, 0.52]
//	  vs merit (q)                    -0.10 [-0.12, -0.08] (.02)   -0.40 [-0.42, -0.38] (.001)
//	credit share@10 ratio by age      1.5 [1.2, 1.8] q .04   3 [2.5, 3.6] q .001
//	  18-24 / 65+ rate                0.03 / 0.02            0.06 / 0.02
func fixture() *audit.Result {
	r := &audit.Result{
		SchemaVersion: audit.SchemaVersion,
		Tool:          audit.Tool{Name: "recaudit", Version: "test"},
		Dataset:       audit.DatasetInfo{Name: "fixture"},
		Seed:          7,
		Settings:      audit.Settings{Cutoffs: []int{10}},
		UserGroups: []audit.UserGroupsInfo{
			{Attribute: "gender", Groups: []audit.GroupSize{{Group: "F", Users: 500}, {Group: "M", Users: 450}, {Group: "X", Users: 12}},
				Suppressed: []audit.Suppressed{{Group: "NB", Reason: "fewer than 10 users"}}},
			{Attribute: "age_band", Groups: []audit.GroupSize{{Group: "18-24", Users: 300}, {Group: "65+", Users: 200}}},
		},
		Tests: audit.TestsInfo{Count: 10, Correction: "benjamini-hochberg", QThreshold: 0.05},
	}
	type sys struct {
		name                string
		ndcg, cov           float64
		f, m                float64
		diff, ratio, dq     float64
		diffCI, ratioCI     [2]float64
		share               float64
		vsCat, vsMerit, mq  float64
		credit, y, old, cq  float64
		creditCI            [2]float64
		shareCIw            float64
		vsCatCIw, vsMeritCI float64
	}
	for _, s := range []sys{
		{name: "knn", ndcg: 0.30, cov: 0.50, f: 0.32, m: 0.28, diff: 0.04, diffCI: [2]float64{0.01, 0.07}, ratio: 0.875, ratioCI: [2]float64{0.8, 0.95}, dq: 0.20,
			share: 0.40, shareCIw: 0.02, vsCat: -0.30, vsCatCIw: 0.02, vsMerit: -0.10, vsMeritCI: 0.02, mq: 0.02,
			credit: 1.5, creditCI: [2]float64{1.2, 1.8}, cq: 0.04, y: 0.03, old: 0.02},
		{name: "pop", ndcg: 0.20, cov: 0.05, f: 0.24, m: 0.17, diff: 0.07, diffCI: [2]float64{0.05, 0.09}, ratio: 0.70833, ratioCI: [2]float64{0.6, 0.8}, dq: 0.03,
			share: 0.10, shareCIw: 0.01, vsCat: -0.60, vsCatCIw: 0.01, vsMerit: -0.40, vsMeritCI: 0.02, mq: 0.001,
			credit: 3, creditCI: [2]float64{2.5, 3.6}, cq: 0.001, y: 0.06, old: 0.02},
	} {
		iv := func(lo, hi float64) fairness.Interval2 {
			return fairness.Interval2{fairness.Float(lo), fairness.Float(hi)}
		}
		est := func(v, w float64) fairness.Estimate {
			return fairness.Estimate{Value: fairness.Float(v), CI: iv(v-w, v+w)}
		}
		nan := fairness.Float(math.NaN())
		sr := &audit.SystemResult{
			Name: s.name, Params: []audit.Param{},
			Metrics: []audit.MetricValue{
				{Name: "ndcg@10", Level: "user", Value: fairness.Float(s.ndcg), CI: iv(s.ndcg-0.02, s.ndcg+0.02), N: 962},
				{Name: "coverage@10", Level: "catalogue", Value: fairness.Float(s.cov), CI: fairness.Interval2{nan, nan}, N: 962},
			},
			Consumer: &fairness.Analysis{
				Settings: fairness.AnalysisSettings{MinUsers: 20},
				Comparisons: []fairness.Comparison{{
					Metric: "ndcg@10", Attribute: "gender",
					Groups: []fairness.GroupEstimate{
						{Group: "F", N: 500, Value: fairness.Float(s.f), CI: iv(s.f-0.02, s.f+0.02), VsRest: est(s.f-s.m, 0.03)},
						{Group: "M", N: 450, Value: fairness.Float(s.m), CI: iv(s.m-0.02, s.m+0.02), VsRest: est(s.m-s.f, 0.03)},
						{Group: "X", N: 12, Value: nan, CI: fairness.Interval2{nan, nan}, VsRest: fairness.Estimate{Value: nan, CI: fairness.Interval2{nan, nan}}, Withheld: true},
					},
					Disparities: []fairness.DisparityResult{
						{Aggregator: "max-min-diff", Estimate: fairness.Float(s.diff), CI: iv(s.diffCI[0], s.diffCI[1]), Test: fairness.Test{Method: "permutation", P: fairness.Float(s.dq / 2), Q: fairness.Float(s.dq)}},
						{Aggregator: "min-max-ratio", Estimate: fairness.Float(s.ratio), CI: iv(s.ratioCI[0], s.ratioCI[1]), FairValue: 1, Test: fairness.Test{Method: "permutation", P: fairness.Float(s.dq / 2), Q: fairness.Float(s.dq)}},
					},
				}},
			},
			Provider: []audit.ExposureAnalysis{{
				Attribute: "provider_type", Cutoff: 10, Model: "log", Intervals: true,
				Groups: []audit.ExposureGroup{
					{Group: "brand", Items: 30, Share: est(1-s.share, s.shareCIw), Catalogue: 0.3, Merit: est(0.5, 0.02),
						VsCatalogue: audit.ShareComparison{Difference: est(-s.vsCat, s.vsCatCIw), Test: &fairness.Test{Method: "bootstrap", Q: 0.001}},
						VsMerit:     audit.ShareComparison{Difference: est(-s.vsMerit, s.vsMeritCI), Test: &fairness.Test{Method: "bootstrap", Q: fairness.Float(s.mq)}}},
					{Group: "independent", Items: 70, Share: est(s.share, s.shareCIw), Catalogue: 0.7, Merit: est(0.5, 0.02),
						VsCatalogue: audit.ShareComparison{Difference: est(s.vsCat, s.vsCatCIw), Test: &fairness.Test{Method: "bootstrap", Q: 0.001}},
						VsMerit:     audit.ShareComparison{Difference: est(s.vsMerit, s.vsMeritCI), Test: &fairness.Test{Method: "bootstrap", Q: fairness.Float(s.mq)}}},
				},
				L1Catalogue: est(2*-s.vsCat, 0.02), L1Merit: est(2*-s.vsMerit, 0.02),
			}},
			Targeting: []audit.TargetingResult{{
				Flag: "high_cost_credit", Cutoff: 10, Attribute: "age_band", Metric: "high_cost_credit_share@10", Measure: "share",
				Rates: []audit.TargetedGroup{
					{Group: "18-24", N: 300, Rate: fairness.Float(s.y), CI: iv(s.y-0.005, s.y+0.005)},
					{Group: "65+", N: 200, Rate: fairness.Float(s.old), CI: iv(s.old-0.005, s.old+0.005)},
				},
				Most: "18-24", Least: "65+",
				Ratio: fairness.Estimate{Value: fairness.Float(s.credit), CI: iv(s.creditCI[0], s.creditCI[1])},
				P:     fairness.Float(s.cq / 2), Q: fairness.Float(s.cq),
			}},
		}
		r.Systems = append(r.Systems, sr)
	}
	return r
}

// day returns a clock stopped at noon UTC on the given date.
func day(date string) func() time.Time {
	d, err := time.Parse(time.DateOnly, date)
	if err != nil {
		panic(err)
	}
	return func() time.Time { return d.Add(12 * time.Hour) }
}

// mustParse parses a policy given as YAML, failing the test on an error.
func mustParse(t testing.TB, src string) *gate.Policy {
	t.Helper()
	p, err := gate.Parse("policy.yaml", []byte(src))
	if err != nil {
		t.Fatalf("parse:\n%s\nerror: %v", src, err)
	}
	return p
}

// policy wraps rule lines (indented by four spaces, under "rules:") in a
// version 1 policy.
func policy(rules ...string) string {
	var b strings.Builder
	b.WriteString("version: 1\nrules:\n")
	for _, r := range rules {
		b.WriteString(r)
		if !strings.HasSuffix(r, "\n") {
			b.WriteByte('\n')
		}
	}
	return b.String()
}
