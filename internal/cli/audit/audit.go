package audit

import (
	"context"
	"errors"
	"fmt"
	"io"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/apache/arrow-go/v18/arrow/memory"
	libaudit "github.com/recaudit/recaudit/audit"
	"github.com/recaudit/recaudit/datasets"
	libgate "github.com/recaudit/recaudit/gate"
	"github.com/recaudit/recaudit/internal/atomicfile"
	"github.com/recaudit/recaudit/internal/cli/cmdutil"
	"github.com/recaudit/recaudit/internal/cli/gate"
	"github.com/recaudit/recaudit/internal/cli/version"
	"github.com/recaudit/recaudit/recommenders"
	"github.com/recaudit/recaudit/report"
	"github.com/spf13/cobra"
)

// KeyEnv is the environment variable --pseudonymize-key falls back to.
const KeyEnv = "RECAUDIT_PSEUDONYMIZE_KEY"

// Output file names in the report directory.
const (
	ResultsFile = "results.json"
	TimingsFile = "timings.json"
	PerUserBase = "per-user" // + .arrow or .parquet
)

// AuditOptions are the inputs of "recaudit audit".
type AuditOptions struct {
	IO        *cmdutil.IOStreams
	Allocator memory.Allocator
	Now       func() time.Time
	Registry  *recommenders.Registry
	Getenv    func(string) string

	SpecFile string
	// Flags that override the spec; each is applied only when given.
	Data                       string
	Interactions, Users, Items string
	Roles                      cmdutil.RolesValue
	Algos                      []string
	Recs                       []string
	Cutoffs                    []int
	Seed                       uint64
	Resamples                  int
	Permutations               int
	MinGroupSize               int
	Sensitive                  []string
	Split                      datasets.SplitKind
	TestFraction               float64
	N                          int
	Cutoff                     int64
	MinInteractions            int
	changed                    func(string) bool

	Out             string
	Force           bool
	Format          datasets.Format
	Quiet           bool
	PseudonymizeKey string

	// Render writes the human-readable report (report.html, report.md
	// and the plots) into the output directory from the result; nil
	// writes none. NewCmdAudit sets it to report.Render.
	Render func(r *libaudit.Result, dir string) error

	// Gate holds the policy check run on the result once the outputs are
	// written (--policy, --baseline, --gate-format, --gate-output); its
	// Policy is "" when no gate was asked for.
	Gate gate.GateOptions
}

