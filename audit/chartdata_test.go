package audit

import (
	"math"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/recaudit/recaudit/fairness"
	"github.com/recaudit/recaudit/metrics"
)

func floats(v ...float64) []fairness.Float {
	out := make([]fairness.Float, len(v))
	for i, x := range v {
		out[i] = fairness.Float(x)
	}
	return out
}

// equateFloat compares fairness.Float values within tol, NaN equal to
// NaN (cmpopts.EquateApprox does not apply to named float types).
func equateFloat(tol float64) cmp.Option {
	return cmp.Comparer(func(a, b fairness.Float) bool {
		return (a.IsNaN() && b.IsNaN()) || math.Abs(float64(a-b)) <= tol
	})
}

func TestLorenzPoints(t *testing.T) {
	const tol = 1e-12
	for _, c := range []struct {
		name          string
		x             []float64
		items, shares []fairness.Float
	}{{
		// METRICS-SPEC.md §2 item counts A..H = 3, 3, 2, 3, 2, 0, 1, 1;
		// sorted 0 1 1 2 2 3 3 3, total 15, cumulative 0 0 1 2 4 6 9 12
		// 15 (hand-computed); n = 8 < 100, so every item is a point.
		name:   "spec counts",
		x:      []float64{3, 3, 2, 3, 2, 0, 1, 1},
		items:  floats(0, 1.0/8, 2.0/8, 3.0/8, 4.0/8, 5.0/8, 6.0/8, 7.0/8, 1),
		shares: floats(0, 0, 1.0/15, 2.0/15, 4.0/15, 6.0/15, 9.0/15, 12.0/15, 1),
	}, {
		// Two items: one gets everything.
		name: "two", x: []float64{0, 5}, items: floats(0, 0.5, 1), shares: floats(0, 0, 1),
	}} {
		items, shares := lorenzPoints(c.x)
		if d := cmp.Diff(c.items, items, equateFloat(tol)); d != "" {
			t.Errorf("%s: item shares (-want +got):\n%s", c.name, d)
		}
		if d := cmp.Diff(c.shares, shares, equateFloat(tol)); d != "" {
			t.Errorf("%s: exposure shares (-want +got):\n%s", c.name, d)
		}
	}

	// 250 items: 101 points at j_i = ⌊2.5 i⌋ items (hand-computed: point
	// 1 at 2 items, point 3 at 7, point 100 at 250). Item j (0-based) has
	// exposure 1 for j < 125 and 3 after: total 125 + 375 = 500.
	x := make([]float64, 250)
	for j := range x {
		x[j] = 1
		if j >= 125 {
			x[j] = 3
		}
	}
	items, shares := lorenzPoints(x)
	if len(items) != LorenzPoints || len(shares) != LorenzPoints {
		t.Fatalf("%d and %d points, want %d", len(items), len(shares), LorenzPoints)
	}
	for _, p := range []struct {
		i            int
		item, shares float64
	}{
		{0, 0, 0},
		{1, 2.0 / 250, 2.0 / 500},
		{3, 7.0 / 250, 7.0 / 500},
		{50, 125.0 / 250, 125.0 / 500},
		{51, 127.0 / 250, (125.0 + 2*3) / 500}, // ⌊127.5⌋ = 127
		{100, 1, 1},
	} {
		if math.Abs(float64(items[p.i])-p.item) > 1e-12 || math.Abs(float64(shares[p.i])-p.shares) > 1e-12 {
			t.Errorf("point %d = (%v, %v), want (%v, %v)", p.i, items[p.i], shares[p.i], p.item, p.shares)
		}
	}
	if x[0] != 1 || x[249] != 3 {
		t.Error("input modified")
	}
}

