package score

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/apache/arrow-go/v18/arrow/memory"
	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
	"github.com/recaudit/recaudit/datasets"
	"github.com/recaudit/recaudit/internal/cli/clitest"
	"github.com/recaudit/recaudit/internal/cli/cmdutil"
	"github.com/recaudit/recaudit/metrics"
)

// recsCSV are lists for clitest.Small (user 10: a b c, 11: a, 12: a b,
// 13: c; every value >= 1, so every interaction is relevant). System s1's
// rows of user 10 are not together, so the file is not sorted by user and
// is scored in memory.
const recsCSV = `user_id,item_id,rank,system
10,a,1,s1
11,b,1,s1
10,d,2,s1
11,a,2,s1
12,e,1,s1
13,c,1,s2
`

func writeFixture(t *testing.T) (data, recs string) {
	t.Helper()
	data = t.TempDir()
	clitest.WriteArrow(t, data, clitest.Small())
	recs = filepath.Join(t.TempDir(), "recs.csv")
	if err := os.WriteFile(recs, []byte(recsCSV), 0o644); err != nil {
		t.Fatal(err)
	}
	return data, recs
}

func ptr(v float64) *float64 { return &v }

func runOpts(mem memory.Allocator, stdout, stderr *bytes.Buffer) *ScoreOptions {
	return &ScoreOptions{
		IO:        &cmdutil.IOStreams{Out: stdout, ErrOut: stderr},
		Allocator: mem,
		Now:       clitest.Clock(time.Second),
		Measures:  []metrics.Measure{metrics.MeasurePrecision, metrics.MeasureRR},
		Cutoffs:   []int{2},
	}
}

func TestScoreRunJSON(t *testing.T) {
	const tol = 1e-12
	mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
	defer mem.AssertSize(t, 0)
	data, recs := writeFixture(t)
	var stdout, stderr bytes.Buffer
	opts := runOpts(mem, &stdout, &stderr)
	opts.Input, opts.Recs, opts.JSON = cmdutil.DatasetInput{Dir: data}, []string{recs}, true
	if err := scoreRun(context.Background(), opts); err != nil {
		t.Fatal(err)
	}
	if stderr.Len() != 0 {
		t.Errorf("stderr: %q", stderr.String())
	}
	var got Report
	if err := json.Unmarshal(stdout.Bytes(), &got); err != nil {
		t.Fatalf("stdout is not JSON: %v\n%s", err, stdout.String())
	}
	// Hand-computed, default profile (users without a list score 0):
	//   s1: user 10 lists a, d (R = a b c): P@2 1/2, RR 1; user 11 b, a
	//       (R = a): P@2 1/2, RR 1/2; user 12 e (R = a b): 0, 0; user 13
	//       no list: 0, 0. Means P@2 1/4, RR 1.5/4 = 0.375.
	//   s2: only user 13 lists c (R = c): P@2 1/2, RR 1. Means 0.125, 0.25.
	want := Report{
		Mode:      "dataset",
		Data:      &cmdutil.Files{Interactions: filepath.Join(data, "interactions.arrow"), Users: filepath.Join(data, "users.arrow"), Items: filepath.Join(data, "items.arrow")},
		Judgments: Judgments{Source: "all interactions", Users: 4, Pairs: 7},
		Profile:   "default",
		Measures:  []string{"precision", "rr"},
		Cutoffs:   []int{2},
		Systems: []System{
			{File: recs, System: "s1", Users: 4, Evaluated: 4, NoList: 1,
				Metrics: []Value{{"precision", 2, ptr(0.25)}, {"rr", 2, ptr(0.375)}}},
			{File: recs, System: "s2", Users: 4, Evaluated: 4, NoList: 3,
				Metrics: []Value{{"precision", 2, ptr(0.125)}, {"rr", 2, ptr(0.25)}}},
		},
	}
	if diff := cmp.Diff(want, got, cmpopts.EquateApprox(0, tol)); diff != "" {
		t.Errorf("report (-want +got):\n%s", diff)
	}

	// The trec_eval profile leaves users without a list out of the means:
	// s2 then has one user, with P@2 1/2 and RR 1.
	stdout.Reset()
	opts.Profile = metrics.ProfileTrecEval
	if err := scoreRun(context.Background(), opts); err != nil {
		t.Fatal(err)
	}
	got = Report{}
	if err := json.Unmarshal(stdout.Bytes(), &got); err != nil {
		t.Fatal(err)
	}
	s2 := got.Systems[1]
	wantS2 := System{File: recs, System: "s2", Users: 4, Evaluated: 1, Excluded: 3, NoList: 3,
		Metrics: []Value{{"precision", 2, ptr(0.5)}, {"rr", 2, ptr(1)}}}
	if diff := cmp.Diff(wantS2, s2, cmpopts.EquateApprox(0, tol)); diff != "" {
		t.Errorf("trec_eval profile, s2 (-want +got):\n%s", diff)
	}
}

