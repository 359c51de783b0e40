package datasets

import (
	"math"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
)

// summaryFixture is a hand-built dataset of 4 users and 5 items:
//
//	u0: i0 i1 i2   u1: i0   u2: i0 i1   u3: (none)
//
// so activity is [3 1 2 0] and popularity [3 2 1 0 0].
func summaryFixture() *Dataset {
	users, _ := NewIntIDs([]int64{10, 11, 12, 13})
	items, _ := NewStringIDs([]string{"a", "b", "c", "d", "e"})
	return &Dataset{
		Users: users,
		Items: items,
		Interactions: CSR{
			Rows: 4, NumCols: 5,
			Offsets: []int64{0, 3, 4, 6, 6},
			Cols:    []int32{0, 1, 2, 0, 0, 1},
			Times:   []int64{1, 2, 3, 4, 5, 6},
		},
		UserColumns: []Column{
			{Name: "gender", Role: RoleSensitive, Kind: Categorical, Levels: []string{"f", "m"}, Codes: []int32{0, 1, -1, 0}},
			{Name: "age", Role: RoleAttribute, Kind: Numeric, Floats: []float64{30, math.NaN(), 41, 25}},
			{Name: "consent_personalization", Role: RoleConsent, Kind: Bool, Bools: []bool{true, true, false, true}},
		},
		ItemColumns: []Column{
			{Name: "category", Role: RoleItemGroup, Kind: MultiCategorical, Levels: []string{"x", "y"},
				Offsets: []int32{0, 1, 3, 3, 4, 5}, Codes: []int32{0, 0, 1, 1, 0}},
			{Name: "high_cost_credit", Role: RoleFlag, Kind: Bool, Bools: []bool{true, false, false, true, false}},
		},
	}
}

func TestSummarize(t *testing.T) {
	const tol = 1e-12
	d := summaryFixture()
	got := Summarize(d)
	want := Summary{
		Users: 4, Items: 5, Interactions: 6,
		Density:       0.3, // hand-computed: 6 / (4 × 5)
		HasTimestamps: true,
		UserColumns: []ColumnSummary{
			{Name: "gender", Role: RoleSensitive, Kind: Categorical, Levels: 2, Missing: 1},
			{Name: "age", Role: RoleAttribute, Kind: Numeric, Missing: 1},
			{Name: "consent_personalization", Role: RoleConsent, Kind: Bool, Levels: 2},
		},
		ItemColumns: []ColumnSummary{
			{Name: "category", Role: RoleItemGroup, Kind: MultiCategorical, Levels: 2, Missing: 1},
			{Name: "high_cost_credit", Role: RoleFlag, Kind: Bool, Levels: 2},
		},
		Groups: []GroupSizes{
			// hand-counted from the codes: f = u0, u3; m = u1; u2 null.
			{Table: "users", Column: "gender", Role: RoleSensitive, Levels: []string{"f", "m"}, Sizes: []int{2, 1}, Missing: 1},
			// x = i0, i1, i4; y = i1, i3; i2 has no category.
			{Table: "items", Column: "category", Role: RoleItemGroup, Levels: []string{"x", "y"}, Sizes: []int{3, 2}, Missing: 1},
			{Table: "items", Column: "high_cost_credit", Role: RoleFlag, Levels: []string{"false", "true"}, Sizes: []int{3, 2}},
		},
		// hand-computed, type 7 on sorted [0 1 2 3]: h = 3p, so
		// Q1 = 0.75, median = 1.5, Q3 = 2.25; mean = 6/4.
		Activity: Distribution{N: 4, Min: 0, Q1: 0.75, Median: 1.5, Q3: 2.25, Max: 3, Mean: 1.5},
		// hand-computed, type 7 on sorted [0 0 1 2 3]: h = 4p, so
		// Q1 = x[1] = 0, median = x[2] = 1, Q3 = x[3] = 2; mean = 6/5.
		Popularity: Distribution{N: 5, Min: 0, Q1: 0, Median: 1, Q3: 2, Max: 3, Mean: 1.2},
		// hand-computed: ⌈0.1 × 5⌉ = 1 top item (i0, 3 interactions) of 6.
		TopItemsShare: 0.5,
	}
	if diff := cmp.Diff(want, got, cmpopts.EquateApprox(0, tol), cmpopts.EquateNaNs()); diff != "" {
		t.Errorf("Summarize mismatch (-want +got):\n%s", diff)
	}

	// The input is not modified.
	if diff := cmp.Diff(summaryFixture(), d, cmp.AllowUnexported(IDs{}), cmpopts.EquateNaNs()); diff != "" {
		t.Errorf("Summarize modified its input (-before +after):\n%s", diff)
	}
}

func TestSummarizeEmpty(t *testing.T) {
	users, _ := NewIntIDs(nil)
	items, _ := NewIntIDs(nil)
	got := Summarize(&Dataset{Users: users, Items: items, Interactions: CSR{Offsets: []int64{0}}})
	nan := math.NaN()
	want := Summary{
		Density:       nan,
		Activity:      Distribution{Min: nan, Q1: nan, Median: nan, Q3: nan, Max: nan, Mean: nan},
		Popularity:    Distribution{Min: nan, Q1: nan, Median: nan, Q3: nan, Max: nan, Mean: nan},
		TopItemsShare: nan,
	}
	if diff := cmp.Diff(want, got, cmpopts.EquateNaNs()); diff != "" {
		t.Errorf("Summarize(empty) mismatch (-want +got):\n%s", diff)
	}
}

func TestQuantile7(t *testing.T) {
	const tol = 1e-12
	for _, tc := range []struct {
		name string
		x    []float64
		p    float64
		want float64
	}{
		// R: quantile(c(1, 2, 3, 4, 10), 0.3) = 2.2 (type 7: h = 1.2).
		{"interpolated", []float64{1, 2, 3, 4, 10}, 0.3, 2.2},
		{"min", []float64{1, 2, 3, 4, 10}, 0, 1},
		{"max", []float64{1, 2, 3, 4, 10}, 1, 10},
		{"single", []float64{7}, 0.5, 7},
		// hand-computed: h = 0.5, 2 + 0.5 × (4 − 2).
		{"pair", []float64{2, 4}, 0.5, 3},
	} {
		if got := quantile7(tc.x, tc.p); math.Abs(got-tc.want) > tol {
			t.Errorf("%s: quantile7(%v, %v) = %v, want %v", tc.name, tc.x, tc.p, got, tc.want)
		}
	}
}

func TestSummarizePanicsOnNil(t *testing.T) {
	defer func() {
		if r := recover(); r != nilDataset {
			t.Errorf("Summarize(nil) panicked with %v, want %q", r, nilDataset)
		}
	}()
	Summarize(nil)
}
