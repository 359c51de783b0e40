package probe_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"math"
	"math/rand/v2"
	"runtime"
	"sync"
	"testing"

	"github.com/recaudit/recaudit/datasets"
	"github.com/recaudit/recaudit/datasets/demo"
	"github.com/recaudit/recaudit/fairness"
	"github.com/recaudit/recaudit/probe"
	"github.com/recaudit/recaudit/recommenders"
)

// smallDemo is the demo shop at a fifth of its users and a quarter of its
// items, so that the package's tests stay fast.
func infSmallDemo(effects demo.Effects) demo.Config {
	cfg := demo.DefaultConfig()
	cfg.Users, cfg.Items, cfg.Interactions = 2000, 500, 60_000
	cfg.Effects = effects
	return cfg
}

// demoWorld caches the generated demo worlds and their lists.
var demoWorld = struct {
	sync.Mutex
	m map[string]probe.InferenceInput
	d map[string]*datasets.Dataset
}{m: map[string]probe.InferenceInput{}, d: map[string]*datasets.Dataset{}}

// demoInput returns a small demo world (planted or null), and the top-10
// lists of item-kNN fitted on all its interactions, consent honoured.
func demoInput(t testing.TB, null bool) (*datasets.Dataset, probe.InferenceInput) {
	t.Helper()
	key := "planted"
	effects := demo.DefaultEffects()
	if null {
		key, effects = "null", demo.Effects{}
	}
	demoWorld.Lock()
	defer demoWorld.Unlock()
	if in, ok := demoWorld.m[key]; ok {
		return demoWorld.d[key], in
	}
	ctx := context.Background()
	d, err := demo.Generate(ctx, infSmallDemo(effects))
	if err != nil {
		t.Fatal(err)
	}
	in := listsInput(t, d, &recommenders.ItemKNN{}, 10)
	demoWorld.m[key], demoWorld.d[key] = in, d
	return d, in
}

// listsInput fits rec on every interaction of d and returns the probe's
// input: the top-k lists and the items' categories.
func listsInput(t testing.TB, d *datasets.Dataset, rec recommenders.Recommender, k int) probe.InferenceInput {
	t.Helper()
	users := make([]int32, d.Users.Len())
	for i := range users {
		users[i] = int32(i)
	}
	view := &recommenders.TrainView{Interactions: d.Interactions, ItemColumns: d.ItemColumns}
	lists, _, err := recommenders.Run(context.Background(), rec, view, users, d.Consent(), k)
	if err != nil {
		t.Fatal(err)
	}
	col, ok := d.ItemColumn("category")
	if !ok {
		t.Fatal("demo items have no category column")
	}
	cats := fairness.ItemCategories{Offsets: make([]int64, col.Len()+1)}
	for i := range col.Len() {
		cats.Codes = append(cats.Codes, col.RowCodes(i)...)
		cats.Offsets[i+1] = int64(len(cats.Codes))
	}
	return probe.InferenceInput{
		Lists:    fairness.Rankings{Offsets: lists.Offsets, Items: lists.Items},
		NumItems: d.Items.Len(), Categories: cats, NumCategories: len(col.Levels),
	}
}

// target returns the users column name of d as a target, unsuppressed.
func target(t testing.TB, d *datasets.Dataset, name string) probe.InferenceTarget {
	t.Helper()
	col, ok := d.UserColumn(name)
	if !ok || col.Kind != datasets.Categorical {
		t.Fatalf("no categorical users column %q", name)
	}
	return probe.InferenceTarget{Grouping: fairness.Grouping{Attribute: name, Levels: col.Levels, Codes: col.Codes}}
}

