package audit

import (
	"errors"
	"fmt"
	"io/fs"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"

	"github.com/recaudit/recaudit/datasets"
	"github.com/recaudit/recaudit/datasets/demo"
	"github.com/recaudit/recaudit/fairness"
	"github.com/recaudit/recaudit/metrics"
	"github.com/recaudit/recaudit/recommenders"
	"github.com/recaudit/recaudit/recommenders/all"
)

// plan is a checked spec in typed form: what Run does.
type plan struct {
	demo    *demo.Config
	paths   datasets.Paths
	name    string
	load    []datasets.Option
	split   datasets.Split
	systems []systemPlan
	k       int
	cfg     Config
	groups  GroupsConfig
	probes  probePlan
}

// systemPlan is one checked system.
type systemPlan struct {
	index  int    // in Spec.Systems
	name   string // "" for a file with several systems: named by the file
	algo   string // "" for a file
	params recommenders.Params
	values recommenders.Values
	file   string // resolved path
	system string
	// program is an exec system's program resolved against the spec's
	// directory; "" runs the command as given.
	program string
}

// Check validates everything in s that does not depend on the data: the
// version, the names of variants (split kinds, metrics, conventions,
// exposure models, aggregators, roles), numeric ranges, that the files
// named exist, and each system's algorithm and parameters against reg
// (nil means the built-in registry, all.Default()). Columns are checked by
// Run, after loading the data. Check returns the first problem as a
// *SpecError naming the field and where it was set.
func (s *Spec) Check(reg *recommenders.Registry) error {
	_, err := s.compile(reg)
	return err
}

// path resolves a path of the spec against BaseDir.
func (s *Spec) path(p string) string {
	if p == "" || filepath.IsAbs(p) || s.BaseDir == "" {
		return p
	}
	return filepath.Join(s.BaseDir, p)
}

// mustExist checks that the file or directory at the spec path field
// exists.
func (s *Spec) mustExist(field, p string, dir bool) error {
	fi, err := os.Stat(s.path(p))
	switch {
	case errors.Is(err, fs.ErrNotExist):
		what := "file"
		if dir {
			what = "directory"
		}
		rel := ""
		if s.BaseDir != "" && s.BaseDir != "." && !filepath.IsAbs(p) {
			rel = " (relative paths are relative to the spec file's directory, " + s.BaseDir + ")"
		}
		return s.errAt(field, fmt.Sprintf("%s %s does not exist%s", what, p, rel), "check the path", fs.ErrNotExist)
	case err != nil:
		return s.errAt(field, err.Error(), "check the path and its permissions", err)
	case dir && !fi.IsDir():
		return s.errAt(field, p+" is not a directory", "name a dataset directory, or the tables with interactions, users and items", nil)
	case !dir && fi.IsDir():
		return s.errAt(field, p+" is a directory, not a file", "name a file; a dataset directory goes in dataset.dir", nil)
	}
	return nil
}

func (s *Spec) compile(reg *recommenders.Registry) (*plan, error) {
	if reg == nil {
		reg = all.Default()
	}
	pl := &plan{}
	if s.Version != SpecVersion {
		return nil, s.errAt("version", fmt.Sprintf("version %d is not supported", s.Version), fmt.Sprintf("write \"version: %d\"", SpecVersion), nil)
	}
	if err := s.compileDataset(pl); err != nil {
		return nil, err
	}
	if err := s.compileSplit(pl); err != nil {
		return nil, err
	}
	if err := s.compileCutoffs(pl); err != nil {
		return nil, err
	}
	if err := s.compileMetrics(pl); err != nil {
		return nil, err
	}
	if err := s.compileGroups(pl); err != nil {
		return nil, err
	}
	if err := s.compileExposure(pl); err != nil {
		return nil, err
	}
	if err := s.compileStatistics(pl); err != nil {
		return nil, err
	}
	if err := s.compileProbes(pl); err != nil {
		return nil, err
	}
	if err := s.compileSystems(pl, reg); err != nil {
		return nil, err
	}
	return pl, nil
}

