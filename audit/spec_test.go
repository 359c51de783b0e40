package audit

import (
	"context"
	"encoding/json"
	"errors"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
	"github.com/recaudit/recaudit/datasets"
	"github.com/recaudit/recaudit/recommenders"
)

// specErrorCases are bad specs with the field, line and column each error
// must name (counted by hand in the YAML below) and a part of its
// message.
var specErrorCases = []struct {
	name       string
	yaml       string
	field      string
	line, col  int
	msg        string
	wrapsParam bool // wraps recommenders.ErrParam
}{
	{name: "missing version", yaml: "seed: 3\n", field: "version", line: 1, col: 1, msg: `missing; start the spec with "version: 1"`},
	{name: "version 2", yaml: "version: 2\n", field: "version", line: 1, col: 10, msg: "version 2 is not supported"},
	{name: "unknown top key", yaml: "version: 1\nsytems: []\n", field: "sytems", line: 2, col: 1, msg: `unknown key "sytems" in the spec; did you mean "systems"?`},
	{name: "unknown nested key", yaml: "version: 1\nsplit:\n  fracton: 0.3\n", field: "split.fracton", line: 3, col: 3, msg: `did you mean "fraction"?`},
	{name: "unknown key far from any", yaml: "version: 1\nzzzzzzzz: 1\n", field: "zzzzzzzz", line: 2, col: 1, msg: "valid keys: version, dataset"},
	{name: "repeated key", yaml: "version: 1\nseed: 1\nseed: 2\n", field: "seed", line: 3, col: 1, msg: `key "seed" is given twice`},
	{name: "section not a mapping", yaml: "version: 1\nsplit: random\n", field: "split", line: 2, col: 8, msg: "this section must be a mapping of keys to values, got \"random\"; write its keys indented"},
	{name: "string for a number", yaml: "version: 1\nstatistics:\n  resamples: many\n", field: "statistics.resamples", line: 3, col: 14, msg: `want a whole number, got "many"`},
	{name: "negative seed", yaml: "version: 1\nseed: -1\n", field: "seed", line: 2, col: 7, msg: "want a whole number >= 0"},
	{name: "bool wanted", yaml: "version: 1\nstatistics: {unstratified: maybe}\n", field: "statistics.unstratified", line: 2, col: 28, msg: "want true or false"},
	{name: "huge whole number", yaml: "version: 1\nk: 99999999999999999999\n", field: "k", line: 2, col: 4, msg: "99999999999999999999 is out of range; give a whole number between -2147483648 and 2147483647"},
	{name: "negative beyond int32", yaml: "version: 1\nk: -99999999999\n", field: "k", line: 2, col: 4, msg: "-99999999999 is out of range"},
	{name: "float beyond float64", yaml: "version: 1\ncutoffs: [1e400]\n", field: "cutoffs[0]", line: 2, col: 11, msg: "1e400 is out of range"},
	{name: "fraction for a whole number", yaml: "version: 1\nk: 2.5\n", field: "k", line: 2, col: 4, msg: `want a whole number, got "2.5"`},
	{name: "number beyond float64", yaml: "version: 1\nstatistics: {alpha: -1e999}\n", field: "statistics.alpha", line: 2, col: 21, msg: "-1e999 is out of range"},
	{name: "seed beyond uint64", yaml: "version: 1\nseed: 18446744073709551616\n", field: "seed", line: 2, col: 7, msg: "18446744073709551616 is out of range; give a whole number between 0 and 18446744073709551615"},
	{name: "quoted number", yaml: "version: 1\nseed: \"5\"\n", field: "seed", line: 2, col: 7, msg: `want a whole number >= 0, got "5"; remove the quotes`},
	{name: "quoted bool", yaml: "version: 1\nstatistics: {unstratified: 'true'}\n", field: "statistics.unstratified", line: 2, col: 28, msg: "remove the quotes"},
	{name: "cutoff not a number", yaml: "version: 1\ncutoffs: [10, x]\n", field: "cutoffs[1]", line: 2, col: 15, msg: `want a whole number, got "x"`},
	{name: "unknown metric", yaml: "version: 1\nmetrics:\n  measures: [ndcg, precison]\n", field: "metrics.measures[1]", line: 3, col: 20, msg: `unknown metric "precison"; did you mean "precision"?`},
	{name: "group measure not measured", yaml: "version: 1\nmetrics:\n  measures: [ndcg]\n  group_measures: [ndcg, recall]\n", field: "metrics.group_measures[1]", line: 4, col: 26, msg: "not among metrics.measures"},
	{name: "unknown profile", yaml: "version: 1\nmetrics: {profile: trec-eval}\n", field: "metrics.profile", line: 2, col: 20, msg: `did you mean "trec_eval"?`},
	{name: "unknown convention", yaml: "version: 1\nmetrics:\n  conventions:\n    gain: exponential\n", field: "metrics.conventions.gain", line: 4, col: 11, msg: `unknown value "exponential"`},
	{name: "threshold negative", yaml: "version: 1\nmetrics:\n  conventions: {relevance_threshold: -1}\n", field: "metrics.conventions.relevance_threshold", line: 3, col: 38, msg: "out of range [0, +inf)"},
	{name: "unknown split kind", yaml: "version: 1\nsplit: {kind: randm}\n", field: "split.kind", line: 2, col: 15, msg: `did you mean "random"?`},
	{name: "split fraction", yaml: "version: 1\nsplit:\n  fraction: 1.5\n", field: "split.fraction", line: 3, col: 13, msg: "1.5 is out of range (0, 1)"},
	{name: "split cutoff date", yaml: "version: 1\nsplit: {cutoff: yesterday}\n", field: "split.cutoff", line: 2, col: 17, msg: "want Unix seconds or a date"},
	{name: "cutoff out of range", yaml: "version: 1\ncutoffs: [0]\n", field: "cutoffs[0]", line: 2, col: 11, msg: "0 is out of range [1,"},
	{name: "cutoff twice", yaml: "version: 1\ncutoffs: [10, 10]\n", field: "cutoffs[1]", line: 2, col: 15, msg: "cutoff 10 is given twice"},
	{name: "k below the cutoffs", yaml: "version: 1\ncutoffs: [10, 20]\nk: 15\n", field: "k", line: 3, col: 4, msg: "list length 15 is shorter than the largest cutoff 20"},
	{name: "unknown algorithm", yaml: "version: 1\nsystems:\n  - algo: itemknm\n", field: "systems[0].algo", line: 3, col: 11, msg: `unknown algorithm "itemknm"; did you mean "itemknn"?`},
	{name: "unknown algorithm shorthand", yaml: "version: 1\nsystems: [svd]\n", field: "systems[0].algo", line: 2, col: 11, msg: `unknown algorithm "svd"`},
	{name: "parameter out of range", yaml: "version: 1\nsystems:\n  - algo: itemknn\n    params: {neighbors: 0}\n", field: "systems[0].params.neighbors", line: 4, col: 25,
		msg: "itemknn: 0 is out of range [1, +inf)", wrapsParam: true},
	{name: "unknown parameter", yaml: "version: 1\nsystems:\n  - algo: itemknn\n    params:\n      neighbours: 5\n", field: "systems[0].params.neighbours", line: 5, col: 19,
		msg: `did you mean "neighbors"?`, wrapsParam: true},
	{name: "parameter of the wrong type", yaml: "version: 1\nsystems:\n  - algo: ease\n    params: {lambda: big}\n", field: "systems[0].params.lambda", line: 4, col: 22, msg: "ease:", wrapsParam: true},
	{name: "parameter twice", yaml: "version: 1\nsystems:\n  - algo: ease\n    params: {lambda: 1, lambda: 2}\n", field: "systems[0].params.lambda", line: 4, col: 25, msg: `parameter "lambda" is given twice`},
	{name: "system of nothing", yaml: "version: 1\nsystems:\n  - name: x\n", field: "systems[0]", line: 3, col: 5, msg: "names neither an algorithm nor a file"},
	{name: "algorithm and file", yaml: "version: 1\nsystems:\n  - {algo: ease, file: r.csv}\n", field: "systems[0]", line: 3, col: 5, msg: "not both"},
	{name: "duplicate system names", yaml: "version: 1\nsystems: [ease, popular, ease]\n", field: "systems[2].name", line: 2, col: 26, msg: `system name "ease" is already used by systems[0]`},
	{name: "missing recommendation file", yaml: "version: 1\nsystems:\n  - file: missing-recs.csv\n", field: "systems[0].file", line: 3, col: 11, msg: "file missing-recs.csv does not exist"},
	{name: "missing program", yaml: "version: 1\nsystems:\n  - exec: no-such-program-anywhere {train} {out}\n", field: "systems[0].exec", line: 3, col: 11, msg: `cannot run the program "no-such-program-anywhere"`},
	{name: "missing dataset directory", yaml: "version: 1\ndataset:\n  dir: no/such/dir\n", field: "dataset.dir", line: 3, col: 8, msg: "directory no/such/dir does not exist"},
	{name: "missing interactions file", yaml: "version: 1\ndataset: {interactions: clicks.parquet}\n", field: "dataset.interactions", line: 2, col: 25, msg: "file clicks.parquet does not exist"},
	{name: "users without interactions", yaml: "version: 1\ndataset: {users: u.csv}\n", field: "dataset.interactions", line: 2, col: 10, msg: "users and items tables need the interactions table"},
	{name: "files and demo", yaml: "version: 1\ndataset: {dir: x, demo: {users: 10}}\n", field: "dataset", line: 2, col: 10, msg: "names both files and the demo generator"},
	{name: "unknown role", yaml: "version: 1\ndataset:\n  dir: .\n  roles: {income: sensitiv}\n", field: "dataset.roles[0]", line: 4, col: 19, msg: `did you mean "sensitive"?`},
	{name: "unknown duplicates policy", yaml: "version: 1\ndataset: {duplicates: mean}\n", field: "dataset.duplicates", line: 2, col: 23, msg: `unknown policy "mean"`},
	{name: "unknown demo key", yaml: "version: 1\ndataset:\n  demo: {user: 10}\n", field: "dataset.demo.user", line: 3, col: 10, msg: `did you mean "users"?`},
	{name: "unknown exposure model", yaml: "version: 1\nexposure: {model: logarithmic}\n", field: "exposure.model", line: 2, col: 19, msg: `unknown exposure model "logarithmic"`},
	{name: "exposure patience", yaml: "version: 1\nexposure: {model: geometric, patience: 1}\n", field: "exposure.patience", line: 2, col: 40, msg: "1 is out of range (0, 1)"},
	{name: "unknown aggregator", yaml: "version: 1\nstatistics:\n  aggregators: [max-min-diff, gini]\n", field: "statistics.aggregators[1]", line: 3, col: 31, msg: `unknown aggregator "gini"`},
	{name: "resamples zero", yaml: "version: 1\nstatistics: {resamples: 0}\n", field: "statistics.resamples", line: 2, col: 25, msg: "0 is out of range [1, +inf)"},
	{name: "alpha", yaml: "version: 1\nstatistics: {alpha: 5}\n", field: "statistics.alpha", line: 2, col: 21, msg: "5 is out of range (0, 1)"},
	{name: "min group size", yaml: "version: 1\ngroups: {min_group_size: -3}\n", field: "groups.min_group_size", line: 2, col: 26, msg: "-3 is negative"},
	{name: "intersection of one", yaml: "version: 1\ngroups:\n  intersections: [[gender]]\n", field: "groups.intersections[0]", line: 3, col: 19, msg: "needs two or more attributes"},
	{name: "intersection of a non-sensitive", yaml: "version: 1\ngroups:\n  sensitive: [gender]\n  intersections: [[gender, region]]\n", field: "groups.intersections[0][1]", line: 4, col: 28, msg: `attribute "region" is not among groups.sensitive`},
	{name: "bins both ways", yaml: "version: 1\ngroups:\n  bins: {age: {edges: [1, 2], quantiles: 3}}\n", field: "groups.bins[0]", line: 3, col: 10, msg: "not both or neither"},
	{name: "bins not increasing", yaml: "version: 1\ngroups:\n  bins: {age: [18, 65, 30]}\n", field: "groups.bins[0].edges[2]", line: 3, col: 24, msg: "edge 30 does not exceed the one before, 65"},
	{name: "invalid YAML", yaml: "version: 1\nsplit:\n  kind: a\n   bad: x\n", field: "", line: 4, col: 1, msg: "invalid YAML: mapping values are not allowed in this context"},
	{name: "empty", yaml: "", field: "", msg: "the spec is empty"},
	{name: "empty document", yaml: "---\n# nothing yet\n", field: "", msg: "the spec is empty"},
	{name: "two documents", yaml: "version: 1\n---\nseed: 2\n", field: "", line: 3, col: 1, msg: "more than one YAML document"},
	// The YAML parser places an unclosed flow list on the line before it.
	{name: "bad second document", yaml: "version: 1\n---\nseed: [2\n", field: "", line: 2, col: 1, msg: "invalid YAML: did not find expected ',' or ']'"},
	{name: "not a mapping", yaml: "- version: 1\n", field: "", line: 1, col: 1, msg: "the spec must be a mapping of keys to values, got a list"},
}

