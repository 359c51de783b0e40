package probe

import (
	"context"
	"fmt"
	"io"
	"math"
	"math/rand/v2"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/apache/arrow-go/v18/arrow/memory"
	"github.com/recaudit/recaudit/datasets"
	"github.com/recaudit/recaudit/datasets/demo"
	"github.com/recaudit/recaudit/fairness"
	"github.com/recaudit/recaudit/internal/cli/cmdutil"
	libprobe "github.com/recaudit/recaudit/probe"
	"github.com/recaudit/recaudit/recommenders"
	"github.com/spf13/cobra"
)

// ConsentOptions are the inputs of "recaudit probe consent".
type ConsentOptions struct {
	IO        *cmdutil.IOStreams
	Allocator memory.Allocator
	Now       func() time.Time
	Registry  *recommenders.Registry

	Input  cmdutil.DatasetInput // no table named: the demo dataset
	Algo   string
	Params []string // name=value settings of --algo or --exec
	Exec   string   // command line of an external program
	Recs   string   // recommendation file
	System string   // system of Recs, when it has several
	Direct bool     // ask --algo for every user

	K             int // 0 with --recs: the longest list (or largest cutoff)
	Cutoffs       []int
	Perturbations []libprobe.Perturbation
	Tolerance     float64
	Seed          uint64
	JSON          bool
}

// perturbationChoices are the names of --perturb.
var perturbationChoices = map[string]libprobe.Perturbation{
	"drop": libprobe.PerturbDrop, "shuffle": libprobe.PerturbShuffle, "random": libprobe.PerturbRandom,
}

