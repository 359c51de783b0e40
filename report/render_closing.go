package report

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"

	"github.com/recaudit/recaudit/audit"
)

// limitations writes what the audit leaves out and cannot show.
func (b *builder) limitations() {
	r := b.res
	b.section("Limitations")

	var sup []para
	for _, ug := range r.UserGroups {
		if len(ug.Suppressed) == 0 {
			continue
		}
		var gs []string
		for _, s := range ug.Suppressed {
			gs = append(gs, s.Group+" ("+s.Reason+")")
		}
		sup = append(sup, para{Lead: capitalize(attrLabel(ug.Attribute)) + ":", Text: strings.Join(gs, "; ") + "."})
	}
	if len(sup) > 0 {
		b.lead("Suppressed groups.", fmt.Sprintf("These groups are below the minimum group size of %s users, or are suppressed to protect one that is; "+
			"they are not reported anywhere in this report or in results.json, so the audit says nothing about them:", count(b.minSize)))
		b.list(sup)
		if complementary(r) {
			b.lead("Complementary suppression.", fmt.Sprintf("A suppressed group's size, and roughly its mean, would follow from a reported total less the reported groups it contains: "+
				"the total of its grouping, or, for an intersection, a group of one of its attributes (an age band less its reported intersections with every gender but one would give the last). "+
				"So groups “suppressed to protect a smaller group” are suppressed with the small ones, although they have enough users: "+
				"every such total that contains a suppressed group contains at least two, with at least %s users between them, "+
				"and no suppressed group below the minimum follows from the totals by any combination of sums and differences. "+
				"The rule works per metric too: a group withheld from a comparison is withheld with others in the same way.", count(b.minSize)))
		}
		if d := derivable(r); len(d) > 0 {
			b.lead("Suppression undone by subtraction.", "This result was written without complementary suppression of intersections, so suppression hides a small intersection within its own grouping but not from the groups of its attributes. "+
				"The size of each of these suppressed intersections is the size of a reported group of one of its attributes less the reported intersections in that group, "+
				"and the means of those groups give its mean approximately; rerun the audit with a current version of recaudit:")
			b.list(d)
		}
	} else {
		b.lead("Suppressed groups.", fmt.Sprintf("None: every group has at least %s users.", count(b.minSize)))
	}

	// Groups withheld from single comparisons.
	type key struct{ attr, group string }
	withheld := map[key]int{}
	var order []key
	for _, s := range r.Systems {
		if s.Consumer == nil {
			continue
		}
		for _, c := range s.Consumer.Comparisons {
			for _, g := range c.Groups {
				if g.Withheld {
					k := key{c.Attribute, g.Group}
					if withheld[k] == 0 {
						order = append(order, k)
					}
					withheld[k]++
				}
			}
		}
	}
	if len(order) > 0 {
		var ps []para
		for _, k := range order {
			ps = append(ps, para{Text: fmt.Sprintf("%s %s: withheld from %s.", attrLabel(k.attr), k.group, plural(withheld[k], "comparison", "comparisons"))})
		}
		b.lead("Withheld from some comparisons.", fmt.Sprintf("These groups had fewer than %s users with a value of a metric (for example users without a relevant test item), "+
			"or were withheld with such a group so that its value cannot be worked out by subtraction; they take no part in those comparisons, and their numbers of users with a value are not shown:", count(b.minUsers())))
		b.list(ps)
	}

	// Small groups.
	var small []string
	for _, ug := range r.UserGroups {
		for _, g := range ug.Groups {
			if g.Users < 5*b.minSize {
				small = append(small, attrLabel(ug.Attribute)+" "+g.Group+" ("+count(g.Users)+" users)")
			}
		}
	}
	if len(small) > 0 {
		b.lead("Small groups.", fmt.Sprintf("Groups with fewer than %s users have wide intervals, and tests on them have little power: a difference that is not significant may still exist. They are %s.",
			count(5*b.minSize), joinAnd(small)))
	}
	var missing []string
	for _, ug := range r.UserGroups {
		if ug.Missing > 0 {
			missing = append(missing, fmt.Sprintf("%s have no %s", plural(ug.Missing, "user", "users"), attrLabel(ug.Attribute)))
		}
	}
	if len(missing) > 0 {
		b.lead("Missing values.", capitalize(joinAnd(missing))+"; they are in no group of that attribute and take no part in its comparisons.")
	}
	var noCI []string
	seen := map[string]bool{}
	for _, s := range r.Systems {
		for _, ea := range s.Provider {
			if !ea.Intervals && !seen[ea.Attribute] {
				seen[ea.Attribute] = true
				noCI = append(noCI, attrLabel(ea.Attribute))
			}
		}
	}
	if len(noCI) > 0 {
		b.lead("Point estimates only.", "The exposure shares by "+joinAnd(noCI)+" have no intervals or tests (too many groups); they describe the lists but say nothing about chance.")
	}
	var noList []string
	for _, s := range r.Systems {
		if s.Users.NoList > 0 {
			noList = append(noList, fmt.Sprintf("%s (%s)", s.Name, count(s.Users.NoList)))
		}
	}
	if len(noList) > 0 {
		b.lead("Users without a list.", "Some users received no recommendations from "+joinAnd(noList)+"; they count as empty lists in the accuracy means and are left out of the list-based metrics.")
	}
	b.lead("What this audit cannot show.", "")
	b.list(b.items(
		"It measures recommendations offline, against held-out past interactions. Those interactions were themselves shaped by what users were shown before, so accuracy rewards systems that repeat past exposure, and groups whose interests were under-served in the data look less predictable.",
		"It finds associations, not causes: a difference between groups may come from the groups' behaviour, from the data collection, or from the system.",
		"It covers only the attributes recorded in the data and the intersections named; other groups, and individual users, may be treated differently without showing here.",
		"A significant disparity is one that is unlikely to be chance; whether it is unfair, and whether it is acceptable, is a judgement this report leaves to its readers.",
		"Nothing here is about any individual user: every value reported is an average over a group of at least "+count(b.minSize)+" users.",
	))
}

