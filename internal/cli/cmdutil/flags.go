package cmdutil

import (
	"fmt"
	"maps"
	"slices"
	"strings"

	"github.com/recaudit/recaudit/datasets"
	"github.com/spf13/cobra"
	"github.com/spf13/pflag"
)

// Choice is one allowed value of an enum flag: the name typed on the
// command line and the typed constant it stands for.
type Choice[T any] struct {
	Name  string
	Value T
}

// enumValue is a pflag.Value that accepts only the names of its choices.
type enumValue[T any] struct {
	p       *T
	name    string
	choices []Choice[T]
}

func (v *enumValue[T]) Set(s string) error {
	for _, c := range v.choices {
		if c.Name == s {
			*v.p, v.name = c.Value, c.Name
			return nil
		}
	}
	return fmt.Errorf("valid values are %s", choiceNames(v.choices, ", "))
}

func (v *enumValue[T]) String() string { return v.name }
func (v *enumValue[T]) Type() string   { return "string" }

func choiceNames[T any](choices []Choice[T], sep string) string {
	names := make([]string, len(choices))
	for i, c := range choices {
		names[i] = c.Name
	}
	return strings.Join(names, sep)
}

// EnumVar adds an enum flag to cmd that stores the typed value of the
// chosen name in p. The flag starts at the choice named def (or, when def
// is "", leaves p as it is: check Changed to see whether it was given),
// rejects anything that is not a choice's name, lists the names in its
// usage, and completes them in the shell.
//
// EnumVar panics if def is neither "" nor the name of a choice.
func EnumVar[T any](cmd *cobra.Command, p *T, name, def string, choices []Choice[T], usage string) *pflag.Flag {
	v := &enumValue[T]{p: p, choices: choices}
	if def != "" {
		if err := v.Set(def); err != nil {
			panic("cmdutil: enum flag --" + name + " default " + def + " is not a choice")
		}
	}
	cmd.Flags().Var(v, name, fmt.Sprintf("%s: {%s}", usage, choiceNames(choices, "|")))
	names := make([]string, len(choices))
	for i, c := range choices {
		names[i] = c.Name
	}
	_ = cmd.RegisterFlagCompletionFunc(name, cobra.FixedCompletions(names, cobra.ShellCompDirectiveNoFileComp))
	return cmd.Flags().Lookup(name)
}

// FormatChoices are the table formats recaudit writes.
var FormatChoices = []Choice[datasets.Format]{
	{"arrow", datasets.FormatArrow},
	{"parquet", datasets.FormatParquet},
	{"csv", datasets.FormatCSV},
}

// DuplicatesChoices are the duplicate-interaction policies.
var DuplicatesChoices = []Choice[datasets.DuplicatePolicy]{
	{"error", datasets.DuplicatesError},
	{"sum", datasets.DuplicatesSum},
	{"max", datasets.DuplicatesMax},
}

// RolesValue is a repeatable flag value "column=role" that collects column
// role overrides; role names are those of [datasets.ParseRole].
type RolesValue map[string]datasets.Role

// Set parses one "column=role" pair.
func (v RolesValue) Set(s string) error {
	col, name, ok := strings.Cut(s, "=")
	if !ok || col == "" || name == "" {
		return fmt.Errorf("want column=role, got %q", s)
	}
	r, err := datasets.ParseRole(name)
	if err != nil {
		return err
	}
	v[col] = r
	return nil
}

// String returns the pairs sorted by column, comma-separated.
func (v RolesValue) String() string {
	var b strings.Builder
	for i, col := range slices.Sorted(maps.Keys(v)) {
		if i > 0 {
			b.WriteByte(',')
		}
		fmt.Fprintf(&b, "%s=%s", col, v[col])
	}
	return b.String()
}

// Type is the placeholder shown in help.
func (v RolesValue) Type() string { return "column=role" }

// roleNames are the role names accepted by --role, for help and completion.
var roleNames = []string{"sensitive", "attribute", "consent", "item_group", "flag", "value", "timestamp", "user_id", "item_id", "ignore"}

// AddRolesFlag adds the repeatable --role column=role flag, filling roles.
func AddRolesFlag(cmd *cobra.Command, roles RolesValue) {
	cmd.Flags().Var(roles, "role", "Set a column's role, overriding its field metadata (repeatable); roles: "+strings.Join(roleNames, ", "))
}
