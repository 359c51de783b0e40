package score

import (
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/recaudit/recaudit/datasets"
	"github.com/recaudit/recaudit/metrics"
)

// Benchmark data: users lists of benchListLen distinct items from a
// catalogue of benchItems, and 5 to 15 graded judgments per user (grades
// 1 to 3, about 10 relevant), a third of which are in the user's list,
// generated with a seeded RNG (as metrics' BenchmarkEvaluate).
const (
	benchListLen = 100
	benchItems   = 100_000
)

// benchSizes is the ladder of user counts; 1M users (100M rows) only with
// RECAUDIT_BENCH_LARGE=1.
func benchSizes() []int {
	sizes := []int{10_000, 100_000}
	if os.Getenv("RECAUDIT_BENCH_LARGE") == "1" && !testing.Short() {
		sizes = append(sizes, 1_000_000)
	}
	return sizes
}

// benchGen generates the users one at a time, in user order.
type benchGen struct {
	rng    *rand.Rand
	judged []int32
	grades []float32
	list   []int32
}

func newBenchGen(users int) *benchGen {
	return &benchGen{rng: rand.New(rand.NewPCG(uint64(users), 42))}
}

// next generates the next user's judgments (sorted) and list.
func (g *benchGen) next() {
	rng := g.rng
	g.judged = g.judged[:0]
	for range 5 + rng.IntN(11) {
		it := int32(rng.IntN(benchItems))
		if !slices.Contains(g.judged, it) {
			g.judged = append(g.judged, it)
		}
	}
	slices.Sort(g.judged)
	g.grades = g.grades[:0]
	for range g.judged {
		g.grades = append(g.grades, float32(1+rng.IntN(3)))
	}
	g.list = g.list[:0]
	for _, it := range g.judged {
		if rng.IntN(3) == 0 {
			g.list = append(g.list, it)
		}
	}
	for len(g.list) < benchListLen {
		it := int32(rng.IntN(benchItems))
		if !slices.Contains(g.list, it) {
			g.list = append(g.list, it)
		}
	}
	rng.Shuffle(len(g.list), func(i, j int) { g.list[i], g.list[j] = g.list[j], g.list[i] })
}

// benchData returns the judgments (a test CSR) and, when withLists, the
// lists of users users.
func benchData(users int, withLists bool) (*datasets.CSR, *datasets.Rankings) {
	g := newBenchGen(users)
	test := &datasets.CSR{Rows: users, NumCols: benchItems, Offsets: make([]int64, 1, users+1)}
	var recs *datasets.Rankings
	if withLists {
		recs = &datasets.Rankings{Offsets: make([]int64, 1, users+1), Items: make([]int32, 0, users*benchListLen)}
	}
	for range users {
		g.next()
		test.Cols = append(test.Cols, g.judged...)
		test.Values = append(test.Values, g.grades...)
		test.Offsets = append(test.Offsets, int64(len(test.Cols)))
		if withLists {
			recs.Items = append(recs.Items, g.list...)
			recs.Offsets = append(recs.Offsets, int64(len(recs.Items)))
		}
	}
	return test, recs
}

func benchIDs(users int) (*datasets.IDs, *datasets.IDs) {
	seq := func(n int) []int64 {
		s := make([]int64, n)
		for i := range s {
			s[i] = int64(i)
		}
		return s
	}
	u, _ := datasets.NewIntIDs(seq(users))
	it, _ := datasets.NewIntIDs(seq(benchItems))
	return u, it
}

// benchEvaluator computes every accuracy measure at k = 10 and 100.
func benchEvaluator() metrics.Evaluator {
	return metrics.Evaluator{Config: metrics.ProfileTrecEval.Config(), Cutoffs: []int{10, 100}}
}