// TestSpecErrors checks that every bad spec is rejected, by ParseSpec or
// by Check, with an error that names the file, the field, the line and
// the column, and wraps ErrSpec.
func TestSpecErrors(t *testing.T) {
	t.Chdir(t.TempDir()) // relative paths resolve to nothing
	for _, tc := range specErrorCases {
		t.Run(tc.name, func(t *testing.T) {
			s, err := ParseSpec("audit.yaml", []byte(tc.yaml))
			if err == nil {
				err = s.Check(nil)
			}
			if err == nil {
				t.Fatal("no error")
			}
			var se *SpecError
			if !errors.As(err, &se) {
				t.Fatalf("%T %v: not a *SpecError", err, err)
			}
			if !errors.Is(err, ErrSpec) {
				t.Errorf("%v does not wrap ErrSpec", err)
			}
			if tc.wrapsParam && !errors.Is(err, recommenders.ErrParam) {
				t.Errorf("%v does not wrap recommenders.ErrParam", err)
			}
			if se.File != "audit.yaml" || se.Field != tc.field || se.Line != tc.line || se.Column != tc.col {
				t.Errorf("error at %s:%d:%d field %q, want audit.yaml:%d:%d field %q (%v)", se.File, se.Line, se.Column, se.Field, tc.line, tc.col, tc.field, err)
			}
			if !strings.Contains(err.Error(), tc.msg) {
				t.Errorf("error %q does not contain %q", err, tc.msg)
			}
			// Every error says how to fix it, or what is wanted.
			if se.Fix == "" && !strings.HasPrefix(se.Msg, "want ") && !strings.Contains(se.Msg, ": want ") {
				t.Errorf("error %q has no fix", err)
			}
		})
	}
}

