package gate_test

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/recaudit/recaudit/gate"
)

func fptr(v float64) *float64 { return &v }

func TestParse(t *testing.T) {
	src := `version: 1
name: demo
rules:
  - id: credit-by-age
    description: >
      No age band is shown credit offers
      much more often than another.
    select:
      kind: targeting
      system: "*"
      flag: high_cost_credit
      attribute: [age_band, gender]
      cutoff: [10, 20]
    max: 2.5
    uncertainty: interval
  - id: independent.no-drop_1
    description: Independent vendors keep their exposure.
    select: {kind: exposure, system: knn, attribute: provider_type, group: independent, value: catalogue_ratio}
    change: {max_drop: 0.05, max_rise: 0}
waivers:
  - rule: credit-by-age
    reason: retraining scheduled
    approver: jane@example.com
    expires: 2026-06-30
`
	p, err := gate.Parse("policy.yaml", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	want := &gate.Policy{
		Version: 1, Name: "demo", File: "policy.yaml",
		Rules: []gate.Rule{
			{
				ID: "credit-by-age", Description: "No age band is shown credit offers much more often than another.\n",
				Select: gate.Selector{
					Kind:       gate.KindTargeting,
					System:     gate.Match[string]{Pos: gate.Pos{10, 15}},
					Metric:     gate.Match[string]{Pos: gate.Pos{9, 7}},
					Cutoff:     gate.Match[int]{Values: []int{10, 20}, Pos: gate.Pos{13, 15}},
					Attribute:  gate.Match[string]{Values: []string{"age_band", "gender"}, Pos: gate.Pos{12, 18}},
					Group:      gate.Match[string]{Pos: gate.Pos{9, 7}},
					Aggregator: gate.Match[string]{Pos: gate.Pos{9, 7}},
					Flag:       gate.Match[string]{Values: []string{"high_cost_credit"}, Pos: gate.Pos{11, 13}},
					Measure:    gate.Match[string]{Pos: gate.Pos{9, 7}},
					Pos:        gate.Pos{9, 7},
				},
				Max:         fptr(2.5),
				Uncertainty: gate.Interval,
				Pos:         gate.Pos{4, 9},
				BoundPos:    gate.Pos{14, 5},
			},
			{
				ID: "independent.no-drop_1", Description: "Independent vendors keep their exposure.",
				Select: gate.Selector{
					Kind:       gate.KindExposure,
					System:     gate.Match[string]{Values: []string{"knn"}, Pos: gate.Pos{18, 38}},
					Metric:     gate.Match[string]{Pos: gate.Pos{18, 13}},
					Cutoff:     gate.Match[int]{Pos: gate.Pos{18, 13}},
					Attribute:  gate.Match[string]{Values: []string{"provider_type"}, Pos: gate.Pos{18, 54}},
					Group:      gate.Match[string]{Values: []string{"independent"}, Pos: gate.Pos{18, 76}},
					Aggregator: gate.Match[string]{Pos: gate.Pos{18, 13}},
					Flag:       gate.Match[string]{Pos: gate.Pos{18, 13}},
					Measure:    gate.Match[string]{Pos: gate.Pos{18, 13}},
					Field:      gate.FieldCatalogueRatio,
					Pos:        gate.Pos{18, 13},
				},
				Change:   &gate.Change{MaxDrop: fptr(0.05), MaxRise: fptr(0)},
				Pos:      gate.Pos{16, 9},
				BoundPos: gate.Pos{19, 5},
			},
		},
		Waivers: []gate.Waiver{{Rule: "credit-by-age", Reason: "retraining scheduled", Approver: "jane@example.com",
			Expires: time.Date(2026, 6, 30, 0, 0, 0, 0, time.UTC), Pos: gate.Pos{21, 11}}},
	}
	if diff := cmp.Diff(want, p); diff != "" {
		t.Errorf("Parse (-want +got):\n%s", diff)
	}
}

// TestParseErrors checks that every problem in a policy file is reported
// with its line and column (positions counted by hand in each source).
func TestParseErrors(t *testing.T) {
	const okRule = "  - id: r\n    description: d\n    select: {kind: metric, metric: ndcg}\n    min: 0\n"
	for _, tc := range []struct {
		name string
		src  string
		want []string // each error, in order
	}{
		{"empty", "", []string{"policy.yaml: the policy file is empty"}},
		{"comment only", "# nothing\n", []string{"policy.yaml: the policy file is empty"}},
		// yaml.v3 gives the line where the unclosed flow sequence's context
		// starts, counted from 0 (issue go-yaml/yaml#526); hence "at or before".
		{"syntax", "version: 1\nrules:\n  - id: [a\n", []string{"policy.yaml:2: YAML syntax error at or before this line: did not find expected ',' or ']'"}},
		{"syntax tab", "version: 1\n\trules: 2\n", []string{"policy.yaml:2: YAML syntax error at or before this line: found a tab character that violates indentation"}},
		{"not a mapping", "- 1\n", []string{"policy.yaml:1:1: the policy must be a mapping of keys to values, not a list"}},
		{"second document", "version: 1\nrules:\n" + okRule + "---\nversion: 1\n", []string{"policy.yaml:7:1: a policy file holds one YAML document; this is a second one"}},
		{"missing version", "rules:\n" + okRule, []string{`policy.yaml:1:1: missing version: the policy file must start with "version: 1"`}},
		{"version 2", "version: 2\nrules:\n" + okRule, []string{"policy.yaml:1:10: unsupported policy version 2: this recaudit reads version 1"}},
		{"version text", "version: one\nrules:\n" + okRule, []string{`policy.yaml:1:10: version must be a whole number, not "one"`}},
		{"unknown top key", "version: 1\nrule:\n" + okRule, []string{"policy.yaml:1:1: missing rules", `policy.yaml:2:1: unknown key "rule" in the policy; did you mean "rules"?`}},
		{"missing rules", "version: 1\n", []string{"policy.yaml:1:1: missing rules: a policy needs at least one rule"}},
		{"empty rules", "version: 1\nrules: []\n", []string{"policy.yaml:2:8: rules is empty: a policy needs at least one rule"}},
		{"rules not a list", "version: 1\nrules: {id: r}\n", []string{"policy.yaml:2:8: rules must be a list, not a mapping"}},
		{"duplicate key", "version: 1\nversion: 1\nrules:\n" + okRule, []string{`policy.yaml:2:1: duplicate key "version" in the policy (first at line 1)`}},
		{"alias", "version: 1\nx: &a 1\nrules:\n" + okRule, []string{`policy.yaml:2:1: unknown key "x" in the policy; valid names: "version", "name", "rules", "waivers"`}},
		{"alias value", "version: &v 1\nname: *v\nrules:\n" + okRule, []string{"policy.yaml:2:7: YAML aliases (*v) are not supported in policy files; write the value out"}},
		{"missing id", policy("  - description: d\n    select: {kind: metric, metric: ndcg}\n    min: 0"),
			[]string{"policy.yaml:3:5: missing id: every rule needs an id"}},
		{"bad id", policy("  - id: 'a b'\n    description: d\n    select: {kind: metric, metric: ndcg}\n    min: 0"),
			[]string{`policy.yaml:3:9: rule id "a b": use letters, digits, '.', '_' and '-', starting with a letter or digit`}},
		{"duplicate id", policy(okRule, okRule), []string{`policy.yaml:7:9: duplicate rule id "r" (first at line 3)`}},
		{"missing description", policy("  - id: r\n    select: {kind: metric, metric: ndcg}\n    min: 0"),
			[]string{`policy.yaml:3:9: rule "r": missing description: say what the rule guards`}},
		{"unknown rule key", policy("  - id: r\n    description: d\n    select: {kind: metric, metric: ndcg}\n    maximum: 1"),
			[]string{`policy.yaml:6:5: unknown key "maximum" in a rule; did you mean "max"?`}},
		{"missing select", policy("  - id: r\n    description: d\n    min: 0"),
			[]string{`policy.yaml:3:9: rule "r": missing select: which values does the rule bound?`}},
		{"missing kind", policy("  - id: r\n    description: d\n    select: {metric: ndcg}\n    min: 0"),
			[]string{"policy.yaml:5:13: select: missing kind: one of metric, group, disparity, exposure, targeting"}},
		{"unknown kind", policy("  - id: r\n    description: d\n    select: {kind: disparty, metric: ndcg}\n    min: 0"),
			[]string{`policy.yaml:5:20: unknown kind "disparty"; did you mean "disparity"?`}},
		{"field of another kind", policy("  - id: r\n    description: d\n    select: {kind: metric, metric: ndcg, aggregator: max-min-diff}\n    min: 0"),
			[]string{"policy.yaml:5:42: aggregator does not apply to kind metric, whose fields are system, metric, cutoff, value"}},
		{"unknown value", policy("  - id: r\n    description: d\n    select: {kind: exposure, value: shares}\n    min: 0"),
			[]string{`policy.yaml:5:37: kind exposure has no value "shares"; did you mean "share"?`}},
		{"metric required", policy("  - id: r\n    description: d\n    select: {kind: disparity, aggregator: max-min-diff}\n    max: 0"),
			[]string{`policy.yaml:5:13: rule "r": select needs a metric for kind disparity (for example ndcg, with cutoff 10)`}},
		{"aggregator required", policy("  - id: r\n    description: d\n    select: {kind: disparity, metric: ndcg}\n    max: 0"),
			[]string{`policy.yaml:5:13: rule "r": select needs an aggregator for kind disparity`}},
		{"metric with cutoff twice", policy("  - id: r\n    description: d\n    select: {kind: metric, metric: ndcg@10, cutoff: 10}\n    min: 0"),
			[]string{`policy.yaml:5:36: rule "r": metric "ndcg@10" names its cutoff already`}},
		{"targeting group without rate", policy("  - id: r\n    description: d\n    select: {kind: targeting, group: 18-24}\n    max: 2"),
			[]string{`policy.yaml:5:38: rule "r": group applies to targeting only with value: rate`}},
		{"l1 with group", policy("  - id: r\n    description: d\n    select: {kind: exposure, group: brand, value: l1_merit}\n    max: 1"),
			[]string{`policy.yaml:5:37: rule "r": l1_merit describes a whole grouping; leave out group`}},
		{"empty list", policy("  - id: r\n    description: d\n    select: {kind: metric, metric: ndcg, system: []}\n    min: 0"),
			[]string{`policy.yaml:5:50: system is an empty list; write "*" for every system`}},
		{"star in list", policy("  - id: r\n    description: d\n    select: {kind: metric, metric: ndcg, system: [knn, '*']}\n    min: 0"),
			[]string{`policy.yaml:5:56: "*" stands alone: write system: "*" for every system`}},
		{"listed twice", policy("  - id: r\n    description: d\n    select: {kind: metric, metric: [ndcg, ndcg]}\n    min: 0"),
			[]string{`policy.yaml:5:43: metric "ndcg" is listed twice`}},
		{"bad cutoff", policy("  - id: r\n    description: d\n    select: {kind: metric, metric: ndcg, cutoff: [0, ten]}\n    min: 0"),
			[]string{"policy.yaml:5:51: cutoff must be at least 1, not 0", `policy.yaml:5:54: cutoff must be a whole number, not "ten"`}},
		{"name is a mapping", policy("  - id: r\n    description: d\n    select: {kind: metric, metric: {a: 1}}\n    min: 0"),
			[]string{"policy.yaml:5:36: metric must be a single value, not a mapping"}},
		{"bound not a number", policy("  - id: r\n    description: d\n    select: {kind: metric, metric: ndcg}\n    min: low"),
			[]string{`policy.yaml:6:10: min must be a number, not "low"`}},
		{"bound nan", policy("  - id: r\n    description: d\n    select: {kind: metric, metric: ndcg}\n    min: .nan"),
			[]string{`policy.yaml:6:10: min must be a finite number, not ".nan"`}},
		{"no bound", policy("  - id: r\n    description: d\n    select: {kind: metric, metric: ndcg}"),
			[]string{`policy.yaml:3:9: rule "r": missing bound: give min, max, or change`}},
		{"min above max", policy("  - id: r\n    description: d\n    select: {kind: metric, metric: ndcg}\n    min: 0.5\n    max: 0.4"),
			[]string{`policy.yaml:6:5: rule "r": min 0.5 is above max 0.4`}},
		{"absolute and change", policy("  - id: r\n    description: d\n    select: {kind: metric, metric: ndcg}\n    max: 0.4\n    change: {max_drop: 0}"),
			[]string{`policy.yaml:7:5: rule "r": give either min/max (an absolute bound) or change (a bound against the baseline), not both`}},
		{"empty change", policy("  - id: r\n    description: d\n    select: {kind: metric, metric: ndcg}\n    change: {}"),
			[]string{`policy.yaml:6:5: rule "r": change needs max_drop, max_rise or both`}},
		{"negative drop", policy("  - id: r\n    description: d\n    select: {kind: metric, metric: ndcg}\n    change: {max_drop: -0.1}"),
			[]string{`policy.yaml:6:5: rule "r": max_drop and max_rise are amounts, at least 0`}},
		{"unknown change key", policy("  - id: r\n    description: d\n    select: {kind: metric, metric: ndcg}\n    change: {max_fall: 0}"),
			[]string{`policy.yaml:6:14: unknown key "max_fall" in change; valid names: "max_drop", "max_rise"`}},
		{"unknown uncertainty", policy("  - id: r\n    description: d\n    select: {kind: metric, metric: ndcg}\n    min: 0\n    uncertainty: intervals"),
			[]string{`policy.yaml:7:18: unknown uncertainty "intervals"; did you mean "interval"?`}},
		{"significant without test", policy("  - id: r\n    description: d\n    select: {kind: group, metric: ndcg}\n    min: 0\n    uncertainty: significant"),
			[]string{`policy.yaml:3:9: rule "r": uncertainty significant needs a value with a test`}},
		{"waiver of unknown rule", "version: 1\nrules:\n" + okRule + "waivers:\n  - {rule: q, reason: x, approver: y, expires: 2026-01-01}\n",
			[]string{`policy.yaml:8:12: waiver of unknown rule "q"; did you mean "r"?`}},
		{"waiver missing approver", "version: 1\nrules:\n" + okRule + "waivers:\n  - {rule: r, reason: x, expires: 2026-01-01}\n",
			[]string{"policy.yaml:8:5: waiver: missing approver: a waiver names its rule, a reason, an approver and an expiry date"}},
		{"waiver bad date", "version: 1\nrules:\n" + okRule + "waivers:\n  - {rule: r, reason: x, approver: y, expires: next week}\n",
			[]string{`policy.yaml:8:48: expires must be a date like 2026-06-30, not "next week"`}},
		{"two waivers", "version: 1\nrules:\n" + okRule + "waivers:\n  - {rule: r, reason: x, approver: y, expires: 2026-01-01}\n  - {rule: r, reason: x, approver: y, expires: 2026-02-01}\n",
			[]string{`policy.yaml:9:12: rule "r" already has a waiver (line 8); a rule has at most one`}},
		{"several problems", policy("  - id: r\n    description: d\n    select: {kind: metric, metric: ndcg}\n    min: x\n    uncertainty: y"),
			[]string{`policy.yaml:6:10: min must be a number, not "x"`, `policy.yaml:7:18: unknown uncertainty "y"`}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p, err := gate.Parse("policy.yaml", []byte(tc.src))
			if err == nil {
				t.Fatalf("no error; parsed %+v", p)
			}
			if !errors.Is(err, gate.ErrPolicy) {
				t.Errorf("error does not wrap ErrPolicy: %v", err)
			}
			lines := strings.Split(err.Error(), "\n")
			if len(lines) != len(tc.want) {
				t.Fatalf("%d errors, want %d:\n%v", len(lines), len(tc.want), err)
			}
			for i, w := range tc.want {
				if !strings.HasPrefix(lines[i], w) {
					t.Errorf("error %d:\n got %s\nwant %s...", i, lines[i], w)
				}
			}
		})
	}
}