// BenchmarkEvaluateCSR evaluates in process, from the datasets structures
// (a judgments CSR and Rankings), every accuracy measure at k = 10 and
// 100: means only (accumulate) and with per-user columns.
func BenchmarkEvaluateCSR(b *testing.B) {
	for _, users := range benchSizes() {
		test, recs := benchData(users, true)
		for _, columns := range []bool{false, true} {
			name := "users=" + strconv.Itoa(users) + "/accumulate"
			if columns {
				name = "users=" + strconv.Itoa(users) + "/columns"
			}
			b.Run(name, func(b *testing.B) {
				e := benchEvaluator()
				cpu0 := cpuTime()
				for b.Loop() {
					truth := Relevance(test)
					if columns {
						e.Evaluate(Lists(recs), truth)
					} else {
						e.Accumulate(Lists(recs), truth)
					}
				}
				b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/float64(users*benchListLen), "ns/row")
				b.ReportMetric(float64((cpuTime()-cpu0).Nanoseconds())/float64(b.N)/float64(users*benchListLen), "cpu-ns/row")
			})
		}
	}
}

// benchFile returns an Arrow IPC recommendation file of the benchmark
// lists (int32 user_id, item_id, rank; sorted by user; batches of 10,000
// users), written to $RECAUDIT_BENCH_DIR (reused when present) or a
// temporary directory.
func benchFile(b *testing.B, users int) string {
	dir := os.Getenv("RECAUDIT_BENCH_DIR")
	if dir == "" {
		dir = b.TempDir()
	}
	path := filepath.Join(dir, fmt.Sprintf("recs-%d-%d.arrow", users, benchListLen))
	if _, err := os.Stat(path); err == nil {
		return path
	}
	tmp := path + ".tmp"
	w, err := newRecWriter(tmp, false)
	if err != nil {
		b.Fatal(err)
	}
	g := newBenchGen(users)
	const perBatch = 10_000
	us := make([]int32, 0, perBatch*benchListLen)
	is := make([]int32, 0, perBatch*benchListLen)
	rs := make([]int32, 0, perBatch*benchListLen)
	for u := range users {
		g.next()
		for r, it := range g.list {
			us = append(us, int32(u))
			is = append(is, it)
			rs = append(rs, int32(r+1))
		}
		if (u+1)%perBatch == 0 || u == users-1 {
			if err := w.write(nil, us, is, rs); err != nil {
				b.Fatal(err)
			}
			us, is, rs = us[:0], is[:0], rs[:0]
		}
	}
	if err := w.close(); err != nil {
		b.Fatal(err)
	}
	if err := os.Rename(tmp, path); err != nil {
		b.Fatal(err)
	}
	return path
}

// procStatus returns a field of /proc/self/status in MiB, or -1.
func procStatus(field string) float64 {
	data, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return -1
	}
	for _, line := range strings.Split(string(data), "\n") {
		if f := strings.Fields(line); len(f) >= 2 && f[0] == field+":" {
			kb, _ := strconv.ParseFloat(f[1], 64)
			return kb / 1024
		}
	}
	return -1
}

// cpuTime returns the user and system CPU time of the process so far: on
// a machine shared with other work it measures the work done better than
// wall time.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// resetPeakRSS resets the peak resident set size of the process (Linux).
func resetPeakRSS() { _ = os.WriteFile("/proc/self/clear_refs", []byte("5"), 0) }

// BenchmarkEvaluateFile evaluates an Arrow IPC recommendation file end
// to end (open, read, validate, evaluate every accuracy measure at k = 10
// and 100, merge), streaming, and reports the peak resident memory of the
// process during the evaluation (VmHWM after a reset, judgments
// included). The file (users × 100 rows) is generated once, outside the
// timing.
func BenchmarkEvaluateFile(b *testing.B) {
	for _, users := range benchSizes() {
		b.Run("users="+strconv.Itoa(users), func(b *testing.B) {
			path := benchFile(b, users)
			test, _ := benchData(users, false)
			truth := Relevance(test)
			uids, iids := benchIDs(users)
			e := benchEvaluator()
			runtime.GC()
			resetPeakRSS()
			cpu0 := cpuTime()
			for b.Loop() {
				res, err := EvaluateFile(path, uids, iids, truth, e)
				if err != nil {
					b.Fatal(err)
				}
				if res[0].Counts().Users != int64(users) {
					b.Fatalf("%d users evaluated", res[0].Counts().Users)
				}
			}
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/float64(users*benchListLen), "ns/row")
			b.ReportMetric(float64((cpuTime()-cpu0).Nanoseconds())/float64(b.N)/float64(users*benchListLen), "cpu-ns/row")
			b.ReportMetric(procStatus("VmHWM"), "peak-RSS-MiB")
		})
	}
}
