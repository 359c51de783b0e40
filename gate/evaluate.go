package gate

import (
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"

	"github.com/recaudit/recaudit/audit"
)

// Options are the settings of [Evaluate]. The zero value evaluates
// without a baseline, today.
type Options struct {
	// Baseline is the result change rules compare with (the audit of the
	// main branch, say); nil skips change rules.
	Baseline *audit.Result
	// Now is the clock that gives the evaluation date for waivers; nil
	// means time.Now. The date is taken in UTC.
	Now func() time.Time
}

// Report is the verdict of a policy on a result.
type Report struct {
	// Policy is the policy's file name, PolicyName its name field.
	Policy     string
	PolicyName string
	// Date is the evaluation date (midnight UTC) against which waivers
	// expire.
	Date time.Time
	// Result and Baseline describe the gated result and the baseline (nil
	// without one).
	Result   Source
	Baseline *Source
	// QThreshold is the q-value below which a test counts as significant:
	// the result's tests.q_threshold.
	QThreshold float64
	Rules      []RuleResult
}

// Source describes a results document.
type Source struct {
	Dataset     string
	ToolVersion string
	Seed        uint64
	Systems     []string
}

// RuleResult is the verdict of one rule.
type RuleResult struct {
	Rule Rule
	// Status is the rule's status: Fail when a value fails or the waiver
	// has expired, else Error when a value cannot be checked, else Pass
	// when a value passes, else Skipped. A valid waiver turns Fail and
	// Error into Waived.
	Status Status
	// Waiver is the rule's waiver, nil when it has none; WaiverExpired
	// reports that it expired before the evaluation date.
	Waiver        *Waiver
	WaiverExpired bool
	// Message sums the rule up in a sentence.
	Message  string
	Outcomes []Outcome
}

// Outcome is the verdict on one selected value.
type Outcome struct {
	// Status is Pass, Fail, Error, Skipped, or Waived (a Fail or Error
	// under a valid waiver).
	Status Status
	Target Target
	// Value is the observed value, CI its confidence interval (NaN bounds
	// when it has none), Q the q-value of its test (NaN without one).
	Value float64
	CI    [2]float64
	Q     float64
	// Baseline is the value in the baseline (NaN for absolute rules).
	Baseline float64
	// Min and Max are the bounds the value was held to: the rule's min and
	// max, or the baseline value less the allowed drop and plus the
	// allowed rise; NaN for no bound.
	Min, Max float64
	// Message says in a sentence what was found.
	Message string
}

// Counts counts rules by status.
type Counts struct {
	Rules, Pass, Fail, Waived, Error, Skipped int
}

// Counts returns the number of rules with each status.
func (r *Report) Counts() Counts {
	c := Counts{Rules: len(r.Rules)}
	for _, rr := range r.Rules {
		switch rr.Status {
		case Pass:
			c.Pass++
		case Fail:
			c.Fail++
		case Waived:
			c.Waived++
		case Error:
			c.Error++
		case Skipped:
			c.Skipped++
		}
	}
	return c
}

// Passed reports whether the gate passes: no rule fails or has a value
// that cannot be checked. Waived and skipped rules do not fail the gate.
func (r *Report) Passed() bool {
	for _, rr := range r.Rules {
		if rr.Status.Failing() {
			return false
		}
	}
	return true
}

// Failed returns the IDs of the rules that fail the gate.
func (r *Report) Failed() []string {
	var ids []string
	for _, rr := range r.Rules {
		if rr.Status.Failing() {
			ids = append(ids, rr.Rule.ID)
		}
	}
	return ids
}

