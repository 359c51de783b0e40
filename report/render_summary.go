package report

import (
	"cmp"
	"fmt"
	"math"
	"slices"
	"strings"

	"github.com/recaudit/recaudit/audit"
	"github.com/recaudit/recaudit/fairness"
)

// Finding kinds, as audit.Finding.Kind.
var findingKinds = []struct{ kind, title string }{
	{"consumer", "Differences between user groups"},
	{"provider", "Exposure of item groups"},
	{"targeting", "Targeting of flagged items"},
}

// systemNames returns the names of the systems in result order.
func (b *builder) systemNames() []string {
	var names []string
	for _, s := range b.res.Systems {
		names = append(names, s.Name)
	}
	return names
}

// findingCounts returns, per system, the number of findings of each kind.
func (b *builder) findingCounts() map[string]map[string]int {
	out := map[string]map[string]int{}
	for _, s := range b.res.Systems {
		out[s.Name] = map[string]int{}
	}
	for _, f := range b.res.Findings {
		if out[f.System] != nil {
			out[f.System][f.Kind]++
		}
	}
	return out
}

// primaryName is the name of the primary accuracy metric at the primary
// cutoff, e.g. "ndcg@10".
func (b *builder) primaryName() string { return metricCol(b.primary, b.k0) }

// accuracy returns a system's primary accuracy metric.
func (b *builder) accuracy(s *audit.SystemResult) (audit.MetricValue, bool) {
	m, ok := metricValue(s, b.primaryName())
	return m, ok && !isNaN(m.Value)
}

// effect returns the size of a finding for ranking findings of one kind:
// the relative gap (max − min)/max of a consumer comparison, the shortfall
// of a provider share in points, the log of a targeting ratio; NaN when
// the finding cannot be matched.
func (b *builder) effect(f audit.Finding) float64 {
	var s *audit.SystemResult
	for _, x := range b.res.Systems {
		if x.Name == f.System {
			s = x
		}
	}
	if s == nil {
		return math.NaN()
	}
	switch f.Kind {
	case "consumer":
		c := comparisonOf(s, f.Metric, f.Attribute)
		if c == nil {
			return math.NaN()
		}
		var hi, lo float64 = math.NaN(), math.NaN()
		for _, g := range c.Groups {
			switch g.Group {
			case c.Highest:
				hi = f64(g.Value)
			case c.Lowest:
				lo = f64(g.Value)
			}
		}
		return math.Abs(hi-lo) / math.Max(math.Abs(hi), math.Abs(lo))
	case "provider":
		ea := b.exposureAnalysis(s, f.Attribute, f.Cutoff)
		if ea == nil || len(f.Groups) == 0 {
			return math.NaN()
		}
		for _, g := range ea.Groups {
			if g.Group == f.Groups[0] {
				if strings.HasSuffix(f.Metric, "merit") {
					return -f64(g.VsMerit.Difference.Value)
				}
				return -f64(g.VsCatalogue.Difference.Value)
			}
		}
	case "targeting":
		for _, t := range s.Targeting {
			if t.Metric == f.Metric && t.Attribute == f.Attribute {
				return math.Log(f64(t.Ratio.Value))
			}
		}
	default:
		return probeEffect(s, f)
	}
	return math.NaN()
}

