package trecbench

import (
	"io"

	"github.com/recaudit/recaudit/datasets"
	"github.com/recaudit/recaudit/metrics"
	"github.com/recaudit/recaudit/score"
)

// Evaluate reads the qrels and run of f, evaluates them as trec_eval does
// with the measures of Measures (score.TrecEval at Cutoffs) and writes
// trec_eval's layout to w, every query's values first when perQuery
// (trec_eval -q).
func Evaluate(f Files, perQuery bool, w io.Writer) error {
	q, runs, err := datasets.ReadTrec(f.Qrels, []string{f.Run})
	if err != nil {
		return err
	}
	e := score.TrecEval{Cutoffs: Cutoffs}.Evaluator()
	e.Measures = []metrics.Measure{metrics.MeasurePrecision, metrics.MeasureRecall, metrics.MeasureRR, metrics.MeasureAP, metrics.MeasureNDCG}
	res := e.Evaluate(score.Lists(&runs[0].Rankings[0]), score.Relevance(&q.Judgments))
	return score.WriteTrecEval(w, res, q.Users, score.TrecFormat{PerQuery: perQuery})
}
