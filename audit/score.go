package audit

import (
	"context"
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"strconv"

	"github.com/recaudit/recaudit/datasets"
	"github.com/recaudit/recaudit/fairness"
	"github.com/recaudit/recaudit/metrics"
	"github.com/recaudit/recaudit/probe"
	"github.com/recaudit/recaudit/score"
)

// ErrInput is wrapped by the errors Score returns for inputs that do not
// fit together: a split or rankings for another number of users or items.
var ErrInput = errors.New("audit: inconsistent input")

// Input is the data every system of an audit is scored on.
type Input struct {
	Dataset *datasets.Dataset
	// Train and Test are the split of Dataset.Interactions: Train gives
	// popularity and the calibration history, Test the judgments.
	Train, Test *datasets.CSR
}

// Param is one parameter of a system, name and value as text.
type Param struct {
	Name  string `json:"name"`
	Value string `json:"value"`
}

// System is one system's recommendation lists.
type System struct {
	Name string
	// Params records the system's parameters in a fixed order, for
	// example from recommenders.Values.Settings.
	Params []Param
	// Rankings has one row per dataset user.
	Rankings datasets.Rankings
}

// GroupsConfig says which attributes define the groups of an audit. The
// zero value takes everything from the column roles of the dataset.
type GroupsConfig struct {
	// Sensitive lists the users columns to group users by; nil means the
	// columns with role sensitive, in table order.
	Sensitive []string
	// Bins gives the binning of numeric sensitive columns, by column.
	Bins map[string]Binning
	// Intersections lists groups of two or more Sensitive columns whose
	// intersections are analysed too.
	Intersections [][]string
	// ItemGroups lists the items columns for the provider-side analysis;
	// nil means the columns with role item_group, in table order.
	ItemGroups []string
	// Flags lists the bool items columns whose targeting is audited; nil
	// means the columns with role flag.
	Flags []string
	// Category is the items column of item categories for calibration;
	// "" means "category" when the items table has it, else none.
	Category string
	// MinGroupSize is the smallest reported user group; 0 means
	// DefaultMinGroupSize.
	MinGroupSize int
}

// Groups holds the groupings of an audit, read from the dataset once and
// shared by every system.
type Groups struct {
	Users []*UserGroups
	Items []*ItemGroups
	Flags []ItemFlag
	// Categories are the item categories for calibration (nil Offsets when
	// there are none), with CategoryLevels their names.
	Categories     fairness.ItemCategories
	CategoryLevels []string
	CategoryColumn string
	MinGroupSize   int
}

// NewGroups reads the groupings cfg describes from d. It returns an error
// wrapping ErrGroups when a named column is missing or unusable.
func NewGroups(d *datasets.Dataset, cfg GroupsConfig) (*Groups, error) {
	ms := minSize(cfg.MinGroupSize)
	g := &Groups{MinGroupSize: ms}
	sensitive := cfg.Sensitive
	if sensitive == nil {
		for _, c := range d.UserColumnsWithRole(datasets.RoleSensitive) {
			sensitive = append(sensitive, c.Name)
		}
	}
	byName := map[string]*UserGroups{}
	for _, name := range sensitive {
		ug, err := NewUserGroups(d, name, cfg.Bins[name], ms)
		if err != nil {
			return nil, err
		}
		g.Users = append(g.Users, ug)
		byName[name] = ug
	}
	for _, names := range cfg.Intersections {
		if len(names) < 2 {
			return nil, fmt.Errorf("%w: an intersection needs two or more attributes, got %q", ErrGroups, names)
		}
		parts := make([]*UserGroups, len(names))
		for i, n := range names {
			if parts[i] = byName[n]; parts[i] == nil {
				return nil, fmt.Errorf("%w: intersection attribute %q is not among the sensitive attributes %q", ErrGroups, n, sensitive)
			}
		}
		g.Users = append(g.Users, Intersect(ms, parts...))
	}
	itemGroups := cfg.ItemGroups
	if itemGroups == nil {
		for _, c := range d.ItemColumnsWithRole(datasets.RoleItemGroup) {
			itemGroups = append(itemGroups, c.Name)
		}
	}
	for _, name := range itemGroups {
		ig, err := NewItemGroups(d, name)
		if err != nil {
			return nil, err
		}
		g.Items = append(g.Items, ig)
	}
	flags := cfg.Flags
	if flags == nil {
		for _, c := range d.ItemColumnsWithRole(datasets.RoleFlag) {
			flags = append(flags, c.Name)
		}
	}
	for _, name := range flags {
		f, err := NewItemFlag(d, name)
		if err != nil {
			return nil, err
		}
		g.Flags = append(g.Flags, f)
	}
	cat := cfg.Category
	if cat == "" {
		if _, ok := d.ItemColumn("category"); ok {
			cat = "category"
		}
	}
	if cat != "" {
		col, ok := d.ItemColumn(cat)
		if !ok || (col.Kind != datasets.Categorical && col.Kind != datasets.MultiCategorical) {
			return nil, fmt.Errorf("%w: category column %q is missing or not categorical", ErrGroups, cat)
		}
		g.CategoryColumn = cat
		g.CategoryLevels = slices.Clone(col.Levels)
		ic := fairness.ItemCategories{Offsets: make([]int64, col.Len()+1)}
		for i := range col.Len() {
			ic.Codes = append(ic.Codes, col.RowCodes(i)...)
			ic.Offsets[i+1] = int64(len(ic.Codes))
		}
		g.Categories = ic
	}
	return g, nil
}

