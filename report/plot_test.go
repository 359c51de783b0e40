package report

import (
	"bytes"
	"errors"
	"math"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
	"gonum.org/v1/plot"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
	"gonum.org/v1/plot/vg/recorder"

	"github.com/recaudit/recaudit/metrics"
)

const tol = 1e-12

// panics reports whether f panics.
func panics(f func()) (b bool) {
	defer func() {
		if recover() != nil {
			b = true
		}
	}()
	f()
	return false
}

func TestLorenzCurve(t *testing.T) {
	for _, test := range []struct {
		name string
		x    []float64
		pts  []xy
		gini float64
	}{
		{
			// hand-computed: sorted (0, 1), cumulative (0, 0, 1);
			// G = ((2-3)·0 + (4-3)·1) / (2·1) = 0.5.
			name: "one of two", x: []float64{1, 0},
			pts: []xy{{0, 0}, {0.5, 0}, {1, 1}}, gini: 0.5,
		},
		{
			// hand-computed: all equal, the diagonal, G = 0.
			name: "equal", x: []float64{2, 2, 2, 2},
			pts: []xy{{0, 0}, {0.25, 0.25}, {0.5, 0.5}, {0.75, 0.75}, {1, 1}}, gini: 0,
		},
		{
			// METRICS-SPEC.md §2.2 example (counts): G = 0.3083 (4 d.p.);
			// exactly 37/120: sorted 0,1,1,2,2,3,3,3 (sum 15),
			// Σ(2j−9)x = 37, G = 37/(8·15).
			name: "METRICS-SPEC counts", x: []float64{3, 3, 2, 3, 2, 0, 1, 1},
			pts: []xy{
				{0, 0}, {0.125, 0}, {0.25, 1.0 / 15}, {0.375, 2.0 / 15}, {0.5, 4.0 / 15},
				{0.625, 6.0 / 15}, {0.75, 9.0 / 15}, {0.875, 12.0 / 15}, {1, 1},
			},
			gini: 37.0 / 120,
		},
	} {
		x := append([]float64(nil), test.x...)
		pts, gini := lorenzCurve(test.x)
		if diff := cmp.Diff(test.pts, pts, cmpopts.EquateApprox(0, tol)); diff != "" {
			t.Errorf("%s: curve (-want +got):\n%s", test.name, diff)
		}
		if math.Abs(gini-test.gini) > tol {
			t.Errorf("%s: Gini = %v, want %v", test.name, gini, test.gini)
		}
		if !cmp.Equal(x, test.x) {
			t.Errorf("%s: input modified: %v, was %v", test.name, test.x, x)
		}
	}
}

// TestLorenzPrecomputed checks that a system given by its curve and Gini
// draws the same SVG as the same system given by its exposures, when the
// curve has every point of the exact one.
func TestLorenzPrecomputed(t *testing.T) {
	x := []float64{3, 3, 2, 3, 2, 0, 1, 1} // METRICS-SPEC.md §2 counts
	pts, gini := lorenzCurve(x)
	curve := make([]LorenzPoint, len(pts))
	for i, p := range pts {
		curve[i] = LorenzPoint{Items: p.X, Exposure: p.Y}
	}
	svg := func(l Lorenz) string {
		p, err := LorenzChart(l)
		if err != nil {
			t.Fatal(err)
		}
		var b bytes.Buffer
		if err := WriteSVG(p, DefaultWidth, DefaultHeight, &b); err != nil {
			t.Fatal(err)
		}
		return b.String()
	}
	a := svg(Lorenz{Systems: []ItemExposure{{System: "A", Exposure: x}, {System: "B", Exposure: []float64{1, 1}}}})
	b := svg(Lorenz{Systems: []ItemExposure{{System: "A", Curve: curve, Gini: gini}, {System: "B", Exposure: []float64{1, 1}}}})
	if a != b {
		t.Error("a precomputed curve draws differently from its exposures")
	}
	if !strings.Contains(a, "A (Gini 0.308)") {
		t.Error("legend lacks the Gini index 0.308 (METRICS-SPEC.md §2.2)")
	}
	// An undefined Gini is shown as n/a.
	if c := svg(Lorenz{Systems: []ItemExposure{{System: "A", Curve: curve, Gini: math.NaN()}}}); !strings.Contains(c, "(Gini n/a)") {
		t.Error("NaN Gini not shown as n/a")
	}
}

