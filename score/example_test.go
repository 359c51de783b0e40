package score_test

import (
	"fmt"
	"os"
	"path/filepath"

	"github.com/recaudit/recaudit/datasets"
	"github.com/recaudit/recaudit/metrics"
	"github.com/recaudit/recaudit/score"
)

// writeTemp writes content to name in a new temporary directory.
func writeTemp(dir, name, content string) string {
	path := filepath.Join(dir, name)
	if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
		panic(err)
	}
	return path
}

// Evaluate a TREC run as trec_eval -q -m num_q -m map -m P.2 -m ndcg -m
// ndcg_cut.2 -m map_cut.2 -m set_P does, and print it in trec_eval's
// layout (identical to trec_eval 10.0's output). By hand, q1 retrieves d3
// (grade 1), d2, d1 (grade 2): AP = (1/1 + 2/3)/2 = 0.8333; DCG = 1/1 +
// 2/log2(4) = 2 over the ideal 2/1 + 1/log2(3) = 2.6309, NDCG = 0.7602;
// at 2, DCG = 1 and NDCG = 0.3801.
func ExampleWriteTrecEval() {
	dir, _ := os.MkdirTemp("", "score")
	defer os.RemoveAll(dir)
	qrels := writeTemp(dir, "qrels", "q1 0 d1 2\nq1 0 d3 1\nq2 0 d2 1\n")
	run := writeTemp(dir, "run", "q1 Q0 d3 1 0.9 sys\nq1 Q0 d2 2 0.8 sys\nq1 Q0 d1 3 0.7 sys\nq2 Q0 d2 1 0.5 sys\n")
	q, runs, err := datasets.ReadTrec(qrels, []string{run})
	if err != nil {
		fmt.Println(err)
		return
	}
	te := score.TrecEval{Cutoffs: []int{2}}
	e := te.Evaluator()
	e.Measures = []metrics.Measure{metrics.MeasureAP, metrics.MeasurePrecision, metrics.MeasureNDCG}
	res := e.Evaluate(score.Lists(&runs[0].Rankings[0]), score.Relevance(&q.Judgments))
	err = score.WriteTrecEval(os.Stdout, res, q.Users, score.TrecFormat{PerQuery: true})
	if err != nil {
		fmt.Println(err)
	}
	// Output:
	// map                   	q1	0.8333
	// P_2                   	q1	0.5000
	// ndcg                  	q1	0.7602
	// ndcg_cut_2            	q1	0.3801
	// map_cut_2             	q1	0.5000
	// set_P                 	q1	0.6667
	// map                   	q2	1.0000
	// P_2                   	q2	0.5000
	// ndcg                  	q2	1.0000
	// ndcg_cut_2            	q2	1.0000
	// map_cut_2             	q2	1.0000
	// set_P                 	q2	1.0000
	// num_q                 	all	2
	// map                   	all	0.9167
	// P_2                   	all	0.5000
	// ndcg                  	all	0.8801
	// ndcg_cut_2            	all	0.6900
	// map_cut_2             	all	0.7500
	// set_P                 	all	0.8333
}

// TrecEval.Evaluate returns per-query values and means; -c is Complete.
func ExampleTrecEval_Evaluate() {
	dir, _ := os.MkdirTemp("", "score")
	defer os.RemoveAll(dir)
	qrels := writeTemp(dir, "qrels", "q1 0 d1 1\nq2 0 d2 1\n")
	run := writeTemp(dir, "run", "q1 Q0 d1 1 1 sys\n")
	q, runs, err := datasets.ReadTrec(qrels, []string{run})
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, complete := range []bool{false, true} {
		res := score.TrecEval{Cutoffs: []int{10}, Complete: complete}.Evaluate(&runs[0].Rankings[0], &q.Judgments)
		fmt.Printf("-c=%v: queries %d, map %.4f\n", complete, res.Counts().Evaluated, res.Mean(metrics.MeasureAP, 0))
	}
	// Output:
	// -c=false: queries 1, map 1.0000
	// -c=true: queries 2, map 0.5000
}

// Relevance and Lists turn datasets structures into metrics inputs.
func ExampleRelevance() {
	test := &datasets.CSR{Rows: 2, NumCols: 3, Offsets: []int64{0, 2, 3}, Cols: []int32{0, 2, 1}, Values: []float32{1, 3, 2}}
	recs := &datasets.Rankings{Offsets: []int64{0, 2, 4}, Items: []int32{2, 1, 0, 1}}
	e := metrics.Evaluator{Config: metrics.Config{Gain: metrics.GainLinear}, Measures: []metrics.Measure{metrics.MeasurePrecision}, Cutoffs: []int{2}}
	res := e.Evaluate(score.Lists(recs), score.Relevance(test))
	fmt.Println(res.Column(metrics.MeasurePrecision, 2))
	// Output:
	// [0.5 0.5]
}

// Lists shares the datasets lists with metrics.
func ExampleLists() {
	recs := &datasets.Rankings{Offsets: []int64{0, 2, 3}, Items: []int32{4, 2, 7}}
	lists := score.Lists(recs)
	fmt.Println(lists.Users(), lists.List(0), lists.List(1))
	// Output:
	// 2 [4 2] [7]
}

// Evaluate a recommendation file of two systems against held-out
// judgments by streaming (the file is sorted by user), and compare with
// the in-memory path.
func ExampleEvaluateFile() {
	dir, _ := os.MkdirTemp("", "score")
	defer os.RemoveAll(dir)
	path := filepath.Join(dir, "recs.arrow")
	err := score.WriteExampleRecs(path,
		[]string{"pop", "pop", "pop", "knn", "knn"},
		[]int32{1, 1, 2, 1, 2},
		[]int32{10, 11, 10, 12, 10},
		[]int32{1, 2, 1, 1, 1})
	if err != nil {
		fmt.Println(err)
		return
	}
	users, _ := datasets.NewIntIDs([]int64{1, 2})
	items, _ := datasets.NewIntIDs([]int64{10, 11, 12})
	// Held-out judgments: user 1 liked item 11, user 2 item 10. By hand:
	// pop hits at rank 2 for user 1 and rank 1 for user 2, so P@2 =
	// (1/2 + 1/2)/2 and MRR = (1/2 + 1)/2; knn hits user 2 only.
	test := &datasets.CSR{Rows: 2, NumCols: 3, Offsets: []int64{0, 1, 2}, Cols: []int32{1, 0}}
	e := metrics.Evaluator{Measures: []metrics.Measure{metrics.MeasurePrecision, metrics.MeasureRR}, Cutoffs: []int{2}}
	streamed, err := score.EvaluateFile(path, users, items, score.Relevance(test), e)
	if err != nil {
		fmt.Println(err)
		return
	}
	inMemory, _ := score.EvaluateRecommendations(path, users, items, score.Relevance(test), e)
	for i, r := range streamed {
		fmt.Printf("%s: P@2 %.2f, MRR %.2f (in memory: %.2f, %.2f)\n", r.System,
			r.Mean(metrics.MeasurePrecision, 2), r.Mean(metrics.MeasureRR, 2),
			inMemory[i].Mean(metrics.MeasurePrecision, 2), inMemory[i].Mean(metrics.MeasureRR, 2))
	}
	// Output:
	// knn: P@2 0.25, MRR 0.50 (in memory: 0.25, 0.50)
	// pop: P@2 0.50, MRR 0.75 (in memory: 0.50, 0.75)
}
