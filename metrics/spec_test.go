package metrics_test

import (
	"math"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/recaudit/recaudit/metrics"
)

// tol is the tolerance of numbers quoted with 4 decimals (METRICS-SPEC.md);
// hand-computed numbers quoted with more digits use tightTol.
const (
	tol      = 1e-4
	tightTol = 1e-12
)

// The shared toy data of METRICS-SPEC.md §0: items A..H are 0..7.
const (
	A int32 = iota
	B
	C
	D
	E
	F
	G
	H
)

var (
	listU1 = []int32{A, B, C, D, E}
	listU2 = []int32{B, D, A, G, H}
	listU3 = []int32{C, A, B, E, D}
	relU1  = metrics.Judgments{Items: []int32{A, C, F}, Grades: []float64{3, 1, 2}}
	relU2  = metrics.Judgments{Items: []int32{G}, Grades: []float64{1}}
	relU3  = metrics.Judgments{}
)

type measureFunc func([]int32, metrics.Judgments, int, metrics.Config) float64

var measureFuncs = map[metrics.Measure]measureFunc{
	metrics.MeasurePrecision: metrics.Precision,
	metrics.MeasureRecall:    metrics.Recall,
	metrics.MeasureHitRate:   metrics.HitRate,
	metrics.MeasureRR:        metrics.ReciprocalRank,
	metrics.MeasureAP:        metrics.AveragePrecision,
	metrics.MeasureDCG:       metrics.DCG,
	metrics.MeasureNDCG:      metrics.NDCG,
	metrics.MeasureRBP:       metrics.RBP,
}