// TestSpecColumnErrors checks the errors about columns, found after the
// data is loaded: they still name the spec's line.
func TestSpecColumnErrors(t *testing.T) {
	const head = "version: 1\ndataset:\n  demo: {users: 300, items: 400}\nstatistics: {resamples: 10, permutations: 10}\nsystems: [popular]\n"
	for _, tc := range []struct {
		name, yaml, field string
		line, col         int
		msg               string
	}{
		{"unknown sensitive column", "groups:\n  sensitive: [gendr, age_band]\n", "groups.sensitive[0]", 7, 15, `unknown column "gendr": the users table has no such column; did you mean "gender"?`},
		{"unknown item group", "groups: {item_groups: [vendor]}\n", "groups.item_groups[0]", 6, 24, `unknown column "vendor"`},
		{"flag not bool", "groups: {flags: [price_tier]}\n", "groups.flags[0]", 6, 18, "a flag is a bool column"},
		{"unknown category", "groups: {category: genre}\n", "groups.category", 6, 20, `unknown column "genre"`},
		{"bins on a categorical column", "groups: {bins: {gender: [0, 1]}}\n", "groups.bins[0]", 6, 17, "not numeric: it needs no bins"},
		{"intersection with a non-sensitive column", "groups: {intersections: [[gender, region]]}\n", "groups.intersections[0][1]", 6, 35, `attribute "region" is not among the sensitive attributes`},
		{"bad demo size", "dataset: {demo: {items: 3}}\n", "dataset.demo", 6, 17, "Items"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			y := head + tc.yaml
			if strings.HasPrefix(tc.yaml, "dataset:") {
				y = strings.Replace(head, "dataset:\n  demo: {users: 300, items: 400}\n", "", 1) + tc.yaml
				tc.line -= 2
			}
			s, err := ParseSpec("audit.yaml", []byte(y))
			if err != nil {
				t.Fatal(err)
			}
			_, err = Run(context.Background(), s, RunOptions{})
			var se *SpecError
			if !errors.As(err, &se) {
				t.Fatalf("%T %v: not a *SpecError", err, err)
			}
			if se.Field != tc.field || se.Line != tc.line || se.Column != tc.col || !strings.Contains(err.Error(), tc.msg) {
				t.Errorf("got %q (field %q, %d:%d), want field %q at %d:%d containing %q", err, se.Field, se.Line, se.Column, tc.field, tc.line, tc.col, tc.msg)
			}
			// The generator's own message says what to change.
			if se.Fix == "" && se.Field != "dataset.demo" {
				t.Errorf("error %q has no fix", err)
			}
		})
	}
}

