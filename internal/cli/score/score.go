package score

import (
	"context"
	"errors"
	"fmt"
	"io"
	"math"
	"slices"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/apache/arrow-go/v18/arrow/memory"
	"github.com/recaudit/recaudit/datasets"
	"github.com/recaudit/recaudit/internal/cli/cmdutil"
	"github.com/recaudit/recaudit/metrics"
	libscore "github.com/recaudit/recaudit/score"
	"github.com/spf13/cobra"
)

// ScoreOptions are the inputs of "recaudit score".
type ScoreOptions struct {
	IO        *cmdutil.IOStreams
	Allocator memory.Allocator
	Now       func() time.Time

	// Dataset mode: recommendation files judged with a dataset.
	Input cmdutil.DatasetInput
	Split cmdutil.SplitInput
	Recs  []string

	// TREC mode: run files judged with a qrels file.
	Qrels    string
	Runs     []string
	Complete bool // trec_eval -c

	Measures []metrics.Measure
	Cutoffs  []int // nil in TREC mode without --k: trec_eval's defaults
	Profile  metrics.Profile
	Format   OutputFormat
	PerUser  bool
	JSON     bool
}

// NewCmdScore returns the "score" command. When runF is not nil it is
// called with the parsed options instead of running the command.
func NewCmdScore(f *cmdutil.Factory, runF func(*ScoreOptions) error) *cobra.Command {
	opts := &ScoreOptions{IO: f.IO, Allocator: f.Allocator, Now: f.Now,
		Measures: slices.Clone(defaultMeasures), Cutoffs: []int{10}}
	cmd := &cobra.Command{
		Use:   "score (--data DIR --recs FILE... | --qrels FILE --run FILE...) [flags]",
		Short: "Score recommendation lists by accuracy metrics",
		Long: `Score recommendation lists against held-out judgments, and print the mean
of each metric at each cutoff for each system.

With a dataset (--data, or --interactions, --users, --items), the lists are
recommendation files (user_id, item_id, rank or score, optional system and
sample; recaudit recommend writes them) and the judgments are the dataset's
interactions: with --split, the test part of the split that the same split
flags and --seed give recaudit recommend; without --split, every
interaction (for a dataset that holds only held-out data). An interaction's
value is its relevance grade (1 without a value column). Every user of the
dataset counts: a user without a list is scored as an empty list.

In TREC mode (--qrels), the lists are TREC run files (qid Q0 docno rank
score tag, ordered by score as trec_eval orders them; one system per tag)
and the judgments a TREC qrels file (qid iter docno rel). The profile is
then trec_eval, and without --k the cutoffs are trec_eval's (5, 10, 15, 20,
30, 100, 200, 500, 1000) besides the whole list.

The metrics (--metrics) are ` + measureList + `; --k gives the
cutoffs (0 means the whole list). The profile (--profile) sets the
conventions on which toolkits disagree (denominators, gains, discounts,
users without relevant items or without a list; see METRICS-SPEC.md): 
default, trec_eval, ranx, recbole, lenskit, elliot or rectools.

Each system (each file, and each system and sample within a file) gets one
block: how many users were evaluated and how many were excluded, because
they have no relevant test item or no list, and the mean of every metric.
The results go to stdout, as a table, as one JSON document (--json), or in
trec_eval's layout (--format trec: map, recip_rank, P_k, recall_k, ndcg,
ndcg_cut_k, map_cut_k, success_k, set_P, set_recall for every system,
preceded by its runid; -q adds the lines of every user).`,
		Example: `  recaudit score --data demo-data --recs popular.arrow --recs knn.arrow --split random --seed 1
  recaudit score --data demo-data --split random --seed 1 --metrics ndcg,precision --k 10,100 --json runs/*.arrow
  recaudit score --data demo-data --split random --seed 1 --recs knn.arrow --format trec -q
  recaudit score --qrels qrels.txt --run run1.txt --run run2.txt --format trec`,
		RunE: func(cmd *cobra.Command, args []string) error {
			if err := checkFlags(cmd, opts, args); err != nil {
				return err
			}
			if runF != nil {
				return runF(opts)
			}
			return scoreRun(cmd.Context(), opts)
		},
	}
	fl := cmd.Flags()
	opts.Input.AddDataFlags(cmd)
	fl.StringArrayVar(&opts.Recs, "recs", nil, "Recommendation `file` to score (repeatable; further files may follow as arguments)")
	opts.Split.AddFlags(cmd)
	fl.StringVar(&opts.Qrels, "qrels", "", "TREC qrels `file`: score TREC runs instead of recommendation files")
	fl.StringArrayVar(&opts.Runs, "run", nil, "TREC run `file` to score (repeatable; with --qrels)")
	fl.BoolVarP(&opts.Complete, "complete", "c", false, "Average over every query of the qrels, a query without results scoring 0 (trec_eval -c; with --qrels)")
	fl.Var(&measuresValue{p: &opts.Measures}, "metrics", "Metrics to compute, comma-separated `names`: "+measureList+" (default precision,recall,hit_rate,rr,ap,ndcg)")
	fl.Var(&cutoffsValue{p: &opts.Cutoffs}, "k", "Comma-separated `cutoffs`; 0 means the whole list (default 10; with --qrels, trec_eval's)")
	cmdutil.EnumVar(cmd, &opts.Profile, "profile", "", profileChoices, "Metric conventions of a `toolkit` (default: default; with --qrels, trec_eval)")
	cmdutil.EnumVar(cmd, &opts.Format, "format", "table", formatChoices, "Layout of the results on stdout: a table, or trec_eval's `layout`")
	fl.BoolVarP(&opts.PerUser, "per-user", "q", false, "With --format trec, also print every user's values (trec_eval -q)")
	cmdutil.AddJSONFlag(cmd, &opts.JSON)
	cmd.MarkFlagsMutuallyExclusive("json", "format")
	return cmd
}

