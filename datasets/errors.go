package datasets

import (
	"errors"
	"fmt"
	"strings"
)

// Sentinel errors. Every error about a file's content wraps one of them.
var (
	// ErrSchema: a required column is missing, or a column has the wrong type.
	ErrSchema = errors.New("schema error")
	// ErrValue: a value is null, NaN, infinite, malformed or out of range.
	ErrValue = errors.New("invalid value")
	// ErrDuplicate: a key (ID, or user-item pair) occurs more than once.
	ErrDuplicate = errors.New("duplicate")
	// ErrUnknownID: an ID refers to a user or item absent from its table.
	ErrUnknownID = errors.New("unknown ID")
	// ErrEmpty: a table has no rows.
	ErrEmpty = errors.New("empty table")
	// ErrFormat: the file is not a readable table (unknown extension,
	// truncated or corrupt Arrow or Parquet, ragged CSV rows).
	ErrFormat = errors.New("unreadable file")
)

// Error describes one problem in an input file. Its message names the file,
// the column and the first offending row, and says how to fix it.
type Error struct {
	File   string // path as given by the caller
	Column string // column name; empty when the problem is not in one column
	Row    int64  // 1-based data row (header excluded); 0 when not about a row
	Line   int64  // 1-based line in a text file; 0 when unknown
	Msg    string // what is wrong
	Fix    string // how to fix it; may be empty
	Err    error  // a package sentinel, possibly wrapping a lower-level cause
}

func (e *Error) Error() string {
	var b strings.Builder
	if e.File != "" {
		b.WriteString(e.File)
	} else {
		b.WriteString("<input>")
	}
	if e.Column != "" {
		fmt.Fprintf(&b, ": column %q", e.Column)
	}
	if e.Row > 0 {
		fmt.Fprintf(&b, ", row %d", e.Row)
		if e.Line > 0 {
			fmt.Fprintf(&b, " (line %d)", e.Line)
		}
	} else if e.Line > 0 {
		fmt.Fprintf(&b, ", line %d", e.Line)
	}
	b.WriteString(": ")
	b.WriteString(e.Msg)
	if e.Fix != "" {
		b.WriteString("; fix: ")
		b.WriteString(e.Fix)
	}
	return b.String()
}

// Unwrap returns the sentinel (or cause) the error wraps.
func (e *Error) Unwrap() error { return e.Err }
