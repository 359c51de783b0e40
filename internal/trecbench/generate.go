package trecbench

import (
	"bufio"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strconv"
)

// Catalogue is the number of distinct docnos of generated files.
const Catalogue = 100_000

// Files are the paths of a generated qrels and run pair.
type Files struct {
	Qrels, Run string
}

// Generate writes (or reuses, when both exist) a qrels and a run file in
// dir for users queries, with listLen documents per query: qids are
// "1".."users" and docnos decimal integers below Catalogue, so that byte
// order and numeric order differ; each query judges about 12 documents
// (about 10 relevant, grades 1 to 3, and 2 non-relevant), a third of the
// relevant ones are retrieved at random positions, and scores fall with
// the rank with about one tie in ten. Files are a function of users,
// listLen and seed. They are written to temporary names and renamed.
func Generate(dir string, users, listLen int, seed uint64) (Files, error) {
	base := fmt.Sprintf("trec-%d-%d-%d", users, listLen, seed)
	f := Files{Qrels: filepath.Join(dir, base+".qrels"), Run: filepath.Join(dir, base+".run")}
	if exists(f.Qrels) && exists(f.Run) {
		return f, nil
	}
	if listLen > Catalogue/2 {
		return Files{}, fmt.Errorf("trecbench: list length %d too large for the catalogue", listLen)
	}
	qw, err := newAtomic(f.Qrels)
	if err != nil {
		return Files{}, err
	}
	defer qw.abort()
	rw, err := newAtomic(f.Run)
	if err != nil {
		return Files{}, err
	}
	defer rw.abort()

	rng := rand.New(rand.NewPCG(seed, uint64(users)))
	var line []byte
	judged := make([]int, 0, 16)
	list := make([]int, 0, listLen)
	seen := make(map[int]bool, listLen)
	for q := 1; q <= users; q++ {
		judged = judged[:0]
		clear(seen)
		for len(judged) < 8+rng.IntN(9) {
			d := rng.IntN(Catalogue)
			if !seen[d] {
				seen[d] = true
				judged = append(judged, d)
			}
		}
		nonRel := 2
		list = list[:0]
		for i, d := range judged {
			grade := 1 + rng.IntN(3)
			if i < nonRel {
				grade = 0
			}
			line = strconv.AppendInt(line[:0], int64(q), 10)
			line = append(line, " 0 "...)
			line = strconv.AppendInt(line, int64(d), 10)
			line = append(line, ' ')
			line = strconv.AppendInt(line, int64(grade), 10)
			line = append(line, '\n')
			if _, err := qw.w.Write(line); err != nil {
				return Files{}, err
			}
			if grade > 0 && rng.IntN(3) == 0 {
				list = append(list, d)
			}
		}
		for len(list) < listLen {
			d := rng.IntN(Catalogue)
			if !seen[d] {
				seen[d] = true
				list = append(list, d)
			}
		}
		rng.Shuffle(len(list), func(i, j int) { list[i], list[j] = list[j], list[i] })
		score := 100.0
		for r, d := range list {
			line = strconv.AppendInt(line[:0], int64(q), 10)
			line = append(line, " Q0 "...)
			line = strconv.AppendInt(line, int64(d), 10)
			line = append(line, ' ')
			line = strconv.AppendInt(line, int64(r+1), 10)
			line = append(line, ' ')
			line = strconv.AppendFloat(line, score, 'f', 4, 64)
			line = append(line, " bench\n"...)
			if _, err := rw.w.Write(line); err != nil {
				return Files{}, err
			}
			if rng.IntN(10) != 0 { // else a tie with the next document
				score -= float64(1+rng.IntN(1000)) / 1e4
			}
		}
	}
	if err := qw.commit(); err != nil {
		return Files{}, err
	}
	if err := rw.commit(); err != nil {
		return Files{}, err
	}
	return f, nil
}

func exists(path string) bool {
	_, err := os.Stat(path)
	return err == nil
}

// atomicFile writes to a temporary file renamed into place on commit.
type atomicFile struct {
	f    *os.File
	w    *bufio.Writer
	path string
	done bool
}

func newAtomic(path string) (*atomicFile, error) {
	f, err := os.CreateTemp(filepath.Dir(path), filepath.Base(path)+".tmp*")
	if err != nil {
		return nil, err
	}
	return &atomicFile{f: f, w: bufio.NewWriterSize(f, 1<<20), path: path}, nil
}

func (a *atomicFile) commit() error {
	if err := a.w.Flush(); err != nil {
		return err
	}
	if err := a.f.Close(); err != nil {
		return err
	}
	a.done = true
	return os.Rename(a.f.Name(), a.path)
}

func (a *atomicFile) abort() {
	if !a.done {
		a.f.Close()
		os.Remove(a.f.Name())
	}
}

// Measures are the trec_eval measures compared: every accuracy measure at
// k = 10 and 100, and the uncut ones (Evaluate prints exactly these).
var Measures = []string{"-m", "num_q", "-m", "map", "-m", "recip_rank", "-m", "P.10,100", "-m", "recall.10,100",
	"-m", "ndcg", "-m", "ndcg_cut.10,100", "-m", "map_cut.10,100", "-m", "set_P", "-m", "set_recall"}

// Cutoffs are the cutoffs of Measures.
var Cutoffs = []int{10, 100}
