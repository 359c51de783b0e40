package dataimport

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/apache/arrow-go/v18/arrow/memory"
	"github.com/recaudit/recaudit/datasets"
	"github.com/recaudit/recaudit/datasets/movielens"
	"github.com/recaudit/recaudit/internal/cli/cmdutil"
	"github.com/spf13/cobra"
)

// Source is a dataset layout recaudit can import.
type Source int

const (
	MovieLens Source = iota + 1 // MovieLens (GroupLens) ratings, users and movies files
)

const badSource = "dataimport: bad source"

var sources = []cmdutil.Choice[Source]{{Name: "movielens", Value: MovieLens}}

func (s Source) String() string {
	for _, c := range sources {
		if c.Value == s {
			return c.Name
		}
	}
	return fmt.Sprintf("Source(%d)", int(s))
}

func sourceNames() []string {
	names := make([]string, len(sources))
	for i, c := range sources {
		names[i] = c.Name
	}
	return names
}

// ImportOptions are the inputs of "recaudit data import".
type ImportOptions struct {
	IO        *cmdutil.IOStreams
	Allocator memory.Allocator
	Now       func() time.Time

	Source Source
	Dir    string // the source's directory
	Out    string
	Format datasets.Format
	Force  bool
	JSON   bool
}

// NewCmdImport returns the "data import" command. When runF is not nil it
// is called with the parsed options instead of running the command.
func NewCmdImport(f *cmdutil.Factory, runF func(*ImportOptions) error) *cobra.Command {
	opts := &ImportOptions{IO: f.IO, Allocator: f.Allocator, Now: f.Now}
	cmd := &cobra.Command{
		Use:   "import SOURCE DIR --out OUT_DIR [flags]",
		Short: "Import a public dataset (MovieLens) as a recaudit dataset",
		Long: `Read a public dataset from DIR in its own layout and write it to OUT_DIR as
interactions, users and items tables with column roles set.

Sources:
  movielens  a MovieLens download from GroupLens, unpacked (for example
             ml-1m or ml-100k): ratings become interactions with value and
             timestamp, users keep their demographic attributes (sensitive),
             movies their genres (item groups).

A one-line summary goes to stderr; with --json a summary document goes to
stdout. Existing tables in OUT_DIR are replaced only with --force.`,
		Example: `  recaudit data import movielens ml-1m --out movielens
  recaudit data import movielens ml-100k --out ml100k --format parquet`,
		ValidArgsFunction: func(_ *cobra.Command, args []string, _ string) ([]string, cobra.ShellCompDirective) {
			if len(args) == 0 {
				return sourceNames(), cobra.ShellCompDirectiveNoFileComp
			}
			return nil, cobra.ShellCompDirectiveFilterDirs
		},
		Args: cobra.ExactArgs(2),
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.Source = 0
			for _, c := range sources {
				if c.Name == args[0] {
					opts.Source = c.Value
				}
			}
			if opts.Source == 0 {
				return cmdutil.UsageErrorf("unknown source %q; sources: %s", args[0], strings.Join(sourceNames(), ", "))
			}
			opts.Dir = args[1]
			if opts.Out == "" {
				return cmdutil.UsageErrorf("--out is required")
			}
			if runF != nil {
				return runF(opts)
			}
			return importRun(cmd.Context(), opts)
		},
	}
	fl := cmd.Flags()
	fl.StringVar(&opts.Out, "out", "", "Write the tables to `DIR` (created if missing)")
	cmdutil.EnumVar(cmd, &opts.Format, "format", "arrow", cmdutil.FormatChoices, "Table file `format`")
	fl.BoolVar(&opts.Force, "force", false, "Replace the tables already in the output directory")
	cmdutil.AddJSONFlag(cmd, &opts.JSON)
	return cmd
}

// Summary is the JSON document printed by "recaudit data import --json".
type Summary struct {
	Source string `json:"source"`
	From   string `json:"from"`
	cmdutil.WrittenDataset
}

func importRun(ctx context.Context, opts *ImportOptions) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	old, err := cmdutil.CheckOutputDir(opts.Out, opts.Force)
	if err != nil {
		return err
	}
	start := opts.Now()
	var d *datasets.Dataset
	switch opts.Source {
	case MovieLens:
		d, err = movielens.Import(opts.Dir)
	default:
		panic(badSource)
	}
	if err != nil {
		return err
	}
	if err := datasets.WriteDataset(opts.Out, d, opts.Format, datasets.WithAllocator(opts.Allocator)); err != nil {
		return err
	}
	if err := cmdutil.RemoveStale(old, datasets.TablePaths(opts.Out, opts.Format)); err != nil {
		return err
	}
	p, err := datasets.Locate(opts.Out)
	if err != nil {
		return err
	}
	s := Summary{Source: opts.Source.String(), From: opts.Dir, WrittenDataset: cmdutil.NewWrittenDataset(opts.Out, opts.Format, p, d)}
	fmt.Fprintf(opts.IO.ErrOut, "Imported %s from %s to %s: %d users, %d items, %d interactions, %s, in %s\n",
		s.Source, opts.Dir, opts.Out, s.Users, s.Items, s.Interactions, s.Format, opts.Now().Sub(start).Round(time.Millisecond))
	if opts.JSON {
		return cmdutil.WriteJSON(opts.IO.Out, s)
	}
	return nil
}
