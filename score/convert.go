package score

import (
	"github.com/recaudit/recaudit/datasets"
	"github.com/recaudit/recaudit/metrics"
)

// Panic messages for programmer errors.
const (
	panicUsers   = "score: run and judgments have different numbers of users"
	panicCutoff  = "score: cutoff must be positive"
	panicNilArgs = "score: nil argument"
)

// Relevance returns the judgments of test (rows users, columns items, as
// returned by datasets.Split.Apply or datasets.ReadTrecQrels) as a
// metrics.Relevance: the offsets and items are shared with test, the
// grades are copied to float64 (nil for implicit feedback, which means
// every grade is 1). Relevance panics if test is nil.
func Relevance(test *datasets.CSR) metrics.Relevance {
	if test == nil {
		panic(panicNilArgs)
	}
	r := metrics.Relevance{Offsets: test.Offsets, Items: test.Cols}
	if test.Values != nil {
		r.Grades = make([]float64, len(test.Values))
		for i, v := range test.Values {
			r.Grades[i] = float64(v)
		}
	}
	return r
}

// Lists returns the lists of r as metrics.Rankings, sharing r's offsets
// and items: the caller must not modify them. Lists panics if r is nil.
func Lists(r *datasets.Rankings) metrics.Rankings {
	if r == nil {
		panic(panicNilArgs)
	}
	return metrics.Rankings{Offsets: r.Offsets, Items: r.Items}
}
