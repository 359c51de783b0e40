package recommenders

import (
	"context"
	"errors"
	"fmt"
	"math"
	"math/rand/v2"

	"github.com/recaudit/recaudit/datasets"
)

// ALSConfidence selects how ALS turns an interaction value r into a
// confidence c.
type ALSConfidence int

const (
	// ALSLinear is c = 1 + α·r (Hu, Koren & Volinsky, eq. 3).
	ALSLinear ALSConfidence = iota
	// ALSLog is c = 1 + α·log(1 + r/ε) (Hu, Koren & Volinsky, eq. 6).
	ALSLog
)

// Defaults of the ALS parameters (used when a field is zero).
const (
	ALSDefaultFactors    = 64
	ALSDefaultAlpha      = 10
	ALSDefaultReg        = 100
	ALSDefaultIterations = 15
	ALSDefaultCGSteps    = 3
	ALSDefaultEpsilon    = 1
)

// alsInitScale is the standard deviation of the initial factors.
const alsInitScale = 0.01

// ALS is matrix factorisation for implicit feedback by alternating least
// squares (Hu, Koren & Volinsky). With preference p_ui = 1 if r_ui > 0
// else 0 and confidence c_ui (1 for pairs without an interaction; see
// ALSConfidence), it minimises
//
//	Σ_{u,i} c_ui·(p_ui − x_uᵀy_i)² + λ·(Σ_u ‖x_u‖² + Σ_i ‖y_i‖²)
//
// over user factors x_u and item factors y_i, alternating between users
// and items. Each user's least-squares system
//
//	(YᵀY + λI + Σ_{i∈u} (c_ui − 1)·y_i·y_iᵀ)·x_u = Σ_{i∈u} c_ui·p_ui·y_i
//
// is solved approximately by CGSteps steps of conjugate gradient warm-
// started at the previous x_u (Takács, Pilászy & Tikk), with YᵀY computed
// once per half-iteration, so a step costs O(f² + f·|u|); items likewise.
// The score of item i for user u is x_uᵀy_i.
//
// The zero value is ready to use with the documented defaults. Fit is
// parallel over users and items (GOMAXPROCS goroutines); the factors are
// initialised from Seed with N(0, 0.01²) entries, and results depend only
// on the parameters and Seed, not on GOMAXPROCS. Interaction values must
// be finite and non-negative (nil values mean r = 1). A fitted ALS may be
// used by several goroutines at once; Fit must not run concurrently with
// other methods.
//
// References: Y. Hu, Y. Koren, C. Volinsky, "Collaborative Filtering for
// Implicit Feedback Datasets", ICDM 2008, doi:10.1109/ICDM.2008.22;
// G. Takács, I. Pilászy, D. Tikk, "Applications of the conjugate gradient
// method for implicit feedback collaborative filtering", RecSys 2011,
// doi:10.1145/2043932.2043987.
type ALS struct {
	// Factors is the number of latent factors f >= 1; 0 means 64.
	Factors int
	// Alpha is the confidence weight α > 0; 0 means 10. (Hu et al. used
	// 40 on their data; 10 did better on recaudit's synthetic benchmark.)
	Alpha float64
	// Reg is the regularisation λ > 0; 0 means 100. The best λ grows with
	// the confidence mass per user (α times interactions per user): tune
	// Alpha and Reg together on held-out data.
	Reg float64
	// Iterations is the number of alternating rounds (users then items)
	// >= 1; 0 means 15.
	Iterations int
	// CGSteps is the number of conjugate-gradient steps per solve >= 1; 0
	// means 3. CGSteps >= Factors solves each system exactly (up to
	// rounding).
	CGSteps int
	// Confidence is the confidence scaling; the zero value is ALSLinear.
	Confidence ALSConfidence
	// Epsilon is ε > 0 of ALSLog; 0 means 1.
	Epsilon float64
	// Seed seeds the initial factors.
	Seed uint64
	// IncludeTraining keeps the user's training items in recommendation lists
	// (default: excluded).
	IncludeTraining bool

	train  *datasets.CSR // fitted training interactions (not copied)
	f      int
	xf, yf []float64 // users × f and items × f, row-major
}

