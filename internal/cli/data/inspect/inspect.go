package inspect

import (
	"cmp"
	"context"
	"fmt"
	"io"
	"math"
	"slices"
	"strconv"
	"text/tabwriter"

	"github.com/apache/arrow-go/v18/arrow/memory"
	"github.com/recaudit/recaudit/datasets"
	"github.com/recaudit/recaudit/internal/cli/cmdutil"
	"github.com/spf13/cobra"
)

// InspectOptions are the inputs of "recaudit data inspect".
type InspectOptions struct {
	IO        *cmdutil.IOStreams
	Allocator memory.Allocator

	Input cmdutil.DatasetInput
	JSON  bool
}

// NewCmdInspect returns the "data inspect" command. When runF is not nil it
// is called with the parsed options instead of running the command.
func NewCmdInspect(f *cmdutil.Factory, runF func(*InspectOptions) error) *cobra.Command {
	opts := &InspectOptions{IO: f.IO, Allocator: f.Allocator}
	cmd := &cobra.Command{
		Use:   "inspect [DIR | --interactions FILE [--users FILE] [--items FILE]]",
		Short: "Describe a dataset: sizes, roles, groups, activity, popularity",
		Long: `Load a dataset and describe it on stdout:

  - the number of users, items and interactions, and the density;
  - every attribute column with its role, kind, number of levels and
    missing values;
  - the size of each group of every sensitive user attribute and every
    item grouping (item_group and flag columns);
  - activity, the interactions per user, and popularity, the interactions
    per item: minimum, quartiles, mean and maximum (quartiles are type 7
    sample quantiles, as in R and NumPy), and the share of interactions on
    the 10% most popular items.

With --json the description is one JSON document.`,
		Example: `  recaudit data inspect demo-data
  recaudit data inspect demo-data --json
  recaudit data inspect --interactions logs.parquet --users users.csv --role region=sensitive`,
		Args: cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if err := opts.Input.SetArgs(args); err != nil {
				return err
			}
			if runF != nil {
				return runF(opts)
			}
			return inspectRun(cmd.Context(), opts)
		},
	}
	opts.Input.AddFlags(cmd)
	cmdutil.AddJSONFlag(cmd, &opts.JSON)
	return cmd
}

// Report is the JSON document printed by "recaudit data inspect --json".
// Numbers that are undefined (NaN, for example the density of an empty
// table) are null.
type Report struct {
	Files            Files             `json:"files"`
	Users            int               `json:"users"`
	Items            int               `json:"items"`
	Interactions     int               `json:"interactions"`
	Density          *float64          `json:"density"`
	HasValues        bool              `json:"has_values"`
	HasTimestamps    bool              `json:"has_timestamps"`
	Columns          []Column          `json:"columns"`
	Groups           []Group           `json:"groups"`
	Activity         Distribution      `json:"activity"`
	Popularity       Distribution      `json:"popularity"`
	TopItemsFraction float64           `json:"top_items_fraction"`
	TopItemsShare    *float64          `json:"top_items_share"`
	Load             LoadReport        `json:"load"`
	Metadata         map[string]string `json:"metadata"`
}

// Files are the table files read.
type Files struct {
	Interactions string `json:"interactions"`
	Users        string `json:"users,omitempty"`
	Items        string `json:"items,omitempty"`
}

// Column describes one attribute column.
type Column struct {
	Table   string `json:"table"`
	Name    string `json:"name"`
	Role    string `json:"role"`
	Kind    string `json:"kind"`
	Levels  int    `json:"levels"`
	Missing int    `json:"missing"`
}

// Group is the size of each level of one grouping column.
type Group struct {
	Table   string      `json:"table"`
	Column  string      `json:"column"`
	Role    string      `json:"role"`
	Levels  []LevelSize `json:"levels"`
	Missing int         `json:"missing"`
}

// LevelSize is the number of rows in one level.
type LevelSize struct {
	Level string `json:"level"`
	Size  int    `json:"size"`
}

// Distribution summarises interactions per user or per item.
type Distribution struct {
	N      int      `json:"n"`
	Min    *float64 `json:"min"`
	Q1     *float64 `json:"q1"`
	Median *float64 `json:"median"`
	Q3     *float64 `json:"q3"`
	Mean   *float64 `json:"mean"`
	Max    *float64 `json:"max"`
}

// LoadReport says what loading merged or ignored.
type LoadReport struct {
	InteractionRows     int64    `json:"interaction_rows"`
	DuplicatesMerged    int64    `json:"duplicates_merged"`
	UsersWithoutHistory int      `json:"users_without_history"`
	ItemsWithoutHistory int      `json:"items_without_history"`
	IgnoredColumns      []string `json:"ignored_columns"`
}