// Config holds the settings of Score. The zero value is the toolkit
// default.
type Config struct {
	// Cutoffs are the list lengths k every metric is computed at; nil
	// means 10 and 20.
	Cutoffs []int
	// Metrics holds the conventions of the accuracy metrics.
	Metrics metrics.Config
	// Measures are the accuracy measures of the per-user table and the
	// system metrics; nil means all of them.
	Measures []metrics.Measure
	// GroupMeasures are the accuracy measures analysed by user group; nil
	// means NDCG, recall and precision. Calibration, popularity lift and
	// the targeting share of every flag are always analysed.
	GroupMeasures []metrics.Measure
	// Exposure is the browsing model of the provider-side analysis; its
	// Cutoff is set to each cutoff in turn.
	Exposure fairness.Exposure
	// Calibration holds the conventions of miscalibration; its Cutoff is
	// set to each cutoff in turn.
	Calibration fairness.Calibration
	// HeadShare is the popularity share of the short head for APLT
	// (metrics.HeadTail); 0 means 0.8.
	HeadShare float64
	// MaxExposureGroups is the largest number of groups of an item
	// grouping that gets bootstrap intervals and tests; groupings with
	// more (for example hundreds of vendors) get point values only. 0
	// means 50.
	MaxExposureGroups int
	// Analyze holds the statistics settings: resamples, α, aggregators,
	// permutation relabelings and the seed of every random stream. Its
	// MinUsers of 0 means the groups' minimum group size. Score always
	// withholds complementary groups: it sets Complementary, and a
	// Withhold (called after any given here) that applies the
	// complementary suppression of [Intersect] to the users with a value
	// of each metric, so that no withheld or suppressed group's number of
	// users with a value, nor its mean, follows by subtraction from the
	// reported groups.
	Analyze fairness.AnalyzeConfig
}

func (c *Config) cutoffs() []int {
	if c.Cutoffs == nil {
		return []int{10, 20}
	}
	return c.Cutoffs
}

func (c *Config) measures() []metrics.Measure {
	if c.Measures == nil {
		return metrics.AllMeasures()
	}
	return c.Measures
}

func (c *Config) groupMeasures() []metrics.Measure {
	if c.GroupMeasures == nil {
		return []metrics.Measure{metrics.MeasureNDCG, metrics.MeasureRecall, metrics.MeasurePrecision}
	}
	return c.GroupMeasures
}

// UserCounts counts the users of a system's evaluation.
type UserCounts struct {
	// Total is the number of dataset users; WithList those with a
	// non-empty list; WithTest those with a test interaction.
	Total    int `json:"total"`
	WithList int `json:"with_list"`
	WithTest int `json:"with_test"`
	// Evaluated, NoRelevant and NoList are the accuracy counts of
	// metrics.Counts: users in the accuracy means, users without a
	// relevant test item (excluded by default), users with an empty list
	// (scored as all-miss by default).
	Evaluated  int `json:"evaluated"`
	NoRelevant int `json:"no_relevant"`
	NoList     int `json:"no_list"`
}

