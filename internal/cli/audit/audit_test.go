package audit

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/apache/arrow-go/v18/arrow/memory"
	"github.com/google/go-cmp/cmp"
	libaudit "github.com/recaudit/recaudit/audit"
	"github.com/recaudit/recaudit/datasets"
	"github.com/recaudit/recaudit/internal/cli/clitest"
	"github.com/recaudit/recaudit/internal/cli/cmdutil"
)

// parse runs the command's flag parsing and returns the options and the
// spec they give.
func parse(t *testing.T, args ...string) (*AuditOptions, *libaudit.Spec, error) {
	t.Helper()
	f := cmdutil.NewFactory(nil, &bytes.Buffer{}, &bytes.Buffer{})
	var got *AuditOptions
	cmd := NewCmdAudit(f, func(o *AuditOptions) error { got = o; return nil })
	cmd.SetArgs(args)
	cmd.SetOut(&bytes.Buffer{})
	cmd.SetErr(&bytes.Buffer{})
	if err := cmd.Execute(); err != nil {
		return nil, nil, err
	}
	s, err := got.spec()
	return got, s, err
}

func TestFlagsOverrideSpec(t *testing.T) {
	dir := t.TempDir()
	specPath := filepath.Join(dir, "a.yaml")
	if err := os.WriteFile(specPath, []byte("version: 1\nsystems: [ease]\nseed: 3\nstatistics: {resamples: 50}\n"), 0o666); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name    string
		args    []string
		check   func(*libaudit.Spec) string
		wantErr string
	}{
		{name: "no flags: the demo audit", check: func(s *libaudit.Spec) string {
			return cmp.Diff(libaudit.DefaultSpec(), s, cmp.AllowUnexported(libaudit.Spec{}), cmp.Comparer(func(a, b map[string]libaudit.Pos) bool { return len(a) == len(b) }))
		}},
		{name: "spec", args: []string{"--spec", specPath}, check: func(s *libaudit.Spec) string {
			if s.Seed != 3 || s.Statistics.Resamples != 50 || len(s.Systems) != 1 || s.Systems[0].Algo != "ease" || s.BaseDir != dir {
				return "spec fields not read"
			}
			return ""
		}},
		{name: "flags win", args: []string{"--spec", specPath, "--seed", "9", "--resamples", "70", "--k", "5,10", "--min-group-size", "20",
			"--algo", "popular", "--algo", "knn=itemknn:neighbors=10,shrink=2", "--permutations", "300", "--sensitive", "gender",
			"--split", "leave-n-out", "--n", "2"},
			check: func(s *libaudit.Spec) string {
				want := []libaudit.SystemSpec{{Algo: "popular"}, {Name: "knn", Algo: "itemknn", Params: []libaudit.SpecParam{{Name: "neighbors", Value: "10"}, {Name: "shrink", Value: "2"}}}}
				if d := cmp.Diff(want, s.Systems); d != "" {
					return d
				}
				if s.Seed != 9 || s.Statistics.Resamples != 70 || !slices.Equal(s.Cutoffs, []int{5, 10}) || s.K != nil || s.Groups.MinGroupSize != 20 ||
					s.Statistics.Permutations != 300 || !slices.Equal(s.Groups.Sensitive, []string{"gender"}) || s.Split.Kind != "leave-n-out" || s.Split.N != 2 {
					return "flags not applied"
				}
				return ""
			}},
		{name: "data replaces the demo", args: []string{"--data", "shop", "--role", "income=sensitive"}, check: func(s *libaudit.Spec) string {
			if s.Dataset.Demo != nil || s.Dataset.Dir != "shop" || !slices.Equal(s.Dataset.Roles, []libaudit.RoleSpec{{Column: "income", Role: "sensitive"}}) {
				return "dataset not replaced"
			}
			return ""
		}},
		{name: "recs", args: []string{"--recs", "a.csv", "--recs", "b.parquet"}, check: func(s *libaudit.Spec) string {
			return cmp.Diff([]libaudit.SystemSpec{{File: "a.csv"}, {File: "b.parquet"}}, s.Systems)
		}},
		{name: "cutoffs alias", args: []string{"--cutoffs", "20"}, check: func(s *libaudit.Spec) string {
			if !slices.Equal(s.Cutoffs, []int{20}) || s.K != nil {
				return "cutoffs"
			}
			return ""
		}},
		{name: "bad algo", args: []string{"--algo", "=itemknn"}, wantErr: "want [NAME=]ALGO[:PARAM=VALUE,...]"},
		{name: "bad algo param", args: []string{"--algo", "itemknn:neighbors"}, wantErr: `parameter "neighbors" is not PARAM=VALUE`},
		{name: "bad cutoff", args: []string{"--k", "10,0"}, wantErr: `cutoff "0" is not a whole number >= 1`},
		{name: "k and cutoffs", args: []string{"--k", "10", "--cutoffs", "20"}, wantErr: "none of the others can be"},
		{name: "users without interactions", args: []string{"--users", "u.csv"}, wantErr: "--users and --items need --interactions"},
		{name: "resamples", args: []string{"--resamples", "0"}, wantErr: "--resamples must be at least 1"},
		{name: "format", args: []string{"--format", "csv"}, wantErr: "valid values are arrow, parquet"},
		{name: "argument", args: []string{"extra"}, wantErr: "unknown command"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, s, err := parse(t, tc.args...)
			if tc.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
					t.Fatalf("got %v, want an error containing %q", err, tc.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if d := tc.check(s); d != "" {
				t.Error(d)
			}
		})
	}
}

