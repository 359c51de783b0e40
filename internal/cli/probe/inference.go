package probe

import (
	"context"
	"fmt"
	"io"
	"math/rand/v2"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/apache/arrow-go/v18/arrow/memory"
	"github.com/recaudit/recaudit/audit"
	"github.com/recaudit/recaudit/datasets"
	"github.com/recaudit/recaudit/datasets/demo"
	"github.com/recaudit/recaudit/fairness"
	"github.com/recaudit/recaudit/internal/cli/cmdutil"
	libprobe "github.com/recaudit/recaudit/probe"
	"github.com/recaudit/recaudit/recommenders"
	"github.com/spf13/cobra"
)

// InferenceOptions are the inputs of "recaudit probe inference".
type InferenceOptions struct {
	IO        *cmdutil.IOStreams
	Allocator memory.Allocator
	Now       func() time.Time
	Registry  *recommenders.Registry

	// Input is the dataset; with no table named, the built-in demo dataset
	// (demo.DefaultConfig) is generated in memory.
	Input cmdutil.DatasetInput
	// Lists come from a registered algorithm fitted on every interaction
	// (Algo, Params) or from a recommendation file (Recs, System).
	Algo   string
	Params []string
	Recs   string
	System string
	// K is the list length: generated with --algo, the cutoff of the
	// file's lists with --recs (0: whole lists).
	K int
	// Attributes are the users columns to infer; nil means the columns
	// with role sensitive.
	Attributes []string
	Category   string // items column of categories; "" means "category" when present

	Probe libprobe.Inference // Src is set from Seed
	Seed  uint64
	JSON  bool
}

// featureChoices and weightingChoices are the values of --features and
// --weighting.
var (
	featureChoices = []cmdutil.Choice[libprobe.InferenceFeatures]{
		{Name: "items+categories", Value: libprobe.ItemsAndCategories},
		{Name: "items", Value: libprobe.ItemsOnly},
		{Name: "categories", Value: libprobe.CategoriesOnly},
	}
	weightingChoices = []cmdutil.Choice[libprobe.RankWeighting]{
		{Name: "uniform", Value: libprobe.UniformRanks},
		{Name: "log", Value: libprobe.LogRanks},
	}
)

// NewCmdInference returns the "inference" subcommand of "recaudit probe".
func NewCmdInference(f *cmdutil.Factory) *cobra.Command {
	return newCmdInference(f, nil)
}

