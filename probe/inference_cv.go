package probe

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"
	"runtime"
	"slices"
	"sync"
	"sync/atomic"

	"github.com/recaudit/recaudit/fairness"
)

// features builds the design matrix of every user (one row per list) and
// reports which users have a non-empty list. It panics if a category code
// is outside [0, NumCategories).
func (c Inference) features(in InferenceInput) (Sparse, []bool) {
	nUsers := in.Lists.Users()
	itemCols, catCols := in.NumItems, in.NumCategories
	switch c.Features {
	case ItemsOnly:
		catCols = 0
	case CategoriesOnly:
		itemCols = 0
	}
	x := Sparse{Rows: nUsers, Cols: itemCols + catCols, Offsets: make([]int64, nUsers+1)}
	hasList := make([]bool, nUsers)
	seen := make([]bool, max(in.NumItems, 0))
	count := make([]float64, catCols)
	var touched []int32
	var items []int32
	var weights []float64
	for u := range nUsers {
		list := in.Lists.List(u)
		if c.K > 0 && len(list) > c.K {
			list = list[:c.K]
		}
		items, weights = items[:0], weights[:0]
		for r, it := range list {
			if it < 0 || int(it) >= in.NumItems || seen[it] {
				continue
			}
			seen[it] = true
			w := 1.0
			if c.Weighting == LogRanks {
				w = 1 / math.Log2(float64(r)+2)
			}
			items = append(items, it)
			weights = append(weights, w)
		}
		for _, it := range items {
			seen[it] = false
		}
		if len(items) == 0 {
			x.Offsets[u+1] = int64(len(x.Indices))
			continue
		}
		hasList[u] = true
		if itemCols > 0 {
			x.Indices = append(x.Indices, items...)
			x.Values = append(x.Values, weights...)
		}
		if catCols > 0 {
			touched = touched[:0]
			for k, it := range items {
				cats := infItemCats(in.Categories, it)
				for _, cc := range cats {
					if cc < 0 || int(cc) >= catCols {
						panic(errInfLabel)
					}
					if count[cc] == 0 {
						touched = append(touched, cc)
					}
					count[cc] += weights[k] / float64(len(cats))
				}
			}
			// Categories in code order, so that the row does not depend
			// on the order the list visits them.
			slices.Sort(touched)
			for _, cc := range touched {
				x.Indices = append(x.Indices, int32(itemCols)+cc)
				x.Values = append(x.Values, count[cc])
				count[cc] = 0
			}
		}
		x.Offsets[u+1] = int64(len(x.Indices))
	}
	if x.Values == nil {
		x.Values = []float64{}
	}
	return x, hasList
}

// infItemCats returns item it's category codes (none beyond the rows).
func infItemCats(cats fairness.ItemCategories, it int32) []int32 {
	if int(it)+1 >= len(cats.Offsets) {
		return nil
	}
	return cats.Codes[cats.Offsets[it]:cats.Offsets[it+1]]
}