func TestScoreRunText(t *testing.T) {
	data, recs := writeFixture(t)
	var stdout, stderr bytes.Buffer
	opts := runOpts(nil, &stdout, &stderr)
	opts.Input, opts.Recs = cmdutil.DatasetInput{Dir: data}, []string{recs}
	opts.Cutoffs = []int{2, 0}
	if err := scoreRun(context.Background(), opts); err != nil {
		t.Fatal(err)
	}
	// Values as in TestScoreRunJSON; at the whole list (@all) precision
	// divides by the list length: s1 (1/2 + 1/2 + 0/1 + 0)/4 = 0.25,
	// s2 (0 + 0 + 0 + 1/1)/4 = 0.25; RR is unchanged.
	want := `JUDGMENTS
  every interaction of ` + filepath.Join(data, "interactions.arrow") + `
  7 judged pairs for 4 users
  profile default

SYSTEM s1 (` + recs + `)
  4 users: 4 evaluated, 0 excluded; 0 without a relevant judged item, 1 without a list
  MEASURE    @2      @all
  precision  0.2500  0.2500
  rr         0.3750  0.3750

SYSTEM s2 (` + recs + `)
  4 users: 4 evaluated, 0 excluded; 0 without a relevant judged item, 3 without a list
  MEASURE    @2      @all
  precision  0.1250  0.2500
  rr         0.2500  0.2500
`
	if diff := cmp.Diff(want, stdout.String()); diff != "" {
		t.Errorf("stdout (-want +got):\n%s", diff)
	}
}

func TestScoreRunTrecPerUser(t *testing.T) {
	data, recs := writeFixture(t)
	var stdout, stderr bytes.Buffer
	opts := runOpts(nil, &stdout, &stderr)
	opts.Input, opts.Recs = cmdutil.DatasetInput{Dir: data}, []string{recs}
	opts.Measures = []metrics.Measure{metrics.MeasurePrecision, metrics.MeasureDCG}
	opts.Format, opts.PerUser = FormatTrec, true
	if err := scoreRun(context.Background(), opts); err != nil {
		t.Fatal(err)
	}
	line := func(name, qid, v string) string { return fmt.Sprintf("%-22s\t%s\t%s\n", name, qid, v) }
	// P_2 as in TestScoreRunJSON; set_P is precision over the whole list
	// (user 11: 1 of b, a; user 12: 0 of e). Users in ID order.
	want := line("runid", "all", "s1") +
		line("P_2", "10", "0.5000") + line("set_P", "10", "0.5000") +
		line("P_2", "11", "0.5000") + line("set_P", "11", "0.5000") +
		line("P_2", "12", "0.0000") + line("set_P", "12", "0.0000") +
		line("P_2", "13", "0.0000") + line("set_P", "13", "0.0000") +
		line("num_q", "all", "4") + line("P_2", "all", "0.2500") + line("set_P", "all", "0.2500") +
		line("runid", "all", "s2") +
		line("P_2", "10", "0.0000") + line("set_P", "10", "0.0000") +
		line("P_2", "11", "0.0000") + line("set_P", "11", "0.0000") +
		line("P_2", "12", "0.0000") + line("set_P", "12", "0.0000") +
		line("P_2", "13", "0.5000") + line("set_P", "13", "1.0000") +
		line("num_q", "all", "4") + line("P_2", "all", "0.1250") + line("set_P", "all", "0.2500")
	if diff := cmp.Diff(want, stdout.String()); diff != "" {
		t.Errorf("stdout (-want +got):\n%s", diff)
	}
	if want := "recaudit: note: dcg has no trec_eval name and is not printed with --format trec\n"; stderr.String() != want {
		t.Errorf("stderr = %q, want %q", stderr.String(), want)
	}
}

