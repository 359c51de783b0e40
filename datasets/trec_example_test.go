package datasets_test

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"

	"github.com/recaudit/recaudit/datasets"
)

// writeTemp writes content to a new temporary file and returns its path
// and a function that removes it.
func writeTemp(name, content string) (string, func()) {
	dir, err := os.MkdirTemp("", "trec")
	if err != nil {
		panic(err)
	}
	path := filepath.Join(dir, name)
	if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
		panic(err)
	}
	return path, func() { os.RemoveAll(dir) }
}

// A run with two tags. Docnos 9 and 10 tie on score in run A: trec_eval
// breaks the tie by docno descending as strings, and "9" > "10".
func ExampleReadTrecRun() {
	path, cleanup := writeTemp("run.txt", `q1 Q0 10 1 0.5 A
q1 Q0 9  2 0.5 A
q1 Q0 7  3 0.9 A
q2 Q0 7  1 1.0 B
`)
	defer cleanup()
	run, err := datasets.ReadTrecRun(path)
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, rk := range run.Rankings {
		for u := range rk.Users() {
			var docs []string
			for _, it := range rk.List(u) {
				docs = append(docs, run.Items.Str(it))
			}
			fmt.Println(rk.System, run.Users.Str(int32(u)), docs, rk.ListScores(u))
		}
	}
	// Output:
	// A q1 [7 9 10] [0.9 0.5 0.5]
	// A q2 [] []
	// B q1 [] []
	// B q2 [7] [1]
}

// Judgments become a CSR by query, items sorted by index, grades as
// values.
func ExampleReadTrecQrels() {
	path, cleanup := writeTemp("qrels.txt", "q1 0 d2 1\nq1 0 d1 2\nq2 0 d1 0\n")
	defer cleanup()
	q, err := datasets.ReadTrecQrels(path)
	if err != nil {
		fmt.Println(err)
		return
	}
	for u := range q.Judgments.Rows {
		for j, it := range q.Judgments.Row(u) {
			fmt.Printf("%s %s %g\n", q.Users.Str(int32(u)), q.Items.Str(it), q.Judgments.RowValues(u)[j])
		}
	}
	// Output:
	// q1 d1 2
	// q1 d2 1
	// q2 d1 0
}

// ReadTrec gives a qrels file and its runs one ID space, so that run
// rows and judgment rows are the same queries.
func ExampleReadTrec() {
	qrels, c1 := writeTemp("qrels.txt", "q1 0 d1 1\nq3 0 d2 1\n")
	defer c1()
	run, c2 := writeTemp("run.txt", "q2 Q0 d9 1 1 r\nq1 Q0 d1 1 1 r\n")
	defer c2()
	q, runs, err := datasets.ReadTrec(qrels, []string{run})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(q.Users.Strs(), q.Items.Strs(), q.Judgments.Rows, runs[0].Rankings[0].Users())
	// Output:
	// [q1 q2 q3] [d1 d2 d9] 3 3
}

// Look TREC IDs up in a dataset's indices; here items have integer IDs,
// so docnos are parsed as integers.
func ExampleWithTrecIDs() {
	users, _ := datasets.NewStringIDs([]string{"alice", "bob"})
	items, _ := datasets.NewIntIDs([]int64{100, 200})
	path, cleanup := writeTemp("run.txt", "bob Q0 200 1 2 r\nbob Q0 100 2 1 r\nbob Q0 300 3 0 r\n")
	defer cleanup()
	_, err := datasets.ReadTrecRun(path, datasets.WithTrecIDs(users, items))
	fmt.Println(errors.Is(err, datasets.ErrUnknownID))
	var e *datasets.Error
	if errors.As(err, &e) {
		fmt.Println("line", e.Line)
	}
	// Output:
	// true
	// line 3
}

// Lists in the order of the rank column instead of trec_eval's score
// order.
func ExampleWithTrecOrder() {
	path, cleanup := writeTemp("run.txt", "q Q0 a 2 0.9 r\nq Q0 b 1 0.1 r\n")
	defer cleanup()
	for _, o := range []datasets.TrecOrder{datasets.TrecOrderScore, datasets.TrecOrderRank} {
		run, err := datasets.ReadTrecRun(path, datasets.WithTrecOrder(o))
		if err != nil {
			fmt.Println(err)
			return
		}
		rk := run.Rankings[0]
		fmt.Println(o, run.Items.Str(rk.Items[0]), run.Items.Str(rk.Items[1]))
	}
	// Output:
	// score a b
	// rank b a
}

// The number of workers changes only the speed: chunks are interned in a
// deterministic merge.
func ExampleWithTrecWorkers() {
	path, cleanup := writeTemp("run.txt", "q2 Q0 b 1 1 r\nq1 Q0 a 1 1 r\nq1 Q0 c 2 0 r\n")
	defer cleanup()
	for _, w := range []int{1, 4} {
		run, err := datasets.ReadTrecRun(path, datasets.WithTrecWorkers(w))
		if err != nil {
			fmt.Println(err)
			return
		}
		fmt.Println(w, run.Users.Strs(), run.Items.Strs(), run.Rankings[0].Items)
	}
	// Output:
	// 1 [q1 q2] [a b c] [0 2 1]
	// 4 [q1 q2] [a b c] [0 2 1]
}
