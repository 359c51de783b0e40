package recommenders_test

import (
	"errors"
	"math"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/recaudit/recaudit/recommenders"
)

func testRegistry() *recommenders.Registry {
	r := recommenders.NewRegistry()
	r.Register("popular", recommenders.PopularFactory())
	r.Register("itemknn", recommenders.ItemKNNFactory())
	r.Register("toy", recommenders.Factory{
		Doc: "a toy with every kind of parameter",
		Params: []recommenders.Param{
			recommenders.IntParam("n", 3, "a count").AtLeast(1).AtMost(10),
			recommenders.FloatParam("rate", 0.5, "a rate").Above(0).AtMost(1),
			recommenders.BoolParam("flag", false, "a flag"),
			recommenders.StringParam("mode", "fast", "a mode").OneOf("fast", "exact"),
			recommenders.StringsParam("cmd", []string{"echo", "hi there"}, "a command"),
			recommenders.DurationParam("timeout", time.Minute, "a timeout").AtLeast(0),
			recommenders.StringParam("path", "", "a path").Required(),
		},
		New: func(v recommenders.Values) (recommenders.Recommender, error) { return &recommenders.Popular{}, nil },
	})
	return r
}

func TestRegistryNames(t *testing.T) {
	r := testRegistry()
	if d := cmp.Diff([]string{"itemknn", "popular", "toy"}, r.Names()); d != "" {
		t.Errorf("(-want +got)\n%s", d)
	}
}

func TestRegistryNewUnknown(t *testing.T) {
	_, err := testRegistry().New("itemnn", nil)
	if !errors.Is(err, recommenders.ErrUnknownAlgorithm) {
		t.Fatalf("got %v, want ErrUnknownAlgorithm", err)
	}
	const want = `recommenders: unknown algorithm "itemnn" (registered: itemknn, popular, toy)`
	if err.Error() != want {
		t.Errorf("message\n%s\nwant\n%s", err, want)
	}
}

func TestResolve(t *testing.T) {
	r := testRegistry()
	cases := []struct {
		name    string
		params  recommenders.Params
		want    map[string]any // values checked (nil: error expected)
		wantErr string         // substring of the error
	}{
		{"defaults", recommenders.Params{"path": "x"}, map[string]any{
			"n": 3, "rate": 0.5, "flag": false, "mode": "fast", "cmd": []string{"echo", "hi there"}, "timeout": time.Minute, "path": "x"}, ""},
		{"strings from the command line", recommenders.Params{"path": "p", "n": "10", "rate": "1", "flag": "true", "mode": "exact",
			"cmd": `python3 "my rec.py" --out={out}`, "timeout": "200ms"}, map[string]any{
			"n": 10, "rate": 1.0, "flag": true, "mode": "exact", "cmd": []string{"python3", "my rec.py", "--out={out}"}, "timeout": 200 * time.Millisecond}, ""},
		{"typed values from a spec", recommenders.Params{"path": "p", "n": float64(4), "rate": 1, "cmd": []any{"a", "b"}, "timeout": 2 * time.Second},
			map[string]any{"n": 4, "rate": 1.0, "cmd": []string{"a", "b"}, "timeout": 2 * time.Second}, ""},
		{"unknown parameter", recommenders.Params{"path": "p", "neighbours": "5"}, nil,
			`recommenders: toy: parameter "neighbours": unknown parameter; its parameters are n, rate, flag, mode, cmd, timeout, path`},
		{"int out of range", recommenders.Params{"path": "p", "n": "0"}, nil, `recommenders: toy: parameter "n": 0 is out of range [1, 10]`},
		{"open bound", recommenders.Params{"path": "p", "rate": 0.0}, nil, `parameter "rate": 0 is out of range (0, 1]`},
		{"not an int", recommenders.Params{"path": "p", "n": "2.5"}, nil, `parameter "n": "2.5" is not an integer`},
		{"fractional float for int", recommenders.Params{"path": "p", "n": 2.5}, nil, `parameter "n": want an integer, got 2.5 (float64)`},
		{"NaN", recommenders.Params{"path": "p", "rate": math.NaN()}, nil, `parameter "rate": NaN is not a finite number`},
		{"choice", recommenders.Params{"path": "p", "mode": "slow"}, nil, `parameter "mode": "slow" is not allowed: want one of fast, exact`},
		{"bool", recommenders.Params{"path": "p", "flag": "yes"}, nil, `parameter "flag": "yes" is not true or false`},
		{"duration", recommenders.Params{"path": "p", "timeout": "-1s"}, nil, `parameter "timeout": -1s is out of range [0s, +inf)`},
		{"unterminated quote", recommenders.Params{"path": "p", "cmd": `sh -c "echo`}, nil, `unterminated quote`},
		{"required", nil, nil, `recommenders: toy: parameter "path": required parameter not given`},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			v, err := r.Resolve("toy", c.params)
			if c.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), c.wantErr) || !errors.Is(err, recommenders.ErrParam) {
					t.Fatalf("error %v, want one wrapping ErrParam containing %q", err, c.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			got := v.Map()
			for name, want := range c.want {
				if d := cmp.Diff(want, got[name]); d != "" {
					t.Errorf("%s (-want +got)\n%s", name, d)
				}
			}
		})
	}
}

