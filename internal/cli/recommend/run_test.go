package recommend

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/apache/arrow-go/v18/arrow/memory"
	"github.com/google/go-cmp/cmp"
	"github.com/recaudit/recaudit/datasets"
	"github.com/recaudit/recaudit/internal/cli/clitest"
	"github.com/recaudit/recaudit/internal/cli/cmdutil"
	"github.com/recaudit/recaudit/recommenders"
	"github.com/recaudit/recaudit/recommenders/all"
)

// consentDataset is clitest.Small with a consent column: user 11 did not
// consent to personalisation.
func consentDataset(t *testing.T) string {
	t.Helper()
	d := clitest.Small()
	d.UserColumns = append(d.UserColumns, datasets.Column{Name: "consent_personalization", Role: datasets.RoleConsent,
		Kind: datasets.Bool, Bools: []bool{true, false, true, true}})
	dir := t.TempDir()
	clitest.WriteArrow(t, dir, d)
	return dir
}

func runOptions(mem memory.Allocator, stdout, stderr *bytes.Buffer) *RecommendOptions {
	return &RecommendOptions{
		IO:        &cmdutil.IOStreams{Out: stdout, ErrOut: stderr},
		Allocator: mem,
		Now:       clitest.Clock(250 * time.Millisecond),
		Registry:  all.Default(),
		Algo:      "popular",
		K:         2,
		Format:    datasets.FormatCSV,
	}
}

func TestRecommendRunPopular(t *testing.T) {
	mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
	defer mem.AssertSize(t, 0)
	data := consentDataset(t)
	out := filepath.Join(t.TempDir(), "recs.csv")
	var stdout, stderr bytes.Buffer
	opts := runOptions(mem, &stdout, &stderr)
	opts.Input = cmdutil.DatasetInput{Dir: data}
	opts.Out, opts.JSON = out, true
	if err := recommendRun(context.Background(), opts); err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	// Hand-derived from clitest.Small: distinct users per item a 3, b 2,
	// c 2, d 0, e 0. Each consenting user gets the two most popular items
	// they have not seen (ties by item index; Popular never recommends an
	// item nobody interacted with, so user 10, who has seen a, b and c,
	// gets an empty list and user 12 only c); user 11, without consent,
	// gets the fallback a, b, own items included.
	want := `user_id,item_id,rank,score,system,fallback
11,a,1,3.0,popular,true
11,b,2,2.0,popular,true
12,c,1,2.0,popular,false
13,a,1,3.0,popular,false
13,b,2,2.0,popular,false
`
	if diff := cmp.Diff(want, string(b)); diff != "" {
		t.Errorf("file (-want +got):\n%s", diff)
	}
	var got Summary
	if err := json.Unmarshal(stdout.Bytes(), &got); err != nil {
		t.Fatalf("stdout is not JSON: %v\n%s", err, stdout.String())
	}
	wantSummary := Summary{
		Out: out, Format: "csv",
		Data: cmdutil.Files{Interactions: filepath.Join(data, "interactions.arrow"),
			Users: filepath.Join(data, "users.arrow"), Items: filepath.Join(data, "items.arrow")},
		Algorithm: "popular", System: "popular", Params: map[string]string{"include-train": "false"},
		K: 2, Users: 4, Items: 5, ListUsers: 3, FallbackUsers: 1, Rows: 5,
	}
	if diff := cmp.Diff(wantSummary, got); diff != "" {
		t.Errorf("summary (-want +got):\n%s", diff)
	}
	// Two clock reads 250 ms apart: the start and the end.
	wantErr := "Wrote top-2 lists of popular for 3 users (1 with the non-personalised fallback) to " + out +
		": 5 rows, csv; fitted on all interactions; in 250ms\n"
	if stderr.String() != wantErr {
		t.Errorf("stderr = %q, want %q", stderr.String(), wantErr)
	}

	// A second run refuses to replace the file; with --force it does.
	stdout.Reset()
	if err := recommendRun(context.Background(), opts); !errors.Is(err, cmdutil.ErrUsage) || !strings.Contains(err.Error(), "use --force") {
		t.Errorf("second run: error %v, want a usage error suggesting --force", err)
	}
	if stdout.Len() != 0 {
		t.Errorf("stdout written on refusal: %q", stdout.String())
	}
	opts.Force, opts.System, opts.JSON = true, "pop", false
	if err := recommendRun(context.Background(), opts); err != nil {
		t.Fatal(err)
	}
	runs, err := datasets.ReadRecommendations(out, mustLoad(t, data).Users, mustLoad(t, data).Items)
	if err != nil {
		t.Fatal(err)
	}
	if len(runs) != 1 || runs[0].System != "pop" {
		t.Errorf("forced run wrote systems %v, want [pop]", runs)
	}
}

