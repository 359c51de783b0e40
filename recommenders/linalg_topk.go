package recommenders

import (
	"context"
	"fmt"
	"math"
	"runtime"
	"slices"
	"sync"
	"sync/atomic"

	"github.com/recaudit/recaudit/datasets"
)

// Shared plumbing of the learned models (EASE, ALS, BPR): a deterministic
// parallel task runner, top-k selection and the Recommend driver.

const (
	mfErrBadK      = "recommenders: k < 0"
	mfErrUserRange = "recommenders: user index out of range"
	mfErrItemRange = "recommenders: item index out of range"
	mfErrNotFitted = "recommenders: Score called before Fit"
)

// mfWorkers returns the number of goroutines mfParallel uses for ntasks.
func mfWorkers(ntasks int) int {
	return max(1, min(runtime.GOMAXPROCS(0), ntasks))
}

// mfParallel runs fn(w, task) for every task in [0, ntasks) on
// mfWorkers(ntasks) goroutines, w being the goroutine's index (for
// per-worker buffers). Tasks are handed out in order; which goroutine runs
// a task must not change its result. It stops handing out tasks once ctx
// is done and then returns ctx.Err(); it returns nil when every task ran.
func mfParallel(ctx context.Context, ntasks int, fn func(w, task int)) error {
	workers := mfWorkers(ntasks)
	var next, done atomic.Int64
	work := func(w int) {
		for ctx.Err() == nil {
			t := int(next.Add(1) - 1)
			if t >= ntasks {
				return
			}
			fn(w, t)
			done.Add(1)
		}
	}
	if workers == 1 {
		work(0)
	} else {
		var wg sync.WaitGroup
		for w := range workers {
			wg.Go(func() { work(w) })
		}
		wg.Wait()
	}
	if int(done.Load()) < ntasks {
		return ctx.Err()
	}
	return nil
}

// mfCand is a candidate item and its score.
type mfCand struct {
	score float64
	item  int32
}

// mfKey maps NaN to -Inf so that NaN scores rank last.
func mfKey(s float64) float64 {
	if s != s {
		return math.Inf(-1)
	}
	return s
}

// mfWorse reports whether a ranks below b: a lower score, or an equal score
// and a larger item index.
func mfWorse(a, b mfCand) bool {
	ka, kb := mfKey(a.score), mfKey(b.score)
	if ka != kb {
		return ka < kb
	}
	return a.item > b.item
}

// mfTopK returns the k best items of scores (item i scored scores[i]),
// skipping the items in seen (sorted ascending; nil skips none), best
// first, ties broken by item index ascending. heap is reused storage.
func mfTopK(scores []float64, seen []int32, k int, heap []mfCand) []mfCand {
	h := heap[:0]
	if k == 0 {
		return h
	}
	s := 0
	for i, v := range scores {
		if s < len(seen) && int(seen[s]) == i {
			s++
			continue
		}
		c := mfCand{v, int32(i)}
		if len(h) < k {
			h = append(h, c)
			// Sift up: the root is the worst candidate.
			j := len(h) - 1
			for j > 0 {
				p := (j - 1) / 2
				if !mfWorse(h[j], h[p]) {
					break
				}
				h[j], h[p] = h[p], h[j]
				j = p
			}
			continue
		}
		if !mfWorse(h[0], c) {
			continue
		}
		h[0] = c
		j := 0
		for {
			l := 2*j + 1
			if l >= len(h) {
				break
			}
			if r := l + 1; r < len(h) && mfWorse(h[r], h[l]) {
				l = r
			}
			if !mfWorse(h[l], h[j]) {
				break
			}
			h[j], h[l] = h[l], h[j]
			j = l
		}
	}
	slices.SortFunc(h, func(a, b mfCand) int {
		switch {
		case mfWorse(b, a):
			return -1
		case mfWorse(a, b):
			return 1
		}
		return 0
	})
	return h
}

