package gate_test

import (
	"errors"
	"math"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
	"github.com/recaudit/recaudit/audit"
	"github.com/recaudit/recaudit/fairness"
	"github.com/recaudit/recaudit/gate"
)

const tol = 1e-12

// verdict is what a test expects of one value: its target, status and a
// piece of its message.
type verdict struct {
	target string
	status gate.Status
	msg    string
}

// rule builds one rule's YAML lines from a select mapping, a bound and an
// uncertainty mode.
func rule(sel, bound, unc string) string {
	s := "  - id: r\n    description: d\n    select: " + sel + "\n    " + bound + "\n"
	if unc != "" {
		s += "    uncertainty: " + unc + "\n"
	}
	return s
}

// TestEvaluateKinds checks each kind and value a rule can select, with
// each uncertainty mode, against the fixture (its comment lists the
// values the expected verdicts are worked out from).
func TestEvaluateKinds(t *testing.T) {
	for _, tc := range []struct {
		name  string
		rule  string
		want  []verdict
		final gate.Status
	}{
		// Metric kind.
		{"metric min point", rule("{kind: metric, metric: ndcg, cutoff: 10}", "min: 0.25", ""), []verdict{
			{"knn ndcg@10", gate.Pass, "0.3 [0.28, 0.32] is at least the minimum 0.25"},
			{"pop ndcg@10", gate.Fail, "0.2 [0.18, 0.22] is below the minimum 0.25"},
		}, gate.Fail},
		{"metric full name", rule("{kind: metric, system: pop, metric: ndcg@10}", "max: 0.1", ""), []verdict{
			{"pop ndcg@10", gate.Fail, "0.2 [0.18, 0.22] is above the maximum 0.1"},
		}, gate.Fail},
		{"metric range", rule("{kind: metric, metric: ndcg}", "min: 0.1\n    max: 0.25", ""), []verdict{
			{"knn ndcg@10", gate.Fail, "0.3 [0.28, 0.32] is above the maximum 0.25"},
			{"pop ndcg@10", gate.Pass, "0.2 [0.18, 0.22] is within [0.1, 0.25]"},
		}, gate.Fail},
		// pop: 0.20 is below 0.21 but its interval's upper end 0.22 is not.
		{"metric interval reaches", rule("{kind: metric, metric: ndcg}", "min: 0.21", "interval"), []verdict{
			{"knn ndcg@10", gate.Pass, "is at least the minimum 0.21"},
			{"pop ndcg@10", gate.Pass, "0.2 [0.18, 0.22] is below the minimum 0.21, but its interval reaches the bound"},
		}, gate.Pass},
		{"metric interval wholly below", rule("{kind: metric, metric: ndcg}", "min: 0.23", "interval"), []verdict{
			{"knn ndcg@10", gate.Pass, ""},
			{"pop ndcg@10", gate.Fail, "0.2 [0.18, 0.22] lies wholly below the minimum 0.23"},
		}, gate.Fail},
		// Catalogue-level metrics have no interval.
		{"catalogue metric interval", rule("{kind: metric, metric: coverage}", "min: 0.1", "interval"), []verdict{
			{"knn coverage@10", gate.Pass, "0.5 is at least the minimum 0.1"},
			{"pop coverage@10", gate.Error, "0.05 is below the minimum 0.1, and has no confidence interval"},
		}, gate.Error},

		// Group kind: X is withheld (undefined), reached through the
		// wildcard group, so skipped.
		{"group wildcard", rule("{kind: group, metric: ndcg, attribute: gender}", "min: 0.2", ""), []verdict{
			{"knn ndcg@10 of gender=F", gate.Pass, ""},
			{"knn ndcg@10 of gender=M", gate.Pass, ""},
			{"knn ndcg@10 of gender=X", gate.Skipped, "the value is undefined (withheld: fewer than 20 users with a value)"},
			{"pop ndcg@10 of gender=F", gate.Pass, ""},
			{"pop ndcg@10 of gender=M", gate.Fail, "0.17 [0.15, 0.19] is below the minimum 0.2"},
			{"pop ndcg@10 of gender=X", gate.Skipped, ""},
		}, gate.Fail},
		{"group named withheld", rule("{kind: group, system: knn, metric: ndcg, cutoff: 10, attribute: gender, group: X}", "min: 0.2", ""), []verdict{
			{"knn ndcg@10 of gender=X", gate.Error, "the value is undefined (withheld: fewer than 20 users with a value)"},
		}, gate.Error},
		{"group suppressed", rule("{kind: group, metric: ndcg, attribute: gender, group: NB}", "min: 0.2", ""), []verdict{
			{"knn ndcg@10 of gender=NB", gate.Error, "the value is undefined (suppressed: fewer than 10 users)"},
			{"pop ndcg@10 of gender=NB", gate.Error, ""},
		}, gate.Error},
		// vs rest: F − M, knn 0.04, pop 0.07.
		{"group vs rest", rule("{kind: group, metric: ndcg, attribute: gender, group: F, value: vs_rest}", "max: 0.05", ""), []verdict{
			{"knn ndcg@10 of gender=F vs rest", gate.Pass, "0.04 [0.01, 0.07] is at most the maximum 0.05"},
			{"pop ndcg@10 of gender=F vs rest", gate.Fail, "0.07 [0.04, 0.1] is above the maximum 0.05"},
		}, gate.Fail},

		// Disparity kind.
		{"disparity point", rule("{kind: disparity, metric: ndcg, attribute: gender, aggregator: max-min-diff}", "max: 0.05", ""), []verdict{
			{"knn ndcg@10 max-min-diff over gender", gate.Pass, "0.04 [0.01, 0.07] is at most the maximum 0.05"},
			{"pop ndcg@10 max-min-diff over gender", gate.Fail, "0.07 [0.05, 0.09] is above the maximum 0.05"},
		}, gate.Fail},
		// pop's interval starts at 0.05, the bound itself: not wholly above.
		{"disparity interval", rule("{kind: disparity, metric: ndcg, attribute: gender, aggregator: max-min-diff}", "max: 0.05", "interval"), []verdict{
			{"knn ndcg@10 max-min-diff over gender", gate.Pass, ""},
			{"pop ndcg@10 max-min-diff over gender", gate.Pass, "but its interval reaches the bound"},
		}, gate.Pass},
		{"disparity significant", rule("{kind: disparity, metric: ndcg, attribute: gender, aggregator: max-min-diff}", "max: 0.03", "significant"), []verdict{
			{"knn ndcg@10 max-min-diff over gender", gate.Pass, "0.04 [0.01, 0.07] is above the maximum 0.03 but not significant (q = 0.2 ≥ 0.05)"},
			{"pop ndcg@10 max-min-diff over gender", gate.Fail, "0.07 [0.05, 0.09] is above the maximum 0.03 and significant (q = 0.03 < 0.05)"},
		}, gate.Fail},
		{"disparity ratio", rule("{kind: disparity, metric: ndcg, attribute: gender, aggregator: min-max-ratio}", "min: 0.8", ""), []verdict{
			{"knn ndcg@10 min-max-ratio over gender", gate.Pass, "0.875 [0.8, 0.95] is at least the minimum 0.8"},
			{"pop ndcg@10 min-max-ratio over gender", gate.Fail, "0.7083 [0.6, 0.8] is below the minimum 0.8"},
		}, gate.Fail},

		// Exposure kind.
		{"exposure share", rule("{kind: exposure, attribute: provider_type, group: independent}", "min: 0.3", ""), []verdict{
			{"knn exposure share of provider_type=independent at 10", gate.Pass, "0.4 [0.38, 0.42] is at least the minimum 0.3"},
			{"pop exposure share of provider_type=independent at 10", gate.Fail, "0.1 [0.09, 0.11] is below the minimum 0.3"},
		}, gate.Fail},
		// 0.4/0.7 = 0.5714, 0.1/0.7 = 0.1429 with interval [0.09/0.7, 0.11/0.7].
		{"exposure catalogue ratio", rule("{kind: exposure, group: independent, value: catalogue_ratio}", "min: 0.5", "interval"), []verdict{
			{"knn exposure catalogue_ratio of provider_type=independent at 10", gate.Pass, "0.5714 [0.5429, 0.6] is at least"},
			{"pop exposure catalogue_ratio of provider_type=independent at 10", gate.Fail, "0.1429 [0.1286, 0.1571] lies wholly below the minimum 0.5"},
		}, gate.Fail},
		{"exposure vs catalogue", rule("{kind: exposure, group: brand, value: vs_catalogue}", "max: 0.5", "significant"), []verdict{
			{"knn exposure vs_catalogue of provider_type=brand at 10", gate.Pass, "0.3 [0.28, 0.32] is at most the maximum 0.5"},
			{"pop exposure vs_catalogue of provider_type=brand at 10", gate.Fail, "0.6 [0.59, 0.61] is above the maximum 0.5 and significant (q = 0.001 < 0.05)"},
		}, gate.Fail},
		{"exposure vs merit", rule("{kind: exposure, group: independent, value: vs_merit}", "min: -0.2", "significant"), []verdict{
			{"knn exposure vs_merit of provider_type=independent at 10", gate.Pass, ""},
			{"pop exposure vs_merit of provider_type=independent at 10", gate.Fail, "-0.4 [-0.42, -0.38] is below the minimum -0.2 and significant (q = 0.001 < 0.05)"},
		}, gate.Fail},
		// L1 distance to the catalogue target: 2·0.3 and 2·0.6.
		{"exposure l1", rule("{kind: exposure, system: [knn, pop], value: l1_catalogue}", "max: 1", ""), []verdict{
			{"knn exposure l1_catalogue of provider_type at 10", gate.Pass, "0.6 [0.58, 0.62] is at most the maximum 1"},
			{"pop exposure l1_catalogue of provider_type at 10", gate.Fail, "1.2 [1.18, 1.22] is above the maximum 1"},
		}, gate.Fail},

		// Targeting kind.
		{"targeting ratio interval", rule("{kind: targeting, flag: high_cost_credit, attribute: age_band, cutoff: 10}", "max: 2.5", "interval"), []verdict{
			{"knn high_cost_credit share ratio over age_band at 10", gate.Pass, "1.5 [1.2, 1.8] is at most the maximum 2.5"},
			{"pop high_cost_credit share ratio over age_band at 10", gate.Pass, "3 [2.5, 3.6] is above the maximum 2.5, but its interval reaches the bound"},
		}, gate.Pass},
		{"targeting ratio interval fails", rule("{kind: targeting, measure: share}", "max: 2.4", "interval"), []verdict{
			{"knn high_cost_credit share ratio over age_band at 10", gate.Pass, ""},
			{"pop high_cost_credit share ratio over age_band at 10", gate.Fail, "3 [2.5, 3.6] lies wholly above the maximum 2.4"},
		}, gate.Fail},
		{"targeting ratio significant", rule("{kind: targeting}", "max: 1.4", "significant"), []verdict{
			{"knn high_cost_credit share ratio over age_band at 10", gate.Fail, "1.5 [1.2, 1.8] is above the maximum 1.4 and significant (q = 0.04 < 0.05)"},
			{"pop high_cost_credit share ratio over age_band at 10", gate.Fail, "(q = 0.001 < 0.05)"},
		}, gate.Fail},
		{"targeting rate", rule("{kind: targeting, group: 18-24, value: rate}", "max: 0.05", ""), []verdict{
			{"knn high_cost_credit share rate of age_band=18-24 at 10", gate.Pass, "0.03 [0.025, 0.035] is at most the maximum 0.05"},
			{"pop high_cost_credit share rate of age_band=18-24 at 10", gate.Fail, "0.06 [0.055, 0.065] is above the maximum 0.05"},
		}, gate.Fail},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p := mustParse(t, policy(tc.rule))
			rep, err := gate.Evaluate(p, fixture(), gate.Options{Now: day("2026-05-04")})
			if err != nil {
				t.Fatal(err)
			}
			checkRule(t, rep.Rules[0], tc.final, tc.want)
		})
	}
}

