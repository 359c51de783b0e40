package audit

import (
	"errors"
	"fmt"
	"strings"
)

// ErrSpec is wrapped by every error about an audit spec: YAML that does
// not parse, an unknown key, a value of the wrong type or out of range,
// an unknown metric, algorithm or column, a missing file.
var ErrSpec = errors.New("invalid audit spec")

// SpecError is a problem with one field of an audit spec. Its message
// names the spec file, the line and column (or the command-line flag
// that set the field), the field's path, what is wrong and how to fix
// it:
//
//	audit.yaml:12:19: systems[1].params.neighbors: 0 is out of range [1, +inf); fix: ...
type SpecError struct {
	File string // the spec file; "" for a spec built in code
	// Line and Column locate the field in File (1-based); 0 when the
	// field was not set by the file.
	Line, Column int
	// Flag is the command-line flag that set the field, if any.
	Flag string
	// Field is the path of the field, such as "groups.sensitive[1]".
	Field string
	Msg   string
	Fix   string // how to fix it; may be empty
	// Err is the underlying error, if any (for example a
	// recommenders.ParamError or a datasets.Error).
	Err error
}

func (e *SpecError) Error() string {
	var b strings.Builder
	switch {
	case e.Flag != "":
		fmt.Fprintf(&b, "flag %s: ", e.Flag)
	case e.File != "" && e.Line > 0:
		fmt.Fprintf(&b, "%s:%d:%d: ", e.File, e.Line, e.Column)
	case e.File != "":
		fmt.Fprintf(&b, "%s: ", e.File)
	case e.Line > 0:
		fmt.Fprintf(&b, "line %d:%d: ", e.Line, e.Column)
	}
	if e.Field != "" {
		b.WriteString(e.Field)
		b.WriteString(": ")
	}
	b.WriteString(e.Msg)
	if e.Fix != "" {
		b.WriteString("; ")
		b.WriteString(e.Fix)
	}
	return b.String()
}

// Unwrap returns ErrSpec and the underlying error.
func (e *SpecError) Unwrap() []error {
	if e.Err == nil {
		return []error{ErrSpec}
	}
	return []error{ErrSpec, e.Err}
}

// errAt returns a SpecError about the field at path, located where the
// field (or its nearest enclosing field) was set.
func (s *Spec) errAt(path, msg, fix string, err error) *SpecError {
	p := s.at(path)
	return &SpecError{File: s.File, Line: p.Line, Column: p.Column, Flag: p.Flag, Field: path, Msg: msg, Fix: fix, Err: err}
}

// closest returns the candidate nearest to s by edit distance (case
// folded), or "" when none is near enough to be a plausible typo: at
// most a third of the longer name's length, and at least one edit less
// than the name's length.
func closest(s string, candidates []string) string {
	best, bestD := "", 1<<30
	ls := strings.ToLower(s)
	for _, c := range candidates {
		d := editDistance(ls, strings.ToLower(c))
		if d < bestD {
			best, bestD = c, d
		}
	}
	limit := max(len(s), len(best))/3 + 1
	if best == "" || bestD > limit || bestD >= len(s) {
		return ""
	}
	return best
}

// editDistance is the Levenshtein distance between a and b (bytes).
func editDistance(a, b string) int {
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(b)]
}

// suggest returns "did you mean X? " fix text for an unknown name among
// valid, followed by the list of valid names.
func suggest(name string, valid []string, what string) string {
	list := what + ": " + strings.Join(valid, ", ")
	if c := closest(name, valid); c != "" {
		return fmt.Sprintf("did you mean %q? (%s)", c, list)
	}
	return list
}
