package report

import (
	"bytes"
	"fmt"
	"image/png"
	"io"
	"math"
	"path/filepath"
	"strings"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
	"gonum.org/v1/plot/vg/vgimg"

	"github.com/recaudit/recaudit/internal/atomicfile"
)

// formats are the file formats Save writes, by lower-case extension.
//
// PDF is left out: gonum/plot v0.17's PDF canvas cannot select the bold
// Liberation Sans of the titles ("undefined font: liberationsans-bold B").
var formats = map[string]bool{"svg": true, "png": true}

// WriteSVG draws p on a w × h canvas and writes it to out as SVG, for
// example to standard output or into an HTML page. Fonts are named, not
// embedded: Liberation Sans, falling back to Arial (which has the same
// metrics, so the layout holds), Helvetica and any sans-serif font. The
// same plot and size always give the same bytes.
//
// WriteSVG panics if p is nil or w or h is not positive and finite.
func WriteSVG(p *plot.Plot, w, h vg.Length, out io.Writer) error {
	return write(out, p, w, h, "svg")
}

// svgFont is how gonum/plot names the font in SVG style attributes, and
// svgFontFallback the same with fallbacks.
var (
	svgFont         = []byte(`style="font-family:Liberation Sans;`)
	svgFontFallback = []byte(`style="font-family:'Liberation Sans',Arial,Helvetica,sans-serif;`)
)

// checkCanvas panics if p is nil or w or h is not positive and finite.
func checkCanvas(p *plot.Plot, w, h vg.Length) {
	if p == nil {
		panic(errNilPlot)
	}
	if !(w > 0 && h > 0) || math.IsInf(float64(w), 1) || math.IsInf(float64(h), 1) {
		panic(errBadSize)
	}
}

// write draws p and writes it to out in format.
func write(out io.Writer, p *plot.Plot, w, h vg.Length, format string) error {
	checkCanvas(p, w, h)
	if format == "png" {
		// Drawn as plot.WriterTo would (96 dots per inch, white
		// background), but encoded for speed: zlib's fastest level
		// takes a third of the time of the default for a slightly
		// larger file.
		c := vgimg.NewWith(vgimg.UseWH(w, h), vgimg.UseDPI(vgimg.DefaultDPI))
		p.Draw(draw.New(c))
		enc := png.Encoder{CompressionLevel: png.BestSpeed}
		return enc.Encode(out, c.Image())
	}
	wt, err := p.WriterTo(w, h, format)
	if err != nil {
		return err
	}
	if format != "svg" {
		_, err = wt.WriteTo(out)
		return err
	}
	var buf bytes.Buffer
	if _, err := wt.WriteTo(&buf); err != nil {
		return err
	}
	_, err = out.Write(bytes.ReplaceAll(buf.Bytes(), svgFont, svgFontFallback))
	return err
}

// Save draws p on a w × h canvas and writes it to the file path in the
// format named by its extension, in any letter case: .svg or .png (96
// dots per inch). The file is written atomically: to a temporary file
// in the same directory, which is renamed over path only when complete,
// so that a reader never sees a partial plot; on error nothing is left
// behind. A new file has mode 0644.
//
// Save returns an error for any other extension and for I/O errors. It
// panics if p is nil or w or h is not positive and finite.
func Save(p *plot.Plot, w, h vg.Length, path string) error {
	checkCanvas(p, w, h)
	format := strings.ToLower(strings.TrimPrefix(filepath.Ext(path), "."))
	if !formats[format] {
		return fmt.Errorf("report: cannot save plot %s: unknown extension %q (want .svg or .png)", path, filepath.Ext(path))
	}
	if err := atomicfile.Write(path, func(out io.Writer) error { return write(out, p, w, h, format) }); err != nil {
		return fmt.Errorf("report: save %s: %w", path, err)
	}
	return nil
}