func checkRule(t *testing.T, rr gate.RuleResult, status gate.Status, want []verdict) {
	t.Helper()
	if rr.Status != status {
		t.Errorf("rule status %v, want %v (%s)", rr.Status, status, rr.Message)
	}
	if len(rr.Outcomes) != len(want) {
		for _, o := range rr.Outcomes {
			t.Logf("%v %s: %s", o.Status, o.Target, o.Message)
		}
		t.Fatalf("%d outcomes, want %d", len(rr.Outcomes), len(want))
	}
	for i, w := range want {
		o := rr.Outcomes[i]
		if o.Target.String() != w.target || o.Status != w.status || !strings.Contains(o.Message, w.msg) {
			t.Errorf("outcome %d: %v %q: %q\nwant %v %q: ...%q...", i, o.Status, o.Target, o.Message, w.status, w.target, w.msg)
		}
	}
}

// TestEvaluateOutcomeFields checks every number an outcome carries.
func TestEvaluateOutcomeFields(t *testing.T) {
	p := mustParse(t, policy(rule("{kind: disparity, system: pop, metric: ndcg, attribute: gender, aggregator: max-min-diff}", "max: 0.05", "significant")))
	rep, err := gate.Evaluate(p, fixture(), gate.Options{Now: day("2026-05-04")})
	if err != nil {
		t.Fatal(err)
	}
	nan := math.NaN()
	want := gate.Outcome{
		Status: gate.Fail,
		Target: gate.Target{Kind: gate.KindDisparity, System: "pop", Metric: "ndcg@10", Cutoff: 10, Attribute: "gender", Aggregator: "max-min-diff"},
		// Fixture: pop's max-min-diff by gender.
		Value: 0.07, CI: [2]float64{0.05, 0.09}, Q: 0.03,
		Baseline: nan, Min: nan, Max: 0.05,
		Message: "0.07 [0.05, 0.09] is above the maximum 0.05 and significant (q = 0.03 < 0.05)",
	}
	if diff := cmp.Diff(want, rep.Rules[0].Outcomes[0], cmpopts.EquateApprox(0, tol), cmpopts.EquateNaNs()); diff != "" {
		t.Errorf("outcome (-want +got):\n%s", diff)
	}
	if rep.QThreshold != 0.05 || rep.Result.Dataset != "fixture" || rep.Baseline != nil {
		t.Errorf("report header: q threshold %v, dataset %q, baseline %v", rep.QThreshold, rep.Result.Dataset, rep.Baseline)
	}
}

