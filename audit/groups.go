package audit

import (
	"errors"
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"

	"github.com/recaudit/recaudit/datasets"
	"github.com/recaudit/recaudit/fairness"
)

// ErrGroups is wrapped by the errors of the group constructors: a column
// that does not exist or cannot define groups, bad bins.
var ErrGroups = errors.New("audit: invalid groups")

// DefaultMinGroupSize is the smallest group whose results are reported
// (DESIGN.md, Privacy and consent).
const DefaultMinGroupSize = 10

// IntersectionSep separates the attributes and levels of an intersection:
// attribute "gender × age_band", level "F × 65+".
const IntersectionSep = " × "

// Panic messages of the group constructors.
const (
	errMinSize      = "audit: negative minimum group size"
	errIntersectLen = "audit: intersected groupings have different numbers of users"
	errIntersectFew = "audit: an intersection needs at least two groupings"
	errGroupCode    = "audit: group code out of range"
)

// Reasons given for suppressed groups. They never state a group's size.
// ReasonSmall is a format with the minimum group size; ReasonComplementary
// marks a group large enough to report that is suppressed so that a
// smaller one cannot be worked out by subtraction (see [Suppress] and
// [Intersect]).
const (
	ReasonSmall         = "fewer than %d users"
	ReasonComplementary = "suppressed to protect a smaller group"
)

// Suppressed is a group whose results are not reported, and why.
type Suppressed struct {
	Group  string `json:"group"`
	Reason string `json:"reason"`
}

// Binning turns a numeric column into groups. Either Edges or Quantiles is
// set.
type Binning struct {
	// Edges are the ascending bin edges e_0 < e_1 < … < e_m: bin j is
	// [e_j, e_{j+1}), the last bin [e_{m−1}, e_m] closed; use ±Inf for
	// open-ended bins. Values outside [e_0, e_m] and NaN are in no group.
	// Bins are labelled "[18,25)", "[65,+Inf]".
	Edges []float64
	// Quantiles is the number of equal-frequency bins: the edges are the
	// type-7 quantiles j/Quantiles, j = 0..Quantiles, of the non-NaN
	// values ([fairness.Quantile]), repeated edges merged.
	Quantiles int
}

// UserGroups assigns users to the groups of one attribute, with the groups
// that are too small to report suppressed.
type UserGroups struct {
	// Attribute is the column name, or the column names joined by
	// IntersectionSep for an intersection.
	Attribute string
	// Levels are the reported groups, in code order; Sizes their numbers
	// of users (each at least the minimum group size).
	Levels []string
	Sizes  []int
	// Codes holds the group of every user (dataset user index order): an
	// index into Levels, or -1 for a user in no reported group (a missing
	// value, or a suppressed group).
	Codes []int32
	// Suppressed lists the groups not reported, in level order.
	Suppressed []Suppressed
	// Missing counts the users without a value (null, NaN, outside the
	// bins).
	Missing int

	// The groups before suppression: rawLevels and a code per user (-1
	// missing); reported maps a raw level to its index in Levels (-1:
	// suppressed); minSize is the minimum group size. For an
	// intersection, comps are the intersected groupings and parts[c] the
	// raw level in each of them of raw level c.
	rawLevels []string
	rawCodes  []int32
	reported  []int32
	minSize   int
	comps     []*UserGroups
	parts     [][]int32
}

// Grouping returns g as a fairness.Grouping (sharing Codes and Levels).
func (g *UserGroups) Grouping() fairness.Grouping {
	return fairness.Grouping{Attribute: g.Attribute, Levels: g.Levels, Codes: g.Codes}
}

func minSize(m int) int {
	if m < 0 {
		panic(errMinSize)
	}
	if m == 0 {
		return DefaultMinGroupSize
	}
	return m
}