// NewCmdAudit returns the "audit" command. When runF is not nil it is
// called with the parsed options instead of running the command.
func NewCmdAudit(f *cmdutil.Factory, runF func(*AuditOptions) error) *cobra.Command {
	opts := &AuditOptions{IO: f.IO, Allocator: f.Allocator, Now: f.Now, Registry: f.Recommenders, Getenv: os.Getenv,
		Roles: cmdutil.RolesValue{}}
	opts.Render = func(r *libaudit.Result, dir string) error {
		return report.Render(r, dir, report.Options{})
	}
	opts.Gate = gate.GateOptions{IO: f.IO, Now: f.Now, Getenv: os.Getenv}
	cmd := &cobra.Command{
		Use:   "audit [--spec FILE] [flags]",
		Short: "Run a whole fairness audit: data, systems, metrics, statistics, report",
		Long:  longHelp,
		Example: `  # The demo audit: the built-in demo shop, six recommenders, every metric.
  recaudit audit

  # An audit described by a spec file (see examples/audit.yaml).
  recaudit audit --spec audit.yaml --out report-2026-06

  # Your data, two algorithms and a system known only by its output.
  recaudit audit --data shop/ --algo popular --algo knn100=itemknn:neighbors=100 \
      --recs vendor-recs.parquet --k 10,20 --seed 7 --out shop-audit

  # The spec, with flags winning; a pseudonymised per-user table in Parquet.
  RECAUDIT_PSEUDONYMIZE_KEY=$(cat key.txt) recaudit audit --spec audit.yaml \
      --resamples 2000 --format parquet --force`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.changed = cmd.Flags().Changed
			if err := checkFlags(cmd, opts); err != nil {
				return err
			}
			if runF != nil {
				return runF(opts)
			}
			return auditRun(cmd.Context(), opts)
		},
	}
	fl := cmd.Flags()
	fl.StringVar(&opts.SpecFile, "spec", "", "Read the audit spec from `file` (YAML; flags override its fields)")
	fl.StringVar(&opts.Data, "data", "", "Dataset `directory` (default: the spec's dataset, else the demo shop)")
	fl.StringVar(&opts.Interactions, "interactions", "", "Interactions table `file` (instead of --data)")
	fl.StringVar(&opts.Users, "users", "", "Users table `file` (with --interactions)")
	fl.StringVar(&opts.Items, "items", "", "Items table `file` (with --interactions)")
	cmdutil.AddRolesFlag(cmd, opts.Roles)
	fl.StringArrayVar(&opts.Algos, "algo", nil, "Compare a built-in algorithm, `[NAME=]ALGO[:PARAM=VALUE,...]` (repeatable; replaces the spec's systems)")
	fl.StringArrayVar(&opts.Recs, "recs", nil, "Compare the systems of a recommendation `file` (repeatable; replaces the spec's systems)")
	cv := &cutoffsValue{p: &opts.Cutoffs}
	fl.Var(cv, "k", "Comma-separated `cutoffs` every metric is computed at; systems are asked for lists of the largest (default 10,20)")
	fl.Var(cv, "cutoffs", "Same as --k")
	fl.Uint64Var(&opts.Seed, "seed", libaudit.DefaultSeed, "Seed `N` of the split, the seeded algorithms, the bootstrap and the permutation tests")
	fl.IntVar(&opts.Resamples, "resamples", libaudit.DefaultResamples, "Bootstrap resamples `B` of every interval")
	fl.IntVar(&opts.Permutations, "permutations", 0, "Relabelings `B` of every permutation test (0: automatic, 10,000 up to 10,000 users)")
	fl.IntVar(&opts.MinGroupSize, "min-group-size", libaudit.DefaultMinGroupSize, "Suppress user groups smaller than `N` users")
	fl.StringSliceVar(&opts.Sensitive, "sensitive", nil, "Group users by these users `columns` (comma-separated; default: the columns with role sensitive)")
	cmdutil.EnumVar(cmd, &opts.Split, "split", "", cmdutil.SplitChoices, "Split the interactions into train and test by `kind` (default random)")
	fl.Float64Var(&opts.TestFraction, "test-fraction", datasets.DefaultSplitFraction, "Share `F` of interactions held out for test (random, temporal-fraction)")
	fl.IntVar(&opts.N, "n", datasets.DefaultSplitN, "Interactions `N` held out per user (leave-n-out, last-n)")
	fl.Var((*cmdutil.UnixTimeValue)(&opts.Cutoff), "cutoff", "First test `time` of the split, Unix seconds or a date such as 2024-06-01 (temporal-cutoff)")
	fl.IntVar(&opts.MinInteractions, "min-interactions", 0, "Keep users with fewer than `N` interactions whole, in train")
	fl.StringVar(&opts.Out, "out", "audit-report", "Write the report into `directory` (created; replaced only with --force)")
	fl.BoolVar(&opts.Force, "force", false, "Replace the --out directory if it exists and is not empty")
	cmdutil.EnumVar(cmd, &opts.Format, "format", "arrow", perUserFormats, "Format of the per-user table")
	fl.BoolVarP(&opts.Quiet, "quiet", "q", false, "Print nothing on stderr but errors (and, with --policy, the gate's verdict)")
	fl.StringVar(&opts.PseudonymizeKey, "pseudonymize-key", "", "Replace user IDs in the per-user table by their HMAC-SHA-256 under `key` (default: $"+KeyEnv+")")
	fl.StringVar(&opts.Gate.Policy, "policy", "", "After the audit, gate its result against the policy `file` (exit 1 when a rule fails; see recaudit gate)")
	fl.StringVar(&opts.Gate.Baseline, "baseline", "", "With --policy, the baseline results `file` change rules compare with")
	cmdutil.EnumVar(cmd, &opts.Gate.Format, "gate-format", "table", gate.FormatChoices, "With --policy, the gate's output format")
	fl.StringVar(&opts.Gate.Output, "gate-output", "", "With --policy, write the gate's output to `file` (table: stderr; others: stdout)")
	cmd.MarkFlagsMutuallyExclusive("k", "cutoffs")
	cmd.MarkFlagsMutuallyExclusive("data", "interactions")
	_ = cmd.RegisterFlagCompletionFunc("algo", func(*cobra.Command, []string, string) ([]string, cobra.ShellCompDirective) {
		return opts.Registry.Names(), cobra.ShellCompDirectiveNoFileComp
	})
	return cmd
}