var (
	_ Recommender = (*ALS)(nil)
	_ Scorer      = (*ALS)(nil)
)

// NewALS returns an unfitted ALS with the parameters of p.
func NewALS(p ALS) *ALS {
	p.train, p.xf, p.yf, p.f = nil, nil, nil, 0
	return &p
}

// Validate reports a parameter out of range, naming it and the allowed
// range.
func (a *ALS) Validate() error {
	switch {
	case a.Factors < 0 || a.Factors > 4096:
		return fmt.Errorf("recommenders: ALS.Factors = %d, want 1..4096 (0 means %d)", a.Factors, ALSDefaultFactors)
	case !mfPositiveOrZero(a.Alpha):
		return fmt.Errorf("recommenders: ALS.Alpha = %v, want a finite number > 0 (0 means %v)", a.Alpha, ALSDefaultAlpha)
	case !mfPositiveOrZero(a.Reg):
		return fmt.Errorf("recommenders: ALS.Reg = %v, want a finite number > 0 (0 means %v)", a.Reg, ALSDefaultReg)
	case a.Iterations < 0:
		return fmt.Errorf("recommenders: ALS.Iterations = %d, want >= 1 (0 means %d)", a.Iterations, ALSDefaultIterations)
	case a.CGSteps < 0:
		return fmt.Errorf("recommenders: ALS.CGSteps = %d, want >= 1 (0 means %d)", a.CGSteps, ALSDefaultCGSteps)
	case a.Confidence != ALSLinear && a.Confidence != ALSLog:
		return fmt.Errorf("recommenders: ALS.Confidence = %d, want ALSLinear (%d) or ALSLog (%d)", a.Confidence, ALSLinear, ALSLog)
	case !mfPositiveOrZero(a.Epsilon):
		return fmt.Errorf("recommenders: ALS.Epsilon = %v, want a finite number > 0 (0 means %v)", a.Epsilon, ALSDefaultEpsilon)
	}
	return nil
}

// mfPositiveOrZero reports whether v is finite and >= 0.
func mfPositiveOrZero(v float64) bool { return v >= 0 && !math.IsInf(v, 1) }

// mfOr returns v, or def when v is zero.
func mfOr[T int | float64](v, def T) T {
	if v == 0 {
		return def
	}
	return v
}

// alsParams are the parameters with defaults applied.
type alsParams struct {
	f, iters, steps int
	alpha, reg, eps float64
	conf            ALSConfidence
}

func (a *ALS) params() alsParams {
	return alsParams{
		f:     mfOr(a.Factors, ALSDefaultFactors),
		iters: mfOr(a.Iterations, ALSDefaultIterations),
		steps: mfOr(a.CGSteps, ALSDefaultCGSteps),
		alpha: mfOr(a.Alpha, ALSDefaultAlpha),
		reg:   mfOr(a.Reg, ALSDefaultReg),
		eps:   mfOr(a.Epsilon, ALSDefaultEpsilon),
		conf:  a.Confidence,
	}
}

// confidence returns c for value r.
func (p *alsParams) confidence(r float64) float64 {
	if p.conf == ALSLog {
		return 1 + p.alpha*math.Log1p(r/p.eps)
	}
	return 1 + p.alpha*r
}

// Fit learns the factors from train. It keeps a reference to
// train.Interactions (to exclude training items), which must not change
// while the model is used. Fit returns an error for invalid parameters, a
// malformed matrix or negative or non-finite values, and ctx.Err() when
// ctx is done (checked between blocks of users or items). On error the
// previous fit, if any, is discarded.
func (a *ALS) Fit(ctx context.Context, train *TrainView) error {
	a.train, a.xf, a.yf = nil, nil, nil
	if err := a.Validate(); err != nil {
		return err
	}
	if err := mfCheckTrain("ALS", train, true); err != nil {
		return err
	}
	p := a.params()
	r := &train.Interactions
	x, y := alsInit(a.Seed, r.Rows, r.NumCols, p.f)
	rt := r.Transpose()
	for range p.iters {
		if err := alsHalfStep(ctx, &p, r, x, y); err != nil {
			return err
		}
		if err := alsHalfStep(ctx, &p, &rt, y, x); err != nil {
			return err
		}
	}
	a.train, a.f, a.xf, a.yf = r, p.f, x, y
	return nil
}

