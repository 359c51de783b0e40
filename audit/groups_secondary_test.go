package audit

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"gonum.org/v1/gonum/mat"

	"github.com/recaudit/recaudit/datasets/demo"
	"github.com/recaudit/recaudit/fairness"
)

// table2 returns the users of a two-way table: sizes[i][j] users with
// level i of the first attribute and level j of the second, as codes of
// the two attributes.
func table2(sizes [][]int) (a, b []int32) {
	for i, row := range sizes {
		for j, n := range row {
			a = append(a, rep(int32(i), n)...)
			b = append(b, rep(int32(j), n)...)
		}
	}
	return a, b
}

// published is what a reader of a result knows about an intersection x
// of the groupings comps: for each margin (a reported group of a
// component, the union of a component's suppressed groups, the total,
// and, with extra, further known totals) the suppressed intersections it
// holds and its total less the reported intersections it holds. It is
// computed from the exported fields alone, as a reader would.
type published struct {
	names   []string // suppressed intersections, in listed order
	margins [][]int  // indices into names
	rest    []int    // margin total less its reported intersections
}

func publish(users int, comps []*UserGroups, x *UserGroups) published {
	var p published
	for _, s := range x.Suppressed {
		p.names = append(p.names, s.Group)
	}
	reported := map[string]int{}
	for i, l := range x.Levels {
		reported[l] = x.Sizes[i]
	}
	// margin adds the margin of the intersections whose level i is in
	// levels, with total.
	margin := func(i int, levels []string, total int) {
		var m []int
		for k, name := range p.names {
			if slices.Contains(levels, strings.Split(name, IntersectionSep)[i]) {
				m = append(m, k)
			}
		}
		for l, n := range reported {
			if slices.Contains(levels, strings.Split(l, IntersectionSep)[i]) {
				total -= n
			}
		}
		p.margins = append(p.margins, m)
		p.rest = append(p.rest, total)
	}
	for i, c := range comps {
		sum := 0
		for j, l := range c.Levels {
			margin(i, []string{l}, c.Sizes[j])
			sum += c.Sizes[j]
		}
		var sup []string
		for _, s := range c.Suppressed {
			sup = append(sup, s.Group)
		}
		if len(sup) > 0 {
			margin(i, sup, users-c.Missing-sum)
		}
	}
	all := make([]int, len(p.names))
	for k := range all {
		all[k] = k
	}
	total := users - x.Missing
	for _, n := range reported {
		total -= n
	}
	p.margins = append(p.margins, all)
	p.rest = append(p.rest, total)
	return p
}

// solvable returns the suppressed intersections whose size follows from
// the margins of p by linear algebra (floating point, with gonum: an
// unknown is determined when adding its unit vector to the equations
// leaves their rank unchanged), each with the size the equations give.
// It assumes no user lacks a value of a component.
func (p published) solvable() map[string]float64 {
	n := len(p.names)
	if n == 0 {
		return nil
	}
	a := mat.NewDense(len(p.margins), n, nil)
	for r, m := range p.margins {
		for _, k := range m {
			a.Set(r, k, 1)
		}
	}
	rank := func(m mat.Matrix) int {
		var svd mat.SVD
		if !svd.Factorize(m, mat.SVDNone) {
			panic("svd failed")
		}
		v := svd.Values(nil)
		k := 0
		for _, s := range v {
			if s > 1e-9*v[0] {
				k++
			}
		}
		return k
	}
	base := rank(a)
	out := map[string]float64{}
	b := mat.NewVecDense(len(p.rest), nil)
	for r, v := range p.rest {
		b.SetVec(r, float64(v))
	}
	for k := range n {
		ak := mat.NewDense(len(p.margins)+1, n, nil)
		ak.Copy(a)
		ak.Set(len(p.margins), k, 1)
		if rank(ak) == base {
			// The value: project b on the row space through the
			// pseudo-inverse, via the SVD of a.
			out[p.names[k]] = pinvSolve(a, b, k)
		}
	}
	return out
}

// pinvSolve returns component k of the minimum-norm solution of a·x = b.
func pinvSolve(a *mat.Dense, b *mat.VecDense, k int) float64 {
	var svd mat.SVD
	svd.Factorize(a, mat.SVDThin)
	var u, v mat.Dense
	svd.UTo(&u)
	svd.VTo(&v)
	s := svd.Values(nil)
	x := 0.0
	for i, si := range s {
		if si <= 1e-9*s[0] {
			continue
		}
		ub := mat.Dot(u.ColView(i), b)
		x += v.At(k, i) * ub / si
	}
	return x
}

