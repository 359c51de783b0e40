package rectest

import (
	"context"
	"errors"
	"fmt"
	"math"
	"runtime"
	"slices"
	"sync/atomic"
	"testing"
	"time"

	"github.com/recaudit/recaudit/datasets"
	"github.com/recaudit/recaudit/recommenders"
)

// Option configures Run.
type Option func(*config)

type config struct {
	includesTraining bool
	promptly         time.Duration
}

// IncludesTraining declares that the recommender, as configured, may
// recommend items the user interacted with in training; Run then does
// not check that training items are excluded.
func IncludesTraining() Option { return func(c *config) { c.includesTraining = true } }

// Promptly sets how long a call with an already cancelled context may take
// before it counts as not honouring the cancellation (default 2s).
func Promptly(d time.Duration) Option { return func(c *config) { c.promptly = d } }

// Run checks that the recommenders newRec makes conform to the
// [recommenders.Recommender] contract. newRec must return a new, unfitted
// instance each time, configured identically (same seed). Run calls
// SetIDs before every Fit when the recommender implements
// [recommenders.IDSetter].
//
// Run changes GOMAXPROCS while it runs (restoring it afterwards), so the
// test calling it must not run in parallel with others.
func Run(t *testing.T, newRec func() recommenders.Recommender, opts ...Option) {
	t.Helper()
	run(stdT{t}, newRec, opts...)
}

// tester is what the suite needs from *testing.T; the suite's own tests
// substitute a recorder to check that it catches broken recommenders.
type tester interface {
	Helper()
	Errorf(format string, args ...any)
	Fatalf(format string, args ...any)
	Run(name string, f func(t tester))
}

type stdT struct{ *testing.T }

func (s stdT) Run(name string, f func(t tester)) {
	s.T.Run(name, func(t *testing.T) { f(stdT{t}) })
}