// mfRecommend is the Recommend driver shared by the learned models. It
// checks k and users, lays out the Rankings (one row per training user;
// rows of users not asked for are empty), and fills the lists of blocks of
// up to perJob distinct users (ascending) in parallel. newWorker is called
// once per worker goroutine and returns its scoring function (which may
// own buffers): score(block, dst) writes the scores of every item for each
// user of block into dst (len(block) × NumCols, row-major).
func mfRecommend(ctx context.Context, train *datasets.CSR, users []int32, k int, includeSeen bool,
	perJob int, newWorker func() func(block []int32, dst []float64)) (datasets.Rankings, error) {
	if k < 0 {
		panic(mfErrBadK)
	}
	nu, ni := train.Rows, train.NumCols
	want := make([]bool, nu)
	for _, u := range users {
		if u < 0 || int(u) >= nu {
			panic(fmt.Sprintf("%s: %d not in [0, %d)", mfErrUserRange, u, nu))
		}
		want[u] = true
	}
	var uniq []int32
	out := datasets.Rankings{Offsets: make([]int64, nu+1)}
	for u := range nu {
		n := 0
		if want[u] {
			uniq = append(uniq, int32(u))
			avail := ni
			if !includeSeen {
				avail -= train.Len(u)
			}
			n = min(k, avail)
		}
		out.Offsets[u+1] = out.Offsets[u] + int64(n)
	}
	out.Items = make([]int32, out.Offsets[nu])
	out.Scores = make([]float64, out.Offsets[nu])
	if err := ctx.Err(); err != nil {
		return datasets.Rankings{}, err
	}
	if k == 0 || len(uniq) == 0 {
		return out, nil
	}
	ntasks := (len(uniq) + perJob - 1) / perJob
	type worker struct {
		score  func(block []int32, dst []float64)
		scores []float64
		heap   []mfCand
	}
	workers := make([]worker, mfWorkers(ntasks))
	err := mfParallel(ctx, ntasks, func(w, task int) {
		wk := &workers[w]
		if wk.score == nil {
			wk.score = newWorker()
			wk.scores = make([]float64, min(perJob, len(uniq))*ni)
			wk.heap = make([]mfCand, 0, min(k, ni))
		}
		block := uniq[task*perJob : min((task+1)*perJob, len(uniq))]
		sc := wk.scores[:len(block)*ni]
		wk.score(block, sc)
		for x, u := range block {
			var seen []int32
			if !includeSeen {
				seen = train.Row(int(u))
			}
			top := mfTopK(sc[x*ni:(x+1)*ni], seen, k, wk.heap)
			off := out.Offsets[u]
			for r, c := range top {
				out.Items[off+int64(r)] = c.item
				out.Scores[off+int64(r)] = c.score
			}
		}
	})
	if err != nil {
		return datasets.Rankings{}, err
	}
	return out, nil
}

// mfGrow returns dst resized to n, reallocated if too small.
func mfGrow(dst []float64, n int) []float64 {
	if cap(dst) < n {
		return make([]float64, n)
	}
	return dst[:n]
}

// mfCheckTrain checks the training view's interactions: well-formed CSR,
// finite values (and non-negative ones when nonNeg is set). algo names the
// algorithm in the error.
func mfCheckTrain(algo string, train *TrainView, nonNeg bool) error {
	if train == nil {
		return fmt.Errorf("recommenders: %s.Fit: nil training view", algo)
	}
	m := &train.Interactions
	if msg := m.Validate(); msg != "" {
		return fmt.Errorf("recommenders: %s.Fit: training interactions: %s: %w", algo, msg, datasets.ErrFormat)
	}
	for j, v := range m.Values {
		f := float64(v)
		if math.IsNaN(f) || math.IsInf(f, 0) || (nonNeg && f < 0) {
			want := "finite"
			if nonNeg {
				want = "finite and >= 0"
			}
			return fmt.Errorf("recommenders: %s.Fit: training interaction %d has value %v, want %s: %w", algo, j, v, want, datasets.ErrValue)
		}
	}
	return nil
}

// mfCheckItems panics unless every item is in [0, n).
func mfCheckItems(items []int32, n int) {
	for _, i := range items {
		if i < 0 || int(i) >= n {
			panic(fmt.Sprintf("%s: %d not in [0, %d)", mfErrItemRange, i, n))
		}
	}
}
