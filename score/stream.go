package score

import (
	"cmp"
	"runtime"
	"slices"
	"sync"

	"github.com/recaudit/recaudit/datasets"
	"github.com/recaudit/recaudit/metrics"
)

// RunResult holds the means of one run (system and sample) of a
// recommendation file.
type RunResult struct {
	System string
	Sample int64
	*metrics.Accumulator
}

// Jobs handed to one worker: at least this many lists or items, so that
// the per-call costs of the Evaluator (a marker array over the judged
// items) are amortised. Variables so that tests can make many jobs.
var (
	jobLists = 1 << 14
	jobItems = 1 << 20
)

// EvaluateFile evaluates every run (system, sample) of a recommendation
// file against the judgments truth by streaming: lists are read a record
// batch at a time (datasets.OpenListReader), evaluated in parallel by
// e.Workers goroutines (<= 0 means GOMAXPROCS), and the per-chunk
// Accumulators are merged. Memory is bounded by a few batches per worker
// and one bit per user and run, not by the number of rows.
//
// The rows of truth are the users of users, in index order, and every
// user counts: a user without a list in a run is evaluated as an empty
// list, as in the in-memory path. The results, sorted by system then
// sample, are bit for bit those of EvaluateRecommendations (the sums of an
// Accumulator are exact, so they do not depend on how users are split).
//
// The file must be sorted by user (the rows of each list together); if it
// is not, EvaluateFile returns an error wrapping datasets.ErrUnsorted, and
// EvaluateRecommendations evaluates it in memory. Other problems in the
// file are the *datasets.Error values of ReadRecommendations. opts are
// those of ReadRecommendations.
//
// EvaluateFile panics if users or items is nil, if truth does not have
// users.Len() rows, or on a bad Evaluator (see metrics.Evaluator).
func EvaluateFile(path string, users, items *datasets.IDs, truth metrics.Relevance, e metrics.Evaluator, opts ...datasets.Option) ([]RunResult, error) {
	if users == nil || items == nil {
		panic(panicNilArgs)
	}
	if truth.Users() != users.Len() {
		panic(panicUsers)
	}
	inner := e
	inner.Workers = 1
	inner.Accumulate(metrics.Rankings{}, metrics.Relevance{}) // panics here on a bad Evaluator
	workers := e.Workers
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}

	lr, err := datasets.OpenListReader(path, users, items, opts...)
	if err != nil {
		return nil, err
	}
	defer lr.Close()

	jobs := make(chan *datasets.ListChunk, workers)
	accs := make([]map[int32]*metrics.Accumulator, workers)
	var wg sync.WaitGroup
	for w := range workers {
		wg.Go(func() {
			m := map[int32]*metrics.Accumulator{}
			for j := range jobs {
				evaluateChunk(&inner, truth, j, m)
			}
			accs[w] = m
		})
	}
	stop := func() {
		close(jobs)
		wg.Wait()
	}

	var seen [][]uint64 // per run, users with a list
	job := newJob()
	flush := func(force bool) {
		if job.Len() > 0 && (force || job.Len() >= jobLists || len(job.Items) >= jobItems) {
			jobs <- job
			job = newJob()
		}
	}
	for lr.Next() {
		c := lr.Chunk()
		for len(seen) < len(lr.Runs()) {
			seen = append(seen, make([]uint64, (users.Len()+63)/64))
		}
		for i, u := range c.Users {
			seen[c.Runs[i]][u/64] |= 1 << (u % 64)
		}
		if job.Len() == 0 && (c.Len() >= jobLists || len(c.Items) >= jobItems) {
			jobs <- c // big enough on its own
			continue
		}
		appendChunk(job, c)
		flush(false)
	}
	if err := lr.Err(); err != nil {
		stop()
		return nil, err
	}
	// Users without a list in a run count as empty lists.
	for run := range seen {
		for u := range int32(users.Len()) {
			if seen[run][u/64]&(1<<(u%64)) == 0 {
				job.Runs = append(job.Runs, int32(run))
				job.Users = append(job.Users, u)
				job.Offsets = append(job.Offsets, int64(len(job.Items)))
				flush(false)
			}
		}
	}
	flush(true)
	stop()

	runs := lr.Runs()
	out := make([]RunResult, len(runs))
	for run, key := range runs {
		acc := metrics.NewAccumulator(measuresOf(e), e.Cutoffs)
		for _, m := range accs {
			if a := m[int32(run)]; a != nil {
				acc.Merge(a)
			}
		}
		out[run] = RunResult{System: key.System, Sample: key.Sample, Accumulator: acc}
	}
	slices.SortFunc(out, func(a, b RunResult) int {
		return cmp.Or(cmp.Compare(a.System, b.System), cmp.Compare(a.Sample, b.Sample))
	})
	return out, nil
}

