package gate_test

import (
	"bytes"
	"encoding/json"
	"encoding/xml"
	"flag"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/recaudit/recaudit/gate"
)

var regen = flag.Bool("regen", false, "rewrite the golden files in testdata")

// allStatuses is a policy whose rules end in every status on the
// fixture (evaluated on 2026-05-04 without a baseline): pass, fail,
// waived, error and skipped. Its descriptions hold characters every
// format must escape.
const allStatuses = `version: 1
name: all statuses
rules:
  - id: accuracy-floor
    description: NDCG@10 stays at 0.1 or more.
    select: {kind: metric, metric: ndcg, cutoff: 10}
    min: 0.1
  - id: gender-gap
    description: "The NDCG gap between genders stays under 5 points: <b>100%</b> | fair, really.\nSecond line."
    select: {kind: disparity, metric: ndcg, attribute: gender, aggregator: max-min-diff}
    max: 0.05
    uncertainty: significant
  - id: credit-by-age
    description: No age band is shown credit offers 2.4 times as often as another.
    select: {kind: targeting, flag: high_cost_credit, attribute: age_band}
    max: 2.4
    uncertainty: interval
  - id: coverage-floor
    description: Coverage stays at 10% or more, beyond doubt.
    select: {kind: metric, metric: coverage}
    min: 0.1
    uncertainty: interval
  - id: independent-no-drop
    description: Independent vendors' exposure share does not fall against the baseline.
    select: {kind: exposure, attribute: provider_type, group: independent}
    change: {max_drop: 0.05}
waivers:
  - rule: credit-by-age
    reason: "model retraining scheduled, ticket FAIR-12"
    approver: Jane Doe
    expires: 2026-06-30
`

func allStatusesReport(t *testing.T) *gate.Report {
	t.Helper()
	p := mustParse(t, allStatuses)
	rep, err := gate.Evaluate(p, fixture(), gate.Options{Now: day("2026-05-04")})
	if err != nil {
		t.Fatal(err)
	}
	want := []gate.Status{gate.Pass, gate.Fail, gate.Waived, gate.Error, gate.Skipped}
	for i, rr := range rep.Rules {
		if rr.Status != want[i] {
			t.Fatalf("rule %s: %v, want %v (%s)", rr.Rule.ID, rr.Status, want[i], rr.Message)
		}
	}
	return rep
}

// golden compares got with testdata/name, or rewrites it under -regen.
func golden(t *testing.T, name string, got []byte) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *regen {
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(string(want), string(got)); diff != "" {
		t.Errorf("%s differs (-want +got; go test -regen rewrites it):\n%s", name, diff)
	}
}

func TestWriteGolden(t *testing.T) {
	rep := allStatusesReport(t)
	for _, tc := range []struct {
		f    gate.Format
		file string
	}{
		{gate.FormatTable, "report_golden.txt"},
		{gate.FormatJSON, "report_golden.json"},
		{gate.FormatJUnit, "report_golden.xml"},
		{gate.FormatGitHub, "report_golden.github"},
		{gate.FormatMarkdown, "report_golden.md"},
	} {
		t.Run(tc.f.String(), func(t *testing.T) {
			var buf bytes.Buffer
			if err := gate.Write(&buf, rep, tc.f); err != nil {
				t.Fatal(err)
			}
			golden(t, tc.file, buf.Bytes())
		})
	}
}

func TestWriteJSON(t *testing.T) {
	rep := allStatusesReport(t)
	var buf bytes.Buffer
	if err := gate.WriteJSON(&buf, rep); err != nil {
		t.Fatal(err)
	}
	var doc struct {
		SchemaVersion int  `json:"schema_version"`
		Passed        bool `json:"passed"`
		Date          string
		Counts        map[string]int
		Baseline      *struct{}
		Rules         []struct {
			ID, Status string
			Waiver     *struct {
				Expires string
				Expired bool
			}
			Outcomes []struct {
				Status string
				Value  *float64
				CI     [2]*float64
				Q      *float64
			}
		}
	}
	if err := json.Unmarshal(buf.Bytes(), &doc); err != nil {
		t.Fatal(err)
	}
	wantCounts := map[string]int{"rules": 5, "pass": 1, "fail": 1, "waived": 1, "error": 1, "skipped": 1}
	if doc.SchemaVersion != 1 || doc.Passed || doc.Date != "2026-05-04" || doc.Baseline != nil || !cmp.Equal(wantCounts, doc.Counts) {
		t.Errorf("header: version %d, passed %v, date %s, baseline %v, counts %v", doc.SchemaVersion, doc.Passed, doc.Date, doc.Baseline, doc.Counts)
	}
	if w := doc.Rules[2].Waiver; w == nil || w.Expires != "2026-06-30" || w.Expired {
		t.Errorf("waiver of credit-by-age: %+v", w)
	}
	// coverage@10 is a catalogue value: no interval (null), no test.
	o := doc.Rules[3].Outcomes[1]
	if o.Status != "error" || o.Value == nil || *o.Value != 0.05 || o.CI[0] != nil || o.CI[1] != nil || o.Q != nil {
		t.Errorf("coverage outcome: %+v", o)
	}
}

