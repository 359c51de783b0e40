package report_test

import (
	"bytes"
	"math"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/recaudit/recaudit/audit"
	"github.com/recaudit/recaudit/fairness"
	"github.com/recaudit/recaudit/report"
)

// goldenReportCharts are the report's charts compared with
// testdata/report_<name>_golden.svg: one of each kind the report draws
// from a result.
var goldenReportCharts = []string{
	"tradeoff-gender-age-band",
	"ndcg-10-age-band",
	"exposure-provider-type-catalogue",
	"calibration-kl-10-gender",
	"targeting-high-cost-credit-shown-age-band",
	"lorenz",
	"rank-mean-exposure",
	"rank-share-provider-type",
}

// demoDir is the rendering of the demo fixture, shared by the tests that
// only read it (rendering takes a few seconds); TestMain removes it.
var demoDir struct {
	once sync.Once
	dir  string
	err  error
}

func TestMain(m *testing.M) {
	code := m.Run()
	if demoDir.dir != "" {
		os.RemoveAll(demoDir.dir)
	}
	os.Exit(code)
}

// demoReport returns the directory of the demo fixture's report, rendered
// once with the default options.
func demoReport(t *testing.T) string {
	t.Helper()
	demoDir.once.Do(func() {
		r := readDemoResult(t)
		if demoDir.dir, demoDir.err = os.MkdirTemp("", "recaudit-report-"); demoDir.err == nil {
			demoDir.err = report.Render(r, demoDir.dir, report.Options{})
		}
	})
	if demoDir.err != nil {
		t.Fatal(demoDir.err)
	}
	return demoDir.dir
}

// render renders r into a new temporary directory and returns it.
func render(t *testing.T, r *audit.Result, opts report.Options) string {
	t.Helper()
	dir := t.TempDir()
	if err := report.Render(r, dir, opts); err != nil {
		t.Fatal(err)
	}
	return dir
}

