package audit

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math"
	"strconv"

	"github.com/recaudit/recaudit/datasets"
	"github.com/recaudit/recaudit/datasets/demo"
)

// SpecVersion is the version of the audit spec format that ReadSpec
// reads: a spec file starts with "version: 1".
const SpecVersion = 1

// Spec is an audit specification, the document form of an audit: what
// data, which split, which systems, which metrics, groups and statistics.
// ReadSpec and ParseSpec read it from YAML; [DefaultSpec] is the demo
// audit. Variants are written as their names ("random", "ndcg",
// "max-min-diff"), as in the YAML file; [Spec.Check] validates them and
// Run turns them into the typed settings of [Config], [GroupsConfig] and
// datasets.Split.
//
// The effective spec, the one Run used with every default filled in and
// the paths as given, is recorded in [Result.Spec].
type Spec struct {
	Version int         `json:"version"`
	Dataset DatasetSpec `json:"dataset"`
	Split   SplitSpec   `json:"split"`
	// Systems are the systems compared, in report order; empty means the
	// default six (see [DefaultSystems]).
	Systems []SystemSpec `json:"systems"`
	// Cutoffs are the list lengths every metric is computed at.
	Cutoffs []int `json:"cutoffs"`
	// K is the length of the lists asked of each system; nil means the
	// largest cutoff.
	K          *int           `json:"k"`
	Metrics    MetricsSpec    `json:"metrics"`
	Groups     GroupsSpec     `json:"groups"`
	Exposure   ExposureSpec   `json:"exposure"`
	Statistics StatisticsSpec `json:"statistics"`
	// Probes are the consent and attribute-inference probes run on every
	// system.
	Probes ProbesSpec `json:"probes"`
	// Seed seeds every random stream of the audit: the split, the
	// built-in algorithms' seeds when the spec gives none, the bootstrap
	// and the permutation tests.
	Seed uint64 `json:"seed"`

	// File is the name of the spec file, for error messages; "" for a
	// spec built in code.
	File string `json:"-"`
	// BaseDir is the directory relative paths of the spec are relative
	// to: the spec file's directory for ReadSpec, "" (the current
	// directory) otherwise.
	BaseDir string `json:"-"`

	// pos records where each field was set: its line and column in the
	// spec file, or the command-line flag that set it.
	pos map[string]Pos
}

// DatasetSpec is the data of an audit: a dataset directory, the tables
// named one by one, or the built-in demo generator. With none of Dir,
// Interactions and Demo set, the audit runs on the default demo shop.
type DatasetSpec struct {
	// Name is a short name for reports; "" means the directory's or the
	// interactions file's base name, or "demo".
	Name string `json:"name"`
	// Dir is a dataset directory (see datasets.Locate).
	Dir string `json:"dir"`
	// Interactions, Users and Items are table files, instead of Dir.
	Interactions string `json:"interactions"`
	Users        string `json:"users"`
	Items        string `json:"items"`
	// Roles override the roles of columns, in spec order.
	Roles []RoleSpec `json:"roles"`
	// Duplicates is the policy for repeated (user, item) interactions:
	// "error" (the default), "sum" or "max".
	Duplicates string `json:"duplicates"`
	// Demo generates the demo shop instead of reading files.
	Demo *DemoSpec `json:"demo"`
}

// RoleSpec sets the role of one column ("sensitive", "attribute",
// "consent", "item_group", "flag", "value", "timestamp", "user_id",
// "item_id", "ignore").
type RoleSpec struct {
	Column string `json:"column"`
	Role   string `json:"role"`
}

// DemoSpec holds the settings of the demo generator (demo.Config).
type DemoSpec struct {
	Users        int    `json:"users"`
	Items        int    `json:"items"`
	Interactions int    `json:"interactions"`
	Seed         uint64 `json:"seed"`
	// MinPerUser and Clusters: 0 means the generator's default.
	MinPerUser int `json:"min_per_user"`
	Clusters   int `json:"clusters"`
	// Effects are the planted effects; all zero is the null world.
	Effects EffectsSpec `json:"effects"`
}

// EffectsSpec holds the planted effects of the demo generator
// (demo.Effects).
type EffectsSpec struct {
	AgeActivity      float64 `json:"age_activity"`
	BrandPopularity  float64 `json:"brand_popularity"`
	CategoryTaste    float64 `json:"category_taste"`
	CreditPropensity float64 `json:"credit_propensity"`
}

