package rectest

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"

	"github.com/recaudit/recaudit/datasets"
	"github.com/recaudit/recaudit/recommenders"
)

// recorder is a tester that records failures instead of failing.
type recorder struct {
	name string
	msgs *[]string
}

type fatal struct{}

func (r recorder) Helper() {}
func (r recorder) Errorf(format string, args ...any) {
	*r.msgs = append(*r.msgs, r.name+": "+fmt.Sprintf(format, args...))
}
func (r recorder) Fatalf(format string, args ...any) {
	r.Errorf(format, args...)
	panic(fatal{})
}
func (r recorder) Run(name string, f func(t tester)) {
	defer func() {
		if p := recover(); p != nil {
			if _, ok := p.(fatal); !ok {
				panic(p)
			}
		}
	}()
	f(recorder{name: r.name + "/" + name, msgs: r.msgs})
}

// broken wraps Popular and breaks one rule of the contract.
type broken struct {
	recommenders.Popular
	mutate    func(r *datasets.Rankings, users []int32, k int)
	ignoreCtx bool
	errNegK   bool
}

func (b *broken) Fit(ctx context.Context, v *recommenders.TrainView) error {
	if b.ignoreCtx {
		ctx = context.Background()
	}
	return b.Popular.Fit(ctx, v)
}

func (b *broken) Recommend(ctx context.Context, users []int32, k int) (datasets.Rankings, error) {
	if b.errNegK && k < 0 {
		return datasets.Rankings{}, errors.New("negative k")
	}
	if b.ignoreCtx {
		ctx = context.Background()
	}
	r, err := b.Popular.Recommend(ctx, users, k)
	if err == nil && b.mutate != nil {
		b.mutate(&r, users, k)
	}
	return r, err
}

// rebuild applies f to every list and rebuilds the rankings.
func rebuild(r *datasets.Rankings, f func(u int, list []int32) []int32) {
	out := datasets.Rankings{Offsets: make([]int64, r.Users()+1)}
	for u := 0; u < r.Users(); u++ {
		l := f(u, slices.Clone(r.List(u)))
		out.Items = append(out.Items, l...)
		out.Offsets[u+1] = int64(len(out.Items))
	}
	*r = out
}

func TestRunCatchesBrokenRecommenders(t *testing.T) {
	cases := []struct {
		name string
		new  func() recommenders.Recommender
		want string // a substring of some failure
	}{
		{"duplicate item", func() recommenders.Recommender {
			return &broken{mutate: func(r *datasets.Rankings, _ []int32, _ int) {
				rebuild(r, func(_ int, l []int32) []int32 {
					if len(l) >= 2 {
						l[1] = l[0]
					}
					return l
				})
			}}
		}, "appears twice"},
		{"training items", func() recommenders.Recommender {
			return &broken{Popular: recommenders.Popular{IncludeTraining: true}}
		}, "is a training item"},
		{"too long", func() recommenders.Recommender {
			return &broken{mutate: func(r *datasets.Rankings, users []int32, k int) {
				asked := make(map[int]bool)
				for _, u := range users {
					asked[int(u)] = true
				}
				rebuild(r, func(u int, l []int32) []int32 {
					if asked[u] && len(l) == k && k > 0 {
						return append(l[:k-1], l[k-1], l[k-1]+100) // also out of range
					}
					return l
				})
			}}
		}, "more than k"},
		{"unasked users", func() recommenders.Recommender {
			return &broken{mutate: func(r *datasets.Rankings, _ []int32, _ int) {
				rebuild(r, func(u int, l []int32) []int32 {
					if len(l) == 0 {
						return []int32{int32(u % 2)}
					}
					return l
				})
			}}
		}, "was not asked for"},
		{"not deterministic", func() recommenders.Recommender { return &recommenders.Random{} }, "not deterministic"},
		{"ignores context", func() recommenders.Recommender { return &broken{ignoreCtx: true} }, "want context.Canceled"},
		{"error on negative k", func() recommenders.Recommender { return &broken{errNegK: true} }, "did not panic"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			var msgs []string
			run(recorder{name: "suite", msgs: &msgs}, c.new)
			found := slices.ContainsFunc(msgs, func(m string) bool { return strings.Contains(m, c.want) })
			if !found {
				t.Errorf("the suite did not report %q; it reported %d failures:\n%s", c.want, len(msgs), strings.Join(msgs, "\n"))
			}
		})
	}
}

func TestRunPassesConformingRecommenders(t *testing.T) {
	for _, newRec := range []func() recommenders.Recommender{
		func() recommenders.Recommender { return &recommenders.Popular{} },
		func() recommenders.Recommender { return &recommenders.Random{Src: rand.NewPCG(3, 4)} },
	} {
		var msgs []string
		run(recorder{name: "suite", msgs: &msgs}, newRec)
		if len(msgs) > 0 {
			t.Errorf("%T: the suite reported failures:\n%s", newRec(), strings.Join(msgs, "\n"))
		}
	}
}

func TestDatasetsAreValidAndReproducible(t *testing.T) {
	a, b := Datasets(), Datasets()
	for i := range a {
		m := &a[i].Train.Interactions
		if msg := m.Validate(); msg != "" {
			t.Errorf("%s: %s", a[i].Name, msg)
		}
		if a[i].Users.Len() != m.Rows || a[i].Items.Len() != m.NumCols {
			t.Errorf("%s: %d user IDs and %d item IDs for a %d × %d matrix", a[i].Name, a[i].Users.Len(), a[i].Items.Len(), m.Rows, m.NumCols)
		}
		if !slices.Equal(m.Cols, b[i].Train.Interactions.Cols) || !slices.Equal(m.Values, b[i].Train.Interactions.Values) {
			t.Errorf("%s: differs between calls", a[i].Name)
		}
	}
}

func TestZipf(t *testing.T) {
	const users, items, nnz = 500, 200, 20_000
	m := Zipf(7, users, items, nnz, 1)
	if msg := m.Validate(); msg != "" {
		t.Fatal(msg)
	}
	if m.Rows != users || m.NumCols != items || m.NNZ() != nnz {
		t.Fatalf("got %d × %d with %d entries, want %d × %d with %d", m.Rows, m.NumCols, m.NNZ(), users, items, nnz)
	}
	count := make([]int, items)
	for _, c := range m.Cols {
		count[c]++
	}
	slices.Sort(count)
	// Zipf popularity: the most popular item has far more users than the
	// median one (with α = 1 the ratio of weights is 100:1 before
	// saturation at 500 users).
	if top, med := count[items-1], count[items/2]; top < 5*med {
		t.Errorf("most popular item has %d users, median %d: not skewed", top, med)
	}
	again := Zipf(7, users, items, nnz, 1)
	if !slices.Equal(m.Cols, again.Cols) || !slices.Equal(m.Offsets, again.Offsets) {
		t.Error("Zipf differs between calls with the same seed")
	}
}
