package report

import (
	"fmt"
	"math"
	"slices"
	"strings"

	"gonum.org/v1/plot"

	"github.com/recaudit/recaudit/audit"
	"github.com/recaudit/recaudit/fairness"
)

// maxChartGroups is the largest number of item groups drawn in an
// exposure chart; groupings with more get tables only.
const maxChartGroups = 12

// sigLegend explains the filled markers of the group charts.
func (b *builder) sigLegend() string { return "BH q < " + trimFloat(b.q, 4) }

// maxSizedGroups is the largest number of groups whose sizes are written
// under the group names of a chart; with more, the names alone fit (the
// sizes are in the tables).
const maxSizedGroups = 8

// dropSizes hides the group sizes of a chart with many groups.
func dropSizes(gm *GroupMetric) {
	for si := range gm.Systems {
		if len(gm.Systems[si].Groups) > maxSizedGroups {
			for gi := range gm.Systems[si].Groups {
				gm.Systems[si].Groups[gi].N = 0
			}
		}
	}
}

// groupBlock adds the chart and the tables of one per-user metric by one
// user grouping, for every system that analysed it; it reports whether
// there was anything to show.
func (b *builder) groupBlock(metric, attr, unit string, chart func(GroupMetric) (*plot.Plot, error), percent bool) bool {
	label := audit.MetricLabel(metric)
	format := fnum
	if percent {
		format = fpct
	}
	gm := GroupMetric{Metric: label, Unit: unit, Attribute: attrLabel(attr), Level: b.level,
		Significance: b.sigLegend(), MinGroupSize: b.minSize}
	var systems []*audit.SystemResult
	var comps []*fairness.Comparison
	for _, s := range b.res.Systems {
		c := comparisonOf(s, metric, attr)
		if c == nil {
			continue
		}
		systems, comps = append(systems, s), append(comps, c)
		sg := SystemGroups{System: s.Name, Overall: f64(c.Overall.Value)}
		sig := b.comparisonSignificant(c)
		for _, ge := range c.Groups {
			sg.Groups = append(sg.Groups, GroupEstimate{Group: ge.Group, Value: f64(ge.Value), Lo: f64(ge.CI[0]), Hi: f64(ge.CI[1]),
				N: ge.N, Significant: sig && (ge.Group == c.Highest || ge.Group == c.Lowest), Suppressed: ge.Withheld})
		}
		if ug := b.userGroups(attr); ug != nil {
			for _, sup := range ug.Suppressed {
				sg.Groups = append(sg.Groups, GroupEstimate{Group: sup.Group, Suppressed: true})
			}
		}
		gm.Systems = append(gm.Systems, sg)
	}
	if len(systems) == 0 {
		return false
	}
	dropSizes(&gm)
	p, err := chart(gm)
	b.figure(metric+"-"+attr, p, err, fmt.Sprintf("%s by %s: group means with %s confidence intervals; dashed lines are each system's overall mean. "+
		"Filled markers are the highest and lowest groups of a significant gap.", label, attrLabel(attr), b.levelPct()))

	// Group values.
	t := &table{Caption: fmt.Sprintf("%s by %s: group means [%s interval].", label, attrLabel(attr), b.levelPct()),
		Head: []string{capitalize(attrLabel(attr)), "Users"}, Num: []bool{false, true}}
	for _, s := range systems {
		t.Head, t.Num = append(t.Head, s.Name), append(t.Num, true)
	}
	for gi, ge := range comps[0].Groups {
		users := "—"
		if n, ok := b.groupUsers(attr, ge.Group); ok {
			users = count(n)
		}
		row := []string{ge.Group, users}
		for _, c := range comps {
			cell := "—"
			if gi < len(c.Groups) && c.Groups[gi].Group == ge.Group {
				g := c.Groups[gi]
				switch {
				case g.Withheld:
					cell = "withheld"
				default:
					cell = withCI(f64(g.Value), g.CI, format)
				}
			}
			row = append(row, cell)
		}
		t.Rows = append(t.Rows, row)
	}
	if ug := b.userGroups(attr); ug != nil {
		for _, sup := range ug.Suppressed {
			row := []string{sup.Group, "—"}
			for range comps {
				row = append(row, "suppressed")
			}
			t.Rows = append(t.Rows, row)
		}
	}
	b.addTable(t)

	// Disparities.
	dt := &table{Caption: fmt.Sprintf("Disparities of %s between %s groups: estimate [%s interval] and q-value.", label, attrLabel(attr), b.levelPct()),
		Head: []string{"System", "Lowest", "Highest"}, Num: []bool{false, false, false}}
	var aggs []string
	for _, d := range comps[0].Disparities {
		aggs = append(aggs, d.Aggregator)
		dt.Head, dt.Num = append(dt.Head, aggLabel(d.Aggregator), "q"), append(dt.Num, true, true)
	}
	dt.Head, dt.Num = append(dt.Head, "Kruskal–Wallis q", "Significant"), append(dt.Num, true, false)
	for i, s := range systems {
		c := comps[i]
		row := []string{s.Name, dash(c.Lowest), dash(c.Highest)}
		for _, a := range aggs {
			d := disparityOf(c, a)
			if d == nil {
				row = append(row, "—", "—")
				continue
			}
			f := format
			if a == fairness.MinMaxRatio.String() || strings.Contains(a, "ratio") {
				f = fratio
			}
			row = append(row, withCI(f64(d.Estimate), d.CI, f), fq(f64(d.Test.Q)))
		}
		row = append(row, fq(f64(c.KruskalWallis.Q)), yesNo(b.comparisonSignificant(c)))
		dt.Rows = append(dt.Rows, row)
	}
	b.addTable(dt)
	return true
}