// SplitSpec is the train/test split (datasets.Split).
type SplitSpec struct {
	// Kind is "random", "leave-n-out", "last-n", "temporal-cutoff" or
	// "temporal-fraction".
	Kind     string  `json:"kind"`
	Fraction float64 `json:"fraction"`
	N        int     `json:"n"`
	// Cutoff is the first test time, Unix seconds (temporal-cutoff);
	// the YAML may give it as a date.
	Cutoff          int64 `json:"cutoff"`
	MinInteractions int   `json:"min_interactions"`
	// Seed of the random kinds; nil means the audit's seed.
	Seed *uint64 `json:"seed"`
}

// SystemSpec is one system of an audit: a registered algorithm with its
// parameters (the built-ins, or "exec" for an external program), or a
// recommendation file.
type SystemSpec struct {
	// Name names the system in the results; "" means the algorithm's name
	// (or, for a file, the system column's values or the file's base
	// name).
	Name string `json:"name"`
	// Algo is a registered algorithm: random, popular, itemknn, userknn,
	// ease, als, bpr, exec. Empty for a file system.
	Algo string `json:"algo"`
	// Params are the algorithm's parameters, in spec order (with every
	// default in the effective spec). Values are as recommenders.Params
	// takes them: numbers, bools, strings and lists of strings.
	Params []SpecParam `json:"params"`
	// File is a recommendation file (datasets.ReadRecommendations).
	File string `json:"file"`
	// System selects one system of a file with a system column; "" means
	// every system in the file.
	System string `json:"system"`
}

// SpecParam is one parameter setting of a system.
type SpecParam struct {
	Name  string `json:"name"`
	Value any    `json:"value"`
}

// MetricsSpec selects the metrics and their conventions.
type MetricsSpec struct {
	// Measures are the accuracy measures of the per-user table ("all",
	// or names: precision, recall, hit_rate, rr, ap, dcg, ndcg, rbp).
	Measures []string `json:"measures"`
	// GroupMeasures are the accuracy measures analysed by user group.
	GroupMeasures []string `json:"group_measures"`
	// Profile is the conventions of a peer toolkit ("default",
	// "trec_eval", "ranx", "recbole", "lenskit", "elliot", "rectools");
	// Conventions override it one by one.
	Profile     string          `json:"profile"`
	Conventions ConventionsSpec `json:"conventions"`
	// CalibrationAlpha is the smoothing α of miscalibration.
	CalibrationAlpha float64 `json:"calibration_alpha"`
	// HeadShare is the popularity share of the short head (APLT).
	HeadShare float64 `json:"head_share"`
}

// ConventionsSpec are the metric conventions of metrics.Config, by name;
// "" keeps the profile's.
type ConventionsSpec struct {
	RelevanceThreshold float64 `json:"relevance_threshold"`
	Precision          string  `json:"precision"`
	Recall             string  `json:"recall"`
	AP                 string  `json:"ap"`
	Gain               string  `json:"gain"`
	Discount           string  `json:"discount"`
	Ideal              string  `json:"ideal"`
	NoRelevant         string  `json:"no_relevant"`
	NoList             string  `json:"no_list"`
	Patience           float64 `json:"patience"`
}

// GroupsSpec says which columns define the groups ([GroupsConfig]). A
// nil list means the columns with the matching role; an empty list means
// none.
type GroupsSpec struct {
	Sensitive     []string   `json:"sensitive"`
	Bins          []BinSpec  `json:"bins"`
	Intersections [][]string `json:"intersections"`
	ItemGroups    []string   `json:"item_groups"`
	Flags         []string   `json:"flags"`
	// Category is the items column of categories for calibration; ""
	// means "category" when the items table has it.
	Category     string `json:"category"`
	MinGroupSize int    `json:"min_group_size"`
}

// BinSpec is the binning of one numeric sensitive column ([Binning]).
type BinSpec struct {
	Column    string    `json:"column"`
	Edges     []float64 `json:"edges"`
	Quantiles int       `json:"quantiles"`
}

