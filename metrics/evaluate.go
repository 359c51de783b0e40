package metrics

import (
	"math"
	"runtime"
	"sync"
	"sync/atomic"
)

// Evaluator computes several ranking measures at several cutoffs for many
// users in one pass over each user's list: it finds the ranks of the user's
// relevant items once, then derives every (measure, cutoff) value from them.
// Users are evaluated in parallel; every per-user value is independent of
// the others and the means are exact sums (see Accumulator), so results do
// not depend on Workers or on scheduling.
//
// The values are those of the single-user functions (Precision, Recall,
// HitRate, ReciprocalRank, AveragePrecision, DCG, NDCG, RBP) with the same
// Config, bit for bit.
type Evaluator struct {
	// Config holds the conventions; the zero value is the default.
	Config Config
	// Measures lists the measures to compute; nil means AllMeasures().
	Measures []Measure
	// Cutoffs lists the cutoffs k, each in [0, MaxCutoff], distinct; 0
	// means no cutoff (the whole list). It must not be empty.
	Cutoffs []int
	// Workers is the number of goroutines; <= 0 means GOMAXPROCS.
	Workers int
}

// Result holds the per-user values and the means computed by an Evaluator.
// The embedded Accumulator gives the means and counts, and can be merged
// with the results of other users.
type Result struct {
	*Accumulator

	// Values holds one column per (measure, cutoff), at index
	// mi*len(Cutoffs)+ci for the Measures and Cutoffs of the Accumulator;
	// Values[i][u] is the value of user u, NaN where the user is excluded.
	Values [][]float64

	// Status holds the status of every user.
	Status []Status
}

// Column returns the per-user values of measure m at cutoff k, NaN where
// the user is excluded. The caller must not modify it. Column panics if
// (m, k) was not evaluated.
func (r *Result) Column(m Measure, k int) []float64 {
	i := r.index(m, k)
	if i < 0 {
		panic(missingColumn)
	}
	return r.Values[i]
}

// Evaluate computes every measure at every cutoff for every user of lists
// and truth, whose rows must be the same users in the same order: row u of
// lists is the ranked list of the user whose judgments are row u of truth
// (an empty list row is a user without a list). The result owns its
// slices; lists and truth are not modified.
//
// Evaluate panics if the rows differ in number, if lists or truth are
// malformed (offsets, judged items not sorted ascending and distinct or
// negative, grades of the wrong length), or on a bad Config, measure or
// cutoff.
func (e *Evaluator) Evaluate(lists Rankings, truth Relevance) *Result {
	return e.run(lists, truth, true)
}

// Accumulate is Evaluate without the per-user columns: it returns only the
// mergeable means and counts, using memory independent of the number of
// users. Use it on shards of users and Merge the results.
func (e *Evaluator) Accumulate(lists Rankings, truth Relevance) *Accumulator {
	return e.run(lists, truth, false).Accumulator
}

// evalChunk is the number of consecutive users a worker claims at a time.
const evalChunk = 1024

func (e *Evaluator) run(lists Rankings, truth Relevance, columns bool) *Result {
	measures := e.Measures
	if measures == nil {
		measures = AllMeasures()
	}
	newKernel(e.Config, measures, e.Cutoffs) // validates before any goroutine starts
	lists.check()
	maxItem := truth.check()
	nu := truth.Users()
	if lists.Users() != nu {
		panic(userMismatch)
	}
	acc := NewAccumulator(measures, e.Cutoffs)
	res := &Result{Accumulator: acc}
	if columns {
		res.Values = make([][]float64, len(measures)*len(e.Cutoffs))
		for i := range res.Values {
			res.Values[i] = make([]float64, nu)
		}
		res.Status = make([]Status, nu)
	}

	workers := e.Workers
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	workers = max(1, min(workers, (nu+evalChunk-1)/evalChunk))
	accs := make([]*Accumulator, workers)
	var next atomic.Int64
	var wg sync.WaitGroup
	for w := range workers {
		wg.Go(func() {
			a := &Accumulator{
				measures: acc.measures,
				cutoffs:  acc.cutoffs,
				sums:     make([]exactSum, len(acc.sums)),
			}
			e.worker(lists, truth, int(maxItem)+1, a, res, &next)
			accs[w] = a
		})
	}
	wg.Wait()
	for _, a := range accs {
		acc.Merge(a)
	}
	return res
}

// worker evaluates chunks of users until none is left, adding them to acc
// and, when res has columns, writing their values.
func (e *Evaluator) worker(lists Rankings, truth Relevance, nItems int, acc *Accumulator, res *Result, next *atomic.Int64) {
	kn := newKernel(e.Config, acc.measures, acc.cutoffs)
	cfg := &kn.cfg
	theta := kn.theta
	wantGains := kn.wantGains()
	pos := make([]int32, nItems) // 1 + index in the row of a relevant judged item, else 0
	out := make([]float64, len(acc.sums))
	nu := truth.Users()
	for {
		lo := int(next.Add(evalChunk)) - evalChunk
		if lo >= nu {
			return
		}
		for u := lo; u < min(lo+evalChunk, nu); u++ {
			list := lists.Items[lists.Offsets[u]:lists.Offsets[u+1]]
			jlo, jhi := truth.Offsets[u], truth.Offsets[u+1]
			items := truth.Items[jlo:jhi]
			var grades []float64
			if truth.Grades != nil {
				grades = truth.Grades[jlo:jhi]
			}

			// Mark the relevant items, find their ranks, unmark.
			kn.hits = kn.hits[:0]
			kn.gains = kn.gains[:0]
			nrel := 0
			for j, it := range items {
				g := 1.0
				if grades != nil {
					g = grades[j]
				}
				if g >= theta {
					pos[it] = int32(j + 1)
					nrel++
					if wantGains {
						kn.gains = append(kn.gains, kn.gain(g))
					}
				}
			}
			if nrel > 0 {
				for r, it := range list[:kn.scan(len(list))] {
					if uint32(it) >= uint32(len(pos)) { // negative or never judged
						continue
					}
					if p := pos[it]; p != 0 {
						g := 1.0
						if grades != nil {
							g = grades[p-1]
						}
						kn.hits = append(kn.hits, hit{rank: int32(r + 1), gain: kn.gain(g)})
						pos[it] = 0 // a repeat of the item is a miss
					}
				}
				for _, it := range items {
					pos[it] = 0
				}
			}

			var s Status
			if nrel == 0 {
				s |= StatusNoRelevant
			}
			if len(list) == 0 {
				s |= StatusNoList
			}
			if excluded(cfg, len(list), nrel, len(items)) {
				s |= StatusExcluded
				for i := range out {
					out[i] = math.NaN()
				}
			} else {
				kn.values(len(list), nrel, out)
			}
			acc.AddUser(out, s)
			if res.Values != nil {
				res.Status[u] = s
				for i, v := range out {
					res.Values[i][u] = v
				}
			}
		}
	}
}