// TestFlagErrorsNameTheFlag checks that a bad value given by a flag is
// reported with the flag's name.
func TestFlagErrorsNameTheFlag(t *testing.T) {
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"--algo", "itemknn:neighbors=0"}, "flag --algo: systems[0].params.neighbors: itemknn: 0 is out of range [1, +inf)"},
		{[]string{"--recs", "missing.arrow"}, "flag --recs: systems[0].file: file missing.arrow does not exist"},
		{[]string{"--data", "no-such-dir"}, "flag --data: dataset.dir: directory no-such-dir does not exist"},
		{[]string{"--split", "temporal-cutoff", "--test-fraction", "0.5", "--algo", "svd"}, `flag --algo: systems[0].algo: unknown algorithm "svd"`},
	} {
		_, s, err := parse(t, tc.args...)
		if err == nil {
			err = s.Check(nil)
		}
		if err == nil || !strings.HasPrefix(err.Error(), tc.want) || !errors.Is(err, libaudit.ErrSpec) {
			t.Errorf("%v: got %v, want %q...", tc.args, err, tc.want)
		}
	}
}

// smallSpec is a quick demo audit for the command's tests.
const smallSpec = `version: 1
dataset:
  demo: {users: 300, items: 400}
systems: [popular, itemknn]
cutoffs: [10]
statistics: {resamples: 20, permutations: 20}
`

// runAudit runs the command with args in dir and returns its stderr.
func runAudit(t *testing.T, dir string, env map[string]string, args ...string) (string, error) {
	t.Helper()
	var stderr bytes.Buffer
	mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
	defer mem.AssertSize(t, 0)
	f := cmdutil.NewFactory(nil, &bytes.Buffer{}, &stderr)
	f.Allocator = mem
	f.Now = clitest.Clock(time.Second)
	cmd := NewCmdAudit(f, func(o *AuditOptions) error {
		o.Getenv = func(k string) string { return env[k] }
		for i, a := range o.Recs {
			o.Recs[i] = filepath.Join(dir, a)
		}
		if o.SpecFile != "" {
			o.SpecFile = filepath.Join(dir, o.SpecFile)
		}
		o.Out = filepath.Join(dir, o.Out)
		return auditRun(context.Background(), o)
	})
	cmd.SetArgs(args)
	cmd.SetOut(&bytes.Buffer{})
	cmd.SetErr(&bytes.Buffer{})
	err := cmd.Execute()
	return stderr.String(), err
}

// readTable reads a per-user table: its column names and, by column, the
// values as strings ("null" for nulls).
func readTable(t *testing.T, path string) ([]string, map[string][]string) {
	t.Helper()
	r, err := datasets.OpenTable(path)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	var names []string
	for _, f := range r.Schema().Fields() {
		names = append(names, f.Name)
	}
	cols := map[string][]string{}
	for r.Next() {
		b := r.RecordBatch()
		for i, n := range names {
			c := b.Column(i)
			for j := range c.Len() {
				if c.IsNull(j) {
					cols[n] = append(cols[n], "null")
					continue
				}
				cols[n] = append(cols[n], strings.Clone(c.ValueStr(j))) // the file is memory-mapped
			}
		}
	}
	if err := r.Err(); err != nil {
		t.Fatal(err)
	}
	return names, cols
}

