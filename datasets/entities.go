package datasets

import (
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"

	"github.com/apache/arrow-go/v18/arrow"
)

// entityTable is a users or items table after reading.
type entityTable struct {
	ids     *IDs
	cols    []Column
	meta    map[string]string
	ignored []string
}

// colAcc accumulates one attribute column across record batches.
type colAcc struct {
	name  string
	field int
	role  Role
	kind  ColumnKind
	typ   arrow.DataType

	codes  []int32          // Categorical: first-appearance codes, -1 for null
	seen   map[string]int32 // Categorical: level -> first-appearance code
	levels []string         // Categorical: levels in first-appearance order
	lists  [][]string       // MultiCategorical
	floats []float64        // Numeric
	bools  []bool           // Bool
}

// kindFor decides how a column with role r and Arrow type t is stored.
func kindFor(file string, f arrow.Field, r Role) (ColumnKind, error) {
	t := f.Type
	bad := func(fix string) (ColumnKind, error) {
		return 0, &Error{File: file, Column: f.Name, Msg: fmt.Sprintf("type %s cannot hold a %s column", typeName(t), r), Fix: fix, Err: ErrSchema}
	}
	switch {
	case r == RoleConsent || r == RoleFlag:
		if t.ID() != arrow.BOOL {
			return bad("store it as a boolean (true/false) column")
		}
		return Bool, nil
	case t.ID() == arrow.BOOL:
		return Bool, nil
	case isStringType(t):
		return Categorical, nil
	case isListOfStrings(t):
		return MultiCategorical, nil
	case isIntType(t):
		if r == RoleItemGroup {
			return Categorical, nil // integer codes such as provider numbers
		}
		return Numeric, nil
	case isFloatType(t) || isTimeType(t):
		if r == RoleItemGroup {
			return bad("an item group must be a string, list of strings or integer column")
		}
		return Numeric, nil
	}
	return bad("use a string, list<string>, integer, float, bool or timestamp column, or give it role ignore")
}