// TestLorenzGiniMatchesMetrics cross-checks the Gini index shown in the
// legend with metrics.Gini(x, metrics.GiniStandard), on random exposures
// with zeros, including catalogues larger than the drawn points.
func TestLorenzGiniMatchesMetrics(t *testing.T) {
	rnd := rand.New(rand.NewPCG(1, 1))
	for _, n := range []int{1, 2, 7, 50, 499, 500, 501, 1234} {
		x := make([]float64, n)
		for i := range x {
			if rnd.IntN(4) > 0 {
				x[i] = rnd.ExpFloat64()
			}
		}
		x[0] = 1 // not all zero
		_, got := lorenzCurve(x)
		want := metrics.Gini(x, metrics.GiniStandard)
		if math.Abs(got-want) > 1e-12 {
			t.Errorf("n=%d: Gini %v, metrics.Gini %v", n, got, want)
		}
	}
}

// TestLorenzThinning checks that a long curve is drawn through
// lorenzMaxSegments+1 points of the exact curve, ends included.
func TestLorenzThinning(t *testing.T) {
	const n = 1234
	x := make([]float64, n)
	for i := range x {
		x[i] = float64(i % 17)
	}
	pts, _ := lorenzCurve(x)
	if len(pts) != lorenzMaxSegments+1 {
		t.Fatalf("%d points, want %d", len(pts), lorenzMaxSegments+1)
	}
	if pts[0] != (xy{0, 0}) || math.Abs(pts[len(pts)-1].X-1) > tol || math.Abs(pts[len(pts)-1].Y-1) > tol {
		t.Errorf("ends %v, %v, want (0,0), (1,1)", pts[0], pts[len(pts)-1])
	}
	// Exact cumulative shares, brute force.
	s := append([]float64(nil), x...)
	for i := range s {
		for j := i + 1; j < len(s); j++ {
			if s[j] < s[i] {
				s[i], s[j] = s[j], s[i]
			}
		}
	}
	var total float64
	for _, v := range s {
		total += v
	}
	for _, p := range pts {
		j := int(math.Round(p.X * n))
		if math.Abs(p.X*n-float64(j)) > 1e-9 {
			t.Fatalf("point x %v is not at an item boundary", p.X)
		}
		var cum float64
		for _, v := range s[:j] {
			cum += v
		}
		if math.Abs(p.Y-cum/total) > 1e-12 {
			t.Errorf("at %d items: y = %v, want %v", j, p.Y, cum/total)
		}
	}
}

func TestMaxMinRatio(t *testing.T) {
	g := func(v float64) GroupEstimate { return GroupEstimate{Group: "g", Value: v} }
	for _, test := range []struct {
		name string
		gs   []GroupEstimate
		want string
	}{
		{"hand-computed 0.3/0.1", []GroupEstimate{g(0.1), g(0.3), g(0.2)}, "3"},
		{"hand-computed 0.25/0.2, suppressed and NaN skipped", []GroupEstimate{
			g(0.2), g(0.25), {Group: "s", Value: 0.9, Suppressed: true}, g(math.NaN()),
		}, "1.25"},
		{"rounded to 2 decimals: 0.2/0.15 = 1.333", []GroupEstimate{g(0.15), g(0.2)}, "1.33"},
		{"zero minimum", []GroupEstimate{g(0), g(0.2)}, "∞"},
		{"all zero", []GroupEstimate{g(0), g(0)}, "n/a"},
		{"one group", []GroupEstimate{g(0.2)}, "n/a"},
		{"none", nil, "n/a"},
	} {
		if got := maxMinRatio(test.gs); got != test.want {
			t.Errorf("%s: %q, want %q", test.name, got, test.want)
		}
	}
}

