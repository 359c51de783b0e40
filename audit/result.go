package audit

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"io"
	"math"
	"os"
	"slices"
	"strconv"

	"github.com/recaudit/recaudit/datasets"
	"github.com/recaudit/recaudit/fairness"
	"github.com/recaudit/recaudit/internal/atomicfile"
)

// SchemaVersion is the version of the results document. Fields are added
// without changing it; it changes only if a field changes meaning or is
// removed.
const SchemaVersion = 1

// QThreshold is the false discovery rate at which findings are reported.
const QThreshold = 0.05

// Result is the results.json document of an audit (DESIGN.md, Results).
// Every slice is in a defined order and no map is marshalled, so the same
// inputs and seed give byte-identical JSON; timings are kept elsewhere.
type Result struct {
	SchemaVersion int  `json:"schema_version"`
	Tool          Tool `json:"tool"`
	// Dataset is the provenance of the data.
	Dataset DatasetInfo `json:"dataset"`
	// Split is the train/test split.
	Split SplitInfo `json:"split"`
	// Seed is the seed of every random stream of the audit.
	Seed uint64 `json:"seed"`
	// Settings are the metric and statistics settings.
	Settings Settings `json:"settings"`
	// UserGroups and ItemGroups describe the groupings, with their
	// suppressed groups.
	UserGroups []UserGroupsInfo `json:"user_groups"`
	ItemGroups []ItemGroupsInfo `json:"item_groups"`
	Systems    []*SystemResult  `json:"systems"`
	// Tests summarises the multiple-testing correction.
	Tests TestsInfo `json:"tests"`
	// Findings are plain-language statements of the significant results.
	Findings []Finding `json:"findings"`
	// Spec is the effective audit spec (every default filled in, paths as
	// given), null for a result not made by [Run].
	Spec *Spec `json:"spec"`
	// DataAccess is the data-minimisation record: which columns of which
	// table each stage of the audit was given (see [DataAccess]).
	DataAccess []DataAccess `json:"data_access"`
}

// Tool names the program that wrote the result.
type Tool struct {
	Name    string `json:"name"`
	Version string `json:"version"`
}

// DatasetInfo is the provenance of the dataset.
type DatasetInfo struct {
	// Name is a short name ("demo", a directory name).
	Name string `json:"name"`
	// Files are the input files, with sizes and SHA-256 digests (none for
	// generated data).
	Files        []FileInfo `json:"files"`
	Users        int        `json:"users"`
	Items        int        `json:"items"`
	Interactions int        `json:"interactions"`
	// Metadata is the dataset's metadata (for example the demo
	// generator's parameters), sorted by key.
	Metadata []KeyValue `json:"metadata"`
}

// FileInfo is one input file.
type FileInfo struct {
	Role   string `json:"role"` // "interactions", "users", "items", "recommendations", ...
	Path   string `json:"path"`
	Bytes  int64  `json:"bytes"`
	SHA256 string `json:"sha256"`
}

// KeyValue is one metadata entry.
type KeyValue struct {
	Key   string `json:"key"`
	Value string `json:"value"`
}

// SplitInfo records the split.
type SplitInfo struct {
	Kind              string  `json:"kind"`
	Fraction          float64 `json:"fraction"`
	N                 int     `json:"n"`
	Seed              uint64  `json:"seed"`
	TrainInteractions int     `json:"train_interactions"`
	TestInteractions  int     `json:"test_interactions"`
	UsersSplit        int     `json:"users_split"`
}

// Settings records the scoring settings.
type Settings struct {
	Cutoffs       []int    `json:"cutoffs"`
	Measures      []string `json:"measures"`
	GroupMeasures []string `json:"group_measures"`
	// RelevanceThreshold is θ; NoRelevant and NoList the conventions for
	// users without relevant items or without a list (METRICS-SPEC.md §0).
	RelevanceThreshold float64 `json:"relevance_threshold"`
	ExposureModel      string  `json:"exposure_model"`
	CalibrationAlpha   float64 `json:"calibration_alpha"`
	HeadShare          float64 `json:"head_share"`
	MinGroupSize       int     `json:"min_group_size"`
	BootstrapResamples int     `json:"bootstrap_resamples"`
	Alpha              float64 `json:"alpha"`
	Correction         string  `json:"correction"`
}

// UserGroupsInfo describes one user grouping.
type UserGroupsInfo struct {
	Attribute  string       `json:"attribute"`
	Groups     []GroupSize  `json:"groups"`
	Suppressed []Suppressed `json:"suppressed"`
	Missing    int          `json:"missing"`
}

// GroupSize is a reported group and its number of users.
type GroupSize struct {
	Group string `json:"group"`
	Users int    `json:"users"`
}

