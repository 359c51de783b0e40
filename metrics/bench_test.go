package metrics_test

import (
	"math/rand/v2"
	"os"
	"slices"
	"strconv"
	"testing"

	"github.com/recaudit/recaudit/metrics"
)

// benchData returns users lists of 100 distinct items from a catalogue of
// 100 000 and about 10 graded judgments per user, about a third of which
// appear in the user's list, generated with a seeded RNG.
func benchData(users int) (metrics.Rankings, metrics.Relevance) {
	const (
		listLen = 100
		nRel    = 10
		nItems  = 100_000
	)
	rng := rand.New(rand.NewPCG(uint64(users), 42))
	lists := metrics.Rankings{Offsets: make([]int64, users+1), Items: make([]int32, 0, users*listLen)}
	truth := metrics.Relevance{Offsets: make([]int64, users+1)}
	truth.Items = make([]int32, 0, users*nRel)
	truth.Grades = make([]float64, 0, users*nRel)
	row := make([]int32, 0, listLen)
	judged := make([]int32, 0, 2*nRel)
	for u := range users {
		judged = judged[:0]
		for range 5 + rng.IntN(11) {
			it := int32(rng.IntN(nItems))
			if !slices.Contains(judged, it) {
				judged = append(judged, it)
			}
		}
		slices.Sort(judged)
		truth.Items = append(truth.Items, judged...)
		for range judged {
			truth.Grades = append(truth.Grades, float64(1+rng.IntN(3)))
		}
		truth.Offsets[u+1] = int64(len(truth.Items))

		row = row[:0]
		for _, it := range judged {
			if rng.IntN(3) == 0 {
				row = append(row, it)
			}
		}
		for len(row) < listLen {
			it := int32(rng.IntN(nItems))
			if !slices.Contains(row, it) {
				row = append(row, it)
			}
		}
		rng.Shuffle(len(row), func(i, j int) { row[i], row[j] = row[j], row[i] })
		lists.Items = append(lists.Items, row...)
		lists.Offsets[u+1] = int64(len(lists.Items))
	}
	return lists, truth
}

// BenchmarkEvaluate evaluates every measure at k = 10 and 100. The 1M-user
// size runs only when RECAUDIT_BENCH_LARGE=1 and -short is not set.
func BenchmarkEvaluate(b *testing.B) {
	for _, users := range []int{10_000, 100_000, 1_000_000} {
		if users >= 1_000_000 && (testing.Short() || os.Getenv("RECAUDIT_BENCH_LARGE") != "1") {
			continue
		}
		lists, truth := benchData(users)
		for _, columns := range []bool{true, false} {
			name := "users=" + strconv.Itoa(users)
			if columns {
				name += "/columns"
			} else {
				name += "/accumulate"
			}
			b.Run(name, func(b *testing.B) {
				e := metrics.Evaluator{Config: metrics.Config{Gain: metrics.GainLinear}, Cutoffs: []int{10, 100}}
				for b.Loop() {
					if columns {
						e.Evaluate(lists, truth)
					} else {
						e.Accumulate(lists, truth)
					}
				}
				b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/float64(users), "ns/user")
			})
		}
	}
}

// BenchmarkNDCG is the single-user path, for comparison.
func BenchmarkNDCG(b *testing.B) {
	lists, truth := benchData(1000)
	for b.Loop() {
		for u := range 1000 {
			metrics.NDCG(lists.List(u), truth.User(u), 10, metrics.Config{})
		}
	}
}