func TestLorenzCurves(t *testing.T) {
	const tol = 1e-12
	// Three lists over 4 items at k = 2 and k = 0 (whole lists), log
	// model: weights 1, 1/log2(3), 1/2.
	//   u0: 0 2 3   u1: 2 1   u2: (none)
	// k = 2: exposure item 0: 1; 1: w2; 2: w2 + 1; 3: 0.
	lists := metrics.Rankings{Offsets: []int64{0, 3, 5, 5}, Items: []int32{0, 2, 3, 2, 1}}
	w2 := 1 / math.Log2(3)
	got := lorenzCurves(lists, 4, []int{2, 0}, Config{})
	if len(got) != 2 {
		t.Fatalf("%d curves", len(got))
	}
	// Sorted k = 2 exposures 0, w2, 1, 1+w2; total 2+2w2.
	tot := 2 + 2*w2
	want := LorenzCurve{Cutoff: 2, Model: "log", Items: 4,
		Gini:          fairness.Float(metrics.Gini([]float64{1, w2, 1 + w2, 0}, metrics.GiniStandard)),
		ItemShare:     floats(0, 0.25, 0.5, 0.75, 1),
		ExposureShare: floats(0, 0, w2/tot, (1+w2)/tot, 1),
	}
	if d := cmp.Diff(want, got[0], equateFloat(tol)); d != "" {
		t.Errorf("k = 2 (-want +got):\n%s", d)
	}
	// Whole lists: item 3 also gets 1/2 from u0.
	if g := float64(got[1].Gini); math.Abs(g-metrics.Gini([]float64{1, w2, 1 + w2, 0.5}, metrics.GiniStandard)) > tol || got[1].Cutoff != 0 {
		t.Errorf("k = 0: %+v", got[1])
	}
	// No list: no exposure, Gini NaN, no points.
	none := lorenzCurves(metrics.Rankings{Offsets: []int64{0, 0}}, 4, []int{2}, Config{})
	if !none[0].Gini.IsNaN() || len(none[0].ItemShare) != 0 || none[0].ExposureShare == nil {
		t.Errorf("empty lists: %+v", none[0])
	}
}

func TestRankExposure(t *testing.T) {
	const tol = 1e-12
	nan := math.NaN()
	// Four items. Grouping "kind": items 0, 1 in A, item 2 in B, item 3
	// without a value. Grouping "tag" (multi-valued): item 0 X, item 1
	// X and Y (1/2 each), items 2 and 3 Y. Grouping "big" has 3 groups,
	// more than MaxExposureGroups = 2, and is left out.
	kind := &ItemGroups{Attribute: "kind", Levels: []string{"A", "B"},
		Align: fairness.Alignment{Groups: 2, Weights: []float64{1, 0, 1, 0, 0, 1, 0, 0}}}
	tag := &ItemGroups{Attribute: "tag", Levels: []string{"X", "Y"}, Multi: true,
		Align: fairness.Alignment{Groups: 2, Weights: []float64{1, 0, 0.5, 0.5, 0, 1, 0, 1}}}
	big := &ItemGroups{Attribute: "big", Levels: []string{"p", "q", "r"},
		Align: fairness.AlignmentOf([]int32{0, 1, 2, 0}, 3)}
	//   u0: 0 2 3   u1: 2 1   u2: (none)   u3: 3
	lists := fairness.Rankings{Offsets: []int64{0, 3, 5, 5, 6}, Items: []int32{0, 2, 3, 2, 1, 3}}
	// u0 judges item 0 relevant (only the cascade model reads it).
	rel := fairness.Relevance{Offsets: []int64{0, 1, 1, 1, 1}, Items: []int32{0}}
	groups := []*ItemGroups{kind, big, tag}

	// Log model, cutoffs 2 and 3: ranks 1..3, weights 1, w2, 1/2.
	// Lists with rank 1: u0, u1, u3; rank 2: u0, u1; rank 3: u0. Three
	// users have a list.
	w2 := 1 / math.Log2(3)
	got := rankExposure(lists, rel, 4, groups, []int{2, 3}, Config{MaxExposureGroups: 2})
	want := RankExposure{Cutoff: 3, Model: "log", Lists: []int{3, 2, 1},
		MeanExposure: floats(3.0/3, 2*w2/3, 0.5/3),
		Groupings: []RankShares{
			// Rank 1: items 0, 2, 3; rank 2: items 2, 1; rank 3: item 3.
			{Attribute: "kind", Groups: []RankGroupShare{
				{Group: "A", Share: floats(1.0/3, 0.5, 0)},
				{Group: "B", Share: floats(1.0/3, 0.5, 0)},
			}},
			{Attribute: "tag", Groups: []RankGroupShare{
				{Group: "X", Share: floats(1.0/3, 0.25, 0)},
				{Group: "Y", Share: floats(2.0/3, 0.75, 1)},
			}},
		},
	}
	opts := []cmp.Option{equateFloat(tol)}
	if d := cmp.Diff(want, got, opts...); d != "" {
		t.Errorf("log model (-want +got):\n%s", d)
	}

	// Cascade (γ = u = 1/2), relevance-aware: u0's weights 1, 1/4, 1/8
	// (item 0 at rank 1 is relevant), u1's 1, 1/2, u3's 1. Rank 2: total
	// 3/4, A gets u1's item 1 (1/2): 2/3, B u0's item 2 (1/4): 1/3.
	casc := Config{Exposure: fairness.Exposure{Model: fairness.ExposureCascade}, MaxExposureGroups: 2}
	got = rankExposure(lists, rel, 4, groups, []int{3}, casc)
	if d := cmp.Diff(floats(1, 0.75/3, 0.125/3), got.MeanExposure, opts...); d != "" {
		t.Errorf("cascade mean exposure (-want +got):\n%s", d)
	}
	if d := cmp.Diff(floats(1.0/3, 2.0/3, 0), got.Groupings[0].Groups[0].Share, opts...); d != "" {
		t.Errorf("cascade share of A (-want +got):\n%s", d)
	}

	// Whole lists (cutoff 0): ranks up to the longest list, 3; rank 4
	// does not exist. With cutoffs 5: rank 4 and 5 have no list, shares
	// NaN and mean exposure 0.
	if got := rankExposure(lists, rel, 4, groups, []int{0}, Config{}); len(got.Lists) != 3 || got.Cutoff != 0 {
		t.Errorf("cutoff 0: %+v", got)
	}
	got = rankExposure(lists, rel, 4, groups, []int{5}, Config{MaxExposureGroups: 2})
	if d := cmp.Diff(floats(1.0/3, 0.5, 0, nan, nan), got.Groupings[0].Groups[0].Share, opts...); d != "" {
		t.Errorf("cutoff 5, share of A (-want +got):\n%s", d)
	}
	if got.MeanExposure[4] != 0 || got.Lists[4] != 0 {
		t.Errorf("cutoff 5, rank 5: %v users, mean %v", got.Lists[4], got.MeanExposure[4])
	}
	// No lists at all: mean exposure NaN.
	got = rankExposure(fairness.Rankings{Offsets: []int64{0, 0}}, fairness.Relevance{}, 4, groups, []int{2}, Config{})
	if !got.MeanExposure[0].IsNaN() || !got.Groupings[0].Groups[0].Share[0].IsNaN() {
		t.Errorf("no lists: %+v", got)
	}
}

