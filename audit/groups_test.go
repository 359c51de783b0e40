package audit

import (
	"errors"
	"fmt"
	"math"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/recaudit/recaudit/datasets"
)

// panics reports whether f panics.
func panics(f func()) (b bool) {
	defer func() {
		if recover() != nil {
			b = true
		}
	}()
	f()
	return false
}

// usersDataset returns a dataset with n users (no items, no interactions)
// and the given users columns.
func usersDataset(n int, cols ...datasets.Column) *datasets.Dataset {
	ids := make([]int64, n)
	for i := range ids {
		ids[i] = int64(i + 1)
	}
	users, _ := datasets.NewIntIDs(ids)
	items, _ := datasets.NewIntIDs(nil)
	return &datasets.Dataset{Users: users, Items: items, UserColumns: cols,
		Interactions: datasets.CSR{Rows: n, Offsets: make([]int64, n+1)}}
}

// codes returns n copies of c.
func rep(c int32, n int) []int32 {
	out := make([]int32, n)
	for i := range out {
		out[i] = c
	}
	return out
}

func cat(parts ...[]int32) []int32 {
	var out []int32
	for _, p := range parts {
		out = append(out, p...)
	}
	return out
}

func TestBinValues(t *testing.T) {
	inf := math.Inf(1)
	x := []float64{17, 18, 24.9, 25, 64, 65, 90, math.NaN(), inf}
	for _, c := range []struct {
		name   string
		bins   Binning
		levels []string
		codes  []int32
	}{{
		// Hand-computed: bins [18,25), [25,65), [65,+Inf]; 17 is below the
		// first edge and NaN has no value; +Inf is the closed last edge.
		name:   "edges",
		bins:   Binning{Edges: []float64{18, 25, 65, inf}},
		levels: []string{"[18,25)", "[25,65)", "[65,+Inf]"},
		codes:  []int32{-1, 0, 0, 1, 1, 2, 2, -1, 2},
	}, {
		// The last bin is closed: 65 falls in [25,65].
		name:   "closed last bin",
		bins:   Binning{Edges: []float64{18, 25, 65}},
		levels: []string{"[18,25)", "[25,65]"},
		codes:  []int32{-1, 0, 0, 1, 1, 1, -1, -1, -1},
	}, {
		// Type-7 quantiles of the eight non-NaN values 17 … +Inf at 0, 1/2
		// and 1: 17, (25+64)/2 = 44.5 and +Inf (hand-computed).
		name:   "quantiles",
		bins:   Binning{Quantiles: 2},
		levels: []string{"[17,44.5)", "[44.5,+Inf]"},
		codes:  []int32{0, 0, 0, 0, 1, 1, 1, -1, 1},
	}} {
		levels, codes, err := binValues("age", x, c.bins)
		if err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
		if d := cmp.Diff(c.levels, levels); d != "" {
			t.Errorf("%s levels (-want +got):\n%s", c.name, d)
		}
		if d := cmp.Diff(c.codes, codes); d != "" {
			t.Errorf("%s codes (-want +got):\n%s", c.name, d)
		}
	}
	for name, b := range map[string]Binning{
		"none":       {},
		"both":       {Edges: []float64{1, 2}, Quantiles: 2},
		"one edge":   {Edges: []float64{1}},
		"decreasing": {Edges: []float64{1, 3, 2}},
		"repeated":   {Edges: []float64{1, 1, 2}},
		"nan edge":   {Edges: []float64{1, math.NaN()}},
	} {
		if _, _, err := binValues("age", x, b); !errors.Is(err, ErrGroups) {
			t.Errorf("%s: error %v, want ErrGroups", name, err)
		}
	}
	if _, _, err := binValues("age", []float64{3, 3, math.NaN()}, Binning{Quantiles: 4}); !errors.Is(err, ErrGroups) {
		t.Errorf("single value: error %v", err)
	}
}

