package metrics_test

import (
	"fmt"
	"math"
	"strings"

	"github.com/recaudit/recaudit/metrics"
)

// The toy data of METRICS-SPEC.md §0: items A..H are 0..7; user u1 was
// recommended [A B C D E] and has test items A (grade 3), C (1), F (2).
var (
	exList = []int32{0, 1, 2, 3, 4}
	exRel  = metrics.Judgments{Items: []int32{0, 2, 5}, Grades: []float64{3, 1, 2}}
)

func ExamplePrecision() {
	fmt.Printf("P@5 = %.4f\n", metrics.Precision(exList, exRel, 5, metrics.Config{}))
	fmt.Printf("P@2 = %.4f\n", metrics.Precision(exList, exRel, 2, metrics.Config{}))
	// A short list: k stays the denominator, unless LensKit's convention.
	short := []int32{2}
	fmt.Printf("P@5 of [C] = %.4f\n", metrics.Precision(short, exRel, 5, metrics.Config{}))
	fmt.Printf("P@5 of [C], LensKit = %.4f\n", metrics.Precision(short, exRel, 5, metrics.ProfileLensKit.Config()))
	// Output:
	// P@5 = 0.4000
	// P@2 = 0.5000
	// P@5 of [C] = 0.2000
	// P@5 of [C], LensKit = 1.0000
}

func ExampleRecall() {
	fmt.Printf("Recall@2 = %.4f\n", metrics.Recall(exList, exRel, 2, metrics.Config{}))
	fmt.Printf("Recall@2 over min(|R|, k) = %.4f\n",
		metrics.Recall(exList, exRel, 2, metrics.Config{Recall: metrics.RecallMinRelevantK}))
	// Output:
	// Recall@2 = 0.3333
	// Recall@2 over min(|R|, k) = 0.5000
}

func ExampleHitRate() {
	fmt.Println(metrics.HitRate(exList, exRel, 5, metrics.Config{}))
	// A user with no relevant item is excluded by default (NaN) ...
	none := metrics.Judgments{}
	fmt.Println(metrics.HitRate(exList, none, 5, metrics.Config{}))
	// ... or scored 0 on request.
	fmt.Println(metrics.HitRate(exList, none, 5, metrics.Config{NoRelevant: metrics.NoRelevantZero}))
	// Output:
	// 1
	// NaN
	// 0
}

func ExampleReciprocalRank() {
	// u2 of the toy data: [B D A G H], test item G at rank 4.
	list := []int32{1, 3, 0, 6, 7}
	rel := metrics.Judgments{Items: []int32{6}}
	fmt.Println(metrics.ReciprocalRank(list, rel, 5, metrics.Config{}))
	fmt.Println(metrics.ReciprocalRank(list, rel, 3, metrics.Config{}))
	fmt.Println(metrics.ReciprocalRank(list, rel, 0, metrics.Config{})) // no cutoff, as trec_eval recip_rank
	// Output:
	// 0.25
	// 0
	// 0.25
}

func ExampleAveragePrecision() {
	for _, tc := range []struct {
		name string
		cfg  metrics.Config
	}{
		{"min(|R|,k) (default, RecBole)", metrics.Config{}},
		{"|R| (trec_eval)", metrics.ProfileTrecEval.Config()},
		{"Elliot mean P@1..k", metrics.ProfileElliot.Config()},
	} {
		fmt.Printf("AP@2 %-30s %.4f\n", tc.name, metrics.AveragePrecision(exList, exRel, 2, tc.cfg))
	}
	// Output:
	// AP@2 min(|R|,k) (default, RecBole)  0.5000
	// AP@2 |R| (trec_eval)                0.3333
	// AP@2 Elliot mean P@1..k             0.7500
}