// ItemGroupsInfo describes one item grouping.
type ItemGroupsInfo struct {
	Attribute string          `json:"attribute"`
	Multi     bool            `json:"multi"`
	Groups    []ItemGroupSize `json:"groups"`
}

// ItemGroupSize is an item group and its (alignment-weighted) number of
// items.
type ItemGroupSize struct {
	Group string         `json:"group"`
	Items fairness.Float `json:"items"`
}

// TestsInfo summarises the tests of a result.
type TestsInfo struct {
	// Count is the number of tests with a p-value, the family of the
	// Benjamini–Hochberg correction; Significant those with q < QThreshold.
	Count       int     `json:"count"`
	Significant int     `json:"significant"`
	Correction  string  `json:"correction"`
	QThreshold  float64 `json:"q_threshold"`
}

// Finding is a plain-language statement of a significant result.
type Finding struct {
	System string `json:"system"`
	// Kind is "consumer", "provider", "targeting", "consent" or
	// "inference" (KindConsent, KindInference).
	Kind      string         `json:"kind"`
	Metric    string         `json:"metric"`
	Attribute string         `json:"attribute"`
	Cutoff    int            `json:"cutoff"`
	Groups    []string       `json:"groups"`
	Q         fairness.Float `json:"q"`
	Text      string         `json:"text"`
}

