package data

import (
	"github.com/recaudit/recaudit/internal/cli/cmdutil"
	"github.com/spf13/cobra"
)

// NewCmdData returns the "data" command group.
func NewCmdData(f *cmdutil.Factory) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "data <command>",
		Short: "Generate, validate, inspect, convert and import datasets",
		Long: `Work with datasets: a directory holding an interactions table (user_id,
item_id, optional value and timestamp) and optional users and items tables,
each an Arrow IPC (.arrow, .feather, .arrows), Parquet (.parquet) or CSV
(.csv) file.`,
		Args: cobra.ArbitraryArgs,
		RunE: cmdutil.NoSubcommand,
	}
	addSubcommands(cmd, f)
	return cmd
}
