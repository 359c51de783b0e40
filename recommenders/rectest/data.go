package rectest

import (
	"fmt"
	"math"
	"math/rand/v2"
	"slices"

	"github.com/recaudit/recaudit/datasets"
	"github.com/recaudit/recaudit/recommenders"
)

// Dataset is a training view with the external IDs of its users and items.
type Dataset struct {
	Name         string
	Train        recommenders.TrainView
	Users, Items *datasets.IDs
}

// Datasets returns the suite's datasets, built in code:
//
//  0. "tiny": 6 users × 8 items, implicit, hand-written: user 2 has no
//     history, user 3 interacted with every item (nothing is left to
//     recommend to them), user 4 with one item; an item category column.
//  1. "small": 200 users × 60 items, Zipf item popularity, ratings 1–5 as
//     values and timestamps, seed 1.
//  2. "medium": 4,000 users × 300 items, about 40 interactions per user,
//     implicit, seed 2 (used to check cancellation mid-run).
//
// User IDs are integers (1000 + index), item IDs strings ("i" + index).
func Datasets() []Dataset {
	tinyRows := [][]int32{{0, 1, 2}, {1, 2, 3, 4}, {}, {0, 1, 2, 3, 4, 5, 6, 7}, {5}, {2, 6}}
	tiny := fromRows("tiny", 8, tinyRows, nil, nil)
	tiny.Train.ItemColumns = []datasets.Column{{
		Name: "category", Role: datasets.RoleItemGroup, Kind: datasets.Categorical,
		Levels: []string{"books", "music"}, Codes: []int32{0, 0, 1, 1, 0, 1, -1, 0},
	}}
	return []Dataset{
		tiny,
		Generate("small", 1, 200, 60, 12, true),
		Generate("medium", 2, 4000, 300, 40, false),
	}
}

// Generate returns a random dataset of users × items with about perUser
// interactions per user (between 1 and 2·perUser, at most items), item
// popularity following a Zipf law with exponent 1, and, when values is
// set, integer ratings 1–5 as values and increasing timestamps. The same
// arguments give the same dataset.
func Generate(name string, seed uint64, users, items, perUser int, values bool) Dataset {
	rng := rand.New(rand.NewPCG(seed, 0x7265637465737421))
	cum := make([]float64, items) // cumulative Zipf weights
	perm := rng.Perm(items)       // popularity rank -> item, so that popular items are spread over indices
	s := 0.0
	for r := range cum {
		s += 1 / float64(r+1)
		cum[r] = s
	}
	rows := make([][]int32, users)
	var vals [][]float32
	var times [][]int64
	if values {
		vals = make([][]float32, users)
		times = make([][]int64, users)
	}
	for u := range rows {
		n := min(items, 1+rng.IntN(2*perUser))
		set := make(map[int32]bool, n)
		for len(set) < n {
			x := rng.Float64() * s
			r, _ := slices.BinarySearch(cum, x)
			set[int32(perm[min(r, items-1)])] = true
		}
		row := make([]int32, 0, n)
		for i := range set {
			row = append(row, i)
		}
		slices.Sort(row)
		rows[u] = row
		if values {
			vals[u] = make([]float32, n)
			times[u] = make([]int64, n)
			for j := range row {
				vals[u][j] = float32(1 + rng.IntN(5))
				times[u][j] = 1_600_000_000 + int64(rng.IntN(1_000_000))
			}
		}
	}
	return fromRows(name, items, rows, vals, times)
}

func fromRows(name string, nItems int, rows [][]int32, vals [][]float32, times [][]int64) Dataset {
	m := datasets.CSR{Rows: len(rows), NumCols: nItems, Offsets: make([]int64, len(rows)+1)}
	for u, row := range rows {
		m.Offsets[u+1] = m.Offsets[u] + int64(len(row))
		m.Cols = append(m.Cols, row...)
		if vals != nil {
			m.Values = append(m.Values, vals[u]...)
			m.Times = append(m.Times, times[u]...)
		}
	}
	if m.Cols == nil {
		m.Cols = []int32{}
	}
	if msg := m.Validate(); msg != "" {
		panic("rectest: bad dataset " + name + ": " + msg)
	}
	uids := make([]int64, len(rows))
	for i := range uids {
		uids[i] = 1000 + int64(i)
	}
	iids := make([]string, nItems)
	for i := range iids {
		iids[i] = fmt.Sprintf("i%d", i)
	}
	users, _ := datasets.NewIntIDs(uids)
	items, _ := datasets.NewStringIDs(iids)
	return Dataset{Name: name, Train: recommenders.TrainView{Interactions: m}, Users: users, Items: items}
}

// Zipf returns a CSR of users × items with exactly nnz interactions (at
// most users·items), item popularity following a Zipf law with exponent
// alpha and user activity a log-normal law with σ = 1, the shape of
// MovieLens-like data, for benchmarks. The same arguments give the same
// matrix.
func Zipf(seed uint64, users, items int, nnz int64, alpha float64) datasets.CSR {
	nnz = min(nnz, int64(users)*int64(items))
	rng := rand.New(rand.NewPCG(seed, 0x7a697066))
	// Activity: log-normal weights, scaled to nnz and capped at items.
	act := make([]float64, users)
	tot := 0.0
	for u := range act {
		act[u] = math.Exp(rng.NormFloat64())
		tot += act[u]
	}
	count := make([]int, users)
	var sum int64
	for u := range act {
		count[u] = max(1, min(items, int(act[u]/tot*float64(nnz))))
		sum += int64(count[u])
	}
	for u := 0; sum < nnz; u = (u + 1) % users { // top up to nnz exactly
		if count[u] < items {
			count[u]++
			sum++
		}
	}
	for u := 0; sum > nnz; u = (u + 1) % users {
		if count[u] > 1 {
			count[u]--
			sum--
		}
	}
	cum := make([]float64, items)
	s := 0.0
	for r := range cum {
		s += math.Pow(float64(r+1), -alpha)
		cum[r] = s
	}
	perm := rng.Perm(items)
	m := datasets.CSR{Rows: users, NumCols: items, Offsets: make([]int64, users+1), Cols: make([]int32, 0, nnz)}
	mark := make([]int32, items)
	for u := range count {
		row := m.Cols[len(m.Cols):len(m.Cols)]
		if count[u] > items/2 { // dense user: leave out a uniform sample
			for i := range mark {
				mark[i] = 0
			}
			left := items - count[u]
			for left > 0 {
				if i := rng.IntN(items); mark[i] == 0 {
					mark[i] = 1
					left--
				}
			}
			for i := range mark {
				if mark[i] == 0 {
					row = append(row, int32(i))
				}
			}
		} else {
			for len(row) < count[u] {
				r, _ := slices.BinarySearch(cum, rng.Float64()*s)
				if i := perm[min(r, items-1)]; mark[i] != int32(u)+1 {
					mark[i] = int32(u) + 1
					row = append(row, int32(i))
				}
			}
			slices.Sort(row)
		}
		m.Cols = m.Cols[:len(m.Cols)+len(row)]
		m.Offsets[u+1] = int64(len(m.Cols))
	}
	return m
}
