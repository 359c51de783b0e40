package datasets

import (
	"cmp"
	"fmt"
	"math"
	"runtime"
	"slices"
	"strings"
	"sync"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
)

// interactionSchema locates the columns of an interactions table.
type interactionSchema struct {
	path                    string
	user, item, value, time int // field indices; -1 when absent
	userName, itemName      string
	valueName, timeName     string
	userIsInt, itemIsInt    bool
	ignored                 []string
}

func resolveInteractions(path string, schema *arrow.Schema, cfg config) (*interactionSchema, error) {
	s := &interactionSchema{path: path, user: -1, item: -1, value: -1, time: -1}
	for i, f := range schema.Fields() {
		role, err := resolveRole(path, tableInteractions, f, cfg.roles)
		if err != nil {
			return nil, err
		}
		slot := map[Role]*int{RoleUserID: &s.user, RoleItemID: &s.item, RoleValue: &s.value, RoleTimestamp: &s.time}[role]
		if slot == nil {
			s.ignored = append(s.ignored, "interactions."+f.Name)
			continue
		}
		if *slot >= 0 {
			return nil, &Error{File: path, Column: f.Name, Msg: "a second " + role.String() + " column (the first is " + quote(schema.Field(*slot).Name) + ")",
				Fix: "keep one, or give the other role ignore", Err: ErrSchema}
		}
		*slot = i
		switch role {
		case RoleUserID, RoleItemID:
			if !isIntType(f.Type) && !isStringType(f.Type) {
				return nil, &Error{File: path, Column: f.Name, Msg: "IDs must be integers or strings, not " + typeName(f.Type), Fix: "store IDs as int64 or string", Err: ErrSchema}
			}
		case RoleValue:
			if !isIntType(f.Type) && !isFloatType(f.Type) {
				return nil, &Error{File: path, Column: f.Name, Msg: "interaction values must be numbers, not " + typeName(f.Type), Fix: "store ratings, counts or weights as numbers", Err: ErrSchema}
			}
		case RoleTimestamp:
			if !isIntType(f.Type) && !isTimeType(f.Type) && !isStringType(f.Type) {
				return nil, &Error{File: path, Column: f.Name, Msg: "timestamps must be timestamps, dates, integers (Unix seconds) or RFC 3339 strings, not " + typeName(f.Type),
					Fix: "convert the column to one of those", Err: ErrSchema}
			}
		}
	}
	for _, c := range []struct {
		idx  int
		role Role
	}{{s.user, RoleUserID}, {s.item, RoleItemID}} {
		if c.idx < 0 {
			return nil, &Error{File: path, Msg: "no " + c.role.String() + " column", Fix: "name the column " + c.role.String() + ", or mark it with role " + c.role.String(), Err: ErrSchema}
		}
	}
	s.userName, s.itemName = schema.Field(s.user).Name, schema.Field(s.item).Name
	s.userIsInt, s.itemIsInt = isIntType(schema.Field(s.user).Type), isIntType(schema.Field(s.item).Type)
	if s.value >= 0 {
		s.valueName = schema.Field(s.value).Name
	}
	if s.time >= 0 {
		s.timeName = schema.Field(s.time).Name
	}
	return s, nil
}

// checkKind verifies that an interactions ID column has the same type as
// the IDs of its table.
func checkKind(path, column string, isInt bool, ids *IDs, table string) error {
	if ids == nil || isInt == (ids.Kind() == IntIDs) {
		return nil
	}
	kind := "string"
	if isInt {
		kind = "integer"
	}
	return &Error{File: path, Column: column, Msg: fmt.Sprintf("IDs are %s here but %s in the %s table", kind, ids.Kind(), table),
		Fix: "store the IDs with the same type in both tables", Err: ErrSchema}
}

// idMapper maps the ID column of a batch to dense indices.
type idMapper struct {
	ids      *IDs
	path     string
	column   string
	table    string
	scratch  []int64
	dictMemo []int32
}

