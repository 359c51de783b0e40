package audit

import (
	"math"
	"math/bits"
	"slices"
)

// Complementary (secondary) suppression.
//
// A suppressed group is protected only if its size, and the sum of its
// metric values, cannot be worked out from what is reported: the reported
// groups and the totals they add up to. The totals a reader knows are the
// margins of a crossTable; protect suppresses further groups until no
// suppressed group can be isolated from them. The same tables, built over
// the users with a value of one metric, decide which groups a comparison
// withholds (Groups.withhold).

// crossTable is a grouping before suppression, seen as the table of
// counts a reader tries to fill in: one cell per group (for an
// intersection, per combination of levels that occurs), and the margins,
// sets of cells whose total is known from the rest of the result.
type crossTable struct {
	// size is the number of users of each cell (or of its users with a
	// value of one metric).
	size []int
	// margins are the known totals, in the order protect visits them.
	margins []margin
	// nExtra counts further unknowns: the users of one level of a
	// component who lack a value of another component of the
	// intersection, and so are in no cell while counted in the level's
	// group. extraSums lists sets of them with a known total.
	nExtra    int
	extraSums [][]int
}

// margin is a known total: the users of cells, plus those counted by the
// unknowns extra.
type margin struct {
	cells []int // ascending
	extra []int
}

// newCrossTable returns the table of the grouping ug over the users for
// which counted reports true (nil: every user), with ms the minimum
// group size.
//
// The margins of a grouping of one attribute are its total (the users
// less those without a value). Those of an intersection are, for every
// component attribute, each of its reported groups and the union of its
// suppressed ones (a reader knows their sizes, and their means); for
// three or more attributes, conservatively, also every combination of
// levels of two or more but not all of them that holds at least ms
// users (another intersection may report it); and the total. A reported
// group of a component also counts the users in none of the cells for
// lack of a value of another component: they are unknowns whose sum over
// the component's levels is known, and when that sum is 0 they are known
// to be absent.
func newCrossTable(ug *UserGroups, counted func(u int) bool) *crossTable {
	t := &crossTable{size: make([]int, len(ug.rawLevels))}
	for u, c := range ug.rawCodes {
		if c >= 0 && (counted == nil || counted(u)) {
			t.size[c]++
		}
	}
	all := make([]int, len(t.size))
	for c := range all {
		all[c] = c
	}
	d := len(ug.comps)
	for i, comp := range ug.comps {
		// Unknowns: users of a level of component i outside every cell.
		outside := 0
		for u, c := range comp.rawCodes {
			if c >= 0 && ug.rawCodes[u] < 0 && (counted == nil || counted(u)) {
				outside++
			}
		}
		extra := func(a int) []int { return nil }
		if outside > 0 {
			base := t.nExtra
			t.nExtra += len(comp.rawLevels)
			sum := make([]int, len(comp.rawLevels))
			for a := range sum {
				sum[a] = base + a
			}
			t.extraSums = append(t.extraSums, sum)
			extra = func(a int) []int { return []int{base + a} }
		}
		var union margin
		for a, name := range comp.rawLevels {
			var m margin
			for c, p := range ug.parts {
				if int(p[i]) == a {
					m.cells = append(m.cells, c)
				}
			}
			m.extra = extra(a)
			if slices.Contains(comp.Levels, name) {
				t.margins = append(t.margins, m)
				continue
			}
			union.cells = append(union.cells, m.cells...)
			union.extra = append(union.extra, m.extra...)
		}
		if len(union.cells) > 0 {
			slices.Sort(union.cells)
			t.margins = append(t.margins, union)
		}
	}
	// Conservatively, the combinations of 2..d−1 of the attributes.
	for set := 1; set < 1<<d-1; set++ {
		if bits.OnesCount(uint(set)) < 2 {
			continue
		}
		index := map[string]int{}
		var ms []margin
		key := make([]byte, 0, 4*d)
		for c, p := range ug.parts {
			key = key[:0]
			for i, l := range p {
				if set&(1<<i) != 0 {
					key = append(key, byte(l>>24), byte(l>>16), byte(l>>8), byte(l))
				}
			}
			j, ok := index[string(key)]
			if !ok {
				j = len(ms)
				index[string(key)] = j
				ms = append(ms, margin{})
			}
			ms[j].cells = append(ms[j].cells, c)
		}
		for _, m := range ms {
			if t.total(m) >= ug.minSize {
				t.margins = append(t.margins, m)
			}
		}
	}
	t.margins = append(t.margins, margin{cells: all})
	return t
}