// TestAuditOutputs runs the command end to end: the outputs are written,
// everything but timings.json (results.json, the per-user table, the
// report and its plots) is byte-identical on a second run, the table has one row per (system, user) with every per-user
// column, and an existing report is kept without --force.
func TestAuditOutputs(t *testing.T) {
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "a.yaml"), []byte(smallSpec), 0o666); err != nil {
		t.Fatal(err)
	}
	stderr, err := runAudit(t, dir, nil, "--spec", "a.yaml", "--out", "r1")
	if err != nil {
		t.Fatal(err)
	}
	if !regexp.MustCompile(`^Audited 2 systems on demo \(300 users, 400 items\): \d+ findings from \d+ tests; wrote .*r1 in \d+s\n$`).MatchString(stderr) {
		t.Errorf("summary %q", stderr)
	}
	entries, _ := os.ReadDir(filepath.Join(dir, "r1"))
	var files []string
	for _, e := range entries {
		files = append(files, e.Name())
	}
	if want := []string{"per-user.arrow", "plots", "report.html", "report.md", "results.json", "timings.json"}; !slices.Equal(files, want) {
		t.Errorf("files %v, want %v", files, want)
	}
	var timings libaudit.Timings
	if err := json.NewDecoder(mustOpen(t, filepath.Join(dir, "r1", "timings.json"))).Decode(&timings); err != nil {
		t.Fatal(err)
	}
	var stages []string
	for _, st := range timings.Stages {
		stages = append(stages, st.Stage)
	}
	if want := []string{"dataset", "split", "groups", "systems", "finalize", "write", "report"}; !slices.Equal(stages, want) || len(timings.Systems) != 2 || timings.Total <= 0 {
		t.Errorf("timings %+v, want the stages %v and 2 systems", timings, want)
	}
	if _, err := runAudit(t, dir, nil, "--spec", "a.yaml", "--out", "r2", "--quiet"); err != nil {
		t.Fatal(err)
	}
	// Every output but timings.json is byte-identical: the data, the
	// report and every plot (SVG and PNG).
	same := []string{"results.json", "per-user.arrow", "report.md", "report.html"}
	plots, _ := os.ReadDir(filepath.Join(dir, "r1", "plots"))
	if len(plots) == 0 {
		t.Error("no plots written")
	}
	for _, e := range plots {
		same = append(same, filepath.Join("plots", e.Name()))
	}
	for _, name := range same {
		a, _ := os.ReadFile(filepath.Join(dir, "r1", name))
		b, _ := os.ReadFile(filepath.Join(dir, "r2", name))
		if len(a) == 0 || !bytes.Equal(a, b) {
			t.Errorf("%s differs between two runs of the same audit", name)
		}
	}

	// The per-user table.
	res, err := libaudit.ReadJSON(mustOpen(t, filepath.Join(dir, "r1", "results.json")))
	if err != nil {
		t.Fatal(err)
	}
	names, cols := readTable(t, filepath.Join(dir, "r1", "per-user.arrow"))
	want := []string{"system", "user_id", "fallback"}
	for _, c := range []string{"precision", "recall", "hit_rate", "rr", "ap", "dcg", "ndcg", "rbp", "novelty", "arp", "aplt", "popularity_lift", "calibration_kl",
		"high_cost_credit_share", "high_cost_credit_shown", "high_cost_credit_exposure"} {
		want = append(want, c+"@10")
	}
	if !slices.Equal(names, want) {
		t.Errorf("columns %v, want %v", names, want)
	}
	if n := len(cols["system"]); n != 600 || cols["system"][0] != "popular" || cols["system"][599] != "itemknn" || cols["user_id"][0] != "1" || cols["user_id"][300] != "1" {
		t.Errorf("%d rows, want 2 systems × 300 users in order", n)
	}
	// Its NDCG@10 means are the result's.
	for si, s := range res.Systems {
		var sum float64
		var n int
		for _, v := range cols["ndcg@10"][si*300 : si*300+300] {
			if v != "null" {
				x, err := strconv.ParseFloat(v, 64)
				if err != nil {
					t.Fatal(err)
				}
				sum += x
				n++
			}
		}
		for _, m := range s.Metrics {
			if m.Name == "ndcg@10" && (m.N != n || abs(float64(m.Value)-sum/float64(n)) > 1e-12) {
				t.Errorf("%s: ndcg@10 %v over %d users in results.json, %v over %d in the table", s.Name, m.Value, m.N, sum/float64(n), n)
			}
		}
	}

	// An existing report is not replaced without --force, and is left
	// as it was.
	before, _ := os.ReadFile(filepath.Join(dir, "r1", "results.json"))
	_, err = runAudit(t, dir, nil, "--spec", "a.yaml", "--out", "r1", "--seed", "2")
	if !errors.Is(err, cmdutil.ErrUsage) || !strings.Contains(err.Error(), "already exists and is not empty; use --force") {
		t.Errorf("got %v, want a usage error", err)
	}
	if after, _ := os.ReadFile(filepath.Join(dir, "r1", "results.json")); !bytes.Equal(before, after) {
		t.Error("the existing report was modified")
	}
	if _, err := runAudit(t, dir, nil, "--spec", "a.yaml", "--out", "r1", "--seed", "2", "--force", "--format", "parquet", "-q"); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(dir, "r1", "per-user.parquet")); err != nil {
		t.Errorf("--force --format parquet: %v", err)
	}
	if _, err := os.Stat(filepath.Join(dir, "r1", "per-user.arrow")); err == nil {
		t.Error("the replaced report still holds per-user.arrow")
	}
}

