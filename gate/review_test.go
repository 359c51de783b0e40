package gate_test

import (
	"errors"
	"io/fs"
	"math"
	"strings"
	"testing"

	"github.com/recaudit/recaudit/gate"
)

// TestEvaluateValidatesGoPolicies checks that Evaluate refuses a policy
// built in Go that Parse could not have produced, instead of judging it:
// a bad uncertainty mode used to leave every value passing, whatever its
// bound, and a NaN bound used to count as no bound.
func TestEvaluateValidatesGoPolicies(t *testing.T) {
	ndcg := gate.Selector{Kind: gate.KindMetric, Metric: gate.Match[string]{Values: []string{"ndcg"}}}
	for _, tc := range []struct {
		name string
		rule gate.Rule
		want string
	}{
		// Fixture: ndcg@10 is 0.3 and 0.2, both above max 0.
		{"bad uncertainty", gate.Rule{ID: "r", Description: "d", Select: ndcg, Max: fptr(0), Uncertainty: 7}, `rule "r": bad uncertainty 7`},
		{"NaN min", gate.Rule{ID: "r", Description: "d", Select: ndcg, Min: fptr(math.NaN())}, `rule "r": min must be a finite number`},
		{"infinite max_drop", gate.Rule{ID: "r", Description: "d", Select: ndcg, Change: &gate.Change{MaxDrop: fptr(math.Inf(1))}},
			`rule "r": max_drop must be a finite number`},
		{"min and change", gate.Rule{ID: "r", Description: "d", Select: ndcg, Min: fptr(0), Change: &gate.Change{MaxDrop: fptr(0)}},
			"not both"},
		{"waiver of no rule", gate.Rule{ID: "r", Description: "d", Select: ndcg, Min: fptr(0)}, `waiver of unknown rule "s"`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p := &gate.Policy{Version: 1, Rules: []gate.Rule{tc.rule}}
			if tc.name == "waiver of no rule" {
				p.Waivers = []gate.Waiver{{Rule: "s", Reason: "x", Approver: "y", Expires: day("2026-06-30")()}}
			}
			rep, err := gate.Evaluate(p, fixture(), gate.Options{Now: day("2026-05-04")})
			if err == nil || !errors.Is(err, gate.ErrPolicy) || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("Evaluate: %v (report %v), want an ErrPolicy containing %q", err, rep != nil, tc.want)
			}
			if rep != nil {
				t.Error("Evaluate returned a report with its error")
			}
		})
	}
}

// TestValidateErrorOrder checks that the errors of a policy built in Go
// come out in the same order every time, although they share a position
// (map iteration used to shuffle them).
func TestValidateErrorOrder(t *testing.T) {
	r := gate.Rule{ID: "r", Description: "d", Min: fptr(0), Select: gate.Selector{Kind: gate.KindMetric,
		Metric: gate.Match[string]{Values: []string{"ndcg"}}, Group: gate.Match[string]{Values: []string{"g"}},
		Flag: gate.Match[string]{Values: []string{"f"}}, Measure: gate.Match[string]{Values: []string{"m"}}}}
	p := &gate.Policy{Version: 1, Rules: []gate.Rule{r}}
	// The order of selectorKeys: group, flag, measure.
	want := `rule "r": group does not apply to kind metric` + "\n" +
		`rule "r": flag does not apply to kind metric` + "\n" +
		`rule "r": measure does not apply to kind metric`
	for range 20 {
		if got := p.Validate(); got == nil || got.Error() != want {
			t.Fatalf("Validate:\n%v\nwant\n%s", got, want)
		}
	}
}

// TestReadUnreadable checks that a policy or results file that cannot be
// read is reported as a bad policy or result (exit status 2 in the
// command), not as an internal error, and keeps the I/O error.
func TestReadUnreadable(t *testing.T) {
	dir := t.TempDir()
	missing := dir + "/missing.yaml"
	if _, err := gate.ReadPolicy(missing); !errors.Is(err, gate.ErrPolicy) || !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("ReadPolicy of a missing file: %v, want ErrPolicy and fs.ErrNotExist", err)
	}
	if _, err := gate.ReadPolicy(dir); !errors.Is(err, gate.ErrPolicy) {
		t.Errorf("ReadPolicy of a directory: %v, want ErrPolicy", err)
	}
	if _, err := gate.ReadResult(missing); !errors.Is(err, gate.ErrResult) || !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("ReadResult of a missing file: %v, want ErrResult and fs.ErrNotExist", err)
	}
	if _, err := gate.ReadResult(dir); !errors.Is(err, gate.ErrResult) {
		t.Errorf("ReadResult of a directory: %v, want ErrResult", err)
	}
}