// NewUserGroups groups the users of d by the users-table column name:
//
//	categorical  one group per level (null: missing)
//	bool         groups "false" and "true"
//	numeric      the bins of bins (required), labelled "[lo,hi)"
//
// Groups with fewer than minGroupSize users (0 means
// DefaultMinGroupSize) are suppressed with the reason "fewer than N users",
// never with their size; see [Suppress] for the complementary suppression
// that keeps a suppressed size from being derived. bins is read only for
// numeric columns.
//
// NewUserGroups returns an error wrapping ErrGroups if the column does not
// exist, is multi-categorical (a user would be in several groups), or is
// numeric without valid bins. It panics if minGroupSize < 0.
func NewUserGroups(d *datasets.Dataset, name string, bins Binning, minGroupSize int) (*UserGroups, error) {
	ms := minSize(minGroupSize)
	col, ok := d.UserColumn(name)
	if !ok {
		return nil, fmt.Errorf("%w: the users table has no column %q", ErrGroups, name)
	}
	levels, codes, err := columnGroups(col, bins)
	if err != nil {
		return nil, err
	}
	return Suppress(name, levels, codes, ms), nil
}

// columnGroups returns the levels and per-row codes of a column.
func columnGroups(col *datasets.Column, bins Binning) ([]string, []int32, error) {
	switch col.Kind {
	case datasets.Categorical:
		return slices.Clone(col.Levels), slices.Clone(col.Codes), nil
	case datasets.Bool:
		codes := make([]int32, len(col.Bools))
		for i, b := range col.Bools {
			if b {
				codes[i] = 1
			}
		}
		return []string{"false", "true"}, codes, nil
	case datasets.Numeric:
		return binValues(col.Name, col.Floats, bins)
	case datasets.MultiCategorical:
		return nil, nil, fmt.Errorf("%w: column %q holds several values per row; user groups need one value per user", ErrGroups, col.Name)
	}
	return nil, nil, fmt.Errorf("%w: column %q has kind %v", ErrGroups, col.Name, col.Kind)
}

// binValues bins numeric values.
func binValues(name string, x []float64, bins Binning) ([]string, []int32, error) {
	edges := bins.Edges
	switch {
	case edges != nil && bins.Quantiles != 0:
		return nil, nil, fmt.Errorf("%w: column %q: give bin edges or a number of quantile bins, not both", ErrGroups, name)
	case edges == nil && bins.Quantiles <= 0:
		return nil, nil, fmt.Errorf("%w: column %q is numeric: give bin edges (e.g. 18,25,35,+Inf) or a number of quantile bins", ErrGroups, name)
	case edges == nil:
		var err error
		if edges, err = quantileEdges(name, x, bins.Quantiles); err != nil {
			return nil, nil, err
		}
	}
	if len(edges) < 2 {
		return nil, nil, fmt.Errorf("%w: column %q: bins need at least two edges", ErrGroups, name)
	}
	for i, e := range edges {
		if math.IsNaN(e) || i > 0 && !(e > edges[i-1]) {
			return nil, nil, fmt.Errorf("%w: column %q: bin edges must increase strictly, without NaN (edge %d is %v)", ErrGroups, name, i, e)
		}
	}
	m := len(edges) - 1
	levels := make([]string, m)
	for j := range m {
		closing := ")"
		if j == m-1 {
			closing = "]"
		}
		levels[j] = "[" + formatEdge(edges[j]) + "," + formatEdge(edges[j+1]) + closing
	}
	codes := make([]int32, len(x))
	for i, v := range x {
		codes[i] = -1
		if math.IsNaN(v) || v < edges[0] || v > edges[m] {
			continue
		}
		// The bin j with edges[j] <= v < edges[j+1]; v == edges[m] goes to
		// the last bin.
		j, found := slices.BinarySearch(edges, v)
		if !found {
			j--
		}
		codes[i] = int32(min(j, m-1))
	}
	return levels, codes, nil
}

