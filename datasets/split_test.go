package datasets

import (
	"errors"
	"math"
	"math/rand/v2"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// splitFixture is the hand-checkable matrix of the split tests: 5 users,
// 6 items.
//
//	user 0: items 0  2  3  5, times 10 40 20 40, values 1 2 3 4
//	user 1: item  1,          time  5,           value  5
//	user 2: no interactions
//	user 3: items 0..5,       times 1..6,        values 1..6
//	user 4: items 2  4,       times 30 30,       values 7 8
func splitFixture() *CSR {
	return &CSR{
		Rows: 5, NumCols: 6,
		Offsets: []int64{0, 4, 5, 5, 11, 13},
		Cols:    []int32{0, 2, 3, 5, 1, 0, 1, 2, 3, 4, 5, 2, 4},
		Values:  []float32{1, 2, 3, 4, 5, 1, 2, 3, 4, 5, 6, 7, 8},
		Times:   []int64{10, 40, 20, 40, 5, 1, 2, 3, 4, 5, 6, 30, 30},
	}
}

// rowsOf returns the column indices of every row of m, for comparisons.
func rowsOf(m *CSR) [][]int32 {
	out := make([][]int32, m.Rows)
	for r := range m.Rows {
		out[r] = slices.Clone(m.Row(r))
		if out[r] == nil {
			out[r] = []int32{}
		}
	}
	return out
}

// checkPartition asserts that train and test are well-formed CSRs of m's
// shape, disjoint, and that their union is m with its values and times.
func checkPartition(t *testing.T, m, train, test *CSR) {
	t.Helper()
	for _, c := range []struct {
		name string
		x    *CSR
	}{{"train", train}, {"test", test}} {
		if msg := c.x.Validate(); msg != "" {
			t.Fatalf("%s is malformed: %s", c.name, msg)
		}
		if c.x.Rows != m.Rows || c.x.NumCols != m.NumCols {
			t.Fatalf("%s shape %d×%d, want %d×%d", c.name, c.x.Rows, c.x.NumCols, m.Rows, m.NumCols)
		}
		if (c.x.Values == nil) != (m.Values == nil) || (c.x.Times == nil) != (m.Times == nil) {
			t.Fatalf("%s: Values/Times presence differs from the input", c.name)
		}
	}
	if train.NNZ()+test.NNZ() != m.NNZ() {
		t.Fatalf("train %d + test %d entries != input %d", train.NNZ(), test.NNZ(), m.NNZ())
	}
	type entry struct {
		col int32
		val float32
		t   int64
	}
	entries := func(x *CSR, r int) []entry {
		var out []entry
		for j := x.Offsets[r]; j < x.Offsets[r+1]; j++ {
			e := entry{col: x.Cols[j], val: x.Value(j)}
			if x.Times != nil {
				e.t = x.Times[j]
			}
			out = append(out, e)
		}
		return out
	}
	for r := range m.Rows {
		a, b := entries(train, r), entries(test, r)
		for _, e := range a {
			if slices.ContainsFunc(b, func(f entry) bool { return f.col == e.col }) {
				t.Fatalf("row %d: item %d in both train and test", r, e.col)
			}
		}
		union := append(slices.Clone(a), b...)
		slices.SortFunc(union, func(x, y entry) int { return int(x.col) - int(y.col) })
		if diff := cmp.Diff(entries(m, r), union, cmp.AllowUnexported(entry{})); diff != "" {
			t.Fatalf("row %d: train ∪ test differs from the input (-want +got):\n%s", r, diff)
		}
	}
}

func cloneCSR(m *CSR) *CSR {
	c := *m
	c.Offsets = slices.Clone(m.Offsets)
	c.Cols = slices.Clone(m.Cols)
	c.Values = slices.Clone(m.Values)
	c.Times = slices.Clone(m.Times)
	return &c
}

// TestSplitDeterministicKinds checks the temporal kinds against
// hand-computed train/test sets of splitFixture.
func TestSplitDeterministicKinds(t *testing.T) {
	empty := []int32{}
	for _, tc := range []struct {
		name      string
		split     Split
		wantTest  [][]int32 // test items per user; train is the rest
		wantStats SplitStats
	}{
		{
			// Hand-computed: (time, item) order of user 0 is (10,0) (20,3)
			// (40,2) (40,5): item 5 wins the tie at 40. User 1 has 1 < 2
			// interactions: kept whole. User 4: (30,2) (30,4): item 4.
			name:     "last-1",
			split:    Split{Kind: SplitLastN},
			wantTest: [][]int32{{5}, empty, empty, {5}, {4}},
			wantStats: SplitStats{Kind: SplitLastN, Users: 5, UsersEmpty: 1, UsersKeptWhole: 1, UsersSplit: 3,
				TrainInteractions: 10, TestInteractions: 3},
		},
		{
			// Hand-computed: N=2 needs 3 interactions; users 1 and 4 are
			// kept whole. User 0: items 2 and 5 (both at 40); user 3: 4, 5.
			name:     "last-2",
			split:    Split{Kind: SplitLastN, N: 2},
			wantTest: [][]int32{{2, 5}, empty, empty, {4, 5}, empty},
			wantStats: SplitStats{Kind: SplitLastN, Users: 5, UsersEmpty: 1, UsersKeptWhole: 2, UsersSplit: 2,
				TrainInteractions: 9, TestInteractions: 4},
		},
		{
			// Hand-computed: MinInteractions 5 keeps user 0 (4) whole too.
			name:     "last-1 min 5",
			split:    Split{Kind: SplitLastN, MinInteractions: 5},
			wantTest: [][]int32{empty, empty, empty, {5}, empty},
			wantStats: SplitStats{Kind: SplitLastN, Users: 5, UsersEmpty: 1, UsersKeptWhole: 3, UsersSplit: 1,
				TrainInteractions: 12, TestInteractions: 1},
		},
		{
			// Hand-computed: times >= 30 are user 0's items 2, 5 (40, 40)
			// and user 4's items 2, 4 (30, 30); users 1 and 3 have none.
			name:     "cutoff 30",
			split:    Split{Kind: SplitTemporalCutoff, Cutoff: 30},
			wantTest: [][]int32{{2, 5}, empty, empty, empty, {2, 4}},
			wantStats: SplitStats{Kind: SplitTemporalCutoff, Cutoff: 30, Users: 5, UsersEmpty: 1, UsersSplit: 2,
				UsersNoTest: 2, UsersTestOnly: 1, TrainInteractions: 9, TestInteractions: 4},
		},
		{
			// Hand-computed: MinInteractions 3 keeps users 1 and 4 whole,
			// so user 4's interactions at 30 stay in train.
			name:     "cutoff 30 min 3",
			split:    Split{Kind: SplitTemporalCutoff, Cutoff: 30, MinInteractions: 3},
			wantTest: [][]int32{{2, 5}, empty, empty, empty, empty},
			wantStats: SplitStats{Kind: SplitTemporalCutoff, Cutoff: 30, Users: 5, UsersEmpty: 1, UsersKeptWhole: 2,
				UsersSplit: 1, UsersNoTest: 1, TrainInteractions: 11, TestInteractions: 2},
		},
		{
			// Hand-computed: cutoff 0 sends everything to test.
			name:     "cutoff 0",
			split:    Split{Kind: SplitTemporalCutoff},
			wantTest: [][]int32{{0, 2, 3, 5}, {1}, empty, {0, 1, 2, 3, 4, 5}, {2, 4}},
			wantStats: SplitStats{Kind: SplitTemporalCutoff, Users: 5, UsersEmpty: 1, UsersSplit: 4,
				UsersTestOnly: 4, TestInteractions: 13},
		},
		{
			// Hand-computed: the 13 times sorted are 1 2 3 4 5 5 6 10 20 30
			// 30 40 40; k = round(0.3·13) = round(3.9) = 4, cutoff = the
			// 4th latest = 30: the same as "cutoff 30".
			name:     "fraction 0.3",
			split:    Split{Kind: SplitTemporalFraction, Fraction: 0.3},
			wantTest: [][]int32{{2, 5}, empty, empty, empty, {2, 4}},
			wantStats: SplitStats{Kind: SplitTemporalFraction, Cutoff: 30, Users: 5, UsersEmpty: 1, UsersSplit: 2,
				UsersNoTest: 2, UsersTestOnly: 1, TrainInteractions: 9, TestInteractions: 4},
		},
		{
			// Hand-computed: k = round(0.1·13) = 1, cutoff = 40; both
			// interactions at 40 go to test (2 > k: the tie rule).
			name:     "fraction 0.1",
			split:    Split{Kind: SplitTemporalFraction, Fraction: 0.1},
			wantTest: [][]int32{{2, 5}, empty, empty, empty, empty},
			wantStats: SplitStats{Kind: SplitTemporalFraction, Cutoff: 40, Users: 5, UsersEmpty: 1, UsersSplit: 1,
				UsersNoTest: 3, TrainInteractions: 11, TestInteractions: 2},
		},
		{
			// Hand-computed: default fraction 0.2, k = round(2.6) = 3, the
			// 3rd latest time is 30: again the "cutoff 30" split. The
			// Cutoff field is ignored by this kind.
			name:     "fraction default",
			split:    Split{Kind: SplitTemporalFraction, Cutoff: 1000},
			wantTest: [][]int32{{2, 5}, empty, empty, empty, {2, 4}},
			wantStats: SplitStats{Kind: SplitTemporalFraction, Cutoff: 30, Users: 5, UsersEmpty: 1, UsersSplit: 2,
				UsersNoTest: 2, UsersTestOnly: 1, TrainInteractions: 9, TestInteractions: 4},
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			m := splitFixture()
			train, test, st, err := tc.split.Apply(m)
			if err != nil {
				t.Fatal(err)
			}
			checkPartition(t, splitFixture(), &train, &test)
			if diff := cmp.Diff(tc.wantTest, rowsOf(&test)); diff != "" {
				t.Errorf("test items (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(tc.wantStats, st); diff != "" {
				t.Errorf("stats (-want +got):\n%s", diff)
			}
		})
	}
}

// TestSplitLastNValuesTimes checks that values and times travel with their
// items: hand-computed from splitFixture with last-1.
func TestSplitLastNValuesTimes(t *testing.T) {
	train, test, _, err := Split{Kind: SplitLastN}.Apply(splitFixture())
	if err != nil {
		t.Fatal(err)
	}
	want := CSR{
		Rows: 5, NumCols: 6,
		Offsets: []int64{0, 1, 1, 1, 2, 3},
		Cols:    []int32{5, 5, 4},
		Values:  []float32{4, 6, 8},
		Times:   []int64{40, 6, 30},
	}
	if diff := cmp.Diff(want, test); diff != "" {
		t.Errorf("test (-want +got):\n%s", diff)
	}
	wantTrain := CSR{
		Rows: 5, NumCols: 6,
		Offsets: []int64{0, 3, 4, 4, 9, 10},
		Cols:    []int32{0, 2, 3, 1, 0, 1, 2, 3, 4, 2},
		Values:  []float32{1, 2, 3, 5, 1, 2, 3, 4, 5, 7},
		Times:   []int64{10, 40, 20, 5, 1, 2, 3, 4, 5, 30},
	}
	if diff := cmp.Diff(wantTrain, train); diff != "" {
		t.Errorf("train (-want +got):\n%s", diff)
	}
}

// TestSplitRandomCounts checks the number of held-out interactions per user
// of the random kinds against the documented rounding rule.
func TestSplitRandomCounts(t *testing.T) {
	for _, tc := range []struct {
		name      string
		split     Split
		wantCount []int // test interactions per user (n = 4, 1, 0, 6, 2)
		wantStats SplitStats
	}{
		{
			// Hand-computed: round(0.2·4)=1, round(0.2·6)=1,
			// round(0.2·2)=0 -> at least 1; user 1 (n=1) kept whole.
			name: "random default 0.2", split: Split{Seed: 7},
			wantCount: []int{1, 0, 0, 1, 1},
			wantStats: SplitStats{Users: 5, UsersEmpty: 1, UsersKeptWhole: 1, UsersSplit: 3, TrainInteractions: 10, TestInteractions: 3},
		},
		{
			// Hand-computed: round(2)=2, round(3)=3, round(1)=1.
			name: "random 0.5", split: Split{Fraction: 0.5, Seed: 7},
			wantCount: []int{2, 0, 0, 3, 1},
			wantStats: SplitStats{Users: 5, UsersEmpty: 1, UsersKeptWhole: 1, UsersSplit: 3, TrainInteractions: 7, TestInteractions: 6},
		},
		{
			// Hand-computed: round(0.25·6) = round(1.5) = 2 (half away
			// from zero); round(1.0)=1; round(0.5)=1.
			name: "random 0.25", split: Split{Fraction: 0.25, Seed: 7},
			wantCount: []int{1, 0, 0, 2, 1},
			wantStats: SplitStats{Users: 5, UsersEmpty: 1, UsersKeptWhole: 1, UsersSplit: 3, TrainInteractions: 9, TestInteractions: 4},
		},
		{
			// Hand-computed: round(3.6)=4 capped at n-1=3; round(5.4)=5;
			// round(1.8)=2 capped at 1.
			name: "random 0.9", split: Split{Fraction: 0.9, Seed: 7},
			wantCount: []int{3, 0, 0, 5, 1},
			wantStats: SplitStats{Users: 5, UsersEmpty: 1, UsersKeptWhole: 1, UsersSplit: 3, TrainInteractions: 4, TestInteractions: 9},
		},
		{
			// Hand-computed: MinInteractions 3 also keeps user 4 (n=2) whole.
			name: "random min 3", split: Split{Fraction: 0.5, MinInteractions: 3},
			wantCount: []int{2, 0, 0, 3, 0},
			wantStats: SplitStats{Users: 5, UsersEmpty: 1, UsersKeptWhole: 2, UsersSplit: 2, TrainInteractions: 8, TestInteractions: 5},
		},
		{
			// Hand-computed: MinInteractions 1 is below the kind's minimum
			// of 2, so user 1 is still kept whole.
			name: "random min 1", split: Split{Fraction: 0.5, MinInteractions: 1},
			wantCount: []int{2, 0, 0, 3, 1},
			wantStats: SplitStats{Users: 5, UsersEmpty: 1, UsersKeptWhole: 1, UsersSplit: 3, TrainInteractions: 7, TestInteractions: 6},
		},
		{
			// Hand-computed: leave-one-out needs 2 interactions.
			name: "leave-1-out", split: Split{Kind: SplitLeaveNOut, Seed: 3},
			wantCount: []int{1, 0, 0, 1, 1},
			wantStats: SplitStats{Kind: SplitLeaveNOut, Users: 5, UsersEmpty: 1, UsersKeptWhole: 1, UsersSplit: 3, TrainInteractions: 10, TestInteractions: 3},
		},
		{
			// Hand-computed: leave-2-out needs 3: users 1 and 4 kept whole.
			name: "leave-2-out", split: Split{Kind: SplitLeaveNOut, N: 2, Seed: 3},
			wantCount: []int{2, 0, 0, 2, 0},
			wantStats: SplitStats{Kind: SplitLeaveNOut, Users: 5, UsersEmpty: 1, UsersKeptWhole: 2, UsersSplit: 2, TrainInteractions: 9, TestInteractions: 4},
		},
		{
			// Hand-computed: leave-3-out with MinInteractions 5: only
			// user 3 (n=6) is split.
			name: "leave-3-out min 5", split: Split{Kind: SplitLeaveNOut, N: 3, MinInteractions: 5},
			wantCount: []int{0, 0, 0, 3, 0},
			wantStats: SplitStats{Kind: SplitLeaveNOut, Users: 5, UsersEmpty: 1, UsersKeptWhole: 3, UsersSplit: 1, TrainInteractions: 10, TestInteractions: 3},
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			m := splitFixture()
			train, test, st, err := tc.split.Apply(m)
			if err != nil {
				t.Fatal(err)
			}
			checkPartition(t, splitFixture(), &train, &test)
			got := make([]int, test.Rows)
			for u := range got {
				got[u] = test.Len(u)
			}
			if diff := cmp.Diff(tc.wantCount, got); diff != "" {
				t.Errorf("test counts (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(tc.wantStats, st); diff != "" {
				t.Errorf("stats (-want +got):\n%s", diff)
			}
		})
	}
}

// TestSplitRandomPinned pins the random selection of one seed. It is a
// regression pin, recorded from this implementation (PCG seeded with
// (Seed, splitmix64(user)), partial Fisher–Yates): a change here changes
// every split users have published, so it must be deliberate. It would also
// catch a change in math/rand/v2's PCG or Rand.IntN between Go releases.
func TestSplitRandomPinned(t *testing.T) {
	_, test, _, err := Split{Fraction: 0.5, Seed: 42}.Apply(splitFixture())
	if err != nil {
		t.Fatal(err)
	}
	want := [][]int32{{2, 3}, {}, {}, {2, 4, 5}, {4}}
	if diff := cmp.Diff(want, rowsOf(&test)); diff != "" {
		t.Errorf("test items (-want +got):\n%s", diff)
	}
}

func TestSplitmix64(t *testing.T) {
	// Reference outputs of SplitMix64 seeded with 0 (Vigna's
	// splitmix64.c): successive states 0, γ, 2γ with γ = 0x9e3779b97f4a7c15.
	const gamma = 0x9e3779b97f4a7c15
	want := []uint64{0xe220a8397b1dcdaf, 0x6e789e6aa1b965f4, 0x06c45d188009454f}
	for i, w := range want {
		if got := splitmix64(uint64(i) * gamma); got != w {
			t.Errorf("splitmix64(%d·γ) = %#x, want %#x", i, got, w)
		}
	}
}

// TestSplitDeterminism checks that the same Split gives the same result,
// that the seed matters, and that a user's selection depends only on (seed,
// user index): not on the other rows.
func TestSplitDeterminism(t *testing.T) {
	src := rand.New(rand.NewPCG(1, 2))
	m := randomCSR(src, 200, 50, 0.2, true, true)
	for _, kind := range []SplitKind{SplitRandom, SplitLeaveNOut} {
		s := Split{Kind: kind, Fraction: 0.3, N: 2, Seed: 99}
		_, a, _, err := s.Apply(m)
		if err != nil {
			t.Fatal(err)
		}
		_, b, _, _ := s.Apply(m)
		if diff := cmp.Diff(a, b); diff != "" {
			t.Fatalf("%v: two runs differ:\n%s", kind, diff)
		}
		s2 := s
		s2.Seed = 100
		_, c, _, _ := s2.Apply(m)
		if cmp.Equal(a, c) {
			t.Errorf("%v: seeds 99 and 100 gave the same split", kind)
		}
		// Empty every other row: the remaining users' selections must not
		// change.
		sub := cloneCSR(m)
		keep := func(u int) bool { return u%3 == 0 }
		sub.Cols, sub.Values, sub.Times = sub.Cols[:0], sub.Values[:0], sub.Times[:0]
		for u := range m.Rows {
			if keep(u) {
				lo, hi := m.Offsets[u], m.Offsets[u+1]
				sub.Cols = append(sub.Cols, m.Cols[lo:hi]...)
				sub.Values = append(sub.Values, m.Values[lo:hi]...)
				sub.Times = append(sub.Times, m.Times[lo:hi]...)
			}
			sub.Offsets[u+1] = int64(len(sub.Cols))
		}
		_, d, _, err := s.Apply(sub)
		if err != nil {
			t.Fatal(err)
		}
		for u := range m.Rows {
			if keep(u) && !slices.Equal(a.Row(u), d.Row(u)) {
				t.Fatalf("%v: user %d's test set depends on other users: %v vs %v", kind, u, a.Row(u), d.Row(u))
			}
		}
	}
}

// TestSplitUniform checks that leave-2-out picks each of a user's 5
// interactions with probability 2/5, over 10,000 identical users.
func TestSplitUniform(t *testing.T) {
	const users, n, h = 10000, 5, 2
	m := &CSR{Rows: users, NumCols: n, Offsets: make([]int64, users+1)}
	for u := range users {
		for i := range n {
			m.Cols = append(m.Cols, int32(i))
		}
		m.Offsets[u+1] = int64(len(m.Cols))
	}
	_, test, _, err := Split{Kind: SplitLeaveNOut, N: h, Seed: 5}.Apply(m)
	if err != nil {
		t.Fatal(err)
	}
	var count [n]int
	for _, c := range test.Cols {
		count[c]++
	}
	// Binomial(10000, 0.4): mean 4000, sd = sqrt(10000·0.4·0.6) ≈ 49;
	// allow 5 sd.
	const mean, tol = users * h / n, 5 * 49.0
	for i, c := range count {
		if math.Abs(float64(c-mean)) > tol {
			t.Errorf("item %d held out %d times, want %d ± %.0f", i, c, mean, tol)
		}
	}
}

// randomCSR builds a random rows×cols matrix with density p, timestamps
// drawn from a small range (so that ties occur) and optional values.
func randomCSR(src *rand.Rand, rows, cols int, p float64, values, times bool) *CSR {
	m := &CSR{Rows: rows, NumCols: cols, Offsets: make([]int64, rows+1)}
	if values {
		m.Values = []float32{}
	}
	if times {
		m.Times = []int64{}
	}
	for r := range rows {
		for c := range cols {
			if src.Float64() < p {
				m.Cols = append(m.Cols, int32(c))
				if values {
					m.Values = append(m.Values, float32(src.IntN(5)+1))
				}
				if times {
					m.Times = append(m.Times, int64(src.IntN(20)))
				}
			}
		}
		m.Offsets[r+1] = int64(len(m.Cols))
	}
	return m
}

// TestSplitProperties checks, over random matrices and every kind, that
// train and test partition the input, the input is unchanged, and the
// stats add up.
func TestSplitProperties(t *testing.T) {
	src := rand.New(rand.NewPCG(3, 4))
	splits := []Split{
		{},
		{Fraction: 0.5, Seed: 1, MinInteractions: 4},
		{Kind: SplitLeaveNOut, N: 2, Seed: 2},
		{Kind: SplitLastN, N: 3},
		{Kind: SplitTemporalCutoff, Cutoff: 10},
		{Kind: SplitTemporalCutoff, Cutoff: 10, MinInteractions: 3},
		{Kind: SplitTemporalFraction, Fraction: 0.25},
	}
	for trial := range 30 {
		values := trial%2 == 0
		m := randomCSR(src, 1+src.IntN(40), 1+src.IntN(30), src.Float64()*0.5, values, true)
		if trial%5 == 4 {
			m.Times = nil
		}
		orig := cloneCSR(m)
		for _, s := range splits {
			train, test, st, err := s.Apply(m)
			if m.Times == nil && s.Kind.temporal() {
				if !errors.Is(err, ErrSchema) {
					t.Fatalf("trial %d %v without times: err = %v, want ErrSchema", trial, s.Kind, err)
				}
				continue
			}
			if err != nil {
				t.Fatalf("trial %d %+v: %v", trial, s, err)
			}
			checkPartition(t, orig, &train, &test)
			if diff := cmp.Diff(orig, m); diff != "" {
				t.Fatalf("trial %d %+v modified the input:\n%s", trial, s, diff)
			}
			if st.Users != st.UsersEmpty+st.UsersKeptWhole+st.UsersSplit+st.UsersNoTest {
				t.Fatalf("trial %d %+v: user counts do not add up: %+v", trial, s, st)
			}
			if st.TrainInteractions != train.NNZ() || st.TestInteractions != test.NNZ() {
				t.Fatalf("trial %d %+v: interaction counts %+v differ from train %d, test %d", trial, s, st, train.NNZ(), test.NNZ())
			}
			withTest := 0
			for u := range test.Rows {
				if test.Len(u) > 0 {
					withTest++
				}
			}
			if withTest != st.UsersSplit {
				t.Fatalf("trial %d %+v: %d users have test items, stats say %d", trial, s, withTest, st.UsersSplit)
			}
			// Per-user kinds leave every split user some training data;
			// temporal kinds never train on the future of the cutoff.
			switch s.Kind {
			case SplitRandom, SplitLeaveNOut, SplitLastN:
				for u := range train.Rows {
					if test.Len(u) > 0 && train.Len(u) == 0 {
						t.Fatalf("trial %d %+v: user %d has no training interaction", trial, s, u)
					}
				}
			case SplitTemporalCutoff, SplitTemporalFraction:
				for u := range train.Rows {
					if m.Len(u) < s.MinInteractions {
						continue
					}
					for _, tt := range train.RowTimes(u) {
						if tt >= st.Cutoff {
							t.Fatalf("trial %d %+v: user %d trains on time %d >= cutoff %d", trial, s, u, tt, st.Cutoff)
						}
					}
					for _, tt := range test.RowTimes(u) {
						if tt < st.Cutoff {
							t.Fatalf("trial %d %+v: user %d tests on time %d < cutoff %d", trial, s, u, tt, st.Cutoff)
						}
					}
				}
			}
			if s.Kind == SplitLastN {
				// Every test interaction is at least as late as every
				// training interaction of the same user (ties by item).
				for u := range test.Rows {
					for j, tt := range train.RowTimes(u) {
						for i, ts := range test.RowTimes(u) {
							if ts < tt || (ts == tt && test.Row(u)[i] < train.Row(u)[j]) {
								t.Fatalf("trial %d: user %d: test (%d, item %d) precedes train (%d, item %d)",
									trial, u, ts, test.Row(u)[i], tt, train.Row(u)[j])
							}
						}
					}
				}
			}
		}
	}
}

func TestSplitEmpty(t *testing.T) {
	// A matrix with users but no interactions, and one with no users.
	for _, m := range []*CSR{
		{Rows: 3, NumCols: 2, Offsets: []int64{0, 0, 0, 0}, Times: []int64{}},
		{Rows: 0, NumCols: 0, Offsets: []int64{0}, Times: []int64{}},
	} {
		for _, kind := range []SplitKind{SplitRandom, SplitLeaveNOut, SplitLastN, SplitTemporalCutoff, SplitTemporalFraction} {
			train, test, st, err := Split{Kind: kind}.Apply(m)
			if err != nil {
				t.Fatalf("%v: %v", kind, err)
			}
			checkPartition(t, m, &train, &test)
			want := SplitStats{Kind: kind, Users: m.Rows, UsersEmpty: m.Rows}
			if diff := cmp.Diff(want, st); diff != "" {
				t.Errorf("%v stats (-want +got):\n%s", kind, diff)
			}
		}
	}
}

func TestSplitErrors(t *testing.T) {
	noTimes := splitFixture()
	noTimes.Times = nil
	for _, tc := range []struct {
		name  string
		split Split
		m     *CSR
		is    error
		want  []string // substrings of the message
	}{
		{"fraction negative", Split{Fraction: -0.1}, splitFixture(), ErrValue, []string{"Fraction", "-0.1", "(0, 1)"}},
		{"fraction one", Split{Fraction: 1}, splitFixture(), ErrValue, []string{"Fraction", "1", "(0, 1)"}},
		{"fraction big", Split{Kind: SplitTemporalFraction, Fraction: 1.5}, splitFixture(), ErrValue, []string{"Fraction", "1.5"}},
		{"fraction NaN", Split{Fraction: math.NaN()}, splitFixture(), ErrValue, []string{"Fraction", "NaN"}},
		{"n negative", Split{Kind: SplitLeaveNOut, N: -1}, splitFixture(), ErrValue, []string{"split N -1", "at least one"}},
		{"n negative last", Split{Kind: SplitLastN, N: -3}, splitFixture(), ErrValue, []string{"split N -3"}},
		{"min negative", Split{Kind: SplitTemporalCutoff, MinInteractions: -2}, splitFixture(), ErrValue, []string{"MinInteractions -2"}},
		{"last-n without times", Split{Kind: SplitLastN}, noTimes, ErrSchema, []string{"last-n split needs interaction timestamps", "fix:"}},
		{"cutoff without times", Split{Kind: SplitTemporalCutoff}, noTimes, ErrSchema, []string{"temporal-cutoff split needs interaction timestamps"}},
		{"fraction without times", Split{Kind: SplitTemporalFraction}, noTimes, ErrSchema, []string{"temporal-fraction split needs interaction timestamps"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, _, _, err := tc.split.Apply(tc.m)
			if !errors.Is(err, tc.is) {
				t.Fatalf("err = %v, want %v", err, tc.is)
			}
			for _, w := range tc.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q does not contain %q", err, w)
				}
			}
		})
	}
	// Fields a kind does not read are not validated.
	if _, _, _, err := (Split{Kind: SplitLeaveNOut, Fraction: 7}).Apply(splitFixture()); err != nil {
		t.Errorf("leave-n-out with an unused bad Fraction: %v", err)
	}
	if _, _, _, err := (Split{Fraction: 0.5, N: -4}).Apply(noTimes); err != nil {
		t.Errorf("random with an unused bad N and no times: %v", err)
	}
}

