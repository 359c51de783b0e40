package score

import (
	"bufio"
	"errors"
	"io"
	"math"
	"slices"
	"strconv"

	"github.com/recaudit/recaudit/datasets"
	"github.com/recaudit/recaudit/metrics"
)

// defaultTrecCutoffs are trec_eval's default cutoffs of P, recall,
// map_cut and ndcg_cut (m_P.c, m_recall.c, m_map_cut.c, m_ndcg_cut.c).
var defaultTrecCutoffs = []int{5, 10, 15, 20, 30, 100, 200, 500, 1000}

// TrecEval evaluates runs as trec_eval 9 and 10 do
// (https://github.com/usnistgov/trec_eval): the conventions of
// metrics.ProfileTrecEval, the measures P_k, recall_k, map_cut_k,
// ndcg_cut_k and success_k at the Cutoffs, and map, recip_rank, ndcg,
// set_P and set_recall over the whole list (cutoff 0).
//
// Queries are averaged as trec_eval averages them: over the queries that
// are in the qrels and, unless Complete, in the run. Queries of the run
// without any judgment are ignored; queries with judgments but no
// relevant document score 0. Give the run in trec_eval order
// (datasets.TrecOrderScore) to reproduce trec_eval; its relevance
// threshold is 1 (trec_eval -l 1, the default), and grades should be
// integers, as trec_eval truncates them.
//
// trec_eval 10.0 stops with "result qid not found in qrels" when a qrels
// query is absent from the run and -c is not given; trec_eval 9 and this
// package leave such queries out of the means.
type TrecEval struct {
	// Cutoffs are the cutoffs k of P, recall, map_cut, ndcg_cut and
	// success, each positive; nil means trec_eval's defaults 5, 10, 15,
	// 20, 30, 100, 200, 500, 1000.
	Cutoffs []int
	// Complete is trec_eval's -c: queries of the qrels that are absent
	// from the run are evaluated as empty lists (scoring 0) and averaged
	// in.
	Complete bool
	// Workers is the number of goroutines; <= 0 means GOMAXPROCS.
	Workers int
}

// Evaluator returns the metrics.Evaluator that computes the measures of t:
// Precision, Recall, HitRate, RR, AP and NDCG at the cutoff 0 and the
// Cutoffs sorted ascending, with the conventions of
// metrics.ProfileTrecEval (NoListMiss when Complete). It panics if a
// cutoff is not positive.
func (t TrecEval) Evaluator() metrics.Evaluator {
	cuts := t.Cutoffs
	if cuts == nil {
		cuts = defaultTrecCutoffs
	}
	cutoffs := []int{0}
	for _, k := range cuts {
		if k <= 0 {
			panic(panicCutoff)
		}
		cutoffs = append(cutoffs, k)
	}
	slices.Sort(cutoffs[1:])
	cutoffs = slices.Compact(cutoffs)
	cfg := metrics.ProfileTrecEval.Config()
	if t.Complete {
		cfg.NoList = metrics.NoListMiss
	}
	return metrics.Evaluator{
		Config:   cfg,
		Measures: []metrics.Measure{metrics.MeasurePrecision, metrics.MeasureRecall, metrics.MeasureHitRate, metrics.MeasureRR, metrics.MeasureAP, metrics.MeasureNDCG},
		Cutoffs:  cutoffs,
		Workers:  t.Workers,
	}
}

// Evaluate evaluates the lists of run against the judgments qrels, whose
// rows must be the same users (as datasets.ReadTrec returns them), and
// returns the per-user values and means (see metrics.Evaluator.Evaluate).
// Evaluate panics if run or qrels is nil, if their numbers of users
// differ, or if a cutoff is not positive.
func (t TrecEval) Evaluate(run *datasets.Rankings, qrels *datasets.CSR) *metrics.Result {
	if run == nil || qrels == nil {
		panic(panicNilArgs)
	}
	if run.Users() != qrels.Rows {
		panic(panicUsers)
	}
	e := t.Evaluator()
	return e.Evaluate(Lists(run), Relevance(qrels))
}