// summary writes section 1: what was audited, the scorecard, the fairest
// system and its accuracy cost, and the largest significant findings.
func (b *builder) summary() {
	r := b.res
	b.section("Summary of findings")
	names := b.systemNames()
	var cut []string
	for _, k := range r.Settings.Cutoffs {
		cut = append(cut, "top "+count(k))
	}
	var attrs, items, flags []string
	for _, ug := range r.UserGroups {
		attrs = append(attrs, attrLabel(ug.Attribute))
	}
	for _, ig := range r.ItemGroups {
		items = append(items, attrLabel(ig.Attribute))
	}
	seen := map[string]bool{}
	for _, s := range r.Systems {
		for _, t := range s.Targeting {
			if !seen[t.Flag] {
				seen[t.Flag] = true
				flags = append(flags, t.Flag)
			}
		}
	}
	text := fmt.Sprintf("This report audits %s (%s) on the dataset “%s”: %s users, %s items and %s interactions. "+
		"It compares the recommendation lists (%s)",
		plural(len(names), "recommender system", "recommender systems"), joinAnd(names), r.Dataset.Name,
		count(r.Dataset.Users), count(r.Dataset.Items), count(r.Dataset.Interactions), joinAnd(cut))
	if len(attrs) > 0 {
		text += " that different groups of users receive, by " + joinAnd(attrs)
	}
	if len(items) > 0 {
		text += "; the exposure they give to groups of items, by " + joinAnd(items)
	}
	if len(flags) > 0 {
		text += "; and how often they show " + joinAnd(flags) + " items to each user group"
	}
	b.para(text + ".")
	b.probesSummary()
	b.para(fmt.Sprintf("Every difference comes with a %s confidence interval and a test. Of %s with a p-value, %s significant "+
		"at a false discovery rate of %s (Benjamini–Hochberg q < %s). Significant means unlikely to be chance; "+
		"the size of a difference, with its interval, says whether it matters.",
		b.levelPct(), plural(r.Tests.Count, "test", "tests"), isAre(r.Tests.Significant), b.qPct(), trimFloat(b.q, 4)))

	counts := b.findingCounts()
	b.scorecard(counts)
	b.fairest(counts)
	b.keyFindings()
	b.summaryTradeOff()
}

func isAre(n int) string {
	if n == 1 {
		return "1 is"
	}
	return count(n) + " are"
}

// scorecard adds the table of accuracy and finding counts per system.
func (b *builder) scorecard(counts map[string]map[string]int) {
	r := b.res
	t := &table{
		Caption: fmt.Sprintf("Systems at a glance: accuracy (%s interval), significant findings by kind (all cutoffs), and concentration of item exposure.", b.levelPct()),
		Head:    []string{"System", audit.MetricLabel(b.primaryName()), "User-group findings", "Item-group findings", "Targeting findings", "Exposure Gini@" + count(b.k0)},
		Num:     []bool{false, true, true, true, true, true},
	}
	for _, s := range r.Systems {
		acc := "n/a"
		if m, ok := metricValue(s, b.primaryName()); ok {
			acc = withCI(f64(m.Value), m.CI, fnum)
		}
		gini := "n/a"
		if m, ok := metricValue(s, metricCol("exposure_gini", b.k0)); ok {
			gini = fnum(f64(m.Value))
		}
		c := counts[s.Name]
		t.Rows = append(t.Rows, []string{s.Name, acc, count(c["consumer"]), count(c["provider"]), count(c["targeting"]), gini})
	}
	b.privacyColumn(t, counts)
	b.addTable(t)
}

