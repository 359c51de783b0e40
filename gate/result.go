package gate

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"

	"github.com/recaudit/recaudit/audit"
)

// ReadResult reads the results document at path; see [DecodeResult]. A
// file that cannot be read (missing, a directory, unreadable) gives an
// error wrapping both [ErrResult] and the I/O error (such as
// fs.ErrNotExist).
func ReadResult(path string) (*audit.Result, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrResult, err)
	}
	r, err := DecodeResult(data)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return r, nil
}

// DecodeResult decodes a results document (results.json, package audit).
// Fields it does not know are ignored, as the document's schema asks of
// consumers, so that a newer recaudit's results can be gated. It returns
// an error wrapping [ErrResult] for anything else: data that is not JSON
// (with the line and column of the problem), JSON that is not a results
// document, a schema version this package does not read, or a document
// without systems.
func DecodeResult(data []byte) (*audit.Result, error) {
	if len(bytes.TrimSpace(data)) == 0 {
		return nil, fmt.Errorf("%w: the file is empty", ErrResult)
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	var r audit.Result
	if err := dec.Decode(&r); err != nil {
		return nil, fmt.Errorf("%w: %s", ErrResult, jsonProblem(data, err))
	}
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		line, col := lineCol(data, dec.InputOffset())
		return nil, fmt.Errorf("%w: unexpected data after the document at line %d, column %d", ErrResult, line, col)
	}
	switch {
	case r.SchemaVersion == 0:
		return nil, fmt.Errorf("%w: no schema_version: not a recaudit results document", ErrResult)
	case r.SchemaVersion > audit.SchemaVersion:
		return nil, fmt.Errorf("%w: schema_version %d is newer than this recaudit reads (%d); upgrade recaudit", ErrResult, r.SchemaVersion, audit.SchemaVersion)
	case r.SchemaVersion < 0:
		return nil, fmt.Errorf("%w: bad schema_version %d", ErrResult, r.SchemaVersion)
	case len(r.Systems) == 0:
		return nil, fmt.Errorf("%w: the document has no systems", ErrResult)
	}
	for i, s := range r.Systems {
		if s == nil || s.Name == "" {
			return nil, fmt.Errorf("%w: system %d has no name", ErrResult, i+1)
		}
	}
	return &r, nil
}

// jsonProblem describes a decoding error with its position.
func jsonProblem(data []byte, err error) string {
	var se *json.SyntaxError
	var te *json.UnmarshalTypeError
	switch {
	case errors.As(err, &se):
		line, col := lineCol(data, se.Offset-1) // Offset counts the bad byte
		return fmt.Sprintf("not valid JSON at line %d, column %d: %v", line, col, se)
	case errors.As(err, &te):
		line, col := lineCol(data, te.Offset-1)
		field := te.Field
		if field == "" {
			field = "the document"
		}
		return fmt.Sprintf("not a results document: near line %d, column %d, %s should be %s, not %s", line, col, field, te.Type, te.Value)
	case errors.Is(err, io.ErrUnexpectedEOF):
		return "not valid JSON: the document ends early (truncated?)"
	}
	return "not a results document: " + err.Error()
}

// lineCol returns the 1-based line and column of byte offset off in data.
func lineCol(data []byte, off int64) (int, int) {
	off = min(max(off, 0), int64(len(data)))
	line := 1 + bytes.Count(data[:off], []byte{'\n'})
	col := int(off) - bytes.LastIndexByte(data[:off], '\n')
	return line, col
}
