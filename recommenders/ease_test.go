package recommenders

import (
	"context"
	"encoding/binary"
	"encoding/json"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"strconv"
	"testing"

	"github.com/google/go-cmp/cmp"
	"gonum.org/v1/gonum/mat"

	"github.com/recaudit/recaudit/datasets"
)

// csrFromRows builds an implicit-feedback CSR from sorted rows.
func csrFromRows(items int, rows [][]int32) datasets.CSR {
	m := datasets.CSR{Rows: len(rows), NumCols: items, Offsets: make([]int64, len(rows)+1)}
	for u, r := range rows {
		m.Cols = append(m.Cols, r...)
		m.Offsets[u+1] = int64(len(m.Cols))
	}
	return m
}

// easeTiny is the 4 users × 3 items example of the hand computation below.
func easeTiny() datasets.CSR {
	return csrFromRows(3, [][]int32{{0, 1}, {1, 2}, {0, 1, 2}, {2}})
}

func TestEASEHandComputed(t *testing.T) {
	const tol = 1e-12
	// Hand-computed (and checked with Python's fractions module):
	// XᵀX + 1·I = [[3 2 1] [2 4 2] [1 2 4]], det 24, inverse
	// P = [[1/2 −1/4 0] [−1/4 11/24 −1/6] [0 −1/6 1/3]],
	// B_ij = −P_ij/P_jj: [[0 6/11 0] [1/2 0 1/2] [0 4/11 0]].
	wantB := []float64{0, 6.0 / 11, 0, 0.5, 0, 0.5, 0, 4.0 / 11, 0}
	train := easeTiny()
	e := NewEASE(EASE{Lambda: 1})
	if err := e.Fit(context.Background(), &TrainView{Interactions: train}); err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(wantB, e.b, cmpApprox(tol)); diff != "" {
		t.Errorf("B (-want +got):\n%s", diff)
	}
	// Scores are X·B: user 0 {0,1} -> row0+row1 = [1/2 6/11 1/2];
	// user 3 {2} -> row 2 = [0 4/11 0].
	got := e.Score(0, []int32{0, 1, 2}, nil)
	if diff := cmp.Diff([]float64{0.5, 6.0 / 11, 0.5}, got, cmpApprox(tol)); diff != "" {
		t.Errorf("Score(0) (-want +got):\n%s", diff)
	}
	recs, err := e.Recommend(context.Background(), []int32{0, 3}, 2)
	if err != nil {
		t.Fatal(err)
	}
	// User 0 has one unseen item (2); user 3's unseen items are 1 (4/11)
	// and 0 (0). Users 1 and 2 were not asked for.
	want := datasets.Rankings{
		Offsets: []int64{0, 1, 1, 1, 3},
		Items:   []int32{2, 1, 0},
		Scores:  []float64{0.5, 4.0 / 11, 0},
	}
	if diff := cmp.Diff(want, recs, cmpApprox(tol)); diff != "" {
		t.Errorf("Recommend (-want +got):\n%s", diff)
	}
	e.IncludeTraining = true
	recs, err = e.Recommend(context.Background(), []int32{0}, 3)
	if err != nil {
		t.Fatal(err)
	}
	// Ties at 1/2 between items 0 and 2 are broken by index.
	if diff := cmp.Diff([]int32{1, 0, 2}, recs.List(0)); diff != "" {
		t.Errorf("IncludeTraining list (-want +got):\n%s", diff)
	}
}

// easeDenseB computes B from a dense X with gonum (the definition).
func easeDenseB(t *testing.T, x datasets.CSR, lambda float64) []float64 {
	n := x.NumCols
	xd := mat.NewDense(x.Rows, n, nil)
	for u := range x.Rows {
		for q, j := range x.Row(u) {
			v := 1.0
			if x.Values != nil {
				v = float64(x.RowValues(u)[q])
			}
			xd.Set(u, int(j), v)
		}
	}
	g := mat.NewSymDense(n, nil)
	g.SymOuterK(1, xd.T())
	for i := range n {
		g.SetSym(i, i, g.At(i, i)+lambda)
	}
	var ch mat.Cholesky
	if !ch.Factorize(g) {
		t.Fatal("gonum: not positive definite")
	}
	var p mat.SymDense
	if err := ch.InverseTo(&p); err != nil {
		t.Fatal(err)
	}
	b := make([]float64, n*n)
	for i := range n {
		for j := range n {
			if i != j {
				b[i*n+j] = -p.At(i, j) / p.At(j, j)
			}
		}
	}
	return b
}