// quantileEdges returns the distinct type-7 quantile edges of the non-NaN
// values.
func quantileEdges(name string, x []float64, q int) ([]float64, error) {
	var s []float64
	for _, v := range x {
		if !math.IsNaN(v) {
			s = append(s, v)
		}
	}
	if len(s) == 0 {
		return nil, fmt.Errorf("%w: column %q has no value to compute quantile bins from", ErrGroups, name)
	}
	slices.Sort(s)
	var edges []float64
	for j := 0; j <= q; j++ {
		e := fairness.Quantile(float64(j)/float64(q), s)
		if len(edges) == 0 || e > edges[len(edges)-1] {
			edges = append(edges, e)
		}
	}
	if len(edges) < 2 {
		return nil, fmt.Errorf("%w: column %q has a single value: no quantile bins", ErrGroups, name)
	}
	return edges, nil
}

// formatEdge formats a bin edge: the shortest decimal, "+Inf" and "-Inf".
func formatEdge(e float64) string {
	switch {
	case math.IsInf(e, 1):
		return "+Inf"
	case math.IsInf(e, -1):
		return "-Inf"
	}
	return strconv.FormatFloat(e, 'g', -1, 64)
}

// Suppress builds the reported groups of one attribute from all its
// groups: levels, and a code per user into levels (-1 for a missing
// value). It is the last step of [NewUserGroups]; call it directly for
// groups computed elsewhere.
//
// A group with fewer than minGroupSize users (0 means
// DefaultMinGroupSize) is suppressed: its users get code -1 and it is
// listed with the reason "fewer than N users". The total of the
// suppressed groups is then known (the number of users less the reported
// groups and the users without a value), so while the suppressed groups
// with users are a single one, or hold fewer than minGroupSize users
// together, the reported group with the fewest users (ties: the first
// level) is suppressed as well (complementary suppression, the usual
// practice of statistical disclosure control), with the reason
// ReasonComplementary, which states no size. Reported groups keep their
// level order; codes are renumbered.
//
// Suppress panics if minGroupSize < 0 or a code is outside [-1,
// len(levels)). levels and codes are not modified.
func Suppress(attribute string, levels []string, codes []int32, minGroupSize int) *UserGroups {
	ms := minSize(minGroupSize)
	for _, c := range codes {
		if c < -1 || int(c) >= len(levels) {
			panic(errGroupCode)
		}
	}
	ug := &UserGroups{Attribute: attribute, rawLevels: slices.Clone(levels), rawCodes: slices.Clone(codes), minSize: ms}
	ug.suppress()
	return ug
}

// suppress fills in the reported groups of ug from its raw groups:
// primary suppression of the groups below the minimum size, then
// complementary suppression over the margins of its crossTable.
func (ug *UserGroups) suppress() {
	t := newCrossTable(ug, nil)
	reason := make([]string, len(ug.rawLevels))
	hidden := make([]bool, len(ug.rawLevels))
	for c, n := range t.size {
		if n < ug.minSize {
			hidden[c] = true
			reason[c] = fmt.Sprintf(ReasonSmall, ug.minSize)
		}
	}
	for _, c := range t.protect(hidden, ug.minSize) {
		reason[c] = ReasonComplementary
	}
	ug.reported = make([]int32, len(ug.rawLevels))
	for g, l := range ug.rawLevels {
		if reason[g] != "" {
			ug.reported[g] = -1
			ug.Suppressed = append(ug.Suppressed, Suppressed{Group: l, Reason: reason[g]})
			continue
		}
		ug.reported[g] = int32(len(ug.Levels))
		ug.Levels = append(ug.Levels, l)
		ug.Sizes = append(ug.Sizes, t.size[g])
	}
	ug.Codes = make([]int32, len(ug.rawCodes))
	for u, c := range ug.rawCodes {
		if c < 0 {
			ug.Codes[u] = -1
			ug.Missing++
		} else {
			ug.Codes[u] = ug.reported[c]
		}
	}
}

