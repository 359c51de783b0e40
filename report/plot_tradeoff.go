package report

import (
	"math"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// SystemPoint is one system's accuracy and disparity, each with an
// optional confidence interval (a NaN bound: no whisker).
type SystemPoint struct {
	System                              string
	Accuracy, AccuracyLo, AccuracyHi    float64
	Disparity, DisparityLo, DisparityHi float64
}

// TradeOff is the input of TradeOffChart.
type TradeOff struct {
	// Title is the chart title; empty means "Accuracy against disparity".
	Title string
	// Accuracy names the accuracy metric (higher is better), e.g.
	// "NDCG@10"; it labels the x axis.
	Accuracy string
	// Disparity names the disparity, e.g. "NDCG@10 max−min gap across
	// age bands"; it labels the y axis.
	Disparity string
	// Better says which way the disparity improves; the zero value is
	// LowerIsBetter (differences, where 0 is fair).
	Better Direction
	// Level is the confidence level of the intervals, e.g. 0.95; 0 means
	// unstated.
	Level float64
	// Systems are drawn as one labelled point each, coloured by
	// SeriesColor in this order.
	Systems []SystemPoint
}

// TradeOffChart plots accuracy against disparity across systems: one
// point per system, labelled with its name, with whiskers for the
// intervals in both directions. The axis labels say which way is better
// ("higher is better →" for accuracy, and for the disparity as Better
// says), and so does the second line of the title.
//
// TradeOffChart returns an error wrapping ErrPlotData if t has no
// systems, a system without a name, a duplicate system, a NaN or infinite
// Accuracy or Disparity, an infinite interval bound, a Lo > Hi or a Level
// outside [0, 1). It panics if t.Better is not a Direction constant.
//
// Reference: recaudit audit report (accuracy–fairness trade-off across
// systems); METRICS-SPEC.md §1 and §3.2 for the quantities.
func TradeOffChart(t TradeOff) (*plot.Plot, error) {
	better := t.Better.note()
	if len(t.Systems) == 0 {
		return nil, dataError("no systems")
	}
	if err := checkLevel(t.Level); err != nil {
		return nil, err
	}
	seen := map[string]bool{}
	for si, s := range t.Systems {
		if s.System == "" {
			return nil, dataError("system %d has no name", si)
		}
		if seen[s.System] {
			return nil, dataError("duplicate system %q", s.System)
		}
		seen[s.System] = true
		for _, v := range []struct {
			name          string
			value, lo, hi float64
		}{
			{"accuracy", s.Accuracy, s.AccuracyLo, s.AccuracyHi},
			{"disparity", s.Disparity, s.DisparityLo, s.DisparityHi},
		} {
			if math.IsNaN(v.value) || math.IsInf(v.value, 0) || math.IsInf(v.lo, 0) || math.IsInf(v.hi, 0) {
				return nil, dataError("system %q: %s or its interval is not finite", s.System, v.name)
			}
			if v.lo > v.hi {
				return nil, dataError("system %q: %s interval [%v, %v] has Lo > Hi", s.System, v.name, v.lo, v.hi)
			}
		}
	}

	where := "better: right and down"
	if t.Better == HigherIsBetter {
		where = "better: right and up"
	}
	p := newPlot(
		defaultString(t.Title, "Accuracy against disparity")+"\n"+where+"; whiskers: "+ciName(t.Level)+"s",
		axisLabel(defaultString(t.Accuracy, "accuracy"), HigherIsBetter.note()),
		axisLabel(defaultString(t.Disparity, "disparity"), better),
	)

	labels := plotter.XYLabels{XYs: make(plotter.XYs, len(t.Systems)), Labels: make([]string, len(t.Systems))}
	for si, s := range t.Systems {
		p.Add(&dotWhiskers{
			pts: []estPoint{{
				X: s.Accuracy, XLo: s.AccuracyLo, XHi: s.AccuracyHi,
				Y: s.Disparity, YLo: s.DisparityLo, YHi: s.DisparityHi, Filled: true,
			}},
			color: SeriesColor(si), shape: seriesShape(si),
		})
		labels.XYs[si] = plotter.XY{X: s.Accuracy, Y: s.Disparity}
		labels.Labels[si] = s.System
	}
	lp, err := plotter.NewLabels(labels)
	if err != nil {
		return nil, dataError("%v", err)
	}
	for i := range lp.TextStyle {
		lp.TextStyle[i].Font = sans(9, false)
		lp.TextStyle[i].YAlign = draw.YBottom
	}
	lp.Offset = vg.Point{X: vg.Points(5), Y: vg.Points(3)}
	p.Add(lp)
	// The labels sit to the right of their points: widen the x range so
	// that the rightmost ones are not cut off at the chart's edge.
	const dataWidth = DefaultWidth - 3*vg.Centimeter // less the y axis, its ticks and its label
	// A label of width f (a share of the data area) after the point at x
	// fits when x + f·(max − min) ≤ max, that is max ≥ x + f·(x − min)/(1 − f).
	for i, xy := range labels.XYs {
		f := float64((lp.Offset.X + lp.TextStyle[i].Width(labels.Labels[i])) / dataWidth)
		if f >= 0.5 {
			continue // a label as wide as half the chart: leave it
		}
		if need := xy.X + f*(xy.X-p.X.Min)/(1-f); need > p.X.Max {
			p.X.Max = need
		}
	}
	if t.Better == LowerIsBetter && p.Y.Min >= 0 {
		p.Y.Min = 0 // show the fair value
	}
	return p, nil
}
