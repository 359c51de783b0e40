// Package cmdutil holds what recaudit's commands share: the [Factory] that
// hands every command its I/O streams, clock and Arrow allocator; the usage
// and policy error sentinels that the exit-code mapping in package cli
// classifies; and flag helpers (enum flags, column-role overrides, dataset
// inputs, JSON output).
//
// # Layout
//
// Package cli builds the command tree from one package per command
// (internal/cli/version, internal/cli/data/generate, ...). Each command
// package imports cmdutil, never cli, so there are no import cycles; cli
// re-exports what callers outside need.
//
// # Invariants
//
// Nothing here prints or exits: helpers return errors, and package cli
// decides the exit code and how an error is shown. Flag values parsed by
// the helpers are owned by the command's options struct. The Factory is
// built once per run and shared, read-only, by every command.
package cmdutil
