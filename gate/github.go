package gate

import (
	"bufio"
	"fmt"
	"io"
	"strings"
)

// EscapeData escapes the message of a GitHub Actions workflow command: %
// as %25, carriage return as %0D and line feed as %0A, so that a message
// of several lines stays one command.
//
// Reference: the escapeData function of @actions/core (toolkit
// packages/core/src/command.ts).
func EscapeData(s string) string {
	return strings.NewReplacer("%", "%25", "\r", "%0D", "\n", "%0A").Replace(s)
}

// EscapeProperty escapes a property value of a GitHub Actions workflow
// command (title, file): as [EscapeData], and also ':' as %3A and ',' as
// %2C, which separate the command's properties.
//
// Reference: the escapeProperty function of @actions/core.
func EscapeProperty(s string) string {
	return strings.NewReplacer("%", "%25", "\r", "%0D", "\n", "%0A", ":", "%3A", ",", "%2C").Replace(s)
}

// WriteGitHub writes r as GitHub Actions workflow commands, one line per
// rule that did not pass:
//
//	::error file=policy.yaml,line=12,title=recaudit gate: rule-id failed::message
//
// error for a failing rule or one with a value that cannot be checked,
// warning for a waived rule, notice for a skipped one; passing rules give
// no line. The file and line point at the rule in the policy file (when
// the report has the policy's file name), so GitHub shows the annotation
// there. The message is the rule's message followed by the outcome of
// each value that did not pass, one per line. Write the job summary with
// [WriteMarkdown].
//
// WriteGitHub panics if r is nil.
func WriteGitHub(w io.Writer, r *Report) error {
	if r == nil {
		panic(panicNilReport)
	}
	bw := bufio.NewWriter(w)
	for _, rr := range r.Rules {
		var level, verb string
		switch rr.Status {
		case Pass:
			continue
		case Fail:
			level, verb = "error", "failed"
		case Error:
			level, verb = "error", "could not be checked"
		case Waived:
			level, verb = "warning", "waived"
		case Skipped:
			level, verb = "notice", "skipped"
		}
		var props []string
		if r.Policy != "" {
			props = append(props, "file="+EscapeProperty(r.Policy))
			if rr.Rule.Pos.Line > 0 {
				props = append(props, fmt.Sprintf("line=%d", rr.Rule.Pos.Line))
			}
		}
		props = append(props, "title="+EscapeProperty(fmt.Sprintf("recaudit gate: %s %s", rr.Rule.ID, verb)))
		var msg strings.Builder
		msg.WriteString(rr.Message)
		for _, o := range rr.Outcomes {
			if o.Status != Pass {
				fmt.Fprintf(&msg, "\n%s: %s: %s", o.Status, o.Target, o.Message)
			}
		}
		fmt.Fprintf(bw, "::%s %s::%s\n", level, strings.Join(props, ","), EscapeData(msg.String()))
	}
	return bw.Flush()
}
