package data

import (
	"github.com/recaudit/recaudit/internal/cli/cmdutil"
	"github.com/recaudit/recaudit/internal/cli/data/convert"
	"github.com/recaudit/recaudit/internal/cli/data/dataimport"
	"github.com/recaudit/recaudit/internal/cli/data/generate"
	"github.com/recaudit/recaudit/internal/cli/data/inspect"
	"github.com/recaudit/recaudit/internal/cli/data/validate"
	"github.com/spf13/cobra"
)

func addSubcommands(cmd *cobra.Command, f *cmdutil.Factory) {
	cmd.AddCommand(
		generate.NewCmdGenerate(f, nil),
		validate.NewCmdValidate(f, nil),
		inspect.NewCmdInspect(f, nil),
		convert.NewCmdConvert(f, nil),
		dataimport.NewCmdImport(f, nil),
	)
}
