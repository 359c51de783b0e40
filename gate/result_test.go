package gate_test

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/recaudit/recaudit/audit"
	"github.com/recaudit/recaudit/gate"
)

func TestReadResultGolden(t *testing.T) {
	// The audit package's golden results document, written by
	// audit.WriteJSON.
	r, err := gate.ReadResult(filepath.Join("..", "audit", "testdata", "result_golden.json"))
	if err != nil {
		t.Fatal(err)
	}
	if r.Dataset.Name != "tiny" || len(r.Systems) != 2 || r.Systems[1].Name != "itemknn" {
		t.Errorf("read %q with %d systems", r.Dataset.Name, len(r.Systems))
	}
}

func TestDecodeResultErrors(t *testing.T) {
	var good bytes.Buffer
	if err := audit.WriteJSON(&good, fixture()); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name, data, want string
	}{
		{"empty", "", "invalid results document: the file is empty"},
		{"blank", " \n\t", "invalid results document: the file is empty"},
		{"not json", "schema_version: 1\n", "invalid results document: not valid JSON at line 1, column 1: invalid character 's' looking for beginning of value"},
		{"syntax error", "{\n  \"schema_version\": 1,\n  \"tool\": {,\n}", "invalid results document: not valid JSON at line 3, column 12: invalid character ',' looking for beginning of object key string"},
		{"truncated", good.String()[:200], "invalid results document: not valid JSON: the document ends early (truncated?)"},
		{"wrong type", `{"schema_version": "1"}`, "invalid results document: not a results document: near line 1, column 22, schema_version should be int, not string"},
		{"array", `[1, 2]`, "invalid results document: not a results document: near line 1, column 1, the document should be audit.Result, not array"},
		{"no version", `{"systems": []}`, "invalid results document: no schema_version: not a recaudit results document"},
		{"newer version", `{"schema_version": 2}`, "invalid results document: schema_version 2 is newer than this recaudit reads (1); upgrade recaudit"},
		{"no systems", `{"schema_version": 1, "systems": []}`, "invalid results document: the document has no systems"},
		{"unnamed system", `{"schema_version": 1, "systems": [{"name": ""}]}`, "invalid results document: system 1 has no name"},
		{"trailing data", good.String() + "{}", "invalid results document: unexpected data after the document at line"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := gate.DecodeResult([]byte(tc.data))
			if err == nil || !errors.Is(err, gate.ErrResult) || !strings.HasPrefix(err.Error(), tc.want) {
				t.Errorf("got %v\nwant %s", err, tc.want)
			}
		})
	}
	// Fields a newer recaudit may add are ignored.
	extra := strings.Replace(good.String(), `"schema_version": 1,`, `"schema_version": 1, "new_field": {"x": [1]},`, 1)
	if _, err := gate.DecodeResult([]byte(extra)); err != nil {
		t.Errorf("unknown field: %v", err)
	}
}

func TestReadResultNames(t *testing.T) {
	path := filepath.Join(t.TempDir(), "results.json")
	if err := os.WriteFile(path, []byte("{"), 0o644); err != nil {
		t.Fatal(err)
	}
	_, err := gate.ReadResult(path)
	if err == nil || !strings.HasPrefix(err.Error(), path+": invalid results document: not valid JSON") {
		t.Errorf("got %v", err)
	}
	if _, err := gate.ReadResult(filepath.Join(t.TempDir(), "missing.json")); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("missing file: %v", err)
	}
}
