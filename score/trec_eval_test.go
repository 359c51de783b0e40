package score

import (
	"bytes"
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/recaudit/recaudit/datasets"
)

// trecCase writes a qrels and a run file that exercise what trec_eval is
// particular about: ties in scores (broken by docno descending as
// strings), numeric docnos and qids that sort differently as strings and
// as numbers, graded and negative judgments, queries without a relevant
// document, queries only in the qrels (when qrelsOnly) and only in the
// run, lists shorter and longer than the cutoffs, lines in random order.
func trecCase(t *testing.T, seed uint64, qrelsOnly bool) (qrelsPath, runPath string) {
	rng := rand.New(rand.NewPCG(seed, 7))
	var qrels, run []string
	for q := 1; q <= 80; q++ {
		qid := strconv.Itoa(q)
		inRun, inQrels := true, true
		switch {
		case q%13 == 0:
			inQrels = false // only in the run: ignored by trec_eval
		case q%11 == 0 && qrelsOnly:
			inRun = false // only in the qrels: counted with -c
		}
		if inQrels {
			n := 1 + rng.IntN(20)
			noRel := q%7 == 0
			for _, d := range rng.Perm(150)[:n] {
				g := rng.IntN(4)
				if noRel {
					g = 0
				}
				if rng.IntN(40) == 0 {
					g = -1 // in the pool, not judged
				}
				qrels = append(qrels, fmt.Sprintf("%s 0 %d %d", qid, d+1, g))
			}
		}
		if inRun {
			n := 1 + rng.IntN(40)
			for i, d := range rng.Perm(150)[:n] {
				var score string
				switch rng.IntN(3) {
				case 0:
					score = strconv.Itoa(rng.IntN(5)) // many ties
				case 1:
					score = fmt.Sprintf("%.3f", rng.Float64())
				default:
					score = fmt.Sprintf("%.6e", -rng.Float64())
				}
				run = append(run, fmt.Sprintf("%s Q0 %d %d %s sys", qid, d+1, i+1, score))
			}
		}
	}
	rng.Shuffle(len(qrels), func(i, j int) { qrels[i], qrels[j] = qrels[j], qrels[i] })
	rng.Shuffle(len(run), func(i, j int) { run[i], run[j] = run[j], run[i] })
	dir := t.TempDir()
	qrelsPath, runPath = filepath.Join(dir, "qrels"), filepath.Join(dir, "run")
	if err := os.WriteFile(qrelsPath, []byte(strings.Join(qrels, "\n")+"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(runPath, []byte(strings.Join(run, "\n")+"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	return qrelsPath, runPath
}

// ourTrecEval evaluates the files as WriteTrecEval prints them.
func ourTrecEval(t *testing.T, qrelsPath, runPath string, cutoffs []int, complete bool) string {
	q, runs, err := datasets.ReadTrec(qrelsPath, []string{runPath})
	if err != nil {
		t.Fatal(err)
	}
	te := TrecEval{Cutoffs: cutoffs, Complete: complete}
	res := te.Evaluate(&runs[0].Rankings[0], &q.Judgments)
	var out bytes.Buffer
	if err := WriteTrecEval(&out, res, q.Users, TrecFormat{PerQuery: true}); err != nil {
		t.Fatal(err)
	}
	return out.String()
}

// TestTrecEvalCompat compares WriteTrecEval with the output of the real
// trec_eval binary named by $TREC_EVAL (skipped when unset), line for
// line, at trec_eval's printed precision, with -c on and off.
func TestTrecEvalCompat(t *testing.T) {
	bin := os.Getenv("TREC_EVAL")
	if bin == "" {
		t.Skip("set TREC_EVAL to a trec_eval binary to compare with it")
	}
	var verOut bytes.Buffer
	ver := exec.Command(bin, "-v")
	ver.Stdout, ver.Stderr = &verOut, &verOut
	_ = ver.Run()
	major := 0
	if m := regexp.MustCompile(`version (\d+)`).FindStringSubmatch(verOut.String()); m != nil {
		major, _ = strconv.Atoi(m[1])
	}
	t.Logf("comparing with %s", strings.TrimSpace(verOut.String()))

	cutoffs := []int{1, 5, 10, 20}
	measures := []string{"-m", "num_q", "-m", "map", "-m", "recip_rank", "-m", "P.1,5,10,20", "-m", "recall.1,5,10,20",
		"-m", "ndcg", "-m", "ndcg_cut.1,5,10,20", "-m", "map_cut.1,5,10,20", "-m", "success.1,5,10,20", "-m", "set_P", "-m", "set_recall"}
	for _, seed := range []uint64{1, 2, 3} {
		for _, qrelsOnly := range []bool{false, true} {
			for _, complete := range []bool{false, true} {
				name := fmt.Sprintf("seed=%d/qrels-only=%v/c=%v", seed, qrelsOnly, complete)
				t.Run(name, func(t *testing.T) {
					qrelsPath, runPath := trecCase(t, seed, qrelsOnly)
					args := append([]string{"-q"}, measures...)
					if complete {
						args = append(args, "-c")
					}
					cmd := exec.Command(bin, append(args, qrelsPath, runPath)...)
					var stdout, stderr bytes.Buffer
					cmd.Stdout, cmd.Stderr = &stdout, &stderr
					if err := cmd.Run(); err != nil {
						if qrelsOnly && !complete && strings.Contains(stderr.String(), "not found in qrels") {
							t.Skipf("%s stops on qrels queries missing from the run without -c: %s", bin, strings.TrimSpace(stderr.String()))
						}
						t.Fatalf("%s: %v: %s", bin, err, stderr.String())
					}
					want := stdout.String()
					got := ourTrecEval(t, qrelsPath, runPath, cutoffs, complete)
					if major < 10 && complete && qrelsOnly {
						// trec_eval 9 does not print the per-query values of
						// queries missing from the run under -c (10 does).
						got = dropQueries(got, want)
					}
					if got != want {
						t.Errorf("output differs from trec_eval:\n%s", lineDiff(want, got))
					}
					if n := strings.Count(want, "\n"); n < 100 {
						t.Fatalf("trec_eval printed only %d lines", n)
					}
				})
			}
		}
	}
}

// dropQueries removes from got the per-query lines of queries that have
// no per-query line in want.
func dropQueries(got, want string) string {
	qids := map[string]bool{}
	for _, l := range strings.Split(want, "\n") {
		if f := strings.Split(l, "\t"); len(f) == 3 {
			qids[f[1]] = true
		}
	}
	var keep []string
	for _, l := range strings.Split(got, "\n") {
		if f := strings.Split(l, "\t"); len(f) == 3 && !qids[f[1]] {
			continue
		}
		keep = append(keep, l)
	}
	return strings.Join(keep, "\n")
}

// lineDiff lists the first lines that differ.
func lineDiff(want, got string) string {
	w, g := strings.Split(want, "\n"), strings.Split(got, "\n")
	var b strings.Builder
	n := 0
	for i := 0; i < max(len(w), len(g)) && n < 20; i++ {
		var wl, gl string
		if i < len(w) {
			wl = w[i]
		}
		if i < len(g) {
			gl = g[i]
		}
		if wl != gl {
			fmt.Fprintf(&b, "line %d:\n  trec_eval: %q\n  ours:      %q\n", i+1, wl, gl)
			n++
		}
	}
	fmt.Fprintf(&b, "(%d lines from trec_eval, %d ours)", len(w), len(g))
	return b.String()
}