// alsInit returns users × f and items × f factors with N(0, 0.01²)
// entries drawn from one PCG stream seeded by seed: users first, then
// items.
func alsInit(seed uint64, users, items, f int) (x, y []float64) {
	rng := rand.New(rand.NewPCG(seed, 0xa15))
	x = make([]float64, users*f)
	y = make([]float64, items*f)
	for i := range x {
		x[i] = rng.NormFloat64() * alsInitScale
	}
	for i := range y {
		y[i] = rng.NormFloat64() * alsInitScale
	}
	return x, y
}

// alsGram returns YᵀY (f×f) for the rows of y.
func alsGram(y []float64, f int) []float64 {
	g := make([]float64, f*f)
	gm := linalgGemm{m: f, n: f, k: len(y) / f, alpha: 1, a: y, lda: f, transA: true, b: y, ldb: f, c: g, ldc: f, serial: true}
	_ = gm.run(context.Background())
	return g
}

// alsHalfStep updates the rows of x (one per row of r) with y fixed.
func alsHalfStep(ctx context.Context, p *alsParams, r *datasets.CSR, x, y []float64) error {
	f := p.f
	yty := alsGram(y, f)
	for i := range f {
		yty[i*f+i] += p.reg
	}
	const rowsPerTask = 64
	ntasks := (r.Rows + rowsPerTask - 1) / rowsPerTask
	scratch := make([][]float64, mfWorkers(ntasks))
	return mfParallel(ctx, ntasks, func(w, task int) {
		if scratch[w] == nil {
			scratch[w] = make([]float64, 3*f)
		}
		s := scratch[w]
		for u := task * rowsPerTask; u < min((task+1)*rowsPerTask, r.Rows); u++ {
			alsSolve(p, yty, r, u, x[u*f:(u+1)*f], y, s)
		}
	})
}

// alsApply sets dst = (YᵀY + λI)·v + Σ_{i∈row} (c_i − 1)·(y_i·v)·y_i, with
// yty already holding YᵀY + λI.
func alsApply(p *alsParams, yty []float64, cols []int32, vals []float32, y, v, dst []float64) {
	f := p.f
	for a := range f {
		dst[a] = linalgDot(yty[a*f:(a+1)*f], v)
	}
	for q, i := range cols {
		r := 1.0
		if vals != nil {
			r = float64(vals[q])
		}
		c1 := p.confidence(r) - 1
		if c1 == 0 {
			continue
		}
		yi := y[int(i)*f : int(i+1)*f]
		linalgAxpyTo(c1*linalgDot(yi, v), yi, dst)
	}
}

// alsSolve runs the conjugate-gradient steps on row u's system, updating
// xu in place. s is scratch of 3f floats.
func alsSolve(p *alsParams, yty []float64, r *datasets.CSR, u int, xu, y, s []float64) {
	f := p.f
	res, dir, ad := s[:f], s[f:2*f], s[2*f:3*f]
	cols, vals := r.Row(u), r.RowValues(u)
	// res = b − A·xu, b = Σ c_i·p_i·y_i.
	alsApply(p, yty, cols, vals, y, xu, ad)
	for a := range res {
		res[a] = -ad[a]
	}
	for q, i := range cols {
		rv := 1.0
		if vals != nil {
			rv = float64(vals[q])
		}
		if rv > 0 {
			linalgAxpyTo(p.confidence(rv), y[int(i)*f:int(i+1)*f], res)
		}
	}
	copy(dir, res)
	rs := linalgDot(res, res)
	for range p.steps {
		if rs < 1e-20 {
			break
		}
		alsApply(p, yty, cols, vals, y, dir, ad)
		pap := linalgDot(dir, ad)
		if !(pap > 0) {
			break
		}
		step := rs / pap
		linalgAxpyTo(step, dir, xu)
		linalgAxpyTo(-step, ad, res)
		rsNew := linalgDot(res, res)
		beta := rsNew / rs
		for a := range dir {
			dir[a] = res[a] + beta*dir[a]
		}
		rs = rsNew
	}
}