// newCmdInference returns the command; when runF is not nil it is called
// with the parsed options instead of running the probe.
func newCmdInference(f *cmdutil.Factory, runF func(*InferenceOptions) error) *cobra.Command {
	opts := &InferenceOptions{IO: f.IO, Allocator: f.Allocator, Now: f.Now, Registry: f.Recommenders}
	cmd := &cobra.Command{
		Use:   "inference (--algo NAME | --recs FILE) [--data DIR] [flags]",
		Short: "Measure how well recommendation lists reveal sensitive attributes",
		Long: `Measure the attribute-inference risk of a recommender: how well each
sensitive attribute of a user can be predicted from that user's
recommendation list alone, by anyone who sees the list.

For every attribute (--attributes; by default the users columns with role
sensitive), an L2-regularised logistic regression learns the attribute from
the recommended items and the number of them in each category (the items'
category column), one class against the rest; its predictions for users it
did not see (--folds-fold cross-validation, stratified) are scored by ROC
AUC, averaged over the classes. The same pipeline on shuffled attributes
(--shuffles times) gives the baseline that no real association can explain
and a permutation p-value. The AUC's interval is a bootstrap over users.
An attribute leaks when p <= 0.05 and its AUC exceeds the shuffled mean by
at least 0.02; groups smaller than --min-group-size are not modelled and
are listed as suppressed. Nothing about individual users is printed.

The lists come from a built-in algorithm (--algo, fitted on every
interaction, users without consent getting the non-personalised fallback;
see recaudit recommend --list) or from a recommendation file (--recs; pick
one of several systems with --system). Without a dataset, the built-in demo
shop is generated in memory: its customers' gender shapes their category
tastes, so personalised lists reveal gender.

The result is a table on stdout, or with --json one JSON document (NaN
values are null). The same inputs and --seed give the same result.`,
		Example: `  recaudit probe inference --algo itemknn
  recaudit probe inference --data demo-data --algo ease --k 20 --attributes gender,age_band --json
  recaudit probe inference --data demo-data --recs knn.arrow --shuffles 99`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if err := checkInference(cmd, opts); err != nil {
				return err
			}
			if runF != nil {
				return runF(opts)
			}
			return inferenceRun(cmd.Context(), opts)
		},
	}
	fl := cmd.Flags()
	opts.Input.AddDataFlags(cmd)
	fl.StringVar(&opts.Algo, "algo", "", "Fit the built-in algorithm `name` and probe its lists")
	fl.StringArrayVar(&opts.Params, "param", nil, "Set an algorithm parameter, `name=value` (repeatable)")
	fl.StringVar(&opts.Recs, "recs", "", "Probe the lists of the recommendation `file`")
	fl.StringVar(&opts.System, "system", "", "System `name` to probe in a --recs file with several")
	fl.IntVar(&opts.K, "k", 10, "List length `K` (with --recs: cutoff, 0 for whole lists)")
	fl.StringSliceVar(&opts.Attributes, "attributes", nil, "Users `columns` to infer, comma-separated (default: the sensitive columns)")
	fl.StringVar(&opts.Category, "category", "", "Items `column` of categories (default: category, when present)")
	fl.IntVar(&opts.Probe.Folds, "folds", libprobe.DefaultInferenceFolds, "Cross-validation `folds`")
	fl.IntVar(&opts.Probe.Shuffles, "shuffles", libprobe.DefaultInferenceShuffles, "Label `shuffles` of the baseline and permutation test")
	fl.IntVar(&opts.Probe.Bootstrap, "bootstrap", libprobe.DefaultInferenceBootstrap, "Bootstrap `replicates` of the AUC's interval")
	fl.Float64Var(&opts.Probe.Model.Lambda, "lambda", libprobe.DefaultInferenceLambda, "L2 regularisation strength `λ` (against the summed log-loss)")
	fl.IntVar(&opts.Probe.MinGroupSize, "min-group-size", audit.DefaultMinGroupSize, "Smallest group `N` that is modelled")
	cmdutil.EnumVar(cmd, &opts.Probe.Features, "features", "items+categories", featureChoices, "List `features`")
	cmdutil.EnumVar(cmd, &opts.Probe.Weighting, "weighting", "uniform", weightingChoices, "Weight of a list `position`")
	fl.Uint64Var(&opts.Seed, "seed", 1, "Random `seed` of the folds, shuffles and bootstrap")
	cmdutil.AddJSONFlag(cmd, &opts.JSON)
	cmd.MarkFlagsMutuallyExclusive("algo", "recs")
	_ = cmd.RegisterFlagCompletionFunc("algo", func(*cobra.Command, []string, string) ([]string, cobra.ShellCompDirective) {
		return opts.Registry.Names(), cobra.ShellCompDirectiveNoFileComp
	})
	return cmd
}

// checkInference checks the flags.
func checkInference(cmd *cobra.Command, opts *InferenceOptions) error {
	in := opts.Input
	if in.Dir != "" || in.Interactions != "" || in.Users != "" || in.Items != "" {
		if err := in.CheckData(); err != nil {
			return err
		}
	}
	p := opts.Probe
	switch {
	case opts.Algo == "" && opts.Recs == "":
		return cmdutil.UsageErrorf("give --algo NAME (recaudit recommend --list shows them) or --recs FILE")
	case opts.Recs != "" && cmd.Flags().Changed("param"):
		return cmdutil.UsageErrorf("--param needs --algo")
	case opts.Algo != "" && opts.System != "":
		return cmdutil.UsageErrorf("--system needs --recs")
	case opts.Recs == "" && opts.K <= 0:
		return cmdutil.UsageErrorf("--k must be positive, got %d", opts.K)
	case opts.K < 0:
		return cmdutil.UsageErrorf("--k must not be negative, got %d", opts.K)
	case p.Folds < 2:
		return cmdutil.UsageErrorf("--folds must be at least 2, got %d", p.Folds)
	case p.Shuffles < 1:
		return cmdutil.UsageErrorf("--shuffles must be at least 1, got %d", p.Shuffles)
	case p.Bootstrap < 1:
		return cmdutil.UsageErrorf("--bootstrap must be at least 1, got %d", p.Bootstrap)
	case !(p.Model.Lambda > 0):
		return cmdutil.UsageErrorf("--lambda must be positive, got %v", p.Model.Lambda)
	case p.MinGroupSize < 2:
		return cmdutil.UsageErrorf("--min-group-size must be at least 2, got %d", p.MinGroupSize)
	}
	for _, a := range opts.Attributes {
		if a == "" {
			return cmdutil.UsageErrorf("--attributes has an empty column name")
		}
	}
	return nil
}