// checkMargins reports every margin of p that holds exactly one
// suppressed intersection, or suppressed intersections with fewer than
// minSize users together (sizes: the true sizes).
func checkMargins(t *testing.T, what string, p published, sizes map[string]int, minSize int) {
	t.Helper()
	for r, m := range p.margins {
		n := 0
		for _, k := range m {
			n += sizes[p.names[k]]
		}
		if len(m) == 1 || len(m) > 1 && n < minSize {
			var names []string
			for _, k := range m {
				names = append(names, p.names[k])
			}
			t.Errorf("%s: margin %d holds the suppressed %q only, %d users", what, r, names, n)
		}
	}
}

// trueSizes returns the size of every raw group of ug.
func trueSizes(ug *UserGroups) map[string]int {
	out := map[string]int{}
	for _, c := range ug.rawCodes {
		if c >= 0 {
			out[ug.rawLevels[c]]++
		}
	}
	return out
}

// TestIntersectSubtraction is the attack of the review: a suppressed
// intersection recovered as a group of one attribute less the reported
// intersections in it. Suppressing within the intersection only (the
// grouping's own total) leaves it open; Intersect closes it.
func TestIntersectSubtraction(t *testing.T) {
	const minSize = 10
	// Hand-built: X × a (3) and X × c (4) are below 10.
	sizes := [][]int{
		{30, 30, 30}, // F
		{31, 29, 32}, // M
		{3, 15, 4},   // X
	}
	ga, gb := table2(sizes)
	gender := Suppress("gender", []string{"F", "M", "X"}, ga, minSize)
	band := Suppress("band", []string{"a", "b", "c"}, gb, minSize)
	users := len(ga)

	// Before: the intersections suppressed as one grouping (X × a and
	// X × c, then X × b as their complement): X × a = a − F × a − M × a.
	x := Intersect(minSize, gender, band)
	flat := Suppress(x.Attribute, x.rawLevels, x.rawCodes, minSize)
	if got := flat.Suppressed; len(got) != 3 || got[1].Group != "X × b" {
		t.Fatalf("flat suppression %v", got)
	}
	before := publish(users, []*UserGroups{gender, band}, flat)
	solved := before.solvable()
	if len(solved) != 3 || math.Abs(solved["X × a"]-3) > 1e-9 || math.Abs(solved["X × c"]-4) > 1e-9 {
		t.Errorf("before: the attack recovers %v, want X × a = 3, X × b = 15, X × c = 4", solved)
	}

	// After: hand-worked from the rule of Intersect. Margin X: X × a and
	// X × c hold 7 < 10, so X × b (15) too; band a: F × a (30 < 31);
	// band b: M × b (29); band c: F × c (30 < 32); then M holds M × b
	// only: M × a (31 < 32).
	want := []Suppressed{
		{"F × a", ReasonComplementary}, {"F × c", ReasonComplementary},
		{"M × a", ReasonComplementary}, {"M × b", ReasonComplementary},
		{"X × a", "fewer than 10 users"}, {"X × b", ReasonComplementary}, {"X × c", "fewer than 10 users"},
	}
	if d := cmp.Diff(want, x.Suppressed); d != "" {
		t.Errorf("suppressed (-want +got):\n%s", d)
	}
	if d := cmp.Diff([]string{"F × b", "M × c"}, x.Levels); d != "" {
		t.Errorf("reported (-want +got):\n%s", d)
	}
	after := publish(users, []*UserGroups{gender, band}, x)
	checkMargins(t, "after", after, trueSizes(x), minSize)
	if s := after.solvable(); len(s) != 0 {
		t.Errorf("after: the attack recovers %v", s)
	}
}