// alsLoss returns the objective of the factors x, y on r (for tests).
func alsLoss(p *alsParams, r *datasets.CSR, x, y []float64) float64 {
	f := p.f
	yty := alsGram(y, f)
	var loss float64
	tmp := make([]float64, f)
	for u := range r.Rows {
		xu := x[u*f : (u+1)*f]
		// Σ over all items of (x_u·y_i)², then correct the observed ones.
		for a := range f {
			tmp[a] = linalgDot(yty[a*f:(a+1)*f], xu)
		}
		loss += linalgDot(tmp, xu)
		vals := r.RowValues(u)
		for q, i := range r.Row(u) {
			rv := 1.0
			if vals != nil {
				rv = float64(vals[q])
			}
			pref := 0.0
			if rv > 0 {
				pref = 1
			}
			s := linalgDot(xu, y[int(i)*f:int(i+1)*f])
			loss += p.confidence(rv)*(pref-s)*(pref-s) - s*s
		}
	}
	return loss + p.reg*(linalgDot(x, x)+linalgDot(y, y))
}

// Recommend returns the top-k items of each user in users by x_uᵀy_i,
// ties broken by item index ascending, training items excluded unless
// IncludeTraining. See [Recommender]. Recommend panics if k < 0 or a user is
// out of range; it returns an error if the model is not fitted, and
// ctx.Err() when ctx is done.
func (a *ALS) Recommend(ctx context.Context, users []int32, k int) (datasets.Rankings, error) {
	if a.xf == nil {
		return datasets.Rankings{}, errors.New("recommenders: ALS.Recommend called before a successful Fit")
	}
	return mfFactorRecommend(ctx, a.train, users, k, a.IncludeTraining, a.f, a.xf, a.yf, nil)
}

// Score implements [Scorer]: x_uᵀy_i for each item, the values Recommend
// ranks by, training items included. Score panics if the model is not
// fitted or an index is out of range.
func (a *ALS) Score(user int32, items []int32, dst []float64) []float64 {
	if a.xf == nil {
		panic(mfErrNotFitted)
	}
	return mfFactorScore(a.train, user, items, dst, a.f, a.xf, a.yf, nil)
}

// mfFactorRecommend is Recommend for a factor model: score(u, i) =
// bias_i + x_u·y_i (bias nil means 0), computed for blocks of users as one
// matrix product.
func mfFactorRecommend(ctx context.Context, train *datasets.CSR, users []int32, k int, includeSeen bool,
	f int, x, y, bias []float64) (datasets.Rankings, error) {
	const perJob = 64
	n := train.NumCols
	return mfRecommend(ctx, train, users, k, includeSeen, perJob, func() func([]int32, []float64) {
		xb := make([]float64, perJob*f)
		return func(block []int32, dst []float64) {
			for r, u := range block {
				copy(xb[r*f:(r+1)*f], x[int(u)*f:int(u+1)*f])
				row := dst[r*n : (r+1)*n]
				if bias != nil {
					copy(row, bias)
				} else {
					clear(row)
				}
			}
			g := linalgGemm{m: len(block), n: n, k: f, alpha: 1, a: xb, lda: f, b: y, ldb: f, transB: true,
				c: dst, ldc: n, serial: true}
			_ = g.run(context.Background())
		}
	})
}

// mfFactorScore is Score for a factor model, reproducing
// mfFactorRecommend's values exactly.
func mfFactorScore(train *datasets.CSR, user int32, items []int32, dst []float64, f int, x, y, bias []float64) []float64 {
	if user < 0 || int(user) >= train.Rows {
		panic(fmt.Sprintf("%s: %d not in [0, %d)", mfErrUserRange, user, train.Rows))
	}
	mfCheckItems(items, train.NumCols)
	dst = mfGrow(dst, len(items))
	xu := x[int(user)*f : int(user+1)*f]
	for q, i := range items {
		var b0 float64
		if bias != nil {
			b0 = bias[i]
		}
		dst[q] = linalgDotFrom(b0, xu, y[int(i)*f:int(i+1)*f])
	}
	return dst
}