func ExampleDCG() {
	fmt.Printf("binary %.4f\n", metrics.DCG(exList, exRel, 5, metrics.Config{}))
	fmt.Printf("linear %.4f\n", metrics.DCG(exList, exRel, 5, metrics.Config{Gain: metrics.GainLinear}))
	fmt.Printf("exp    %.4f\n", metrics.DCG(exList, exRel, 5, metrics.Config{Gain: metrics.GainExp}))
	// Output:
	// binary 1.5000
	// linear 3.5000
	// exp    7.5000
}

func ExampleNDCG() {
	for _, tc := range []struct {
		name string
		cfg  metrics.Config
	}{
		{"binary, 1/log2(r+1)", metrics.Config{}},
		{"binary, clipped (LensKit)", metrics.Config{Discount: metrics.DiscountClip}},
		{"linear gain (trec_eval)", metrics.Config{Gain: metrics.GainLinear}},
		{"exponential gain", metrics.Config{Gain: metrics.GainExp}},
		{"ideal of k ones (RecTools)", metrics.Config{Ideal: metrics.IdealFixedK}},
	} {
		fmt.Printf("NDCG@5 %-27s %.4f\n", tc.name, metrics.NDCG(exList, exRel, 5, tc.cfg))
	}
	// Output:
	// NDCG@5 binary, 1/log2(r+1)         0.7039
	// NDCG@5 binary, clipped (LensKit)   0.6199
	// NDCG@5 linear gain (trec_eval)     0.7350
	// NDCG@5 exponential gain            0.7985
	// NDCG@5 ideal of k ones (RecTools)  0.5087
}

func ExampleRBP() {
	fmt.Printf("%.4f\n", metrics.RBP(exList, exRel, 5, metrics.Config{Patience: 0.8}))
	// Output:
	// 0.3280
}

func ExampleEvaluator() {
	// The three users of METRICS-SPEC.md §0 in CSR form.
	lists := metrics.Rankings{
		Offsets: []int64{0, 5, 10, 15},
		Items:   []int32{0, 1, 2, 3, 4, 1, 3, 0, 6, 7, 2, 0, 1, 4, 3},
	}
	truth := metrics.Relevance{
		Offsets: []int64{0, 3, 4, 4}, // u3 has no test item
		Items:   []int32{0, 2, 5, 6},
		Grades:  []float64{3, 1, 2, 1},
	}
	e := metrics.Evaluator{
		Measures: []metrics.Measure{metrics.MeasureNDCG, metrics.MeasureRR},
		Cutoffs:  []int{5, 3},
	}
	res := e.Evaluate(lists, truth)
	for _, m := range res.Measures() {
		for _, k := range res.Cutoffs() {
			fmt.Printf("%s@%d per user %.4f mean %.4f\n", m, k, res.Column(m, k), res.Mean(m, k))
		}
	}
	fmt.Printf("%+v\n", res.Counts())
	// Output:
	// ndcg@5 per user [0.7039 0.4307 NaN] mean 0.5673
	// ndcg@3 per user [0.7039 0.0000 NaN] mean 0.3520
	// rr@5 per user [1.0000 0.2500 NaN] mean 0.6250
	// rr@3 per user [1.0000 0.0000 NaN] mean 0.5000
	// {Users:3 Evaluated:2 NoRelevant:1 NoList:0}
}

func ExampleAccumulator_Merge() {
	// Two shards of users evaluated apart (say, on two machines).
	e := metrics.Evaluator{Measures: []metrics.Measure{metrics.MeasureNDCG}, Cutoffs: []int{5}}
	shard1 := e.Accumulate(
		metrics.Rankings{Offsets: []int64{0, 5}, Items: []int32{0, 1, 2, 3, 4}},
		metrics.Relevance{Offsets: []int64{0, 3}, Items: []int32{0, 2, 5}})
	shard2 := e.Accumulate(
		metrics.Rankings{Offsets: []int64{0, 5, 10}, Items: []int32{1, 3, 0, 6, 7, 2, 0, 1, 4, 3}},
		metrics.Relevance{Offsets: []int64{0, 1, 1}, Items: []int32{6}})
	// The encoding carries the exact sums between processes.
	wire, _ := shard2.MarshalBinary()
	var received metrics.Accumulator
	if err := received.UnmarshalBinary(wire); err != nil {
		fmt.Println(err)
		return
	}
	shard1.Merge(&received)
	fmt.Printf("NDCG@5 %.4f over %d of %d users\n",
		shard1.Mean(metrics.MeasureNDCG, 5), shard1.Counts().Evaluated, shard1.Counts().Users)
	// Output:
	// NDCG@5 0.5673 over 2 of 3 users
}

