package report

import (
	"image/color"
	"math"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/text"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// This file holds the custom plotters and legend thumbnails shared by the
// charts. They hold copies of the data, validated by the chart functions:
// coordinates are finite, interval bounds are finite or NaN (no whisker).

// Sizes of marks, in points.
const (
	markerRadius = 3.5
	markerStroke = 1.2
	whiskerWidth = 1.0
	capWidth     = 4.0
	lineWidth    = 1.5
)

// markerShape is the outline of a marker. Series take shapes in order, so
// that they differ by shape as well as by colour.
type markerShape int

const (
	shapeCircle markerShape = iota
	shapeSquare
	shapeTriangle
	shapeDiamond
	numShapes
)

// seriesShape returns the marker shape of the i-th series.
func seriesShape(i int) markerShape { return markerShape(i % int(numShapes)) }

// seriesDashes returns the dash pattern of the i-th series' lines: solid,
// dashed, dotted, dash-dotted, then again.
func seriesDashes(i int) []vg.Length {
	switch i % 4 {
	case 1:
		return []vg.Length{vg.Points(6), vg.Points(3)}
	case 2:
		return []vg.Length{vg.Points(1.5), vg.Points(2)}
	case 3:
		return []vg.Length{vg.Points(6), vg.Points(2), vg.Points(1.5), vg.Points(2)}
	}
	return nil
}

// markerPath returns the outline of a marker of the given shape centred on
// pt, scaled so that the shapes look about the same size as a circle of
// radius r.
func markerPath(shape markerShape, pt vg.Point, r vg.Length) vg.Path {
	var p vg.Path
	switch shape {
	case shapeSquare:
		h := 0.88 * r
		p.Move(vg.Point{X: pt.X - h, Y: pt.Y - h})
		p.Line(vg.Point{X: pt.X + h, Y: pt.Y - h})
		p.Line(vg.Point{X: pt.X + h, Y: pt.Y + h})
		p.Line(vg.Point{X: pt.X - h, Y: pt.Y + h})
	case shapeTriangle:
		h := 1.25 * r
		p.Move(vg.Point{X: pt.X, Y: pt.Y + h})
		p.Line(vg.Point{X: pt.X - h*0.866, Y: pt.Y - h*0.5})
		p.Line(vg.Point{X: pt.X + h*0.866, Y: pt.Y - h*0.5})
	case shapeDiamond:
		h := 1.2 * r
		p.Move(vg.Point{X: pt.X, Y: pt.Y + h})
		p.Line(vg.Point{X: pt.X - h, Y: pt.Y})
		p.Line(vg.Point{X: pt.X, Y: pt.Y - h})
		p.Line(vg.Point{X: pt.X + h, Y: pt.Y})
	default:
		p.Move(vg.Point{X: pt.X + r, Y: pt.Y})
		p.Arc(pt, r, 0, 2*math.Pi)
	}
	p.Close()
	return p
}

// drawMarker draws a marker: filled with col, or hollow (white inside)
// with a col outline.
func drawMarker(c *draw.Canvas, shape markerShape, col color.Color, filled bool, pt vg.Point) {
	path := markerPath(shape, pt, vg.Points(markerRadius))
	if filled {
		c.SetColor(col)
	} else {
		c.SetColor(color.White)
	}
	c.Fill(path)
	c.SetLineStyle(draw.LineStyle{Color: col, Width: vg.Points(markerStroke)})
	c.Stroke(path)
}

// estPoint is a point estimate with optional intervals in x and y. An
// interval with a NaN bound is not drawn.
type estPoint struct {
	X, XLo, XHi float64
	Y, YLo, YHi float64
	Filled      bool
}

// hasX and hasY report whether the point has an interval in x or y.
func (e estPoint) hasX() bool { return !math.IsNaN(e.XLo) && !math.IsNaN(e.XHi) }
func (e estPoint) hasY() bool { return !math.IsNaN(e.YLo) && !math.IsNaN(e.YHi) }

// dotWhiskers draws one series of estimates as markers with interval
// whiskers (dot-and-whisker).
type dotWhiskers struct {
	pts   []estPoint
	color color.Color
	shape markerShape
}

var (
	_ plot.Plotter    = (*dotWhiskers)(nil)
	_ plot.DataRanger = (*dotWhiskers)(nil)
	_ plot.GlyphBoxer = (*dotWhiskers)(nil)
)

// Plot implements plot.Plotter.
func (d *dotWhiskers) Plot(c draw.Canvas, p *plot.Plot) {
	trX, trY := p.Transforms(&c)
	ls := draw.LineStyle{Color: d.color, Width: vg.Points(whiskerWidth)}
	cw := vg.Points(capWidth) / 2
	for _, e := range d.pts {
		x, y := trX(e.X), trY(e.Y)
		if e.hasY() {
			lo, hi := trY(e.YLo), trY(e.YHi)
			c.StrokeLine2(ls, x, lo, x, hi)
			c.StrokeLine2(ls, x-cw, lo, x+cw, lo)
			c.StrokeLine2(ls, x-cw, hi, x+cw, hi)
		}
		if e.hasX() {
			lo, hi := trX(e.XLo), trX(e.XHi)
			c.StrokeLine2(ls, lo, y, hi, y)
			c.StrokeLine2(ls, lo, y-cw, lo, y+cw)
			c.StrokeLine2(ls, hi, y-cw, hi, y+cw)
		}
		drawMarker(&c, d.shape, d.color, e.Filled, vg.Point{X: x, Y: y})
	}
}

// DataRange implements plot.DataRanger.
func (d *dotWhiskers) DataRange() (xmin, xmax, ymin, ymax float64) {
	xmin, ymin = math.Inf(1), math.Inf(1)
	xmax, ymax = math.Inf(-1), math.Inf(-1)
	for _, e := range d.pts {
		xmin, xmax = math.Min(xmin, e.X), math.Max(xmax, e.X)
		ymin, ymax = math.Min(ymin, e.Y), math.Max(ymax, e.Y)
		if e.hasX() {
			xmin, xmax = math.Min(xmin, e.XLo), math.Max(xmax, e.XHi)
		}
		if e.hasY() {
			ymin, ymax = math.Min(ymin, e.YLo), math.Max(ymax, e.YHi)
		}
	}
	return xmin, xmax, ymin, ymax
}

// GlyphBoxes implements plot.GlyphBoxer, so that markers at the edge of
// the data range are not clipped.
func (d *dotWhiskers) GlyphBoxes(p *plot.Plot) []plot.GlyphBox {
	r := vg.Points(markerRadius*1.25 + markerStroke)
	bs := make([]plot.GlyphBox, len(d.pts))
	for i, e := range d.pts {
		bs[i] = plot.GlyphBox{
			X: p.X.Norm(e.X), Y: p.Y.Norm(e.Y),
			Rectangle: vg.Rectangle{Min: vg.Point{X: -r, Y: -r}, Max: vg.Point{X: r, Y: r}},
		}
	}
	return bs
}

// markerThumb is a legend thumbnail: a marker, optionally on a vertical
// whisker.
type markerThumb struct {
	color   color.Color
	shape   markerShape
	filled  bool
	whisker bool
}

var _ plot.Thumbnailer = markerThumb{}

// Thumbnail implements plot.Thumbnailer.
func (m markerThumb) Thumbnail(c *draw.Canvas) {
	ctr := c.Center()
	if m.whisker {
		ls := draw.LineStyle{Color: m.color, Width: vg.Points(whiskerWidth)}
		h := (c.Max.Y - c.Min.Y) / 2
		c.StrokeLine2(ls, ctr.X, ctr.Y-h, ctr.X, ctr.Y+h)
	}
	drawMarker(c, m.shape, m.color, m.filled, ctr)
}

// whiskerThumb is a legend thumbnail for "whiskers are intervals": a
// capped vertical bar.
type whiskerThumb struct{ color color.Color }

var _ plot.Thumbnailer = whiskerThumb{}

// Thumbnail implements plot.Thumbnailer.
func (w whiskerThumb) Thumbnail(c *draw.Canvas) {
	ls := draw.LineStyle{Color: w.color, Width: vg.Points(whiskerWidth)}
	ctr := c.Center()
	h := (c.Max.Y - c.Min.Y) / 2
	cw := vg.Points(capWidth) / 2
	c.StrokeLine2(ls, ctr.X, ctr.Y-h, ctr.X, ctr.Y+h)
	c.StrokeLine2(ls, ctr.X-cw, ctr.Y-h, ctr.X+cw, ctr.Y-h)
	c.StrokeLine2(ls, ctr.X-cw, ctr.Y+h, ctr.X+cw, ctr.Y+h)
}

// lineThumb is a legend thumbnail: a horizontal line.
type lineThumb struct{ style draw.LineStyle }

var _ plot.Thumbnailer = lineThumb{}

// Thumbnail implements plot.Thumbnailer.
func (l lineThumb) Thumbnail(c *draw.Canvas) {
	y := c.Center().Y
	c.StrokeLine2(l.style, c.Min.X, y, c.Max.X, y)
}

// refLine draws a horizontal reference line at y across the whole data
// area.
type refLine struct {
	y     float64
	style draw.LineStyle
}

var (
	_ plot.Plotter    = (*refLine)(nil)
	_ plot.DataRanger = (*refLine)(nil)
)

// Plot implements plot.Plotter.
func (r *refLine) Plot(c draw.Canvas, p *plot.Plot) {
	_, trY := p.Transforms(&c)
	y := trY(r.y)
	c.StrokeLine2(r.style, c.Min.X, y, c.Max.X, y)
}

// DataRange implements plot.DataRanger; the line extends the y range only.
func (r *refLine) DataRange() (xmin, xmax, ymin, ymax float64) {
	return math.Inf(1), math.Inf(-1), r.y, r.y
}

// gapMark is an empty slot on a categorical x axis, from X0 to X1 in data
// units, with a label saying why it is empty.
type gapMark struct {
	X0, X1 float64
	Label  string
}

// gapMarks shades empty slots and labels them. A label that does not fit
// across its slot is turned a quarter turn to run along it.
type gapMarks struct {
	gaps  []gapMark
	style text.Style
}

var _ plot.Plotter = (*gapMarks)(nil)

// Plot implements plot.Plotter.
func (g *gapMarks) Plot(c draw.Canvas, p *plot.Plot) {
	trX, _ := p.Transforms(&c)
	for _, m := range g.gaps {
		x0, x1 := trX(m.X0), trX(m.X1)
		c.FillPolygon(gapFillColor, []vg.Point{
			{X: x0, Y: c.Min.Y}, {X: x1, Y: c.Min.Y}, {X: x1, Y: c.Max.Y}, {X: x0, Y: c.Max.Y},
		})
		sty := g.style
		sty.XAlign, sty.YAlign = draw.XCenter, draw.YCenter
		if sty.Width(m.Label) > x1-x0-vg.Points(2) {
			sty.Rotation = math.Pi / 2
		}
		c.FillText(sty, vg.Point{X: (x0 + x1) / 2, Y: c.Center().Y}, m.Label)
	}
}

// bar is one bar from 0 to Y with an optional interval [Lo, Hi] (NaN: no
// whisker), centred on X. Solid bars are filled with the series colour,
// others with a pale tint of it.
type bar struct {
	X, Y, Lo, Hi float64
	Solid        bool
}

// barSeries draws one series of bars, Width data units wide, with black
// interval whiskers.
type barSeries struct {
	bars  []bar
	width float64
	color color.Color
}

var (
	_ plot.Plotter    = (*barSeries)(nil)
	_ plot.DataRanger = (*barSeries)(nil)
)

// pale returns col blended with white, keeping a quarter of the colour.
func pale(col color.Color) color.Color {
	r, g, b, _ := col.RGBA()
	mix := func(v uint32) uint8 { return uint8((v>>8)/4 + 255*3/4) }
	return color.NRGBA{R: mix(r), G: mix(g), B: mix(b), A: 0xff}
}

// Plot implements plot.Plotter.
func (s *barSeries) Plot(c draw.Canvas, p *plot.Plot) {
	trX, trY := p.Transforms(&c)
	outline := draw.LineStyle{Color: s.color, Width: vg.Points(1)}
	ls := draw.LineStyle{Color: referenceColor, Width: vg.Points(whiskerWidth)}
	cw := vg.Points(capWidth) / 2
	for _, b := range s.bars {
		x0, x1 := trX(b.X-s.width/2), trX(b.X+s.width/2)
		y0, y1 := trY(0), trY(b.Y)
		rect := []vg.Point{{X: x0, Y: y0}, {X: x1, Y: y0}, {X: x1, Y: y1}, {X: x0, Y: y1}}
		fill := s.color
		if !b.Solid {
			fill = pale(s.color)
		}
		c.FillPolygon(fill, rect)
		c.StrokeLines(outline, append(rect, rect[0]))
		if !math.IsNaN(b.Lo) && !math.IsNaN(b.Hi) {
			x := trX(b.X)
			lo, hi := trY(b.Lo), trY(b.Hi)
			c.StrokeLine2(ls, x, lo, x, hi)
			c.StrokeLine2(ls, x-cw, lo, x+cw, lo)
			c.StrokeLine2(ls, x-cw, hi, x+cw, hi)
		}
	}
}

// DataRange implements plot.DataRanger; the range always includes 0.
func (s *barSeries) DataRange() (xmin, xmax, ymin, ymax float64) {
	xmin, xmax = math.Inf(1), math.Inf(-1)
	ymin, ymax = 0, 0
	for _, b := range s.bars {
		xmin, xmax = math.Min(xmin, b.X-s.width/2), math.Max(xmax, b.X+s.width/2)
		ymin, ymax = math.Min(ymin, b.Y), math.Max(ymax, b.Y)
		if !math.IsNaN(b.Lo) && !math.IsNaN(b.Hi) {
			ymin, ymax = math.Min(ymin, b.Lo), math.Max(ymax, b.Hi)
		}
	}
	return xmin, xmax, ymin, ymax
}

// barThumb is a legend thumbnail: a small bar, solid or pale.
type barThumb struct {
	color color.Color
	solid bool
}

var _ plot.Thumbnailer = barThumb{}

// Thumbnail implements plot.Thumbnailer.
func (b barThumb) Thumbnail(c *draw.Canvas) {
	ctr := c.Center()
	w := vg.Points(5)
	rect := []vg.Point{
		{X: ctr.X - w, Y: c.Min.Y}, {X: ctr.X + w, Y: c.Min.Y},
		{X: ctr.X + w, Y: c.Max.Y}, {X: ctr.X - w, Y: c.Max.Y},
	}
	fill := b.color
	if !b.solid {
		fill = pale(b.color)
	}
	c.FillPolygon(fill, rect)
	c.StrokeLines(draw.LineStyle{Color: b.color, Width: vg.Points(1)}, append(rect, rect[0]))
}

// targetMarks draws each target as a short thick horizontal line across
// its bar, from X-HalfWidth to X+HalfWidth in data units.
type targetMarks struct {
	pts       []xy
	halfWidth float64
	style     draw.LineStyle
}

// xy is a point in data coordinates.
type xy struct{ X, Y float64 }

var (
	_ plot.Plotter    = (*targetMarks)(nil)
	_ plot.DataRanger = (*targetMarks)(nil)
)

// Plot implements plot.Plotter.
func (t *targetMarks) Plot(c draw.Canvas, p *plot.Plot) {
	trX, trY := p.Transforms(&c)
	for _, pt := range t.pts {
		y := trY(pt.Y)
		c.StrokeLine2(t.style, trX(pt.X-t.halfWidth), y, trX(pt.X+t.halfWidth), y)
	}
}

// DataRange implements plot.DataRanger.
func (t *targetMarks) DataRange() (xmin, xmax, ymin, ymax float64) {
	xmin, ymin = math.Inf(1), math.Inf(1)
	xmax, ymax = math.Inf(-1), math.Inf(-1)
	for _, pt := range t.pts {
		xmin, xmax = math.Min(xmin, pt.X-t.halfWidth), math.Max(xmax, pt.X+t.halfWidth)
		ymin, ymax = math.Min(ymin, pt.Y), math.Max(ymax, pt.Y)
	}
	return xmin, xmax, ymin, ymax
}

// gapLine draws a polyline through its points, leaving a gap wherever a
// Y is NaN, with optional markers at the points.
type gapLine struct {
	pts     []xy
	style   draw.LineStyle
	markers bool
	shape   markerShape
}

var (
	_ plot.Plotter     = (*gapLine)(nil)
	_ plot.DataRanger  = (*gapLine)(nil)
	_ plot.GlyphBoxer  = (*gapLine)(nil)
	_ plot.Thumbnailer = (*gapLine)(nil)
)

// Plot implements plot.Plotter.
func (l *gapLine) Plot(c draw.Canvas, p *plot.Plot) {
	trX, trY := p.Transforms(&c)
	var run []vg.Point
	flush := func() {
		if len(run) > 1 {
			c.StrokeLines(l.style, run)
		}
		run = nil
	}
	for _, pt := range l.pts {
		if math.IsNaN(pt.Y) {
			flush()
			continue
		}
		run = append(run, vg.Point{X: trX(pt.X), Y: trY(pt.Y)})
	}
	flush()
	if !l.markers {
		return
	}
	for _, pt := range l.pts {
		if !math.IsNaN(pt.Y) {
			drawMarker(&c, l.shape, l.style.Color, true, vg.Point{X: trX(pt.X), Y: trY(pt.Y)})
		}
	}
}

// DataRange implements plot.DataRanger; NaN values are skipped.
func (l *gapLine) DataRange() (xmin, xmax, ymin, ymax float64) {
	xmin, ymin = math.Inf(1), math.Inf(1)
	xmax, ymax = math.Inf(-1), math.Inf(-1)
	for _, pt := range l.pts {
		xmin, xmax = math.Min(xmin, pt.X), math.Max(xmax, pt.X)
		if !math.IsNaN(pt.Y) {
			ymin, ymax = math.Min(ymin, pt.Y), math.Max(ymax, pt.Y)
		}
	}
	return xmin, xmax, ymin, ymax
}

// GlyphBoxes implements plot.GlyphBoxer.
func (l *gapLine) GlyphBoxes(p *plot.Plot) []plot.GlyphBox {
	if !l.markers {
		return nil
	}
	r := vg.Points(markerRadius*1.25 + markerStroke)
	var bs []plot.GlyphBox
	for _, pt := range l.pts {
		if !math.IsNaN(pt.Y) {
			bs = append(bs, plot.GlyphBox{
				X: p.X.Norm(pt.X), Y: p.Y.Norm(pt.Y),
				Rectangle: vg.Rectangle{Min: vg.Point{X: -r, Y: -r}, Max: vg.Point{X: r, Y: r}},
			})
		}
	}
	return bs
}

// Thumbnail implements plot.Thumbnailer: the line, with a marker if the
// series has markers.
func (l *gapLine) Thumbnail(c *draw.Canvas) {
	y := c.Center().Y
	c.StrokeLine2(l.style, c.Min.X, y, c.Max.X, y)
	if l.markers {
		drawMarker(c, l.shape, l.style.Color, true, c.Center())
	}
}