// TestSpecFlagErrors checks that an error about a field set by a flag
// names the flag.
func TestSpecFlagErrors(t *testing.T) {
	s := DefaultSpec()
	s.Statistics.Resamples = 0
	s.SetFlag("statistics.resamples", "--resamples")
	err := s.Check(nil)
	if want := "flag --resamples: statistics.resamples: 0 is out of range [1, +inf)"; err == nil || !strings.HasPrefix(err.Error(), want) {
		t.Errorf("got %v, want %q...", err, want)
	}
}

// TestParseSpec checks a spec that sets fields through every shorthand.
func TestParseSpec(t *testing.T) {
	const y = `version: 1
dataset:
  demo:
    users: 500
    effects: none
split: {kind: temporal-cutoff, cutoff: 2025-06-01}
systems:
  - ease
  - name: knn
    algo: itemknn
    params: {neighbors: 20, shrink: 1.5, use-values: true}
  - name: ext
    exec: "prog --train {train} --out {out}"
    params: {timeout: 5m}
  - exec: [prog, "{train}"]
k: 15
metrics:
  measures: ndcg
  group_measures: [ndcg]
groups:
  sensitive: age
  bins: {age: [18, 35, .inf], score: 4}
  intersections: [[age, gender]]
seed: 9
`
	s, err := ParseSpec("s.yaml", []byte(y))
	if err != nil {
		t.Fatal(err)
	}
	want := DefaultSpec()
	want.Dataset.Demo.Users = 500
	want.Dataset.Demo.Interactions = 15000 // 30 per user, the default density
	want.Dataset.Demo.Effects = EffectsSpec{}
	want.Split.Kind, want.Split.Cutoff = "temporal-cutoff", 1748736000 // date -u -d 2025-06-01 +%s
	want.Systems = []SystemSpec{
		{Algo: "ease"},
		{Name: "knn", Algo: "itemknn", Params: []SpecParam{{"neighbors", int64(20)}, {"shrink", 1.5}, {"use-values", true}}},
		{Name: "ext", Algo: "exec", Params: []SpecParam{{"command", "prog --train {train} --out {out}"}, {"timeout", "5m"}}},
		{Algo: "exec", Params: []SpecParam{{"command", []string{"prog", "{train}"}}}},
	}
	k := 15
	want.K, want.Cutoffs = &k, []int{15}
	want.Metrics.Measures, want.Metrics.GroupMeasures = []string{"ndcg"}, []string{"ndcg"}
	want.Groups.Sensitive = []string{"age"}
	want.Groups.Bins = []BinSpec{{Column: "age", Edges: []float64{18, 35, math.Inf(1)}}, {Column: "score", Quantiles: 4}}
	want.Groups.Intersections = [][]string{{"age", "gender"}}
	want.Seed = 9
	want.File = "s.yaml"
	if d := cmp.Diff(want, s, cmpopts.IgnoreUnexported(Spec{})); d != "" {
		t.Errorf("spec (-want +got):\n%s", d)
	}
	// Positions: the second system's neighbors parameter is on line 11,
	// column 25; the exec command on line 13, column 11.
	if p := s.at("systems[1].params.neighbors"); p != (Pos{Line: 11, Column: 25}) {
		t.Errorf("position of systems[1].params.neighbors: %+v", p)
	}
	if p := s.at("systems[2].params.command"); p != (Pos{Line: 13, Column: 11}) {
		t.Errorf("position of the exec command: %+v", p)
	}
}