func run(t tester, newRec func() recommenders.Recommender, opts ...Option) {
	t.Helper()
	cfg := config{promptly: 2 * time.Second}
	for _, o := range opts {
		o(&cfg)
	}
	data := Datasets()
	t.Run("Determinism", func(t tester) {
		for _, d := range data[:2] {
			want := fitRecommend(t, newRec(), d, allUsers(d), 10)
			again := fitRecommend(t, newRec(), d, allUsers(d), 10)
			if !equalRankings(t, want, again, d.Name+": two instances with the same configuration") {
				continue
			}
			for _, procs := range []int{1, 2, 3} {
				prev := runtime.GOMAXPROCS(procs)
				got := fitRecommend(t, newRec(), d, allUsers(d), 10)
				runtime.GOMAXPROCS(prev)
				equalRankings(t, want, got, fmt.Sprintf("%s: GOMAXPROCS=%d", d.Name, procs))
			}
		}
	})
	t.Run("Refit", func(t tester) {
		d, other := data[1], data[0]
		want := fitRecommend(t, newRec(), d, allUsers(d), 10)
		r := newRec()
		fitRecommend(t, r, other, allUsers(other), 10)
		got := fitRecommend(t, r, d, allUsers(d), 10)
		equalRankings(t, want, got, d.Name+": refitted after another dataset")
		got, err := r.Recommend(context.Background(), allUsers(d), 10)
		if err != nil {
			t.Fatalf("%s: Recommend again: %v", d.Name, err)
		}
		equalRankings(t, want, got, d.Name+": Recommend called twice")
	})
	t.Run("Subset", func(t tester) {
		d := data[1]
		r := newRec()
		all := fitRecommend(t, r, d, allUsers(d), 10)
		subset := []int32{int32(d.Train.Interactions.Rows - 1), 3, 0, 3, 7}
		got, err := r.Recommend(context.Background(), subset, 10)
		if err != nil {
			t.Fatalf("%s: Recommend(%v): %v", d.Name, subset, err)
		}
		checkLists(t, &cfg, d, subset, 10, got)
		for _, u := range subset {
			if !slices.Equal(got.List(int(u)), all.List(int(u))) {
				t.Errorf("%s: user %d: list %v when asked with others, %v when asked for a subset", d.Name, u, all.List(int(u)), got.List(int(u)))
			}
		}
	})
	t.Run("Lists", func(t tester) {
		for _, d := range data[:2] {
			for _, k := range []int{1, 3, 10} {
				users := allUsers(d)
				got := fitRecommend(t, newRec(), d, users, k)
				checkLists(t, &cfg, d, users, k, got)
			}
		}
	})
	t.Run("KBounds", func(t tester) {
		d := data[0]
		r := newRec()
		big := d.Train.Interactions.NumCols + 5
		got := fitRecommend(t, r, d, allUsers(d), big)
		checkLists(t, &cfg, d, allUsers(d), big, got)
		got, err := r.Recommend(context.Background(), allUsers(d), 0)
		if err != nil {
			t.Fatalf("k = 0: %v", err)
		}
		checkLists(t, &cfg, d, allUsers(d), 0, got)
		if len(got.Items) != 0 {
			t.Errorf("k = 0: %d items recommended, want none", len(got.Items))
		}
		if !panics(func() { _, _ = r.Recommend(context.Background(), allUsers(d), -1) }) {
			t.Errorf("k = -1: Recommend did not panic (negative k is a programmer error)")
		}
	})
	t.Run("Cancel", func(t tester) {
		d := data[2]
		ctx, cancel := context.WithCancel(context.Background())
		cancel()
		r := newRec()
		setIDs(r, d)
		start := time.Now()
		err := r.Fit(ctx, &d.Train)
		if !errors.Is(err, context.Canceled) {
			t.Errorf("Fit with a cancelled context returned %v, want context.Canceled", err)
		}
		if el := time.Since(start); el > cfg.promptly {
			t.Errorf("Fit with a cancelled context took %v", el)
		}
		if err := r.Fit(context.Background(), &d.Train); err != nil {
			t.Fatalf("Fit: %v", err)
		}
		start = time.Now()
		_, err = r.Recommend(ctx, allUsers(d), 10)
		if !errors.Is(err, context.Canceled) {
			t.Errorf("Recommend with a cancelled context returned %v, want context.Canceled", err)
		}
		if el := time.Since(start); el > cfg.promptly {
			t.Errorf("Recommend with a cancelled context took %v", el)
		}
		dctx, dcancel := context.WithDeadline(context.Background(), time.Now().Add(-time.Second))
		defer dcancel()
		if _, err := r.Recommend(dctx, allUsers(d), 10); !errors.Is(err, context.DeadlineExceeded) {
			t.Errorf("Recommend past its deadline returned %v, want context.DeadlineExceeded", err)
		}
	})
	t.Run("CancelDuring", func(t tester) {
		// The context reports cancellation from its second check on: an
		// implementation that sees it must not swallow it.
		d := data[2]
		r := newRec()
		setIDs(r, d)
		ctx := newTripping(1)
		err := r.Fit(ctx, &d.Train)
		if ctx.tripped() && !errors.Is(err, context.Canceled) {
			t.Errorf("Fit saw the context cancelled but returned %v", err)
		}
		if err := r.Fit(context.Background(), &d.Train); err != nil {
			t.Fatalf("Fit: %v", err)
		}
		ctx = newTripping(1)
		_, err = r.Recommend(ctx, allUsers(d), 10)
		if ctx.tripped() && !errors.Is(err, context.Canceled) {
			t.Errorf("Recommend saw the context cancelled but returned %v", err)
		}
	})
}

// tripping is a context whose Err reports cancellation (and whose Done
// closes) from its (after+1)-th call to Err on.
type tripping struct {
	context.Context
	cancel context.CancelFunc
	calls  atomic.Int64
	after  int64
}

func newTripping(after int64) *tripping {
	ctx, cancel := context.WithCancel(context.Background())
	return &tripping{Context: ctx, cancel: cancel, after: after}
}

func (c *tripping) Err() error {
	if c.calls.Add(1) > c.after {
		c.cancel()
	}
	return c.Context.Err()
}

func (c *tripping) tripped() bool { return c.Context.Err() != nil }

func panics(f func()) (p bool) {
	defer func() {
		if recover() != nil {
			p = true
		}
	}()
	f()
	return false
}

func allUsers(d Dataset) []int32 {
	u := make([]int32, d.Train.Interactions.Rows)
	for i := range u {
		u[i] = int32(i)
	}
	return u
}