// checkFlags checks the command line and settles the mode's defaults.
func checkFlags(cmd *cobra.Command, opts *ScoreOptions, args []string) error {
	changed := cmd.Flags().Changed
	if opts.PerUser && opts.Format != FormatTrec {
		return cmdutil.UsageErrorf("--per-user needs --format trec")
	}
	if opts.Qrels != "" {
		for _, name := range []string{"data", "interactions", "users", "items", "role", "duplicates", "recs", "split", "test-fraction", "n", "cutoff", "min-interactions", "seed"} {
			if changed(name) {
				return cmdutil.UsageErrorf("--%s does not go with --qrels: TREC mode scores run files against the qrels", name)
			}
		}
		opts.Runs = append(opts.Runs, args...)
		if len(opts.Runs) == 0 {
			return cmdutil.UsageErrorf("--qrels needs at least one --run file")
		}
		if !changed("k") {
			opts.Cutoffs = nil
		} else if slices.Contains(opts.Cutoffs, 0) {
			return cmdutil.UsageErrorf("with --qrels the whole list is always scored (map, recip_rank, ndcg); give positive cutoffs to --k")
		}
		if !changed("profile") {
			opts.Profile = metrics.ProfileTrecEval
		}
		return nil
	}
	for _, name := range []string{"run", "complete"} {
		if changed(name) {
			return cmdutil.UsageErrorf("--%s needs --qrels", name)
		}
	}
	if err := opts.Input.CheckData(); err != nil {
		return err
	}
	if err := opts.Split.Check(cmd); err != nil {
		return err
	}
	opts.Recs = append(opts.Recs, args...)
	if len(opts.Recs) == 0 {
		return cmdutil.UsageErrorf("give the recommendation files to score with --recs")
	}
	return nil
}

// Report is the JSON document printed by "recaudit score --json". Means
// that are undefined (no user evaluated) are null.
type Report struct {
	// Mode is "dataset" (recommendation files and a dataset) or "trec"
	// (run files and qrels).
	Mode string `json:"mode"`
	// Data are the dataset's files (dataset mode); Qrels the qrels file
	// (TREC mode).
	Data  *cmdutil.Files `json:"data,omitempty"`
	Qrels string         `json:"qrels,omitempty"`
	// Split is the split whose test part are the judgments; null when the
	// judgments are every interaction (or the qrels).
	Split     *cmdutil.SplitSummary `json:"split"`
	Judgments Judgments             `json:"judgments"`
	Profile   string                `json:"profile"`
	Measures  []string              `json:"measures"`
	Cutoffs   []int                 `json:"cutoffs"`
	Systems   []System              `json:"systems"`
}

