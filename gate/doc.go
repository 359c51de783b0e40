// Package gate checks an audit result against a fairness policy, the way a
// test suite checks code: a policy file holds rules over the values of a
// results document (package audit), each rule passes or fails, and the
// verdict is written in the formats CI systems read.
//
// # Policies
//
// A policy is a versioned YAML file ([Parse], [ReadPolicy]):
//
//	version: 1
//	rules:
//	  - id: credit-offers-by-age
//	    description: No age band is shown high-cost credit offers much more often than another.
//	    select:
//	      kind: targeting
//	      system: "*"
//	      flag: high_cost_credit
//	      attribute: age_band
//	      cutoff: 10
//	    max: 2.5
//	    uncertainty: interval
//	  - id: independent-exposure-no-drop
//	    description: Independent vendors' share of exposure does not fall against main.
//	    select: {kind: exposure, attribute: provider_type, group: independent, cutoff: 10}
//	    change: {max_drop: 0.05}
//	waivers:
//	  - rule: credit-offers-by-age
//	    reason: retraining scheduled, see ticket FAIR-12
//	    approver: jane.doe@example.com
//	    expires: 2026-06-30
//
// A rule's select picks values of the result by kind ([Selector]): system
// metrics, user groups' values, disparities between user groups with their
// tests, item groups' exposure shares against their catalogue and merit
// targets, and the targeting of flagged items (the ratio of the most to
// the least targeted group's rate, or a group's rate). Every name field
// takes a name, a list of names or "*" (the default for fields left out),
// so one rule can cover every system or every cutoff. A rule bounds the
// values absolutely (min, max) or against a baseline result (change:
// max_drop, max_rise; 0 means "may not fall" or "may not rise"), and says
// how uncertainty counts ([Uncertainty]: the point estimate, the whole
// confidence interval, or significance after the result's
// Benjamini–Hochberg correction).
//
// Problems are reported with the line and column of the policy file:
// syntax and structure by Parse, names the result does not have (with the
// closest valid names by edit distance) by [Policy.Check] and [Evaluate].
//
// # Verdicts
//
// [Evaluate] holds every selected value to its rule's bound and returns a
// [Report]: per rule a status ([Pass], [Fail], [Waived], [Error],
// [Skipped]), a message, and per value an [Outcome] with the observed
// value, its interval and q-value, the baseline value and the bounds
// applied. Waivers carry a reason, an approver and an expiry date; the
// evaluation date comes from an injectable clock ([Options].Now), and an
// expired waiver fails its rule with a message naming the date.
// [Report.Passed] is the gate: no rule failed or had a value that could
// not be checked.
//
// # Output formats
//
// [Write] writes a report in a [Format]: a readable table ([WriteTable]),
// a JSON document ([WriteJSON]), JUnit XML ([WriteJUnit]), GitHub Actions
// workflow commands ([WriteGitHub]) with a Markdown job summary, or
// Markdown for a pull-request comment ([WriteMarkdown]).
//
// The JSON document is stable: fields are added, never renamed, and
// schema_version changes only if a field changes meaning. Numbers that are
// undefined are null. Its fields:
//
//	schema_version   1
//	passed           the gate's verdict (bool)
//	date             evaluation date, "2026-05-04"
//	policy           {file, name}
//	result           {dataset, tool_version, seed, systems}
//	baseline         the same, or null
//	q_threshold      significance threshold of q-values
//	counts           {rules, pass, fail, waived, error, skipped}
//	rules[]          {id, description, line, status, message, kind, field,
//	                  uncertainty, min, max, max_drop, max_rise,
//	                  waiver: {reason, approver, expires, expired} or null,
//	                  outcomes[]}
//	outcomes[]       {status, target, system, metric, cutoff, attribute,
//	                  group, aggregator, flag, measure, value, ci: [lo, hi],
//	                  q, baseline, min, max, message}
//
// In JUnit XML each rule is one test case (see [WriteJUnit]).
//
// # Invariants
//
// Nothing in this package prints, logs or exits; the command layer turns a
// report into an exit status. Policies and results passed in are never
// modified; a Report shares no memory with them (rules and waivers are
// copied). Programmer errors (a nil policy, result or report, a bad
// Format) panic with a message starting with "gate:"; problems with a
// policy file or a results document are returned as errors wrapping
// [ErrPolicy] or [ErrResult]. Parse never panics on any input.
package gate
