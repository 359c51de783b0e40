// Package recommend implements "recaudit recommend": fit a registered
// algorithm on a dataset's interactions (the training part of a split, or
// all of them), recommend top-k lists for every user, honouring consent to
// personalisation, and write them as a recommendation file; and, with
// --list, describe the registered algorithms and their parameters.
//
// # Output
//
// The recommendation file has the columns user_id, item_id (the dataset's
// external IDs), rank, score (when the algorithm gives scores), system and
// fallback, a boolean that marks the users who did not consent to
// personalisation and got the non-personalised fallback list
// (recommenders.Run). It is sorted by user, so that recaudit score can
// stream it, and written atomically.
//
// # Invariants
//
// The command writes only the --out file, and refuses to replace it
// without --force. Parameters are checked before any data is read. The
// dataset is not modified. The same flags give the same file.
package recommend
