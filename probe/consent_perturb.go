package probe

import (
	"fmt"
	"math/rand/v2"
	"slices"

	"github.com/recaudit/recaudit/datasets"
)

const (
	errPerturbation = "probe: bad perturbation"
	errConsentLen   = "probe: consent length differs from the number of users"
)

// Perturbation is a way of changing the training histories of the users who
// did not consent to personalisation, in the consent probe (see
// [Consent.Rerun]). The histories of the users who consented are never
// changed.
type Perturbation int

const (
	// PerturbDrop removes every training interaction of the
	// non-consenting users: they become users without history.
	PerturbDrop Perturbation = iota
	// PerturbShuffle hands each non-consenting user with a history the
	// whole history (items, values and timestamps) of another
	// non-consenting user with a history: the histories are permuted by a
	// uniformly random cyclic permutation (Sattolo's algorithm), so no
	// user keeps their own. The multiset of histories is unchanged, so
	// every item keeps its number of interactions and of distinct users:
	// a popularity-based fallback cannot move. Nothing changes when fewer
	// than two non-consenting users have a history.
	PerturbShuffle
	// PerturbRandom replaces each non-consenting user's items by as many
	// distinct items drawn uniformly from the whole catalogue (the user's
	// own items included); the values and timestamps stay at their
	// positions in the user's row (the j-th smallest new item gets the
	// j-th value and timestamp of the old row).
	PerturbRandom
)

var perturbationNames = [...]string{PerturbDrop: "drop", PerturbShuffle: "shuffle", PerturbRandom: "random"}

// String returns the perturbation's name: "drop", "shuffle" or "random".
func (p Perturbation) String() string {
	if p < 0 || int(p) >= len(perturbationNames) {
		return fmt.Sprintf("Perturbation(%d)", int(p))
	}
	return perturbationNames[p]
}

// Perturbations returns every perturbation, in the order of the constants.
func Perturbations() []Perturbation {
	return []Perturbation{PerturbDrop, PerturbShuffle, PerturbRandom}
}

// Perturb returns a copy of the interactions m in which the histories of
// the users whose consent is false are changed as how says; the other rows
// are copied unchanged. changed[u] reports whether user u's row differs
// from the original (its items, values or timestamps): a user without
// history is not changed by PerturbDrop or PerturbRandom, and two users with
// the same history swapped by PerturbShuffle are not changed. A nil
// consent means everyone consented: nothing changes.
//
// The draws of PerturbShuffle and PerturbRandom come from src (nil means
// the global source of math/rand/v2), in user order, so the result is
// deterministic for a seeded source. m is not modified, and the result
// shares no memory with it.
//
// Perturb panics if consent is not nil and its length differs from m.Rows,
// or if how is not a Perturbation constant.
func Perturb(m *datasets.CSR, consent []bool, how Perturbation, src rand.Source) (out datasets.CSR, changed []bool) {
	if consent != nil && len(consent) != m.Rows {
		panic(errConsentLen)
	}
	if how < 0 || int(how) >= len(perturbationNames) {
		panic(errPerturbation)
	}
	rng := newRand(src)
	n := m.Rows
	// from[u] is the row whose history u gets; -1 means none (dropped).
	from := make([]int, n)
	var shuffled []int
	for u := range from {
		from[u] = u
		if consent == nil || consent[u] {
			continue
		}
		switch how {
		case PerturbDrop:
			from[u] = -1
		case PerturbShuffle:
			if m.Len(u) > 0 {
				shuffled = append(shuffled, u)
			}
		}
	}
	if len(shuffled) >= 2 {
		perm := slices.Clone(shuffled)
		for i := len(perm) - 1; i > 0; i-- { // Sattolo: a uniform random n-cycle
			j := rng.IntN(i)
			perm[i], perm[j] = perm[j], perm[i]
		}
		for i, u := range shuffled {
			from[u] = perm[i]
		}
	}

	out = datasets.CSR{Rows: n, NumCols: m.NumCols, Offsets: make([]int64, n+1)}
	for u := range n {
		l := 0
		if from[u] >= 0 {
			l = m.Len(from[u])
		}
		out.Offsets[u+1] = out.Offsets[u] + int64(l)
	}
	nnz := out.Offsets[n]
	out.Cols = make([]int32, nnz)
	if m.Values != nil {
		out.Values = make([]float32, nnz)
	}
	if m.Times != nil {
		out.Times = make([]int64, nnz)
	}
	changed = make([]bool, n)
	var pick map[int32]bool
	for u := range n {
		lo, hi := out.Offsets[u], out.Offsets[u+1]
		if from[u] < 0 {
			changed[u] = m.Len(u) > 0
			continue
		}
		src0, src1 := m.Offsets[from[u]], m.Offsets[from[u]+1]
		copy(out.Cols[lo:hi], m.Cols[src0:src1])
		if out.Values != nil {
			copy(out.Values[lo:hi], m.Values[src0:src1])
		}
		if out.Times != nil {
			copy(out.Times[lo:hi], m.Times[src0:src1])
		}
		if how == PerturbRandom && consent != nil && !consent[u] && hi > lo {
			if pick == nil {
				pick = map[int32]bool{}
			}
			drawDistinct(out.Cols[lo:hi], m.NumCols, rng, pick)
		}
		changed[u] = !sameRow(m, u, &out, u)
	}
	return out, changed
}

// drawDistinct fills dst with len(dst) distinct items drawn uniformly from
// [0, n), sorted ascending (Floyd's algorithm). pick is scratch space.
func drawDistinct(dst []int32, n int, rng *rand.Rand, pick map[int32]bool) {
	clear(pick)
	m := len(dst)
	i := 0
	for j := n - m; j < n; j++ {
		t := int32(rng.IntN(j + 1))
		if pick[t] {
			t = int32(j)
		}
		pick[t] = true
		dst[i] = t
		i++
	}
	slices.Sort(dst)
}

// sameRow reports whether row u of a and row v of b hold the same items,
// values and timestamps.
func sameRow(a *datasets.CSR, u int, b *datasets.CSR, v int) bool {
	if !slices.Equal(a.Row(u), b.Row(v)) {
		return false
	}
	if a.Values != nil && !slices.Equal(a.RowValues(u), b.RowValues(v)) {
		return false
	}
	return a.Times == nil || slices.Equal(a.RowTimes(u), b.RowTimes(v))
}

// newRand returns a generator over src, or over the global source when src
// is nil.
func newRand(src rand.Source) *rand.Rand {
	if src == nil {
		return rand.New(globalSource{})
	}
	return rand.New(src)
}

// globalSource draws from the global source of math/rand/v2.
type globalSource struct{}

func (globalSource) Uint64() uint64 { return rand.Uint64() }