// Intersect returns the intersectional groups of two or more groupings of
// the same users: one group per combination of their levels that occurs,
// labelled with the levels joined by IntersectionSep ("F × 65+"), in the
// lexicographic order of the component levels. It intersects the groups
// before suppression, so a user in a group suppressed in a component still
// belongs to an intersection; a user missing in any component is missing.
// Intersections with fewer than minGroupSize users (0 means
// DefaultMinGroupSize) are suppressed with the reason "fewer than N
// users".
//
// # Complementary suppression
//
// An intersection's size, and the sum of its users' values, could be
// derived by subtraction: the group 18-24 of one attribute less the
// reported intersections F × 18-24 and M × 18-24 leaves X × 18-24. So
// Intersect also suppresses, with the reason ReasonComplementary,
// enough reported intersections that no suppressed one can be worked out
// from the totals a reader knows (the margins):
//
//   - each reported group of each component (the intersections with
//     that level), and the union of each component's suppressed groups;
//   - for three or more components, conservatively, every combination
//     of levels of two or more but not all of them with at least
//     minGroupSize users, as if another intersection reported it;
//   - the total of the intersections.
//
// Every margin that holds a suppressed intersection must hold at least
// two, with at least minGroupSize users between them (unless the margin
// has no reported intersection left): the rule adds the reported
// intersection of the margin with the fewest users (ties: level order),
// margin by margin in the order above, until it holds everywhere, so a
// complement that leaves another margin with a single suppressed
// intersection gets a complement of its own there. Then an exact check
// over all the margins together (linear algebra: sums and differences of
// any of their totals) confirms that no suppressed intersection below
// the minimum size is determined; one that is gets a further complement
// from one of its margins, and the rule is applied again. Users of a
// component's group who lack a value of another component are in no
// intersection: they count as unknowns, whose total over the group's
// levels is known. The result is deterministic. Counts that an interval
// argument could bound (a cell known to lie between 0 and a small
// number) are not considered beyond the two-cells-and-minimum rule.
//
// Intersect panics if fewer than two groupings are given, if they differ
// in number of users, or if minGroupSize < 0.
func Intersect(minGroupSize int, gs ...*UserGroups) *UserGroups {
	if len(gs) < 2 {
		panic(errIntersectFew)
	}
	ms := minSize(minGroupSize)
	n := len(gs[0].rawCodes)
	names := make([]string, len(gs))
	for i, g := range gs {
		if len(g.rawCodes) != n {
			panic(errIntersectLen)
		}
		names[i] = g.Attribute
	}
	// Mixed-radix combination codes, in lexicographic order of components.
	combo := make([]int64, n)
	for u := range n {
		var c int64
		for _, g := range gs {
			k := g.rawCodes[u]
			if k < 0 || c < 0 {
				c = -1
				continue
			}
			c = c*int64(len(g.rawLevels)) + int64(k)
		}
		combo[u] = c
	}
	present := slices.Clone(combo)
	slices.Sort(present)
	present = slices.Compact(present)
	if len(present) > 0 && present[0] < 0 {
		present = present[1:]
	}
	levels := make([]string, len(present))
	parts := make([][]int32, len(present))
	names2 := make([]string, len(gs))
	for i, c := range present {
		parts[i] = make([]int32, len(gs))
		for j := len(gs) - 1; j >= 0; j-- {
			r := int64(len(gs[j].rawLevels))
			parts[i][j] = int32(c % r)
			names2[j] = gs[j].rawLevels[c%r]
			c /= r
		}
		levels[i] = strings.Join(names2, IntersectionSep)
	}
	codes := make([]int32, n)
	for u, c := range combo {
		if c < 0 {
			codes[u] = -1
			continue
		}
		i, _ := slices.BinarySearch(present, c)
		codes[u] = int32(i)
	}
	ug := &UserGroups{Attribute: strings.Join(names, IntersectionSep), rawLevels: levels, rawCodes: codes,
		minSize: ms, comps: slices.Clone(gs), parts: parts}
	ug.suppress()
	return ug
}