func TestNiceTicks(t *testing.T) {
	labels := func(ts []plot.Tick) []string {
		var s []string
		for _, t := range ts {
			s = append(s, t.Label)
		}
		return s
	}
	for _, test := range []struct {
		name     string
		min, max float64
		percent  bool
		want     []string
	}{
		// hand-computed: span/5 = 0.054, steps 0.05 (5.4 intervals)
		// and 0.1 (2.7): 0.05 is closest to 5.
		{"percent", 0, 0.27, true, []string{"0%", "5%", "10%", "15%", "20%", "25%"}},
		// span 0.2: step 0.05 gives 4 intervals, 0.025 gives 8.
		{"decimals", 0.14, 0.34, false, []string{"0.15", "0.20", "0.25", "0.30"}},
		{"unit", 0, 1, false, []string{"0.0", "0.2", "0.4", "0.6", "0.8", "1.0"}},
		{"2.5 steps", 0, 0.15, false, []string{"0.000", "0.025", "0.050", "0.075", "0.100", "0.125", "0.150"}},
		{"negative, no -0", -0.1, 0.1, false, []string{"-0.10", "-0.05", "0.00", "0.05", "0.10"}},
		{"large", 0, 12000, false, []string{"0", "2500", "5000", "7500", "10000"}},
		// A range of one ulp (a single point without whiskers): one
		// tick at its middle; counting steps of 1e-17 never ended.
		{"one ulp", 0.33333333333333326, 0.3333333333333333, false, []string{"0.3333"}},
		{"one ulp, percent", 0.33333333333333326, 0.3333333333333333, true, []string{"33.33%"}},
	} {
		got := labels(niceTicks{percent: test.percent}.Ticks(test.min, test.max))
		if diff := cmp.Diff(test.want, got); diff != "" {
			t.Errorf("%s: (-want +got):\n%s", test.name, diff)
		}
	}
}

func TestIntegerTicks(t *testing.T) {
	var got []string
	for _, tk := range (integerTicks{}).Ticks(1, 100) {
		if tk.Label != "" {
			got = append(got, tk.Label)
		}
	}
	// hand-computed: steps 1, 2, 5 give more than 10 intervals over
	// 1..100, 10 gives 9.9; rank 1 is always labelled.
	want := []string{"1", "10", "20", "30", "40", "50", "60", "70", "80", "90", "100"}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
	if n := len((integerTicks{}).Ticks(1, 10)); n != 10 {
		t.Errorf("1..10: %d ticks, want 10", n)
	}
}

func TestFormatting(t *testing.T) {
	for _, test := range []struct{ got, want string }{
		{thousands(0), "0"},
		{thousands(999), "999"},
		{thousands(1288), "1,288"},
		{thousands(1234567), "1,234,567"},
		{thousands(-1234), "-1,234"},
		{trimFloat(95, 4), "95"},
		{trimFloat(0.9*100, 4), "90"},
		{trimFloat(99.5, 4), "99.5"},
		{trimFloat(-0.0001, 2), "0"},
		{ciName(0.95), "95% confidence interval"},
		{ciName(0), "confidence interval"},
		{axisLabel("C_KL", "nats", "", "lower"), "C_KL (nats; lower)"},
		{axisLabel("NDCG@10", ""), "NDCG@10"},
		{capitalize("über alles"), "Über alles"},
		{capitalize(""), ""},
	} {
		if test.got != test.want {
			t.Errorf("got %q, want %q", test.got, test.want)
		}
	}
}

