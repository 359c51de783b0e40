package score

import (
	"bytes"
	"errors"
	"math"
	"os"
	"path/filepath"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/recaudit/recaudit/datasets"
	"github.com/recaudit/recaudit/metrics"
)

func writeFile(t *testing.T, name, content string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

// Query 1 has a relevant and a non-relevant judgment and retrieves the
// relevant one first; query 2 retrieves nothing relevant; query 3 is only
// in the qrels and query 4 only in the run.
const (
	toyQrels = "1 0 a 1\n1 0 b 0\n2 0 c 1\n3 0 d 1\n"
	toyRun   = "1 Q0 a 1 2.0 r\n1 Q0 x 2 1.0 r\n2 Q0 y 1 1 r\n4 Q0 d 1 1 r\n"
)

func TestWriteTrecEval(t *testing.T) {
	q, runs, err := datasets.ReadTrec(writeFile(t, "qrels", toyQrels), []string{writeFile(t, "run", toyRun)})
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name     string
		complete bool
		format   TrecFormat
		want     string
	}{
		// Hand-computed: query 1 (list a x, a relevant) has P_5 = 1/5,
		// map = recip_rank = map_cut_5 = 1, set_P = 1/2; query 2 scores 0;
		// query 4 has no judgment and is ignored, query 3 is not in the
		// run. Identical to trec_eval 9.0.7 -q -m num_q -m map -m
		// recip_rank -m P.5 -m map_cut.5 -m set_P.
		{name: "-q", format: TrecFormat{PerQuery: true}, want: "" +
			"map                   \t1\t1.0000\n" +
			"recip_rank            \t1\t1.0000\n" +
			"P_5                   \t1\t0.2000\n" +
			"map_cut_5             \t1\t1.0000\n" +
			"set_P                 \t1\t0.5000\n" +
			"map                   \t2\t0.0000\n" +
			"recip_rank            \t2\t0.0000\n" +
			"P_5                   \t2\t0.0000\n" +
			"map_cut_5             \t2\t0.0000\n" +
			"set_P                 \t2\t0.0000\n" +
			"num_q                 \tall\t2\n" +
			"map                   \tall\t0.5000\n" +
			"recip_rank            \tall\t0.5000\n" +
			"P_5                   \tall\t0.1000\n" +
			"map_cut_5             \tall\t0.5000\n" +
			"set_P                 \tall\t0.2500\n"},
		// Hand-computed: with -c query 3 counts as an empty list, so the
		// means are over 3 queries: 1/3, 0.2/3 and 0.5/3. Identical to
		// trec_eval 10.0 -c -m runid -m num_q -m map -m recip_rank -m P.5
		// -m map_cut.5 -m set_P.
		{name: "-c", complete: true, format: TrecFormat{RunID: "r"}, want: "" +
			"runid                 \tall\tr\n" +
			"num_q                 \tall\t3\n" +
			"map                   \tall\t0.3333\n" +
			"recip_rank            \tall\t0.3333\n" +
			"P_5                   \tall\t0.0667\n" +
			"map_cut_5             \tall\t0.3333\n" +
			"set_P                 \tall\t0.1667\n"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			te := TrecEval{Cutoffs: []int{5}, Complete: tc.complete}
			e := te.Evaluator()
			e.Measures = []metrics.Measure{metrics.MeasurePrecision, metrics.MeasureRR, metrics.MeasureAP}
			res := e.Evaluate(Lists(&runs[0].Rankings[0]), Relevance(&q.Judgments))
			var b bytes.Buffer
			if err := WriteTrecEval(&b, res, q.Users, tc.format); err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tc.want, b.String()); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
			// The means alone (as from streaming) print the same summary.
			b.Reset()
			if err := WriteTrecEval(&b, &metrics.Result{Accumulator: res.Accumulator}, nil, TrecFormat{RunID: tc.format.RunID}); err != nil {
				t.Fatal(err)
			}
			summary := tc.want[bytes.Index([]byte(tc.want), []byte("num_q")):]
			if tc.format.RunID != "" {
				summary = tc.want
			}
			if diff := cmp.Diff(summary, b.String()); diff != "" {
				t.Errorf("summary from the accumulator (-want +got):\n%s", diff)
			}
		})
	}
}

func TestWriteTrecEvalNoQueries(t *testing.T) {
	// Query 4 of the run has no judgment, so nothing is evaluated.
	q, runs, err := datasets.ReadTrec(writeFile(t, "qrels", "3 0 d 1\n"), []string{writeFile(t, "run", "4 Q0 d 1 1 r\n")})
	if err != nil {
		t.Fatal(err)
	}
	res := TrecEval{}.Evaluate(&runs[0].Rankings[0], &q.Judgments)
	if err := WriteTrecEval(&bytes.Buffer{}, res, q.Users, TrecFormat{}); !errors.Is(err, ErrNoQueries) {
		t.Errorf("got %v, want ErrNoQueries", err)
	}
}

func TestAppendTrecValue(t *testing.T) {
	for _, tc := range []struct {
		v    float64
		want string
	}{
		// C's printf("%6.4f"): the exact binary value rounded half to even.
		{0.03125, "0.0312"},   // exact tie, rounds to even
		{0.09375, "0.0938"},   // exact tie, rounds to even
		{0.00005, "0.0001"},   // 0.00005 is slightly above the tie in binary
		{2.0 / 3.0, "0.6667"}, // hand-computed
		{12.5, "12.5000"},
		{math.NaN(), "   nan"},
		{math.Inf(1), "   inf"},
	} {
		got := string(appendTrecValue(nil, "m", "q", tc.v))
		if want := "m                     \tq\t" + tc.want + "\n"; got != want {
			t.Errorf("%v: got %q, want %q", tc.v, got, want)
		}
	}
}

func TestTrecColumnsOrder(t *testing.T) {
	// The order of measures.c; cutoffs ascending whatever their order in
	// the layout.
	cols := trecColumns(metrics.AllMeasures(), []int{10, 0, 5})
	var names []string
	for _, c := range cols {
		names = append(names, c.name)
	}
	want := []string{"map", "recip_rank", "P_5", "P_10", "recall_5", "recall_10", "ndcg", "ndcg_cut_5", "ndcg_cut_10",
		"map_cut_5", "map_cut_10", "success_5", "success_10", "set_P", "set_recall"}
	if diff := cmp.Diff(want, names); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
	// Column indices follow Result.Values: mi*len(cutoffs)+ci, with AP the
	// fifth measure and the cutoff 0 second.
	if cols[0].index != 4*3+1 {
		t.Errorf("map column = %d, want 13", cols[0].index)
	}
}

func TestTrecEvalPanics(t *testing.T) {
	for name, f := range map[string]func(){
		"cutoff 0": func() { TrecEval{Cutoffs: []int{0}}.Evaluator() },
		"nil run":  func() { TrecEval{}.Evaluate(nil, &datasets.CSR{}) },
		"user count": func() {
			TrecEval{}.Evaluate(&datasets.Rankings{Offsets: []int64{0}}, &datasets.CSR{Rows: 1, Offsets: []int64{0, 0}})
		},
		"nil result": func() { _ = WriteTrecEval(&bytes.Buffer{}, nil, nil, TrecFormat{}) },
	} {
		if !panics(f) {
			t.Errorf("%s: no panic", name)
		}
	}
}

func panics(f func()) (p bool) {
	defer func() { p = recover() != nil }()
	f()
	return false
}