func ExampleAccumulator_AddUser() {
	// Group means from per-user columns: users 0 and 1 form one group.
	lists := metrics.Rankings{Offsets: []int64{0, 2, 4, 6}, Items: []int32{0, 1, 1, 0, 2, 3}}
	truth := metrics.Relevance{Offsets: []int64{0, 1, 2, 3}, Items: []int32{0, 0, 3}}
	e := metrics.Evaluator{Measures: []metrics.Measure{metrics.MeasureRR}, Cutoffs: []int{2}}
	res := e.Evaluate(lists, truth)
	group := metrics.NewAccumulator(res.Measures(), res.Cutoffs())
	for _, u := range []int{0, 1} {
		group.AddUser([]float64{res.Values[0][u]}, res.Status[u])
	}
	fmt.Printf("all %.4f, group %.4f\n", res.Mean(metrics.MeasureRR, 2), group.Mean(metrics.MeasureRR, 2))
	// Output:
	// all 0.6667, group 0.7500
}

func ExampleProfile_Config() {
	cfg := metrics.ProfileTrecEval.Config()
	fmt.Println(cfg.AP == metrics.APRelevant, cfg.Gain == metrics.GainLinear, cfg.NoRelevant == metrics.NoRelevantZeroIfJudged)
	// Output:
	// true true true
}

func ExampleOrderByScore() {
	items := []int32{5, 3, 9, 7}
	scores := []float64{0.5, 0.9, 0.5, 0.5}
	fmt.Println(metrics.OrderByScore(items, scores, metrics.TieItemAsc))
	fmt.Println(metrics.OrderByScore(items, scores, metrics.TieTrec))
	// Output:
	// [3 5 7 9]
	// [3 9 7 5]
}

func ExampleOrderByScoreFunc() {
	// Reproduce trec_eval's tie order on external string IDs: docno
	// descending, compared as byte strings.
	docno := []string{"d1", "d10", "d09"}
	order := metrics.OrderByScoreFunc([]int32{0, 1, 2}, []float64{2, 2, 2},
		func(a, b int32) int { return strings.Compare(docno[b], docno[a]) })
	for _, i := range order {
		fmt.Print(docno[i], " ")
	}
	fmt.Println()
	// Output:
	// d10 d1 d09
}

// The toy lists of METRICS-SPEC.md §0 (items A..H are 0..7).
var exLists = metrics.Rankings{
	Offsets: []int64{0, 5, 10, 15},
	Items:   []int32{0, 1, 2, 3, 4, 1, 3, 0, 6, 7, 2, 0, 1, 4, 3},
}

func ExampleItemCounts() {
	fmt.Println(metrics.ItemCounts(exLists, 5, 8, nil))
	// Exposure with geometric rank weights 0.5^(r-1).
	fmt.Println(metrics.ItemCounts(exLists, 5, 8, []float64{1, 0.5, 0.25, 0.125, 0.0625}))
	// Output:
	// [3 3 2 3 2 0 1 1]
	// [1.75 1.75 1.25 0.6875 0.1875 0 0.125 0.0625]
}

func ExampleCoverage() {
	fmt.Println(metrics.Coverage(metrics.ItemCounts(exLists, 5, 8, nil)))
	// Output:
	// 0.875
}

func ExampleGini() {
	counts := metrics.ItemCounts(exLists, 5, 8, nil)
	fmt.Printf("%.4f %.4f %.4f\n",
		metrics.Gini(counts, metrics.GiniStandard),
		metrics.Gini(counts, metrics.GiniRecBole),
		metrics.Gini(counts, metrics.GiniElliot))
	// Output:
	// 0.3083 0.3852 0.6476
}

