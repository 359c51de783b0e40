package report

import (
	"bytes"
	"math"
	"slices"
	"strconv"

	"gonum.org/v1/plot"

	"github.com/recaudit/recaudit/audit"
	"github.com/recaudit/recaudit/fairness"
)

// The report is built once as a document of sections and blocks, and the
// Markdown and HTML templates both render that document, so that the two
// files hold the same content.

// document is a whole report.
type document struct {
	Title    string
	Subtitle string
	// Generator names the program that wrote the result.
	Generator string
	Sections  []*section
	// Figures lists every figure in order of appearance, for writing the
	// plot files.
	Figures []*figure
}

// section is a numbered section (Level 2) or subsection (Level 3).
type section struct {
	ID     string
	Number string
	Title  string
	Level  int
	Blocks []block
}

// block is one paragraph, list, table, figure, code block or note: exactly
// one field is set.
type block struct {
	Para   *para
	List   []para
	Table  *table
	Figure *figure
	Code   *code
	Note   *para
}

// para is a paragraph with an optional bold lead-in.
type para struct{ Lead, Text string }

// table is a table with a caption; Num marks the columns of numbers,
// aligned right.
type table struct {
	Number  int
	Caption string
	Head    []string
	Num     []bool
	Rows    [][]string
}

// figure is a chart, written to plots/Name.svg and plots/Name.png.
type figure struct {
	Number  int
	Name    string
	Title   string
	Caption string
	SVG     string
	plot    *plot.Plot
}

// code is a preformatted block (a command, the spec).
type code struct{ Text string }

// builder assembles a document from a result.
type builder struct {
	res  *audit.Result
	opts Options
	doc  *document
	cur  *section
	ids  map[string]bool
	// names counts the figure names used, to keep them unique.
	names  map[string]int
	n2     int // section counter
	n3     int // subsection counter
	tables int // table counter
	// appendixMode numbers subsections "A.1", "A.2", ...
	appendixMode bool

	level   float64 // confidence level of the intervals, 1 − α
	q       float64 // significance threshold of q-values
	k0      int     // the primary cutoff
	primary string  // the primary accuracy measure, e.g. "ndcg"
	minSize int     // the minimum group size
	// summaryAttr is the user grouping of the summary's trade-off chart.
	summaryAttr string
	summaryFig  int
}

func newBuilder(res *audit.Result, opts Options) *builder {
	b := &builder{res: res, opts: opts, doc: &document{}, ids: map[string]bool{}, names: map[string]int{}}
	alpha := res.Settings.Alpha
	if !(alpha > 0 && alpha < 1) {
		alpha = 0.05
	}
	b.level = 1 - alpha
	b.q = res.Tests.QThreshold
	if !(b.q > 0) {
		b.q = audit.QThreshold
	}
	b.k0 = 10
	if len(res.Settings.Cutoffs) > 0 {
		b.k0 = res.Settings.Cutoffs[0]
	}
	b.primary = "ndcg"
	if ms := res.Settings.GroupMeasures; len(ms) > 0 && !slices.Contains(ms, "ndcg") {
		b.primary = ms[0]
	}
	b.minSize = res.Settings.MinGroupSize
	if b.minSize <= 0 {
		b.minSize = audit.DefaultMinGroupSize
	}
	return b
}

// id returns a unique anchor for title.
func (b *builder) id(title string) string {
	base := slug(title)
	if base == "" {
		base = "section"
	}
	id := base
	for i := 2; b.ids[id]; i++ {
		id = base + "-" + strconv.Itoa(i)
	}
	b.ids[id] = true
	return id
}

// section starts a numbered section.
func (b *builder) section(title string) {
	b.n2++
	b.n3 = 0
	b.cur = &section{ID: b.id(title), Number: strconv.Itoa(b.n2), Title: title, Level: 2}
	b.doc.Sections = append(b.doc.Sections, b.cur)
}

// sub starts a numbered subsection of the current section.
func (b *builder) sub(title string) {
	b.n3++
	prefix := strconv.Itoa(b.n2)
	if b.appendixMode {
		prefix = "A"
	}
	b.cur = &section{ID: b.id(title), Number: prefix + "." + strconv.Itoa(b.n3), Title: title, Level: 3}
	b.doc.Sections = append(b.doc.Sections, b.cur)
}