// TestIntersectBridge checks the exact check behind the margin rule: two
// blocks of small intersections, each margin holding two or three of
// them, joined by a single one, r1 × c3, whose size is r1 + r2 − c1 − c2
// although every margin holds at least two suppressed intersections.
func TestIntersectBridge(t *testing.T) {
	const minSize = 10
	sizes := [][]int{
		{6, 7, 8, 50},
		{7, 6, 50, 50},
		{50, 50, 6, 7},
		{50, 50, 7, 6},
	}
	ga, gb := table2(sizes)
	rows := Suppress("row", []string{"r1", "r2", "r3", "r4"}, ga, minSize)
	cols := Suppress("col", []string{"c1", "c2", "c3", "c4"}, gb, minSize)
	x := Intersect(minSize, rows, cols)

	// The primary suppressions alone pass the margin rule, yet r1 × c3
	// is determined.
	primary := &UserGroups{}
	sizes2 := trueSizes(x)
	for _, l := range x.rawLevels {
		if sizes2[l] < minSize {
			primary.Suppressed = append(primary.Suppressed, Suppressed{Group: l})
		} else {
			primary.Levels = append(primary.Levels, l)
			primary.Sizes = append(primary.Sizes, sizes2[l])
		}
	}
	p := publish(len(ga), []*UserGroups{rows, cols}, primary)
	checkMargins(t, "primary", p, trueSizes(x), minSize)
	if s := p.solvable(); len(s) != 1 || math.Abs(s["r1 × c3"]-8) > 1e-9 {
		t.Errorf("primary: the attack recovers %v, want r1 × c3 = 8", s)
	}

	// Intersect adds the smallest reported intersection of r1, r1 × c4.
	var got []string
	for _, s := range x.Suppressed {
		if s.Reason == ReasonComplementary {
			got = append(got, s.Group)
		}
	}
	if d := cmp.Diff([]string{"r1 × c4"}, got); d != "" {
		t.Errorf("complements (-want +got):\n%s", d)
	}
	after := publish(len(ga), []*UserGroups{rows, cols}, x)
	checkMargins(t, "after", after, trueSizes(x), minSize)
	if s := after.solvable(); len(s) != 0 {
		t.Errorf("after: the attack recovers %v", s)
	}
}

// demoGroups returns the groups of the demo shop of the report's golden
// audit (1,500 users, seed 1), with the intersections given.
func demoGroups(t *testing.T, intersections ...[]string) *Groups {
	t.Helper()
	d, err := demo.Generate(context.Background(), demo.Config{Users: 1500, Items: 500, Interactions: 25 * 1500, Seed: 1, Effects: demo.DefaultEffects()})
	if err != nil {
		t.Fatal(err)
	}
	g, err := NewGroups(d, GroupsConfig{Sensitive: []string{"gender", "age_band", "region"}, Intersections: intersections})
	if err != nil {
		t.Fatal(err)
	}
	return g
}

// TestIntersectDemo checks the demo audit's gender × age band: the five
// small X intersections were each the only suppressed intersection of
// their age band; now each band holds two.
func TestIntersectDemo(t *testing.T) {
	g := demoGroups(t, []string{"gender", "age_band"}, []string{"gender", "age_band", "region"})
	x := g.Users[3]
	// Sizes from the demo result (report/testdata): 18-24: F 83, M 86;
	// 25-34: F 169, M 158; 45-54: F 135, M 131; 55-64: F 103, M 96;
	// 65+: F 82, M 86; the smaller of each band goes.
	want := []Suppressed{
		{"F × 18-24", ReasonComplementary}, {"F × 65+", ReasonComplementary},
		{"M × 25-34", ReasonComplementary}, {"M × 45-54", ReasonComplementary}, {"M × 55-64", ReasonComplementary},
		{"X × 18-24", "fewer than 10 users"}, {"X × 25-34", "fewer than 10 users"}, {"X × 45-54", "fewer than 10 users"},
		{"X × 55-64", "fewer than 10 users"}, {"X × 65+", "fewer than 10 users"},
	}
	if d := cmp.Diff(want, x.Suppressed); d != "" {
		t.Errorf("suppressed (-want +got):\n%s", d)
	}
	users := len(x.Codes)
	p := publish(users, g.Users[:2], x)
	checkMargins(t, "gender × age_band", p, trueSizes(x), 10)
	if s := p.solvable(); len(s) != 0 {
		t.Errorf("gender × age_band: the attack recovers %v", s)
	}

	// Three attributes: every margin of one or two of them with at least
	// 10 users (as another intersection could report) and the total.
	x3 := g.Users[4]
	p3 := publish(users, g.Users[:3], x3)
	sub := subMargins(x3, 10)
	p3.margins = append(p3.margins, sub.margins...)
	p3.rest = append(p3.rest, sub.rest...)
	checkMargins(t, "gender × age_band × region", p3, trueSizes(x3), 10)
	if s := p3.solvable(); len(s) != 0 {
		t.Errorf("gender × age_band × region: the attack recovers %v", s)
	}
}