func readFile(t *testing.T, path string) []byte {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// checkGolden compares got with testdata/name, rewriting it with -regen.
func checkGolden(t *testing.T, name string, got []byte) {
	t.Helper()
	golden := filepath.Join("testdata", name)
	if *regen {
		if err := os.WriteFile(golden, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatalf("%v (run go test ./report -run TestReportGolden -regen to create it)", err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("%s differs from %s; if the change is intended, run with -regen and look at the result:\n%s",
			name, golden, cmp.Diff(string(want), string(got)))
	}
}

// TestReportGolden renders the demo fixture and compares report.md and a
// chart of each kind with their golden files; run with -regen to rewrite
// them after an intended change (and read the diff).
func TestReportGolden(t *testing.T) {
	dir := demoReport(t)
	md := readFile(t, filepath.Join(dir, report.MarkdownFile))
	checkGolden(t, "report_golden.md", md)
	for _, name := range goldenReportCharts {
		checkGolden(t, "report_"+name+"_golden.svg", readFile(t, filepath.Join(dir, report.PlotsDir, name+".svg")))
	}

	// Every chart the Markdown shows is there as SVG and PNG, and every
	// plot file is shown.
	linked := map[string]bool{}
	for _, m := range regexp.MustCompile(`\]\(plots/([a-z0-9-]+)\.(svg|png)\)`).FindAllStringSubmatch(string(md), -1) {
		linked[m[1]+"."+m[2]] = true
	}
	entries, err := os.ReadDir(filepath.Join(dir, report.PlotsDir))
	if err != nil {
		t.Fatal(err)
	}
	var files []string
	for _, e := range entries {
		files = append(files, e.Name())
		if !linked[e.Name()] {
			t.Errorf("plots/%s is not linked from report.md", e.Name())
		}
		if fi, err := e.Info(); err != nil || fi.Size() == 0 {
			t.Errorf("plots/%s is empty", e.Name())
		}
	}
	for name := range linked {
		if !slices.Contains(files, name) {
			t.Errorf("report.md links plots/%s, which is missing", name)
		}
	}
	if len(files) < 2*len(goldenReportCharts) {
		t.Errorf("only %d plot files", len(files))
	}
}

// TestReportDeterministic renders the same result twice and compares
// every file byte for byte, PNGs included.
func TestReportDeterministic(t *testing.T) {
	a, b := demoReport(t), render(t, readDemoResult(t), report.Options{})
	var n int
	err := filepath.WalkDir(a, func(path string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		rel, _ := filepath.Rel(a, path)
		if !bytes.Equal(readFile(t, path), readFile(t, filepath.Join(b, rel))) {
			t.Errorf("%s differs between two renderings", rel)
		}
		n++
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if n < 10 {
		t.Errorf("only %d files", n)
	}
}

// TestReportSameContent checks that report.md and report.html have the
// same sections, tables and figures, and that the HTML is self-contained.
func TestReportSameContent(t *testing.T) {
	dir := demoReport(t)
	md := string(readFile(t, filepath.Join(dir, report.MarkdownFile)))
	html := string(readFile(t, filepath.Join(dir, report.HTMLFile)))

	mdHeads := regexp.MustCompile(`(?m)^#{2,3} <a id="([^"]+)"></a>`).FindAllStringSubmatch(md, -1)
	htmlHeads := regexp.MustCompile(`<h[23] id="([^"]+)">`).FindAllStringSubmatch(html, -1)
	if len(mdHeads) == 0 || len(mdHeads) != len(htmlHeads) {
		t.Fatalf("%d Markdown headings, %d HTML headings", len(mdHeads), len(htmlHeads))
	}
	for i := range mdHeads {
		if mdHeads[i][1] != htmlHeads[i][1] {
			t.Errorf("heading %d: %q in Markdown, %q in HTML", i, mdHeads[i][1], htmlHeads[i][1])
		}
	}
	for _, c := range []struct{ what, md, html string }{
		{"tables", `(?m)^\*Table \d+\.`, `<caption><strong>Table \d+\.</strong>`},
		{"figures", `(?m)^!\[`, `<figure id="figure-\d+">`},
		{"inline charts", `(?m)^!\[.*\.svg\)$`, `<svg role="img"`},
	} {
		nm, nh := len(regexp.MustCompile(c.md).FindAllString(md, -1)), len(regexp.MustCompile(c.html).FindAllString(html, -1))
		if nm == 0 || nm != nh {
			t.Errorf("%s: %d in Markdown, %d in HTML", c.what, nm, nh)
		}
	}

	// Self-contained: nothing to fetch, nothing to run.
	for _, bad := range []string{"<script", "<link", "<img", "<iframe", "<object", "<embed", "@import", "url(", " src=", "srcset="} {
		if strings.Contains(strings.ToLower(html), bad) {
			t.Errorf("report.html contains %q", bad)
		}
	}
	for _, u := range regexp.MustCompile(`https?://[^\s"'<>)]+`).FindAllString(html, -1) {
		// SVG namespace names are identifiers, never fetched.
		if u != "http://www.w3.org/2000/svg" && u != "http://www.w3.org/1999/xlink" {
			t.Errorf("report.html refers to %s", u)
		}
	}
}

// TestReportNoSuppressedValues checks that a suppressed group appears
// only as suppressed: every table row that names it has no number.
func TestReportNoSuppressedValues(t *testing.T) {
	r := readDemoResult(t)
	var suppressed []string
	for _, ug := range r.UserGroups {
		for _, s := range ug.Suppressed {
			suppressed = append(suppressed, s.Group)
		}
	}
	if len(suppressed) == 0 {
		t.Fatal("the fixture has no suppressed group")
	}
	md := string(readFile(t, filepath.Join(demoReport(t), report.MarkdownFile)))
	rows := 0
	for line := range strings.SplitSeq(md, "\n") {
		if !strings.HasPrefix(line, "| ") {
			continue
		}
		cells := strings.Split(strings.Trim(line, "| "), " | ")
		if !slices.Contains(suppressed, cells[0]) {
			continue
		}
		rows++
		for _, c := range cells[1:] {
			if c != "—" && c != "suppressed" {
				t.Errorf("suppressed group %s has a value %q: %s", cells[0], c, line)
			}
		}
	}
	if rows == 0 {
		t.Error("no table shows the suppressed groups as suppressed")
	}
	if !strings.Contains(md, "**Suppressed groups.**") {
		t.Error("the limitations do not state the suppressed groups")
	}
}

// tinyResult is the audit package's golden result: two systems, one
// cutoff, small groups with suppression.
func tinyResult(t *testing.T) *audit.Result {
	t.Helper()
	f, err := os.Open(filepath.Join("..", "audit", "testdata", "result_golden.json"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	r, err := audit.ReadJSON(f)
	if err != nil {
		t.Fatal(err)
	}
	return r
}

// TestReportPartialResults renders results that lack parts: an empty
// result, one without chart data (an older result), one without groups or
// flags. Each renders, and says what is missing.
func TestReportPartialResults(t *testing.T) {
	noCharts := tinyResult(t)
	for _, s := range noCharts.Systems {
		s.Lorenz, s.RankExposure = nil, audit.RankExposure{}
	}
	noGroups := tinyResult(t)
	noGroups.UserGroups, noGroups.ItemGroups = nil, nil
	for _, s := range noGroups.Systems {
		s.Consumer, s.Provider, s.Targeting = nil, nil, nil
	}
	for _, c := range []struct {
		name string
		r    *audit.Result
		want []string
	}{
		{"empty", &audit.Result{}, []string{"No user groupings", "No item groupings", "No item flag was audited"}},
		{"tiny", tinyResult(t), []string{"65+ (fewer than 5 users)", "Figure 1.", "The count is a summary"}},
		{"no chart data", noCharts, []string{"No Lorenz curve"}},
		{"no groups", noGroups, []string{"No user groupings", "No item groupings", "No item flag was audited"}},
	} {
		t.Run(c.name, func(t *testing.T) {
			dir := render(t, c.r, report.Options{})
			md := string(readFile(t, filepath.Join(dir, report.MarkdownFile)))
			for _, w := range c.want {
				if !strings.Contains(md, w) {
					t.Errorf("report.md lacks %q", w)
				}
			}
			if _, err := os.Stat(filepath.Join(dir, report.HTMLFile)); err != nil {
				t.Error(err)
			}
		})
	}
}

// TestReportEscaping renders a result whose names hold HTML and Markdown
// syntax: they appear as text, never as markup.
func TestReportEscaping(t *testing.T) {
	r := tinyResult(t)
	evil := `<script>alert(1)</script>`
	r.Dataset.Name = "x | *y* [z](http://e.test) " + evil
	r.Systems[0].Name = evil
	old1 := r.Systems[1].Name
	r.Systems[1].Name = "knn [v2 &amp;"
	r.Systems[1].Params = []audit.Param{{Name: "a|b", Value: "`c`"}}
	for i := range r.Findings {
		switch r.Findings[i].System {
		case "popular":
			r.Findings[i].System = evil
		case old1:
			r.Findings[i].System = r.Systems[1].Name
		}
	}
	// A finding puts the systems' names in the contents (Appendix A).
	r.Findings = append(r.Findings, audit.Finding{System: r.Systems[1].Name, Kind: "consumer", Cutoff: 3, Text: "t"})
	dir := render(t, r, report.Options{Command: "recaudit audit --out '<b>'"})
	html := string(readFile(t, filepath.Join(dir, report.HTMLFile)))
	md := string(readFile(t, filepath.Join(dir, report.MarkdownFile)))
	if strings.Contains(html, "<script") || strings.Contains(html, "<b>") {
		t.Error("report.html holds unescaped markup from the result")
	}
	if !strings.Contains(html, "&lt;script&gt;alert(1)&lt;/script&gt;") {
		t.Error("report.html lacks the escaped system name")
	}
	// In the contents, a bracket in a name is escaped so that the link
	// holds; an entity in a name stays text.
	for _, want := range []string{`x \| \*y\* [z\](http://e.test) \<script>`, "a\\|b=\\`c\\`", `recaudit audit --out '<b>'`,
		`- [A.2 knn \[v2 \&amp;](#`, `| knn [v2 \&amp; |`} {
		if !strings.Contains(md, want) {
			t.Errorf("report.md lacks %q", want)
		}
	}
	for _, bad := range []string{"x | *y*", "a|b="} {
		if strings.Contains(md, bad) {
			t.Errorf("report.md holds unescaped %q", bad)
		}
	}
}

// TestReportInputUnchanged checks that Render does not modify the result.
func TestReportInputUnchanged(t *testing.T) {
	r := tinyResult(t)
	var before bytes.Buffer
	if err := audit.WriteJSON(&before, r); err != nil {
		t.Fatal(err)
	}
	render(t, r, report.Options{})
	var after bytes.Buffer
	if err := audit.WriteJSON(&after, r); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(before.Bytes(), after.Bytes()) {
		t.Error("Render modified the result")
	}
}

// TestReportUnwritable checks that an unwritable directory is an error,
// not a panic.
func TestReportUnwritable(t *testing.T) {
	file := filepath.Join(t.TempDir(), "file")
	if err := os.WriteFile(file, []byte("x"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := report.Render(tinyResult(t), filepath.Join(file, "out"), report.Options{}); err == nil {
		t.Error("rendering below a file: no error")
	}
	defer func() {
		if recover() == nil {
			t.Error("nil result: no panic")
		}
	}()
	report.Render(nil, t.TempDir(), report.Options{})
}

// TestReportNaN checks that undefined values render as n/a, not NaN.
func TestReportNaN(t *testing.T) {
	r := tinyResult(t)
	for i := range r.Systems[0].Metrics {
		r.Systems[0].Metrics[i].Value = fairness.Float(math.NaN())
	}
	md := string(readFile(t, filepath.Join(render(t, r, report.Options{}), report.MarkdownFile)))
	if strings.Contains(md, "NaN") || strings.Contains(md, "Inf") {
		t.Error("report.md shows NaN or Inf")
	}
	if !strings.Contains(md, "n/a") {
		t.Error("report.md does not show undefined values as n/a")
	}
}

// TestReportFairest checks the summary's choice of the fairest system on
// a hand-made result: A has no finding but little accuracy, B three
// findings and C, the most accurate, five.
func TestReportFairest(t *testing.T) {
	nan := fairness.Float(math.NaN())
	sys := func(name string, ndcg float64) *audit.SystemResult {
		return &audit.SystemResult{Name: name, Metrics: []audit.MetricValue{
			{Name: "ndcg@10", Level: "user", Value: fairness.Float(ndcg), CI: fairness.Interval2{nan, nan}},
		}}
	}
	r := &audit.Result{
		SchemaVersion: 1,
		Dataset:       audit.DatasetInfo{Name: "toy"},
		Settings:      audit.Settings{Cutoffs: []int{10}, GroupMeasures: []string{"ndcg"}},
		Systems:       []*audit.SystemResult{sys("A", 0.1), sys("B", 0.30), sys("C", 0.32)},
	}
	for range 3 {
		r.Findings = append(r.Findings, audit.Finding{System: "B", Kind: "consumer", Cutoff: 10, Text: "b"})
	}
	for range 5 {
		r.Findings = append(r.Findings, audit.Finding{System: "C", Kind: "provider", Cutoff: 10, Text: "c"})
	}
	md := string(readFile(t, filepath.Join(render(t, r, report.Options{}), report.MarkdownFile)))
	// Hand-computed: cost 0.32 − 0.10 = 0.22, 0.22/0.32 = 68.75%; B is
	// within 10% of 0.32 (0.30 ≥ 0.288), 0.02 lower.
	want := "**Fairest system.** By the number of significant findings, A is the fairest of the systems compared: 0 findings, against 3 to 5 for the others. " +
		"Its NDCG@10 is 0.100, 0.220 lower (68.8%) than that of the most accurate system, C (0.320). " +
		"Among the systems within 10% of the best NDCG@10, the fairest is B: 3 findings, with NDCG@10 0.300, 0.020 lower than the best."
	if !strings.Contains(md, want) {
		t.Errorf("report.md lacks\n%s\nin its summary:\n%s", want, md[:min(len(md), 4000)])
	}

	// A tie: A and D have no finding; D is the more accurate (0.31 > 0.10),
	// 0.01 below C.
	r.Systems = append(r.Systems, sys("D", 0.31))
	md = string(readFile(t, filepath.Join(render(t, r, report.Options{}), report.MarkdownFile)))
	want = "**Fairest system.** By the number of significant findings, D and A tie as the fairest of the systems compared, with 0 findings each, against 3 to 5 for the others; " +
		"of them, D is the most accurate. Its NDCG@10 is 0.310, 0.010 lower (3.1%) than that of the most accurate system, C (0.320)."
	if !strings.Contains(md, want) {
		t.Errorf("report.md lacks\n%s\nin its summary:\n%s", want, md[:min(len(md), 4000)])
	}
	// Every system tied: no others to compare with.
	r.Findings = nil
	md = string(readFile(t, filepath.Join(render(t, r, report.Options{}), report.MarkdownFile)))
	want = "By the number of significant findings, C, D, B and A tie as the fairest of the systems compared, with 0 findings each; of them, C is the most accurate. It is also the most accurate"
	if !strings.Contains(md, want) {
		t.Errorf("report.md lacks\n%s\nin its summary:\n%s", want, md[:min(len(md), 4000)])
	}
}
