package gate

import (
	"math"
	"slices"
	"strings"
)

// Validate checks the policy on its own, without a result: the version,
// rule ids (present, well-formed, unique), descriptions, bounds (an
// absolute bound or a change bound, not both; finite; min not above max;
// change limits not negative), selectors (the kind's required fields, a
// value the kind has, a test behind every significant rule), uncertainty
// modes, and waivers (an existing rule, a reason, an approver, an expiry
// date). [Parse] and [Evaluate] call it. The error wraps [ErrPolicy].
//
// Validate panics if p is nil.
func (p *Policy) Validate() error {
	if p == nil {
		panic(panicNilPolicy)
	}
	l := &errorList{file: p.File}
	if p.Version != Version {
		l.add(Pos{}, "unsupported policy version %d: this recaudit reads version %d", p.Version, Version)
	}
	if len(p.Rules) == 0 {
		l.add(Pos{}, "a policy needs at least one rule")
	}
	ids := map[string]bool{}
	var idList []string
	for i := range p.Rules {
		r := &p.Rules[i]
		switch {
		case !idPattern.MatchString(r.ID):
			l.add(r.Pos, "rule id %q: use letters, digits, '.', '_' and '-', starting with a letter or digit", r.ID)
		case ids[r.ID]:
			l.add(r.Pos, "duplicate rule id %q", r.ID)
		default:
			ids[r.ID] = true
			idList = append(idList, r.ID)
		}
		if strings.TrimSpace(r.Description) == "" {
			l.add(r.Pos, "rule %q: missing description: say what the rule guards", r.ID)
		}
		validateBound(l, r)
		validateSelector(l, r)
	}
	waived := map[string]bool{}
	for _, w := range p.Waivers {
		switch {
		case !ids[w.Rule]:
			l.add(w.Pos, "waiver of unknown rule %q%s", w.Rule, suggest(w.Rule, idList))
		case waived[w.Rule]:
			l.add(w.Pos, "rule %q already has a waiver; a rule has at most one", w.Rule)
		}
		waived[w.Rule] = true
		if strings.TrimSpace(w.Reason) == "" || strings.TrimSpace(w.Approver) == "" {
			l.add(w.Pos, "waiver of %q: a waiver needs a reason and an approver", w.Rule)
		}
		if w.Expires.IsZero() {
			l.add(w.Pos, "waiver of %q: a waiver needs an expiry date", w.Rule)
		}
	}
	return l.err()
}

func validateBound(l *errorList, r *Rule) {
	at := r.BoundPos
	if at == (Pos{}) {
		at = r.Pos
	}
	abs := r.Min != nil || r.Max != nil
	for _, b := range []struct {
		name string
		v    *float64
	}{{"min", r.Min}, {"max", r.Max}, {"max_drop", changeBound(r.Change, true)}, {"max_rise", changeBound(r.Change, false)}} {
		if b.v != nil && (math.IsNaN(*b.v) || math.IsInf(*b.v, 0)) {
			l.add(at, "rule %q: %s must be a finite number, not %v", r.ID, b.name, *b.v)
			return
		}
	}
	switch {
	case abs && r.Change != nil:
		l.add(at, "rule %q: give either min/max (an absolute bound) or change (a bound against the baseline), not both; write two rules for both", r.ID)
	case !abs && r.Change == nil:
		l.add(at, "rule %q: missing bound: give min, max, or change", r.ID)
	case abs && r.Min != nil && r.Max != nil && *r.Min > *r.Max:
		l.add(at, "rule %q: min %s is above max %s", r.ID, num(*r.Min), num(*r.Max))
	case r.Change != nil && r.Change.MaxDrop == nil && r.Change.MaxRise == nil:
		l.add(at, "rule %q: change needs max_drop, max_rise or both (0 for \"may not fall\" or \"may not rise\")", r.ID)
	case r.Change != nil && ((r.Change.MaxDrop != nil && *r.Change.MaxDrop < 0) || (r.Change.MaxRise != nil && *r.Change.MaxRise < 0)):
		l.add(at, "rule %q: max_drop and max_rise are amounts, at least 0", r.ID)
	}
	if r.Uncertainty < 0 || r.Uncertainty >= numUncertainties {
		l.add(r.Pos, "rule %q: bad uncertainty %d", r.ID, int(r.Uncertainty))
	}
}