// subMargins returns the margins of the pairs of attributes of a
// three-way intersection x with at least minSize users, as a reader who
// knew their sizes would use them.
func subMargins(x *UserGroups, minSize int) published {
	var p published
	for _, s := range x.Suppressed {
		p.names = append(p.names, s.Group)
	}
	sizes := trueSizes(x)
	for _, pair := range [][2]int{{0, 1}, {0, 2}, {1, 2}} {
		type key [2]string
		total := map[key]int{}
		var keys []key
		for _, l := range x.rawLevels {
			parts := strings.Split(l, IntersectionSep)
			k := key{parts[pair[0]], parts[pair[1]]}
			if _, ok := total[k]; !ok {
				keys = append(keys, k)
			}
			total[k] += sizes[l]
		}
		for _, k := range keys {
			if total[k] < minSize {
				continue
			}
			in := func(l string) bool {
				parts := strings.Split(l, IntersectionSep)
				return parts[pair[0]] == k[0] && parts[pair[1]] == k[1]
			}
			rest := total[k]
			for _, l := range x.Levels {
				if in(l) {
					rest -= sizes[l]
				}
			}
			var m []int
			for i, name := range p.names {
				if in(name) {
					m = append(m, i)
				}
			}
			p.margins = append(p.margins, m)
			p.rest = append(p.rest, rest)
		}
	}
	return p
}

// TestIntersectDeterministic checks that the suppression depends on the
// sizes only: the same for the users in another order.
func TestIntersectDeterministic(t *testing.T) {
	sizes := [][]int{{30, 30, 30, 12}, {31, 29, 32, 3}, {3, 15, 4, 40}}
	ga, gb := table2(sizes)
	run := func(perm []int) *UserGroups {
		a, b := make([]int32, len(ga)), make([]int32, len(gb))
		for i, j := range perm {
			a[i], b[i] = ga[j], gb[j]
		}
		return Intersect(10, Suppress("g", []string{"F", "M", "X"}, a, 10), Suppress("b", []string{"a", "b", "c", "d"}, b, 10))
	}
	id := make([]int, len(ga))
	for i := range id {
		id[i] = i
	}
	first := run(id)
	if len(first.Suppressed) < 4 {
		t.Fatalf("suppressed %v: want small cells and their complements", first.Suppressed)
	}
	rng := rand.New(rand.NewPCG(1, 2))
	for range 5 {
		perm := slices.Clone(id)
		rng.Shuffle(len(perm), func(i, j int) { perm[i], perm[j] = perm[j], perm[i] })
		again := run(perm)
		if d := cmp.Diff(first.Suppressed, again.Suppressed); d != "" {
			t.Errorf("suppressed differ with users shuffled (-first +again):\n%s", d)
		}
		if d := cmp.Diff(first.Sizes, again.Sizes); d != "" {
			t.Errorf("sizes differ (-first +again):\n%s", d)
		}
	}
}

