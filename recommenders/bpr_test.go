package recommenders

import (
	"context"
	"math"
	"slices"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/recaudit/recaudit/datasets"
)

// bprAUC returns the mean over users with training items of the fraction
// of (training item, other item) pairs the model orders correctly (ties
// count one half): the training AUC, 0.5 for a random model.
func bprAUC(s Scorer, r *datasets.CSR) float64 {
	all := allUsers(r.NumCols)
	var sum float64
	var n int
	for u := range r.Rows {
		row := r.Row(u)
		if len(row) == 0 || len(row) == r.NumCols {
			continue
		}
		sc := s.Score(int32(u), all, nil)
		var good float64
		for _, i := range row {
			for j := range r.NumCols {
				if _, pos := slices.BinarySearch(row, int32(j)); pos {
					continue
				}
				switch {
				case sc[i] > sc[j]:
					good++
				case sc[i] == sc[j]:
					good += 0.5
				}
			}
		}
		sum += good / float64(len(row)*(r.NumCols-len(row)))
		n++
	}
	return sum / float64(n)
}

func TestBPRTrainingAUC(t *testing.T) {
	x := mfSynth(21, 200, 100, 3000, 4, 0.8)
	for _, strata := range []int{1, 4} {
		m := &BPR{Factors: 16, Epochs: 20, Strata: strata, Seed: 3}
		if err := m.Fit(context.Background(), &TrainView{Interactions: x}); err != nil {
			t.Fatal(err)
		}
		auc := bprAUC(m, &x)
		// An untrained model (random factors, zero biases) is the baseline.
		m0 := &BPR{Factors: 16, Epochs: 1, LearnRate: 1e-300, Strata: strata, Seed: 3}
		if err := m0.Fit(context.Background(), &TrainView{Interactions: x}); err != nil {
			t.Fatal(err)
		}
		auc0 := bprAUC(m0, &x)
		t.Logf("strata %d: training AUC %.3f (untrained %.3f)", strata, auc, auc0)
		if auc < 0.8 || math.Abs(auc0-0.5) > 0.05 {
			t.Errorf("strata %d: training AUC %.3f, want >= 0.8 (untrained %.3f, want about 0.5)", strata, auc, auc0)
		}
	}
}

func TestBPRDeterministic(t *testing.T) {
	checkMFDeterministic(t, mfSynth(22, 300, 200, 6000, 4, 0.7), func(seed uint64) (Recommender, func() []float64) {
		m := &BPR{Factors: 16, Epochs: 3, Seed: seed}
		return m, func() []float64 { return m.yf }
	})
}

func TestBPRBeatsPopular(t *testing.T) {
	full := mfSynth(23, 400, 200, 10000, 4, 0.8)
	train, test := mfSplit(full, 3, 23)
	m := &BPR{Factors: 16, Epochs: 20, Seed: 1}
	if err := m.Fit(context.Background(), &TrainView{Interactions: train}); err != nil {
		t.Fatal(err)
	}
	recs, err := m.Recommend(context.Background(), allUsers(train.Rows), 10)
	if err != nil {
		t.Fatal(err)
	}
	mfCheckRankings(t, recs, &train, 10, false)
	got, pop := mfRecall(recs, test, 10), mfRecall(mfPopular(train, 10), test, 10)
	t.Logf("recall@10: BPR %.3f, most popular %.3f", got, pop)
	if got < pop*1.2 {
		t.Errorf("recall@10 BPR %.3f, want >= 1.2 × most popular %.3f", got, pop)
	}
	for u := range train.Rows {
		if s := m.Score(int32(u), recs.List(u), nil); !slices.Equal(s, recs.ListScores(u)) {
			t.Fatalf("user %d: Score %v, Recommend %v", u, s, recs.ListScores(u))
		}
	}
	m.IncludeTraining = true
	all, err := m.Recommend(context.Background(), allUsers(train.Rows), 15)
	if err != nil {
		t.Fatal(err)
	}
	mfCheckRankings(t, all, &train, 15, true)
}

func TestBPRCancel(t *testing.T) {
	x := mfSynth(24, 100, 80, 1500, 2, 0.5)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	m := &BPR{Factors: 4}
	if err := m.Fit(ctx, &TrainView{Interactions: x}); err != context.Canceled {
		t.Errorf("Fit: err = %v, want context.Canceled", err)
	}
	if _, err := m.Recommend(context.Background(), []int32{0}, 5); err == nil {
		t.Error("Recommend after a failed Fit: no error")
	}
	if err := m.Fit(context.Background(), &TrainView{Interactions: x}); err != nil {
		t.Fatal(err)
	}
	if _, err := m.Recommend(ctx, allUsers(x.Rows), 5); err != context.Canceled {
		t.Errorf("Recommend: err = %v, want context.Canceled", err)
	}
}

