// Package probe holds recaudit's behavioural probes: tests that run
// against any recommender system, including one the auditor can only call
// through the exec adapter or only knows by its output file, and check
// that it treats its users as they are entitled to: the consent probe and the
// attribute-inference probe.
//
// # Consent probe
//
// Customers who did not consent to personalisation must not be profiled:
// their lists may not depend on their own history. The consent probe
// tests this in two ways.
//
// A system that can be run again (a built-in algorithm, or an external one
// through [recommenders.Exec]) is probed by [Consent.Rerun]: the training
// histories of the non-consenting users are perturbed ([Perturb]: dropped,
// shuffled among them, or replaced by random items), the system is run
// again, and each non-consenting user's list before and after is compared
// at each cutoff with [Jaccard] and rank-biased overlap ([RBO], the
// extrapolated form of Webber et al. 2010, persistence 0.9 by default). A
// list that moves with a history the user did not consent to being used
// is a violation. Shuffling only permutes whole histories, so no fallback
// computed from the data as a whole can move, and any move counts;
// dropping or replacing histories moves such a fallback (the non-consenting
// users' interactions count in popularity), so a move from the
// non-consenting users' common list before to their common list after (or
// from recaudit's most-popular fallback to its new value) is let off as the
// drift of a data-driven fallback. The share of violating users is a lower
// bound: a personalised list that happens not to move is not counted. The
// result gives, per perturbation and
// cutoff, the share of violating users with a Wilson interval, the mean
// changes 1 − Jaccard and 1 − RBO with bootstrap percentile intervals, and
// the number of users probed.
//
// What is under test matters. [Managed] runs a recommender as recaudit
// does ([recommenders.Run]): non-consenting users never reach it and get
// the most-popular fallback, so every built-in algorithm passes. [Direct]
// asks the system for every user, non-consenting included, after telling
// it their consent ([recommenders.ConsentSetter]; the exec adapter writes
// it as a column of the users file), so that the system's own consent
// handling is what is tested.
//
// A system known only by its lists is probed by [Consent.Lists]: a system
// that honours consent gives every non-consenting user the same list. It
// reports the share of non-consenting users whose list differs from their
// common list (Wilson interval), and compares the mutual overlap of the
// non-consenting users' lists and their distance from the most-popular
// list of the training data with the consenting users', by one-sided
// permutation tests over the consent labels.
//
// A system is flagged at a cutoff when the lower bound of the interval of
// the violating share exceeds Consent.Tolerance (zero by default: one
// violating user is enough).
//
// # Attribute-inference risk
//
// Inference measures how well each sensitive attribute of a user can be
// predicted from that user's recommendation list alone, that is, what the
// lists reveal to anyone who sees them. For every attribute it fits a
// cross-validated, L2-regularised logistic regression on features of the
// list (the recommended items and the number of them in each category) and
// scores its out-of-fold predictions by ROC AUC, one-vs-rest and
// macro-averaged when the attribute has more than two values. The same
// pipeline is rerun on shuffled labels: their AUCs are the baseline that
// no real association can explain, and give a permutation p-value (or,
// with ShuffledTPValue, a p-value from the normal shape of the shuffled
// AUCs, which is small after few shuffles: what a multiple-testing
// correction over a whole audit needs). An AUC clearly above the shuffled
// ones means that the lists leak the attribute.
//
// The classifier is the probe's yardstick, not the strongest possible
// attacker: a stronger model may find a leak this one misses, so "no
// evidence" is not a proof of safety, while "leaks" is a demonstration.
// Users in groups below the minimum group size are not modelled (their group
// is stated as suppressed), and nothing per user is reported.
//
// The building blocks are exported: AUC and MacroAUC (Mann–Whitney AUC with
// weights, ties counting one half), and Logistic, an L2-regularised binary
// logistic regression on a Sparse design matrix, fitted by gonum's L-BFGS.
//
// # Results
//
// Results are plain structs that marshal to stable JSON, with
// [fairness.Float], [fairness.Estimate] and [fairness.Test] so that
// undefined values (NaN) become null. They hold counts, shares and means
// over users, never a user's identity or list.
//
// # Randomness
//
// Perturbations, bootstrap resamples and relabelings draw from the Src
// of the configuration (nil: the global source), in a fixed order, so a
// seeded source gives the same result every time.
//
// # Invariants
//
// Inputs (training data, consent flags, lists) are never modified; the
// returned results and slices are new and owned by the caller. A [System]
// built by [Managed] or [Direct] retains the consent slice it was given.
// Programmer errors (K < 0, a cutoff outside [1, K], a bad perturbation, a
// persistence outside (0, 1), slices of mismatched lengths) panic with a
// message starting with "probe:"; failures of the system under test are
// returned as errors. Nothing in this package prints, logs or exits.
package probe
