package recommenders

import (
	"context"
	"math"
	"math/rand/v2"
	"runtime"
	"slices"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/google/go-cmp/cmp"
	"gonum.org/v1/gonum/mat"

	"github.com/recaudit/recaudit/datasets"
)

// naiveGemm returns C + alpha·op(A)·op(B) by the definition.
func naiveGemm(g linalgGemm) []float64 {
	out := slices.Clone(g.c)
	opA := func(i, t int) float64 {
		if g.transA {
			return g.a[t*g.lda+i]
		}
		return g.a[i*g.lda+t]
	}
	opB := func(t, j int) float64 {
		if g.transB {
			return g.b[j*g.ldb+t]
		}
		return g.b[t*g.ldb+j]
	}
	for i := 0; i < g.m; i++ {
		for j := 0; j < g.n; j++ {
			if g.lowerC && j > i {
				continue
			}
			var s float64
			for t := 0; t < g.k; t++ {
				s += opA(i, t) * opB(t, j)
			}
			out[i*g.ldc+j] += g.alpha * s
		}
	}
	return out
}

func randSlice(r *rand.Rand, n int) []float64 {
	s := make([]float64, n)
	for i := range s {
		s[i] = r.Float64()*2 - 1
	}
	return s
}

func TestLinalgGemm(t *testing.T) {
	const tol = 1e-11
	r := rand.New(rand.NewPCG(1, 2))
	for _, sz := range []struct{ m, n, k int }{
		{1, 1, 1}, {3, 5, 7}, {4, 2, 256}, {130, 260, 300}, {257, 3, 513}, {5, 259, 2},
	} {
		for _, transA := range []bool{false, true} {
			for _, transB := range []bool{false, true} {
				for _, lowerC := range []bool{false, true} {
					if lowerC && sz.m != sz.n {
						continue
					}
					// Leading dimensions larger than needed, to catch stride bugs.
					lda := sz.k + 3
					arows := sz.m
					if transA {
						lda, arows = sz.m+1, sz.k
					}
					ldb := sz.n + 2
					brows := sz.k
					if transB {
						ldb, brows = sz.k+5, sz.n
					}
					g := linalgGemm{m: sz.m, n: sz.n, k: sz.k, alpha: -0.5,
						a: randSlice(r, arows*lda), lda: lda, transA: transA,
						b: randSlice(r, brows*ldb), ldb: ldb, transB: transB,
						c: randSlice(r, sz.m*(sz.n+1)), ldc: sz.n + 1, lowerC: lowerC}
					want := naiveGemm(g)
					if err := g.run(context.Background()); err != nil {
						t.Fatal(err)
					}
					for i := 0; i < sz.m; i++ {
						for j := 0; j < g.ldc; j++ {
							if j >= sz.n || (lowerC && j > i) {
								continue // padding, or garbage allowed above the diagonal
							}
							if d := math.Abs(g.c[i*g.ldc+j] - want[i*g.ldc+j]); d > tol*float64(sz.k) {
								t.Fatalf("%+v transA=%v transB=%v lowerC=%v: C[%d,%d] = %v, want %v", sz, transA, transB, lowerC, i, j, g.c[i*g.ldc+j], want[i*g.ldc+j])
							}
						}
					}
				}
			}
		}
	}
}

func TestLinalgGemmLowerA(t *testing.T) {
	const tol = 1e-11
	r := rand.New(rand.NewPCG(3, 4))
	const m, n = 300, 7
	a := randSlice(r, m*m)
	linalgZeroUpper(a, m)
	g := linalgGemm{m: m, n: n, k: m, alpha: 1, a: a, lda: m, b: randSlice(r, m*n), ldb: n, c: make([]float64, m*n), ldc: n, lowerA: true}
	want := naiveGemm(g)
	if err := g.run(context.Background()); err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(want, g.c, cmpApprox(tol)); diff != "" {
		t.Errorf("lowerA product (-want +got):\n%s", diff)
	}
}

// cmpApprox compares float64s within an absolute tolerance.
func cmpApprox(tol float64) cmp.Option {
	return cmp.Comparer(func(x, y float64) bool { return math.Abs(x-y) <= tol })
}

// randSPD returns an n×n symmetric positive definite matrix XᵀX/n + I.
func randSPD(r *rand.Rand, n int) []float64 {
	x := randSlice(r, n*n)
	a := make([]float64, n*n)
	for i := 0; i < n; i++ {
		for j := 0; j < n; j++ {
			var s float64
			for t := 0; t < n; t++ {
				s += x[t*n+i] * x[t*n+j]
			}
			a[i*n+j] = s / float64(n)
		}
		a[i*n+i]++
	}
	return a
}