// junitDoc is the structure a JUnit consumer reads.
type junitDoc struct {
	XMLName  xml.Name `xml:"testsuites"`
	Tests    int      `xml:"tests,attr"`
	Failures int      `xml:"failures,attr"`
	Errors   int      `xml:"errors,attr"`
	Skipped  int      `xml:"skipped,attr"`
	Suites   []struct {
		Name       string `xml:"name,attr"`
		Tests      int    `xml:"tests,attr"`
		Properties []struct {
			Name  string `xml:"name,attr"`
			Value string `xml:"value,attr"`
		} `xml:"properties>property"`
		Cases []struct {
			Name      string `xml:"name,attr"`
			Classname string `xml:"classname,attr"`
			Failure   *struct {
				Message string `xml:"message,attr"`
				Text    string `xml:",chardata"`
			} `xml:"failure"`
			Error *struct {
				Message string `xml:"message,attr"`
			} `xml:"error"`
			Skipped *struct {
				Message string `xml:"message,attr"`
			} `xml:"skipped"`
			SystemOut string `xml:"system-out"`
		} `xml:"testcase"`
	} `xml:"testsuite"`
}

// TestWriteJUnit validates the JUnit XML against testdata/junit.xsd with
// xmllint (Debian libxml2-utils; skipped without it, except under CI) and
// checks what a JUnit consumer reads from it.
func TestWriteJUnit(t *testing.T) {
	rep := allStatusesReport(t)
	var buf bytes.Buffer
	if err := gate.WriteJUnit(&buf, rep); err != nil {
		t.Fatal(err)
	}
	validateJUnit(t, buf.Bytes())

	var doc junitDoc
	if err := xml.Unmarshal(buf.Bytes(), &doc); err != nil {
		t.Fatal(err)
	}
	if doc.Tests != 5 || doc.Failures != 1 || doc.Errors != 1 || doc.Skipped != 2 || len(doc.Suites) != 1 {
		t.Fatalf("testsuites: tests %d failures %d errors %d skipped %d, %d suites; want 5 1 1 2, 1", doc.Tests, doc.Failures, doc.Errors, doc.Skipped, len(doc.Suites))
	}
	s := doc.Suites[0]
	if s.Name != "recaudit gate: all statuses" || s.Tests != 5 || len(s.Cases) != 5 {
		t.Errorf("testsuite %q with %d tests, %d cases", s.Name, s.Tests, len(s.Cases))
	}
	props := map[string]string{}
	for _, p := range s.Properties {
		props[p.Name] = p.Value
	}
	if props["result.dataset"] != "fixture" || props["date"] != "2026-05-04" || props["policy"] != "policy.yaml" {
		t.Errorf("properties %v", props)
	}
	for i, c := range s.Cases {
		rr := rep.Rules[i]
		if c.Name != rr.Rule.ID || c.Classname != "recaudit.gate" {
			t.Errorf("case %d: %s / %s, want %s / recaudit.gate", i, c.Name, c.Classname, rr.Rule.ID)
		}
		kinds := map[gate.Status]string{gate.Pass: "", gate.Fail: "failure", gate.Error: "error", gate.Waived: "skipped", gate.Skipped: "skipped"}
		got := ""
		switch {
		case c.Failure != nil:
			got = "failure"
			if c.Failure.Message != rr.Message || !strings.Contains(c.Failure.Text, "fail: pop ndcg@10 max-min-diff over gender") {
				t.Errorf("failure of %s: %q\n%s", c.Name, c.Failure.Message, c.Failure.Text)
			}
		case c.Error != nil:
			got = "error"
		case c.Skipped != nil:
			got = "skipped"
		}
		if got != kinds[rr.Status] {
			t.Errorf("case %s: %q element, want %q for status %v", c.Name, got, kinds[rr.Status], rr.Status)
		}
		if !strings.Contains(c.SystemOut, rr.Outcomes[0].Target.String()) {
			t.Errorf("case %s: system-out lacks the first outcome:\n%s", c.Name, c.SystemOut)
		}
	}
	// The description with markup and a line break survives as text.
	if !strings.Contains(s.Cases[1].SystemOut, "<b>100%</b> | fair, really. Second line.") {
		t.Errorf("escaped description not read back:\n%s", s.Cases[1].SystemOut)
	}
}