func TestPolicyErrorFormat(t *testing.T) {
	for _, tc := range []struct {
		e    gate.PolicyError
		want string
	}{
		{gate.PolicyError{File: "p.yaml", Line: 3, Column: 5, Msg: "bad"}, "p.yaml:3:5: bad"},
		{gate.PolicyError{File: "p.yaml", Line: 3, Msg: "bad"}, "p.yaml:3: bad"},
		{gate.PolicyError{File: "p.yaml", Msg: "bad"}, "p.yaml: bad"},
		{gate.PolicyError{Line: 3, Column: 5, Msg: "bad"}, "3:5: bad"},
		{gate.PolicyError{Msg: "bad"}, "bad"},
	} {
		if got := tc.e.Error(); got != tc.want {
			t.Errorf("%+v: %q, want %q", tc.e, got, tc.want)
		}
	}
}

// TestValidateGo checks Validate on policies built in Go, which have no
// positions.
func TestValidateGo(t *testing.T) {
	ok := gate.Rule{ID: "r", Description: "d", Select: gate.Selector{Kind: gate.KindMetric, Metric: gate.Match[string]{Values: []string{"ndcg"}}}, Min: fptr(0)}
	p := &gate.Policy{Version: 1, Rules: []gate.Rule{ok}}
	if err := p.Validate(); err != nil {
		t.Fatalf("valid policy: %v", err)
	}
	bad := ok
	bad.Select.Field = gate.FieldRate
	for _, tc := range []struct {
		name string
		p    gate.Policy
		want string
	}{
		{"version", gate.Policy{Rules: []gate.Rule{ok}}, "unsupported policy version 0"},
		{"no rules", gate.Policy{Version: 1}, "a policy needs at least one rule"},
		{"field of another kind", gate.Policy{Version: 1, Rules: []gate.Rule{bad}}, `rule "r": kind metric has no such value`},
		{"waiver without date", gate.Policy{Version: 1, Rules: []gate.Rule{ok}, Waivers: []gate.Waiver{{Rule: "r", Reason: "x", Approver: "y"}}},
			`waiver of "r": a waiver needs an expiry date`},
	} {
		err := tc.p.Validate()
		if err == nil || !strings.Contains(err.Error(), tc.want) || !errors.Is(err, gate.ErrPolicy) {
			t.Errorf("%s: %v, want an ErrPolicy containing %q", tc.name, err, tc.want)
		}
	}
}