func TestLinalgSPDInverse(t *testing.T) {
	const tol = 1e-10
	r := rand.New(rand.NewPCG(5, 6))
	for _, tc := range []struct{ n, nb int }{
		{1, 4}, {2, 4}, {7, 4}, {37, 8}, {64, 16}, {200, 32}, {300, linalgNB},
	} {
		spd := randSPD(r, tc.n)
		// Reference: gonum's Cholesky inverse.
		var ch mat.Cholesky
		if !ch.Factorize(mat.NewSymDense(tc.n, slices.Clone(spd))) {
			t.Fatalf("n=%d: gonum says not positive definite", tc.n)
		}
		var ref mat.SymDense
		if err := ch.InverseTo(&ref); err != nil {
			t.Fatal(err)
		}
		a := slices.Clone(spd)
		// Garbage in the strict upper triangle must be ignored.
		for i := 0; i < tc.n; i++ {
			for j := i + 1; j < tc.n; j++ {
				a[i*tc.n+j] = math.NaN()
			}
		}
		if err := linalgSPDInverse(context.Background(), a, tc.n, tc.nb); err != nil {
			t.Fatalf("n=%d nb=%d: %v", tc.n, tc.nb, err)
		}
		for i := 0; i < tc.n; i++ {
			for j := 0; j < tc.n; j++ {
				if d := math.Abs(a[i*tc.n+j] - ref.At(i, j)); d > tol {
					t.Fatalf("n=%d nb=%d: inv[%d,%d] = %v, gonum %v", tc.n, tc.nb, i, j, a[i*tc.n+j], ref.At(i, j))
				}
			}
		}
	}
}

func TestLinalgSPDInverseNotPD(t *testing.T) {
	// Hand-made: [[1 2] [2 1]] has eigenvalues 3 and -1.
	a := []float64{1, 2, 2, 1}
	if err := linalgSPDInverse(context.Background(), a, 2, 4); err != errLinalgNotPD {
		t.Errorf("indefinite matrix: err = %v, want errLinalgNotPD", err)
	}
	a = []float64{math.NaN(), 0, 0, 1}
	if err := linalgSPDInverse(context.Background(), a, 2, 4); err != errLinalgNotPD {
		t.Errorf("NaN pivot: err = %v, want errLinalgNotPD", err)
	}
}

func TestLinalgSPDInverseDeterministic(t *testing.T) {
	r := rand.New(rand.NewPCG(7, 8))
	const n = 300
	spd := randSPD(r, n)
	run := func(procs int) []float64 {
		defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(procs))
		a := slices.Clone(spd)
		if err := linalgSPDInverse(context.Background(), a, n, 32); err != nil {
			t.Fatal(err)
		}
		return a
	}
	a1, a2, a4 := run(1), run(2), run(4)
	if !slices.Equal(a1, a2) || !slices.Equal(a1, a4) {
		t.Error("inverse differs between GOMAXPROCS 1, 2 and 4")
	}
}

func TestLinalgSPDInverseCancel(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	a := randSPD(rand.New(rand.NewPCG(1, 1)), 40)
	if err := linalgSPDInverse(ctx, a, 40, 8); err != context.Canceled {
		t.Errorf("err = %v, want context.Canceled", err)
	}
}

func TestLinalgDotFrom(t *testing.T) {
	// linalgDotFrom must reproduce linalgGemm's value bit for bit.
	r := rand.New(rand.NewPCG(9, 9))
	for _, k := range []int{1, 5, 64, 256, 300, 600} {
		x, y := randSlice(r, k), randSlice(r, k)
		c := []float64{0.25}
		g := linalgGemm{m: 1, n: 1, k: k, alpha: 1, a: x, lda: k, b: y, ldb: 1, c: c, ldc: 1}
		if err := g.run(context.Background()); err != nil {
			t.Fatal(err)
		}
		if got := linalgDotFrom(0.25, x, y); got != c[0] {
			t.Errorf("k=%d: linalgDotFrom = %v, gemm %v", k, got, c[0])
		}
	}
}

