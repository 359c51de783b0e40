package recommenders

import (
	"context"
	"runtime"
	"sync"
	"sync/atomic"

	"github.com/recaudit/recaudit/datasets"
)

// Panic messages of Recommend (programmer errors).
const (
	errNegativeK   = "recommenders: negative k"
	errUserRange   = "recommenders: user index out of range"
	errNotFitted   = "recommenders: Recommend called before Fit"
	errNegativeArg = "recommenders: negative neighbourhood size"
)

// chunk is how many indices a worker takes at a time; the context is
// checked before every chunk, so a cancellation is noticed after at most
// chunk users (or items) per worker.
const chunk = 32

// workersFor returns how many goroutines to use for n tasks: workers, or
// GOMAXPROCS when workers <= 0, and at most n (at least 1).
func workersFor(workers, n int) int {
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	return max(1, min(workers, n))
}

// parallelFor calls fn(w, i) for every i in [0, n) on workers goroutines
// (see workersFor); w in [0, workers) names the goroutine, so fn can use
// per-worker scratch. Indices are handed out in chunks of the given size
// through an atomic counter. The context is checked before every chunk;
// the first error (ctx.Err() on cancellation) stops every worker after its
// current chunk and is returned. Whatever the scheduling, each index is
// processed exactly once unless an error stops the loop.
func parallelFor(ctx context.Context, n, workers, size int, fn func(w, i int) error) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	workers = workersFor(workers, (n+size-1)/size)
	var (
		next    atomic.Int64
		stop    atomic.Bool
		errOnce sync.Once
		first   error
		wg      sync.WaitGroup
	)
	fail := func(err error) {
		errOnce.Do(func() { first = err })
		stop.Store(true)
	}
	work := func(w int) {
		defer wg.Done()
		for !stop.Load() {
			lo := int(next.Add(int64(size))) - size
			if lo >= n {
				return
			}
			if err := ctx.Err(); err != nil {
				fail(err)
				return
			}
			for i := lo; i < min(lo+size, n); i++ {
				if err := fn(w, i); err != nil {
					fail(err)
					return
				}
			}
		}
	}
	wg.Add(workers)
	for w := 1; w < workers; w++ {
		go work(w)
	}
	work(0)
	wg.Wait()
	if first == nil {
		// A cancellation after the last chunk was handed out still counts:
		// the caller asked to stop, and the result may be incomplete in a
		// caller's eyes.
		first = ctx.Err()
	}
	return first
}

// forUsers calls fn(w, u) for every user of users on up to workers
// goroutines, as parallelFor does.
func forUsers(ctx context.Context, users []int32, workers int, fn func(w int, u int32) error) error {
	return parallelFor(ctx, len(users), workers, chunk, func(w, i int) error { return fn(w, users[i]) })
}

// checkRecommend panics on a negative k or a user out of [0, nUsers), and
// returns the distinct users in their first-seen order.
func checkRecommend(users []int32, nUsers, k int) []int32 {
	if k < 0 {
		panic(errNegativeK)
	}
	seen := make([]bool, nUsers)
	out := make([]int32, 0, len(users))
	for _, u := range users {
		if u < 0 || int(u) >= nUsers {
			panic(errUserRange)
		}
		if !seen[u] {
			seen[u] = true
			out = append(out, u)
		}
	}
	return out
}

// rankBuilder collects each user's list from parallel workers and
// assembles a datasets.Rankings in user order, so that the result does
// not depend on which worker computed which list. Each worker appends to
// its own arena; each user's list is written once, to its own slot.
type rankBuilder struct {
	slots      []listSlot // by user index
	items      [][]int32  // by worker
	scores     [][]float64
	withScores bool
}

type listSlot struct {
	w   int32 // worker arena; -1 = no list
	n   int32
	off int64
}

func newRankBuilder(nUsers, workers int, withScores bool) *rankBuilder {
	b := &rankBuilder{slots: make([]listSlot, nUsers), items: make([][]int32, workers), withScores: withScores}
	for i := range b.slots {
		b.slots[i].w = -1
	}
	if withScores {
		b.scores = make([][]float64, workers)
	}
	return b
}

// put records user u's list, computed by worker w. scores is ignored when
// the builder has no scores. The slices are copied.
func (b *rankBuilder) put(w int, u int32, items []int32, scores []float64) {
	b.slots[u] = listSlot{w: int32(w), n: int32(len(items)), off: int64(len(b.items[w]))}
	b.items[w] = append(b.items[w], items...)
	if b.withScores {
		b.scores[w] = append(b.scores[w], scores[:len(items)]...)
	}
}

// build assembles the lists in user order.
func (b *rankBuilder) build() datasets.Rankings {
	r := datasets.Rankings{Offsets: make([]int64, len(b.slots)+1)}
	for u, s := range b.slots {
		r.Offsets[u+1] = r.Offsets[u] + int64(s.n)
	}
	total := r.Offsets[len(b.slots)]
	r.Items = make([]int32, total)
	if b.withScores {
		r.Scores = make([]float64, total)
	}
	for u, s := range b.slots {
		if s.n == 0 {
			continue
		}
		lo := r.Offsets[u]
		copy(r.Items[lo:lo+int64(s.n)], b.items[s.w][s.off:])
		if b.withScores {
			copy(r.Scores[lo:lo+int64(s.n)], b.scores[s.w][s.off:])
		}
	}
	return r
}