// total returns the number of users of the cells of m.
func (t *crossTable) total(m margin) int {
	n := 0
	for _, c := range m.cells {
		n += t.size[c]
	}
	return n
}

// protect extends hidden, which marks the cells suppressed so far, with
// complementary cells until
//
//   - every margin holding a hidden cell with users holds at least two
//     of them, with ms users or more between them, or has no visible cell
//     with users left; and
//   - no hidden cell with between 1 and ms−1 users has a size that
//     follows from the margins, by any combination of sums and
//     differences of their totals.
//
// The first rule is applied margin by margin, in the order of
// t.margins, hiding each time the visible cell with the fewest users
// (ties: the first cell); the second is checked exactly (linear algebra
// over the margins) once the first holds, and repaired by hiding a cell
// of a margin of the exposed cell, chosen the same way, then the first
// rule is applied again. protect reports the cells it hid.
func (t *crossTable) protect(hidden []bool, ms int) []int {
	var added []int
	hide := func(c int) {
		hidden[c] = true
		added = append(added, c)
	}
	for {
		for changed := true; changed; {
			changed = false
			for _, m := range t.margins {
				for t.exposed(m, hidden, ms) {
					c := t.smallestVisible(m.cells, hidden)
					if c < 0 {
						break
					}
					hide(c)
					changed = true
				}
			}
		}
		det := t.determined(hidden, ms)
		if det < 0 {
			return added
		}
		c := t.repair(det, hidden, ms)
		if c < 0 {
			return added
		}
		hide(c)
	}
}

// exposed reports whether the hidden cells of m, taken together, could
// be worked out from its total: one cell with users alone, or fewer than
// ms users between them.
func (t *crossTable) exposed(m margin, hidden []bool, ms int) bool {
	k, n := 0, 0
	for _, c := range m.cells {
		if hidden[c] && t.size[c] > 0 {
			k++
			n += t.size[c]
		}
	}
	return k > 0 && (k < 2 || n < ms)
}

// smallestVisible returns the visible cell of cells with the fewest
// users, at least one (ties: the first), or -1.
func (t *crossTable) smallestVisible(cells []int, hidden []bool) int {
	best := -1
	for _, c := range cells {
		if !hidden[c] && t.size[c] > 0 && (best < 0 || t.size[c] < t.size[best]) {
			best = c
		}
	}
	return best
}

// repair returns the visible cell to hide so that the size of the hidden
// cell det no longer follows from the margins: of the smallest visible
// cells of the margins of det, in margin order, the first that does it,
// else the first of them; with none, the smallest visible cell of the
// table; -1 when every cell is hidden.
func (t *crossTable) repair(det int, hidden []bool, ms int) int {
	var cands []int
	for _, m := range t.margins {
		if _, ok := slices.BinarySearch(m.cells, det); !ok {
			continue
		}
		if c := t.smallestVisible(m.cells, hidden); c >= 0 && !slices.Contains(cands, c) {
			cands = append(cands, c)
		}
	}
	for _, c := range cands {
		hidden[c] = true
		ok := !slices.Contains(t.exposedCells(hidden, ms), det)
		hidden[c] = false
		if ok {
			return c
		}
	}
	if len(cands) > 0 {
		return cands[0]
	}
	all := make([]int, len(t.size))
	for c := range all {
		all[c] = c
	}
	return t.smallestVisible(all, hidden)
}

// determined returns the first hidden cell with between 1 and ms−1 users
// whose size follows from the margins, or -1.
func (t *crossTable) determined(hidden []bool, ms int) int {
	if cs := t.exposedCells(hidden, ms); len(cs) > 0 {
		return cs[0]
	}
	return -1
}