func TestBPRValidate(t *testing.T) {
	for _, tc := range []struct {
		m    BPR
		want string // "" = valid; else the parameter the error must name
	}{
		{BPR{}, ""},
		{BPR{Factors: 2, LearnRate: 0.5, Reg: 1e-9, Epochs: 1, Strata: 1}, ""},
		{BPR{Factors: -1}, "BPR.Factors"},
		{BPR{LearnRate: -0.1}, "BPR.LearnRate"},
		{BPR{LearnRate: math.NaN()}, "BPR.LearnRate"},
		{BPR{Reg: math.Inf(1)}, "BPR.Reg"},
		{BPR{Epochs: -1}, "BPR.Epochs"},
		{BPR{Strata: -3}, "BPR.Strata"},
		{BPR{Strata: 5000}, "BPR.Strata"},
	} {
		err := tc.m.Validate()
		if (err == nil) != (tc.want == "") || (err != nil && !mfContainsAll(err.Error(), tc.want, "want")) {
			t.Errorf("%+v: err = %v, want mention of %q", tc.m, err, tc.want)
		}
		if err != nil {
			if ferr := NewBPR(tc.m).Fit(context.Background(), &TrainView{Interactions: easeTiny()}); ferr == nil {
				t.Errorf("%+v: Fit accepted it", tc.m)
			}
		}
	}
}

func TestBPRSmallCases(t *testing.T) {
	// More strata than users or items, a user with every item, an empty
	// user: Fit must cope, and lists respect the contract.
	x := csrFromRows(3, [][]int32{{0, 1, 2}, {}, {1}})
	m := &BPR{Factors: 2, Strata: 5, Epochs: 3, Seed: 1}
	if err := m.Fit(context.Background(), &TrainView{Interactions: x}); err != nil {
		t.Fatal(err)
	}
	recs, err := m.Recommend(context.Background(), allUsers(3), 5)
	if err != nil {
		t.Fatal(err)
	}
	mfCheckRankings(t, recs, &x, 5, false)
}

func TestBPRStepKernels(t *testing.T) {
	const tol = 1e-14
	r := randSource(31)
	for _, n := range []int{1, 3, 4, 7, 8, 12, 64, 67} {
		xu, yi, yj := randSlice(r, n), randSlice(r, n), randSlice(r, n)
		// Reference: the definitions, term by term.
		var want float64
		for k := range n {
			want += xu[k] * (yi[k] - yj[k])
		}
		if got := bprDiffDot(xu, yi, yj); math.Abs(got-want) > tol*float64(n) {
			t.Errorf("n=%d: bprDiffDot = %v, want %v", n, got, want)
		}
		g, lr, reg := 0.3, 0.05, 0.01
		wx, wi, wj := slices.Clone(xu), slices.Clone(yi), slices.Clone(yj)
		for k := range n {
			x, a, b := xu[k], yi[k], yj[k]
			wx[k] = x + lr*(g*(a-b)-reg*x)
			wi[k] = a + lr*(g*x-reg*a)
			wj[k] = b - lr*(g*x+reg*b)
		}
		bprStep(xu, yi, yj, g, lr, reg)
		for _, c := range []struct {
			name      string
			got, want []float64
		}{{"xu", xu, wx}, {"yi", yi, wi}, {"yj", yj, wj}} {
			if diff := cmp.Diff(c.want, c.got, cmpApprox(tol)); diff != "" {
				t.Errorf("n=%d: bprStep %s (-want +got):\n%s", n, c.name, diff)
			}
		}
	}
}

func TestBPRSeen(t *testing.T) {
	// The bitmap and the binary search answer alike.
	x := mfSynth(25, 50, 130, 800, 2, 0.5)
	bits := newBPRSeen(&x)
	search := &bprSeen{r: &x}
	if bits.bits == nil {
		t.Fatal("no bitmap for a small matrix")
	}
	for u := range x.Rows {
		for i := range int32(x.NumCols) {
			_, want := slices.BinarySearch(x.Row(u), i)
			if bits.has(u, i) != want || search.has(u, i) != want {
				t.Fatalf("user %d item %d: bitmap %v, search %v, want %v", u, i, bits.has(u, i), search.has(u, i), want)
			}
		}
	}
}