var perUserFormats = []cmdutil.Choice[datasets.Format]{
	{Name: "arrow", Value: datasets.FormatArrow},
	{Name: "parquet", Value: datasets.FormatParquet},
}

// checkFlags checks what can be checked without the spec.
func checkFlags(cmd *cobra.Command, opts *AuditOptions) error {
	ch := cmd.Flags().Changed
	switch {
	case (opts.Users != "" || opts.Items != "") && opts.Interactions == "":
		return cmdutil.UsageErrorf("--users and --items need --interactions")
	case opts.Gate.Policy == "" && (ch("baseline") || ch("gate-format") || ch("gate-output")):
		return cmdutil.UsageErrorf("--baseline, --gate-format and --gate-output need --policy")
	case opts.Out == "":
		return cmdutil.UsageErrorf("--out must name a directory")
	case ch("resamples") && opts.Resamples < 1:
		return cmdutil.UsageErrorf("--resamples must be at least 1, got %d", opts.Resamples)
	case ch("permutations") && opts.Permutations < 0:
		return cmdutil.UsageErrorf("--permutations must not be negative, got %d", opts.Permutations)
	case ch("min-group-size") && opts.MinGroupSize < 1:
		return cmdutil.UsageErrorf("--min-group-size must be at least 1, got %d", opts.MinGroupSize)
	case ch("test-fraction") && !(opts.TestFraction > 0 && opts.TestFraction < 1):
		return cmdutil.UsageErrorf("--test-fraction must be between 0 and 1 (exclusive), got %v", opts.TestFraction)
	case ch("n") && opts.N < 1:
		return cmdutil.UsageErrorf("--n must be at least 1, got %d", opts.N)
	case ch("min-interactions") && opts.MinInteractions < 0:
		return cmdutil.UsageErrorf("--min-interactions must not be negative, got %d", opts.MinInteractions)
	}
	for _, a := range opts.Algos {
		if _, err := parseAlgo(a); err != nil {
			return err
		}
	}
	return nil
}

// algoFlag is one parsed --algo value.
type algoFlag struct {
	name, algo string
	params     []libaudit.SpecParam
}

// parseAlgo parses [NAME=]ALGO[:PARAM=VALUE,...].
func parseAlgo(s string) (algoFlag, error) {
	var a algoFlag
	head, rest, hasParams := strings.Cut(s, ":")
	if name, algo, ok := strings.Cut(head, "="); ok {
		a.name, a.algo = name, algo
	} else {
		a.algo = head
	}
	if a.algo == "" || (a.name == "" && strings.Contains(head, "=")) {
		return a, cmdutil.UsageErrorf("--algo %q: want [NAME=]ALGO[:PARAM=VALUE,...], such as knn=itemknn:neighbors=100", s)
	}
	if hasParams {
		for _, kv := range strings.Split(rest, ",") {
			k, v, ok := strings.Cut(kv, "=")
			if !ok || k == "" {
				return a, cmdutil.UsageErrorf("--algo %q: parameter %q is not PARAM=VALUE", s, kv)
			}
			a.params = append(a.params, libaudit.SpecParam{Name: k, Value: v})
		}
	}
	return a, nil
}