func inspectRun(ctx context.Context, opts *InspectOptions) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	d, p, err := opts.Input.Load(opts.Allocator)
	if err != nil {
		return err
	}
	r := newReport(p, d, datasets.Summarize(d))
	if opts.JSON {
		return cmdutil.WriteJSON(opts.IO.Out, r)
	}
	return writeText(opts.IO.Out, r)
}

// num returns a pointer to v, or nil for NaN (JSON null).
func num(v float64) *float64 {
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return nil
	}
	return &v
}

func distribution(d datasets.Distribution) Distribution {
	return Distribution{N: d.N, Min: num(d.Min), Q1: num(d.Q1), Median: num(d.Median), Q3: num(d.Q3), Mean: num(d.Mean), Max: num(d.Max)}
}

func newReport(p datasets.Paths, d *datasets.Dataset, s datasets.Summary) Report {
	r := Report{
		Files:            Files{Interactions: p.Interactions, Users: p.Users, Items: p.Items},
		Users:            s.Users,
		Items:            s.Items,
		Interactions:     s.Interactions,
		Density:          num(s.Density),
		HasValues:        s.HasValues,
		HasTimestamps:    s.HasTimestamps,
		Columns:          []Column{},
		Groups:           []Group{},
		Activity:         distribution(s.Activity),
		Popularity:       distribution(s.Popularity),
		TopItemsFraction: datasets.TopItemsFraction,
		TopItemsShare:    num(s.TopItemsShare),
		Load: LoadReport{
			InteractionRows:     d.Report.InteractionRows,
			DuplicatesMerged:    d.Report.DuplicatesMerged,
			UsersWithoutHistory: d.Report.UsersWithoutHistory,
			ItemsWithoutHistory: d.Report.ItemsWithoutHistory,
			IgnoredColumns:      append([]string{}, d.Report.IgnoredColumns...),
		},
		Metadata: map[string]string{},
	}
	for k, v := range d.Metadata {
		r.Metadata[k] = v
	}
	for _, t := range []struct {
		table string
		cols  []datasets.ColumnSummary
	}{{"users", s.UserColumns}, {"items", s.ItemColumns}} {
		for _, c := range t.cols {
			r.Columns = append(r.Columns, Column{Table: t.table, Name: c.Name, Role: c.Role.String(),
				Kind: c.Kind.String(), Levels: c.Levels, Missing: c.Missing})
		}
	}
	for _, g := range s.Groups {
		rg := Group{Table: g.Table, Column: g.Column, Role: g.Role.String(), Levels: []LevelSize{}, Missing: g.Missing}
		for i, l := range g.Levels {
			rg.Levels = append(rg.Levels, LevelSize{Level: l, Size: g.Sizes[i]})
		}
		r.Groups = append(r.Groups, rg)
	}
	return r
}

// fmtNum formats an optional number: "-" when undefined, integers without
// decimals, others with two.
func fmtNum(v *float64) string {
	switch {
	case v == nil:
		return "-"
	case *v == math.Trunc(*v) && math.Abs(*v) < 1e15:
		return strconv.FormatFloat(*v, 'f', 0, 64)
	}
	return strconv.FormatFloat(*v, 'f', 2, 64)
}

func fmtPercent(v *float64) string {
	if v == nil {
		return "-"
	}
	return strconv.FormatFloat(100**v, 'f', 1, 64) + "%"
}

