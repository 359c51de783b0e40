package recommenders

import (
	"context"
	"runtime"
	"testing"
	"time"
)

// BenchmarkEASE times Fit and top-100 Recommend for every user over the
// size ladder (mfBenchSizes).
func BenchmarkEASE(b *testing.B) {
	mfBench(b, func() Recommender { return &EASE{} })
}

// BenchmarkEASEVsNumPy fits EASE on the large rung and runs
// testdata/ease_numpy.py (Debian python3-numpy with OpenBLAS,
// OPENBLAS_NUM_THREADS = GOMAXPROCS) on the same matrix in the same run,
// reporting both fit times (NumPy's split into the dense XᵀX and the
// inverse), both score-and-top-100 times and the ratio Go/NumPy of fit
// times. It skips without NumPy.
func BenchmarkEASEVsNumPy(b *testing.B) {
	py := easeNumPy()
	if py == "" {
		b.Skip("no python3 with numpy (Debian: apt-get install python3-numpy)")
	}
	x := mfBenchData(mfBenchSizes[len(mfBenchSizes)-1])
	view := &TrainView{Interactions: *x}
	var goFit, goRec, npFit, npGram, npInv, npRec float64
	for b.Loop() {
		res := easeRunNumPy(b, py, x, EASEDefaultLambda, "", 100)
		npFit += res["fit_s"].(float64)
		npGram += res["gram_s"].(float64)
		npInv += res["inverse_s"].(float64)
		npRec += res["recommend_s"].(float64)
		runtime.GC()
		e := &EASE{}
		t0 := time.Now()
		if err := e.Fit(context.Background(), view); err != nil {
			b.Fatal(err)
		}
		goFit += time.Since(t0).Seconds()
		t0 = time.Now()
		if _, err := e.Recommend(context.Background(), allUsers(x.Rows), 100); err != nil {
			b.Fatal(err)
		}
		goRec += time.Since(t0).Seconds()
	}
	n := float64(b.N)
	b.ReportMetric(goFit/n, "go-fit-s")
	b.ReportMetric(goRec/n, "go-rec-s")
	b.ReportMetric(npFit/n, "numpy-fit-s")
	b.ReportMetric(npGram/n, "numpy-gram-s")
	b.ReportMetric(npInv/n, "numpy-inv-s")
	b.ReportMetric(npRec/n, "numpy-rec-s")
	b.ReportMetric(goFit/npFit, "go/numpy-fit")
}
