// Package score evaluates recommendation files against held-out judgments:
// it is the glue between package datasets, which reads files (Arrow,
// Parquet, CSV, TREC), and package metrics, which computes ranking
// metrics on plain slices and may not import Arrow.
//
// # In memory
//
// Relevance and Lists turn the datasets structures into metrics inputs
// without copying lists. TrecEval evaluates a TREC run against qrels with
// the conventions of trec_eval (metrics.ProfileTrecEval, with -c as the
// Complete option), and WriteTrecEval prints the result in trec_eval's
// layout and number format, so that the output can be compared with
// trec_eval's line for line.
//
// # Streaming
//
// EvaluateFile evaluates a recommendation file sorted by user without
// loading it: it reads complete lists from record batches
// (datasets.OpenListReader), evaluates chunks of users in parallel and
// merges their metrics.Accumulator values. Memory is bounded by a few
// record batches and the judgments, not by the number of rows, and the
// means are bit for bit those of the in-memory path (metrics sums are
// exact, so they do not depend on how users are split into chunks).
//
// # Invariants
//
// Inputs are never modified. Lists returns views of its argument; every
// other function returns values owned by the caller. Nothing here prints,
// logs or exits: the writers write to the io.Writer they are given.
package score
