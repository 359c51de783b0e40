package gate

import (
	"context"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"github.com/recaudit/recaudit/audit"
	libgate "github.com/recaudit/recaudit/gate"
	"github.com/recaudit/recaudit/internal/atomicfile"
	"github.com/recaudit/recaudit/internal/cli/cmdutil"
	"github.com/spf13/cobra"
)

// GateOptions are the inputs of "recaudit gate" and of [Apply].
type GateOptions struct {
	IO *cmdutil.IOStreams
	// Now is the clock that dates the evaluation (waivers expire against
	// it).
	Now func() time.Time
	// Getenv reads the environment ($GITHUB_STEP_SUMMARY); os.Getenv in
	// production.
	Getenv func(string) string

	// Policy is the policy file; Results the results document to gate
	// (the command's argument; Apply takes the result instead); Baseline
	// the results document change rules compare with, "" for none.
	Policy   string
	Results  string
	Baseline string
	// Format is the output format; table goes to stderr, the others to
	// stdout, unless Output names a file.
	Format libgate.Format
	Output string
	// Summary is a file to append the Markdown summary to; "" means none,
	// or with the github format $GITHUB_STEP_SUMMARY when it is set.
	Summary string
}

// FormatChoices are the values of --format.
var FormatChoices = []cmdutil.Choice[libgate.Format]{
	{Name: "table", Value: libgate.FormatTable},
	{Name: "json", Value: libgate.FormatJSON},
	{Name: "junit", Value: libgate.FormatJUnit},
	{Name: "github", Value: libgate.FormatGitHub},
	{Name: "markdown", Value: libgate.FormatMarkdown},
}

// NewCmdGate returns the "gate" command. When runF is not nil it is called
// with the parsed options instead of running the command (tests).
func NewCmdGate(f *cmdutil.Factory, runF func(*GateOptions) error) *cobra.Command {
	opts := &GateOptions{IO: f.IO, Now: f.Now, Getenv: os.Getenv}
	cmd := &cobra.Command{
		Use:   "gate --policy FILE results.json [--baseline FILE] [flags]",
		Short: "Check an audit's results against a fairness policy (for CI)",
		Long: `Check a results document (results.json, written by recaudit audit) against
a fairness policy, the way a test suite checks code: every rule passes or
fails, and the exit status says whether the gate passed.

A policy is a YAML file (version: 1) of rules. Each rule has an id and a
description, selects values of the results (kind: metric, group,
disparity, exposure or targeting; system, metric, cutoff, attribute, group
and so on, each a name, a list or "*"), and bounds them: min and max, or
change (max_drop, max_rise) against the --baseline results. Its
uncertainty says how sampling error counts: point (the estimate), interval
(fail only when the whole confidence interval is beyond the bound) or
significant (fail only when the value's test is significant after the
results' Benjamini-Hochberg correction). Waivers suspend a rule until an
expiry date, with a reason and an approver; an expired waiver fails its
rule. Names the results do not have are reported with the line and column
of the policy and the closest valid names. See "CI gate" in the README.

Without --baseline, change rules are skipped. Waived and skipped rules do
not fail the gate; a value that cannot be checked (undefined, or without
the interval or test its rule needs) does.

The table goes to stderr; json, junit (JUnit XML, one test case per rule),
github (workflow annotations) and markdown (for a pull-request comment) go
to stdout, or to --output. With --format github the Markdown summary is
also appended to $GITHUB_STEP_SUMMARY when that is set.`,
		Example: `  recaudit gate --policy fairness.yaml out/results.json
  recaudit gate --policy fairness.yaml out/results.json --baseline main/results.json --format junit --output gate.xml
  recaudit gate --policy fairness.yaml results.json --format github`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.Results = args[0]
			if runF != nil {
				return runF(opts)
			}
			return gateRun(cmd.Context(), opts)
		},
	}
	fl := cmd.Flags()
	fl.StringVar(&opts.Policy, "policy", "", "Policy `file` (YAML) to check the results against (required)")
	fl.StringVar(&opts.Baseline, "baseline", "", "Baseline results `file` for the change rules (the audit of the main branch, say)")
	cmdutil.EnumVar(cmd, &opts.Format, "format", "table", FormatChoices, "Output `format`")
	fl.StringVar(&opts.Output, "output", "", "Write the output to `file` (atomically) instead of stdout or stderr")
	fl.StringVar(&opts.Summary, "summary", "", "Append the Markdown summary to `file` (default with --format github: $GITHUB_STEP_SUMMARY)")
	_ = cmd.MarkFlagRequired("policy")
	_ = cmd.MarkFlagFilename("policy", "yaml", "yml")
	_ = cmd.MarkFlagFilename("baseline", "json")
	return cmd
}

func gateRun(ctx context.Context, opts *GateOptions) error {
	res, err := libgate.ReadResult(opts.Results)
	if err != nil {
		return err
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	return Apply(opts, res)
}

// Apply checks res against the policy file opts.Policy (and the baseline
// file opts.Baseline, if any), writes the report as opts says, and returns
// nil when the gate passed, an error wrapping cmdutil.ErrPolicyViolated
// (exit status 1) when a rule failed, and an error wrapping gate.ErrPolicy,
// gate.ErrResult or fs.ErrNotExist (exit status 2) when the policy or the
// baseline cannot be used. opts.Results is not read.
//
// recaudit audit --policy calls it with the result it has just written.
func Apply(opts *GateOptions, res *audit.Result) error {
	p, err := libgate.ReadPolicy(opts.Policy)
	if err != nil {
		return err
	}
	var base *audit.Result
	if opts.Baseline != "" {
		if base, err = libgate.ReadResult(opts.Baseline); err != nil {
			return fmt.Errorf("baseline: %w", err)
		}
	}
	now := opts.Now
	if now == nil {
		now = time.Now
	}
	rep, err := libgate.Evaluate(p, res, libgate.Options{Baseline: base, Now: now})
	if err != nil {
		return err
	}
	if err := write(opts, rep); err != nil {
		return err
	}
	if !rep.Passed() {
		failed := rep.Failed()
		return fmt.Errorf("%w: %d of %d rules failed: %s", cmdutil.ErrPolicyViolated, len(failed), len(rep.Rules), strings.Join(failed, ", "))
	}
	return nil
}

// write writes the report where opts says, and the summary.
func write(opts *GateOptions, rep *libgate.Report) error {
	emit := func(w io.Writer) error { return libgate.Write(w, rep, opts.Format) }
	switch {
	case opts.Output != "":
		if err := atomicfile.Write(opts.Output, emit); err != nil {
			return err
		}
	case opts.Format == libgate.FormatTable:
		if err := emit(opts.IO.ErrOut); err != nil {
			return err
		}
	default:
		if err := emit(opts.IO.Out); err != nil {
			return err
		}
	}
	if opts.Format != libgate.FormatTable || opts.Output != "" {
		// The table was not shown: give the verdict on stderr.
		fmt.Fprintf(opts.IO.ErrOut, "recaudit gate %s\n", rep.Verdict())
	}
	summary := opts.Summary
	if summary == "" && opts.Format == libgate.FormatGitHub && opts.Getenv != nil {
		summary = opts.Getenv("GITHUB_STEP_SUMMARY")
	}
	if summary == "" {
		return nil
	}
	// The job summary file is shared by the steps of a job: append.
	f, err := os.OpenFile(summary, os.O_WRONLY|os.O_APPEND|os.O_CREATE, 0o644)
	if err != nil {
		return err
	}
	if err := libgate.WriteMarkdown(f, rep); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}