// TestIntersectMissing checks the users in no intersection for lack of a
// value of another attribute: unknowns of the exact check, which can hide
// suppressed intersections from their groups' totals; the margin rule
// ignores them.
func TestIntersectMissing(t *testing.T) {
	// a × y (4) and b × x (3) are below 5.
	ga, gb := table2([][]int{{20, 4}, {3, 20}})
	build := func(a, b []int32) *UserGroups {
		return Intersect(5, Suppress("first", []string{"a", "b"}, a, 5), Suppress("second", []string{"x", "y"}, b, 5))
	}
	x := build(ga, gb)
	hidden := []bool{false, true, true, false}
	// Without missing values a × y is a's total less a × x.
	tab := newCrossTable(x, nil)
	if tab.nExtra != 0 || tab.determined(hidden, 5) != 1 {
		t.Errorf("unknowns %d, determined %d; want 0 and a × y", tab.nExtra, tab.determined(hidden, 5))
	}
	// 6 users of a have no second value and 6 of y no first: a's total
	// counts a × y and an unknown share of the 6, and likewise for every
	// group; a × y + b × x is known, a × y alone is not (hand-worked: the
	// null vector a × y = 1, b × x = −1, and ∓1 for the unknowns).
	ga2 := append(slices.Clone(ga), cat(rep(0, 6), rep(-1, 6))...)
	gb2 := append(slices.Clone(gb), cat(rep(-1, 6), rep(1, 6))...)
	x2 := build(ga2, gb2)
	tab2 := newCrossTable(x2, nil)
	if tab2.nExtra != 4 || len(tab2.extraSums) != 2 {
		t.Errorf("unknowns %d, sums %v: want 2 per attribute", tab2.nExtra, tab2.extraSums)
	}
	if c := tab2.determined(hidden, 5); c >= 0 {
		t.Errorf("determined %d, want none with the unknowns", c)
	}
	// The margin rule still sees a single suppressed intersection in a.
	if !tab2.exposed(tab2.margins[0], hidden, 5) {
		t.Error("margin a with one suppressed intersection not exposed")
	}
	// Both ways, all four go: each row and column needs two.
	for _, y := range []*UserGroups{x, x2} {
		if len(y.Levels) != 0 {
			t.Errorf("missing %d: reported %v", y.Missing, y.Levels)
		}
	}
	if x2.Missing != 12 {
		t.Errorf("missing %d, want 12", x2.Missing)
	}
}

// TestEchelon checks the modular reduction against a hand-worked case.
func TestEchelon(t *testing.T) {
	// x + y = ., y + z = ., x + z = . determine all three (over the
	// rationals: x = (r1 − r2 + r3)/2); x + y, z alone determines z.
	rows := [][]uint64{{1, 1, 0}, {0, 1, 1}, {1, 0, 1}}
	echelon(rows, 3)
	want := [][]uint64{{1, 0, 0}, {0, 1, 0}, {0, 0, 1}}
	if d := cmp.Diff(want, rows); d != "" {
		t.Errorf("full rank (-want +got):\n%s", d)
	}
	rows = [][]uint64{{1, 1, 0}, {0, 0, 1}, {1, 1, 1}}
	echelon(rows, 3)
	want = [][]uint64{{1, 1, 0}, {0, 0, 1}, {0, 0, 0}}
	if d := cmp.Diff(want, rows); d != "" {
		t.Errorf("rank 2 (-want +got):\n%s", d)
	}
	for _, a := range []uint64{1, 2, 3, modP - 1, 1 << 40} {
		if got := mulMod(a, invMod(a)); got != 1 {
			t.Errorf("%d · inverse = %d", a, got)
		}
	}
	if got := mulMod(modP-1, modP-1); got != 1 { // (−1)² = 1
		t.Errorf("(p−1)² = %d", got)
	}
}

// TestWithholdIntersection checks the complementary withholding of a
// comparison: an intersection with few users with a value is withheld,
// and with it enough others that neither its number of users with a value
// nor its mean follows from its groups' values.
func TestWithholdIntersection(t *testing.T) {
	const minSize = 10
	ga, gb := table2([][]int{{30, 30, 30}, {31, 29, 32}, {12, 15, 14}})
	gender := Suppress("gender", []string{"F", "M", "X"}, ga, minSize)
	band := Suppress("band", []string{"a", "b", "c"}, gb, minSize)
	x := Intersect(minSize, gender, band)
	if len(x.Suppressed) != 0 {
		t.Fatalf("suppressed %v, want none", x.Suppressed)
	}
	g := &Groups{Users: []*UserGroups{gender, band, x}, MinGroupSize: minSize}
	// X × a (users 182..193) has 4 users with a value: the others are NaN.
	v := make([]float64, len(ga))
	for u := range v {
		v[u] = float64(u % 7)
	}
	for u := 182 + 4; u < 194; u++ {
		v[u] = math.NaN()
	}
	if x.Codes[182] != 6 || x.Codes[193] != 6 || x.Codes[194] == 6 {
		t.Fatalf("X × a is not users 182..193")
	}
	gs := []fairness.Grouping{gender.Grouping(), band.Grouping(), x.Grouping()}
	a := fairness.Analyze(fairness.PerUser{{Name: "m", Values: v}}, gs,
		fairness.AnalyzeConfig{MinUsers: minSize, Complementary: true, Withhold: g.withhold(nil), BootstrapB: 20, PermutationB: 20})
	// Hand-worked as in TestIntersectSubtraction, by users with a value:
	// X: X × c (14 < 15); a: F × a (30 < 31); c: F × c (30 < 32).
	var withheld []string
	for _, ge := range a.Comparisons[2].Groups {
		if ge.Withheld {
			withheld = append(withheld, ge.Group)
		}
	}
	if d := cmp.Diff([]string{"F × a", "F × c", "X × a", "X × c"}, withheld); d != "" {
		t.Errorf("withheld (-want +got):\n%s", d)
	}
	for _, c := range a.Comparisons[:2] {
		for _, ge := range c.Groups {
			if ge.Withheld {
				t.Errorf("%s %s withheld", c.Attribute, ge.Group)
			}
		}
	}
	b, err := json.Marshal(a.Comparisons[2].Groups[0])
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Contains(b, []byte(`"n":null,"excluded":null`)) {
		t.Errorf("withheld F × a: %s", b)
	}
}

