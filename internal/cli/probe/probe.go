package probe

import (
	"github.com/recaudit/recaudit/internal/cli/cmdutil"
	"github.com/spf13/cobra"
)

// NewCmdProbe returns the "probe" command group: behavioural probes that
// run against any recommender system.
func NewCmdProbe(f *cmdutil.Factory) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "probe <command>",
		Short: "Probe a recommender system's behaviour: consent, attribute inference",
		Long: `Behavioural probes test a recommender system, built in, run through exec,
or known only by its recommendation file, for what its users are entitled
to: that users who did not consent to personalisation are not profiled
(consent), and that the lists do not reveal a user's sensitive attributes to
whoever sees them (inference).`,
		Args: cobra.ArbitraryArgs,
		RunE: cmdutil.NoSubcommand,
	}
	cmd.AddCommand(NewCmdConsent(f, nil), NewCmdInference(f))
	return cmd
}