// MetricValue is one system-level metric.
type MetricValue struct {
	Name string `json:"name"`
	// Level is "user" for a mean over users (with a bootstrap interval
	// over users and N users with a value) or "catalogue" for a value of
	// the whole set of lists (no interval; N is the number of users with
	// a list).
	Level string             `json:"level"`
	Value fairness.Float     `json:"value"`
	CI    fairness.Interval2 `json:"ci"`
	N     int                `json:"n"`
}

// SystemResult is everything measured for one system.
type SystemResult struct {
	Name    string        `json:"name"`
	Params  []Param       `json:"params"`
	Users   UserCounts    `json:"users"`
	Metrics []MetricValue `json:"metrics"`
	// Consumer is the group analysis of the per-user metrics over every
	// user grouping.
	Consumer *fairness.Analysis `json:"consumer"`
	// Provider is the exposure analysis of every item grouping at every
	// cutoff.
	Provider []ExposureAnalysis `json:"provider"`
	// Targeting summarises, for every flag, cutoff and user grouping, how
	// often each group is shown flagged items.
	Targeting []TargetingResult `json:"targeting"`
	// Lorenz is the Lorenz curve of item exposure at every cutoff, and
	// RankExposure the exposure by rank position: chart data, so that a
	// report can be drawn from the result alone (see chartdata.go).
	Lorenz       []LorenzCurve `json:"lorenz"`
	RankExposure RankExposure  `json:"rank_exposure"`
	// Consent and Inference are the results of the consent and
	// attribute-inference probes (see [ProbeLists]); nil when the probe
	// did not run. Score leaves them nil.
	Consent   *ConsentResult         `json:"consent"`
	Inference *probe.InferenceResult `json:"inference"`
	// PerUser holds every per-user column, for the per-user table; it is
	// not part of the JSON document (reports never show individual
	// users).
	PerUser fairness.PerUser `json:"-"`
}

// ExposureAnalysis is the provider-side analysis of one item grouping at
// one cutoff.
type ExposureAnalysis struct {
	Attribute string `json:"attribute"`
	Cutoff    int    `json:"cutoff"`
	// Model is the browsing model ("log" is 1/log2(r+1)).
	Model string `json:"model"`
	// Intervals reports whether the shares have bootstrap intervals and
	// tests (false for groupings with more than Config.MaxExposureGroups
	// groups).
	Intervals bool            `json:"intervals"`
	Groups    []ExposureGroup `json:"groups"`
	// L1Catalogue and L1Merit are the L1 distances between the realised
	// shares and the catalogue and merit targets (METRICS-SPEC.md §4.2).
	L1Catalogue fairness.Estimate `json:"l1_catalogue"`
	L1Merit     fairness.Estimate `json:"l1_merit"`
}

// ExposureGroup is the exposure of one item group.
type ExposureGroup struct {
	Group string `json:"group"`
	// Items is the group's number of catalogue items (fractional for
	// multi-valued attributes).
	Items fairness.Float `json:"items"`
	// Share is the group's share of all exposure, E(G)/Σ E; Catalogue its
	// share of the catalogue, Merit its share of the test relevance
	// (relevance-proportional target, with an interval since it depends on
	// the users).
	Share     fairness.Estimate `json:"share"`
	Catalogue fairness.Float    `json:"catalogue"`
	Merit     fairness.Estimate `json:"merit"`
	// VsCatalogue and VsMerit compare the share with each target: the
	// difference share − target with its interval and a two-sided
	// bootstrap test of difference 0 (null when Intervals is false).
	VsCatalogue ShareComparison `json:"vs_catalogue"`
	VsMerit     ShareComparison `json:"vs_merit"`
}

// ShareComparison is a realised share compared with a target.
type ShareComparison struct {
	Difference fairness.Estimate `json:"difference"`
	Test       *fairness.Test    `json:"test"`
}