// complementary reports whether r suppresses a group to protect another.
func complementary(r *audit.Result) bool {
	for _, ug := range r.UserGroups {
		for _, s := range ug.Suppressed {
			if s.Reason == audit.ReasonComplementary {
				return true
			}
		}
	}
	return false
}

// minUsers returns the minimum number of users with a value of a group
// in a comparison: that of the first consumer analysis, else the
// minimum group size.
func (b *builder) minUsers() int {
	for _, s := range b.res.Systems {
		if s.Consumer != nil && s.Consumer.Settings.MinUsers > 0 {
			return s.Consumer.Settings.MinUsers
		}
	}
	return b.minSize
}

// derivable returns, per intersection, the suppressed intersections whose
// size follows by subtraction from the reported groups: those that are
// the only suppressed intersection with some level of an attribute whose
// group is reported (F × 65+ when every other × 65+ intersection and the
// group 65+ are reported).
func derivable(r *audit.Result) []para {
	reported := map[string]bool{} // attribute + "\x00" + group
	for _, ug := range r.UserGroups {
		for _, g := range ug.Groups {
			reported[ug.Attribute+"\x00"+g.Group] = true
		}
	}
	var out []para
	for _, ug := range r.UserGroups {
		attrs := strings.Split(ug.Attribute, audit.IntersectionSep)
		if len(attrs) < 2 || len(ug.Suppressed) == 0 {
			continue
		}
		// suppressed[j][level] counts the suppressed intersections with
		// that level of attribute j.
		suppressed := make([]map[string]int, len(attrs))
		for j := range attrs {
			suppressed[j] = map[string]int{}
		}
		split := func(g string) []string {
			if parts := strings.Split(g, audit.IntersectionSep); len(parts) == len(attrs) {
				return parts
			}
			return nil
		}
		for _, s := range ug.Suppressed {
			for j, l := range split(s.Group) {
				suppressed[j][l]++
			}
		}
		var cells []string
		for _, s := range ug.Suppressed {
			for j, l := range split(s.Group) {
				if suppressed[j][l] == 1 && reported[attrs[j]+"\x00"+l] {
					cells = append(cells, s.Group)
					break
				}
			}
		}
		if len(cells) > 0 {
			out = append(out, para{Lead: capitalize(attrLabel(ug.Attribute)) + ":", Text: joinAnd(cells) + "."})
		}
	}
	return out
}

// specJSON returns the effective audit spec recorded in res as indented
// JSON, and false when res records none (a result not written by Run).
func specJSON(res *audit.Result) (string, bool) {
	if res.Spec == nil {
		return "", false
	}
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(res.Spec); err != nil {
		return "", false
	}
	return strings.TrimSpace(buf.String()), true
}

// reproduce writes how to repeat the audit and re-render the report.
func (b *builder) reproduce() {
	r := b.res
	b.section("Reproducing this audit")
	b.para(fmt.Sprintf("The result was written by %s %s (results schema version %d) with seed %s. "+
		"The same inputs (checked by their SHA-256 digests in the Dataset section), settings and seed give a byte-identical results.json. "+
		"This report is drawn from results.json alone:", r.Tool.Name, r.Tool.Version, r.SchemaVersion, strconv.FormatUint(r.Seed, 10)))
	b.code("recaudit report results.json --out report")
	if b.opts.Command != "" {
		b.para("The command that ran the audit:")
		b.code(b.opts.Command)
	}
	if spec, ok := specJSON(r); ok {
		b.para("The audit's spec, with every default filled in. JSON is also YAML: save it as spec.yaml and run the audit with it:")
		b.code("recaudit audit --spec spec.yaml")
		b.code(spec)
	} else if b.opts.Command == "" {
		b.para(fmt.Sprintf("This result does not record its spec: run recaudit audit (%s %s) on the same data with the split, systems, groups and settings of the Data and method section, and seed %s.",
			r.Tool.Name, r.Tool.Version, strconv.FormatUint(r.Seed, 10)))
	}
}

// appendix writes Appendix A, every finding by system.
func (b *builder) appendix() {
	r := b.res
	b.n3 = 0
	b.cur = &section{ID: b.id("Appendix A"), Number: "A", Title: "All findings", Level: 2}
	b.doc.Sections = append(b.doc.Sections, b.cur)
	b.appendixMode = true
	if len(r.Findings) == 0 {
		b.para("No finding: no test is significant.")
		return
	}
	b.para(fmt.Sprintf("Every significant result (q < %s), system by system, in the order of results.json.", trimFloat(b.q, 4)))
	for _, s := range r.Systems {
		var ps []para
		for _, f := range r.Findings {
			if f.System == s.Name {
				ps = append(ps, para{Text: f.Text})
			}
		}
		b.sub(s.Name)
		if len(ps) == 0 {
			b.para("No significant finding.")
			continue
		}
		b.list(ps)
	}
}
