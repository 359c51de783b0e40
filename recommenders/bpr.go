package recommenders

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"slices"

	"github.com/recaudit/recaudit/datasets"
)

// Defaults of the BPR parameters (used when a field is zero).
const (
	BPRDefaultFactors   = 64
	BPRDefaultLearnRate = 0.05
	BPRDefaultReg       = 0.01
	BPRDefaultEpochs    = 20
	BPRDefaultStrata    = 8
)

// bprInitScale is the standard deviation of the initial factors.
const bprInitScale = 0.1

// bprMaxTries bounds the draws of a negative item for one triple.
const bprMaxTries = 32

// bprMinBlock is the smallest number of users and of items per stratum
// block: Strata is lowered to keep blocks at least this large.
const bprMinBlock = 32

// BPR is matrix factorisation trained with Bayesian Personalized Ranking
// (Rendle et al.): it maximises
//
//	Σ_{(u,i,j)} ln σ(x̂_ui − x̂_uj) − λ·‖Θ‖²,  x̂_ui = b_i + x_uᵀy_i,
//
// over triples of a user u, an item i of u's training items and an item j
// not among them, by stochastic gradient ascent (plain SGD, constant
// learning rate) on sampled triples: an epoch draws as many triples as
// there are training interactions, the positive pair (u, i) uniformly
// with replacement and j uniformly (redrawn while u has it). Θ holds the
// user factors x_u, item factors y_i and item biases b_i. The score of
// item i for user u is x̂_ui. Interaction values are ignored: every
// training interaction is a positive.
//
// # Deterministic parallel SGD
//
// Hogwild-style parallel SGD is not reproducible, so BPR stratifies each
// epoch instead (as DSGD does for matrix factorisation; Gemulla et al.,
// KDD 2011): users are split once, and items anew every epoch, into
// Strata blocks of about equal interaction counts (at random among items
// of similar popularity); the epoch runs Strata sub-epochs, in sub-epoch
// s the strata (user block b, item block (b+s) mod Strata) are processed
// in parallel, each by one goroutine with its own random stream derived
// from Seed, epoch, s and b, drawing triples whose u, i and j all lie in
// the stratum. Strata of a sub-epoch share no parameter, so the result
// depends on Seed and Strata but not on GOMAXPROCS or scheduling.
// Strata = 1 is the classic sequential algorithm with j drawn from the
// whole catalogue; with more strata j is drawn from i's block, which
// changes every epoch.
//
// The zero value is ready to use with the documented defaults. A fitted
// BPR may be used by several goroutines at once; Fit must not run
// concurrently with other methods.
//
// References: S. Rendle, C. Freudenthaler, Z. Gantner, L. Schmidt-Thieme,
// "BPR: Bayesian Personalized Ranking from Implicit Feedback", UAI 2009,
// https://arxiv.org/abs/1205.2618; R. Gemulla, E. Nijkamp, P. J. Haas,
// Y. Sismanis, "Large-scale matrix factorization with distributed
// stochastic gradient descent", KDD 2011, doi:10.1145/2020408.2020426.
type BPR struct {
	// Factors is the number of latent factors f >= 1; 0 means 64.
	Factors int
	// LearnRate is the SGD step size > 0; 0 means 0.05.
	LearnRate float64
	// Reg is the L2 regularisation λ > 0 of factors and biases; 0 means
	// 0.01.
	Reg float64
	// Epochs is the number of passes >= 1 (each draws as many triples as
	// there are interactions); 0 means 20.
	Epochs int
	// Strata is the number of user and item blocks >= 1, the parallelism
	// of an epoch; 0 means 8. Results depend on it (see above). Fit uses
	// fewer strata when needed to keep at least 32 users and 32 items per
	// block, so that negatives can be drawn within a block.
	Strata int
	// Seed seeds the initial factors and the triple sampling.
	Seed uint64
	// IncludeTraining keeps the user's training items in recommendation lists
	// (default: excluded).
	IncludeTraining bool

	train  *datasets.CSR // fitted training interactions (not copied)
	f      int
	xf, yf []float64 // users × f and items × f, row-major
	bias   []float64 // items
}

