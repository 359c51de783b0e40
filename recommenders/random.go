package recommenders

import (
	"context"
	"math/rand/v2"
	"sort"

	"github.com/recaudit/recaudit/datasets"
)

// Random recommends k items drawn uniformly without replacement from the
// items the user did not interact with in training, in random order: the
// floor any recommender must beat, and a reference for exposure (every
// item has the same chance of every rank).
//
// Each user's draw comes from a stream of its own, a PCG generator seeded
// with (seed, splitmix64(user)), where seed is drawn once from Src at the
// first Fit. So a user's list depends only on Src and the training data,
// not on which other users are asked for, on Workers or on GOMAXPROCS; and
// refitting keeps the seed. The lists have no scores.
//
// The zero value is ready to use, with the global random source (not
// reproducible); set Src for reproducible lists.
type Random struct {
	// Src is the source of the seed; nil means the global source.
	Src rand.Source
	// Workers is the number of goroutines of Recommend; <= 0 means
	// GOMAXPROCS.
	Workers int

	seeded bool
	seed   uint64
	train  *datasets.CSR
}

// Fit records the training interactions (to exclude them) and, at the
// first call, draws the seed. It retains train's interactions until the
// next Fit; the caller must not modify them.
func (r *Random) Fit(ctx context.Context, train *TrainView) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	if !r.seeded {
		if r.Src != nil {
			r.seed = r.Src.Uint64()
		} else {
			r.seed = rand.Uint64()
		}
		r.seeded = true
	}
	r.train = &train.Interactions
	return nil
}

// Recommend draws each user's list (see [Recommender]). It panics if
// k < 0, a user is out of range, or Random is not fitted.
func (r *Random) Recommend(ctx context.Context, users []int32, k int) (datasets.Rankings, error) {
	if r.train == nil {
		panic(errNotFitted)
	}
	users = checkRecommend(users, r.train.Rows, k)
	if err := ctx.Err(); err != nil {
		return datasets.Rankings{}, err
	}
	workers := workersFor(r.Workers, len(users))
	b := newRankBuilder(r.train.Rows, workers, false)
	type scratch struct {
		pcg   rand.PCG
		rng   *rand.Rand
		swaps map[int]int
		items []int32
	}
	sc := make([]*scratch, workers)
	n := r.train.NumCols
	err := forUsers(ctx, users, workers, func(w int, u int32) error {
		s := sc[w]
		if s == nil {
			s = &scratch{swaps: make(map[int]int)}
			s.rng = rand.New(&s.pcg)
			sc[w] = s
		}
		s.pcg.Seed(r.seed, splitmix64(uint64(u)))
		clear(s.swaps)
		s.items = s.items[:0]
		row := r.train.Row(int(u))
		m := n - len(row) // items the user may get
		// A Fisher-Yates shuffle of the positions 0..m-1, stopped after
		// min(k, m) steps; positions not yet swapped are implicit, so the
		// cost does not depend on the catalogue size.
		at := func(i int) int {
			if v, ok := s.swaps[i]; ok {
				return v
			}
			return i
		}
		for i := 0; i < min(k, m); i++ {
			j := i + s.rng.IntN(m-i)
			vi, vj := at(i), at(j)
			s.swaps[j] = vi
			s.items = append(s.items, nthAllowed(vj, row))
		}
		b.put(w, u, s.items, nil)
		return nil
	})
	if err != nil {
		return datasets.Rankings{}, err
	}
	return b.build(), nil
}

// nthAllowed returns the p-th (0-based) item not in exclude (sorted,
// distinct). Before exclude[j] there are exclude[j]-j allowed items, a
// non-decreasing sequence, so the number of excluded items below the
// answer is the number of j with exclude[j]-j <= p.
func nthAllowed(p int, exclude []int32) int32 {
	j := sort.Search(len(exclude), func(j int) bool { return int(exclude[j])-j > p })
	return int32(p + j)
}

// splitmix64 is the SplitMix64 finaliser (Steele, Lea and Flood, "Fast
// Splittable Pseudorandom Number Generators", OOPSLA 2014): it turns
// consecutive user indices into well-mixed stream seeds.
func splitmix64(x uint64) uint64 {
	x += 0x9e3779b97f4a7c15
	x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9
	x = (x ^ (x >> 27)) * 0x94d049bb133111eb
	return x ^ (x >> 31)
}

// RandomFactory returns the registry entry of [Random]. Its seed parameter
// makes the lists reproducible.
func RandomFactory() Factory {
	return Factory{
		Doc: "Items drawn uniformly without replacement from those the user has not interacted with; the floor to beat.",
		Params: []Param{
			IntParam("seed", 0, "seed of the random streams (the same seed gives the same lists)"),
		},
		New: func(v Values) (Recommender, error) {
			seed := uint64(v.Int("seed"))
			return &Random{Src: rand.NewPCG(seed, 0x5265634175646974)}, nil // "RecAudit"
		},
	}
}