func (s *Spec) compileDataset(pl *plan) error {
	ds := &s.Dataset
	files := ds.Dir != "" || ds.Interactions != "" || ds.Users != "" || ds.Items != ""
	switch {
	case ds.Demo != nil && files:
		return s.errAt("dataset", "names both files and the demo generator", "give either dir (or interactions, users, items) or demo", nil)
	case ds.Dir != "" && (ds.Interactions != "" || ds.Users != "" || ds.Items != ""):
		return s.errAt("dataset.dir", "names both a directory and table files", "give either dir or interactions (with users and items)", nil)
	case !files && ds.Demo == nil:
		return s.errAt("dataset", "names no data", "give dir, interactions (with users and items) or demo", nil)
	case ds.Interactions == "" && (ds.Users != "" || ds.Items != ""):
		return s.errAt("dataset.interactions", "missing: users and items tables need the interactions table", "add interactions: FILE", nil)
	}
	pol, ok := lookup(duplicateChoices, ds.Duplicates)
	if !ok {
		return s.errAt("dataset.duplicates", fmt.Sprintf("unknown policy %q", ds.Duplicates), suggest(ds.Duplicates, names(duplicateChoices), "policies"), nil)
	}
	pl.load = []datasets.Option{datasets.WithDuplicates(pol)}
	if len(ds.Roles) > 0 {
		roles := map[string]datasets.Role{}
		for i, r := range ds.Roles {
			role, err := datasets.ParseRole(r.Role)
			if err != nil {
				return s.errAt(index("dataset.roles", i), fmt.Sprintf("column %q: unknown role %q", r.Column, r.Role),
					suggest(r.Role, roleNames, "roles"), nil)
			}
			if _, dup := roles[r.Column]; dup {
				return s.errAt(index("dataset.roles", i), fmt.Sprintf("column %q is given a role twice", r.Column), "remove one", nil)
			}
			roles[r.Column] = role
		}
		pl.load = append(pl.load, datasets.WithRoles(roles))
	}
	if ds.Demo != nil {
		dm := ds.Demo
		pl.demo = &demo.Config{Users: dm.Users, Items: dm.Items, Interactions: dm.Interactions, Seed: dm.Seed,
			MinPerUser: dm.MinPerUser, Clusters: dm.Clusters,
			Effects: demo.Effects{AgeActivity: dm.Effects.AgeActivity, BrandPopularity: dm.Effects.BrandPopularity,
				CategoryTaste: dm.Effects.CategoryTaste, CreditPropensity: dm.Effects.CreditPropensity}}
		pl.name = "demo"
		if len(ds.Roles) > 0 {
			return s.errAt("dataset.roles", "roles apply to files; the demo shop's roles are fixed", "remove roles, or use a dataset written by recaudit data generate", nil)
		}
	} else if ds.Dir != "" {
		if err := s.mustExist("dataset.dir", ds.Dir, true); err != nil {
			return err
		}
		p, err := datasets.Locate(s.path(ds.Dir))
		if err != nil {
			return s.errAt("dataset.dir", err.Error(), "", err)
		}
		pl.paths = p
		pl.name = filepath.Base(filepath.Clean(ds.Dir))
	} else {
		for _, f := range []struct{ field, p string }{{"dataset.interactions", ds.Interactions}, {"dataset.users", ds.Users}, {"dataset.items", ds.Items}} {
			if f.p == "" {
				continue
			}
			if err := s.mustExist(f.field, f.p, false); err != nil {
				return err
			}
		}
		pl.paths = datasets.Paths{Interactions: s.path(ds.Interactions), Users: s.path(ds.Users), Items: s.path(ds.Items)}
		base := filepath.Base(ds.Interactions)
		pl.name = strings.TrimSuffix(base, filepath.Ext(base))
	}
	if ds.Name != "" {
		pl.name = ds.Name
	}
	return nil
}

var roleNames = []string{"sensitive", "attribute", "consent", "item_group", "flag", "value", "timestamp", "user_id", "item_id", "ignore"}

func (s *Spec) compileSplit(pl *plan) error {
	sp := s.Split
	kind, ok := lookup(splitChoices, sp.Kind)
	if !ok {
		return s.errAt("split.kind", fmt.Sprintf("unknown split kind %q", sp.Kind), suggest(sp.Kind, names(splitChoices), "kinds"), nil)
	}
	switch {
	case !(sp.Fraction > 0 && sp.Fraction < 1):
		return s.errAt("split.fraction", fmt.Sprintf("%v is out of range (0, 1)", sp.Fraction), "give the share of interactions held out for test, such as 0.2", nil)
	case sp.N < 1:
		return s.errAt("split.n", fmt.Sprintf("%d is out of range [1, +inf)", sp.N), "give the number of interactions held out per user", nil)
	case sp.MinInteractions < 0:
		return s.errAt("split.min_interactions", fmt.Sprintf("%d is negative", sp.MinInteractions), "0 means the kind's minimum; N keeps users with fewer than N interactions whole, in train", nil)
	}
	seed := s.Seed
	if sp.Seed != nil {
		seed = *sp.Seed
	}
	pl.split = datasets.Split{Kind: kind, Fraction: sp.Fraction, N: sp.N, Cutoff: sp.Cutoff, MinInteractions: sp.MinInteractions, Seed: seed}
	return nil
}