// mapTo writes the index of each row's ID to dst (resized) and returns it.
func (m *idMapper) mapTo(dst []int32, arr arrow.Array, rowBase int64) ([]int32, error) {
	n := arr.Len()
	dst = grow(dst, n)
	if arr.NullN() > 0 {
		for i := 0; i < n; i++ {
			if arr.IsNull(i) {
				return nil, &Error{File: m.path, Column: m.column, Row: rowBase + int64(i) + 1, Msg: "null ID", Fix: "give every interaction a user and an item", Err: ErrValue}
			}
		}
	}
	bad := -1
	if m.ids.Kind() == IntIDs {
		vals, over := intsOf(arr, m.scratch)
		if over >= 0 {
			return nil, &Error{File: m.path, Column: m.column, Row: rowBase + int64(over) + 1, Msg: "ID above the int64 range", Fix: "use IDs up to 9223372036854775807, or string IDs", Err: ErrValue}
		}
		if arr.DataType().ID() != arrow.INT64 {
			m.scratch = vals // keep the converted buffer for the next batch
		}
		bad = mapIntsParallel(dst, vals, m.ids)
	} else if d, ok := arr.(*array.Dictionary); ok {
		dict := d.Dictionary()
		str := stringAt(dict)
		m.dictMemo = grow(m.dictMemo, dict.Len())
		for j := range m.dictMemo {
			m.dictMemo[j] = -1
			if dict.IsValid(j) {
				if k, ok := m.ids.LookupStr(str(j)); ok {
					m.dictMemo[j] = k
				}
			}
		}
		for i := 0; i < n; i++ {
			k := m.dictMemo[d.GetValueIndex(i)]
			if k < 0 {
				bad = i
				break
			}
			dst[i] = k
		}
	} else {
		str := stringAt(arr)
		for i := 0; i < n; i++ {
			k, ok := m.ids.LookupStr(str(i))
			if !ok {
				bad = i
				break
			}
			dst[i] = k
		}
	}
	if bad >= 0 {
		id := fmt.Sprint(idText(arr, bad))
		return nil, &Error{File: m.path, Column: m.column, Row: rowBase + int64(bad) + 1,
			Msg: fmt.Sprintf("%s ID %s is not in the %s table", strings.TrimSuffix(m.table, "s"), id, m.table),
			Fix: fmt.Sprintf("add it to the %s table, or remove its interactions", m.table), Err: ErrUnknownID}
	}
	return dst, nil
}

// mapInts is the hot loop: integer IDs through the dense table or map. It
// returns the first row whose ID is unknown, or -1.
func mapInts(dst []int32, vals []int64, ids *IDs) int {
	if t := ids.table; t != nil {
		base, n := ids.base, uint64(len(t))
		for i, v := range vals {
			d := uint64(v - base)
			if d >= n || v < base {
				return i
			}
			j := t[d]
			if j == 0 {
				return i
			}
			dst[i] = j - 1
		}
		return -1
	}
	for i, v := range vals {
		j, ok := ids.imap[v]
		if !ok {
			return i
		}
		dst[i] = j
	}
	return -1
}

// mapIntsParallel is mapInts split over GOMAXPROCS goroutines for large
// batches. It returns the first unknown row, or -1.
func mapIntsParallel(dst []int32, vals []int64, ids *IDs) int {
	workers := runtime.GOMAXPROCS(0)
	if workers == 1 || len(vals) < 1<<15 {
		return mapInts(dst, vals, ids)
	}
	bad := make([]int, workers)
	per := (len(vals) + workers - 1) / workers
	var wg sync.WaitGroup
	for w := range workers {
		lo, hi := min(w*per, len(vals)), min((w+1)*per, len(vals))
		wg.Add(1)
		go func() {
			defer wg.Done()
			bad[w] = mapInts(dst[lo:hi], vals[lo:hi], ids)
			if bad[w] >= 0 {
				bad[w] += lo
			}
		}()
	}
	wg.Wait()
	for _, b := range bad {
		if b >= 0 {
			return b
		}
	}
	return -1
}

