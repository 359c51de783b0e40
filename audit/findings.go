package audit

import (
	"fmt"
	"math"
	"strconv"
	"strings"

	"github.com/recaudit/recaudit/fairness"
)

// findings returns the plain-language findings of r: one per consumer
// comparison with a significant disparity, per provider share
// significantly below a target, per significant targeting ratio, per
// consent probe that flagged the system and per attribute its lists leak,
// system by system, in the order of the result.
func findings(r *Result) []Finding {
	out := []Finding{}
	for _, s := range r.Systems {
		targeting := map[string]bool{}
		for _, t := range s.Targeting {
			targeting[t.Metric] = true
		}
		if s.Consumer != nil {
			for _, c := range s.Consumer.Comparisons {
				if targeting[c.Metric] {
					continue // reported as targeting below
				}
				if f, ok := consumerFinding(s.Name, c); ok {
					out = append(out, f)
				}
			}
		}
		for _, ea := range s.Provider {
			for _, eg := range ea.Groups {
				for _, vs := range []struct {
					name string
					cmp  ShareComparison
					t    float64
				}{{"catalogue", eg.VsCatalogue, float64(eg.Catalogue)}, {"merit", eg.VsMerit, float64(eg.Merit.Value)}} {
					if f, ok := providerFinding(s.Name, ea, eg, vs.name, vs.cmp, vs.t); ok {
						out = append(out, f)
					}
				}
			}
		}
		for _, t := range s.Targeting {
			if f, ok := targetingFinding(s.Name, t); ok {
				out = append(out, f)
			}
		}
		out = append(out, probeFindings(s)...)
	}
	return out
}

func significant(q fairness.Float) bool { return float64(q) < QThreshold }

// MetricLabel returns the display name of a per-user metric column, for
// example "NDCG@10" for "ndcg@10" or "share of high_cost_credit items@10".
func MetricLabel(col string) string {
	name, k, _ := strings.Cut(col, "@")
	label, ok := map[string]string{
		"precision": "Precision", "recall": "Recall", "hit_rate": "Hit rate", "rr": "Reciprocal rank",
		"ap": "AP", "dcg": "DCG", "ndcg": "NDCG", "rbp": "RBP",
		ColCalibration: "Miscalibration (C_KL)", ColPopLift: "Popularity lift", ColNovelty: "Novelty",
		ColARP: "ARP", ColAPLT: "APLT",
	}[name]
	if !ok {
		if flag, isFlag := strings.CutSuffix(name, "_"+TargetShare); isFlag {
			label = "Share of " + flag + " items"
		} else if flag, isFlag := strings.CutSuffix(name, "_"+TargetShown); isFlag {
			label = "Users shown " + flag + " items"
		} else if flag, isFlag := strings.CutSuffix(name, "_"+TargetExposure); isFlag {
			label = "Position-weighted share of " + flag + " items"
		} else {
			label = name
		}
	}
	if k == "" {
		return label
	}
	return label + "@" + k
}

func attrLabel(a string) string { return strings.ReplaceAll(a, "_", " ") }

func interval(ci fairness.Interval2, f func(float64) string) string {
	return "[" + f(float64(ci[0])) + ", " + f(float64(ci[1])) + "]"
}

func cutoffOf(col string) int {
	_, k, _ := strings.Cut(col, "@")
	n, _ := strconv.Atoi(k)
	return n
}

