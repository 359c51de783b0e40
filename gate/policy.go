package gate

import (
	"fmt"
	"slices"
	"time"
)

// Version is the policy file version this package reads.
const Version = 1

// Policy is a parsed policy file: rules over the values of a results
// document, and waivers of rules.
type Policy struct {
	// Version is the policy format version; only [Version] exists.
	Version int
	// Name is an optional title for reports.
	Name string
	// File is the name the policy was parsed under, for messages.
	File    string
	Rules   []Rule
	Waivers []Waiver
}

// Pos is a position in a policy file, 1-based; the zero Pos means
// unknown (a policy built in Go).
type Pos struct {
	Line, Column int
}

// Rule bounds every value its selector picks from a result. A rule has
// either an absolute bound (Min, Max, or both) or a bound on the change
// against a baseline result (Change), not both.
type Rule struct {
	// ID names the rule in outputs and waivers; unique within a policy.
	ID string
	// Description says in plain language what the rule guards.
	Description string
	Select      Selector
	// Min and Max are absolute bounds: the value must be at least Min
	// and at most Max; nil means no bound on that side.
	Min, Max *float64
	// Change bounds the change against the baseline result; nil for an
	// absolute rule.
	Change *Change
	// Uncertainty says how the sampling uncertainty of a value counts.
	Uncertainty Uncertainty
	// Pos is where the rule starts in the policy file.
	Pos Pos
	// BoundPos is where the bound (min, max or change) is.
	BoundPos Pos
}

// Change bounds the change of a value against the same value in a baseline
// result: MaxDrop is how much it may fall (0: "may not fall"), MaxRise how
// much it may rise (0: "may not rise"); nil means no bound on that side.
type Change struct {
	MaxDrop, MaxRise *float64
}

// Selector picks values from a result. Every Match is a set of names; an
// empty Match (no Values) matches every name, like "*" in a policy file.
// Which fields apply depends on Kind:
//
//	kind        fields                                           field values
//	metric      system metric cutoff                             value
//	group       system metric cutoff attribute group             value vs_rest
//	disparity   system metric cutoff attribute aggregator        estimate
//	exposure    system attribute group cutoff                    share catalogue_ratio vs_catalogue vs_merit l1_catalogue l1_merit
//	targeting   system flag cutoff attribute measure [group]     ratio rate
//
// Metric names are the base names of results.json ("ndcg",
// "calibration_kl", "high_cost_credit_share") matched together with
// Cutoff, or full names with their cutoff ("ndcg@10"). Metric is required
// for the metric, group and disparity kinds, Aggregator for disparity.
// Group applies to the targeting kind only with the rate field, and not to
// the exposure fields l1_catalogue and l1_merit, which describe a whole
// grouping.
type Selector struct {
	Kind       Kind
	System     Match[string]
	Metric     Match[string]
	Cutoff     Match[int]
	Attribute  Match[string]
	Group      Match[string]
	Aggregator Match[string]
	Flag       Match[string]
	Measure    Match[string]
	// Field is the number of the selected entry that is bounded; the zero
	// value is the kind's main value (a metric's or group's value, a
	// disparity's estimate, an exposure share, a targeting ratio).
	Field Field
	// Pos is where the selector is in the policy file.
	Pos Pos
}

// Match is a set of names (or cutoffs) to select; no Values means every
// one.
type Match[T comparable] struct {
	Values []T
	// Pos is where the match is in the policy file.
	Pos Pos
}

// Any reports whether m matches every name.
func (m Match[T]) Any() bool { return len(m.Values) == 0 }

// Has reports whether m matches v.
func (m Match[T]) Has(v T) bool {
	if m.Any() {
		return true
	}
	for _, x := range m.Values {
		if x == v {
			return true
		}
	}
	return false
}

// Waiver suspends a rule until the end of its expiry date: while it is
// valid a failing rule is reported as waived, and counts as passing. An
// expired waiver fails its rule, whether the rule's values pass or not, so
// that stale waivers are renewed or removed.
type Waiver struct {
	// Rule is the ID of the waived rule.
	Rule     string
	Reason   string
	Approver string
	// Expires is the last day the waiver is valid (a date, midnight UTC).
	Expires time.Time
	Pos     Pos
}

// Kind is the kind of value a selector picks.
type Kind int

// Kinds of values.
const (
	// KindMetric is a system-level metric (results.json systems[].metrics).
	KindMetric Kind = iota
	// KindGroup is a user group's value of a per-user metric
	// (consumer.comparisons[].groups[]).
	KindGroup
	// KindDisparity is a disparity between user groups, with its test
	// (consumer.comparisons[].disparities[]).
	KindDisparity
	// KindExposure is an item group's exposure share and its comparison
	// with the catalogue and merit targets (provider[].groups[]).
	KindExposure
	// KindTargeting is the targeting of flagged items: the ratio of the
	// most to the least targeted user group's rate, with its test, or a
	// group's rate (targeting[]).
	KindTargeting
	numKinds
)

var kindNames = [...]string{"metric", "group", "disparity", "exposure", "targeting"}

// String returns the kind's name in policy files.
func (k Kind) String() string {
	if k < 0 || k >= numKinds {
		return fmt.Sprintf("Kind(%d)", int(k))
	}
	return kindNames[k]
}

