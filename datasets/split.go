package datasets

import (
	"cmp"
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
)

// Panic messages of the splits (programmer errors).
const (
	panicSplitKind = "datasets: bad split kind"
	panicSplitNil  = "datasets: Split.Apply of a nil CSR"
	panicSplitCSR  = "datasets: Split.Apply of a malformed CSR: "
)

// Defaults applied by [Split.Apply] to zero-valued fields.
const (
	DefaultSplitFraction = 0.2 // Split.Fraction when zero
	DefaultSplitN        = 1   // Split.N when zero
)

// SplitKind is how [Split] chooses the test interactions.
type SplitKind int

const (
	// SplitRandom holds out a random Fraction of each user's
	// interactions: h = min(max(round(Fraction·n), 1), n−1) of a user's n
	// interactions, chosen uniformly without replacement; round is
	// math.Round (halves away from zero). A user is split when
	// n ≥ max(MinInteractions, 2).
	SplitRandom SplitKind = iota
	// SplitLeaveNOut holds out N random interactions of each user,
	// chosen uniformly without replacement. A user is split when
	// n ≥ max(MinInteractions, N+1).
	SplitLeaveNOut
	// SplitLastN holds out each user's N most recent interactions. A
	// user's interactions are ordered by (time, item index) ascending and
	// the last N go to test: among interactions with the same timestamp,
	// the one with the larger item index counts as the more recent. A user
	// is split when n ≥ max(MinInteractions, N+1). It needs timestamps.
	SplitLastN
	// SplitTemporalCutoff is a global cut in time: every interaction with
	// time ≥ Cutoff goes to test, every earlier one to train. It needs
	// timestamps. A user is split when n ≥ MinInteractions (every user
	// with interactions, by default).
	SplitTemporalCutoff
	// SplitTemporalFraction is a global cut in time that sends about
	// the latest Fraction of all interactions to test: with T the
	// timestamps of all N interactions sorted ascending and
	//
	//	k = min(max(round(Fraction·N), 1), N),
	//
	// the cutoff is T[N−k] (the k-th latest time) and the split is then
	// SplitTemporalCutoff with that cutoff, reported in
	// SplitStats.Cutoff. Interactions tied with the cutoff time all go to
	// test, so the test share can exceed Fraction when timestamps repeat.
	// It needs timestamps. Users are split as for SplitTemporalCutoff.
	SplitTemporalFraction
)

var splitKindNames = [...]string{
	SplitRandom:           "random",
	SplitLeaveNOut:        "leave-n-out",
	SplitLastN:            "last-n",
	SplitTemporalCutoff:   "temporal-cutoff",
	SplitTemporalFraction: "temporal-fraction",
}

// String returns the kind's name: "random", "leave-n-out", "last-n",
// "temporal-cutoff" or "temporal-fraction".
func (k SplitKind) String() string {
	if k < 0 || int(k) >= len(splitKindNames) {
		return fmt.Sprintf("SplitKind(%d)", int(k))
	}
	return splitKindNames[k]
}

// temporal reports whether the kind needs timestamps.
func (k SplitKind) temporal() bool {
	return k == SplitLastN || k == SplitTemporalCutoff || k == SplitTemporalFraction
}