// TestNoSmallCounts runs a small demo audit with an intersection and walks
// its results.json (checkNoSmallCounts).
func TestNoSmallCounts(t *testing.T) {
	out := runSpec(t, `version: 1
dataset: {demo: {users: 300, items: 400}}
systems: [popular]
groups: {intersections: [[gender, age_band]]}
cutoffs: [5]
statistics: {resamples: 10, permutations: 10}
`, RunOptions{})
	if hidden, _ := checkNoSmallCounts(t, out.Result); hidden == 0 {
		t.Error("nothing hidden in the intersection: the test checks nothing")
	}
}

// TestNoSmallCountsWithheld scores a demo system after taking the
// relevant test items from all but 4 users of one intersection, so that
// its accuracy has too few users with a value, and walks the result
// (checkNoSmallCounts).
func TestNoSmallCountsWithheld(t *testing.T) {
	w := newWorld(t, demo.Config{Users: 300, Items: 400, Interactions: 9000, Seed: 1, Effects: demo.DefaultEffects()})
	g, err := NewGroups(w.d, GroupsConfig{Intersections: [][]string{{"gender", "age_band"}}})
	if err != nil {
		t.Fatal(err)
	}
	x := g.Users[len(g.Users)-1]
	const cell = "F × 35-44"
	code := int32(slices.Index(x.Levels, cell))
	if code < 0 {
		t.Fatalf("%s not reported: %v", cell, x.Levels)
	}
	// Test items of value 0 are not relevant (threshold 1).
	test := w.test
	test.Values = make([]float32, len(test.Cols))
	kept := 0
	for u := range test.Rows {
		v := float32(1)
		if x.Codes[u] == code && test.Len(u) > 0 {
			if kept < 4 {
				kept++
			} else {
				v = 0
			}
		}
		for k := test.Offsets[u]; k < test.Offsets[u+1]; k++ {
			test.Values[k] = v
		}
	}
	sys := w.recommend(t, "popular", 5)
	cfg := Config{Cutoffs: []int{5}, Analyze: fairness.AnalyzeConfig{Seed: 1, BootstrapB: 10, PermutationB: 10}}
	res, err := Score(context.Background(), Input{Dataset: w.d, Train: &w.train, Test: &test}, g, sys, cfg)
	if err != nil {
		t.Fatal(err)
	}
	r := NewResult("test", "demo", w.d, w.split, w.stats, g, cfg, 1)
	r.Systems = append(r.Systems, res)
	r.Finalize()
	_, withheld := checkNoSmallCounts(t, r)
	// ndcg@5 and the other accuracy measures: the cell and complements.
	c := comparison(res.Consumer, "ndcg@5", x.Attribute)
	var got []string
	for _, ge := range c.Groups {
		if ge.Withheld {
			got = append(got, ge.Group)
		}
	}
	if !slices.Contains(got, cell) || len(got) < 3 || withheld < 3 {
		t.Errorf("ndcg@5 withholds %v (%d withheld in all), want %s and complements in its gender and age band", got, withheld, cell)
	}
}

