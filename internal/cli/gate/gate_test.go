package gate_test

import (
	"bytes"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	libgate "github.com/recaudit/recaudit/gate"
	"github.com/recaudit/recaudit/internal/cli"
	"github.com/recaudit/recaudit/internal/cli/cmdutil"
	"github.com/recaudit/recaudit/internal/cli/gate"
)

// miniResults is a results document with one system, "knn": NDCG@10 0.3
// [0.28, 0.32], and by gender F 0.32, M 0.28, a max-min difference of 0.04
// [0.01, 0.07] with q = 0.2.
const miniResults = `{
  "schema_version": 1,
  "tool": {"name": "recaudit", "version": "test"},
  "dataset": {"name": "mini"},
  "seed": 1,
  "tests": {"count": 1, "significant": 0, "correction": "benjamini-hochberg", "q_threshold": 0.05},
  "systems": [
    {
      "name": "knn",
      "metrics": [{"name": "ndcg@10", "level": "user", "value": 0.3, "ci": [0.28, 0.32], "n": 100}],
      "consumer": {"comparisons": [{
        "metric": "ndcg@10", "attribute": "gender",
        "groups": [
          {"group": "F", "n": 50, "value": 0.32, "ci": [0.3, 0.34]},
          {"group": "M", "n": 50, "value": 0.28, "ci": [0.26, 0.3]}
        ],
        "disparities": [{"aggregator": "max-min-diff", "estimate": 0.04, "ci": [0.01, 0.07],
          "test": {"method": "permutation", "p": 0.1, "q": 0.2}}]
      }]},
      "provider": [],
      "targeting": []
    }
  ]
}
`

// A rule on the gender gap; passes at max 0.05, fails at max 0.03 (point).
func gapPolicy(max string) string {
	return `version: 1
rules:
  - id: gender-gap
    description: NDCG@10 gap between genders.
    select: {kind: disparity, metric: ndcg, cutoff: 10, attribute: gender, aggregator: max-min-diff}
    max: ` + max + "\n"
}

