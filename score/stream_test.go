package score

import (
	"errors"
	"math/rand/v2"
	"path/filepath"
	"slices"
	"testing"

	"github.com/recaudit/recaudit/datasets"
	"github.com/recaudit/recaudit/metrics"
)

// streamCase is a dataset of nUsers users (IDs 1000, 1001, ...) and
// nItems items (IDs 5000, ...) with random graded judgments (some users
// have none), and a recommendation file of two systems.
type streamCase struct {
	users, items *datasets.IDs
	truth        metrics.Relevance
}

func newStreamCase(rng *rand.Rand, nUsers, nItems int) streamCase {
	uids := make([]int64, nUsers)
	for i := range uids {
		uids[i] = int64(1000 + i)
	}
	iids := make([]int64, nItems)
	for i := range iids {
		iids[i] = int64(5000 + i)
	}
	users, _ := datasets.NewIntIDs(uids)
	items, _ := datasets.NewIntIDs(iids)
	truth := metrics.Relevance{Offsets: []int64{0}, Grades: []float64{}}
	for range nUsers {
		judged := rng.Perm(nItems)[:rng.IntN(8)]
		slices.Sort(judged)
		for _, it := range judged {
			truth.Items = append(truth.Items, int32(it))
			truth.Grades = append(truth.Grades, float64(rng.IntN(3)))
		}
		truth.Offsets = append(truth.Offsets, int64(len(truth.Items)))
	}
	return streamCase{users: users, items: items, truth: truth}
}

// writeRecs writes lists for the case, sorted by system then user (or
// with one user's list split when unsorted), each list's rows shuffled,
// some users without a list, batches of batch rows.
func (sc streamCase) writeRecs(t *testing.T, rng *rand.Rand, path string, batch int, unsorted bool) {
	w, err := newRecWriter(path, true)
	if err != nil {
		t.Fatal(err)
	}
	var systems []string
	var us, is, rs []int32
	flush := func() {
		if len(us) > 0 {
			if err := w.write(systems, us, is, rs); err != nil {
				t.Fatal(err)
			}
		}
		systems, us, is, rs = systems[:0], us[:0], is[:0], rs[:0]
	}
	add := func(sys string, u, it, r int) {
		systems = append(systems, sys)
		us = append(us, int32(1000+u))
		is = append(is, int32(5000+it))
		rs = append(rs, int32(r))
		if len(us) == batch {
			flush()
		}
	}
	for _, sys := range []string{"b", "a"} {
		var heldItem, heldRank int
		for u := range sc.users.Len() {
			if unsorted && u == 5 {
				add(sys, 3, heldItem, heldRank) // the end of user 3's list, after user 4's
			}
			if rng.IntN(5) == 0 && !(unsorted && (u == 3 || u == 4)) {
				continue
			}
			n := 2 + rng.IntN(15)
			perm := rng.Perm(sc.items.Len())[:n]
			ranks := rng.Perm(n)
			for k, it := range perm {
				if unsorted && u == 3 && k == n-1 {
					heldItem, heldRank = it, ranks[k]+1 // written after the next user
					continue
				}
				add(sys, u, it, ranks[k]+1)
			}
		}
	}
	flush()
	if err := w.close(); err != nil {
		t.Fatal(err)
	}
}

func TestEvaluateFileMatchesInMemory(t *testing.T) {
	oldLists, oldItems := jobLists, jobItems
	jobLists, jobItems = 7, 50 // many jobs, some holding both systems
	defer func() { jobLists, jobItems = oldLists, oldItems }()
	for seed := range uint64(3) {
		rng := rand.New(rand.NewPCG(seed, 11))
		sc := newStreamCase(rng, 120, 60)
		path := filepath.Join(t.TempDir(), "recs.arrow")
		sc.writeRecs(t, rng, path, 1+rng.IntN(40), false)
		for _, cfg := range []metrics.Config{{}, metrics.ProfileTrecEval.Config(), metrics.ProfileLensKit.Config()} {
			e := metrics.Evaluator{Config: cfg, Cutoffs: []int{0, 3, 10}}
			want, err := EvaluateRecommendations(path, sc.users, sc.items, sc.truth, e)
			if err != nil {
				t.Fatal(err)
			}
			for _, workers := range []int{1, 3} {
				e.Workers = workers
				got, err := EvaluateFile(path, sc.users, sc.items, sc.truth, e, datasets.WithBatchSize(13))
				if err != nil {
					t.Fatal(err)
				}
				if len(got) != 2 || got[0].System != "a" || got[1].System != "b" {
					t.Fatalf("runs %v, want a and b", got)
				}
				for i := range want {
					wb, _ := want[i].MarshalBinary()
					gb, _ := got[i].MarshalBinary()
					if !slices.Equal(wb, gb) {
						t.Errorf("seed %d workers %d system %s: streaming differs from in memory:\n%v %v\n%v %v", seed, workers, got[i].System,
							want[i].Counts(), want[i].Means(), got[i].Counts(), got[i].Means())
					}
					if got[i].Counts().Users != int64(sc.users.Len()) {
						t.Errorf("%d users counted, want %d", got[i].Counts().Users, sc.users.Len())
					}
				}
			}
		}
	}
}

func TestEvaluateFileUnsorted(t *testing.T) {
	rng := rand.New(rand.NewPCG(4, 4))
	sc := newStreamCase(rng, 20, 30)
	path := filepath.Join(t.TempDir(), "recs.arrow")
	sc.writeRecs(t, rng, path, 16, true)
	e := metrics.Evaluator{Cutoffs: []int{5}}
	_, err := EvaluateFile(path, sc.users, sc.items, sc.truth, e)
	var de *datasets.Error
	if !errors.Is(err, datasets.ErrUnsorted) || !errors.As(err, &de) || de.Row == 0 {
		t.Fatalf("got %v, want an error wrapping ErrUnsorted that names a row", err)
	}
	// The in-memory path reads the same file.
	res, err := EvaluateRecommendations(path, sc.users, sc.items, sc.truth, e)
	if err != nil || len(res) != 2 {
		t.Fatalf("EvaluateRecommendations: %v, %d runs", err, len(res))
	}
}

func TestEvaluateFilePanics(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 5))
	sc := newStreamCase(rng, 4, 4)
	for name, f := range map[string]func(){
		"nil users": func() { _, _ = EvaluateFile("x.arrow", nil, sc.items, sc.truth, metrics.Evaluator{Cutoffs: []int{1}}) },
		"user rows": func() {
			_, _ = EvaluateFile("x.arrow", sc.users, sc.items, metrics.Relevance{}, metrics.Evaluator{Cutoffs: []int{1}})
		},
		"no cutoffs": func() { _, _ = EvaluateFile("x.arrow", sc.users, sc.items, sc.truth, metrics.Evaluator{}) },
	} {
		if !panics(f) {
			t.Errorf("%s: no panic", name)
		}
	}
	// A missing file is an error, not a panic.
	if _, err := EvaluateFile(filepath.Join(t.TempDir(), "none.arrow"), sc.users, sc.items, sc.truth, metrics.Evaluator{Cutoffs: []int{1}}); err == nil {
		t.Error("no error for a missing file")
	}
}
