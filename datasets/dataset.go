package datasets

import (
	"fmt"
	"slices"
)

// ColumnKind is how an attribute column is stored in memory.
type ColumnKind int

const (
	Categorical      ColumnKind = iota // one level per row: Codes, Levels
	MultiCategorical                   // zero or more levels per row, some row two or more: Offsets, Codes, Levels
	Numeric                            // Floats (NaN = null)
	Bool                               // Bools
)

func (k ColumnKind) String() string {
	switch k {
	case Categorical:
		return "categorical"
	case MultiCategorical:
		return "multi-categorical"
	case Numeric:
		return "numeric"
	case Bool:
		return "bool"
	}
	return fmt.Sprintf("ColumnKind(%d)", int(k))
}

// Column is one attribute column of the users or items table, in the
// table's row (= index) order.
type Column struct {
	Name string
	Role Role
	Kind ColumnKind

	// A list column in which no row has two or more levels is loaded as
	// Categorical (an empty list as null), so that every format gives the
	// same structure. Categorical and MultiCategorical: level names,
	// sorted ascending.
	Levels []string
	// Categorical: one code per row, -1 for null. MultiCategorical: the
	// codes of all rows, row i at Codes[Offsets[i]:Offsets[i+1]], sorted
	// and distinct within a row.
	Codes   []int32
	Offsets []int32
	// Numeric: one value per row; NaN marks a null.
	Floats []float64
	// Bool: one value per row (nulls are rejected on load).
	Bools []bool
}

// Len returns the number of rows.
func (c *Column) Len() int {
	switch c.Kind {
	case MultiCategorical:
		return len(c.Offsets) - 1
	case Numeric:
		return len(c.Floats)
	case Bool:
		return len(c.Bools)
	}
	return len(c.Codes)
}

// RowCodes returns the level codes of row i of a MultiCategorical column,
// or the single code of a Categorical one (empty when null).
func (c *Column) RowCodes(i int) []int32 {
	if c.Kind == MultiCategorical {
		return c.Codes[c.Offsets[i]:c.Offsets[i+1]]
	}
	if c.Codes[i] < 0 {
		return nil
	}
	return c.Codes[i : i+1]
}

// Dataset is a loaded dataset: indexed users and items, their attribute
// columns, and the interactions as a CSR by user.
type Dataset struct {
	Users, Items *IDs
	// Interactions has one row per user (Users index order) and one column
	// per item (Items index order).
	Interactions CSR
	UserColumns  []Column
	ItemColumns  []Column
	// Metadata is the union of the tables' schema metadata (for example the
	// demo generator's parameters and planted effects, or the source of an
	// import). When two tables disagree on a key, the users table wins,
	// then the items table, then the interactions table. Writers put it on
	// every table's schema.
	Metadata map[string]string
	// Report counts what options skipped, merged or ignored.
	Report Report
}

// Report says what loading did beyond reading: nothing is dropped or merged
// without a count here.
type Report struct {
	InteractionRows     int64    // rows read from the interactions table
	DuplicatesMerged    int64    // (user, item) rows merged by the duplicate policy
	UsersFromTable      bool     // users indexed from a users table (else from interactions)
	ItemsFromTable      bool     // items indexed from an items table (else from interactions)
	UsersWithoutHistory int      // users in the users table with no interaction
	ItemsWithoutHistory int      // items in the items table with no interaction
	IgnoredColumns      []string // "table.column" read by nobody
}

// UserColumn returns the users-table column with the given name.
func (d *Dataset) UserColumn(name string) (*Column, bool) { return findColumn(d.UserColumns, name) }

// ItemColumn returns the items-table column with the given name.
func (d *Dataset) ItemColumn(name string) (*Column, bool) { return findColumn(d.ItemColumns, name) }

// UserColumnsWithRole returns the users-table columns that have role r.
func (d *Dataset) UserColumnsWithRole(r Role) []*Column { return withRole(d.UserColumns, r) }

// ItemColumnsWithRole returns the items-table columns that have role r.
func (d *Dataset) ItemColumnsWithRole(r Role) []*Column { return withRole(d.ItemColumns, r) }

// Consent returns each user's consent to personalisation, from the users
// column with role consent; nil when there is none (everyone consents).
func (d *Dataset) Consent() []bool {
	if cs := withRole(d.UserColumns, RoleConsent); len(cs) > 0 {
		return cs[0].Bools
	}
	return nil
}

func findColumn(cols []Column, name string) (*Column, bool) {
	i := slices.IndexFunc(cols, func(c Column) bool { return c.Name == name })
	if i < 0 {
		return nil, false
	}
	return &cols[i], true
}

func withRole(cols []Column, r Role) []*Column {
	var out []*Column
	for i := range cols {
		if cols[i].Role == r {
			out = append(out, &cols[i])
		}
	}
	return out
}