// fairest states which system has the fewest significant findings and
// what that costs in accuracy against the most accurate system.
func (b *builder) fairest(counts map[string]map[string]int) {
	r := b.res
	if len(r.Systems) == 0 {
		return
	}
	total := func(s *audit.SystemResult) int {
		n := 0
		for _, k := range findingKinds {
			n += counts[s.Name][k.kind]
		}
		return n
	}
	acc := func(s *audit.SystemResult) float64 {
		if m, ok := b.accuracy(s); ok {
			return f64(m.Value)
		}
		return math.Inf(-1)
	}
	// The fairest: fewest findings, ties to the more accurate, then result
	// order (SortStableFunc keeps it).
	order := slices.Clone(r.Systems)
	slices.SortStableFunc(order, func(x, y *audit.SystemResult) int {
		if c := cmp.Compare(total(x), total(y)); c != 0 {
			return c
		}
		return cmp.Compare(acc(y), acc(x))
	})
	fair := order[0]
	best := r.Systems[0]
	for _, s := range r.Systems[1:] {
		if acc(s) > acc(best) {
			best = s
		}
	}
	label := audit.MetricLabel(b.primaryName())
	if len(r.Systems) == 1 {
		b.lead("One system.", fmt.Sprintf("Only %s was audited, with %s; the report describes its disparities rather than comparing systems.",
			fair.Name, plural(total(fair), "significant finding", "significant findings")))
		return
	}
	var tied []string
	var others []int
	for _, s := range order {
		if total(s) == total(fair) {
			tied = append(tied, s.Name)
		} else {
			others = append(others, total(s))
		}
	}
	against := ""
	if len(others) > 0 {
		lo, hi := slices.Min(others), slices.Max(others)
		against = ", against " + count(lo)
		if hi != lo {
			against += " to " + count(hi)
		}
		against += " for the others"
	}
	var text string
	if len(tied) == 1 {
		text = fmt.Sprintf("By the number of significant findings, %s is the fairest of the systems compared: %s%s.",
			fair.Name, plural(total(fair), "finding", "findings"), against)
	} else {
		// A tie: the fairest is the most accurate of the tied systems.
		text = fmt.Sprintf("By the number of significant findings, %s tie as the fairest of the systems compared, with %s each%s; "+
			"of them, %s is the most accurate.", joinAnd(tied), plural(total(fair), "finding", "findings"), against, fair.Name)
	}
	fm, fok := b.accuracy(fair)
	bm, bok := b.accuracy(best)
	switch {
	case !fok || !bok:
		text += " Its accuracy cannot be compared (" + label + " is undefined)."
	case fair == best:
		text += fmt.Sprintf(" It is also the most accurate: %s %s.", label, withCI(f64(fm.Value), fm.CI, fnum))
	default:
		cost := f64(bm.Value) - f64(fm.Value)
		rel := cost / f64(bm.Value)
		text += fmt.Sprintf(" Its %s is %s, %s lower (%s) than that of the most accurate system, %s (%s).",
			label, withCI(f64(fm.Value), fm.CI, fnum), fnum(cost), fpct(rel), best.Name, withCI(f64(bm.Value), bm.CI, fnum))
	}
	// When the fairest system gives up much accuracy, also name the
	// fairest of the systems close to the best.
	const near = 0.9
	if fok && bok && fair != best && f64(fm.Value) < near*f64(bm.Value) {
		var close *audit.SystemResult
		for _, s := range order {
			if m, ok := b.accuracy(s); ok && f64(m.Value) >= near*f64(bm.Value) {
				close = s
				break
			}
		}
		if close != nil {
			cm, _ := b.accuracy(close)
			text += fmt.Sprintf(" Among the systems within %s of the best %s, the fairest is %s: %s, with %s %s",
				trimFloat(100*(1-near), 2)+"%", label, close.Name, plural(total(close), "finding", "findings"), label, withCI(f64(cm.Value), cm.CI, fnum))
			if close == best {
				text += ", the best."
			} else {
				text += fmt.Sprintf(", %s lower than the best.", fnum(f64(bm.Value)-f64(cm.Value)))
			}
		}
	}
	b.lead("Fairest system.", text)
	b.para("The count is a summary, not a verdict: a system can have few findings because it serves every group equally poorly, " +
		"and findings differ in size and in how much they matter. The sections below give every value with its interval.")
}

// keyFindings lists, for each kind, the largest significant findings at
// the primary cutoff (all cutoffs if there are none there).
func (b *builder) keyFindings() {
	const top = 3
	r := b.res
	if len(r.Findings) == 0 {
		b.lead("No significant disparities.", fmt.Sprintf("None of the %s is significant at q < %s. "+
			"This does not show that the systems are fair: small groups give wide intervals and tests with little power (see Limitations).",
			plural(r.Tests.Count, "test", "tests"), trimFloat(b.q, 4)))
		return
	}
	var blocks []block
	for _, k := range slices.Concat(findingKinds, privacyKinds) {
		type ranked struct {
			f      audit.Finding
			effect float64
			index  int
		}
		var all, atK []ranked
		for i, f := range r.Findings {
			if f.Kind != k.kind {
				continue
			}
			rf := ranked{f, b.effect(f), i}
			all = append(all, rf)
			if f.Cutoff == b.k0 {
				atK = append(atK, rf)
			}
		}
		if len(all) == 0 {
			continue
		}
		pick := atK
		if len(pick) == 0 {
			pick = all
		}
		slices.SortStableFunc(pick, func(x, y ranked) int {
			ex, ey := x.effect, y.effect
			if math.IsNaN(ex) {
				ex = math.Inf(-1)
			}
			if math.IsNaN(ey) {
				ey = math.Inf(-1)
			}
			if c := cmp.Compare(ey, ex); c != 0 {
				return c
			}
			return cmp.Compare(x.index, y.index)
		})
		var systems []string
		sysSeen := map[string]bool{}
		for _, rf := range all {
			if !sysSeen[rf.f.System] {
				sysSeen[rf.f.System] = true
				systems = append(systems, rf.f.System)
			}
		}
		text := fmt.Sprintf("%s in %s (%s).", plural(len(all), "significant finding", "significant findings"),
			plural(len(systems), "system", "systems"), joinAnd(systems))
		if len(pick) > top {
			text += " The largest:"
		}
		var ps []para
		for _, rf := range pick[:min(top, len(pick))] {
			ps = append(ps, para{Lead: rf.f.System + ":", Text: rf.f.Text})
		}
		blocks = append(blocks, block{Para: &para{Lead: k.title + ".", Text: text}}, block{List: ps})
	}
	b.sub("Key findings")
	b.para(fmt.Sprintf("The largest significant findings of each kind at the top %s; Appendix A lists all %s.", count(b.k0), count(len(r.Findings))))
	for _, bl := range blocks {
		b.add(bl)
	}
}