// TestExampleSpec checks that examples/audit.yaml parses, passes Check,
// and describes the demo audit: the defaults, with the groups and systems
// written out.
func TestExampleSpec(t *testing.T) {
	s, err := ReadSpec(filepath.Join("..", "examples", "audit.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Check(nil); err != nil {
		t.Fatal(err)
	}
	want := DefaultSpec()
	want.File, want.BaseDir = s.File, s.BaseDir
	want.Systems = []SystemSpec{{Algo: "random"}, {Algo: "popular"},
		{Algo: "itemknn", Params: []SpecParam{{"neighbors", int64(50)}}}, {Algo: "userknn"},
		{Algo: "ease", Params: []SpecParam{{"lambda", int64(500)}}},
		{Algo: "als", Params: []SpecParam{{"factors", int64(64)}, {"iterations", int64(15)}}}}
	want.Groups = GroupsSpec{Sensitive: []string{"gender", "age_band"}, Intersections: [][]string{},
		ItemGroups: []string{"provider", "provider_type", "category"}, Flags: []string{"high_cost_credit"},
		Category: "category", MinGroupSize: 10}
	want.Metrics.Conventions.RelevanceThreshold = 1
	if d := cmp.Diff(want, s, cmpopts.IgnoreUnexported(Spec{})); d != "" {
		t.Errorf("examples/audit.yaml differs from the demo audit (-want +got):\n%s", d)
	}
}

// TestSpecPaths checks that relative paths of a spec file are relative to
// its directory.
func TestSpecPaths(t *testing.T) {
	dir := t.TempDir()
	sub := filepath.Join(dir, "specs")
	if err := os.Mkdir(sub, 0o777); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "recs.csv"), []byte("user_id,item_id,rank\n"), 0o666); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(sub, "a.yaml")
	if err := os.WriteFile(path, []byte("version: 1\nsystems:\n  - file: ../recs.csv\n"), 0o666); err != nil {
		t.Fatal(err)
	}
	s, err := ReadSpec(path)
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Check(nil); err != nil {
		t.Errorf("../recs.csv relative to the spec's directory: %v", err)
	}
	if _, err := ReadSpec(filepath.Join(dir, "none.yaml")); !errors.Is(err, ErrSpec) || !errors.Is(err, os.ErrNotExist) {
		t.Errorf("missing spec file: %v", err)
	}
}