// TestGroupMarks checks the layout of estimates and gaps: suppressed and
// undefined groups are never points, a gap shared by all systems is one
// wide gap, others are per slot, a missing group is an empty slot.
func TestGroupMarks(t *testing.T) {
	nan := math.NaN()
	m := GroupMetric{Systems: []SystemGroups{
		{System: "A", Groups: []GroupEstimate{
			{Group: "g0", Value: 0.1, Lo: 0.05, Hi: 0.15, Significant: true},
			{Group: "g1", Value: 0.99, Suppressed: true},
			{Group: "g2", Value: nan},
			{Group: "g3", Value: 0.3, Lo: nan, Hi: nan},
		}},
		{System: "B", Groups: []GroupEstimate{
			{Group: "g1", Value: 0.98, Suppressed: true},
			{Group: "g0", Value: 0.2, Lo: 0.1, Hi: 0.3},
			{Group: "g2", Value: 0.25, Lo: 0.2, Hi: 0.3},
		}},
	}}
	l := newGroupLayout(m.Systems)
	if diff := cmp.Diff([]string{"g0", "g1", "g2", "g3"}, l.names); diff != "" {
		t.Fatalf("group order (-want +got):\n%s", diff)
	}
	series, gaps := groupMarks(m, l, "suppressed (n < 10)")
	// Two systems: slots 0.4 wide, centred at g−0.2 and g+0.2.
	want := [][]estPoint{
		{
			{X: -0.2, XLo: nan, XHi: nan, Y: 0.1, YLo: 0.05, YHi: 0.15, Filled: true},
			{X: 2.8, XLo: nan, XHi: nan, Y: 0.3, YLo: nan, YHi: nan},
		},
		{
			{X: 0.2, XLo: nan, XHi: nan, Y: 0.2, YLo: 0.1, YHi: 0.3},
			{X: 2.2, XLo: nan, XHi: nan, Y: 0.25, YLo: 0.2, YHi: 0.3},
		},
	}
	opts := []cmp.Option{cmpopts.EquateApprox(0, tol), cmpopts.EquateNaNs()}
	if diff := cmp.Diff(want, series, opts...); diff != "" {
		t.Errorf("points (-want +got):\n%s", diff)
	}
	wantGaps := []gapMark{
		{X0: 0.6, X1: 1.4, Label: "suppressed\n(n < 10)"},
		{X0: 1.6, X1: 2.0, Label: "undefined"},
	}
	if diff := cmp.Diff(wantGaps, gaps, opts...); diff != "" {
		t.Errorf("gaps (-want +got):\n%s", diff)
	}
	if got := groupTickLabel(m, l, 1); got != "g1" {
		t.Errorf("suppressed group tick %q shows more than its name", got)
	}
}

func TestGroupTickLabel(t *testing.T) {
	m := GroupMetric{Systems: []SystemGroups{
		{System: "A", Groups: []GroupEstimate{{Group: "a", N: 1200}, {Group: "b", N: 40}, {Group: "c"}}},
		{System: "B", Groups: []GroupEstimate{{Group: "a", N: 1200}, {Group: "b", N: 38}, {Group: "c"}}},
	}}
	l := newGroupLayout(m.Systems)
	for g, want := range []string{"a\nn = 1,200", "b\nn = 38–40", "c"} {
		if got := groupTickLabel(m, l, g); got != want {
			t.Errorf("group %d: %q, want %q", g, got, want)
		}
	}
}

// TestGapLineBreaks checks that a NaN value breaks a line in two.
func TestGapLineBreaks(t *testing.T) {
	p := plot.New()
	l := &gapLine{
		pts:   []xy{{1, 1}, {2, 2}, {3, math.NaN()}, {4, 1}, {5, 2}, {6, math.NaN()}, {7, 3}},
		style: draw.LineStyle{Color: SeriesColor(0), Width: 1},
	}
	p.Add(l)
	var rec recorder.Canvas
	l.Plot(draw.NewCanvas(&rec, 100, 100), p)
	strokes := 0
	for _, a := range rec.Actions {
		if _, ok := a.(*recorder.Stroke); ok {
			strokes++
		}
	}
	// Runs {1,2} and {4,5}; {7} alone is a single point, not a line.
	if strokes != 2 {
		t.Errorf("%d strokes, want 2", strokes)
	}
}

