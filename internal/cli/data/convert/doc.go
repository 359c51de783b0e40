// Package convert implements "recaudit data convert": rewrite a dataset
// directory, or a single table file, in another format (Arrow IPC, Parquet
// or CSV).
//
// # What is kept
//
// A single table is copied column for column, with its schema and field
// metadata where the target format can hold them. A directory is loaded
// (validated and indexed, with --role and --duplicates applied) and written
// back in the data-contract layout, so what Load ignores (interaction
// columns without a role) is not carried over; the command says so on
// stderr.
//
// # Invariants
//
// The input is only read. Outputs are written atomically, and existing
// outputs are replaced only with --force.
package convert