// NewCmdConsent returns the "probe consent" command. When runF is not nil
// it is called with the parsed options instead of running the command.
func NewCmdConsent(f *cmdutil.Factory, runF func(*ConsentOptions) error) *cobra.Command {
	opts := &ConsentOptions{IO: f.IO, Allocator: f.Allocator, Now: f.Now, Registry: f.Recommenders}
	var modes []string
	cmd := &cobra.Command{
		Use:   "consent (--algo NAME | --exec CMD | --recs FILE) [--data DIR] [flags]",
		Short: "Test whether a system personalises for users who did not consent",
		Long: `Test whether a recommender system personalises the lists of users who did
not consent to personalisation (the users column with role consent, such as
consent_personalization, is false).

A system that can be run again is run on the dataset's interactions, then
again after the histories of the non-consenting users are perturbed
(--perturb: drop them, shuffle them among those users, or replace them by
random items), and each non-consenting user's top-k list before and after
is compared at each cutoff by Jaccard similarity and rank-biased overlap. A
list that moves with a history the user did not consent to being used is a
violation; the drift of a data-driven fallback (the same new list for every
user who had the common list) is not. The table gives, per perturbation and
cutoff, the share of violating users with a 95% Wilson interval, the mean
changes 1 − Jaccard and 1 − RBO with bootstrap intervals, and the drift of
the non-consenting users' common list.

  --algo NAME  a built-in algorithm, run as recaudit runs it: users who did
               not consent never reach it and get the most-popular fallback,
               so it passes. With --direct it is asked for every user instead.
  --exec CMD   an external program (see recaudit recommend --list, exec),
               asked for every user: the users file it is given has a column
               consent_personalization, so that its own consent handling is
               tested.
  --recs FILE  a recommendation file, known only by its lists: the share of
               non-consenting users whose list differs from those users'
               common list, and permutation tests of how alike their lists
               are and how close to the most-popular list, against the
               consenting users'.

Without --data (or --interactions), the built-in demo shop is used. Systems
learn from every interaction; there is no split. A system is flagged at a
cutoff when the lower bound of the interval of the violating share exceeds
--tolerance (0: a single violating user flags it); the exit status is then 1.`,
		Example: `  recaudit probe consent --algo itemknn
  recaudit probe consent --algo itemknn --direct --cutoffs 5,10
  recaudit probe consent --exec "./exec-ignores-consent -train {train} -users {users} -k {k} -out {out} -ignore 0.3"
  recaudit probe consent --data shop --recs shop-recs.parquet --json`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if err := checkConsent(cmd, opts, modes); err != nil {
				return err
			}
			if runF != nil {
				return runF(opts)
			}
			return consentRun(cmd.Context(), opts)
		},
	}
	fl := cmd.Flags()
	fl.StringVar(&opts.Input.Dir, "data", "", "Dataset `directory` (default: the built-in demo shop)")
	opts.Input.AddFlags(cmd)
	fl.StringVar(&opts.Algo, "algo", "", "Probe the built-in algorithm `name` (see recaudit recommend --list)")
	fl.StringArrayVar(&opts.Params, "param", nil, "Set a parameter of --algo or --exec, `name=value` (repeatable)")
	fl.StringVar(&opts.Exec, "exec", "", "Probe the external program `command` (placeholders {train} {items} {users} {k} {out} {dir})")
	fl.StringVar(&opts.Recs, "recs", "", "Probe the recommendation `file`")
	fl.StringVar(&opts.System, "system", "", "System `name` to read from --recs when it holds several")
	fl.BoolVar(&opts.Direct, "direct", false, "Ask --algo for every user, non-consenting included (it is then its own consent handling that is tested)")
	fl.IntVar(&opts.K, "k", libprobe.DefaultK, "Length `K` of the lists asked for (with --recs: default the longest list)")
	fl.IntSliceVar(&opts.Cutoffs, "cutoffs", nil, "Compare lists at these `lengths`, comma-separated (default: K)")
	fl.StringSliceVar(&modes, "perturb", []string{"drop", "shuffle", "random"}, "Perturbations of the non-consenting users' histories: `drop,shuffle,random`")
	fl.Float64Var(&opts.Tolerance, "tolerance", 0, "Share `S` in [0, 1) of violating non-consenting users tolerated before flagging")
	fl.Uint64Var(&opts.Seed, "seed", 1, "Random seed `N` of the perturbations, resamples and relabelings")
	cmdutil.AddJSONFlag(cmd, &opts.JSON)
	cmd.MarkFlagsMutuallyExclusive("algo", "exec", "recs")
	_ = cmd.RegisterFlagCompletionFunc("algo", func(*cobra.Command, []string, string) ([]string, cobra.ShellCompDirective) {
		return opts.Registry.Names(), cobra.ShellCompDirectiveNoFileComp
	})
	_ = cmd.RegisterFlagCompletionFunc("perturb", func(*cobra.Command, []string, string) ([]string, cobra.ShellCompDirective) {
		return []string{"drop", "shuffle", "random"}, cobra.ShellCompDirectiveNoFileComp
	})
	return cmd
}