// changed returns the fixture with knn's independent exposure share
// lowered from 0.40 to 0.33 (interval [0.32, 0.34]) and pop's from 0.10 to
// 0.09 ([0.08, 0.10]), and pop's credit ratio raised from 3 to 3.2.
func changed() *audit.Result {
	r := fixture()
	set := func(s *audit.SystemResult, v, w float64) {
		g := &s.Provider[0].Groups[1]
		g.Share = fairness.Estimate{Value: fairness.Float(v), CI: fairness.Interval2{fairness.Float(v - w), fairness.Float(v + w)}}
	}
	set(r.Systems[0], 0.33, 0.01)
	set(r.Systems[1], 0.09, 0.01)
	r.Systems[1].Targeting[0].Ratio.Value = 3.2
	return r
}

// TestEvaluateChange checks rules against a baseline.
func TestEvaluateChange(t *testing.T) {
	share := "{kind: exposure, attribute: provider_type, group: independent, cutoff: 10}"
	for _, tc := range []struct {
		name      string
		rule      string
		cur, base *audit.Result
		want      []verdict
		final     gate.Status
	}{
		// knn falls 0.07 (limit 0.40 − 0.05 = 0.35), pop 0.01 (limit 0.05).
		{"drop point", rule(share, "change: {max_drop: 0.05}", ""), changed(), fixture(), []verdict{
			{"knn exposure share of provider_type=independent at 10", gate.Fail, "fell by 0.07 from the baseline 0.4; 0.33 [0.32, 0.34] is below the baseline 0.4 less the allowed drop 0.05 (0.35)"},
			{"pop exposure share of provider_type=independent at 10", gate.Pass, "fell by 0.01 from the baseline 0.1; 0.09 [0.08, 0.1] is at least 0.05, the baseline less the allowed drop 0.05"},
		}, gate.Fail},
		// knn's interval [0.32, 0.34] lies wholly below 0.35.
		{"drop interval", rule(share, "change: {max_drop: 0.05}", "interval"), changed(), fixture(), []verdict{
			{"knn exposure share of provider_type=independent at 10", gate.Fail, "lies wholly below the baseline 0.4 less the allowed drop 0.05 (0.35)"},
			{"pop exposure share of provider_type=independent at 10", gate.Pass, ""},
		}, gate.Fail},
		// The share tests (vs catalogue, q = 0.001) are significant.
		{"drop significant", rule(share, "change: {max_drop: 0.05}", "significant"), changed(), fixture(), []verdict{
			{"knn exposure share of provider_type=independent at 10", gate.Fail, "and significant (q = 0.001 < 0.05)"},
			{"pop exposure share of provider_type=independent at 10", gate.Pass, ""},
		}, gate.Fail},
		{"may not fall", rule(share, "change: {max_drop: 0}", ""), changed(), fixture(), []verdict{
			{"knn exposure share of provider_type=independent at 10", gate.Fail, "is below the baseline 0.4 (it may not fall)"},
			{"pop exposure share of provider_type=independent at 10", gate.Fail, "is below the baseline 0.1 (it may not fall)"},
		}, gate.Fail},
		{"unchanged", rule(share, "change: {max_drop: 0}", ""), fixture(), fixture(), []verdict{
			{"knn exposure share of provider_type=independent at 10", gate.Pass, "unchanged from the baseline 0.4; 0.4 [0.38, 0.42] is at least 0.4"},
			{"pop exposure share of provider_type=independent at 10", gate.Pass, ""},
		}, gate.Pass},
		// pop's ratio rose from 3 to 3.2; the rule allows no rise.
		{"may not rise", rule("{kind: targeting}", "change: {max_rise: 0}", ""), changed(), fixture(), []verdict{
			{"knn high_cost_credit share ratio over age_band at 10", gate.Pass, "unchanged from the baseline 1.5"},
			{"pop high_cost_credit share ratio over age_band at 10", gate.Fail, "rose by 0.2 from the baseline 3; 3.2 [2.5, 3.6] is above the baseline 3 (it may not rise)"},
		}, gate.Fail},
		{"both sides", rule("{kind: targeting}", "change: {max_drop: 0.1, max_rise: 0.5}", ""), changed(), fixture(), []verdict{
			{"knn high_cost_credit share ratio over age_band at 10", gate.Pass, "is at least 1.4, the baseline less the allowed drop 0.1, and at most 2, the baseline plus the allowed rise 0.5"},
			{"pop high_cost_credit share ratio over age_band at 10", gate.Pass, ""},
		}, gate.Pass},
		{"no baseline", rule(share, "change: {max_drop: 0.05}", ""), changed(), nil, []verdict{
			{"knn exposure share of provider_type=independent at 10", gate.Skipped, "not checked: no baseline result given"},
			{"pop exposure share of provider_type=independent at 10", gate.Skipped, ""},
		}, gate.Skipped},
		{"baseline without the system", rule(share, "change: {max_drop: 0.05}", ""), changed(), func() *audit.Result {
			r := fixture()
			r.Systems = r.Systems[:1]
			return r
		}(), []verdict{
			{"knn exposure share of provider_type=independent at 10", gate.Fail, ""},
			{"pop exposure share of provider_type=independent at 10", gate.Skipped, "not checked: the baseline has no such value"},
		}, gate.Fail},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p := mustParse(t, policy(tc.rule))
			rep, err := gate.Evaluate(p, tc.cur, gate.Options{Baseline: tc.base, Now: day("2026-05-04")})
			if err != nil {
				t.Fatal(err)
			}
			checkRule(t, rep.Rules[0], tc.final, tc.want)
			if got := rep.Passed(); got != !tc.final.Failing() {
				t.Errorf("Passed() = %v with rule status %v", got, tc.final)
			}
		})
	}
}

