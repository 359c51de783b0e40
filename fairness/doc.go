// Package fairness measures how a recommender's quality is shared between
// groups of users, and how sure we can be about it: per-group values,
// disparity aggregators, omnibus tests, bootstrap confidence intervals,
// permutation tests and multiple-testing corrections. The definitions follow
// METRICS-SPEC.md §3.1–3.3 and §6; each function cites its source.
//
// # Data layout
//
// Functions take plain slices, in the style of gonum's stat package:
//
//   - per-user values are a []float64 (one metric, e.g. NDCG@10 per user); a
//     NaN value means the user is excluded from that metric (for example a
//     user with no relevant test items) and is skipped and counted
//     ([GroupExcluded]);
//   - group labels are a []int32 of small integer codes in [0, numGroups),
//     one per user, with -1 meaning "in no group" (excluded; [Ungrouped]);
//   - group values are a []float64 indexed by code, NaN for an empty group.
//
// Every user counts once: there are no per-user weights.
//
// # Group values and disparities
//
// [GroupMeans] and [GroupCounts] give the per-group utility U(g) and |U_g|;
// [UserWeightedMean] and [GroupWeightedMean] the two "overall" references.
// [Disparity] summarises the group values with an [Aggregator]: max–min
// difference (the default), min/max ratio, to-overall difference and ratio,
// pairwise MAD, mean and max absolute deviation, variance, standard deviation
// and CV. [Aequitas] gives Aequitas's reference-group ratios and τ rule;
// [OneVsRestDiff] and [OneVsRestRatio] compare each group with everyone else.
//
// # Tests and intervals
//
// [OneWayANOVA] and [KruskalWallis] are omnibus tests of group differences.
// [Bootstrap] computes percentile intervals over users, stratified by group
// by default, for group means, the overall mean and every disparity; its
// Multi methods bootstrap several metrics or systems on shared, paired
// resamples.
// [Permutation] tests a two-group difference, any disparity, the ANOVA F, a
// paired difference between two systems and a paired difference of
// disparities, exactly when the relabelings are few and by Monte Carlo
// otherwise. [BenjaminiHochberg], [RejectBH] and [Bonferroni] correct for
// multiple tests. [Quantile] and [PercentileInterval] are the type-7
// quantiles used throughout.
//
// # Undefined values
//
// A statistic that is undefined is NaN, never an error: the mean of an empty
// group, a disparity with fewer than two non-empty groups, a ratio of zeros,
// a test whose statistic is undefined. Each function's documentation says
// when. Deciding what NaN means for a verdict is the caller's business.
//
// # Randomness and parallelism
//
// Stochastic procedures take a math/rand/v2 rand.Source in a Src field (nil
// means the global source) and draw one value from it; internally the work
// is split into fixed chunks with their own derived random streams and run in
// parallel on GOMAXPROCS goroutines, so results depend on the seed only, not
// on the number of processors. Sums of products are written so that the
// compiler cannot fuse them into FMA instructions, which would change the
// last bits on some architectures; p-values from gonum's distribution
// functions may still differ in the last bits between architectures.
//
// # Invariants
//
// Inputs are never modified. Functions that fill a dst slice allocate it when
// it is nil and panic when its length is wrong; the returned slices and
// result structs are owned by the caller and share no memory with the
// inputs. Programmer errors (length mismatches, group codes out of range, bad
// aggregators, probabilities outside [0, 1]) panic with a message starting
// with "fairness:"; bad data never panics, it gives NaN. Nothing in this
// package prints, logs or exits.
package fairness