var (
	_ Recommender = (*BPR)(nil)
	_ Scorer      = (*BPR)(nil)
)

// NewBPR returns an unfitted BPR with the parameters of p.
func NewBPR(p BPR) *BPR {
	p.train, p.xf, p.yf, p.bias, p.f = nil, nil, nil, nil, 0
	return &p
}

// Validate reports a parameter out of range, naming it and the allowed
// range.
func (m *BPR) Validate() error {
	switch {
	case m.Factors < 0 || m.Factors > 4096:
		return fmt.Errorf("recommenders: BPR.Factors = %d, want 1..4096 (0 means %d)", m.Factors, BPRDefaultFactors)
	case !mfPositiveOrZero(m.LearnRate):
		return fmt.Errorf("recommenders: BPR.LearnRate = %v, want a finite number > 0 (0 means %v)", m.LearnRate, BPRDefaultLearnRate)
	case !mfPositiveOrZero(m.Reg):
		return fmt.Errorf("recommenders: BPR.Reg = %v, want a finite number > 0 (0 means %v)", m.Reg, BPRDefaultReg)
	case m.Epochs < 0:
		return fmt.Errorf("recommenders: BPR.Epochs = %d, want >= 1 (0 means %d)", m.Epochs, BPRDefaultEpochs)
	case m.Strata < 0 || m.Strata > 1024:
		return fmt.Errorf("recommenders: BPR.Strata = %d, want 1..1024 (0 means %d)", m.Strata, BPRDefaultStrata)
	}
	return nil
}

// bprParams are the parameters with defaults applied.
type bprParams struct {
	f, epochs, strata int
	lr, reg           float64
	seed              uint64
}

func (m *BPR) params() bprParams {
	return bprParams{
		f:      mfOr(m.Factors, BPRDefaultFactors),
		epochs: mfOr(m.Epochs, BPRDefaultEpochs),
		strata: mfOr(m.Strata, BPRDefaultStrata),
		lr:     mfOr(m.LearnRate, BPRDefaultLearnRate),
		reg:    mfOr(m.Reg, BPRDefaultReg),
		seed:   m.Seed,
	}
}

// bprMix derives a stream identifier from epoch, sub-epoch and block
// (SplitMix64 finaliser).
func bprMix(a, b, c uint64) uint64 {
	z := a*0x9e3779b97f4a7c15 ^ b*0xbf58476d1ce4e5b9 ^ c*0x94d049bb133111eb
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9
	z = (z ^ (z >> 27)) * 0x94d049bb133111eb
	return z ^ (z >> 31)
}

// bprBlocks assigns the ids (ordered by decreasing degree, ties by id) to
// s blocks: each run of s consecutive ids gets a random permutation of the
// blocks, so blocks have about equal interaction counts.
func bprBlocks(order []int32, s int, rng *rand.Rand, block []int32) {
	perm := make([]int32, s)
	for g := 0; g < len(order); g += s {
		for i := range perm {
			perm[i] = int32(i)
		}
		rng.Shuffle(s, func(i, j int) { perm[i], perm[j] = perm[j], perm[i] })
		for q, id := range order[g:min(g+s, len(order))] {
			block[id] = perm[q]
		}
	}
}

// bprByDegree returns 0..n-1 ordered by decreasing deg, ties by index.
func bprByDegree(deg []int64) []int32 {
	order := make([]int32, len(deg))
	for i := range order {
		order[i] = int32(i)
	}
	slices.SortStableFunc(order, func(a, b int32) int { return cmp.Compare(deg[b], deg[a]) })
	return order
}