// TestEvaluateChangeOutcome checks the numbers of a change outcome.
func TestEvaluateChangeOutcome(t *testing.T) {
	p := mustParse(t, policy(rule("{kind: exposure, system: knn, attribute: provider_type, group: independent, cutoff: 10}", "change: {max_drop: 0.05}", "")))
	rep, err := gate.Evaluate(p, changed(), gate.Options{Baseline: fixture(), Now: day("2026-05-04")})
	if err != nil {
		t.Fatal(err)
	}
	o := rep.Rules[0].Outcomes[0]
	// changed(): knn 0.33 [0.32, 0.34]; baseline 0.40, limit 0.40 − 0.05.
	got := []float64{o.Value, o.CI[0], o.CI[1], o.Q, o.Baseline, o.Min}
	want := []float64{0.33, 0.32, 0.34, 0.001, 0.40, 0.35}
	if diff := cmp.Diff(want, got, cmpopts.EquateApprox(0, tol)); diff != "" || !math.IsNaN(o.Max) {
		t.Errorf("value, CI, q, baseline, min (-want +got):\n%s; max %v, want NaN", diff, o.Max)
	}
	if rep.Baseline == nil || rep.Baseline.Dataset != "fixture" {
		t.Errorf("baseline source %+v", rep.Baseline)
	}
}