func yesNo(v bool) string {
	if v {
		return "yes"
	}
	return "no"
}

// consumer writes the section on user groups: accuracy by group.
func (b *builder) consumer() {
	r := b.res
	b.section("User groups: quality of recommendations")
	b.para(fmt.Sprintf("Do some groups of users get worse recommendations? For each grouping, the mean of each accuracy metric in each group at the top %s, "+
		"the gap between the best and the worst served group, their ratio, and tests of whether the differences could be chance. "+
		"Other cutoffs are in results.json; their significant disparities are in Appendix A.", count(b.k0)))
	if len(r.UserGroups) == 0 {
		b.note("No user groupings: the dataset has no sensitive attributes and none were named, so no group comparison was made.")
		return
	}
	if len(r.Systems) > 1 {
		b.sub("Accuracy against fairness")
		text := fmt.Sprintf("For each grouping, each system's %s against its gap between the best and the worst served group.", audit.MetricLabel(b.primaryName()))
		if b.summaryAttr != "" {
			text += fmt.Sprintf(" The chart for %s is Figure %d in the summary.", attrLabel(b.summaryAttr), b.summaryFig)
		}
		b.para(text)
		for _, ug := range r.UserGroups {
			if ug.Attribute != b.summaryAttr {
				b.tradeOff(ug.Attribute)
			}
		}
	}
	for _, ug := range r.UserGroups {
		b.sub("By " + attrLabel(ug.Attribute))
		any := false
		for _, m := range r.Settings.GroupMeasures {
			any = b.groupBlock(metricCol(m, b.k0), ug.Attribute, "", GroupChart, false) || any
		}
		if !any {
			b.note("No accuracy metric was analysed by " + attrLabel(ug.Attribute) + ".")
		}
	}
}