// Fit learns the factors from train. It keeps a reference to
// train.Interactions (to exclude training items and reject negatives),
// which must not change while the model is used. Fit returns an error for
// invalid parameters, a malformed matrix or non-finite values, and
// ctx.Err() when ctx is done (checked between sub-epochs). On error the
// previous fit, if any, is discarded.
func (m *BPR) Fit(ctx context.Context, train *TrainView) error {
	m.train, m.xf, m.yf, m.bias = nil, nil, nil, nil
	if err := m.Validate(); err != nil {
		return err
	}
	if err := mfCheckTrain("BPR", train, false); err != nil {
		return err
	}
	p := m.params()
	r := &train.Interactions
	nu, ni, f := r.Rows, r.NumCols, p.f
	s := min(p.strata, max(1, min(nu, ni)/bprMinBlock))
	rng := rand.New(rand.NewPCG(p.seed, 0xb9e))
	x := make([]float64, nu*f)
	y := make([]float64, ni*f)
	for i := range x {
		x[i] = rng.NormFloat64() * bprInitScale
	}
	for i := range y {
		y[i] = rng.NormFloat64() * bprInitScale
	}
	bias := make([]float64, ni)

	// Fixed user blocks; row of every entry.
	udeg := make([]int64, nu)
	rowOf := make([]int32, r.NNZ())
	for u := range nu {
		udeg[u] = int64(r.Len(u))
		for j := r.Offsets[u]; j < r.Offsets[u+1]; j++ {
			rowOf[j] = int32(u)
		}
	}
	ublock := make([]int32, nu)
	bprBlocks(bprByDegree(udeg), s, rng, ublock)
	ideg := make([]int64, ni)
	for _, i := range r.Cols {
		ideg[i]++
	}
	iorder := bprByDegree(ideg)
	iblock := make([]int32, ni)
	itemsOff := make([]int32, s+1) // items of block c: items[itemsOff[c]:itemsOff[c+1]]
	items := make([]int32, ni)
	stratOff := make([]int64, s*s+1)
	strat := make([]bprPair, r.NNZ()) // interactions grouped by stratum
	seen := newBPRSeen(r)

	for epoch := range p.epochs {
		erng := rand.New(rand.NewPCG(p.seed, bprMix(uint64(epoch), 1<<40, 0)))
		bprBlocks(iorder, s, erng, iblock)
		clear(itemsOff)
		for _, c := range iblock {
			itemsOff[c+1]++
		}
		for c := range s {
			itemsOff[c+1] += itemsOff[c]
		}
		next := slices.Clone(itemsOff[:s])
		for i, c := range iblock {
			items[next[c]] = int32(i)
			next[c]++
		}
		clear(stratOff)
		for j, i := range r.Cols {
			stratOff[int(ublock[rowOf[j]])*s+int(iblock[i])+1]++
		}
		for q := range s * s {
			stratOff[q+1] += stratOff[q]
		}
		pos := slices.Clone(stratOff[:s*s])
		for j, i := range r.Cols {
			u := rowOf[j]
			q := int(ublock[u])*s + int(iblock[i])
			strat[pos[q]] = bprPair{u, i}
			pos[q]++
		}
		for sub := range s {
			if err := ctx.Err(); err != nil {
				return err
			}
			err := mfParallel(ctx, s, func(_, b int) {
				c := (b + sub) % s
				q := b*s + c
				srng := rand.New(rand.NewPCG(p.seed, bprMix(uint64(epoch), uint64(sub), uint64(b))))
				bprStratum(&p, seen, strat[stratOff[q]:stratOff[q+1]], items[itemsOff[c]:itemsOff[c+1]], srng, x, y, bias)
			})
			if err != nil {
				return err
			}
		}
	}
	m.train, m.f, m.xf, m.yf, m.bias = r, f, x, y, bias
	return nil
}

// bprPair is a training interaction.
type bprPair struct{ u, i int32 }

// bprSeen answers whether a user has a training item: from a bitmap when
// it is small enough, else by binary search in the user's row.
type bprSeen struct {
	r     *datasets.CSR
	words int
	bits  []uint64
}

// bprBitmapLimit is the largest users × items bitmap (in bits) bprSeen
// builds: 512 Mbit = 64 MiB.
const bprBitmapLimit = 1 << 29

