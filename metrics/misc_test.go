package metrics_test

import (
	"math"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/recaudit/recaudit/metrics"
)

// panics reports whether f panics with a message starting "metrics: ".
func panics(f func()) (ok bool) {
	defer func() {
		r := recover()
		s, isString := r.(string)
		ok = isString && strings.HasPrefix(s, "metrics: ")
	}()
	f()
	return false
}

func TestPanics(t *testing.T) {
	rel := relU1
	lists := metrics.Rankings{Offsets: []int64{0, 5}, Items: listU1}
	truth := metrics.Relevance{Offsets: []int64{0, 3}, Items: relU1.Items, Grades: relU1.Grades}
	for _, tc := range []struct {
		name string
		f    func()
	}{
		{"negative k", func() { metrics.Precision(listU1, rel, -1, metrics.Config{}) }},
		{"huge k", func() { metrics.Precision(listU1, rel, metrics.MaxCutoff+1, metrics.Config{}) }},
		{"bad gain", func() { metrics.NDCG(listU1, rel, 5, metrics.Config{Gain: 9}) }},
		{"bad discount", func() { metrics.NDCG(listU1, rel, 5, metrics.Config{Discount: -1}) }},
		{"bad ideal", func() { metrics.NDCG(listU1, rel, 5, metrics.Config{Ideal: 3}) }},
		{"bad AP", func() { metrics.AveragePrecision(listU1, rel, 5, metrics.Config{AP: 5}) }},
		{"bad precision", func() { metrics.Precision(listU1, rel, 5, metrics.Config{Precision: 2}) }},
		{"bad recall", func() { metrics.Recall(listU1, rel, 5, metrics.Config{Recall: 2}) }},
		{"bad no-relevant", func() { metrics.Recall(listU1, rel, 5, metrics.Config{NoRelevant: 3}) }},
		{"bad no-list", func() { metrics.Recall(listU1, rel, 5, metrics.Config{NoList: 2}) }},
		{"negative threshold", func() { metrics.Recall(listU1, rel, 5, metrics.Config{Threshold: -1}) }},
		{"NaN threshold", func() { metrics.Recall(listU1, rel, 5, metrics.Config{Threshold: math.NaN()}) }},
		{"patience 1", func() { metrics.RBP(listU1, rel, 5, metrics.Config{Patience: 1}) }},
		{"unsorted judgments", func() {
			metrics.Recall(listU1, metrics.Judgments{Items: []int32{C, A}}, 5, metrics.Config{})
		}},
		{"repeated judgment", func() {
			metrics.Recall(listU1, metrics.Judgments{Items: []int32{A, A}}, 5, metrics.Config{})
		}},
		{"negative judged item", func() {
			metrics.Recall(listU1, metrics.Judgments{Items: []int32{-1}}, 5, metrics.Config{})
		}},
		{"grades length", func() {
			metrics.Recall(listU1, metrics.Judgments{Items: []int32{A}, Grades: []float64{1, 2}}, 5, metrics.Config{})
		}},
		{"no cutoffs", func() { (&metrics.Evaluator{}).Evaluate(lists, truth) }},
		{"repeated cutoff", func() { (&metrics.Evaluator{Cutoffs: []int{5, 5}}).Evaluate(lists, truth) }},
		{"repeated zero cutoff", func() { (&metrics.Evaluator{Cutoffs: []int{0, 0}}).Evaluate(lists, truth) }},
		{"repeated measure", func() {
			(&metrics.Evaluator{Cutoffs: []int{5}, Measures: []metrics.Measure{metrics.MeasureAP, metrics.MeasureAP}}).Evaluate(lists, truth)
		}},
		{"bad measure", func() {
			(&metrics.Evaluator{Cutoffs: []int{5}, Measures: []metrics.Measure{42}}).Evaluate(lists, truth)
		}},
		{"user mismatch", func() {
			(&metrics.Evaluator{Cutoffs: []int{5}}).Evaluate(metrics.Rankings{Offsets: []int64{0}}, truth)
		}},
		{"bad offsets", func() {
			(&metrics.Evaluator{Cutoffs: []int{5}}).Evaluate(metrics.Rankings{Offsets: []int64{0, 4}, Items: listU1}, truth)
		}},
		{"decreasing offsets", func() {
			(&metrics.Evaluator{Cutoffs: []int{5}}).Evaluate(metrics.Rankings{Offsets: []int64{0, 6, 5}, Items: listU1},
				metrics.Relevance{Offsets: []int64{0, 0, 0}})
		}},
		{"missing column", func() {
			res := (&metrics.Evaluator{Cutoffs: []int{5}}).Evaluate(lists, truth)
			res.Column(metrics.MeasureNDCG, 10)
		}},
		{"merge mismatch", func() {
			a := metrics.NewAccumulator([]metrics.Measure{metrics.MeasureAP}, []int{5})
			a.Merge(metrics.NewAccumulator([]metrics.Measure{metrics.MeasureAP}, []int{10}))
		}},
		{"add user length", func() {
			a := metrics.NewAccumulator([]metrics.Measure{metrics.MeasureAP}, []int{5})
			a.AddUser([]float64{1, 2}, 0)
		}},
		{"order lengths", func() { metrics.OrderByScore([]int32{1, 2}, []float64{1}, metrics.TieItemAsc) }},
		{"order tie", func() { metrics.OrderByScore([]int32{1}, []float64{1}, 7) }},
		{"bad profile", func() { metrics.Profile(99).Config() }},
	} {
		if !panics(tc.f) {
			t.Errorf("%s: did not panic with a metrics: message", tc.name)
		}
	}
}