// calibration writes the calibration section.
func (b *builder) calibration() {
	r := b.res
	b.section("Calibration")
	metric := metricCol(audit.ColCalibration, b.k0)
	has := false
	for _, s := range r.Systems {
		if _, ok := metricValue(s, metric); ok {
			has = true
		}
	}
	if !has {
		b.note("The items have no categories, so calibration was not measured.")
		return
	}
	b.para("Do the lists reflect the mix of interests in each user's history? Miscalibration C_KL is 0 when a list has the same category mix as the user's history and grows as they part (lower is better). " +
		"A group with higher miscalibration gets lists that fit its interests less well.")
	t := &table{Caption: fmt.Sprintf("Mean miscalibration C_KL (nats) [%s interval], all users with a list.", b.levelPct()),
		Head: []string{"System"}, Num: []bool{false}}
	for _, k := range r.Settings.Cutoffs {
		t.Head, t.Num = append(t.Head, audit.MetricLabel(metricCol(audit.ColCalibration, k))), append(t.Num, true)
	}
	for _, s := range r.Systems {
		row := []string{s.Name}
		for _, k := range r.Settings.Cutoffs {
			cell := "n/a"
			if m, ok := metricValue(s, metricCol(audit.ColCalibration, k)); ok {
				cell = withCI(f64(m.Value), m.CI, fnum)
			}
			row = append(row, cell)
		}
		t.Rows = append(t.Rows, row)
	}
	b.addTable(t)
	for _, ug := range r.UserGroups {
		b.sub("Calibration by " + attrLabel(ug.Attribute))
		if !b.groupBlock(metric, ug.Attribute, "nats", CalibrationChart, false) {
			b.note("Calibration was not analysed by " + attrLabel(ug.Attribute) + ".")
		}
	}
}

// targetingMeasures are the targeting measures in report order, with
// their chart labels.
var targetingMeasures = []struct{ measure, quantity string }{
	{audit.TargetShown, "users shown %s items in the top %d"},
	{audit.TargetShare, "share of %s items in the top %d"},
	{audit.TargetExposure, "position-weighted share of %s items in the top %d"},
}

// targeting writes the section on flagged items.
func (b *builder) targeting() {
	r := b.res
	b.section("Targeting of flagged items")
	var flags []string
	for _, s := range r.Systems {
		for _, t := range s.Targeting {
			if !slices.Contains(flags, t.Flag) {
				flags = append(flags, t.Flag)
			}
		}
	}
	if len(flags) == 0 {
		b.note("No item flag was audited: the items have no flag column (for example high-cost credit offers) and none was named.")
		return
	}
	b.para(fmt.Sprintf("Are some groups of users shown flagged items (%s) more than others? Three rates per group at the top %s: the share of users shown at least one flagged item, "+
		"the share of the list that is flagged, and the same share with ranks weighted by attention. Groups are compared by the ratio of the most to the least targeted group (1 is equal).",
		joinAnd(flags), count(b.k0)))
	for _, flag := range flags {
		for _, ug := range r.UserGroups {
			b.sub(flag + " by " + attrLabel(ug.Attribute))
			for _, tm := range targetingMeasures {
				b.targetingBlock(flag, tm.measure, fmt.Sprintf(tm.quantity, flag, b.k0), ug.Attribute)
			}
		}
	}
}

