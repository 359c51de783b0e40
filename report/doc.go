// Package report turns audit results into charts and into the audit
// report, HTML and Markdown. It is the only package of recaudit that
// imports gonum.org/v1/plot.
//
// # The report
//
// Render writes the report of an audit.Result into a directory:
// report.html (one self-contained page: charts as inline SVG, CSS inline,
// no scripts and nothing fetched), report.md (the same text, tables and
// charts, the charts linked as files) and every chart as plots/NAME.svg
// and plots/NAME.png. The report is drawn from the result alone, so
// "recaudit report results.json" re-renders it at any time. It reads as
// an audit: a summary of the findings first, then the data and method,
// sections on user groups, item groups, calibration, targeting and
// popularity bias, consent and privacy (the consent and
// attribute-inference probes, the data-minimisation record,
// pseudonymisation), the limitations, how to reproduce the run, and every
// finding. It never shows an individual user, and suppressed groups are
// shown as suppressed, never with a value or size. The same result gives
// byte-identical files. The text comes from embedded text/template and
// html/template templates over one document model, so that the two
// formats hold the same content; the HTML template escapes every text of
// the result.
//
// # Charts
//
// Each chart function takes a small plain input type, validates it and
// returns a *plot.Plot; it does no I/O. The charts of a fairness audit:
//
//   - GroupChart: a metric per user group with confidence intervals, for
//     each system, significant groups marked, the overall value as a
//     reference line;
//   - CalibrationChart: miscalibration C_KL per user group;
//   - TargetingChart: the rate at which each user group is shown a
//     flagged item class, with each system's max/min ratio in the title;
//   - ExposureChart: each provider group's share of exposure against its
//     target;
//   - LorenzChart: Lorenz curves of item exposure with their Gini indexes;
//   - TradeOffChart: accuracy against disparity across systems;
//   - RankChart: a quantity (mean exposure, a group's share) at each rank
//     position;
//   - InferenceChart: how well each attribute can be predicted from a
//     user's list (AUC with intervals) against the shuffled-label band.
//
// Write a chart with Save (file, format from the extension, written
// atomically) or WriteSVG (any io.Writer). DefaultWidth × DefaultHeight
// is the size the charts are laid out for.
//
// # Readability
//
// Every chart has a title, axis labels with units or a note of which way
// is better, and a legend placed to the right of the data so that it
// never covers it (keep Legend.Left false if you restyle it). Group
// names that would overlap at DefaultWidth are turned. Series (systems, groups) are coloured from the
// Okabe-Ito palette, which stays distinguishable with colour-vision
// deficiencies (see SeriesColor and OkabeIto), and also differ by marker
// shape and line dashes, so that the charts survive greyscale printing.
// Significance is shown by filled against hollow markers (solid against
// pale bars), explained in the legend. Shares and rates are shown as
// percentages.
//
// # Missing and undefined values
//
// Plotters cannot draw NaN or infinite values, so the chart functions
// check their input first. Infinite values are always an error wrapping
// ErrPlotData. NaN is the package-wide "undefined" (STYLE.md rule 12) and
// is drawn as a visible gap: a group with a NaN value as a shaded slot
// labelled "undefined", a NaN rank value as a break in its line, a NaN
// interval bound as a missing whisker. Suppressed groups (below the
// minimum group size, DESIGN.md Privacy) are shaded slots labelled
// "suppressed (n < 10)", and neither their value nor their size is ever
// drawn. Each chart function documents its own rules.
//
// # Determinism
//
// Charts use the Liberation Sans fonts embedded in gonum/plot, so that
// text is measured the same way on every machine: the same input and
// size give byte-identical SVG. SVG output names the font rather than
// embedding it, with Arial as the first fallback: Arial has the same
// metrics as Liberation Sans, so the layout holds where either is
// installed.
//
// # Invariants
//
// Render never modifies the result and writes every file atomically.
// Chart functions never modify their inputs and do not retain them: the
// returned plot holds copies of the data it draws and belongs to the
// caller, who may change its title, labels or size before writing it.
// Programmer errors (a nil plot, a non-positive size, a bad Direction, a
// negative series index) panic with a message starting "report:"; bad
// data never panics.
package report