func TestEASEAgainstGonum(t *testing.T) {
	const tol = 1e-9
	// Implicit and weighted values, more items than one block (linalgNB).
	x := mfSynth(3, 400, 300, 9000, 3, 0.6)
	w := x
	w.Values = make([]float32, len(x.Cols))
	for j := range w.Values {
		w.Values[j] = float32(1 + j%5)
	}
	for _, tc := range []struct {
		name string
		x    datasets.CSR
	}{{"implicit", x}, {"weighted", w}} {
		e := &EASE{Lambda: 50}
		if err := e.Fit(context.Background(), &TrainView{Interactions: tc.x}); err != nil {
			t.Fatal(err)
		}
		want := easeDenseB(t, tc.x, 50)
		var maxDiff float64
		for i := range want {
			maxDiff = max(maxDiff, math.Abs(want[i]-e.b[i]))
		}
		if maxDiff > tol {
			t.Errorf("%s: max |B - gonum B| = %g, want <= %g", tc.name, maxDiff, tol)
		}
		// Scores from Recommend equal Score's, bit for bit.
		recs, err := e.Recommend(context.Background(), allUsers(tc.x.Rows), 10)
		if err != nil {
			t.Fatal(err)
		}
		mfCheckRankings(t, recs, &tc.x, 10, false)
		for u := range tc.x.Rows {
			if got := e.Score(int32(u), recs.List(u), nil); !slices.Equal(got, recs.ListScores(u)) {
				t.Fatalf("%s: user %d: Score %v, Recommend %v", tc.name, u, got, recs.ListScores(u))
			}
		}
	}
}

// easeWriteMatrix writes x in the format testdata/ease_numpy.py reads.
func easeWriteMatrix(path string, x *datasets.CSR) error {
	buf := make([]byte, 0, 24+8*x.NNZ())
	buf = binary.LittleEndian.AppendUint64(buf, uint64(x.Rows))
	buf = binary.LittleEndian.AppendUint64(buf, uint64(x.NumCols))
	buf = binary.LittleEndian.AppendUint64(buf, uint64(x.NNZ()))
	for u := range x.Rows {
		for range x.Row(u) {
			buf = binary.LittleEndian.AppendUint32(buf, uint32(u))
		}
	}
	for _, j := range x.Cols {
		buf = binary.LittleEndian.AppendUint32(buf, uint32(j))
	}
	return os.WriteFile(path, buf, 0o644)
}

// easeNumPy returns a Python interpreter that has NumPy, or "".
func easeNumPy() string {
	for _, py := range []string{"/usr/bin/python3", "python3"} {
		if exec.Command(py, "-c", "import numpy").Run() == nil {
			return py
		}
	}
	return ""
}

// easeRunNumPy runs testdata/ease_numpy.py on x and returns its timings.
func easeRunNumPy(tb testing.TB, py string, x *datasets.CSR, lambda float64, out string, topk int) map[string]any {
	dir := tb.TempDir()
	in := filepath.Join(dir, "x.bin")
	if err := easeWriteMatrix(in, x); err != nil {
		tb.Fatal(err)
	}
	args := []string{"testdata/ease_numpy.py", in, "--lambda", strconv.FormatFloat(lambda, 'g', -1, 64)}
	if out != "" {
		args = append(args, "--out", out)
	}
	if topk > 0 {
		args = append(args, "--topk", strconv.Itoa(topk))
	}
	cmd := exec.Command(py, args...)
	cmd.Env = append(os.Environ(), "OPENBLAS_NUM_THREADS="+strconv.Itoa(runtime.GOMAXPROCS(0)))
	res, err := cmd.Output()
	if err != nil {
		tb.Fatalf("ease_numpy.py: %v", err)
	}
	var m map[string]any
	if err := json.Unmarshal(res, &m); err != nil {
		tb.Fatalf("ease_numpy.py output %q: %v", res, err)
	}
	return m
}

func TestEASEAgainstNumPy(t *testing.T) {
	const tol = 1e-9
	py := easeNumPy()
	if py == "" {
		t.Skip("no python3 with numpy (Debian: apt-get install python3-numpy)")
	}
	x := mfSynth(4, 150, 120, 3000, 3, 0.6)
	out := filepath.Join(t.TempDir(), "b.bin")
	easeRunNumPy(t, py, &x, 20, out, 0)
	raw, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	e := &EASE{Lambda: 20}
	if err := e.Fit(context.Background(), &TrainView{Interactions: x}); err != nil {
		t.Fatal(err)
	}
	if len(raw) != 8*len(e.b) {
		t.Fatalf("numpy B has %d bytes, want %d", len(raw), 8*len(e.b))
	}
	var maxDiff float64
	for i := range e.b {
		v := math.Float64frombits(binary.LittleEndian.Uint64(raw[8*i:]))
		maxDiff = max(maxDiff, math.Abs(v-e.b[i]))
	}
	t.Logf("max |B_go - B_numpy| = %g", maxDiff)
	if maxDiff > tol {
		t.Errorf("max |B_go - B_numpy| = %g, want <= %g", maxDiff, tol)
	}
}

func TestEASEDeterministic(t *testing.T) {
	x := mfSynth(5, 300, 300, 8000, 3, 0.6)
	run := func(procs int) datasets.Rankings {
		defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(procs))
		e := &EASE{}
		if err := e.Fit(context.Background(), &TrainView{Interactions: x}); err != nil {
			t.Fatal(err)
		}
		recs, err := e.Recommend(context.Background(), allUsers(x.Rows), 20)
		if err != nil {
			t.Fatal(err)
		}
		return recs
	}
	r1 := run(1)
	if diff := cmp.Diff(r1, run(2)); diff != "" {
		t.Errorf("GOMAXPROCS 1 vs 2 (-1 +2):\n%s", diff)
	}
	if diff := cmp.Diff(r1, run(1)); diff != "" {
		t.Errorf("two runs differ (-1 +2):\n%s", diff)
	}
}