// Uncertainty says how the sampling uncertainty of a value counts when it
// is compared with a bound.
type Uncertainty int

// Uncertainty modes.
const (
	// Point compares the point estimate with the bound.
	Point Uncertainty = iota
	// Interval fails only when the point estimate and the whole
	// confidence interval lie beyond the bound: the estimate and the
	// interval's lower end above a maximum, or the estimate and its upper
	// end below a minimum. It never fails a value that Point passes (a
	// percentile interval need not contain the estimate).
	Interval
	// Significant fails only when the point estimate is beyond the bound
	// and the value's test is significant after the result's
	// Benjamini–Hochberg correction (q below the result's q threshold).
	// Only values with a test have it: disparities, exposure shares
	// against their targets, targeting ratios.
	Significant
	numUncertainties
)

var uncertaintyNames = [...]string{"point", "interval", "significant"}

// String returns the mode's name in policy files.
func (u Uncertainty) String() string {
	if u < 0 || u >= numUncertainties {
		return fmt.Sprintf("Uncertainty(%d)", int(u))
	}
	return uncertaintyNames[u]
}

// Field is the number of a selected entry that a rule bounds.
type Field int

// Fields. FieldValue, the zero value, is each kind's main value.
const (
	// FieldValue is a metric's or group's value, a disparity's estimate,
	// an exposure share or a targeting ratio.
	FieldValue Field = iota
	// FieldVsRest is a group's difference to the users of all other
	// groups (group kind).
	FieldVsRest
	// FieldCatalogueRatio is an exposure share over the group's share of
	// the catalogue (exposure kind); its interval is the share's interval
	// over the same constant, its test that of share = catalogue share.
	FieldCatalogueRatio
	// FieldVsCatalogue is share − catalogue share (exposure kind).
	FieldVsCatalogue
	// FieldVsMerit is share − merit share (exposure kind).
	FieldVsMerit
	// FieldL1Catalogue and FieldL1Merit are the L1 distances of a
	// grouping's shares from its targets (exposure kind, no group).
	FieldL1Catalogue
	FieldL1Merit
	// FieldRate is one user group's targeting rate (targeting kind).
	FieldRate
	numFields
)

// fieldNames are the names of the fields in policy files, by kind: the
// first is FieldValue's name for the kind.
var fieldNames = [numKinds][]struct {
	name  string
	field Field
}{
	KindMetric:    {{"value", FieldValue}},
	KindGroup:     {{"value", FieldValue}, {"vs_rest", FieldVsRest}},
	KindDisparity: {{"estimate", FieldValue}},
	KindExposure: {{"share", FieldValue}, {"catalogue_ratio", FieldCatalogueRatio}, {"vs_catalogue", FieldVsCatalogue},
		{"vs_merit", FieldVsMerit}, {"l1_catalogue", FieldL1Catalogue}, {"l1_merit", FieldL1Merit}},
	KindTargeting: {{"ratio", FieldValue}, {"rate", FieldRate}},
}

// fieldName returns f's name for kind k, or "" when k has no such field.
func fieldName(k Kind, f Field) string {
	if k < 0 || k >= numKinds {
		return ""
	}
	for _, fn := range fieldNames[k] {
		if fn.field == f {
			return fn.name
		}
	}
	return ""
}

// Status is the outcome of a rule or of one value.
type Status int

// Statuses.
const (
	// Pass: within the bound.
	Pass Status = iota
	// Fail: beyond the bound (or, for a rule, an expired waiver).
	Fail
	// Waived: failing, but the rule has a valid waiver; counts as passing.
	Waived
	// Error: the value cannot be checked (undefined, no interval or no
	// test where the rule needs one); counts as failing.
	Error
	// Skipped: not checked, and not counted as failing: a change rule
	// without a baseline or without the value in the baseline, or an
	// undefined value reached through a wildcard.
	Skipped
	numStatuses
)

var statusNames = [...]string{"pass", "fail", "waived", "error", "skipped"}

// String returns the status name used in every output.
func (s Status) String() string {
	if s < 0 || s >= numStatuses {
		return fmt.Sprintf("Status(%d)", int(s))
	}
	return statusNames[s]
}

// Failing reports whether s makes the gate fail: Fail and Error.
func (s Status) Failing() bool { return s == Fail || s == Error }

// clone returns a deep copy of r.
func (r Rule) clone() Rule {
	c := r
	c.Min, c.Max = clonePtr(r.Min), clonePtr(r.Max)
	if r.Change != nil {
		c.Change = &Change{MaxDrop: clonePtr(r.Change.MaxDrop), MaxRise: clonePtr(r.Change.MaxRise)}
	}
	s := &c.Select
	for _, m := range []*Match[string]{&s.System, &s.Metric, &s.Attribute, &s.Group, &s.Aggregator, &s.Flag, &s.Measure} {
		m.Values = slices.Clone(m.Values)
	}
	s.Cutoff.Values = slices.Clone(s.Cutoff.Values)
	return c
}

func clonePtr(p *float64) *float64 {
	if p == nil {
		return nil
	}
	v := *p
	return &v
}
