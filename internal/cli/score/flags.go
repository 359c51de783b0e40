package score

import (
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/recaudit/recaudit/internal/cli/cmdutil"
	"github.com/recaudit/recaudit/metrics"
)

// measureNames maps the names --metrics accepts to measures: the stable
// names of metrics.Measure and common aliases.
var measureNames = map[string]metrics.Measure{
	"precision": metrics.MeasurePrecision, "p": metrics.MeasurePrecision,
	"recall":   metrics.MeasureRecall,
	"hit_rate": metrics.MeasureHitRate, "hitrate": metrics.MeasureHitRate, "hit": metrics.MeasureHitRate, "success": metrics.MeasureHitRate,
	"rr": metrics.MeasureRR, "mrr": metrics.MeasureRR, "recip_rank": metrics.MeasureRR,
	"ap": metrics.MeasureAP, "map": metrics.MeasureAP,
	"dcg":  metrics.MeasureDCG,
	"ndcg": metrics.MeasureNDCG,
	"rbp":  metrics.MeasureRBP,
}

// measureList is the help text of the accepted names.
const measureList = "precision, recall, hit_rate, rr (mrr), ap (map), dcg, ndcg, rbp"

// defaultMeasures are the measures scored without --metrics: those that
// trec_eval also computes.
var defaultMeasures = []metrics.Measure{
	metrics.MeasurePrecision, metrics.MeasureRecall, metrics.MeasureHitRate,
	metrics.MeasureRR, metrics.MeasureAP, metrics.MeasureNDCG,
}

// measuresValue is the --metrics flag: a comma-separated list of measure
// names, repeatable; a measure named twice is an error.
type measuresValue struct {
	p   *[]metrics.Measure
	set bool
}

func (v *measuresValue) Set(s string) error {
	if !v.set {
		*v.p, v.set = nil, true
	}
	for _, name := range strings.Split(s, ",") {
		name = strings.ToLower(strings.TrimSpace(name))
		m, ok := measureNames[name]
		if !ok {
			return fmt.Errorf("unknown metric %q; the metrics are %s", name, measureList)
		}
		if slices.Contains(*v.p, m) {
			return fmt.Errorf("metric %s given twice", m)
		}
		*v.p = append(*v.p, m)
	}
	return nil
}

func (v *measuresValue) String() string {
	names := make([]string, len(*v.p))
	for i, m := range *v.p {
		names[i] = m.String()
	}
	return strings.Join(names, ",")
}

func (v *measuresValue) Type() string { return "names" }

// cutoffsValue is the --k flag: comma-separated cutoffs, repeatable, each
// in [0, metrics.MaxCutoff] and distinct; 0 means the whole list.
type cutoffsValue struct {
	p   *[]int
	set bool
}

func (v *cutoffsValue) Set(s string) error {
	if !v.set {
		*v.p, v.set = nil, true
	}
	for _, f := range strings.Split(s, ",") {
		k, err := strconv.Atoi(strings.TrimSpace(f))
		if err != nil || k < 0 || k > metrics.MaxCutoff {
			return fmt.Errorf("cutoff %q is not a whole number in [0, %d]", f, metrics.MaxCutoff)
		}
		if slices.Contains(*v.p, k) {
			return fmt.Errorf("cutoff %d given twice", k)
		}
		*v.p = append(*v.p, k)
	}
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

// profileChoices are the profiles of --profile.
var profileChoices = []cmdutil.Choice[metrics.Profile]{
	{Name: "default", Value: metrics.ProfileDefault},
	{Name: "trec_eval", Value: metrics.ProfileTrecEval},
	{Name: "ranx", Value: metrics.ProfileRanx},
	{Name: "recbole", Value: metrics.ProfileRecBole},
	{Name: "lenskit", Value: metrics.ProfileLensKit},
	{Name: "elliot", Value: metrics.ProfileElliot},
	{Name: "rectools", Value: metrics.ProfileRecTools},
}

// OutputFormat is the layout of the results on stdout.
type OutputFormat int

const (
	FormatTable OutputFormat = iota // a readable table per system
	FormatTrec                      // trec_eval's "measure<TAB>qid<TAB>value" lines
)

var formatChoices = []cmdutil.Choice[OutputFormat]{
	{Name: "table", Value: FormatTable},
	{Name: "trec", Value: FormatTrec},
}