func (s *Spec) compileCutoffs(pl *plan) error {
	if len(s.Cutoffs) == 0 {
		return s.errAt("cutoffs", "no cutoffs", "give the list lengths to score, such as [10, 20]", nil)
	}
	for i, k := range s.Cutoffs {
		f := index("cutoffs", i)
		if k < 1 || k > metrics.MaxCutoff {
			return s.errAt(f, fmt.Sprintf("%d is out of range [1, %d]", k, metrics.MaxCutoff), fmt.Sprintf("give list lengths between 1 and %d, such as [10, 20]", metrics.MaxCutoff), nil)
		}
		if slices.Contains(s.Cutoffs[:i], k) {
			return s.errAt(f, fmt.Sprintf("cutoff %d is given twice", k), "remove one of them", nil)
		}
	}
	pl.k = slices.Max(s.Cutoffs)
	if s.K != nil {
		if *s.K < pl.k {
			return s.errAt("k", fmt.Sprintf("list length %d is shorter than the largest cutoff %d", *s.K, pl.k),
				fmt.Sprintf("give k >= %d, or leave it out", pl.k), nil)
		}
		pl.k = *s.K
	}
	pl.cfg.Cutoffs = slices.Clone(s.Cutoffs)
	return nil
}

// measures decodes a list of measure names ("all" for every one).
func (s *Spec) measures(field string, list []string) ([]metrics.Measure, error) {
	var out []metrics.Measure
	for i, name := range list {
		f := index(field, i)
		if name == "all" {
			for _, m := range metrics.AllMeasures() {
				if !slices.Contains(out, m) {
					out = append(out, m)
				}
			}
			continue
		}
		m, ok := lookup(measureChoices, strings.ToLower(name))
		if !ok {
			return nil, s.errAt(f, fmt.Sprintf("unknown metric %q", name), suggest(name, append(names(measureChoices), "all"), "metrics"), nil)
		}
		if slices.Contains(out, m) {
			return nil, s.errAt(f, fmt.Sprintf("metric %q is given twice", name), "remove one of them", nil)
		}
		out = append(out, m)
	}
	if len(out) == 0 {
		return nil, s.errAt(field, "no metrics", "name at least one, or write all", nil)
	}
	return out, nil
}

// convention decodes one named convention into p, leaving it when name
// is "".
func convention[T any](s *Spec, field, name string, choices []named[T], p *T) error {
	if name == "" {
		return nil
	}
	v, ok := lookup(choices, name)
	if !ok {
		return s.errAt(field, fmt.Sprintf("unknown value %q", name), suggest(name, names(choices), "values"), nil)
	}
	*p = v
	return nil
}

