package report

import (
	"math"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/recaudit/recaudit/fairness"
)

// Number formats of the report. Every number a reader sees goes through
// one of these, so that the same quantity looks the same everywhere.

// fnum formats a metric value: three decimals, one from 100 on, "n/a" for
// NaN, never "-0.000".
func fnum(v float64) string {
	switch {
	case math.IsNaN(v):
		return "n/a"
	case math.IsInf(v, 1):
		return "∞"
	case math.IsInf(v, -1):
		return "−∞"
	}
	prec := 3
	if math.Abs(v) >= 100 {
		prec = 1
	}
	return minus(strconv.FormatFloat(v, 'f', prec, 64))
}

// minus turns a leading hyphen into a minus sign and drops the sign of
// zero.
func minus(s string) string {
	if strings.Trim(s, "-0.") == "" {
		return strings.TrimPrefix(s, "-")
	}
	if rest, ok := strings.CutPrefix(s, "-"); ok {
		return "−" + rest
	}
	return s
}

// fpct formats a fraction as a percentage with one decimal: 0.3804 is
// "38.0%".
func fpct(v float64) string {
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return "n/a"
	}
	return minus(strconv.FormatFloat(100*v, 'f', 1, 64)) + "%"
}

// fpoints formats a difference of fractions in percentage points.
func fpoints(v float64) string {
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return "n/a"
	}
	s := minus(strconv.FormatFloat(100*v, 'f', 1, 64))
	if v > 0 && s != "0.0" {
		s = "+" + s
	}
	return s
}

// fratio formats a ratio with two decimals.
func fratio(v float64) string {
	switch {
	case math.IsNaN(v):
		return "n/a"
	case math.IsInf(v, 1):
		return "∞"
	}
	return minus(strconv.FormatFloat(v, 'f', 2, 64))
}

// fq formats a p- or q-value: "< 0.001", three decimals, "—" when there
// is none.
func fq(q float64) string {
	switch {
	case math.IsNaN(q):
		return "—"
	case q < 0.001:
		return "< 0.001"
	}
	return strconv.FormatFloat(q, 'f', 3, 64)
}

// withCI formats a value with its interval, "0.321 [0.291, 0.349]", in
// the format f; without an interval just the value.
func withCI(v float64, ci fairness.Interval2, f func(float64) string) string {
	lo, hi := float64(ci[0]), float64(ci[1])
	if math.IsNaN(v) {
		return f(v)
	}
	if math.IsNaN(lo) || math.IsNaN(hi) {
		return f(v)
	}
	return f(v) + " [" + f(lo) + ", " + f(hi) + "]"
}

// count formats a count with thousands separators.
func count(n int) string { return thousands(n) }

// plural returns "1 test" or "3 tests".
func plural(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return thousands(n) + " " + many
}

// joinAnd joins words as a sentence list: "a", "a and b", "a, b and c".
func joinAnd(words []string) string {
	switch len(words) {
	case 0:
		return ""
	case 1:
		return words[0]
	}
	return strings.Join(words[:len(words)-1], ", ") + " and " + words[len(words)-1]
}

// attrLabel is the display name of an attribute: "age_band" is "age band".
func attrLabel(a string) string { return strings.ReplaceAll(a, "_", " ") }

// slug turns s into a file-name part: lower-case letters and digits,
// other runs of characters a single hyphen.
func slug(s string) string {
	var b strings.Builder
	hyphen := false
	for _, r := range strings.ToLower(s) {
		if r < utf8.RuneSelf && (unicode.IsLetter(r) || unicode.IsDigit(r)) {
			b.WriteRune(r)
			hyphen = false
			continue
		}
		if !hyphen && b.Len() > 0 {
			b.WriteByte('-')
			hyphen = true
		}
	}
	return strings.TrimSuffix(b.String(), "-")
}

// mdText escapes s for Markdown text (GitHub Flavored Markdown) so that
// it renders as itself, while the raw file stays readable: backslashes,
// backticks, asterisks, pipes, tildes and # are escaped; < only where it
// could open an HTML tag; & only where it could start an entity ("&amp;");
// ] only before ( (a link); underscores only where they could open or
// close emphasis (at a word boundary); and a leading character that would
// start a list, a quote or a heading. The result is one line.
func mdText(s string) string {
	s = strings.Join(strings.Fields(s), " ")
	rs := []rune(s)
	var b strings.Builder
	for i, r := range rs {
		next := rune(0)
		if i+1 < len(rs) {
			next = rs[i+1]
		}
		prev := rune(0)
		if i > 0 {
			prev = rs[i-1]
		}
		switch r {
		case '\\', '`', '*', '|', '~', '#':
			b.WriteByte('\\')
		case '<':
			if unicode.IsLetter(next) || strings.ContainsRune("/!?", next) {
				b.WriteByte('\\')
			}
		case '&':
			if unicode.IsLetter(next) || next == '#' {
				b.WriteByte('\\')
			}
		case ']':
			if next == '(' {
				b.WriteByte('\\')
			}
		case '_':
			if !(isWord(prev) && isWord(next)) {
				b.WriteByte('\\')
			}
		}
		b.WriteRune(r)
	}
	s = b.String()
	// A line that starts like a list item, a quote or a heading stays text.
	if len(s) > 0 && strings.ContainsRune("-+=>", rune(s[0])) && (len(s) == 1 || s[1] == ' ') {
		s = `\` + s
	}
	digits := len(s) - len(strings.TrimLeft(s, "0123456789"))
	if digits > 0 && digits < len(s) && (s[digits] == '.' || s[digits] == ')') && (digits+1 == len(s) || s[digits+1] == ' ') {
		s = s[:digits] + `\` + s[digits:]
	}
	return s
}

func isWord(r rune) bool { return unicode.IsLetter(r) || unicode.IsDigit(r) }

// mdLink escapes s for the text of a Markdown link or the alt text of an
// image: as mdText, and every bracket, since an unbalanced one would end
// or break the link.
func mdLink(s string) string {
	s = mdText(s)
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		switch s[i] {
		case '\\': // keep an escape with the character it escapes
			b.WriteByte(s[i])
			if i+1 < len(s) {
				i++
				b.WriteByte(s[i])
			}
			continue
		case '[', ']':
			b.WriteByte('\\')
		}
		b.WriteByte(s[i])
	}
	return b.String()
}