// targetingBlock adds the chart and tables of one targeting measure by
// one user grouping.
func (b *builder) targetingBlock(flag, measure, quantity, attr string) {
	gm := GroupMetric{Metric: quantity, Attribute: attrLabel(attr), Level: b.level, Significance: b.sigLegend(), MinGroupSize: b.minSize}
	var systems []*audit.SystemResult
	var trs []audit.TargetingResult
	for _, s := range b.res.Systems {
		for _, tr := range s.Targeting {
			if tr.Flag != flag || tr.Measure != measure || tr.Attribute != attr || tr.Cutoff != b.k0 {
				continue
			}
			systems, trs = append(systems, s), append(trs, tr)
			c := comparisonOf(s, tr.Metric, attr)
			sg := SystemGroups{System: s.Name, Overall: math.NaN()}
			if c != nil {
				sg.Overall = f64(c.Overall.Value)
			}
			sig := b.sig(tr.Q)
			for _, g := range tr.Rates {
				withheld := false
				if c != nil {
					for _, ge := range c.Groups {
						if ge.Group == g.Group {
							withheld = ge.Withheld
						}
					}
				}
				sg.Groups = append(sg.Groups, GroupEstimate{Group: g.Group, Value: f64(g.Rate), Lo: f64(g.CI[0]), Hi: f64(g.CI[1]), N: g.N,
					Significant: sig && (g.Group == tr.Most || g.Group == tr.Least), Suppressed: withheld})
			}
			if ug := b.userGroups(attr); ug != nil {
				for _, sup := range ug.Suppressed {
					sg.Groups = append(sg.Groups, GroupEstimate{Group: sup.Group, Suppressed: true})
				}
			}
			gm.Systems = append(gm.Systems, sg)
		}
	}
	if len(systems) == 0 {
		return
	}
	dropSizes(&gm)
	p, err := TargetingChart(gm)
	b.figure("targeting-"+flag+"-"+measure+"-"+attr, p, err, fmt.Sprintf("%s, by %s, with %s confidence intervals; dashed lines are each system's overall rate. "+
		"Filled markers are the most and least targeted groups of a significant ratio.", capitalize(quantity), attrLabel(attr), b.levelPct()))

	t := &table{Caption: fmt.Sprintf("%s by %s [%s interval].", capitalize(quantity), attrLabel(attr), b.levelPct()),
		Head: []string{capitalize(attrLabel(attr)), "Users"}, Num: []bool{false, true}}
	for _, s := range systems {
		t.Head, t.Num = append(t.Head, s.Name), append(t.Num, true)
	}
	for gi, g := range trs[0].Rates {
		users := "—"
		if n, ok := b.groupUsers(attr, g.Group); ok {
			users = count(n)
		}
		row := []string{g.Group, users}
		for _, tr := range trs {
			cell := "—"
			if gi < len(tr.Rates) && tr.Rates[gi].Group == g.Group {
				cell = withCI(f64(tr.Rates[gi].Rate), tr.Rates[gi].CI, fpct)
				if isNaN(tr.Rates[gi].Rate) {
					cell = "withheld"
				}
			}
			row = append(row, cell)
		}
		t.Rows = append(t.Rows, row)
	}
	if ug := b.userGroups(attr); ug != nil {
		for _, sup := range ug.Suppressed {
			row := []string{sup.Group, "—"}
			for range trs {
				row = append(row, "suppressed")
			}
			t.Rows = append(t.Rows, row)
		}
	}
	b.addTable(t)

	rt := &table{Caption: fmt.Sprintf("Most against least targeted %s group: ratio of their rates [%s interval], p- and q-value of the permutation test.", attrLabel(attr), b.levelPct()),
		Head: []string{"System", "Most targeted", "Least targeted", "Ratio (max/min)", "p", "q", "Significant"},
		Num:  []bool{false, false, false, true, true, true, false}}
	for i, s := range systems {
		tr := trs[i]
		rt.Rows = append(rt.Rows, []string{s.Name, dash(tr.Most), dash(tr.Least), withCI(f64(tr.Ratio.Value), tr.Ratio.CI, fratio),
			fq(f64(tr.P)), fq(f64(tr.Q)), yesNo(b.sig(tr.Q))})
	}
	b.addTable(rt)
}

// provider writes the section on item groups.
func (b *builder) provider() {
	r := b.res
	b.section("Item groups: exposure")
	if len(r.ItemGroups) == 0 {
		b.note("No item groupings: the items have no provider or group column and none was named, so exposure by item group was not measured.")
		return
	}
	b.para(fmt.Sprintf("Which groups of items do the systems show? Each group's share of the total exposure in the top %s, "+
		"against its share of the catalogue (every item exposed equally) and its share of the relevant test interactions (exposure earned by merit). "+
		"Shares below a target mean the group is under-exposed.", count(b.k0)))
	for _, ig := range r.ItemGroups {
		b.sub("By " + attrLabel(ig.Attribute))
		b.providerBlock(ig)
	}
}