func validateJUnit(t *testing.T, data []byte) {
	t.Helper()
	xmllint, err := exec.LookPath("xmllint")
	if err != nil {
		if os.Getenv("CI") != "" {
			t.Fatal("xmllint not found; .ci/run installs libxml2-utils")
		}
		t.Log("xmllint not found (Debian: apt-get install libxml2-utils); schema validation skipped")
		return
	}
	path := filepath.Join(t.TempDir(), "report.xml")
	if err := os.WriteFile(path, data, 0o644); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command(xmllint, "--noout", "--nonet", "--schema", filepath.Join("testdata", "junit.xsd"), path).CombinedOutput()
	if err != nil {
		t.Fatalf("xmllint --schema testdata/junit.xsd: %v\n%s", err, out)
	}
}

// TestJUnitSchemaRejects checks that the schema check has teeth: xmllint
// rejects documents that break the JUnit structure.
func TestJUnitSchemaRejects(t *testing.T) {
	xmllint, err := exec.LookPath("xmllint")
	if err != nil {
		t.Skip("xmllint not found")
	}
	for name, doc := range map[string]string{
		"testcase without name": `<testsuites><testsuite name="s" tests="1"><testcase classname="c"/></testsuite></testsuites>`,
		"failure and error":     `<testsuites><testsuite name="s" tests="1"><testcase name="n" classname="c"><failure/><error/></testcase></testsuite></testsuites>`,
		"negative count":        `<testsuites tests="-1"/>`,
		"bad timestamp":         `<testsuites><testsuite name="s" tests="0" timestamp="yesterday"/></testsuites>`,
	} {
		path := filepath.Join(t.TempDir(), "bad.xml")
		if err := os.WriteFile(path, []byte(doc), 0o644); err != nil {
			t.Fatal(err)
		}
		if out, err := exec.Command(xmllint, "--noout", "--nonet", "--schema", filepath.Join("testdata", "junit.xsd"), path).CombinedOutput(); err == nil {
			t.Errorf("%s: accepted by the schema\n%s", name, out)
		}
	}
}

func TestEscapeGitHub(t *testing.T) {
	// Expected strings worked out from the @actions/core rules: data
	// escapes % \r \n, properties also : and ,; % first, so that escapes
	// are not escaped again.
	for _, tc := range []struct{ in, data, prop string }{
		{"plain", "plain", "plain"},
		{"100% sure", "100%25 sure", "100%25 sure"},
		{"a\nb\r\nc", "a%0Ab%0D%0Ac", "a%0Ab%0D%0Ac"},
		{"title: a, b", "title: a, b", "title%3A a%2C b"},
		{"%0A", "%250A", "%250A"},
		{"::error::x", "::error::x", "%3A%3Aerror%3A%3Ax"},
	} {
		if got := gate.EscapeData(tc.in); got != tc.data {
			t.Errorf("EscapeData(%q) = %q, want %q", tc.in, got, tc.data)
		}
		if got := gate.EscapeProperty(tc.in); got != tc.prop {
			t.Errorf("EscapeProperty(%q) = %q, want %q", tc.in, got, tc.prop)
		}
	}
}

// unescapeGitHub reverses the runner's escaping of workflow commands.
func unescapeGitHub(s string) string {
	return strings.NewReplacer("%0D", "\r", "%0A", "\n", "%3A", ":", "%2C", ",", "%25", "%").Replace(s)
}

var commandLine = regexp.MustCompile(`^::(error|warning|notice) ([^:]*)::(.*)$`)