// Judgments describes the judgments: the users (queries) with at least
// one judged item, and the judged (user, item) pairs.
type Judgments struct {
	Source string `json:"source"` // "test split", "all interactions" or "qrels"
	Users  int    `json:"users"`
	Pairs  int    `json:"pairs"`
}

// System holds the results of one system (and sample) of one file.
type System struct {
	File   string `json:"file"`
	System string `json:"system"`
	Sample int64  `json:"sample"`
	// Users counts the users (queries) scored; Evaluated those in the
	// means; Excluded the others. NoRelevant counts the users without a
	// relevant judged item and NoList those without a list, whether the
	// profile excludes them or scores them 0.
	Users      int64   `json:"users"`
	Evaluated  int64   `json:"evaluated"`
	Excluded   int64   `json:"excluded"`
	NoRelevant int64   `json:"no_relevant"`
	NoList     int64   `json:"no_list"`
	Metrics    []Value `json:"metrics"`
}

// Value is the mean of one measure at one cutoff (0: the whole list).
type Value struct {
	Measure string   `json:"measure"`
	K       int      `json:"k"`
	Value   *float64 `json:"value"`
}

// block is the results of one system: its means, and for trec -q its
// per-user values and their IDs.
type block struct {
	file, system string
	sample       int64
	res          *metrics.Result
	ids          *datasets.IDs
}

func scoreRun(ctx context.Context, opts *ScoreOptions) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	progress := cmdutil.NewProgress(opts.IO, opts.Now, opts.JSON)
	defer progress.Stop()
	var (
		rep    Report
		blocks []block
		err    error
	)
	if opts.Qrels != "" {
		rep, blocks, err = trecRun(ctx, opts, progress)
	} else {
		rep, blocks, err = datasetRun(ctx, opts, progress)
	}
	if err != nil {
		return err
	}
	progress.Stop()
	if opts.Format == FormatTrec {
		return writeTrec(opts, blocks)
	}
	rep.Systems = []System{}
	for _, b := range blocks {
		rep.Systems = append(rep.Systems, newSystem(b))
	}
	if opts.JSON {
		return cmdutil.WriteJSON(opts.IO.Out, rep)
	}
	return writeText(opts.IO.Out, rep)
}

// evaluator returns the Evaluator of the options in dataset mode. The
// trec layout needs the uncut measures (map, recip_rank, ndcg), so it
// adds the cutoff 0.
func (opts *ScoreOptions) evaluator() metrics.Evaluator {
	cutoffs := slices.Clone(opts.Cutoffs)
	if opts.Format == FormatTrec && !slices.Contains(cutoffs, 0) {
		cutoffs = append([]int{0}, cutoffs...)
	}
	return metrics.Evaluator{Config: opts.Profile.Config(), Measures: slices.Clone(opts.Measures), Cutoffs: cutoffs}
}