func (s *Spec) compileMetrics(pl *plan) error {
	m := s.Metrics
	var err error
	if pl.cfg.Measures, err = s.measures("metrics.measures", m.Measures); err != nil {
		return err
	}
	if pl.cfg.GroupMeasures, err = s.measures("metrics.group_measures", m.GroupMeasures); err != nil {
		return err
	}
	for i, g := range pl.cfg.GroupMeasures {
		if !slices.Contains(pl.cfg.Measures, g) {
			return s.errAt(index("metrics.group_measures", i), fmt.Sprintf("metric %q is analysed by group but not among metrics.measures", g),
				"add it to metrics.measures", nil)
		}
	}
	prof, ok := lookup(profileChoices, m.Profile)
	if !ok {
		return s.errAt("metrics.profile", fmt.Sprintf("unknown profile %q", m.Profile), suggest(m.Profile, names(profileChoices), "profiles"), nil)
	}
	mc := prof.Config()
	c := m.Conventions
	for _, err := range []error{
		convention(s, "metrics.conventions.precision", c.Precision, precisionChoices, &mc.Precision),
		convention(s, "metrics.conventions.recall", c.Recall, recallChoices, &mc.Recall),
		convention(s, "metrics.conventions.ap", c.AP, apChoices, &mc.AP),
		convention(s, "metrics.conventions.gain", c.Gain, gainChoices, &mc.Gain),
		convention(s, "metrics.conventions.discount", c.Discount, discountChoices, &mc.Discount),
		convention(s, "metrics.conventions.ideal", c.Ideal, idealChoices, &mc.Ideal),
		convention(s, "metrics.conventions.no_relevant", c.NoRelevant, noRelevantChoices, &mc.NoRelevant),
		convention(s, "metrics.conventions.no_list", c.NoList, noListChoices, &mc.NoList),
	} {
		if err != nil {
			return err
		}
	}
	switch {
	case c.RelevanceThreshold < 0 || math.IsNaN(c.RelevanceThreshold) || math.IsInf(c.RelevanceThreshold, 0):
		return s.errAt("metrics.conventions.relevance_threshold", fmt.Sprintf("%v is out of range [0, +inf)", c.RelevanceThreshold), "0 means 1: every interaction is relevant", nil)
	case c.Patience != 0 && !(c.Patience > 0 && c.Patience < 1):
		return s.errAt("metrics.conventions.patience", fmt.Sprintf("%v is out of range (0, 1)", c.Patience), fmt.Sprintf("0 means the default %v", metrics.DefaultPatience), nil)
	case !(m.CalibrationAlpha > 0 && m.CalibrationAlpha < 1):
		return s.errAt("metrics.calibration_alpha", fmt.Sprintf("%v is out of range (0, 1)", m.CalibrationAlpha), "the usual value is 0.01", nil)
	case !(m.HeadShare > 0 && m.HeadShare <= 1):
		return s.errAt("metrics.head_share", fmt.Sprintf("%v is out of range (0, 1]", m.HeadShare), "the usual value is 0.8", nil)
	}
	if c.RelevanceThreshold != 0 {
		mc.Threshold = c.RelevanceThreshold
	}
	if c.Patience != 0 {
		mc.Patience = c.Patience
	}
	pl.cfg.Metrics = mc
	pl.cfg.Calibration = fairness.Calibration{Alpha: m.CalibrationAlpha}
	pl.cfg.HeadShare = m.HeadShare
	return nil
}

func (s *Spec) compileGroups(pl *plan) error {
	g := s.Groups
	if g.MinGroupSize < 0 {
		return s.errAt("groups.min_group_size", fmt.Sprintf("%d is negative", g.MinGroupSize), fmt.Sprintf("0 means the default %d", DefaultMinGroupSize), nil)
	}
	gc := GroupsConfig{Sensitive: slices.Clone(g.Sensitive), ItemGroups: slices.Clone(g.ItemGroups), Flags: slices.Clone(g.Flags),
		Category: g.Category, MinGroupSize: g.MinGroupSize}
	for _, list := range []struct {
		field string
		names []string
	}{{"groups.sensitive", g.Sensitive}, {"groups.item_groups", g.ItemGroups}, {"groups.flags", g.Flags}} {
		for i, n := range list.names {
			if slices.Contains(list.names[:i], n) {
				return s.errAt(index(list.field, i), fmt.Sprintf("column %q is given twice", n), "remove one of them", nil)
			}
		}
	}
	for i, b := range g.Bins {
		f := index("groups.bins", i)
		switch {
		case (len(b.Edges) > 0) == (b.Quantiles > 0):
			return s.errAt(f, fmt.Sprintf("column %q: give bin edges or a number of quantile bins, not both or neither", b.Column), "write edges: [18, 35, .inf] or quantiles: 4", nil)
		case b.Quantiles == 1 || b.Quantiles < 0:
			return s.errAt(f+".quantiles", fmt.Sprintf("%d is out of range [2, +inf)", b.Quantiles), "give 2 or more quantile bins, such as 4", nil)
		case len(b.Edges) == 1:
			return s.errAt(f+".edges", "one edge makes no bin", "give at least two edges, such as [18, 35, .inf]", nil)
		}
		for j := 1; j < len(b.Edges); j++ {
			if !(b.Edges[j] > b.Edges[j-1]) {
				return s.errAt(index(f+".edges", j), fmt.Sprintf("edge %v does not exceed the one before, %v", b.Edges[j], b.Edges[j-1]), "bin edges must increase", nil)
			}
		}
		for _, o := range g.Bins[:i] {
			if o.Column == b.Column {
				return s.errAt(f, fmt.Sprintf("column %q is given bins twice", b.Column), "remove one of them", nil)
			}
		}
		if gc.Bins == nil {
			gc.Bins = map[string]Binning{}
		}
		gc.Bins[b.Column] = Binning{Edges: slices.Clone(b.Edges), Quantiles: b.Quantiles}
	}
	for i, in := range g.Intersections {
		f := index("groups.intersections", i)
		if len(in) < 2 {
			return s.errAt(f, fmt.Sprintf("an intersection needs two or more attributes, got %q", in), "write them as a list, such as [gender, age_band]", nil)
		}
		for j, a := range in {
			if slices.Contains(in[:j], a) {
				return s.errAt(index(f, j), fmt.Sprintf("attribute %q is given twice", a), "remove one of them", nil)
			}
			if g.Sensitive != nil && !slices.Contains(g.Sensitive, a) {
				return s.errAt(index(f, j), fmt.Sprintf("attribute %q is not among groups.sensitive %q", a, g.Sensitive), "add it to groups.sensitive", nil)
			}
		}
		gc.Intersections = append(gc.Intersections, slices.Clone(in))
	}
	pl.groups = gc
	return nil
}

