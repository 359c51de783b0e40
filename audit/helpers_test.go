package audit

import (
	"context"
	"strings"
	"testing"

	"github.com/recaudit/recaudit/datasets"
	"github.com/recaudit/recaudit/datasets/demo"
	"github.com/recaudit/recaudit/recommenders"
	"github.com/recaudit/recaudit/recommenders/all"
)

// world is a generated demo dataset with its split.
type world struct {
	d           *datasets.Dataset
	train, test datasets.CSR
	split       datasets.Split
	stats       datasets.SplitStats
}

// newWorld generates a demo shop and splits it 80/20 per user.
func newWorld(t testing.TB, cfg demo.Config) *world {
	t.Helper()
	d, err := demo.Generate(context.Background(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	w := &world{d: d, split: datasets.Split{Kind: datasets.SplitRandom, Fraction: 0.2, Seed: cfg.Seed}}
	w.train, w.test, w.stats, err = w.split.Apply(&d.Interactions)
	if err != nil {
		t.Fatal(err)
	}
	return w
}

func (w *world) input() Input { return Input{Dataset: w.d, Train: &w.train, Test: &w.test} }

// recommend fits the registered algorithm name on the training split and
// returns the top-k lists of every test user, honouring consent.
func (w *world) recommend(t testing.TB, name string, k int, settings ...string) System {
	t.Helper()
	reg := all.Default()
	params, err := recommenders.ParseParams(settings)
	if err != nil {
		t.Fatal(err)
	}
	vals, err := reg.Resolve(name, params)
	if err != nil {
		t.Fatal(err)
	}
	rec, err := reg.New(name, params)
	if err != nil {
		t.Fatal(err)
	}
	sys := w.runSystem(t, name, rec, k)
	for _, s := range vals.Settings() {
		n, v, _ := strings.Cut(s, "=")
		sys.Params = append(sys.Params, Param{Name: n, Value: v})
	}
	return sys
}

// runSystem fits rec on the training split (a TrainView: no user
// attributes) and returns the top-k lists of every test user, honouring
// consent.
func (w *world) runSystem(t testing.TB, name string, rec recommenders.Recommender, k int) System {
	t.Helper()
	var users []int32
	for u := range w.test.Rows {
		if w.test.Len(u) > 0 {
			users = append(users, int32(u))
		}
	}
	view := &recommenders.TrainView{Interactions: w.train, ItemColumns: w.d.ItemColumns}
	lists, _, err := recommenders.Run(context.Background(), rec, view, users, w.d.Consent(), k)
	if err != nil {
		t.Fatal(err)
	}
	return System{Name: name, Rankings: lists, Params: []Param{}}
}