// InferenceReport is the JSON document of "recaudit probe inference
// --json": fields are added, never renamed.
type InferenceReport struct {
	// Data names the dataset's table files; null for the demo dataset
	// (Demo true).
	Data *cmdutil.Files `json:"data"`
	Demo bool           `json:"demo"`
	// System is the probed system: the algorithm's name, or the system
	// named in the recommendation file Recs.
	System string            `json:"system"`
	Params map[string]string `json:"params,omitempty"`
	Recs   string            `json:"recs,omitempty"`
	// K is the list length (the cutoff of a file's lists; 0 for whole).
	K int `json:"k"`
	// Users is the number of users in the dataset, FallbackUsers those
	// who got the non-personalised fallback (with --algo; users without
	// consent), ListUsers those with a non-empty list.
	Users         int    `json:"users"`
	ListUsers     int    `json:"list_users"`
	FallbackUsers int    `json:"fallback_users"`
	Category      string `json:"category"`
	Seed          uint64 `json:"seed"`

	Inference *libprobe.InferenceResult `json:"inference"`
}

func inferenceRun(ctx context.Context, opts *InferenceOptions) error {
	var rec recommenders.Recommender
	rep := InferenceReport{K: opts.K, Seed: opts.Seed, Recs: opts.Recs}
	if opts.Algo != "" {
		// Parameters first: a typo must not cost a dataset load.
		params, err := recommenders.ParseParams(opts.Params)
		if err != nil {
			return err
		}
		values, err := opts.Registry.Resolve(opts.Algo, params)
		if err != nil {
			return err
		}
		if rec, err = opts.Registry.New(opts.Algo, params); err != nil {
			return err
		}
		rep.System, rep.Params = opts.Algo, map[string]string{}
		for _, setting := range values.Settings() {
			name, value, _ := strings.Cut(setting, "=")
			rep.Params[name] = value
		}
	}

	progress := cmdutil.NewProgress(opts.IO, opts.Now, opts.JSON)
	defer progress.Stop()
	var d *datasets.Dataset
	if opts.Input.Dir == "" && opts.Input.Interactions == "" {
		progress.Start("Generating the demo dataset")
		var err error
		if d, err = demo.Generate(ctx, demo.DefaultConfig()); err != nil {
			return err
		}
		rep.Demo = true
	} else {
		progress.Start("Loading the dataset")
		var paths datasets.Paths
		var err error
		if d, paths, err = opts.Input.Load(opts.Allocator); err != nil {
			return err
		}
		rep.Data = &cmdutil.Files{Interactions: paths.Interactions, Users: paths.Users, Items: paths.Items}
	}
	rep.Users = d.Users.Len()

	targets, err := inferenceTargets(d, opts.Attributes, opts.Probe.MinGroupSize)
	if err != nil {
		return err
	}
	cats, nCats, catName, err := itemCategories(d, opts.Category)
	if err != nil {
		return err
	}
	rep.Category = catName

	var lists datasets.Rankings
	if rec != nil {
		if s, ok := rec.(recommenders.IDSetter); ok {
			s.SetIDs(d.Users, d.Items)
		}
		progress.Start(fmt.Sprintf("Fitting %s and recommending top-%d lists for %d users", opts.Algo, opts.K, rep.Users))
		users := make([]int32, rep.Users)
		for u := range users {
			users[u] = int32(u)
		}
		view := &recommenders.TrainView{Interactions: d.Interactions, ItemColumns: d.ItemColumns}
		var fallback []bool
		if lists, fallback, err = recommenders.Run(ctx, rec, view, users, d.Consent(), opts.K); err != nil {
			return err
		}
		for _, fb := range fallback {
			if fb {
				rep.FallbackUsers++
			}
		}
	} else {
		progress.Start("Reading " + opts.Recs)
		if lists, err = readLists(opts.Recs, opts.System, d, opts.Allocator); err != nil {
			return err
		}
		rep.System = lists.System
	}
	for u := range rep.Users {
		if len(lists.List(u)) > 0 {
			rep.ListUsers++
		}
	}

	if minP, alpha := 1/float64(opts.Probe.Shuffles+1), libprobe.DefaultInferenceAlpha; minP > alpha {
		fmt.Fprintf(opts.IO.ErrOut, "recaudit: note: with %d shuffles the smallest p-value is %.3g, above %g: no attribute can be found to leak; use --shuffles %d or more\n",
			opts.Probe.Shuffles, minP, alpha, int(1/alpha)-1)
	}
	progress.Start(fmt.Sprintf("Probing %d attributes (%d folds, %d shuffles)", len(targets), opts.Probe.Folds, opts.Probe.Shuffles))
	cfg := opts.Probe
	cfg.K = opts.K
	cfg.Src = rand.NewPCG(opts.Seed, 0)
	in := libprobe.InferenceInput{
		Lists:      fairness.Rankings{Offsets: lists.Offsets, Items: lists.Items},
		NumItems:   d.Items.Len(),
		Categories: cats, NumCategories: nCats,
	}
	res, err := cfg.Run(ctx, in, targets)
	if err != nil {
		return err
	}
	progress.Stop()
	rep.Inference = res
	if opts.JSON {
		return cmdutil.WriteJSON(opts.IO.Out, rep)
	}
	return writeInference(opts.IO.Out, rep)
}

