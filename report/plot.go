package report

import (
	"errors"
	"fmt"
	"math"
	"strconv"
	"strings"

	xfont "golang.org/x/image/font"
	"gonum.org/v1/plot"
	"gonum.org/v1/plot/font"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// Panic messages for programmer errors.
const (
	errNegativeSeries = "report: negative series index"
	errBadSize        = "report: plot width and height must be positive and finite"
	errBadDirection   = "report: bad Direction"
	errNilPlot        = "report: nil plot"
)

// ErrPlotData is wrapped by every error a chart function returns for input
// it cannot draw: an infinite value, an interval with Lo > Hi, a duplicate
// or unnamed group, no data at all. Test for it with errors.Is.
var ErrPlotData = errors.New("report: invalid plot data")

// DefaultWidth and DefaultHeight are the size the charts are laid out for
// (about a page width at a readable font size). Other sizes work; below
// about 12 cm wide the legend leaves little room for the data.
const (
	DefaultWidth  = 18 * vg.Centimeter
	DefaultHeight = 10 * vg.Centimeter
)

// DefaultMinGroupSize is the suppression threshold named in the label of a
// suppressed group when a chart does not set its own (DESIGN.md, Privacy).
const DefaultMinGroupSize = 10

// Direction says which way a quantity improves.
type Direction int

const (
	// LowerIsBetter: smaller values are better (most disparities, a
	// difference of 0 is fair).
	LowerIsBetter Direction = iota
	// HigherIsBetter: larger values are better (accuracy, min/max ratios
	// where 1 is fair).
	HigherIsBetter
)

// note returns the axis-label note for d, with an arrow that points the
// better way along the axis. Vertical labels are rotated a quarter turn
// anticlockwise, so the same arrows point down and up there.
func (d Direction) note() string {
	switch d {
	case LowerIsBetter:
		return "← lower is better"
	case HigherIsBetter:
		return "higher is better →"
	default:
		panic(errBadDirection)
	}
}

// GroupEstimate is the value of a metric for one group, with its
// confidence interval.
//
// Lo and Hi bound the interval; a NaN in either means no interval is
// drawn. Value NaN means the metric is undefined for the group (for
// example a group without relevant items): the group is drawn as a gap
// labelled "undefined". A suppressed group (fewer members than the
// minimum group size) is drawn as a gap labelled "suppressed (n < 10)"
// and its Value, Lo, Hi and N are never shown.
type GroupEstimate struct {
	Group       string  // group label, e.g. "25-34"
	Value       float64 // point estimate
	Lo, Hi      float64 // confidence interval, Lo <= Hi
	N           int     // group size (users or items); 0 = not shown
	Significant bool    // the group differs significantly (as decided by the audit)
	Suppressed  bool    // the group is below the minimum size and must not be shown
}

// SystemGroups holds one system's estimates of a metric, one per group.
// Overall is the system's overall value, drawn as a dashed reference
// line in the system's colour; NaN means no line (0 draws a line at 0).
type SystemGroups struct {
	System  string
	Overall float64
	Groups  []GroupEstimate
}

// GroupMetric is one metric broken down by a grouping attribute, for one
// or more systems. It is the input of GroupChart, CalibrationChart and
// TargetingChart. Groups are placed on the x axis in order of first
// appearance over all systems; a system may lack a group (an empty slot).
type GroupMetric struct {
	// Title is the chart title; empty means a title built from Metric
	// and Attribute.
	Title string
	// Metric names the metric, e.g. "NDCG@10"; Unit is its unit, e.g.
	// "nats", empty for unitless metrics. Together they label the y axis.
	Metric, Unit string
	// Attribute names the grouping, e.g. "age band"; it labels the x axis.
	Attribute string
	// Level is the confidence level of the intervals, e.g. 0.95; 0 means
	// unstated.
	Level float64
	// Significance says what Significant means, e.g. "BH q < 0.05"; it is
	// shown in the legend.
	Significance string
	// MinGroupSize is the suppression threshold shown on suppressed
	// groups; 0 means DefaultMinGroupSize.
	MinGroupSize int
	// Systems are drawn side by side within each group, coloured by
	// SeriesColor in this order.
	Systems []SystemGroups
}

// dataError returns an error wrapping ErrPlotData.
func dataError(format string, args ...any) error {
	return fmt.Errorf("%w: "+format, append([]any{ErrPlotData}, args...)...)
}

// sans returns the Liberation Sans font at size points.
func sans(size float64, bold bool) font.Font {
	f := font.Font{Typeface: "Liberation", Variant: "Sans", Size: vg.Points(size)}
	if bold {
		f.Weight = xfont.WeightBold
	}
	return f
}

// newPlot returns a plot with the package's fonts, a light horizontal
// grid and a legend placed to the right of the data area.
func newPlot(title, xLabel, yLabel string) *plot.Plot {
	p := plot.New()
	p.Title.Text = title
	p.Title.TextStyle.Font = sans(12, true)
	p.Title.Padding = vg.Points(6)
	for _, a := range []*plot.Axis{&p.X, &p.Y} {
		a.Label.TextStyle.Font = sans(10, false)
		a.Tick.Label.Font = sans(9, false)
		a.Tick.Length = vg.Points(4)
		a.Padding = vg.Points(4)
	}
	p.X.Label.Text = xLabel
	p.Y.Label.Text = yLabel
	p.Legend.TextStyle.Font = sans(9, false)
	p.Legend.Top = true
	p.Legend.Left = false
	p.Legend.ThumbnailWidth = vg.Points(18)
	p.Legend.Padding = vg.Points(3)
	p.X.Tick.Marker = niceTicks{}
	p.Y.Tick.Marker = niceTicks{}

	g := plotter.NewGrid()
	g.Vertical.Color = nil
	g.Horizontal = draw.LineStyle{Color: gridColor, Width: vg.Points(0.5)}
	p.Add(g, &legendMargin{gap: vg.Points(10)})
	return p
}

// legendMargin reserves room to the right of the data area for the
// legend, so that the legend never covers data. It draws nothing; its
// glyph box is as wide as the legend at drawing time.
type legendMargin struct{ gap vg.Length }

var (
	_ plot.Plotter    = (*legendMargin)(nil)
	_ plot.GlyphBoxer = (*legendMargin)(nil)
)

// Plot implements plot.Plotter; it draws nothing.
func (*legendMargin) Plot(draw.Canvas, *plot.Plot) {}

// GlyphBoxes implements plot.GlyphBoxer.
func (m *legendMargin) GlyphBoxes(p *plot.Plot) []plot.GlyphBox {
	r := p.Legend.Rectangle(draw.Canvas{})
	w := r.Max.X - r.Min.X
	if w <= 0 {
		return nil
	}
	return []plot.GlyphBox{{X: 1, Y: 0.5, Rectangle: vg.Rectangle{Max: vg.Point{X: w + m.gap}}}}
}

// axisLabel joins a quantity's name with its unit and notes:
// "C_KL (nats; lower is better)".
func axisLabel(name string, notes ...string) string {
	var kept []string
	for _, n := range notes {
		if n != "" {
			kept = append(kept, n)
		}
	}
	if len(kept) == 0 {
		return name
	}
	return name + " (" + strings.Join(kept, "; ") + ")"
}

// checkLevel validates a confidence level.
func checkLevel(level float64) error {
	if level != 0 && !(level > 0 && level < 1) {
		return dataError("confidence level %v is not in (0, 1)", level)
	}
	return nil
}

// ciName names the intervals: "95% confidence interval", or "confidence
// interval" when the level is unstated (0).
func ciName(level float64) string {
	if level == 0 {
		return "confidence interval"
	}
	return trimFloat(level*100, 4) + "% confidence interval"
}

// ciLabel is the legend entry for interval whiskers.
func ciLabel(level float64) string { return "whiskers: " + ciName(level) }

// trimFloat formats v rounded to prec decimals, without trailing zeros.
func trimFloat(v float64, prec int) string {
	s := strconv.FormatFloat(v, 'f', prec, 64)
	if strings.Contains(s, ".") {
		s = strings.TrimRight(strings.TrimRight(s, "0"), ".")
	}
	if s == "-0" {
		s = "0"
	}
	return s
}

// thousands formats n with comma thousands separators.
func thousands(n int) string {
	s := strconv.Itoa(n)
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(s, "-")
	var b strings.Builder
	for i, r := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(r)
	}
	if neg {
		return "-" + b.String()
	}
	return b.String()
}