func panics(f func()) (msg string, ok bool) {
	defer func() {
		if p := recover(); p != nil {
			msg, ok = p.(string), true
		}
	}()
	f()
	return "", false
}

func TestSplitPanics(t *testing.T) {
	bad := splitFixture()
	bad.Cols[1] = 0 // row 0 no longer sorted
	for _, tc := range []struct {
		name string
		f    func()
		want string
	}{
		{"nil", func() { _, _, _, _ = Split{}.Apply(nil) }, panicSplitNil},
		{"kind", func() { _, _, _, _ = Split{Kind: 99}.Apply(splitFixture()) }, panicSplitKind},
		{"kind negative", func() { _, _, _, _ = Split{Kind: -1}.Apply(splitFixture()) }, panicSplitKind},
		{"malformed", func() { _, _, _, _ = Split{}.Apply(bad) }, panicSplitCSR + "row not sorted or has a repeated column"},
	} {
		msg, ok := panics(tc.f)
		if !ok || msg != tc.want {
			t.Errorf("%s: panic %q (%v), want %q", tc.name, msg, ok, tc.want)
		}
	}
}

func TestSplitKindString(t *testing.T) {
	for k, want := range map[SplitKind]string{
		SplitRandom: "random", SplitLeaveNOut: "leave-n-out", SplitLastN: "last-n",
		SplitTemporalCutoff: "temporal-cutoff", SplitTemporalFraction: "temporal-fraction", 9: "SplitKind(9)",
	} {
		if got := k.String(); got != want {
			t.Errorf("SplitKind(%d).String() = %q, want %q", int(k), got, want)
		}
	}
}

func benchmarkSplit(b *testing.B, s Split, users int) {
	src := rand.New(rand.NewPCG(1, 1))
	m := randomCSR(src, users, 1000, 0.05, true, true)
	b.ReportAllocs()
	for b.Loop() {
		if _, _, _, err := s.Apply(m); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkSplit(b *testing.B) {
	for _, users := range []int{100, 1000, 10000} {
		for _, s := range []Split{{Seed: 1}, {Kind: SplitLeaveNOut, Seed: 1}, {Kind: SplitLastN}, {Kind: SplitTemporalFraction}} {
			b.Run(s.Kind.String()+"/users="+strconv.Itoa(users), func(b *testing.B) { benchmarkSplit(b, s, users) })
		}
	}
}
