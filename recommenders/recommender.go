package recommenders

import (
	"context"

	"github.com/recaudit/recaudit/datasets"
)

// TrainView is everything an algorithm may learn from: the training
// interactions and the item attributes. It has no path to user attributes
// (sensitive or not) or consent flags: data minimisation by construction.
//
// A TrainView is read-only for algorithms: they must not modify its slices.
type TrainView struct {
	// Interactions is the training split, users × items (dense indices of
	// the dataset), rows sorted ascending.
	Interactions datasets.CSR
	// ItemColumns are the item attribute columns (provider, category,
	// flags, ...), in item index order.
	ItemColumns []datasets.Column
}

// NumUsers returns the number of users (rows of Interactions).
func (v *TrainView) NumUsers() int { return v.Interactions.Rows }

// NumItems returns the number of items (columns of Interactions).
func (v *TrainView) NumItems() int { return v.Interactions.NumCols }

// Recommender is a top-N recommendation algorithm.
//
// Fit learns from a training view; it may be called again to refit.
// Recommend returns the top-k lists of the given users (dense indices) as
// a datasets.Rankings with one row per user of the training view: rows of
// users not asked for are empty, and a list may be shorter than k when
// fewer items can be recommended. Items a user interacted with in training
// are excluded unless the algorithm's configuration says otherwise. Both
// methods honour ctx cancellation (returning ctx.Err()), and Recommend is
// deterministic for a fitted model, whatever GOMAXPROCS is. A user listed
// twice gets one list. Recommend panics if k < 0 or a user index is out
// of range (programmer errors); see package rectest for the checks every
// implementation passes.
type Recommender interface {
	Fit(ctx context.Context, train *TrainView) error
	Recommend(ctx context.Context, users []int32, k int) (datasets.Rankings, error)
}

// Scorer is an optional capability: the score of arbitrary items for a
// user (higher is better), for example to rank a candidate set. dst is
// grown as needed and returned.
type Scorer interface {
	Score(user int32, items []int32, dst []float64) []float64
}