func TestEASEBeatsPopular(t *testing.T) {
	full := mfSynth(6, 400, 200, 10000, 4, 0.8)
	train, test := mfSplit(full, 3, 6)
	e := &EASE{Lambda: 50}
	if err := e.Fit(context.Background(), &TrainView{Interactions: train}); err != nil {
		t.Fatal(err)
	}
	recs, err := e.Recommend(context.Background(), allUsers(train.Rows), 10)
	if err != nil {
		t.Fatal(err)
	}
	mfCheckRankings(t, recs, &train, 10, false)
	got, pop := mfRecall(recs, test, 10), mfRecall(mfPopular(train, 10), test, 10)
	t.Logf("recall@10: EASE %.3f, most popular %.3f", got, pop)
	if got < pop*1.2 {
		t.Errorf("recall@10 EASE %.3f, want >= 1.2 × most popular %.3f", got, pop)
	}
}

func TestEASECancel(t *testing.T) {
	x := mfSynth(7, 100, 80, 1500, 2, 0.5)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	e := &EASE{}
	if err := e.Fit(ctx, &TrainView{Interactions: x}); err != context.Canceled {
		t.Errorf("Fit: err = %v, want context.Canceled", err)
	}
	if _, err := e.Recommend(context.Background(), []int32{0}, 5); err == nil {
		t.Error("Recommend after a failed Fit: no error")
	}
	if err := e.Fit(context.Background(), &TrainView{Interactions: x}); err != nil {
		t.Fatal(err)
	}
	if _, err := e.Recommend(ctx, allUsers(x.Rows), 5); err != context.Canceled {
		t.Errorf("Recommend: err = %v, want context.Canceled", err)
	}
}

func TestEASEValidate(t *testing.T) {
	for _, tc := range []struct {
		lambda float64
		ok     bool
	}{{0, true}, {1e-3, true}, {500, true}, {-1, false}, {math.NaN(), false}, {math.Inf(1), false}} {
		err := (&EASE{Lambda: tc.lambda}).Validate()
		if (err == nil) != tc.ok {
			t.Errorf("Lambda %v: err = %v, want ok=%v", tc.lambda, err, tc.ok)
		}
		if err != nil && !mfContainsAll(err.Error(), "EASE.Lambda", "> 0") {
			t.Errorf("Lambda %v: error %q does not name the parameter and range", tc.lambda, err)
		}
		if err != nil {
			if ferr := (&EASE{Lambda: tc.lambda}).Fit(context.Background(), &TrainView{Interactions: easeTiny()}); ferr == nil {
				t.Errorf("Lambda %v: Fit accepted it", tc.lambda)
			}
		}
	}
}

func TestEASEBadData(t *testing.T) {
	bad := easeTiny()
	bad.Values = []float32{1, float32(math.NaN()), 1, 1, 1, 1, 1, 1}
	if err := (&EASE{}).Fit(context.Background(), &TrainView{Interactions: bad}); err == nil {
		t.Error("NaN value accepted")
	}
	bad = easeTiny()
	bad.Cols[1] = 7
	if err := (&EASE{}).Fit(context.Background(), &TrainView{Interactions: bad}); err == nil {
		t.Error("column out of range accepted")
	}
	e := &EASE{}
	if err := e.Fit(context.Background(), &TrainView{Interactions: easeTiny()}); err != nil {
		t.Fatal(err)
	}
	for name, f := range map[string]func(){
		"k<0":         func() { e.Recommend(context.Background(), []int32{0}, -1) },
		"user range":  func() { e.Recommend(context.Background(), []int32{4}, 1) },
		"score user":  func() { e.Score(-1, []int32{0}, nil) },
		"score item":  func() { e.Score(0, []int32{3}, nil) },
		"score unfit": func() { (&EASE{}).Score(0, []int32{0}, nil) },
	} {
		if !mfPanics(f) {
			t.Errorf("%s: no panic", name)
		}
	}
}

func TestEASEEmpty(t *testing.T) {
	// No users: B = 0 (G = λI); no items: empty lists.
	for _, x := range []datasets.CSR{
		{Rows: 0, NumCols: 3, Offsets: []int64{0}},
		{Rows: 2, NumCols: 0, Offsets: []int64{0, 0, 0}},
	} {
		e := &EASE{}
		if err := e.Fit(context.Background(), &TrainView{Interactions: x}); err != nil {
			t.Fatal(err)
		}
		if slices.ContainsFunc(e.b, func(v float64) bool { return v != 0 }) {
			t.Errorf("%d×%d: B = %v, want zeros", x.Rows, x.NumCols, e.b)
		}
		recs, err := e.Recommend(context.Background(), allUsers(x.Rows), 5)
		if err != nil || len(recs.Items) != 0 || recs.Users() != x.Rows {
			t.Errorf("%d×%d: recs %+v, err %v", x.Rows, x.NumCols, recs, err)
		}
	}
}