// TargetingResult is how often the groups of one attribute are shown the
// items of one flag in their top k: the group means of the per-user share
// of flagged items (fairness.TargetingShareTo, fairness.TargetingRates).
type TargetingResult struct {
	Flag      string `json:"flag"`
	Cutoff    int    `json:"cutoff"`
	Attribute string `json:"attribute"`
	// Metric is the per-user column analysed in Consumer.
	Metric string `json:"metric"`
	// Measure is TargetShare, TargetShown or TargetExposure.
	Measure string          `json:"measure"`
	Rates   []TargetedGroup `json:"rates"`
	// Most and Least are the groups with the highest and lowest rate;
	// Ratio is the most targeted group's rate over the least targeted
	// one's, with the bootstrap interval of the max/min ratio, and P and Q
	// those of the permutation test of the min/max ratio in Consumer.
	Most  string            `json:"most"`
	Least string            `json:"least"`
	Ratio fairness.Estimate `json:"ratio"`
	P     fairness.Float    `json:"p"`
	Q     fairness.Float    `json:"q"`
}

// TargetedGroup is one group's targeting rate. N is its number of users
// with a list; for a group withheld from the comparison (Withheld) it is
// 0 and null in JSON, and Rate and CI are NaN.
type TargetedGroup struct {
	Group    string             `json:"group"`
	N        int                `json:"n"`
	Rate     fairness.Float     `json:"rate"`
	CI       fairness.Interval2 `json:"ci"`
	Withheld bool               `json:"withheld"`
}

// Column names of the per-user metrics: "<name>@<k>".
const (
	ColCalibration = "calibration_kl"
	ColPopLift     = "popularity_lift"
	ColNovelty     = "novelty"
	ColARP         = "arp"
	ColAPLT        = "aplt"
)

// Targeting measures: how a flagged item class reaches a user's top k.
const (
	// TargetShare is the share of the top k that is flagged.
	TargetShare = "share"
	// TargetShown is 1 when the top k holds a flagged item, else 0; its
	// group mean is the share of the group's users shown one.
	TargetShown = "shown"
	// TargetExposure is the position-weighted share of the top k that is
	// flagged, ranks weighted 1/log2(rank+1) (fairness.ExposureLog).
	TargetExposure = "exposure"
)

// targetMeasures lists the targeting measures in the order they are
// reported.
var targetMeasures = []string{TargetShare, TargetShown, TargetExposure}

func colName(name string, k int) string { return name + "@" + strconv.Itoa(k) }

// FlagColumn returns the per-user column name of the share of flag's items
// in the top k.
func FlagColumn(flag string, k int) string { return TargetColumn(flag, TargetShare, k) }

// TargetColumn returns the per-user column name of a targeting measure of
// flag's items in the top k: "<flag>_<measure>@<k>".
func TargetColumn(flag, measure string, k int) string { return colName(flag+"_"+measure, k) }

// Random streams of Score, by purpose, derived from Config.Analyze.Seed.
const (
	streamSystem   = 1
	streamExposure = 2
)