func TestMfTopK(t *testing.T) {
	nan := math.NaN()
	for _, tc := range []struct {
		name   string
		scores []float64
		seen   []int32
		k      int
		want   []int32 // hand-derived from the definition
	}{
		{"plain", []float64{0.1, 0.5, 0.3, 0.9}, nil, 2, []int32{3, 1}},
		{"ties by index", []float64{1, 2, 2, 1, 2}, nil, 4, []int32{1, 2, 4, 0}},
		{"seen excluded", []float64{5, 4, 3, 2, 1}, []int32{0, 2}, 2, []int32{1, 3}},
		{"k beyond", []float64{1, 3, 2}, []int32{1}, 5, []int32{2, 0}},
		{"NaN last", []float64{nan, -1, nan, 0}, nil, 4, []int32{3, 1, 0, 2}},
		{"k zero", []float64{1, 2}, nil, 0, []int32{}},
		{"all equal", []float64{0, 0, 0, 0, 0, 0}, nil, 3, []int32{0, 1, 2}},
	} {
		got := []int32{}
		for _, c := range mfTopK(tc.scores, tc.seen, tc.k, nil) {
			got = append(got, c.item)
		}
		if diff := cmp.Diff(tc.want, got); diff != "" {
			t.Errorf("%s (-want +got):\n%s", tc.name, diff)
		}
	}
}

func TestMfParallelCancel(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	err := mfParallel(ctx, 100, func(w, task int) {
		if task == 0 {
			cancel()
		}
	})
	if err != context.Canceled {
		t.Errorf("err = %v, want context.Canceled", err)
	}
	if err := mfParallel(context.Background(), 10, func(w, task int) {}); err != nil {
		t.Errorf("uncancelled: err = %v", err)
	}
}

// mfSynth generates a users × items implicit-feedback matrix with about
// nnz interactions (exactly nnz when it fits), Zipf item popularity and
// planted clusters: user u belongs to cluster u % clusters, whose items
// are those with i % clusters == u % clusters; each draw comes from the
// cluster's items with probability pCluster, else from the whole catalogue,
// by Zipf-like popularity (exponent 0.8) in both cases. Deterministic for
// a seed. Rows are sorted.
func mfSynth(seed uint64, users, items, nnz, clusters int, pCluster float64) datasets.CSR {
	r := rand.New(rand.NewPCG(seed, 0x5eed))
	// Item popularity ranks: a random permutation, weight 1/(rank+1)^0.8.
	perm := r.Perm(items)
	w := make([]float64, items)
	for i, p := range perm {
		w[i] = math.Pow(float64(p+1), -0.8)
	}
	cum := func(pick func(i int) bool) ([]int32, []float64) {
		var ids []int32
		var c []float64
		var s float64
		for i := range items {
			if pick(i) {
				s += w[i]
				ids = append(ids, int32(i))
				c = append(c, s)
			}
		}
		return ids, c
	}
	allIDs, allCum := cum(func(int) bool { return true })
	cl := make([][]int32, clusters)
	clCum := make([][]float64, clusters)
	for c := range clusters {
		cl[c], clCum[c] = cum(func(i int) bool { return i%clusters == c })
	}
	draw := func(ids []int32, c []float64) int32 {
		x := r.Float64() * c[len(c)-1]
		j, _ := slices.BinarySearch(c, x)
		return ids[min(j, len(ids)-1)]
	}
	// Row lengths: log-normal-ish around nnz/users, scaled to sum to nnz.
	lens := make([]float64, users)
	var tot float64
	for u := range lens {
		lens[u] = math.Exp(r.NormFloat64() * 0.7)
		tot += lens[u]
	}
	m := datasets.CSR{Rows: users, NumCols: items, Offsets: make([]int64, users+1)}
	seen := make([]bool, items)
	row := make([]int32, 0, items)
	carry := 0.0
	for u := range users {
		want := lens[u]/tot*float64(nnz) + carry
		n := int(want)
		carry = want - float64(n)
		n = max(1, min(n, items/2))
		row = row[:0]
		for len(row) < n {
			var i int32
			if r.Float64() < pCluster {
				c := u % clusters
				i = draw(cl[c], clCum[c])
			} else {
				i = draw(allIDs, allCum)
			}
			if !seen[i] {
				seen[i] = true
				row = append(row, i)
			}
		}
		slices.Sort(row)
		for _, i := range row {
			seen[i] = false
		}
		m.Cols = append(m.Cols, row...)
		m.Offsets[u+1] = int64(len(m.Cols))
	}
	return m
}