// checkConsent checks the flags and fills in the typed options.
func checkConsent(cmd *cobra.Command, opts *ConsentOptions, modes []string) error {
	in := &opts.Input
	if in.Dir != "" && (in.Interactions != "" || in.Users != "" || in.Items != "") {
		return cmdutil.UsageErrorf("give --data or --interactions/--users/--items, not both")
	}
	if in.Dir == "" && in.Interactions == "" && (in.Users != "" || in.Items != "") {
		return cmdutil.UsageErrorf("--users and --items need --interactions")
	}
	fl := cmd.Flags()
	switch {
	case opts.Algo == "" && opts.Exec == "" && opts.Recs == "":
		return cmdutil.UsageErrorf("name the system to probe: --algo NAME, --exec CMD or --recs FILE")
	case opts.Direct && opts.Algo == "":
		return cmdutil.UsageErrorf("--direct goes with --algo (--exec is always asked for every user)")
	case len(opts.Params) > 0 && opts.Recs != "":
		return cmdutil.UsageErrorf("--param goes with --algo or --exec, not --recs")
	case opts.System != "" && opts.Recs == "":
		return cmdutil.UsageErrorf("--system goes with --recs")
	case opts.Recs != "" && fl.Changed("perturb"):
		return cmdutil.UsageErrorf("--perturb needs a system that can be run again (--algo or --exec), not --recs")
	case !(opts.Tolerance >= 0 && opts.Tolerance < 1):
		return cmdutil.UsageErrorf("--tolerance must be in [0, 1), got %v", opts.Tolerance)
	}
	if opts.Recs != "" && !fl.Changed("k") {
		opts.K = 0 // the longest list, or the largest cutoff
	} else if opts.K < 1 {
		return cmdutil.UsageErrorf("--k must be positive, got %d", opts.K)
	}
	for _, c := range opts.Cutoffs {
		if c < 1 || (opts.K > 0 && c > opts.K) {
			return cmdutil.UsageErrorf("--cutoffs must be between 1 and --k (%d), got %d", opts.K, c)
		}
	}
	opts.Perturbations = nil
	seen := map[libprobe.Perturbation]bool{}
	for _, m := range modes {
		p, ok := perturbationChoices[strings.TrimSpace(m)]
		if !ok {
			return cmdutil.UsageErrorf("--perturb: valid values are drop, shuffle, random; got %q", m)
		}
		if !seen[p] {
			seen[p] = true
			opts.Perturbations = append(opts.Perturbations, p)
		}
	}
	if len(opts.Perturbations) == 0 && opts.Recs == "" {
		return cmdutil.UsageErrorf("--perturb needs at least one of drop, shuffle, random")
	}
	return nil
}

// ConsentReport is the JSON document printed by "recaudit probe consent
// --json". Exactly one of Rerun and Lists is set, after Method.
type ConsentReport struct {
	// Data names the dataset's files; Demo is true for the built-in demo
	// shop (Data is then empty).
	Data cmdutil.Files `json:"data"`
	Demo bool          `json:"demo"`
	// System is the probed system: the algorithm, "exec" or the file's
	// system; Mode is "managed" (run as recaudit runs it), "direct"
	// (asked for every user) or "file".
	System string `json:"system"`
	Mode   string `json:"mode"`
	File   string `json:"file,omitempty"`
	Users  int    `json:"users"`
	Items  int    `json:"items"`
	Seed   uint64 `json:"seed"`
	// Method is "rerun" or "lists", the probe that ran.
	Method  string                `json:"method"`
	Rerun   *libprobe.RerunResult `json:"rerun,omitempty"`
	Lists   *libprobe.ListsResult `json:"lists,omitempty"`
	Flagged bool                  `json:"flagged"`
}