// TestWaivers checks waivers that are valid, expire on the evaluation day,
// have expired, and are not needed.
func TestWaivers(t *testing.T) {
	failing := rule("{kind: metric, metric: ndcg}", "min: 0.25", "") // pop fails
	passing := "  - id: ok\n    description: d\n    select: {kind: metric, metric: ndcg}\n    min: 0.1\n"
	waive := func(id string) string {
		return "waivers:\n  - rule: " + id + "\n    reason: retraining\n    approver: Jane Doe\n    expires: 2026-06-30\n"
	}
	for _, tc := range []struct {
		name    string
		src     string
		today   string
		status  gate.Status
		msg     string
		outcome gate.Status // of pop's value
		passed  bool
	}{
		{"valid", policy(failing) + waive("r"), "2026-06-01", gate.Waived,
			"waived until 2026-06-30 (approved by Jane Doe: retraining). 1 of 2 values fails", gate.Waived, true},
		{"expires today", policy(failing) + waive("r"), "2026-06-30", gate.Waived,
			"waived until today, 2026-06-30 (approved by Jane Doe: retraining)", gate.Waived, true},
		{"expired", policy(failing) + waive("r"), "2026-07-01", gate.Fail,
			"the waiver of this rule expired on 2026-06-30 (approved by Jane Doe: retraining); renew or remove it. 1 of 2 values fails", gate.Fail, false},
		{"expired on a passing rule", policy(passing) + waive("ok"), "2026-07-01", gate.Fail,
			"the waiver of this rule expired on 2026-06-30 (approved by Jane Doe: retraining); renew or remove it. 2 values pass", gate.Pass, false},
		{"not needed", policy(passing) + waive("ok"), "2026-06-01", gate.Pass,
			"2 values pass; the waiver until 2026-06-30 is not needed", gate.Pass, true},
		{"no waiver", policy(failing), "2026-06-01", gate.Fail, "1 of 2 values fails; pop ndcg@10: 0.2 [0.18, 0.22] is below the minimum 0.25", gate.Fail, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p := mustParse(t, tc.src)
			rep, err := gate.Evaluate(p, fixture(), gate.Options{Now: day(tc.today)})
			if err != nil {
				t.Fatal(err)
			}
			rr := rep.Rules[0]
			if rr.Status != tc.status || !strings.HasPrefix(rr.Message, tc.msg) {
				t.Errorf("rule: %v %q\nwant %v %q...", rr.Status, rr.Message, tc.status, tc.msg)
			}
			if got := rr.Outcomes[1].Status; got != tc.outcome {
				t.Errorf("pop's outcome %v, want %v", got, tc.outcome)
			}
			if rep.Passed() != tc.passed {
				t.Errorf("Passed() = %v, want %v", rep.Passed(), tc.passed)
			}
			if rr.Waiver != nil && rr.WaiverExpired != (tc.today > "2026-06-30") {
				t.Errorf("WaiverExpired = %v on %s", rr.WaiverExpired, tc.today)
			}
		})
	}
}

