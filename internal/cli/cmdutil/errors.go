package cmdutil

import (
	"errors"
	"fmt"
	"strings"

	"github.com/spf13/cobra"
)

// Sentinels classified by the exit-code mapping in package cli.
var (
	// ErrUsage marks invalid usage: bad flags or arguments, a missing
	// required flag, a refused overwrite. Exit status 2.
	ErrUsage = errors.New("invalid usage")
	// ErrPolicyViolated marks a failed fairness policy (recaudit gate).
	// Exit status 1.
	ErrPolicyViolated = errors.New("policy violated")
)

// UsageError is an invalid-usage error; it wraps [ErrUsage].
type UsageError struct{ Msg string }

func (e *UsageError) Error() string { return e.Msg }

// Unwrap returns ErrUsage.
func (e *UsageError) Unwrap() error { return ErrUsage }

// UsageErrorf returns a [*UsageError] with a formatted message.
func UsageErrorf(format string, args ...any) error {
	return &UsageError{Msg: fmt.Sprintf(format, args...)}
}

// FlagError wraps an error found while parsing the command line (flags,
// arguments, required flags, flag groups); it matches [ErrUsage] and the
// error it wraps.
type FlagError struct{ Err error }

func (e *FlagError) Error() string { return e.Err.Error() }

// Unwrap returns ErrUsage and the parse error.
func (e *FlagError) Unwrap() []error { return []error{ErrUsage, e.Err} }

// NoSubcommand is the RunE of a command that only groups subcommands: called
// alone it shows the help; called with an unknown subcommand it returns a
// usage error that suggests close names.
func NoSubcommand(cmd *cobra.Command, args []string) error {
	if len(args) == 0 {
		return cmd.Help()
	}
	msg := fmt.Sprintf("unknown command %q for %q", args[0], cmd.CommandPath())
	if s := cmd.SuggestionsFor(args[0]); len(s) > 0 {
		msg += "; did you mean " + strings.Join(s, " or ") + "?"
	}
	return &UsageError{Msg: msg}
}
