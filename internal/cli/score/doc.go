// Package score implements "recaudit score": evaluate recommendation files
// against a dataset's interactions (the held-out part of a split, or all of
// them), or TREC run files against TREC qrels, with the ranking metrics of
// package metrics under a chosen profile of conventions, and print the
// means per system as a table, as JSON, or in trec_eval's layout.
//
// # Invariants
//
// The command reads its inputs and writes only to stdout (the results) and
// stderr (diagnostics and progress). Inputs are never modified. The same
// flags give the same output.
package score
