package report

import (
	"math"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// RankSeries is one line of a RankProfile: Values[r-1] is the value at
// rank position r; NaN means no value at that rank (a gap in the line).
type RankSeries struct {
	Name   string
	Values []float64
}

// RankProfile is the input of RankChart: a quantity at each rank position
// 1..k, for several series (systems, or provider groups of one system).
type RankProfile struct {
	// Title is the chart title; empty means "<Quantity> by rank
	// position".
	Title string
	// Quantity names what is plotted, e.g. "mean exposure" or "share of
	// exposure to small providers"; Unit is its unit, empty for none.
	// Together they label the y axis.
	Quantity, Unit string
	// Percent shows the values, which must then be fractions, as
	// percentages.
	Percent bool
	// Series are drawn as one line each, coloured by SeriesColor and
	// dashed by series in this order.
	Series []RankSeries
}

// RankChart plots a quantity at each rank position 1..k, one line with
// markers per series; the x axis has integer ranks. Series may have
// different lengths.
//
// Gaps: a NaN value leaves a gap in its line (no marker, the line broken
// on both sides).
//
// RankChart returns an error wrapping ErrPlotData if r has no series, a
// series without a name or without values, a duplicate series name, an
// infinite value, or no finite value at all.
//
// Reference: METRICS-SPEC.md §4.1 (position-based exposure models).
func RankChart(r RankProfile) (*plot.Plot, error) {
	if len(r.Series) == 0 {
		return nil, dataError("no series")
	}
	seen := map[string]bool{}
	finite := false
	k := 0
	for si, s := range r.Series {
		if s.Name == "" {
			return nil, dataError("series %d has no name", si)
		}
		if seen[s.Name] {
			return nil, dataError("duplicate series %q", s.Name)
		}
		seen[s.Name] = true
		if len(s.Values) == 0 {
			return nil, dataError("series %q has no values", s.Name)
		}
		k = max(k, len(s.Values))
		for i, v := range s.Values {
			if math.IsInf(v, 0) {
				return nil, dataError("series %q, rank %d: infinite value", s.Name, i+1)
			}
			finite = finite || !math.IsNaN(v)
		}
	}
	if !finite {
		return nil, dataError("no finite values")
	}

	quantity := defaultString(r.Quantity, "value")
	p := newPlot(defaultString(r.Title, capitalize(quantity+" by rank position")), "rank position", axisLabel(quantity, r.Unit))
	for si, s := range r.Series {
		l := &gapLine{
			pts:     make([]xy, len(s.Values)),
			style:   draw.LineStyle{Color: SeriesColor(si), Width: vg.Points(lineWidth), Dashes: seriesDashes(si)},
			markers: true,
			shape:   seriesShape(si),
		}
		for i, v := range s.Values {
			l.pts[i] = xy{X: float64(i + 1), Y: v}
		}
		p.Add(l)
		p.Legend.Add(s.Name, l)
	}
	p.X.Min, p.X.Max = 1, float64(k)
	if k == 1 {
		p.X.Min, p.X.Max = 0.5, 1.5
	}
	p.X.Tick.Marker = integerTicks{}
	p.Y.Min = math.Min(p.Y.Min, 0)
	if r.Percent {
		p.Y.Tick.Marker = niceTicks{percent: true}
	}
	return p, nil
}
