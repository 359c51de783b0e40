package fairness

import (
	"bytes"
	"encoding/json"
	"math"
	"slices"
	"testing"
)

func TestWithholdGroups(t *testing.T) {
	for _, c := range []struct {
		name   string
		counts []int
		cfg    AnalyzeConfig
		want   []bool
	}{
		// Hand-worked from the rule of AnalyzeConfig.Complementary.
		{"nothing small", []int{5, 6, 7}, AnalyzeConfig{MinUsers: 5, Complementary: true}, []bool{false, false, false}},
		{"plain", []int{2, 6, 7}, AnalyzeConfig{MinUsers: 5}, []bool{true, false, false}},
		// One withheld group: the smallest other (6) goes with it.
		{"complement", []int{2, 7, 6}, AnalyzeConfig{MinUsers: 5, Complementary: true}, []bool{true, false, true}},
		// Ties go to the first level.
		{"tie", []int{6, 2, 6}, AnalyzeConfig{MinUsers: 5, Complementary: true}, []bool{true, true, false}},
		// Two small groups with 2 + 2 < 5 users together: one more.
		{"two small", []int{2, 2, 9, 8}, AnalyzeConfig{MinUsers: 5, Complementary: true}, []bool{true, true, false, true}},
		// Two small groups with 3 + 4 >= 5: enough on their own.
		{"enough together", []int{3, 4, 9}, AnalyzeConfig{MinUsers: 5, Complementary: true}, []bool{true, true, false}},
		// Empty groups hide nobody and are never complements.
		{"empty", []int{0, 3, 0, 8}, AnalyzeConfig{MinUsers: 5, Complementary: true}, []bool{false, true, false, true}},
		// Nothing left to withhold with it.
		{"alone", []int{3, 0}, AnalyzeConfig{MinUsers: 5, Complementary: true}, []bool{true, false}},
	} {
		if got := withholdGroups(c.counts, c.cfg); !slices.Equal(got, c.want) {
			t.Errorf("%s: %v, want %v", c.name, got, c.want)
		}
	}
}

// TestAnalyzeComplementary checks that with Complementary no withheld
// group can be recovered from a total over all users: the users of the
// reported groups are all the grouped users but at least MinUsers.
func TestAnalyzeComplementary(t *testing.T) {
	// x: 6 users, y: 7, z: 2 (< 3) with values.
	v := []float64{1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 100, 200}
	codes := []int32{0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 1, 1, 1, 2, 2}
	a := Analyze(PerUser{{"m", v}}, []Grouping{{"g", []string{"x", "y", "z"}, codes}},
		AnalyzeConfig{MinUsers: 3, Complementary: true, BootstrapB: 20, PermutationB: 20})
	c := a.Comparisons[0]
	// z is withheld, and x (6 < 7) with it: y alone is left.
	got := []bool{c.Groups[0].Withheld, c.Groups[1].Withheld, c.Groups[2].Withheld}
	if !slices.Equal(got, []bool{true, false, true}) {
		t.Fatalf("withheld %v, want x and z", got)
	}
	hidden := 0
	for _, g := range c.Groups {
		if g.Withheld && (g.N != 0 || !g.Value.IsNaN()) {
			t.Errorf("withheld %s shows n %d value %v", g.Group, g.N, g.Value)
		}
	}
	for u := range v {
		if c.Groups[codes[u]].Withheld {
			hidden++
		}
	}
	if hidden < 3 {
		t.Errorf("withheld groups hold %d users together, fewer than 3", hidden)
	}
	// The overall mean is that of y alone: (7+…+13)/7 = 10.
	if math.Abs(float64(c.Overall.Value)-10) > 1e-12 {
		t.Errorf("overall %v, want 10 (y only)", c.Overall.Value)
	}
	if c.Highest != "" || !c.Disparities[0].Estimate.IsNaN() {
		t.Errorf("one group left, but highest %q, disparity %v", c.Highest, c.Disparities[0].Estimate)
	}
}

func TestAnalyzeWithholdHook(t *testing.T) {
	v := []float64{1, 2, 3, 4, 5, 6, 7, 8, 9, math.NaN()}
	codes := []int32{0, 0, 0, 1, 1, 1, 2, 2, 2, 2}
	var calls []int
	hook := func(g int, values []float64, w []bool) {
		calls = append(calls, g)
		if len(values) != len(v) || len(w) != 3 {
			t.Errorf("hook got %d values, %d groups", len(values), len(w))
		}
		w[1] = true // withhold y
	}
	a := Analyze(PerUser{{"m", v}, {"n", v}}, []Grouping{{"g", []string{"x", "y", "z"}, codes}},
		AnalyzeConfig{Withhold: hook, BootstrapB: 20, PermutationB: 20})
	if !slices.Equal(calls, []int{0, 0}) {
		t.Errorf("hook calls %v, want one per column of grouping 0", calls)
	}
	for _, c := range a.Comparisons {
		if !c.Groups[1].Withheld || c.Groups[0].Withheld || c.Groups[2].Withheld {
			t.Errorf("%s: withheld %v %v %v, want y only", c.Metric, c.Groups[0].Withheld, c.Groups[1].Withheld, c.Groups[2].Withheld)
		}
		// x: mean 2, z: mean 8 (3 users with a value): difference 6.
		if math.Abs(float64(c.Disparities[0].Estimate)-6) > 1e-12 {
			t.Errorf("%s: difference %v, want 6 without y", c.Metric, c.Disparities[0].Estimate)
		}
	}
	// A hook cannot unmark what MinUsers withheld.
	a = Analyze(PerUser{{"m", v}}, []Grouping{{"g", []string{"x", "y", "z"}, codes}},
		AnalyzeConfig{MinUsers: 4, BootstrapB: 20, PermutationB: 20, Withhold: func(_ int, _ []float64, w []bool) {
			for h := range w {
				w[h] = false
			}
		}})
	for _, g := range a.Comparisons[0].Groups {
		if !g.Withheld {
			t.Errorf("%s unmarked by the hook", g.Group)
		}
	}
}

// TestGroupEstimateJSON checks that the HTML characters of a group name
// are escaped or not as the calling encoder says.
func TestGroupEstimateJSON(t *testing.T) {
	g := GroupEstimate{Group: "<25 & up", N: 12}
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(g); err != nil {
		t.Fatal(err)
	}
	if !bytes.Contains(buf.Bytes(), []byte(`"group":"<25 & up","n":12,"excluded":0,`)) {
		t.Errorf("unescaped: %s", buf.Bytes())
	}
	b, err := json.Marshal(g)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Contains(b, []byte(`"group":"\u003c25 \u0026 up"`)) {
		t.Errorf("escaped: %s", b)
	}
	var back GroupEstimate
	if err := json.Unmarshal(b, &back); err != nil || back.Group != g.Group || back.N != 12 {
		t.Errorf("round trip %+v, %v", back, err)
	}
}