// Split describes a train/test split of an interactions matrix (rows =
// users, columns = items). The zero value is a per-user random holdout of
// 20% ([SplitRandom] with [DefaultSplitFraction]) with seed 0.
//
// Fields a kind does not use are ignored: Fraction is read by SplitRandom
// and SplitTemporalFraction, N by SplitLeaveNOut and SplitLastN, Cutoff by
// SplitTemporalCutoff, Seed by SplitRandom and SplitLeaveNOut.
//
// # Users with too few interactions
//
// Each kind needs a minimum number of interactions to split a user: 2 for
// SplitRandom (one to train on, one to test), N+1 for SplitLeaveNOut and
// SplitLastN, none for the global temporal kinds. MinInteractions raises
// that minimum. A user with at least one interaction but fewer than
// max(MinInteractions, the kind's minimum) is kept whole: all their
// interactions stay in train and they get no test interaction. They are
// counted in [SplitStats.UsersKeptWhole]. With the global temporal kinds
// and MinInteractions > 0, this puts such users' interactions at or after
// the cutoff in train.
//
// # Determinism
//
// The random kinds draw each user's test interactions from a stream of its
// own, a PCG generator seeded from (Seed, user index) alone: a user's split
// depends only on Seed, the user's index and the user's own interactions,
// not on the other users, the order of evaluation or any global generator.
// The same matrix and Split give the same result.
//
// # References
//
// Meng, McCreadie, Macdonald and Ounis, "Exploring Data Splitting
// Strategies for the Evaluation of Recommendation Models", RecSys 2020
// (https://doi.org/10.1145/3383313.3418479), describe these strategies
// (random and leave-one-out per user, last items per user, global temporal)
// and show that the choice can change the ranking of systems: record the
// Split with every result.
type Split struct {
	Kind SplitKind
	// Fraction is the share of interactions to hold out, in (0, 1);
	// zero means DefaultSplitFraction (0.2).
	Fraction float64
	// N is the number of interactions held out per user, at least 1;
	// zero means DefaultSplitN (1).
	N int
	// Cutoff is the first test time in Unix seconds (SplitTemporalCutoff).
	// Zero is a valid cutoff (1970-01-01), not a default.
	Cutoff int64
	// MinInteractions raises the number of interactions a user needs to
	// be split (see "Users with too few interactions"); zero or less
	// than the kind's minimum means the kind's minimum. Negative values
	// are an error.
	MinInteractions int
	// Seed selects the random streams of SplitRandom and SplitLeaveNOut.
	Seed uint64
}

// SplitStats counts what [Split.Apply] did. The user counts partition the
// rows:
//
//	Users = UsersEmpty + UsersKeptWhole + UsersSplit + UsersNoTest
type SplitStats struct {
	Kind SplitKind
	// Cutoff is the cutoff time used by the global temporal kinds (the
	// computed quantile for SplitTemporalFraction); zero otherwise.
	Cutoff int64

	Users          int // rows of the input
	UsersEmpty     int // users without any interaction
	UsersKeptWhole int // users below the minimum: all their interactions in train
	UsersSplit     int // users with at least one test interaction
	// UsersNoTest counts users eligible for the split that got no test
	// interaction: with the global temporal kinds, users whose every
	// interaction is before the cutoff. Always zero for per-user kinds.
	UsersNoTest int
	// UsersTestOnly counts the users among UsersSplit with no training
	// interaction left (all their interactions are at or after the
	// cutoff). Always zero for per-user kinds.
	UsersTestOnly int

	TrainInteractions int // entries of train
	TestInteractions  int // entries of test
}