// providerBlock adds the charts and tables of one item grouping.
func (b *builder) providerBlock(ig audit.ItemGroupsInfo) {
	var systems []*audit.SystemResult
	var eas []*audit.ExposureAnalysis
	for _, s := range b.res.Systems {
		if ea := b.exposureAnalysis(s, ig.Attribute, b.k0); ea != nil {
			systems, eas = append(systems, s), append(eas, ea)
		}
	}
	if len(systems) == 0 {
		b.note("Exposure by " + attrLabel(ig.Attribute) + " was not analysed.")
		return
	}
	attr := attrLabel(ig.Attribute)
	nG := len(eas[0].Groups)
	if !eas[0].Intervals {
		b.note(fmt.Sprintf("%s has %s groups, too many for intervals and tests: the values below are point estimates.", capitalize(attr), count(nG)))
	}
	if nG <= maxChartGroups {
		for _, target := range []string{"catalogue", "merit"} {
			es := ExposureShares{Title: "Exposure share by " + attr + " against the " + target + " share", Attribute: attr, Level: b.level,
				Significance: "BH q < " + trimFloat(b.q, 4)}
			if target == "catalogue" {
				es.Target = "share of catalogue"
			} else {
				es.Target = "share of relevant test items"
			}
			for i, s := range systems {
				ss := SystemShares{System: s.Name}
				for _, g := range eas[i].Groups {
					vs, t := g.VsCatalogue, f64(g.Catalogue)
					if target == "merit" {
						vs, t = g.VsMerit, f64(g.Merit.Value)
					}
					n := 0
					if !ig.Multi {
						n = int(math.Round(f64(g.Items)))
					}
					ss.Groups = append(ss.Groups, ShareEstimate{GroupEstimate: GroupEstimate{Group: g.Group, Value: f64(g.Share.Value),
						Lo: f64(g.Share.CI[0]), Hi: f64(g.Share.CI[1]), N: n, Significant: vs.Test != nil && b.sig(vs.Test.Q)}, Target: t})
				}
				es.Systems = append(es.Systems, ss)
			}
			p, err := ExposureChart(es)
			b.figure("exposure-"+ig.Attribute+"-"+target, p, err, fmt.Sprintf("Share of the exposure in the top %s by %s, with %s confidence intervals; the black line is the %s. "+
				"Solid bars differ significantly from it.", count(b.k0), attr, b.levelPct(), es.Target))
		}
		t := &table{Caption: fmt.Sprintf("Share of exposure in the top %s by %s [%s interval], with the two targets.", count(b.k0), attr, b.levelPct()),
			Head: []string{capitalize(attr), "Items", "Catalogue share", "Merit share"}, Num: []bool{false, true, true, true}}
		for _, s := range systems {
			t.Head, t.Num = append(t.Head, s.Name), append(t.Num, true)
		}
		for gi, g := range eas[0].Groups {
			row := []string{g.Group, trimFloat(f64(g.Items), 2), fpct(f64(g.Catalogue)), withCI(f64(g.Merit.Value), g.Merit.CI, fpct)}
			for _, ea := range eas {
				cell := "—"
				if gi < len(ea.Groups) && ea.Groups[gi].Group == g.Group {
					cell = withCI(f64(ea.Groups[gi].Share.Value), ea.Groups[gi].Share.CI, fpct)
				}
				row = append(row, cell)
			}
			t.Rows = append(t.Rows, row)
		}
		b.addTable(t)
	}

	lt := &table{Caption: fmt.Sprintf("Distance of the exposure shares by %s from the targets (L1, 0 = on target) [%s interval], and the groups significantly below each target.", attr, b.levelPct()),
		Head: []string{"System", "L1 to catalogue", "L1 to merit", "Below catalogue share", "Below merit share"},
		Num:  []bool{false, true, true, true, true}}
	if nG > maxChartGroups {
		lt.Head = append(lt.Head, "Groups with no exposure", "Most exposed group")
		lt.Num = append(lt.Num, true, false)
	}
	for i, s := range systems {
		ea := eas[i]
		belowC, belowM, none := 0, 0, 0
		top, topShare := "", math.Inf(-1)
		for _, g := range ea.Groups {
			if g.VsCatalogue.Test != nil && b.sig(g.VsCatalogue.Test.Q) && f64(g.VsCatalogue.Difference.Value) < 0 {
				belowC++
			}
			if g.VsMerit.Test != nil && b.sig(g.VsMerit.Test.Q) && f64(g.VsMerit.Difference.Value) < 0 {
				belowM++
			}
			if f64(g.Share.Value) == 0 {
				none++
			}
			if f64(g.Share.Value) > topShare {
				top, topShare = g.Group, f64(g.Share.Value)
			}
		}
		row := []string{s.Name, withCI(f64(ea.L1Catalogue.Value), ea.L1Catalogue.CI, fnum), withCI(f64(ea.L1Merit.Value), ea.L1Merit.CI, fnum)}
		if ea.Intervals {
			row = append(row, count(belowC), count(belowM))
		} else {
			row = append(row, "—", "—")
		}
		if nG > maxChartGroups {
			row = append(row, count(none)+" of "+count(nG), top+" ("+fpct(topShare)+")")
		}
		lt.Rows = append(lt.Rows, row)
	}
	b.addTable(lt)

	// Significant differences from the targets, group by group.
	st := &table{Caption: fmt.Sprintf("Significant differences from the targets by %s: share minus target in percentage points [%s interval] and q-value; other groups are within their targets.", attr, b.levelPct()),
		Head: []string{"System", capitalize(attr), "Share", "vs catalogue (points)", "q", "vs merit (points)", "q"},
		Num:  []bool{false, false, true, true, true, true, true}}
	for i, s := range systems {
		for _, g := range eas[i].Groups {
			sc := g.VsCatalogue.Test != nil && b.sig(g.VsCatalogue.Test.Q)
			sm := g.VsMerit.Test != nil && b.sig(g.VsMerit.Test.Q)
			if !sc && !sm {
				continue
			}
			qc, qm := "—", "—"
			if g.VsCatalogue.Test != nil {
				qc = fq(f64(g.VsCatalogue.Test.Q))
			}
			if g.VsMerit.Test != nil {
				qm = fq(f64(g.VsMerit.Test.Q))
			}
			st.Rows = append(st.Rows, []string{s.Name, g.Group, fpct(f64(g.Share.Value)),
				withCI(f64(g.VsCatalogue.Difference.Value), g.VsCatalogue.Difference.CI, fpoints), qc,
				withCI(f64(g.VsMerit.Difference.Value), g.VsMerit.Difference.CI, fpoints), qm})
		}
	}
	if len(st.Rows) > 0 {
		b.addTable(st)
	}
}