func datasetRun(ctx context.Context, opts *ScoreOptions, progress *cmdutil.Progress) (Report, []block, error) {
	progress.Start("Loading the dataset")
	d, paths, err := opts.Input.Load(opts.Allocator)
	if err != nil {
		return Report{}, nil, err
	}
	rep := Report{Mode: "dataset", Data: &cmdutil.Files{Interactions: paths.Interactions, Users: paths.Users, Items: paths.Items}}
	truth := d.Interactions
	rep.Judgments.Source = "all interactions"
	if opts.Split.Set {
		progress.Start("Splitting the interactions")
		var st datasets.SplitStats
		if _, truth, st, err = opts.Split.Split.Apply(&d.Interactions); err != nil {
			return Report{}, nil, err
		}
		rep.Split = cmdutil.NewSplitSummary(opts.Split.Split, st)
		rep.Judgments.Source = "test split"
	}
	rep.Judgments.Users, rep.Judgments.Pairs = judged(&truth)
	e := opts.evaluator()
	rep.describe(opts.Profile, e)
	rel := libscore.Relevance(&truth)
	var blocks []block
	for _, path := range opts.Recs {
		if err := ctx.Err(); err != nil {
			return Report{}, nil, err
		}
		progress.Start("Scoring " + path)
		opt := datasets.WithAllocator(opts.Allocator)
		if opts.PerUser {
			runs, err := datasets.ReadRecommendations(path, d.Users, d.Items, opt)
			if err != nil {
				return Report{}, nil, err
			}
			for i := range runs {
				blocks = append(blocks, block{file: path, system: runs[i].System, sample: runs[i].Sample,
					res: e.Evaluate(libscore.Lists(&runs[i]), rel), ids: d.Users})
			}
			continue
		}
		results, err := libscore.EvaluateFile(path, d.Users, d.Items, rel, e, opt)
		if errors.Is(err, datasets.ErrUnsorted) {
			results, err = libscore.EvaluateRecommendations(path, d.Users, d.Items, rel, e, opt)
		}
		if err != nil {
			return Report{}, nil, err
		}
		for _, r := range results {
			blocks = append(blocks, block{file: path, system: r.System, sample: r.Sample, res: &metrics.Result{Accumulator: r.Accumulator}})
		}
	}
	return rep, blocks, nil
}

func trecRun(ctx context.Context, opts *ScoreOptions, progress *cmdutil.Progress) (Report, []block, error) {
	progress.Start("Reading the qrels and runs")
	q, runs, err := datasets.ReadTrec(opts.Qrels, opts.Runs)
	if err != nil {
		return Report{}, nil, err
	}
	te := libscore.TrecEval{Cutoffs: opts.Cutoffs, Complete: opts.Complete}
	e := te.Evaluator()
	e.Measures = slices.Clone(opts.Measures)
	if opts.Profile != metrics.ProfileTrecEval {
		e.Config = opts.Profile.Config()
		if opts.Complete {
			e.Config.NoList = metrics.NoListMiss
		}
	}
	rep := Report{Mode: "trec", Qrels: opts.Qrels, Judgments: Judgments{Source: "qrels"}}
	rep.Judgments.Users, rep.Judgments.Pairs = judged(&q.Judgments)
	rep.describe(opts.Profile, e)
	rel := libscore.Relevance(&q.Judgments)
	var blocks []block
	for i, run := range runs {
		if err := ctx.Err(); err != nil {
			return Report{}, nil, err
		}
		progress.Start("Scoring " + opts.Runs[i])
		for j := range run.Rankings {
			r := &run.Rankings[j]
			blocks = append(blocks, block{file: opts.Runs[i], system: r.System, res: e.Evaluate(libscore.Lists(r), rel), ids: q.Users})
		}
	}
	return rep, blocks, nil
}

// judged returns the number of users with at least one judgment, and the
// number of judgments.
func judged(m *datasets.CSR) (users, pairs int) {
	for u := 0; u < m.Rows; u++ {
		if m.Offsets[u+1] > m.Offsets[u] {
			users++
		}
	}
	return users, m.NNZ()
}

// describe fills in the profile, measures and cutoffs of e.
func (r *Report) describe(p metrics.Profile, e metrics.Evaluator) {
	r.Profile = p.String()
	r.Measures = []string{}
	for _, m := range e.Measures {
		r.Measures = append(r.Measures, m.String())
	}
	r.Cutoffs = slices.Clone(e.Cutoffs)
}

func newSystem(b block) System {
	c := b.res.Counts()
	s := System{File: b.file, System: b.system, Sample: b.sample, Users: c.Users, Evaluated: c.Evaluated,
		Excluded: c.Users - c.Evaluated, NoRelevant: c.NoRelevant, NoList: c.NoList, Metrics: []Value{}}
	for _, m := range b.res.Measures() {
		for _, k := range b.res.Cutoffs() {
			s.Metrics = append(s.Metrics, Value{Measure: m.String(), K: k, Value: num(b.res.Mean(m, k))})
		}
	}
	return s
}

// num returns a pointer to v, or nil for NaN (JSON null).
func num(v float64) *float64 {
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return nil
	}
	return &v
}