// readEntities reads a users or items table.
func readEntities(path string, table tableKind, cfg config) (*entityTable, error) {
	r, err := OpenTable(path, WithAllocator(cfg.mem), WithBatchSize(cfg.batchSize))
	if err != nil {
		return nil, err
	}
	defer r.Close()
	schema := r.Schema()
	idRole := RoleUserID
	if table == tableItems {
		idRole = RoleItemID
	}
	et := &entityTable{meta: metadataMap(schema.Metadata())}
	idField := -1
	var accs []*colAcc
	for i, f := range schema.Fields() {
		role, err := resolveRole(path, table, f, cfg.roles)
		if err != nil {
			return nil, err
		}
		switch role {
		case idRole:
			if idField >= 0 {
				return nil, &Error{File: path, Column: f.Name, Msg: "a second " + idRole.String() + " column (the first is " + quote(schema.Field(idField).Name) + ")",
					Fix: "keep one ID column, or give the other role ignore", Err: ErrSchema}
			}
			if !isIntType(f.Type) && !isStringType(f.Type) {
				return nil, &Error{File: path, Column: f.Name, Msg: "IDs must be integers or strings, not " + typeName(f.Type), Fix: "store IDs as int64 or string", Err: ErrSchema}
			}
			idField = i
		case RoleIgnore:
			et.ignored = append(et.ignored, table.String()+"."+f.Name)
		default:
			kind, err := kindFor(path, f, role)
			if err != nil {
				return nil, err
			}
			accs = append(accs, &colAcc{name: f.Name, field: i, role: role, kind: kind, typ: f.Type})
		}
	}
	if idField < 0 {
		return nil, &Error{File: path, Msg: "no " + idRole.String() + " column", Fix: "name the ID column " + idRole.String() + ", or mark it with role " + idRole.String(), Err: ErrSchema}
	}
	idName := schema.Field(idField).Name
	var ints []int64
	var strs []string
	var rowBase int64
	var scratch []int64
	var list []string
	for r.Next() {
		rec := r.RecordBatch()
		n := int(rec.NumRows())
		idCol := rec.Column(idField)
		if idCol.NullN() > 0 {
			for i := 0; i < n; i++ {
				if idCol.IsNull(i) {
					return nil, &Error{File: path, Column: idName, Row: rowBase + int64(i) + 1, Msg: "null ID", Fix: "give every row an ID", Err: ErrValue}
				}
			}
		}
		if isIntType(idCol.DataType()) {
			vals, bad := intsOf(idCol, scratch)
			if bad >= 0 {
				return nil, &Error{File: path, Column: idName, Row: rowBase + int64(bad) + 1, Msg: "ID above the int64 range", Fix: "use IDs up to 9223372036854775807, or string IDs", Err: ErrValue}
			}
			scratch = vals
			ints = append(ints, vals...)
		} else {
			at := stringAt(idCol)
			for i := 0; i < n; i++ {
				strs = append(strs, strings.Clone(at(i)))
			}
		}
		for _, a := range accs {
			if err := a.add(path, rec.Column(a.field), rowBase, &list); err != nil {
				return nil, err
			}
		}
		rowBase += int64(n)
	}
	if err := r.Err(); err != nil {
		return nil, err
	}
	if rowBase == 0 {
		return nil, &Error{File: path, Msg: "the " + table.String() + " table has no rows", Fix: "add rows, or leave the table out", Err: ErrEmpty}
	}
	var dup int
	if isIntType(schema.Field(idField).Type) {
		et.ids, dup = NewIntIDs(ints)
	} else {
		et.ids, dup = NewStringIDs(strs)
	}
	if dup >= 0 {
		first := firstIndexOf(et.ids, dup)
		return nil, &Error{File: path, Column: idName, Row: int64(dup) + 1,
			Msg: fmt.Sprintf("duplicate ID %s (first at row %d)", et.ids.String(int32(dup)), first+1), Fix: "give every row a distinct ID", Err: ErrDuplicate}
	}
	for _, a := range accs {
		et.cols = append(et.cols, a.finish())
	}
	return et, nil
}

// firstIndexOf returns the first position holding the same ID as position i.
func firstIndexOf(x *IDs, i int) int {
	if x.kind == StringIDs {
		return slices.Index(x.strs, x.strs[i])
	}
	return slices.Index(x.ints, x.ints[i])
}

// add appends one batch's values of the column, validating them.
func (a *colAcc) add(path string, arr arrow.Array, rowBase int64, list *[]string) error {
	n := arr.Len()
	row := func(i int) int64 { return rowBase + int64(i) + 1 }
	switch a.kind {
	case Bool:
		for i := 0; i < n; i++ {
			if arr.IsNull(i) {
				return &Error{File: path, Column: a.name, Row: row(i), Msg: "null in a boolean " + a.role.String() + " column",
					Fix: "write true or false in every row", Err: ErrValue}
			}
			a.bools = append(a.bools, boolAt(arr, i))
		}
	case Categorical:
		var at func(int) string
		if isIntType(arr.DataType()) {
			vals, _ := intsOf(arr, nil)
			at = func(i int) string { return strconv.FormatInt(vals[i], 10) }
		} else {
			at = stringAt(arr)
		}
		if a.seen == nil {
			a.seen = make(map[string]int32)
		}
		for i := 0; i < n; i++ {
			if arr.IsNull(i) {
				a.codes = append(a.codes, -1)
				continue
			}
			s := at(i)
			code, ok := a.seen[s]
			if !ok {
				code = int32(len(a.levels))
				s = strings.Clone(s) // keep no reference to Arrow memory
				a.seen[s] = code
				a.levels = append(a.levels, s)
			}
			a.codes = append(a.codes, code)
		}
	case MultiCategorical:
		at := listAt(arr)
		for i := 0; i < n; i++ {
			if arr.IsNull(i) {
				a.lists = append(a.lists, nil)
				continue
			}
			*list = at(i, *list)
			vals := make([]string, len(*list))
			for j, s := range *list {
				vals[j] = strings.Clone(s)
			}
			a.lists = append(a.lists, vals)
		}
	case Numeric:
		var at func(int) float64
		if isTimeType(arr.DataType()) || isStringType(arr.DataType()) {
			t := timeAt(arr)
			at = func(i int) float64 { s, _ := t(i); return float64(s) }
		} else {
			at = floatAt(arr)
		}
		for i := 0; i < n; i++ {
			if arr.IsNull(i) {
				a.floats = append(a.floats, math.NaN())
				continue
			}
			v := at(i)
			if math.IsNaN(v) || math.IsInf(v, 0) {
				return &Error{File: path, Column: a.name, Row: row(i), Msg: fmt.Sprintf("value %v is not a finite number", v),
					Fix: "replace it with a finite number, or leave the cell empty (null) if the value is unknown", Err: ErrValue}
			}
			a.floats = append(a.floats, v)
		}
	}
	return nil
}

