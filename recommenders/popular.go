package recommenders

import (
	"cmp"
	"context"
	"slices"

	"github.com/recaudit/recaudit/datasets"
)

// Popular recommends the items that the most users interacted with in
// training, the same ranking for everyone:
//
//	score(i) = |{u : (u, i) in train}|
//
// ties broken by item index ascending. Values are ignored: an item counts
// once per user. Items nobody interacted with are never recommended, so a
// list may be shorter than k. Unless IncludeTraining is set, each user's
// own training items are skipped and the next most popular items take
// their place. The scores of the returned lists are the user counts.
//
// Popular is the non-personalised baseline of top-N evaluation; see
// Cremonesi, Koren and Turrin, "Performance of Recommender Algorithms on
// Top-N Recommendation Tasks", RecSys 2010.
//
// The zero value is ready to use.
type Popular struct {
	// IncludeTraining keeps the items a user interacted with in training
	// in their list, so that every user gets the same list: the
	// non-personalised fallback of [Run] uses it.
	IncludeTraining bool
	// Workers is the number of goroutines of Recommend; <= 0 means
	// GOMAXPROCS.
	Workers int

	train *datasets.CSR
	count []int64
	order []int32 // items with count > 0, most popular first
}

// Fit counts the users of every item. It retains train's interactions
// until the next Fit; the caller must not modify them.
func (p *Popular) Fit(ctx context.Context, train *TrainView) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	m := &train.Interactions
	count := make([]int64, m.NumCols)
	for _, c := range m.Cols {
		count[c]++
	}
	order := make([]int32, 0, m.NumCols)
	for i, c := range count {
		if c > 0 {
			order = append(order, int32(i))
		}
	}
	slices.SortFunc(order, func(a, b int32) int { return cmp.Or(cmp.Compare(count[b], count[a]), cmp.Compare(a, b)) })
	if err := ctx.Err(); err != nil {
		return err
	}
	p.train, p.count, p.order = m, count, order
	return nil
}

// Recommend returns the k most popular items for each user (see
// [Recommender]). It panics if k < 0, a user is out of range, or Popular
// is not fitted.
func (p *Popular) Recommend(ctx context.Context, users []int32, k int) (datasets.Rankings, error) {
	if p.train == nil {
		panic(errNotFitted)
	}
	users = checkRecommend(users, p.train.Rows, k)
	if err := ctx.Err(); err != nil {
		return datasets.Rankings{}, err
	}
	workers := workersFor(p.Workers, len(users))
	b := newRankBuilder(p.train.Rows, workers, true)
	type scratch struct {
		mark   []int32 // mark[i] == u+1: i is a training item of u
		items  []int32
		scores []float64
	}
	sc := make([]*scratch, workers)
	err := forUsers(ctx, users, workers, func(w int, u int32) error {
		s := sc[w]
		if s == nil {
			s = &scratch{items: make([]int32, 0, min(k, len(p.order))), scores: make([]float64, 0, min(k, len(p.order)))}
			if !p.IncludeTraining {
				s.mark = make([]int32, p.train.NumCols)
			}
			sc[w] = s
		}
		s.items, s.scores = s.items[:0], s.scores[:0]
		if !p.IncludeTraining {
			for _, i := range p.train.Row(int(u)) {
				s.mark[i] = u + 1
			}
		}
		for _, i := range p.order {
			if len(s.items) == k {
				break
			}
			if !p.IncludeTraining && s.mark[i] == u+1 {
				continue
			}
			s.items = append(s.items, i)
			s.scores = append(s.scores, float64(p.count[i]))
		}
		b.put(w, u, s.items, s.scores)
		return nil
	})
	if err != nil {
		return datasets.Rankings{}, err
	}
	return b.build(), nil
}

// Score returns the user counts of items, the same for every user. It
// implements [Scorer]. It panics if Popular is not fitted.
func (p *Popular) Score(user int32, items []int32, dst []float64) []float64 {
	if p.train == nil {
		panic(errNotFitted)
	}
	dst = dst[:0]
	for _, i := range items {
		dst = append(dst, float64(p.count[i]))
	}
	return dst
}

var (
	_ Scorer = (*Popular)(nil)
	_ Scorer = (*ItemKNN)(nil)
	_ Scorer = (*UserKNN)(nil)
)

// PopularFactory returns the registry entry of [Popular].
func PopularFactory() Factory {
	return Factory{
		Doc: "Most popular items by number of distinct training users, ties by item index (Cremonesi et al., RecSys 2010).",
		Params: []Param{
			BoolParam("include-train", false, "keep the user's own training items in the list (the same list for everyone)"),
		},
		New: func(v Values) (Recommender, error) {
			return &Popular{IncludeTraining: v.Bool("include-train")}, nil
		},
	}
}