// TestInferencePlanted checks that the probe finds the planted
// gender-specific category tastes of the demo shop (Effects.CategoryTaste:
// F and M favour different categories) in item-kNN's lists, far above the
// shuffled baseline, and no leak of region, on which no effect depends.
func TestInferencePlanted(t *testing.T) {
	d, in := demoInput(t, false)
	res, err := probe.Inference{Src: rand.NewPCG(1, 1)}.Run(context.Background(), in,
		[]probe.InferenceTarget{target(t, d, "gender"), target(t, d, "region")})
	if err != nil {
		t.Fatal(err)
	}
	g, r := res.Attributes[0], res.Attributes[1]
	t.Logf("gender: AUC %.4f %v, shuffled %.4f ± %.4f [%.4f, %.4f], p %.3f",
		g.AUC.Value, g.AUC.CI, g.Shuffled.Mean, g.Shuffled.SD, g.Shuffled.Min, g.Shuffled.Max, g.Test.P)
	t.Logf("region: AUC %.4f %v, shuffled %.4f ± %.4f [%.4f, %.4f], p %.3f",
		r.AUC.Value, r.AUC.CI, r.Shuffled.Mean, r.Shuffled.SD, r.Shuffled.Min, r.Shuffled.Max, r.Test.P)
	if g.Verdict != probe.InferenceLeaks {
		t.Errorf("gender: verdict %v, want leaks", g.Verdict)
	}
	// Clearly above the baseline: the whole interval above every
	// shuffled AUC, and at least 0.08 above their mean (the planted
	// effect gives about 0.13 at this size).
	if !(g.AUC.CI[0] > g.Shuffled.Max) || !(g.Lift >= 0.08) {
		t.Errorf("gender: AUC %v %v not clearly above the shuffled range [%v, %v]", g.AUC.Value, g.AUC.CI, g.Shuffled.Min, g.Shuffled.Max)
	}
	if g.Users != 2000 || len(g.Classes) != 3 || g.Test.Resamples != probe.DefaultInferenceShuffles {
		t.Errorf("gender: %d users, classes %v, %d shuffles", g.Users, g.Classes, g.Test.Resamples)
	}
	// F and M are the classes the tastes separate; X (3% of users) has a
	// mild taste of its own.
	if !(g.ClassAUC[0] > 0.6 && g.ClassAUC[1] > 0.6) {
		t.Errorf("gender: class AUCs %v, want F and M above 0.6", g.ClassAUC)
	}
	if r.Verdict != probe.InferenceNoEvidence {
		t.Errorf("region: verdict %v, want no evidence", r.Verdict)
	}
}

// TestInferenceNull checks the null world (every planted effect 0): the
// lists carry no information on gender, so its AUC is within the noise of
// the shuffled baseline.
func TestInferenceNull(t *testing.T) {
	d, in := demoInput(t, true)
	res, err := probe.Inference{Src: rand.NewPCG(1, 1)}.Run(context.Background(), in,
		[]probe.InferenceTarget{target(t, d, "gender")})
	if err != nil {
		t.Fatal(err)
	}
	for _, a := range res.Attributes {
		t.Logf("%s: AUC %.4f %v, shuffled %.4f ± %.4f [%.4f, %.4f], p %.3f",
			a.Attribute, a.AUC.Value, a.AUC.CI, a.Shuffled.Mean, a.Shuffled.SD, a.Shuffled.Min, a.Shuffled.Max, a.Test.P)
		if a.Verdict != probe.InferenceNoEvidence {
			t.Errorf("%s: verdict %v, want no evidence", a.Attribute, a.Verdict)
		}
		// Within noise: at most three shuffled standard deviations from
		// their mean, and the interval covers 0.5.
		if math.Abs(float64(a.AUC.Value-a.Shuffled.Mean)) > 3*float64(a.Shuffled.SD) || !(a.AUC.CI[0] <= 0.5 && a.AUC.CI[1] >= 0.5) {
			t.Errorf("%s: AUC %v %v outside the noise of the shuffled baseline %v ± %v",
				a.Attribute, a.AUC.Value, a.AUC.CI, a.Shuffled.Mean, a.Shuffled.SD)
		}
	}
}

