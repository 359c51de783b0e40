package gate

import (
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"

	"github.com/recaudit/recaudit/audit"
	"github.com/recaudit/recaudit/fairness"
)

// Target identifies one value of a result: the labels a selector matched.
// Fields that do not apply to the kind are empty (Cutoff 0).
type Target struct {
	Kind   Kind
	System string
	// Metric is the full metric name, with its cutoff ("ndcg@10").
	Metric     string
	Cutoff     int
	Attribute  string
	Group      string
	Aggregator string
	Flag       string
	Measure    string
	Field      Field
}

// String describes the target in a few words, for example
// "itemknn ndcg@10 max-min-diff over age_band" or "ease exposure share of
// provider_type=independent at 10".
func (t Target) String() string {
	var b strings.Builder
	b.WriteString(t.System)
	switch t.Kind {
	case KindMetric:
		fmt.Fprintf(&b, " %s", t.Metric)
	case KindGroup:
		fmt.Fprintf(&b, " %s of %s=%s", t.Metric, t.Attribute, t.Group)
		if t.Field == FieldVsRest {
			b.WriteString(" vs rest")
		}
	case KindDisparity:
		fmt.Fprintf(&b, " %s %s over %s", t.Metric, t.Aggregator, t.Attribute)
	case KindExposure:
		switch t.Field {
		case FieldL1Catalogue, FieldL1Merit:
			fmt.Fprintf(&b, " exposure %s of %s at %d", fieldName(t.Kind, t.Field), t.Attribute, t.Cutoff)
		default:
			fmt.Fprintf(&b, " exposure %s of %s=%s at %d", fieldName(t.Kind, t.Field), t.Attribute, t.Group, t.Cutoff)
		}
	case KindTargeting:
		if t.Field == FieldRate {
			fmt.Fprintf(&b, " %s %s rate of %s=%s at %d", t.Flag, t.Measure, t.Attribute, t.Group, t.Cutoff)
		} else {
			fmt.Fprintf(&b, " %s %s ratio over %s at %d", t.Flag, t.Measure, t.Attribute, t.Cutoff)
		}
	}
	return b.String()
}

// entry is one selectable value of a result.
type entry struct {
	t Target
	// base is the metric's name without its cutoff.
	base  string
	value float64
	ci    [2]float64
	q     float64
	// note says why value is undefined, when it is.
	note string
	// suppressed marks a user group the audit suppressed for its size.
	suppressed bool
}

var nan = math.NaN()

func interval(ci fairness.Interval2) [2]float64 { return [2]float64{float64(ci[0]), float64(ci[1])} }

var noCI = [2]float64{nan, nan}

func testQ(t *fairness.Test) float64 {
	if t == nil {
		return nan
	}
	return float64(t.Q)
}

// splitMetric splits "name@k" into name and k; a name without a numeric
// "@k" suffix has cutoff 0.
func splitMetric(full string) (string, int) {
	i := strings.LastIndexByte(full, '@')
	if i < 0 {
		return full, 0
	}
	k, err := strconv.Atoi(full[i+1:])
	if err != nil {
		return full, 0
	}
	return full[:i], k
}