// Score computes every metric of one system's lists on in: the per-user
// table (accuracy measures at every cutoff, novelty, ARP, APLT, popularity
// lift, miscalibration, the share of each flag's items), the system-level
// means with bootstrap intervals and the catalogue-level coverage, Gini of
// recommendation counts and of exposure, and personalisation; then the
// consumer-side analysis of the group measures, calibration, popularity
// lift and flag shares over every user grouping ([fairness.Analyze]); the
// provider-side exposure shares of every item grouping with their
// catalogue and merit targets; the targeting summary; and the chart data
// of a report, the Lorenz curve of item exposure at every cutoff
// ([LorenzCurve]) and the exposure by rank position ([RankExposure]).
//
// Users are the dataset's users. Accuracy follows cfg.Metrics (by default
// users without a relevant test item are excluded and users without a
// list score 0). The other per-user values are NaN for users without a
// list: novelty, ARP, APLT, the flag shares and calibration describe the
// lists a user was shown. Popularity is the number of distinct training
// users of an item; popularity lift is
//
//	lift(u) = (ARP(list_u) − ARP(profile_u)) / ARP(profile_u),
//
// NaN for a user without training history (Abdollahpouri et al.,
// METRICS-SPEC.md §2.9, per user).
//
// Exposure shares have bootstrap intervals over users (users resampled,
// exposure and merit recomputed with the resample counts as user weights,
// [fairness.Bootstrap.SumReplicates]) and two-sided bootstrap tests of
// "share equals target" ([fairness.BootstrapPValue]). q-values are left
// to [Result.Finalize], which corrects over the whole audit.
//
// Score returns an error wrapping ErrInput when the split or the rankings
// do not match the dataset's users and items, and ctx.Err() when ctx is
// cancelled between stages. It panics on a bad Config (see metrics and
// fairness).
func Score(ctx context.Context, in Input, g *Groups, sys System, cfg Config) (*SystemResult, error) {
	d := in.Dataset
	nU, nI := d.Users.Len(), d.Items.Len()
	if err := checkInput(in, sys, nU, nI); err != nil {
		return nil, err
	}
	cutoffs := cfg.cutoffs()
	lists := metrics.Rankings{Offsets: sys.Rankings.Offsets, Items: sys.Rankings.Items}
	flists := fairness.Rankings(lists)
	truth := score.Relevance(in.Test)
	frel := fairness.Relevance{Offsets: truth.Offsets, Items: truth.Items, Grades: truth.Grades}
	res := &SystemResult{Name: sys.Name, Params: slices.Clone(sys.Params)}
	if res.Params == nil {
		res.Params = []Param{}
	}

	// Accuracy.
	ev := metrics.Evaluator{Config: cfg.Metrics, Measures: cfg.measures(), Cutoffs: cutoffs}
	acc := ev.Evaluate(lists, truth)
	cnt := acc.Counts()
	res.Users = UserCounts{Total: nU, Evaluated: int(cnt.Evaluated), NoRelevant: int(cnt.NoRelevant), NoList: int(cnt.NoList)}
	hasList := make([]bool, nU)
	for u := range nU {
		hasList[u] = sys.Rankings.Offsets[u+1] > sys.Rankings.Offsets[u]
		if hasList[u] {
			res.Users.WithList++
		}
		if in.Test.Len(u) > 0 {
			res.Users.WithTest++
		}
	}
	var table fairness.PerUser
	for _, m := range ev.Measures {
		for _, k := range cutoffs {
			table = append(table, fairness.UserColumn{Name: colName(m.String(), k), Values: acc.Column(m, k)})
		}
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}

	// Popularity, novelty, APLT, popularity lift.
	pop := metrics.ItemCounts(metrics.Rankings{Offsets: in.Train.Offsets, Items: in.Train.Cols}, 0, nI, nil)
	trainUsers := 0
	for u := range nU {
		if in.Train.Len(u) > 0 {
			trainUsers++
		}
	}
	headShare := cfg.HeadShare
	if headShare == 0 {
		headShare = 0.8
	}
	tail := metrics.HeadTail(pop, headShare)
	profile := make([]float64, nU)
	for u := range nU {
		profile[u] = metrics.MeanPopularity(in.Train.Row(u), 0, pop)
	}
	var analysed fairness.PerUser
	for _, m := range cfg.groupMeasures() {
		for _, k := range cutoffs {
			analysed = append(analysed, fairness.UserColumn{Name: colName(m.String(), k), Values: acc.Column(m, k)})
		}
	}
	for _, k := range cutoffs {
		nov, arp, aplt, lift := make([]float64, nU), make([]float64, nU), make([]float64, nU), make([]float64, nU)
		for u := range nU {
			list := lists.List(u)
			nov[u] = metrics.Novelty(list, k, pop, float64(trainUsers))
			arp[u] = metrics.MeanPopularity(list, k, pop)
			aplt[u] = metrics.TailShare(list, k, tail)
			lift[u] = math.NaN()
			if p := profile[u]; p > 0 && !math.IsNaN(arp[u]) {
				lift[u] = (arp[u] - p) / p
			}
		}
		table = append(table,
			fairness.UserColumn{Name: colName(ColNovelty, k), Values: nov},
			fairness.UserColumn{Name: colName(ColARP, k), Values: arp},
			fairness.UserColumn{Name: colName(ColAPLT, k), Values: aplt},
			fairness.UserColumn{Name: colName(ColPopLift, k), Values: lift})
		analysed = append(analysed, fairness.UserColumn{Name: colName(ColPopLift, k), Values: lift})
	}

	// Calibration.
	if g.Categories.Offsets != nil {
		history := fairness.Rankings{Offsets: in.Train.Offsets, Items: in.Train.Cols}
		for _, k := range cutoffs {
			c := cfg.Calibration
			c.Cutoff = k
			v := fairness.CalibrationTo(nil, history, nil, flists, g.Categories, len(g.CategoryLevels), c)
			for u := range v {
				if !hasList[u] {
					v[u] = math.NaN()
				}
			}
			col := fairness.UserColumn{Name: colName(ColCalibration, k), Values: v}
			table = append(table, col)
			analysed = append(analysed, col)
		}
	}

	// Targeting shares.
	for _, f := range g.Flags {
		flagged := f.Items
		if len(flagged) != nI {
			return nil, fmt.Errorf("%w: flag %q has %d items, the dataset %d", ErrInput, f.Name, len(flagged), nI)
		}
		for _, k := range cutoffs {
			for _, m := range targetMeasures {
				var v []float64
				switch m {
				case TargetShare:
					v = fairness.TargetingShareTo(nil, flists, k, flagged)
				case TargetShown:
					v = fairness.TargetingShownTo(nil, flists, k, flagged)
				case TargetExposure:
					v = fairness.TargetingExposureTo(nil, flists, flagged, fairness.Exposure{Model: fairness.ExposureLog, Cutoff: k})
				}
				for u := range v {
					if !hasList[u] {
						v[u] = math.NaN()
					}
				}
				col := fairness.UserColumn{Name: TargetColumn(f.Name, m, k), Values: v}
				table = append(table, col)
				analysed = append(analysed, col)
			}
		}
	}
	res.PerUser = table
	if err := ctx.Err(); err != nil {
		return nil, err
	}

	// System-level values.
	res.Metrics = systemMetrics(table, cfg, sys.Rankings, nI, hasList, cutoffs)
	res.Lorenz = lorenzCurves(lists, nI, cutoffs, cfg)
	res.RankExposure = rankExposure(flists, frel, nI, g.Items, cutoffs, cfg)
	if err := ctx.Err(); err != nil {
		return nil, err
	}

	// Consumer side.
	ac := cfg.Analyze
	if ac.MinUsers == 0 {
		ac.MinUsers = g.MinGroupSize
	}
	ac.Complementary = true
	ac.Withhold = g.withhold(ac.Withhold)
	groupings := make([]fairness.Grouping, len(g.Users))
	for i, ug := range g.Users {
		groupings[i] = ug.Grouping()
	}
	res.Consumer = fairness.Analyze(analysed, groupings, ac)
	if err := ctx.Err(); err != nil {
		return nil, err
	}

	// Provider side.
	res.Provider = providerAnalyses(flists, frel, nI, g.Items, cutoffs, cfg)
	if err := ctx.Err(); err != nil {
		return nil, err
	}

	// Targeting summaries (p and q are filled by Result.Finalize).
	res.Targeting = []TargetingResult{}
	for _, f := range g.Flags {
		for _, k := range cutoffs {
			for _, m := range targetMeasures {
				name := TargetColumn(f.Name, m, k)
				col := findColumn(analysed, name)
				for _, ug := range g.Users {
					tr := targetingResult(res.Consumer, col, ug, f.Name, k, name)
					tr.Measure = m
					res.Targeting = append(res.Targeting, tr)
				}
			}
		}
	}
	return res, nil
}

