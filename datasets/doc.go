// Package datasets reads, validates, indexes and writes the labelled
// customer datasets that recaudit audits, and the recommendation files it
// scores.
//
// # Tables
//
// A dataset has three tables (see DESIGN.md, "Data contracts"):
//
//   - interactions: user_id, item_id, optional value and timestamp;
//   - users: user_id, sensitive attributes, other attributes and an optional
//     consent flag (consent_personalization);
//   - items: item_id, provider, category (string or list of strings),
//     numeric attributes and boolean flags.
//
// Each table may be an Arrow IPC file (.arrow, .feather, .ipc; memory-mapped
// and zero-copy when uncompressed), an Arrow IPC stream (.arrows), a Parquet
// file (.parquet) or a CSV file with a header (.csv). The same data read from
// any of these formats gives identical in-memory structures. CSV has no
// types or metadata: its conventions (type inference, lists, nulls) are
// documented on [CSVListSeparator].
//
// Record batches read from a memory-mapped Arrow file alias the mapping:
// they must not be used after the reader is closed, even when retained.
//
// # In-memory structures
//
// Arrow stays at the edge: [Load] turns columns into compact Go values.
// External IDs (strings, dictionary-encoded strings or integers) are mapped
// to dense int32 indices by [IDs]; interactions become a [CSR] by user with
// items sorted; categorical attributes become int32 codes with sorted level
// names, multi-valued categories (list<string>) become offsets into codes.
// The core packages (metrics, fairness, recommenders) compute on these plain
// slices and never see an Arrow type.
//
// # Column roles
//
// Every column has a [Role]. Roles come from the Arrow field metadata key
// "recaudit.role" when present, otherwise from [Options], otherwise from the
// defaults documented on [Options].
//
// # Splits
//
// [Split] divides the interactions into training and test CSRs: a per-user
// random holdout (a fraction, or leave-n-out), a global temporal cut, or
// the per-user last n. Splits are seeded and deterministic, and users with
// too few interactions stay whole in training and are counted.
//
// # Recommendation files
//
// [ReadRecommendations] reads top-N lists (user_id, item_id, rank, optional
// score, system and sample columns) into one [Rankings] per system and
// sample, looking users and items up in a dataset's [IDs].
//
// [WriteRecommendations] writes Rankings back as such a file, sorted by
// system and user so that it can be streamed.
//
// [OpenListReader] streams the lists of a recommendation file sorted by
// user, a batch at a time, so that files larger than memory can be scored
// with memory bounded by one batch.
//
// # TREC files
//
// [ReadTrecRun] and [ReadTrecQrels] (or [ReadTrec] for both, in one ID
// space) read trec_eval's run and qrels files, memory-mapped and parsed in
// parallel; lists follow trec_eval's order (score descending, then docno
// descending as strings) unless rank order is asked for.
//
// # Errors
//
// Bad input never panics. Every problem in a file is reported as an [*Error]
// that names the file, the column, the first offending row and the fix, and
// wraps one of the package sentinels ([ErrSchema], [ErrValue], [ErrDuplicate],
// [ErrUnknownID], [ErrEmpty], [ErrFormat]) so callers can classify it with
// errors.Is. Nothing is silently dropped: anything an option skips or merges
// is counted in the [Report].
//
// # Invariants
//
// Inputs are never modified: readers open files read-only, and functions that
// take slices do not write to them. Values returned by [Load] are owned by the
// caller and hold no reference to Arrow memory. Functions that allocate Arrow
// memory take a memory.Allocator (nil means memory.DefaultAllocator); the
// caller must Release every record batch it is handed, as each function's doc
// says. Writers write to a temporary file in the destination directory and
// rename it into place, so a failed write never leaves a partial file.
package datasets
