package datasets

import (
	"errors"
	"os"
	"path/filepath"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// readFuzz writes data to a file and reads it with one worker and with
// several workers over tiny chunks. Both must agree: on the error, or on
// the result.
func readFuzz[T any](t *testing.T, data []byte, read func(path string, opts ...TrecOption) (T, error)) (T, error) {
	path := filepath.Join(t.TempDir(), "trec")
	if err := os.WriteFile(path, data, 0o644); err != nil {
		t.Fatal(err)
	}
	one, err1 := read(path, WithTrecWorkers(1))
	many, err2 := read(path, WithTrecWorkers(5))
	if (err1 == nil) != (err2 == nil) || err1 != nil && err1.Error() != err2.Error() {
		t.Fatalf("workers change the error: %v vs %v", err1, err2)
	}
	if err1 != nil {
		var e *Error
		if !errors.As(err1, &e) || e.File != path {
			t.Fatalf("error is not a *Error naming the file: %v", err1)
		}
		return one, err1
	}
	if diff := cmp.Diff(one, many, cmp.AllowUnexported(IDs{})); diff != "" {
		t.Fatalf("workers change the result (-1 +5):\n%s", diff)
	}
	return one, nil
}

// FuzzTrecRun feeds arbitrary bytes to ReadTrecRun (in both orders). It
// may fail, with a *Error naming the file, but must not panic, must not
// depend on the number of workers, and must return well-formed lists.
func FuzzTrecRun(f *testing.F) {
	old := trecMinChunk
	trecMinChunk = 8
	f.Cleanup(func() { trecMinChunk = old })
	f.Add([]byte(toyRun))
	f.Add([]byte("1 Q0 a 1 1 r\n1 Q0 b 2 1 r\n2 Q0 a 1 0 s\n"))
	f.Add([]byte("1 Q0 a 1 1 r\n1 Q0 a 2 1 r\n"))
	f.Add([]byte("#\n \t\n1\tQ0\t10\t0\t-1e3\tr\textra\n1 Q0 9 1 -1e3 r"))
	f.Add([]byte("1 Q0 a x 1 r\n"))
	f.Add([]byte("1 Q0 a 1 0x1p3 r\n1 Q0 b 1 nan r\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		for _, order := range []TrecOrder{TrecOrderScore, TrecOrderRank} {
			run, err := readFuzz(t, data, func(path string, opts ...TrecOption) (*TrecRun, error) {
				return ReadTrecRun(path, append(opts, WithTrecOrder(order))...)
			})
			if err != nil {
				continue
			}
			for _, rk := range run.Rankings {
				if len(rk.Offsets) != run.Users.Len()+1 || rk.Offsets[0] != 0 || rk.Offsets[len(rk.Offsets)-1] != int64(len(rk.Items)) {
					t.Fatalf("bad offsets %v", rk.Offsets)
				}
				for u := range rk.Users() {
					list := rk.List(u)
					seen := map[int32]bool{}
					for j, it := range list {
						if it < 0 || int(it) >= run.Items.Len() || seen[it] {
							t.Fatalf("bad or repeated item %d", it)
						}
						seen[it] = true
						sc := rk.ListScores(u)
						if order == TrecOrderScore && j > 0 && (sc[j-1] < sc[j] || sc[j-1] == sc[j] && run.Items.Str(list[j-1]) < run.Items.Str(it)) {
							t.Fatalf("list of user %d not in trec_eval order", u)
						}
					}
				}
			}
		}
	})
}

// FuzzTrecQrels feeds arbitrary bytes to ReadTrecQrels: it may fail, with
// a *Error naming the file, but must not panic, must not depend on the
// number of workers, and must return a well-formed CSR.
func FuzzTrecQrels(f *testing.F) {
	old := trecMinChunk
	trecMinChunk = 8
	f.Cleanup(func() { trecMinChunk = old })
	f.Add([]byte(toyQrels))
	f.Add([]byte("1 0 a 1\n1 0 a 2\n"))
	f.Add([]byte("1 0 a 1 x\n"))
	f.Add([]byte("\n#c\n1\t0\tb\t-2\n2 0 a 1.5"))
	f.Fuzz(func(t *testing.T, data []byte) {
		q, err := readFuzz(t, data, ReadTrecQrels)
		if err != nil {
			return
		}
		if msg := q.Judgments.Validate(); msg != "" {
			t.Fatalf("malformed CSR: %s", msg)
		}
		if q.Judgments.Rows != q.Users.Len() || q.Judgments.NumCols != q.Items.Len() || len(q.Judgments.Values) != q.Judgments.NNZ() {
			t.Fatal("CSR shape does not match the IDs")
		}
	})
}