// TestPseudonymize checks the keyed pseudonyms of the per-user table: no
// raw user ID with a key, the same key gives the same pseudonyms, another
// key other ones, the environment variable stands in for the flag, each
// row's values stay with its user, and the rows are in pseudonym order,
// not in the users' order, which would give them away.
func TestPseudonymize(t *testing.T) {
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "a.yaml"), []byte(smallSpec), 0o666); err != nil {
		t.Fatal(err)
	}
	table := func(out string, env map[string]string, args ...string) map[string][]string {
		t.Helper()
		args = append([]string{"--spec", "a.yaml", "--out", out, "-q", "--format", "parquet"}, args...)
		if _, err := runAudit(t, dir, env, args...); err != nil {
			t.Fatal(err)
		}
		_, cols := readTable(t, filepath.Join(dir, out, "per-user.parquet"))
		return cols
	}
	rawCols := table("raw", nil)
	aCols := table("a", nil, "--pseudonymize-key", "secret-a")
	raw, a := rawCols["user_id"], aCols["user_id"]
	a2 := table("a2", map[string]string{KeyEnv: "secret-a"})["user_id"]
	b := table("b", map[string]string{KeyEnv: "secret-b"}, "--pseudonymize-key", "secret-b")["user_id"]
	if len(raw) != 600 || len(a) != 600 || len(a2) != 600 || len(b) != 600 {
		t.Fatalf("%d, %d, %d and %d rows, want 600", len(raw), len(a), len(a2), len(b))
	}
	hexID := regexp.MustCompile(`^[0-9a-f]{64}$`)
	// The row of each (system, pseudonym) in the raw table.
	rawRow := map[string]int{}
	for i, id := range raw {
		rawRow[rawCols["system"][i]+"/"+Pseudonymize([]byte("secret-a"), id)] = i
	}
	bSet := map[string]bool{}
	for _, p := range b {
		bSet[p] = true
	}
	for i, p := range a {
		if !hexID.MatchString(p) || slices.Contains(raw, p) {
			t.Fatalf("row %d: pseudonym %q is not a hex HMAC or is a raw ID", i, p)
		}
		j, ok := rawRow[aCols["system"][i]+"/"+p]
		if !ok {
			t.Fatalf("row %d: pseudonym %q is HMAC-SHA-256(key, ID) of no user", i, p)
		}
		for _, c := range []string{"fallback", "ndcg@10", "calibration_kl@10"} {
			if aCols[c][i] != rawCols[c][j] {
				t.Fatalf("row %d (%s): %s %s, the user's is %s", i, p, c, aCols[c][i], rawCols[c][j])
			}
		}
		if a2[i] != p {
			t.Fatalf("row %d: the same key from the environment gives %q, the flag %q", i, a2[i], p)
		}
		if bSet[p] {
			t.Fatalf("row %d: two keys give the same pseudonym", i)
		}
	}
	for s := range 2 {
		if rows := a[s*300 : s*300+300]; !slices.IsSorted(rows) {
			t.Errorf("system %d: rows not in pseudonym order", s)
		}
	}
	// RFC 4231 test case 2: HMAC-SHA-256 with key "Jefe".
	if got := Pseudonymize([]byte("Jefe"), "what do ya want for nothing?"); got != "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843" {
		t.Errorf("Pseudonymize = %s, want the RFC 4231 value", got)
	}
}

func mustOpen(t *testing.T, path string) *os.File {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { f.Close() })
	return f
}

func abs(x float64) float64 {
	if x < 0 {
		return -x
	}
	return x
}

