package recommend

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/apache/arrow-go/v18/arrow/memory"
	"github.com/recaudit/recaudit/datasets"
	"github.com/recaudit/recaudit/internal/cli/cmdutil"
	"github.com/recaudit/recaudit/recommenders"
	"github.com/spf13/cobra"
)

// RecommendOptions are the inputs of "recaudit recommend".
type RecommendOptions struct {
	IO        *cmdutil.IOStreams
	Allocator memory.Allocator
	Now       func() time.Time
	Registry  *recommenders.Registry

	Input  cmdutil.DatasetInput
	Split  cmdutil.SplitInput
	Algo   string
	Params []string // name=value settings, in command-line order
	System string   // system name in the file; "" means Algo
	K      int
	Out    string
	Format datasets.Format // of Out, from its extension unless --format is given
	Force  bool
	List   bool
	JSON   bool
}

// NewCmdRecommend returns the "recommend" command. When runF is not nil it
// is called with the parsed options instead of running the command.
func NewCmdRecommend(f *cmdutil.Factory, runF func(*RecommendOptions) error) *cobra.Command {
	opts := &RecommendOptions{IO: f.IO, Allocator: f.Allocator, Now: f.Now, Registry: f.Recommenders}
	cmd := &cobra.Command{
		Use:   "recommend --data DIR --algo NAME --k K --out FILE [flags]",
		Short: "Fit a recommender and write its top-k lists",
		Long: `Fit a registered algorithm on a dataset's interactions and write the top-k
lists of every user as a recommendation file.

With --split the algorithm learns from the training part only, and
recaudit score with the same split flags (and seed) judges the lists with
the held-out part; without --split it learns from every interaction. Each
user's own training items are left out of their list (unless the algorithm
says otherwise).

Users whose consent column (role consent, such as consent_personalization)
is false are never shown to the algorithm: they get the non-personalised
fallback, the k most popular training items, and the file's fallback
column marks them.

The file has the columns user_id, item_id, rank, score, system and
fallback, in the format --format names or, without it, the one the --out
extension names (.arrow, .parquet, .csv). It is written atomically, and an
existing file is replaced only with --force.

Parameters are set with --param name=value (repeatable); recaudit recommend
--list shows every algorithm with its parameters, their types, defaults and
allowed values. A one-line summary goes to stderr, and with --json a
summary document to stdout; on a terminal, stderr shows the stages as they
run.`,
		Example: `  recaudit recommend --list
  recaudit recommend --data demo-data --algo popular --k 10 --out popular.arrow
  recaudit recommend --data demo-data --algo itemknn --param neighbors=100 --k 20 \
      --split random --test-fraction 0.2 --seed 1 --out knn.parquet
  recaudit recommend --data demo-data --algo exec --param command='python3 rec.py {train} {out} {k}' \
      --k 10 --out ext.arrow`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if opts.List {
				for _, name := range []string{"data", "interactions", "users", "items", "param", "k", "out", "split", "format", "system", "force"} {
					if cmd.Flags().Changed(name) {
						return cmdutil.UsageErrorf("--list takes only --algo and --json, not --%s", name)
					}
				}
			} else {
				if err := checkRun(cmd, opts); err != nil {
					return err
				}
			}
			if runF != nil {
				return runF(opts)
			}
			return recommendRun(cmd.Context(), opts)
		},
	}
	fl := cmd.Flags()
	opts.Input.AddDataFlags(cmd)
	fl.StringVar(&opts.Algo, "algo", "", "Algorithm `name` (see --list)")
	fl.StringArrayVar(&opts.Params, "param", nil, "Set an algorithm parameter, `name=value` (repeatable)")
	fl.IntVar(&opts.K, "k", 0, "Length `K` of each user's list")
	fl.StringVar(&opts.Out, "out", "", "Write the recommendations to `FILE`")
	fl.StringVar(&opts.System, "system", "", "System `name` in the file (default: the algorithm's name)")
	opts.Split.AddFlags(cmd)
	cmdutil.EnumVar(cmd, &opts.Format, "format", "", cmdutil.FormatChoices, "Output file `format` (default: from the --out extension)")
	fl.BoolVar(&opts.Force, "force", false, "Replace the --out file if it exists")
	fl.BoolVar(&opts.List, "list", false, "List the algorithms and their parameters")
	cmdutil.AddJSONFlag(cmd, &opts.JSON)
	_ = cmd.RegisterFlagCompletionFunc("algo", func(*cobra.Command, []string, string) ([]string, cobra.ShellCompDirective) {
		return opts.Registry.Names(), cobra.ShellCompDirectiveNoFileComp
	})
	return cmd
}