func TestSuppress(t *testing.T) {
	for _, c := range []struct {
		name       string
		levels     []string
		codes      []int32
		min        int
		wantLevels []string
		wantSizes  []int
		suppressed []Suppressed
		missing    int
	}{{
		name:       "nothing small",
		levels:     []string{"a", "b"},
		codes:      cat(rep(0, 10), rep(1, 12)),
		wantLevels: []string{"a", "b"}, wantSizes: []int{10, 12},
	}, {
		// b has 2 users (< 3): suppressed. The suppressed total 2 could be
		// derived from N − 5 − 4 − missing, so the smallest reported group,
		// c with 4 users, is suppressed as well (total 6 >= 3).
		name:       "complementary",
		levels:     []string{"a", "b", "c"},
		codes:      cat(rep(0, 5), rep(1, 2), rep(2, 4), rep(-1, 1)),
		min:        3,
		wantLevels: []string{"a"}, wantSizes: []int{5},
		suppressed: []Suppressed{{"b", "fewer than 3 users"}, {"c", ReasonComplementary}},
		missing:    1,
	}, {
		// Two small groups of 2 and 1 (< 4) hold 3 < 4 users together:
		// the smallest reported group (d, 5) goes too.
		name:       "two small",
		levels:     []string{"a", "b", "c", "d"},
		codes:      cat(rep(0, 7), rep(1, 2), rep(2, 1), rep(3, 5)),
		min:        4,
		wantLevels: []string{"a"}, wantSizes: []int{7},
		suppressed: []Suppressed{{"b", "fewer than 4 users"}, {"c", "fewer than 4 users"}, {"d", ReasonComplementary}},
	}, {
		// Small groups holding enough users together need no
		// complementary suppression: 3 + 3 >= 5.
		name:       "enough together",
		levels:     []string{"a", "b", "c"},
		codes:      cat(rep(0, 3), rep(1, 3), rep(2, 9)),
		min:        5,
		wantLevels: []string{"c"}, wantSizes: []int{9},
		suppressed: []Suppressed{{"a", "fewer than 5 users"}, {"b", "fewer than 5 users"}},
	}, {
		// An empty level is listed (its size is below the minimum) but
		// hides nobody.
		name:       "empty level",
		levels:     []string{"a", "b", "c"},
		codes:      cat(rep(0, 10), rep(2, 11)),
		wantLevels: []string{"a", "c"}, wantSizes: []int{10, 11},
		suppressed: []Suppressed{{"b", "fewer than 10 users"}},
	}} {
		ug := Suppress("attr", c.levels, c.codes, c.min)
		if d := cmp.Diff(c.wantLevels, ug.Levels); d != "" {
			t.Errorf("%s levels (-want +got):\n%s", c.name, d)
		}
		if d := cmp.Diff(c.wantSizes, ug.Sizes); d != "" {
			t.Errorf("%s sizes (-want +got):\n%s", c.name, d)
		}
		if d := cmp.Diff(c.suppressed, ug.Suppressed); d != "" {
			t.Errorf("%s suppressed (-want +got):\n%s", c.name, d)
		}
		if ug.Missing != c.missing {
			t.Errorf("%s: missing %d, want %d", c.name, ug.Missing, c.missing)
		}
		// Codes point at the reported groups, -1 for everything else.
		for u, code := range c.codes {
			got := ug.Codes[u]
			want := int32(-1)
			if code >= 0 {
				for i, l := range ug.Levels {
					if l == c.levels[code] {
						want = int32(i)
					}
				}
			}
			if got != want {
				t.Errorf("%s: user %d code %d, want %d", c.name, u, got, want)
				break
			}
		}
		// No reason states a group's size: only the minimum appears.
		for _, s := range ug.Suppressed {
			if s.Reason != fmt.Sprintf(ReasonSmall, minSize(c.min)) && s.Reason != ReasonComplementary {
				t.Errorf("%s: reason %q", c.name, s.Reason)
			}
		}
	}
	if !panics(func() { Suppress("a", []string{"x"}, []int32{1}, 0) }) {
		t.Error("code out of range: no panic")
	}
	if !panics(func() { Suppress("a", []string{"x"}, []int32{0}, -1) }) {
		t.Error("negative minimum: no panic")
	}
}