// finish turns the accumulated values into a Column with sorted levels.
func (a *colAcc) finish() Column {
	c := Column{Name: a.name, Role: a.role, Kind: a.kind}
	switch a.kind {
	case Bool:
		c.Bools = a.bools
	case Numeric:
		c.Floats = a.floats
	case Categorical:
		c.Levels = sortedUnique(a.levels)
		code := levelCodes(c.Levels)
		remap := make([]int32, len(a.levels))
		for old, l := range a.levels {
			remap[old] = code[l]
		}
		c.Codes = a.codes
		for i, k := range c.Codes {
			if k >= 0 {
				c.Codes[i] = remap[k]
			}
		}
		if c.Codes == nil {
			c.Codes = []int32{}
		}
	case MultiCategorical:
		var levels []string
		for _, l := range a.lists {
			levels = append(levels, l...)
		}
		c.Levels = sortedUnique(levels)
		code := levelCodes(c.Levels)
		c.Offsets = make([]int32, len(a.lists)+1)
		for i, l := range a.lists {
			start := len(c.Codes)
			for _, s := range l {
				c.Codes = append(c.Codes, code[s])
			}
			row := c.Codes[start:]
			slices.Sort(row)
			c.Codes = c.Codes[:start+len(slices.Compact(row))]
			c.Offsets[i+1] = int32(len(c.Codes))
		}
		c.canonical()
	}
	return c
}

// canonical stores a MultiCategorical column in which no row has more than
// one level as Categorical (an empty row becoming null), so that the same
// data gives the same structure whether a file holds it as a list column
// or, as CSV must when no cell has two values, as a plain string column.
func (c *Column) canonical() {
	if c.Kind != MultiCategorical {
		return
	}
	n := c.Len()
	for i := 0; i < n; i++ {
		if c.Offsets[i+1]-c.Offsets[i] > 1 {
			return
		}
	}
	codes := make([]int32, n)
	for i := range codes {
		codes[i] = -1
		if c.Offsets[i+1] > c.Offsets[i] {
			codes[i] = c.Codes[c.Offsets[i]]
		}
	}
	c.Kind, c.Codes, c.Offsets = Categorical, codes, nil
}

func boolAt(arr arrow.Array, i int) bool {
	type boolArray interface{ Value(int) bool }
	return arr.(boolArray).Value(i)
}

func sortedUnique(s []string) []string {
	s = slices.Clone(s)
	slices.Sort(s)
	return slices.Clip(slices.Compact(s))
}

func levelCodes(levels []string) map[string]int32 {
	m := make(map[string]int32, len(levels))
	for i, l := range levels {
		m[l] = int32(i)
	}
	return m
}

func metadataMap(md arrow.Metadata) map[string]string {
	if md.Len() == 0 {
		return nil
	}
	m := make(map[string]string, md.Len())
	for i, k := range md.Keys() {
		m[k] = md.Values()[i]
	}
	return m
}