// attribute runs the probe for one target.
func (c Inference) attribute(ctx context.Context, x *Sparse, hasList []bool, t InferenceTarget, seed uint64) (AttributeInference, error) {
	g := t.Grouping
	a := AttributeInference{Attribute: g.Attribute, Classes: []string{}, ClassAUC: []fairness.Float{}, Suppressed: []SuppressedGroup{}}
	counts := make([]int, len(g.Levels))
	for u, code := range g.Codes {
		if code >= 0 && hasList[u] {
			counts[code]++
		}
	}
	newCode := make([]int32, len(g.Levels))
	for l, name := range g.Levels {
		if counts[l] < c.MinGroupSize {
			newCode[l] = -1
			a.Suppressed = append(a.Suppressed, SuppressedGroup{Group: name, Reason: fmt.Sprintf(ReasonInferenceSmall, c.MinGroupSize)})
			continue
		}
		newCode[l] = int32(len(a.Classes))
		a.Classes = append(a.Classes, name)
	}
	a.Suppressed = append(a.Suppressed, t.Suppressed...)
	var rows []int32
	var y []int32
	for u, code := range g.Codes {
		if code >= 0 && hasList[u] && newCode[code] >= 0 {
			rows = append(rows, int32(u))
			y = append(y, newCode[code])
		}
	}
	a.Users = len(rows)
	nan := fairness.Float(math.NaN())
	a.AUC = fairness.Estimate{Value: nan, CI: fairness.Interval2{nan, nan}}
	a.Shuffled = ShuffledAUC{Mean: nan, SD: nan, Min: nan, Max: nan}
	a.Lift = nan
	a.Test = fairness.Test{Method: "permutation", Statistic: nan, P: nan, Q: nan}
	if len(a.Classes) < 2 {
		a.Verdict = InferenceUndetermined
		return a, nil
	}

	cv := &infCV{c: c, x: x, rows: rows, classes: len(a.Classes)}
	aucs, plan, members, notConv, err := cv.run(ctx, y, seed)
	if err != nil {
		return a, err
	}
	a.NotConverged = notConv
	auc := aucs[0]
	for cl := range a.Classes {
		a.ClassAUC = append(a.ClassAUC, fairness.Float(plan.class(cl, nil)))
	}
	lo, hi := c.bootstrap(plan, members, len(rows), infMix(seed, 2))
	a.AUC = fairness.Estimate{Value: fairness.Float(auc), CI: fairness.Interval2{fairness.Float(lo), fairness.Float(hi)}}

	shuffled := aucs[1:]
	var sum, n float64
	mn, mx := math.Inf(1), math.Inf(-1)
	exceed := 0
	for _, s := range shuffled {
		if math.IsNaN(s) {
			continue
		}
		sum += s
		n++
		mn, mx = min(mn, s), max(mx, s)
		if s >= auc {
			exceed++
		}
	}
	if n > 0 {
		mean := sum / n
		var ss float64
		for _, s := range shuffled {
			if !math.IsNaN(s) {
				ss += float64((s - mean) * (s - mean))
			}
		}
		sd := math.NaN()
		if n > 1 {
			sd = math.Sqrt(ss / (n - 1))
		}
		a.Shuffled = ShuffledAUC{Mean: fairness.Float(mean), SD: fairness.Float(sd), Min: fairness.Float(mn), Max: fairness.Float(mx), N: int(n)}
		a.Lift = fairness.Float(auc - mean)
	}
	p := math.NaN()
	if n > 0 && !math.IsNaN(auc) {
		p = float64(1+exceed) / (1 + n)
	}
	a.Test = fairness.Test{Method: PermutationPValue.String(), Statistic: fairness.Float(auc), P: fairness.Float(p), Q: nan, Resamples: int(n)}
	if c.PValue == ShuffledTPValue {
		if t, df, pt, ok := shuffledT(auc, float64(a.Shuffled.Mean), float64(a.Shuffled.SD), int(n)); ok {
			p = pt
			a.Test = fairness.Test{Method: ShuffledTPValue.String(), Statistic: fairness.Float(t), DF: df, P: fairness.Float(p), Q: nan, Resamples: int(n)}
		}
	}
	switch {
	case math.IsNaN(auc) || math.IsNaN(p):
		a.Verdict = InferenceUndetermined
	case p <= c.Alpha && auc-float64(a.Shuffled.Mean) >= c.MinLift:
		a.Verdict = InferenceLeaks
	default:
		a.Verdict = InferenceNoEvidence
	}
	return a, nil
}

// infCV is the cross-validation of one attribute: its real labels
// (replicate 0) and Shuffles shuffled ones.
type infCV struct {
	c       Inference
	x       *Sparse
	rows    []int32 // the modelled users (rows of x), ascending
	classes int
}

// models returns the number of binary models per fold: one for two
// classes, one per class otherwise.
func (cv *infCV) models() int {
	if cv.classes == 2 {
		return 1
	}
	return cv.classes
}

// replicate holds the labels and folds of one replicate.
type infReplicate struct {
	y     []int32   // class of each modelled user (by position in rows)
	train [][]int32 // per fold: positions in rows of the training users
	test  [][]int32 // per fold: positions of the held-out users
	oof   []float64 // out-of-fold decision values, position·classes + class
}