// TestSpecSingleUser checks every per-user worked example of
// METRICS-SPEC.md §1 (u1, u2, u3 of the §0 toy data).
func TestSpecSingleUser(t *testing.T) {
	lensKit := metrics.ProfileLensKit.Config()
	trec := metrics.ProfileTrecEval.Config()
	elliot := metrics.ProfileElliot.Config()
	recTools := metrics.ProfileRecTools.Config()
	zero := metrics.Config{NoRelevant: metrics.NoRelevantZero}
	for _, tc := range []struct {
		name string
		m    metrics.Measure
		list []int32
		rel  metrics.Judgments
		k    int
		cfg  metrics.Config
		want float64
	}{
		// §1.1 Precision.
		{"P@5 u1", metrics.MeasurePrecision, listU1, relU1, 5, metrics.Config{}, 0.4},
		{"P@5 u2", metrics.MeasurePrecision, listU2, relU2, 5, metrics.Config{}, 0.2},
		{"P@5 u3 zero", metrics.MeasurePrecision, listU3, relU3, 5, zero, 0},
		{"P@5 u3 excluded", metrics.MeasurePrecision, listU3, relU3, 5, metrics.Config{}, math.NaN()},
		{"P@2 u1", metrics.MeasurePrecision, listU1, relU1, 2, metrics.Config{}, 0.5},
		// §1.2 Recall, both denominators.
		{"R@5 u1", metrics.MeasureRecall, listU1, relU1, 5, metrics.Config{}, 0.6667},
		{"R@5 u1 lenskit", metrics.MeasureRecall, listU1, relU1, 5, lensKit, 0.6667},
		{"R@2 u1", metrics.MeasureRecall, listU1, relU1, 2, metrics.Config{}, 0.3333},
		{"R@2 u1 lenskit", metrics.MeasureRecall, listU1, relU1, 2, lensKit, 0.5},
		// §1.3 HitRate.
		{"HR@5 u1", metrics.MeasureHitRate, listU1, relU1, 5, metrics.Config{}, 1},
		{"HR@5 u2", metrics.MeasureHitRate, listU2, relU2, 5, metrics.Config{}, 1},
		{"HR@5 u3 zero", metrics.MeasureHitRate, listU3, relU3, 5, zero, 0},
		// §1.4 reciprocal rank.
		{"RR@5 u1", metrics.MeasureRR, listU1, relU1, 5, metrics.Config{}, 1},
		{"RR@5 u2", metrics.MeasureRR, listU2, relU2, 5, metrics.Config{}, 0.25},
		// §1.5 AP, every normaliser.
		{"AP@2 u1 trec", metrics.MeasureAP, listU1, relU1, 2, trec, 0.3333},
		{"AP@2 u1 recbole", metrics.MeasureAP, listU1, relU1, 2, metrics.Config{}, 0.5},
		{"AP@2 u1 lenskit", metrics.MeasureAP, listU1, relU1, 2, lensKit, 0.5},
		{"AP@2 u1 elliot", metrics.MeasureAP, listU1, relU1, 2, elliot, 0.75},
		{"AP@5 u1", metrics.MeasureAP, listU1, relU1, 5, metrics.Config{}, 0.5556},
		{"AP@5 u1 trec", metrics.MeasureAP, listU1, relU1, 5, trec, 0.5556},
		{"AP@5 u1 elliot", metrics.MeasureAP, listU1, relU1, 5, elliot, 0.6133},
		{"AP@5 u2", metrics.MeasureAP, listU2, relU2, 5, metrics.Config{}, 0.25},
		{"AP@5 u2 elliot", metrics.MeasureAP, listU2, relU2, 5, elliot, 0.09},
		// §1.6 NDCG, all five variants for u1, two for u2.
		{"NDCG@5 u1 binary", metrics.MeasureNDCG, listU1, relU1, 5, metrics.Config{}, 0.7039},
		{"NDCG@5 u1 clip", metrics.MeasureNDCG, listU1, relU1, 5, metrics.Config{Discount: metrics.DiscountClip}, 0.6199},
		{"NDCG@5 u1 lenskit", metrics.MeasureNDCG, listU1, relU1, 5, lensKit, 0.6199},
		{"NDCG@5 u1 linear", metrics.MeasureNDCG, listU1, relU1, 5, metrics.Config{Gain: metrics.GainLinear}, 0.7350},
		{"NDCG@5 u1 trec", metrics.MeasureNDCG, listU1, relU1, 5, trec, 0.7350},
		{"NDCG@5 u1 exp", metrics.MeasureNDCG, listU1, relU1, 5, metrics.Config{Gain: metrics.GainExp}, 0.7985},
		{"NDCG@5 u1 elliot θ=1", metrics.MeasureNDCG, listU1, relU1, 5, elliot, 0.7985},
		{"NDCG@5 u1 rectools", metrics.MeasureNDCG, listU1, relU1, 5, recTools, 0.5087},
		{"NDCG@5 u2 binary", metrics.MeasureNDCG, listU2, relU2, 5, metrics.Config{}, 0.4307},
		{"NDCG@5 u2 clip", metrics.MeasureNDCG, listU2, relU2, 5, metrics.Config{Discount: metrics.DiscountClip}, 0.5},
		// §1.6 DCG and IDCG pieces: DCG u1 binary 1.5, clip 1.6309, linear 3.5, exp 7.5.
		{"DCG@5 u1 binary", metrics.MeasureDCG, listU1, relU1, 5, metrics.Config{}, 1.5},
		{"DCG@5 u1 clip", metrics.MeasureDCG, listU1, relU1, 5, metrics.Config{Discount: metrics.DiscountClip}, 1.6309},
		{"DCG@5 u1 linear", metrics.MeasureDCG, listU1, relU1, 5, metrics.Config{Gain: metrics.GainLinear}, 3.5},
		{"DCG@5 u1 exp", metrics.MeasureDCG, listU1, relU1, 5, metrics.Config{Gain: metrics.GainExp}, 7.5},
		// §1.7 RBP.
		{"RBP@5 u1 p=0.8", metrics.MeasureRBP, listU1, relU1, 5, metrics.Config{Patience: 0.8}, 0.328},
		{"RBP@0 u1 p=0.8", metrics.MeasureRBP, listU1, relU1, 0, metrics.Config{Patience: 0.8}, 0.328},
	} {
		got := measureFuncs[tc.m](tc.list, tc.rel, tc.k, tc.cfg)
		if !cmp.Equal(got, tc.want, cmpopts.EquateApprox(0, tol), cmpopts.EquateNaNs()) {
			t.Errorf("%s: got %v, want %v (METRICS-SPEC.md §1)", tc.name, got, tc.want)
		}
	}
}

