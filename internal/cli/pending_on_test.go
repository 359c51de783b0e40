//go:build ignore && recaudit_pending

package cli

// pendingBuilt reports whether the commands waiting for library APIs
// (data generate, convert, import) are built in; see data/pending_on.go.
const pendingBuilt = true