// mfSplit holds out up to h random items of every user with more than h
// items, returning the training matrix and the held-out items per user.
func mfSplit(m datasets.CSR, h int, seed uint64) (datasets.CSR, [][]int32) {
	r := rand.New(rand.NewPCG(seed, 1))
	train := datasets.CSR{Rows: m.Rows, NumCols: m.NumCols, Offsets: make([]int64, m.Rows+1)}
	test := make([][]int32, m.Rows)
	for u := range m.Rows {
		row := slices.Clone(m.Row(u))
		if len(row) > h {
			r.Shuffle(len(row), func(i, j int) { row[i], row[j] = row[j], row[i] })
			test[u] = slices.Clone(row[:h])
			row = row[h:]
			slices.Sort(row)
			slices.Sort(test[u])
		}
		train.Cols = append(train.Cols, row...)
		train.Offsets[u+1] = int64(len(train.Cols))
	}
	return train, test
}

// mfRecall returns the mean over users with held-out items of
// |top-k ∩ held out| / min(k, |held out|).
func mfRecall(recs datasets.Rankings, test [][]int32, k int) float64 {
	var sum float64
	var n int
	for u, held := range test {
		if len(held) == 0 {
			continue
		}
		list := recs.List(u)
		list = list[:min(k, len(list))]
		hits := 0
		for _, i := range list {
			if _, ok := slices.BinarySearch(held, i); ok {
				hits++
			}
		}
		sum += float64(hits) / float64(min(k, len(held)))
		n++
	}
	return sum / float64(n)
}

// mfPopular recommends the k most popular unseen training items to every
// user (the most-popular baseline).
func mfPopular(train datasets.CSR, k int) datasets.Rankings {
	deg := make([]float64, train.NumCols)
	for _, i := range train.Cols {
		deg[i]++
	}
	out := datasets.Rankings{Offsets: make([]int64, train.Rows+1)}
	for u := range train.Rows {
		for _, c := range mfTopK(deg, train.Row(u), k, nil) {
			out.Items = append(out.Items, c.item)
		}
		out.Offsets[u+1] = int64(len(out.Items))
	}
	return out
}

// allUsers returns 0..n-1.
func allUsers(n int) []int32 {
	u := make([]int32, n)
	for i := range u {
		u[i] = int32(i)
	}
	return u
}

func TestMfSynth(t *testing.T) {
	m := mfSynth(1, 300, 200, 6000, 4, 0.8)
	if msg := m.Validate(); msg != "" {
		t.Fatal(msg)
	}
	if m.NNZ() < 5900 || m.NNZ() > 6000 {
		t.Errorf("nnz = %d, want about 6000", m.NNZ())
	}
	if !slices.Equal(m.Cols, mfSynth(1, 300, 200, 6000, 4, 0.8).Cols) {
		t.Error("mfSynth is not deterministic")
	}
}

// mfPanics reports whether f panics.
func mfPanics(f func()) (panicked bool) {
	defer func() { panicked = recover() != nil }()
	f()
	return false
}

// mfContainsAll reports whether s contains every sub.
func mfContainsAll(s string, subs ...string) bool {
	for _, sub := range subs {
		if !strings.Contains(s, sub) {
			return false
		}
	}
	return true
}

// mfCheckRankings checks the contract of Recommend for lists of every
// user: length min(k, available), no training item unless includeSeen, no
// repeats, scores non-increasing with ties in ascending item order.
func mfCheckRankings(t *testing.T, recs datasets.Rankings, train *datasets.CSR, k int, includeSeen bool) {
	t.Helper()
	if recs.Users() != train.Rows {
		t.Fatalf("rankings have %d users, want %d", recs.Users(), train.Rows)
	}
	for u := range train.Rows {
		list, sc := recs.List(u), recs.ListScores(u)
		avail := train.NumCols
		if !includeSeen {
			avail -= train.Len(u)
		}
		if len(list) != min(k, avail) {
			t.Fatalf("user %d: %d items, want %d", u, len(list), min(k, avail))
		}
		seen := map[int32]bool{}
		for r, i := range list {
			if seen[i] {
				t.Fatalf("user %d: item %d repeated", u, i)
			}
			seen[i] = true
			if _, ok := slices.BinarySearch(train.Row(u), i); ok && !includeSeen {
				t.Fatalf("user %d: training item %d recommended", u, i)
			}
			if r > 0 && (sc[r] > sc[r-1] || (sc[r] == sc[r-1] && i < list[r-1])) {
				t.Fatalf("user %d: rank %d (item %d, %v) out of order after item %d, %v", u, r, i, sc[r], list[r-1], sc[r-1])
			}
		}
	}
}

// randSource returns a seeded generator for tests.
func randSource(seed uint64) *rand.Rand { return rand.New(rand.NewPCG(seed, seed)) }

