package gate

import (
	"bufio"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"
	"time"
)

// Format is an output format of a report.
type Format int

// Formats.
const (
	// FormatTable is a readable plain-text table ([WriteTable]).
	FormatTable Format = iota
	// FormatJSON is the stable JSON document ([WriteJSON]).
	FormatJSON
	// FormatJUnit is JUnit XML ([WriteJUnit]).
	FormatJUnit
	// FormatGitHub is GitHub Actions workflow commands ([WriteGitHub]).
	FormatGitHub
	// FormatMarkdown is Markdown for a pull-request comment or a job
	// summary ([WriteMarkdown]).
	FormatMarkdown
	numFormats
)

var formatNames = [...]string{"table", "json", "junit", "github", "markdown"}

// String returns the format's name on the command line.
func (f Format) String() string {
	if f < 0 || f >= numFormats {
		return fmt.Sprintf("Format(%d)", int(f))
	}
	return formatNames[f]
}

// Write writes r to w in format f.
//
// Write panics if r is nil or f is not a Format.
func Write(w io.Writer, r *Report, f Format) error {
	switch f {
	case FormatTable:
		return WriteTable(w, r)
	case FormatJSON:
		return WriteJSON(w, r)
	case FormatJUnit:
		return WriteJUnit(w, r)
	case FormatGitHub:
		return WriteGitHub(w, r)
	case FormatMarkdown:
		return WriteMarkdown(w, r)
	}
	panic(panicFormat)
}

// Verdict returns a one-line verdict, for example "FAILED: 1 of 6 rules
// fail (independent-exposure-no-drop)" or "passed: 6 rules: 5 pass, 1
// waived".
//
// Verdict panics if r is nil.
func (r *Report) Verdict() string {
	if r == nil {
		panic(panicNilReport)
	}
	c := r.Counts()
	if !r.Passed() {
		failed := r.Failed()
		return fmt.Sprintf("FAILED: %d of %s fail (%s)", len(failed), rules(c.Rules), strings.Join(failed, ", "))
	}
	return "passed: " + rules(c.Rules) + ": " + c.String()
}

func rules(n int) string {
	if n == 1 {
		return "1 rule"
	}
	return fmt.Sprintf("%d rules", n)
}

// String lists the nonzero counts: "5 pass, 1 waived".
func (c Counts) String() string {
	var parts []string
	for _, x := range []struct {
		n    int
		name string
	}{{c.Pass, "pass"}, {c.Fail, "fail"}, {c.Waived, "waived"}, {c.Error, "error"}, {c.Skipped, "skipped"}} {
		if x.n > 0 {
			parts = append(parts, fmt.Sprintf("%d %s", x.n, x.name))
		}
	}
	if len(parts) == 0 {
		return "none"
	}
	return strings.Join(parts, ", ")
}

// context describes the policy, result and baseline in a sentence.
func (r *Report) context() string {
	var b strings.Builder
	b.WriteString("policy ")
	if r.Policy != "" {
		b.WriteString(r.Policy)
	} else {
		b.WriteString("(unnamed)")
	}
	if r.PolicyName != "" {
		fmt.Fprintf(&b, " (%s)", r.PolicyName)
	}
	fmt.Fprintf(&b, " on %s, evaluated %s", sourceText(r.Result), r.Date.Format(time.DateOnly))
	if r.Baseline != nil {
		fmt.Fprintf(&b, "; baseline %s", sourceText(*r.Baseline))
	} else {
		b.WriteString("; no baseline")
	}
	return b.String()
}

func sourceText(s Source) string {
	return fmt.Sprintf("dataset %s (recaudit %s, seed %d)", s.Dataset, s.ToolVersion, s.Seed)
}

// WriteTable writes r as plain text for a terminal: the verdict, then one
// line per rule (status, id, message) followed by one line per value
// (status, what it is, what was found), aligned in columns.
//
// WriteTable panics if r is nil.
func WriteTable(w io.Writer, r *Report) error {
	if r == nil {
		panic(panicNilReport)
	}
	bw := bufio.NewWriter(w)
	fmt.Fprintf(bw, "recaudit gate %s\n%s\n", r.Verdict(), r.context())
	for _, rr := range r.Rules {
		fmt.Fprintf(bw, "\n%-7s %s: %s\n", strings.ToUpper(rr.Status.String()), rr.Rule.ID, oneLine(rr.Rule.Description))
		fmt.Fprintf(bw, "        %s\n", rr.Message)
		tw := tabwriter.NewWriter(bw, 0, 0, 2, ' ', 0)
		for _, o := range rr.Outcomes {
			fmt.Fprintf(tw, "        %s\t%s\t%s\n", o.Status, o.Target, o.Message)
		}
		if err := tw.Flush(); err != nil {
			return err
		}
	}
	return bw.Flush()
}

// oneLine folds whitespace runs, newlines included, into single spaces.
func oneLine(s string) string { return strings.Join(strings.Fields(s), " ") }