// TestInferenceDeterminism checks that a seed gives the same JSON bytes,
// whatever GOMAXPROCS is.
func TestInferenceDeterminism(t *testing.T) {
	d, in := demoInput(t, false)
	targets := []probe.InferenceTarget{target(t, d, "gender")}
	run := func(seed uint64) []byte {
		res, err := probe.Inference{Shuffles: 3, Bootstrap: 200, Src: rand.NewPCG(seed, 7)}.Run(context.Background(), in, targets)
		if err != nil {
			t.Fatal(err)
		}
		b, err := json.Marshal(res)
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	a := run(1)
	prev := runtime.GOMAXPROCS(1)
	b := run(1)
	runtime.GOMAXPROCS(max(prev, 4))
	c := run(1)
	runtime.GOMAXPROCS(prev)
	if !bytes.Equal(a, b) || !bytes.Equal(a, c) {
		t.Errorf("same seed, different JSON:\n%s\n%s\n%s", a, b, c)
	}
	if bytes.Equal(a, run(2)) {
		t.Error("different seeds gave the same JSON")
	}
}

// TestInferencePerfect checks a world in which the attribute is written in
// the lists: users of class "a" get item 0, those of "b" item 1, each with a
// random other item. The AUC is 1 and the shuffled ones are near 0.5.
func TestInferencePerfect(t *testing.T) {
	const n = 60
	rng := rand.New(rand.NewPCG(2, 2))
	lists := fairness.Rankings{Offsets: []int64{0}}
	codes := make([]int32, n)
	for u := range n {
		codes[u] = int32(u % 2)
		lists.Items = append(lists.Items, codes[u], int32(2+rng.IntN(20)))
		lists.Offsets = append(lists.Offsets, int64(len(lists.Items)))
	}
	in := probe.InferenceInput{Lists: lists, NumItems: 22}
	res, err := probe.Inference{Src: rand.NewPCG(1, 1)}.Run(context.Background(), in,
		[]probe.InferenceTarget{{Grouping: fairness.Grouping{Attribute: "ab", Levels: []string{"a", "b"}, Codes: codes}}})
	if err != nil {
		t.Fatal(err)
	}
	a := res.Attributes[0]
	// Exactly 1: every out-of-fold score of a "b" user exceeds every "a"
	// user's, as the item-0/item-1 weights dominate.
	if a.AUC.Value != 1 || a.AUC.CI != (fairness.Interval2{1, 1}) || a.Verdict != probe.InferenceLeaks {
		t.Errorf("AUC %v %v, verdict %v; want 1 [1 1], leaks", a.AUC.Value, a.AUC.CI, a.Verdict)
	}
	// p = 1/(1+19): no shuffle reaches 1.
	if a.Test.P != 0.05 || !(a.Shuffled.Max < 1) {
		t.Errorf("p = %v, shuffled max %v; want 0.05, below 1", a.Test.P, a.Shuffled.Max)
	}
}

// TestInferenceSuppression checks that small classes are not modelled and
// are listed with the caller's, and that fewer than two classes leave the
// verdict undetermined with null numbers.
func TestInferenceSuppression(t *testing.T) {
	const n = 40
	lists := fairness.Rankings{Offsets: []int64{0}}
	codes := make([]int32, n)
	for u := range n {
		switch {
		case u < 5:
			codes[u] = 2 // "c": 5 users, below the minimum of 10
		case u < 7:
			codes[u] = -1 // no value
		default:
			codes[u] = int32(u % 2)
		}
		if u != 8 { // user 8 has no list
			lists.Items = append(lists.Items, int32(u%3))
		}
		lists.Offsets = append(lists.Offsets, int64(len(lists.Items)))
	}
	in := probe.InferenceInput{Lists: lists, NumItems: 3}
	caller := probe.SuppressedGroup{Group: "d", Reason: "fewer than 10 users"}
	two := probe.InferenceTarget{Grouping: fairness.Grouping{Attribute: "abc", Levels: []string{"a", "b", "c"}, Codes: codes}, Suppressed: []probe.SuppressedGroup{caller}}
	oneCodes := make([]int32, n)
	for u := range oneCodes {
		oneCodes[u] = int32(min(u/30, 1)) // "x": 30 users, "y": 10... minus user 8's list
	}
	one := probe.InferenceTarget{Grouping: fairness.Grouping{Attribute: "xy", Levels: []string{"x", "y"}, Codes: oneCodes}}
	res, err := probe.Inference{Shuffles: 3, Src: rand.NewPCG(1, 1)}.Run(context.Background(), in, []probe.InferenceTarget{two, one})
	if err != nil {
		t.Fatal(err)
	}
	a := res.Attributes[0]
	wantSup := []probe.SuppressedGroup{{Group: "c", Reason: "fewer than 10 users with a list"}, caller}
	// Users 7..39 without user 8: 32 users in a and b.
	if a.Users != 32 || len(a.Classes) != 2 || a.Classes[0] != "a" || a.Classes[1] != "b" || len(a.Suppressed) != 2 ||
		a.Suppressed[0] != wantSup[0] || a.Suppressed[1] != wantSup[1] {
		t.Errorf("got users %d, classes %v, suppressed %v; want 32, [a b], %v", a.Users, a.Classes, a.Suppressed, wantSup)
	}
	b := res.Attributes[1]
	// "y" has users 30..39: 10 with a list, kept; then lower the minimum
	// to see it work the other way.
	if b.Verdict == probe.InferenceUndetermined {
		t.Errorf("xy: undetermined with classes %v", b.Classes)
	}
	res, err = probe.Inference{Shuffles: 3, MinGroupSize: 11, Src: rand.NewPCG(1, 1)}.Run(context.Background(), in, []probe.InferenceTarget{one})
	if err != nil {
		t.Fatal(err)
	}
	b = res.Attributes[0]
	if b.Verdict != probe.InferenceUndetermined || !b.AUC.Value.IsNaN() || len(b.Classes) != 1 {
		t.Errorf("one class: verdict %v, AUC %v, classes %v; want undetermined, NaN, [x]", b.Verdict, b.AUC.Value, b.Classes)
	}
	j, err := json.Marshal(b)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Contains(j, []byte(`"auc":{"value":null,"ci":[null,null]}`)) || !bytes.Contains(j, []byte(`"verdict":"undetermined"`)) {
		t.Errorf("JSON of an undetermined attribute: %s", j)
	}
}

func TestInferenceCancel(t *testing.T) {
	d, in := demoInput(t, false)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, err := probe.Inference{}.Run(ctx, in, []probe.InferenceTarget{target(t, d, "gender")})
	if !errors.Is(err, context.Canceled) {
		t.Errorf("err = %v, want context.Canceled", err)
	}
}

func TestInferencePanics(t *testing.T) {
	in := probe.InferenceInput{Lists: fairness.Rankings{Offsets: []int64{0, 1}, Items: []int32{0}}, NumItems: 1}
	ok := []probe.InferenceTarget{{Grouping: fairness.Grouping{Levels: []string{"a"}, Codes: []int32{0}}}}
	for _, tc := range []struct {
		name string
		c    probe.Inference
		t    []probe.InferenceTarget
	}{
		{"one fold", probe.Inference{Folds: 1}, ok},
		{"negative k", probe.Inference{K: -1}, ok},
		{"confidence", probe.Inference{Confidence: 1}, ok},
		{"alpha", probe.Inference{Alpha: -0.1}, ok},
		{"features", probe.Inference{Features: 7}, ok},
		{"weighting", probe.Inference{Weighting: 7}, ok},
		{"min group size 1", probe.Inference{MinGroupSize: 1}, ok},
		{"codes length", probe.Inference{}, []probe.InferenceTarget{{Grouping: fairness.Grouping{Levels: []string{"a"}, Codes: []int32{0, 0}}}}},
		{"code range", probe.Inference{}, []probe.InferenceTarget{{Grouping: fairness.Grouping{Levels: []string{"a"}, Codes: []int32{1}}}}},
	} {
		func() {
			defer func() {
				if recover() == nil {
					t.Errorf("%s: no panic", tc.name)
				}
			}()
			_, _ = tc.c.Run(context.Background(), in, tc.t)
		}()
	}
}
