// Package version implements "recaudit version", and holds the version
// string that release builds set with -ldflags:
//
//	go build -ldflags "-X github.com/recaudit/recaudit/internal/cli/version.Version=v0.1.0" ./cmd/recaudit
//
// # Invariants
//
// The command reads build information and prints it; it changes nothing.
package version
