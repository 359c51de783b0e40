package gate_test

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/recaudit/recaudit/gate"
)

// A policy with one rule: item-kNN's and the popularity baseline's
// precision@3 gap between genders may not exceed 0.1, unless the
// permutation test finds no significant gap.
const examplePolicy = `version: 1
rules:
  - id: precision-gender-gap
    description: The precision@3 gap between genders stays within 0.1.
    select:
      kind: disparity
      metric: precision
      cutoff: 3
      attribute: gender
      aggregator: max-min-diff
    max: 0.1
    uncertainty: significant
`

// exampleResult is the audit package's golden results document: two
// systems on a tiny dataset.
func exampleResult() string { return filepath.Join("..", "audit", "testdata", "result_golden.json") }

func ExampleParse() {
	p, err := gate.Parse("policy.yaml", []byte(examplePolicy))
	if err != nil {
		fmt.Println(err)
		return
	}
	r := p.Rules[0]
	fmt.Println(r.ID, r.Select.Kind, r.Select.Metric.Values, r.Select.Cutoff.Values, *r.Max, r.Uncertainty)

	_, err = gate.Parse("policy.yaml", []byte("version: 1\nrules:\n  - id: r\n    description: d\n    select: {kind: disparty}\n    max: 1\n"))
	fmt.Println(err)
	// Output:
	// precision-gender-gap disparity [precision] [3] 0.1 significant
	// policy.yaml:5:20: unknown kind "disparty"; did you mean "disparity"?
}

func ExamplePolicy_Check() {
	p, err := gate.Parse("policy.yaml", []byte(`version: 1
rules:
  - id: r
    description: d
    select: {kind: group, system: itemknn, metric: precision, attribute: age_band, group: 18-35}
    min: 0.1
`))
	if err != nil {
		fmt.Println(err)
		return
	}
	r, err := gate.ReadResult(exampleResult())
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(p.Check(r))
	// Output:
	// policy.yaml:5:91: rule "r": unknown group "18-35"; did you mean "18-34"?
}

func ExampleEvaluate() {
	p, err := gate.Parse("policy.yaml", []byte(examplePolicy))
	if err != nil {
		fmt.Println(err)
		return
	}
	r, err := gate.ReadResult(exampleResult())
	if err != nil {
		fmt.Println(err)
		return
	}
	now := func() time.Time { return time.Date(2026, 5, 4, 9, 0, 0, 0, time.UTC) }
	rep, err := gate.Evaluate(p, r, gate.Options{Now: now})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(rep.Verdict())
	for _, o := range rep.Rules[0].Outcomes {
		fmt.Printf("%s: %s: %s\n", o.Status, o.Target, o.Message)
	}
	// Output:
	// passed: 1 rule: 1 pass
	// pass: popular precision@3 max-min-diff over gender: 0.1111 [0.02778, 0.25] is above the maximum 0.1 but not significant (q = 0.9164 ≥ 0.05)
	// pass: itemknn precision@3 max-min-diff over gender: 0 [0, 0] is at most the maximum 0.1
}

// exampleReport evaluates a policy that fails on the golden result:
// popular's gap, 0.111, is above 0.1 (point estimate).
func exampleReport() *gate.Report {
	p, err := gate.Parse("policy.yaml", []byte(examplePolicy[:len(examplePolicy)-len("    uncertainty: significant\n")]))
	if err != nil {
		panic(err)
	}
	r, err := gate.ReadResult(exampleResult())
	if err != nil {
		panic(err)
	}
	rep, err := gate.Evaluate(p, r, gate.Options{Now: func() time.Time { return time.Date(2026, 5, 4, 9, 0, 0, 0, time.UTC) }})
	if err != nil {
		panic(err)
	}
	return rep
}

