// Package cli holds recaudit's cobra commands and maps errors to exit codes.
package cli
