// Package inspect implements "recaudit data inspect": load a dataset and
// describe it: sizes, column roles, group sizes per sensitive attribute and
// item grouping, and how interactions spread over users (activity) and items
// (popularity). The numbers come from [datasets.Summarize]; this package
// only formats them.
//
// # Output
//
// The description is the command's data, so it goes to stdout, as a
// readable report or, with --json, as one JSON document ([Report]) whose
// fields may be added but never renamed. This follows gh, whose listing
// commands print their tables on stdout; only diagnostics go to stderr.
//
// # Invariants
//
// The command only reads its input files.
package inspect