// exposedCells returns, in cell order, the hidden cells with between 1
// and ms−1 users whose size follows from the margins.
//
// The unknowns are the hidden cells and the extra counts; each margin
// and extra sum is a linear equation in them with a known right-hand
// side. An unknown is determined when its unit vector lies in the row
// space of the equations: after reduction to row echelon form, some row
// is that unit vector. The reduction is exact, in the integers modulo
// the prime 2⁶¹−1: the equations have 0/1 coefficients, and the result
// differs from that over the rationals only if the prime divides one of
// their minors, which for a random-looking 61-bit prime is vanishingly
// unlikely (and deterministic: the same tables give the same answer).
func (t *crossTable) exposedCells(hidden []bool, ms int) []int {
	col := make([]int, len(t.size)) // unknown index of a hidden cell, or -1
	var cells []int
	for c := range col {
		col[c] = -1
		if hidden[c] {
			col[c] = len(cells)
			cells = append(cells, c)
		}
	}
	if len(cells) == 0 {
		return nil
	}
	n := len(cells) + t.nExtra
	var rows [][]uint64
	for _, m := range t.margins {
		r := make([]uint64, n)
		some := false
		for _, c := range m.cells {
			if col[c] >= 0 {
				r[col[c]] = 1
				some = true
			}
		}
		for _, e := range m.extra {
			r[len(cells)+e] = 1
			some = true
		}
		if some {
			rows = append(rows, r)
		}
	}
	for _, s := range t.extraSums {
		r := make([]uint64, n)
		for _, e := range s {
			r[len(cells)+e] = 1
		}
		rows = append(rows, r)
	}
	echelon(rows, n)
	var out []int
	for _, r := range rows {
		j, single := -1, true
		for k, v := range r {
			if v != 0 {
				if j >= 0 {
					single = false
					break
				}
				j = k
			}
		}
		if j >= 0 && single && j < len(cells) {
			if c := cells[j]; t.size[c] > 0 && t.size[c] < ms {
				out = append(out, c)
			}
		}
	}
	slices.Sort(out)
	return out
}

// modP is the prime 2⁶¹−1 of the exact reduction.
const modP = 1<<61 - 1

// echelon reduces rows (of n columns, entries in [0, modP)) in place to
// reduced row echelon form modulo modP.
func echelon(rows [][]uint64, n int) {
	rank := 0
	for j := 0; j < n && rank < len(rows); j++ {
		p := -1
		for i := rank; i < len(rows); i++ {
			if rows[i][j] != 0 {
				p = i
				break
			}
		}
		if p < 0 {
			continue
		}
		rows[rank], rows[p] = rows[p], rows[rank]
		piv := rows[rank]
		if inv := invMod(piv[j]); inv != 1 {
			for k := j; k < n; k++ {
				piv[k] = mulMod(piv[k], inv)
			}
		}
		for i, r := range rows {
			if i == rank || r[j] == 0 {
				continue
			}
			f := r[j]
			for k := j; k < n; k++ {
				if piv[k] != 0 {
					r[k] = subMod(r[k], mulMod(f, piv[k]))
				}
			}
		}
		rank++
	}
}

// mulMod returns a·b mod modP for a, b < modP.
func mulMod(a, b uint64) uint64 {
	hi, lo := bits.Mul64(a, b)
	// a·b = q·2⁶¹ + r with 2⁶¹ ≡ 1.
	q := hi<<3 | lo>>61
	s := q + lo&modP
	for s >= modP {
		s -= modP
	}
	return s
}

// subMod returns a − b mod modP for a, b < modP.
func subMod(a, b uint64) uint64 {
	if a >= b {
		return a - b
	}
	return a + modP - b
}

// invMod returns the inverse of a ≠ 0 modulo modP (Fermat).
func invMod(a uint64) uint64 {
	r, e := uint64(1), uint64(modP-2)
	for e > 0 {
		if e&1 != 0 {
			r = mulMod(r, a)
		}
		a = mulMod(a, a)
		e >>= 1
	}
	return r
}

// withhold returns the fairness.AnalyzeConfig.Withhold of the groupings
// of g: for the column values, the users with a value (not NaN) form the
// cells of each grouping's table; its suppressed groups and the groups
// withheld so far are hidden, and protect decides which further reported
// groups to withhold, so that no withheld or suppressed group's number of
// users with a value, nor the sum of their values, can be derived from the
// reported groups and the totals of the margins. Its grouping index is
// that of g.Users. A non-nil then is called first (a caller's own
// Withhold).
func (g *Groups) withhold(then func(int, []float64, []bool)) func(grouping int, values []float64, withheld []bool) {
	return func(gi int, values []float64, withheld []bool) {
		if then != nil {
			then(gi, values, withheld)
		}
		ug := g.Users[gi]
		hidden := make([]bool, len(ug.rawLevels))
		some := false
		for c := range hidden {
			r := ug.reported[c]
			hidden[c] = r < 0 || withheld[r]
			some = some || hidden[c]
		}
		if !some {
			return
		}
		t := newCrossTable(ug, func(u int) bool { return !math.IsNaN(values[u]) })
		for _, c := range t.protect(hidden, ug.minSize) {
			if r := ug.reported[c]; r >= 0 {
				withheld[r] = true
			}
		}
	}
}