// inferenceTargets returns the attributes to infer, grouped and suppressed
// as an audit groups them (audit.NewUserGroups: groups below the minimum
// size, and complementary suppression). Columns that are missing, numeric
// or multi-valued are usage errors.
func inferenceTargets(d *datasets.Dataset, names []string, minGroupSize int) ([]libprobe.InferenceTarget, error) {
	if names == nil {
		for _, c := range d.UserColumnsWithRole(datasets.RoleSensitive) {
			names = append(names, c.Name)
		}
		if len(names) == 0 {
			return nil, cmdutil.UsageErrorf("the users table has no sensitive column; name the columns to infer with --attributes")
		}
	}
	var targets []libprobe.InferenceTarget
	for _, name := range names {
		col, ok := d.UserColumn(name)
		switch {
		case !ok:
			return nil, cmdutil.UsageErrorf("--attributes: the users table has no column %q", name)
		case col.Kind != datasets.Categorical && col.Kind != datasets.Bool:
			return nil, cmdutil.UsageErrorf("--attributes: column %q is %s; the probe infers categorical or bool columns", name, col.Kind)
		}
		ug, err := audit.NewUserGroups(d, name, audit.Binning{}, minGroupSize)
		if err != nil {
			return nil, &cmdutil.UsageError{Msg: err.Error()}
		}
		t := libprobe.InferenceTarget{Grouping: ug.Grouping()}
		for _, s := range ug.Suppressed {
			t.Suppressed = append(t.Suppressed, libprobe.SuppressedGroup(s))
		}
		targets = append(targets, t)
	}
	return targets, nil
}

