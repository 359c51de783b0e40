package report

import (
	"math"
	"slices"
	"strconv"
	"strings"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// ItemExposure is the exposure of every catalog item under one system,
// one value per item, zeros included.
type ItemExposure struct {
	System   string
	Exposure []float64
}

// Lorenz is the input of LorenzChart.
type Lorenz struct {
	// Title is the chart title; empty means "Lorenz curve of item
	// exposure".
	Title string
	// Systems are drawn as one curve each, coloured by SeriesColor in
	// this order.
	Systems []ItemExposure
}

// lorenzMaxSegments bounds the number of segments drawn per curve.
const lorenzMaxSegments = 500

// LorenzChart plots the Lorenz curve of item exposure for each system:
// items sorted from least to most exposed, the cumulative share of items
// on the x axis against their cumulative share of exposure on the y axis,
// with the diagonal of perfect equality. Each legend entry gives the
// system's Gini index
//
//	G = Σ_{j=1..n} (2j − n − 1) x_(j) / (n Σ_j x_j),
//
// with x_(1) <= ... <= x_(n) the sorted exposures, which is 1 − 2 × the
// area under the curve (0 = every item equally exposed); with a single
// system the title gives it too. A curve over more than 500 items is
// drawn through 501 evenly spaced points of the exact curve (the Gini is
// always exact). The exposure slices are not modified.
//
// LorenzChart returns an error wrapping ErrPlotData if l has no systems,
// a system without a name or without items, a duplicate system, or
// exposures that are negative, NaN, infinite or all 0.
//
// Reference: METRICS-SPEC.md §2.2 (the Gini formula, as
// metrics.GiniStandard); M. O. Lorenz, "Methods of measuring the
// concentration of wealth", JASA 9(70), 1905.
func LorenzChart(l Lorenz) (*plot.Plot, error) {
	if len(l.Systems) == 0 {
		return nil, dataError("no systems")
	}
	seen := map[string]bool{}
	for si, s := range l.Systems {
		if s.System == "" {
			return nil, dataError("system %d has no name", si)
		}
		if seen[s.System] {
			return nil, dataError("duplicate system %q", s.System)
		}
		seen[s.System] = true
		if len(s.Exposure) == 0 {
			return nil, dataError("system %q: no items", s.System)
		}
		var sum float64
		for i, x := range s.Exposure {
			if !(x >= 0) || math.IsInf(x, 1) {
				return nil, dataError("system %q, item %d: exposure %v is not finite and >= 0", s.System, i, x)
			}
			sum += x
		}
		if sum == 0 || math.IsInf(sum, 1) {
			return nil, dataError("system %q: total exposure %v is not positive and finite", s.System, sum)
		}
	}

	title := defaultString(l.Title, "Lorenz curve of item exposure")
	p := newPlot("", "cumulative share of items (least to most exposed)", "cumulative share of exposure")
	equal := &gapLine{
		pts:   []xy{{0, 0}, {1, 1}},
		style: draw.LineStyle{Color: referenceColor, Width: vg.Points(1), Dashes: []vg.Length{vg.Points(4), vg.Points(3)}},
	}
	p.Add(equal)
	var ginis []string
	for si, s := range l.Systems {
		pts, gini := lorenzCurve(s.Exposure)
		line := &gapLine{pts: pts, style: draw.LineStyle{
			Color: SeriesColor(si), Width: vg.Points(lineWidth), Dashes: seriesDashes(si),
		}}
		p.Add(line)
		g := strconv.FormatFloat(gini, 'f', 3, 64)
		ginis = append(ginis, g)
		p.Legend.Add(s.System+" (Gini "+g+")", line)
	}
	p.Legend.Add("perfect equality (Gini 0)", equal)
	if len(l.Systems) == 1 && l.Title == "" {
		title += " (Gini " + strings.Join(ginis, "") + ")"
	}
	p.Title.Text = title
	p.X.Min, p.X.Max, p.Y.Min, p.Y.Max = 0, 1, 0, 1
	p.X.Tick.Marker = niceTicks{percent: true}
	p.Y.Tick.Marker = niceTicks{percent: true}
	return p, nil
}

// lorenzCurve returns the Lorenz curve of x (at most lorenzMaxSegments+1
// points, exact at each) and its Gini index. x is not modified.
func lorenzCurve(x []float64) ([]xy, float64) {
	s := slices.Clone(x)
	slices.Sort(s)
	n := len(s)
	cum := make([]float64, n+1)
	var num float64
	for j, v := range s {
		cum[j+1] = cum[j] + v
		num += float64(2*(j+1)-n-1) * v
	}
	total := cum[n]
	gini := num / (float64(n) * total)

	segs := min(n, lorenzMaxSegments)
	pts := make([]xy, segs+1)
	for i := range pts {
		j := i * n / segs
		pts[i] = xy{X: float64(j) / float64(n), Y: cum[j] / total}
	}
	return pts, gini
}