// summaryTradeOff adds the accuracy–disparity chart for the user grouping
// with the largest gap in the primary metric.
func (b *builder) summaryTradeOff() {
	if len(b.res.Systems) < 2 {
		return
	}
	bestAttr, bestGap := "", math.Inf(-1)
	for _, ug := range b.res.UserGroups {
		for _, s := range b.res.Systems {
			c := comparisonOf(s, b.primaryName(), ug.Attribute)
			if c == nil {
				continue
			}
			if d := disparityOf(c, fairness.MaxMinDiff.String()); d != nil && f64(d.Estimate) > bestGap {
				bestAttr, bestGap = ug.Attribute, f64(d.Estimate)
			}
		}
	}
	if bestAttr == "" {
		return
	}
	b.sub("Accuracy against fairness")
	b.para(fmt.Sprintf("Each system's %s against its largest gap in %s between %s groups, the grouping with the widest gap. "+
		"Better systems sit to the right (more accurate) and low (smaller gap); the section on user groups has the chart for every grouping.",
		audit.MetricLabel(b.primaryName()), audit.MetricLabel(b.primaryName()), attrLabel(bestAttr)))
	before := len(b.doc.Figures)
	b.summaryAttr = bestAttr
	b.tradeOff(bestAttr)
	if len(b.doc.Figures) > before {
		b.summaryFig = len(b.doc.Figures)
	} else {
		b.summaryAttr = ""
	}
}

// tradeOff adds the accuracy–disparity chart for one user grouping.
func (b *builder) tradeOff(attr string) {
	label := audit.MetricLabel(b.primaryName())
	t := TradeOff{
		Title:     "Accuracy against the " + label + " gap by " + attrLabel(attr),
		Accuracy:  label,
		Disparity: label + " gap (max − min)",
		Level:     b.level,
	}
	var left []string
	for _, s := range b.res.Systems {
		m, ok := b.accuracy(s)
		c := comparisonOf(s, b.primaryName(), attr)
		var d *fairness.DisparityResult
		if c != nil {
			d = disparityOf(c, fairness.MaxMinDiff.String())
		}
		if !ok || d == nil || isNaN(d.Estimate) {
			left = append(left, s.Name)
			continue
		}
		t.Systems = append(t.Systems, SystemPoint{System: s.Name,
			Accuracy: f64(m.Value), AccuracyLo: f64(m.CI[0]), AccuracyHi: f64(m.CI[1]),
			Disparity: f64(d.Estimate), DisparityLo: f64(d.CI[0]), DisparityHi: f64(d.CI[1])})
	}
	caption := fmt.Sprintf("%s (x) against the gap between the %s groups with the highest and lowest %s (y), with %s confidence intervals.",
		label, attrLabel(attr), label, b.levelPct())
	if len(left) > 0 {
		caption += " Not shown (undefined values): " + joinAnd(left) + "."
	}
	p, err := TradeOffChart(t)
	b.figure("tradeoff-"+attr, p, err, caption)
}
