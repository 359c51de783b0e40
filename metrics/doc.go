// Package metrics computes the per-user ranking (accuracy) metrics of
// recaudit: Precision, Recall, HitRate, ReciprocalRank (MRR),
// AveragePrecision (MAP), DCG, NDCG and RBP, exactly as defined in
// METRICS-SPEC.md §1, with every convention on which peer toolkits disagree
// as an explicit typed option; and the catalogue-level (beyond-accuracy)
// metrics of METRICS-SPEC.md §2.
//
// # Inputs
//
// Items are dense int32 indices. A user's recommendation list is a []int32
// in rank order (position 0 is rank 1); the metrics take that order as
// given, and OrderByScore derives it from scores when a file has no rank.
// A user's test judgments are a Judgments: items sorted ascending and
// distinct, with grades (nil means every grade is 1). For many users,
// Rankings and Relevance hold the same data in compressed sparse row form,
// one row per user. The package imports only the standard library.
//
// # Conventions
//
// A Config holds the conventions (METRICS-SPEC.md §0 and §7). Its zero value
// is the toolkit default: an item is relevant iff its grade is >= θ = 1;
// P@k divides by k; recall by |R|; AP by min(|R|, k); NDCG uses binary
// gains, the discount 1/log2(r+1) and the ideal list of the user's relevant
// items cut at k; users with no relevant test item are excluded from the
// means and counted; users without a list count as all-miss lists and are
// counted. Profile values give the conventions of trec_eval, ranx, RecBole,
// LensKit, Elliot and RecTools.
//
// Cutoffs: a list is truncated to its first k items; when it is shorter,
// the missing positions are misses and a denominator "k" stays k (trec_eval
// m_P.c). The cutoff 0 means no cutoff: the whole list, with k read as the
// list length and the NDCG ideal not truncated (trec_eval map, recip_rank
// and ndcg). An item repeated in a list counts at its first position only.
// A zero denominator (no relevant item, empty list) gives 0 where the user
// is not excluded.
//
// # Undefined values
//
// A user excluded by the Config has the value NaN: the single-user
// functions return NaN, and the Evaluator stores NaN in the user's columns
// and leaves the user out of the means. Accumulator.Mean is NaN when no
// user was evaluated.
//
// # Many users
//
// An Evaluator computes every (measure, cutoff) pair in one pass over each
// user's list, in parallel, without allocating per user: a per-goroutine
// dense marker finds the ranks of the relevant items, and every value at
// every cutoff follows from those ranks and rank tables. It returns the
// per-user columns and an Accumulator of means and counts.
//
// # Catalogue-level metrics
//
// ItemCounts turns the lists into one count (or rank-weighted exposure) per
// catalogue item, the input of Coverage, Gini and Entropy; Personalization
// is exact, computed from the same counts. Novelty, MeanPopularity (ARP),
// TailShare (APLT), TailCount (ACLT) and IntraListDiversity are per-user
// values whose means over users are the reported metrics; HeadTail and
// TailByFraction split the catalogue by popularity, and DeltaGAP compares
// a group's recommendation popularity with its profile popularity. The
// popularity φ is a plain []float64 indexed by item: distinct training
// users by default (ItemCounts of the training rows with k = 0), or
// interaction counts.
//
// # Mergeable state
//
// An Accumulator sums values exactly (a fixed-point integer wide enough for
// any float64, rounded once when read), so means do not depend on user
// order, on the number of goroutines, or on how users were split into
// shards: merging the accumulators of disjoint shards gives bit for bit the
// accumulator of a single pass. MarshalBinary lets shards evaluated in
// other processes be merged.
//
// # Panics
//
// Programmer errors panic with a message starting "metrics: ": a negative
// or repeated cutoff, a bad enum value in a Config, a repeated measure,
// slices of different lengths, judged items not sorted ascending and
// distinct, malformed offsets, rankings and relevance with different
// numbers of users. Data read from files is validated by package datasets
// before it reaches this package.
//
// # Invariants
//
// Inputs are never modified. Functions that return slices return new
// slices owned by the caller, except Rankings.List, Relevance.User and
// Result.Column, which return views the caller must not modify. Values are
// deterministic: the same inputs give bit-identical values and means
// whatever the number of workers.
package metrics