// changeBound returns c's MaxDrop (drop) or MaxRise, nil without c.
func changeBound(c *Change, drop bool) *float64 {
	switch {
	case c == nil:
		return nil
	case drop:
		return c.MaxDrop
	}
	return c.MaxRise
}

func validateSelector(l *errorList, r *Rule) {
	s := &r.Select
	at := s.Pos
	if at == (Pos{}) {
		at = r.Pos
	}
	if s.Kind < 0 || s.Kind >= numKinds {
		l.add(at, "rule %q: bad kind %d", r.ID, int(s.Kind))
		return
	}
	if fieldName(s.Kind, s.Field) == "" {
		l.add(at, "rule %q: kind %s has no such value (field %d)", r.ID, s.Kind, int(s.Field))
		return
	}
	// A fixed order, so that errors at the same position come out in the
	// same order every time.
	for _, f := range []struct {
		key  string
		used bool
	}{
		{"system", !s.System.Any()}, {"metric", !s.Metric.Any()}, {"cutoff", !s.Cutoff.Any()},
		{"attribute", !s.Attribute.Any()}, {"group", !s.Group.Any()}, {"aggregator", !s.Aggregator.Any()},
		{"flag", !s.Flag.Any()}, {"measure", !s.Measure.Any()},
	} {
		if f.used && !slices.Contains(selectorKeys[s.Kind], f.key) {
			l.add(at, "rule %q: %s does not apply to kind %s", r.ID, f.key, s.Kind)
		}
	}
	switch s.Kind {
	case KindMetric, KindGroup, KindDisparity:
		if s.Metric.Any() {
			l.add(at, "rule %q: select needs a metric for kind %s (for example ndcg, with cutoff 10)", r.ID, s.Kind)
		}
		for _, m := range s.Metric.Values {
			if strings.Contains(m, "@") && !s.Cutoff.Any() {
				l.add(s.Metric.Pos, "rule %q: metric %q names its cutoff already; leave out cutoff, or write the metric without @", r.ID, m)
			}
		}
	}
	if s.Kind == KindDisparity && s.Aggregator.Any() {
		l.add(at, "rule %q: select needs an aggregator for kind disparity (for example max-min-diff or min-max-ratio)", r.ID)
	}
	if s.Kind == KindTargeting && s.Field != FieldRate && !s.Group.Any() {
		l.add(s.Group.Pos, "rule %q: group applies to targeting only with value: rate; the ratio compares all groups", r.ID)
	}
	if s.Kind == KindExposure && (s.Field == FieldL1Catalogue || s.Field == FieldL1Merit) && !s.Group.Any() {
		l.add(s.Group.Pos, "rule %q: %s describes a whole grouping; leave out group", r.ID, fieldName(s.Kind, s.Field))
	}
	if r.Uncertainty == Significant && !hasTest(s.Kind, s.Field) {
		l.add(r.Pos, "rule %q: uncertainty significant needs a value with a test (a disparity, an exposure share against its target, a targeting ratio); %s %s has none", r.ID, s.Kind, fieldName(s.Kind, s.Field))
	}
}

// hasTest reports whether values of kind k and field f have a hypothesis
// test in a result.
func hasTest(k Kind, f Field) bool {
	switch k {
	case KindDisparity:
		return true
	case KindExposure:
		return f == FieldValue || f == FieldCatalogueRatio || f == FieldVsCatalogue || f == FieldVsMerit
	case KindTargeting:
		return f == FieldValue
	}
	return false
}
