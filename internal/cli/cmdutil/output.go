package cmdutil

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"github.com/recaudit/recaudit/datasets"
)

// tableNames are the base names of a dataset directory's tables.
var tableNames = []string{"interactions", "users", "items"}

// ExistingTables returns the table files already in dir: every
// interactions, users or items file with an extension of
// [datasets.Extensions]. A missing dir has none.
func ExistingTables(dir string) ([]string, error) {
	var found []string
	for _, name := range tableNames {
		for _, e := range datasets.Extensions {
			path := filepath.Join(dir, name+e.Ext)
			_, err := os.Stat(path)
			switch {
			case err == nil:
				found = append(found, path)
			case errors.Is(err, fs.ErrNotExist):
			default:
				return nil, err
			}
		}
	}
	return found, nil
}

// CheckOutputDir refuses to write a dataset into dir when it already holds
// table files, unless force is set. It returns the files found, which
// [RemoveStale] deletes after a forced write.
func CheckOutputDir(dir string, force bool) ([]string, error) {
	st, err := os.Stat(dir)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return nil, nil
	case err != nil:
		return nil, err
	case !st.IsDir():
		return nil, UsageErrorf("--out %s is not a directory", dir)
	}
	found, err := ExistingTables(dir)
	if err != nil || len(found) == 0 || force {
		return found, err
	}
	return found, UsageErrorf("%s already exists; use --force to replace the dataset in %s", found[0], dir)
}

// RemoveStale deletes the files of old that are not in written: after a
// forced write in another format, the directory then holds one file per
// table, as [datasets.Locate] requires.
func RemoveStale(old []string, written datasets.Paths) error {
	for _, path := range old {
		if path == written.Interactions || path == written.Users || path == written.Items {
			continue
		}
		if err := os.Remove(path); err != nil && !errors.Is(err, fs.ErrNotExist) {
			return err
		}
	}
	return nil
}

// WrittenDataset is the part of a JSON summary that describes a dataset a
// command wrote. Commands embed it in their summary documents.
type WrittenDataset struct {
	Dir          string `json:"dir"`
	Format       string `json:"format"`
	Files        Files  `json:"files"`
	Users        int    `json:"users"`
	Items        int    `json:"items"`
	Interactions int    `json:"interactions"`
}

// Files are a dataset's table files.
type Files struct {
	Interactions string `json:"interactions"`
	Users        string `json:"users,omitempty"`
	Items        string `json:"items,omitempty"`
}

// NewWrittenDataset describes d written to p in dir with format f.
func NewWrittenDataset(dir string, f datasets.Format, p datasets.Paths, d *datasets.Dataset) WrittenDataset {
	return WrittenDataset{
		Dir:          dir,
		Format:       f.String(),
		Files:        Files{Interactions: p.Interactions, Users: p.Users, Items: p.Items},
		Users:        d.Interactions.Rows,
		Items:        d.Interactions.NumCols,
		Interactions: d.Interactions.NNZ(),
	}
}

// ReportMarkers are the files that identify a directory as a recaudit
// report: one of them must be present for --force to replace a non-empty
// directory.
var ReportMarkers = []string{"results.json", "report.md", "report.html"}

// CheckReportDir checks that a report can be written into dir (a report is
// replaced as a whole directory): dir does not exist, is empty, or holds a
// report and force is set. --force never deletes a non-empty directory
// that does not hold a report, so that a mistyped --out (a home or source
// directory) cannot be wiped.
func CheckReportDir(dir string, force bool) error {
	st, err := os.Stat(dir)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return nil
	case err != nil:
		return err
	case !st.IsDir():
		return UsageErrorf("--out %s exists and is not a directory", dir)
	}
	entries, err := os.ReadDir(dir)
	if err != nil {
		return err
	}
	if len(entries) == 0 {
		return nil
	}
	if !force {
		return UsageErrorf("%s already exists and is not empty; use --force to replace it", dir)
	}
	for _, m := range ReportMarkers {
		if _, err := os.Stat(filepath.Join(dir, m)); err == nil {
			return nil
		}
	}
	return UsageErrorf("%s is not empty and holds no recaudit report (none of %s); --force replaces only a report: choose another --out, or empty it yourself",
		dir, strings.Join(ReportMarkers, ", "))
}