// spec reads the spec file (or starts from the demo audit) and applies
// the flags that were given, recording them as the fields' sources.
func (opts *AuditOptions) spec() (*libaudit.Spec, error) {
	s := libaudit.DefaultSpec()
	if opts.SpecFile != "" {
		var err error
		if s, err = libaudit.ReadSpec(opts.SpecFile); err != nil {
			return nil, err
		}
	}
	ch := opts.changed
	// Paths given by flags are relative to the current directory, those
	// of the spec to its directory.
	flagPath := func(p string) string {
		if p == "" || s.BaseDir == "" || filepath.IsAbs(p) {
			return p
		}
		if abs, err := filepath.Abs(p); err == nil {
			return abs
		}
		return p
	}
	if ch("data") || ch("interactions") {
		s.Dataset = libaudit.DatasetSpec{Dir: flagPath(opts.Data), Interactions: flagPath(opts.Interactions),
			Users: flagPath(opts.Users), Items: flagPath(opts.Items), Roles: s.Dataset.Roles, Duplicates: s.Dataset.Duplicates}
		flag := "--data"
		if ch("interactions") {
			flag = "--interactions"
		}
		s.SetFlag("dataset", flag)
	}
	if ch("role") {
		s.Dataset.Roles = nil
		for _, col := range slices.Sorted(maps.Keys(opts.Roles)) {
			s.Dataset.Roles = append(s.Dataset.Roles, libaudit.RoleSpec{Column: col, Role: opts.Roles[col].String()})
		}
		s.SetFlag("dataset.roles", "--role")
	}
	if ch("algo") || ch("recs") {
		s.Systems = nil
		for _, a := range opts.Algos {
			p, _ := parseAlgo(a) // checked in checkFlags
			s.Systems = append(s.Systems, libaudit.SystemSpec{Name: p.name, Algo: p.algo, Params: p.params})
		}
		for _, f := range opts.Recs {
			s.Systems = append(s.Systems, libaudit.SystemSpec{File: flagPath(f)})
		}
		flag := "--algo"
		if !ch("algo") {
			flag = "--recs"
		}
		s.SetFlag("systems", flag)
	}
	if ch("k") || ch("cutoffs") {
		s.Cutoffs = slices.Clone(opts.Cutoffs)
		s.K = nil
		s.SetFlag("cutoffs", "--k")
		s.SetFlag("k", "--k")
	}
	if ch("seed") {
		s.Seed = opts.Seed
		s.SetFlag("seed", "--seed")
	}
	if ch("resamples") {
		s.Statistics.Resamples = opts.Resamples
		s.SetFlag("statistics.resamples", "--resamples")
	}
	if ch("permutations") {
		s.Statistics.Permutations = opts.Permutations
		s.SetFlag("statistics.permutations", "--permutations")
	}
	if ch("min-group-size") {
		s.Groups.MinGroupSize = opts.MinGroupSize
		s.SetFlag("groups.min_group_size", "--min-group-size")
	}
	if ch("sensitive") {
		s.Groups.Sensitive = slices.Clone(opts.Sensitive)
		s.SetFlag("groups.sensitive", "--sensitive")
	}
	for _, f := range []struct {
		flag, field string
		set         func()
	}{
		{"split", "split.kind", func() { s.Split.Kind = opts.Split.String() }},
		{"test-fraction", "split.fraction", func() { s.Split.Fraction = opts.TestFraction }},
		{"n", "split.n", func() { s.Split.N = opts.N }},
		{"cutoff", "split.cutoff", func() { s.Split.Cutoff = opts.Cutoff }},
		{"min-interactions", "split.min_interactions", func() { s.Split.MinInteractions = opts.MinInteractions }},
	} {
		if ch(f.flag) {
			f.set()
			s.SetFlag(f.field, "--"+f.flag)
		}
	}
	return s, nil
}

// key returns the pseudonymisation key: the flag's, else the environment
// variable's; nil for none.
func (opts *AuditOptions) key() []byte {
	k := opts.PseudonymizeKey
	if k == "" && opts.Getenv != nil {
		k = opts.Getenv(KeyEnv)
	}
	if k == "" {
		return nil
	}
	return []byte(k)
}

// stageLabels are the progress labels of the audit's stages.
var stageLabels = map[string]string{
	libaudit.StageDataset:  "Loading the dataset",
	libaudit.StageSplit:    "Splitting the interactions",
	libaudit.StageGroups:   "Reading the groups",
	libaudit.StageFinalize: "Correcting for multiple testing and writing the findings",
}