// ExposureSpec is the browsing model of the provider-side analysis
// (fairness.Exposure).
type ExposureSpec struct {
	// Model is "log", "clipped-log", "geometric", "cascade" or
	// "attention".
	Model    string  `json:"model"`
	Patience float64 `json:"patience"`
	Stop     float64 `json:"stop"`
	TopShare float64 `json:"top_share"`
	// MaxGroups is the largest item grouping given intervals and tests.
	MaxGroups int `json:"max_groups"`
}

// StatisticsSpec holds the statistics settings (fairness.AnalyzeConfig).
type StatisticsSpec struct {
	// Resamples is the number of bootstrap resamples.
	Resamples int `json:"resamples"`
	// Alpha is the error rate of the intervals.
	Alpha float64 `json:"alpha"`
	// Permutations is the number of relabelings of every permutation
	// test; 0 means automatic.
	Permutations int `json:"permutations"`
	// Aggregators are the disparities estimated and tested
	// ("max-min-diff", "min-max-ratio", ...).
	Aggregators []string `json:"aggregators"`
	// Unstratified resamples all grouped users together.
	Unstratified bool `json:"unstratified"`
}

// Defaults of the spec.
const (
	DefaultSeed      = 1
	DefaultResamples = 1000
)

// DefaultCutoffs are the cutoffs of an audit that names none.
var defaultCutoffs = []int{10, 20}

// DefaultSpec returns the demo audit: the default demo shop (10,000
// users, 2,000 items, about 300,000 interactions, the planted effects), a
// random 80/20 split per user, the six default systems, cutoffs 10 and
// 20, every accuracy measure, groups from the column roles, the log
// exposure model, 1,000 bootstrap resamples, the consent and
// attribute-inference probes (see [ProbesSpec]) and seed 1.
func DefaultSpec() *Spec {
	dc := demo.DefaultConfig()
	de := dc.Effects
	return &Spec{
		Version: SpecVersion,
		Dataset: DatasetSpec{Duplicates: "error", Demo: &DemoSpec{
			Users: dc.Users, Items: dc.Items, Interactions: dc.Interactions, Seed: dc.Seed,
			Effects: EffectsSpec{AgeActivity: de.AgeActivity, BrandPopularity: de.BrandPopularity,
				CategoryTaste: de.CategoryTaste, CreditPropensity: de.CreditPropensity},
		}},
		Split:   SplitSpec{Kind: "random", Fraction: datasets.DefaultSplitFraction, N: datasets.DefaultSplitN},
		Cutoffs: append([]int(nil), defaultCutoffs...),
		Metrics: MetricsSpec{Measures: []string{"all"}, GroupMeasures: []string{"ndcg", "recall", "precision"},
			Profile: "default", CalibrationAlpha: 0.01, HeadShare: 0.8},
		Exposure:   ExposureSpec{Model: "log", MaxGroups: 50},
		Statistics: StatisticsSpec{Resamples: DefaultResamples, Alpha: 0.05, Aggregators: []string{"max-min-diff", "min-max-ratio"}},
		Probes:     defaultProbes(),
		Seed:       DefaultSeed,
	}
}

// DefaultSystems returns the systems of an audit that names none: the
// floors random and popular, the neighbourhood models itemknn and
// userknn, and the learned models ease and als, each in its standard
// configuration (the registry's defaults; random and als seeded with the
// audit's seed).
func DefaultSystems() []SystemSpec {
	return []SystemSpec{{Algo: "random"}, {Algo: "popular"}, {Algo: "itemknn"}, {Algo: "userknn"}, {Algo: "ease"}, {Algo: "als"}}
}

// Pos is where a spec field was set: a line and column of the spec file
// (1-based), or a command-line flag.
type Pos struct {
	Line, Column int
	Flag         string
}

// SetFlag records that the field at path (for example "seed",
// "dataset.dir" or "systems") was set by the command-line flag named
// flag, so that errors about it name the flag instead of a line of the
// spec file. Paths below it are forgotten.
func (s *Spec) SetFlag(path, flag string) {
	if s.pos == nil {
		s.pos = map[string]Pos{}
	}
	for k := range s.pos {
		if k == path || len(k) > len(path) && k[:len(path)] == path && (k[len(path)] == '.' || k[len(path)] == '[') {
			delete(s.pos, k)
		}
	}
	s.pos[path] = Pos{Flag: flag}
}

