package recommenders

import (
	"context"
	"math"
	"slices"
	"testing"

	"github.com/google/go-cmp/cmp"
	"gonum.org/v1/gonum/mat"

	"github.com/recaudit/recaudit/datasets"
)

func TestALSLossDecreases(t *testing.T) {
	const tol = 1e-12 // relative: rounding may wobble once converged
	x := mfSynth(11, 80, 60, 900, 3, 0.7)
	weighted := x
	weighted.Values = make([]float32, x.NNZ())
	for j := range weighted.Values {
		weighted.Values[j] = float32(j % 4) // includes zeros: preference 0
	}
	for _, tc := range []struct {
		name string
		r    datasets.CSR
		a    ALS
	}{
		{"implicit CG", x, ALS{Factors: 8, Alpha: 40, Reg: 0.1}},
		{"log confidence", weighted, ALS{Factors: 8, Confidence: ALSLog, Alpha: 5, Epsilon: 0.5, Reg: 0.1}},
		{"linear weighted exact", weighted, ALS{Factors: 6, CGSteps: 20, Reg: 0.5}},
	} {
		p := tc.a.params()
		xf, yf := alsInit(1, tc.r.Rows, tc.r.NumCols, p.f)
		rt := tc.r.Transpose()
		prev := alsLoss(&p, &tc.r, xf, yf)
		for it := range 10 {
			for half, step := range []func() error{
				func() error { return alsHalfStep(context.Background(), &p, &tc.r, xf, yf) },
				func() error { return alsHalfStep(context.Background(), &p, &rt, yf, xf) },
			} {
				if err := step(); err != nil {
					t.Fatal(err)
				}
				loss := alsLoss(&p, &tc.r, xf, yf)
				if loss > prev*(1+tol) {
					t.Fatalf("%s: iteration %d half %d: loss rose from %v to %v", tc.name, it, half, prev, loss)
				}
				prev = loss
			}
		}
		first := alsLoss(&p, &tc.r, func() []float64 { x, _ := alsInit(1, tc.r.Rows, tc.r.NumCols, p.f); return x }(),
			func() []float64 { _, y := alsInit(1, tc.r.Rows, tc.r.NumCols, p.f); return y }())
		if !(prev < 0.9*first) {
			t.Errorf("%s: loss %v after 10 iterations, from %v: not learning", tc.name, prev, first)
		}
	}
}

func TestALSStepMatchesDirectSolve(t *testing.T) {
	const tol = 1e-9
	// With as many CG steps as factors, a half step solves each user's
	// system exactly; compare with gonum's dense solve of
	// (YᵀY + λI + Σ (c−1) y yᵀ) x = Σ c p y.
	r := mfSynth(12, 30, 25, 250, 2, 0.7)
	r.Values = make([]float32, r.NNZ())
	for j := range r.Values {
		r.Values[j] = float32(1 + j%3)
	}
	a := ALS{Factors: 5, CGSteps: 40, Alpha: 2, Reg: 0.3}
	p := a.params()
	xf, yf := alsInit(3, r.Rows, r.NumCols, p.f)
	if err := alsHalfStep(context.Background(), &p, &r, xf, yf); err != nil {
		t.Fatal(err)
	}
	f := p.f
	ym := mat.NewDense(r.NumCols, f, slices.Clone(yf))
	for u := range r.Rows {
		am := mat.NewDense(f, f, nil)
		am.Mul(ym.T(), ym)
		bv := mat.NewVecDense(f, nil)
		for q, i := range r.Row(u) {
			c := p.confidence(float64(r.RowValues(u)[q]))
			yi := mat.NewVecDense(f, yf[int(i)*f:int(i+1)*f])
			var outer mat.Dense
			outer.Outer(c-1, yi, yi)
			am.Add(am, &outer)
			bv.AddScaledVec(bv, c, yi)
		}
		for d := range f {
			am.Set(d, d, am.At(d, d)+p.reg)
		}
		var want mat.VecDense
		if err := want.SolveVec(am, bv); err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(want.RawVector().Data, xf[u*f:(u+1)*f], cmpApprox(tol)); diff != "" {
			t.Fatalf("user %d (-direct +CG):\n%s", u, diff)
		}
	}
}

