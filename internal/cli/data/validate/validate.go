package validate

import (
	"context"
	"fmt"
	"strings"

	"github.com/apache/arrow-go/v18/arrow/memory"
	"github.com/recaudit/recaudit/datasets"
	"github.com/recaudit/recaudit/internal/cli/cmdutil"
	"github.com/spf13/cobra"
)

// ValidateOptions are the inputs of "recaudit data validate".
type ValidateOptions struct {
	IO        *cmdutil.IOStreams
	Allocator memory.Allocator

	Input cmdutil.DatasetInput
	JSON  bool
}

// NewCmdValidate returns the "data validate" command. When runF is not nil
// it is called with the parsed options instead of running the command.
func NewCmdValidate(f *cmdutil.Factory, runF func(*ValidateOptions) error) *cobra.Command {
	opts := &ValidateOptions{IO: f.IO, Allocator: f.Allocator}
	cmd := &cobra.Command{
		Use:   "validate [DIR | --interactions FILE [--users FILE] [--items FILE]]",
		Short: "Check that a dataset meets the data contracts",
		Long: `Load a dataset and check every data contract: required columns and their
types, no nulls or malformed values in keys, no duplicate IDs or repeated
(user, item) pairs (unless --duplicates merges them), and every interaction
naming a known user and item.

On success it prints the number of users, items and interactions, and what
loading merged or ignored. On the first problem it prints the file, column
and row, and how to fix it, and exits with status 2.`,
		Example: `  recaudit data validate demo-data
  recaudit data validate --interactions logs.parquet --users users.csv
  recaudit data validate shop --role region=sensitive --duplicates sum --json`,
		Args: cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if err := opts.Input.SetArgs(args); err != nil {
				return err
			}
			if runF != nil {
				return runF(opts)
			}
			return validateRun(cmd.Context(), opts)
		},
	}
	opts.Input.AddFlags(cmd)
	cmdutil.AddJSONFlag(cmd, &opts.JSON)
	return cmd
}

// Result is the JSON document printed by "recaudit data validate --json".
type Result struct {
	Valid               bool     `json:"valid"`
	Interactions        string   `json:"interactions_file"`
	Users               string   `json:"users_file,omitempty"`
	Items               string   `json:"items_file,omitempty"`
	NumUsers            int      `json:"users"`
	NumItems            int      `json:"items"`
	NumInteractions     int      `json:"interactions"`
	InteractionRows     int64    `json:"interaction_rows"`
	DuplicatesMerged    int64    `json:"duplicates_merged"`
	UsersWithoutHistory int      `json:"users_without_history"`
	ItemsWithoutHistory int      `json:"items_without_history"`
	IgnoredColumns      []string `json:"ignored_columns"`
}

func validateRun(ctx context.Context, opts *ValidateOptions) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	d, p, err := opts.Input.Load(opts.Allocator)
	if err != nil {
		return err
	}
	r := Result{
		Valid:               true,
		Interactions:        p.Interactions,
		Users:               p.Users,
		Items:               p.Items,
		NumUsers:            d.Interactions.Rows,
		NumItems:            d.Interactions.NumCols,
		NumInteractions:     d.Interactions.NNZ(),
		InteractionRows:     d.Report.InteractionRows,
		DuplicatesMerged:    d.Report.DuplicatesMerged,
		UsersWithoutHistory: d.Report.UsersWithoutHistory,
		ItemsWithoutHistory: d.Report.ItemsWithoutHistory,
		IgnoredColumns:      append([]string{}, d.Report.IgnoredColumns...),
	}
	if opts.JSON {
		return cmdutil.WriteJSON(opts.IO.Out, r)
	}
	return writeText(opts.IO, r, opts.Input.Duplicates)
}

func writeText(io *cmdutil.IOStreams, r Result, dup datasets.DuplicatePolicy) error {
	w := io.Out
	if _, err := fmt.Fprintf(w, "valid: %d users, %d items, %d interactions\n", r.NumUsers, r.NumItems, r.NumInteractions); err != nil {
		return err
	}
	fmt.Fprintf(w, "  interactions  %s (%d rows)\n", r.Interactions, r.InteractionRows)
	if r.Users != "" {
		fmt.Fprintf(w, "  users         %s\n", r.Users)
	} else {
		fmt.Fprintf(w, "  users         (none: indexed from the interactions)\n")
	}
	if r.Items != "" {
		fmt.Fprintf(w, "  items         %s\n", r.Items)
	} else {
		fmt.Fprintf(w, "  items         (none: indexed from the interactions)\n")
	}
	if r.DuplicatesMerged > 0 {
		name := "sum"
		if dup == datasets.DuplicatesMax {
			name = "max"
		}
		fmt.Fprintf(w, "note: %d repeated interactions merged (--duplicates %s)\n", r.DuplicatesMerged, name)
	}
	if r.UsersWithoutHistory > 0 {
		fmt.Fprintf(w, "note: %d users have no interactions\n", r.UsersWithoutHistory)
	}
	if r.ItemsWithoutHistory > 0 {
		fmt.Fprintf(w, "note: %d items have no interactions\n", r.ItemsWithoutHistory)
	}
	if len(r.IgnoredColumns) > 0 {
		fmt.Fprintf(w, "note: ignored columns: %s\n", strings.Join(r.IgnoredColumns, ", "))
	}
	return nil
}
