package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"slices"

	"github.com/recaudit/recaudit/internal/cli/cmdutil"
	"github.com/spf13/cobra"
)

// Factory supplies the dependencies every command shares (see
// [cmdutil.Factory]).
type Factory = cmdutil.Factory

// NewFactory returns a Factory over the given streams with the real clock
// and the default Arrow allocator.
func NewFactory(stdin io.Reader, stdout, stderr io.Writer) *Factory {
	return cmdutil.NewFactory(stdin, stdout, stderr)
}

// Main runs recaudit with args (without the program name) and returns the
// process exit status. SIGINT cancels the context the command runs under;
// a second SIGINT kills the process.
func Main(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	go func() {
		<-ctx.Done()
		stop() // restore the default handler: a second SIGINT kills
	}()
	return Run(ctx, NewFactory(stdin, stdout, stderr), args)
}

// Run runs recaudit with args under ctx and returns the exit status. It
// prints a fatal error on f.IO.ErrOut: as a JSON object when the command was
// given --json, else as "recaudit: <message>".
func Run(ctx context.Context, f *Factory, args []string) int {
	return run(ctx, f, NewCmdRoot(f), args)
}

func run(ctx context.Context, f *Factory, root *cobra.Command, args []string) int {
	root.SetArgs(args)
	root.SetIn(f.IO.In)
	root.SetOut(f.IO.Out)
	root.SetErr(f.IO.ErrOut)
	entered := markRuns(root)

	cmd, err := root.ExecuteContextC(ctx)
	if err == nil {
		return 0
	}
	switch {
	case ctx.Err() != nil:
		err = &interruptedError{err}
	case !*entered && !errors.Is(err, cmdutil.ErrUsage):
		// Cobra found the problem before any command ran: an unknown
		// command, a bad argument count, a missing required flag.
		err = &cmdutil.FlagError{Err: err}
	}
	code := ExitCode(err)
	printError(f.IO.ErrOut, cmd, args, err, code)
	return code
}

// markRuns wraps the RunE of every command in the tree so that the
// returned flag tells whether a command's own code started: errors before
// that are cobra's command-line checks.
func markRuns(root *cobra.Command) *bool {
	entered := new(bool)
	var walk func(c *cobra.Command)
	walk = func(c *cobra.Command) {
		if run := c.RunE; run != nil {
			c.RunE = func(cmd *cobra.Command, args []string) error {
				*entered = true
				return run(cmd, args)
			}
		}
		for _, sub := range c.Commands() {
			walk(sub)
		}
	}
	walk(root)
	return entered
}

// interruptedError marks an error that ended a run cancelled by SIGINT.
type interruptedError struct{ err error }

func (e *interruptedError) Error() string {
	if errors.Is(e.err, context.Canceled) {
		return "interrupted"
	}
	return "interrupted: " + e.err.Error()
}

func (e *interruptedError) Unwrap() []error { return []error{ErrInterrupted, e.err} }

// printError prints err on w: as {"error", "exit_code"} when cmd was given
// --json, else as "recaudit: <message>" plus a hint for usage errors.
func printError(w io.Writer, cmd *cobra.Command, args []string, err error, code int) {
	if jsonMode(cmd, args) {
		_ = cmdutil.WriteJSON(w, struct {
			Error    string `json:"error"`
			ExitCode int    `json:"exit_code"`
		}{err.Error(), code})
		return
	}
	fmt.Fprintf(w, "recaudit: %s\n", err)
	if code == ExitUsage && errors.Is(err, cmdutil.ErrUsage) && cmd != nil {
		fmt.Fprintf(w, "Run '%s --help' for usage.\n", cmd.CommandPath())
	}
}

// jsonMode reports whether the command that ran was asked for --json. When
// parsing stopped before the flag was seen, the raw arguments decide.
func jsonMode(cmd *cobra.Command, args []string) bool {
	if cmd != nil {
		if fl := cmd.Flags().Lookup("json"); fl != nil && fl.Value.String() == "true" {
			return true
		}
	}
	end := slices.Index(args, "--")
	if end < 0 {
		end = len(args)
	}
	return slices.Contains(args[:end], "--json") || slices.Contains(args[:end], "--json=true")
}