func write(t *testing.T, dir, name, data string) string {
	t.Helper()
	path := filepath.Join(dir, name)
	if err := os.WriteFile(path, []byte(data), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

func TestNewCmdGateFlags(t *testing.T) {
	for _, tc := range []struct {
		name    string
		args    []string
		want    gate.GateOptions
		wantErr string
	}{
		{name: "defaults", args: []string{"--policy", "p.yaml", "r.json"},
			want: gate.GateOptions{Policy: "p.yaml", Results: "r.json", Format: libgate.FormatTable}},
		{name: "everything", args: []string{"r.json", "--policy", "p.yaml", "--baseline", "b.json", "--format", "junit", "--output", "g.xml", "--summary", "s.md"},
			want: gate.GateOptions{Policy: "p.yaml", Results: "r.json", Baseline: "b.json", Format: libgate.FormatJUnit, Output: "g.xml", Summary: "s.md"}},
		{name: "github", args: []string{"--policy", "p.yaml", "r.json", "--format", "github"},
			want: gate.GateOptions{Policy: "p.yaml", Results: "r.json", Format: libgate.FormatGitHub}},
		{name: "no policy", args: []string{"r.json"}, wantErr: `required flag(s) "policy" not set`},
		{name: "no results", args: []string{"--policy", "p.yaml"}, wantErr: "accepts 1 arg(s), received 0"},
		{name: "two results", args: []string{"--policy", "p.yaml", "a.json", "b.json"}, wantErr: "accepts 1 arg(s), received 2"},
		{name: "bad format", args: []string{"--policy", "p.yaml", "r.json", "--format", "xml"}, wantErr: "valid values are table, json, junit, github, markdown"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f := cmdutil.NewFactory(nil, &bytes.Buffer{}, &bytes.Buffer{})
			var got *gate.GateOptions
			cmd := gate.NewCmdGate(f, func(o *gate.GateOptions) error { got = o; return nil })
			cmd.SetArgs(tc.args)
			cmd.SetOut(&bytes.Buffer{})
			cmd.SetErr(&bytes.Buffer{})
			err := cmd.Execute()
			if tc.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
					t.Fatalf("error %v, want one containing %q", err, tc.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if got.IO != f.IO || got.Now == nil || got.Getenv == nil {
				t.Error("options not filled from the factory")
			}
			got.IO, got.Now, got.Getenv = nil, nil, nil
			if diff := cmp.Diff(tc.want, *got); diff != "" {
				t.Errorf("options (-want +got):\n%s", diff)
			}
		})
	}
}

// run runs "recaudit gate" through cli.Run (flag parsing, the command,
// the error printing and the exit status) with the clock on the given
// day.
func run(t *testing.T, date string, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errOut bytes.Buffer
	f := cli.NewFactory(nil, &out, &errOut)
	d, err := time.Parse(time.DateOnly, date)
	if err != nil {
		t.Fatal(err)
	}
	f.Now = func() time.Time { return d }
	code = cli.Run(t.Context(), f, append([]string{"gate"}, args...))
	return code, out.String(), errOut.String()
}

func TestGatePassFail(t *testing.T) {
	dir := t.TempDir()
	res := write(t, dir, "results.json", miniResults)
	pass := write(t, dir, "pass.yaml", gapPolicy("0.05"))
	fail := write(t, dir, "fail.yaml", gapPolicy("0.03"))

	code, out, errOut := run(t, "2026-05-04", "--policy", pass, res)
	if code != 0 || out != "" || !strings.HasPrefix(errOut, "recaudit gate passed: 1 rule: 1 pass\n") {
		t.Errorf("pass: exit %d, stdout %q, stderr:\n%s", code, out, errOut)
	}
	code, out, errOut = run(t, "2026-05-04", "--policy", fail, res)
	if code != 1 || out != "" || !strings.Contains(errOut, "FAIL    gender-gap: NDCG@10 gap between genders.") ||
		!strings.HasSuffix(errOut, "recaudit: policy violated: 1 of 1 rules failed: gender-gap\n") {
		t.Errorf("fail: exit %d, stdout %q, stderr:\n%s", code, out, errOut)
	}
}

func TestGateFormats(t *testing.T) {
	dir := t.TempDir()
	res := write(t, dir, "results.json", miniResults)
	fail := write(t, dir, "fail.yaml", gapPolicy("0.03"))

	code, out, errOut := run(t, "2026-05-04", "--policy", fail, res, "--format", "json")
	if code != 1 || !strings.Contains(out, `"passed": false`) || !strings.HasPrefix(errOut, "recaudit gate FAILED: 1 of 1 rule fail (gender-gap)\n") {
		t.Errorf("json: exit %d, stdout:\n%s\nstderr:\n%s", code, out, errOut)
	}

	xmlPath := filepath.Join(dir, "gate.xml")
	code, out, _ = run(t, "2026-05-04", "--policy", fail, res, "--format", "junit", "--output", xmlPath)
	data, err := os.ReadFile(xmlPath)
	if code != 1 || out != "" || err != nil || !bytes.Contains(data, []byte(`<testcase name="gender-gap" classname="recaudit.gate" time="0">`)) {
		t.Errorf("junit to file: exit %d, stdout %q, %v:\n%s", code, out, err, data)
	}

	summary := filepath.Join(dir, "summary.md")
	t.Setenv("GITHUB_STEP_SUMMARY", summary)
	for range 2 {
		code, out, _ = run(t, "2026-05-04", "--policy", fail, res, "--format", "github")
		if code != 1 || !strings.HasPrefix(out, "::error file="+libgate.EscapeProperty(fail)+",line=3,title=recaudit gate%3A gender-gap failed::") {
			t.Errorf("github: exit %d, stdout:\n%s", code, out)
		}
	}
	data, err = os.ReadFile(summary)
	if err != nil || bytes.Count(data, []byte(libgate.MarkdownMarker)) != 2 {
		t.Errorf("the summary was not appended twice to $GITHUB_STEP_SUMMARY: %v\n%s", err, data)
	}

	explicit := filepath.Join(dir, "explicit.md")
	code, out, errOut = run(t, "2026-05-04", "--policy", fail, res, "--summary", explicit)
	data, err = os.ReadFile(explicit)
	if code != 1 || out != "" || !strings.Contains(errOut, "FAIL ") || err != nil || !bytes.HasPrefix(data, []byte(libgate.MarkdownMarker)) {
		t.Errorf("table with --summary: exit %d, summary %v:\n%s", code, err, data)
	}

	code, out, _ = run(t, "2026-05-04", "--policy", fail, res, "--format", "markdown")
	if code != 1 || !strings.HasPrefix(out, libgate.MarkdownMarker+"\n### ❌ recaudit gate FAILED") {
		t.Errorf("markdown: exit %d, stdout:\n%s", code, out)
	}
}

func TestGateWaiver(t *testing.T) {
	dir := t.TempDir()
	res := write(t, dir, "results.json", miniResults)
	waived := write(t, dir, "waived.yaml", gapPolicy("0.03")+`waivers:
  - rule: gender-gap
    reason: new model in review
    approver: Jane Doe
    expires: 2026-06-30
`)
	for _, tc := range []struct {
		date string
		code int
		msg  string
	}{
		{"2026-06-29", 0, "waived until 2026-06-30 (approved by Jane Doe: new model in review)"},
		{"2026-06-30", 0, "waived until today, 2026-06-30"},
		{"2026-07-01", 1, "the waiver of this rule expired on 2026-06-30 (approved by Jane Doe: new model in review); renew or remove it."},
	} {
		code, _, errOut := run(t, tc.date, "--policy", waived, res)
		if code != tc.code || !strings.Contains(errOut, tc.msg) {
			t.Errorf("%s: exit %d, want %d with %q; stderr:\n%s", tc.date, code, tc.code, tc.msg, errOut)
		}
	}
}

func TestGateBadInput(t *testing.T) {
	dir := t.TempDir()
	res := write(t, dir, "results.json", miniResults)
	pass := write(t, dir, "pass.yaml", gapPolicy("0.05"))
	for _, tc := range []struct {
		name string
		args []string
		want string
	}{
		{"corrupt results", []string{"--policy", pass, write(t, dir, "corrupt.json", miniResults[:300])},
			"corrupt.json: invalid results document: not valid JSON: the document ends early (truncated?)"},
		{"missing results", []string{"--policy", pass, filepath.Join(dir, "none.json")}, "none.json: no such file or directory"},
		{"corrupt baseline", []string{"--policy", pass, res, "--baseline", write(t, dir, "base.json", "{}")},
			"baseline: " + filepath.Join(dir, "base.json") + ": invalid results document: no schema_version"},
		{"missing policy", []string{"--policy", filepath.Join(dir, "none.yaml"), res}, "none.yaml: no such file or directory"},
		{"bad policy", []string{"--policy", write(t, dir, "bad.yaml", "version: 1\nrules:\n  - id: r\n    description: d\n    select: {kind: metric, metric: ndcg}\n    min: low\n"), res},
			`bad.yaml:6:10: min must be a number, not "low"`},
		{"unknown name", []string{"--policy", write(t, dir, "name.yaml", strings.Replace(gapPolicy("0.05"), "attribute: gender", "attribute: gendr", 1)), res},
			`name.yaml:5:68: rule "gender-gap": unknown attribute "gendr"; did you mean "gender"?`},
		{"no policy flag", []string{res}, `required flag(s) "policy" not set`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			code, out, errOut := run(t, "2026-05-04", tc.args...)
			if code != 2 || out != "" || !strings.Contains(errOut, tc.want) || !strings.HasPrefix(errOut, "recaudit: ") {
				t.Errorf("exit %d, stdout %q, stderr:\n%s\nwant exit 2 and %q", code, out, errOut, tc.want)
			}
		})
	}
}

// TestApply checks the function recaudit audit --policy calls, with a
// result in memory.
func TestApply(t *testing.T) {
	dir := t.TempDir()
	r, err := libgate.DecodeResult([]byte(miniResults))
	if err != nil {
		t.Fatal(err)
	}
	var out, errOut bytes.Buffer
	opts := &gate.GateOptions{
		IO:     &cmdutil.IOStreams{Out: &out, ErrOut: &errOut},
		Now:    func() time.Time { return time.Date(2026, 5, 4, 0, 0, 0, 0, time.UTC) },
		Policy: write(t, dir, "fail.yaml", gapPolicy("0.03")),
		Format: libgate.FormatTable,
	}
	err = gate.Apply(opts, r)
	if !errors.Is(err, cmdutil.ErrPolicyViolated) || cli.ExitCode(err) != 1 || !strings.Contains(errOut.String(), "FAIL    gender-gap") {
		t.Errorf("Apply: %v (exit %d)\n%s", err, cli.ExitCode(err), errOut.String())
	}
	opts.Policy = filepath.Join(dir, "none.yaml")
	if err := gate.Apply(opts, r); !errors.Is(err, fs.ErrNotExist) || cli.ExitCode(err) != 2 {
		t.Errorf("missing policy: %v", err)
	}
	opts.Policy = write(t, dir, "pass.yaml", gapPolicy("0.05"))
	opts.Getenv = func(string) string { return "" }
	if err := gate.Apply(opts, r); err != nil {
		t.Errorf("passing policy: %v", err)
	}
}
