package probe

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/recaudit/recaudit/datasets"
	"github.com/recaudit/recaudit/datasets/demo"
	"github.com/recaudit/recaudit/internal/cli/cmdutil"
	libprobe "github.com/recaudit/recaudit/probe"
	"github.com/recaudit/recaudit/recommenders"
	"github.com/recaudit/recaudit/recommenders/all"
)

func testFactory() (*cmdutil.Factory, *bytes.Buffer, *bytes.Buffer) {
	out, errOut := &bytes.Buffer{}, &bytes.Buffer{}
	return &cmdutil.Factory{
		IO:           &cmdutil.IOStreams{In: strings.NewReader(""), Out: out, ErrOut: errOut},
		Now:          func() time.Time { return time.Unix(0, 0) },
		Recommenders: all.Default(),
	}, out, errOut
}

// parse runs the command line through the consent command with a capturing
// runF and returns the parsed options or the error.
func parse(t *testing.T, args ...string) (*ConsentOptions, error) {
	t.Helper()
	f, _, _ := testFactory()
	var got *ConsentOptions
	cmd := NewCmdConsent(f, func(o *ConsentOptions) error { got = o; return nil })
	cmd.SetArgs(args)
	cmd.SetOut(&bytes.Buffer{})
	cmd.SetErr(&bytes.Buffer{})
	err := cmd.Execute()
	return got, err
}

func TestConsentFlags(t *testing.T) {
	all3 := []libprobe.Perturbation{libprobe.PerturbDrop, libprobe.PerturbShuffle, libprobe.PerturbRandom}
	for _, tc := range []struct {
		args    []string
		k       int
		cutoffs []int
		perturb []libprobe.Perturbation
	}{
		{[]string{"--algo", "popular"}, 10, nil, all3},
		{[]string{"--algo", "itemknn", "--direct", "--k", "20", "--cutoffs", "5,10,20", "--perturb", "shuffle,drop,shuffle"}, 20, []int{5, 10, 20},
			[]libprobe.Perturbation{libprobe.PerturbShuffle, libprobe.PerturbDrop}},
		{[]string{"--exec", "prog {train} {out}", "--param", "timeout=1m"}, 10, nil, all3},
		{[]string{"--recs", "r.arrow", "--data", "d"}, 0, nil, all3},             // K from the lists
		{[]string{"--recs", "r.arrow", "--data", "d", "--k", "5"}, 5, nil, all3}, // K given
	} {
		o, err := parse(t, tc.args...)
		if err != nil {
			t.Errorf("%v: %v", tc.args, err)
			continue
		}
		if o.K != tc.k || !slices.Equal(o.Cutoffs, tc.cutoffs) || !slices.Equal(o.Perturbations, tc.perturb) || o.Seed != 1 {
			t.Errorf("%v: K %d, cutoffs %v, perturbations %v, seed %d", tc.args, o.K, o.Cutoffs, o.Perturbations, o.Seed)
		}
	}
	for _, tc := range []struct {
		args []string
		msg  string
	}{
		{nil, "name the system to probe"},
		{[]string{"--algo", "popular", "--exec", "x"}, "none of the others can be"},
		{[]string{"--algo", "popular", "--k", "0"}, "--k must be positive"},
		{[]string{"--algo", "popular", "--cutoffs", "11"}, "--cutoffs must be between 1 and --k (10), got 11"},
		{[]string{"--algo", "popular", "--cutoffs", "0"}, "--cutoffs must be between"},
		{[]string{"--algo", "popular", "--perturb", "swap"}, `valid values are drop, shuffle, random; got "swap"`},
		{[]string{"--algo", "popular", "--tolerance", "-0.1"}, "--tolerance must be in [0, 1)"},
		{[]string{"--exec", "x", "--direct"}, "--direct goes with --algo"},
		{[]string{"--recs", "r", "--param", "a=b"}, "--param goes with --algo or --exec"},
		{[]string{"--recs", "r", "--perturb", "drop"}, "--perturb needs a system that can be run again"},
		{[]string{"--algo", "popular", "--system", "s"}, "--system goes with --recs"},
		{[]string{"--algo", "popular", "--data", "d", "--interactions", "i.csv"}, "not both"},
		{[]string{"--algo", "popular", "--users", "u.csv"}, "--users and --items need --interactions"},
	} {
		_, err := parse(t, tc.args...)
		if err == nil || !strings.Contains(err.Error(), tc.msg) {
			t.Errorf("%v: error %v, want one containing %q", tc.args, err, tc.msg)
		}
	}
}

// writeShop writes a small demo shop to a temporary directory.
func writeShop(t *testing.T) (string, *datasets.Dataset) {
	t.Helper()
	d, err := demo.Generate(context.Background(), demo.Config{Users: 600, Items: 200, Interactions: 8000, Seed: 2, Effects: demo.DefaultEffects()})
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	if err := datasets.WriteDataset(dir, d, datasets.FormatArrow); err != nil {
		t.Fatal(err)
	}
	return dir, d
}

