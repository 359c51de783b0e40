package atomicfile

import (
	"errors"
	"fmt"
	"io/fs"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strconv"
)

// ErrExists is returned by WriteDir when the destination directory exists
// and is not empty, and replacing it was not asked for.
var ErrExists = errors.New("output directory already exists")

// WriteDir atomically creates or replaces the directory dir with what fill
// writes into a temporary directory: readers of dir see either the old
// directory or the complete new one, never a partial one.
//
// The temporary directory is a sibling of dir (".<name>.tmp-*", so that the
// final rename stays on one file system). fill gets its path and writes every
// output into it. When fill returns nil, the temporary directory is renamed to
// dir. An existing empty directory is replaced; an existing non-empty one only
// when replace is true, and otherwise WriteDir returns an error wrapping
// ErrExists before calling fill. A replaced directory is moved aside, the new
// one renamed into place and the old one removed; dir is therefore missing for
// the instant between the two renames, never half-written.
//
// On any error, or a panic in fill, the temporary directory is removed and dir
// is left untouched; a panic is re-raised after the clean-up. The parent of dir
// is created if needed.
func WriteDir(dir string, replace bool, fill func(tmp string) error) (err error) {
	dir = filepath.Clean(dir)
	exists, err := checkDir(dir, replace)
	if err != nil {
		return err
	}
	parent, base := filepath.Split(dir)
	if parent == "" {
		parent = "."
	}
	if err := os.MkdirAll(parent, 0o777); err != nil {
		return err
	}
	tmp, err := mkdirTemp(parent, base, "tmp")
	if err != nil {
		return err
	}
	done := false
	defer func() {
		if !done {
			os.RemoveAll(tmp)
		}
	}()
	if err := fill(tmp); err != nil {
		return err
	}
	syncDir(tmp)
	if exists {
		old, err := mkdirTemp(parent, base, "old")
		if err != nil {
			return err
		}
		// The fresh name is reserved by creating it; os.Rename does not
		// replace a directory, so free it again just before the rename.
		if err := os.Remove(old); err != nil {
			return err
		}
		if err := os.Rename(dir, old); err != nil {
			return err
		}
		if err := os.Rename(tmp, dir); err != nil {
			// Put the old directory back; report the first error.
			if rerr := os.Rename(old, dir); rerr != nil {
				return fmt.Errorf("%w (the previous %s is kept at %s: %v)", err, dir, old, rerr)
			}
			return err
		}
		done = true
		syncDir(parent)
		return os.RemoveAll(old)
	}
	if err := os.Rename(tmp, dir); err != nil {
		return err
	}
	done = true
	syncDir(parent)
	return nil
}

// checkDir reports whether dir exists, and returns an error when it cannot
// be replaced.
func checkDir(dir string, replace bool) (bool, error) {
	fi, err := os.Stat(dir)
	if errors.Is(err, os.ErrNotExist) {
		return false, nil
	}
	if err != nil {
		return false, err
	}
	if !fi.IsDir() {
		return false, fmt.Errorf("%s exists and is not a directory", dir)
	}
	if replace {
		return true, nil
	}
	entries, err := os.ReadDir(dir)
	if err != nil {
		return false, err
	}
	if len(entries) > 0 {
		return false, fmt.Errorf("%s: %w", dir, ErrExists)
	}
	return true, nil
}

// mkdirTemp creates a new directory ".<base>.<kind>-<random>" in parent.
// Unlike os.MkdirTemp it asks for mode 0777, so the process umask decides the
// permissions exactly as it would for os.Mkdir.
func mkdirTemp(parent, base, kind string) (string, error) {
	for range 1000 {
		name := filepath.Join(parent, "."+base+"."+kind+"-"+strconv.FormatUint(rand.Uint64(), 36))
		err := os.Mkdir(name, 0o777)
		if errors.Is(err, fs.ErrExist) {
			continue
		}
		return name, err
	}
	return "", &fs.PathError{Op: "mkdirtemp", Path: filepath.Join(parent, "."+base+"."+kind+"-*"), Err: fs.ErrExist}
}
