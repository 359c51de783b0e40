package recommenders

import (
	"context"
	"math"

	"github.com/recaudit/recaudit/datasets"
)

// DefaultNeighbors is the neighbourhood size of [ItemKNN] and [UserKNN]
// when their Neighbors field is zero.
const DefaultNeighbors = 50

// ItemKNN is item-based top-N recommendation with cosine similarity
// (Sarwar, Karypis, Konstan and Riedl, "Item-Based Collaborative Filtering
// Recommendation Algorithms", WWW 2001; Deshpande and Karypis, "Item-Based
// Top-N Recommendation Algorithms", ACM TOIS 22(1), 2004).
//
// Fit computes the similarity of every pair of items that share a user,
// from the columns r_i of the user × item matrix (binary, or the
// interaction values when UseValues is set), shrunk towards zero:
//
//	sim(i, j) = r_i·r_j / (‖r_i‖ ‖r_j‖ + Shrink)
//
// and keeps, for each item j, its Neighbors most similar items N(j) with
// a positive similarity (ties by item index). Recommend scores the items
// the user's items point to, as in Deshpande and Karypis's model x = M·u:
//
//	score(u, i) = Σ_{j ∈ I(u), i ∈ N(j)} sim(j, i) · r_uj
//
// (r_uj = 1 unless UseValues), and returns the k best items with a
// positive score that are not in I(u), ties by item index. Items no
// training item points to are not recommended, so a list may be shorter
// than k, and empty for a user without history.
//
// The zero value is ready to use (50 neighbours, no shrinkage, binary).
// Fit and Recommend run in parallel, over items and over users; their
// results do not depend on Workers or GOMAXPROCS.
type ItemKNN struct {
	// Neighbors is the number of neighbours kept per item; 0 means
	// DefaultNeighbors.
	Neighbors int
	// Shrink is added to the cosine denominator, damping similarities
	// computed from few common users. 0 means plain cosine.
	Shrink float64
	// UseValues weights by the interaction values (ratings, counts)
	// instead of treating every interaction as 1.
	UseValues bool
	// Workers is the number of goroutines; <= 0 means GOMAXPROCS.
	Workers int

	train   *datasets.CSR
	nbrOff  []int64 // item j's neighbours: nbrItem[nbrOff[j]:nbrOff[j+1]]
	nbrItem []int32
	nbrSim  []float64
}

func (m *ItemKNN) neighbors() int {
	if m.Neighbors < 0 {
		panic(errNegativeArg)
	}
	if m.Neighbors == 0 {
		return DefaultNeighbors
	}
	return m.Neighbors
}

// weightOf returns the weight of entry j of a CSR: its value, or 1.
func weightOf(m *datasets.CSR, useValues bool, j int64) float64 {
	if useValues && m.Values != nil {
		return float64(m.Values[j])
	}
	return 1
}

// norms returns the Euclidean norm of every row of m (binary, or of the
// values).
func norms(m *datasets.CSR, useValues bool) []float64 {
	out := make([]float64, m.Rows)
	for r := range out {
		if !useValues || m.Values == nil {
			out[r] = math.Sqrt(float64(m.Len(r)))
			continue
		}
		var s float64
		for _, v := range m.RowValues(r) {
			s += float64(v) * float64(v)
		}
		out[r] = math.Sqrt(s)
	}
	return out
}

// Fit computes the item neighbourhoods. For each item i it accumulates
// the co-occurrences r_i·r_j over the rows of i's users into a dense
// scratch vector, then keeps the best Neighbors items (a bounded heap);
// items are processed in parallel. It retains train's interactions until
// the next Fit; the caller must not modify them. Fit panics if
// Neighbors < 0.
func (m *ItemKNN) Fit(ctx context.Context, train *TrainView) error {
	k := m.neighbors()
	if err := ctx.Err(); err != nil {
		return err
	}
	r := &train.Interactions
	n := r.NumCols
	t := r.Transpose()
	if err := ctx.Err(); err != nil {
		return err
	}
	useValues := m.UseValues && r.Values != nil
	norm := norms(&t, useValues)
	kk := min(k, max(n-1, 0))
	workers := workersFor(m.Workers, n)
	type scratch struct {
		co  *cooccur
		top topK
	}
	sc := make([]*scratch, workers)
	// Each item's neighbours go to its own slot, so the model does not
	// depend on which worker computed what.
	nb := newRankBuilder(n, workers, true)
	err := parallelFor(ctx, n, workers, chunk, func(w, i int) error {
		s := sc[w]
		if s == nil {
			s = &scratch{co: newCooccur(n)}
			sc[w] = s
		}
		s.top.reset(kk)
		s.co.run(i, &t, r, useValues, func(j int32, dot float64) {
			if int(j) != i {
				if sim := dot / (norm[i]*norm[j] + m.Shrink); sim > 0 {
					s.top.offer(j, sim, kk)
				}
			}
		})
		items, sims := s.top.sorted()
		nb.put(w, int32(i), items, sims)
		return nil
	})
	if err != nil {
		return err
	}
	model := nb.build()
	m.nbrOff, m.nbrItem, m.nbrSim = model.Offsets, model.Items, model.Scores
	m.train = r
	return nil
}