// niceTicks places about five intervals between labelled ticks at multiples of 1, 2, 2.5 or
// 5 times a power of ten. With percent set the values, fractions, are
// labelled as percentages: 0.25 is "25%".
type niceTicks struct{ percent bool }

var _ plot.Ticker = niceTicks{}

// Ticks implements plot.Ticker.
func (t niceTicks) Ticks(min, max float64) []plot.Tick {
	raw := (max - min) / 5
	if !(raw > 0) || math.IsInf(raw, 0) {
		return plot.DefaultTicks{}.Ticks(min, max)
	}
	if raw < 1e-9*math.Max(math.Abs(min), math.Abs(max)) {
		// A range of a few ulps (a single value): one tick, since
		// steps this small cannot be counted in float64.
		v := (min + max) / 2
		if t.percent {
			return []plot.Tick{{Value: v, Label: strconv.FormatFloat(100*v, 'g', 4, 64) + "%"}}
		}
		return []plot.Tick{{Value: v, Label: strconv.FormatFloat(v, 'g', 4, 64)}}
	}
	mag := math.Pow10(int(math.Floor(math.Log10(raw))))
	step, best := 0.0, math.Inf(1)
	for _, m := range []float64{1, 2, 2.5, 5, 10} {
		// The number of intervals closest to five wins; ties go to
		// the larger step.
		if d := math.Abs((max-min)/(m*mag) - 5); d <= best {
			step, best = m*mag, d
		}
	}
	scale := 1.0
	if t.percent {
		scale = 100
	}
	decimals := 0
	for decimals < 15 && math.Abs(step*scale*math.Pow10(decimals)-math.Round(step*scale*math.Pow10(decimals))) > 1e-6 {
		decimals++
	}
	var ts []plot.Tick
	first := math.Ceil(min/step - 1e-9)
	for i := 0.0; (first+i)*step <= max+step*1e-9 && i <= 20; i++ {
		v := (first + i) * step
		label := strconv.FormatFloat(v*scale, 'f', decimals, 64)
		if label == "-0" || strings.Trim(label, "-0.") == "" {
			label = strings.TrimPrefix(label, "-")
		}
		if t.percent {
			label += "%"
		}
		ts = append(ts, plot.Tick{Value: v, Label: label})
	}
	return ts
}

// integerTicks labels integer positions (ranks) with a step of 1, 2, 5,
// 10, 20, 50, ... chosen to give at most about ten labels; 1 is always
// labelled.
type integerTicks struct{}

var _ plot.Ticker = integerTicks{}

// Ticks implements plot.Ticker.
func (integerTicks) Ticks(min, max float64) []plot.Tick {
	lo := math.Ceil(min)
	hi := math.Floor(max)
	if hi < lo {
		return plot.DefaultTicks{}.Ticks(min, max)
	}
	step := 1.0
	for mult := 0; (hi-lo)/step > 10; mult++ {
		step = []float64{2, 5, 10}[mult%3] * math.Pow10(mult/3)
	}
	var ts []plot.Tick
	for v := lo; v <= hi; v++ {
		t := plot.Tick{Value: v}
		if v == 1 || math.Mod(v, step) == 0 {
			t.Label = strconv.FormatFloat(v, 'f', 0, 64)
		}
		ts = append(ts, t)
	}
	return ts
}
