package cli

import (
	"github.com/recaudit/recaudit/internal/cli/audit"
	"github.com/recaudit/recaudit/internal/cli/cmdutil"
	"github.com/recaudit/recaudit/internal/cli/data"
	"github.com/recaudit/recaudit/internal/cli/gate"
	"github.com/recaudit/recaudit/internal/cli/probe"
	"github.com/recaudit/recaudit/internal/cli/recommend"
	"github.com/recaudit/recaudit/internal/cli/report"
	"github.com/recaudit/recaudit/internal/cli/score"
	"github.com/recaudit/recaudit/internal/cli/version"
	"github.com/spf13/cobra"
)

// exitStatusHelp is the EXIT STATUS section of every command's help; keep it
// in step with ExitCode and DESIGN.md.
const exitStatusHelp = `EXIT STATUS
  0    success; for gate, every rule passed
  1    the policy was violated (gate failed)
  2    invalid usage, configuration or input data
  3    internal error
  130  interrupted
  Any other status also means failure.`

// usageTemplate is cobra's usage layout with gh-style headings and the
// EXIT STATUS section; every command inherits it from the root.
const usageTemplate = `USAGE{{if and .Runnable (not .HasAvailableSubCommands)}}
  {{.UseLine}}{{end}}{{if .HasAvailableSubCommands}}
  {{.CommandPath}} <command> [flags]{{end}}{{if gt (len .Aliases) 0}}

ALIASES
  {{.NameAndAliases}}{{end}}{{if .HasAvailableSubCommands}}

COMMANDS{{range .Commands}}{{if (or .IsAvailableCommand (eq .Name "help"))}}
  {{rpad .Name .NamePadding }} {{.Short}}{{end}}{{end}}{{end}}{{if .HasAvailableLocalFlags}}

FLAGS
{{.LocalFlags.FlagUsages | trimTrailingWhitespaces}}{{end}}{{if .HasAvailableInheritedFlags}}

INHERITED FLAGS
{{.InheritedFlags.FlagUsages | trimTrailingWhitespaces}}{{end}}{{if .HasExample}}

EXAMPLES
{{.Example}}{{end}}

` + exitStatusHelp + `{{if .HasAvailableSubCommands}}

Use "{{.CommandPath}} <command> --help" for more information about a command.{{end}}
`

// NewCmdRoot returns the root "recaudit" command with every subcommand.
func NewCmdRoot(f *Factory) *cobra.Command {
	root := &cobra.Command{
		Use:   "recaudit <command> [flags]",
		Short: "Test recommender systems for fairness",
		Long: `recaudit tests recommender systems for fairness.

Recommenders (built-in, or any external system) are run against labelled
datasets in Apache Arrow, Parquet or CSV; their top-N lists are scored by
accuracy, disparity, exposure and calibration metrics, with uncertainty; the
results become an audit report and a pass/fail verdict for CI.

Stdout carries data (use --json for one JSON document); stderr carries
diagnostics and progress.`,
		SilenceErrors: true,
		SilenceUsage:  true,
	}
	root.SetUsageTemplate(usageTemplate)
	root.SetFlagErrorFunc(func(_ *cobra.Command, err error) error {
		return &cmdutil.FlagError{Err: err}
	})
	root.AddCommand(
		audit.NewCmdAudit(f, nil),
		data.NewCmdData(f),
		gate.NewCmdGate(f, nil),
		probe.NewCmdProbe(f),
		recommend.NewCmdRecommend(f, nil),
		report.NewCmdReport(f, nil),
		score.NewCmdScore(f, nil),
		version.NewCmdVersion(f, nil),
	)
	return root
}