func consentRun(ctx context.Context, opts *ConsentOptions) error {
	// The system first: a typo must not cost a dataset load.
	var rec recommenders.Recommender
	rep := ConsentReport{Seed: opts.Seed}
	switch {
	case opts.Algo != "":
		params, err := recommenders.ParseParams(opts.Params)
		if err != nil {
			return err
		}
		if rec, err = opts.Registry.New(opts.Algo, params); err != nil {
			return err
		}
		rep.System, rep.Mode = opts.Algo, "managed"
		if opts.Direct {
			rep.Mode = "direct"
		}
	case opts.Exec != "":
		params, err := recommenders.ParseParams(append([]string{"command=" + opts.Exec}, opts.Params...))
		if err != nil {
			return err
		}
		if rec, err = opts.Registry.New("exec", params); err != nil {
			return err
		}
		rep.System, rep.Mode = "exec", "direct"
	default:
		rep.Mode, rep.File = "file", opts.Recs
	}

	progress := cmdutil.NewProgress(opts.IO, opts.Now, opts.JSON)
	defer progress.Stop()
	progress.Start("Loading the dataset")
	d, err := loadData(ctx, opts, &rep)
	if err != nil {
		return err
	}
	rep.Users, rep.Items = d.Users.Len(), d.Items.Len()
	consent := d.Consent()
	cfg := libprobe.Consent{K: opts.K, Cutoffs: opts.Cutoffs, Perturbations: opts.Perturbations, Tolerance: opts.Tolerance,
		Src: rand.NewPCG(opts.Seed, 0x9e3779b97f4a7c15)}

	if rec == nil {
		progress.Start("Reading " + opts.Recs)
		lists, err := readRun(opts.Recs, opts.System, d)
		if err != nil {
			return err
		}
		rep.System = lists.System
		progress.Start(fmt.Sprintf("Probing the lists of %s", rep.System))
		rep.Method, rep.Lists = "lists", cfg.Lists(&lists, &d.Interactions, consent)
		rep.Flagged = rep.Lists.Flagged
	} else {
		if s, ok := rec.(recommenders.IDSetter); ok {
			s.SetIDs(d.Users, d.Items)
		}
		system := libprobe.Managed(rec, consent)
		if rep.Mode == "direct" {
			system = libprobe.Direct(rec, consent)
		}
		progress.Start(fmt.Sprintf("Running %s %d times on %d users", rep.System, 1+len(opts.Perturbations), rep.Users))
		view := &recommenders.TrainView{Interactions: d.Interactions, ItemColumns: d.ItemColumns}
		if rep.Rerun, err = cfg.Rerun(ctx, system, view, consent); err != nil {
			return err
		}
		rep.Method, rep.Flagged = "rerun", rep.Rerun.Flagged
	}
	progress.Stop()

	if opts.JSON {
		err = cmdutil.WriteJSON(opts.IO.Out, rep)
	} else {
		err = writeConsent(opts.IO.Out, &rep)
	}
	if err != nil {
		return err
	}
	if rep.Flagged {
		return fmt.Errorf("%w: %s personalises the lists of users who did not consent", cmdutil.ErrPolicyViolated, rep.System)
	}
	return nil
}

// loadData loads the dataset the flags name, or generates the demo shop.
func loadData(ctx context.Context, opts *ConsentOptions, rep *ConsentReport) (*datasets.Dataset, error) {
	if opts.Input.Dir == "" && opts.Input.Interactions == "" {
		rep.Demo = true
		return demo.Generate(ctx, demo.DefaultConfig())
	}
	d, p, err := opts.Input.Load(opts.Allocator)
	rep.Data = cmdutil.Files{Interactions: p.Interactions, Users: p.Users, Items: p.Items}
	return d, err
}

// readRun reads the recommendation file and picks its one run, or the run
// of the named system.
func readRun(path, system string, d *datasets.Dataset) (datasets.Rankings, error) {
	runs, err := datasets.ReadRecommendations(path, d.Users, d.Items)
	if err != nil {
		return datasets.Rankings{}, err
	}
	var names []string
	var picked []datasets.Rankings
	for _, r := range runs {
		name := r.System
		if r.Sample != 0 {
			name = fmt.Sprintf("%s (sample %d)", r.System, r.Sample)
		}
		names = append(names, name)
		if system == "" || r.System == system {
			picked = append(picked, r)
		}
	}
	switch {
	case len(picked) == 1:
		return picked[0], nil
	case len(picked) == 0:
		return datasets.Rankings{}, cmdutil.UsageErrorf("%s has no system %q (it has %s)", path, system, strings.Join(names, ", "))
	}
	return datasets.Rankings{}, cmdutil.UsageErrorf("%s holds several runs (%s); choose one with --system", path, strings.Join(names, ", "))
}

