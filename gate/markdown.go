package gate

import (
	"bufio"
	"fmt"
	"io"
	"math"
	"strings"
)

// MarkdownMarker is the HTML comment that starts the Markdown of
// WriteMarkdown, so that a bot can find and update its earlier comment on
// a pull request.
const MarkdownMarker = "<!-- recaudit-gate -->"

var statusIcons = [...]string{Pass: "✅", Fail: "❌", Waived: "⚠️", Error: "❗", Skipped: "⏭️"}

// WriteMarkdown writes r as GitHub-flavoured Markdown for a pull-request
// comment or a GitHub Actions job summary ($GITHUB_STEP_SUMMARY): a
// heading with the verdict, the policy and results it compared, a table of
// the rules, then for each rule a collapsible section with a table of its
// values (observed value and interval, q-value, baseline, bounds,
// finding). Text from the policy and the result is escaped, so that it
// cannot break the tables or inject HTML.
//
// WriteMarkdown panics if r is nil.
func WriteMarkdown(w io.Writer, r *Report) error {
	if r == nil {
		panic(panicNilReport)
	}
	bw := bufio.NewWriter(w)
	icon := statusIcons[Pass]
	if !r.Passed() {
		icon = statusIcons[Fail]
	}
	fmt.Fprintf(bw, "%s\n### %s recaudit gate %s\n\n", MarkdownMarker, icon, mdText(r.Verdict()))
	fmt.Fprintf(bw, "%s.\n\n", mdText(upperFirst(r.context())))
	fmt.Fprintf(bw, "| | Rule | Result |\n|---|---|---|\n")
	for _, rr := range r.Rules {
		fmt.Fprintf(bw, "| %s %s | `%s` | %s |\n", statusIcons[rr.Status], rr.Status, rr.Rule.ID, mdText(rr.Message))
	}
	for _, rr := range r.Rules {
		fmt.Fprintf(bw, "\n<details><summary>%s <code>%s</code>: %s</summary>\n\n", statusIcons[rr.Status], rr.Rule.ID, mdText(values(len(rr.Outcomes))))
		fmt.Fprintf(bw, "%s\n\n", mdText(oneLine(rr.Rule.Description)))
		fmt.Fprintf(bw, "| | Value | Observed | q | Baseline | Bounds | Finding |\n|---|---|---|---|---|---|---|\n")
		for _, o := range rr.Outcomes {
			obs := num(o.Value)
			if !math.IsNaN(o.CI[0]) || !math.IsNaN(o.CI[1]) {
				obs += " " + ival(o.CI)
			}
			fmt.Fprintf(bw, "| %s | %s | %s | %s | %s | %s | %s |\n", statusIcons[o.Status], mdText(o.Target.String()),
				obs, dash(o.Q), dash(o.Baseline), mdText(bounds(o.Min, o.Max)), mdText(o.Message))
		}
		fmt.Fprintf(bw, "\n</details>\n")
	}
	return bw.Flush()
}

// mdText escapes text for a Markdown table cell: HTML special characters
// as entities, pipes and backslashes with a backslash, line breaks as
// spaces.
func mdText(s string) string {
	return strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;", "|", `\|`, `\`, `\\`, "\r\n", " ", "\n", " ", "\r", " ").Replace(s)
}

func dash(v float64) string {
	if math.IsNaN(v) {
		return "–"
	}
	return num(v)
}

// bounds formats the bounds of an outcome: "≥ 0.35", "≤ 2.5",
// "[0.3, 0.6]".
func bounds(lo, hi float64) string {
	switch {
	case !math.IsNaN(lo) && !math.IsNaN(hi):
		return "[" + num(lo) + ", " + num(hi) + "]"
	case !math.IsNaN(lo):
		return "≥ " + num(lo)
	case !math.IsNaN(hi):
		return "≤ " + num(hi)
	}
	return "–"
}

func upperFirst(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}