// TestLegendMargin checks that the legend gets its own room to the right
// of the data area.
func TestLegendMargin(t *testing.T) {
	p := newPlot("t", "x", "y")
	if boxes := (&legendMargin{gap: 10}).GlyphBoxes(p); boxes != nil {
		t.Errorf("empty legend reserves %v", boxes)
	}
	p.Legend.Add("a long legend entry", lineThumb{})
	boxes := (&legendMargin{gap: 10}).GlyphBoxes(p)
	if len(boxes) != 1 || boxes[0].X != 1 || boxes[0].Size().X <= 10 || boxes[0].Size().Y != 0 {
		t.Fatalf("boxes %v, want one at the right edge, wider than the gap, of no height", boxes)
	}
	c := draw.NewCanvas(new(recorder.Canvas), DefaultWidth, DefaultHeight)
	data := p.DataCanvas(c)
	if room := c.Max.X - data.Max.X; room < boxes[0].Size().X {
		t.Errorf("data area ends %v before the right edge, want at least %v", room, boxes[0].Size().X)
	}
}

func TestChartErrors(t *testing.T) {
	nan, inf := math.NaN(), math.Inf(1)
	ok := func() GroupMetric {
		return GroupMetric{Systems: []SystemGroups{{System: "A", Overall: nan, Groups: []GroupEstimate{
			{Group: "g", Value: 0.5, Lo: 0.4, Hi: 0.6, N: 20},
		}}}}
	}
	with := func(f func(*GroupMetric)) GroupMetric { m := ok(); f(&m); return m }
	groups := []struct {
		name string
		m    GroupMetric
	}{
		{"no systems", GroupMetric{}},
		{"unnamed system", with(func(m *GroupMetric) { m.Systems[0].System = "" })},
		{"duplicate system", with(func(m *GroupMetric) { m.Systems = append(m.Systems, m.Systems[0]) })},
		{"no groups", with(func(m *GroupMetric) { m.Systems[0].Groups = nil })},
		{"unnamed group", with(func(m *GroupMetric) { m.Systems[0].Groups[0].Group = "" })},
		{"duplicate group", with(func(m *GroupMetric) {
			m.Systems[0].Groups = append(m.Systems[0].Groups, m.Systems[0].Groups[0])
		})},
		{"infinite value", with(func(m *GroupMetric) { m.Systems[0].Groups[0].Value = inf })},
		{"infinite bound", with(func(m *GroupMetric) { m.Systems[0].Groups[0].Hi = inf })},
		{"Lo > Hi", with(func(m *GroupMetric) { m.Systems[0].Groups[0].Lo = 0.7 })},
		{"negative N", with(func(m *GroupMetric) { m.Systems[0].Groups[0].N = -1 })},
		{"infinite overall", with(func(m *GroupMetric) { m.Systems[0].Overall = inf })},
		{"level 1", with(func(m *GroupMetric) { m.Level = 1 })},
		{"level NaN", with(func(m *GroupMetric) { m.Level = nan })},
		{"negative min group size", with(func(m *GroupMetric) { m.MinGroupSize = -1 })},
	}
	for _, test := range groups {
		for name, chart := range map[string]func(GroupMetric) (*plot.Plot, error){
			"GroupChart": GroupChart, "CalibrationChart": CalibrationChart, "TargetingChart": TargetingChart,
		} {
			if _, err := chart(test.m); !errors.Is(err, ErrPlotData) {
				t.Errorf("%s, %s: error %v, want ErrPlotData", name, test.name, err)
			}
		}
	}
	if _, err := GroupChart(ok()); err != nil {
		t.Errorf("valid input: %v", err)
	}
	// Suppressed groups are not checked: their numbers are never drawn.
	if _, err := GroupChart(with(func(m *GroupMetric) {
		m.Systems[0].Groups[0] = GroupEstimate{Group: "g", Value: inf, Lo: 1, Hi: 0, Suppressed: true}
	})); err != nil {
		t.Errorf("suppressed group with bad numbers: %v", err)
	}
	if _, err := CalibrationChart(with(func(m *GroupMetric) { m.Systems[0].Groups[0].Value = -0.1 })); !errors.Is(err, ErrPlotData) {
		t.Errorf("CalibrationChart, negative C_KL: %v", err)
	}
	if _, err := TargetingChart(with(func(m *GroupMetric) { m.Systems[0].Groups[0].Value = 1.5 })); !errors.Is(err, ErrPlotData) {
		t.Errorf("TargetingChart, rate 1.5: %v", err)
	}

	shares := func(value, target float64) ExposureShares {
		return ExposureShares{Systems: []SystemShares{{System: "A", Groups: []ShareEstimate{
			{GroupEstimate: GroupEstimate{Group: "g", Value: value, Lo: nan, Hi: nan}, Target: target},
		}}}}
	}
	for _, test := range []struct {
		name          string
		value, target float64
		ok            bool
	}{
		{"valid", 0.3, 0.5, true},
		{"no target", 0.3, nan, true},
		{"undefined share", nan, 0.5, true},
		{"share > 1", 1.2, 0.5, false},
		{"target < 0", 0.3, -0.1, false},
		{"infinite target", 0.3, inf, false},
	} {
		_, err := ExposureChart(shares(test.value, test.target))
		if (err == nil) != test.ok || (err != nil && !errors.Is(err, ErrPlotData)) {
			t.Errorf("ExposureChart, %s: error %v", test.name, err)
		}
	}
	if _, err := ExposureChart(ExposureShares{}); !errors.Is(err, ErrPlotData) {
		t.Errorf("ExposureChart, no systems: %v", err)
	}

	for _, test := range []struct {
		name string
		l    Lorenz
	}{
		{"no systems", Lorenz{}},
		{"unnamed", Lorenz{Systems: []ItemExposure{{Exposure: []float64{1}}}}},
		{"duplicate", Lorenz{Systems: []ItemExposure{{System: "A", Exposure: []float64{1}}, {System: "A", Exposure: []float64{1}}}}},
		{"no items", Lorenz{Systems: []ItemExposure{{System: "A"}}}},
		{"negative", Lorenz{Systems: []ItemExposure{{System: "A", Exposure: []float64{1, -1}}}}},
		{"NaN", Lorenz{Systems: []ItemExposure{{System: "A", Exposure: []float64{1, nan}}}}},
		{"Inf", Lorenz{Systems: []ItemExposure{{System: "A", Exposure: []float64{1, inf}}}}},
		{"all zero", Lorenz{Systems: []ItemExposure{{System: "A", Exposure: []float64{0, 0}}}}},
		{"sum overflows", Lorenz{Systems: []ItemExposure{{System: "A", Exposure: []float64{math.MaxFloat64, math.MaxFloat64}}}}},
		{"curve of one point", Lorenz{Systems: []ItemExposure{{System: "A", Curve: []LorenzPoint{{0, 0}}}}}},
		{"curve not from 0", Lorenz{Systems: []ItemExposure{{System: "A", Curve: []LorenzPoint{{0.1, 0}, {1, 1}}}}}},
		{"curve not to 1", Lorenz{Systems: []ItemExposure{{System: "A", Curve: []LorenzPoint{{0, 0}, {1, 0.9}}}}}},
		{"curve decreases", Lorenz{Systems: []ItemExposure{{System: "A", Curve: []LorenzPoint{{0, 0}, {0.5, 0.6}, {0.6, 0.5}, {1, 1}}}}}},
		{"curve NaN", Lorenz{Systems: []ItemExposure{{System: "A", Curve: []LorenzPoint{{0, 0}, {0.5, nan}, {1, 1}}}}}},
		{"curve Gini", Lorenz{Systems: []ItemExposure{{System: "A", Gini: 1.5, Curve: []LorenzPoint{{0, 0}, {1, 1}}}}}},
	} {
		if _, err := LorenzChart(test.l); !errors.Is(err, ErrPlotData) {
			t.Errorf("LorenzChart, %s: error %v, want ErrPlotData", test.name, err)
		}
	}

	point := SystemPoint{System: "A", Accuracy: 0.3, AccuracyLo: 0.2, AccuracyHi: 0.4, Disparity: 0.1, DisparityLo: nan, DisparityHi: nan}
	for _, test := range []struct {
		name string
		f    func(*SystemPoint)
	}{
		{"NaN accuracy", func(p *SystemPoint) { p.Accuracy = nan }},
		{"infinite disparity", func(p *SystemPoint) { p.Disparity = inf }},
		{"infinite bound", func(p *SystemPoint) { p.AccuracyHi = inf }},
		{"Lo > Hi", func(p *SystemPoint) { p.AccuracyLo = 0.5 }},
		{"unnamed", func(p *SystemPoint) { p.System = "" }},
	} {
		p := point
		test.f(&p)
		if _, err := TradeOffChart(TradeOff{Systems: []SystemPoint{p}}); !errors.Is(err, ErrPlotData) {
			t.Errorf("TradeOffChart, %s: error %v, want ErrPlotData", test.name, err)
		}
	}
	if _, err := TradeOffChart(TradeOff{Systems: []SystemPoint{point, point}}); !errors.Is(err, ErrPlotData) {
		t.Errorf("TradeOffChart, duplicate: %v", err)
	}
	if _, err := TradeOffChart(TradeOff{}); !errors.Is(err, ErrPlotData) {
		t.Errorf("TradeOffChart, no systems: %v", err)
	}
	if _, err := TradeOffChart(TradeOff{Systems: []SystemPoint{point}}); err != nil {
		t.Errorf("TradeOffChart, valid: %v", err)
	}

	for _, test := range []struct {
		name string
		r    RankProfile
	}{
		{"no series", RankProfile{}},
		{"unnamed", RankProfile{Series: []RankSeries{{Values: []float64{1}}}}},
		{"duplicate", RankProfile{Series: []RankSeries{{Name: "a", Values: []float64{1}}, {Name: "a", Values: []float64{1}}}}},
		{"no values", RankProfile{Series: []RankSeries{{Name: "a"}}}},
		{"infinite", RankProfile{Series: []RankSeries{{Name: "a", Values: []float64{1, inf}}}}},
		{"all NaN", RankProfile{Series: []RankSeries{{Name: "a", Values: []float64{nan, nan}}}}},
	} {
		if _, err := RankChart(test.r); !errors.Is(err, ErrPlotData) {
			t.Errorf("RankChart, %s: error %v, want ErrPlotData", test.name, err)
		}
	}
}