// popularity writes the popularity-bias section.
func (b *builder) popularity() {
	r := b.res
	b.section("Popularity bias")
	b.para("Do the systems concentrate on a few popular items? Coverage and the Gini index describe the whole catalogue; novelty, ARP and APLT the popularity of what each user is shown; " +
		"popularity lift compares it with the popularity of the user's own history.")
	b.sub("Concentration of the catalogue")
	ct := &table{Caption: "Catalogue-level metrics over the users with a list.",
		Head: []string{"System", "Cutoff", "Coverage", "Gini (counts)", "Exposure Gini", "Personalisation"},
		Num:  []bool{false, true, true, true, true, true}}
	ut := &table{Caption: fmt.Sprintf("Popularity of the recommended items: means over users [%s interval].", b.levelPct()),
		Head: []string{"System", "Cutoff", "Novelty (bits)", "ARP (users)", "APLT", "Popularity lift"},
		Num:  []bool{false, true, true, true, true, true}}
	for _, s := range r.Systems {
		for _, k := range r.Settings.Cutoffs {
			row := []string{s.Name, count(k)}
			for _, name := range []string{"coverage", "gini", "exposure_gini", "personalization"} {
				cell := "n/a"
				if m, ok := metricValue(s, metricCol(name, k)); ok {
					cell = fnum(f64(m.Value))
				}
				row = append(row, cell)
			}
			ct.Rows = append(ct.Rows, row)
			row = []string{s.Name, count(k)}
			for _, name := range []string{audit.ColNovelty, audit.ColARP, audit.ColAPLT, audit.ColPopLift} {
				cell := "n/a"
				if m, ok := metricValue(s, metricCol(name, k)); ok {
					cell = withCI(f64(m.Value), m.CI, fnum)
				}
				row = append(row, cell)
			}
			ut.Rows = append(ut.Rows, row)
		}
	}
	b.addTable(ct)
	b.lorenz()
	b.addTable(ut)
	b.rankProfiles()
	for _, ug := range r.UserGroups {
		b.sub("Popularity lift by " + attrLabel(ug.Attribute))
		if !b.groupBlock(metricCol(audit.ColPopLift, b.k0), ug.Attribute, "", GroupChart, false) {
			b.note("Popularity lift was not analysed by " + attrLabel(ug.Attribute) + ".")
		}
	}
}