func TestValuesGetters(t *testing.T) {
	v, err := testRegistry().Resolve("toy", recommenders.Params{"path": "p", "n": 7})
	if err != nil {
		t.Fatal(err)
	}
	if v.Int("n") != 7 || v.Float("rate") != 0.5 || v.Bool("flag") || v.Str("mode") != "fast" ||
		!slices.Equal(v.Strs("cmd"), []string{"echo", "hi there"}) || v.Duration("timeout") != time.Minute {
		t.Errorf("getters: %v", v.Map())
	}
	if !v.Given("n") || v.Given("rate") || v.Algorithm() != "toy" {
		t.Error("Given or Algorithm wrong")
	}
	want := []string{"n=7", "rate=0.5", "flag=false", "mode=fast", "cmd=echo 'hi there'", "timeout=1m0s", "path=p"}
	if d := cmp.Diff(want, v.Settings()); d != "" {
		t.Errorf("Settings (-want +got)\n%s", d)
	}
	// Settings read back give the same values.
	p, err := recommenders.ParseParams(v.Settings())
	if err != nil {
		t.Fatal(err)
	}
	back, err := testRegistry().Resolve("toy", p)
	if err != nil {
		t.Fatal(err)
	}
	if d := cmp.Diff(v.Map(), back.Map()); d != "" {
		t.Errorf("round trip (-want +got)\n%s", d)
	}
	for name, f := range map[string]func(){
		"undeclared": func() { v.Int("m") },
		"wrong kind": func() { v.Float("n") },
	} {
		if !panics(f) {
			t.Errorf("%s: no panic", name)
		}
	}
}

func TestParseParams(t *testing.T) {
	p, err := recommenders.ParseParams([]string{"neighbors=20", "cmd=a=b", "empty="})
	if err != nil {
		t.Fatal(err)
	}
	if d := cmp.Diff(recommenders.Params{"neighbors": "20", "cmd": "a=b", "empty": ""}, p); d != "" {
		t.Errorf("(-want +got)\n%s", d)
	}
	for _, bad := range [][]string{{"neighbors"}, {"=3"}, {"a=1", "a=2"}} {
		if _, err := recommenders.ParseParams(bad); !errors.Is(err, recommenders.ErrParam) {
			t.Errorf("%q: error %v, want ErrParam", bad, err)
		}
	}
}

func TestParamAllowed(t *testing.T) {
	cases := []struct {
		p    recommenders.Param
		want string
	}{
		{recommenders.IntParam("a", 1, "").AtLeast(1), "[1, +inf)"},
		{recommenders.FloatParam("a", 1, "").Above(0).AtMost(1), "(0, 1]"},
		{recommenders.FloatParam("a", 0, "").Below(1), "(-inf, 1)"},
		{recommenders.FloatParam("a", 0, ""), "any"},
		{recommenders.DurationParam("a", 0, "").AtLeast(0).AtMost(60), "[0s, 1m0s]"},
		{recommenders.StringParam("a", "x", "").OneOf("x", "y"), "one of x, y"},
	}
	for _, c := range cases {
		if got := c.p.Allowed(); got != c.want {
			t.Errorf("Allowed() = %q, want %q", got, c.want)
		}
	}
}

func TestRegisterPanics(t *testing.T) {
	ok := recommenders.PopularFactory()
	for name, f := range map[string]func(){
		"nil factory": func() { recommenders.NewRegistry().Register("x", recommenders.Factory{}) },
		"empty name":  func() { recommenders.NewRegistry().Register("", ok) },
		"duplicate": func() {
			r := recommenders.NewRegistry()
			r.Register("x", ok)
			r.Register("x", ok)
		},
		"default out of range": func() {
			f := ok
			f.Params = []recommenders.Param{recommenders.IntParam("n", 0, "").AtLeast(1)}
			recommenders.NewRegistry().Register("x", f)
		},
		"parameter twice": func() {
			f := ok
			f.Params = []recommenders.Param{recommenders.BoolParam("b", false, ""), recommenders.BoolParam("b", true, "")}
			recommenders.NewRegistry().Register("x", f)
		},
		"bounds on a bool": func() { recommenders.BoolParam("b", false, "").AtLeast(1) },
	} {
		if !panics(f) {
			t.Errorf("%s: no panic", name)
		}
	}
}