// run fits every replicate and returns the macro AUC of each (index 0 the
// real labels), the AUC plan of replicate 0, the positions of each class's
// members under the real labels, and the number of fits that did not
// converge.
func (cv *infCV) run(ctx context.Context, y []int32, seed uint64) ([]float64, *aucPlan, [][]int32, int, error) {
	c := cv.c
	m := len(cv.rows)
	reps := make([]*infReplicate, c.Shuffles+1)
	repSeed := infMix(seed, 1)
	for r := range reps {
		rng := rand.New(rand.NewPCG(repSeed, uint64(r)))
		rep := &infReplicate{y: make([]int32, m), oof: make([]float64, m*cv.classes)}
		copy(rep.y, y)
		if r > 0 {
			rng.Shuffle(m, func(i, j int) { rep.y[i], rep.y[j] = rep.y[j], rep.y[i] })
		}
		fold := cv.stratify(rep.y, rng)
		rep.train = make([][]int32, c.Folds)
		rep.test = make([][]int32, c.Folds)
		for k, f := range fold {
			for g := range c.Folds {
				if g == int(f) {
					rep.test[g] = append(rep.test[g], int32(k))
				} else {
					rep.train[g] = append(rep.train[g], int32(k))
				}
			}
		}
		reps[r] = rep
	}

	models := cv.models()
	nTasks := len(reps) * c.Folds * models
	var notConv atomic.Int64
	err := infParallel(ctx, nTasks, func(task int) {
		r := task / (c.Folds * models)
		f := task / models % c.Folds
		cls := task % models
		if models == 1 {
			cls = 1 // two classes: class 1 against class 0
		}
		rep := reps[r]
		trainRows := make([]int32, len(rep.train[f]))
		yb := make([]bool, len(trainRows))
		for k, pos := range rep.train[f] {
			trainRows[k] = cv.rows[pos]
			yb[k] = rep.y[pos] == int32(cls)
		}
		model := c.Model.fit(cv.x, trainRows, yb)
		if !model.Converged {
			notConv.Add(1)
		}
		for _, pos := range rep.test[f] {
			z := model.decision(cv.x, int(cv.rows[pos]))
			rep.oof[int(pos)*cv.classes+cls] = z
			if models == 1 {
				rep.oof[int(pos)*cv.classes] = -z
			}
		}
	})
	if err != nil {
		return nil, nil, nil, 0, err
	}

	aucs := make([]float64, len(reps))
	var plan0 *aucPlan
	for r, rep := range reps {
		plan, ok := newAUCPlan(rep.oof, cv.classes, rep.y)
		if !ok {
			aucs[r] = math.NaN()
			continue
		}
		aucs[r] = plan.macro(nil)
		if r == 0 {
			plan0 = plan
		}
	}
	members := make([][]int32, cv.classes)
	for k, l := range y {
		members[l] = append(members[l], int32(k))
	}
	if plan0 == nil { // NaN decision values: nothing to bootstrap
		plan0 = &aucPlan{sorted: make([][]float64, cv.classes), pos: make([][]bool, cv.classes), idx: make([][]int32, cv.classes)}
	}
	return aucs, plan0, members, int(notConv.Load()), nil
}

// stratify assigns the users (by position) to folds, stratified by class:
// each class's members in random order are dealt round-robin to the folds,
// continuing from where the previous class stopped, so that every fold gets
// its share of every class and the folds differ in size by at most one.
func (cv *infCV) stratify(y []int32, rng *rand.Rand) []int32 {
	members := make([][]int32, cv.classes)
	for k, l := range y {
		members[l] = append(members[l], int32(k))
	}
	fold := make([]int32, len(y))
	next := 0
	for _, ms := range members {
		rng.Shuffle(len(ms), func(i, j int) { ms[i], ms[j] = ms[j], ms[i] })
		for _, k := range ms {
			fold[k] = int32(next)
			next = (next + 1) % cv.c.Folds
		}
	}
	return fold
}

// bootstrap returns the percentile interval of the macro AUC over
// c.Bootstrap replicates that resample the users within each class.
func (c Inference) bootstrap(plan *aucPlan, members [][]int32, m int, seed uint64) (lo, hi float64) {
	reps := make([]float64, c.Bootstrap)
	const chunk = 16
	nChunks := (c.Bootstrap + chunk - 1) / chunk
	_ = infParallel(context.Background(), nChunks, func(ch int) {
		w := make([]float64, m)
		for b := ch * chunk; b < min((ch+1)*chunk, c.Bootstrap); b++ {
			rng := rand.New(rand.NewPCG(seed, uint64(b)))
			clear(w)
			for _, ms := range members {
				n := len(ms)
				for range n {
					w[ms[rng.IntN(n)]]++
				}
			}
			reps[b] = plan.macro(w)
		}
	})
	return fairness.PercentileInterval(reps, 1-c.Confidence)
}

// infParallel calls fn(i) for every i in [0, n) on up to GOMAXPROCS
// goroutines. fn must write its results to places that depend on i only.
// It stops handing out work when ctx is cancelled and returns ctx.Err().
func infParallel(ctx context.Context, n int, fn func(i int)) error {
	nw := max(1, min(runtime.GOMAXPROCS(0), n))
	var next atomic.Int64
	var wg sync.WaitGroup
	for range nw {
		wg.Go(func() {
			for ctx.Err() == nil {
				i := int(next.Add(1) - 1)
				if i >= n {
					return
				}
				fn(i)
			}
		})
	}
	wg.Wait()
	return ctx.Err()
}