func TestPanics(t *testing.T) {
	p := plot.New()
	for _, test := range []struct {
		name string
		f    func()
	}{
		{"SeriesColor(-1)", func() { SeriesColor(-1) }},
		{"WriteSVG nil plot", func() { _ = WriteSVG(nil, 10, 10, new(discard)) }},
		{"WriteSVG zero width", func() { _ = WriteSVG(p, 0, 10, new(discard)) }},
		{"WriteSVG NaN height", func() { _ = WriteSVG(p, 10, vg.Length(math.NaN()), new(discard)) }},
		{"Save infinite width", func() { _ = Save(p, vg.Length(math.Inf(1)), 10, "x.svg") }},
		{"bad Direction", func() {
			_, _ = TradeOffChart(TradeOff{Better: 7, Systems: []SystemPoint{{System: "A"}}})
		}},
	} {
		if !panics(test.f) {
			t.Errorf("%s did not panic", test.name)
		}
	}
	if panics(func() { SeriesColor(100) }) {
		t.Error("SeriesColor(100) panicked; colours should repeat")
	}
	if SeriesColor(7) != SeriesColor(0) {
		t.Error("SeriesColor(7) is not SeriesColor(0)")
	}
}

// discard is an io.Writer that drops everything.
type discard struct{}

func (*discard) Write(b []byte) (int, error) { return len(b), nil }
