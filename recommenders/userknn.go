package recommenders

import (
	"context"

	"github.com/recaudit/recaudit/datasets"
)

// UserKNN is user-based top-N recommendation with cosine similarity
// (Breese, Heckerman and Kadie, "Empirical Analysis of Predictive
// Algorithms for Collaborative Filtering", UAI 1998; Herlocker, Konstan,
// Borchers and Riedl, "An Algorithmic Framework for Performing
// Collaborative Filtering", SIGIR 1999).
//
// For user u, the similarity to every user v sharing an item is the
// cosine of their rows of the user × item matrix (binary, or the
// interaction values when UseValues is set), shrunk towards zero:
//
//	sim(u, v) = r_u·r_v / (‖r_u‖ ‖r_v‖ + Shrink)
//
// The Neighbors most similar users N(u) with a positive similarity (ties
// by user index) vote for their items, weighted by similarity:
//
//	score(u, i) = Σ_{v ∈ N(u)} sim(u, v) · r_vi
//
// (r_vi = 1 unless UseValues), and the k best items with a positive score
// that u did not interact with in training are returned, ties by item
// index. A list may be shorter than k, and is empty for a user without
// history. For top-N lists the sum of votes is used rather than
// Herlocker's mean-centred rating prediction, which ranks items by
// predicted rating instead of by evidence.
//
// Fit only indexes the data; neighbourhoods are found in Recommend, in
// parallel over users, for the users asked for. The zero value is ready to
// use (50 neighbours, no shrinkage, binary).
type UserKNN struct {
	// Neighbors is the number of most similar users that vote; 0 means
	// DefaultNeighbors.
	Neighbors int
	// Shrink is added to the cosine denominator, damping similarities
	// computed from few common items. 0 means plain cosine.
	Shrink float64
	// UseValues weights by the interaction values instead of 1.
	UseValues bool
	// Workers is the number of goroutines; <= 0 means GOMAXPROCS.
	Workers int

	train *datasets.CSR
	byCol datasets.CSR // items × users
	norm  []float64    // by user
}

func (m *UserKNN) neighbors() int {
	if m.Neighbors < 0 {
		panic(errNegativeArg)
	}
	if m.Neighbors == 0 {
		return DefaultNeighbors
	}
	return m.Neighbors
}

// Fit indexes the training interactions by item and computes the users'
// norms. It retains train's interactions until the next Fit; the caller
// must not modify them. Fit panics if Neighbors < 0.
func (m *UserKNN) Fit(ctx context.Context, train *TrainView) error {
	m.neighbors()
	if err := ctx.Err(); err != nil {
		return err
	}
	r := &train.Interactions
	t := r.Transpose()
	norm := norms(r, m.UseValues && r.Values != nil)
	if err := ctx.Err(); err != nil {
		return err
	}
	m.train, m.byCol, m.norm = r, t, norm
	return nil
}

type userKNNScratch struct {
	co        *cooccur
	itemAcc   *accumulator
	nbrs, top topK
}

// Recommend returns each user's top-k list (see [Recommender]). It panics
// if k < 0, a user is out of range, or the model is not fitted.
func (m *UserKNN) Recommend(ctx context.Context, users []int32, k int) (datasets.Rankings, error) {
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
	sc := make([]*userKNNScratch, workers)
	err := forUsers(ctx, users, workers, func(w int, u int32) error {
		s := sc[w]
		if s == nil {
			s = m.newScratch()
			sc[w] = s
		}
		if k == 0 {
			b.put(w, u, nil, nil)
			return nil
		}
		m.scoreUser(s, u, true)
		items, scores := s.top.sparse(s.itemAcc.vals, s.itemAcc.touched, k, 0)
		b.put(w, u, items, scores)
		return nil
	})
	if err != nil {
		return datasets.Rankings{}, err
	}
	return b.build(), nil
}

func (m *UserKNN) newScratch() *userKNNScratch {
	return &userKNNScratch{co: newCooccur(m.train.Rows), itemAcc: newAccumulator(m.train.NumCols)}
}

// scoreUser finds u's neighbours and accumulates their votes into
// s.itemAcc, and, with exclude, rules out u's training items.
func (m *UserKNN) scoreUser(s *userKNNScratch, u int32, exclude bool) {
	r, t := m.train, &m.byCol
	useValues := m.UseValues && r.Values != nil
	lo, hi := r.Offsets[u], r.Offsets[u+1]
	k := m.neighbors()
	s.nbrs.reset(k)
	s.co.run(int(u), r, t, useValues, func(v int32, dot float64) {
		if v != u {
			if sim := dot / (m.norm[u]*m.norm[v] + m.Shrink); sim > 0 {
				s.nbrs.offer(v, sim, k)
			}
		}
	})
	nbrs, nsims := s.nbrs.sorted()
	s.itemAcc.reset()
	for x, v := range nbrs {
		sv := nsims[x]
		for p := r.Offsets[v]; p < r.Offsets[v+1]; p++ {
			s.itemAcc.add(r.Cols[p], sv*weightOf(r, useValues, p))
		}
	}
	if !exclude {
		return
	}
	for _, j := range r.Cols[lo:hi] {
		if s.itemAcc.has(j) {
			s.itemAcc.vals[j] = excluded
		}
	}
}

// Score returns the model's scores of items for user (0 for items no
// neighbour has); the user's training items are scored like any other.
// It implements [Scorer]. It panics if the model is not fitted.
func (m *UserKNN) Score(user int32, items []int32, dst []float64) []float64 {
	if m.train == nil {
		panic(errNotFitted)
	}
	s := m.newScratch()
	m.scoreUser(s, user, false)
	dst = dst[:0]
	for _, i := range items {
		v := 0.0
		if s.itemAcc.has(i) {
			v = s.itemAcc.vals[i]
		}
		dst = append(dst, v)
	}
	return dst
}

// UserKNNFactory returns the registry entry of [UserKNN].
func UserKNNFactory() Factory {
	return Factory{
		Doc: "User-based top-N: the Neighbors most cosine-similar users vote for their items (Breese et al., UAI 1998; Herlocker et al., SIGIR 1999).",
		Params: []Param{
			IntParam("neighbors", DefaultNeighbors, "number of most similar users that vote").AtLeast(1),
			FloatParam("shrink", 0, "added to the cosine denominator; damps similarities from few common items").AtLeast(0),
			BoolParam("use-values", false, "weight by interaction values (ratings, counts) instead of 1"),
		},
		New: func(v Values) (Recommender, error) {
			return &UserKNN{Neighbors: v.Int("neighbors"), Shrink: v.Float("shrink"), UseValues: v.Bool("use-values")}, nil
		},
	}
}