// Apply splits m into train and test.
//
// Train and test have the same Rows and NumCols as m, rows sorted by
// column; Values and Times are carried along when m has them. Every
// interaction of m is in exactly one of them: train ∪ test = m and
// train ∩ test = ∅. m is not modified, and train and test share no memory
// with it.
//
// Apply returns an error wrapping [ErrValue], naming the field, when a
// parameter the kind reads is invalid (Fraction outside (0, 1) or NaN, N
// or MinInteractions negative), and an error wrapping [ErrSchema] when a
// temporal kind is applied to a matrix without Times (nil), even an empty
// one.
//
// Apply panics if m is nil or malformed (see [CSR.Validate]) or if Kind is
// not one of the SplitKind constants.
func (s Split) Apply(m *CSR) (train, test CSR, st SplitStats, err error) {
	if m == nil {
		panic(panicSplitNil)
	}
	if s.Kind < 0 || int(s.Kind) >= len(splitKindNames) {
		panic(panicSplitKind)
	}
	if msg := m.Validate(); msg != "" {
		panic(panicSplitCSR + msg)
	}
	s, minN, err := s.normalize()
	if err != nil {
		return CSR{}, CSR{}, SplitStats{}, err
	}
	if s.Kind.temporal() && m.Times == nil {
		return CSR{}, CSR{}, SplitStats{}, fmt.Errorf("%w: the %s split needs interaction timestamps, but the interactions have none; "+
			"fix: add a timestamp column (Unix seconds) to the interactions table, or use a random split (random or leave-n-out)", ErrSchema, s.Kind)
	}

	st = SplitStats{Kind: s.Kind, Users: m.Rows}
	if s.Kind == SplitTemporalFraction {
		s.Cutoff = 0
		if m.NNZ() > 0 {
			s.Cutoff = quantileCutoff(m.Times, s.Fraction)
		}
	}
	if s.Kind == SplitTemporalCutoff || s.Kind == SplitTemporalFraction {
		st.Cutoff = s.Cutoff
	}

	// inTest[j] marks entry j of m as a test interaction.
	inTest := make([]bool, m.NNZ())
	var perm []int32 // scratch for the per-user selections
	var timed []timedEntry
	pcg := rand.NewPCG(0, 0)
	rng := rand.New(pcg)
	for u := 0; u < m.Rows; u++ {
		lo, hi := m.Offsets[u], m.Offsets[u+1]
		n := int(hi - lo)
		switch {
		case n == 0:
			st.UsersEmpty++
			continue
		case n < minN:
			st.UsersKeptWhole++
			continue
		}
		mark := inTest[lo:hi]
		switch s.Kind {
		case SplitRandom:
			h := min(max(int(math.Round(s.Fraction*float64(n))), 1), n-1)
			perm = sampleInto(perm, n, h, seedUser(pcg, rng, s.Seed, u))
			for _, p := range perm {
				mark[p] = true
			}
		case SplitLeaveNOut:
			perm = sampleInto(perm, n, s.N, seedUser(pcg, rng, s.Seed, u))
			for _, p := range perm {
				mark[p] = true
			}
		case SplitLastN:
			perm = lastN(perm, &timed, m.Cols[lo:hi], m.Times[lo:hi], s.N)
			for _, p := range perm {
				mark[p] = true
			}
		case SplitTemporalCutoff, SplitTemporalFraction:
			for i, t := range m.Times[lo:hi] {
				mark[i] = t >= s.Cutoff
			}
		}
		h := 0
		for _, b := range mark {
			if b {
				h++
			}
		}
		switch {
		case h == 0:
			st.UsersNoTest++
		case h == n:
			st.UsersSplit++
			st.UsersTestOnly++
		default:
			st.UsersSplit++
		}
	}
	train, test = partition(m, inTest)
	st.TrainInteractions, st.TestInteractions = train.NNZ(), test.NNZ()
	return train, test, st, nil
}

// normalize applies the defaults, validates the fields the kind reads and
// returns the minimum number of interactions a user needs to be split.
func (s Split) normalize() (Split, int, error) {
	if s.MinInteractions < 0 {
		return s, 0, fmt.Errorf("%w: split MinInteractions %d is negative; fix: use 0 for the split kind's minimum, or a positive count", ErrValue, s.MinInteractions)
	}
	kindMin := 0
	switch s.Kind {
	case SplitRandom, SplitTemporalFraction:
		if s.Fraction == 0 {
			s.Fraction = DefaultSplitFraction
		}
		if !(s.Fraction > 0 && s.Fraction < 1) {
			return s, 0, fmt.Errorf("%w: split Fraction %v is outside (0, 1); fix: use a share of interactions such as 0.2", ErrValue, s.Fraction)
		}
		if s.Kind == SplitRandom {
			kindMin = 2
		}
	case SplitLeaveNOut, SplitLastN:
		if s.N == 0 {
			s.N = DefaultSplitN
		}
		if s.N < 1 {
			return s, 0, fmt.Errorf("%w: split N %d is less than 1; fix: hold out at least one interaction per user", ErrValue, s.N)
		}
		kindMin = s.N + 1
	}
	return s, max(kindMin, s.MinInteractions), nil
}

