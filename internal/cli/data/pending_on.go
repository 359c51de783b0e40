//go:build ignore && recaudit_pending

package data

import (
	"github.com/recaudit/recaudit/internal/cli/cmdutil"
	"github.com/recaudit/recaudit/internal/cli/data/convert"
	"github.com/recaudit/recaudit/internal/cli/data/dataimport"
	"github.com/recaudit/recaudit/internal/cli/data/generate"
	"github.com/spf13/cobra"
)

// pending returns the commands whose library APIs have not landed yet.
func pending(f *cmdutil.Factory) []*cobra.Command {
	return []*cobra.Command{
		generate.NewCmdGenerate(f, nil),
		convert.NewCmdConvert(f, nil),
		dataimport.NewCmdImport(f, nil),
	}
}