// Evaluate checks every rule of p against r and returns the verdict.
//
// Each rule selects values of r (see [Selector]) and holds each to its
// bound, counting uncertainty as the rule says:
//
//	point        fail when the estimate is beyond the bound
//	interval     fail when the estimate and its whole confidence interval
//	             are beyond the bound
//	significant  fail when the estimate is beyond the bound and its test
//	             has q < the result's q threshold (Benjamini–Hochberg
//	             over the whole result, as results.json reports it)
//
// A change rule's bounds are the baseline's value less MaxDrop and plus
// MaxRise; without a baseline, or for a value the baseline does not have
// or has undefined, the value is Skipped (this comes first). An undefined
// value (NaN: a withheld group, a ratio with an empty denominator) is an
// Error when the rule names every field of the kind, and Skipped when the
// rule reaches it through a wildcard; a group the audit suppressed, which
// is selected only when named, is an Error. An Error also arises when
// the interval or the test a mode needs is missing for a value beyond its
// bound.
//
// A valid waiver (expiring on or after the evaluation date) turns the
// rule's failures into Waived. An expired waiver fails its rule, with a
// message that gives the expiry date, whatever the values.
//
// Evaluate returns an error wrapping ErrPolicy when the policy is not
// valid on its own ([Policy.Validate]: a policy built in Go is checked as
// a parsed one is), names something r does not have, or has a rule that
// selects nothing ([Policy.Check]). It panics if p or r is nil.
func Evaluate(p *Policy, r *audit.Result, opt Options) (*Report, error) {
	if p == nil {
		panic(panicNilPolicy)
	}
	if r == nil {
		panic(panicNilResult)
	}
	if err := p.Validate(); err != nil {
		return nil, err
	}
	sel, err := p.resolve(r)
	if err != nil {
		return nil, err
	}
	now := time.Now
	if opt.Now != nil {
		now = opt.Now
	}
	t := now().UTC()
	rep := &Report{
		Policy: p.File, PolicyName: p.Name,
		Date:       time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, time.UTC),
		Result:     source(r),
		QThreshold: r.Tests.QThreshold,
	}
	if !(rep.QThreshold > 0) {
		rep.QThreshold = audit.QThreshold
	}
	if opt.Baseline != nil {
		b := source(opt.Baseline)
		rep.Baseline = &b
	}
	waivers := map[string]*Waiver{}
	for i := range p.Waivers {
		waivers[p.Waivers[i].Rule] = &p.Waivers[i]
	}
	for i := range p.Rules {
		rule := &p.Rules[i]
		var base map[Target]*entry
		if rule.Change != nil && opt.Baseline != nil {
			bs := entries(opt.Baseline, rule.Select.Kind, rule.Select.Field, rule.Select.Group)
			base = make(map[Target]*entry, len(bs))
			for j := range bs {
				base[bs[j].t] = &bs[j]
			}
		}
		rr := RuleResult{Rule: rule.clone()}
		wild := rule.Select.wildcard()
		for j := range sel[i] {
			e := &sel[i][j]
			var be *entry
			if base != nil {
				be = base[e.t]
			}
			rr.Outcomes = append(rr.Outcomes, judge(rule, e, be, opt.Baseline != nil, wild, rep.QThreshold))
		}
		if w := waivers[rule.ID]; w != nil {
			wc := *w
			rr.Waiver = &wc
			rr.WaiverExpired = rep.Date.After(w.Expires)
		}
		summarise(&rr, rep.Date)
		rep.Rules = append(rep.Rules, rr)
	}
	return rep, nil
}

func source(r *audit.Result) Source {
	s := Source{Dataset: r.Dataset.Name, ToolVersion: r.Tool.Version, Seed: r.Seed, Systems: []string{}}
	for _, sys := range r.Systems {
		if sys != nil {
			s.Systems = append(s.Systems, sys.Name)
		}
	}
	return s
}

