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
// one value per item, zeros included; or, when Exposure is nil, the
// system's Lorenz curve already computed (as a results document stores it,
// audit.LorenzCurve), with its Gini index.
type ItemExposure struct {
	System   string
	Exposure []float64
	// Curve is the Lorenz curve when Exposure is nil: points from (0, 0)
	// to (1, 1), both coordinates non-decreasing, drawn as given.
	Curve []LorenzPoint
	// Gini is the Gini index of the curve's exposures, shown in the
	// legend when Curve is used; NaN shows "n/a".
	Gini float64
}

// LorenzPoint is a point of a Lorenz curve: the least exposed Items share
// of the items receive the Exposure share of the exposure.
type LorenzPoint struct{ Items, Exposure float64 }

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
// A system given by its Curve (Exposure nil) is drawn through its points
// as they are, with its Gini as given.
//
// LorenzChart returns an error wrapping ErrPlotData if l has no systems,
// a system without a name or without items, a duplicate system,
// exposures that are negative, NaN, infinite or all 0, or a Curve that
// does not run from (0, 0) to (1, 1) with non-decreasing coordinates, or
// whose Gini is outside [0, 1].
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
		if s.Exposure == nil && s.Curve != nil {
			if err := checkCurve(s); err != nil {
				return nil, err
			}
			continue
		}
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
		var pts []xy
		var gini float64
		if s.Exposure == nil && s.Curve != nil {
			pts, gini = make([]xy, len(s.Curve)), s.Gini
			for i, c := range s.Curve {
				pts[i] = xy{X: c.Items, Y: c.Exposure}
			}
		} else {
			pts, gini = lorenzCurve(s.Exposure)
		}
		line := &gapLine{pts: pts, style: draw.LineStyle{
			Color: SeriesColor(si), Width: vg.Points(lineWidth), Dashes: seriesDashes(si),
		}}
		p.Add(line)
		g := "n/a"
		if !math.IsNaN(gini) {
			g = strconv.FormatFloat(gini, 'f', 3, 64)
		}
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

// checkCurve validates a precomputed Lorenz curve.
func checkCurve(s ItemExposure) error {
	const tol = 1e-9
	c := s.Curve
	if len(c) < 2 {
		return dataError("system %q: a Lorenz curve needs at least 2 points", s.System)
	}
	if math.Abs(c[0].Items) > tol || math.Abs(c[0].Exposure) > tol ||
		math.Abs(c[len(c)-1].Items-1) > tol || math.Abs(c[len(c)-1].Exposure-1) > tol {
		return dataError("system %q: the Lorenz curve does not run from (0, 0) to (1, 1)", s.System)
	}
	for i, pt := range c {
		if !(pt.Items >= 0 && pt.Items <= 1 && pt.Exposure >= 0 && pt.Exposure <= 1+tol) {
			return dataError("system %q, point %d: (%v, %v) is outside the unit square", s.System, i, pt.Items, pt.Exposure)
		}
		if i > 0 && (pt.Items < c[i-1].Items || pt.Exposure < c[i-1].Exposure-tol) {
			return dataError("system %q, point %d: the Lorenz curve decreases", s.System, i)
		}
	}
	if !math.IsNaN(s.Gini) && !(s.Gini >= 0 && s.Gini <= 1) {
		return dataError("system %q: Gini %v outside [0, 1]", s.System, s.Gini)
	}
	return nil
}
