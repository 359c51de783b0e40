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
//
// # One call for an audit
//
// [Analyze] takes a per-user metric table ([PerUser]) and the user groupings
// ([Grouping]: codes and level names, -1 for users in no group or in a
// suppressed one) and returns a serialisable [Analysis]: per group the value,
// its bootstrap interval, size and excluded count; per disparity the
// estimate, interval and two-sided permutation p-value; Kruskal–Wallis per
// grouping; Benjamini–Hochberg q-values over every test ([AdjustBH] extends
// them over a whole audit). [Float] marshals NaN as JSON null. Groups with
// too few users with a value are withheld ([AnalyzeConfig].MinUsers), with
// complementary groups where a total reported elsewhere would give them
// away (Complementary, Withhold); a withheld group's counts are not
// published (0, and null in JSON).
//
// # Provider side, calibration and targeting
//
// The provider-side half of the package measures how the attention of a
// ranked list is spread over items and item groups, and the consumer-side
// calibration of lists. Inputs are plain slices: items are dense int32
// indices, lists are a Rankings (compressed sparse rows, rank order,
// position 0 is rank 1, the layout of metrics.Rankings), test judgments a
// Relevance (the layout of metrics.Relevance), item groups small int32
// codes with -1 for "no group", and user weights come last (nil means unit
// weights; integer weights are bootstrap resample counts).
//
// An Exposure value is a browsing model: ExposureLog 1/log2(r+1) (the
// default), ExposureClippedLog 1/log2(max(r,2)) (TREC Fair, LensKit),
// ExposureGeometric γ^(r−1) (RBP), ExposureCascade γ^(r−1)(1−u)^(relevant
// above r) (GERR, expeval) and ExposureAttention p(1−p)^(r−1) (Sapiezynski
// et al.). ItemExposureTo sums it over users' lists; GroupExposureTo,
// GroupMeanExposureTo and ExposureSharesTo give group totals, per-item means
// (|G| counts catalogue items) and shares; ExposureParityRatio,
// DisparateTreatmentRatio and DisparateImpactRatio are the measures of
// Singh & Joachims (KDD 2018); TargetSharesTo, ShareDifferencesTo,
// L1Distance, KLDivergence and JSDivergence compare realised shares with a
// catalogue, merit or uniform target. ExpectedExposureTo computes EE-L,
// EE-D and EE-R of Diaz et al. (CIKM 2020) from sampled rankings.
//
// Rank fairness of single lists: AWRF (TREC Fair Ranking), Skew, MinSkew,
// MaxSkew and NDKL (Geyik et al., KDD 2019), RND, RKL and RRD (Yang &
// Stoyanovich, SSDBM 2017) with an exact normaliser, and the FA*IR ranked
// group fairness test (Zehlike et al., CIKM 2017) with an exactly adjusted
// significance. Item-side disparities pooled over users: RSP and REO (Zhu,
// Wang & Caverlee, SIGIR 2020), GCE (Deldjoo et al.) and bias disparity
// (Tsintzou et al.). Calibration gives Steck's miscalibration C_KL per
// user; Targeting gives per-user rates of a flagged item class and their
// group breakdown; KendallTau compares two orderings.
//
// Every convention on which peer implementations disagree is an explicit
// typed option whose zero value is the default of METRICS-SPEC.md §7.
// Undefined values are NaN and each function says when. Inputs are never
// modified; XxxTo functions write into dst (allocated when nil) and return
// it; every other returned slice is new and owned by the caller.
package fairness