// TestClosest checks the typo suggestions.
func TestClosest(t *testing.T) {
	valid := []string{"version", "dataset", "split", "systems", "seed"}
	for _, tc := range []struct{ in, want string }{
		{"sytems", "systems"}, {"Seed", "seed"}, {"splt", "split"}, {"datset", "dataset"}, {"x", ""}, {"completely", ""},
	} {
		if got := closest(tc.in, valid); got != tc.want {
			t.Errorf("closest(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
	// Hand-computed Levenshtein distances.
	for _, tc := range []struct {
		a, b string
		d    int
	}{{"kitten", "sitting", 3}, {"", "abc", 3}, {"flaw", "lawn", 2}, {"same", "same", 0}} {
		if got := editDistance(tc.a, tc.b); got != tc.d {
			t.Errorf("editDistance(%q, %q) = %d, want %d", tc.a, tc.b, got, tc.d)
		}
	}
}

// TestSpecLoadErrors checks that a dataset that fails to load is reported
// at the spec's dataset field, keeping the loader's error.
func TestSpecLoadErrors(t *testing.T) {
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "interactions.csv"), []byte("user_id,item_id\n1,a\n1,a\n"), 0o666); err != nil {
		t.Fatal(err)
	}
	s, err := ParseSpec("a.yaml", []byte("version: 1\ndataset:\n  interactions: "+filepath.Join(dir, "interactions.csv")+"\n"))
	if err != nil {
		t.Fatal(err)
	}
	_, err = Run(context.Background(), s, RunOptions{})
	var se *SpecError
	if !errors.As(err, &se) || se.Field != "dataset.interactions" || se.Line != 3 || !errors.Is(err, datasets.ErrDuplicate) {
		t.Errorf("got %v, want an error at dataset.interactions, line 3, wrapping datasets.ErrDuplicate", err)
	}
}

// TestSpecJSON checks that a spec survives the JSON of results.json:
// infinite bin edges, whole numbers beyond 2^53, lists and durations.
func TestSpecJSON(t *testing.T) {
	s := DefaultSpec()
	s.Groups.Bins = []BinSpec{{Column: "age", Edges: []float64{math.Inf(-1), 18.5, math.Inf(1)}}, {Column: "income", Quantiles: 4}}
	s.Systems = []SystemSpec{{Name: "r", Algo: "random", Params: []SpecParam{{"seed", int64(math.MaxInt64)}}},
		{Name: "x", Algo: "exec", Params: []SpecParam{{"command", []string{"prog", "{out}"}}, {"timeout", "1m0s"}, {"exclude-train", true}, {"lambda", 0.25}}}}
	b, err := json.Marshal(s)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(b), `"edges":["-Inf",18.5,"+Inf"]`) || !strings.Contains(string(b), `"value":9223372036854775807`) {
		t.Errorf("JSON %s", b)
	}
	var back Spec
	if err := json.Unmarshal(b, &back); err != nil {
		t.Fatal(err)
	}
	if d := cmp.Diff(s, &back, cmpopts.IgnoreUnexported(Spec{})); d != "" {
		t.Errorf("round trip (-want +got):\n%s", d)
	}
	if err := json.Unmarshal([]byte(`{"column":"a","edges":["inf"],"quantiles":0}`), new(BinSpec)); err == nil {
		t.Error("edge \"inf\" accepted")
	}
}

