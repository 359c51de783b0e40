package cmdutil

import (
	"github.com/apache/arrow-go/v18/arrow/memory"
	"github.com/recaudit/recaudit/datasets"
	"github.com/spf13/cobra"
)

// DatasetInput is the dataset a command reads: a directory holding
// interactions, users and items tables, or the table files named one by one.
// Commands embed it in their options, add its flags with [DatasetInput.AddFlags]
// and take the directory argument with [DatasetInput.SetArgs].
type DatasetInput struct {
	Dir                        string // dataset directory (positional argument)
	Interactions, Users, Items string // table files, when Dir is empty
	Roles                      RolesValue
	Duplicates                 datasets.DuplicatePolicy
}

// AddFlags adds --interactions, --users, --items, --role and --duplicates.
func (in *DatasetInput) AddFlags(cmd *cobra.Command) {
	fl := cmd.Flags()
	fl.StringVar(&in.Interactions, "interactions", "", "Interactions table `file` (instead of a dataset directory)")
	fl.StringVar(&in.Users, "users", "", "Users table `file` (with --interactions)")
	fl.StringVar(&in.Items, "items", "", "Items table `file` (with --interactions)")
	if in.Roles == nil {
		in.Roles = RolesValue{}
	}
	AddRolesFlag(cmd, in.Roles)
	EnumVar(cmd, &in.Duplicates, "duplicates", "error", DuplicatesChoices, "Merge `policy` for repeated (user, item) interactions")
}

// SetArgs takes the optional dataset directory from args and checks that the
// dataset is named exactly one way: a directory, or --interactions (with
// optional --users and --items).
func (in *DatasetInput) SetArgs(args []string) error {
	if len(args) > 1 {
		return UsageErrorf("want one dataset directory, got %d arguments", len(args))
	}
	if len(args) == 1 {
		in.Dir = args[0]
	}
	switch {
	case in.Dir != "" && (in.Interactions != "" || in.Users != "" || in.Items != ""):
		return UsageErrorf("give a dataset directory or --interactions/--users/--items, not both")
	case in.Dir == "" && in.Interactions == "":
		if in.Users != "" || in.Items != "" {
			return UsageErrorf("--users and --items need --interactions")
		}
		return UsageErrorf("give a dataset directory, or the tables with --interactions (and --users, --items)")
	}
	return nil
}

// Paths returns the table files: those in Dir (see [datasets.Locate]) or
// those named by the flags.
func (in *DatasetInput) Paths() (datasets.Paths, error) {
	if in.Dir != "" {
		return datasets.Locate(in.Dir)
	}
	return datasets.Paths{Interactions: in.Interactions, Users: in.Users, Items: in.Items}, nil
}

// Options returns the load options: roles, duplicate policy and allocator.
func (in *DatasetInput) Options(mem memory.Allocator) []datasets.Option {
	opts := []datasets.Option{datasets.WithDuplicates(in.Duplicates), datasets.WithAllocator(mem)}
	if len(in.Roles) > 0 {
		opts = append(opts, datasets.WithRoles(in.Roles))
	}
	return opts
}

// Load locates and loads the dataset. It returns the paths it read.
func (in *DatasetInput) Load(mem memory.Allocator) (*datasets.Dataset, datasets.Paths, error) {
	p, err := in.Paths()
	if err != nil {
		return nil, p, err
	}
	d, err := datasets.Load(p, in.Options(mem)...)
	return d, p, err
}