func TestALSDeterministic(t *testing.T) {
	checkMFDeterministic(t, mfSynth(13, 300, 200, 6000, 4, 0.7), func(seed uint64) (Recommender, func() []float64) {
		a := &ALS{Factors: 16, Iterations: 4, Seed: seed}
		return a, func() []float64 { return a.yf }
	})
}

func TestALSBeatsPopular(t *testing.T) {
	full := mfSynth(14, 400, 200, 10000, 4, 0.8)
	train, test := mfSplit(full, 3, 14)
	a := &ALS{Factors: 16, Iterations: 10, Reg: 10, Seed: 1}
	if err := a.Fit(context.Background(), &TrainView{Interactions: train}); err != nil {
		t.Fatal(err)
	}
	recs, err := a.Recommend(context.Background(), allUsers(train.Rows), 10)
	if err != nil {
		t.Fatal(err)
	}
	mfCheckRankings(t, recs, &train, 10, false)
	got, pop := mfRecall(recs, test, 10), mfRecall(mfPopular(train, 10), test, 10)
	t.Logf("recall@10: ALS %.3f, most popular %.3f", got, pop)
	if got < pop*1.2 {
		t.Errorf("recall@10 ALS %.3f, want >= 1.2 × most popular %.3f", got, pop)
	}
	// Score reproduces Recommend's scores exactly; IncludeTraining lists
	// training items too.
	for u := range train.Rows {
		if s := a.Score(int32(u), recs.List(u), nil); !slices.Equal(s, recs.ListScores(u)) {
			t.Fatalf("user %d: Score %v, Recommend %v", u, s, recs.ListScores(u))
		}
	}
	a.IncludeTraining = true
	all, err := a.Recommend(context.Background(), allUsers(train.Rows), train.NumCols)
	if err != nil {
		t.Fatal(err)
	}
	mfCheckRankings(t, all, &train, train.NumCols, true)
}

func TestALSCancel(t *testing.T) {
	x := mfSynth(15, 100, 80, 1500, 2, 0.5)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	a := &ALS{Factors: 4}
	if err := a.Fit(ctx, &TrainView{Interactions: x}); err != context.Canceled {
		t.Errorf("Fit: err = %v, want context.Canceled", err)
	}
	if _, err := a.Recommend(context.Background(), []int32{0}, 5); err == nil {
		t.Error("Recommend after a failed Fit: no error")
	}
	if err := a.Fit(context.Background(), &TrainView{Interactions: x}); err != nil {
		t.Fatal(err)
	}
	if _, err := a.Recommend(ctx, allUsers(x.Rows), 5); err != context.Canceled {
		t.Errorf("Recommend: err = %v, want context.Canceled", err)
	}
}

func TestALSValidate(t *testing.T) {
	for _, tc := range []struct {
		a    ALS
		want string // "" = valid; else words the error must contain
	}{
		{ALS{}, ""},
		{ALS{Factors: 3, Alpha: 1, Reg: 1e-6, Iterations: 1, CGSteps: 1, Confidence: ALSLog, Epsilon: 2}, ""},
		{ALS{Factors: -1}, "ALS.Factors"},
		{ALS{Alpha: -1}, "ALS.Alpha"},
		{ALS{Alpha: math.Inf(1)}, "ALS.Alpha"},
		{ALS{Reg: math.NaN()}, "ALS.Reg"},
		{ALS{Iterations: -2}, "ALS.Iterations"},
		{ALS{CGSteps: -1}, "ALS.CGSteps"},
		{ALS{Confidence: 7}, "ALS.Confidence"},
		{ALS{Epsilon: -1}, "ALS.Epsilon"},
	} {
		err := tc.a.Validate()
		if (err == nil) != (tc.want == "") || (err != nil && !mfContainsAll(err.Error(), tc.want, "want")) {
			t.Errorf("%+v: err = %v, want mention of %q", tc.a, err, tc.want)
		}
		if err != nil {
			if ferr := NewALS(tc.a).Fit(context.Background(), &TrainView{Interactions: easeTiny()}); ferr == nil {
				t.Errorf("%+v: Fit accepted it", tc.a)
			}
		}
	}
	neg := easeTiny()
	neg.Values = []float32{1, -1, 1, 1, 1, 1, 1, 1}
	if err := (&ALS{}).Fit(context.Background(), &TrainView{Interactions: neg}); err == nil {
		t.Error("negative value accepted")
	}
}