func idText(arr arrow.Array, i int) string {
	if isIntType(arr.DataType()) {
		vals, _ := intsOf(arr, nil)
		if vals != nil {
			return fmt.Sprint(vals[i])
		}
		return fmt.Sprint(arr.(*array.Uint64).Value(i))
	}
	return quote(stringAt(arr)(i))
}

// valuesTo converts a value column to float32, rejecting nulls, NaN and
// infinities.
func valuesTo(dst []float32, arr arrow.Array, rowBase int64, s *interactionSchema) ([]float32, error) {
	n := arr.Len()
	dst = grow(dst, n)
	if a, ok := arr.(*array.Float32); ok && a.NullN() == 0 {
		copy(dst, a.Float32Values())
	} else {
		at := floatAt(arr)
		for i := 0; i < n; i++ {
			if arr.IsNull(i) {
				return nil, &Error{File: s.path, Column: s.valueName, Row: rowBase + int64(i) + 1, Msg: "null value", Fix: "fill in the value, or drop the column for implicit feedback", Err: ErrValue}
			}
			dst[i] = float32(at(i))
		}
	}
	for i, v := range dst {
		if f := float64(v); math.IsNaN(f) || math.IsInf(f, 0) {
			return nil, &Error{File: s.path, Column: s.valueName, Row: rowBase + int64(i) + 1, Msg: fmt.Sprintf("value %v is not a finite number", v),
				Fix: "replace it with a finite number (or one within float32 range)", Err: ErrValue}
		}
	}
	return dst, nil
}

// timesTo converts a timestamp column to Unix seconds.
func timesTo(dst []int64, arr arrow.Array, rowBase int64, s *interactionSchema) ([]int64, error) {
	n := arr.Len()
	dst = grow(dst, n)
	if a, ok := arr.(*array.Timestamp); ok && a.NullN() == 0 {
		// Fast path: a typed loop instead of an accessor per value.
		div := unitsPerSecond(a.DataType().(*arrow.TimestampType).Unit)
		vals := a.TimestampValues()
		if div == 1 {
			for i, v := range vals {
				dst[i] = int64(v)
			}
			return dst, nil
		}
		for i, v := range vals {
			dst[i] = floorDiv(int64(v), div)
		}
		return dst, nil
	}
	at := timeAt(arr)
	for i := 0; i < n; i++ {
		if arr.IsNull(i) {
			return nil, &Error{File: s.path, Column: s.timeName, Row: rowBase + int64(i) + 1, Msg: "null timestamp", Fix: "fill in the time, or drop the column", Err: ErrValue}
		}
		v, ok := at(i)
		if !ok {
			return nil, &Error{File: s.path, Column: s.timeName, Row: rowBase + int64(i) + 1, Msg: "unreadable timestamp " + quote(stringAt(arr)(i)),
				Fix: "write times as RFC 3339 (2024-05-01T12:00:00Z), \"2024-05-01 12:00:00\", a date, or Unix seconds", Err: ErrValue}
		}
		dst[i] = v
	}
	return dst, nil
}

// chunk is a run of interactions mapped to dense indices.
type chunk struct {
	rowBase int64
	users   []int32
	items   []int32 // nil in the counting pass
	values  []float32
	times   []int64
}

// source yields the interactions in file order, in chunks. It can be
// iterated more than once; withItems=false may skip everything but users.
type source func(withItems bool, yield func(c chunk) error) error