// judge holds one value to its rule's bound.
func judge(rule *Rule, e, base *entry, haveBaseline, wild bool, qthr float64) Outcome {
	o := Outcome{Status: Pass, Target: e.t, Value: e.value, CI: e.ci, Q: e.q, Baseline: nan, Min: nan, Max: nan}
	if rule.Change != nil {
		switch {
		case !haveBaseline:
			o.Status, o.Message = Skipped, "not checked: no baseline result given"
			return o
		case base == nil:
			o.Status, o.Message = Skipped, "not checked: the baseline has no such value"
			return o
		case math.IsNaN(base.value):
			o.Status, o.Message = Skipped, "not checked: the baseline value is undefined"
			if base.note != "" {
				o.Message += " (" + base.note + ")"
			}
			return o
		}
		o.Baseline = base.value
		if d := rule.Change.MaxDrop; d != nil {
			o.Min = base.value - *d
		}
		if d := rule.Change.MaxRise; d != nil {
			o.Max = base.value + *d
		}
	} else {
		if rule.Min != nil {
			o.Min = *rule.Min
		}
		if rule.Max != nil {
			o.Max = *rule.Max
		}
	}
	if math.IsNaN(e.value) {
		o.Status = Error
		if wild && !e.suppressed {
			o.Status = Skipped
		}
		o.Message = "the value is undefined"
		if e.note != "" {
			o.Message += " (" + e.note + ")"
		}
		return o
	}
	below := !math.IsNaN(o.Min) && e.value < o.Min
	above := !math.IsNaN(o.Max) && e.value > o.Max
	obs := num(e.value)
	if !math.IsNaN(e.ci[0]) || !math.IsNaN(e.ci[1]) {
		obs += " " + ival(e.ci)
	}
	var side, limit string // "below"/"above", and the bound crossed
	switch {
	case below:
		side, limit = "below", boundText(rule, o.Min, o.Baseline, true)
	case above:
		side, limit = "above", boundText(rule, o.Max, o.Baseline, false)
	}
	change := ""
	if rule.Change != nil {
		change = changeText(e.value, o.Baseline) + "; "
	}
	if side == "" {
		o.Message = change + obs + " " + withinText(rule, o)
		return o
	}
	switch rule.Uncertainty {
	case Point:
		o.Status = Fail
		o.Message = change + obs + " is " + side + " " + limit
	case Interval:
		lo, hi := e.ci[0], e.ci[1]
		switch {
		case math.IsNaN(lo) || math.IsNaN(hi):
			o.Status = Error
			o.Message = change + obs + " is " + side + " " + limit + ", and has no confidence interval to tell whether that is beyond doubt"
		case (below && hi < o.Min) || (above && lo > o.Max):
			o.Status = Fail
			o.Message = change + obs + " lies wholly " + side + " " + limit
		default:
			o.Message = change + obs + " is " + side + " " + limit + ", but its interval reaches the bound"
		}
	case Significant:
		switch {
		case math.IsNaN(e.q):
			o.Status = Error
			o.Message = change + obs + " is " + side + " " + limit + ", and has no test to tell whether that is significant"
		case e.q < qthr:
			o.Status = Fail
			o.Message = fmt.Sprintf("%s%s is %s %s and significant (q = %s < %s)", change, obs, side, limit, num(e.q), num(qthr))
		default:
			o.Message = fmt.Sprintf("%s%s is %s %s but not significant (q = %s ≥ %s)", change, obs, side, limit, num(e.q), num(qthr))
		}
	}
	return o
}

// boundText names a crossed bound: "the minimum 0.35", or for a change
// rule "the baseline 0.41 less the allowed drop 0.05 (0.36)".
func boundText(rule *Rule, limit, base float64, lower bool) string {
	if rule.Change == nil {
		if lower {
			return "the minimum " + num(limit)
		}
		return "the maximum " + num(limit)
	}
	if lower {
		if *rule.Change.MaxDrop == 0 {
			return "the baseline " + num(base) + " (it may not fall)"
		}
		return fmt.Sprintf("the baseline %s less the allowed drop %s (%s)", num(base), num(*rule.Change.MaxDrop), num(limit))
	}
	if *rule.Change.MaxRise == 0 {
		return "the baseline " + num(base) + " (it may not rise)"
	}
	return fmt.Sprintf("the baseline %s plus the allowed rise %s (%s)", num(base), num(*rule.Change.MaxRise), num(limit))
}

