package gate_test

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/recaudit/recaudit/gate"
)

// fuzzSeeds are the policies of the tests and examples, the seed corpus
// of the fuzz targets (go test runs them as ordinary tests).
func fuzzSeeds(f *testing.F) {
	f.Add([]byte(allStatuses))
	f.Add([]byte(policy(rule("{kind: group, metric: [ndcg, precision], attribute: gender, group: '*', value: vs_rest}", "min: -0.1\n    max: 0.1", "point"))))
	f.Add([]byte(policy(rule("{kind: exposure, system: [knn], group: independent, value: catalogue_ratio, cutoff: [10]}", "change: {max_drop: 0.05, max_rise: 1}", "significant"))))
	f.Add([]byte(policy(rule("{kind: targeting, group: 18-24, value: rate}", "max: 0.05", ""))))
	f.Add([]byte("version: 1\nrules:\n  - id: [a\n"))
	f.Add([]byte("version: &v 1\nname: *v\n"))
	f.Add([]byte("version: 1\nrules: []\n---\nx: 1\n"))
	f.Add([]byte("{version: 1, rules: [{id: r, description: d, select: {kind: metric, metric: ndcg}, min: 1e400}]}"))
	f.Add([]byte("version: 1\nrules:\n  - id: r\n    description: d\n    select: {kind: metric, metric: ndcg}\n    min: 0\nwaivers:\n  - {rule: r, reason: x, approver: y, expires: 2026-02-30}\n"))
	if data, err := os.ReadFile(filepath.Join("..", "examples", "policy", "demo.yaml")); err == nil {
		f.Add(data)
	}
}

// FuzzParse checks that Parse never panics, that every error it returns
// is an ErrPolicy made of positioned PolicyErrors, and that every policy
// it accepts is valid and can be checked against a result without
// panicking.
func FuzzParse(f *testing.F) {
	fuzzSeeds(f)
	r := fixture()
	f.Fuzz(func(t *testing.T, data []byte) {
		p, err := gate.Parse("fuzz.yaml", data)
		if err != nil {
			if p != nil {
				t.Fatal("policy and error both returned")
			}
			if !errors.Is(err, gate.ErrPolicy) {
				t.Fatalf("error does not wrap ErrPolicy: %v", err)
			}
			for _, line := range strings.Split(err.Error(), "\n") {
				if !strings.HasPrefix(line, "fuzz.yaml:") {
					t.Fatalf("error line without the file name: %q", line)
				}
			}
			return
		}
		if err := p.Validate(); err != nil {
			t.Fatalf("Parse accepted a policy Validate rejects: %v", err)
		}
		if len(p.Rules) == 0 || p.Version != gate.Version {
			t.Fatalf("accepted policy with %d rules, version %d", len(p.Rules), p.Version)
		}
		for _, ru := range p.Rules {
			if ru.Pos.Line < 1 || ru.Pos.Column < 1 {
				t.Fatalf("rule %q without a position", ru.ID)
			}
		}
		_ = p.Check(r)
	})
}

// FuzzEvaluate checks that any policy Parse accepts evaluates against the
// fixture (with itself as baseline) without panicking, and that every
// output format writes it.
func FuzzEvaluate(f *testing.F) {
	fuzzSeeds(f)
	r := fixture()
	f.Fuzz(func(t *testing.T, data []byte) {
		p, err := gate.Parse("fuzz.yaml", data)
		if err != nil {
			return
		}
		rep, err := gate.Evaluate(p, r, gate.Options{Baseline: changed(), Now: day("2026-05-04")})
		if err != nil {
			if !errors.Is(err, gate.ErrPolicy) {
				t.Fatalf("Evaluate error does not wrap ErrPolicy: %v", err)
			}
			return
		}
		if len(rep.Rules) != len(p.Rules) {
			t.Fatalf("%d rule results for %d rules", len(rep.Rules), len(p.Rules))
		}
		for _, rr := range rep.Rules {
			if len(rr.Outcomes) == 0 {
				t.Fatalf("rule %q evaluated with no outcome", rr.Rule.ID)
			}
		}
		for f := gate.FormatTable; f <= gate.FormatMarkdown; f++ {
			var buf bytes.Buffer
			if err := gate.Write(&buf, rep, f); err != nil {
				t.Fatalf("%v: %v", f, err)
			}
		}
	})
}