func TestUserGroupsFromColumns(t *testing.T) {
	gender := datasets.Column{Name: "gender", Role: datasets.RoleSensitive, Kind: datasets.Categorical,
		Levels: []string{"F", "M", "X"}, Codes: cat(rep(0, 12), rep(1, 11), rep(2, 2), rep(-1, 1))}
	senior := datasets.Column{Name: "senior", Kind: datasets.Bool, Bools: make([]bool, 26)}
	for i := range 13 {
		senior.Bools[2*i] = true
	}
	age := datasets.Column{Name: "age", Kind: datasets.Numeric, Floats: make([]float64, 26)}
	for i := range age.Floats {
		age.Floats[i] = float64(18 + 2*i) // 18, 20, …, 68
	}
	tags := datasets.Column{Name: "tags", Kind: datasets.MultiCategorical, Levels: []string{"a", "b"},
		Offsets: make([]int32, 27), Codes: []int32{0, 1}}
	tags.Offsets[1], tags.Offsets[2] = 2, 2
	for i := 2; i < 27; i++ {
		tags.Offsets[i] = 2
	}
	d := usersDataset(26, gender, senior, age, tags)

	// Categorical: X (2 users) is suppressed, then M (11) as its
	// complement, since 2 < 10; one user is missing.
	g, err := NewUserGroups(d, "gender", Binning{}, 0)
	if err != nil {
		t.Fatal(err)
	}
	if d := cmp.Diff([]string{"F"}, g.Levels); d != "" {
		t.Errorf("gender levels (-want +got):\n%s", d)
	}
	wantSup := []Suppressed{{"M", ReasonComplementary}, {"X", "fewer than 10 users"}}
	if d := cmp.Diff(wantSup, g.Suppressed); d != "" || g.Missing != 1 {
		t.Errorf("gender: missing %d, suppressed (-want +got):\n%s", g.Missing, d)
	}
	// The source column is not modified.
	if gender.Codes[25] != -1 || gender.Codes[24] != 2 {
		t.Error("NewUserGroups modified the column")
	}

	// Bool: 13 true, 13 false.
	b, err := NewUserGroups(d, "senior", Binning{}, 0)
	if err != nil {
		t.Fatal(err)
	}
	if d := cmp.Diff([]string{"false", "true"}, b.Levels); d != "" || b.Codes[0] != 1 || b.Codes[1] != 0 {
		t.Errorf("bool groups %v codes %v", b.Levels, b.Codes[:2])
	}

	// Numeric: ages 18..68 in [18,40) (11 users: 18..38) and [40,70]
	// (15 users), hand-counted.
	a, err := NewUserGroups(d, "age", Binning{Edges: []float64{18, 40, 70}}, 0)
	if err != nil {
		t.Fatal(err)
	}
	if d := cmp.Diff([]int{11, 15}, a.Sizes); d != "" {
		t.Errorf("age sizes (-want +got):\n%s", d)
	}

	// Errors: missing column, multi-valued column, numeric without bins.
	for _, name := range []string{"nope", "tags", "age"} {
		if _, err := NewUserGroups(d, name, Binning{}, 0); !errors.Is(err, ErrGroups) {
			t.Errorf("%s: error %v, want ErrGroups", name, err)
		}
	}
}

func TestIntersect(t *testing.T) {
	// 40 users: gender F/M alternating; band "young" for the first 30,
	// "old" for the last 10 except user 39, whose band is missing.
	n := 40
	gender := make([]int32, n)
	band := make([]int32, n)
	for u := range n {
		gender[u] = int32(u % 2)
		if u >= 30 {
			band[u] = 1
		}
	}
	band[39] = -1
	g := Suppress("gender", []string{"F", "M"}, gender, 3)
	b := Suppress("age_band", []string{"young", "old"}, band, 3)
	x := Intersect(5, g, b)
	if x.Attribute != "gender × age_band" {
		t.Errorf("attribute %q", x.Attribute)
	}
	// Hand-counted cells: F × young 15, F × old 5 (30, 32, …, 38),
	// M × young 15, M × old 4 (31, …, 37; 39 is missing): M × old is
	// suppressed (4 < 5). Its size would follow from the band old (9)
	// less F × old, so F × old (5) goes with it; then from the group M
	// (20, of whom one has no band) less M × young, so M × young goes too,
	// and F × young for F likewise: a 2 × 2 table with one small cell
	// reports nothing.
	if len(x.Levels) != 0 {
		t.Errorf("levels %v, want none", x.Levels)
	}
	want := []Suppressed{{"F × young", ReasonComplementary}, {"F × old", ReasonComplementary},
		{"M × young", ReasonComplementary}, {"M × old", "fewer than 5 users"}}
	if d := cmp.Diff(want, x.Suppressed); d != "" {
		t.Errorf("suppressed (-want +got):\n%s", d)
	}
	if x.Missing != 1 || x.Codes[0] != -1 || x.Codes[30] != -1 || x.Codes[39] != -1 {
		t.Errorf("missing %d codes %v", x.Missing, x.Codes)
	}
	// With a minimum of 4 nothing is small.
	if x4 := Intersect(4, g, b); len(x4.Suppressed) != 0 || x4.Codes[0] != 0 || x4.Codes[1] != 2 {
		t.Errorf("minimum 4: suppressed %v, codes %v", x4.Suppressed, x4.Codes[:2])
	}
	// Intersections use the groups before suppression: a component group
	// suppressed on its own still takes part.
	small := Suppress("flag", []string{"no", "yes"}, cat(rep(0, 38), rep(1, 2)), 10)
	if len(small.Levels) != 0 {
		t.Fatalf("flag levels %v: want both suppressed", small.Levels)
	}
	y := Intersect(1, g, small)
	if d := cmp.Diff([]string{"F × no", "F × yes", "M × no", "M × yes"}, y.Levels); d != "" {
		t.Errorf("levels (-want +got):\n%s", d)
	}
	if !panics(func() { Intersect(0, g) }) {
		t.Error("one grouping: no panic")
	}
	if !panics(func() { Intersect(0, g, Suppress("z", []string{"a"}, []int32{0}, 1)) }) {
		t.Error("different lengths: no panic")
	}
}