// checkInput checks that the split and the rankings fit the dataset.
func checkInput(in Input, sys System, nU, nI int) error {
	for _, s := range []struct {
		name string
		m    *datasets.CSR
	}{{"training split", in.Train}, {"test split", in.Test}} {
		if s.m == nil || s.m.Rows != nU || s.m.NumCols != nI {
			return fmt.Errorf("%w: the %s does not have the dataset's %d users and %d items", ErrInput, s.name, nU, nI)
		}
	}
	r := sys.Rankings
	if len(r.Offsets) != nU+1 || r.Offsets[0] != 0 || r.Offsets[nU] != int64(len(r.Items)) {
		return fmt.Errorf("%w: the rankings of system %q do not have one row per dataset user (%d)", ErrInput, sys.Name, nU)
	}
	for u := range nU {
		if r.Offsets[u+1] < r.Offsets[u] {
			return fmt.Errorf("%w: the rankings of system %q have decreasing offsets", ErrInput, sys.Name)
		}
	}
	for _, it := range r.Items {
		if it < 0 || int(it) >= nI {
			return fmt.Errorf("%w: the rankings of system %q hold item index %d, outside the dataset's %d items", ErrInput, sys.Name, it, nI)
		}
	}
	return nil
}

func findColumn(t fairness.PerUser, name string) []float64 {
	for _, c := range t {
		if c.Name == name {
			return c.Values
		}
	}
	return nil
}