// Neighbours returns item j's neighbours and their similarities, most
// similar first. The caller must not modify them. It panics if the model
// is not fitted.
func (m *ItemKNN) Neighbours(j int32) ([]int32, []float64) {
	if m.train == nil {
		panic(errNotFitted)
	}
	lo, hi := m.nbrOff[j], m.nbrOff[j+1]
	return m.nbrItem[lo:hi], m.nbrSim[lo:hi]
}

// Recommend returns each user's top-k list (see [Recommender]), scored by
// accumulating the neighbourhoods of the user's items into a dense score
// vector. It panics if k < 0, a user is out of range, or the model is not
// fitted.
func (m *ItemKNN) Recommend(ctx context.Context, users []int32, k int) (datasets.Rankings, error) {
	if m.train == nil {
		panic(errNotFitted)
	}
	r := m.train
	users = checkRecommend(users, r.Rows, k)
	if err := ctx.Err(); err != nil {
		return datasets.Rankings{}, err
	}
	workers := workersFor(m.Workers, len(users))
	b := newRankBuilder(r.Rows, workers, true)
	type scratch struct {
		acc *accumulator
		top topK
	}
	sc := make([]*scratch, workers)
	useValues := m.UseValues && r.Values != nil
	err := forUsers(ctx, users, workers, func(w int, u int32) error {
		s := sc[w]
		if s == nil {
			s = &scratch{acc: newAccumulator(r.NumCols)}
			sc[w] = s
		}
		m.scoreUser(s.acc, r, useValues, u, true)
		items, scores := s.top.sparse(s.acc.vals, s.acc.touched, k, 0)
		b.put(w, u, items, scores)
		return nil
	})
	if err != nil {
		return datasets.Rankings{}, err
	}
	return b.build(), nil
}

// scoreUser accumulates user u's scores into acc, and, with exclude,
// rules out u's training items.
func (m *ItemKNN) scoreUser(acc *accumulator, r *datasets.CSR, useValues bool, u int32, exclude bool) {
	acc.reset()
	lo, hi := r.Offsets[u], r.Offsets[u+1]
	for q := lo; q < hi; q++ {
		j := r.Cols[q]
		wj := weightOf(r, useValues, q)
		a, b := m.nbrOff[j], m.nbrOff[j+1]
		sims := m.nbrSim[a:b]
		for x, i := range m.nbrItem[a:b] {
			acc.add(i, sims[x]*wj)
		}
	}
	if !exclude {
		return
	}
	for _, j := range r.Cols[lo:hi] {
		if acc.has(j) {
			acc.vals[j] = excluded
		}
	}
}

// Score returns the model's scores of items for user (0 for items no
// training item of the user points to); the user's training items are
// scored like any other. It implements [Scorer]. It panics if the model
// is not fitted.
func (m *ItemKNN) Score(user int32, items []int32, dst []float64) []float64 {
	if m.train == nil {
		panic(errNotFitted)
	}
	acc := newAccumulator(m.train.NumCols)
	m.scoreUser(acc, m.train, m.UseValues && m.train.Values != nil, user, false)
	dst = dst[:0]
	for _, i := range items {
		v := 0.0
		if acc.has(i) {
			v = acc.vals[i]
		}
		dst = append(dst, v)
	}
	return dst
}

// ItemKNNFactory returns the registry entry of [ItemKNN].
func ItemKNNFactory() Factory {
	return Factory{
		Doc: "Item-based top-N with cosine similarity over the user-item matrix and Neighbors neighbours per item (Sarwar et al., WWW 2001; Deshpande and Karypis, TOIS 2004).",
		Params: []Param{
			IntParam("neighbors", DefaultNeighbors, "number of most similar items kept per item").AtLeast(1),
			FloatParam("shrink", 0, "added to the cosine denominator; damps similarities from few common users").AtLeast(0),
			BoolParam("use-values", false, "weight by interaction values (ratings, counts) instead of 1"),
		},
		New: func(v Values) (Recommender, error) {
			return &ItemKNN{Neighbors: v.Int("neighbors"), Shrink: v.Float("shrink"), UseValues: v.Bool("use-values")}, nil
		},
	}
}