// ErrNoQueries is returned by WriteTrecEval when no query was evaluated
// (trec_eval: "No queries with both results and relevance info").
var ErrNoQueries = errors.New("score: no query has both results and relevance judgments")

// TrecFormat selects what WriteTrecEval prints.
type TrecFormat struct {
	// PerQuery prints every evaluated query's values before the summary
	// (trec_eval -q).
	PerQuery bool
	// RunID, when not empty, is printed first as "runid all RunID"
	// (trec_eval -m runid).
	RunID string
}

// trecColumn is one measure printed by WriteTrecEval.
type trecColumn struct {
	name  string
	index int // column of the Result
}

// trecColumns returns the printable (measure, cutoff) columns of the
// layout in trec_eval's order: map, recip_rank, P, recall, ndcg, ndcg_cut,
// map_cut, success, set_P, set_recall (measures.c), cutoffs ascending.
func trecColumns(measures []metrics.Measure, cutoffs []int) []trecColumn {
	sorted := slices.Clone(cutoffs)
	slices.Sort(sorted)
	var cols []trecColumn
	add := func(m metrics.Measure, cut bool, name string) {
		mi := slices.Index(measures, m)
		if mi < 0 {
			return
		}
		for _, k := range sorted {
			if (k > 0) != cut {
				continue
			}
			n := name
			if cut {
				n += "_" + strconv.Itoa(k)
			}
			cols = append(cols, trecColumn{name: n, index: mi*len(cutoffs) + slices.Index(cutoffs, k)})
		}
	}
	add(metrics.MeasureAP, false, "map")
	add(metrics.MeasureRR, false, "recip_rank")
	add(metrics.MeasurePrecision, true, "P")
	add(metrics.MeasureRecall, true, "recall")
	add(metrics.MeasureNDCG, false, "ndcg")
	add(metrics.MeasureNDCG, true, "ndcg_cut")
	add(metrics.MeasureAP, true, "map_cut")
	add(metrics.MeasureHitRate, true, "success")
	add(metrics.MeasurePrecision, false, "set_P")
	add(metrics.MeasureRecall, false, "set_recall")
	return cols
}

