// Package trecbench generates TREC run and qrels files for benchmarks and
// compares recaudit's TREC evaluation with the trec_eval program
// (https://github.com/usnistgov/trec_eval) on the same files.
//
// # Use
//
// The comparison is a test that runs only when TREC_EVAL names a
// trec_eval binary:
//
//	TREC_EVAL=/path/to/trec_eval go test ./internal/trecbench -run VersusTrecEval -v
//
// It writes 100,000 queries × 100 documents (RECAUDIT_TREC_USERS changes
// the number of queries; RECAUDIT_BENCH_DIR keeps the files between runs),
// times trec_eval and recaudit (parse, evaluate, print) on the same files
// with the same measures, checks that both print identical text, and
// logs the ratios of their wall times and of their CPU times (user plus
// system; on a machine shared with other work the CPU time is the fairer
// measure) with the load average. The benchmarks time recaudit alone over
// a size ladder.
//
// # Invariants
//
// Generated files depend only on the size and seed. Nothing here is part
// of recaudit's API; it does not build or ship trec_eval.
package trecbench
