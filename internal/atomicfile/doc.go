// Package atomicfile writes files atomically: readers of the destination
// path see either the old file or the complete new one, never a partial
// write.
//
// # Method
//
// [Write] creates a temporary file in the destination's directory (so the
// final rename stays on one file system), lets the caller fill it, flushes
// it to stable storage with fsync, closes it and renames it over the
// destination. On any error, or a panic in the caller's function, the
// temporary file is removed and the destination is left untouched; a panic
// is re-raised after the clean-up.
//
// The new file gets the permissions os.Create would give it (0666 less the
// umask); the mode of a file it replaces is not kept. On Unix the directory
// is also fsynced after the rename, so the rename itself survives a crash.
//
// # Invariants
//
// The destination is never opened for writing and never truncated. The data
// passed to [WriteFile] is not modified. Nothing is written to stdout or
// stderr.
package atomicfile
