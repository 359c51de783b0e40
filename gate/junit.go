package gate

import (
	"encoding/xml"
	"fmt"
	"io"
	"strings"
	"time"
)

type junitSuites struct {
	XMLName  xml.Name     `xml:"testsuites"`
	Name     string       `xml:"name,attr"`
	Tests    int          `xml:"tests,attr"`
	Failures int          `xml:"failures,attr"`
	Errors   int          `xml:"errors,attr"`
	Skipped  int          `xml:"skipped,attr"`
	Time     string       `xml:"time,attr"`
	Suites   []junitSuite `xml:"testsuite"`
}

type junitSuite struct {
	Name       string          `xml:"name,attr"`
	Tests      int             `xml:"tests,attr"`
	Failures   int             `xml:"failures,attr"`
	Errors     int             `xml:"errors,attr"`
	Skipped    int             `xml:"skipped,attr"`
	Time       string          `xml:"time,attr"`
	Timestamp  string          `xml:"timestamp,attr"`
	Properties []junitProperty `xml:"properties>property"`
	Cases      []junitCase     `xml:"testcase"`
}

type junitProperty struct {
	Name  string `xml:"name,attr"`
	Value string `xml:"value,attr"`
}

type junitCase struct {
	Name      string        `xml:"name,attr"`
	Classname string        `xml:"classname,attr"`
	Time      string        `xml:"time,attr"`
	Skipped   *junitMessage `xml:"skipped"`
	Error     *junitMessage `xml:"error"`
	Failure   *junitMessage `xml:"failure"`
	SystemOut string        `xml:"system-out,omitempty"`
}

type junitMessage struct {
	Message string `xml:"message,attr"`
	Type    string `xml:"type,attr,omitempty"`
	Text    string `xml:",chardata"`
}

// WriteJUnit writes r as JUnit XML: a testsuites element holding one
// testsuite (named after the policy, with the result's provenance as
// properties) with one testcase per rule, named by the rule's id, class
// "recaudit.gate". A failing rule has a failure element, a rule with a
// value that cannot be checked an error element, and a skipped or waived
// rule a skipped element; the message is the rule's, and the element's
// text and the system-out list every value's outcome.
//
// One test case per rule, rather than per rule and selected value, keeps
// the set of test cases fixed by the policy: a wildcard rule that covers a
// new system or cutoff does not add test cases, CI systems track each
// rule's history across builds, and a waiver (which applies to a rule)
// maps to one case. A waived rule is reported as skipped, so that CI
// systems count it as not failing yet still show it.
//
// WriteJUnit panics if r is nil.
func WriteJUnit(w io.Writer, r *Report) error {
	if r == nil {
		panic(panicNilReport)
	}
	name := "recaudit gate"
	if r.PolicyName != "" {
		name += ": " + r.PolicyName
	} else if r.Policy != "" {
		name += ": " + r.Policy
	}
	suite := junitSuite{
		Name: name, Time: "0", Timestamp: r.Date.Format("2006-01-02T15:04:05"),
		Properties: []junitProperty{
			{"policy", r.Policy},
			{"date", r.Date.Format(time.DateOnly)},
			{"result.dataset", r.Result.Dataset},
			{"result.tool_version", r.Result.ToolVersion},
			{"result.seed", fmt.Sprint(r.Result.Seed)},
		},
	}
	if b := r.Baseline; b != nil {
		suite.Properties = append(suite.Properties,
			junitProperty{"baseline.dataset", b.Dataset},
			junitProperty{"baseline.tool_version", b.ToolVersion},
			junitProperty{"baseline.seed", fmt.Sprint(b.Seed)})
	}
	for _, rr := range r.Rules {
		c := junitCase{Name: rr.Rule.ID, Classname: "recaudit.gate", Time: "0"}
		var all strings.Builder
		fmt.Fprintf(&all, "%s\n", oneLine(rr.Rule.Description))
		for _, o := range rr.Outcomes {
			fmt.Fprintf(&all, "%s: %s: %s\n", o.Status, o.Target, o.Message)
		}
		msg := &junitMessage{Message: rr.Message, Text: all.String()}
		suite.Tests++
		switch rr.Status {
		case Fail:
			msg.Type = "PolicyViolation"
			c.Failure = msg
			suite.Failures++
		case Error:
			msg.Type = "Unchecked"
			c.Error = msg
			suite.Errors++
		case Waived, Skipped:
			c.Skipped = &junitMessage{Message: rr.Message}
			suite.Skipped++
		}
		c.SystemOut = all.String()
		suite.Cases = append(suite.Cases, c)
	}
	doc := junitSuites{Name: "recaudit gate", Tests: suite.Tests, Failures: suite.Failures, Errors: suite.Errors,
		Skipped: suite.Skipped, Time: "0", Suites: []junitSuite{suite}}
	if _, err := io.WriteString(w, xml.Header); err != nil {
		return err
	}
	enc := xml.NewEncoder(w)
	enc.Indent("", "  ")
	if err := enc.Encode(doc); err != nil {
		return err
	}
	_, err := io.WriteString(w, "\n")
	return err
}
