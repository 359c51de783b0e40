package recommenders

import (
	"cmp"
	"context"
	"errors"
	"math"
	"math/rand/v2"
	"slices"
	"sync/atomic"
	"testing"

	"github.com/recaudit/recaudit/datasets"

	"github.com/google/go-cmp/cmp/cmpopts"

	gocmp "github.com/google/go-cmp/cmp"
)

// naiveTop is the reference: sort every eligible (item, score) pair by
// score descending, item ascending, and keep k.
func naiveTop(scores []float64, eligible func(i int) bool, k int, floor float64) ([]int32, []float64) {
	var items []int32
	for i, s := range scores {
		if eligible(i) && s > floor {
			items = append(items, int32(i))
		}
	}
	slices.SortFunc(items, func(a, b int32) int { return cmp.Or(cmp.Compare(scores[b], scores[a]), cmp.Compare(a, b)) })
	items = items[:min(k, len(items))]
	out := make([]float64, len(items))
	for j, i := range items {
		out[j] = scores[i]
	}
	return items, out
}

func TestTopKMatchesSorting(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 1))
	var h topK
	for trial := 0; trial < 500; trial++ {
		n := rng.IntN(60)
		scores := make([]float64, n)
		for i := range scores {
			switch rng.IntN(8) {
			case 0:
				scores[i] = math.NaN()
			case 1:
				scores[i] = math.Inf(-1)
			default:
				scores[i] = float64(rng.IntN(6)) - 1 // many ties, some <= 0
			}
		}
		var exclude []int32
		for i := 0; i < n; i++ {
			if rng.IntN(4) == 0 {
				exclude = append(exclude, int32(i))
			}
		}
		k := rng.IntN(n + 3)
		floor := []float64{math.Inf(-1), 0}[rng.IntN(2)]
		notExcluded := func(i int) bool { _, found := slices.BinarySearch(exclude, int32(i)); return !found }
		wantItems, wantScores := naiveTop(scores, notExcluded, k, floor)
		gotItems, gotScores := h.dense(scores, exclude, k, floor)
		if !slices.Equal(wantItems, gotItems) || !slices.Equal(wantScores, gotScores) {
			t.Fatalf("trial %d dense: got %v %v, want %v %v (scores %v, exclude %v, k %d)", trial, gotItems, gotScores, wantItems, wantScores, scores, exclude, k)
		}
		// sparse over a shuffled candidate subset, excluded items scored -Inf.
		cands := rng.Perm(n)[:rng.IntN(n+1)]
		inCands := make([]bool, n)
		sc := slices.Clone(scores)
		c32 := make([]int32, len(cands))
		for j, i := range cands {
			inCands[i] = true
			c32[j] = int32(i)
		}
		for _, i := range exclude {
			sc[i] = excluded
		}
		wantItems, wantScores = naiveTop(sc, func(i int) bool { return inCands[i] }, k, floor)
		gotItems, gotScores = h.sparse(sc, c32, k, floor)
		if !slices.Equal(wantItems, gotItems) || !slices.Equal(wantScores, gotScores) {
			t.Fatalf("trial %d sparse: got %v %v, want %v %v", trial, gotItems, gotScores, wantItems, wantScores)
		}
	}
}

func TestTopKTiesByItemIndex(t *testing.T) {
	// hand-computed: scores 2,5,5,1,5 -> 5s at items 1,2,4 first, in index order.
	var h topK
	items, scores := h.dense([]float64{2, 5, 5, 1, 5}, nil, 4, math.Inf(-1))
	if want := []int32{1, 2, 4, 0}; !slices.Equal(items, want) {
		t.Errorf("items %v, want %v", items, want)
	}
	if want := []float64{5, 5, 5, 2}; !slices.Equal(scores, want) {
		t.Errorf("scores %v, want %v", scores, want)
	}
}

func TestAccumulator(t *testing.T) {
	a := newAccumulator(5)
	a.reset()
	a.add(3, 1.5)
	a.add(1, 2)
	a.add(3, 0.5)
	if !slices.Equal(a.touched, []int32{3, 1}) || a.vals[3] != 2 || a.vals[1] != 2 || a.has(0) {
		t.Fatalf("after adds: touched %v vals %v", a.touched, a.vals)
	}
	a.reset()
	if a.has(3) || len(a.touched) != 0 {
		t.Fatal("reset did not clear")
	}
	a.add(3, 7)
	if a.vals[3] != 7 {
		t.Fatalf("value after reset %v, want 7 (not accumulated onto the old value)", a.vals[3])
	}
	a.cur = math.MaxInt32 - 1 // the next reset wraps the stamps
	a.reset()
	if a.has(3) {
		t.Fatal("stamp wrap left entry 3 touched")
	}
}

