package recommenders

import (
	"context"
	"fmt"

	"github.com/recaudit/recaudit/datasets"
)

const errConsentLen = "recommenders: Run: consent length differs from the number of users"

// Run fits rec on train and returns the top-k lists of users, honouring
// each user's consent to personalisation. Adapters that implement
// [IDSetter] must have their IDs set before.
//
// Users whose consent is false never get a personalised list: rec is
// asked only for the consenting users, and the others get the documented
// non-personalised fallback, marked in fallback (indexed by user, like
// the lists):
//
//	the k most popular items of train (by number of distinct users, ties
//	by item index), the same list for every non-consenting user,
//	including items the user interacted with.
//
// The fallback does not skip the user's own training items on purpose:
// skipping them would tailor the list to the user's history, which is
// personalisation. Popularity is an aggregate over all training users; a
// non-consenting user's interactions count in it as one of many, which
// does not single them out. Run does not remove non-consenting users'
// interactions from train: whether they may be used to learn a model for
// others is a data-protection decision for the caller, who builds train.
//
// A nil consent means every user consents. When rec gives scores, the
// fallback lists' scores are the popularity counts; when it gives none,
// the result has none. The returned slices are owned
// by the caller. Run returns the errors of rec.Fit and rec.Recommend, and
// ctx.Err() when ctx is cancelled.
//
// Run panics if consent is not nil and its length differs from the number
// of training users, if k < 0 or if a user is out of range.
func Run(ctx context.Context, rec Recommender, train *TrainView, users []int32, consent []bool, k int) (lists datasets.Rankings, fallback []bool, err error) {
	n := train.NumUsers()
	if consent != nil && len(consent) != n {
		panic(errConsentLen)
	}
	users = checkRecommend(users, n, k)
	var personal, other []int32
	for _, u := range users {
		if consent == nil || consent[u] {
			personal = append(personal, u)
		} else {
			other = append(other, u)
		}
	}
	if err := rec.Fit(ctx, train); err != nil {
		return datasets.Rankings{}, nil, err
	}
	lists, err = rec.Recommend(ctx, personal, k)
	if err != nil {
		return datasets.Rankings{}, nil, err
	}
	if len(lists.Offsets) != n+1 {
		return datasets.Rankings{}, nil, fmt.Errorf("recommenders: Run: the recommender returned %d lists for %d users", len(lists.Offsets)-1, n)
	}
	fallback = make([]bool, n)
	if len(other) == 0 {
		return lists, fallback, nil
	}
	pop := &Popular{IncludeTraining: true}
	if err := pop.Fit(ctx, train); err != nil {
		return datasets.Rankings{}, nil, err
	}
	fb, err := pop.Recommend(ctx, other, k)
	if err != nil {
		return datasets.Rankings{}, nil, err
	}
	for _, u := range other {
		fallback[u] = true
	}
	return mergeRankings(lists, fb, fallback), fallback, nil
}

// mergeRankings returns the lists of a, except for the users marked in
// take, whose lists come from b.
func mergeRankings(a, b datasets.Rankings, take []bool) datasets.Rankings {
	n := len(take)
	out := datasets.Rankings{System: a.System, Sample: a.Sample, Offsets: make([]int64, n+1)}
	withScores := a.Scores != nil
	src := func(u int) *datasets.Rankings {
		if take[u] {
			return &b
		}
		return &a
	}
	for u := 0; u < n; u++ {
		out.Offsets[u+1] = out.Offsets[u] + int64(len(src(u).List(u)))
	}
	out.Items = make([]int32, 0, out.Offsets[n])
	if withScores {
		out.Scores = make([]float64, 0, out.Offsets[n])
	}
	for u := 0; u < n; u++ {
		r := src(u)
		out.Items = append(out.Items, r.List(u)...)
		if withScores {
			out.Scores = append(out.Scores, r.ListScores(u)...)
		}
	}
	return out
}