// WriteTrecEval writes res in the layout of trec_eval: one line
//
//	measure<padding><TAB>qid<TAB>value
//
// per measure, the name left-aligned in 22 columns and the value printed
// as C's "%6.4f" (meas_print_single.c, meas_print_final.c). With
// f.PerQuery, the evaluated queries come first, in strcmp order of their
// IDs (as trec_eval prints them), each with its measures; then the
// summary: "num_q" (the number of evaluated queries) and every measure
// with the qid "all".
//
// The measures printed are those of res with a trec_eval name: map,
// recip_rank, P_k, recall_k, ndcg, ndcg_cut_k, map_cut_k, success_k, set_P
// and set_recall for AP@0, RR@0, Precision@k, Recall@k, NDCG@0, NDCG@k,
// AP@k, HitRate@k, Precision@0 and Recall@0, in trec_eval's order; other
// measures and cutoffs are skipped.
//
// When res has per-user values, each summary value is their plain float64
// sum in printing order divided by num_q, as trec_eval computes it, so
// that the printed digits agree with trec_eval's even where rounding the
// fourth decimal depends on the last bit. qids gives the query IDs of the
// users (the Users of a datasets.TrecRun). When res holds only means (a
// Result wrapping an Accumulator, as from streaming), the summary prints
// the exact means, PerQuery is ignored and qids may be nil.
//
// WriteTrecEval returns ErrNoQueries when no user was evaluated, and the
// first error of w. It panics if res is nil, or if res has per-user values
// and qids is nil or has fewer IDs than res has users.
func WriteTrecEval(w io.Writer, res *metrics.Result, qids *datasets.IDs, f TrecFormat) error {
	if res == nil || res.Accumulator == nil {
		panic(panicNilArgs)
	}
	cols := trecColumns(res.Measures(), res.Cutoffs())
	bw := bufio.NewWriterSize(w, 64<<10)
	var buf []byte
	if f.RunID != "" {
		buf = appendTrecString(buf, "runid", "all", f.RunID)
	}
	if res.Values == nil || len(res.Status) == 0 {
		n := res.Counts().Evaluated
		if n == 0 {
			return ErrNoQueries
		}
		buf = appendTrecString(buf, "num_q", "all", strconv.FormatInt(n, 10))
		means := res.Means()
		for _, c := range cols {
			buf = appendTrecValue(buf, c.name, "all", means[c.index])
		}
		_, _ = bw.Write(buf)
		return bw.Flush()
	}
	if qids == nil || qids.Len() < len(res.Status) {
		panic(panicNilArgs)
	}
	order := make([]int32, 0, len(res.Status))
	for u, s := range res.Status {
		if s&metrics.StatusExcluded == 0 {
			order = append(order, int32(u))
		}
	}
	if len(order) == 0 {
		return ErrNoQueries
	}
	sortByID(order, qids)
	if f.PerQuery {
		for _, u := range order {
			qid := qids.String(u)
			for _, c := range cols {
				buf = appendTrecValue(buf, c.name, qid, res.Values[c.index][u])
			}
			if len(buf) > 32<<10 {
				if _, err := bw.Write(buf); err != nil {
					return err
				}
				buf = buf[:0]
			}
		}
	}
	buf = appendTrecString(buf, "num_q", "all", strconv.Itoa(len(order)))
	for _, c := range cols {
		col := res.Values[c.index]
		var sum float64
		for _, u := range order {
			sum += col[u]
		}
		buf = appendTrecValue(buf, c.name, "all", sum/float64(len(order)))
	}
	if _, err := bw.Write(buf); err != nil {
		return err
	}
	return bw.Flush()
}

// sortByID sorts user indices by the byte order of their IDs' text, which
// is trec_eval's order (strcmp); IDs read from TREC files without a
// dataset are already in that order.
func sortByID(order []int32, ids *datasets.IDs) {
	sorted := true
	for i := 1; i < len(order) && sorted; i++ {
		sorted = ids.String(order[i-1]) < ids.String(order[i])
	}
	if sorted {
		return
	}
	slices.SortFunc(order, func(a, b int32) int {
		sa, sb := ids.String(a), ids.String(b)
		switch {
		case sa < sb:
			return -1
		case sa > sb:
			return 1
		}
		return int(a - b)
	})
}

// appendTrecName appends "%-22s\t%s\t".
func appendTrecName(buf []byte, name, qid string) []byte {
	buf = append(buf, name...)
	for i := len(name); i < 22; i++ {
		buf = append(buf, ' ')
	}
	buf = append(buf, '\t')
	buf = append(buf, qid...)
	return append(buf, '\t')
}

func appendTrecString(buf []byte, name, qid, value string) []byte {
	buf = appendTrecName(buf, name, qid)
	buf = append(buf, value...)
	return append(buf, '\n')
}

// appendTrecValue appends a line with v formatted as C's "%6.4f": both
// round the exact binary value half to even, and C prints NaN and
// infinities as "nan", "inf" and "-inf", right-aligned in 6 columns.
func appendTrecValue(buf []byte, name, qid string, v float64) []byte {
	buf = appendTrecName(buf, name, qid)
	var num []byte
	var tmp [32]byte
	switch {
	case math.IsNaN(v):
		num = append(tmp[:0], "nan"...)
	case math.IsInf(v, 1):
		num = append(tmp[:0], "inf"...)
	case math.IsInf(v, -1):
		num = append(tmp[:0], "-inf"...)
	default:
		num = strconv.AppendFloat(tmp[:0], v, 'f', 4, 64)
	}
	for i := len(num); i < 6; i++ {
		buf = append(buf, ' ')
	}
	buf = append(buf, num...)
	return append(buf, '\n')
}
