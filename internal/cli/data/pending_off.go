//go:build !(ignore && recaudit_pending)

package data

import (
	"github.com/recaudit/recaudit/internal/cli/cmdutil"
	"github.com/spf13/cobra"
)

// pending returns the commands whose library APIs have not landed yet.
func pending(*cmdutil.Factory) []*cobra.Command { return nil }
