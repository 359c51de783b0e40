package report

import (
	"math"
	"strings"
	"unicode"
	"unicode/utf8"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/text"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// GroupChart plots a metric per group with confidence intervals, for each
// system: groups along the x axis, systems side by side within a group,
// one marker per estimate with a whisker for its interval
// (dot-and-whisker). A marker is filled when its group is Significant and
// hollow otherwise; each system's Overall value is a dashed line in the
// system's colour. The legend, to the right of the data, explains the
// colours, the markers, the line and the whiskers. Under each group name
// the x axis shows its size n when known (never for a suppressed group).
//
// Gaps: a suppressed group is a shaded gap labelled
// "suppressed (n < MinGroupSize)", and a group whose Value is NaN a gap
// labelled "undefined"; neither is ever drawn as a value. A group that a
// system lacks is an empty slot. An interval with a NaN bound is not
// drawn.
//
// GroupChart returns an error wrapping ErrPlotData if m has no systems, a
// system or group without a name, a duplicate system or group, an
// infinite Value, Lo, Hi or Overall, Lo > Hi, N < 0, MinGroupSize < 0 or
// a Level outside [0, 1). Values of suppressed groups are not checked.
func GroupChart(m GroupMetric) (*plot.Plot, error) {
	return groupChart(m, groupOptions{
		title:  defaultString(m.Title, capitalize(defaultString(m.Metric, "metric")+" by "+defaultString(m.Attribute, "group"))),
		yLabel: axisLabel(defaultString(m.Metric, "value"), m.Unit),
	})
}

// CalibrationChart plots miscalibration C_KL per user group with
// confidence intervals: GroupChart with the y axis starting at 0
// (perfect calibration) and marked "lower is better". An empty Metric
// means "miscalibration C_KL", an empty Unit "nats" (the default natural
// logarithm), an empty Title "Miscalibration C_KL by <Attribute>".
//
// Gaps and errors are as for GroupChart; a negative Value is also an
// error, since C_KL >= 0.
//
// Reference: H. Steck, "Calibrated Recommendations", RecSys 2018;
// METRICS-SPEC.md §3.4.
func CalibrationChart(m GroupMetric) (*plot.Plot, error) {
	metric := defaultString(m.Metric, "miscalibration C_KL")
	unit := defaultString(m.Unit, "nats")
	return groupChart(m, groupOptions{
		title:    defaultString(m.Title, "Miscalibration C_KL by "+defaultString(m.Attribute, "group")),
		yLabel:   axisLabel(metric, unit, LowerIsBetter.note()),
		fromZero: true,
		bounded:  true,
		minValue: 0,
		maxValue: math.Inf(1),
	})
}

// TargetingChart plots the rate at which each user group is targeted
// with a flagged item class (for example the share of users shown
// high-cost credit), with confidence intervals: GroupChart with rates in
// [0, 1] shown as percentages on a y axis that starts at 0. The title
// gets a second line with each system's max/min ratio,
//
//	ratio = max_g v_g / min_g v_g
//
// over the groups it shows (not suppressed, Value not NaN); the ratio is
// "∞" when the smallest rate is 0 and "n/a" with fewer than two groups or
// all rates 0. An empty Metric means "targeting rate", an empty Title
// "<Metric> by <Attribute>".
//
// Gaps and errors are as for GroupChart; a Value outside [0, 1] is also
// an error.
//
// Reference: METRICS-SPEC.md §3.2 (the inverse of the min/max ratio
// aggregator).
func TargetingChart(m GroupMetric) (*plot.Plot, error) {
	metric := defaultString(m.Metric, "targeting rate")
	title := defaultString(m.Title, capitalize(metric+" by "+defaultString(m.Attribute, "group")))
	var ratios []string
	for _, s := range m.Systems {
		ratios = append(ratios, s.System+" "+maxMinRatio(s.Groups))
	}
	return groupChart(m, groupOptions{
		title:    title + "\nmax/min ratio: " + strings.Join(ratios, ", "),
		yLabel:   axisLabel(metric, m.Unit),
		fromZero: true,
		percent:  true,
		bounded:  true,
		minValue: 0,
		maxValue: 1,
	})
}

// maxMinRatio formats max/min of the shown values of gs.
func maxMinRatio(gs []GroupEstimate) string {
	lo, hi, n := math.Inf(1), math.Inf(-1), 0
	for _, g := range gs {
		if g.Suppressed || math.IsNaN(g.Value) {
			continue
		}
		lo, hi, n = math.Min(lo, g.Value), math.Max(hi, g.Value), n+1
	}
	switch {
	case n < 2 || hi <= 0:
		return "n/a"
	case lo <= 0:
		return "∞"
	}
	return trimFloat(hi/lo, 2)
}

// capitalize returns s with its first letter in upper case.
func capitalize(s string) string {
	if s == "" {
		return s
	}
	r, n := utf8.DecodeRuneInString(s)
	return string(unicode.ToUpper(r)) + s[n:]
}

// defaultString returns s, or def if s is empty.
func defaultString(s, def string) string {
	if s == "" {
		return def
	}
	return s
}

// groupOptions are what the group charts differ in.
type groupOptions struct {
	title, yLabel      string
	fromZero, percent  bool
	bounded            bool // Value must lie in [minValue, maxValue]
	minValue, maxValue float64
}

// groupLayout places groups and systems on a categorical x axis: group g
// is centred on x = g, systems are side by side within 0.8 of it.
type groupLayout struct {
	names []string // group names in order of first appearance
	index [][]int  // index[s][g] is the estimate of group g in system s, or -1
	width float64  // width of one system's slot
}

func newGroupLayout(systems []SystemGroups) groupLayout {
	var l groupLayout
	pos := map[string]int{}
	for _, s := range systems {
		for _, e := range s.Groups {
			if _, ok := pos[e.Group]; !ok {
				pos[e.Group] = len(l.names)
				l.names = append(l.names, e.Group)
			}
		}
	}
	l.index = make([][]int, len(systems))
	for si, s := range systems {
		l.index[si] = make([]int, len(l.names))
		for g := range l.index[si] {
			l.index[si][g] = -1
		}
		for ei, e := range s.Groups {
			l.index[si][pos[e.Group]] = ei
		}
	}
	l.width = 0.8 / float64(len(systems))
	return l
}

// x returns the centre of system s's slot in group g.
func (l groupLayout) x(s, g int) float64 {
	return float64(g) + (float64(s)-float64(len(l.index)-1)/2)*l.width
}

// checkGroupMetric validates m for the group charts.
func checkGroupMetric(m GroupMetric, o groupOptions) error {
	if len(m.Systems) == 0 {
		return dataError("no systems")
	}
	if err := checkLevel(m.Level); err != nil {
		return err
	}
	if m.MinGroupSize < 0 {
		return dataError("minimum group size %d < 0", m.MinGroupSize)
	}
	systems := map[string]bool{}
	for si, s := range m.Systems {
		if s.System == "" {
			return dataError("system %d has no name", si)
		}
		if systems[s.System] {
			return dataError("duplicate system %q", s.System)
		}
		systems[s.System] = true
		if math.IsInf(s.Overall, 0) {
			return dataError("system %q: overall value is infinite", s.System)
		}
		if len(s.Groups) == 0 {
			return dataError("system %q has no groups", s.System)
		}
		groups := map[string]bool{}
		for _, e := range s.Groups {
			if e.Group == "" {
				return dataError("system %q: a group has no name", s.System)
			}
			if groups[e.Group] {
				return dataError("system %q: duplicate group %q", s.System, e.Group)
			}
			groups[e.Group] = true
			if err := checkEstimate(s.System, e, o); err != nil {
				return err
			}
		}
	}
	return nil
}

// checkEstimate validates one group estimate.
func checkEstimate(system string, e GroupEstimate, o groupOptions) error {
	if e.N < 0 {
		return dataError("system %q, group %q: size %d < 0", system, e.Group, e.N)
	}
	if e.Suppressed {
		return nil
	}
	if math.IsInf(e.Value, 0) || math.IsInf(e.Lo, 0) || math.IsInf(e.Hi, 0) {
		return dataError("system %q, group %q: infinite value or interval bound", system, e.Group)
	}
	if e.Lo > e.Hi {
		return dataError("system %q, group %q: interval [%v, %v] has Lo > Hi", system, e.Group, e.Lo, e.Hi)
	}
	if o.bounded && (e.Value < o.minValue || e.Value > o.maxValue) {
		return dataError("system %q, group %q: value %v outside [%v, %v]", system, e.Group, e.Value, o.minValue, o.maxValue)
	}
	return nil
}

// groupTickLabel returns the x tick label of group g: its name and, when
// the systems that show it agree on a known size, "n = ...".
func groupTickLabel(m GroupMetric, l groupLayout, g int) string {
	lo, hi := -1, -1
	for si, s := range m.Systems {
		ei := l.index[si][g]
		if ei < 0 || s.Groups[ei].Suppressed || s.Groups[ei].N == 0 {
			continue
		}
		n := s.Groups[ei].N
		if lo < 0 || n < lo {
			lo = n
		}
		hi = max(hi, n)
	}
	switch {
	case lo < 0:
		return l.names[g]
	case lo == hi:
		return l.names[g] + "\nn = " + thousands(lo)
	}
	return l.names[g] + "\nn = " + thousands(lo) + "–" + thousands(hi)
}

// groupChart draws a GroupMetric as dot-and-whisker.
func groupChart(m GroupMetric, o groupOptions) (*plot.Plot, error) {
	if err := checkGroupMetric(m, o); err != nil {
		return nil, err
	}
	minSize := m.MinGroupSize
	if minSize == 0 {
		minSize = DefaultMinGroupSize
	}
	suppressed := "suppressed (n < " + thousands(minSize) + ")"
	l := newGroupLayout(m.Systems)
	p := newPlot(o.title, defaultString(m.Attribute, "group"), o.yLabel)

	overall := false
	for si, s := range m.Systems {
		if !math.IsNaN(s.Overall) {
			overall = true
			p.Add(&refLine{y: s.Overall, style: draw.LineStyle{
				Color: SeriesColor(si), Width: vg.Points(1),
				Dashes: []vg.Length{vg.Points(5), vg.Points(3)},
			}})
		}
	}

	series, gaps := groupMarks(m, l, suppressed)
	p.Add(&gapMarks{gaps: gaps, style: gapTextStyle(p)})
	for si, s := range m.Systems {
		p.Add(&dotWhiskers{pts: series[si], color: SeriesColor(si), shape: seriesShape(si)})
		p.Legend.Add(s.System, markerThumb{color: SeriesColor(si), shape: seriesShape(si), filled: true, whisker: true})
	}

	sig := "filled: significant difference"
	if m.Significance != "" {
		sig = "filled: significant (" + m.Significance + ")"
	}
	p.Legend.Add(sig, markerThumb{color: referenceColor, filled: true})
	p.Legend.Add("hollow: not significant", markerThumb{color: referenceColor})
	if overall {
		text := "dashed: overall value"
		if len(m.Systems) > 1 {
			text = "dashed: overall, per system"
		}
		p.Legend.Add(text, lineThumb{draw.LineStyle{
			Color: referenceColor, Width: vg.Points(1), Dashes: []vg.Length{vg.Points(5), vg.Points(3)},
		}})
	}
	p.Legend.Add(ciLabel(m.Level), whiskerThumb{color: referenceColor})

	setGroupTicks(p, m, l)
	if o.fromZero {
		p.Y.Min = math.Min(p.Y.Min, 0)
	}
	if o.percent {
		p.Y.Tick.Marker = niceTicks{percent: true}
	}
	return p, nil
}

// groupMarks lays out the estimates of m: the points of each system (in
// group order, without the suppressed, undefined and missing ones) and
// the gaps. When every system has a group and it is a gap for the same
// reason in all of them, one gap spans the whole group, its label broken
// before "(".
func groupMarks(m GroupMetric, l groupLayout, suppressed string) ([][]estPoint, []gapMark) {
	series := make([][]estPoint, len(m.Systems))
	var gaps []gapMark
	for g := range l.names {
		reasons := make([]string, len(m.Systems))
		for si, s := range m.Systems {
			ei := l.index[si][g]
			if ei < 0 {
				continue
			}
			switch e := s.Groups[ei]; {
			case e.Suppressed:
				reasons[si] = suppressed
			case math.IsNaN(e.Value):
				reasons[si] = "undefined"
			default:
				series[si] = append(series[si], estPoint{
					X: l.x(si, g), XLo: math.NaN(), XHi: math.NaN(),
					Y: e.Value, YLo: e.Lo, YHi: e.Hi, Filled: e.Significant,
				})
			}
		}
		if allEqual(reasons) && reasons[0] != "" {
			half := l.width * float64(len(m.Systems)) / 2
			label := strings.Replace(reasons[0], " (", "\n(", 1)
			gaps = append(gaps, gapMark{X0: float64(g) - half, X1: float64(g) + half, Label: label})
			continue
		}
		for si, r := range reasons {
			if r != "" {
				x := l.x(si, g)
				gaps = append(gaps, gapMark{X0: x - l.width/2, X1: x + l.width/2, Label: r})
			}
		}
	}
	return series, gaps
}

// gapTextStyle is the style of gap labels: the legend's font, in grey.
func gapTextStyle(p *plot.Plot) text.Style {
	sty := p.Legend.TextStyle
	sty.Color = gapTextColor
	return sty
}

// setGroupTicks labels the categorical x axis with one tick per group,
// at 0, 1, ..., labelled by groupTickLabel. Labels that would overlap at
// DefaultWidth (after the legend's margin) are turned anticlockwise by
// the smallest of 30°, 45°, 60° and 90° that separates them.
func setGroupTicks(p *plot.Plot, m GroupMetric, l groupLayout) {
	ticks := make([]plot.Tick, len(l.names))
	for g := range l.names {
		ticks[g] = plot.Tick{Value: float64(g), Label: groupTickLabel(m, l, g)}
	}
	p.X.Tick.Marker = plot.ConstantTicks(ticks)
	p.X.Tick.Length = 0
	p.X.Min, p.X.Max = -0.5, float64(len(ticks))-0.5

	legend := p.Legend.Rectangle(draw.Canvas{})
	avail := DefaultWidth - (legend.Max.X - legend.Min.X) - vg.Points(70) // y axis, margins
	per := avail / vg.Length(len(ticks))
	sty := p.X.Tick.Label
	var w, h vg.Length
	for _, t := range ticks {
		w, h = max(w, sty.Width(t.Label)), max(h, sty.Height(t.Label))
	}
	if w <= 0.9*per {
		return
	}
	angle := math.Pi / 2
	for _, a := range []float64{math.Pi / 6, math.Pi / 4, math.Pi / 3} {
		if per*vg.Length(math.Sin(a)) >= 1.15*h {
			angle = a
			break
		}
	}
	p.X.Tick.Label.Rotation = angle
	p.X.Tick.Label.XAlign = draw.XRight
	p.X.Tick.Label.YAlign = draw.YCenter
}

// allEqual reports whether every element of s equals the first.
func allEqual(s []string) bool {
	for _, v := range s[1:] {
		if v != s[0] {
			return false
		}
	}
	return true
}