func TestOrderByScore(t *testing.T) {
	items := []int32{5, 3, 9, 1, 7}
	scores := []float64{0.5, 0.9, 0.5, math.NaN(), 0.5}
	for _, tc := range []struct {
		name string
		tie  metrics.TieBreak
		want []int32
	}{
		// hand-ordered: 3 (0.9), then the 0.5 ties, then the NaN item.
		{"item asc", metrics.TieItemAsc, []int32{3, 5, 7, 9, 1}},
		{"trec", metrics.TieTrec, []int32{3, 9, 7, 5, 1}},
	} {
		got := metrics.OrderByScore(items, scores, tc.tie)
		if diff := cmp.Diff(tc.want, got); diff != "" {
			t.Errorf("%s (-want +got):\n%s", tc.name, diff)
		}
	}
	if diff := cmp.Diff([]int32{5, 3, 9, 1, 7}, items); diff != "" {
		t.Errorf("items modified (-want +got):\n%s", diff)
	}
	// trec_eval breaks ties by docno string descending: "d10" > "d1" > "d09"
	// (byte order, not numeric order).
	ids := []string{"d1", "d10", "d09"}
	got := metrics.OrderByScoreFunc([]int32{0, 1, 2}, []float64{1, 1, 1},
		func(a, b int32) int { return strings.Compare(ids[b], ids[a]) })
	if diff := cmp.Diff([]int32{1, 0, 2}, got); diff != "" {
		t.Errorf("string ties (-want +got):\n%s", diff)
	}
}

func TestStrings(t *testing.T) {
	var names []string
	for _, m := range metrics.AllMeasures() {
		names = append(names, m.String())
	}
	want := []string{"precision", "recall", "hit_rate", "rr", "ap", "dcg", "ndcg", "rbp"}
	if diff := cmp.Diff(want, names); diff != "" {
		t.Errorf("measure names (-want +got):\n%s", diff)
	}
	if got := metrics.Measure(99).String(); got != "Measure(99)" {
		t.Errorf("bad measure name %q", got)
	}
	if got := metrics.ProfileTrecEval.String(); got != "trec_eval" {
		t.Errorf("profile name %q", got)
	}
}

func TestUnmarshalErrors(t *testing.T) {
	a := metrics.NewAccumulator([]metrics.Measure{metrics.MeasureNDCG}, []int{5, 0})
	a.AddUser([]float64{0.5, 0.25}, 0)
	b, err := a.MarshalBinary()
	if err != nil {
		t.Fatal(err)
	}
	var c metrics.Accumulator
	if err := c.UnmarshalBinary(b); err != nil {
		t.Fatalf("round trip: %v", err)
	}
	if c.Mean(metrics.MeasureNDCG, 0) != 0.25 || c.Counts().Users != 1 {
		t.Errorf("round trip lost data: %+v %v", c.Counts(), c.Means())
	}
	for _, bad := range [][]byte{nil, b[:7], b[:len(b)-1], append(append([]byte{}, b...), 0), []byte("not an accumulator")} {
		if err := c.UnmarshalBinary(bad); err == nil {
			t.Errorf("UnmarshalBinary(%q...) succeeded", bad[:min(len(bad), 8)])
		}
	}
}

func TestMeanNoUser(t *testing.T) {
	a := metrics.NewAccumulator(nil, []int{5})
	if len(a.Means()) != 0 {
		t.Errorf("means of no measure: %v", a.Means())
	}
	b := metrics.NewAccumulator([]metrics.Measure{metrics.MeasureAP}, []int{5})
	b.AddUser(nil, metrics.StatusExcluded|metrics.StatusNoRelevant)
	if got := b.Mean(metrics.MeasureAP, 5); !math.IsNaN(got) {
		t.Errorf("mean of no evaluated user: %v, want NaN", got)
	}
	if diff := cmp.Diff(metrics.Counts{Users: 1, NoRelevant: 1}, b.Counts()); diff != "" {
		t.Errorf("counts (-want +got):\n%s", diff)
	}
}

func TestNoUsers(t *testing.T) {
	e := metrics.Evaluator{Cutoffs: []int{10}}
	res := e.Evaluate(metrics.Rankings{}, metrics.Relevance{})
	if res.Counts() != (metrics.Counts{}) || len(res.Status) != 0 || len(res.Values) != len(metrics.AllMeasures()) {
		t.Errorf("empty evaluation: %+v, %d statuses, %d columns", res.Counts(), len(res.Status), len(res.Values))
	}
	if got := res.Mean(metrics.MeasureNDCG, 10); !math.IsNaN(got) {
		t.Errorf("mean over no user = %v, want NaN", got)
	}
}