// NewResult returns a Result for d, split and groups, with the settings of
// cfg: everything but the systems, which Score produces and the caller
// appends, and the tests and findings, which [Result.Finalize] fills in.
func NewResult(toolVersion string, name string, d *datasets.Dataset, split datasets.Split, st datasets.SplitStats, g *Groups, cfg Config, seed uint64) *Result {
	r := &Result{
		SchemaVersion: SchemaVersion,
		Tool:          Tool{Name: "recaudit", Version: toolVersion},
		Dataset: DatasetInfo{
			Name: name, Files: []FileInfo{},
			Users: d.Users.Len(), Items: d.Items.Len(), Interactions: d.Interactions.NNZ(),
			Metadata: []KeyValue{},
		},
		Split: SplitInfo{Kind: split.Kind.String(), Fraction: split.Fraction, N: split.N, Seed: split.Seed,
			TrainInteractions: st.TrainInteractions, TestInteractions: st.TestInteractions, UsersSplit: st.UsersSplit},
		Seed:       seed,
		UserGroups: []UserGroupsInfo{},
		ItemGroups: []ItemGroupsInfo{},
		Systems:    []*SystemResult{},
		Findings:   []Finding{},
		DataAccess: []DataAccess{},
	}
	keys := make([]string, 0, len(d.Metadata))
	for k := range d.Metadata {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	for _, k := range keys {
		r.Dataset.Metadata = append(r.Dataset.Metadata, KeyValue{Key: k, Value: d.Metadata[k]})
	}
	st2 := Settings{
		Cutoffs:            slices.Clone(cfg.cutoffs()),
		Measures:           []string{},
		GroupMeasures:      []string{},
		RelevanceThreshold: cfg.Metrics.Threshold,
		ExposureModel:      cfg.Exposure.Model.String(),
		CalibrationAlpha:   cfg.Calibration.Alpha,
		HeadShare:          cfg.HeadShare,
		MinGroupSize:       g.MinGroupSize,
		BootstrapResamples: cfg.Analyze.BootstrapB,
		Alpha:              cfg.Analyze.Alpha,
		Correction:         "benjamini-hochberg",
	}
	if st2.RelevanceThreshold == 0 {
		st2.RelevanceThreshold = 1
	}
	if st2.CalibrationAlpha == 0 {
		st2.CalibrationAlpha = 0.01
	}
	if st2.HeadShare == 0 {
		st2.HeadShare = 0.8
	}
	if st2.BootstrapResamples == 0 {
		st2.BootstrapResamples = 1000
	}
	if st2.Alpha == 0 {
		st2.Alpha = 0.05
	}
	for _, m := range cfg.measures() {
		st2.Measures = append(st2.Measures, m.String())
	}
	for _, m := range cfg.groupMeasures() {
		st2.GroupMeasures = append(st2.GroupMeasures, m.String())
	}
	r.Settings = st2
	for _, ug := range g.Users {
		info := UserGroupsInfo{Attribute: ug.Attribute, Groups: []GroupSize{}, Suppressed: slices.Clone(ug.Suppressed), Missing: ug.Missing}
		if info.Suppressed == nil {
			info.Suppressed = []Suppressed{}
		}
		for i, l := range ug.Levels {
			info.Groups = append(info.Groups, GroupSize{Group: l, Users: ug.Sizes[i]})
		}
		r.UserGroups = append(r.UserGroups, info)
	}
	for _, ig := range g.Items {
		info := ItemGroupsInfo{Attribute: ig.Attribute, Multi: ig.Multi, Groups: []ItemGroupSize{}}
		for i, l := range ig.Levels {
			info.Groups = append(info.Groups, ItemGroupSize{Group: l, Items: fairness.Float(ig.Items[i])})
		}
		r.ItemGroups = append(r.ItemGroups, info)
	}
	return r
}

// FileProvenance returns the size and SHA-256 digest of the file at path,
// for DatasetInfo.Files.
func FileProvenance(role, path string) (FileInfo, error) {
	f, err := os.Open(path)
	if err != nil {
		return FileInfo{}, err
	}
	defer f.Close()
	h := sha256.New()
	n, err := io.Copy(h, f)
	if err != nil {
		return FileInfo{}, err
	}
	return FileInfo{Role: role, Path: path, Bytes: n, SHA256: hex.EncodeToString(h.Sum(nil))}, nil
}

// AllTests returns pointers to every test of the result with a p-value
// (consumer disparities and Kruskal–Wallis tests, provider share tests,
// the tests of the consent and attribute-inference probes), system by
// system, in a fixed order.
func (r *Result) AllTests() []*fairness.Test {
	var ts []*fairness.Test
	for _, s := range r.Systems {
		if s.Consumer != nil {
			ts = append(ts, s.Consumer.Tests()...)
		}
		for i := range s.Provider {
			for j := range s.Provider[i].Groups {
				eg := &s.Provider[i].Groups[j]
				for _, t := range []*fairness.Test{eg.VsCatalogue.Test, eg.VsMerit.Test} {
					if t != nil {
						ts = append(ts, t)
					}
				}
			}
		}
		ts = append(ts, s.probeTests()...)
	}
	return ts
}

// Finalize corrects every test of the result for multiple testing
// (Benjamini–Hochberg over all of them, METRICS-SPEC.md §6.3), copies the
// p- and q-values into the targeting summaries, decides the verdicts of
// the attribute-inference probe from the q-values, and writes the
// findings. Call it once, after appending every system.
func (r *Result) Finalize() {
	ts := r.AllTests()
	fairness.AdjustBH(ts)
	r.Tests = TestsInfo{Correction: "benjamini-hochberg", QThreshold: QThreshold}
	for _, t := range ts {
		if !t.P.IsNaN() {
			r.Tests.Count++
		}
		if float64(t.Q) < QThreshold {
			r.Tests.Significant++
		}
	}
	for _, s := range r.Systems {
		for i := range s.Targeting {
			tr := &s.Targeting[i]
			if c := comparison(s.Consumer, tr.Metric, tr.Attribute); c != nil {
				for _, d := range c.Disparities {
					if d.Aggregator == fairness.MinMaxRatio.String() {
						tr.P, tr.Q = d.Test.P, d.Test.Q
					}
				}
			}
		}
	}
	for _, s := range r.Systems {
		s.settleInference()
	}
	r.Findings = findings(r)
}

func comparison(a *fairness.Analysis, metric, attribute string) *fairness.Comparison {
	if a == nil {
		return nil
	}
	for i := range a.Comparisons {
		if a.Comparisons[i].Metric == metric && a.Comparisons[i].Attribute == attribute {
			return &a.Comparisons[i]
		}
	}
	return nil
}

// WriteJSON writes r as indented JSON followed by a newline.
func WriteJSON(w io.Writer, r *Result) error {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(r); err != nil {
		return err
	}
	_, err := w.Write(buf.Bytes())
	return err
}

// WriteFile writes r to path atomically (a temporary file in the same
// directory, then a rename).
func WriteFile(path string, r *Result) error {
	return atomicfile.Write(path, func(w io.Writer) error { return WriteJSON(w, r) })
}

// ReadJSON decodes a results document, rejecting unknown fields.
func ReadJSON(rd io.Reader) (*Result, error) {
	dec := json.NewDecoder(rd)
	dec.DisallowUnknownFields()
	var r Result
	if err := dec.Decode(&r); err != nil {
		return nil, err
	}
	return &r, nil
}

// formatQ formats a q-value for a finding: "q < 0.001" or "q = 0.012".
func formatQ(q float64) string {
	if q < 0.001 {
		return "q < 0.001"
	}
	return "q = " + strconv.FormatFloat(q, 'f', 3, 64)
}

// num formats a metric value with three significant decimals.
func num(v float64) string {
	if math.IsNaN(v) {
		return "n/a"
	}
	if math.Abs(v) >= 100 {
		return strconv.FormatFloat(v, 'f', 1, 64)
	}
	return strconv.FormatFloat(v, 'f', 3, 64)
}
