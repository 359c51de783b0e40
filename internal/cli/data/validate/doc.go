// Package validate implements "recaudit data validate": load a dataset,
// check every data contract, and report its size or the first problem.
//
// # Invariants
//
// The command only reads its input files.
package validate