func mustLoad(t *testing.T, dir string) *datasets.Dataset {
	t.Helper()
	p, err := datasets.Locate(dir)
	if err != nil {
		t.Fatal(err)
	}
	d, err := datasets.Load(p)
	if err != nil {
		t.Fatal(err)
	}
	return d
}

func TestRecommendRunSplit(t *testing.T) {
	mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
	defer mem.AssertSize(t, 0)
	data := consentDataset(t)
	out := filepath.Join(t.TempDir(), "recs.arrow")
	var stdout, stderr bytes.Buffer
	opts := runOptions(mem, &stdout, &stderr)
	opts.Input = cmdutil.DatasetInput{Dir: data}
	opts.Out, opts.Format, opts.JSON, opts.Algo, opts.K = out, datasets.FormatArrow, true, "itemknn", 3
	opts.Split = cmdutil.SplitInput{Set: true, Split: datasets.Split{Kind: datasets.SplitLeaveNOut, N: 1, Seed: 4}}
	if err := recommendRun(context.Background(), opts); err != nil {
		t.Fatal(err)
	}
	var got Summary
	if err := json.Unmarshal(stdout.Bytes(), &got); err != nil {
		t.Fatal(err)
	}
	// Leave-one-out of clitest.Small: users 10 (3 interactions) and 12 (2)
	// are split, 11 and 13 (1 each) are kept whole: 5 train, 2 test.
	seed := uint64(4)
	want := &cmdutil.SplitSummary{Kind: "leave-n-out", N: 1, Seed: &seed, TrainInteractions: 5, TestInteractions: 2,
		UsersSplit: 2, UsersKeptWhole: 2}
	if diff := cmp.Diff(want, got.Split); diff != "" {
		t.Errorf("split (-want +got):\n%s", diff)
	}
	if got.FallbackUsers != 1 || got.Params["neighbors"] != "50" {
		t.Errorf("fallback users %d, neighbors %q; want 1 and the default 50", got.FallbackUsers, got.Params["neighbors"])
	}
	if !strings.Contains(stderr.String(), "fitted on leave-n-out split (n 1, seed 4): 5 train, 2 test interactions") {
		t.Errorf("stderr does not describe the split: %q", stderr.String())
	}
}

func TestRecommendRunErrors(t *testing.T) {
	data := consentDataset(t)
	for _, tc := range []struct {
		name   string
		modify func(o *RecommendOptions)
		is     error
		msg    string
	}{
		// Parameters are checked before the (missing) dataset is read.
		{"bad param", func(o *RecommendOptions) {
			o.Input.Dir, o.Algo, o.Params = "no-such-dir", "itemknn", []string{"neighbors=0"}
		}, recommenders.ErrParam, `recommenders: itemknn: parameter "neighbors": 0 is out of range [1, +inf)`},
		{"unknown param", func(o *RecommendOptions) { o.Input.Dir, o.Params = "no-such-dir", []string{"neighbours=3"} },
			recommenders.ErrParam, `parameter "neighbours": unknown parameter`},
		{"malformed param", func(o *RecommendOptions) { o.Params = []string{"neighbors"} }, recommenders.ErrParam, "not of the form name=value"},
		{"unknown algorithm", func(o *RecommendOptions) { o.Algo = "svd" }, recommenders.ErrUnknownAlgorithm, `"svd" (registered: `},
		{"missing dataset", func(o *RecommendOptions) { o.Input.Dir = "no-such-dir" }, os.ErrNotExist, "no-such-dir"},
		{"temporal split without times", func(o *RecommendOptions) {
			o.Split = cmdutil.SplitInput{Set: true, Split: datasets.Split{Kind: datasets.SplitLastN, N: 1}}
		}, datasets.ErrSchema, "needs interaction timestamps"},
		{"out is a directory", func(o *RecommendOptions) { o.Out = o.Input.Dir }, cmdutil.ErrUsage, "is a directory"},
		{"canceled", func(o *RecommendOptions) {}, context.Canceled, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var stdout, stderr bytes.Buffer
			opts := runOptions(nil, &stdout, &stderr)
			opts.Input = cmdutil.DatasetInput{Dir: data}
			opts.Out = filepath.Join(t.TempDir(), "recs.csv")
			tc.modify(opts)
			ctx := context.Background()
			if tc.is == context.Canceled {
				c, cancel := context.WithCancel(ctx)
				cancel()
				ctx = c
			}
			err := recommendRun(ctx, opts)
			if !errors.Is(err, tc.is) || !strings.Contains(err.Error(), tc.msg) {
				t.Fatalf("error %v, want %v containing %q", err, tc.is, tc.msg)
			}
			if _, err := os.Stat(opts.Out); err == nil && opts.Out != data {
				t.Errorf("%s written by a failed run", opts.Out)
			}
			if stdout.Len() != 0 {
				t.Errorf("stdout written: %q", stdout.String())
			}
		})
	}
}

