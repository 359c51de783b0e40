// Package gate implements "recaudit gate": check a results document
// against a fairness policy (package gate of the module), optionally
// against a baseline results document, write the verdict in the format a
// CI system reads, and exit 0 when every rule passed, 1 when one failed,
// and 2 when the policy, the results or the baseline cannot be used.
//
// [Apply] is the same check for a result already in memory: recaudit
// audit --policy calls it after writing results.json.
//
// # Invariants
//
// The command reads its inputs and writes only to stderr (the table and
// the verdict), stdout (the other formats) or the --output file (written
// atomically), and appends to the --summary file. Inputs are never
// modified. The same inputs on the same date give the same output.
package gate