// TestSpecMeans checks the means of METRICS-SPEC.md §1.3, §1.4 and §1.6
// over u1, u2, u3 with u3 (no relevant item) excluded or scored 0.
func TestSpecMeans(t *testing.T) {
	lists := metrics.Rankings{Offsets: []int64{0, 5, 10, 15}}
	lists.Items = append(append(append(lists.Items, listU1...), listU2...), listU3...)
	truth := metrics.Relevance{
		Offsets: []int64{0, 3, 4, 4},
		Items:   []int32{A, C, F, G},
		Grades:  []float64{3, 1, 2, 1},
	}
	measures := []metrics.Measure{metrics.MeasureHitRate, metrics.MeasureRR, metrics.MeasureNDCG}
	for _, tc := range []struct {
		name   string
		policy metrics.NoRelevant
		want   []float64 // HR@5, MRR@5, NDCG@5
		counts metrics.Counts
	}{
		{"exclude", metrics.NoRelevantExclude, []float64{1, 0.625, 0.5673},
			metrics.Counts{Users: 3, Evaluated: 2, NoRelevant: 1}},
		{"zero", metrics.NoRelevantZero, []float64{0.6667, 0.4167, 0.3782},
			metrics.Counts{Users: 3, Evaluated: 3, NoRelevant: 1}},
		// u3 has no judgment at all, so trec_eval would ignore it.
		{"zero if judged", metrics.NoRelevantZeroIfJudged, []float64{1, 0.625, 0.5673},
			metrics.Counts{Users: 3, Evaluated: 2, NoRelevant: 1}},
	} {
		e := metrics.Evaluator{
			Config:   metrics.Config{NoRelevant: tc.policy},
			Measures: measures,
			Cutoffs:  []int{5},
		}
		res := e.Evaluate(lists, truth)
		if diff := cmp.Diff(tc.want, res.Means(), cmpopts.EquateApprox(0, tol)); diff != "" {
			t.Errorf("%s: means (-want +got, METRICS-SPEC.md §1.3/§1.4/§1.6):\n%s", tc.name, diff)
		}
		if diff := cmp.Diff(tc.counts, res.Counts()); diff != "" {
			t.Errorf("%s: counts (-want +got):\n%s", tc.name, diff)
		}
		// Per-user NDCG@5: u1 0.7039, u2 0.4307 (§1.6), u3 NaN or 0.
		u3 := math.NaN()
		if tc.policy == metrics.NoRelevantZero {
			u3 = 0
		}
		wantCol := []float64{0.7039, 0.4307, u3}
		if diff := cmp.Diff(wantCol, res.Column(metrics.MeasureNDCG, 5), cmpopts.EquateApprox(0, tol), cmpopts.EquateNaNs()); diff != "" {
			t.Errorf("%s: NDCG@5 column (-want +got):\n%s", tc.name, diff)
		}
	}
}

