package report_test

import (
	"bytes"
	"encoding/xml"
	"flag"
	"io"
	"os"
	"path/filepath"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
	"gonum.org/v1/plot"

	"github.com/recaudit/recaudit/report"
)

var (
	regen   = flag.Bool("regen", false, "rewrite the golden SVG charts in testdata")
	drawPNG = flag.Bool("png", false, "also write testdata/<name>.png (not committed) for looking at")
)

// goldenCharts are the charts compared byte for byte with
// testdata/<name>_golden.svg.
var goldenCharts = []struct {
	name  string
	chart func() (*plot.Plot, error)
}{
	{"groups", func() (*plot.Plot, error) { return report.GroupChart(ndcgByAge()) }},
	{"calibration", func() (*plot.Plot, error) { return report.CalibrationChart(calibrationByTaste()) }},
	{"targeting", func() (*plot.Plot, error) { return report.TargetingChart(creditByAge()) }},
	{"exposure", func() (*plot.Plot, error) { return report.ExposureChart(providerShares()) }},
	{"lorenz", func() (*plot.Plot, error) { return report.LorenzChart(catalogueExposure()) }},
	{"tradeoff", func() (*plot.Plot, error) { return report.TradeOffChart(tradeOff()) }},
	{"rank", func() (*plot.Plot, error) { return report.RankChart(smallProviderShareByRank()) }},
	{"groups_gaps", func() (*plot.Plot, error) { return report.GroupChart(gapsByRegion()) }},
	{"rank_gaps", func() (*plot.Plot, error) { return report.RankChart(gapsByRank()) }},
	{"inference", func() (*plot.Plot, error) { return report.InferenceChart(inferenceByAttribute()) }},
}

// TestGoldenCharts renders every chart at the default size and compares
// the SVG with its golden file; run with -regen to rewrite the goldens
// after an intended change (and look at them), with -png to get PNGs.
func TestGoldenCharts(t *testing.T) {
	for _, c := range goldenCharts {
		t.Run(c.name, func(t *testing.T) {
			p, err := c.chart()
			if err != nil {
				t.Fatal(err)
			}
			var got bytes.Buffer
			if err := report.WriteSVG(p, report.DefaultWidth, report.DefaultHeight, &got); err != nil {
				t.Fatal(err)
			}
			dec := xml.NewDecoder(bytes.NewReader(got.Bytes()))
			for {
				if _, err := dec.Token(); err == io.EOF {
					break
				} else if err != nil {
					t.Fatalf("SVG is not well-formed XML: %v", err)
				}
			}
			golden := filepath.Join("testdata", c.name+"_golden.svg")
			if *drawPNG {
				if err := report.Save(p, report.DefaultWidth, report.DefaultHeight, filepath.Join("testdata", c.name+".png")); err != nil {
					t.Fatal(err)
				}
			}
			if *regen {
				if err := os.WriteFile(golden, got.Bytes(), 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			want, err := os.ReadFile(golden)
			if err != nil {
				t.Fatalf("%v (run go test ./report -run TestGoldenCharts -regen to create it)", err)
			}
			if !bytes.Equal(got.Bytes(), want) {
				t.Errorf("SVG differs from %s (%d bytes, want %d); if the change is intended, run with -regen and look at the result", golden, got.Len(), len(want))
			}
		})
	}
}

// TestChartsDeterministic checks that building and drawing a chart twice,
// and drawing the same plot twice, give the same bytes.
func TestChartsDeterministic(t *testing.T) {
	for _, c := range goldenCharts {
		t.Run(c.name, func(t *testing.T) {
			render := func(p *plot.Plot) []byte {
				var b bytes.Buffer
				if err := report.WriteSVG(p, report.DefaultWidth, report.DefaultHeight, &b); err != nil {
					t.Fatal(err)
				}
				return b.Bytes()
			}
			p1, err := c.chart()
			if err != nil {
				t.Fatal(err)
			}
			p2, err := c.chart()
			if err != nil {
				t.Fatal(err)
			}
			a, b, again := render(p1), render(p2), render(p1)
			if !bytes.Equal(a, b) {
				t.Error("two builds of the same chart give different SVG")
			}
			if !bytes.Equal(a, again) {
				t.Error("drawing the same plot twice gives different SVG")
			}
		})
	}
}

// TestInputsUnchanged checks that the chart functions do not modify their
// inputs (compared with freshly built copies).
func TestInputsUnchanged(t *testing.T) {
	opts := cmpopts.EquateNaNs()
	for _, c := range []struct {
		name  string
		input func() any
		chart func(any) error
	}{
		{"groups", func() any { return ndcgByAge() }, func(v any) error { _, err := report.GroupChart(v.(report.GroupMetric)); return err }},
		{"gaps", func() any { return gapsByRegion() }, func(v any) error { _, err := report.GroupChart(v.(report.GroupMetric)); return err }},
		{"calibration", func() any { return calibrationByTaste() }, func(v any) error { _, err := report.CalibrationChart(v.(report.GroupMetric)); return err }},
		{"targeting", func() any { return creditByAge() }, func(v any) error { _, err := report.TargetingChart(v.(report.GroupMetric)); return err }},
		{"exposure", func() any { return providerShares() }, func(v any) error { _, err := report.ExposureChart(v.(report.ExposureShares)); return err }},
		{"lorenz", func() any { return catalogueExposure() }, func(v any) error { _, err := report.LorenzChart(v.(report.Lorenz)); return err }},
		{"tradeoff", func() any { return tradeOff() }, func(v any) error { _, err := report.TradeOffChart(v.(report.TradeOff)); return err }},
		{"rank", func() any { return gapsByRank() }, func(v any) error { _, err := report.RankChart(v.(report.RankProfile)); return err }},
		{"inference", func() any { return inferenceByAttribute() }, func(v any) error { _, err := report.InferenceChart(v.(report.InferenceAUC)); return err }},
	} {
		in := c.input()
		if err := c.chart(in); err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
		if diff := cmp.Diff(c.input(), in, opts); diff != "" {
			t.Errorf("%s: input modified (-before +after):\n%s", c.name, diff)
		}
	}
}