// entries returns every value of kind k and field f in r, in document
// order. Suppressed user groups are included (with an undefined value and
// a note) only when named in groups, so that an explicitly named group
// that the audit suppressed is reported rather than silently missing.
func entries(r *audit.Result, k Kind, f Field, groups Match[string]) []entry {
	var es []entry
	suppressed := func(attr string) []audit.Suppressed {
		if groups.Any() {
			return nil
		}
		for _, ug := range r.UserGroups {
			if ug.Attribute == attr {
				return ug.Suppressed
			}
		}
		return nil
	}
	for _, s := range r.Systems {
		if s == nil {
			continue
		}
		switch k {
		case KindMetric:
			for _, m := range s.Metrics {
				base, cut := splitMetric(m.Name)
				e := entry{t: Target{Kind: k, System: s.Name, Metric: m.Name, Cutoff: cut, Field: f}, base: base,
					value: float64(m.Value), ci: interval(m.CI), q: nan}
				if m.Level == "catalogue" {
					e.ci = noCI
				}
				es = append(es, e)
			}
		case KindGroup, KindDisparity:
			if s.Consumer == nil {
				continue
			}
			for _, c := range s.Consumer.Comparisons {
				base, cut := splitMetric(c.Metric)
				t := Target{Kind: k, System: s.Name, Metric: c.Metric, Cutoff: cut, Attribute: c.Attribute, Field: f}
				if k == KindDisparity {
					for _, d := range c.Disparities {
						t.Aggregator = d.Aggregator
						es = append(es, entry{t: t, base: base, value: float64(d.Estimate), ci: interval(d.CI), q: float64(d.Test.Q)})
					}
					continue
				}
				for _, g := range c.Groups {
					t.Group = g.Group
					e := entry{t: t, base: base, value: float64(g.Value), ci: interval(g.CI), q: nan}
					if f == FieldVsRest {
						e.value, e.ci = float64(g.VsRest.Value), interval(g.VsRest.CI)
					}
					if g.Withheld {
						e.note = fmt.Sprintf("withheld: fewer than %d users with a value", s.Consumer.Settings.MinUsers)
					}
					es = append(es, e)
				}
				for _, sg := range suppressed(c.Attribute) {
					t.Group = sg.Group
					es = append(es, entry{t: t, base: base, value: nan, ci: noCI, q: nan, note: "suppressed: " + sg.Reason, suppressed: true})
				}
			}
		case KindExposure:
			for _, ea := range s.Provider {
				t := Target{Kind: k, System: s.Name, Attribute: ea.Attribute, Cutoff: ea.Cutoff, Field: f}
				switch f {
				case FieldL1Catalogue:
					es = append(es, entry{t: t, value: float64(ea.L1Catalogue.Value), ci: interval(ea.L1Catalogue.CI), q: nan})
					continue
				case FieldL1Merit:
					es = append(es, entry{t: t, value: float64(ea.L1Merit.Value), ci: interval(ea.L1Merit.CI), q: nan})
					continue
				}
				for _, eg := range ea.Groups {
					t.Group = eg.Group
					e := entry{t: t}
					switch f {
					case FieldValue:
						e.value, e.ci, e.q = float64(eg.Share.Value), interval(eg.Share.CI), testQ(eg.VsCatalogue.Test)
					case FieldCatalogueRatio:
						c := float64(eg.Catalogue)
						e.value, e.q = float64(eg.Share.Value)/c, testQ(eg.VsCatalogue.Test)
						e.ci = [2]float64{float64(eg.Share.CI[0]) / c, float64(eg.Share.CI[1]) / c}
						if !(c > 0) {
							e.value, e.ci, e.note = nan, noCI, "the group has no catalogue share"
						}
					case FieldVsCatalogue:
						e.value, e.ci, e.q = float64(eg.VsCatalogue.Difference.Value), interval(eg.VsCatalogue.Difference.CI), testQ(eg.VsCatalogue.Test)
					case FieldVsMerit:
						e.value, e.ci, e.q = float64(eg.VsMerit.Difference.Value), interval(eg.VsMerit.Difference.CI), testQ(eg.VsMerit.Test)
					}
					if !ea.Intervals {
						e.ci, e.q = noCI, nan
					}
					es = append(es, e)
				}
			}
		case KindTargeting:
			for _, tr := range s.Targeting {
				t := Target{Kind: k, System: s.Name, Flag: tr.Flag, Cutoff: tr.Cutoff, Attribute: tr.Attribute, Measure: tr.Measure, Field: f}
				if f != FieldRate {
					es = append(es, entry{t: t, value: float64(tr.Ratio.Value), ci: interval(tr.Ratio.CI), q: float64(tr.Q)})
					continue
				}
				for _, g := range tr.Rates {
					t.Group = g.Group
					es = append(es, entry{t: t, value: float64(g.Rate), ci: interval(g.CI), q: nan})
				}
				for _, sg := range suppressed(tr.Attribute) {
					t.Group = sg.Group
					es = append(es, entry{t: t, value: nan, ci: noCI, q: nan, note: "suppressed: " + sg.Reason, suppressed: true})
				}
			}
		}
	}
	return es
}

// matches reports whether e is selected by s.
func (s *Selector) matches(e *entry) bool {
	t := &e.t
	if !s.System.Has(t.System) || !s.Cutoff.Has(t.Cutoff) || !s.Attribute.Has(t.Attribute) ||
		!s.Group.Has(t.Group) || !s.Aggregator.Has(t.Aggregator) || !s.Flag.Has(t.Flag) || !s.Measure.Has(t.Measure) {
		return false
	}
	if s.Metric.Any() {
		return true
	}
	for _, m := range s.Metric.Values {
		if m == t.Metric || (m == e.base && !strings.Contains(m, "@")) {
			return true
		}
	}
	return false
}

// wildcard reports whether s leaves a field that applies to its kind
// open, so that it may reach values nobody named.
func (s *Selector) wildcard() bool {
	for _, key := range selectorKeys[s.Kind] {
		var any bool
		switch key {
		case "system":
			any = s.System.Any()
		case "metric":
			any = s.Metric.Any()
		case "cutoff":
			// A full metric name fixes the cutoff.
			any = s.Cutoff.Any() && !(len(s.Metric.Values) > 0 && allHaveCutoff(s.Metric.Values))
		case "attribute":
			any = s.Attribute.Any()
		case "group":
			any = s.Group.Any() && !(s.Kind == KindTargeting && s.Field != FieldRate) &&
				!(s.Kind == KindExposure && (s.Field == FieldL1Catalogue || s.Field == FieldL1Merit))
		case "aggregator":
			any = s.Aggregator.Any()
		case "flag":
			any = s.Flag.Any()
		case "measure":
			any = s.Measure.Any()
		}
		if any {
			return true
		}
	}
	return false
}