// set records the position of the field at path.
func (s *Spec) set(path string, p Pos) {
	if s.pos == nil {
		s.pos = map[string]Pos{}
	}
	s.pos[path] = p
}

// isSet reports whether the field at path was set by the spec file or a
// flag.
func (s *Spec) isSet(path string) bool {
	_, ok := s.pos[path]
	return ok
}

// at returns the position of the field at path, or of its nearest
// enclosing field that has one.
func (s *Spec) at(path string) Pos {
	for p := path; p != ""; p = parentPath(p) {
		if pos, ok := s.pos[p]; ok {
			return pos
		}
	}
	return Pos{}
}

// parentPath strips the last element of a field path: "a.b[2]" -> "a.b",
// "a.b" -> "a", "a" -> "".
func parentPath(p string) string {
	for i := len(p) - 1; i >= 0; i-- {
		switch p[i] {
		case '.':
			return p[:i]
		case '[':
			return p[:i]
		}
	}
	return ""
}

func index(path string, i int) string { return path + "[" + strconv.Itoa(i) + "]" }

// binSpecJSON is BinSpec's JSON form: infinite edges are the strings
// "+Inf" and "-Inf", which JSON numbers cannot express.
type binSpecJSON struct {
	Column    string `json:"column"`
	Edges     []any  `json:"edges"`
	Quantiles int    `json:"quantiles"`
}

// MarshalJSON implements json.Marshaler, writing infinite edges as "+Inf"
// and "-Inf".
func (b BinSpec) MarshalJSON() ([]byte, error) {
	out := binSpecJSON{Column: b.Column, Edges: []any{}, Quantiles: b.Quantiles}
	for _, e := range b.Edges {
		switch {
		case math.IsInf(e, 1):
			out.Edges = append(out.Edges, "+Inf")
		case math.IsInf(e, -1):
			out.Edges = append(out.Edges, "-Inf")
		default:
			out.Edges = append(out.Edges, e)
		}
	}
	return json.Marshal(out)
}

// UnmarshalJSON implements json.Unmarshaler, reading "+Inf" and "-Inf"
// edges back.
func (b *BinSpec) UnmarshalJSON(data []byte) error {
	var in struct {
		Column    string            `json:"column"`
		Edges     []json.RawMessage `json:"edges"`
		Quantiles int               `json:"quantiles"`
	}
	if err := json.Unmarshal(data, &in); err != nil {
		return err
	}
	*b = BinSpec{Column: in.Column, Quantiles: in.Quantiles}
	for _, raw := range in.Edges {
		var s string
		if json.Unmarshal(raw, &s) == nil {
			switch s {
			case "+Inf":
				b.Edges = append(b.Edges, math.Inf(1))
			case "-Inf":
				b.Edges = append(b.Edges, math.Inf(-1))
			default:
				return fmt.Errorf("audit: bin edge %q is neither a number nor +Inf or -Inf", s)
			}
			continue
		}
		var v float64
		if err := json.Unmarshal(raw, &v); err != nil {
			return err
		}
		b.Edges = append(b.Edges, v)
	}
	return nil
}

// UnmarshalJSON implements json.Unmarshaler, keeping the types a spec
// file gives: whole numbers as int64 (exactly, even above 2^53), other
// numbers as float64, lists as []string.
func (p *SpecParam) UnmarshalJSON(data []byte) error {
	var in struct {
		Name  string          `json:"name"`
		Value json.RawMessage `json:"value"`
	}
	if err := json.Unmarshal(data, &in); err != nil {
		return err
	}
	p.Name = in.Name
	dec := json.NewDecoder(bytes.NewReader(in.Value))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		return err
	}
	switch x := v.(type) {
	case json.Number:
		if i, err := x.Int64(); err == nil {
			p.Value = i
			return nil
		}
		f, err := x.Float64()
		if err != nil {
			return err
		}
		p.Value = f
	case []any:
		words := make([]string, len(x))
		for i, w := range x {
			s, ok := w.(string)
			if !ok {
				return fmt.Errorf("audit: parameter %q: a list holds strings only, got %v", p.Name, w)
			}
			words[i] = s
		}
		p.Value = words
	default:
		p.Value = x
	}
	return nil
}
