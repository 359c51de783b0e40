package report

import (
	"bytes"
	"embed"
	"fmt"
	htmltemplate "html/template"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"runtime"
	"strconv"
	"strings"
	"sync"
	texttemplate "text/template"

	"github.com/recaudit/recaudit/audit"
	"github.com/recaudit/recaudit/internal/atomicfile"
)

const errNilResult = "report: nil result"

// Files written by Render, relative to its directory.
const (
	MarkdownFile = "report.md"
	HTMLFile     = "report.html"
	PlotsDir     = "plots"
)

//go:embed templates
var templates embed.FS

// Options are the settings of Render. The zero value is the default
// report.
type Options struct {
	// Title replaces the report's title; empty means "Fairness audit of
	// <dataset>".
	Title string
	// Command is the command line that ran the audit, shown in the section
	// on reproducing it; empty shows none. The result's recorded spec, if
	// any, is shown either way.
	Command string
}

// Render writes the audit report of res into the directory dir (created
// if needed, with its parent): report.html, report.md and every chart as
// plots/NAME.svg and plots/NAME.png.
//
// report.html is one self-contained page (charts as inline SVG, CSS
// inline, no scripts, no fonts or anything else fetched); report.md holds
// the same text and tables and links the charts as files. The report
// reads as an audit: a summary of the findings (which disparities are
// significant and how large, which system is fairest and at what cost in
// accuracy), the data and method (provenance with SHA-256 digests, split,
// systems, groups, metric definitions after METRICS-SPEC.md, statistics),
// sections on user groups, item groups, calibration, targeting of flagged
// items and popularity bias with charts and tables (values with
// intervals, q-values, significance), the limitations (suppressed and
// small groups, what the audit cannot show), how to reproduce the run,
// and every finding. It never shows an individual user: only group,
// system and item-level aggregates are in a result. Parts the result
// lacks (no item groups, no flags, no chart data from an older result)
// are stated rather than left out silently; a chart that cannot be drawn
// becomes a note.
//
// Every file is written atomically (a temporary file in the same
// directory, then a rename), so a reader never sees a partial file; a
// whole report directory is made atomic by rendering into a fresh
// directory (atomicfile.WriteDir). The same result and options give
// byte-identical report.md, report.html and SVG files. PNGs are drawn
// in parallel.
//
// Render returns an error if a file cannot be written. It panics if res
// is nil. res is not modified.
func Render(res *audit.Result, dir string, opts Options) error {
	if res == nil {
		panic(errNilResult)
	}
	doc := build(res, opts)
	md, err := renderMarkdown(doc)
	if err != nil {
		return err
	}
	html, err := renderHTML(doc)
	if err != nil {
		return err
	}
	plots := filepath.Join(dir, PlotsDir)
	if err := os.MkdirAll(plots, 0o777); err != nil {
		return fmt.Errorf("report: %w", err)
	}
	for _, f := range doc.Figures {
		if err := writeFile(filepath.Join(plots, f.Name+".svg"), []byte(f.SVG)); err != nil {
			return err
		}
	}
	if err := savePNGs(doc.Figures, plots); err != nil {
		return err
	}
	if err := writeFile(filepath.Join(dir, MarkdownFile), md); err != nil {
		return err
	}
	return writeFile(filepath.Join(dir, HTMLFile), html)
}

// writeFile writes data to path atomically.
func writeFile(path string, data []byte) error {
	err := atomicfile.Write(path, func(w io.Writer) error {
		_, err := w.Write(data)
		return err
	})
	if err != nil {
		return fmt.Errorf("report: write %s: %w", path, err)
	}
	return nil
}

// savePNGs draws the figures as PNG files in dir, on up to GOMAXPROCS
// goroutines (each plot is drawn by one goroutine only). It returns the
// first error in figure order.
func savePNGs(figs []*figure, dir string) error {
	errs := make([]error, len(figs))
	jobs := make(chan int)
	var wg sync.WaitGroup
	for range min(runtime.GOMAXPROCS(0), len(figs)) {
		wg.Go(func() {
			for i := range jobs {
				errs[i] = Save(figs[i].plot, DefaultWidth, DefaultHeight, filepath.Join(dir, figs[i].Name+".png"))
			}
		})
	}
	for i := range figs {
		jobs <- i
	}
	close(jobs)
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			return err
		}
	}
	return nil
}