func auditRun(ctx context.Context, opts *AuditOptions) error {
	start := opts.Now()
	spec, err := opts.spec()
	if err != nil {
		return err
	}
	// Refuse an existing report, and an unreadable policy or baseline,
	// before the work, not after.
	if err := cmdutil.CheckReportDir(opts.Out, opts.Force); err != nil {
		return err
	}
	if opts.Gate.Policy != "" {
		if _, err := libgate.ReadPolicy(opts.Gate.Policy); err != nil {
			return err
		}
		if opts.Gate.Baseline != "" {
			if _, err := libgate.ReadResult(opts.Gate.Baseline); err != nil {
				return err
			}
		}
	}
	progress := cmdutil.NewProgress(opts.IO, opts.Now, opts.Quiet)
	defer progress.Stop()
	ro := libaudit.RunOptions{
		ToolVersion: version.Version,
		Registry:    opts.Registry,
		LoadOptions: []datasets.Option{datasets.WithAllocator(opts.Allocator)},
		Now:         opts.Now,
		Progress: func(stage string, done, total int) {
			switch {
			case stage == libaudit.StageSystems && done == 0:
				progress.Start(fmt.Sprintf("Running %d systems (0/%d done)", total, total))
			case stage == libaudit.StageSystems:
				progress.Update(fmt.Sprintf("Running %d systems (%d/%d done)", total, done, total))
			case done == 0:
				label := stageLabels[stage]
				if stage == libaudit.StageDataset && spec.Dataset.Demo != nil {
					label = "Generating the demo shop"
				}
				progress.Start(label)
			}
		},
	}
	out, err := libaudit.Run(ctx, spec, ro)
	if err != nil {
		return err
	}
	progress.Start("Writing " + opts.Out)
	err = atomicfile.WriteDir(opts.Out, opts.Force, func(dir string) error { return opts.write(ctx, dir, out) })
	if errors.Is(err, atomicfile.ErrExists) {
		return cmdutil.UsageErrorf("%s already exists and is not empty; use --force to replace it", opts.Out)
	}
	if err != nil {
		return err
	}
	progress.Stop()
	if !opts.Quiet {
		r := out.Result
		fmt.Fprintf(opts.IO.ErrOut, "Audited %s on %s (%s, %s): %s from %s; wrote %s in %s\n",
			plural(len(r.Systems), "system"), r.Dataset.Name, plural(r.Dataset.Users, "user"), plural(r.Dataset.Items, "item"),
			plural(len(r.Findings), "finding"), plural(r.Tests.Count, "test"), opts.Out, opts.Now().Sub(start).Round(100*time.Millisecond))
	}
	if opts.Gate.Policy != "" {
		return gate.Apply(&opts.Gate, out.Result)
	}
	return nil
}

// write writes every output of the audit into dir: results.json, the
// per-user table, the report (when Render is set) and timings.json, whose
// stages "write" (results.json and the per-user table) and "report" time
// the first three. It returns ctx.Err() when ctx is cancelled before it
// is done (an interrupt while writing), so that no report is left.
func (opts *AuditOptions) write(ctx context.Context, dir string, out *libaudit.Outcome) error {
	start := opts.Now()
	if err := writeFile(filepath.Join(dir, ResultsFile), func(w io.Writer) error { return libaudit.WriteJSON(w, out.Result) }); err != nil {
		return err
	}
	schema, batches := perUserTable(opts.Allocator, out, opts.key())
	ext := ".arrow"
	if opts.Format == datasets.FormatParquet {
		ext = ".parquet"
	}
	err := datasets.WriteTable(filepath.Join(dir, PerUserBase+ext), schema, batches, datasets.WithAllocator(opts.Allocator))
	for _, b := range batches {
		b.Release()
	}
	if err != nil {
		return err
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	timings := out.Timings
	secs := opts.Now().Sub(start).Seconds()
	timings.Stages = append(slices.Clone(timings.Stages), libaudit.StageTiming{Stage: "write", Seconds: secs})
	timings.Total += secs
	if opts.Render != nil {
		start := opts.Now()
		if err := opts.Render(out.Result, dir); err != nil {
			return fmt.Errorf("rendering the report: %w", err)
		}
		if err := ctx.Err(); err != nil {
			return err
		}
		secs := opts.Now().Sub(start).Seconds()
		timings.Stages = append(timings.Stages, libaudit.StageTiming{Stage: "report", Seconds: secs})
		timings.Total += secs
	}
	return writeFile(filepath.Join(dir, TimingsFile), func(w io.Writer) error { return cmdutil.WriteJSON(w, timings) })
}

// writeFile creates path and writes it with fn.
func writeFile(path string, fn func(io.Writer) error) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	if err := fn(f); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

// cutoffsValue is the --k flag: comma-separated cutoffs, each at least 1
// and distinct.
type cutoffsValue struct{ p *[]int }

func (v *cutoffsValue) Set(s string) error {
	var out []int
	for _, f := range strings.Split(s, ",") {
		k, err := strconv.Atoi(strings.TrimSpace(f))
		if err != nil || k < 1 {
			return fmt.Errorf("cutoff %q is not a whole number >= 1", f)
		}
		if slices.Contains(out, k) {
			return fmt.Errorf("cutoff %d given twice", k)
		}
		out = append(out, k)
	}
	*v.p = out
	return nil
}

func (v *cutoffsValue) String() string {
	s := make([]string, len(*v.p))
	for i, k := range *v.p {
		s[i] = strconv.Itoa(k)
	}
	return strings.Join(s, ",")
}

func (v *cutoffsValue) Type() string { return "cutoffs" }

// plural returns "1 test" or "3 tests".
func plural(n int, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	return strconv.Itoa(n) + " " + noun + "s"
}