// trecNamed are the measures that trec_eval names.
var trecNamed = []metrics.Measure{
	metrics.MeasurePrecision, metrics.MeasureRecall, metrics.MeasureHitRate,
	metrics.MeasureRR, metrics.MeasureAP, metrics.MeasureNDCG,
}

// writeTrec prints every block in trec_eval's layout, each preceded by
// its runid line.
func writeTrec(opts *ScoreOptions, blocks []block) error {
	var unnamed []string
	for _, m := range opts.Measures {
		if !slices.Contains(trecNamed, m) {
			unnamed = append(unnamed, m.String())
		}
	}
	if len(unnamed) > 0 {
		fmt.Fprintf(opts.IO.ErrOut, "recaudit: note: %s %s no trec_eval name and %s not printed with --format trec\n",
			strings.Join(unnamed, " and "), plural(len(unnamed), "has", "have"), plural(len(unnamed), "is", "are"))
	}
	for _, b := range blocks {
		runID := b.system
		if b.sample != 0 {
			runID += "#" + strconv.FormatInt(b.sample, 10)
		}
		res := b.res
		if !opts.PerUser {
			res = &metrics.Result{Accumulator: b.res.Accumulator}
		}
		if err := libscore.WriteTrecEval(opts.IO.Out, res, b.ids, libscore.TrecFormat{PerQuery: opts.PerUser, RunID: runID}); err != nil {
			if errors.Is(err, libscore.ErrNoQueries) {
				return fmt.Errorf("%s: system %s: %w", b.file, b.system, err)
			}
			return err
		}
	}
	return nil
}

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}

// cutoffLabel is the column heading of cutoff k.
func cutoffLabel(k int) string {
	if k == 0 {
		return "@all"
	}
	return "@" + strconv.Itoa(k)
}

// writeText writes the readable report: the judgments, then one block per
// system with its user counts and a table of means, measures by cutoffs.
func writeText(out io.Writer, r Report) error {
	w := tabwriter.NewWriter(out, 0, 4, 2, ' ', 0)
	fmt.Fprintf(w, "JUDGMENTS\n")
	switch {
	case r.Mode == "trec":
		fmt.Fprintf(w, "  qrels %s\n", r.Qrels)
	case r.Split != nil:
		fmt.Fprintf(w, "  test part of a %s\n", r.Split.Describe())
	default:
		fmt.Fprintf(w, "  every interaction of %s\n", r.Data.Interactions)
	}
	fmt.Fprintf(w, "  %d judged pairs for %d users\n", r.Judgments.Pairs, r.Judgments.Users)
	fmt.Fprintf(w, "  profile %s\n", r.Profile)
	if err := w.Flush(); err != nil {
		return err
	}
	for _, s := range r.Systems {
		name := s.System
		if s.Sample != 0 {
			name += " (sample " + strconv.FormatInt(s.Sample, 10) + ")"
		}
		fmt.Fprintf(w, "\nSYSTEM %s (%s)\n", name, s.File)
		fmt.Fprintf(w, "  %d users: %d evaluated, %d excluded; %d without a relevant judged item, %d without a list\n",
			s.Users, s.Evaluated, s.Excluded, s.NoRelevant, s.NoList)
		fmt.Fprintf(w, "  MEASURE")
		for _, k := range r.Cutoffs {
			fmt.Fprintf(w, "\t%s", cutoffLabel(k))
		}
		fmt.Fprintf(w, "\n")
		means := make(map[Value]*float64, len(s.Metrics))
		for _, v := range s.Metrics {
			means[Value{Measure: v.Measure, K: v.K}] = v.Value
		}
		for _, m := range r.Measures {
			fmt.Fprintf(w, "  %s", m)
			for _, k := range r.Cutoffs {
				v := "-"
				if p := means[Value{Measure: m, K: k}]; p != nil {
					v = strconv.FormatFloat(*p, 'f', 4, 64)
				}
				fmt.Fprintf(w, "\t%s", v)
			}
			fmt.Fprintf(w, "\n")
		}
		if err := w.Flush(); err != nil {
			return err
		}
	}
	return nil
}
