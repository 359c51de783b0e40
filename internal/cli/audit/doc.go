// Package audit implements "recaudit audit": run a whole fairness audit
// from an audit spec (a YAML file, flags, or the built-in demo audit) with
// audit.Run, and write its outputs into a report directory, atomically:
// results.json (the result document), the per-user table (Arrow or
// Parquet, user IDs optionally pseudonymised with HMAC-SHA-256) and
// timings.json (the only output that differs between runs), plus the
// human-readable report when a renderer is plugged into
// AuditOptions.Render.
//
// # Invariants
//
// Inputs are never modified. The output directory is written whole or not
// at all, and an existing non-empty one is replaced only with --force.
// Nothing goes to stdout; stderr carries progress (on a terminal only), a
// one-line summary and errors, and with --quiet only errors. The same
// spec, flags and data give byte-identical results.json and per-user
// table.
package audit
