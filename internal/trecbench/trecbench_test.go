package trecbench

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/recaudit/recaudit/datasets"
)

// benchDir returns $RECAUDIT_BENCH_DIR, or a temporary directory.
func benchDir(tb testing.TB) string {
	if d := os.Getenv("RECAUDIT_BENCH_DIR"); d != "" {
		return d
	}
	return tb.TempDir()
}

// cpuTime returns the user and system CPU time of this process so far.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

func loadAverage() string {
	b, err := os.ReadFile("/proc/loadavg")
	if err != nil {
		return "unknown"
	}
	return strings.Join(strings.Fields(string(b))[:3], " ")
}

// TestVersusTrecEval times trec_eval ($TREC_EVAL) and recaudit on the
// same generated files with the same measures (-q: every query and the
// means), and checks that they print identical text.
func TestVersusTrecEval(t *testing.T) {
	bin := os.Getenv("TREC_EVAL")
	if bin == "" {
		t.Skip("set TREC_EVAL to a trec_eval binary to compare with it")
	}
	users := 100_000
	if s := os.Getenv("RECAUDIT_TREC_USERS"); s != "" {
		var err error
		if users, err = strconv.Atoi(s); err != nil {
			t.Fatal(err)
		}
	}
	files, err := Generate(benchDir(t), users, 100, 1)
	if err != nil {
		t.Fatal(err)
	}
	args := append(append([]string{"-q"}, Measures...), files.Qrels, files.Run)
	var want, stderr bytes.Buffer
	cmd := exec.Command(bin, args...)
	cmd.Stdout, cmd.Stderr = &want, &stderr
	start := time.Now()
	if err := cmd.Run(); err != nil {
		t.Fatalf("%s: %v: %s", bin, err, stderr.String())
	}
	trecTime := time.Since(start)

	trecCPU := cmd.ProcessState.UserTime() + cmd.ProcessState.SystemTime()

	var got bytes.Buffer
	start = time.Now()
	cpu0 := cpuTime()
	if err := Evaluate(files, true, &got); err != nil {
		t.Fatal(err)
	}
	ourTime := time.Since(start)
	ourCPU := cpuTime() - cpu0

	identical := got.String() == want.String()
	t.Logf("%d queries x 100 documents, load average %s", users, loadAverage())
	t.Logf("wall time: trec_eval %v, recaudit %v: %.1fx faster", trecTime.Round(time.Millisecond), ourTime.Round(time.Millisecond), trecTime.Seconds()/ourTime.Seconds())
	t.Logf("CPU time:  trec_eval %v, recaudit %v: %.1fx less", trecCPU.Round(time.Millisecond), ourCPU.Round(time.Millisecond), trecCPU.Seconds()/ourCPU.Seconds())
	t.Logf("identical output (%d lines): %v", strings.Count(want.String(), "\n"), identical)
	if !identical {
		w, g := strings.Split(want.String(), "\n"), strings.Split(got.String(), "\n")
		for i := 0; i < min(len(w), len(g)); i++ {
			if w[i] != g[i] {
				t.Fatalf("first difference, line %d:\n  trec_eval: %q\n  recaudit:  %q", i+1, w[i], g[i])
			}
		}
		t.Fatalf("trec_eval printed %d lines, recaudit %d", len(w), len(g))
	}
}

// TestEvaluateSmall checks the pipeline on small files without trec_eval:
// one line per measure and query, and the summary.
func TestEvaluateSmall(t *testing.T) {
	files, err := Generate(t.TempDir(), 50, 20, 3)
	if err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	if err := Evaluate(files, true, &out); err != nil {
		t.Fatal(err)
	}
	// 13 measures (P, recall, ndcg_cut, map_cut at 10 and 100; map,
	// recip_rank, ndcg, set_P, set_recall) for 50 queries, then num_q and
	// 13 means.
	if n := strings.Count(out.String(), "\n"); n != 50*13+14 {
		t.Errorf("%d lines, want %d", n, 50*13+14)
	}
	if !strings.Contains(out.String(), "num_q                 \tall\t50\n") {
		t.Errorf("no num_q line for 50 queries:\n%s", out.String()[max(0, out.Len()-600):])
	}
	// Generating again reuses the files.
	again, err := Generate(files.Qrels[:strings.LastIndexByte(files.Qrels, '/')], 50, 20, 3)
	if err != nil || again != files {
		t.Errorf("Generate did not reuse the files: %v %v", again, err)
	}
}

// BenchmarkTrec times reading a qrels and a run file, evaluating every
// measure at k = 10 and 100 and printing the means, over a size ladder.
func BenchmarkTrec(b *testing.B) {
	dir := benchDir(b)
	for _, users := range []int{1_000, 10_000, 100_000} {
		b.Run("queries="+strconv.Itoa(users), func(b *testing.B) {
			files, err := Generate(dir, users, 100, 1)
			if err != nil {
				b.Fatal(err)
			}
			for b.Loop() {
				if err := Evaluate(files, false, &bytes.Buffer{}); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/float64(users*100), "ns/line")
		})
	}
}

// BenchmarkReadTrec times reading the qrels and run files alone (parse,
// intern, group and order), with one worker and with GOMAXPROCS.
func BenchmarkReadTrec(b *testing.B) {
	dir := benchDir(b)
	for _, users := range []int{10_000, 100_000} {
		for _, workers := range []int{1, 0} {
			b.Run(fmt.Sprintf("queries=%d/workers=%d", users, workers), func(b *testing.B) {
				files, err := Generate(dir, users, 100, 1)
				if err != nil {
					b.Fatal(err)
				}
				cpu0 := cpuTime()
				for b.Loop() {
					if _, _, err := datasets.ReadTrec(files.Qrels, []string{files.Run}, datasets.WithTrecWorkers(workers)); err != nil {
						b.Fatal(err)
					}
				}
				lines := float64(b.N) * float64(users*100)
				b.ReportMetric(float64(b.Elapsed().Nanoseconds())/lines, "ns/line")
				b.ReportMetric(float64((cpuTime()-cpu0).Nanoseconds())/lines, "cpu-ns/line")
			})
		}
	}
}
