package audit

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/recaudit/recaudit/datasets"
	"github.com/recaudit/recaudit/datasets/demo"
	"github.com/recaudit/recaudit/recommenders"
)

// plantedSpec is a demo audit at 60% of the default size in which the
// planted effects are found (see TestPlantedEffects for why these systems
// show them): 6,000 users, 1,500 items, item-kNN and EASE, 200 bootstrap
// resamples and 2,000 relabelings. At 4,000 users and 1,000 items EASE
// no longer shows the 18-24 band the most credit offers. The probes run
// too, the inference probe for gender only and with 4 shuffles, to keep
// the test short (probes_test.go tests them).
const plantedSpec = `version: 1
dataset:
  demo: {users: 6000, items: 1500}
systems: [itemknn, ease]
statistics: {resamples: 200, permutations: 2000}
probes: {inference: {attributes: [gender], shuffles: 4}}
`

func runSpec(t *testing.T, yaml string, opts RunOptions) *Outcome {
	t.Helper()
	s, err := ParseSpec("test.yaml", []byte(yaml))
	if err != nil {
		t.Fatal(err)
	}
	out, err := Run(context.Background(), s, opts)
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// TestRunDemo runs a small demo audit end to end: the result validates
// against the schema, the three planted effects are among the findings,
// and the document is byte-identical across runs, GOMAXPROCS and the
// number of systems run at once.
func TestRunDemo(t *testing.T) {
	if testing.Short() {
		t.Skip("end to end")
	}
	var stages []string
	out := runSpec(t, plantedSpec, RunOptions{ToolVersion: "test", Parallel: 2, Progress: func(stage string, done, total int) {
		stages = append(stages, stage)
		if done < 0 || done > total {
			t.Errorf("progress %s %d/%d", stage, done, total)
		}
	}})
	got := marshal(t, out.Result)

	// The schema describes every field, and the document round-trips.
	problems, err := validateJSON(Schema, got, true)
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range problems {
		t.Error("schema: " + p)
	}
	back, err := ReadJSON(bytes.NewReader(got))
	if err != nil {
		t.Fatal(err)
	}
	if again := marshal(t, back); !bytes.Equal(got, again) {
		t.Errorf("round trip differs:\n%s", cmp.Diff(string(got), string(again)))
	}
	if want := []string{StageDataset, StageSplit, StageGroups, StageSystems, StageFinalize}; !slices.Equal(slices.Compact(stages), want) {
		t.Errorf("stages %v, want %v", slices.Compact(stages), want)
	}
	if len(out.Timings.Stages) != 5 || len(out.Timings.Systems) != 2 || out.Timings.Total <= 0 {
		t.Errorf("timings %+v", out.Timings)
	}

	// The planted effects (datasets/demo): lower accuracy for 65+, less
	// exposure for independent vendors, credit offers targeted at 18-24.
	var consumer, provider, targeting bool
	for _, f := range out.Result.Findings {
		switch {
		case f.System == "itemknn" && f.Kind == "consumer" && f.Metric == "precision@10" && f.Attribute == "age_band" && slices.Contains(f.Groups, "65+"):
			consumer = true
		case f.System == "itemknn" && f.Kind == "provider" && f.Attribute == "provider_type" && f.Groups[0] == "independent" && strings.Contains(f.Text, "less"):
			provider = true
		case f.System == "ease" && f.Kind == "targeting" && f.Attribute == "age_band" && f.Groups[0] == "18-24":
			targeting = true
		}
	}
	if !consumer || !provider || !targeting {
		t.Errorf("planted effects found: accuracy by age %v, vendor exposure %v, credit targeting %v; want all", consumer, provider, targeting)
		for _, f := range out.Result.Findings {
			t.Log(f.System, f.Kind, f.Metric, f.Attribute, f.Groups, f.Text)
		}
	}

	// The data-minimisation record: recommenders saw no users column but
	// user_id; the scoring read the sensitive attributes.
	for _, a := range out.Result.DataAccess {
		if (a.Stage == "fit" || a.Stage == "recommend") && a.Reader == ReaderRecommender && a.Table == "users" && !slices.Equal(a.Columns, []string{"user_id"}) {
			t.Errorf("recommender given users columns %v", a.Columns)
		}
	}
	if !slices.ContainsFunc(out.Result.DataAccess, func(a DataAccess) bool {
		return a.Stage == "scoring" && a.Table == "users" && slices.Equal(a.Columns, []string{"user_id", "gender", "age_band"})
	}) {
		t.Errorf("no scoring entry for the sensitive attributes: %+v", out.Result.DataAccess)
	}

	// Byte-identical: again with one processor and one system at a time.
	prev := runtime.GOMAXPROCS(1)
	one := marshal(t, runSpec(t, plantedSpec, RunOptions{ToolVersion: "test", Parallel: 1}).Result)
	runtime.GOMAXPROCS(prev)
	if !bytes.Equal(got, one) {
		t.Errorf("GOMAXPROCS 1, one system at a time, gives different bytes:\n%s", cmp.Diff(string(got), string(one)))
	}
}

// TestRunEffectiveSpec checks the effective spec of a run: defaults
// filled in, the groups resolved from the roles, the seed followed.
func TestRunEffectiveSpec(t *testing.T) {
	out := runSpec(t, "version: 1\ndataset: {demo: {users: 300, items: 400}}\nsystems: [popular, {name: r, algo: random}]\ncutoffs: [5]\nstatistics: {resamples: 10, permutations: 10}\nseed: 7\n", RunOptions{})
	e := out.Result.Spec
	k := 5
	seed := uint64(7)
	want := &Spec{
		Version: 1,
		Dataset: DatasetSpec{Name: "demo", Roles: []RoleSpec{}, Duplicates: "error",
			Demo: &DemoSpec{Users: 300, Items: 400, Interactions: 9000, Seed: 1, MinPerUser: demo.DefaultMinPerUser, Clusters: 12,
				Effects: EffectsSpec{AgeActivity: 0.5, BrandPopularity: 2, CategoryTaste: 1, CreditPropensity: 2}}},
		Split: SplitSpec{Kind: "random", Fraction: 0.2, N: 1, Seed: &seed},
		Systems: []SystemSpec{
			{Name: "popular", Algo: "popular", Params: []SpecParam{{"include-train", false}}},
			{Name: "r", Algo: "random", Params: []SpecParam{{"seed", 7}}}},
		Cutoffs: []int{5}, K: &k,
		Metrics: MetricsSpec{Measures: []string{"precision", "recall", "hit_rate", "rr", "ap", "dcg", "ndcg", "rbp"},
			GroupMeasures: []string{"ndcg", "recall", "precision"}, Profile: "default",
			Conventions: ConventionsSpec{RelevanceThreshold: 1, Precision: "k", Recall: "relevant", AP: "min-relevant-k", Gain: "binary",
				Discount: "log2", Ideal: "relevant-cut-k", NoRelevant: "exclude", NoList: "miss", Patience: 0.85},
			CalibrationAlpha: 0.01, HeadShare: 0.8},
		Groups: GroupsSpec{Sensitive: []string{"gender", "age_band"}, Bins: []BinSpec{}, Intersections: [][]string{},
			ItemGroups: []string{"provider", "provider_type", "category"}, Flags: []string{"high_cost_credit"}, Category: "category", MinGroupSize: 10},
		Exposure:   ExposureSpec{Model: "log", Patience: 0.5, Stop: 0.5, TopShare: 0.5, MaxGroups: 50},
		Statistics: StatisticsSpec{Resamples: 10, Alpha: 0.05, Permutations: 10, Aggregators: []string{"max-min-diff", "min-max-ratio"}},
		Probes: ProbesSpec{
			Consent:   ConsentProbeSpec{Enabled: true, Cutoffs: []int{5}, Perturbations: []string{"drop", "shuffle", "random"}, Permutations: 1000},
			Inference: InferenceProbeSpec{Enabled: true, Attributes: []string{"gender", "age_band"}, K: 5, Folds: 2, Shuffles: 9, MinLift: 0.02},
		},
		Seed: 7,
	}
	if d := cmp.Diff(want, e, cmp.AllowUnexported(Spec{})); d != "" {
		t.Errorf("effective spec (-want +got):\n%s", d)
	}
	if out.Result.Split.Seed != 7 || out.Result.Seed != 7 {
		t.Errorf("split seed %d, result seed %d; want the audit's 7", out.Result.Split.Seed, out.Result.Seed)
	}
	// The effective spec runs again to the same result.
	again, err := Run(context.Background(), e, RunOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if a, b := marshal(t, out.Result), marshal(t, again.Result); !bytes.Equal(a, b) {
		t.Errorf("the effective spec gives a different result:\n%s", cmp.Diff(string(a), string(b)))
	}
	// So does its JSON read as a spec file, as the report tells readers
	// to do with the spec of results.json.
	b, err := json.MarshalIndent(e, "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	fromJSON := runSpec(t, string(b), RunOptions{})
	if a, b := marshal(t, out.Result), marshal(t, fromJSON.Result); !bytes.Equal(a, b) {
		t.Errorf("the effective spec's JSON gives a different result:\n%s", cmp.Diff(string(a), string(b)))
	}
}

// TestRunExternalSystems audits systems recaudit does not run: a
// recommendation file with two systems, and an external command.
func TestRunExternalSystems(t *testing.T) {
	if _, err := exec.LookPath("cp"); err != nil {
		t.Skip("needs cp")
	}
	dir := t.TempDir()
	// A file with the lists of two systems: popular and itemknn on the
	// same split as the audit's.
	w := newWorld(t, demo.Config{Users: 300, Items: 400, Interactions: 9000, Seed: 1, Effects: demo.DefaultEffects()})
	w.split.Seed = 1
	var err error
	if w.train, w.test, w.stats, err = w.split.Apply(&w.d.Interactions); err != nil {
		t.Fatal(err)
	}
	var runs []datasets.Rankings
	for _, name := range []string{"popular", "itemknn"} {
		sys := w.recommend(t, name, 10)
		sys.Rankings.System = "vendor-" + name
		runs = append(runs, sys.Rankings)
	}
	recs := filepath.Join(dir, "recs.arrow")
	if err := datasets.WriteRecommendations(recs, w.d.Users, w.d.Items, runs, nil); err != nil {
		t.Fatal(err)
	}
	// The command copies a file without rows to its output: empty lists.
	empty := filepath.Join(dir, "empty.arrow")
	none := datasets.Rankings{Offsets: make([]int64, w.d.Users.Len()+1)}
	if err := datasets.WriteRecommendations(empty, w.d.Users, w.d.Items, []datasets.Rankings{none}, nil); err != nil {
		t.Fatal(err)
	}
	yaml := `version: 1
dataset: {demo: {users: 300, items: 400}}
systems:
  - file: ` + recs + `
  - name: one
    file: ` + recs + `
    system: vendor-itemknn
  - name: nothing
    exec: [cp, ` + empty + `, "{out}"]
  - itemknn
cutoffs: [10]
statistics: {resamples: 10, permutations: 10}
`
	out := runSpec(t, yaml, RunOptions{})
	var names []string
	for _, s := range out.Result.Systems {
		names = append(names, s.Name)
	}
	if want := []string{"vendor-itemknn", "vendor-popular", "one", "nothing", "itemknn"}; !slices.Equal(names, want) {
		t.Fatalf("systems %v, want %v", names, want)
	}
	// The file's itemknn lists are the in-process itemknn's: the same
	// per-user table.
	sys := out.Result.Systems
	if d := cmp.Diff(sys[4].PerUser, sys[0].PerUser, cmp.Comparer(func(a, b float64) bool { return a == b || a != a && b != b })); d != "" {
		t.Errorf("itemknn from the file differs from itemknn run in process:\n%s", d)
	}
	// Only the users who did not consent have a list: the fallback.
	fallbacks := 0
	for _, f := range out.Fallback[3] {
		if f {
			fallbacks++
		}
	}
	if sys[3].Users.WithList != fallbacks || fallbacks == 0 {
		t.Errorf("the exec system's empty output gave %d users a list, %d the fallback; want the same, not 0", sys[3].Users.WithList, fallbacks)
	}
	if out.Fallback[0] != nil {
		t.Errorf("fallback flags of a file system: %v, want nil", out.Fallback[0])
	}
	if p := sys[2].Params; !slices.Equal(p, []Param{{"file", recs}, {"system", "vendor-itemknn"}}) {
		t.Errorf("file system params %v", p)
	}
	var execEntries int
	for _, a := range out.Result.DataAccess {
		if a.System == "nothing" && a.Reader == ReaderExternal && a.Stage != "probe" { // the consent probe's reruns: probes_test.go
			execEntries++
			if a.Table == "users" && !slices.Equal(a.Columns, []string{"user_id"}) {
				t.Errorf("the command was given users columns %v", a.Columns)
			}
		}
		if a.System == "one" && (a.Table != "recommendations" || a.Via != "file "+recs) {
			t.Errorf("file system access %+v", a)
		}
	}
	if execEntries != 3 {
		t.Errorf("%d data-access entries for the exec system's files, want 3 (train, items, users)", execEntries)
	}
	if e := out.Result.Spec.Systems; e[0].Name != "" || e[1].Name != "one" || e[2].Params[0].Name != "command" {
		t.Errorf("effective systems %+v", e)
	}

	// Naming a file system that is not in the file, and a name clash.
	for _, tc := range []struct{ yaml, msg string }{
		{"version: 1\ndataset: {demo: {users: 300, items: 400}}\nsystems:\n  - {file: " + recs + ", system: vendor-eas}\n", `has no system "vendor-eas"`},
		{"version: 1\ndataset: {demo: {users: 300, items: 400}}\nsystems:\n  - {name: x, file: " + recs + "}\n", "holds 2 systems; one name cannot name them all"},
		{"version: 1\ndataset: {demo: {users: 300, items: 400}}\nsystems:\n  - {file: " + recs + "}\n  - {name: vendor-popular, algo: popular}\n", `system name "vendor-popular" is already used by systems[0]`},
	} {
		s, err := ParseSpec("x.yaml", []byte(tc.yaml))
		if err != nil {
			t.Fatal(err)
		}
		_, err = Run(context.Background(), s, RunOptions{})
		if !errors.Is(err, ErrSpec) || !strings.Contains(err.Error(), tc.msg) {
			t.Errorf("got %v, want a spec error containing %q", err, tc.msg)
		}
	}
}

// TestRunCancel checks that a cancelled context stops the audit.
func TestRunCancel(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	s := DefaultSpec()
	s.Dataset.Demo.Users, s.Dataset.Demo.Interactions = 2000, 60000
	_, err := Run(ctx, s, RunOptions{Progress: func(stage string, done, total int) {
		if stage == StageSystems {
			cancel()
		}
	}})
	if !errors.Is(err, context.Canceled) {
		t.Errorf("got %v, want context.Canceled", err)
	}
}

// TestRunRegistry checks that a caller's registry is used: a system named
// by a registered algorithm of its own.
func TestRunRegistry(t *testing.T) {
	reg := recommenders.NewRegistry()
	reg.Register("top", recommenders.PopularFactory())
	out := runSpec(t, "version: 1\ndataset: {demo: {users: 300, items: 400}}\nsystems: [top]\nstatistics: {resamples: 10, permutations: 10}\n", RunOptions{Registry: reg})
	if out.Result.Systems[0].Name != "top" {
		t.Errorf("system %q", out.Result.Systems[0].Name)
	}
	s, _ := ParseSpec("x.yaml", []byte("version: 1\nsystems: [popular]\n"))
	if err := s.Check(reg); !errors.Is(err, ErrSpec) || !strings.Contains(err.Error(), `unknown algorithm "popular"`) {
		t.Errorf("got %v", err)
	}
}