// TestHandComputed checks hand-computed vectors for graded relevance with
// θ > 1, short lists, k beyond the list, k = 0, repeats, out-of-range
// items and empty lists. Numbers were computed by hand and checked with a
// few lines of plain Python (math.log2).
func TestHandComputed(t *testing.T) {
	theta2 := metrics.Config{Threshold: 2}
	lensKit := metrics.ProfileLensKit.Config()
	for _, tc := range []struct {
		name string
		m    metrics.Measure
		list []int32
		rel  metrics.Judgments
		k    int
		cfg  metrics.Config
		want float64
	}{
		// θ = 2 on u1: R = {A(3), F(2)}; C (grade 1) is not relevant; hit A@1.
		{"θ2 P@5", metrics.MeasurePrecision, listU1, relU1, 5, theta2, 1.0 / 5},
		{"θ2 R@5", metrics.MeasureRecall, listU1, relU1, 5, theta2, 1.0 / 2},
		{"θ2 RR@5", metrics.MeasureRR, listU1, relU1, 5, theta2, 1},
		{"θ2 AP@5", metrics.MeasureAP, listU1, relU1, 5, theta2, 1.0 / 2},
		// binary: 1 / (1 + 1/log2 3)
		{"θ2 NDCG@5 binary", metrics.MeasureNDCG, listU1, relU1, 5, theta2, 0.6131471927654584},
		// linear: 3 / (3 + 2/log2 3)
		{"θ2 NDCG@5 linear", metrics.MeasureNDCG, listU1, relU1, 5,
			metrics.Config{Threshold: 2, Gain: metrics.GainLinear}, 0.7039180890341347},
		// exp: 7 / (7 + 3/log2 3)
		{"θ2 NDCG@5 exp", metrics.MeasureNDCG, listU1, relU1, 5,
			metrics.Config{Threshold: 2, Gain: metrics.GainExp}, 0.7871546029909718},
		// Elliot: gains 2^(rel−2+1)−1 = 3 (A), 1 (F): 3 / (3 + 1/log2 3)
		{"θ2 NDCG@5 elliot", metrics.MeasureNDCG, listU1, relU1, 5,
			metrics.Config{Threshold: 2, Gain: metrics.GainElliot}, 0.8262346571285599},
		// u2 under θ = 2: G has grade 1, so no relevant item.
		{"θ2 u2 excluded", metrics.MeasureNDCG, listU2, relU2, 5, theta2, math.NaN()},
		{"θ2 u2 zero", metrics.MeasureNDCG, listU2, relU2, 5,
			metrics.Config{Threshold: 2, NoRelevant: metrics.NoRelevantZero}, 0},
		{"θ2 u2 zero if judged", metrics.MeasureRecall, listU2, relU2, 5,
			metrics.Config{Threshold: 2, NoRelevant: metrics.NoRelevantZeroIfJudged}, 0},
		{"u3 zero if judged", metrics.MeasureRecall, listU3, relU3, 5,
			metrics.Config{NoRelevant: metrics.NoRelevantZeroIfJudged}, math.NaN()},

		// Short list [C] on u1, k = 5: one hit at rank 1.
		{"short P@5", metrics.MeasurePrecision, []int32{C}, relU1, 5, metrics.Config{}, 1.0 / 5},
		{"short P@5 lenskit", metrics.MeasurePrecision, []int32{C}, relU1, 5, lensKit, 1},
		{"short R@5", metrics.MeasureRecall, []int32{C}, relU1, 5, metrics.Config{}, 1.0 / 3},
		{"short AP@5", metrics.MeasureAP, []int32{C}, relU1, 5, metrics.Config{}, 1.0 / 3},
		{"short AP@5 lenskit", metrics.MeasureAP, []int32{C}, relU1, 5, lensKit, 1},
		{"short AP@5 k-norm", metrics.MeasureAP, []int32{C}, relU1, 5, metrics.Config{AP: metrics.APK}, 1.0 / 5},
		// Elliot: mean(1, 1/2, 1/3, 1/4, 1/5)
		{"short AP@5 elliot", metrics.MeasureAP, []int32{C}, relU1, 5,
			metrics.Config{AP: metrics.APElliot}, 0.45666666666666667},
		// 1 / (1 + 1/log2 3 + 1/log2 4)
		{"short NDCG@5", metrics.MeasureNDCG, []int32{C}, relU1, 5, metrics.Config{}, 0.46927872602275644},

		// k = 10 beyond the 5-item list of u1.
		{"P@10", metrics.MeasurePrecision, listU1, relU1, 10, metrics.Config{}, 2.0 / 10},
		{"AP@10", metrics.MeasureAP, listU1, relU1, 10, metrics.Config{}, (1 + 2.0/3) / 3},
		{"NDCG@10", metrics.MeasureNDCG, listU1, relU1, 10, metrics.Config{}, 1.5 / (1 + 1/math.Log2(3) + 0.5)},
		// Elliot: (1/10) Σ_{n=1..10} hits(n)/n with hits at 1 and 3.
		{"AP@10 elliot", metrics.MeasureAP, listU1, relU1, 10,
			metrics.Config{AP: metrics.APElliot}, 0.43579365079365073},
		// RecTools ideal of 10 ones: 1.5 / Σ_{r=1..10} 1/log2(r+1)
		{"NDCG@10 fixed", metrics.MeasureNDCG, listU1, relU1, 10,
			metrics.Config{Ideal: metrics.IdealFixedK}, 0.33013764944712026},

		// k = 0: no cutoff, ideal not truncated.
		{"P@0", metrics.MeasurePrecision, listU1, relU1, 0, metrics.Config{}, 2.0 / 5},
		{"NDCG@0 [A]", metrics.MeasureNDCG, []int32{A}, relU1, 0, metrics.Config{}, 0.46927872602275644},
		{"NDCG@1 [A]", metrics.MeasureNDCG, []int32{A}, relU1, 1, metrics.Config{}, 1},
		{"NDCG@1 [A] all-relevant ideal", metrics.MeasureNDCG, []int32{A}, relU1, 1,
			metrics.Config{Ideal: metrics.IdealAllRelevant}, 0.46927872602275644},
		{"RR@0 u2", metrics.MeasureRR, listU2, relU2, 0, metrics.Config{}, 0.25},
		{"RR@3 u2", metrics.MeasureRR, listU2, relU2, 3, metrics.Config{}, 0},

		// DCG with other discounts: ln: 1/ln 2 + 1/ln 4; clip: 1 + 1/log2 3.
		{"DCG@5 ln", metrics.MeasureDCG, listU1, relU1, 5,
			metrics.Config{Discount: metrics.DiscountLn}, 2.164042561333445},
		{"NDCG@5 ln", metrics.MeasureNDCG, listU1, relU1, 5,
			metrics.Config{Discount: metrics.DiscountLn}, 1.5 / (1 + 1/math.Log2(3) + 0.5)},
		// RBP with linear gains: 0.2·(3 + 1·0.8²)
		{"RBP@5 linear", metrics.MeasureRBP, listU1, relU1, 5,
			metrics.Config{Patience: 0.8, Gain: metrics.GainLinear}, 0.728},
		// RBP cut at 2: only A counts: 0.2·1
		{"RBP@2", metrics.MeasureRBP, listU1, relU1, 2, metrics.Config{Patience: 0.8}, 0.2},

		// Repeats count once; negative and unknown items are misses.
		{"repeat P@3", metrics.MeasurePrecision, []int32{A, A, C}, relU1, 3, metrics.Config{}, 2.0 / 3},
		{"repeat AP@3", metrics.MeasureAP, []int32{A, A, C}, relU1, 3, metrics.Config{}, (1 + 2.0/3) / 3},
		{"foreign items RR", metrics.MeasureRR, []int32{-1, 100, A}, relU1, 5, metrics.Config{}, 1.0 / 3},

		// Empty list: all-miss by default, excluded on request.
		{"empty P@5", metrics.MeasurePrecision, nil, relU1, 5, metrics.Config{}, 0},
		{"empty P@5 lenskit", metrics.MeasurePrecision, nil, relU1, 5, lensKit, 0},
		{"empty NDCG@5", metrics.MeasureNDCG, nil, relU1, 5, metrics.Config{}, 0},
		{"empty AP@0", metrics.MeasureAP, nil, relU1, 0, metrics.Config{}, 0},
		{"empty NDCG@0 fixed", metrics.MeasureNDCG, nil, relU1, 0, metrics.Config{Ideal: metrics.IdealFixedK}, 0},
		{"empty excluded", metrics.MeasureNDCG, nil, relU1, 5, metrics.Config{NoList: metrics.NoListExclude}, math.NaN()},
		// Implicit feedback: nil grades are all 1.
		{"implicit NDCG@5", metrics.MeasureNDCG, listU1, metrics.Judgments{Items: []int32{A, C, F}}, 5,
			metrics.Config{Gain: metrics.GainLinear}, 0.7039180890341347},
	} {
		got := measureFuncs[tc.m](tc.list, tc.rel, tc.k, tc.cfg)
		if !cmp.Equal(got, tc.want, cmpopts.EquateApprox(0, tightTol), cmpopts.EquateNaNs()) {
			t.Errorf("%s: got %.17g, want %.17g (hand-computed)", tc.name, got, tc.want)
		}
	}
}