// systemMetrics returns the system-level values: the mean of every
// per-user column with its bootstrap interval (columns with the same users
// share resamples), then the catalogue-level metrics at every cutoff.
func systemMetrics(table fairness.PerUser, cfg Config, r datasets.Rankings, nI int, hasList []bool, cutoffs []int) []MetricValue {
	out := make([]MetricValue, 0, len(table)+4*len(cutoffs))
	ivs := make([]fairness.Interval, len(table))
	ns := make([]int, len(table))
	// Sets of columns with the same users with a value.
	type set struct {
		mask []bool
		cols []int
	}
	var sets []set
	for k, c := range table {
		mask := make([]bool, len(c.Values))
		for u, v := range c.Values {
			mask[u] = !math.IsNaN(v)
			if mask[u] {
				ns[k]++
			}
		}
		i := slices.IndexFunc(sets, func(s set) bool { return slices.Equal(s.mask, mask) })
		if i < 0 {
			sets = append(sets, set{mask: mask})
			i = len(sets) - 1
		}
		sets[i].cols = append(sets[i].cols, k)
	}
	for si, s := range sets {
		codes := make([]int32, len(s.mask))
		for u, ok := range s.mask {
			if !ok {
				codes[u] = -1
			}
		}
		cols := make([][]float64, len(s.cols))
		for j, k := range s.cols {
			cols[j] = table[k].Values
		}
		bs := fairness.Bootstrap{B: cfg.Analyze.BootstrapB, Alpha: cfg.Analyze.Alpha, Aggregators: []fairness.Aggregator{},
			Src: rand.NewPCG(cfg.Analyze.Seed, uint64(streamSystem)<<32|uint64(si))}
		for j, gi := range bs.GroupsMulti(cols, codes, 1) {
			ivs[s.cols[j]] = gi.Overall
		}
	}
	for k, c := range table {
		iv := ivs[k]
		out = append(out, MetricValue{Name: c.Name, Level: "user", Value: fairness.Float(iv.Estimate),
			CI: fairness.Interval2{fairness.Float(iv.Lo), fairness.Float(iv.Hi)}, N: ns[k]})
	}
	// Catalogue level: the users with a list.
	var withList datasets.Rankings
	withList.Offsets = []int64{0}
	for u, ok := range hasList {
		if ok {
			withList.Items = append(withList.Items, r.List(u)...)
			withList.Offsets = append(withList.Offsets, int64(len(withList.Items)))
		}
	}
	nl := len(withList.Offsets) - 1
	ml := metrics.Rankings{Offsets: withList.Offsets, Items: withList.Items}
	nan := fairness.Interval2{fairness.Float(math.NaN()), fairness.Float(math.NaN())}
	cat := func(name string, k int, v float64) MetricValue {
		return MetricValue{Name: colName(name, k), Level: "catalogue", Value: fairness.Float(v), CI: nan, N: nl}
	}
	for _, k := range cutoffs {
		counts := metrics.ItemCounts(ml, k, nI, nil)
		model := cfg.Exposure
		model.Cutoff = k
		maxLen := k
		for u := range nl {
			maxLen = max(maxLen, int(withList.Offsets[u+1]-withList.Offsets[u]))
		}
		exposure := metrics.ItemCounts(ml, k, nI, model.WeightsTo(nil, maxLen, nil))
		pers := math.NaN()
		if k > 0 {
			pers = metrics.Personalization(ml, k, nI)
		}
		out = append(out,
			cat("coverage", k, metrics.Coverage(counts)),
			cat("gini", k, metrics.Gini(counts, metrics.GiniStandard)),
			cat("exposure_gini", k, metrics.Gini(exposure, metrics.GiniStandard)),
			cat("personalization", k, pers))
	}
	return out
}