// TestAuditProgress checks the progress lines on a terminal: one per
// stage, the systems counted as they finish.
func TestAuditProgress(t *testing.T) {
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "a.yaml"), []byte(smallSpec), 0o666); err != nil {
		t.Fatal(err)
	}
	var stderr bytes.Buffer
	f := cmdutil.NewFactory(nil, &bytes.Buffer{}, &stderr)
	f.IO.ErrTTY = true
	cmd := NewCmdAudit(f, nil)
	cmd.SetArgs([]string{"--spec", filepath.Join(dir, "a.yaml"), "--out", filepath.Join(dir, "r")})
	cmd.SetOut(&bytes.Buffer{})
	cmd.SetErr(&bytes.Buffer{})
	if err := cmd.ExecuteContext(context.Background()); err != nil {
		t.Fatal(err)
	}
	out := stderr.String()
	for _, want := range []string{"Generating the demo shop: done in ", "Splitting the interactions: done in ", "Reading the groups: done in ",
		"Running 2 systems (0/2 done)", "Running 2 systems (2/2 done): done in ", "Correcting for multiple testing and writing the findings: done in ",
		"Writing " + filepath.Join(dir, "r") + ": done in ", "Audited 2 systems"} {
		if !strings.Contains(out, want) {
			t.Errorf("progress output lacks %q:\n%q", want, out)
		}
	}
	// With --quiet, nothing.
	stderr.Reset()
	cmd = NewCmdAudit(f, nil)
	cmd.SetArgs([]string{"--spec", filepath.Join(dir, "a.yaml"), "--out", filepath.Join(dir, "r"), "--force", "-q"})
	if err := cmd.ExecuteContext(context.Background()); err != nil {
		t.Fatal(err)
	}
	if stderr.Len() != 0 {
		t.Errorf("--quiet wrote %q", stderr.String())
	}
}

// TestAuditRenderHook checks that the report renderer plugged into
// AuditOptions.Render gets the result and the temporary report
// directory, its output ends up in the report, its time in timings.json,
// and its failure fails the audit without leaving a report.
func TestAuditRenderHook(t *testing.T) {
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "a.yaml"), []byte(smallSpec), 0o666); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	run := func(out string, render func(*libaudit.Result, string) error) error {
		f := cmdutil.NewFactory(nil, &bytes.Buffer{}, &bytes.Buffer{})
		cmd := NewCmdAudit(f, func(o *AuditOptions) error { o.Render = render; return auditRun(ctx, o) })
		cmd.SetArgs([]string{"--spec", filepath.Join(dir, "a.yaml"), "--out", filepath.Join(dir, out), "-q"})
		cmd.SetOut(&bytes.Buffer{})
		cmd.SetErr(&bytes.Buffer{})
		return cmd.Execute()
	}
	err := run("ok", func(r *libaudit.Result, d string) error {
		if len(r.Systems) != 2 || filepath.Dir(d) != dir || filepath.Base(d) == "ok" {
			t.Errorf("render got %d systems in %s, want 2 in a temporary sibling of the report", len(r.Systems), d)
		}
		return os.WriteFile(filepath.Join(d, "report.md"), []byte("# report\n"), 0o666)
	})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(dir, "ok", "report.md")); err != nil {
		t.Error(err)
	}
	b, _ := os.ReadFile(filepath.Join(dir, "ok", "timings.json"))
	if !strings.Contains(string(b), `"stage": "report"`) {
		t.Errorf("timings.json has no report stage:\n%s", b)
	}
	boom := errors.New("boom")
	if err := run("bad", func(*libaudit.Result, string) error { return boom }); !errors.Is(err, boom) {
		t.Errorf("got %v, want the renderer's error", err)
	}
	if _, err := os.Stat(filepath.Join(dir, "bad")); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("a failed render left %s/bad: %v", dir, err)
	}
	// An interrupt while the report is written leaves no report either,
	// and the command says it was interrupted (exit status 130).
	err = run("interrupted", func(_ *libaudit.Result, d string) error {
		cancel()
		return os.WriteFile(filepath.Join(d, "report.md"), []byte("# report\n"), 0o666)
	})
	if !errors.Is(err, context.Canceled) {
		t.Errorf("got %v, want context.Canceled", err)
	}
	if _, err := os.Stat(filepath.Join(dir, "interrupted")); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("an interrupt while writing left %s/interrupted: %v", dir, err)
	}
}

func TestPlural(t *testing.T) {
	for _, tc := range []struct {
		n    int
		want string
	}{{0, "0 findings"}, {1, "1 finding"}, {2, "2 findings"}} {
		if got := plural(tc.n, "finding"); got != tc.want {
			t.Errorf("plural(%d) = %q, want %q", tc.n, got, tc.want)
		}
	}
}