// TestUsersWithoutList checks the counts and values of users whose list is
// empty, in a batch: u1 has no list, u2 a list, u3 neither list nor
// judgments.
func TestUsersWithoutList(t *testing.T) {
	lists := metrics.Rankings{Offsets: []int64{0, 0, 5, 5}, Items: listU2}
	truth := metrics.Relevance{Offsets: []int64{0, 3, 4, 4}, Items: []int32{A, C, F, G}, Grades: []float64{3, 1, 2, 1}}
	for _, tc := range []struct {
		name   string
		cfg    metrics.Config
		want   []float64 // NDCG@5 of u1, u2, u3
		mean   float64
		counts metrics.Counts
	}{
		// u1 scored as an all-miss list (METRICS-SPEC.md §0 item 4): mean (0 + 0.4307)/2.
		{"miss", metrics.Config{}, []float64{0, 0.43067655807339306, math.NaN()}, 0.43067655807339306 / 2,
			metrics.Counts{Users: 3, Evaluated: 2, NoRelevant: 1, NoList: 2}},
		{"exclude", metrics.Config{NoList: metrics.NoListExclude}, []float64{math.NaN(), 0.43067655807339306, math.NaN()}, 0.43067655807339306,
			metrics.Counts{Users: 3, Evaluated: 1, NoRelevant: 1, NoList: 2}},
		{"trec", metrics.ProfileTrecEval.Config(), []float64{math.NaN(), 0.43067655807339306, math.NaN()}, 0.43067655807339306,
			metrics.Counts{Users: 3, Evaluated: 1, NoRelevant: 1, NoList: 2}},
		{"miss and zero", metrics.Config{NoRelevant: metrics.NoRelevantZero}, []float64{0, 0.43067655807339306, 0}, 0.43067655807339306 / 3,
			metrics.Counts{Users: 3, Evaluated: 3, NoRelevant: 1, NoList: 2}},
	} {
		e := metrics.Evaluator{Config: tc.cfg, Measures: []metrics.Measure{metrics.MeasureNDCG}, Cutoffs: []int{5}}
		res := e.Evaluate(lists, truth)
		// u2: G at rank 4: 1/log2(5) (hand-computed).
		if diff := cmp.Diff(tc.want, res.Column(metrics.MeasureNDCG, 5), cmpopts.EquateApprox(0, tightTol), cmpopts.EquateNaNs()); diff != "" {
			t.Errorf("%s: NDCG@5 (-want +got):\n%s", tc.name, diff)
		}
		if got := res.Mean(metrics.MeasureNDCG, 5); math.Abs(got-tc.mean) > tightTol {
			t.Errorf("%s: mean %v, want %v", tc.name, got, tc.mean)
		}
		if diff := cmp.Diff(tc.counts, res.Counts()); diff != "" {
			t.Errorf("%s: counts (-want +got):\n%s", tc.name, diff)
		}
		wantStatus := []metrics.Status{metrics.StatusNoList, 0, metrics.StatusNoRelevant | metrics.StatusNoList | metrics.StatusExcluded}
		if tc.cfg.NoList == metrics.NoListExclude {
			wantStatus[0] |= metrics.StatusExcluded
		}
		if tc.cfg.NoRelevant == metrics.NoRelevantZero {
			wantStatus[2] &^= metrics.StatusExcluded
		}
		if diff := cmp.Diff(wantStatus, res.Status); diff != "" {
			t.Errorf("%s: status (-want +got):\n%s", tc.name, diff)
		}
	}
}
