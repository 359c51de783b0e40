package report

import (
	"math"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// ShareEstimate is a group's realised share of exposure (Value, with its
// confidence interval Lo, Hi, all fractions in [0, 1]) and the share it
// should have, Target (NaN: no target). Significant marks a share that
// differs significantly from its target.
type ShareEstimate struct {
	GroupEstimate
	Target float64
}

// SystemShares holds one system's exposure shares, one per provider
// group.
type SystemShares struct {
	System string
	Groups []ShareEstimate
}

// ExposureShares is the input of ExposureChart: the share of exposure
// that each provider (item) group receives from each system, against a
// target share.
type ExposureShares struct {
	// Title is the chart title; empty means "Exposure share by
	// <Attribute>".
	Title string
	// Attribute names the provider grouping, e.g. "provider group"; it
	// labels the x axis.
	Attribute string
	// Target says how the target was set, e.g. "share of catalog" or
	// "relevance-proportional"; it is shown in the legend.
	Target string
	// Level is the confidence level of the intervals, e.g. 0.95; 0 means
	// unstated.
	Level float64
	// Significance says what Significant means, e.g. "BH q < 0.05".
	Significance string
	// MinGroupSize is the suppression threshold shown on suppressed
	// groups; 0 means DefaultMinGroupSize.
	MinGroupSize int
	// Systems are drawn side by side within each group, coloured by
	// SeriesColor in this order.
	Systems []SystemShares
}

// ExposureChart plots each provider group's realised share of exposure
// against its target: groups along the x axis, one bar per system side by
// side (from 0 to the share, with a black whisker for its interval) and
// the target as a thick black line across the bar. A bar is solid when
// its share differs significantly from the target and pale otherwise.
// Shares are fractions shown as percentages on a y axis from 0.
//
// Gaps, as in GroupChart: a suppressed group is a shaded gap labelled
// "suppressed (n < MinGroupSize)", a NaN share one labelled "undefined";
// an interval with a NaN bound is not drawn, nor is a NaN target.
//
// ExposureChart returns an error wrapping ErrPlotData if e has no
// systems, a system or group without a name, a duplicate system or group,
// a share or target outside [0, 1] or infinite, an infinite interval
// bound, Lo > Hi, N < 0, MinGroupSize < 0 or a Level outside [0, 1).
//
// Reference: A. Singh and T. Joachims, "Fairness of Exposure in
// Rankings", KDD 2018; METRICS-SPEC.md §4.2 (share view).
func ExposureChart(e ExposureShares) (*plot.Plot, error) {
	m := GroupMetric{
		Attribute: e.Attribute, Level: e.Level, MinGroupSize: e.MinGroupSize,
		Systems: make([]SystemGroups, len(e.Systems)),
	}
	for si, s := range e.Systems {
		m.Systems[si] = SystemGroups{System: s.System, Overall: math.NaN(), Groups: make([]GroupEstimate, len(s.Groups))}
		for gi, g := range s.Groups {
			m.Systems[si].Groups[gi] = g.GroupEstimate
			if !g.Suppressed && !math.IsNaN(g.Target) && !(g.Target >= 0 && g.Target <= 1) {
				return nil, dataError("system %q, group %q: target share %v outside [0, 1]", s.System, g.Group, g.Target)
			}
		}
	}
	o := groupOptions{bounded: true, minValue: 0, maxValue: 1}
	if err := checkGroupMetric(m, o); err != nil {
		return nil, err
	}

	minSize := e.MinGroupSize
	if minSize == 0 {
		minSize = DefaultMinGroupSize
	}
	attr := defaultString(e.Attribute, "provider group")
	p := newPlot(defaultString(e.Title, capitalize("exposure share by "+attr)), attr, "share of exposure")
	l := newGroupLayout(m.Systems)

	series, gaps := groupMarks(m, l, "suppressed (n < "+thousands(minSize)+")")
	p.Add(&gapMarks{gaps: gaps, style: gapTextStyle(p)})
	for si, s := range e.Systems {
		bs := &barSeries{width: l.width * 0.85, color: SeriesColor(si)}
		for _, pt := range series[si] {
			bs.bars = append(bs.bars, bar{X: pt.X, Y: pt.Y, Lo: pt.YLo, Hi: pt.YHi, Solid: pt.Filled})
		}
		p.Add(bs)
		p.Legend.Add(s.System, barThumb{color: SeriesColor(si), solid: true})
	}
	targets := &targetMarks{halfWidth: l.width * 0.45, style: draw.LineStyle{Color: referenceColor, Width: vg.Points(2.5)}}
	for si, s := range e.Systems {
		for g := range l.names {
			if ei := l.index[si][g]; ei >= 0 && !s.Groups[ei].Suppressed && !math.IsNaN(s.Groups[ei].Target) {
				targets.pts = append(targets.pts, xy{X: l.x(si, g), Y: s.Groups[ei].Target})
			}
		}
	}
	p.Add(targets)

	sig := "solid: differs from target"
	if e.Significance != "" {
		sig += " (" + e.Significance + ")"
	}
	p.Legend.Add(sig, barThumb{color: referenceColor, solid: true})
	p.Legend.Add("pale: not significant", barThumb{color: referenceColor})
	if len(targets.pts) > 0 {
		p.Legend.Add(axisLabel("black line: target", e.Target), lineThumb{targets.style})
	}
	p.Legend.Add(ciLabel(e.Level), whiskerThumb{color: referenceColor})

	setGroupTicks(p, m, l)
	p.Y.Min = math.Min(p.Y.Min, 0)
	p.Y.Tick.Marker = niceTicks{percent: true}
	return p, nil
}
