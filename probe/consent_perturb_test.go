package probe

import (
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/recaudit/recaudit/datasets"
)

// tinyCSR builds a CSR from rows (sorted, distinct items), with values and
// times derived from the position so that moves can be traced.
func tinyCSR(nItems int, rows ...[]int32) datasets.CSR {
	m := datasets.CSR{Rows: len(rows), NumCols: nItems, Offsets: make([]int64, len(rows)+1)}
	for u, r := range rows {
		m.Offsets[u+1] = m.Offsets[u] + int64(len(r))
		for j, it := range r {
			m.Cols = append(m.Cols, it)
			m.Values = append(m.Values, float32(10*u+j))
			m.Times = append(m.Times, int64(100*u+j))
		}
	}
	return m
}

func rowsOf(m *datasets.CSR) [][]int32 {
	out := make([][]int32, m.Rows)
	for u := range out {
		out[u] = slices.Clone(m.Row(u))
	}
	return out
}

func TestPerturbDropAndShuffle(t *testing.T) {
	m := tinyCSR(8, []int32{0, 1, 2}, []int32{3, 4}, nil, []int32{5}, []int32{6, 7})
	consent := []bool{true, false, false, false, true}
	orig := rowsOf(&m)

	got, changed := Perturb(&m, consent, PerturbDrop, nil)
	if d := cmp.Diff([][]int32{{0, 1, 2}, {}, {}, {}, {6, 7}}, rowsOf(&got)); d != "" {
		t.Errorf("drop rows (-want +got)\n%s", d)
	}
	if want := []bool{false, true, false, true, false}; !slices.Equal(changed, want) {
		t.Errorf("drop changed %v, want %v (user 2 had nothing to drop)", changed, want)
	}
	if got.Values[3] != m.Values[m.Offsets[4]] || got.Times[3] != m.Times[m.Offsets[4]] {
		t.Error("drop did not keep the values and times of user 4")
	}

	// Two non-consenting users with a history: the only cycle swaps them,
	// whatever the seed.
	got, changed = Perturb(&m, consent, PerturbShuffle, rand.NewPCG(1, 2))
	if d := cmp.Diff([][]int32{{0, 1, 2}, {5}, {}, {3, 4}, {6, 7}}, rowsOf(&got)); d != "" {
		t.Errorf("shuffle rows (-want +got)\n%s", d)
	}
	if want := []bool{false, true, false, true, false}; !slices.Equal(changed, want) {
		t.Errorf("shuffle changed %v, want %v", changed, want)
	}
	if !slices.Equal(got.RowTimes(3), m.RowTimes(1)) || !slices.Equal(got.RowValues(1), m.RowValues(3)) {
		t.Error("shuffle did not move the values and times with the items")
	}
	if d := cmp.Diff(orig, rowsOf(&m)); d != "" {
		t.Errorf("Perturb modified its input (-before +after)\n%s", d)
	}

	// nil consent: everyone consented, nothing changes.
	got, changed = Perturb(&m, nil, PerturbDrop, nil)
	if d := cmp.Diff(orig, rowsOf(&got)); d != "" || slices.Contains(changed, true) {
		t.Errorf("nil consent changed rows (-want +got)\n%s", d)
	}

	if !panics(func() { Perturb(&m, consent[:2], PerturbDrop, nil) }) {
		t.Error("Perturb with a short consent did not panic")
	}
	if !panics(func() { Perturb(&m, consent, Perturbation(7), nil) }) {
		t.Error("Perturb with a bad perturbation did not panic")
	}
}

// TestPerturbShuffleCycle checks on many users that the shuffle is a
// permutation of the histories without fixed points, and leaves the
// consenting users alone.
func TestPerturbShuffleCycle(t *testing.T) {
	const n = 200
	rows := make([][]int32, n)
	consent := make([]bool, n)
	for u := range rows {
		rows[u] = []int32{int32(u), int32(n + u%7)} // distinct first item: traceable
		consent[u] = u%3 == 0
	}
	m := tinyCSR(n+7, rows...)
	got, changed := Perturb(&m, consent, PerturbShuffle, rand.NewPCG(3, 4))
	seen := map[int32]bool{}
	for u := range n {
		r := got.Row(u)
		switch {
		case consent[u]:
			if !slices.Equal(r, rows[u]) || changed[u] {
				t.Fatalf("consenting user %d changed", u)
			}
		case r[0] == int32(u):
			t.Fatalf("non-consenting user %d kept their history", u)
		case consent[r[0]]:
			t.Fatalf("user %d got the history of consenting user %d", u, r[0])
		case !changed[u]:
			t.Fatalf("user %d not marked changed", u)
		}
		if seen[r[0]] {
			t.Fatalf("history of user %d handed out twice", r[0])
		}
		seen[r[0]] = true
	}
	again, _ := Perturb(&m, consent, PerturbShuffle, rand.NewPCG(3, 4))
	if !slices.Equal(again.Cols, got.Cols) {
		t.Error("shuffle is not deterministic for a seed")
	}
}

func TestPerturbRandom(t *testing.T) {
	const nItems = 8
	m := tinyCSR(nItems, []int32{0, 1, 2}, []int32{3, 4}, nil, []int32{5}, []int32{0, 1, 2, 3, 4, 5, 6, 7})
	consent := []bool{true, false, false, false, false}
	freq := make([]int, nItems)
	const draws = 8000
	src := rand.NewPCG(5, 6)
	for range draws {
		got, changed := Perturb(&m, consent, PerturbRandom, src)
		if !slices.Equal(got.Row(0), m.Row(0)) || changed[0] {
			t.Fatal("the consenting user's row changed")
		}
		if got.Len(2) != 0 || changed[2] {
			t.Fatal("the user without history got one")
		}
		if r := got.Row(4); !slices.Equal(r, m.Row(4)) || changed[4] {
			t.Fatal("a user with the whole catalogue must keep it")
		}
		r := got.Row(1)
		if len(r) != 2 || r[0] >= r[1] {
			t.Fatalf("user 1 got %v, want 2 distinct sorted items", r)
		}
		if !slices.Equal(got.RowTimes(1), m.RowTimes(1)) || !slices.Equal(got.RowValues(1), m.RowValues(1)) {
			t.Fatal("values and times did not stay at their positions")
		}
		if changed[1] != !slices.Equal(r, m.Row(1)) {
			t.Fatal("changed[1] does not say whether the items changed")
		}
		freq[got.Row(3)[0]]++
	}
	// One item drawn uniformly from 8, 8000 times: 1000 expected per item,
	// standard deviation sqrt(8000·1/8·7/8) ≈ 29.6; allow 5 of them.
	for it, f := range freq {
		if f < 852 || f > 1148 {
			t.Errorf("item %d drawn %d times in %d, want about 1000", it, f, draws)
		}
	}
}

func TestPerturbationString(t *testing.T) {
	var names []string
	for _, p := range Perturbations() {
		names = append(names, p.String())
	}
	if !slices.Equal(names, []string{"drop", "shuffle", "random"}) || Perturbation(9).String() != "Perturbation(9)" {
		t.Errorf("names %v", names)
	}
}