func TestLinalgVectorKernels(t *testing.T) {
	const tol = 1e-14
	r := randSource(32)
	for _, n := range []int{0, 1, 5, 15, 16, 17, 33, 64, 100} {
		x, y := randSlice(r, n), randSlice(r, n)
		var dot float64
		for i := range n {
			dot += x[i] * y[i]
		}
		if got := linalgDot(x, y); math.Abs(got-dot) > tol*float64(n+1) {
			t.Errorf("n=%d: linalgDot = %v, want %v", n, got, dot)
		}
		add, axpy := slices.Clone(y), slices.Clone(y)
		for i := range n {
			add[i] += x[i]
			axpy[i] += -1.5 * x[i]
		}
		gotAdd, gotAxpy := slices.Clone(y), slices.Clone(y)
		linalgAddTo(gotAdd, x)
		linalgAxpyTo(-1.5, x, gotAxpy)
		// Both round as Go does: bit-identical.
		if !slices.Equal(add, gotAdd) || !slices.Equal(axpy, gotAxpy) {
			t.Errorf("n=%d: linalgAddTo/linalgAxpyTo differ from the loop", n)
		}
	}
}

// mfCountdownCtx is a context that reports cancellation from the n-th
// call of Err on, to cancel a computation deterministically midway.
type mfCountdownCtx struct {
	context.Context
	n atomic.Int64
}

func newCountdownCtx(n int64) *mfCountdownCtx {
	c := &mfCountdownCtx{Context: context.Background()}
	c.n.Store(n)
	return c
}

func (c *mfCountdownCtx) Err() error {
	if c.n.Add(-1) < 0 {
		return context.Canceled
	}
	return nil
}

func TestMidwayCancel(t *testing.T) {
	// Cancelled after some progress, Fit stops with context.Canceled and
	// leaves the model unfitted.
	x := mfSynth(41, 300, 300, 6000, 3, 0.6)
	view := &TrainView{Interactions: x}
	for _, tc := range []struct {
		name string
		rec  Recommender
	}{
		{"EASE", &EASE{}},
		{"ALS", &ALS{Factors: 8, Iterations: 5}},
		{"BPR", &BPR{Factors: 8, Epochs: 5}},
	} {
		for _, n := range []int64{3, 30} {
			if err := tc.rec.Fit(newCountdownCtx(n), view); err != context.Canceled {
				t.Errorf("%s after %d checks: Fit err = %v, want context.Canceled", tc.name, n, err)
			}
			if _, err := tc.rec.Recommend(context.Background(), []int32{0}, 3); err == nil {
				t.Errorf("%s: Recommend after a cancelled Fit succeeded", tc.name)
			}
		}
		if err := tc.rec.Fit(context.Background(), view); err != nil {
			t.Fatal(err)
		}
		if _, err := tc.rec.Recommend(newCountdownCtx(2), allUsers(x.Rows), 3); err != context.Canceled {
			t.Errorf("%s: Recommend err = %v, want context.Canceled", tc.name, err)
		}
	}
}

// checkMFDeterministic fits a matrix-factorisation model made by newModel
// (its item factors returned by factors) on x and checks that the factors
// and the top-20 lists do not depend on GOMAXPROCS (1, 2 and 4), that the
// same seed gives the same model, and that another seed gives other
// factors.
func checkMFDeterministic(t *testing.T, x datasets.CSR, newModel func(seed uint64) (Recommender, func() []float64)) {
	t.Helper()
	run := func(procs int, seed uint64) (datasets.Rankings, []float64) {
		defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(procs))
		m, factors := newModel(seed)
		if err := m.Fit(context.Background(), &TrainView{Interactions: x}); err != nil {
			t.Fatal(err)
		}
		recs, err := m.Recommend(context.Background(), allUsers(x.Rows), 20)
		if err != nil {
			t.Fatal(err)
		}
		return recs, factors()
	}
	r1, y1 := run(1, 7)
	r2, y2 := run(2, 7)
	if !slices.Equal(y1, y2) {
		t.Error("item factors differ between GOMAXPROCS 1 and 2")
	}
	if diff := cmp.Diff(r1, r2); diff != "" {
		t.Errorf("GOMAXPROCS 1 vs 2 (-1 +2):\n%s", diff)
	}
	if r3, _ := run(4, 7); !cmp.Equal(r1, r3) {
		t.Error("GOMAXPROCS 4, or a second run with the same seed, differs")
	}
	if _, y4 := run(2, 8); slices.Equal(y1, y4) {
		t.Error("a different seed gives the same factors")
	}
}