func TestParallelForEachIndexOnce(t *testing.T) {
	for _, workers := range []int{1, 2, 7} {
		const n = 1000
		counts := make([]atomic.Int32, n)
		err := parallelFor(context.Background(), n, workers, 13, func(w, i int) error {
			if w < 0 || w >= workers {
				t.Errorf("worker %d out of range", w)
			}
			counts[i].Add(1)
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		for i := range counts {
			if c := counts[i].Load(); c != 1 {
				t.Fatalf("workers %d: index %d processed %d times", workers, i, c)
			}
		}
	}
}

func TestParallelForErrors(t *testing.T) {
	boom := errors.New("boom")
	var done atomic.Int64
	err := parallelFor(context.Background(), 100000, 2, 8, func(w, i int) error {
		done.Add(1)
		if i == 50 {
			return boom
		}
		return nil
	})
	if !errors.Is(err, boom) {
		t.Fatalf("got %v, want boom", err)
	}
	if done.Load() > 1000 {
		t.Errorf("%d indices processed after an error at index 50", done.Load())
	}
	ctx, cancel := context.WithCancel(context.Background())
	done.Store(0)
	err = parallelFor(ctx, 100000, 2, 8, func(w, i int) error {
		if done.Add(1) == 100 {
			cancel()
		}
		return nil
	})
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("got %v, want context.Canceled", err)
	}
	if done.Load() > 1000 {
		t.Errorf("%d indices processed after cancelling at 100", done.Load())
	}
}

func TestRankBuilderUserOrder(t *testing.T) {
	b := newRankBuilder(4, 2, true)
	b.put(1, 2, []int32{7, 8}, []float64{3, 2})
	b.put(0, 0, []int32{5}, []float64{1})
	b.put(1, 3, nil, nil)
	got := b.build()
	want := struct {
		Offsets []int64
		Items   []int32
		Scores  []float64
	}{[]int64{0, 1, 1, 3, 3}, []int32{5, 7, 8}, []float64{1, 3, 2}}
	gotS := struct {
		Offsets []int64
		Items   []int32
		Scores  []float64
	}{got.Offsets, got.Items, got.Scores}
	if d := gocmp.Diff(want, gotS, cmpopts.EquateEmpty()); d != "" {
		t.Errorf("(-want +got)\n%s", d)
	}
}

func TestNthAllowed(t *testing.T) {
	exclude := []int32{0, 1, 4, 5, 9}
	var allowed []int32
	for i := int32(0); i < 12; i++ {
		if _, found := slices.BinarySearch(exclude, i); !found {
			allowed = append(allowed, i)
		}
	}
	for p, want := range allowed {
		if got := nthAllowed(p, exclude); got != want {
			t.Errorf("nthAllowed(%d) = %d, want %d", p, got, want)
		}
	}
}

func TestCheckRecommend(t *testing.T) {
	if got := checkRecommend([]int32{3, 1, 3, 0}, 4, 2); !slices.Equal(got, []int32{3, 1, 0}) {
		t.Errorf("distinct users %v", got)
	}
	for name, f := range map[string]func(){
		"negative k":   func() { checkRecommend(nil, 4, -1) },
		"user too big": func() { checkRecommend([]int32{4}, 4, 1) },
		"negative":     func() { checkRecommend([]int32{-1}, 4, 1) },
	} {
		if !panics(f) {
			t.Errorf("%s: no panic", name)
		}
	}
}

func panics(f func()) (p bool) {
	defer func() { p = recover() != nil }()
	f()
	return false
}

// TestCooccurStrategies checks the dense and sparse strategies of
// cooccur against dot products computed from dense matrices, with and
// without values, on matrices where some rows take each strategy.
func TestCooccurStrategies(t *testing.T) {
	rng := rand.New(rand.NewPCG(4, 4))
	const rows, cols = 40, 200
	for _, useValues := range []bool{false, true} {
		dense := make([][]float64, rows)
		m := datasets.CSR{Rows: rows, NumCols: cols, Offsets: make([]int64, rows+1)}
		for x := range dense {
			dense[x] = make([]float64, cols)
			// Row x has 1 to 60 entries: light rows take the sparse
			// strategy, heavy ones the dense.
			n := 1 + rng.IntN(60)
			if x%4 == 0 {
				n = 1
			}
			for _, p := range rng.Perm(cols)[:n] {
				dense[x][p] = float64(1 + rng.IntN(3))
			}
			for p := 0; p < cols; p++ {
				if dense[x][p] != 0 {
					m.Cols = append(m.Cols, int32(p))
					m.Values = append(m.Values, float32(dense[x][p]))
				}
			}
			m.Offsets[x+1] = int64(len(m.Cols))
		}
		back := m.Transpose()
		c := newCooccur(rows)
		sawDense, sawSparse := false, false
		for x := 0; x < rows; x++ {
			var work int64
			for _, p := range m.Row(x) {
				work += int64(back.Len(int(p)))
			}
			if work >= rows/4 {
				sawDense = true
			} else {
				sawSparse = true
			}
			got := make(map[int32]float64)
			c.run(x, &m, &back, useValues, func(y int32, dot float64) {
				if _, dup := got[y]; dup {
					t.Errorf("values=%v x=%d: y=%d emitted twice", useValues, x, y)
				}
				got[y] = dot
			})
			for y := 0; y < rows; y++ {
				want := 0.0
				for p := 0; p < cols; p++ {
					a, b := dense[x][p], dense[y][p]
					if !useValues {
						a, b = min(a, 1), min(b, 1)
					}
					want += a * b
				}
				if math.Abs(got[int32(y)]-want) > 1e-9 {
					t.Fatalf("values=%v: dot(%d, %d) = %v, want %v", useValues, x, y, got[int32(y)], want)
				}
			}
		}
		if !sawDense || !sawSparse {
			t.Fatalf("test data took only one strategy (dense %v, sparse %v)", sawDense, sawSparse)
		}
	}
}
