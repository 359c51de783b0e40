// Package rectest checks that implementations of
// recommenders.Recommender honour its contract, as testing/fstest does for
// file systems: every built-in algorithm runs it, and so can any Go
// implementation an auditor plugs in.
//
//	func TestConformance(t *testing.T) {
//		rectest.Run(t, func() recommenders.Recommender { return &MyRec{Seed: 1} })
//	}
//
// # What Run checks
//
//   - determinism: two instances configured alike give the same lists and
//     scores, and so do runs with GOMAXPROCS 1, 2 and 3; refitting and
//     recommending twice change nothing; a user's list does not depend on
//     which other users are asked for;
//   - shape: one row per training user, rows of users not asked for
//     empty, scores (when given) finite, parallel to the items and
//     non-increasing;
//   - k bounds: no list longer than k; k = 0 gives empty lists; k larger
//     than the catalogue gives at most the items not in the user's
//     training data; a negative k panics (a programmer error, like an
//     index out of range);
//   - content: items in range, no item twice in a list, no training item
//     of the user (unless [IncludesTraining]), valid lists for users
//     without history and for a user who interacted with every item;
//   - cancellation: Fit and Recommend with a cancelled context (or one
//     past its deadline) return an error wrapping ctx.Err() promptly, and
//     a cancellation seen during a call is not swallowed.
//
// # Data
//
// [Datasets] builds the suite's small datasets in code (no files, no
// downloads); [Generate] and [Zipf] make larger seeded ones for tests and
// benchmarks.
//
// # Invariants
//
// Run does not modify the datasets it passes to the recommender after
// creating them, and fails the test if the recommender's results change
// between identical runs. Datasets and Zipf return new values owned by the
// caller.
package rectest
