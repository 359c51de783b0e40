package probe

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"github.com/spf13/cobra"
	"io/fs"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/apache/arrow-go/v18/arrow/memory"
	"github.com/google/go-cmp/cmp"
	"github.com/recaudit/recaudit/datasets"
	"github.com/recaudit/recaudit/datasets/demo"
	"github.com/recaudit/recaudit/internal/cli/clitest"
	"github.com/recaudit/recaudit/internal/cli/cmdutil"
	libprobe "github.com/recaudit/recaudit/probe"
	"github.com/recaudit/recaudit/recommenders"
	"github.com/recaudit/recaudit/recommenders/all"
)

func TestNewCmdInferenceFlags(t *testing.T) {
	def := libprobe.Inference{Folds: 5, Shuffles: 19, Bootstrap: 1000, MinGroupSize: 10, Model: libprobe.Logistic{Lambda: 30}}
	with := func(fn func(*InferenceOptions)) InferenceOptions {
		o := InferenceOptions{K: 10, Seed: 1, Probe: def}
		fn(&o)
		return o
	}
	for _, tc := range []struct {
		name    string
		args    []string
		want    InferenceOptions // only the parsed fields
		wantErr string
	}{
		{name: "demo", args: []string{"--algo", "itemknn"},
			want: with(func(o *InferenceOptions) { o.Algo = "itemknn" })},
		{name: "everything", args: []string{"--data", "d", "--algo", "ease", "--param", "lambda=100", "--k", "20",
			"--attributes", "gender,age_band", "--category", "genre", "--folds", "3", "--shuffles", "99", "--bootstrap", "500",
			"--lambda", "5", "--min-group-size", "20", "--features", "categories", "--weighting", "log", "--seed", "7", "--json"},
			want: with(func(o *InferenceOptions) {
				o.Input.Dir, o.Algo, o.Params, o.K = "d", "ease", []string{"lambda=100"}, 20
				o.Attributes, o.Category, o.Seed, o.JSON = []string{"gender", "age_band"}, "genre", 7, true
				o.Probe = libprobe.Inference{Folds: 3, Shuffles: 99, Bootstrap: 500, MinGroupSize: 20, Model: libprobe.Logistic{Lambda: 5},
					Features: libprobe.CategoriesOnly, Weighting: libprobe.LogRanks}
			})},
		{name: "recs", args: []string{"--interactions", "i.csv", "--users", "u.csv", "--recs", "r.arrow", "--system", "s", "--k", "0"},
			want: with(func(o *InferenceOptions) {
				o.Input.Interactions, o.Input.Users, o.Recs, o.System, o.K = "i.csv", "u.csv", "r.arrow", "s", 0
			})},
		{name: "no lists", args: []string{"--data", "d"}, wantErr: "give --algo NAME"},
		{name: "both", args: []string{"--algo", "itemknn", "--recs", "r.csv"}, wantErr: "none of the others can be"},
		{name: "param with recs", args: []string{"--recs", "r.csv", "--param", "a=1"}, wantErr: "--param needs --algo"},
		{name: "system with algo", args: []string{"--algo", "popular", "--system", "s"}, wantErr: "--system needs --recs"},
		{name: "zero k", args: []string{"--algo", "popular", "--k", "0"}, wantErr: "--k must be positive"},
		{name: "negative k", args: []string{"--recs", "r.csv", "--k", "-1"}, wantErr: "--k must not be negative"},
		{name: "one fold", args: []string{"--algo", "popular", "--folds", "1"}, wantErr: "--folds must be at least 2"},
		{name: "no shuffles", args: []string{"--algo", "popular", "--shuffles", "0"}, wantErr: "--shuffles must be at least 1"},
		{name: "no bootstrap", args: []string{"--algo", "popular", "--bootstrap", "0"}, wantErr: "--bootstrap must be at least 1"},
		{name: "lambda", args: []string{"--algo", "popular", "--lambda", "0"}, wantErr: "--lambda must be positive"},
		{name: "min group size", args: []string{"--algo", "popular", "--min-group-size", "1"}, wantErr: "--min-group-size must be at least 2"},
		{name: "features", args: []string{"--algo", "popular", "--features", "users"}, wantErr: "valid values are items+categories, items, categories"},
		{name: "users without interactions", args: []string{"--users", "u.csv", "--algo", "popular"}, wantErr: "--users and --items need --interactions"},
		{name: "empty attribute", args: []string{"--algo", "popular", "--attributes", "gender,"}, wantErr: "empty column name"},
		{name: "argument", args: []string{"--algo", "popular", "extra"}, wantErr: "unknown command"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f := cmdutil.NewFactory(nil, &bytes.Buffer{}, &bytes.Buffer{})
			var got *InferenceOptions
			cmd := newCmdInference(f, func(o *InferenceOptions) error { got = o; return nil })
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
			parsed := InferenceOptions{Input: got.Input, Algo: got.Algo, Params: got.Params, Recs: got.Recs, System: got.System,
				K: got.K, Attributes: got.Attributes, Category: got.Category, Probe: got.Probe, Seed: got.Seed, JSON: got.JSON}
			tc.want.Input.Roles = cmdutil.RolesValue{}
			if diff := cmp.Diff(tc.want, parsed); diff != "" {
				t.Errorf("options (-want +got):\n%s", diff)
			}
			if got.IO != f.IO || got.Now == nil || got.Registry != f.Recommenders {
				t.Error("options not filled from the factory")
			}
		})
	}
}

