package report_test

import (
	"bytes"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"strings"

	"gonum.org/v1/plot"

	"github.com/recaudit/recaudit/report"
)

// printChart prints what a reader sees first: the title, the axis labels
// and the x tick labels of a categorical axis.
func printChart(p *plot.Plot, xTicks bool) {
	fmt.Printf("title: %q\n", p.Title.Text)
	fmt.Printf("x: %q\n", p.X.Label.Text)
	fmt.Printf("y: %q\n", p.Y.Label.Text)
	if xTicks {
		for _, t := range p.X.Tick.Marker.Ticks(p.X.Min, p.X.Max) {
			fmt.Printf("x tick: %q\n", t.Label)
		}
	}
}

func ExampleGroupChart() {
	m := report.GroupMetric{
		Metric:       "NDCG@10",
		Attribute:    "age band",
		Level:        0.95,
		Significance: "BH q < 0.05",
		Systems: []report.SystemGroups{
			{System: "popularity", Overall: 0.219, Groups: []report.GroupEstimate{
				{Group: "18–34", Value: 0.229, Lo: 0.218, Hi: 0.240, N: 1700},
				{Group: "35–64", Value: 0.205, Lo: 0.193, Hi: 0.217, N: 1684, Significant: true},
				// Below the minimum group size: drawn as a labelled gap,
				// its value and size never shown.
				{Group: "65+", N: 7, Suppressed: true},
			}},
			{System: "ALS", Overall: 0.327, Groups: []report.GroupEstimate{
				{Group: "18–34", Value: 0.348, Lo: 0.336, Hi: 0.360, N: 1700, Significant: true},
				{Group: "35–64", Value: 0.305, Lo: 0.292, Hi: 0.318, N: 1684, Significant: true},
				{Group: "65+", N: 7, Suppressed: true},
			}},
		},
	}
	p, err := report.GroupChart(m)
	if err != nil {
		fmt.Println(err)
		return
	}
	printChart(p, true)
	// Output:
	// title: "NDCG@10 by age band"
	// x: "age band"
	// y: "NDCG@10"
	// x tick: "18–34\nn = 1,700"
	// x tick: "35–64\nn = 1,684"
	// x tick: "65+"
}

func ExampleCalibrationChart() {
	m := report.GroupMetric{
		Attribute: "user taste",
		Level:     0.95,
		Systems: []report.SystemGroups{
			{System: "popularity", Overall: 0.571, Groups: []report.GroupEstimate{
				{Group: "niche", Value: 0.914, Lo: 0.866, Hi: 0.962, N: 611, Significant: true},
				{Group: "blockbuster", Value: 0.377, Lo: 0.346, Hi: 0.408, N: 897, Significant: true},
			}},
		},
	}
	p, err := report.CalibrationChart(m)
	if err != nil {
		fmt.Println(err)
		return
	}
	printChart(p, false)
	fmt.Println("y axis from", p.Y.Min)
	// Output:
	// title: "Miscalibration C_KL by user taste"
	// x: "user taste"
	// y: "miscalibration C_KL (nats; ← lower is better)"
	// y axis from 0
}

func ExampleTargetingChart() {
	m := report.GroupMetric{
		Metric:    "users shown high-cost credit",
		Attribute: "age band",
		Level:     0.95,
		Systems: []report.SystemGroups{
			// Hand-computed ratios: 0.24/0.08 = 3 and 0.12/0.10 = 1.2.
			{System: "popularity", Overall: 0.15, Groups: []report.GroupEstimate{
				{Group: "18–34", Value: 0.24, Lo: 0.20, Hi: 0.28, N: 1700, Significant: true},
				{Group: "35–64", Value: 0.08, Lo: 0.06, Hi: 0.10, N: 1684, Significant: true},
				{Group: "65+", Suppressed: true},
			}},
			{System: "ALS", Overall: 0.11, Groups: []report.GroupEstimate{
				{Group: "18–34", Value: 0.12, Lo: 0.10, Hi: 0.14, N: 1700},
				{Group: "35–64", Value: 0.10, Lo: 0.08, Hi: 0.12, N: 1684},
				{Group: "65+", Suppressed: true},
			}},
		},
	}
	p, err := report.TargetingChart(m)
	if err != nil {
		fmt.Println(err)
		return
	}
	printChart(p, false)
	// Output:
	// title: "Users shown high-cost credit by age band\nmax/min ratio: popularity 3, ALS 1.2"
	// x: "age band"
	// y: "users shown high-cost credit"
}

func ExampleExposureChart() {
	e := report.ExposureShares{
		Attribute: "provider size",
		Target:    "share of catalogue",
		Level:     0.95,
		Systems: []report.SystemShares{
			{System: "popularity", Groups: []report.ShareEstimate{
				{GroupEstimate: report.GroupEstimate{Group: "large", Value: 0.82, Lo: 0.79, Hi: 0.85, N: 18, Significant: true}, Target: 0.35},
				{GroupEstimate: report.GroupEstimate{Group: "small", Value: 0.18, Lo: 0.15, Hi: 0.21, N: 32, Significant: true}, Target: 0.65},
			}},
		},
	}
	p, err := report.ExposureChart(e)
	if err != nil {
		fmt.Println(err)
		return
	}
	printChart(p, true)
	// Output:
	// title: "Exposure share by provider size"
	// x: "provider size"
	// y: "share of exposure"
	// x tick: "large\nn = 18"
	// x tick: "small\nn = 32"
}