// run runs the consent command on args and returns its stdout, stderr and
// error.
func run(t *testing.T, args ...string) (string, string, error) {
	t.Helper()
	f, out, errOut := testFactory()
	cmd := NewCmdConsent(f, nil)
	cmd.SetArgs(args)
	cmd.SetContext(context.Background())
	cmd.SilenceErrors, cmd.SilenceUsage = true, true
	err := cmd.Execute()
	return out.String(), errOut.String(), err
}

func TestConsentRun(t *testing.T) {
	dir, d := writeShop(t)

	// A built-in algorithm as recaudit runs it passes.
	out, _, err := run(t, "--data", dir, "--algo", "itemknn", "--cutoffs", "5,10")
	if err != nil {
		t.Fatalf("managed itemknn: %v\n%s", err, out)
	}
	for _, want := range []string{"CONSENT PROBE of itemknn as recaudit runs it", "600 users, ", "drop          5   ", "passed: "} {
		if !strings.Contains(out, want) {
			t.Errorf("managed itemknn output lacks %q:\n%s", want, out)
		}
	}

	// Asked for every user, it is flagged: exit status 1, and the JSON
	// document still goes to stdout.
	out, _, err = run(t, "--data", dir, "--algo", "itemknn", "--direct", "--json", "--perturb", "shuffle")
	if !errors.Is(err, cmdutil.ErrPolicyViolated) {
		t.Fatalf("direct itemknn: error %v, want a policy violation", err)
	}
	var rep ConsentReport
	if err := json.Unmarshal([]byte(out), &rep); err != nil {
		t.Fatalf("JSON: %v\n%s", err, out)
	}
	non := 0
	for _, ok := range d.Consent() {
		if !ok {
			non++
		}
	}
	if rep.Method != "rerun" || rep.Mode != "direct" || !rep.Flagged || rep.Users != 600 || rep.Rerun.NonConsenting != non ||
		len(rep.Rerun.Perturbations) != 1 || rep.Rerun.Perturbations[0].Cutoffs[0].Violating < non*9/10 {
		t.Errorf("direct itemknn report: %+v", rep)
	}

	// A file with the fallback passes; one without is flagged.
	ctx := context.Background()
	rec := &recommenders.ItemKNN{}
	users := make([]int32, d.Users.Len())
	for u := range users {
		users[u] = int32(u)
	}
	view := &recommenders.TrainView{Interactions: d.Interactions}
	honoured, _, err := recommenders.Run(ctx, rec, view, users, d.Consent(), 10)
	if err != nil {
		t.Fatal(err)
	}
	ignored, err := rec.Recommend(ctx, users, 10)
	if err != nil {
		t.Fatal(err)
	}
	good, bad := filepath.Join(t.TempDir(), "good.arrow"), filepath.Join(t.TempDir(), "bad.csv")
	honoured.System, ignored.System = "knn", "knn-everyone"
	if err := datasets.WriteRecommendations(good, d.Users, d.Items, []datasets.Rankings{honoured}, nil); err != nil {
		t.Fatal(err)
	}
	if err := datasets.WriteRecommendations(bad, d.Users, d.Items, []datasets.Rankings{ignored}, nil); err != nil {
		t.Fatal(err)
	}
	out, _, err = run(t, "--data", dir, "--recs", good)
	if err != nil || !strings.Contains(out, "passed: every non-consenting user gets the same list") || !strings.Contains(out, "< 0.001") {
		t.Errorf("file with the fallback: %v\n%s", err, out)
	}
	out, _, err = run(t, "--data", dir, "--recs", bad, "--cutoffs", "3")
	if !errors.Is(err, cmdutil.ErrPolicyViolated) || !strings.Contains(out, "FLAGGED") || !regexp.MustCompile(`(?m)^3 +\d+ +0\.9\d\d \[`).MatchString(out) {
		t.Errorf("file without the fallback: %v\n%s", err, out)
	}

	// Bad input: a file of other IDs, an unknown system.
	_, _, err = run(t, "--data", dir, "--recs", good, "--system", "nope")
	if !errors.Is(err, cmdutil.ErrUsage) || !strings.Contains(err.Error(), `has no system "nope" (it has knn)`) {
		t.Errorf("unknown system: %v", err)
	}
}

// TestWriteConsentNobodyToProbe checks that a probe without a single
// non-consenting user (no consent column, or everyone consented) says that
// nothing was probed instead of reporting a pass.
func TestWriteConsentNobodyToProbe(t *testing.T) {
	for _, rep := range []ConsentReport{
		{Demo: true, System: "itemknn", Mode: "managed", Method: "rerun", Rerun: &libprobe.RerunResult{Users: 5}},
		{Demo: true, System: "knn", Mode: "file", Method: "lists", Lists: &libprobe.ListsResult{Consenting: 5}},
	} {
		var b bytes.Buffer
		if err := writeConsent(&b, &rep); err != nil {
			t.Fatal(err)
		}
		if out := b.String(); !strings.HasSuffix(out, "\nnothing to probe: no user withheld consent to personalisation (does the users table have a consent column?)\n") {
			t.Errorf("%s probe without non-consenting users:\n%s", rep.Method, out)
		}
	}
}