func ExampleWriteTable() {
	_ = gate.WriteTable(os.Stdout, exampleReport())
	// Output:
	// recaudit gate FAILED: 1 of 1 rule fail (precision-gender-gap)
	// policy policy.yaml on dataset tiny (recaudit test, seed 42), evaluated 2026-05-04; no baseline
	//
	// FAIL    precision-gender-gap: The precision@3 gap between genders stays within 0.1.
	//         1 of 2 values fails; popular precision@3 max-min-diff over gender: 0.1111 [0.02778, 0.25] is above the maximum 0.1
	//         fail  popular precision@3 max-min-diff over gender  0.1111 [0.02778, 0.25] is above the maximum 0.1
	//         pass  itemknn precision@3 max-min-diff over gender  0 [0, 0] is at most the maximum 0.1
}

func ExampleWriteGitHub() {
	_ = gate.WriteGitHub(os.Stdout, exampleReport())
	// Output:
	// ::error file=policy.yaml,line=3,title=recaudit gate%3A precision-gender-gap failed::1 of 2 values fails; popular precision@3 max-min-diff over gender: 0.1111 [0.02778, 0.25] is above the maximum 0.1%0Afail: popular precision@3 max-min-diff over gender: 0.1111 [0.02778, 0.25] is above the maximum 0.1
}

func ExampleWriteJUnit() {
	_ = gate.WriteJUnit(os.Stdout, exampleReport())
	// Output:
	// <?xml version="1.0" encoding="UTF-8"?>
	// <testsuites name="recaudit gate" tests="1" failures="1" errors="0" skipped="0" time="0">
	//   <testsuite name="recaudit gate: policy.yaml" tests="1" failures="1" errors="0" skipped="0" time="0" timestamp="2026-05-04T00:00:00">
	//     <properties>
	//       <property name="policy" value="policy.yaml"></property>
	//       <property name="date" value="2026-05-04"></property>
	//       <property name="result.dataset" value="tiny"></property>
	//       <property name="result.tool_version" value="test"></property>
	//       <property name="result.seed" value="42"></property>
	//     </properties>
	//     <testcase name="precision-gender-gap" classname="recaudit.gate" time="0">
	//       <failure message="1 of 2 values fails; popular precision@3 max-min-diff over gender: 0.1111 [0.02778, 0.25] is above the maximum 0.1" type="PolicyViolation">The precision@3 gap between genders stays within 0.1.&#xA;fail: popular precision@3 max-min-diff over gender: 0.1111 [0.02778, 0.25] is above the maximum 0.1&#xA;pass: itemknn precision@3 max-min-diff over gender: 0 [0, 0] is at most the maximum 0.1&#xA;</failure>
	//       <system-out>The precision@3 gap between genders stays within 0.1.&#xA;fail: popular precision@3 max-min-diff over gender: 0.1111 [0.02778, 0.25] is above the maximum 0.1&#xA;pass: itemknn precision@3 max-min-diff over gender: 0 [0, 0] is at most the maximum 0.1&#xA;</system-out>
	//     </testcase>
	//   </testsuite>
	// </testsuites>
}

func ExampleWriteMarkdown() {
	_ = gate.WriteMarkdown(os.Stdout, exampleReport())
	// Output:
	// <!-- recaudit-gate -->
	// ### ❌ recaudit gate FAILED: 1 of 1 rule fail (precision-gender-gap)
	//
	// Policy policy.yaml on dataset tiny (recaudit test, seed 42), evaluated 2026-05-04; no baseline.
	//
	// | | Rule | Result |
	// |---|---|---|
	// | ❌ fail | `precision-gender-gap` | 1 of 2 values fails; popular precision@3 max-min-diff over gender: 0.1111 [0.02778, 0.25] is above the maximum 0.1 |
	//
	// <details><summary>❌ <code>precision-gender-gap</code>: 2 values</summary>
	//
	// The precision@3 gap between genders stays within 0.1.
	//
	// | | Value | Observed | q | Baseline | Bounds | Finding |
	// |---|---|---|---|---|---|---|
	// | ❌ | popular precision@3 max-min-diff over gender | 0.1111 [0.02778, 0.25] | 0.9164 | – | ≤ 0.1 | 0.1111 [0.02778, 0.25] is above the maximum 0.1 |
	// | ✅ | itemknn precision@3 max-min-diff over gender | 0 [0, 0] | 1 | – | ≤ 0.1 | 0 [0, 0] is at most the maximum 0.1 |
	//
	// </details>
}