func ExampleLorenzChart() {
	// Item counts of METRICS-SPEC.md §2 (A..H in 3, 3, 2, 3, 2, 0, 1, 1
	// of the three lists), whose Gini index is 0.3083 (§2.2).
	l := report.Lorenz{Systems: []report.ItemExposure{
		{System: "toy", Exposure: []float64{3, 3, 2, 3, 2, 0, 1, 1}},
	}}
	p, err := report.LorenzChart(l)
	if err != nil {
		fmt.Println(err)
		return
	}
	printChart(p, false)
	// Output:
	// title: "Lorenz curve of item exposure (Gini 0.308)"
	// x: "cumulative share of items (least to most exposed)"
	// y: "cumulative share of exposure"
}

func ExampleTradeOffChart() {
	t := report.TradeOff{
		Accuracy:  "NDCG@10",
		Disparity: "NDCG@10 gap, max − min",
		Level:     0.95,
		Systems: []report.SystemPoint{
			{System: "ALS", Accuracy: 0.327, AccuracyLo: 0.315, AccuracyHi: 0.339, Disparity: 0.115, DisparityLo: 0.078, DisparityHi: 0.151},
			// No intervals: NaN bounds draw no whiskers.
			{System: "ALS + re-rank", Accuracy: 0.309, AccuracyLo: math.NaN(), AccuracyHi: math.NaN(), Disparity: 0.048, DisparityLo: math.NaN(), DisparityHi: math.NaN()},
		},
	}
	p, err := report.TradeOffChart(t)
	if err != nil {
		fmt.Println(err)
		return
	}
	printChart(p, false)
	// Output:
	// title: "Accuracy against disparity\nbetter: right and down; whiskers: 95% confidence intervals"
	// x: "NDCG@10 (higher is better →)"
	// y: "NDCG@10 gap, max − min (← lower is better)"
}

func ExampleRankChart() {
	// Mean exposure 1/log2(r+1) of two provider groups at ranks 1..5; the
	// small providers never reach rank 1 in any list, so that rank is
	// undefined (NaN) and drawn as a gap.
	r := report.RankProfile{
		Quantity: "mean exposure per list",
		Unit:     "1/log2(rank+1)",
		Series: []report.RankSeries{
			{Name: "large providers", Values: []float64{1, 0.55, 0.41, 0.35, 0.30}},
			{Name: "small providers", Values: []float64{math.NaN(), 0.08, 0.09, 0.08, 0.09}},
		},
	}
	p, err := report.RankChart(r)
	if err != nil {
		fmt.Println(err)
		return
	}
	printChart(p, false)
	// Output:
	// title: "Mean exposure per list by rank position"
	// x: "rank position"
	// y: "mean exposure per list (1/log2(rank+1))"
}

func ExampleSave() {
	p, err := report.LorenzChart(report.Lorenz{Systems: []report.ItemExposure{
		{System: "toy", Exposure: []float64{3, 3, 2, 3, 2, 0, 1, 1}},
	}})
	if err != nil {
		fmt.Println(err)
		return
	}
	dir, err := os.MkdirTemp("", "report-example")
	if err != nil {
		fmt.Println(err)
		return
	}
	defer os.RemoveAll(dir)
	for _, name := range []string{"lorenz.svg", "lorenz.png", "lorenz.txt"} {
		err := report.Save(p, report.DefaultWidth, report.DefaultHeight, filepath.Join(dir, name))
		fmt.Println(name, err != nil)
	}
	entries, _ := os.ReadDir(dir)
	for _, e := range entries {
		fmt.Println("written:", e.Name())
	}
	// Output:
	// lorenz.svg false
	// lorenz.png false
	// lorenz.txt true
	// written: lorenz.png
	// written: lorenz.svg
}

func ExampleWriteSVG() {
	p, err := report.RankChart(report.RankProfile{
		Quantity: "mean exposure",
		Series:   []report.RankSeries{{Name: "ALS", Values: []float64{1, 0.63, 0.5}}},
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	var b bytes.Buffer
	if err := report.WriteSVG(p, report.DefaultWidth, report.DefaultHeight, &b); err != nil {
		fmt.Println(err)
		return
	}
	first, _, _ := strings.Cut(b.String(), "\n")
	fmt.Println(first)
	fmt.Println(strings.Contains(b.String(), "Mean exposure by rank position"))
	// Output:
	// <?xml version="1.0"?>
	// true
}

func ExampleSeriesColor() {
	for i := range 3 {
		c := report.SeriesColor(i)
		fmt.Printf("#%02x%02x%02x\n", c.R, c.G, c.B)
	}
	// Output:
	// #0072b2
	// #d55e00
	// #009e73
}

func ExampleOkabeIto() {
	fmt.Println(len(report.OkabeIto()))
	c := report.OkabeIto()[1]
	fmt.Printf("orange #%02x%02x%02x\n", c.R, c.G, c.B)
	// Output:
	// 8
	// orange #e69f00
}
