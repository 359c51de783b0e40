package version

import (
	"context"
	"fmt"
	"io"
	"runtime"
	"runtime/debug"

	"github.com/recaudit/recaudit/internal/cli/cmdutil"
	"github.com/spf13/cobra"
)

// Version is recaudit's version, set at link time with -ldflags "-X"; "dev"
// in development builds.
var Version = "dev"

// VersionOptions are the inputs of "recaudit version".
type VersionOptions struct {
	IO   *cmdutil.IOStreams
	JSON bool

	// Version is the version string (the package's Version by default).
	Version string
	// BuildInfo returns the module build information (debug.ReadBuildInfo
	// by default).
	BuildInfo func() (*debug.BuildInfo, bool)
}

// NewCmdVersion returns the "version" command. When runF is not nil it is
// called with the parsed options instead of running the command (tests).
func NewCmdVersion(f *cmdutil.Factory, runF func(*VersionOptions) error) *cobra.Command {
	opts := &VersionOptions{IO: f.IO, Version: Version, BuildInfo: debug.ReadBuildInfo}
	cmd := &cobra.Command{
		Use:   "version",
		Short: "Print recaudit's version and build information",
		Long: `Print recaudit's version, the Go version it was built with, and the
module build information (module path and version, VCS revision).`,
		Example: `  recaudit version
  recaudit version --json`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if runF != nil {
				return runF(opts)
			}
			return versionRun(cmd.Context(), opts)
		},
	}
	cmdutil.AddJSONFlag(cmd, &opts.JSON)
	return cmd
}

// Info is the JSON document printed by "recaudit version --json".
type Info struct {
	Version       string `json:"version"`
	GoVersion     string `json:"go_version"`
	Platform      string `json:"platform"`
	Module        string `json:"module,omitempty"`
	ModuleVersion string `json:"module_version,omitempty"`
	VCSRevision   string `json:"vcs_revision,omitempty"`
	VCSTime       string `json:"vcs_time,omitempty"`
	VCSModified   bool   `json:"vcs_modified,omitempty"`
}

func collect(opts *VersionOptions) Info {
	info := Info{
		Version:   opts.Version,
		GoVersion: runtime.Version(),
		Platform:  runtime.GOOS + "/" + runtime.GOARCH,
	}
	if opts.BuildInfo == nil {
		return info
	}
	bi, ok := opts.BuildInfo()
	if !ok || bi == nil {
		return info
	}
	if bi.GoVersion != "" {
		info.GoVersion = bi.GoVersion
	}
	info.Module = bi.Main.Path
	info.ModuleVersion = bi.Main.Version
	for _, s := range bi.Settings {
		switch s.Key {
		case "vcs.revision":
			info.VCSRevision = s.Value
		case "vcs.time":
			info.VCSTime = s.Value
		case "vcs.modified":
			info.VCSModified = s.Value == "true"
		}
	}
	return info
}

func versionRun(_ context.Context, opts *VersionOptions) error {
	info := collect(opts)
	if opts.JSON {
		return cmdutil.WriteJSON(opts.IO.Out, info)
	}
	return writeText(opts.IO.Out, info)
}

func writeText(w io.Writer, info Info) error {
	if _, err := fmt.Fprintf(w, "recaudit %s\n", info.Version); err != nil {
		return err
	}
	fmt.Fprintf(w, "go:       %s %s\n", info.GoVersion, info.Platform)
	if info.Module != "" {
		fmt.Fprintf(w, "module:   %s %s\n", info.Module, info.ModuleVersion)
	}
	if info.VCSRevision != "" {
		mod := ""
		if info.VCSModified {
			mod = " (modified)"
		}
		fmt.Fprintf(w, "revision: %s %s%s\n", info.VCSRevision, info.VCSTime, mod)
	}
	return nil
}