// checkNoSmallCounts walks the results.json of r, after validating it
// against the schema and reading it back: no group is published
// with between 1 and min_group_size − 1 users (n or users), no withheld
// group shows a count, and in every comparison by an intersection of two
// attributes, each group of an attribute that is reported in that
// attribute's comparison holds no hidden (suppressed or withheld)
// intersection, or at least two, or no visible one. It returns the
// number of hidden intersections and of withheld groups seen.
func checkNoSmallCounts(t *testing.T, r *Result) (hidden, withheld int) {
	t.Helper()
	doc := marshal(t, r)
	problems, err := validateJSON(Schema, doc, true)
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range problems {
		t.Error("schema: " + p)
	}
	back, err := ReadJSON(bytes.NewReader(doc))
	if err != nil {
		t.Fatal(err)
	}
	if again := marshal(t, back); !bytes.Equal(doc, again) {
		t.Error("results.json does not survive a round trip")
	}
	var root map[string]any
	if err := json.Unmarshal(doc, &root); err != nil {
		t.Fatal(err)
	}
	minSize := int(root["settings"].(map[string]any)["min_group_size"].(float64))
	checked := 0
	var walk func(path string, v any)
	walk = func(path string, v any) {
		switch v := v.(type) {
		case map[string]any:
			if _, ok := v["group"]; ok {
				for _, k := range []string{"n", "users"} {
					if n, ok := v[k].(float64); ok {
						checked++
						if n > 0 && n < float64(minSize) {
							t.Errorf("%s: group %v has %s = %v", path, v["group"], k, n)
						}
					}
				}
				if v["withheld"] == true {
					withheld++
					if v["n"] != nil || v["excluded"] != nil {
						t.Errorf("%s: withheld group %v shows n %v, excluded %v", path, v["group"], v["n"], v["excluded"])
					}
				}
			}
			for k, c := range v {
				walk(path+"."+k, c)
			}
		case []any:
			for i, c := range v {
				walk(fmt.Sprintf("%s[%d]", path, i), c)
			}
		}
	}
	walk("", root)
	if checked == 0 {
		t.Fatal("no group counts found")
	}

	// The margins of each intersection, comparison by comparison.
	for _, x := range r.UserGroups {
		attrs := strings.Split(x.Attribute, IntersectionSep)
		if len(attrs) != 2 {
			continue
		}
		for _, s := range r.Systems {
			for _, c := range s.Consumer.Comparisons {
				if c.Attribute != x.Attribute {
					continue
				}
				hid := map[string]bool{}
				vis := map[string]bool{}
				for _, sup := range x.Suppressed {
					hid[sup.Group] = true
				}
				for _, ge := range c.Groups {
					if ge.Withheld {
						hid[ge.Group] = true
					} else {
						vis[ge.Group] = true
					}
				}
				hidden += len(hid)
				for i, attr := range attrs {
					for _, ge := range comparison(s.Consumer, c.Metric, attr).Groups {
						if ge.Withheld {
							continue
						}
						in := func(cells map[string]bool) int {
							n := 0
							for cell := range cells {
								if strings.Split(cell, IntersectionSep)[i] == ge.Group {
									n++
								}
							}
							return n
						}
						if in(hid) == 1 && in(vis) > 0 {
							t.Errorf("%s %s: %s %s holds one hidden intersection", s.Name, c.Metric, attr, ge.Group)
						}
					}
				}
			}
		}
	}
	return hidden, withheld
}

// BenchmarkIntersect times Intersect of two attributes with L levels
// each, L² intersections of random sizes between 1 and 40 (about a
// fifth below the minimum of 10): the primary suppression, the margin
// rule and the exact checks. Run it with
//
//	go test -run '^$' -bench Intersect -benchtime 3x ./audit/
func BenchmarkIntersect(b *testing.B) {
	for _, l := range []int{5, 15, 40, 100} {
		b.Run(fmt.Sprintf("levels=%d", l), func(b *testing.B) {
			rng := rand.New(rand.NewPCG(1, uint64(l)))
			sizes := make([][]int, l)
			for i := range sizes {
				sizes[i] = make([]int, l)
				for j := range sizes[i] {
					sizes[i][j] = 1 + rng.IntN(40)
				}
			}
			ga, gb := table2(sizes)
			names := make([]string, l)
			for i := range names {
				names[i] = fmt.Sprint("l", i)
			}
			a, c := Suppress("a", names, ga, 10), Suppress("b", names, gb, 10)
			for b.Loop() {
				Intersect(10, a, c)
			}
		})
	}
}