func TestItemGroups(t *testing.T) {
	const tol = 1e-12
	items, _ := datasets.NewIntIDs([]int64{1, 2, 3, 4})
	d := &datasets.Dataset{Items: items, ItemColumns: []datasets.Column{
		{Name: "provider_type", Kind: datasets.Categorical, Levels: []string{"brand", "independent"}, Codes: []int32{0, 1, 1, -1}},
		{Name: "category", Kind: datasets.MultiCategorical, Levels: []string{"books", "toys", "home"},
			Offsets: []int32{0, 1, 3, 3, 6}, Codes: []int32{0, 0, 1, 0, 1, 2}},
		{Name: "credit", Kind: datasets.Bool, Bools: []bool{false, true, false, false}},
		{Name: "price", Kind: datasets.Numeric, Floats: []float64{1, 2, 3, 4}},
	}}
	pt, err := NewItemGroups(d, "provider_type")
	if err != nil {
		t.Fatal(err)
	}
	// Item 3 has no provider type: weight 0 everywhere.
	if d := cmp.Diff([]float64{1, 2}, pt.Items); d != "" || pt.Multi {
		t.Errorf("provider_type items (-want +got):\n%s", d)
	}
	c, err := NewItemGroups(d, "category")
	if err != nil {
		t.Fatal(err)
	}
	// Hand-computed alignment: item 0 books; item 1 books and toys (1/2
	// each); item 2 none; item 3 books, toys, home (1/3 each).
	wantW := []float64{1, 0, 0, 0.5, 0.5, 0, 0, 0, 0, 1.0 / 3, 1.0 / 3, 1.0 / 3}
	if d := cmp.Diff(wantW, c.Align.Weights); d != "" || !c.Multi {
		t.Errorf("category weights (-want +got):\n%s", d)
	}
	wantItems := []float64{1 + 0.5 + 1.0/3, 0.5 + 1.0/3, 1.0 / 3}
	for g := range wantItems {
		if math.Abs(c.Items[g]-wantItems[g]) > tol {
			t.Errorf("category items[%d] = %v, want %v", g, c.Items[g], wantItems[g])
		}
	}
	f, err := NewItemGroups(d, "credit")
	if err != nil || f.Items[1] != 1 || f.Items[0] != 3 {
		t.Errorf("credit groups %+v, %v", f, err)
	}
	for _, name := range []string{"price", "nope"} {
		if _, err := NewItemGroups(d, name); !errors.Is(err, ErrGroups) {
			t.Errorf("%s: error %v", name, err)
		}
	}
	if fl, err := NewItemFlag(d, "credit"); err != nil || !fl.Items[1] {
		t.Errorf("flag %+v, %v", fl, err)
	}
	for _, name := range []string{"price", "nope"} {
		if _, err := NewItemFlag(d, name); !errors.Is(err, ErrGroups) {
			t.Errorf("flag %s: error %v", name, err)
		}
	}
}