// lorenz adds the Lorenz chart of item exposure at the primary cutoff.
func (b *builder) lorenz() {
	l := Lorenz{Title: fmt.Sprintf("Lorenz curve of item exposure in the top %d", b.k0)}
	var missing []string
	for _, s := range b.res.Systems {
		var lc *audit.LorenzCurve
		for i := range s.Lorenz {
			if s.Lorenz[i].Cutoff == b.k0 {
				lc = &s.Lorenz[i]
			}
		}
		if lc == nil || len(lc.ItemShare) < 2 || len(lc.ItemShare) != len(lc.ExposureShare) {
			missing = append(missing, s.Name)
			continue
		}
		ie := ItemExposure{System: s.Name, Gini: f64(lc.Gini), Curve: make([]LorenzPoint, len(lc.ItemShare))}
		for i := range lc.ItemShare {
			ie.Curve[i] = LorenzPoint{Items: f64(lc.ItemShare[i]), Exposure: f64(lc.ExposureShare[i])}
		}
		l.Systems = append(l.Systems, ie)
	}
	if len(l.Systems) == 0 {
		b.note("No Lorenz curve: the result holds no item-exposure curves (written by an older recaudit, or no item was shown).")
		return
	}
	caption := fmt.Sprintf("Items sorted from least to most exposed: the share of the exposure in the top %d that the least exposed share of the items receives. "+
		"The diagonal is perfect equality; the further below it, the more exposure goes to few items (Gini in the legend).", b.k0)
	if len(missing) > 0 {
		caption += " No curve for " + joinAnd(missing) + "."
	}
	p, err := LorenzChart(l)
	b.figure("lorenz", p, err, caption)
}

// rankProfiles adds the charts of exposure by rank position.
func (b *builder) rankProfiles() {
	r := b.res
	var re []audit.RankExposure
	var names []string
	for _, s := range r.Systems {
		if len(s.RankExposure.MeanExposure) > 0 {
			re, names = append(re, s.RankExposure), append(names, s.Name)
		}
	}
	if len(re) == 0 {
		return
	}
	b.sub("Exposure by rank position")
	b.para("How attention falls off down the list, and which item groups get the top ranks, where most of the attention is.")
	rp := RankProfile{Title: "Mean exposure by rank position", Quantity: "mean exposure per list", Unit: modelUnit(re[0].Model)}
	for i, x := range re {
		rp.Series = append(rp.Series, RankSeries{Name: names[i], Values: floatsOf(x.MeanExposure)})
	}
	p, err := RankChart(rp)
	b.figure("rank-mean-exposure", p, err, "Mean exposure of each rank over the users with a list (a shorter list gives 0 at the ranks it lacks).")

	// For each item grouping, the group furthest below its catalogue share.
	for _, ig := range r.ItemGroups {
		group, worst := "", math.Inf(1)
		var catalogue float64
		for _, s := range r.Systems {
			ea := b.exposureAnalysis(s, ig.Attribute, b.k0)
			if ea == nil {
				continue
			}
			for _, g := range ea.Groups {
				if d := f64(g.VsCatalogue.Difference.Value); d < worst {
					group, worst, catalogue = g.Group, d, f64(g.Catalogue)
				}
			}
		}
		if group == "" {
			continue
		}
		rs := RankProfile{Title: "Share of exposure to " + attrLabel(ig.Attribute) + " " + group + " by rank position",
			Quantity: "share of exposure to " + group, Percent: true}
		for i, x := range re {
			for _, g := range x.Groupings {
				if g.Attribute != ig.Attribute {
					continue
				}
				for _, gs := range g.Groups {
					if gs.Group == group {
						rs.Series = append(rs.Series, RankSeries{Name: names[i], Values: floatsOf(gs.Share)})
					}
				}
			}
		}
		if len(rs.Series) == 0 {
			continue
		}
		p, err := RankChart(rs)
		b.figure("rank-share-"+ig.Attribute, p, err, fmt.Sprintf("Share of the exposure at each rank that goes to %s %s, the group furthest below its catalogue share (%s). "+
			"A line below that share at the top ranks means the group is kept from the most visible positions.", attrLabel(ig.Attribute), group, fpct(catalogue)))
	}
}

func floatsOf(v []fairness.Float) []float64 {
	out := make([]float64, len(v))
	for i, x := range v {
		out[i] = float64(x)
	}
	return out
}