// TestEvaluateDateUTC checks that the evaluation date is the UTC date of
// the clock: 23:30 on 30 June in New York is 1 July in UTC.
func TestEvaluateDateUTC(t *testing.T) {
	p := mustParse(t, policy(rule("{kind: metric, metric: ndcg}", "min: 0.1", "")))
	ny := time.Date(2026, 6, 30, 23, 30, 0, 0, time.FixedZone("EDT", -4*3600))
	rep, err := gate.Evaluate(p, fixture(), gate.Options{Now: func() time.Time { return ny }})
	if err != nil {
		t.Fatal(err)
	}
	if got := rep.Date.Format("2006-01-02"); got != "2026-07-01" {
		t.Errorf("date %s, want 2026-07-01", got)
	}
}

// TestCheckNames checks that names the result does not have are reported
// with their position and the closest valid names.
func TestCheckNames(t *testing.T) {
	for _, tc := range []struct {
		name, sel, want string
	}{
		{"system", "{kind: metric, system: knm, metric: ndcg}", `policy.yaml:5:36: rule "r": unknown system "knm"; did you mean "knn"?`},
		{"metric", "{kind: metric, metric: ndgc}", `policy.yaml:5:36: rule "r": unknown metric "ndgc"; did you mean "ndcg"?`},
		{"metric full", "{kind: metric, metric: ndcg@20}", `policy.yaml:5:36: rule "r": unknown metric "ndcg@20"; did you mean "ndcg@10"?`},
		{"metric far", "{kind: metric, metric: precision}", `policy.yaml:5:36: rule "r": unknown metric "precision"; valid names: "ndcg", "coverage"`},
		{"cutoff", "{kind: metric, metric: ndcg, cutoff: 20}", `policy.yaml:5:50: rule "r": unknown cutoff 20; the selected values have cutoffs 10`},
		{"attribute", "{kind: disparity, metric: ndcg, attribute: gendre, aggregator: max-min-diff}", `policy.yaml:5:56: rule "r": unknown attribute "gendre"; did you mean "gender"?`},
		{"attribute of other values", "{kind: group, metric: ndcg, attribute: age_band}", `policy.yaml:5:52: rule "r": unknown attribute "age_band"; valid names: "gender"`},
		{"group", "{kind: group, metric: ndcg, attribute: gender, group: f}", `policy.yaml:5:67: rule "r": unknown group "f"; did you mean "F"?`},
		{"aggregator", "{kind: disparity, metric: ndcg, aggregator: max-min}", `policy.yaml:5:57: rule "r": unknown aggregator "max-min"; did you mean "max-min-diff"?`},
		{"flag", "{kind: targeting, flag: credit}", `policy.yaml:5:37: rule "r": unknown flag "credit"; valid names: "high_cost_credit"`},
		{"measure", "{kind: targeting, measure: shown}", `policy.yaml:5:40: rule "r": unknown measure "shown"; valid names: "share"`},
		{"item attribute", "{kind: exposure, attribute: provider}", `policy.yaml:5:41: rule "r": unknown attribute "provider"; did you mean "provider_type"?`},
		{"exposure group", "{kind: exposure, group: indie}", `policy.yaml:5:37: rule "r": unknown group "indie"; valid names: "brand", "independent"`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p := mustParse(t, policy(rule(tc.sel, "min: 0", "")))
			err := p.Check(fixture())
			if err == nil || err.Error() != tc.want || !errors.Is(err, gate.ErrPolicy) {
				t.Errorf("Check:\n got %v\nwant %s", err, tc.want)
			}
			if _, err2 := gate.Evaluate(p, fixture(), gate.Options{}); err2 == nil || err2.Error() != err.Error() {
				t.Errorf("Evaluate: %v, want the error of Check", err2)
			}
		})
	}
}