// TestSpecJSONAsYAML checks that the JSON of a spec, as results.json
// records it and the report tells its readers to run, parses as a spec
// file: roles, bins and params in their list forms, infinite edges as
// strings, a null demo beside files.
func TestSpecJSONAsYAML(t *testing.T) {
	s := DefaultSpec()
	s.Dataset = DatasetSpec{Name: "shop", Dir: "data", Roles: []RoleSpec{{"income", "sensitive"}, {"note", "ignore"}}, Duplicates: "sum"}
	s.Groups.Bins = []BinSpec{{Column: "income", Edges: []float64{math.Inf(-1), 18.5, math.Inf(1)}}, {Column: "age", Quantiles: 4}}
	s.Systems = []SystemSpec{{Name: "r", Algo: "random", Params: []SpecParam{{"seed", int64(math.MaxInt64)}}},
		{Name: "x", Algo: "exec", Params: []SpecParam{{"command", []string{"prog", "{out}"}}, {"timeout", "1m0s"}, {"exclude-train", true}, {"lambda", 0.25}}},
		{File: "recs.csv", Params: []SpecParam{}}}
	b, err := json.MarshalIndent(s, "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(b), `"demo": null`) {
		t.Fatalf("JSON has no null demo:\n%s", b)
	}
	got, err := ParseSpec("spec.yaml", b)
	if err != nil {
		t.Fatal(err)
	}
	s.File = "spec.yaml"
	s.Systems[2].Params = nil // an empty list of parameters is none
	if d := cmp.Diff(s, got, cmpopts.IgnoreUnexported(Spec{}), cmpopts.EquateEmpty()); d != "" {
		t.Errorf("spec from its JSON (-want +got):\n%s", d)
	}
	// Errors in the list forms still name the field and line.
	for _, tc := range []struct {
		yaml, field string
		line        int
		msg         string
	}{
		{"version: 1\nsystems:\n  - algo: ease\n    params: [{name: lambda}]\n", "systems[0].params[0]", 4, "a parameter needs a name and a value"},
		{"version: 1\nsystems:\n  - algo: ease\n    params: [{name: lambda, value: 1}, {name: lambda, value: 2}]\n", "systems[0].params.lambda", 4, `parameter "lambda" is given twice`},
		{"version: 1\ngroups:\n  bins: [{edges: [1, 2]}]\n", "groups.bins[0]", 3, "a binning needs its column"},
		{"version: 1\ngroups:\n  bins: [{column: a, edges: [1, \"inf\"]}]\n", "groups.bins[0].edges[1]", 3, `want a number, got "inf"`},
		{"version: 1\ndataset:\n  roles: [{column: a, rol: sensitive}]\n", "dataset.roles[0].rol", 3, `did you mean "role"?`},
	} {
		_, err := ParseSpec("spec.yaml", []byte(tc.yaml))
		var se *SpecError
		if !errors.As(err, &se) || se.Field != tc.field || se.Line != tc.line || !strings.Contains(err.Error(), tc.msg) {
			t.Errorf("%q: got %v, want field %q on line %d containing %q", tc.yaml, err, tc.field, tc.line, tc.msg)
		}
	}
}