func (s *Spec) compileExposure(pl *plan) error {
	e := s.Exposure
	model, ok := lookup(exposureChoices, e.Model)
	if !ok {
		return s.errAt("exposure.model", fmt.Sprintf("unknown exposure model %q", e.Model), suggest(e.Model, names(exposureChoices), "models"), nil)
	}
	switch {
	case e.Patience != 0 && !(e.Patience > 0 && e.Patience < 1):
		return s.errAt("exposure.patience", fmt.Sprintf("%v is out of range (0, 1)", e.Patience), "0 means the default 0.5", nil)
	case e.Stop != 0 && !(e.Stop > 0 && e.Stop <= 1):
		return s.errAt("exposure.stop", fmt.Sprintf("%v is out of range (0, 1]", e.Stop), "0 means the default 0.5", nil)
	case e.TopShare != 0 && !(e.TopShare > 0 && e.TopShare <= 1):
		return s.errAt("exposure.top_share", fmt.Sprintf("%v is out of range (0, 1]", e.TopShare), "0 means the default 0.5", nil)
	case e.MaxGroups < 1:
		return s.errAt("exposure.max_groups", fmt.Sprintf("%d is out of range [1, +inf)", e.MaxGroups), "the usual value is 50", nil)
	}
	pl.cfg.Exposure = fairness.Exposure{Model: model, Patience: e.Patience, Stop: e.Stop, TopShare: e.TopShare}
	pl.cfg.MaxExposureGroups = e.MaxGroups
	return nil
}

func (s *Spec) compileStatistics(pl *plan) error {
	st := s.Statistics
	switch {
	case st.Resamples < 1:
		return s.errAt("statistics.resamples", fmt.Sprintf("%d is out of range [1, +inf)", st.Resamples), "1000 is the usual number", nil)
	case !(st.Alpha > 0 && st.Alpha < 1):
		return s.errAt("statistics.alpha", fmt.Sprintf("%v is out of range (0, 1)", st.Alpha), "0.05 gives 95% intervals", nil)
	case st.Permutations < 0:
		return s.errAt("statistics.permutations", fmt.Sprintf("%d is negative", st.Permutations), "0 means automatic", nil)
	case len(st.Aggregators) == 0:
		return s.errAt("statistics.aggregators", "no aggregators", "name at least one, such as max-min-diff", nil)
	}
	var aggs []fairness.Aggregator
	for i, name := range st.Aggregators {
		a, ok := lookup(aggregatorChoices, name)
		if !ok {
			return s.errAt(index("statistics.aggregators", i), fmt.Sprintf("unknown aggregator %q", name), suggest(name, names(aggregatorChoices), "aggregators"), nil)
		}
		if slices.Contains(aggs, a) {
			return s.errAt(index("statistics.aggregators", i), fmt.Sprintf("aggregator %q is given twice", name), "remove one of them", nil)
		}
		aggs = append(aggs, a)
	}
	pl.cfg.Analyze = fairness.AnalyzeConfig{BootstrapB: st.Resamples, Alpha: st.Alpha, PermutationB: st.Permutations,
		Aggregators: aggs, Unstratified: st.Unstratified, Seed: s.Seed}
	return nil
}

