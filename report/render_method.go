package report

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/recaudit/recaudit/audit"
	"github.com/recaudit/recaudit/fairness"
)

// measureDefs are the plain-language definitions of the accuracy
// measures, with their METRICS-SPEC.md sections.
var measureDefs = map[string]string{
	"precision": "the share of the top k that is relevant (§1.1; the denominator is k even for shorter lists).",
	"recall":    "the share of the user's relevant test items that appear in the top k (§1.2).",
	"hit_rate":  "1 if the top k holds at least one relevant item, else 0 (§1.3).",
	"rr":        "one over the rank of the first relevant item in the top k, 0 if there is none (§1.4).",
	"ap":        "average precision at the ranks of the relevant items, normalised by min(relevant items, k) (§1.5).",
	"dcg":       "discounted cumulative gain, each relevant item's gain discounted by 1/log2(rank+1) (§1.6).",
	"ndcg":      "DCG divided by the DCG of an ideal list of the user's relevant items, from 0 to 1 (§1.6).",
	"rbp":       "rank-biased precision, gains weighted by a geometric patience (§1.7).",
}

// modelDefs describe the exposure models.
var modelDefs = map[string]string{
	"log":         "rank r gets exposure 1/log2(r+1), the DCG discount",
	"clipped-log": "rank r gets exposure 1/log2(max(r, 2)): ranks 1 and 2 the same",
	"geometric":   "rank r gets exposure γ^(r−1), a user who goes on to the next rank with probability γ",
	"cascade":     "rank r gets exposure γ^(r−1)(1−u)^(relevant items above r): a user who may stop after a relevant item",
	"attention":   "rank r gets exposure p(1−p)^(r−1), a share p of the attention on rank 1",
}

// modelUnit is the y-axis unit of exposure by rank.
func modelUnit(model string) string {
	if model == "log" {
		return "1/log2(rank+1)"
	}
	return model + " model"
}

// method writes section 2: data, split, systems, groups, metrics and
// statistics.
func (b *builder) method() {
	r := b.res
	b.section("Data and method")

	b.sub("Dataset")
	b.para(fmt.Sprintf("Dataset “%s”: %s users, %s items and %s interactions.", r.Dataset.Name,
		count(r.Dataset.Users), count(r.Dataset.Items), count(r.Dataset.Interactions)))
	if len(r.Dataset.Files) == 0 {
		b.para("No input files: the data were generated in the run (the generator's settings are in the metadata below), so the seed alone reproduces them.")
	} else {
		t := &table{Caption: "Input files with their size and SHA-256 digest; a re-run must find the same digests.",
			Head: []string{"Role", "Path", "Bytes", "SHA-256"}, Num: []bool{false, false, true, false}}
		for _, f := range r.Dataset.Files {
			t.Rows = append(t.Rows, []string{f.Role, f.Path, count(int(f.Bytes)), f.SHA256})
		}
		b.addTable(t)
	}
	if len(r.Dataset.Metadata) > 0 {
		t := &table{Caption: "Dataset metadata.", Head: []string{"Key", "Value"}, Num: []bool{false, false}}
		for _, kv := range r.Dataset.Metadata {
			t.Rows = append(t.Rows, []string{kv.Key, kv.Value})
		}
		b.addTable(t)
	}

	b.sub("Split")
	sp := r.Split
	b.para("The interactions are split into a training part, which the systems learn from, and a held-out test part, whose items count as relevant for the user.")
	t := &table{Caption: "Train/test split.", Head: []string{"Setting", "Value"}, Num: []bool{false, true}}
	t.Rows = append(t.Rows, []string{"kind", sp.Kind})
	if sp.Fraction != 0 {
		t.Rows = append(t.Rows, []string{"test fraction", trimFloat(sp.Fraction, 6)})
	}
	if sp.N != 0 {
		t.Rows = append(t.Rows, []string{"held-out interactions per user", count(sp.N)})
	}
	t.Rows = append(t.Rows,
		[]string{"seed", strconv.FormatUint(sp.Seed, 10)},
		[]string{"training interactions", count(sp.TrainInteractions)},
		[]string{"test interactions", count(sp.TestInteractions)},
		[]string{"users with a test part", count(sp.UsersSplit)})
	b.addTable(t)

	b.sub("Systems")
	st := &table{Caption: "Systems and their parameters. Users with a list received recommendations; the accuracy means are over the evaluated users.",
		Head: []string{"System", "Parameters", "Users with a list", "Evaluated", "No relevant test item", "No list"},
		Num:  []bool{false, false, true, true, true, true}}
	for _, s := range r.Systems {
		var ps []string
		for _, p := range s.Params {
			ps = append(ps, p.Name+"="+p.Value)
		}
		params := strings.Join(ps, ", ")
		if params == "" {
			params = "—"
		}
		u := s.Users
		st.Rows = append(st.Rows, []string{s.Name, params, count(u.WithList), count(u.Evaluated), count(u.NoRelevant), count(u.NoList)})
	}
	b.addTable(st)

	b.sub("Groups")
	b.para(fmt.Sprintf("Users are grouped by their sensitive attributes; only the scoring reads them, the systems never see them. "+
		"Groups with fewer than %s users are suppressed: they are not reported, and neither is their size. "+
		"So are further groups where needed, so that no suppressed group can be worked out by subtracting the reported groups from a total (see Limitations). "+
		"Items are grouped by their attributes for the provider side.", count(b.minSize)))
	if len(r.UserGroups) > 0 {
		gt := &table{Caption: "User groupings: reported groups with their sizes, suppressed groups, and users without a value.",
			Head: []string{"Attribute", "Reported groups (users)", "Suppressed groups", "No value"}, Num: []bool{false, false, false, true}}
		for _, ug := range r.UserGroups {
			var gs, sup []string
			for _, g := range ug.Groups {
				gs = append(gs, g.Group+" ("+count(g.Users)+")")
			}
			for _, s := range ug.Suppressed {
				sup = append(sup, s.Group)
			}
			gt.Rows = append(gt.Rows, []string{attrLabel(ug.Attribute), dash(strings.Join(gs, ", ")), dash(strings.Join(sup, ", ")), count(ug.Missing)})
		}
		b.addTable(gt)
	}
	if len(r.ItemGroups) > 0 {
		it := &table{Caption: "Item groupings. A multi-valued attribute gives an item with m values a weight of 1/m in each.",
			Head: []string{"Attribute", "Groups", "Multi-valued"}, Num: []bool{false, true, false}}
		for _, ig := range r.ItemGroups {
			multi := "no"
			if ig.Multi {
				multi = "yes"
			}
			it.Rows = append(it.Rows, []string{attrLabel(ig.Attribute), count(len(ig.Groups)), multi})
		}
		b.addTable(it)
	}

	b.metricsMethod()
	b.statisticsMethod()
}