// TestCheckSelectsNothing checks a rule that selects nothing: here, a
// result without targeting summaries.
func TestCheckSelectsNothing(t *testing.T) {
	r := fixture()
	for _, s := range r.Systems {
		s.Targeting = nil
	}
	p := mustParse(t, policy(rule("{kind: targeting}", "max: 2", "")))
	want := `policy.yaml:5:13: rule "r" selects no value: the result has no targeting value that matches this select`
	if err := p.Check(r); err == nil || err.Error() != want {
		t.Errorf("got %v\nwant %s", err, want)
	}
}

// TestEvaluateDoesNotModify checks that Evaluate leaves its inputs alone
// and that the report shares no memory with the policy.
func TestEvaluateDoesNotModify(t *testing.T) {
	src := policy(rule("{kind: exposure, system: [knn, pop], group: independent}", "change: {max_drop: 0.05}", "interval"))
	p := mustParse(t, src)
	before := mustParse(t, src)
	cur, base := changed(), fixture()
	rep, err := gate.Evaluate(p, cur, gate.Options{Baseline: base, Now: day("2026-05-04")})
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(before, p); diff != "" {
		t.Errorf("policy modified (-before +after):\n%s", diff)
	}
	if diff := cmp.Diff(changed(), cur, equateFloat); diff != "" {
		t.Errorf("result modified:\n%s", diff)
	}
	if diff := cmp.Diff(fixture(), base, equateFloat); diff != "" {
		t.Errorf("baseline modified:\n%s", diff)
	}
	rep.Rules[0].Rule.Select.System.Values[0] = "changed"
	*rep.Rules[0].Rule.Change.MaxDrop = 1
	if p.Rules[0].Select.System.Values[0] != "knn" || *p.Rules[0].Change.MaxDrop != 0.05 {
		t.Error("the report shares memory with the policy")
	}
}

// equateFloat compares fairness.Float values, NaN equal to NaN.
var equateFloat = cmp.Comparer(func(a, b fairness.Float) bool { return a == b || (a.IsNaN() && b.IsNaN()) })

func TestEvaluatePanics(t *testing.T) {
	p := mustParse(t, policy(rule("{kind: metric, metric: ndcg}", "min: 0", "")))
	for name, f := range map[string]func(){
		"nil policy": func() { _, _ = gate.Evaluate(nil, fixture(), gate.Options{}) },
		"nil result": func() { _, _ = gate.Evaluate(p, nil, gate.Options{}) },
		"bad format": func() { _ = gate.Write(nil, &gate.Report{}, gate.Format(99)) },
		"nil report": func() { _ = gate.WriteJSON(nil, nil) },
	} {
		if !panics(f) {
			t.Errorf("%s: no panic", name)
		}
	}
}

func panics(f func()) (p bool) {
	defer func() { p = recover() != nil }()
	f()
	return false
}