// TestWriteGitHub parses the annotation lines as the runner does and
// checks their levels, properties and messages.
func TestWriteGitHub(t *testing.T) {
	rep := allStatusesReport(t)
	rep.Policy = "ci/fair:policy,v1.yaml" // a path that needs escaping
	var buf bytes.Buffer
	if err := gate.WriteGitHub(&buf, rep); err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSuffix(buf.String(), "\n"), "\n")
	want := []struct {
		level, id, verb string
	}{
		{"error", "gender-gap", "failed"},
		{"warning", "credit-by-age", "waived"},
		{"error", "coverage-floor", "could not be checked"},
		{"notice", "independent-no-drop", "skipped"},
	}
	if len(lines) != len(want) {
		t.Fatalf("%d lines, want %d (one per rule that did not pass):\n%s", len(lines), len(want), buf.String())
	}
	for i, line := range lines {
		m := commandLine.FindStringSubmatch(line)
		if m == nil {
			t.Fatalf("line %d is not a workflow command: %q", i, line)
		}
		props := map[string]string{}
		for _, kv := range strings.Split(m[2], ",") {
			k, v, ok := strings.Cut(kv, "=")
			if !ok {
				t.Fatalf("line %d: property %q without '='", i, kv)
			}
			props[k] = unescapeGitHub(v)
		}
		rr := rep.Rules[i+1]
		if m[1] != want[i].level || props["title"] != "recaudit gate: "+want[i].id+" "+want[i].verb ||
			props["file"] != "ci/fair:policy,v1.yaml" || props["line"] != strings.TrimSpace(itoa(rr.Rule.Pos.Line)) {
			t.Errorf("line %d: level %s, properties %v", i, m[1], props)
		}
		msg := unescapeGitHub(m[3])
		if !strings.HasPrefix(msg, rr.Message) || strings.ContainsAny(m[3], "\r\n") {
			t.Errorf("line %d: message %q does not start with the rule's %q", i, msg, rr.Message)
		}
		for _, o := range rr.Outcomes {
			if o.Status != gate.Pass && !strings.Contains(msg, "\n"+o.Status.String()+": "+o.Target.String()+": "+o.Message) {
				t.Errorf("line %d: message lacks outcome %s", i, o.Target)
			}
		}
	}
}

func itoa(n int) string {
	b, _ := json.Marshal(n)
	return string(b)
}

func TestWriteMarkdown(t *testing.T) {
	rep := allStatusesReport(t)
	var buf bytes.Buffer
	if err := gate.WriteMarkdown(&buf, rep); err != nil {
		t.Fatal(err)
	}
	md := buf.String()
	if !strings.HasPrefix(md, gate.MarkdownMarker+"\n### ❌ recaudit gate FAILED: 2 of 5 rules fail (gender-gap, coverage-floor)\n") {
		t.Errorf("heading:\n%s", md[:min(200, len(md))])
	}
	// Every table row has the table's number of cells: escaped pipes do
	// not split cells.
	for _, line := range strings.Split(md, "\n") {
		if !strings.HasPrefix(line, "|") {
			continue
		}
		cells := len(regexp.MustCompile(`(^|[^\\])\|`).FindAllString(line, -1)) - 1
		if cells != 3 && cells != 7 {
			t.Errorf("row with %d cells: %s", cells, line)
		}
	}
	if strings.Contains(md, "<b>") || !strings.Contains(md, "&lt;b&gt;100%&lt;/b&gt; \\| fair, really. Second line.") {
		t.Error("description not escaped")
	}
	if n := strings.Count(md, "<details>"); n != 5 {
		t.Errorf("%d details sections, want 5", n)
	}
}

func TestVerdict(t *testing.T) {
	rep := allStatusesReport(t)
	if got, want := rep.Verdict(), "FAILED: 2 of 5 rules fail (gender-gap, coverage-floor)"; got != want {
		t.Errorf("Verdict() = %q, want %q", got, want)
	}
	rep.Rules = rep.Rules[:1]
	if got, want := rep.Verdict(), "passed: 1 rule: 1 pass"; got != want {
		t.Errorf("Verdict() = %q, want %q", got, want)
	}
	if got, want := (gate.Counts{Pass: 3, Waived: 1, Skipped: 2}).String(), "3 pass, 1 waived, 2 skipped"; got != want {
		t.Errorf("Counts.String() = %q, want %q", got, want)
	}
}