// metricsMethod describes the metrics and their conventions.
func (b *builder) metricsMethod() {
	r := b.res
	s := r.Settings
	b.sub("Metrics and conventions")
	b.para("Definitions follow recaudit's METRICS-SPEC.md, cited by section (§). Per-user values are computed first and then averaged over users (§0.5). " +
		fmt.Sprintf("An item is relevant to a user when it is in the user's test part with a value of at least %s (θ, §0). ", trimFloat(s.RelevanceThreshold, 6)) +
		"With recaudit's default conventions (§7), users without a relevant test item are left out of the accuracy means and users without a list count as an empty list (§0.3, §0.4); the Systems table gives both counts.")
	var accs []para
	for _, m := range s.Measures {
		if d, ok := measureDefs[m]; ok {
			accs = append(accs, para{Lead: audit.MetricLabel(m) + ":", Text: d})
		}
	}
	if len(accs) > 0 {
		b.lead("Accuracy", "(higher is better):")
		b.list(accs)
	}
	b.lead("Beyond accuracy", "(over the users with a list):")
	b.list([]para{
		{Lead: "Coverage:", Text: "the share of the catalogue recommended to anyone (§2.1)."},
		{Lead: "Gini and exposure Gini:", Text: "how unequally recommendations, or position-weighted exposure, are spread over all catalogue items, zeros included: 0 when every item gets the same, close to 1 when a few items get everything (§2.2)."},
		{Lead: "Personalisation:", Text: "one minus the mean overlap between two users' lists (§2.6)."},
		{Lead: "Novelty:", Text: "mean self-information −log2(share of training users who chose the item) of the recommended items (§2.4)."},
		{Lead: "ARP:", Text: "average popularity (distinct training users) of the recommended items (§2.7)."},
		{Lead: "APLT:", Text: fmt.Sprintf("share of each list from the long tail, the items outside the most popular ones that make up %s of training interactions (§2.8).", trimFloat(100*s.HeadShare, 2)+"%")},
		{Lead: "Popularity lift:", Text: "how much more popular the recommended items are than the user's own history, (ARP(list) − ARP(history)) / ARP(history); 0 mirrors the history (§2.9)."},
	})
	b.lead("Calibration", "(lower is better):")
	b.list([]para{{Lead: "Miscalibration C_KL:", Text: fmt.Sprintf("the Kullback–Leibler divergence, in nats, of the category mix of a list from the category mix of the user's history, the list's mix smoothed with α = %s of the history's (§3.4, Steck 2018); 0 means the list mirrors the user's interests.", trimFloat(s.CalibrationAlpha, 6))}})
	model := s.ExposureModel
	md, ok := modelDefs[model]
	if !ok {
		md = "the " + model + " browsing model"
	}
	b.lead("Provider side:", fmt.Sprintf("the exposure of an item is summed over all lists: %s (§4.1). "+
		"A group of items gets a share of the total exposure, compared with two targets: its share of the catalogue (equal exposure per item) "+
		"and its share of the relevant test interactions (exposure in proportion to merit, §4.2, Singh & Joachims 2018). "+
		"The L1 distance sums the absolute differences between the shares and a target over the groups: 0 is on target, 2 the most.", md))
	b.lead("Targeting:", "for an item flag such as high-cost credit, each user's share of flagged items in the top k, whether the top k holds any (share of users shown one), "+
		"and the position-weighted share (ranks weighted 1/log2(rank+1)); their group means are compared by the ratio of the most to the least targeted group.")
	b.lead("Disparities between user groups", "(§3.2): the gap between the highest and the lowest group mean (max − min, 0 is fair) and their ratio (min/max, 1 is fair). "+
		"The group means are user-weighted; the overall value of a comparison is the mean over the grouped users (§3.1).")
}

