// Package recommenders defines recaudit's pluggable recommender interface,
// its registry, the built-in algorithms and the adapters for external
// systems.
//
// Developers compare baselines on their own data; auditors plug in the
// system they audit, whatever it is written in. Both go through the same
// small interface, [Recommender]: Fit on a [TrainView], then Recommend
// top-k lists for a set of users.
//
// # Registry and parameters
//
// A [Registry] maps algorithm names to [Factory] values, which declare
// typed parameters ([Param]: int, float, bool, string, list of strings,
// duration) with defaults, allowed ranges and documentation, as
// `recaudit recommend --list` shows them. [Registry.New] takes [Params]
// either as command-line strings ([ParseParams] reads "name=value") or
// as typed values from a spec file, and fails with an error naming the
// algorithm, the parameter and the allowed values. recommenders/all.Default
// registers the built-ins.
//
// # Built-in algorithms
//
//   - [Random]: uniform draws from the items the user has not seen (the
//     floor to beat);
//   - [Popular]: most popular by distinct training users;
//   - [ItemKNN]: item-based top-N with cosine similarity (Sarwar et al.
//     2001, Deshpande and Karypis 2004);
//   - [UserKNN]: user-based top-N with cosine similarity (Breese et al.
//     1998, Herlocker et al. 1999).
//
// All are deterministic (Random for a seed): their lists do not depend on
// GOMAXPROCS, on Workers, or on which other users are asked for. They run
// in parallel over users (and ItemKNN's Fit over items), check for
// cancellation every few dozen users, exclude the user's training items,
// and break score ties by item index. The neighbourhood models compute
// sparse co-occurrences into per-worker dense vectors and select with a
// bounded heap, so that fitting ItemKNN and recommending top-100 lists for
// every user of a MovieLens-1M-sized dataset takes about a second of CPU.
//
// # External systems
//
// A system recaudit cannot link against plugs in three ways: its
// recommendation file ([File]), its program ([Exec]: recaudit writes the
// training split as Arrow, runs the command, and validates what it
// writes; see examples/exec-recommender), or a Go implementation of
// [Recommender]. Adapters that speak in external IDs implement
// [IDSetter]. The adapters report the system's lists as written: they do
// not re-rank, and keep training items unless asked not to.
//
// # Data minimisation and consent
//
// Algorithms learn from a [TrainView]: the training interactions and the
// item attributes only. User attributes, sensitive or not, and consent
// flags are not reachable from it (a test walks its type to prove it).
// [Run] honours consent to personalisation: users who did not consent are
// never passed to the recommender and get the documented non-personalised
// fallback, the globally most popular items. The consent probe (package
// probe) instead asks a system for every user to test its own consent
// handling; [Exec.SetConsent] ([ConsentSetter]) then passes each user's
// consent to the external command, as a column of its users file.
//
// # Conformance
//
// Package recommenders/rectest checks any implementation against the
// contract: determinism, k bounds (a negative k panics), no training
// items, no duplicates, valid lists for users without history, and
// cancellation. Every built-in and adapter runs it.
//
// # Built-in algorithms
//
// random and popular are the floors to beat; itemknn and userknn are
// cosine neighbourhood models; ease (Steck 2019), als (Hu, Koren &
// Volinsky 2008) and bpr (Rendle et al. 2009) are learned models. The
// registry of recommenders/all names them all, with typed, range-checked
// parameters. EASE's dense matrix kernels use Go assembly (AVX2 and FMA)
// on amd64 processors that have them; the build tag purego, or any other
// processor, selects the portable Go kernels. No cgo is involved.
//
// # Invariants
//
// Algorithms never modify the TrainView they are given; they retain its
// slices until the next Fit, so the caller must not modify them in
// between. Rankings returned by Recommend and Run are new and owned by
// the caller. Programmer errors (k < 0, a user index out of range,
// Recommend before Fit, an invalid parameter declaration) panic with a
// message starting "recommenders:"; bad data, bad parameter values and
// failures of external systems are returned as errors.
package recommenders