func (b *builder) add(bl block)           { b.cur.Blocks = append(b.cur.Blocks, bl) }
func (b *builder) para(text string)       { b.add(block{Para: &para{Text: text}}) }
func (b *builder) lead(lead, text string) { b.add(block{Para: &para{Lead: lead, Text: text}}) }
func (b *builder) note(text string)       { b.add(block{Note: &para{Text: text}}) }
func (b *builder) list(items []para)      { b.add(block{List: items}) }
func (b *builder) code(text string)       { b.add(block{Code: &code{Text: text}}) }
func (b *builder) addTable(t *table) {
	b.tables++
	t.Number = b.tables
	b.add(block{Table: t})
}
func (b *builder) items(texts ...string) (ps []para) {
	for _, t := range texts {
		ps = append(ps, para{Text: t})
	}
	return ps
}

// figure adds a chart built by a chart function; a chart that cannot be
// drawn becomes a note saying why.
func (b *builder) figure(name string, p *plot.Plot, err error, caption string) {
	if err != nil {
		b.note("Chart not drawn: " + err.Error() + ".")
		return
	}
	base := slug(name)
	b.names[base]++
	if n := b.names[base]; n > 1 {
		base += "-" + strconv.Itoa(n)
	}
	var svg bytes.Buffer
	if err := WriteSVG(p, DefaultWidth, DefaultHeight, &svg); err != nil {
		b.note("Chart not drawn: " + err.Error() + ".")
		return
	}
	f := &figure{Number: len(b.doc.Figures) + 1, Name: base, Title: p.Title.Text, Caption: caption, SVG: svg.String(), plot: p}
	b.doc.Figures = append(b.doc.Figures, f)
	b.add(block{Figure: f})
}

// Lookups in the result.

func metricValue(s *audit.SystemResult, name string) (audit.MetricValue, bool) {
	for _, m := range s.Metrics {
		if m.Name == name {
			return m, true
		}
	}
	return audit.MetricValue{}, false
}

func comparisonOf(s *audit.SystemResult, metric, attr string) *fairness.Comparison {
	if s.Consumer == nil {
		return nil
	}
	for i := range s.Consumer.Comparisons {
		c := &s.Consumer.Comparisons[i]
		if c.Metric == metric && c.Attribute == attr {
			return c
		}
	}
	return nil
}

func disparityOf(c *fairness.Comparison, agg string) *fairness.DisparityResult {
	for i := range c.Disparities {
		if c.Disparities[i].Aggregator == agg {
			return &c.Disparities[i]
		}
	}
	return nil
}

func (b *builder) sig(q fairness.Float) bool { return float64(q) < b.q }

// comparisonSignificant reports whether any disparity of c is significant.
func (b *builder) comparisonSignificant(c *fairness.Comparison) bool {
	for _, d := range c.Disparities {
		if b.sig(d.Test.Q) {
			return true
		}
	}
	return false
}

func (b *builder) userGroups(attr string) *audit.UserGroupsInfo {
	for i := range b.res.UserGroups {
		if b.res.UserGroups[i].Attribute == attr {
			return &b.res.UserGroups[i]
		}
	}
	return nil
}

func (b *builder) groupUsers(attr, group string) (int, bool) {
	if ug := b.userGroups(attr); ug != nil {
		for _, g := range ug.Groups {
			if g.Group == group {
				return g.Users, true
			}
		}
	}
	return 0, false
}

func (b *builder) exposureAnalysis(s *audit.SystemResult, attr string, k int) *audit.ExposureAnalysis {
	for i := range s.Provider {
		if s.Provider[i].Attribute == attr && s.Provider[i].Cutoff == k {
			return &s.Provider[i]
		}
	}
	return nil
}

func metricCol(name string, k int) string { return name + "@" + strconv.Itoa(k) }

func f64(v fairness.Float) float64 { return float64(v) }

func isNaN(v fairness.Float) bool { return math.IsNaN(float64(v)) }

// levelPct is the confidence level as a percentage, "95%".
func (b *builder) levelPct() string { return trimFloat(100*b.level, 2) + "%" }

// qPct is the false discovery rate as a percentage, "5%".
func (b *builder) qPct() string { return trimFloat(100*b.q, 2) + "%" }