func TestScoreRunSplit(t *testing.T) {
	data, recs := writeFixture(t)
	var stdout, stderr bytes.Buffer
	opts := runOpts(nil, &stdout, &stderr)
	opts.Input, opts.Recs, opts.JSON = cmdutil.DatasetInput{Dir: data}, []string{recs}, true
	opts.Split = cmdutil.SplitInput{Set: true, Split: datasets.Split{Kind: datasets.SplitLeaveNOut, N: 1, Seed: 2}}
	if err := scoreRun(context.Background(), opts); err != nil {
		t.Fatal(err)
	}
	var got Report
	if err := json.Unmarshal(stdout.Bytes(), &got); err != nil {
		t.Fatal(err)
	}
	// Leave-one-out splits users 10 and 12 only: two judged pairs, and
	// users 11 and 13 have no relevant test item (excluded by default).
	if got.Judgments != (Judgments{Source: "test split", Users: 2, Pairs: 2}) || got.Split == nil || got.Split.Kind != "leave-n-out" {
		t.Errorf("judgments %+v, split %+v", got.Judgments, got.Split)
	}
	for _, s := range got.Systems {
		if s.Evaluated != 2 || s.Excluded != 2 || s.NoRelevant != 2 {
			t.Errorf("system %s: evaluated %d, excluded %d, no relevant %d; want 2, 2, 2", s.System, s.Evaluated, s.Excluded, s.NoRelevant)
		}
	}
}

func TestScoreRunErrors(t *testing.T) {
	data, recs := writeFixture(t)
	dir := t.TempDir()
	write := func(name, content string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	corrupt := write("corrupt.arrow", "user_id,item_id,rank\n10,a,1\n")
	unknown := write("unknown.csv", "user_id,item_id,rank\n10,zz,1\n")
	gap := write("gap.csv", "user_id,item_id,rank\n10,a,1\n10,b,3\n")
	for _, tc := range []struct {
		name string
		recs []string
		is   error
		msg  string
	}{
		{"corrupt", []string{recs, corrupt}, datasets.ErrFormat, corrupt + ": not an Arrow IPC file"},
		{"unknown item", []string{unknown}, datasets.ErrUnknownID, unknown},
		{"rank gap", []string{gap}, datasets.ErrValue, gap},
		{"missing", []string{filepath.Join(dir, "missing.arrow")}, os.ErrNotExist, "missing.arrow"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var stdout, stderr bytes.Buffer
			opts := runOpts(nil, &stdout, &stderr)
			opts.Input, opts.Recs = cmdutil.DatasetInput{Dir: data}, tc.recs
			err := scoreRun(context.Background(), opts)
			if !errors.Is(err, tc.is) || !strings.Contains(err.Error(), tc.msg) {
				t.Fatalf("error %v, want %v naming %q", err, tc.is, tc.msg)
			}
			if stdout.Len() != 0 {
				t.Errorf("stdout written: %q", stdout.String())
			}
		})
	}

	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	opts := runOpts(nil, &bytes.Buffer{}, &bytes.Buffer{})
	opts.Input, opts.Recs = cmdutil.DatasetInput{Dir: data}, []string{recs}
	if err := scoreRun(ctx, opts); !errors.Is(err, context.Canceled) {
		t.Errorf("canceled: error %v", err)
	}
}