// writeConsent writes the readable report.
func writeConsent(out io.Writer, r *ConsentReport) error {
	w := tabwriter.NewWriter(out, 0, 4, 2, ' ', 0)
	data := "the built-in demo shop"
	if !r.Demo {
		data = r.Data.Interactions
	}
	switch r.Mode {
	case "managed":
		fmt.Fprintf(w, "CONSENT PROBE of %s as recaudit runs it (non-consenting users get the most-popular fallback)\n", r.System)
	case "direct":
		fmt.Fprintf(w, "CONSENT PROBE of %s, asked for every user and told their consent\n", r.System)
	default:
		fmt.Fprintf(w, "CONSENT PROBE of the lists of %s in %s\n", r.System, r.File)
	}
	if res := r.Rerun; res != nil {
		fmt.Fprintf(w, "  %s: %d users, %d of them did not consent; lists of %d, RBO persistence %g\n\n",
			data, res.Users, res.NonConsenting, res.K, res.Persistence)
		fmt.Fprintf(w, "PERTURBATION\tK\tPROBED\tVIOLATING\tSHARE [95%% CI]\t1 − JACCARD [95%% CI]\t1 − RBO [95%% CI]\tFALLBACK DRIFT (1 − RBO)\n")
		for _, p := range res.Perturbations {
			for _, c := range p.Cutoffs {
				fmt.Fprintf(w, "%s\t%d\t%d\t%d\t%s\t%s\t%s\t%s\n", p.Perturbation, c.K, c.Probed, c.Violating,
					estimate(c.Share), estimate(c.JaccardChange), estimate(c.RBOChange), number(c.FallbackRBOChange))
			}
		}
	}
	if res := r.Lists; res != nil {
		fmt.Fprintf(w, "  %s: %d users with a list, %d of them did not consent (%d users without a list)\n\n",
			data, res.Consenting+res.NonConsenting, res.NonConsenting, res.Missing)
		fmt.Fprintf(w, "K\tPERSONALISED\tSHARE [95%% CI]\tCONSENTING SHARE\tOVERLAP NON / CON (p)\tDISTANCE FROM POPULAR NON / CON (p)\n")
		for _, c := range res.ByCutoff {
			fmt.Fprintf(w, "%d\t%d\t%s\t%s\t%s / %s (%s)\t%s / %s (%s)\n", c.K, c.Personalised, estimate(c.Share),
				number(c.ConsentingShare.Value),
				number(c.Overlap.NonConsenting), number(c.Overlap.Consenting), pvalue(c.Overlap.Test.P),
				number(c.PopularDistance.NonConsenting), number(c.PopularDistance.Consenting), pvalue(c.PopularDistance.Test.P))
		}
	}
	if err := w.Flush(); err != nil {
		return err
	}
	verdict := "passed: no list of a non-consenting user depends on their history"
	nonConsenting := 0
	if r.Rerun != nil {
		nonConsenting = r.Rerun.NonConsenting
	}
	if r.Lists != nil {
		nonConsenting = r.Lists.NonConsenting
	}
	switch {
	case nonConsenting == 0:
		// Nothing was tested: do not call it a pass.
		verdict = "nothing to probe: no user withheld consent to personalisation (does the users table have a consent column?)"
	case r.Flagged:
		verdict = "FLAGGED: the lists of users who did not consent are personalised"
	case r.Lists != nil:
		verdict = "passed: every non-consenting user gets the same list"
	}
	_, err := fmt.Fprintf(out, "\n%s\n", verdict)
	return err
}

// estimate formats a value with its interval.
func estimate(e fairness.Estimate) string {
	return fmt.Sprintf("%s [%s, %s]", number(e.Value), number(e.CI[0]), number(e.CI[1]))
}

// pvalue formats a p-value with three decimals, "< 0.001" below that.
func pvalue(p fairness.Float) string {
	if p < 0.001 {
		return "< 0.001"
	}
	return number(p)
}

// number formats a value with three decimals, "-" when undefined.
func number(f fairness.Float) string {
	if math.IsNaN(float64(f)) || math.IsInf(float64(f), 0) {
		return "-"
	}
	return fmt.Sprintf("%.3f", float64(f))
}
