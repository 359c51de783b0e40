package report

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"github.com/recaudit/recaudit/audit"
	"github.com/recaudit/recaudit/internal/atomicfile"
	"github.com/recaudit/recaudit/internal/cli/cmdutil"
	libreport "github.com/recaudit/recaudit/report"
	"github.com/spf13/cobra"
)

// ReportOptions are the inputs of "recaudit report".
type ReportOptions struct {
	IO *cmdutil.IOStreams

	// Results is the path of the results document; "-" reads stdin.
	Results string
	// Out is the output directory.
	Out   string
	Force bool
	Title string
	JSON  bool
}

// NewCmdReport returns the "report" command. When runF is not nil it is
// called with the parsed options instead of running the command.
func NewCmdReport(f *cmdutil.Factory, runF func(*ReportOptions) error) *cobra.Command {
	opts := &ReportOptions{IO: f.IO}
	cmd := &cobra.Command{
		Use:   "report RESULTS.json --out DIR [--force]",
		Short: "Render the audit report from a results document",
		Long: `Render the audit report of a results document (the results.json that
recaudit audit writes) into the directory --out:

  report.html   one self-contained page: charts inline as SVG, no scripts,
                nothing fetched from the network
  report.md     the same text, tables and charts, the charts as files
  plots/        every chart as NAME.svg and NAME.png

The report needs nothing but the results document: a summary of the
findings, the data and method (provenance with SHA-256 digests, split,
systems, groups, metric definitions, statistics), sections on user groups,
item groups, calibration, targeting and popularity bias with charts and
tables, the limitations, how to reproduce the audit, and every finding. It
never shows an individual user.

The directory is written atomically: rendered into a temporary sibling
directory and renamed, so that it is never half-written. An existing
directory that is not empty is replaced only with --force. A results
document that is not valid JSON, has another schema version or unknown
fields is an error (exit status 2). RESULTS may be "-" for stdin.

A one-line summary goes to stderr; with --json a summary document goes to
stdout.`,
		Example: `  recaudit report out/results.json --out out/report
  recaudit report results.json --out report --force --title "Shop recommender audit, Q3"`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.Results = args[0]
			if opts.Out == "" {
				return cmdutil.UsageErrorf("--out is required: the directory to write the report into")
			}
			if runF != nil {
				return runF(opts)
			}
			return reportRun(cmd.Context(), opts)
		},
	}
	fl := cmd.Flags()
	fl.StringVar(&opts.Out, "out", "", "Output `DIR` for report.html, report.md and plots/")
	fl.BoolVar(&opts.Force, "force", false, "Replace an existing, non-empty output directory")
	fl.StringVar(&opts.Title, "title", "", "Report `title` (default: \"Fairness audit of “DATASET”\")")
	cmdutil.AddJSONFlag(cmd, &opts.JSON)
	return cmd
}

// Summary is the JSON document printed by "recaudit report --json".
type Summary struct {
	Dir      string   `json:"dir"`
	HTML     string   `json:"html"`
	Markdown string   `json:"markdown"`
	Plots    []string `json:"plots"`
}

func reportRun(ctx context.Context, opts *ReportOptions) error {
	res, err := readResults(opts.Results, opts.IO.In)
	if err != nil {
		return err
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	if err := cmdutil.CheckReportDir(opts.Out, opts.Force); err != nil {
		return err
	}
	render := func(tmp string) error {
		if err := libreport.Render(res, tmp, libreport.Options{Title: opts.Title}); err != nil {
			return err
		}
		return ctx.Err() // interrupted while rendering: no report
	}
	if err := atomicfile.WriteDir(opts.Out, opts.Force, render); err != nil {
		if errors.Is(err, atomicfile.ErrExists) {
			return cmdutil.UsageErrorf("%s exists and is not empty; use --force to replace it", opts.Out)
		}
		return err
	}
	entries, err := os.ReadDir(filepath.Join(opts.Out, libreport.PlotsDir))
	if err != nil {
		return err
	}
	sum := Summary{Dir: opts.Out, HTML: filepath.Join(opts.Out, libreport.HTMLFile),
		Markdown: filepath.Join(opts.Out, libreport.MarkdownFile), Plots: []string{}}
	svg := 0
	for _, e := range entries {
		sum.Plots = append(sum.Plots, filepath.Join(opts.Out, libreport.PlotsDir, e.Name()))
		if strings.HasSuffix(e.Name(), ".svg") {
			svg++
		}
	}
	systems := fmt.Sprintf("%d systems", len(res.Systems))
	if len(res.Systems) == 1 {
		systems = "1 system"
	}
	fmt.Fprintf(opts.IO.ErrOut, "Wrote the report of %s to %s: %s, %s and %d charts (SVG and PNG) in %s\n",
		systems, opts.Out, libreport.HTMLFile, libreport.MarkdownFile, svg, libreport.PlotsDir+"/")
	if opts.JSON {
		return cmdutil.WriteJSON(opts.IO.Out, sum)
	}
	return nil
}

// readResults reads and checks a results document: its schema version
// first (a document of another version is refused with its version
// named), then the whole document, strictly. Every problem is a usage
// error (exit status 2) that names the file.
func readResults(path string, stdin io.Reader) (*audit.Result, error) {
	name := path
	var data []byte
	var err error
	if path == "-" {
		name = "stdin"
		data, err = io.ReadAll(stdin)
	} else {
		data, err = os.ReadFile(path)
	}
	if errors.Is(err, fs.ErrNotExist) {
		return nil, err
	}
	if err != nil { // unreadable input: a usage problem (exit status 2), not an internal error
		return nil, cmdutil.UsageErrorf("cannot read the results document: %v", err)
	}
	var head struct {
		SchemaVersion *int `json:"schema_version"`
	}
	if err := json.Unmarshal(data, &head); err != nil {
		return nil, cmdutil.UsageErrorf("%s: not a recaudit results document: %v", name, err)
	}
	switch {
	case head.SchemaVersion == nil:
		return nil, cmdutil.UsageErrorf("%s: not a recaudit results document: no schema_version", name)
	case *head.SchemaVersion != audit.SchemaVersion:
		return nil, cmdutil.UsageErrorf("%s: results schema version %d; this recaudit reads version %d", name, *head.SchemaVersion, audit.SchemaVersion)
	}
	res, err := audit.ReadJSON(bytes.NewReader(data))
	if err != nil {
		hint := ""
		if strings.Contains(err.Error(), "unknown field") {
			hint = " (written by a newer recaudit?)"
		}
		return nil, cmdutil.UsageErrorf("%s: invalid results document: %v%s", name, err, hint)
	}
	return res, nil
}