func setIDs(r recommenders.Recommender, d Dataset) {
	if s, ok := r.(recommenders.IDSetter); ok {
		s.SetIDs(d.Users, d.Items)
	}
}

func fitRecommend(t tester, r recommenders.Recommender, d Dataset, users []int32, k int) datasets.Rankings {
	t.Helper()
	setIDs(r, d)
	ctx := context.Background()
	if err := r.Fit(ctx, &d.Train); err != nil {
		t.Fatalf("%s: Fit: %v", d.Name, err)
	}
	got, err := r.Recommend(ctx, users, k)
	if err != nil {
		t.Fatalf("%s: Recommend(k=%d): %v", d.Name, k, err)
	}
	return got
}

func equalRankings(t tester, want, got datasets.Rankings, what string) bool {
	t.Helper()
	if !slices.Equal(want.Offsets, got.Offsets) || !slices.Equal(want.Items, got.Items) {
		for u := 0; u < min(want.Users(), got.Users()); u++ {
			if !slices.Equal(want.List(u), got.List(u)) {
				t.Errorf("%s: not deterministic: user %d got %v, then %v", what, u, want.List(u), got.List(u))
				return false
			}
		}
		t.Errorf("%s: not deterministic: %d lists, then %d", what, want.Users(), got.Users())
		return false
	}
	if !slices.EqualFunc(want.Scores, got.Scores, func(a, b float64) bool { return a == b || (math.IsNaN(a) && math.IsNaN(b)) }) {
		t.Errorf("%s: the same lists with different scores", what)
		return false
	}
	return true
}

// checkLists checks the shape and content of the lists of users for k.
func checkLists(t tester, cfg *config, d Dataset, users []int32, k int, r datasets.Rankings) {
	t.Helper()
	m := &d.Train.Interactions
	errs := 0
	fail := func(format string, args ...any) {
		t.Helper()
		if errs++; errs <= 10 {
			t.Errorf("%s, k=%d: "+format, append([]any{d.Name, k}, args...)...)
		}
	}
	if len(r.Offsets) != m.Rows+1 || r.Offsets[0] != 0 || r.Offsets[m.Rows] != int64(len(r.Items)) {
		fail("Offsets has %d entries for %d users and %d items, want one per user plus one, from 0 to the number of items", len(r.Offsets), m.Rows, len(r.Items))
		return
	}
	if r.Scores != nil && len(r.Scores) != len(r.Items) {
		fail("%d scores for %d items", len(r.Scores), len(r.Items))
		return
	}
	asked := make([]bool, m.Rows)
	for _, u := range users {
		asked[u] = true
	}
	seen := make([]int, m.NumCols)
	for u := 0; u < m.Rows; u++ {
		if r.Offsets[u+1] < r.Offsets[u] {
			fail("Offsets decrease at user %d", u)
			return
		}
		list := r.List(u)
		if !asked[u] {
			if len(list) > 0 {
				fail("user %d was not asked for but has a list", u)
			}
			continue
		}
		if len(list) > k {
			fail("user %d: %d items, more than k", u, len(list))
		}
		train := m.Row(u)
		if avail := m.NumCols - len(train); !cfg.includesTraining && len(list) > avail {
			fail("user %d: %d items, but only %d are not training items", u, len(list), avail)
		}
		for pos, i := range list {
			if i < 0 || int(i) >= m.NumCols {
				fail("user %d: item %d at position %d is out of range [0, %d)", u, i, pos, m.NumCols)
				continue
			}
			if seen[i] == u+1 {
				fail("user %d: item %d appears twice", u, i)
			}
			seen[i] = u + 1
			if _, found := slices.BinarySearch(train, i); found && !cfg.includesTraining {
				fail("user %d: item %d is a training item of the user", u, i)
			}
		}
		if s := r.ListScores(u); s != nil {
			for pos, v := range s {
				if math.IsNaN(v) || math.IsInf(v, 0) {
					fail("user %d: score %v at position %d", u, v, pos)
				}
				if pos > 0 && v > s[pos-1] {
					fail("user %d: scores increase at position %d (%v after %v): lists are best first", u, pos, v, s[pos-1])
				}
			}
		}
	}
}
