package audit

import (
	"errors"
	"os"
	"path/filepath"
	"testing"
)

// FuzzParseSpec checks that no input makes ParseSpec or Check panic, and
// that every error they return is a *SpecError wrapping ErrSpec. The seed
// corpus (every bad spec of TestSpecErrors, examples/audit.yaml and a few
// YAML oddities) runs under go test; fuzz with
//
//	go test -run '^$' -fuzz FuzzParseSpec -fuzztime 1m ./audit/
func FuzzParseSpec(f *testing.F) {
	for _, tc := range specErrorCases {
		f.Add([]byte(tc.yaml))
	}
	if b, err := os.ReadFile(filepath.Join("..", "examples", "audit.yaml")); err == nil {
		f.Add(b)
	}
	for _, s := range []string{
		"version: 1\nsystems: &a [*a]\n",
		"version: 1\ngroups: {bins: {age: {edges: [.nan, 1]}}}\n",
		"version: 1\nk: 99999999999999999999\n",
		"version: 1\nseed: 0x10\nsplit: {seed: 18446744073709551615}\n",
		"version: 1\ndataset: {demo: ~}\n",
		"version: 1\nsystems: [{exec: []}]\n",
		"version: 1\n? [a]\n: b\n",
		"%YAML 1.2\n---\nversion: 1\n...\n",
		"version: !!binary aGVsbG8=\n",
		"{version: 1, metrics: {measures: []}}",
		// The JSON forms of results.json's spec, and a second document.
		`{"version": 1, "dataset": {"dir": "d", "demo": null, "roles": [{"column": "a", "role": "sensitive"}]}, "k": null}`,
		`{"version": 1, "groups": {"bins": [{"column": "a", "edges": ["-Inf", 1, "+Inf"], "quantiles": 0}]}, "split": {"seed": null}}`,
		`{"version": 1, "systems": [{"algo": "itemknn", "params": [{"name": "neighbors", "value": 5}]}]}`,
		"version: 1\n---\nversion: 1\n",
		"version: 1\nk: 1e400\nseed: \"5\"\n",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		s, err := ParseSpec("fuzz.yaml", data)
		if err == nil {
			err = s.Check(nil)
		}
		if err == nil {
			return
		}
		var se *SpecError
		if !errors.As(err, &se) || !errors.Is(err, ErrSpec) {
			t.Fatalf("%T %v: not a *SpecError wrapping ErrSpec", err, err)
		}
		if se.Error() == "" {
			t.Fatal("empty message")
		}
	})
}
