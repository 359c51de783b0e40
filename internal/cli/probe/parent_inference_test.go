package probe

import (
	"github.com/recaudit/recaudit/internal/cli/cmdutil"
	"github.com/spf13/cobra"
)

// testParent is test-only scaffolding: a minimal "probe" parent holding
// the inference subcommand, configured as the root command configures
// every command (silenced errors and usage, flag errors as usage errors),
// until the real parent in probe.go adds NewCmdInference.
func testParent(f *cmdutil.Factory) *cobra.Command {
	p := &cobra.Command{
		Use:           "probe <command>",
		Short:         "Behavioural probes of a recommender",
		Args:          cobra.ArbitraryArgs,
		RunE:          cmdutil.NoSubcommand,
		SilenceErrors: true,
		SilenceUsage:  true,
	}
	p.SetFlagErrorFunc(func(_ *cobra.Command, err error) error {
		return &cmdutil.FlagError{Err: err}
	})
	p.AddCommand(NewCmdInference(f))
	return p
}
