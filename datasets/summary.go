package datasets

import (
	"math"
	"slices"
)

// TopItemsFraction is the fraction of items, the most popular first, whose
// share of all interactions [Summary] reports as TopItemsShare.
const TopItemsFraction = 0.1

const nilDataset = "datasets: nil dataset"

// Summary describes a loaded dataset: its size, its attribute columns and
// their roles, the sizes of its groups, and how interactions spread over
// users (activity) and items (popularity). It is what "recaudit data
// inspect" prints.
type Summary struct {
	Users, Items int
	// Interactions is the number of stored (user, item) pairs, after the
	// duplicate policy merged any repeats.
	Interactions int
	// Density is Interactions / (Users × Items); NaN when there are no
	// users or no items.
	Density       float64
	HasValues     bool // the interactions carry a value column
	HasTimestamps bool // the interactions carry a timestamp column

	UserColumns, ItemColumns []ColumnSummary

	// Groups has one entry per users column with role sensitive, then one
	// per items column with role item_group or flag, in column order.
	Groups []GroupSizes

	// Activity is the distribution of interactions per user, over every
	// user (including users without interactions).
	Activity Distribution
	// Popularity is the distribution of interactions per item, over every
	// item (including items without interactions).
	Popularity Distribution
	// TopItemsShare is the share of interactions on the ⌈TopItemsFraction
	// × Items⌉ most popular items; NaN when there are no interactions.
	TopItemsShare float64
}

// ColumnSummary describes one attribute column.
type ColumnSummary struct {
	Name string
	Role Role
	Kind ColumnKind
	// Levels is the number of distinct levels of a categorical column
	// (2 for Bool, 0 for Numeric).
	Levels int
	// Missing is the number of rows with no value: null codes, empty
	// multi-valued rows, NaN numbers. Bool columns have none.
	Missing int
}

// GroupSizes counts the rows in each level of one grouping column.
type GroupSizes struct {
	Table  string // "users" or "items"
	Column string
	Role   Role
	// Levels are the level names (sorted; "false", "true" for Bool); nil
	// for a Numeric column, which has no levels.
	Levels []string
	// Sizes[i] is the number of rows in Levels[i]. A row of a
	// MultiCategorical column counts once in each of its levels.
	Sizes []int
	// Missing is the number of rows in no level.
	Missing int
}

// Distribution summarises a sample of counts. The quartiles are sample
// quantiles of type 7 of Hyndman and Fan (the default of R and NumPy):
// with the sample sorted as x[0] ≤ … ≤ x[n-1],
//
//	Q(p) = x[⌊h⌋] + (h − ⌊h⌋)(x[⌊h⌋+1] − x[⌊h⌋]),  h = (n − 1)p
//
// Every field but N is NaN for an empty sample.
//
// Reference: R. J. Hyndman and Y. Fan, "Sample quantiles in statistical
// packages", The American Statistician 50(4), 1996.
type Distribution struct {
	N                        int
	Min, Q1, Median, Q3, Max float64
	Mean                     float64
}

// Summarize describes d. It reads d and never modifies it; the returned
// Summary shares no memory with d except level-name strings.
//
// Summarize panics if d is nil.
func Summarize(d *Dataset) Summary {
	if d == nil {
		panic(nilDataset)
	}
	m := &d.Interactions
	s := Summary{
		Users:         m.Rows,
		Items:         m.NumCols,
		Interactions:  m.NNZ(),
		Density:       math.NaN(),
		HasValues:     m.Values != nil,
		HasTimestamps: m.Times != nil,
		TopItemsShare: math.NaN(),
	}
	if s.Users > 0 && s.Items > 0 {
		s.Density = float64(s.Interactions) / (float64(s.Users) * float64(s.Items))
	}

	for i := range d.UserColumns {
		c := &d.UserColumns[i]
		s.UserColumns = append(s.UserColumns, summarizeColumn(c))
		if c.Role == RoleSensitive {
			s.Groups = append(s.Groups, groupSizes("users", c))
		}
	}
	for i := range d.ItemColumns {
		c := &d.ItemColumns[i]
		s.ItemColumns = append(s.ItemColumns, summarizeColumn(c))
		if c.Role == RoleItemGroup || c.Role == RoleFlag {
			s.Groups = append(s.Groups, groupSizes("items", c))
		}
	}

	activity := make([]float64, m.Rows)
	for r := range activity {
		activity[r] = float64(m.Len(r))
	}
	popularity := make([]float64, m.NumCols)
	for _, c := range m.Cols {
		popularity[c]++
	}
	s.Activity = distribution(activity)
	s.Popularity = distribution(popularity) // sorts popularity ascending
	if s.Interactions > 0 {
		k := int(math.Ceil(TopItemsFraction * float64(len(popularity))))
		var top float64
		for _, v := range popularity[len(popularity)-k:] {
			top += v
		}
		s.TopItemsShare = top / float64(s.Interactions)
	}
	return s
}

func summarizeColumn(c *Column) ColumnSummary {
	cs := ColumnSummary{Name: c.Name, Role: c.Role, Kind: c.Kind}
	switch c.Kind {
	case Categorical:
		cs.Levels = len(c.Levels)
		for _, code := range c.Codes {
			if code < 0 {
				cs.Missing++
			}
		}
	case MultiCategorical:
		cs.Levels = len(c.Levels)
		for i := 0; i+1 < len(c.Offsets); i++ {
			if c.Offsets[i+1] == c.Offsets[i] {
				cs.Missing++
			}
		}
	case Numeric:
		for _, v := range c.Floats {
			if math.IsNaN(v) {
				cs.Missing++
			}
		}
	case Bool:
		cs.Levels = 2
	}
	return cs
}

func groupSizes(table string, c *Column) GroupSizes {
	g := GroupSizes{Table: table, Column: c.Name, Role: c.Role}
	switch c.Kind {
	case Categorical, MultiCategorical:
		g.Levels = c.Levels
		g.Sizes = make([]int, len(c.Levels))
		for i := range c.Len() {
			codes := c.RowCodes(i)
			if len(codes) == 0 {
				g.Missing++
			}
			for _, code := range codes {
				g.Sizes[code]++
			}
		}
	case Bool:
		g.Levels = []string{"false", "true"}
		g.Sizes = make([]int, 2)
		for _, b := range c.Bools {
			if b {
				g.Sizes[1]++
			} else {
				g.Sizes[0]++
			}
		}
	case Numeric:
		g.Missing = summarizeColumn(c).Missing
	}
	return g
}

// distribution summarises x, sorting it in place.
func distribution(x []float64) Distribution {
	nan := math.NaN()
	d := Distribution{N: len(x), Min: nan, Q1: nan, Median: nan, Q3: nan, Max: nan, Mean: nan}
	if len(x) == 0 {
		return d
	}
	slices.Sort(x)
	var sum float64
	for _, v := range x {
		sum += v
	}
	d.Min, d.Max = x[0], x[len(x)-1]
	d.Q1, d.Median, d.Q3 = quantile7(x, 0.25), quantile7(x, 0.5), quantile7(x, 0.75)
	d.Mean = sum / float64(len(x))
	return d
}

// quantile7 is the type 7 sample quantile of sorted, non-empty x.
func quantile7(x []float64, p float64) float64 {
	h := float64(len(x)-1) * p
	lo := int(math.Floor(h))
	if lo+1 >= len(x) {
		return x[lo]
	}
	return x[lo] + (h-float64(lo))*(x[lo+1]-x[lo])
}
