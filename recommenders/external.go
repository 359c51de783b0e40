package recommenders

import "github.com/recaudit/recaudit/datasets"

// IDSetter is implemented by recommenders that exchange data with the
// outside world in the dataset's external IDs, such as [File] and [Exec]:
// a TrainView holds dense indices only. Whoever fits such a recommender
// (the audit runner, the command line, rectest) calls SetIDs with the
// dataset's user and item IDs before Fit.
//
// The user IDs are keys, not attributes: a recommender given them still
// has no path to the users table, sensitive attributes or consent flags.
type IDSetter interface {
	SetIDs(users, items *datasets.IDs)
}
