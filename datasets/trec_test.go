package datasets

import (
	"errors"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func writeTrecText(t testing.TB, name, content string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

// smallChunks makes the TREC readers split even tiny files into many
// chunks, for the duration of the test.
func smallChunks(t testing.TB, size int) {
	old := trecMinChunk
	trecMinChunk = size
	t.Cleanup(func() { trecMinChunk = old })
}

const toyRun = `# a comment line
q2 Q0 d9  1 0.5 runA
q2 Q0 d10 2 0.5 runA

q1	Q0	d3	1	2.0	runA	extra fields are ignored
q1 Q0 d1 2 1.5 runA
  q1 Q0 d2 3 1.5e0 runA
q1 Q0 d1 1 -1 runB
q1 Q0 d2 2 -.5 runB
`

func TestReadTrecRun(t *testing.T) {
	path := writeTrecText(t, "run.txt", toyRun)
	got, err := ReadTrecRun(path)
	if err != nil {
		t.Fatal(err)
	}
	// Hand-derived. IDs sorted as byte strings: users q1=0 q2=1; items
	// d1=0 d10=1 d2=2 d3=3 d9=4. runA q1: d3 (2.0), then d1 and d2 tied
	// at 1.5: docno descending, "d2" > "d1". runA q2: d9 and d10 tied at
	// 0.5: "d9" > "d10" as strings, so d9 first. runB q1: d2 (-0.5) before
	// d1 (-1). Tags sorted: runA, runB.
	if diff := cmp.Diff([]string{"q1", "q2"}, got.Users.Strs()); diff != "" {
		t.Errorf("users (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]string{"d1", "d10", "d2", "d3", "d9"}, got.Items.Strs()); diff != "" {
		t.Errorf("items (-want +got):\n%s", diff)
	}
	want := []Rankings{
		{System: "runA", Offsets: []int64{0, 3, 5}, Items: []int32{3, 2, 0, 4, 1}, Scores: []float64{2, 1.5, 1.5, 0.5, 0.5}},
		{System: "runB", Offsets: []int64{0, 2, 2}, Items: []int32{2, 0}, Scores: []float64{-0.5, -1}},
	}
	if diff := cmp.Diff(want, got.Rankings); diff != "" {
		t.Errorf("rankings (-want +got):\n%s", diff)
	}

	// In rank order, runA q1 is d3 d1 d2 (ranks 1 2 3) and q2 d9 d10;
	// runB q1 is d1 d2 (ranks 1 2).
	got, err = ReadTrecRun(path, WithTrecOrder(TrecOrderRank))
	if err != nil {
		t.Fatal(err)
	}
	want = []Rankings{
		{System: "runA", Offsets: []int64{0, 3, 5}, Items: []int32{3, 0, 2, 4, 1}, Scores: []float64{2, 1.5, 1.5, 0.5, 0.5}},
		{System: "runB", Offsets: []int64{0, 2, 2}, Items: []int32{0, 2}, Scores: []float64{-1, -0.5}},
	}
	if diff := cmp.Diff(want, got.Rankings); diff != "" {
		t.Errorf("rank order (-want +got):\n%s", diff)
	}
}

const toyQrels = `q1 0 d2 1
q1 0 d1 0
# comment
q3 0 d1 2
q3 0 d9 -1
`

func TestReadTrecQrels(t *testing.T) {
	got, err := ReadTrecQrels(writeTrecText(t, "qrels.txt", toyQrels))
	if err != nil {
		t.Fatal(err)
	}
	// Hand-derived: users q1=0 q3=1; items d1=0 d2=1 d9=2; rows sorted by
	// item index; the negative grade is kept.
	want := CSR{Rows: 2, NumCols: 3, Offsets: []int64{0, 2, 4}, Cols: []int32{0, 1, 0, 2}, Values: []float32{0, 1, 2, -1}}
	if diff := cmp.Diff(want, got.Judgments); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
	if msg := got.Judgments.Validate(); msg != "" {
		t.Error(msg)
	}
}

func TestReadTrecShared(t *testing.T) {
	q, runs, err := ReadTrec(writeTrecText(t, "qrels.txt", toyQrels), []string{writeTrecText(t, "run.txt", toyRun)})
	if err != nil {
		t.Fatal(err)
	}
	// The union: users q1 q2 q3; items d1 d10 d2 d3 d9.
	if diff := cmp.Diff([]string{"q1", "q2", "q3"}, q.Users.Strs()); diff != "" {
		t.Errorf("users (-want +got):\n%s", diff)
	}
	if q.Items != runs[0].Items || q.Users != runs[0].Users {
		t.Error("ReadTrec did not share the ID space")
	}
	want := CSR{Rows: 3, NumCols: 5, Offsets: []int64{0, 2, 2, 4}, Cols: []int32{0, 2, 0, 4}, Values: []float32{0, 1, 2, -1}}
	if diff := cmp.Diff(want, q.Judgments); diff != "" {
		t.Errorf("qrels (-want +got):\n%s", diff)
	}
	wantA := Rankings{System: "runA", Offsets: []int64{0, 3, 5, 5}, Items: []int32{3, 2, 0, 4, 1}, Scores: []float64{2, 1.5, 1.5, 0.5, 0.5}}
	if diff := cmp.Diff(wantA, runs[0].Rankings[0]); diff != "" {
		t.Errorf("run (-want +got):\n%s", diff)
	}
}

func TestReadTrecWithIDs(t *testing.T) {
	users, _ := NewStringIDs([]string{"q2", "q1", "q3"})
	items, _ := NewIntIDs([]int64{10, 9, 7})
	run := "q1 Q0 007 1 1 r\nq1 Q0 9 2 1 r\nq1 Q0 10 3 1 r\n"
	got, err := ReadTrecRun(writeTrecText(t, "run", run), WithTrecIDs(users, items))
	if err != nil {
		t.Fatal(err)
	}
	// Hand-derived: all scores tie, so docno text descending: "9" > "10"
	// > "007". Items 9 -> 1, 10 -> 0, 7 -> 2; user q1 is index 1.
	want := []Rankings{{System: "r", Offsets: []int64{0, 0, 3, 3}, Items: []int32{1, 0, 2}, Scores: []float64{1, 1, 1}}}
	if diff := cmp.Diff(want, got.Rankings); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
	if got.Users != users || got.Items != items {
		t.Error("the dataset's IDs were not used")
	}

	_, err = ReadTrecRun(writeTrecText(t, "run", run+"q1 Q0 x8 4 0 r\n"), WithTrecIDs(users, items))
	var e *Error
	if !errors.As(err, &e) || !errors.Is(err, ErrUnknownID) || e.Line != 4 || e.Column != "docno" {
		t.Errorf("unknown docno: got %v", err)
	}
	_, err = ReadTrecQrels(writeTrecText(t, "qrels", "q1 0 7 1\nq9 0 7 1\n"), WithTrecIDs(users, items))
	if !errors.As(err, &e) || !errors.Is(err, ErrUnknownID) || e.Line != 2 || e.Column != "qid" {
		t.Errorf("unknown qid: got %v", err)
	}
}

func TestReadTrecErrors(t *testing.T) {
	for _, tc := range []struct {
		name, run, qrels string
		order            TrecOrder
		line             int64
		sentinel         error
		column           string
	}{
		{name: "five fields", run: "q1 Q0 d1 1 1 r\nq1 Q0 d2 2 1\n", line: 2, sentinel: ErrFormat},
		{name: "bad score", run: "q1 Q0 d1 1 x r\n", line: 1, sentinel: ErrValue, column: "score"},
		{name: "NaN score", run: "\n\nq1 Q0 d1 1 NaN r\n", line: 3, sentinel: ErrValue, column: "score"},
		{name: "infinite score", run: "q1 Q0 d1 1 1e999 r\n", line: 1, sentinel: ErrValue, column: "score"},
		{name: "repeated docno", run: "q1 Q0 d1 1 1 r\nq2 Q0 d1 1 1 r\nq1 Q0 d1 2 0.5 r\n", line: 3, sentinel: ErrDuplicate, column: "docno"},
		{name: "bad rank", run: "q1 Q0 d1 one 1 r\n", order: TrecOrderRank, line: 1, sentinel: ErrValue, column: "rank"},
		{name: "repeated rank", run: "q1 Q0 d1 1 1 r\nq1 Q0 d2 1 1 r\n", order: TrecOrderRank, line: 2, sentinel: ErrValue, column: "rank"},
		{name: "empty run", run: "# nothing\n\n", sentinel: ErrEmpty},
		{name: "qrels three fields", qrels: "q1 0 d1 1\nq1 0 d2\n", line: 2, sentinel: ErrFormat},
		{name: "qrels five fields", qrels: "q1 0 d1 1 x\n", line: 1, sentinel: ErrFormat},
		{name: "qrels bad grade", qrels: "q1 0 d1 yes\n", line: 1, sentinel: ErrValue, column: "rel"},
		{name: "qrels repeat", qrels: "q1 0 d1 1\nq2 0 d1 1\nq1 0 d1 0\n", line: 3, sentinel: ErrDuplicate, column: "docno"},
		{name: "empty qrels", qrels: "", sentinel: ErrEmpty},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var err error
			if tc.qrels != "" || tc.run == "" {
				_, err = ReadTrecQrels(writeTrecText(t, "qrels", tc.qrels))
			} else {
				_, err = ReadTrecRun(writeTrecText(t, "run", tc.run), WithTrecOrder(tc.order))
			}
			var e *Error
			if !errors.As(err, &e) {
				t.Fatalf("got %v, want a *Error", err)
			}
			if !errors.Is(err, tc.sentinel) || e.Line != tc.line || e.Column != tc.column || e.File == "" || e.Fix == "" {
				t.Errorf("got %#v (%v), want line %d column %q wrapping %v", e, err, tc.line, tc.column, tc.sentinel)
			}
		})
	}
	if _, err := ReadTrecRun(filepath.Join(t.TempDir(), "missing")); err == nil {
		t.Error("no error for a missing file")
	}
}

// randomRun writes a run with ties, several tags and shuffled lines.
func randomRun(rng *rand.Rand, queries, perQuery int) string {
	var lines []string
	for q := range queries {
		for _, tag := range []string{"a", "b"} {
			docs := rng.Perm(3 * perQuery)[:perQuery]
			for i, d := range docs {
				lines = append(lines, fmt.Sprintf("%d Q0 D%d %d %d %s", q, d, i, rng.IntN(4), tag))
			}
		}
	}
	rng.Shuffle(len(lines), func(i, j int) { lines[i], lines[j] = lines[j], lines[i] })
	return strings.Join(lines, "\n") + "\n"
}

func TestReadTrecWorkersIndependent(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	runPath := writeTrecText(t, "run", randomRun(rng, 40, 15))
	var qb strings.Builder
	for q := range 45 {
		for _, d := range rng.Perm(40)[:5] {
			fmt.Fprintf(&qb, "%d 0 D%d %d\n", q, d, rng.IntN(3))
		}
	}
	qrelsPath := writeTrecText(t, "qrels", qb.String())
	q1, r1, err := ReadTrec(qrelsPath, []string{runPath}, WithTrecWorkers(1))
	if err != nil {
		t.Fatal(err)
	}
	smallChunks(t, 64)
	q8, r8, err := ReadTrec(qrelsPath, []string{runPath}, WithTrecWorkers(8))
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(q1.Judgments, q8.Judgments); diff != "" {
		t.Errorf("qrels depend on workers (-1 +8):\n%s", diff)
	}
	if diff := cmp.Diff(r1[0].Rankings, r8[0].Rankings); diff != "" {
		t.Errorf("run depends on workers (-1 +8):\n%s", diff)
	}
	if !q1.Items.Equal(q8.Items) || !q1.Users.Equal(q8.Users) {
		t.Error("IDs depend on workers")
	}
	// Every list is in trec_eval order.
	for _, rk := range r8[0].Rankings {
		for u := range rk.Users() {
			list, sc := rk.List(u), rk.ListScores(u)
			for j := 1; j < len(list); j++ {
				a, b := rk.Items[rk.Offsets[u]+int64(j-1)], rk.Items[rk.Offsets[u]+int64(j)]
				if sc[j-1] < sc[j] || sc[j-1] == sc[j] && r8[0].Items.Str(a) <= r8[0].Items.Str(b) {
					t.Fatalf("user %d of %s not in trec_eval order at %d", u, rk.System, j)
				}
			}
		}
	}
	// An error deep in a chunked file names the right line.
	bad := strings.Repeat("1 Q0 x 1 1 r\n2 Q0 y 1 1 r\n", 50) + "3 Q0 z 1\n"
	_, err = ReadTrecRun(writeTrecText(t, "bad", bad), WithTrecWorkers(8))
	var e *Error
	if !errors.As(err, &e) || e.Line != 101 {
		t.Errorf("got %v, want an error on line 101", err)
	}
	bad = strings.Repeat("1 Q0 x 1 1 r\n2 Q0 y 1 1 r\n", 50) + "1 Q0 x 1 1 r\n"
	_, err = ReadTrecRun(writeTrecText(t, "bad", bad), WithTrecWorkers(8))
	if !errors.As(err, &e) || e.Line != 3 || !errors.Is(err, ErrDuplicate) {
		t.Errorf("got %v, want a duplicate on line 3", err)
	}
}

func TestParseScore(t *testing.T) {
	for _, s := range []string{"0", "-0", "1", "+2.5", "0.1", ".5", "5.", "123456789012345", "1234567890123456789",
		"0.000000000000000000000001", "3.14159265358979323846", "1e-5", "-2E+3", "0x1p-2", "4.9e-324", "1.7976931348623157e308"} {
		got, ok := parseScore([]byte(s))
		want, ok2 := parseScoreSlow([]byte(s))
		if !ok || !ok2 || got != want {
			t.Errorf("parseScore(%q) = %v, %v; want %v", s, got, ok, want)
		}
	}
	for _, s := range []string{"", "-", ".", "1..2", "1e", "nan", "inf", "-Inf", "1e400", "abc", "1,5"} {
		if v, ok := parseScore([]byte(s)); ok {
			t.Errorf("parseScore(%q) = %v, want not ok", s, v)
		}
	}
}