func (s *Spec) compileSystems(pl *plan, reg *recommenders.Registry) error {
	systems := s.Systems
	if len(systems) == 0 {
		systems = DefaultSystems()
	}
	for i, sys := range systems {
		f := index("systems", i)
		sp := systemPlan{index: i, name: sys.Name}
		switch {
		case sys.File != "" && sys.Algo != "":
			return s.errAt(f, fmt.Sprintf("a system is an algorithm (algo: %s) or a recommendation file (file: %s), not both", sys.Algo, sys.File), "remove one of them", nil)
		case sys.File != "":
			if len(sys.Params) > 0 {
				return s.errAt(f+".params", "a recommendation file takes no parameters", "remove params", nil)
			}
			if err := s.mustExist(f+".file", sys.File, false); err != nil {
				return err
			}
			sp.file, sp.system = s.path(sys.File), sys.System
		case sys.Algo == "":
			return s.errAt(f, "names neither an algorithm nor a file", "give algo: NAME (one of "+strings.Join(reg.Names(), ", ")+"), file: PATH or exec: COMMAND", nil)
		case sys.Algo == "file":
			return s.errAt(f+".algo", "a recommendation file is named with file: PATH", "write file: PATH instead of algo: file", nil)
		default:
			if sys.System != "" && sys.Algo != "exec" {
				return s.errAt(f+".system", "system selects a system of a recommendation file", "remove it, or set the exec parameter system", nil)
			}
			fac, ok := reg.Lookup(sys.Algo)
			if !ok {
				return s.errAt(f+".algo", fmt.Sprintf("unknown algorithm %q", sys.Algo), suggest(sys.Algo, reg.Names(), "algorithms"), recommenders.ErrUnknownAlgorithm)
			}
			params := recommenders.Params{}
			for _, p := range sys.Params {
				params[p.Name] = p.Value
			}
			// Seeded algorithms follow the audit's seed unless told
			// otherwise.
			if _, given := params["seed"]; !given && slices.ContainsFunc(fac.Params, func(p recommenders.Param) bool { return p.Name == "seed" }) {
				params["seed"] = s.Seed & math.MaxInt64
			}
			vals, err := reg.Resolve(sys.Algo, params)
			if err != nil {
				var pe *recommenders.ParamError
				if errors.As(err, &pe) {
					field, fix := f+".params", fmt.Sprintf("recaudit recommend --list --algo %s lists its parameters", sys.Algo)
					if pe.Param != "" {
						field = join(field, pe.Param)
						var declared []string
						for _, d := range fac.Params {
							declared = append(declared, d.Name)
						}
						if !slices.Contains(declared, pe.Param) {
							if c := closest(pe.Param, declared); c != "" {
								fix = fmt.Sprintf("did you mean %q? %s", c, fix)
							}
						}
					}
					if pe.Param == "command" {
						field = f + ".exec"
					}
					return s.errAt(field, sys.Algo+": "+pe.Msg, fix, err)
				}
				return s.errAt(f, err.Error(), "", err)
			}
			if sys.Algo == "exec" {
				cmd := vals.Strs("command")
				if len(cmd) == 0 || cmd[0] == "" {
					return s.errAt(f+".exec", "empty command", "give the program and its arguments", recommenders.ErrParam)
				}
				// A program named by a relative path (./rec, bin/rec) in
				// the spec file is relative to the spec's directory, like
				// its other paths; one set by a flag, to the current
				// directory. A bare name is looked up in PATH.
				prog := cmd[0]
				if s.at(f).Flag == "" && s.BaseDir != "" && !filepath.IsAbs(prog) && strings.ContainsRune(filepath.ToSlash(prog), '/') {
					if abs, err := filepath.Abs(s.path(prog)); err == nil {
						prog, sp.program = abs, abs
					}
				}
				if _, err := exec.LookPath(prog); err != nil {
					rel := ""
					if sp.program != "" {
						rel = " (relative to the spec file's directory, " + s.BaseDir + ")"
					}
					return s.errAt(f+".exec", fmt.Sprintf("cannot run the program %q%s: %v", cmd[0], rel, err), "check the program's name and PATH", fs.ErrNotExist)
				}
			}
			sp.algo, sp.params, sp.values = sys.Algo, params, vals
			if sp.name == "" {
				sp.name = sys.Algo
			}
		}
		if sp.name == "" && sp.system != "" {
			sp.name = sp.system
		}
		if sp.name != "" {
			for _, o := range pl.systems {
				if o.name == sp.name {
					return s.errAt(f+".name", fmt.Sprintf("system name %q is already used by systems[%d]", sp.name, o.index), "give each system a distinct name", nil)
				}
			}
		}
		pl.systems = append(pl.systems, sp)
	}
	return nil
}