// writeFixture writes a small demo shop (800 users, 400 items, planted
// effects) as Arrow files, the top-10 lists of item-kNN and of most-popular
// for its users as one recommendation file with two systems, and the
// item-kNN lists alone as a CSV file.
func writeFixture(t *testing.T) (dir, recs, recs1 string) {
	t.Helper()
	root := t.TempDir()
	cfg := demo.DefaultConfig()
	cfg.Users, cfg.Items, cfg.Interactions = 800, 400, 24_000
	d, err := demo.Generate(context.Background(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	dir = filepath.Join(root, "demo")
	if err := datasets.WriteDataset(dir, d, datasets.FormatArrow); err != nil {
		t.Fatal(err)
	}
	users := make([]int32, d.Users.Len())
	for u := range users {
		users[u] = int32(u)
	}
	view := &recommenders.TrainView{Interactions: d.Interactions, ItemColumns: d.ItemColumns}
	knn, _, err := recommenders.Run(context.Background(), &recommenders.ItemKNN{}, view, users, d.Consent(), 10)
	if err != nil {
		t.Fatal(err)
	}
	pop, _, err := recommenders.Run(context.Background(), &recommenders.Popular{}, view, users, d.Consent(), 10)
	if err != nil {
		t.Fatal(err)
	}
	knn.System, pop.System = "knn", "pop"
	recs = filepath.Join(root, "recs.arrow")
	if err := datasets.WriteRecommendations(recs, d.Users, d.Items, []datasets.Rankings{knn, pop}, nil); err != nil {
		t.Fatal(err)
	}
	recs1 = filepath.Join(root, "knn.csv")
	if err := datasets.WriteRecommendations(recs1, d.Users, d.Items, []datasets.Rankings{knn}, nil); err != nil {
		t.Fatal(err)
	}
	return dir, recs, recs1
}

func runOpts(stdout, stderr *bytes.Buffer) *InferenceOptions {
	return &InferenceOptions{
		IO:        &cmdutil.IOStreams{Out: stdout, ErrOut: stderr},
		Allocator: memory.NewGoAllocator(),
		Now:       clitest.Clock(time.Second),
		Registry:  all.Default(),
		K:         10, Seed: 1,
		Probe: libprobe.Inference{Folds: 5, Shuffles: 19, Bootstrap: 200, MinGroupSize: 10, Model: libprobe.Logistic{Lambda: 30}},
	}
}

// TestInferenceRunAlgo runs item-kNN on the fixture's planted world: gender
// (the planted category tastes) leaks. (The package probe's tests check
// the statistics on larger worlds, and the null world.)
func TestInferenceRunAlgo(t *testing.T) {
	dir, _, _ := writeFixture(t)
	var stdout, stderr bytes.Buffer
	opts := runOpts(&stdout, &stderr)
	opts.Input.Dir, opts.Algo, opts.JSON = dir, "itemknn", true
	opts.Attributes = []string{"gender"}
	if err := inferenceRun(context.Background(), opts); err != nil {
		t.Fatal(err)
	}
	var rep InferenceReport
	if err := json.Unmarshal(stdout.Bytes(), &rep); err != nil {
		t.Fatalf("stdout is not JSON: %v\n%s", err, stdout.String())
	}
	if rep.Demo || rep.Data == nil || rep.System != "itemknn" || rep.Params["neighbors"] != "50" || rep.Users != 800 ||
		rep.FallbackUsers == 0 || rep.ListUsers != 800 || rep.Category != "category" || rep.Seed != 1 {
		t.Errorf("report header: %+v", rep)
	}
	a := rep.Inference.Attributes
	if len(a) != 1 || a[0].Attribute != "gender" {
		t.Fatalf("attributes: %+v", a)
	}
	t.Logf("gender AUC %v %v shuffled %v [%v, %v]", a[0].AUC.Value, a[0].AUC.CI, a[0].Shuffled.Mean, a[0].Shuffled.Min, a[0].Shuffled.Max)
	if a[0].Verdict != libprobe.InferenceLeaks {
		t.Errorf("verdict %v, want leaks", a[0].Verdict)
	}
	// The same inputs and seed give the same bytes (with a lighter
	// pipeline).
	opts.Probe.Shuffles, opts.Probe.Bootstrap = 2, 50
	var first, again bytes.Buffer
	for _, out := range []*bytes.Buffer{&first, &again} {
		opts.IO.Out = out
		if err := inferenceRun(context.Background(), opts); err != nil {
			t.Fatal(err)
		}
	}
	if !bytes.Equal(first.Bytes(), again.Bytes()) {
		t.Error("same inputs and seed, different JSON")
	}
	if !strings.Contains(stderr.String(), "recaudit: note: with 2 shuffles the smallest p-value is 0.333, above 0.05: no attribute can be found to leak; use --shuffles 19 or more") {
		t.Errorf("stderr: %q", stderr.String())
	}
}

// TestInferenceRunRecs probes a recommendation file, through the test
// parent: the file's two systems need --system; the table goes to stdout.
func TestInferenceRunRecs(t *testing.T) {
	dir, recs, recs1 := writeFixture(t)
	run := func(args ...string) (string, error) {
		var stdout, stderr bytes.Buffer
		f := &cmdutil.Factory{IO: &cmdutil.IOStreams{Out: &stdout, ErrOut: &stderr}, Now: clitest.Clock(time.Second), Recommenders: all.Default()}
		p := NewCmdProbe(f)
		p.SilenceErrors, p.SilenceUsage = true, true
		p.SetFlagErrorFunc(func(_ *cobra.Command, err error) error { return &cmdutil.FlagError{Err: err} })
		p.SetArgs(append([]string{"inference"}, args...))
		p.SetOut(&stdout)
		p.SetErr(&stderr)
		err := p.Execute()
		return stdout.String(), err
	}
	if _, err := run("--data", dir, "--recs", recs, "--attributes", "gender"); err == nil || !errors.Is(err, cmdutil.ErrUsage) ||
		!strings.Contains(err.Error(), "holds several systems (knn, pop); pick one with --system") {
		t.Errorf("several systems: error %v", err)
	}
	if _, err := run("--data", dir, "--recs", recs, "--system", "als"); err == nil || !errors.Is(err, cmdutil.ErrUsage) ||
		!strings.Contains(err.Error(), `--system "als" is not in`) {
		t.Errorf("unknown system: error %v", err)
	}
	out, err := run("--data", dir, "--recs", recs, "--system", "pop", "--attributes", "gender", "--shuffles", "4", "--bootstrap", "100")
	if err != nil {
		t.Fatal(err)
	}
	// With 4 shuffles p is at least 1/5: no evidence, whatever the AUC.
	row := regexp.MustCompile(`(?m)^gender +3 +800 +0\.\d{3} +\[0\.\d{3}, 0\.\d{3}\] +0\.\d{3} +\[0\.\d{3}, 0\.\d{3}\] +\d\.\d{3} +no evidence$`)
	if !strings.Contains(out, "Attribute inference from top-10 lists of pop on ") || !row.MatchString(out) {
		t.Errorf("table:\n%s", out)
	}
	out, err = run("--data", dir, "--recs", recs1, "--k", "0", "--attributes", "gender", "--json", "--shuffles", "4", "--bootstrap", "100")
	if err != nil {
		t.Fatal(err)
	}
	var rep InferenceReport
	if err := json.Unmarshal([]byte(out), &rep); err != nil {
		t.Fatal(err)
	}
	if rep.System != "knn" || rep.Recs != recs1 || rep.K != 0 || rep.Inference.Settings.K != 0 || !(rep.Inference.Attributes[0].AUC.Value > 0.55) {
		t.Errorf("recs file report: system %q recs %q k %d, AUC %v", rep.System, rep.Recs, rep.K, rep.Inference.Attributes[0].AUC.Value)
	}
	// A missing file is a usage error of exit status 2 (fs.ErrNotExist).
	if _, err := run("--data", dir, "--recs", filepath.Join(dir, "none.arrow")); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("missing recs: error %v", err)
	}
}

func TestInferenceRunBadInput(t *testing.T) {
	dir, _, _ := writeFixture(t)
	for _, tc := range []struct {
		name    string
		set     func(o *InferenceOptions)
		wantErr string
		is      error
	}{
		{"unknown attribute", func(o *InferenceOptions) { o.Attributes = []string{"income"} }, `the users table has no column "income"`, cmdutil.ErrUsage},
		{"bool attribute works, consent leaks", nil, "", nil},
		{"unknown category", func(o *InferenceOptions) { o.Category = "genre" }, `no categorical column "genre"`, cmdutil.ErrUsage},
		{"unknown algorithm", func(o *InferenceOptions) { o.Algo = "svd" }, "unknown algorithm", recommenders.ErrUnknownAlgorithm},
		{"bad parameter", func(o *InferenceOptions) { o.Params = []string{"neighbors=0"} }, "out of range", recommenders.ErrParam},
		{"missing data", func(o *InferenceOptions) { o.Input.Dir = filepath.Join(dir, "nothing") }, "", fs.ErrNotExist},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var stdout, stderr bytes.Buffer
			opts := runOpts(&stdout, &stderr)
			opts.Input.Dir, opts.Algo, opts.JSON = dir, "itemknn", true
			opts.Probe.Shuffles, opts.Probe.Bootstrap = 2, 20
			if tc.set == nil {
				// consent_personalization is a bool users column: lists
				// of users without consent are the fallback, so the
				// lists reveal it perfectly.
				opts.Attributes = []string{"consent_personalization"}
				if err := inferenceRun(context.Background(), opts); err != nil {
					t.Fatal(err)
				}
				var rep InferenceReport
				if err := json.Unmarshal(stdout.Bytes(), &rep); err != nil {
					t.Fatal(err)
				}
				if a := rep.Inference.Attributes[0]; !(a.AUC.Value > 0.95) {
					t.Errorf("consent: AUC %v, want near 1", a.AUC.Value)
				}
				return
			}
			tc.set(opts)
			err := inferenceRun(context.Background(), opts)
			if err == nil || !errors.Is(err, tc.is) || !strings.Contains(err.Error(), tc.wantErr) {
				t.Errorf("error %v, want one matching %v containing %q", err, tc.is, tc.wantErr)
			}
		})
	}
}

// TestInferenceRunDemo runs on the built-in demo dataset (no data flags),
// with a light pipeline to stay fast.
func TestInferenceRunDemo(t *testing.T) {
	var stdout, stderr bytes.Buffer
	opts := runOpts(&stdout, &stderr)
	opts.Algo, opts.JSON = "popular", true
	opts.Attributes = []string{"gender"}
	opts.Probe.Folds, opts.Probe.Shuffles, opts.Probe.Bootstrap = 2, 1, 10
	if err := inferenceRun(context.Background(), opts); err != nil {
		t.Fatal(err)
	}
	var rep InferenceReport
	if err := json.Unmarshal(stdout.Bytes(), &rep); err != nil {
		t.Fatal(err)
	}
	if !rep.Demo || rep.Data != nil || rep.Users != demo.DefaultUsers || len(rep.Inference.Attributes) != 1 {
		t.Errorf("demo report: demo %v data %v users %d", rep.Demo, rep.Data, rep.Users)
	}
}