func newBPRSeen(r *datasets.CSR) *bprSeen {
	s := &bprSeen{r: r}
	if uint64(r.Rows)*uint64(r.NumCols) > bprBitmapLimit {
		return s
	}
	s.words = (r.NumCols + 63) / 64
	s.bits = make([]uint64, r.Rows*s.words)
	for u := range r.Rows {
		for _, i := range r.Row(u) {
			s.bits[u*s.words+int(i)/64] |= 1 << (uint(i) % 64)
		}
	}
	return s
}

// has reports whether user u has item i in training.
func (s *bprSeen) has(u int, i int32) bool {
	if s.bits != nil {
		return s.bits[u*s.words+int(i)/64]&(1<<(uint(i)%64)) != 0
	}
	_, ok := slices.BinarySearch(s.r.Row(u), i)
	return ok
}

// bprStratum runs len(pairs) SGD steps on triples drawn from a stratum:
// (u, i) from pairs, j from candidates.
func bprStratum(p *bprParams, seen *bprSeen, pairs []bprPair, candidates []int32,
	rng *rand.Rand, x, y, bias []float64) {
	if len(pairs) == 0 || len(candidates) == 0 {
		return
	}
	f, lr, reg := p.f, p.lr, p.reg
	for range pairs {
		e := pairs[rng.IntN(len(pairs))]
		u, i := int(e.u), int(e.i)
		j := -1
		for range bprMaxTries {
			c := candidates[rng.IntN(len(candidates))]
			if !seen.has(u, c) {
				j = int(c)
				break
			}
		}
		if j < 0 {
			continue // u has (nearly) every candidate
		}
		xu := x[u*f : (u+1)*f]
		yi := y[i*f : (i+1)*f]
		yj := y[j*f : (j+1)*f]
		d := bias[i] - bias[j] + bprDiffDot(xu, yi, yj)
		g := 1 / (1 + math.Exp(d)) // σ(−d), the gradient of ln σ(d)
		bprStep(xu, yi, yj, g, lr, reg)
		bias[i] += lr * (g - reg*bias[i])
		bias[j] += lr * (-g - reg*bias[j])
	}
}

// bprStepGo applies one SGD step to the factors: for each k, with x, a, b
// the old xu[k], yi[k], yj[k],
//
//	xu[k] = x + lr·(g·(a − b) − reg·x)
//	yi[k] = a + lr·(g·x − reg·a)
//	yj[k] = b − lr·(g·x + reg·b)
func bprStepGo(xu, yi, yj []float64, g, lr, reg float64) {
	yi, yj = yi[:len(xu)], yj[:len(xu)]
	for k, x := range xu {
		a, b := yi[k], yj[k]
		xu[k] = x + lr*(g*(a-b)-reg*x)
		yi[k] = a + lr*(g*x-reg*a)
		yj[k] = b - lr*(g*x+reg*b)
	}
}

// Recommend returns the top-k items of each user in users by
// b_i + x_uᵀy_i, ties broken by item index ascending, training items
// excluded unless IncludeTraining. See [Recommender]. Recommend panics if
// k < 0 or a user is out of range; it returns an error if the model is not
// fitted, and ctx.Err() when ctx is done.
func (m *BPR) Recommend(ctx context.Context, users []int32, k int) (datasets.Rankings, error) {
	if m.xf == nil {
		return datasets.Rankings{}, errors.New("recommenders: BPR.Recommend called before a successful Fit")
	}
	return mfFactorRecommend(ctx, m.train, users, k, m.IncludeTraining, m.f, m.xf, m.yf, m.bias)
}

// Score implements [Scorer]: b_i + x_uᵀy_i for each item, the values
// Recommend ranks by, training items included. Score panics if the model
// is not fitted or an index is out of range.
func (m *BPR) Score(user int32, items []int32, dst []float64) []float64 {
	if m.xf == nil {
		panic(mfErrNotFitted)
	}
	return mfFactorScore(m.train, user, items, dst, m.f, m.xf, m.yf, m.bias)
}