func ExampleEntropy() {
	counts := metrics.ItemCounts(exLists, 5, 8, nil)
	fmt.Printf("%.4f bits, %.4f nats\n", metrics.Entropy(counts, 2), metrics.Entropy(counts, math.E))
	// Output:
	// 2.6892 bits, 1.8640 nats
}

func ExamplePersonalization() {
	fmt.Printf("%.4f\n", metrics.Personalization(exLists, 5, 8))
	// Output:
	// 0.2667
}

func ExampleNovelty() {
	pop := []float64{50, 40, 30, 20, 10, 5, 3, 2} // distinct training users of A..H, of 100
	fmt.Printf("%.4f\n", metrics.Novelty(exLists.List(0), 5, pop, 100))
	// Output:
	// 1.9405
}

func ExampleMeanPopularity() {
	pop := []float64{50, 40, 30, 20, 10, 5, 3, 2}
	var sum float64
	for u := range exLists.Users() {
		sum += metrics.MeanPopularity(exLists.List(u), 5, pop)
	}
	fmt.Printf("ARP %.4f\n", sum/3)
	// Output:
	// ARP 27.6667
}

func ExampleDeltaGAP() {
	pop := []float64{50, 40, 30, 20, 10, 5, 3, 2}
	profile := metrics.MeanPopularity([]int32{0, 6, 1, 5}, 0, pop) // u1 trained on A, G, B, F
	recs := metrics.MeanPopularity(exLists.List(0), 5, pop)
	fmt.Printf("%.4f\n", metrics.DeltaGAP([]float64{profile}, []float64{recs}))
	// Output:
	// 0.2245
}

func ExampleHeadTail() {
	interactions := []float64{50, 40, 30, 20, 10, 5, 3, 2}
	fmt.Println(metrics.HeadTail(interactions, 0.8))
	// Output:
	// [false false false false true true true true]
}

func ExampleTailByFraction() {
	interactions := []float64{50, 40, 30, 20, 10, 5, 3, 2}
	fmt.Println(metrics.TailByFraction(interactions, 0.1))
	// Output:
	// [false false false false false false false true]
}

func ExampleTailShare() {
	tail := metrics.HeadTail([]float64{50, 40, 30, 20, 10, 5, 3, 2}, 0.8)
	var aplt float64
	for u := range exLists.Users() {
		aplt += metrics.TailShare(exLists.List(u), 5, tail)
	}
	fmt.Printf("APLT %.4f\n", aplt/3)
	// Output:
	// APLT 0.2667
}

func ExampleTailCount() {
	tail := metrics.HeadTail([]float64{50, 40, 30, 20, 10, 5, 3, 2}, 0.8)
	fmt.Println(metrics.TailCount(exLists.List(1), 5, tail)) // u2: G and H
	// Output:
	// 2
}

func ExampleIntraListDiversity() {
	// Genres: action 0, comedy 1, drama 2, romance 3, documentary 4.
	genres := metrics.Categories{
		Offsets: []int64{0, 1, 3, 4, 5, 7, 8, 9, 10},
		Codes:   []int32{0, 0, 1, 2, 1, 2, 3, 3, 0, 4},
	}
	u1 := exLists.List(0)
	fmt.Printf("cosine %.4f, Jaccard %.4f\n",
		metrics.IntraListDiversity(u1, 5, genres.Cosine),
		metrics.IntraListDiversity(u1, 5, genres.Jaccard))
	// Output:
	// cosine 0.7879, Jaccard 0.8500
}

func ExampleCategories_Cosine() {
	genres := metrics.Categories{Offsets: []int64{0, 1, 3}, Codes: []int32{0, 0, 1}} // {action}, {action, comedy}
	fmt.Printf("%.4f %.4f\n", genres.Cosine(0, 1), genres.Jaccard(0, 1))
	// Output:
	// 0.7071 0.5000
}
