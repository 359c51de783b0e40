// Package generate implements "recaudit data generate": write the synthetic
// demo shop of package datasets/demo (with its planted group effects, or the
// null world) as a dataset directory.
//
// # Invariants
//
// The command writes only the three table files in the output directory
// (creating it if needed), each atomically, and refuses to replace existing
// tables without --force. The generated data depends only on the flags.
package generate
