package audit

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/recaudit/recaudit/datasets"
	"github.com/recaudit/recaudit/datasets/demo"
	"github.com/recaudit/recaudit/recommenders"
	"github.com/recaudit/recaudit/recommenders/all"
)

// Stages of Run, as reported to RunOptions.Progress and in Timings.
const (
	StageDataset  = "dataset"  // load the files or generate the demo shop
	StageSplit    = "split"    // split the interactions into train and test
	StageGroups   = "groups"   // read the user and item groups
	StageSystems  = "systems"  // fit, recommend and score every system
	StageFinalize = "finalize" // multiple-testing correction and findings
)

// RunOptions are the settings of Run that are not part of the audit: how
// it runs, not what it computes.
type RunOptions struct {
	// ToolVersion is recorded in the result.
	ToolVersion string
	// Registry holds the algorithms systems may name; nil means
	// all.Default().
	Registry *recommenders.Registry
	// LoadOptions are passed to datasets.Load after the spec's own (for
	// example datasets.WithAllocator).
	LoadOptions []datasets.Option
	// Parallel is the number of systems run at once; 0 means two when
	// GOMAXPROCS is at least two, else one. The result does not depend
	// on it.
	Parallel int
	// Progress, when not nil, is told when a stage starts (done 0) and as
	// it advances (done of total units: systems for StageSystems, else 1).
	// Calls are serialised; they come from Run's goroutines.
	Progress func(stage string, done, total int)
	// Now is the clock of the timings; nil means time.Now. Run serialises
	// its calls.
	Now func() time.Time
}

// Outcome is what Run returns: the result document, the data it needs
// beside it, and how long each stage took.
type Outcome struct {
	// Result is the results.json document, with the effective spec and
	// the data-minimisation record; each system's per-user table is in
	// Result.Systems[i].PerUser.
	Result *Result
	// Users are the dataset's user IDs: row u of every per-user table is
	// user Users[u].
	Users *datasets.IDs
	// Fallback[i][u] reports whether user u was served the
	// non-personalised fallback by system i (no consent to
	// personalisation); nil for systems read from a file.
	Fallback [][]bool
	// Timings are the measured durations, which differ between runs.
	Timings Timings
}

// Timings are the wall-clock durations of an audit, in seconds.
type Timings struct {
	Stages  []StageTiming  `json:"stages"`
	Systems []SystemTiming `json:"systems"`
	Total   float64        `json:"total_seconds"`
}

// StageTiming is the duration of one stage.
type StageTiming struct {
	Stage   string  `json:"stage"`
	Seconds float64 `json:"seconds"`
}

// SystemTiming is the time spent on one system: making its lists (fit
// and recommend, or reading its file), scoring them, and probing them
// (the consent and attribute-inference probes). Systems run in parallel,
// so the sum over systems can exceed the systems stage.
type SystemTiming struct {
	System    string  `json:"system"`
	Recommend float64 `json:"recommend_seconds"`
	Score     float64 `json:"score_seconds"`
	Probes    float64 `json:"probes_seconds"`
}

// Run runs the audit spec describes: it loads the dataset (or generates
// the demo shop), splits its interactions, reads the groups, and for
// each system makes its lists and scores them with [Score]; then it
// builds the [Result] ([NewResult], the systems in spec order,
// [Result.Finalize]) with the effective spec and the data-minimisation
// record.
//
// Built-in algorithms and exec systems are fitted on the training split
// (a recommenders.TrainView: interactions and item attributes only) and
// asked for the top-k lists of every user with a test interaction through
// recommenders.Run, so users who did not consent to personalisation get
// the non-personalised fallback; exec systems run through the
// recommenders.Exec adapter. File systems are read with
// datasets.ReadRecommendations, one system per system value of the file.
// Each system's lists are then probed as the spec's probes section says
// ([ProbeLists]; exec systems are also run again by the consent probe).
// Systems run opts.Parallel at a time.
//
// The result depends only on the spec and the data: the same inputs and
// seed give a byte-identical result document whatever GOMAXPROCS and
// opts.Parallel are. Run checks the spec first (see [Spec.Check]) and the
// columns it names after loading the data; problems with the spec are
// *SpecError values. It returns ctx.Err() when ctx is cancelled, and the
// errors of the loaders, recommenders and scorer, wrapped with the
// system's name. Run does not modify spec.
func Run(ctx context.Context, spec *Spec, opts RunOptions) (*Outcome, error) {
	reg := opts.Registry
	if reg == nil {
		reg = all.Default()
	}
	now := time.Now
	if opts.Now != nil {
		// The systems' goroutines read the clock: serialise the calls.
		var mu sync.Mutex
		now = func() time.Time {
			mu.Lock()
			defer mu.Unlock()
			return opts.Now()
		}
	}
	pl, err := spec.compile(reg)
	if err != nil {
		return nil, err
	}
	r := &runner{spec: spec, pl: pl, reg: reg, opts: opts, now: now}
	return r.run(ctx)
}

