package data

import (
	"github.com/recaudit/recaudit/internal/cli/cmdutil"
	"github.com/recaudit/recaudit/internal/cli/data/inspect"
	"github.com/recaudit/recaudit/internal/cli/data/validate"
	"github.com/spf13/cobra"
)

func addSubcommands(cmd *cobra.Command, f *cmdutil.Factory) {
	cmd.AddCommand(pending(f)...)
	cmd.AddCommand(
		validate.NewCmdValidate(f, nil),
		inspect.NewCmdInspect(f, nil),
	)
}