// writeText writes the readable report.
func writeText(out io.Writer, r Report) error {
	w := tabwriter.NewWriter(out, 0, 4, 2, ' ', 0)
	fmt.Fprintf(w, "FILES\n")
	fmt.Fprintf(w, "  interactions\t%s\n", r.Files.Interactions)
	for _, f := range []struct{ name, path string }{{"users", r.Files.Users}, {"items", r.Files.Items}} {
		if f.path == "" {
			f.path = "(none: indexed from the interactions)"
		}
		fmt.Fprintf(w, "  %s\t%s\n", f.name, f.path)
	}

	fmt.Fprintf(w, "\nSIZE\n")
	fmt.Fprintf(w, "  users\t%d\n", r.Users)
	fmt.Fprintf(w, "  items\t%d\n", r.Items)
	fmt.Fprintf(w, "  interactions\t%d\n", r.Interactions)
	density := "-"
	if r.Density != nil {
		density = strconv.FormatFloat(*r.Density, 'g', 3, 64)
	}
	fmt.Fprintf(w, "  density\t%s\n", density)
	fmt.Fprintf(w, "  value column\t%s\n", yesNo(r.HasValues))
	fmt.Fprintf(w, "  timestamp column\t%s\n", yesNo(r.HasTimestamps))
	if err := w.Flush(); err != nil {
		return err
	}

	fmt.Fprintf(w, "\nCOLUMNS\n")
	if len(r.Columns) == 0 {
		fmt.Fprintf(w, "  (no attribute columns)\n")
	} else {
		fmt.Fprintf(w, "  TABLE\tCOLUMN\tROLE\tKIND\tLEVELS\tMISSING\n")
		for _, c := range r.Columns {
			levels := "-"
			if c.Kind != datasets.Numeric.String() {
				levels = strconv.Itoa(c.Levels)
			}
			fmt.Fprintf(w, "  %s\t%s\t%s\t%s\t%s\t%d\n", c.Table, c.Name, c.Role, c.Kind, levels, c.Missing)
		}
	}
	if err := w.Flush(); err != nil {
		return err
	}

	fmt.Fprintf(w, "\nGROUPS\n")
	if len(r.Groups) == 0 {
		fmt.Fprintf(w, "  (no sensitive attributes or item groupings; set roles with --role column=sensitive)\n")
	}
	for _, g := range r.Groups {
		fmt.Fprintf(w, "  %s.%s (%s)\n", g.Table, g.Column, g.Role)
		if len(g.Levels) == 0 {
			fmt.Fprintf(w, "    (numeric: no levels)\n")
		}
		shown, rest := shownLevels(g.Levels)
		for _, l := range shown {
			fmt.Fprintf(w, "    %s\t%d\n", l.Level, l.Size)
		}
		if len(rest) > 0 {
			lo, hi := rest[0].Size, rest[0].Size
			for _, l := range rest {
				lo, hi = min(lo, l.Size), max(hi, l.Size)
			}
			fmt.Fprintf(w, "    (%d more levels, sizes %d to %d; --json lists all)\n", len(rest), lo, hi)
		}
		if g.Missing > 0 {
			fmt.Fprintf(w, "    (missing)\t%d\n", g.Missing)
		}
	}
	if err := w.Flush(); err != nil {
		return err
	}

	fmt.Fprintf(w, "\nDISTRIBUTIONS\n")
	fmt.Fprintf(w, "  \tMIN\tQ1\tMEDIAN\tQ3\tMEAN\tMAX\n")
	for _, d := range []struct {
		name string
		d    Distribution
	}{{"interactions per user", r.Activity}, {"interactions per item", r.Popularity}} {
		fmt.Fprintf(w, "  %s\t%s\t%s\t%s\t%s\t%s\t%s\n", d.name,
			fmtNum(d.d.Min), fmtNum(d.d.Q1), fmtNum(d.d.Median), fmtNum(d.d.Q3), fmtNum(d.d.Mean), fmtNum(d.d.Max))
	}
	if err := w.Flush(); err != nil {
		return err
	}
	fmt.Fprintf(w, "  top %s of items hold %s of interactions\n",
		strconv.FormatFloat(100*r.TopItemsFraction, 'f', 0, 64)+"%", fmtPercent(r.TopItemsShare))

	var notes []string
	if n := r.Load.DuplicatesMerged; n > 0 {
		notes = append(notes, fmt.Sprintf("%d repeated interactions merged", n))
	}
	if n := r.Load.UsersWithoutHistory; n > 0 {
		notes = append(notes, fmt.Sprintf("%d users have no interactions", n))
	}
	if n := r.Load.ItemsWithoutHistory; n > 0 {
		notes = append(notes, fmt.Sprintf("%d items have no interactions", n))
	}
	for _, c := range r.Load.IgnoredColumns {
		notes = append(notes, "ignored column "+c)
	}
	if len(notes) > 0 {
		fmt.Fprintf(w, "\nNOTES\n")
		for _, n := range notes {
			fmt.Fprintf(w, "  %s\n", n)
		}
	}
	return w.Flush()
}

// maxLevels is the most levels of one group the readable report lists; a
// column with more (a provider column, say) shows its largest levels.
const maxLevels = 12

// shownLevels returns the levels to list, and the rest: all levels in their
// order when there are at most maxLevels, else the maxLevels-2 largest
// (ties by name) and the others.
func shownLevels(levels []LevelSize) (shown, rest []LevelSize) {
	if len(levels) <= maxLevels {
		return levels, nil
	}
	sorted := slices.Clone(levels)
	slices.SortStableFunc(sorted, func(a, b LevelSize) int { return cmp.Compare(b.Size, a.Size) })
	return sorted[:maxLevels-2], sorted[maxLevels-2:]
}

func yesNo(b bool) string {
	if b {
		return "yes"
	}
	return "no"
}