// TestChartDataInResult checks the chart data of the tiny result against
// the rest of the result: the Lorenz Gini is the exposure_gini metric, and
// rank 1 is in every list.
func TestChartDataInResult(t *testing.T) {
	const tol = 1e-12
	r := tinyResult(t)
	for _, s := range r.Systems {
		if len(s.Lorenz) != len(r.Settings.Cutoffs) {
			t.Fatalf("%s: %d Lorenz curves", s.Name, len(s.Lorenz))
		}
		for _, lc := range s.Lorenz {
			var gini float64 = math.NaN()
			for _, m := range s.Metrics {
				if m.Name == colName("exposure_gini", lc.Cutoff) {
					gini = float64(m.Value)
				}
			}
			if math.Abs(float64(lc.Gini)-gini) > tol {
				t.Errorf("%s@%d: Lorenz Gini %v, exposure_gini %v", s.Name, lc.Cutoff, lc.Gini, gini)
			}
			n := len(lc.ItemShare)
			if n != min(lc.Items, LorenzPoints-1)+1 || lc.ItemShare[n-1] != 1 || math.Abs(float64(lc.ExposureShare[n-1])-1) > tol {
				t.Errorf("%s@%d: curve %v %v", s.Name, lc.Cutoff, lc.ItemShare, lc.ExposureShare)
			}
		}
		re := s.RankExposure
		if len(re.Lists) != 3 || re.Lists[0] != s.Users.WithList || math.Abs(float64(re.MeanExposure[0])-1) > tol {
			t.Errorf("%s: rank exposure %+v (users with a list %d)", s.Name, re, s.Users.WithList)
		}
		for _, rs := range re.Groupings {
			for r := range re.Lists {
				var sum float64
				for _, g := range rs.Groups {
					sum += float64(g.Share[r])
				}
				if math.Abs(sum-1) > tol {
					t.Errorf("%s %s rank %d: shares sum to %v", s.Name, rs.Attribute, r+1, sum)
				}
			}
		}
	}
}