// EvaluateRecommendations is the in-memory counterpart of EvaluateFile:
// it reads the whole file with datasets.ReadRecommendations, which needs
// no order of the rows, and accumulates each run. Arguments, results and
// panics are those of EvaluateFile.
func EvaluateRecommendations(path string, users, items *datasets.IDs, truth metrics.Relevance, e metrics.Evaluator, opts ...datasets.Option) ([]RunResult, error) {
	if users == nil || items == nil {
		panic(panicNilArgs)
	}
	if truth.Users() != users.Len() {
		panic(panicUsers)
	}
	rks, err := datasets.ReadRecommendations(path, users, items, opts...)
	if err != nil {
		return nil, err
	}
	out := make([]RunResult, len(rks))
	for i := range rks {
		out[i] = RunResult{System: rks[i].System, Sample: rks[i].Sample, Accumulator: e.Accumulate(Lists(&rks[i]), truth)}
	}
	return out, nil
}

func measuresOf(e metrics.Evaluator) []metrics.Measure {
	if e.Measures == nil {
		return metrics.AllMeasures()
	}
	return e.Measures
}

func newJob() *datasets.ListChunk {
	return &datasets.ListChunk{Offsets: make([]int64, 1, 1024)}
}

// appendChunk appends the lists of c to job (scores are not needed).
func appendChunk(job, c *datasets.ListChunk) {
	base := int64(len(job.Items))
	job.Items = append(job.Items, c.Items...)
	job.Runs = append(job.Runs, c.Runs...)
	job.Users = append(job.Users, c.Users...)
	for _, o := range c.Offsets[1:] {
		job.Offsets = append(job.Offsets, base+o)
	}
}

// evaluateChunk accumulates the lists of c, by run, into accs.
func evaluateChunk(e *metrics.Evaluator, truth metrics.Relevance, c *datasets.ListChunk, accs map[int32]*metrics.Accumulator) {
	add := func(run int32, a *metrics.Accumulator) {
		if prev := accs[run]; prev != nil {
			prev.Merge(a)
		} else {
			accs[run] = a
		}
	}
	if !slices.ContainsFunc(c.Runs, func(r int32) bool { return r != c.Runs[0] }) {
		// One run: the chunk's lists are the Rankings as they are.
		add(c.Runs[0], e.Accumulate(metrics.Rankings{Offsets: c.Offsets, Items: c.Items}, subset(truth, c.Users)))
		return
	}
	idx := make([]int, c.Len())
	for i := range idx {
		idx[i] = i
	}
	slices.SortStableFunc(idx, func(a, b int) int { return cmp.Compare(c.Runs[a], c.Runs[b]) })
	for lo := 0; lo < len(idx); {
		run := c.Runs[idx[lo]]
		hi := lo
		for hi < len(idx) && c.Runs[idx[hi]] == run {
			hi++
		}
		lists := metrics.Rankings{Offsets: make([]int64, 1, hi-lo+1)}
		us := make([]int32, 0, hi-lo)
		for _, i := range idx[lo:hi] {
			lists.Items = append(lists.Items, c.List(i)...)
			lists.Offsets = append(lists.Offsets, int64(len(lists.Items)))
			us = append(us, c.Users[i])
		}
		add(run, e.Accumulate(lists, subset(truth, us)))
		lo = hi
	}
}

// subset returns the judgments of users, in that order.
func subset(truth metrics.Relevance, users []int32) metrics.Relevance {
	rel := metrics.Relevance{Offsets: make([]int64, 1, len(users)+1)}
	if truth.Grades != nil {
		rel.Grades = []float64{}
	}
	for _, u := range users {
		jlo, jhi := truth.Offsets[u], truth.Offsets[u+1]
		rel.Items = append(rel.Items, truth.Items[jlo:jhi]...)
		if truth.Grades != nil {
			rel.Grades = append(rel.Grades, truth.Grades[jlo:jhi]...)
		}
		rel.Offsets = append(rel.Offsets, int64(len(rel.Items)))
	}
	return rel
}
