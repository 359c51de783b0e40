// Package report implements "recaudit report": render the audit report
// (report.html, report.md and the charts as SVG and PNG) from a
// results.json document alone, into a new output directory.
//
// # Invariants
//
// The command reads the results document and writes only the output
// directory, atomically (rendered into a temporary sibling, then renamed),
// and stderr (a one-line summary); with --json a summary document goes to
// stdout. An existing non-empty directory is replaced only with --force.
// The same results document gives byte-identical report files.
package report