func allHaveCutoff(ms []string) bool {
	for _, m := range ms {
		if _, k := splitMetric(m); k == 0 {
			return false
		}
	}
	return true
}

// selectValues returns the entries of r that rule selects, and reports
// names that r does not have and selections that match nothing.
func selectValues(l *errorList, r *audit.Result, rule *Rule) []entry {
	s := &rule.Select
	all := entries(r, s.Kind, s.Field, s.Group)
	before := len(l.errs)
	// Each named value must exist among the entries that match the
	// fields checked before it, so that suggestions come from the right
	// set (the groups of the named attribute, say).
	type check struct {
		name  string
		match *Match[string]
		label func(*entry) []string
	}
	checks := []check{
		{"system", &s.System, func(e *entry) []string { return []string{e.t.System} }},
		{"metric", &s.Metric, func(e *entry) []string { return []string{e.base, e.t.Metric} }},
		{"attribute", &s.Attribute, func(e *entry) []string { return []string{e.t.Attribute} }},
		{"group", &s.Group, func(e *entry) []string { return []string{e.t.Group} }},
		{"aggregator", &s.Aggregator, func(e *entry) []string { return []string{e.t.Aggregator} }},
		{"flag", &s.Flag, func(e *entry) []string { return []string{e.t.Flag} }},
		{"measure", &s.Measure, func(e *entry) []string { return []string{e.t.Measure} }},
	}
	pool := all
	for _, c := range checks {
		if c.match.Any() {
			continue
		}
		var valid []string
		for i := range pool {
			for _, v := range c.label(&pool[i]) {
				if v != "" && !slices.Contains(valid, v) {
					valid = append(valid, v)
				}
			}
		}
		unknown := false
		for _, v := range c.match.Values {
			if !slices.Contains(valid, v) {
				names := valid
				if c.name == "metric" {
					names = metricNames(valid, strings.Contains(v, "@"))
				}
				l.add(c.match.Pos, "rule %q: unknown %s %q%s", rule.ID, c.name, v, suggest(v, names))
				unknown = true
			}
		}
		if unknown {
			// The fields after this one would be checked against nothing.
			return nil
		}
		var next []entry
		for i := range pool {
			for _, v := range c.label(&pool[i]) {
				if c.match.Has(v) && (c.name != "metric" || matchesMetric(c.match, &pool[i])) {
					next = append(next, pool[i])
					break
				}
			}
		}
		pool = next
	}
	if !s.Cutoff.Any() {
		var valid []int
		for i := range pool {
			if k := pool[i].t.Cutoff; k > 0 && !slices.Contains(valid, k) {
				valid = append(valid, k)
			}
		}
		slices.Sort(valid)
		for _, k := range s.Cutoff.Values {
			if !slices.Contains(valid, k) {
				l.add(s.Cutoff.Pos, "rule %q: unknown cutoff %d; the selected values have cutoffs %s", rule.ID, k, intList(valid))
			}
		}
	}
	if len(l.errs) > before {
		return nil
	}
	var sel []entry
	for i := range all {
		if s.matches(&all[i]) {
			sel = append(sel, all[i])
		}
	}
	if len(sel) == 0 {
		at := s.Pos
		if at == (Pos{}) {
			at = rule.Pos
		}
		l.add(at, "rule %q selects no value: the result has no %s value that matches this select", rule.ID, s.Kind)
	}
	return sel
}

func matchesMetric(m *Match[string], e *entry) bool {
	for _, v := range m.Values {
		if v == e.t.Metric || (v == e.base && !strings.Contains(v, "@")) {
			return true
		}
	}
	return false
}

// metricNames keeps the full names ("ndcg@10") when full is set, else the
// base names ("ndcg"); all of names when none is left.
func metricNames(names []string, full bool) []string {
	var out []string
	for _, n := range names {
		if strings.Contains(n, "@") == full {
			out = append(out, n)
		}
	}
	if len(out) == 0 {
		return names
	}
	return out
}

func intList(ks []int) string {
	if len(ks) == 0 {
		return "none"
	}
	s := make([]string, len(ks))
	for i, k := range ks {
		s[i] = strconv.Itoa(k)
	}
	return strings.Join(s, ", ")
}

// Check checks that every name the policy uses (systems, metrics,
// cutoffs, attributes, groups, aggregators, flags, measures) is in r, and
// that every rule selects at least one value. Unknown names are reported
// with their line and column and the closest valid names. The error wraps
// [ErrPolicy]. [Evaluate] calls it.
//
// Check panics if p or r is nil.
func (p *Policy) Check(r *audit.Result) error {
	_, err := p.resolve(r)
	return err
}

// resolve selects every rule's values in r.
func (p *Policy) resolve(r *audit.Result) ([][]entry, error) {
	if p == nil {
		panic(panicNilPolicy)
	}
	if r == nil {
		panic(panicNilResult)
	}
	l := &errorList{file: p.File}
	sel := make([][]entry, len(p.Rules))
	for i := range p.Rules {
		sel[i] = selectValues(l, r, &p.Rules[i])
	}
	return sel, l.err()
}
