// Package audit runs recaudit's experiments and holds their results: it
// turns a dataset's sensitive attributes into user groups and its item
// attributes into item groups, scores each system's recommendation lists
// (accuracy, beyond-accuracy, calibration, targeting and popularity
// metrics per user, then consumer-side group analysis, provider-side
// exposure and targeting of flagged items, with bootstrap intervals and
// permutation or bootstrap tests), and assembles everything into a
// versioned [Result], the results.json document of DESIGN.md.
//
// # Groups
//
// [NewUserGroups] groups users by a categorical, bool or binned numeric
// users column, [Intersect] crosses two or more groupings ("F × 65+"),
// and [Suppress] withholds groups smaller than the minimum size (default
// [DefaultMinGroupSize]) and lists them with a reason that never states
// their size. [NewItemGroups] groups items by provider, category
// (multi-valued: an item counts 1/k in each of its k categories) or a
// flag; [NewItemFlag] reads a flag whose targeting is audited.
//
// # Privacy: complementary suppression
//
// A result never shows a group of fewer than the minimum size, nor lets
// one be worked out by subtraction. A suppressed group's size (and the sum
// of its values) would follow from a known total less the reported
// groups: the grouping's total, or, for an intersection, a reported group
// of one of its attributes (18-24 less F × 18-24 and M × 18-24 gives
// X × 18-24). So suppression is complementary: every known total (a
// margin) that holds a suppressed group holds at least two, with at least
// the minimum size between them, the smallest reported groups of the
// margin being suppressed as well (ReasonComplementary, "suppressed to
// protect a smaller group"); an exact linear-algebra check confirms that
// no small group is determined by the margins together. [Intersect]
// states the margins, and the conservative rule for intersections of
// three or more attributes. [Score] applies the same rules, per metric,
// to the groups' users with a value: a group with fewer than the minimum
// is withheld from that comparison, with complements, and the number of
// users of a withheld group is not published (null in results.json).
//
// # Scoring
//
// [Score] scores one system's lists against the test split. Only the
// scoring stage reads sensitive attributes: recommenders never see them
// (they receive a recommenders.TrainView), and the groups reach Score
// through a [Groups] value built by [NewGroups].
//
// # Results
//
// A [Result] is a stable JSON document: fields are added, never renamed,
// and SchemaVersion changes when a field changes meaning. The same inputs
// and seed give byte-identical JSON: every list has a defined order, no
// map is marshalled, no timing is recorded, and NaN values are null.
// Benjamini–Hochberg q-values are computed over every test of the result
// ([Result.Finalize]); findings are plain-language sentences about the
// significant ones. schema.json describes the document.
//
// # Specs and runs
//
// A [Spec] describes a whole audit: the data (files, or the demo
// generator), the split, the systems (built-in algorithms with their
// parameters, recommendation files, external programs through the exec
// adapter), cutoffs, metrics and their conventions, groups, the exposure
// model, the statistics and the seed. [ParseSpec] and [ReadSpec] read it
// from YAML (examples/audit.yaml shows every field) with errors that name
// the file, line, column and field; [DefaultSpec] is the demo audit.
// [Run] carries it out: it loads or generates the data, splits it, runs
// the systems in parallel (each built-in fitted on a TrainView, with the
// consent fallback), scores them, and returns the [Result] with the
// effective spec ([Result.Spec]) and the data-minimisation record
// ([Result.DataAccess]), the per-user tables and the timings of each
// stage.
//
// # Probes
//
// Run also runs the behavioural probes of package probe on every system
// (the spec's probes section, [ProbesSpec]; [ProbeLists] runs them on one
// system's lists): the consent probe checks that the users who did not
// consent to personalisation get lists that do not depend on their own
// history (every system's lists; exec systems are also run again, asked
// for every user and told their consent, with those users' histories
// perturbed), and the attribute-inference probe measures how well each
// sensitive attribute can be predicted from a user's list alone. Their
// results are in [SystemResult.Consent] and [SystemResult.Inference],
// their tests join the Benjamini–Hochberg correction, and what they find
// becomes findings of kinds "consent" and "inference".
//
// # Invariants
//
// Inputs (datasets, splits, rankings) are never modified. Returned values
// are owned by the caller; UserGroups and ItemGroups share no memory with
// the dataset. Programmer errors (a negative minimum group size, a code
// out of range, mismatched lengths) panic with a message starting with
// "audit:"; problems with the data or configuration (a missing column,
// rankings for another set of users, a bad spec) are returned as errors;
// a spec problem is a *SpecError wrapping ErrSpec. Run does not modify its
// Spec, and its result is the same for the same spec, data and seed
// whatever GOMAXPROCS and RunOptions.Parallel are. Nothing in
// this package prints, logs or exits.
package audit
