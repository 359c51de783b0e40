package report_test

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/recaudit/recaudit/audit"
	"github.com/recaudit/recaudit/report"
)

func ExampleRender() {
	// A results document, as recaudit audit writes it: here the audit
	// package's small golden result (two systems on a 30-user shop).
	f, err := os.Open(filepath.Join("..", "audit", "testdata", "result_golden.json"))
	if err != nil {
		fmt.Println(err)
		return
	}
	defer f.Close()
	res, err := audit.ReadJSON(f)
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

	if err := report.Render(res, dir, report.Options{Title: "Audit of the tiny shop"}); err != nil {
		fmt.Println(err)
		return
	}
	md, err := os.ReadFile(filepath.Join(dir, report.MarkdownFile))
	if err != nil {
		fmt.Println(err)
		return
	}
	for line := range strings.SplitSeq(string(md), "\n") {
		if strings.HasPrefix(line, "# ") || strings.HasPrefix(line, "## <a") {
			fmt.Println(line[strings.LastIndex(line, ">")+1:])
		}
	}
	_, err = os.Stat(filepath.Join(dir, report.PlotsDir, "lorenz.png"))
	fmt.Println("plots/lorenz.png written:", err == nil)
	// Output:
	// # Audit of the tiny shop
	// 1 Summary of findings
	// 2 Data and method
	// 3 User groups: quality of recommendations
	// 4 Item groups: exposure
	// 5 Calibration
	// 6 Targeting of flagged items
	// 7 Popularity bias
	// 8 Limitations
	// 9 Reproducing this audit
	// A All findings
	// plots/lorenz.png written: true
}