// runner holds the state of one Run.
type runner struct {
	spec *Spec
	pl   *plan
	reg  *recommenders.Registry
	opts RunOptions
	now  func() time.Time

	mu     sync.Mutex // serialises progress calls
	out    Outcome
	probes Probes // set after the groups stage
}

func (r *runner) progress(stage string, done, total int) {
	if r.opts.Progress == nil {
		return
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	r.opts.Progress(stage, done, total)
}

// stage runs fn as the named stage, timing it.
func (r *runner) stage(ctx context.Context, name string, fn func() error) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	if name != StageSystems {
		r.progress(name, 0, 1)
	}
	start := r.now()
	if err := fn(); err != nil {
		return err
	}
	r.out.Timings.Stages = append(r.out.Timings.Stages, StageTiming{Stage: name, Seconds: r.now().Sub(start).Seconds()})
	if name != StageSystems {
		r.progress(name, 1, 1)
	}
	return ctx.Err()
}

func (r *runner) run(ctx context.Context) (*Outcome, error) {
	start := r.now()
	spec, pl := r.spec, r.pl
	var (
		d           *datasets.Dataset
		files       []FileInfo
		train, test datasets.CSR
		st          datasets.SplitStats
		g           *Groups
		gc          GroupsConfig
	)
	err := r.stage(ctx, StageDataset, func() error {
		var err error
		d, files, err = r.loadDataset(ctx)
		return err
	})
	if err != nil {
		return nil, err
	}
	err = r.stage(ctx, StageSplit, func() error {
		var err error
		train, test, st, err = pl.split.Apply(&d.Interactions)
		if err != nil {
			return spec.errAt("split", err.Error(), "", err)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	err = r.stage(ctx, StageGroups, func() error {
		var err error
		if gc, err = spec.groupsFor(d, pl.groups); err != nil {
			return err
		}
		if g, err = NewGroups(d, gc); err != nil {
			return spec.errAt("groups", strings.TrimPrefix(err.Error(), ErrGroups.Error()+": "), "", err)
		}
		return r.setProbes(gc)
	})
	if err != nil {
		return nil, err
	}

	in := Input{Dataset: d, Train: &train, Test: &test}
	var results [][]systemOutcome
	err = r.stage(ctx, StageSystems, func() error {
		var err error
		results, err = r.runSystems(ctx, in, g)
		return err
	})
	if err != nil {
		return nil, err
	}

	res := NewResult(r.opts.ToolVersion, pl.name, d, pl.split, st, g, pl.cfg, spec.Seed)
	res.Dataset.Files = files
	res.DataAccess = append(res.DataAccess, splitAccess(d, pl.split)...)
	seen := map[string]int{}
	for i, outs := range results {
		for _, o := range outs {
			if j, dup := seen[o.res.Name]; dup {
				return nil, spec.errAt(index("systems", i), fmt.Sprintf("system name %q is already used by systems[%d]", o.res.Name, j),
					"give each system a distinct name (a file's systems are named by its system column)", nil)
			}
			seen[o.res.Name] = pl.systems[i].index
			res.Systems = append(res.Systems, o.res)
			res.DataAccess = append(res.DataAccess, o.access...)
			r.out.Fallback = append(r.out.Fallback, o.fallback)
			r.out.Timings.Systems = append(r.out.Timings.Systems, SystemTiming{System: o.res.Name, Recommend: o.recommend, Score: o.score, Probes: o.probes})
		}
	}
	res.DataAccess = append(res.DataAccess, scoringAccess(d, &test, g)...)
	res.DataAccess = append(res.DataAccess, r.probesAccess(d)...)
	err = r.stage(ctx, StageFinalize, func() error {
		res.Finalize()
		res.Spec = r.effective(d, gc, results)
		return nil
	})
	if err != nil {
		return nil, err
	}
	r.out.Result = res
	r.out.Users = d.Users
	r.out.Timings.Total = r.now().Sub(start).Seconds()
	return &r.out, nil
}

// loadDataset generates the demo shop or loads the files, and returns
// the provenance of the files read.
func (r *runner) loadDataset(ctx context.Context) (*datasets.Dataset, []FileInfo, error) {
	spec, pl := r.spec, r.pl
	if pl.demo != nil {
		d, err := demo.Generate(ctx, *pl.demo)
		if err != nil {
			if errors.Is(err, demo.ErrConfig) {
				return nil, nil, spec.errAt("dataset.demo", strings.TrimPrefix(err.Error(), demo.ErrConfig.Error()+": "), "", err)
			}
			return nil, nil, err
		}
		return d, []FileInfo{}, nil
	}
	d, err := datasets.Load(pl.paths, append(slices.Clone(pl.load), r.opts.LoadOptions...)...)
	if err != nil {
		field := "dataset"
		var de *datasets.Error
		if errors.As(err, &de) {
			switch de.File {
			case pl.paths.Interactions:
				field = "dataset.interactions"
			case pl.paths.Users:
				field = "dataset.users"
			case pl.paths.Items:
				field = "dataset.items"
			}
			if spec.Dataset.Dir != "" {
				field = "dataset.dir"
			}
		}
		return nil, nil, spec.errAt(field, err.Error(), "", err)
	}
	files := []FileInfo{}
	for _, f := range []struct{ role, path string }{{"interactions", pl.paths.Interactions}, {"users", pl.paths.Users}, {"items", pl.paths.Items}} {
		if f.path == "" {
			continue
		}
		fi, err := FileProvenance(f.role, f.path)
		if err != nil {
			return nil, nil, err
		}
		files = append(files, fi)
	}
	return d, files, nil
}

// systemOutcome is one scored system.
type systemOutcome struct {
	res       *SystemResult
	fallback  []bool
	access    []DataAccess
	recommend float64
	score     float64
	probes    float64
}

// runSystems runs every system, Parallel at a time, and returns the
// outcomes by system of the plan (a file may give several).
func (r *runner) runSystems(ctx context.Context, in Input, g *Groups) ([][]systemOutcome, error) {
	n := len(r.pl.systems)
	par := r.opts.Parallel
	if par <= 0 {
		par = min(2, runtime.GOMAXPROCS(0))
	}
	par = min(par, n)
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	results := make([][]systemOutcome, n)
	errs := make([]error, n)
	jobs := make(chan int)
	var wg sync.WaitGroup
	var done int
	r.progress(StageSystems, 0, n)
	for range par {
		wg.Go(func() {
			for i := range jobs {
				if ctx.Err() != nil {
					errs[i] = ctx.Err()
					continue
				}
				results[i], errs[i] = r.runSystem(ctx, in, g, r.pl.systems[i])
				if errs[i] != nil {
					cancel()
					continue
				}
				r.mu.Lock()
				done++
				d := done
				r.mu.Unlock()
				r.progress(StageSystems, d, n)
			}
		})
	}
	for i := range n {
		jobs <- i
	}
	close(jobs)
	wg.Wait()
	// The first error in spec order, preferring a real one to the
	// cancellations it caused.
	var first error
	for _, err := range errs {
		if err != nil && !errors.Is(err, context.Canceled) {
			return nil, err
		}
		if err != nil && first == nil {
			first = err
		}
	}
	if first != nil {
		return nil, first
	}
	return results, nil
}

// testUsers returns the users with a test interaction, ascending.
func testUsers(test *datasets.CSR) []int32 {
	var users []int32
	for u := range test.Rows {
		if test.Len(u) > 0 {
			users = append(users, int32(u))
		}
	}
	return users
}

// runSystem makes one planned system's lists and scores them.
func (r *runner) runSystem(ctx context.Context, in Input, g *Groups, sp systemPlan) ([]systemOutcome, error) {
	d := in.Dataset
	start := r.now()
	var outs []systemOutcome
	if sp.file != "" {
		runs, err := datasets.ReadRecommendations(sp.file, d.Users, d.Items)
		if err != nil {
			return nil, r.spec.errAt(index("systems", sp.index)+".file", err.Error(), "", err)
		}
		given := r.spec.systemSpec(sp.index)
		var kept []datasets.Rankings
		for _, run := range runs {
			if sp.system != "" && run.System != sp.system {
				continue
			}
			if run.Sample != 0 {
				return nil, r.spec.errAt(index("systems", sp.index)+".file", fmt.Sprintf("%s holds repeated stochastic rankings (sample column); the audit scores one ranking per system", given.File),
					"keep one sample per system", datasets.ErrValue)
			}
			kept = append(kept, run)
		}
		if len(kept) == 0 {
			var have []string
			for _, run := range runs {
				have = append(have, run.System)
			}
			return nil, r.spec.errAt(index("systems", sp.index)+".system", fmt.Sprintf("%s has no system %q", given.File, sp.system),
				suggest(sp.system, have, "its systems"), datasets.ErrValue)
		}
		if sp.name != "" && len(kept) > 1 {
			return nil, r.spec.errAt(index("systems", sp.index)+".name", fmt.Sprintf("%s holds %d systems; one name cannot name them all", given.File, len(kept)),
				"select one with system: NAME, or leave the name out", nil)
		}
		elapsed := r.now().Sub(start).Seconds() / float64(len(kept))
		for _, run := range kept {
			name := sp.name
			if name == "" {
				name = run.System
			}
			if name == "" {
				base := filepath.Base(given.File)
				name = strings.TrimSuffix(base, filepath.Ext(base))
			}
			params := []Param{{Name: "file", Value: given.File}}
			if run.System != "" {
				params = append(params, Param{Name: "system", Value: run.System})
			}
			o := systemOutcome{access: fileAccess(name, given.File), recommend: elapsed}
			sys := System{Name: name, Params: params, Rankings: run}
			if err := r.score(ctx, in, g, &o, sys); err != nil {
				return nil, err
			}
			if err := r.probe(ctx, in, g, &o, sys, sp, nil); err != nil {
				return nil, err
			}
			outs = append(outs, o)
		}
		return outs, nil
	}

	settings := sp.params
	if sp.program != "" {
		cmd := slices.Clone(sp.values.Strs("command"))
		cmd[0] = sp.program
		settings = maps.Clone(settings)
		settings["command"] = cmd
	}
	rec, err := r.reg.New(sp.algo, settings)
	if err != nil {
		return nil, r.spec.errAt(index("systems", sp.index), err.Error(), "", err)
	}
	if s, ok := rec.(recommenders.IDSetter); ok {
		s.SetIDs(d.Users, d.Items)
	}
	view := &recommenders.TrainView{Interactions: *in.Train, ItemColumns: d.ItemColumns}
	lists, fallback, err := recommenders.Run(ctx, rec, view, testUsers(in.Test), d.Consent(), r.pl.k)
	if err != nil {
		if ctx.Err() != nil {
			return nil, ctx.Err()
		}
		return nil, fmt.Errorf("system %q: %w", sp.name, err)
	}
	var params []Param
	for _, s := range sp.values.Settings() {
		name, value, _ := strings.Cut(s, "=")
		params = append(params, Param{Name: name, Value: value})
	}
	o := systemOutcome{fallback: fallback, recommend: r.now().Sub(start).Seconds()}
	if sp.algo == "exec" {
		o.access = execAccess(sp.name, d, in.Train)
	} else {
		o.access = builtinAccess(sp.name, d, in.Train)
	}
	sys := System{Name: sp.name, Params: params, Rankings: lists}
	if err := r.score(ctx, in, g, &o, sys); err != nil {
		return nil, err
	}
	if err := r.probe(ctx, in, g, &o, sys, sp, rec); err != nil {
		return nil, err
	}
	return []systemOutcome{o}, nil
}

// score scores one system's lists into o.
func (r *runner) score(ctx context.Context, in Input, g *Groups, o *systemOutcome, sys System) error {
	start := r.now()
	res, err := Score(ctx, in, g, sys, r.pl.cfg)
	if err != nil {
		if ctx.Err() != nil {
			return ctx.Err()
		}
		return fmt.Errorf("system %q: %w", sys.Name, err)
	}
	o.res = res
	o.score = r.now().Sub(start).Seconds()
	return nil
}

// systemSpec returns the spec's system i, or the default system i when
// the spec names none.
func (s *Spec) systemSpec(i int) SystemSpec {
	if len(s.Systems) == 0 {
		return DefaultSystems()[i]
	}
	return s.Systems[i]
}
