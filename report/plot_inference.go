package report

import (
	"image/color"
	"math"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// AttributeAUC is the attribute-inference probe's result for one
// attribute of one system: the cross-validated AUC with its interval, and
// the range of the AUCs of the same classifier on shuffled labels.
//
// AUC NaN means the attribute could not be modelled (fewer than two
// groups): it is drawn as a gap labelled "undefined". Lo or Hi NaN means
// no whisker; ShuffledLo or ShuffledHi NaN means no band.
type AttributeAUC struct {
	Attribute              string
	AUC, Lo, Hi            float64
	ShuffledLo, ShuffledHi float64
	// Leaks marks an attribute the audit found to leak (drawn filled).
	Leaks bool
}

// SystemAUCs holds one system's AUCs, one per attribute.
type SystemAUCs struct {
	System     string
	Attributes []AttributeAUC
}

// InferenceAUC is the input of InferenceChart.
type InferenceAUC struct {
	// Title is the chart title; empty means "How well the lists reveal
	// each attribute".
	Title string
	// K is the length of the lists the classifier saw, shown in the
	// title; 0 means whole lists.
	K int
	// Level is the confidence level of the intervals; 0 means unstated.
	Level float64
	// Significance says what a filled marker means, e.g. "leaks: BH q <
	// 0.05"; it is shown in the legend.
	Significance string
	// Systems are drawn side by side within each attribute, coloured by
	// SeriesColor in this order.
	Systems []SystemAUCs
}

// shuffledBandColor fills the shuffled-label bands: a neutral grey, not a
// series colour, so that the band reads as "chance" for every system.
var shuffledBandColor = color.NRGBA{R: 0xcc, G: 0xcc, B: 0xcc, A: 0xff}

// InferenceChart plots the attribute-inference risk of each system's
// lists: for each attribute (x axis), each system's cross-validated AUC of
// predicting the attribute from a user's list (dot-and-whisker, filled
// when the audit found a leak), over a grey band spanning the AUCs the
// same classifier reached on shuffled labels (what chance alone gives),
// with a line at 0.5. An AUC clearly above its band means that the lists
// reveal the attribute to anyone who sees them.
//
// InferenceChart returns an error wrapping ErrPlotData if m has no
// systems, a system or attribute without a name, a duplicate system or
// attribute, an infinite value, an interval or band with Lo > Hi, a value
// outside [0, 1] or a Level outside [0, 1).
//
// Reference: J. A. Hanley and B. J. McNeil, "The meaning and use of the
// area under a receiver operating characteristic (ROC) curve", Radiology
// 143, 1982.
func InferenceChart(m InferenceAUC) (*plot.Plot, error) {
	gm := GroupMetric{Level: m.Level, Significance: m.Significance}
	for _, s := range m.Systems {
		sg := SystemGroups{System: s.System, Overall: math.NaN()}
		for _, a := range s.Attributes {
			sg.Groups = append(sg.Groups, GroupEstimate{Group: a.Attribute, Value: a.AUC, Lo: a.Lo, Hi: a.Hi, Significant: a.Leaks})
		}
		gm.Systems = append(gm.Systems, sg)
	}
	o := groupOptions{bounded: true, minValue: 0, maxValue: 1}
	if err := checkGroupMetric(gm, o); err != nil {
		return nil, err
	}
	for _, s := range m.Systems {
		for _, a := range s.Attributes {
			lo, hi := a.ShuffledLo, a.ShuffledHi
			if math.IsInf(lo, 0) || math.IsInf(hi, 0) || lo > hi {
				return nil, dataError("system %q, attribute %q: shuffled band [%v, %v] is infinite or has Lo > Hi", s.System, a.Attribute, lo, hi)
			}
			if !math.IsNaN(lo) && (lo < 0 || hi > 1) {
				return nil, dataError("system %q, attribute %q: shuffled band [%v, %v] outside [0, 1]", s.System, a.Attribute, lo, hi)
			}
		}
	}

	title := m.Title
	if title == "" {
		title = "How well the lists reveal each attribute"
		if m.K > 0 {
			title = "How well the top-" + thousands(m.K) + " lists reveal each attribute"
		}
	}
	l := newGroupLayout(gm.Systems)
	p := newPlot(title, "attribute", axisLabel("AUC of predicting it from the list", "0.5: chance"))

	var bands []band
	for si, s := range m.Systems {
		for g := range l.names {
			ai := l.index[si][g]
			if ai < 0 {
				continue
			}
			a := s.Attributes[ai]
			if math.IsNaN(a.ShuffledLo) || math.IsNaN(a.ShuffledHi) || math.IsNaN(a.AUC) {
				continue
			}
			x := l.x(si, g)
			bands = append(bands, band{X0: x - 0.45*l.width, X1: x + 0.45*l.width, Y0: a.ShuffledLo, Y1: a.ShuffledHi})
		}
	}
	p.Add(&bandMarks{bands: bands, fill: shuffledBandColor})
	chance := draw.LineStyle{Color: referenceColor, Width: vg.Points(0.8)}
	p.Add(&refLine{y: 0.5, style: chance})

	series, gaps := groupMarks(gm, l, "")
	p.Add(&gapMarks{gaps: gaps, style: gapTextStyle(p)})
	for si, s := range m.Systems {
		p.Add(&dotWhiskers{pts: series[si], color: SeriesColor(si), shape: seriesShape(si)})
		p.Legend.Add(s.System, markerThumb{color: SeriesColor(si), shape: seriesShape(si), filled: true, whisker: true})
	}
	sig := "filled: leaks"
	if m.Significance != "" {
		sig = "filled: " + m.Significance
	}
	p.Legend.Add(sig, markerThumb{color: referenceColor, filled: true})
	p.Legend.Add("hollow: no evidence", markerThumb{color: referenceColor})
	p.Legend.Add(ciLabel(m.Level), whiskerThumb{color: referenceColor})
	p.Legend.Add("grey band: shuffled labels", barThumb{color: shuffledBandColor, solid: true})
	p.Legend.Add("line: chance (0.5)", lineThumb{chance})
	setGroupTicks(p, gm, l)
	return p, nil
}

// band is a filled rectangle in data coordinates.
type band struct{ X0, X1, Y0, Y1 float64 }

// bandMarks fills rectangles behind the data (the shuffled-label bands of
// InferenceChart).
type bandMarks struct {
	bands []band
	fill  color.Color
}

var (
	_ plot.Plotter    = (*bandMarks)(nil)
	_ plot.DataRanger = (*bandMarks)(nil)
)

// Plot implements plot.Plotter.
func (b *bandMarks) Plot(c draw.Canvas, p *plot.Plot) {
	trX, trY := p.Transforms(&c)
	for _, r := range b.bands {
		x0, x1, y0, y1 := trX(r.X0), trX(r.X1), trY(r.Y0), trY(r.Y1)
		if y1-y0 < vg.Points(1) { // a band of one value: a visible sliver
			mid := (y0 + y1) / 2
			y0, y1 = mid-vg.Points(0.5), mid+vg.Points(0.5)
		}
		c.FillPolygon(b.fill, []vg.Point{{X: x0, Y: y0}, {X: x1, Y: y0}, {X: x1, Y: y1}, {X: x0, Y: y1}})
	}
}

// DataRange implements plot.DataRanger.
func (b *bandMarks) DataRange() (xmin, xmax, ymin, ymax float64) {
	xmin, ymin = math.Inf(1), math.Inf(1)
	xmax, ymax = math.Inf(-1), math.Inf(-1)
	for _, r := range b.bands {
		xmin, xmax = math.Min(xmin, r.X0), math.Max(xmax, r.X1)
		ymin, ymax = math.Min(ymin, r.Y0), math.Max(ymax, r.Y1)
	}
	return xmin, xmax, ymin, ymax
}