// itemCategories returns the items' categories from column name ("" means
// "category" when the items table has it, else none).
func itemCategories(d *datasets.Dataset, name string) (fairness.ItemCategories, int, string, error) {
	if name == "" {
		if _, ok := d.ItemColumn("category"); !ok {
			return fairness.ItemCategories{}, 0, "", nil
		}
		name = "category"
	}
	col, ok := d.ItemColumn(name)
	if !ok || (col.Kind != datasets.Categorical && col.Kind != datasets.MultiCategorical) {
		return fairness.ItemCategories{}, 0, "", cmdutil.UsageErrorf("--category: the items table has no categorical column %q", name)
	}
	cats := fairness.ItemCategories{Offsets: make([]int64, col.Len()+1)}
	for i := range col.Len() {
		cats.Codes = append(cats.Codes, col.RowCodes(i)...)
		cats.Offsets[i+1] = int64(len(cats.Codes))
	}
	return cats, len(col.Levels), name, nil
}

// readLists reads the lists of one system from a recommendation file.
func readLists(path, system string, d *datasets.Dataset, mem memory.Allocator) (datasets.Rankings, error) {
	runs, err := datasets.ReadRecommendations(path, d.Users, d.Items, datasets.WithAllocator(mem))
	if err != nil {
		return datasets.Rankings{}, err
	}
	var names []string
	var match []datasets.Rankings
	for _, r := range runs {
		if len(names) == 0 || names[len(names)-1] != r.System {
			names = append(names, r.System)
		}
		if system == "" || r.System == system {
			match = append(match, r)
		}
	}
	switch {
	case len(match) == 0:
		return datasets.Rankings{}, cmdutil.UsageErrorf("--system %q is not in %s (systems: %s)", system, path, strings.Join(names, ", "))
	case system == "" && len(names) > 1:
		return datasets.Rankings{}, cmdutil.UsageErrorf("%s holds several systems (%s); pick one with --system", path, strings.Join(names, ", "))
	case len(match) > 1:
		return datasets.Rankings{}, cmdutil.UsageErrorf("%s holds %d samples of system %q; the probe reads one list per user", path, len(match), match[0].System)
	}
	return match[0], nil
}

// writeInference writes the readable table: one row per attribute.
func writeInference(out io.Writer, rep InferenceReport) error {
	src := "the demo dataset"
	if rep.Data != nil {
		src = rep.Data.Interactions
	}
	k := fmt.Sprintf("top-%d", rep.K)
	if rep.K == 0 {
		k = "whole"
	}
	s := rep.Inference.Settings
	fmt.Fprintf(out, "Attribute inference from %s lists of %s on %s: %d users, %d with a list\n",
		k, rep.System, src, rep.Users, rep.ListUsers)
	fmt.Fprintf(out, "%d-fold cross-validated L2 logistic regression (λ %g), AUC against %d shuffles; %g%% bootstrap interval\n\n",
		s.Folds, s.Lambda, s.Shuffles, 100*s.Confidence)
	w := tabwriter.NewWriter(out, 0, 4, 2, ' ', 0)
	fmt.Fprintf(w, "ATTRIBUTE\tCLASSES\tUSERS\tAUC\tINTERVAL\tSHUFFLED MEAN\tSHUFFLED RANGE\tP\tVERDICT\n")
	for _, a := range rep.Inference.Attributes {
		fmt.Fprintf(w, "%s\t%d\t%d\t%s\t[%s, %s]\t%s\t[%s, %s]\t%s\t%s\n", a.Attribute, len(a.Classes), a.Users,
			num(a.AUC.Value), num(a.AUC.CI[0]), num(a.AUC.CI[1]), num(a.Shuffled.Mean),
			num(a.Shuffled.Min), num(a.Shuffled.Max), num(a.Test.P), a.Verdict)
	}
	if err := w.Flush(); err != nil {
		return err
	}
	for _, a := range rep.Inference.Attributes {
		for _, sup := range a.Suppressed {
			fmt.Fprintf(out, "%s: group %q not modelled (%s)\n", a.Attribute, sup.Group, sup.Reason)
		}
	}
	_, err := fmt.Fprintf(out, "\nA verdict \"leaks\" means: p <= %g and AUC at least %g above the shuffled mean.\n", s.Alpha, s.MinLift)
	return err
}

// num formats a value with three decimals, "-" when it is undefined.
func num(f fairness.Float) string {
	if f.IsNaN() {
		return "-"
	}
	return fmt.Sprintf("%.3f", float64(f))
}