// buildCSR builds the user × item CSR from a source: a counting pass, a
// scatter pass, then per-row sorting and duplicate handling.
//
// whole, when not nil, holds every row already in memory (the source
// iterates over it): when the rows turn out to be in user order, its
// slices become the CSR's directly, with no scatter and no copy.
func buildCSR(src source, whole *chunk, nUsers, nItems int, hasValues, hasTimes bool, s *interactionSchema, cfg config, users, items *IDs) (CSR, int64, error) {
	m := CSR{Rows: nUsers, NumCols: nItems, Offsets: make([]int64, nUsers+1)}
	counts := m.Offsets[1:]
	inOrder, last := true, int32(-1)
	err := src(false, func(c chunk) error {
		// Runs of one user (files sorted by user) are counted at once.
		us := c.users
		for i := 0; i < len(us); {
			u, j := us[i], i+1
			for j < len(us) && us[j] == u {
				j++
			}
			counts[u] += int64(j - i)
			if u < last {
				inOrder = false
			}
			last = u
			i = j
		}
		return nil
	})
	if err != nil {
		return CSR{}, 0, err
	}
	for u := 1; u <= nUsers; u++ {
		m.Offsets[u] += m.Offsets[u-1]
	}
	nnz := m.Offsets[nUsers]
	if nnz == 0 {
		return CSR{}, 0, &Error{File: s.path, Msg: "the interactions table has no rows", Fix: "add interactions", Err: ErrEmpty}
	}
	if whole != nil && inOrder && rowsIncreasing(m.Offsets, whole.items) {
		// Already a CSR: rows in user order, items ascending and distinct
		// within each row (so there is nothing to sort or merge, and the
		// source keeps its file order for error messages).
		m.Cols, m.Values, m.Times = whole.items, whole.values, whole.times
		return m, 0, nil
	}
	m.Cols = make([]int32, nnz)
	if hasValues {
		m.Values = make([]float32, nnz)
	}
	if hasTimes {
		m.Times = make([]int64, nnz)
	}
	next := make([]int64, nUsers)
	copy(next, m.Offsets[:nUsers])
	err = src(true, func(c chunk) error {
		// Runs of one user are copied at once: files sorted by user (the
		// usual export order) scatter in long sequential copies.
		us := c.users
		for i := 0; i < len(us); {
			u, j := us[i], i+1
			for j < len(us) && us[j] == u {
				j++
			}
			p := next[u]
			next[u] = p + int64(j-i)
			copy(m.Cols[p:], c.items[i:j])
			if hasValues {
				copy(m.Values[p:], c.values[i:j])
			}
			if hasTimes {
				copy(m.Times[p:], c.times[i:j])
			}
			i = j
		}
		return nil
	})
	if err != nil {
		return CSR{}, 0, err
	}
	next = nil
	return finishCSR(&m, src, s, cfg, users, items)
}

// rowsIncreasing reports whether every row of cols (split by offsets) is
// strictly increasing.
func rowsIncreasing(offsets []int64, cols []int32) bool {
	for u := 0; u+1 < len(offsets); u++ {
		if !strictlyIncreasing(cols[offsets[u]:offsets[u+1]]) {
			return false
		}
	}
	return true
}

// finishCSR sorts the rows of m and applies the duplicate policy.
func finishCSR(mp *CSR, src source, s *interactionSchema, cfg config, users, items *IDs) (CSR, int64, error) {
	m := *mp
	dups := sortRows(&m)
	if dups == 0 {
		return m, 0, nil
	}
	if cfg.duplicates == DuplicatesError {
		return CSR{}, 0, duplicateError(src, &m, s, users, items)
	}
	merged := mergeDuplicates(&m, cfg.duplicates)
	return m, merged, nil
}

// sortRows sorts every row by item, in parallel over users, keeping the
// file order among equal items (so merges are deterministic). It returns
// the number of entries equal to their predecessor (duplicates).
func sortRows(m *CSR) int64 {
	workers := runtime.GOMAXPROCS(0)
	var wg sync.WaitGroup
	dups := make([]int64, workers)
	per := (m.Rows + workers - 1) / workers
	bits := bitsFor(m.NumCols)
	for w := 0; w < workers; w++ {
		lo, hi := w*per, min((w+1)*per, m.Rows)
		if lo >= hi {
			continue
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			var perm []int32
			var tmpC []int32
			var tmpV []float32
			var tmpT []int64
			for u := lo; u < hi; u++ {
				a, b := m.Offsets[u], m.Offsets[u+1]
				row := m.Cols[a:b]
				if strictlyIncreasing(row) {
					continue
				}
				if m.Values == nil && m.Times == nil {
					tmpC = sortInt32(row, tmpC, bits)
				} else {
					perm = grow(perm, len(row))
					for j := range perm {
						perm[j] = int32(j)
					}
					slices.SortStableFunc(perm, func(x, y int32) int { return cmp.Compare(row[x], row[y]) })
					tmpC = permute(tmpC, row, perm)
					if m.Values != nil {
						tmpV = permute(tmpV, m.Values[a:b], perm)
					}
					if m.Times != nil {
						tmpT = permute(tmpT, m.Times[a:b], perm)
					}
				}
				for j := 1; j < len(row); j++ {
					if row[j] == row[j-1] {
						dups[w]++
					}
				}
			}
		}()
	}
	wg.Wait()
	var total int64
	for _, d := range dups {
		total += d
	}
	return total
}