// build assembles the document of res.
func build(res *audit.Result, opts Options) *document {
	b := newBuilder(res, opts)
	b.doc.Title = opts.Title
	if b.doc.Title == "" {
		b.doc.Title = "Fairness audit of “" + res.Dataset.Name + "”"
	}
	b.doc.Subtitle = fmt.Sprintf("%s on %s users, %s items and %s interactions · %s of %s significant · seed %s · %s %s",
		plural(len(res.Systems), "recommender system", "recommender systems"), count(res.Dataset.Users), count(res.Dataset.Items),
		count(res.Dataset.Interactions), count(res.Tests.Significant), plural(res.Tests.Count, "test", "tests"),
		strconv.FormatUint(res.Seed, 10), res.Tool.Name, res.Tool.Version)
	b.doc.Generator = res.Tool.Name + " " + res.Tool.Version
	b.summary()
	b.method()
	b.consumer()
	b.provider()
	b.calibration()
	b.targeting()
	b.popularity()
	if b.hasProbes() || len(res.DataAccess) > 0 {
		b.privacy()
	}
	b.limitations()
	b.reproduce()
	b.appendix()
	return b.doc
}

// fence returns a code fence longer than any run of backticks in s.
func fence(s string) string {
	longest, run := 0, 0
	for _, r := range s {
		if r == '`' {
			run++
			longest = max(longest, run)
		} else {
			run = 0
		}
	}
	return strings.Repeat("`", max(3, longest+1))
}

// alt is the first line of a chart title, as alt text.
func alt(title string) string {
	first, _, _ := strings.Cut(title, "\n")
	return strings.Join(strings.Fields(first), " ")
}

func renderMarkdown(doc *document) ([]byte, error) {
	t, err := texttemplate.New("report.md.tmpl").Funcs(texttemplate.FuncMap{
		"md": mdText, "mdLink": mdLink, "fence": fence, "alt": alt,
	}).ParseFS(templates, "templates/report.md.tmpl")
	if err != nil {
		return nil, fmt.Errorf("report: %w", err)
	}
	var buf bytes.Buffer
	if err := t.Execute(&buf, doc); err != nil {
		return nil, fmt.Errorf("report: %w", err)
	}
	return tidyMarkdown(buf.Bytes()), nil
}

var blankLines = regexp.MustCompile(`\n{3,}`)

// tidyMarkdown collapses runs of blank lines and ends the file with one
// newline.
func tidyMarkdown(b []byte) []byte {
	b = blankLines.ReplaceAll(b, []byte("\n\n"))
	return append(bytes.TrimRight(b, "\n"), '\n')
}

// shaPattern matches a SHA-256 digest in hex.
var shaPattern = regexp.MustCompile(`^[0-9a-f]{64}$`)

// inlineSVG returns a chart's SVG for inline use in HTML: without the XML
// declaration and comment, labelled for screen readers with the chart's
// title. The SVG is gonum/plot's, whose text is XML-escaped; the title is
// escaped here.
func inlineSVG(f *figure) htmltemplate.HTML {
	svg := f.SVG
	if i := strings.Index(svg, "<svg"); i >= 0 {
		svg = svg[i:]
	}
	label := htmltemplate.HTMLEscapeString(alt(f.Title))
	svg = strings.Replace(svg, "<svg ", `<svg role="img" aria-label="`+label+`" `, 1)
	return htmltemplate.HTML(strings.TrimSpace(svg))
}

func renderHTML(doc *document) ([]byte, error) {
	css, err := templates.ReadFile("templates/report.css")
	if err != nil {
		return nil, fmt.Errorf("report: %w", err)
	}
	t, err := htmltemplate.New("report.html.tmpl").Funcs(htmltemplate.FuncMap{
		"svg": inlineSVG, "sha": shaPattern.MatchString,
	}).ParseFS(templates, "templates/report.html.tmpl")
	if err != nil {
		return nil, fmt.Errorf("report: %w", err)
	}
	data := struct {
		Doc       *document
		CSS       htmltemplate.CSS
		Generator string
	}{doc, htmltemplate.CSS(css), doc.Generator}
	var buf bytes.Buffer
	if err := t.Execute(&buf, data); err != nil {
		return nil, fmt.Errorf("report: %w", err)
	}
	return buf.Bytes(), nil
}