// statisticsMethod describes the statistics.
func (b *builder) statisticsMethod() {
	r := b.res
	s := r.Settings
	b.sub("Statistics")
	var as *fairness.AnalysisSettings
	for _, sys := range r.Systems {
		if sys.Consumer != nil {
			as = &sys.Consumer.Settings
			break
		}
	}
	strat := "stratified by group: each group's users are resampled within the group, so group sizes stay fixed"
	if as != nil && !as.Stratified {
		strat = "unstratified: all grouped users are resampled together"
	}
	exact := ""
	if as != nil && as.MaxExact > 0 {
		exact = fmt.Sprintf("; tests with at most %s distinct relabelings enumerate them all (exact)", count(as.MaxExact))
	}
	minUsers := b.minSize
	if as != nil && as.MinUsers > 0 {
		minUsers = as.MinUsers
	}
	ps := []para{
		{Lead: "Confidence intervals:", Text: fmt.Sprintf("%s bootstrap percentile intervals from %s resamples of the users (§6.1), %s.", b.levelPct(), count(s.BootstrapResamples), strat)},
		{Lead: "Intervals of gaps:", Text: "resampling noise can only widen the gap between the best and the worst served group (max − min), so when the groups are nearly equal its percentile interval lies above the estimate and may even exclude it; whether there is a gap at all is what the permutation test answers, not whether the interval reaches 0."},
		{Lead: "Tests between user groups:", Text: "permutation tests of each disparity, the group labels shuffled among the users (§6.2)" + exact + "; and the Kruskal–Wallis rank test of equal distributions (§3.3)."},
		{Lead: "Tests of exposure shares:", Text: "two-sided bootstrap tests of “share equals target”, users resampled."},
		{Lead: "Multiple testing:", Text: fmt.Sprintf("Benjamini–Hochberg q-values over all %s of the audit (§6.3); a result is significant when q < %s, a false discovery rate of %s.", plural(r.Tests.Count, "test", "tests"), trimFloat(b.q, 4), b.qPct())},
		{Lead: "Small groups:", Text: fmt.Sprintf("groups with fewer than %s users are suppressed; in a single comparison, a group with fewer than %s users with a value is withheld, and its number of users with a value is not shown. "+
			"Both come with complementary suppression: further groups are suppressed or withheld so that none of these can be worked out by subtraction.", count(b.minSize), count(minUsers))},
		{Lead: "Seed:", Text: strconv.FormatUint(r.Seed, 10) + " seeds every random stream (split, resamples, relabelings); the same inputs and seed give the same numbers."},
	}
	if as != nil && len(as.Aggregators) > 0 {
		var ag []string
		for _, a := range as.Aggregators {
			ag = append(ag, aggLabel(a))
		}
		ps = append(ps, para{Lead: "Disparities estimated:", Text: joinAnd(ag) + "."})
	}
	b.list(ps)
}

// aggLabel names a disparity aggregator.
func aggLabel(a string) string {
	switch a {
	case fairness.MaxMinDiff.String():
		return "gap (max − min)"
	case fairness.MinMaxRatio.String():
		return "ratio (min/max)"
	}
	return a
}

func dash(s string) string {
	if s == "" {
		return "—"
	}
	return s
}