// listRegistry holds two algorithms with every kind of parameter listing.
func listRegistry() *recommenders.Registry {
	r := recommenders.NewRegistry()
	r.Register("popular", recommenders.PopularFactory())
	r.Register("toy", recommenders.Factory{
		Doc: "A toy for the listing test.",
		Params: []recommenders.Param{
			recommenders.IntParam("size", 5, "list size").AtLeast(1).AtMost(9),
			recommenders.StringParam("mode", "fast", "how to run").OneOf("fast", "slow"),
			recommenders.StringParam("path", "", "input file").Required(),
			recommenders.StringParam("name", "", "a label"),
		},
		New: func(recommenders.Values) (recommenders.Recommender, error) { return nil, errors.New("not used") },
	})
	return r
}

func TestListRun(t *testing.T) {
	var stdout bytes.Buffer
	opts := &RecommendOptions{IO: &cmdutil.IOStreams{Out: &stdout}, Registry: listRegistry(), List: true}
	if err := recommendRun(context.Background(), opts); err != nil {
		t.Fatal(err)
	}
	want := `popular
  Most popular items by number of distinct training users, ties by item index (Cremonesi et al., RecSys 2010).
  PARAMETER      TYPE  DEFAULT  ALLOWED  DESCRIPTION
  include-train  bool  false    any      keep the user's own training items in the list (the same list for everyone)

toy
  A toy for the listing test.
  PARAMETER  TYPE    DEFAULT     ALLOWED            DESCRIPTION
  size       int     5           [1, 9]             list size
  mode       string  fast        one of fast, slow  how to run
  path       string  (required)  any                input file
  name       string  ""          any                a label

Set parameters with --param name=value (repeatable).
`
	if diff := cmp.Diff(want, stdout.String()); diff != "" {
		t.Errorf("listing (-want +got):\n%s", diff)
	}

	stdout.Reset()
	opts.JSON, opts.Algo = true, "toy"
	if err := recommendRun(context.Background(), opts); err != nil {
		t.Fatal(err)
	}
	var got Algorithms
	if err := json.Unmarshal(stdout.Bytes(), &got); err != nil {
		t.Fatal(err)
	}
	wantJSON := Algorithms{Algorithms: []Algorithm{{Name: "toy", Doc: "A toy for the listing test.", Params: []Param{
		{Name: "size", Type: "int", Default: "5", Allowed: "[1, 9]", Doc: "list size"},
		{Name: "mode", Type: "string", Default: "fast", Allowed: "one of fast, slow", Choices: []string{"fast", "slow"}, Doc: "how to run"},
		{Name: "path", Type: "string", Required: true, Allowed: "any", Doc: "input file"},
		{Name: "name", Type: "string", Allowed: "any", Doc: "a label"},
	}}}}
	if diff := cmp.Diff(wantJSON, got); diff != "" {
		t.Errorf("JSON (-want +got):\n%s", diff)
	}

	opts.Algo = "svd"
	if err := recommendRun(context.Background(), opts); !errors.Is(err, recommenders.ErrUnknownAlgorithm) {
		t.Errorf("unknown algorithm: error %v", err)
	}
}