// checkRun checks the flags of a run (not --list) and settles the output
// format.
func checkRun(cmd *cobra.Command, opts *RecommendOptions) error {
	if err := opts.Input.CheckData(); err != nil {
		return err
	}
	if err := opts.Split.Check(cmd); err != nil {
		return err
	}
	switch {
	case opts.Algo == "":
		return cmdutil.UsageErrorf("--algo is required (recaudit recommend --list shows the algorithms)")
	case !cmd.Flags().Changed("k"):
		return cmdutil.UsageErrorf("--k is required")
	case opts.K <= 0:
		return cmdutil.UsageErrorf("--k must be positive, got %d", opts.K)
	case opts.Out == "":
		return cmdutil.UsageErrorf("--out is required")
	}
	ext := filepath.Ext(opts.Out)
	extFormat, err := datasets.FormatOf(opts.Out)
	switch {
	case cmd.Flags().Changed("format") && ext == "":
		opts.Out += extensionOf(opts.Format)
	case cmd.Flags().Changed("format") && (err != nil || extFormat != opts.Format):
		return cmdutil.UsageErrorf("--out %s does not end in %s, the extension of --format %s", opts.Out, extensionOf(opts.Format), opts.Format)
	case err != nil:
		return cmdutil.UsageErrorf("--out %s: name the file .arrow, .parquet or .csv, or give --format", opts.Out)
	default:
		opts.Format = extFormat
	}
	return nil
}

// extensionOf returns the first extension of format f.
func extensionOf(f datasets.Format) string {
	for _, e := range datasets.Extensions {
		if e.Format == f {
			return e.Ext
		}
	}
	return ""
}

// Summary is the JSON document printed by "recaudit recommend --json".
type Summary struct {
	Out       string            `json:"out"`
	Format    string            `json:"format"`
	Data      cmdutil.Files     `json:"data"`
	Algorithm string            `json:"algorithm"`
	System    string            `json:"system"`
	Params    map[string]string `json:"params"` // every parameter, defaults included, as written on the command line
	K         int               `json:"k"`
	Users     int               `json:"users"`
	Items     int               `json:"items"`
	// ListUsers counts the users with a non-empty list; FallbackUsers
	// those who got the non-personalised fallback (no consent).
	ListUsers     int                   `json:"list_users"`
	FallbackUsers int                   `json:"fallback_users"`
	Rows          int                   `json:"rows"`
	Split         *cmdutil.SplitSummary `json:"split"`
}

func recommendRun(ctx context.Context, opts *RecommendOptions) error {
	if opts.List {
		return listRun(opts)
	}
	// Parameters first: a typo must not cost a dataset load.
	params, err := recommenders.ParseParams(opts.Params)
	if err != nil {
		return err
	}
	values, err := opts.Registry.Resolve(opts.Algo, params)
	if err != nil {
		return err
	}
	rec, err := opts.Registry.New(opts.Algo, params)
	if err != nil {
		return err
	}
	if err := checkOut(opts.Out, opts.Force); err != nil {
		return err
	}

	start := opts.Now()
	progress := cmdutil.NewProgress(opts.IO, opts.Now, opts.JSON)
	defer progress.Stop()
	progress.Start("Loading the dataset")
	d, paths, err := opts.Input.Load(opts.Allocator)
	if err != nil {
		return err
	}
	train := d.Interactions
	var split *cmdutil.SplitSummary
	if opts.Split.Set {
		progress.Start("Splitting the interactions")
		var st datasets.SplitStats
		if train, _, st, err = opts.Split.Split.Apply(&d.Interactions); err != nil {
			return err
		}
		split = cmdutil.NewSplitSummary(opts.Split.Split, st)
	}
	if s, ok := rec.(recommenders.IDSetter); ok {
		s.SetIDs(d.Users, d.Items)
	}
	nUsers := d.Users.Len()
	users := make([]int32, nUsers)
	for u := range users {
		users[u] = int32(u)
	}
	progress.Start(fmt.Sprintf("Fitting %s and recommending top-%d lists for %d users", opts.Algo, opts.K, nUsers))
	view := &recommenders.TrainView{Interactions: train, ItemColumns: d.ItemColumns}
	lists, fallback, err := recommenders.Run(ctx, rec, view, users, d.Consent(), opts.K)
	if err != nil {
		return err
	}
	lists.System, lists.Sample = opts.System, 0
	if lists.System == "" {
		lists.System = opts.Algo
	}
	progress.Start("Writing " + opts.Out)
	err = datasets.WriteRecommendations(opts.Out, d.Users, d.Items, []datasets.Rankings{lists},
		[]datasets.UserFlag{{Name: "fallback", Values: fallback}}, datasets.WithAllocator(opts.Allocator))
	if err != nil {
		return err
	}
	progress.Stop()

	s := Summary{
		Out: opts.Out, Format: opts.Format.String(),
		Data:      cmdutil.Files{Interactions: paths.Interactions, Users: paths.Users, Items: paths.Items},
		Algorithm: opts.Algo, System: lists.System, Params: map[string]string{},
		K: opts.K, Users: nUsers, Items: d.Items.Len(), Rows: len(lists.Items), Split: split,
	}
	for _, setting := range values.Settings() {
		name, value, _ := strings.Cut(setting, "=")
		s.Params[name] = value
	}
	for u := range nUsers {
		if lists.Offsets[u+1] > lists.Offsets[u] {
			s.ListUsers++
		}
		if fallback[u] {
			s.FallbackUsers++
		}
	}
	how := "all interactions"
	if split != nil {
		how = split.Describe()
	}
	fmt.Fprintf(opts.IO.ErrOut, "Wrote top-%d lists of %s for %d users (%d with the non-personalised fallback) to %s: %d rows, %s; fitted on %s; in %s\n",
		s.K, s.System, s.ListUsers, s.FallbackUsers, s.Out, s.Rows, s.Format, how, opts.Now().Sub(start).Round(time.Millisecond))
	if opts.JSON {
		return cmdutil.WriteJSON(opts.IO.Out, s)
	}
	return nil
}