// seedUser reseeds pcg for the random stream of user u, seeded with seed
// and a SplitMix64 hash of u so that neighbouring users get unrelated
// streams, and returns r, which draws from pcg.
func seedUser(pcg *rand.PCG, r *rand.Rand, seed uint64, u int) *rand.Rand {
	pcg.Seed(seed, splitmix64(uint64(u)))
	return r
}

// splitmix64 is the finaliser of Steele, Lea and Flood's SplitMix64
// generator (OOPSLA 2014), a bijective mixing function on 64 bits.
func splitmix64(x uint64) uint64 {
	x += 0x9e3779b97f4a7c15
	x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9
	x = (x ^ (x >> 27)) * 0x94d049bb133111eb
	return x ^ (x >> 31)
}

// sampleInto fills dst with h distinct positions drawn uniformly from
// [0, n) by a partial Fisher–Yates shuffle, and returns it.
func sampleInto(dst []int32, n, h int, r *rand.Rand) []int32 {
	dst = dst[:0]
	for i := range n {
		dst = append(dst, int32(i))
	}
	for i := range h {
		j := i + r.IntN(n-i)
		dst[i], dst[j] = dst[j], dst[i]
	}
	return dst[:h]
}

// timedEntry is one entry of a row, for ordering by (time, column).
type timedEntry struct {
	t   int64
	col int32
	pos int32
}

func compareTimed(a, b timedEntry) int {
	if c := cmp.Compare(a.t, b.t); c != 0 {
		return c
	}
	return cmp.Compare(a.col, b.col)
}

// lastN fills dst with the positions of the n latest entries of one row,
// ordered by (time, column) ascending, and returns it; buf is scratch.
func lastN(dst []int32, buf *[]timedEntry, cols []int32, times []int64, n int) []int32 {
	b := (*buf)[:0]
	for i, c := range cols {
		b = append(b, timedEntry{t: times[i], col: c, pos: int32(i)})
	}
	slices.SortFunc(b, compareTimed)
	*buf = b
	dst = dst[:0]
	for _, e := range b[len(b)-n:] {
		dst = append(dst, e.pos)
	}
	return dst
}

// quantileCutoff returns the k-th largest of times, with
// k = min(max(round(fraction·N), 1), N). times must not be empty.
func quantileCutoff(times []int64, fraction float64) int64 {
	n := len(times)
	k := min(max(int(math.Round(fraction*float64(n))), 1), n)
	sorted := slices.Clone(times)
	slices.Sort(sorted)
	return sorted[n-k]
}

// partition copies the entries of m into train (inTest false) and test
// (inTest true), keeping row order.
func partition(m *CSR, inTest []bool) (train, test CSR) {
	nTest := 0
	for _, b := range inTest {
		if b {
			nTest++
		}
	}
	alloc := func(nnz int) CSR {
		c := CSR{Rows: m.Rows, NumCols: m.NumCols, Offsets: make([]int64, m.Rows+1), Cols: make([]int32, 0, nnz)}
		if m.Values != nil {
			c.Values = make([]float32, 0, nnz)
		}
		if m.Times != nil {
			c.Times = make([]int64, 0, nnz)
		}
		return c
	}
	train, test = alloc(m.NNZ()-nTest), alloc(nTest)
	for u := 0; u < m.Rows; u++ {
		for j := m.Offsets[u]; j < m.Offsets[u+1]; j++ {
			dst := &train
			if inTest[j] {
				dst = &test
			}
			dst.Cols = append(dst.Cols, m.Cols[j])
			if m.Values != nil {
				dst.Values = append(dst.Values, m.Values[j])
			}
			if m.Times != nil {
				dst.Times = append(dst.Times, m.Times[j])
			}
		}
		train.Offsets[u+1] = int64(len(train.Cols))
		test.Offsets[u+1] = int64(len(test.Cols))
	}
	return train, test
}