func ExampleWriteJSON() {
	rep := exampleReport()
	fmt.Println(rep.Passed(), rep.Failed(), rep.Counts())
	// WriteJSON writes the document the package documentation describes.
	_ = gate.WriteJSON(os.Stdout, &gate.Report{Policy: "p.yaml", Date: rep.Date, Result: rep.Result})
	// Output:
	// false [precision-gender-gap] 1 fail
	// {
	//   "schema_version": 1,
	//   "passed": true,
	//   "date": "2026-05-04",
	//   "policy": {
	//     "file": "p.yaml",
	//     "name": ""
	//   },
	//   "result": {
	//     "dataset": "tiny",
	//     "tool_version": "test",
	//     "seed": 42,
	//     "systems": [
	//       "popular",
	//       "itemknn"
	//     ]
	//   },
	//   "baseline": null,
	//   "q_threshold": 0,
	//   "counts": {
	//     "rules": 0,
	//     "pass": 0,
	//     "fail": 0,
	//     "waived": 0,
	//     "error": 0,
	//     "skipped": 0
	//   },
	//   "rules": []
	// }
}

func ExampleEscapeData() {
	fmt.Println(gate.EscapeData("100% of\nthe values: a, b"))
	fmt.Println(gate.EscapeProperty("100% of\nthe values: a, b"))
	// Output:
	// 100%25 of%0Athe values: a, b
	// 100%25 of%0Athe values%3A a%2C b
}

func ExampleDecodeResult() {
	_, err := gate.DecodeResult([]byte("{\"schema_version\": 1,\n \"systems\": [}"))
	fmt.Println(err)
	// Output:
	// invalid results document: not valid JSON at line 2, column 14: invalid character '}' looking for beginning of value
}

func ExampleReadPolicy() {
	p, err := gate.ReadPolicy(filepath.Join("..", "examples", "policy", "demo.yaml"))
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, r := range p.Rules {
		bound := "change"
		if r.Change == nil {
			bound = "absolute"
		}
		fmt.Printf("%-36s %-9s %-8s %s\n", r.ID, r.Select.Kind, bound, r.Uncertainty)
	}
	// Output:
	// credit-offers-by-age                 targeting absolute interval
	// accuracy-gender-gap                  disparity absolute significant
	// accuracy-older-customers             disparity absolute interval
	// independent-vendor-exposure          exposure  absolute interval
	// independent-vendor-exposure-no-drop  exposure  change   interval
	// older-customers-ndcg-no-drop         group     change   interval
	// credit-offers-by-age-no-rise         targeting change   interval
}

func ExamplePolicy_Validate() {
	// A policy built in Go: NDCG@10 of every system at least 0.1.
	min := 0.1
	p := &gate.Policy{Version: gate.Version, Rules: []gate.Rule{{
		ID: "ndcg-floor", Description: "NDCG@10 stays at 0.1 or more.",
		Select: gate.Selector{Kind: gate.KindMetric, Metric: gate.Match[string]{Values: []string{"ndcg@10"}}},
		Min:    &min,
	}}}
	fmt.Println(p.Validate())
	p.Rules[0].Change = &gate.Change{}
	fmt.Println(p.Validate())
	// Output:
	// <nil>
	// rule "ndcg-floor": give either min/max (an absolute bound) or change (a bound against the baseline), not both; write two rules for both
}

func ExampleWrite() {
	rep := exampleReport()
	for _, f := range []gate.Format{gate.FormatTable, gate.FormatGitHub} {
		var b strings.Builder
		if err := gate.Write(&b, rep, f); err != nil {
			fmt.Println(err)
		}
		fmt.Printf("%s: %d lines\n", f, strings.Count(b.String(), "\n"))
	}
	// Output:
	// table: 7 lines
	// github: 1 lines
}

func ExampleEscapeProperty() {
	// A title with a colon and a comma, which separate properties.
	fmt.Printf("::error title=%s::%s\n", gate.EscapeProperty("gate: rule a, b"), gate.EscapeData("50% over\nthe bound"))
	// Output:
	// ::error title=gate%3A rule a%2C b::50%25 over%0Athe bound
}
