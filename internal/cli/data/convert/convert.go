package convert

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"strings"
	"time"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/memory"
	"github.com/recaudit/recaudit/datasets"
	"github.com/recaudit/recaudit/internal/cli/cmdutil"
	"github.com/spf13/cobra"
)

// ConvertOptions are the inputs of "recaudit data convert".
type ConvertOptions struct {
	IO        *cmdutil.IOStreams
	Allocator memory.Allocator
	Now       func() time.Time

	In  string // dataset directory or table file
	Out string // directory (for a directory) or file (for a file)
	// Format is the target format; FormatUnknown when --format was not
	// given (then a file's format comes from the --out extension).
	Format     datasets.Format
	Roles      cmdutil.RolesValue
	Duplicates datasets.DuplicatePolicy
	Force      bool
	JSON       bool
}

// NewCmdConvert returns the "data convert" command. When runF is not nil it
// is called with the parsed options instead of running the command.
func NewCmdConvert(f *cmdutil.Factory, runF func(*ConvertOptions) error) *cobra.Command {
	opts := &ConvertOptions{IO: f.IO, Allocator: f.Allocator, Now: f.Now, Roles: cmdutil.RolesValue{}}
	cmd := &cobra.Command{
		Use:   "convert {DIR | FILE} --out PATH [--format FORMAT]",
		Short: "Convert a dataset or a table file to another format",
		Long: `Convert a dataset directory, or one table file, to Arrow IPC, Parquet or
CSV.

For a directory, --out is the output directory and --format is required;
the dataset is loaded and validated (--role and --duplicates apply) and
written as interactions, users and items tables. For a file, --out is the
output file and its extension gives the format (--format, if given, must
agree); the table is copied with its schema and column roles.

A one-line summary goes to stderr; with --json a summary document goes to
stdout. Existing outputs are replaced only with --force.`,
		Example: `  recaudit data convert demo-data --out demo-parquet --format parquet
  recaudit data convert demo-data/users.arrow --out users.csv
  recaudit data convert logs --out logs-arrow --format arrow --duplicates sum`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.In = args[0]
			if opts.Out == "" {
				return cmdutil.UsageErrorf("--out is required")
			}
			if runF != nil {
				return runF(opts)
			}
			return convertRun(cmd.Context(), opts)
		},
	}
	fl := cmd.Flags()
	fl.StringVar(&opts.Out, "out", "", "Output `PATH`: a directory for a dataset, a file for a table")
	cmdutil.EnumVar(cmd, &opts.Format, "format", "", cmdutil.FormatChoices, "Output `format` (default: from the --out extension)")
	cmdutil.AddRolesFlag(cmd, opts.Roles)
	cmdutil.EnumVar(cmd, &opts.Duplicates, "duplicates", "error", cmdutil.DuplicatesChoices, "Merge `policy` for repeated (user, item) interactions")
	fl.BoolVar(&opts.Force, "force", false, "Replace existing outputs")
	cmdutil.AddJSONFlag(cmd, &opts.JSON)
	return cmd
}

// Summary is the JSON document printed by "recaudit data convert --json"
// for a directory.
type Summary struct {
	From string `json:"from"`
	cmdutil.WrittenDataset
}

// TableSummary is the JSON document printed by "recaudit data convert
// --json" for a single table file.
type TableSummary struct {
	From   string `json:"from"`
	To     string `json:"to"`
	Format string `json:"format"`
	Rows   int64  `json:"rows"`
}

func convertRun(ctx context.Context, opts *ConvertOptions) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	st, err := os.Stat(opts.In)
	if err != nil {
		return err
	}
	if st.IsDir() {
		return convertDir(opts)
	}
	return convertFile(opts)
}

func convertDir(opts *ConvertOptions) error {
	if opts.Format == datasets.FormatUnknown {
		return cmdutil.UsageErrorf("--format is required to convert a directory: %s",
			strings.Join([]string{"arrow", "parquet", "csv"}, ", "))
	}
	old, err := cmdutil.CheckOutputDir(opts.Out, opts.Force)
	if err != nil {
		return err
	}
	start := opts.Now()
	in := cmdutil.DatasetInput{Dir: opts.In, Roles: opts.Roles, Duplicates: opts.Duplicates}
	d, p, err := in.Load(opts.Allocator)
	if err != nil {
		return err
	}
	if err := datasets.WriteDataset(opts.Out, d, opts.Format, datasets.WithAllocator(opts.Allocator)); err != nil {
		return err
	}
	if err := cmdutil.RemoveStale(old, datasets.TablePaths(opts.Out, opts.Format)); err != nil {
		return err
	}
	q, err := datasets.Locate(opts.Out)
	if err != nil {
		return err
	}
	s := Summary{From: opts.In, WrittenDataset: cmdutil.NewWrittenDataset(opts.Out, opts.Format, q, d)}
	for _, c := range d.Report.IgnoredColumns {
		fmt.Fprintf(opts.IO.ErrOut, "note: column %s was ignored when loading %s and is not in the output\n", c, p.Interactions)
	}
	fmt.Fprintf(opts.IO.ErrOut, "Converted %s to %s (%s): %d users, %d items, %d interactions, in %s\n",
		opts.In, opts.Out, s.Format, s.Users, s.Items, s.Interactions, opts.Now().Sub(start).Round(time.Millisecond))
	if opts.JSON {
		return cmdutil.WriteJSON(opts.IO.Out, s)
	}
	return nil
}

func convertFile(opts *ConvertOptions) error {
	format, err := datasets.FormatOf(opts.Out)
	if err != nil {
		return cmdutil.UsageErrorf("--out %s: name the output file .arrow, .parquet or .csv", opts.Out)
	}
	if opts.Format != datasets.FormatUnknown && opts.Format != format {
		return cmdutil.UsageErrorf("--format %s does not match the extension of --out %s", opts.Format, opts.Out)
	}
	switch st, err := os.Stat(opts.Out); {
	case err == nil && st.IsDir():
		return cmdutil.UsageErrorf("--out %s is a directory; name the output file", opts.Out)
	case err == nil && !opts.Force:
		return cmdutil.UsageErrorf("%s already exists; use --force to replace it", opts.Out)
	case err != nil && !errors.Is(err, fs.ErrNotExist):
		return err
	}
	start := opts.Now()
	rows, err := copyTable(opts.In, opts.Out, opts.Allocator)
	if err != nil {
		return err
	}
	fmt.Fprintf(opts.IO.ErrOut, "Converted %s to %s (%s): %d rows, in %s\n",
		opts.In, opts.Out, format, rows, opts.Now().Sub(start).Round(time.Millisecond))
	if opts.JSON {
		return cmdutil.WriteJSON(opts.IO.Out, TableSummary{From: opts.In, To: opts.Out, Format: format.String(), Rows: rows})
	}
	return nil
}

// copyTable reads every record batch of the table file in and writes them
// to out. The reader stays open until the write is done: batches of a
// memory-mapped Arrow file point into the mapping.
func copyTable(in, out string, mem memory.Allocator) (int64, error) {
	r, err := datasets.OpenTable(in, datasets.WithAllocator(mem))
	if err != nil {
		return 0, err
	}
	defer r.Close()
	var (
		batches []arrow.RecordBatch
		rows    int64
	)
	defer func() {
		for _, b := range batches {
			b.Release()
		}
	}()
	for r.Next() {
		b := r.RecordBatch()
		b.Retain()
		batches = append(batches, b)
		rows += b.NumRows()
	}
	if err := r.Err(); err != nil {
		return 0, err
	}
	return rows, datasets.WriteTable(out, r.Schema(), batches, datasets.WithAllocator(mem))
}