// withinText states that a passing value is within its bounds: "is at
// least the minimum 0.35", "is within [0.3, 0.6]", "is at least 0.363,
// the baseline less the allowed drop 0.05".
func withinText(rule *Rule, o Outcome) string {
	lo, hi := !math.IsNaN(o.Min), !math.IsNaN(o.Max)
	if rule.Change == nil {
		switch {
		case lo && hi:
			return fmt.Sprintf("is within [%s, %s]", num(o.Min), num(o.Max))
		case lo:
			return "is at least the minimum " + num(o.Min)
		default:
			return "is at most the maximum " + num(o.Max)
		}
	}
	var parts []string
	if lo {
		parts = append(parts, fmt.Sprintf("at least %s, the baseline less the allowed drop %s", num(o.Min), num(*rule.Change.MaxDrop)))
	}
	if hi {
		parts = append(parts, fmt.Sprintf("at most %s, the baseline plus the allowed rise %s", num(o.Max), num(*rule.Change.MaxRise)))
	}
	return "is " + strings.Join(parts, ", and ")
}

// changeText describes the change from the baseline.
func changeText(v, base float64) string {
	d := v - base
	switch {
	case d < 0:
		return fmt.Sprintf("fell by %s from the baseline %s", num(-d), num(base))
	case d > 0:
		return fmt.Sprintf("rose by %s from the baseline %s", num(d), num(base))
	}
	return "unchanged from the baseline " + num(base)
}

// summarise sets a rule's status and message from its outcomes and
// waiver.
func summarise(rr *RuleResult, date time.Time) {
	var n, fail, errs, pass int
	var first *Outcome
	for i := range rr.Outcomes {
		o := &rr.Outcomes[i]
		n++
		switch o.Status {
		case Fail:
			fail++
			if first == nil || first.Status != Fail {
				first = o
			}
		case Error:
			errs++
			if first == nil {
				first = o
			}
		case Pass:
			pass++
		}
	}
	switch {
	case fail > 0:
		rr.Status = Fail
		rr.Message = fmt.Sprintf("%s of %s fail%s; %s: %s", count(fail), values(n), plural(fail, "s", ""), first.Target, first.Message)
	case errs > 0:
		rr.Status = Error
		rr.Message = fmt.Sprintf("%s of %s cannot be checked; %s: %s", count(errs), values(n), first.Target, first.Message)
	case pass > 0:
		rr.Status = Pass
		if pass == n {
			rr.Message = fmt.Sprintf("%s pass%s", values(n), plural(n, "es", ""))
		} else {
			rr.Message = fmt.Sprintf("%s of %s pass%s, %s skipped", count(pass), values(n), plural(pass, "es", ""), count(n-pass))
		}
	default:
		rr.Status = Skipped
		rr.Message = fmt.Sprintf("%s skipped", values(n))
		if n > 0 {
			rr.Message += ": " + rr.Outcomes[0].Message
		}
	}
	w := rr.Waiver
	if w == nil {
		return
	}
	who := fmt.Sprintf("approved by %s: %s", w.Approver, w.Reason)
	exp := w.Expires.Format(time.DateOnly)
	switch {
	case rr.WaiverExpired:
		rr.Status = Fail
		rr.Message = fmt.Sprintf("the waiver of this rule expired on %s (%s); renew or remove it. %s", exp, who, rr.Message)
	case rr.Status.Failing():
		rr.Status = Waived
		for i := range rr.Outcomes {
			if rr.Outcomes[i].Status.Failing() {
				rr.Outcomes[i].Status = Waived
			}
		}
		when := "until " + exp
		if w.Expires.Equal(date) {
			when = "until today, " + exp
		}
		rr.Message = fmt.Sprintf("waived %s (%s). %s", when, who, rr.Message)
	default:
		rr.Message += fmt.Sprintf("; the waiver until %s is not needed", exp)
	}
}

func count(n int) string { return strconv.Itoa(n) }

func values(n int) string {
	if n == 1 {
		return "1 value"
	}
	return strconv.Itoa(n) + " values"
}

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}

// num formats a number with four significant digits: "0.4123", "2.5",
// "n/a" for NaN.
func num(v float64) string {
	if math.IsNaN(v) {
		return "n/a"
	}
	return strconv.FormatFloat(v, 'g', 4, 64)
}

// ival formats an interval: "[0.4051, 0.419]".
func ival(ci [2]float64) string {
	return "[" + num(ci[0]) + ", " + num(ci[1]) + "]"
}
