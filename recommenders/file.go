package recommenders

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/recaudit/recaudit/datasets"
)

const errNoIDs = "recommenders: SetIDs must be called before Fit"

// File is the adapter for a system whose recommendations are already in
// a file: an auditor scores lists produced elsewhere, by a system they
// cannot run. Fit reads and validates the file (Arrow IPC, Arrow stream,
// Parquet or CSV; see [datasets.ReadRecommendations]) and Recommend
// returns each asked user's list, cut to k.
//
// The lists are the system's, as written: File does not re-rank them,
// and by default keeps items the user interacted with in training, since
// removing them would audit something other than what the system shows.
// Set ExcludeTraining to drop them (then a list may be shorter than k).
// Users without a list in the file get an empty list.
//
// File needs the dataset's external IDs: call [File.SetIDs] before Fit.
type File struct {
	// Path is the recommendation file.
	Path string
	// System selects the system when the file has a system column with
	// several; empty means the file must hold exactly one ranking.
	System string
	// ExcludeTraining drops the user's training items from the lists.
	ExcludeTraining bool

	users, items *datasets.IDs
	train        *datasets.CSR
	lists        *datasets.Rankings
}

// SetIDs gives the dataset's user and item IDs, in which the file is
// written.
func (f *File) SetIDs(users, items *datasets.IDs) { f.users, f.items = users, items }

// Fit reads and validates the file. It returns the errors of
// [datasets.ReadRecommendations] (which name the file, column and row),
// and an error when System selects no ranking or several. It panics if
// SetIDs was not called.
func (f *File) Fit(ctx context.Context, train *TrainView) error {
	if f.users == nil || f.items == nil {
		panic(errNoIDs)
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	if err := checkIDs(f.users, f.items, train); err != nil {
		return err
	}
	runs, err := datasets.ReadRecommendations(f.Path, f.users, f.items)
	if err != nil {
		return err
	}
	r, err := selectRun(f.Path, runs, f.System)
	if err != nil {
		return err
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	f.train, f.lists = &train.Interactions, r
	return nil
}

// checkIDs returns an error when the IDs do not match the training view.
func checkIDs(users, items *datasets.IDs, train *TrainView) error {
	if users.Len() != train.NumUsers() || items.Len() != train.NumItems() {
		return fmt.Errorf("recommenders: %d user IDs and %d item IDs for training data of %d users and %d items: the IDs are not the dataset's",
			users.Len(), items.Len(), train.NumUsers(), train.NumItems())
	}
	return nil
}

// selectRun picks the ranking of system (any single one when system is
// empty) from a recommendation file's rankings.
func selectRun(path string, runs []datasets.Rankings, system string) (*datasets.Rankings, error) {
	var names []string
	var match []int
	for i, r := range runs {
		if !slices.Contains(names, r.System) {
			names = append(names, r.System)
		}
		if system == "" || r.System == system {
			match = append(match, i)
		}
	}
	switch {
	case len(match) == 1:
		return &runs[match[0]], nil
	case len(match) == 0:
		return nil, &datasets.Error{File: path, Column: "system", Msg: fmt.Sprintf("no system %q in the file (systems: %s)", system, strings.Join(names, ", ")),
			Fix: "set the system parameter to one of the file's systems", Err: datasets.ErrValue}
	case system == "" && len(names) > 1:
		return nil, &datasets.Error{File: path, Column: "system", Msg: fmt.Sprintf("the file holds %d systems (%s)", len(names), strings.Join(names, ", ")),
			Fix: "set the system parameter to the one to use", Err: datasets.ErrValue}
	default:
		return nil, &datasets.Error{File: path, Column: "sample", Msg: fmt.Sprintf("system %q has %d sampled rankings; one is needed here", runs[match[0]].System, len(match)),
			Fix: "score repeated stochastic rankings with recaudit score, or keep one sample", Err: datasets.ErrValue}
	}
}

// Recommend returns the file's lists of the asked users, cut to k. It
// panics if k < 0, a user is out of range, or File is not fitted.
func (f *File) Recommend(ctx context.Context, users []int32, k int) (datasets.Rankings, error) {
	if f.lists == nil {
		panic(errNotFitted)
	}
	users = checkRecommend(users, f.train.Rows, k)
	if err := ctx.Err(); err != nil {
		return datasets.Rankings{}, err
	}
	return cutLists(f.lists, f.train, users, k, f.ExcludeTraining), nil
}

// cutLists returns the lists of users from src, cut to k, optionally
// without the users' training items; other users get empty lists.
func cutLists(src *datasets.Rankings, train *datasets.CSR, users []int32, k int, excludeTraining bool) datasets.Rankings {
	b := newRankBuilder(train.Rows, 1, src.Scores != nil)
	var items []int32
	var scores []float64
	for _, u := range users {
		items, scores = items[:0], scores[:0]
		list, ls := src.List(int(u)), src.ListScores(int(u))
		row := train.Row(int(u))
		for j, i := range list {
			if len(items) == k {
				break
			}
			if excludeTraining {
				if _, found := slices.BinarySearch(row, i); found {
					continue
				}
			}
			items = append(items, i)
			if ls != nil {
				scores = append(scores, ls[j])
			}
		}
		b.put(0, u, items, scores)
	}
	r := b.build()
	r.System, r.Sample = src.System, src.Sample
	return r
}

// FileFactory returns the registry entry of [File]. The recommender it
// makes needs SetIDs before Fit.
func FileFactory() Factory {
	return Factory{
		Doc: "Lists read from a recommendation file (user_id, item_id, rank or score, optional system), as an external system wrote them.",
		Params: []Param{
			StringParam("path", "", "the recommendation file (.arrow, .arrows, .parquet or .csv)").Required(),
			StringParam("system", "", "the system to read when the file has a system column with several"),
			BoolParam("exclude-train", false, "drop the user's training items from the lists (default: the lists as written)"),
		},
		New: func(v Values) (Recommender, error) {
			return &File{Path: v.Str("path"), System: v.Str("system"), ExcludeTraining: v.Bool("exclude-train")}, nil
		},
	}
}
