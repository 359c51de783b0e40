// Package dataimport implements "recaudit data import": read a public
// dataset in its own layout (for now MovieLens) and write it as a recaudit
// dataset directory. The package is not named import, a Go keyword.
//
// # Invariants
//
// The source directory is only read. Outputs are written atomically, and
// existing tables are replaced only with --force.
package dataimport