// checkOut refuses to replace an existing file without force, and a
// directory always.
func checkOut(path string, force bool) error {
	st, err := os.Stat(path)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return nil
	case err != nil:
		return err
	case st.IsDir():
		return cmdutil.UsageErrorf("--out %s is a directory", path)
	case !force:
		return cmdutil.UsageErrorf("%s already exists; use --force to replace it", path)
	}
	return nil
}

// Algorithms is the JSON document printed by "recaudit recommend --list
// --json".
type Algorithms struct {
	Algorithms []Algorithm `json:"algorithms"`
}

// Algorithm describes one registered algorithm.
type Algorithm struct {
	Name   string  `json:"name"`
	Doc    string  `json:"doc"`
	Params []Param `json:"params"`
}

// Param describes one parameter: its type ("int", "float", "bool",
// "string", "strings", "duration"), its default as written on the command
// line (empty when required), the allowed values ("[1, +inf)", "one of a,
// b", "any") and what it does.
type Param struct {
	Name     string   `json:"name"`
	Type     string   `json:"type"`
	Default  string   `json:"default"`
	Required bool     `json:"required"`
	Allowed  string   `json:"allowed"`
	Choices  []string `json:"choices,omitempty"`
	Doc      string   `json:"doc"`
}

func listRun(opts *RecommendOptions) error {
	names := opts.Registry.Names()
	if opts.Algo != "" {
		if _, ok := opts.Registry.Lookup(opts.Algo); !ok {
			return fmt.Errorf("recommenders: %w %q (registered: %s)", recommenders.ErrUnknownAlgorithm, opts.Algo, strings.Join(names, ", "))
		}
		names = []string{opts.Algo}
	}
	doc := Algorithms{Algorithms: []Algorithm{}}
	for _, name := range names {
		f, _ := opts.Registry.Lookup(name)
		a := Algorithm{Name: name, Doc: f.Doc, Params: []Param{}}
		for _, p := range f.Params {
			a.Params = append(a.Params, Param{Name: p.Name, Type: p.Kind.String(), Default: p.DefaultString(),
				Required: p.IsRequired(), Allowed: p.Allowed(), Choices: p.Choices(), Doc: p.Doc})
		}
		doc.Algorithms = append(doc.Algorithms, a)
	}
	if opts.JSON {
		return cmdutil.WriteJSON(opts.IO.Out, doc)
	}
	return writeList(opts.IO.Out, doc)
}

// writeList writes the readable listing: per algorithm its name and
// description, then a table of its parameters.
func writeList(out io.Writer, doc Algorithms) error {
	w := tabwriter.NewWriter(out, 0, 4, 2, ' ', 0)
	for i, a := range doc.Algorithms {
		if i > 0 {
			fmt.Fprintln(w)
		}
		fmt.Fprintf(w, "%s\n  %s\n", a.Name, a.Doc)
		if len(a.Params) == 0 {
			fmt.Fprintf(w, "  (no parameters)\n")
			continue
		}
		fmt.Fprintf(w, "  PARAMETER\tTYPE\tDEFAULT\tALLOWED\tDESCRIPTION\n")
		for _, p := range a.Params {
			def := p.Default
			switch {
			case p.Required:
				def = "(required)"
			case def == "":
				def = `""`
			}
			fmt.Fprintf(w, "  %s\t%s\t%s\t%s\t%s\n", p.Name, p.Type, def, p.Allowed, p.Doc)
		}
		if err := w.Flush(); err != nil {
			return err
		}
	}
	if err := w.Flush(); err != nil {
		return err
	}
	_, err := fmt.Fprintf(out, "\nSet parameters with --param name=value (repeatable).\n")
	return err
}
