package datasets

// CSR is a sparse rows × columns matrix in compressed sparse row form. For
// interactions the rows are users and the columns items.
//
// Row r holds Cols[Offsets[r]:Offsets[r+1]], sorted ascending and distinct
// (see [CSR.Validate]); Values and Times, when not nil, are parallel to Cols.
// CSR is a plain value type: metrics and recommenders use it without Arrow.
type CSR struct {
	Rows, NumCols int
	Offsets       []int64   // len Rows+1, Offsets[0] == 0, non-decreasing
	Cols          []int32   // column indices in [0, NumCols)
	Values        []float32 // nil means every entry is 1 (implicit feedback)
	Times         []int64   // nil means no timestamps; Unix seconds otherwise
}

// NNZ returns the number of stored entries.
func (m *CSR) NNZ() int { return len(m.Cols) }

// Row returns the column indices of row r. The caller must not modify it.
func (m *CSR) Row(r int) []int32 { return m.Cols[m.Offsets[r]:m.Offsets[r+1]] }

// RowValues returns the values of row r, or nil for implicit feedback.
func (m *CSR) RowValues(r int) []float32 {
	if m.Values == nil {
		return nil
	}
	return m.Values[m.Offsets[r]:m.Offsets[r+1]]
}

// RowTimes returns the timestamps of row r, or nil when there are none.
func (m *CSR) RowTimes(r int) []int64 {
	if m.Times == nil {
		return nil
	}
	return m.Times[m.Offsets[r]:m.Offsets[r+1]]
}

// Value returns the value of entry j (1 for implicit feedback).
func (m *CSR) Value(j int64) float32 {
	if m.Values == nil {
		return 1
	}
	return m.Values[j]
}

// Len returns the number of entries in row r.
func (m *CSR) Len(r int) int { return int(m.Offsets[r+1] - m.Offsets[r]) }

// Validate checks the structural invariants: offsets shape, column range,
// rows sorted and distinct, parallel slice lengths. It returns a
// description of the first violation, or "" when the matrix is well formed.
func (m *CSR) Validate() string {
	if len(m.Offsets) != m.Rows+1 || m.Offsets[0] != 0 || m.Offsets[m.Rows] != int64(len(m.Cols)) {
		return "offsets do not match rows and entries"
	}
	if m.Values != nil && len(m.Values) != len(m.Cols) {
		return "values length differs from cols"
	}
	if m.Times != nil && len(m.Times) != len(m.Cols) {
		return "times length differs from cols"
	}
	for r := 0; r < m.Rows; r++ {
		lo, hi := m.Offsets[r], m.Offsets[r+1]
		if hi < lo {
			return "offsets decrease"
		}
		for j := lo; j < hi; j++ {
			c := m.Cols[j]
			if c < 0 || int(c) >= m.NumCols {
				return "column index out of range"
			}
			if j > lo && c <= m.Cols[j-1] {
				return "row not sorted or has a repeated column"
			}
		}
	}
	return ""
}

// Transpose returns the columns × rows matrix (items × users for
// interactions), with rows sorted. Values and Times are carried along.
func (m *CSR) Transpose() CSR {
	t := CSR{Rows: m.NumCols, NumCols: m.Rows, Offsets: make([]int64, m.NumCols+1), Cols: make([]int32, len(m.Cols))}
	for _, c := range m.Cols {
		t.Offsets[c+1]++
	}
	for i := 0; i < m.NumCols; i++ {
		t.Offsets[i+1] += t.Offsets[i]
	}
	if m.Values != nil {
		t.Values = make([]float32, len(m.Values))
	}
	if m.Times != nil {
		t.Times = make([]int64, len(m.Times))
	}
	next := make([]int64, m.NumCols)
	copy(next, t.Offsets[:m.NumCols])
	for r := 0; r < m.Rows; r++ {
		for j := m.Offsets[r]; j < m.Offsets[r+1]; j++ {
			c := m.Cols[j]
			p := next[c]
			next[c]++
			t.Cols[p] = int32(r)
			if m.Values != nil {
				t.Values[p] = m.Values[j]
			}
			if m.Times != nil {
				t.Times[p] = m.Times[j]
			}
		}
	}
	return t
}
