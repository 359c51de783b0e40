package audit

import (
	"slices"
	"strings"

	"github.com/recaudit/recaudit/datasets"
)

// DataAccess is one entry of the data-minimisation record of a result:
// which columns of which table a stage of the audit was given, who read
// them, and how. An auditor reads the record to confirm, for example,
// that no recommender was given a sensitive attribute: the fit and
// recommend entries of every system list what its recommender saw, and
// only the scoring entries name users columns beyond user_id.
type DataAccess struct {
	// Stage is "split", "fit", "recommend", "scoring" or "probe" (what a
	// system read when the consent probe ran it again).
	Stage string `json:"stage"`
	// System is the system the entry is about; "" for the stages shared
	// by every system (split, scoring).
	System string `json:"system"`
	// Reader is who read the columns: "recommender" (an algorithm in
	// process), "external command" (an exec system) or "recaudit" (the
	// runner or the scorer).
	Reader string `json:"reader"`
	// Table is "interactions", "users", "items" or "recommendations".
	Table string `json:"table"`
	// Rows says which rows: "all", "training split", "test split",
	// "consenting users with a test interaction", ...
	Rows string `json:"rows"`
	// Columns are the columns read, by their dataset names.
	Columns []string `json:"columns"`
	// Via says how they were passed: "in process (dense indices, no
	// IDs)", "file train.arrow", or the recommendation file's path.
	Via string `json:"via"`
}

// Readers of DataAccess.
const (
	ReaderRecommender = "recommender"
	ReaderExternal    = "external command"
	ReaderRecaudit    = "recaudit"
)

// interactionColumns returns the columns of d's interactions: user_id,
// item_id, and value and timestamp when present.
func interactionColumns(m *datasets.CSR, withTimes bool) []string {
	cols := []string{"user_id", "item_id"}
	if m.Values != nil {
		cols = append(cols, "value")
	}
	if withTimes && m.Times != nil {
		cols = append(cols, "timestamp")
	}
	return cols
}

func itemColumnNames(d *datasets.Dataset) []string {
	cols := []string{"item_id"}
	for _, c := range d.ItemColumns {
		cols = append(cols, c.Name)
	}
	return cols
}

// splitAccess records what the split read.
func splitAccess(d *datasets.Dataset, split datasets.Split) []DataAccess {
	cols := []string{"user_id", "item_id"}
	switch split.Kind {
	case datasets.SplitLastN, datasets.SplitTemporalCutoff, datasets.SplitTemporalFraction:
		cols = append(cols, "timestamp")
	}
	return []DataAccess{{Stage: "split", Reader: ReaderRecaudit, Table: "interactions", Rows: "all", Columns: cols, Via: "in process"}}
}

// builtinAccess records what an in-process recommender and the runner
// read for one system.
func builtinAccess(system string, d *datasets.Dataset, train *datasets.CSR) []DataAccess {
	out := []DataAccess{
		{Stage: "fit", System: system, Reader: ReaderRecommender, Table: "interactions", Rows: "training split",
			Columns: interactionColumns(train, true), Via: "in process (recommenders.TrainView: dense indices, no IDs)"},
		{Stage: "fit", System: system, Reader: ReaderRecommender, Table: "items", Rows: "all",
			Columns: itemColumnNames(d), Via: "in process (recommenders.TrainView: dense indices, no IDs)"},
		{Stage: "recommend", System: system, Reader: ReaderRecommender, Table: "users", Rows: "consenting users with a test interaction",
			Columns: []string{"user_id"}, Via: "in process (dense indices, no IDs)"},
	}
	return append(out, consentAccess(system, d)...)
}

// consentAccess records that the runner read the consent column to serve
// the non-personalised fallback.
func consentAccess(system string, d *datasets.Dataset) []DataAccess {
	cols := d.UserColumnsWithRole(datasets.RoleConsent)
	if len(cols) == 0 {
		return nil
	}
	names := make([]string, len(cols))
	for i, c := range cols {
		names[i] = c.Name
	}
	return []DataAccess{{Stage: "recommend", System: system, Reader: ReaderRecaudit, Table: "users", Rows: "users with a test interaction",
		Columns: names, Via: "in process (to serve the non-personalised fallback to users who did not consent; not passed to the recommender)"}}
}

// execAccess records the files written for an external command.
func execAccess(system string, d *datasets.Dataset, train *datasets.CSR) []DataAccess {
	out := []DataAccess{
		{Stage: "fit", System: system, Reader: ReaderExternal, Table: "interactions", Rows: "training split",
			Columns: interactionColumns(train, true), Via: "file train.arrow"},
		{Stage: "fit", System: system, Reader: ReaderExternal, Table: "items", Rows: "all",
			Columns: itemColumnNames(d), Via: "file items.arrow"},
		{Stage: "recommend", System: system, Reader: ReaderExternal, Table: "users", Rows: "consenting users with a test interaction",
			Columns: []string{"user_id"}, Via: "file users.arrow"},
	}
	return append(out, consentAccess(system, d)...)
}

// fileAccess records the reading of a recommendation file: the system
// itself was given nothing by recaudit.
func fileAccess(system, path string) []DataAccess {
	return []DataAccess{{Stage: "recommend", System: system, Reader: ReaderRecaudit, Table: "recommendations", Rows: "all",
		Columns: []string{"user_id", "item_id", "rank", "score", "system", "sample"}, Via: "file " + path}}
}

// scoringAccess records what the scoring stage read, for every system.
func scoringAccess(d *datasets.Dataset, test *datasets.CSR, g *Groups) []DataAccess {
	out := []DataAccess{
		{Stage: "scoring", Reader: ReaderRecaudit, Table: "interactions", Rows: "test split",
			Columns: interactionColumns(test, false), Via: "in process (relevance judgments)"},
		{Stage: "scoring", Reader: ReaderRecaudit, Table: "interactions", Rows: "training split",
			Columns: []string{"user_id", "item_id"}, Via: "in process (popularity, novelty, calibration history)"},
	}
	var users []string
	for _, ug := range g.Users {
		for _, a := range strings.Split(ug.Attribute, IntersectionSep) {
			if !slices.Contains(users, a) {
				users = append(users, a)
			}
		}
	}
	if len(users) > 0 {
		out = append(out, DataAccess{Stage: "scoring", Reader: ReaderRecaudit, Table: "users", Rows: "all",
			Columns: append([]string{"user_id"}, users...), Via: "in process (user groups)"})
	}
	var items []string
	add := func(n string) {
		if n != "" && !slices.Contains(items, n) {
			items = append(items, n)
		}
	}
	for _, ig := range g.Items {
		add(ig.Attribute)
	}
	for _, f := range g.Flags {
		add(f.Name)
	}
	add(g.CategoryColumn)
	if len(items) > 0 {
		out = append(out, DataAccess{Stage: "scoring", Reader: ReaderRecaudit, Table: "items", Rows: "all",
			Columns: append([]string{"item_id"}, items...), Via: "in process (item groups, flags, categories)"})
	}
	return out
}
