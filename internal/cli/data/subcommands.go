package data

import (
	"github.com/recaudit/recaudit/internal/cli/cmdutil"
	"github.com/spf13/cobra"
)

func addSubcommands(cmd *cobra.Command, f *cmdutil.Factory) {}