// ItemGroups assigns catalogue items to the groups of one item attribute,
// possibly several groups per item.
type ItemGroups struct {
	// Attribute is the items-table column name.
	Attribute string
	// Levels are the groups, in code order.
	Levels []string
	// Align gives each item a weight per group (fairness.Alignment):
	// 1 for its group when it has one; 1/|groups| for each of its groups
	// when the column is multi-categorical (TREC Fair Ranking alignment),
	// so that every item with a group carries weight 1 in total; 0 for an
	// item without a value.
	Align fairness.Alignment
	// Items holds the catalogue weight of each group, Σ_i Align[i][g]:
	// its number of items, fractional for multi-categorical columns.
	Items []float64
	// Multi reports a multi-categorical column.
	Multi bool
}

// NewItemGroups groups the items of d by the items-table column name:
// categorical (provider, provider_type), multi-categorical (category: an
// item with k categories counts 1/k in each) or bool (a flag: groups
// "false" and "true"). Item groups are never suppressed: they describe
// providers and products, not people.
//
// NewItemGroups returns an error wrapping ErrGroups if the column does not
// exist or is numeric.
func NewItemGroups(d *datasets.Dataset, name string) (*ItemGroups, error) {
	col, ok := d.ItemColumn(name)
	if !ok {
		return nil, fmt.Errorf("%w: the items table has no column %q", ErrGroups, name)
	}
	ig := &ItemGroups{Attribute: name}
	switch col.Kind {
	case datasets.Categorical:
		ig.Levels = slices.Clone(col.Levels)
		if len(ig.Levels) == 0 {
			return nil, fmt.Errorf("%w: items column %q has no value", ErrGroups, name)
		}
		ig.Align = fairness.AlignmentOf(col.Codes, len(ig.Levels))
	case datasets.Bool:
		ig.Levels = []string{"false", "true"}
		codes := make([]int32, len(col.Bools))
		for i, b := range col.Bools {
			if b {
				codes[i] = 1
			}
		}
		ig.Align = fairness.AlignmentOf(codes, 2)
	case datasets.MultiCategorical:
		ig.Levels = slices.Clone(col.Levels)
		ig.Multi = true
		G := len(ig.Levels)
		ig.Align = fairness.Alignment{Groups: G, Weights: make([]float64, col.Len()*G)}
		for i := range col.Len() {
			cs := col.RowCodes(i)
			for _, c := range cs {
				ig.Align.Weights[i*G+int(c)] += 1 / float64(len(cs))
			}
		}
	default:
		return nil, fmt.Errorf("%w: items column %q is %v; item groups come from categorical, multi-categorical or bool columns", ErrGroups, name, col.Kind)
	}
	ones := make([]float64, len(ig.Align.Weights)/ig.Align.Groups)
	for i := range ones {
		ones[i] = 1
	}
	ig.Items = fairness.GroupExposureAlignedTo(nil, ones, ig.Align)
	return ig, nil
}

// ItemFlag is a boolean item flag (for example high_cost_credit) whose
// targeting is audited.
type ItemFlag struct {
	Name  string
	Items []bool
}

// NewItemFlag reads the bool items-table column name. It returns an error
// wrapping ErrGroups if the column does not exist or is not bool.
func NewItemFlag(d *datasets.Dataset, name string) (ItemFlag, error) {
	col, ok := d.ItemColumn(name)
	if !ok {
		return ItemFlag{}, fmt.Errorf("%w: the items table has no column %q", ErrGroups, name)
	}
	if col.Kind != datasets.Bool {
		return ItemFlag{}, fmt.Errorf("%w: items column %q is %v; a flag is a bool column", ErrGroups, name, col.Kind)
	}
	return ItemFlag{Name: name, Items: col.Bools}, nil
}
