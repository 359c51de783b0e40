package report

import (
	"bytes"
	"image/png"
	"os"
	"path/filepath"
	"slices"
	"testing"

	"gonum.org/v1/plot"
)

// toyPlot is a small chart to save.
func toyPlot(t *testing.T) *plot.Plot {
	t.Helper()
	p, err := RankChart(RankProfile{Quantity: "mean exposure", Series: []RankSeries{{Name: "A", Values: []float64{1, 0.6, 0.5}}}})
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// listDir returns the names in dir.
func listDir(t *testing.T, dir string) []string {
	t.Helper()
	es, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, e := range es {
		names = append(names, e.Name())
	}
	return names
}

func TestSave(t *testing.T) {
	p := toyPlot(t)
	dir := t.TempDir()

	var want bytes.Buffer
	if err := WriteSVG(p, DefaultWidth, DefaultHeight, &want); err != nil {
		t.Fatal(err)
	}
	svg := filepath.Join(dir, "chart.SVG")
	if err := os.WriteFile(svg, []byte("old"), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := Save(p, DefaultWidth, DefaultHeight, svg); err != nil {
		t.Fatal(err)
	}
	got, err := os.ReadFile(svg)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, want.Bytes()) {
		t.Error("saved SVG differs from WriteSVG output")
	}
	if fi, err := os.Stat(svg); err != nil || fi.Mode().Perm() != 0o644 {
		t.Errorf("mode %v (%v), want 0644", fi.Mode().Perm(), err)
	}

	pngPath := filepath.Join(dir, "chart.png")
	if err := Save(p, DefaultWidth, DefaultHeight, pngPath); err != nil {
		t.Fatal(err)
	}
	f, err := os.Open(pngPath)
	if err != nil {
		t.Fatal(err)
	}
	img, err := png.Decode(f)
	f.Close()
	if err != nil {
		t.Fatalf("saved PNG does not decode: %v", err)
	}
	// 18 cm × 10 cm at 96 dots per inch: 680 × 378 pixels.
	if b := img.Bounds(); b.Dx() != 680 || b.Dy() != 378 {
		t.Errorf("PNG is %d × %d, want 680 × 378", b.Dx(), b.Dy())
	}

	for _, bad := range []string{filepath.Join(dir, "chart.pdf"), filepath.Join(dir, "chart.txt"), filepath.Join(dir, "chart"), filepath.Join(dir, "missing", "chart.svg")} {
		if err := Save(p, DefaultWidth, DefaultHeight, bad); err == nil {
			t.Errorf("Save(%s) succeeded", bad)
		}
	}
	want2 := []string{"chart.SVG", "chart.png"}
	if names := listDir(t, dir); !slices.Equal(names, want2) {
		t.Errorf("directory holds %v, want %v (no temporary files)", names, want2)
	}
}