// consumerFinding states the most significant disparity of c, if any.
func consumerFinding(system string, c fairness.Comparison) (Finding, bool) {
	best := -1
	for i, d := range c.Disparities {
		if significant(d.Test.Q) && (best < 0 || d.Test.Q < c.Disparities[best].Test.Q) {
			best = i
		}
	}
	if best < 0 || c.Highest == "" {
		return Finding{}, false
	}
	var hi, lo fairness.GroupEstimate
	for _, g := range c.Groups {
		switch g.Group {
		case c.Highest:
			hi = g
		case c.Lowest:
			lo = g
		}
	}
	d := c.Disparities[best]
	attr := attrLabel(c.Attribute)
	text := fmt.Sprintf("%s is lower for %s %s (%s %s) than for %s (%s %s): ",
		MetricLabel(c.Metric), attr, lo.Group, num(float64(lo.Value)), interval(lo.CI, num),
		hi.Group, num(float64(hi.Value)), interval(hi.CI, num))
	switch d.Aggregator {
	case fairness.MaxMinDiff.String():
		text += "difference " + num(float64(d.Estimate)) + " " + interval(d.CI, num)
	case fairness.MinMaxRatio.String():
		text += "ratio " + num(float64(d.Estimate)) + " " + interval(d.CI, num)
	default:
		text += d.Aggregator + " " + num(float64(d.Estimate)) + " " + interval(d.CI, num)
	}
	text += ", " + formatQ(float64(d.Test.Q)) + "."
	return Finding{System: system, Kind: "consumer", Metric: c.Metric, Attribute: c.Attribute, Cutoff: cutoffOf(c.Metric),
		Groups: []string{lo.Group, hi.Group}, Q: d.Test.Q, Text: text}, true
}

func pct(v float64) string {
	if math.IsNaN(v) {
		return "n/a"
	}
	return strconv.FormatFloat(100*v, 'f', 1, 64) + "%"
}

// providerFinding states a share significantly below its target: the
// under-exposed groups (the over-exposed ones are their mirror image).
func providerFinding(system string, ea ExposureAnalysis, eg ExposureGroup, target string, cmp ShareComparison, t float64) (Finding, bool) {
	d := float64(cmp.Difference.Value)
	if cmp.Test == nil || !significant(cmp.Test.Q) || !(d < 0) {
		return Finding{}, false
	}
	text := fmt.Sprintf("Items with %s %s receive %s %s of the exposure in the top %d, against a %s share of %s: %s points less %s, %s.",
		attrLabel(ea.Attribute), eg.Group, pct(float64(eg.Share.Value)), interval(eg.Share.CI, pct), ea.Cutoff,
		target, pct(t), strconv.FormatFloat(-100*d, 'f', 1, 64), interval(fairness.Interval2{-100 * cmp.Difference.CI[1], -100 * cmp.Difference.CI[0]}, func(v float64) string { return strconv.FormatFloat(v, 'f', 1, 64) }), formatQ(float64(cmp.Test.Q)))
	return Finding{System: system, Kind: "provider", Metric: "exposure_share_vs_" + target, Attribute: ea.Attribute, Cutoff: ea.Cutoff,
		Groups: []string{eg.Group}, Q: cmp.Test.Q, Text: text}, true
}

// targetingFinding states a significant targeting ratio.
func targetingFinding(system string, t TargetingResult) (Finding, bool) {
	if !significant(t.Q) || t.Most == "" {
		return Finding{}, false
	}
	var most, least TargetedGroup
	for _, g := range t.Rates {
		switch g.Group {
		case t.Most:
			most = g
		case t.Least:
			least = g
		}
	}
	ratio := func(v float64) string {
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return "n/a"
		}
		return strconv.FormatFloat(v, 'f', 2, 64)
	}
	attr := attrLabel(t.Attribute)
	format := "%s items make up %s %s of the top %d for %s %s, against %s %s for %s: %s times as much %s, %s."
	switch t.Measure {
	case TargetShown:
		format = "%s items are shown to %s %s of the users in the top %d for %s %s, against %s %s for %s: %s times as often %s, %s."
	case TargetExposure:
		format = "%s items take %s %s of the position-weighted attention (1/log2(rank+1)) in the top %d for %s %s, against %s %s for %s: %s times as much %s, %s."
	}
	text := fmt.Sprintf(format,
		t.Flag, pct(float64(most.Rate)), interval(most.CI, pct), t.Cutoff, attr, most.Group,
		pct(float64(least.Rate)), interval(least.CI, pct), least.Group,
		ratio(float64(t.Ratio.Value)), "["+ratio(float64(t.Ratio.CI[0]))+", "+ratio(float64(t.Ratio.CI[1]))+"]", formatQ(float64(t.Q)))
	return Finding{System: system, Kind: "targeting", Metric: t.Metric, Attribute: t.Attribute, Cutoff: t.Cutoff,
		Groups: []string{t.Most, t.Least}, Q: t.Q, Text: text}, true
}
