package gate

import (
	"cmp"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
)

const (
	panicNilPolicy = "gate: nil policy"
	panicNilResult = "gate: nil result"
	panicNilReport = "gate: nil report"
	panicFormat    = "gate: bad format"
)

var (
	// ErrPolicy is wrapped by every error about a policy: YAML syntax,
	// unknown or missing fields, bad values, and names the result being
	// gated does not have.
	ErrPolicy = errors.New("invalid policy")
	// ErrResult is wrapped by the errors of ReadResult: a file that is not
	// a results document.
	ErrResult = errors.New("invalid results document")
)

// PolicyError is one problem with a policy, at a position in its file.
type PolicyError struct {
	File string
	// Line and Column are 1-based; 0 when unknown.
	Line, Column int
	Msg          string
}

// Error returns "file:line:column: message", leaving out what is unknown.
func (e *PolicyError) Error() string {
	var b strings.Builder
	if e.File != "" {
		b.WriteString(e.File)
		b.WriteByte(':')
	}
	if e.Line > 0 {
		b.WriteString(strconv.Itoa(e.Line))
		b.WriteByte(':')
		if e.Column > 0 {
			b.WriteString(strconv.Itoa(e.Column))
			b.WriteByte(':')
		}
	}
	if b.Len() > 0 {
		b.WriteByte(' ')
	}
	b.WriteString(e.Msg)
	return b.String()
}

// Unwrap returns ErrPolicy.
func (e *PolicyError) Unwrap() error { return ErrPolicy }

// errorList collects the problems of a policy.
type errorList struct {
	file string
	errs []*PolicyError
}

func (l *errorList) add(p Pos, format string, args ...any) {
	l.errs = append(l.errs, &PolicyError{File: l.file, Line: p.Line, Column: p.Column, Msg: fmt.Sprintf(format, args...)})
}

// err returns the problems as one error, in file order, or nil.
func (l *errorList) err() error {
	if len(l.errs) == 0 {
		return nil
	}
	slices.SortStableFunc(l.errs, func(a, b *PolicyError) int {
		return cmp.Or(cmp.Compare(a.Line, b.Line), cmp.Compare(a.Column, b.Column))
	})
	if len(l.errs) == 1 {
		return l.errs[0]
	}
	errs := make([]error, len(l.errs))
	for i, e := range l.errs {
		errs[i] = e
	}
	return errors.Join(errs...)
}

// levenshtein returns the edit distance between a and b (insertions,
// deletions and substitutions of runes, each costing 1).
func levenshtein(a, b string) int {
	ra, rb := []rune(a), []rune(b)
	prev := make([]int, len(rb)+1)
	cur := make([]int, len(rb)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(ra); i++ {
		cur[0] = i
		for j := 1; j <= len(rb); j++ {
			sub := prev[j-1]
			if ra[i-1] != rb[j-1] {
				sub++
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, sub)
		}
		prev, cur = cur, prev
	}
	return prev[len(rb)]
}

// closest returns up to n of the valid names nearest to name by edit
// distance (case-insensitive), nearest first, ties in the order of valid.
func closest(name string, valid []string, n int) []string {
	type cand struct {
		s string
		d int
	}
	cs := make([]cand, 0, len(valid))
	low := strings.ToLower(name)
	for _, v := range valid {
		cs = append(cs, cand{v, levenshtein(low, strings.ToLower(v))})
	}
	slices.SortStableFunc(cs, func(a, b cand) int { return cmp.Compare(a.d, b.d) })
	out := make([]string, 0, n)
	for _, c := range cs[:min(n, len(cs))] {
		out = append(out, c.s)
	}
	return out
}

// suggest returns the tail of an unknown-name message: the closest valid
// names, as "; did you mean "a" or "b"?" for the closest ones that are
// close (at most a third of the name's length, and at least 2, edits away,
// case ignored) and those that are a prefix of the name or start with it,
// else as
// "; valid names: "a", "b", ...".
func suggest(name string, valid []string) string {
	if len(valid) == 0 {
		return "; the result has none"
	}
	low := strings.ToLower(name)
	limit := max(2, len([]rune(name))/3)
	best := -1
	var close []string
	for _, c := range closest(name, valid, len(valid)) {
		lc := strings.ToLower(c)
		d := levenshtein(low, lc)
		prefix := min(len(low), len(lc)) >= 3 && (strings.HasPrefix(low, lc) || strings.HasPrefix(lc, low))
		if best < 0 && d <= limit {
			best = d
		}
		if (d <= limit && d == best) || prefix {
			close = append(close, strconv.Quote(c))
		}
		if len(close) == 3 {
			break
		}
	}
	if len(close) > 0 {
		return "; did you mean " + strings.Join(close, " or ") + "?"
	}
	list := valid
	more := ""
	if len(list) > 12 {
		list, more = closest(name, valid, 12), ", ..."
	}
	q := make([]string, len(list))
	for i, v := range list {
		q[i] = strconv.Quote(v)
	}
	return "; valid names: " + strings.Join(q, ", ") + more
}