func strictlyIncreasing(row []int32) bool {
	for j := 1; j < len(row); j++ {
		if row[j] <= row[j-1] {
			return false
		}
	}
	return true
}

// permute reorders s in place so that s[j] = old s[perm[j]], using tmp as
// scratch; it returns the (possibly grown) scratch.
func permute[T any](tmp, s []T, perm []int32) []T {
	tmp = grow(tmp, len(s))
	for j, p := range perm {
		tmp[j] = s[p]
	}
	copy(s, tmp)
	return tmp
}

// mergeDuplicates merges runs of equal items within each row (rows are
// sorted) and compacts the CSR. It returns the number of entries merged away.
func mergeDuplicates(m *CSR, policy DuplicatePolicy) int64 {
	var w int64 // write position
	var merged int64
	for u := 0; u < m.Rows; u++ {
		a, b := m.Offsets[u], m.Offsets[u+1]
		m.Offsets[u] = w
		for j := a; j < b; j++ {
			if j > a && m.Cols[j] == m.Cols[w-1] {
				merged++
				if m.Values != nil {
					if policy == DuplicatesSum {
						m.Values[w-1] += m.Values[j]
					} else {
						m.Values[w-1] = max(m.Values[w-1], m.Values[j])
					}
				}
				if m.Times != nil {
					m.Times[w-1] = max(m.Times[w-1], m.Times[j])
				}
				continue
			}
			m.Cols[w] = m.Cols[j]
			if m.Values != nil {
				m.Values[w] = m.Values[j]
			}
			if m.Times != nil {
				m.Times[w] = m.Times[j]
			}
			w++
		}
	}
	m.Offsets[m.Rows] = w
	m.Cols = slices.Clip(m.Cols[:w])
	if m.Values != nil {
		m.Values = slices.Clip(m.Values[:w])
	}
	if m.Times != nil {
		m.Times = slices.Clip(m.Times[:w])
	}
	return merged
}

// duplicateError finds the first row, in file order, that repeats an
// earlier (user, item) pair, and describes it.
func duplicateError(src source, m *CSR, s *interactionSchema, users, items *IDs) error {
	type pair struct{ u, i int32 }
	dup := make(map[pair]int64) // duplicated pairs -> first row seen (0 = not yet)
	for u := 0; u < m.Rows; u++ {
		row := m.Row(u)
		for j := 1; j < len(row); j++ {
			if row[j] == row[j-1] {
				dup[pair{int32(u), row[j]}] = 0
			}
		}
	}
	var found error
	errStop := fmt.Errorf("stop")
	_ = src(true, func(c chunk) error {
		for j, u := range c.users {
			p := pair{u, c.items[j]}
			first, ok := dup[p]
			if !ok {
				continue
			}
			row := c.rowBase + int64(j) + 1
			if first == 0 {
				dup[p] = row
				continue
			}
			found = &Error{File: s.path, Column: s.userName + ", " + s.itemName, Row: row,
				Msg: fmt.Sprintf("user %s and item %s already interacted at row %d", users.String(u), items.String(c.items[j]), first),
				Fix: "remove the repeated row, or merge repeats with the duplicates option (sum or max)", Err: ErrDuplicate}
			return errStop
		}
		return nil
	})
	if found == nil {
		found = &Error{File: s.path, Msg: "duplicate (user, item) interactions", Fix: "remove repeated rows", Err: ErrDuplicate}
	}
	return found
}
